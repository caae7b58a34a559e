using System.Numerics;

namespace ArmEmu.Cpu.Decoding;

/// <summary>
/// An instruction decoded once: the handler chosen for the word, and the word
/// itself. The run loop compares the word with what it fetched before using
/// the handler, so an entry can never run stale code: whatever the fetch path
/// returns (RAM now; the I-cache when it is modelled) is what executes.
/// </summary>
internal readonly unsafe struct DecodedInstruction(delegate*<Cpu, uint, void> handler, uint opcode, EncodingFlags flags)
{
    public readonly delegate*<Cpu, uint, void> Handler = handler;
    public readonly uint Opcode = opcode;

    /// <summary>The word's flags (the row's, refined for the word): in the slot's padding, so free.</summary>
    public readonly EncodingFlags Flags = flags;
}

/// <summary>
/// A Thumb slot: a Thumb instruction decoded once, as the engines run it. It holds the
/// little-endian word at the instruction's address when it was decoded (<see cref="Code"/>), and
/// the engine compares the word it fetches with it, as an ARM slot's opcode is compared: one
/// load and one comparison, with no rearranging of halfwords and no branch on the length on a hit.
/// </summary>
/// <remarks>
/// The invariant that makes a match safe: <see cref="Code"/>'s low halfword is the instruction's
/// first halfword (hw1 is first in memory), and when that opens a 32-bit instruction its high
/// halfword is the second. A 16-bit instruction's high halfword is whatever followed it then (or
/// 0 when the slot was made from the instruction alone): a change there costs a decode, never a
/// wrong instruction. The flags are not kept (16 bytes a slot, as ARM's): the profiler looks them
/// up from the tables (<see cref="CodeCache.ThumbFlags"/>) on the branches it sees.
/// </remarks>
internal readonly unsafe struct ThumbSlot
{
    /// <summary>The handler, given <see cref="Opcode"/>.</summary>
    public readonly delegate*<Cpu, uint, void> Handler;

    /// <summary>
    /// What the handler is given: the instruction, hw1 (16-bit) or hw1:hw2 (32-bit), or a 32-bit
    /// instruction's A32 twin (<see cref="Twin"/>). Above 0xFFFF exactly for a 32-bit
    /// instruction, so <see cref="Length"/> follows from it without a load.
    /// </summary>
    public readonly uint Opcode;

    /// <summary>The little-endian word at the instruction's address when it was decoded (see the remarks).</summary>
    public readonly uint Code;

    private ThumbSlot(delegate*<Cpu, uint, void> handler, uint opcode, uint code)
    {
        Handler = handler;
        Opcode = opcode;
        Code = code;
    }

    /// <summary>
    /// The slot for <paramref name="decoded"/>, a decoding of the Thumb instruction <paramref name="op"/>
    /// (hw1, or hw1:hw2), fetched as the little-endian word <paramref name="word"/>; its low halfword
    /// (and for a 32-bit instruction its high one) must be the instruction's.
    /// </summary>
    public static ThumbSlot For(in DecodedInstruction decoded, uint op, uint word)
    {
        System.Diagnostics.Debug.Assert((word & 0xFFFF) == (op > 0xFFFF ? op >> 16 : op) && (op <= 0xFFFF || word >> 16 == (op & 0xFFFF)));
        return new(decoded.Handler, op, word);
    }

    /// <summary>
    /// The slot that runs the 32-bit Thumb instruction <paramref name="op"/>, fetched as
    /// <paramref name="word"/>, as <paramref name="twin"/>, the decoding of its A32 twin
    /// (<see cref="A32Twins"/>): the handler is given the A32 word (above 0xFFFF, as a 32-bit
    /// instruction's opcode is), and <see cref="Instruction"/> is still the Thumb instruction.
    /// </summary>
    public static ThumbSlot Twin(in DecodedInstruction twin, uint op, uint word)
    {
        System.Diagnostics.Debug.Assert(op > 0xFFFF && twin.Opcode > 0xFFFF && word == CodeOf(op));
        return new(twin.Handler, twin.Opcode, word);
    }

    /// <summary>The little-endian word of the instruction <paramref name="op"/> alone (a 16-bit one followed by 0).</summary>
    public static uint CodeOf(uint op) => op > 0xFFFF ? BitOperations.RotateLeft(op, 16) : op;

    /// <summary>The Thumb instruction the slot was decoded from: hw1, or hw1:hw2.</summary>
    public uint Instruction => Opcode > 0xFFFF ? BitOperations.RotateLeft(Code, 16) : Opcode;

    /// <summary>The instruction's length in bytes: 2 or 4.</summary>
    public uint Length => Opcode > 0xFFFF ? 4u : 2u;
}

/// <summary>
/// The decoded instructions of one 4 KiB virtual page, ARM (by word) and Thumb
/// (by halfword) kept apart. Every slot starts out holding the decoding of the
/// word 0, so the run loop needs no "empty slot" test: a slot is valid exactly
/// when its opcode equals the fetched word.
/// </summary>
/// <remarks>
/// The slots of a state cost memory only once code runs in that state on the page (a page is
/// almost always ARM or Thumb, not both): until then <see cref="ArmSlots"/> and
/// <see cref="ThumbSlots"/> are the store's shared read-only placeholders, whose slots hold the
/// decoding of 0 like any fresh slot and are never written. An engine reads through them and,
/// when a word differs, asks for the real slots (<see cref="Arm"/>, <see cref="Thumb"/>).
/// </remarks>
internal sealed class DecodedPage
{
    private readonly CodeCache _store;

    internal DecodedPage(CodeCache store, uint number)
    {
        _store = store;
        Number = number;
        ArmSlots = store.ArmPlaceholder;
        ArmValidSlots = store.ValidPlaceholder;
        ThumbSlots = store.ThumbPlaceholder;
        ThumbValidSlots = store.ValidPlaceholder;
    }

    /// <summary>The virtual page number.</summary>
    public uint Number { get; }

    /// <summary>The ARM slots as they are: the placeholder (read-only) until ARM code is decoded here.</summary>
    public DecodedInstruction[] ArmSlots { get; internal set; }

    /// <summary>The ARM slots' I-cache valid bits as they are (the placeholder's are all false).</summary>
    public bool[] ArmValidSlots { get; internal set; }

    /// <summary>The Thumb slots as they are: the placeholder (read-only) until Thumb code is decoded here.</summary>
    public ThumbSlot[] ThumbSlots { get; internal set; }

    /// <summary>The Thumb slots' I-cache valid bits as they are (the placeholder's are all false).</summary>
    public bool[] ThumbValidSlots { get; internal set; }

    /// <summary>The page holds ARM slots of its own.</summary>
    public bool HasArm => !ReferenceEquals(ArmSlots, _store.ArmPlaceholder);

    /// <summary>The page holds Thumb slots of its own.</summary>
    public bool HasThumb => !ReferenceEquals(ThumbSlots, _store.ThumbPlaceholder);

    /// <summary>
    /// The ARM slots, by word, made the page's own on first use. With the I-cache modelled, the
    /// valid bit (<see cref="ArmValid"/>) says a slot was decoded from an I-cache line that is
    /// still resident (cleared when the line goes), so it can run without fetching.
    /// </summary>
    public DecodedInstruction[] Arm
    {
        get
        {
            if (!HasArm) _store.Materialise(this, thumb: false);
            return ArmSlots;
        }
    }

    /// <summary>The ARM slots' I-cache valid bits, made the page's own on first use.</summary>
    public bool[] ArmValid
    {
        get
        {
            if (!HasArm) _store.Materialise(this, thumb: false);
            return ArmValidSlots;
        }
    }

    /// <summary>The Thumb slots, by halfword, made the page's own on first use.</summary>
    public ThumbSlot[] Thumb
    {
        get
        {
            if (!HasThumb) _store.Materialise(this, thumb: true);
            return ThumbSlots;
        }
    }

    /// <summary>The Thumb slots' I-cache valid bits, made the page's own on first use.</summary>
    public bool[] ThumbValid
    {
        get
        {
            if (!HasThumb) _store.Materialise(this, thumb: true);
            return ThumbValidSlots;
        }
    }

    /// <summary>
    /// What an engine keeps for the page beside its slots (the translator's blocks and execution
    /// counts): counted in the store's bound and dropped with the page, so an engine's per-page
    /// memory is bounded and reclaimed as the slots are.
    /// </summary>
    public object? EngineData { get; internal set; }

    /// <summary>Counts <paramref name="bytes"/> more of the engine's data for the page (may evict other pages).</summary>
    public void ChargeEngineData(int bytes) => _store.Charge(this, bytes);

    /// <summary>Attaches <paramref name="data"/> costing <paramref name="bytes"/> to the page (may evict other pages).</summary>
    public void AttachEngineData(object data, int bytes)
    {
        _store.Charge(this, bytes);
        EngineData = data;
    }

    /// <summary>Executed since the store's clock hand last passed (the second chance before eviction).</summary>
    internal bool Referenced;

    /// <summary>Where the page sits in the store's list of resident pages (-1: evicted or forgotten).</summary>
    internal int ResidentIndex = -1;

    /// <summary>Host bytes the page holds: its header and the slots of its own.</summary>
    internal long Bytes;
}
