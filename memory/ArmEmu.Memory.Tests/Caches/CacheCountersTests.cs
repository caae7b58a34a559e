using ArmEmu.Memory.Caches;

namespace ArmEmu.Memory.Tests.Caches;

/// <summary>Counters (--stats): exact values for a short scripted sequence on direct-mapped 1 KiB caches.</summary>
public class CacheCountersTests : IDisposable
{
    private readonly CacheRig _rig = new(new CacheConfig(1024, 1, 32), new CacheConfig(1024, 1, 32));

    public void Dispose() => _rig.Dispose();

    [Fact]
    public void DataCache_ScriptedSequence_CountsExactly()
    {
        _rig.Read32(0x100);               // read miss, fill
        _rig.Read32(0x104);               // read hit
        _rig.Write32(0x108, 1);           // write hit, line dirty
        _rig.Write32(0x200, 2);           // write miss (read-allocate): to the write buffer
        _rig.Read32(0x500);               // read miss in 0x100's set: write-back + eviction + fill; drains
        _rig.Read32(0x100);               // read miss: evicts the clean 0x500 line, fill
        _rig.System.CleanDataLine(0x100); // maintenance, nothing dirty
        _rig.System.InvalidateDataCache(); // maintenance

        var c = _rig.D.Counters;
        Assert.Equal(
            (Reads: 4UL, Writes: 2UL, ReadHits: 1UL, ReadMisses: 3UL, WriteHits: 1UL, WriteMisses: 1UL),
            (c.Reads, c.Writes, c.ReadHits, c.ReadMisses, c.WriteHits, c.WriteMisses));
        Assert.Equal(
            (LineFills: 3UL, WriteBacks: 1UL, Evictions: 2UL, Maintenance: 2UL),
            (c.LineFills, c.WriteBacks, c.Evictions, c.Maintenance));

        var wb = _rig.Buffer;
        Assert.Equal((Writes: 2UL, Drains: 1UL, Stalls: 0UL), (wb.Writes, wb.Drains, wb.Stalls));

        var i = _rig.I.Counters;
        Assert.Equal(0UL, i.Reads + i.Writes + i.LineFills + i.Evictions + i.Maintenance);
    }

    [Fact]
    public void InstructionCache_ScriptedSequence_CountsExactly()
    {
        _rig.System.Fetch(0x100, 0x100, 4);          // miss, fill
        _rig.System.Fetch(0x104, 0x104, 4);          // hit
        _rig.System.InvalidateInstructionLine(0x100); // maintenance
        _rig.System.Fetch(0x100, 0x100, 4);          // miss, fill into the emptied way: no eviction
        _rig.System.Fetch(0x500, 0x500, 4);          // miss, eviction, fill

        var i = _rig.I.Counters;
        Assert.Equal(
            (Reads: 4UL, ReadHits: 1UL, ReadMisses: 3UL, LineFills: 3UL, Evictions: 1UL, Maintenance: 1UL, Writes: 0UL, WriteBacks: 0UL),
            (i.Reads, i.ReadHits, i.ReadMisses, i.LineFills, i.Evictions, i.Maintenance, i.Writes, i.WriteBacks));
        Assert.Equal(0UL, _rig.D.Counters.Reads + _rig.D.Counters.Maintenance);
    }

    [Fact]
    public void UncachedAccesses_CountOnlyInTheWriteBuffer()
    {
        _rig.Write32(0x100, 1, CacheRig.BufferablePage);
        _rig.Write32(0x104, 2, CacheRig.BufferablePage); // merges
        _rig.Read32(0x100, CacheRig.NcnbPage);           // drains

        var c = _rig.D.Counters;
        Assert.Equal(0UL, c.Reads + c.Writes + c.LineFills);
        Assert.Equal((2UL, 1UL), (_rig.Buffer.Writes, _rig.Buffer.Drains));
    }

    [Fact]
    public void Reset_ZeroesEveryCounter()
    {
        _rig.Read32(0x100);
        _rig.Write32(0x100, 1);
        _rig.Write32(0x200, 1);
        _rig.Read32(0x500);
        _rig.System.InvalidateDataCache();

        _rig.D.Counters.Reset();

        var c = _rig.D.Counters;
        Assert.Equal(0UL, c.Reads + c.Writes + c.ReadHits + c.ReadMisses + c.WriteHits + c.WriteMisses
                          + c.LineFills + c.WriteBacks + c.Evictions + c.Maintenance);
    }
}
