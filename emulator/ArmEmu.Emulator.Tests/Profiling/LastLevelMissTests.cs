using ArmEmu.Emulator.Profiling;
using ArmEmu.Memory.Caches;

namespace ArmEmu.Emulator.Tests.Profiling;

/// <summary>
/// cachegrind's last-level events (ILmr, DLmr, DLmw) on a hand-computed scenario: a 4 KiB
/// direct-mapped read-allocate L1 D-cache (128 sets of 32 bytes; the ARM926's smallest) and a
/// 16 KiB direct-mapped write-allocate L2 (512 sets). Code at 0x10000 (two lines: L2 sets 0 and
/// 1), data from 0x20000100 (L2 sets 8 on), so nothing conflicts in the L2.
/// </summary>
public class LastLevelMissTests
{
    private const uint Code = 0x1_0000, Data = 0x2000_0100;

    // Two passes over 256 lines (8 KiB: twice the L1, half the L2), then 16 stores to fresh lines.
    // Pass 1: 256 L1 misses, 256 L2 misses. Pass 2: the L1 lost every line (line i and i+128 share
    // a set), so 256 L1 misses again; the L2 holds them all: no L2 miss. Stores: the L1 does not
    // allocate on a write, so 16 L1 write misses pass to the L2, which misses 16 times (and
    // allocates). Fetches: the two code lines miss in both levels once.
    private const string Program = """
            mov r1, #256
        1:  ldr r2, [r0], #32
            subs r1, r1, #1
            bne 1b
            sub r0, r0, #8192
            mov r1, #256
        2:  ldr r2, [r0], #32
            subs r1, r1, #1
            bne 2b
            mov r1, #16
        3:  str r2, [r0], #32
            subs r1, r1, #1
            bne 3b
        """;

    private const uint FirstLoad = Code + 4, SecondLoad = Code + 24, Store = Code + 40, End = Code + 52;

    private static (Emulator Emu, ProfilingSession Session) Run(bool l2On)
    {
        var emu = Emulator.Create("arm926");
        var caches = emu.EnableCaches(CacheModelOptions.Arm926 with
        {
            InstructionCache = CacheConfig.Parse("4K,1,32", CacheModelOptions.Arm926.InstructionCache),
            DataCache = CacheConfig.Parse("4K,1,32,wb,ra", CacheModelOptions.Arm926.DataCache),
            OuterCache = CacheConfig.Parse("16K,1,32,wb,wa", CacheModelOptions.Arm926.DataCache),
        });
        caches.OuterCache!.Enabled = l2On;
        emu.MapMemory(Code, 0x1000);
        emu.MapMemory(Data & ~0xFFFu, 0x4000);
        emu.WriteMemory(Code, emu.Assemble(Program, Code));
        emu.WriteRegister("r0", Data);
        var session = new ProfilingSession(emu.Cpu, new CodeMap(), caches);
        Assert.True(emu.Run(Code, until: End).Ok);
        return (emu, session);
    }

    [Fact]
    public void WithTheL2OnTheLastLevelMissesAreTheL2s()
    {
        var (emu, session) = Run(l2On: true);
        using (emu)
        {
            var report = session.Report();
            ulong Total(string name) => report.EventTotals[report.ExtraEvents.ToList().FindIndex(e => e.Name == name)];
            Assert.Equal((2UL, 512UL, 16UL), (Total("I1mr"), Total("D1mr"), Total("D1mw")));
            Assert.Equal((2UL, 256UL, 16UL), (Total("ILmr"), Total("DLmr"), Total("DLmw")));
            // Per instruction: the first pass's load missed both levels, the second pass's only L1.
            var cache = session.Cache!;
            Assert.Equal((256UL, 256UL), (cache.CostAt(FirstLoad, CacheProfile.DataReadMisses), cache.CostAt(FirstLoad, CacheProfile.LastLevelDataReadMisses)));
            Assert.Equal((256UL, 0UL), (cache.CostAt(SecondLoad, CacheProfile.DataReadMisses), cache.CostAt(SecondLoad, CacheProfile.LastLevelDataReadMisses)));
            Assert.Equal((16UL, 16UL), (cache.CostAt(Store, CacheProfile.DataWriteMisses), cache.CostAt(Store, CacheProfile.LastLevelDataWriteMisses)));
            // The cache system's own counters (--stats) say the same.
            var ll = emu.Caches!.LastLevel;
            Assert.Equal((2UL, 256UL, 16UL), (ll.InstructionReadMisses, ll.DataReadMisses, ll.DataWriteMisses));
            // The L2's own counters include the pass-1 misses and the stores; its write-backs are not accesses.
            Assert.Equal(2UL + 256, emu.Caches.OuterCache!.Counters.ReadMisses);
        }
    }

    [Fact]
    public void WithTheL2OffTheL1IsTheLastLevel()
    {
        var (emu, session) = Run(l2On: false);
        using (emu)
        {
            var report = session.Report();
            ulong Total(string name) => report.EventTotals[report.ExtraEvents.ToList().FindIndex(e => e.Name == name)];
            Assert.Equal((2UL, 512UL, 16UL), (Total("ILmr"), Total("DLmr"), Total("DLmw")));
            Assert.Equal((Total("I1mr"), Total("D1mr"), Total("D1mw")), (Total("ILmr"), Total("DLmr"), Total("DLmw")));
            var ll = emu.Caches!.LastLevel;
            Assert.Equal((2UL, 512UL, 16UL), (ll.InstructionReadMisses, ll.DataReadMisses, ll.DataWriteMisses));
            Assert.Equal(0UL, emu.Caches.OuterCache!.Counters.Reads);
        }
    }
}
