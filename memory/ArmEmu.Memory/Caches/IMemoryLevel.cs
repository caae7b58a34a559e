namespace ArmEmu.Memory.Caches;

/// <summary>
/// What lies below a cache (ARM ARM DDI 0406C B2.2.1, "Memory hierarchy"): the next cache level
/// (the PL310, <see cref="OuterCache"/>) or the write buffer in front of the bus
/// (<see cref="WriteBuffer"/>). A cache fills its lines from the level below and writes its
/// dirty lines back into it; nothing else passes between levels. Accesses that are not
/// cacheable never come here: the cache system sends them to the write buffer or the bus.
/// </summary>
internal interface IMemoryLevel
{
    /// <summary>
    /// A line fill: the bytes of the line at <paramref name="pa"/> (line-aligned for the level
    /// above) as this level sees them. <paramref name="instruction"/>: for an instruction-cache
    /// fill, which on the ARM926 does not wait for the write buffer.
    /// </summary>
    void ReadLine(uint pa, Span<byte> line, bool instruction);

    /// <summary>
    /// A dirty line (or half line) written back by the level above. <paramref name="writer"/> is
    /// the PC of the store that dirtied it when the coherence monitor watches, else null.
    /// </summary>
    void WriteBack(uint pa, ReadOnlySpan<byte> data, uint? writer);

    /// <summary>A cacheable store of 1, 2 or 4 bytes the level above did not keep (write-through, or a write miss without allocation).</summary>
    void Store(uint pa, int size, uint value, uint? writer);

    /// <summary>Everything this level and those below it hold pending reaches the bus (a drain; the PL310's cache sync).</summary>
    void Synchronize();
}
