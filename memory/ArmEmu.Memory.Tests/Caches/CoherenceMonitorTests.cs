using ArmEmu.Memory.Caches;

namespace ArmEmu.Memory.Tests.Caches;

/// <summary>
/// The coherence monitor (--check-coherence) on a small cache system: each hazard is seen,
/// named with the guilty PC, the virtual and physical address and the instruction count,
/// reported once per line, and nothing is reported where the software did its maintenance.
/// The "CPU" is the test: it sets <see cref="_pc"/> and <see cref="_count"/> before each access,
/// and plays the other bus master with <see cref="PhysicalBus.AnnounceMasterAccess"/>.
/// </summary>
public class CoherenceMonitorTests : IDisposable
{
    private readonly CacheRig _rig;
    private readonly StringWriter _stderr = new();
    private readonly CoherenceMonitor _monitor;
    private uint _pc;
    private ulong _count;

    public CoherenceMonitorTests() : this(null, null) { }

    private CoherenceMonitorTests(CacheConfig? data, CacheConfig? instruction)
    {
        _rig = new CacheRig(data, instruction);
        _monitor = new CoherenceMonitor(_rig.System, _rig.Bus, () => _pc, () => _count, _stderr);
    }

    public void Dispose() => _rig.Dispose();

    private void At(uint pc, ulong count)
    {
        _pc = pc;
        _count = count;
    }

    private void DmaRead(uint pa, int length) => _rig.Bus.AnnounceMasterAccess(pa, length, write: false);

    private void DmaWrite(uint pa, uint value)
    {
        _rig.Bus.AnnounceMasterAccess(pa, 4, write: true);
        _rig.SetRam32(pa, value);
    }

    private string[] StderrLines => _stderr.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);

    // ---- DMA reading a dirty line ----------------------------------------------------------

    [Fact]
    public void DmaReadOfDirtyLine_NamesTheStoreThatDirtiedIt()
    {
        At(0x8000, 10);
        _rig.Read32(0x1000);             // read-allocate: the line comes in
        At(0x8004, 11);
        _rig.Write32(0x1004, 0xD1D1_D1D1); // the guilty store
        At(0x9000, 50);                  // later, the driver starts the DMA
        DmaRead(0x1000, 4);

        var report = Assert.Single(_monitor.Reports);
        Assert.Equal(CoherenceHazard.DmaReadOfDirtyLine, report.Hazard);
        Assert.Equal(0x8004u, report.Pc);
        Assert.Equal(0x1000u, report.VirtualAddress);
        Assert.Equal(0x1000u, report.PhysicalAddress);
        Assert.Equal(50ul, report.Instruction);
        Assert.Equal(
            "armemu: coherence: DmaReadOfDirtyLine at pc 0x00008004 (instruction 50): va 0x00001000, pa 0x00001000: " + report.Message,
            Assert.Single(StderrLines));
    }

    [Fact]
    public void DmaReadOfDirtyLine_IsReportedOncePerLine()
    {
        for (uint a = 0x1000; a < 0x1040; a += 4)
        {
            _rig.Read32(a);
            At(0x8000 + a, a);
            _rig.Write32(a, a);
        }
        At(0x9000, 1000);
        for (int pass = 0; pass < 2; pass++)
            for (uint a = 0x1000; a < 0x1040; a += 4) DmaRead(a, 4); // every word of both lines, twice

        Assert.Equal(new[] { (0x1000u, 0x901Cu), (0x1020u, 0x903Cu) }, _monitor.Reports.Select(r => (r.PhysicalAddress, r.Pc)));
        Assert.All(_monitor.Reports, r => Assert.Equal(CoherenceHazard.DmaReadOfDirtyLine, r.Hazard));
        Assert.Equal(2, StderrLines.Length);
    }

    [Fact]
    public void DmaReadOfTheCleanHalfOfAHalfDirtyLine_IsNotAHazard()
    {
        // The ARM926 keeps a dirty bit per half line (TRM 4.1): only the low half is newer than RAM.
        _rig.Read32(0x1000);
        At(0x8000, 1);
        _rig.Write32(0x1000, 0x1234_5678);
        DmaRead(0x1010, 16); // the high half: RAM is right there

        Assert.Empty(_monitor.Reports);
        DmaRead(0x100C, 8); // straddles into the dirty half
        Assert.Equal(CoherenceHazard.DmaReadOfDirtyLine, Assert.Single(_monitor.Reports).Hazard);
    }

    [Fact]
    public void DmaReadAfterCleanAndDrain_IsNotReported()
    {
        _rig.Read32(0x1000);
        _rig.Write32(0x1000, 0x1234_5678);
        _rig.System.CleanDataLine(0x1000);
        _rig.System.DrainWriteBuffer();
        DmaRead(0x1000, 32);

        Assert.Empty(_monitor.Reports);
        Assert.Equal("", _stderr.ToString());
    }

    [Fact]
    public void DmaReadOfAnAliasInAnotherSet_IsFound()
    {
        // A 1 KiB tiny page can put a line in a set its physical address does not select
        // (VA bits 11:10 differ): the monitor must still find it.
        _rig.System.Read(0x0060_2480, 0x0080, 4, CacheRig.WriteBackPage);
        At(0x8800, 3);
        _rig.System.Write(0x0060_2480, 0x0080, 4, 0xC0C0_C0C0, CacheRig.WriteBackPage);
        DmaRead(0x0080, 4);

        var report = Assert.Single(_monitor.Reports);
        Assert.Equal((CoherenceHazard.DmaReadOfDirtyLine, 0x8800u, 0x0060_2480u, 0x0080u),
            (report.Hazard, report.Pc, report.VirtualAddress, report.PhysicalAddress));
    }

    // ---- DMA reading a store still in the write buffer ---------------------------------------

    [Fact]
    public void DmaReadOfBufferedWrite_IsReportedUntilTheDrain()
    {
        At(0x8000, 7);
        _rig.Write32(0x2000, 0xB0B0_B0B0, CacheRig.BufferablePage); // NCB: the store waits in the buffer
        At(0x8010, 9);
        DmaRead(0x2000, 4);

        // The PC named is the store still waiting in the buffer, not the instruction running at the DMA.
        var report = Assert.Single(_monitor.Reports);
        Assert.Equal((CoherenceHazard.DmaReadOfBufferedWrite, 0x8000u, 0x2000u, 0x2000u, 9ul),
            (report.Hazard, report.Pc, report.VirtualAddress, report.PhysicalAddress, report.Instruction));
        Assert.Equal(0u, _rig.Ram32(0x2000)); // the master did read stale RAM

        _rig.Write32(0x2100, 1, CacheRig.BufferablePage);
        _rig.System.DrainWriteBuffer();
        DmaRead(0x2100, 4);
        Assert.Single(_monitor.Reports);
    }

    [Fact]
    public void CleanWithoutDrain_LeavesTheLineInTheWriteBackBuffer()
    {
        // dma_clean_range without the drain: the line is clean in the cache but its data is
        // still on its way to RAM (the write-back buffer, TRM 8.1).
        _rig.Read32(0x1000);
        _rig.Write32(0x1000, 0x1234_5678);
        _rig.System.CleanDataLine(0x1000);
        At(0x9000, 20);
        DmaRead(0x1000, 4);

        var report = Assert.Single(_monitor.Reports);
        Assert.Equal((CoherenceHazard.DmaReadOfBufferedWrite, 0x1000u), (report.Hazard, report.PhysicalAddress));
    }

    // ---- DMA writing under a cached line -----------------------------------------------------

    [Fact]
    public void DmaWriteUnderADataCacheLine_IsReportedAndTheCpuReadsTheOldCopy()
    {
        _rig.SetRam32(0x3000, 0x0101_0101);
        _rig.Read32(0x3000);
        At(0x8100, 30);
        DmaWrite(0x3004, 0x0202_0202);
        DmaWrite(0x3008, 0x0303_0303); // same line: no second report

        var report = Assert.Single(_monitor.Reports);
        Assert.Equal((CoherenceHazard.DmaWriteUnderCachedLine, 0x8100u, 0x3000u, 0x3000u, 30ul),
            (report.Hazard, report.Pc, report.VirtualAddress, report.PhysicalAddress, report.Instruction));
        Assert.Contains("D-cache", report.Message);
        Assert.Equal(0u, _rig.Read32(0x3004)); // the hazard itself: the CPU still sees the line
    }

    [Fact]
    public void DmaWriteAfterInvalidate_IsNotReported()
    {
        _rig.Read32(0x3000);
        _rig.System.InvalidateDataLine(0x3000);
        DmaWrite(0x3000, 0x0202_0202);

        Assert.Empty(_monitor.Reports);
        Assert.Equal(0x0202_0202u, _rig.Read32(0x3000));
    }

    [Fact]
    public void DmaWriteUnderAnInstructionCacheLine_IsReported()
    {
        _rig.System.Fetch(0x4000, 0x4000, 4);
        At(0x8200, 40);
        DmaWrite(0x4010, 0xE3A0_0002);

        var report = Assert.Single(_monitor.Reports);
        Assert.Equal((CoherenceHazard.DmaWriteUnderCachedLine, 0x4000u), (report.Hazard, report.PhysicalAddress));
        Assert.Contains("I-cache", report.Message);
    }

    // ---- stale instructions --------------------------------------------------------------------

    [Fact]
    public void StaleInstructionFetch_NamesThePatchedInstruction()
    {
        const uint va = 0x4000_0000, pa = 0x5000;
        _rig.SetRam32(pa, 0xE3A0_0001);              // mov r0, #1
        Assert.Equal(0xE3A0_0001u, _rig.System.Fetch(va, pa, 4)); // the I-cache line is filled
        _rig.System.Read(va, pa, 4, CacheRig.WriteBackPage);
        At(0x1_0000, 100);
        _rig.System.Write(va, pa, 4, 0xE3A0_0002, CacheRig.WriteBackPage); // the JIT patches it: dirty in D
        Assert.Empty(_monitor.Reports);

        At(va, 120);
        Assert.Equal(0xE3A0_0001u, _rig.System.Fetch(va, pa, 4)); // the old code runs
        _rig.System.Fetch(va, pa, 4);                              // and again: one report

        var report = Assert.Single(_monitor.Reports);
        Assert.Equal((CoherenceHazard.StaleInstructionFetch, va, va, pa, 120ul),
            (report.Hazard, report.Pc, report.VirtualAddress, report.PhysicalAddress, report.Instruction));
        Assert.Contains("fetched 0xe3a00001 but memory now holds 0xe3a00002", report.Message);
    }

    [Fact]
    public void FetchAfterCleanDrainAndInvalidate_IsNotReported()
    {
        const uint va = 0x4000_0000, pa = 0x5000;
        _rig.SetRam32(pa, 0xE3A0_0001);
        _rig.System.Fetch(va, pa, 4);
        _rig.System.Read(va, pa, 4, CacheRig.WriteBackPage);
        _rig.System.Write(va, pa, 4, 0xE3A0_0002, CacheRig.WriteBackPage);
        // __clear_cache: arm926_coherent_user_range cleans D, invalidates I, drains.
        _rig.System.CleanDataLine(va);
        _rig.System.InvalidateInstructionLine(va);
        _rig.System.DrainWriteBuffer();

        Assert.Equal(0xE3A0_0002u, _rig.System.Fetch(va, pa, 4));
        Assert.Empty(_monitor.Reports);
    }

    [Fact]
    public void FetchOfCodeADmaWroteIsNotStaleBecauseOfACleanDataCacheCopy()
    {
        // The D-cache holds an old clean copy; DMA writes new code to RAM; the I-cache, invalidated,
        // fetches the new code from RAM. The instruction is right: it is the D-side copy that is old.
        const uint pa = 0x6000;
        _rig.SetRam32(pa, 0xE3A0_0001);
        _rig.Read32(pa);
        DmaWrite(pa, 0xE3A0_0002);
        Assert.Equal(0xE3A0_0002u, _rig.System.Fetch(pa, pa, 4));

        Assert.Equal(new[] { CoherenceHazard.DmaWriteUnderCachedLine }, _monitor.Reports.Select(r => r.Hazard));
    }

    [Fact]
    public void FetchWithTheNewCodeStillInTheWriteBuffer_IsStale()
    {
        // Cleaned but not drained: the I-cache refill reads RAM, which the write-back buffer has not reached.
        const uint pa = 0x7000;
        _rig.SetRam32(pa, 0xE3A0_0001);
        _rig.Read32(pa);
        _rig.Write32(pa, 0xE3A0_0002);
        _rig.System.CleanDataLine(pa);

        Assert.Equal(0xE3A0_0001u, _rig.System.Fetch(pa, pa, 4));
        Assert.Equal(CoherenceHazard.StaleInstructionFetch, Assert.Single(_monitor.Reports).Hazard);
    }

    // ---- virtual aliases ---------------------------------------------------------------------

    [Fact]
    public void DivergentAliases_NamesBothAliasesAndTheStore()
    {
        const uint a = 0x0060_0040, b = 0x0060_1040, pa = 0x5040;
        _rig.System.Read(a, pa, 4, CacheRig.WriteBackPage);
        _rig.System.Read(b, pa, 4, CacheRig.WriteBackPage);
        Assert.Empty(_monitor.Reports); // both copies agree
        At(0x73C, 62);
        _rig.System.Write(a, pa, 4, 0xA11A_5B0B, CacheRig.WriteBackPage);
        _rig.System.Write(a, pa, 4, 0xA11A_5B0C, CacheRig.WriteBackPage);

        var report = Assert.Single(_monitor.Reports);
        Assert.Equal((CoherenceHazard.DivergentAliases, 0x73Cu, a, pa, 62ul),
            (report.Hazard, report.Pc, report.VirtualAddress, report.PhysicalAddress, report.Instruction));
        Assert.Contains("0x00600040 and 0x00601040", report.Message);
    }

    [Fact]
    public void DivergentAliases_AFillThroughTheSecondAliasOfADirtyLine()
    {
        const uint a = 0x0060_0040, b = 0x0060_1040, pa = 0x5040;
        _rig.System.Read(a, pa, 4, CacheRig.WriteBackPage);
        _rig.System.Write(a, pa, 4, 0xA11A_5B0B, CacheRig.WriteBackPage);
        At(0x900, 5);
        Assert.Equal(0u, _rig.System.Read(b, pa, 4, CacheRig.WriteBackPage)); // B comes in from RAM: old data

        var report = Assert.Single(_monitor.Reports);
        Assert.Equal((CoherenceHazard.DivergentAliases, 0x900u, b), (report.Hazard, report.Pc, report.VirtualAddress));
        Assert.Contains("0x00601040 and 0x00600040", report.Message);
    }

    [Fact]
    public void AliasesKeptCoherentByMaintenance_AreNotReported()
    {
        const uint a = 0x0060_0040, b = 0x0060_1040, pa = 0x5040;
        _rig.System.Read(a, pa, 4, CacheRig.WriteBackPage);
        _rig.System.Write(a, pa, 4, 0xA11A_5B0B, CacheRig.WriteBackPage);
        // flush_dcache_page: write back the writer's alias (and drain) before the other is read.
        _rig.System.CleanAndInvalidateDataLine(a);
        _rig.System.DrainWriteBuffer();
        Assert.Equal(0xA11A_5B0Bu, _rig.System.Read(b, pa, 4, CacheRig.WriteBackPage));

        Assert.Empty(_monitor.Reports);
    }

    // ---- dedupe by the cache's own line size ---------------------------------------------------

    [Fact]
    public void Dedupe_FollowsTheLineSize_64ByteInstructionLines()
    {
        // Two stale words 32 bytes apart are one 64-byte I-cache line: one report, not two.
        using var t = new CoherenceMonitorTests(null, new CacheConfig(LineBytes: 64, Replacement: ReplacementPolicy.RoundRobin));
        t._rig.SetRam32(0x5000, 0xE3A0_0001);
        t._rig.SetRam32(0x5020, 0xE3A0_0001);
        foreach (uint a in new uint[] { 0x5000, 0x5020 })
        {
            t._rig.System.Fetch(a, a, 4);
            t._rig.Read32(a);
            t._rig.Write32(a, 0xE3A0_0002);
        }
        t._rig.System.Fetch(0x5000, 0x5000, 4);
        t._rig.System.Fetch(0x5020, 0x5020, 4);

        var report = Assert.Single(t._monitor.Reports);
        Assert.Equal((CoherenceHazard.StaleInstructionFetch, 0x5000u), (report.Hazard, report.PhysicalAddress));
    }

    [Fact]
    public void Dedupe_FollowsTheLineSize_16ByteLines()
    {
        using var t = new CoherenceMonitorTests(new CacheConfig(LineBytes: 16, Replacement: ReplacementPolicy.RoundRobin), null);
        foreach (uint a in new uint[] { 0x1000, 0x1010 })
        {
            t._rig.Read32(a);
            t._rig.Write32(a, a);
        }
        t.DmaRead(0x1000, 32);

        Assert.Equal(new[] { 0x1000u, 0x1010u }, t._monitor.Reports.Select(r => r.PhysicalAddress));
    }

    [Fact]
    public void DifferentHazardsOnOneLine_AreEachReported()
    {
        _rig.Read32(0x1000);
        _rig.Write32(0x1000, 1);
        DmaRead(0x1000, 4);
        DmaWrite(0x1000, 2);
        DmaRead(0x1000, 4);
        DmaWrite(0x1000, 3);

        Assert.Equal(new[] { CoherenceHazard.DmaReadOfDirtyLine, CoherenceHazard.DmaWriteUnderCachedLine },
            _monitor.Reports.Select(r => r.Hazard));
    }

    // ---- attaching ---------------------------------------------------------------------------

    [Fact]
    public void AttachingTheMonitor_TellsTheMemoryPortToDropItsFastPath()
    {
        // The port serves VIVT D-cache hits by VA and I-cache hits from decoded slots; both would
        // bypass the monitor, so attaching one raises MonitorChanged (the port flushes them).
        using var rig = new CacheRig();
        int raised = 0;
        rig.System.MonitorChanged += () => raised++;
        Assert.True(rig.System.ServesHitsByVirtualAddress(CacheRig.WriteBackPage, 0x1000));
        _ = new CoherenceMonitor(rig.System, rig.Bus, () => 0, () => 0, null);

        Assert.Equal(1, raised);
        Assert.False(rig.System.ServesHitsByVirtualAddress(CacheRig.WriteBackPage, 0x1000));
    }

    [Fact]
    public void WithoutOutput_ReportsAreStillKept()
    {
        using var rig = new CacheRig();
        var monitor = new CoherenceMonitor(rig.System, rig.Bus, () => 0x100, () => 1, null);
        rig.Read32(0x1000);
        rig.Write32(0x1000, 1);
        rig.Bus.AnnounceMasterAccess(0x1000, 4, write: false);

        Assert.Single(monitor.Reports);
    }
}
