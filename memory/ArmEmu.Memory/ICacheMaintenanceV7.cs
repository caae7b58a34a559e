namespace ArmEmu.Memory;

/// <summary>
/// The ARMv7 cache-maintenance operations of CP15 c7 (ARM ARM DDI 0406C B4.2.1 and B6.2.1,
/// "Cache and branch predictor maintenance operations"), as a VMSAv7 system control
/// coprocessor forwards them to the memory system. They act on the processor's own caches
/// (L1, and any inner levels CLIDR reports) only: an outer cache such as the PL310 is
/// maintained through its own registers, as on hardware.
/// MVA operations take a virtual address and may fault as a data access would
/// (<see cref="MemoryFault"/>); set/way operands are in the v7 format:
/// way in the top bits, set above the line offset, level in bits [3:1].
/// </summary>
internal interface ICacheMaintenanceV7
{
    /// <summary>
    /// The cache at <paramref name="level"/> (0 = L1) on the instruction side or the data/unified
    /// side, or null where there is none: the source of CLIDR and CCSIDR.
    /// </summary>
    CacheLevelGeometry? Geometry(int level, bool instruction);

    /// <summary>ICIALLU / ICIALLUIS: invalidate all instruction caches to the point of unification.</summary>
    void InvalidateInstructionAll();

    /// <summary>ICIMVAU: invalidate the instruction-cache line holding <paramref name="mva"/>.</summary>
    void InvalidateInstructionByMva(uint mva);

    /// <summary>DCIMVAC: invalidate the data-cache line holding <paramref name="mva"/> to the point of coherency.</summary>
    void InvalidateDataByMva(uint mva);

    /// <summary>DCCMVAC (<paramref name="toUnification"/> false) or DCCMVAU (true): clean the line holding <paramref name="mva"/>.</summary>
    void CleanDataByMva(uint mva, bool toUnification);

    /// <summary>DCCIMVAC: clean and invalidate the data-cache line holding <paramref name="mva"/>.</summary>
    void CleanAndInvalidateDataByMva(uint mva);

    /// <summary>DCISW: invalidate a data-cache line by set/way (dirty data is lost).</summary>
    void InvalidateDataBySetWay(uint operand);

    /// <summary>DCCSW: clean a data-cache line by set/way.</summary>
    void CleanDataBySetWay(uint operand);

    /// <summary>DCCISW: clean and invalidate a data-cache line by set/way.</summary>
    void CleanAndInvalidateDataBySetWay(uint operand);

    /// <summary>DSB (and the CP15 c7,c10,4 form): every earlier write reaches the level below the processor's caches.</summary>
    void DataSynchronizationBarrier();
}

/// <summary>
/// One cache level as CCSIDR describes it (ARM ARM B4.1.19): line size in bytes, ways, sets,
/// and which policies it supports (the WT/WB/RA/WA bits).
/// </summary>
internal readonly record struct CacheLevelGeometry(int LineBytes, int Ways, int Sets,
    bool WriteThrough, bool WriteBack, bool ReadAllocate, bool WriteAllocate)
{
    /// <summary>Total size in bytes.</summary>
    public int SizeBytes => LineBytes * Ways * Sets;

    /// <summary>The CCSIDR value: WT[31] WB[30] RA[29] WA[28] NumSets-1[27:13] Assoc-1[12:3] LineSize[2:0] (log2(words)-2).</summary>
    public uint Ccsidr =>
        (WriteThrough ? 1u << 31 : 0) | (WriteBack ? 1u << 30 : 0) | (ReadAllocate ? 1u << 29 : 0)
        | (WriteAllocate ? 1u << 28 : 0) | (uint)(Sets - 1) << 13 | (uint)(Ways - 1) << 3
        | (uint)(System.Numerics.BitOperations.Log2((uint)LineBytes / 4) - 2);
}
