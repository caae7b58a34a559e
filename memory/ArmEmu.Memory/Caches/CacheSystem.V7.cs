namespace ArmEmu.Memory.Caches;

/// <summary>
/// The ARMv7 c7 operations (ARM ARM DDI 0406C B4.2.1, B6.2.1 and B4.1.19 CCSIDR) on the
/// hierarchy. As on a Cortex-A9 with a PL310, they act on the processor's L1 caches only:
/// "to the point of coherency" reaches the outer cache's input, and cleaning the PL310 is
/// the driver's business through its own registers (Linux's outer_clean_range).
/// </summary>
public sealed unsafe partial class CacheSystem
{
    /// <summary>
    /// MVA to PA for a v7 maintenance operation by MVA, translated as a data read at PL1 would
    /// be; throws <see cref="MemoryFault"/> when that read would fault (the board wires its MMU
    /// here). By default, <see cref="TranslateForMaintenance"/>, faulting where it has no answer.
    /// </summary>
    public Func<uint, uint>? TranslateForMaintenanceV7 { get; set; }

    private uint TranslateV7(uint mva) =>
        TranslateForMaintenanceV7 is { } translate ? translate(mva)
        : TranslateForMaintenance(mva) ?? throw new MemoryFault(mva, AccessKind.Read | AccessKind.Privileged, FaultKind.Translation);

    /// <summary>
    /// The L1 caches as CLIDR and CCSIDR describe them (level 0 only): the outer PL310 is not a
    /// processor cache level, as QEMU's cortex-a9 CLIDR (0x09000003) says.
    /// </summary>
    internal CacheLevelGeometry? Geometry(int level, bool instruction) =>
        level != 0 ? null : (instruction ? InstructionCache : DataCache)?.Config.Geometry(instruction);

    CacheLevelGeometry? ICacheMaintenanceV7.Geometry(int level, bool instruction) => Geometry(level, instruction);

    /// <summary>ICIALLU: invalidates the whole instruction cache.</summary>
    public void InvalidateInstructionAll() => InvalidateAll(InstructionCache);

    /// <summary>ICIMVAU: invalidates the instruction cache line holding <paramref name="mva"/>.</summary>
    public void InvalidateInstructionByMva(uint mva) => ByMvaV7(InstructionCache, mva, static (_, c, l) => c.Invalidate(l));

    /// <summary>DCIMVAC: invalidates the data cache line holding <paramref name="mva"/>, discarding dirty data.</summary>
    public void InvalidateDataByMva(uint mva) => ByMvaV7(DataCache, mva, static (_, c, l) => c.Invalidate(l));

    /// <summary>DCCMVAC (or DCCMVAU when <paramref name="toUnification"/>): writes the data cache line holding <paramref name="mva"/> back if dirty.</summary>
    public void CleanDataByMva(uint mva, bool toUnification) => ByMvaV7(DataCache, mva, static (s, c, l) => s.WriteBackLine(c, l));

    /// <summary>DCCIMVAC: writes the data cache line holding <paramref name="mva"/> back if dirty, then invalidates it.</summary>
    public void CleanAndInvalidateDataByMva(uint mva) => ByMvaV7(DataCache, mva, static (s, c, l) => s.CleanAndInvalidate(c, l));

    /// <summary>DCISW: invalidates the data cache line the set/way <paramref name="operand"/> names (the ARMv7 format).</summary>
    public void InvalidateDataBySetWay(uint operand) => BySetWayV7(operand, static (_, c, l) => c.Invalidate(l));

    /// <summary>DCCSW: writes the data cache line the set/way <paramref name="operand"/> names back if dirty.</summary>
    public void CleanDataBySetWay(uint operand) => BySetWayV7(operand, static (s, c, l) => s.WriteBackLine(c, l));

    /// <summary>DCCISW: writes the data cache line the set/way <paramref name="operand"/> names back if dirty, then invalidates it.</summary>
    public void CleanAndInvalidateDataBySetWay(uint operand) => BySetWayV7(operand, static (s, c, l) => s.CleanAndInvalidate(c, l));

    /// <summary>DSB: every write the processor made leaves the write buffer (the PL310's own sync is CACHE_SYNC).</summary>
    public void DataSynchronizationBarrier() => WriteBuffer.Drain();

    /// <summary>
    /// By MVA: translate (which may fault, before anything changes), then the line the access
    /// would have used, found through the cache's own indexing.
    /// </summary>
    private void ByMvaV7(Cache? cache, uint mva, Action<CacheSystem, Cache, int> operation)
    {
        uint pa = TranslateV7(mva);
        if (cache is null) return;
        cache.Counters.Maintenance++;
        var (index, tag) = cache.Keys(mva, pa);
        int line = cache.Find(index, tag);
        if (line >= 0) operation(this, cache, line);
    }

    /// <summary>
    /// By set/way in the v7 operand format (B4.2.1 "Set/way"): the level in bits [3:1], the way
    /// in the top log2(ways) bits, the set above the line offset -- the same positions as the
    /// ARM926 format, plus the level. A level with no data cache names nothing.
    /// </summary>
    private void BySetWayV7(uint operand, Action<CacheSystem, Cache, int> operation)
    {
        if (SetWayLevel(operand) != 0 || DataCache is not { } cache) return;
        cache.Counters.Maintenance++;
        int line = cache.LineFromSetWay(operand);
        if (cache.IsValid(line)) operation(this, cache, line);
    }

    /// <summary>The cache level (0 = L1) a v7 set/way operand names: bits [3:1].</summary>
    public static int SetWayLevel(uint operand) => (int)(operand >> 1) & 7;
}
