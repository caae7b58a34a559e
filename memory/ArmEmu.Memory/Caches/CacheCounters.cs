namespace ArmEmu.Memory.Caches;

/// <summary>Everything a cache counts. Debug (peek) accesses count nothing.</summary>
public sealed class CacheCounters
{
    public ulong Reads, Writes, ReadHits, ReadMisses, WriteHits, WriteMisses;
    public ulong LineFills, WriteBacks, Evictions, Maintenance;

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
