namespace ArmEmu.Cpu.Decoding;

/// <summary>
/// An instruction decoded once: the handler chosen for the word, and the word
/// itself. The run loop compares the word with what it fetched before using
/// the handler, so an entry can never run stale code: whatever the fetch path
/// returns (RAM now; the I-cache when it is modelled) is what executes.
/// </summary>
public readonly unsafe struct DecodedInstruction(delegate*<Cpu, uint, void> handler, uint opcode, EncodingFlags flags)
{
    public readonly delegate*<Cpu, uint, void> Handler = handler;
    public readonly uint Opcode = opcode;

    /// <summary>The word's flags (the row's, refined for the word): in the slot's padding, so free.</summary>
    public readonly EncodingFlags Flags = flags;
}

/// <summary>
/// The decoded instructions of one 4 KiB virtual page, ARM (by word) and Thumb
/// (by halfword) kept apart. Every slot starts out holding the decoding of the
/// word 0, so the run loop needs no "empty slot" test: a slot is valid exactly
/// when its opcode equals the fetched word.
/// </summary>
public sealed unsafe class DecodedPage
{
    public readonly DecodedInstruction[] Arm = new DecodedInstruction[1024];
    public readonly DecodedInstruction[] Thumb = new DecodedInstruction[2048];

    /// <summary>
    /// With the I-cache modelled: the slot was decoded from an I-cache line that is still
    /// resident (cleared when the line goes), so it can run without fetching.
    /// </summary>
    public readonly bool[] ArmValid = new bool[1024];

    public readonly bool[] ThumbValid = new bool[2048];

    public DecodedPage(ArmDecoder arm, Thumb16Decoder thumb)
    {
        Arm.AsSpan().Fill(arm.Table.DecodeInstruction(0));
        Thumb.AsSpan().Fill(thumb.Table.DecodeInstruction(0));
    }
}
