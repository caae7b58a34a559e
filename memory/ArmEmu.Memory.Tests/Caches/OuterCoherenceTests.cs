using ArmEmu.Memory.Caches;

namespace ArmEmu.Memory.Tests.Caches;

/// <summary>
/// A bus master (DMA, the LCD) on a Cortex-A9 board with a PL310: it reads RAM behind both
/// levels, so a buffer is current only when the driver cleaned L1 (by MVA) and then L2 (by
/// PA, outer_clean_range); the coherence monitor names the store behind a line still dirty
/// in L2 and says whether L1 holds it too. The test plays the CPU (setting the PC) and the
/// bus master (<see cref="PhysicalBus.AnnounceMasterAccess"/>, then reading RAM).
/// </summary>
public class OuterCoherenceTests : IDisposable
{
    private readonly CacheRig _rig = new(CacheRig.CortexA9DataRoundRobin, CacheRig.CortexA9InstructionRoundRobin, Pl310Geometry.Default);
    private uint _pc;

    public OuterCoherenceTests() => _rig.L2.Enabled = true;

    public void Dispose() => _rig.Dispose();

    /// <summary>The driver fills a 64-byte buffer at 0x4000 (two lines) through the caches, word by word, at PCs 0x8000 + 4*i.</summary>
    private void FillBuffer()
    {
        for (uint i = 0; i < 16; i++)
        {
            _pc = 0x8000 + 4 * i;
            _rig.Read32(0x4000 + 4 * i); // read-allocate, so the stores hit L1
            _rig.Write32(0x4000 + 4 * i, 0xB0F0_0000 + i);
        }
        _pc = 0x9000;
    }

    private uint[] DmaRead()
    {
        _rig.Bus.AnnounceMasterAccess(0x4000, 64, write: false);
        return Enumerable.Range(0, 16).Select(i => _rig.Ram32(0x4000 + 4 * (uint)i)).ToArray();
    }

    private static uint[] Expected => Enumerable.Range(0, 16).Select(i => 0xB0F0_0000 + (uint)i).ToArray();

    private void CleanL1() // v7_dma_clean_range: DCCMVAC per line, DSB
    {
        _rig.System.CleanDataByMva(0x4000, toUnification: false);
        _rig.System.CleanDataByMva(0x4020, toUnification: false);
        _rig.System.DataSynchronizationBarrier();
    }

    private void CleanL2() // l2c210_clean_range: CLEAN_LINE_PA per line, CACHE_SYNC
    {
        _rig.L2.ByPhysicalAddress(0x4000, OuterCache.Operation.Clean);
        _rig.L2.ByPhysicalAddress(0x4020, OuterCache.Operation.Clean);
        _rig.L2.Synchronize();
    }

    [Fact]
    public void DmaRead_WithL1CleanedButNotL2_IsStale()
    {
        FillBuffer();
        CleanL1();

        Assert.Equal(new uint[16], DmaRead()); // RAM still holds the zeros it had
    }

    [Fact]
    public void DmaRead_WithL1AndL2Cleaned_IsCurrent()
    {
        FillBuffer();
        CleanL1();
        CleanL2();

        Assert.Equal(Expected, DmaRead());
    }

    [Fact]
    public void DmaRead_WithThePl310Off_IsCurrentAfterTheL1CleanAlone()
    {
        _rig.L2.Enabled = false;
        FillBuffer();
        CleanL1();

        Assert.Equal(Expected, DmaRead());
    }

    [Fact]
    public void Monitor_NamesTheStoreBehindALineDirtyInL2_AndThatL1StillHoldsIt()
    {
        var stderr = new StringWriter();
        var monitor = new CoherenceMonitor(_rig.System, _rig.Bus, () => _pc, () => 99, stderr);
        FillBuffer();
        CleanL1();

        DmaRead();

        Assert.Equal(2, monitor.Reports.Count); // one per line
        var first = monitor.Reports[0];
        Assert.Equal(CoherenceHazard.DmaReadOfDirtyOuterLine, first.Hazard);
        Assert.Equal(0x801Cu, first.Pc);    // the last store into the first line (word 7)
        Assert.Equal(0x4000u, first.PhysicalAddress);
        Assert.Contains("L1 also holds it", first.Message);
        Assert.Equal(0x803Cu, monitor.Reports[1].Pc);
        Assert.Equal(0x4020u, monitor.Reports[1].PhysicalAddress);
        Assert.StartsWith("armemu: coherence: DmaReadOfDirtyOuterLine at pc 0x0000801c (instruction 99): va 0x00004000, pa 0x00004000:",
            stderr.ToString());
    }

    [Fact]
    public void Monitor_SaysWhenL1NoLongerHoldsTheLine()
    {
        var monitor = new CoherenceMonitor(_rig.System, _rig.Bus, () => _pc, () => 0, null);
        FillBuffer();
        _rig.System.CleanAndInvalidateDataByMva(0x4000); // DCCIMVAC: gone from L1, dirty in L2
        _rig.System.CleanAndInvalidateDataByMva(0x4020);

        DmaRead();

        Assert.All(monitor.Reports, r => Assert.Equal(CoherenceHazard.DmaReadOfDirtyOuterLine, r.Hazard));
        Assert.All(monitor.Reports, r => Assert.Contains("L1 no longer holds it", r.Message));
    }

    [Fact]
    public void Monitor_ReportsTheL1LineWhileItIsDirtyThere_AndNothingOnceBothAreClean()
    {
        var monitor = new CoherenceMonitor(_rig.System, _rig.Bus, () => _pc, () => 0, null);
        FillBuffer();

        DmaRead();
        Assert.All(monitor.Reports, r => Assert.Equal(CoherenceHazard.DmaReadOfDirtyLine, r.Hazard));
        int before = monitor.Reports.Count;

        CleanL1();
        CleanL2();
        DmaRead();

        Assert.Equal(2, before);
        Assert.Equal(before, monitor.Reports.Count);
    }

    [Fact]
    public void Monitor_ReportsADmaWriteUnderAnL2Line()
    {
        var monitor = new CoherenceMonitor(_rig.System, _rig.Bus, () => _pc, () => 0, null);
        _rig.Write32(0x7000, 1); // L1 does not allocate: the line is in L2 only
        _pc = 0xA000;

        _rig.Bus.AnnounceMasterAccess(0x7000, 4, write: true);

        var report = Assert.Single(monitor.Reports);
        Assert.Equal(CoherenceHazard.DmaWriteUnderCachedLine, report.Hazard);
        Assert.Equal(0xA000u, report.Pc);
        Assert.Contains("L2 cache", report.Message);
    }
}
