namespace ArmEmu.Cpu.Decoding;

/// <summary>
/// An instruction decoded once: the handler chosen for the word, and the word
/// itself. The run loop compares the word with what it fetched before using
/// the handler, so an entry can never run stale code: whatever the fetch path
/// returns (RAM now; the I-cache when it is modelled) is what executes.
/// </summary>
internal readonly unsafe struct DecodedInstruction(delegate*<Cpu, uint, void> handler, uint opcode, EncodingFlags flags, byte thumbShift = 0, byte thumbLength = 0)
{
    public readonly delegate*<Cpu, uint, void> Handler = handler;
    public readonly uint Opcode = opcode;

    /// <summary>The word's flags (the row's, refined for the word): in the slot's padding, so free.</summary>
    public readonly EncodingFlags Flags = flags;

    /// <summary>
    /// In a Thumb slot, how the fetched code matches <see cref="Opcode"/>: the little-endian word at
    /// the instruction's address, rotated to hw1:hw2 and shifted right by this, is the opcode: 16 for
    /// a 16-bit instruction (its halfword), 0 for a 32-bit one (both halfwords). So the loop checks
    /// either length with the same two operations, and never asks which one it has on a hit. In the
    /// padding, as is <see cref="ThumbLength"/>.
    /// </summary>
    public readonly byte ThumbShift = thumbShift;

    /// <summary>In a Thumb slot, the instruction's length in bytes: 2 or 4.</summary>
    public readonly byte ThumbLength = thumbLength;

    /// <summary>This decoding as a Thumb slot holds it: a 32-bit instruction is hw1:hw2, above 0xFFFF.</summary>
    public DecodedInstruction AsThumb() => Opcode > 0xFFFF ? new(Handler, Opcode, Flags, 0, 4) : new(Handler, Opcode, Flags, 16, 2);
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
    public DecodedInstruction[] ThumbSlots { get; internal set; }

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
    public DecodedInstruction[] Thumb
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
