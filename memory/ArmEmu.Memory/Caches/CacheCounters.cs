namespace ArmEmu.Memory.Caches;

/// <summary>Everything a cache counts. Debug (peek) accesses count nothing.</summary>
public sealed class CacheCounters
{
    public ulong Reads, Writes, ReadHits, ReadMisses, WriteHits, WriteMisses;
    public ulong LineFills, WriteBacks, Evictions, Maintenance;

    public void Reset() => Reads = Writes = ReadHits = ReadMisses = WriteHits = WriteMisses = LineFills = WriteBacks = Evictions = Maintenance = 0;
}
