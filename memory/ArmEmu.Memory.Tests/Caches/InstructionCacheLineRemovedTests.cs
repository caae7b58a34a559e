using ArmEmu.Memory.Caches;

namespace ArmEmu.Memory.Tests.Caches;

/// <summary>
/// The I-cache's LineRemoved callback (the CPU's decoded-instruction cache listens to it) fires
/// exactly when a valid line stops being valid: eviction by a fill, or any invalidation.
/// </summary>
public class InstructionCacheLineRemovedTests : IDisposable
{
    private readonly CacheRig _rig = new(instruction: new CacheConfig(1024, 1, 32)); // direct-mapped: 32 sets
    private readonly List<(uint Index, uint Tag)> _removed = new();

    public InstructionCacheLineRemovedTests()
    {
        _rig.I.LineRemoved = (index, tag) => _removed.Add((index, tag));
    }

    public void Dispose() => _rig.Dispose();

    private void Fetch(uint address) => _rig.System.Fetch(address, address, 4);

    [Fact]
    public void FillOfAnEmptyWay_AndHits_RemoveNothing()
    {
        Fetch(0x100);
        Fetch(0x104);
        Fetch(0x11C);

        Assert.Empty(_removed);
    }

    [Fact]
    public void Eviction_ReportsTheEvictedLine()
    {
        Fetch(0x104);
        Fetch(0x500); // same set of a 1 KiB direct-mapped cache

        Assert.Equal(new[] { (0x100u, 0x100u) }, _removed);
    }

    [Fact]
    public void InvalidateAll_ReportsEachValidLineOnce()
    {
        Fetch(0x100);
        Fetch(0x220);

        _rig.System.InvalidateInstructionCache();
        _rig.System.InvalidateInstructionCache(); // nothing left to report

        Assert.Equal(new[] { (0x100u, 0x100u), (0x220u, 0x220u) }, _removed.OrderBy(r => r.Index));
    }

    [Fact]
    public void InvalidateByMva_ReportsThatLine()
    {
        Fetch(0x100);
        Fetch(0x220);

        _rig.System.InvalidateInstructionLine(0x224);
        _rig.System.InvalidateInstructionLine(0x224);

        Assert.Equal(new[] { (0x220u, 0x220u) }, _removed);
    }

    [Fact]
    public void InvalidateBySetWay_ReportsThatLine()
    {
        Fetch(0x100);

        _rig.System.InvalidateInstructionLineBySetWay(0x100); // direct-mapped: set 8, no way bits
        _rig.System.InvalidateInstructionLineBySetWay(0x120); // empty

        Assert.Equal(new[] { (0x100u, 0x100u) }, _removed);
    }

    [Fact]
    public void Vipt_ReportsVirtualIndexAndPhysicalTag()
    {
        using var rig = new CacheRig(instruction: new CacheConfig(32 * 1024, 2, 32, CacheIndexing.Vipt));
        var removed = new List<(uint, uint)>();
        rig.I.LineRemoved = (index, tag) => removed.Add((index, tag));
        rig.System.Fetch(0x1040, 0x9040, 4);

        rig.System.InvalidateInstructionCache();

        Assert.Equal(new[] { (0x1040u, 0x9040u) }, removed);
    }
}
