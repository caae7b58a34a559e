namespace ArmEmu.Memory.Caches;

/// <summary>Everything a cache counts. Debug (peek) accesses count nothing.</summary>
public sealed class CacheCounters
{
    /// <summary>Reads that reached the cache (fetches, for an instruction cache).</summary>
    public ulong Reads;
    /// <summary>Writes that reached the cache.</summary>
    public ulong Writes;
    /// <summary>Reads served by a line the cache held.</summary>
    public ulong ReadHits;
    /// <summary>Reads the cache did not hold.</summary>
    public ulong ReadMisses;
    /// <summary>Writes to a line the cache held.</summary>
    public ulong WriteHits;
    /// <summary>Writes to a line the cache did not hold.</summary>
    public ulong WriteMisses;
    /// <summary>Lines filled from the level below.</summary>
    public ulong LineFills;
    /// <summary>Dirty lines (or halves) written back, by eviction or by maintenance.</summary>
    public ulong WriteBacks;
    /// <summary>Valid lines replaced to make room for another.</summary>
    public ulong Evictions;
    /// <summary>Maintenance operations (clean, invalidate) the cache carried out.</summary>
    public ulong Maintenance;

    /// <summary>Sets every counter to zero.</summary>
    public void Reset() => Reads = Writes = ReadHits = ReadMisses = WriteHits = WriteMisses = LineFills = WriteBacks = Evictions = Maintenance = 0;
}

/// <summary>
/// Accesses that missed the last cache level (cachegrind's ILmr, DLmr, DLmw): an L1 miss that
/// the outer cache, when it is in the path, missed too; without one in the path, every L1 miss
/// (the line came from memory). Write-backs are not accesses and count nothing here.
/// </summary>
internal sealed class LastLevelCounters
{
    public ulong InstructionReadMisses, DataReadMisses, DataWriteMisses;

    public void Reset() => InstructionReadMisses = DataReadMisses = DataWriteMisses = 0;
}
