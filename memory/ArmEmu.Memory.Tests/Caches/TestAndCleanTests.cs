using ArmEmu.Memory.Caches;

namespace ArmEmu.Memory.Tests.Caches;

/// <summary>
/// Test and clean (MRC p15,0,r15,c7,c10,3) and test, clean and invalidate (c7,c14,3), ARM926EJ-S
/// TRM 2.3.8 and 4.3: each execution cleans one dirty line and reports "clean" only when it
/// finds none, so Linux's <c>1: mrc p15,0,r15,c7,c14,3; bne 1b</c> (arch/arm/mm/proc-arm926.S,
/// arm926_flush_kern_cache_all) runs once per dirty line, plus once; the c14 form invalidates
/// the whole D-cache on that last, clean, iteration.
/// </summary>
public class TestAndCleanTests
{
    private static CacheRig DirtyRig(int dirtyLines, int cleanLines)
    {
        var rig = new CacheRig();
        for (int i = 0; i < dirtyLines + cleanLines; i++)
        {
            uint a = 0x1000 + (uint)i * 0x40;
            rig.Read32(a);
            if (i < dirtyLines) rig.Write32(a + (uint)(i % 2) * 0x10, 0xD000_0000 + (uint)i); // alternate halves
        }
        return rig;
    }

    private static int Loop(Func<bool> test)
    {
        int iterations = 0;
        while (true)
        {
            iterations++;
            if (test()) return iterations;
            Assert.True(iterations < 10_000, "test-and-clean never reported clean");
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(9)]
    public void TestAndClean_LoopRunsOncePerDirtyLinePlusOnce(int dirty)
    {
        using var rig = DirtyRig(dirty, cleanLines: 2);

        Assert.Equal(dirty + 1, Loop(rig.System.TestAndCleanDataCache));

        Assert.Equal((ulong)dirty, rig.D.Counters.WriteBacks);
        Assert.Equal((ulong)dirty + 1, rig.D.Counters.Maintenance);
        Assert.Equal(dirty + 2, rig.ValidLines(rig.D));               // c10: lines stay
        Assert.DoesNotContain(Enumerable.Range(0, rig.D.LineCount), l => rig.D.IsDirty(l));
    }

    [Fact]
    public void TestAndClean_WritesTheDirtyDataBack()
    {
        using var rig = DirtyRig(3, 0);
        Loop(rig.System.TestAndCleanDataCache);
        rig.System.DrainWriteBuffer();

        Assert.Equal(0xD000_0000u, rig.Ram32(0x1000));
        Assert.Equal(0xD000_0001u, rig.Ram32(0x1050));
        Assert.Equal(0xD000_0002u, rig.Ram32(0x1080));
    }

    [Fact]
    public void TestAndClean_EachCallCleansExactlyOneLine()
    {
        using var rig = DirtyRig(3, 0);

        Assert.False(rig.System.TestAndCleanDataCache());

        int stillDirty = Enumerable.Range(0, rig.D.LineCount).Count(rig.D.IsDirty);
        Assert.Equal(2, stillDirty);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(4)]
    public void TestCleanInvalidate_LoopRunsOncePerDirtyLinePlusOnce_ThenInvalidatesAll(int dirty)
    {
        using var rig = DirtyRig(dirty, cleanLines: 2);

        Assert.Equal(dirty + 1, Loop(rig.System.TestCleanAndInvalidateDataCache));

        Assert.Equal(0, rig.ValidLines(rig.D));
        Assert.Equal((ulong)dirty, rig.D.Counters.WriteBacks);
    }

    [Fact]
    public void TestCleanInvalidate_InvalidatesOnlyAtTheEnd()
    {
        using var rig = DirtyRig(2, cleanLines: 1);

        Assert.False(rig.System.TestCleanAndInvalidateDataCache());
        Assert.Equal(3, rig.ValidLines(rig.D));
        Assert.False(rig.System.TestCleanAndInvalidateDataCache());
        Assert.Equal(3, rig.ValidLines(rig.D));
        Assert.True(rig.System.TestCleanAndInvalidateDataCache());
        Assert.Equal(0, rig.ValidLines(rig.D));
    }

    [Fact]
    public void TestCleanInvalidate_KeepsTheData_InRamAfterTheDrain()
    {
        // arm926_flush_kern_cache_all: the loop, then "mcr p15, 0, ip, c7, c10, 4" (drain).
        using var rig = DirtyRig(3, 1);
        Loop(rig.System.TestCleanAndInvalidateDataCache);
        rig.System.DrainWriteBuffer();

        Assert.Equal(0xD000_0000u, rig.Ram32(0x1000));
        Assert.Equal(0xD000_0001u, rig.Ram32(0x1050));
        Assert.Equal(0xD000_0002u, rig.Ram32(0x1080));
        Assert.Equal(0xD000_0000u, rig.Read32(0x1000)); // refilled from RAM
    }

    [Fact]
    public void TestAndClean_WithoutADataCache_ReportsClean()
    {
        using var bus = new PhysicalBus();
        var caches = new CacheSystem(bus, null, null, () => 0);

        Assert.True(caches.TestAndCleanDataCache());
        Assert.True(caches.TestCleanAndInvalidateDataCache());
    }
}
