namespace ArmEmu.Memory;

/// <summary>
/// The cache and write-buffer operations of CP15 c7 (ARM926EJ-S TRM, "c7, Cache Operations
/// Register"; ARM ARM B6.6.5), as the system control coprocessor forwards them. The cache
/// model implements it; <see cref="NoCacheMaintenance"/> stands in while there is none.
/// Addresses are MVAs as software passes them; set/way operands are in the ARM926 format
/// (way in bits [31:30], set in bits [S+4:5]).
/// </summary>
internal interface ICacheMaintenance
{
    /// <summary>c7,c5,0: invalidate the whole instruction cache.</summary>
    void InvalidateInstructionCache();

    /// <summary>c7,c5,1: invalidate the instruction-cache line holding <paramref name="mva"/>.</summary>
    void InvalidateInstructionLine(uint mva);

    /// <summary>c7,c5,2: invalidate an instruction-cache line by set and way.</summary>
    void InvalidateInstructionLineBySetWay(uint setWay);

    /// <summary>c7,c13,1: prefetch the instruction-cache line holding <paramref name="mva"/>.</summary>
    void PrefetchInstructionLine(uint mva);

    /// <summary>c7,c6,0: invalidate the whole data cache (dirty data is lost).</summary>
    void InvalidateDataCache();

    /// <summary>c7,c6,1: invalidate the data-cache line holding <paramref name="mva"/>.</summary>
    void InvalidateDataLine(uint mva);

    /// <summary>c7,c6,2: invalidate a data-cache line by set and way.</summary>
    void InvalidateDataLineBySetWay(uint setWay);

    /// <summary>c7,c10,1: clean the data-cache line holding <paramref name="mva"/>.</summary>
    void CleanDataLine(uint mva);

    /// <summary>c7,c10,2: clean a data-cache line by set and way.</summary>
    void CleanDataLineBySetWay(uint setWay);

    /// <summary>c7,c14,1: clean and invalidate the data-cache line holding <paramref name="mva"/>.</summary>
    void CleanAndInvalidateDataLine(uint mva);

    /// <summary>c7,c14,2: clean and invalidate a data-cache line by set and way.</summary>
    void CleanAndInvalidateDataLineBySetWay(uint setWay);

    /// <summary>
    /// c7,c10,3 (MRC): test and clean. Cleans at most one dirty line and returns true when the
    /// whole data cache is clean (the register's bit 30, which lands in Z with Rd = R15).
    /// </summary>
    bool TestAndCleanDataCache();

    /// <summary>c7,c14,3 (MRC): as <see cref="TestAndCleanDataCache"/>, and once the cache is clean, invalidate it.</summary>
    bool TestCleanAndInvalidateDataCache();

    /// <summary>c7,c10,4: drain the write buffer.</summary>
    void DrainWriteBuffer();
}

/// <summary>No caches: every operation does nothing and the data cache is always clean.</summary>
internal sealed class NoCacheMaintenance : ICacheMaintenance
{
    public static NoCacheMaintenance Instance { get; } = new();

    public void InvalidateInstructionCache() { }
    public void InvalidateInstructionLine(uint mva) { }
    public void InvalidateInstructionLineBySetWay(uint setWay) { }
    public void PrefetchInstructionLine(uint mva) { }
    public void InvalidateDataCache() { }
    public void InvalidateDataLine(uint mva) { }
    public void InvalidateDataLineBySetWay(uint setWay) { }
    public void CleanDataLine(uint mva) { }
    public void CleanDataLineBySetWay(uint setWay) { }
    public void CleanAndInvalidateDataLine(uint mva) { }
    public void CleanAndInvalidateDataLineBySetWay(uint setWay) { }
    public bool TestAndCleanDataCache() => true;
    public bool TestCleanAndInvalidateDataCache() => true;
    public void DrainWriteBuffer() { }
}
