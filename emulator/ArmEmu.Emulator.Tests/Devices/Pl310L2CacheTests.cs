using ArmEmu.Emulator.Devices;
using ArmEmu.Memory;
using ArmEmu.Memory.Caches;

namespace ArmEmu.Emulator.Tests.Devices;

/// <summary>
/// The PL310 register front-end (DDI 0246 table 3-1) mapped where vexpress-a9 has it, driven
/// through the bus as the CPU's device accesses are, in front of a Cortex-A9 cache system
/// whose PL310 is QEMU's: 8 ways of 16 KiB (512 sets, set = PA[13:5]), round-robin.
/// </summary>
public sealed class Pl310L2CacheTests : IDisposable
{
    private const uint Base = 0x1E00_A000, Ram = 0x6000_0000;

    private readonly PhysicalBus _bus = new();
    private readonly CacheSystem _caches;
    private readonly StringWriter _trace = new();
    private readonly Pl310L2Cache _pl310;

    public Pl310L2CacheTests()
    {
        _bus.AddRam(Ram, 0x10_0000);
        _caches = (CacheModelOptions.CortexA9 with
        {
            InstructionCache = CacheConfig.CortexA9Instruction with { Replacement = ReplacementPolicy.RoundRobin },
            DataCache = CacheConfig.CortexA9Data with { Replacement = ReplacementPolicy.RoundRobin },
        }).Build(_bus, () => 0)!;
        _caches.WriteBuffer.DrainAfterCycles = ulong.MaxValue;
        _pl310 = new Pl310L2Cache(_caches.OuterCache, new MmioTrace(_trace));
        _bus.AddDevice(Base, _pl310);
    }

    public void Dispose() => _bus.Dispose();

    private OuterCache L2 => _caches.OuterCache!;

    private uint R(uint offset) => _bus.TryRead(Base + offset, 4, out uint v) ? v : throw new InvalidOperationException("no device");

    private void W(uint offset, uint value) => Assert.True(_bus.TryWrite(Base + offset, 4, value));

    private uint RamWord(uint pa) => _bus.TryRead(pa, 4, out uint v) ? v : throw new InvalidOperationException("no RAM");

    /// <summary>A store the L1 does not allocate for (write-back page, no write-allocate): it lands dirty in L2.</summary>
    private void StoreIntoL2(uint pa, uint value) => _caches.Write(pa, pa, 4, value, PageAttributes.Normal);

    [Fact]
    public void IdAndType_AreQemusValues_AndReadOnly()
    {
        Assert.Equal(0x4100_00C8u, R(0x000));
        Assert.Equal(0x1C10_0100u, R(0x004)); // way-size code 1 << 2, 8 ways: bits QEMU's base already has

        W(0x000, 0);
        W(0x004, 0);

        Assert.Equal(0x4100_00C8u, R(0x000));
        Assert.Equal(0x1C10_0100u, R(0x004));
    }

    [Fact]
    public void Control_Bit0_PutsTheCacheInThePath()
    {
        Assert.Equal(0u, R(0x100));
        Assert.False(L2.Enabled);

        W(0x100, 0xFFFF_FFFF);
        Assert.Equal(1u, R(0x100));
        Assert.True(L2.Enabled);

        W(0x100, 0);
        Assert.False(L2.Enabled);
    }

    [Fact]
    public void AuxiliaryControl_SetsTheGeometryWhileOff_AndIsIgnoredWhileOn()
    {
        Assert.Equal(0x0202_0000u, R(0x104));

        W(0x104, 1u << 16 | 3u << 17); // 16 ways of 64 KiB, pseudo-random
        Assert.Equal(0x0007_0000u, R(0x104));
        Assert.Equal((16, 2048, ReplacementPolicy.Random), (L2.Cache.Ways, L2.Cache.Sets, L2.Cache.Config.Replacement));
        // CACHE_TYPE follows: code (3 << 2) | 1 = 13 at bit 18 and bit 6.
        Assert.Equal(0x1C34_0340u, R(0x004));

        W(0x100, 1);
        W(0x104, 0x0202_0000);
        Assert.Equal(0x0007_0000u, R(0x104));
        Assert.Equal(16, L2.Cache.Ways);
    }

    public enum Operand { PhysicalAddress, IndexWay, WayMask }

    [Theory]
    [InlineData(0x7B0u, Operand.PhysicalAddress, true, true)]   // CLEAN_LINE_PA
    [InlineData(0x770u, Operand.PhysicalAddress, false, false)] // INV_LINE_PA
    [InlineData(0x7F0u, Operand.PhysicalAddress, false, true)]  // CLEAN_INV_LINE_PA
    [InlineData(0x7B8u, Operand.IndexWay, true, true)]          // CLEAN_LINE_IDX
    [InlineData(0x7F8u, Operand.IndexWay, false, true)]         // CLEAN_INV_LINE_IDX
    [InlineData(0x7BCu, Operand.WayMask, true, true)]           // CLEAN_WAY
    [InlineData(0x77Cu, Operand.WayMask, false, false)]         // INV_WAY
    [InlineData(0x7FCu, Operand.WayMask, false, true)]          // CLEAN_INV_WAY
    public void MaintenanceRegisters_ActOnTheNamedLine_AndCacheSyncDrainsIt(uint offset, Operand kind, bool stillCached, bool written)
    {
        const uint Target = Ram + 0x1000; // set 0x3000080 & 0x1ff = 0x80
        W(0x100, 1);
        _caches.Read(Ram, Ram, 4, PageAttributes.Normal); // fill 1: set 0, way 0 (clean)
        StoreIntoL2(Target, 0xABCD_0001);                   // fill 2: set 0x80, way 1, dirty
        int line = L2.Cache.Find(Target, Target);
        Assert.Equal((0x80, 1), (L2.Cache.SetOfLine(line), L2.Cache.WayOfLine(line)));
        uint operand = kind switch
        {
            Operand.PhysicalAddress => Target + 8, // any byte of the line
            Operand.IndexWay => 1u << 28 | 0x80u << 5,
            _ => 1u << 1,
        };

        W(offset, operand);
        Assert.Equal(0u, R(offset)); // complete at once: what Linux polls for reads 0
        Assert.Equal(0u, RamWord(Target)); // a clean only reaches the write buffer ...
        W(0x730, 0);                        // ... until CACHE_SYNC

        Assert.Equal(stillCached, L2.Cache.IsValid(line));
        Assert.Equal(written ? 0xABCD_0001u : 0u, RamWord(Target));
        Assert.True(L2.Cache.IsValid(L2.Cache.Find(Ram, Ram))); // way 0 untouched
    }

    [Theory]
    [InlineData(0x7B0u, Operand.PhysicalAddress)]
    [InlineData(0x770u, Operand.PhysicalAddress)]
    [InlineData(0x7F0u, Operand.PhysicalAddress)]
    [InlineData(0x7B8u, Operand.IndexWay)]
    [InlineData(0x7F8u, Operand.IndexWay)]
    [InlineData(0x7BCu, Operand.WayMask)]
    [InlineData(0x77Cu, Operand.WayMask)]
    [InlineData(0x7FCu, Operand.WayMask)]
    public void IgnoreMaintenance_LeavesTheLineAsItWas_ButCacheSyncStillDrains(uint offset, Operand kind)
    {
        const uint Target = Ram + 0x1000;
        _pl310.IgnoreMaintenance = true;
        W(0x100, 1);
        StoreIntoL2(Target, 0xABCD_0001);
        int line = L2.Cache.Find(Target, Target);
        uint operand = kind switch
        {
            Operand.PhysicalAddress => Target,
            Operand.IndexWay => (uint)L2.Cache.WayOfLine(line) << 28 | 0x80u << 5,
            _ => 0xFFu,
        };

        W(offset, operand);
        W(0x730, 0);

        Assert.True(L2.Cache.IsValid(line));
        Assert.True(L2.Cache.IsDirty(line));
        Assert.Equal(0u, RamWord(Target));
        Assert.Equal(0UL, L2.Counters.Maintenance);
    }

    [Fact]
    public void UnknownAtReset_EveryLineHoldsSomeLineOfRam_UntilLinuxsInvalidateAllWays()
    {
        L2.FillUnknown(seed: 5, Ram, 0x10_0000);
        var cache = L2.Cache;
        int dirty = 0;
        for (int line = 0; line < cache.LineCount; line++)
        {
            Assert.True(cache.IsValid(line));
            uint pa = cache.PhysicalAddress(line);
            Assert.InRange(pa, Ram, Ram + 0x10_0000 - 1);
            Assert.Equal(line, cache.Find(pa, pa)); // indexed where its address says, one line per address
            if (cache.IsDirty(line)) dirty++;
        }
        Assert.InRange(dirty, cache.LineCount / 4, 3 * cache.LineCount / 4);
        Assert.Equal(0UL, L2.Counters.LineFills);

        // Enabled as it is, a read of RAM may hit a line that RAM never held.
        W(0x100, 1);
        uint garbage = cache.PhysicalAddress(0);
        uint held = BitConverter.ToUInt32(cache.Data(0)[..4]);
        Assert.NotEqual(0u, held); // seeded: this seed's first word is not zero
        Assert.Equal(held, _caches.Read(garbage, garbage, 4, PageAttributes.Normal));
        Assert.Equal(0u, RamWord(garbage));

        // What cache-l2x0.c does before it sets CTRL: INV_WAY of every way, then sync. Nothing dirty reaches RAM.
        W(0x100, 0);
        W(0x77C, 0xFF);
        W(0x730, 0);
        for (int line = 0; line < cache.LineCount; line++) Assert.False(cache.IsValid(line));
        Assert.Equal(0u, RamWord(garbage));
    }

    [Fact]
    public void UnknownAtReset_SurvivesANewGeometry()
    {
        L2.FillUnknown(seed: 5, Ram, 0x10_0000);
        W(0x104, 1u << 16 | 3u << 17); // 16 ways of 64 KiB while off
        Assert.Equal(16, L2.Cache.Ways);
        Assert.True(L2.Cache.IsValid(0));
        Assert.True(L2.Cache.IsValid(L2.Cache.LineCount - 1));
    }

    [Fact]
    public void OperationBlock_ReadsZero()
    {
        for (uint offset = 0x730; offset < 0x800; offset += 4) Assert.Equal(0u, R(offset));
    }

    [Fact]
    public void LockdownByWay_Master0LocksTheCache_OthersAreKept()
    {
        W(0x900, 0xFFFF_FFFE); // D: 16 bits kept
        W(0x904, 0x7F);        // I
        W(0x908, 0x3);         // master 1's D lockdown

        Assert.Equal((0xFFFEu, 0x7Fu, 0x3u), (R(0x900), R(0x904), R(0x908)));
        Assert.Equal((0xFFFEu, 0x7Fu), (L2.DataLockdown, L2.InstructionLockdown));

        W(0x100, 1);
        StoreIntoL2(Ram + 0x100, 1);
        StoreIntoL2(Ram + 0x4100, 2); // same set: way 0 is the only one allowed, so it evicts the first
        W(0x730, 0);
        Assert.Equal(1u, RamWord(Ram + 0x100));
        Assert.Equal(0, L2.Cache.WayOfLine(L2.Cache.Find(Ram + 0x4100, Ram + 0x4100)));
    }

    [Fact]
    public void DebugControl_DclAndDwb_SpnidenReadsZero()
    {
        W(0xF40, 0x7);

        Assert.Equal(0x3u, R(0xF40));
        Assert.True(L2.LineFillsDisabled);
        Assert.True(L2.WriteBackDisabled);

        W(0xF40, 0);
        Assert.False(L2.LineFillsDisabled || L2.WriteBackDisabled);
    }

    [Theory]
    [InlineData(0x108u)] // tag RAM latency
    [InlineData(0x10Cu)] // data RAM latency
    [InlineData(0x200u)] // event counter control
    [InlineData(0x214u)] // interrupt mask
    [InlineData(0x950u)] // lock line enable
    [InlineData(0xC00u)] // address filtering start
    [InlineData(0xC04u)] // address filtering end
    [InlineData(0xF60u)] // prefetch control
    [InlineData(0xF80u)] // power control
    public void PlainRegisters_ReadBackWhatWasWritten(uint offset)
    {
        Assert.Equal(0u, R(offset));

        W(offset, 0x1234_5670 | offset);

        Assert.Equal(0x1234_5670 | offset, R(offset));
        Assert.Equal("", _trace.ToString());
    }

    [Fact]
    public void UnknownOffsets_ReadZero_IgnoreWrites_AndAreTracedOnce()
    {
        W(0x500, 0xFFFF_FFFF);
        Assert.Equal(0u, R(0x500));
        Assert.Equal(0u, R(0x500));

        Assert.Equal(
            "armemu: pl310: write to unimplemented register at offset 0x500\n" +
            "armemu: pl310: read of unimplemented register at offset 0x500\n",
            _trace.ToString().ReplaceLineEndings("\n"));
    }

    [Fact]
    public void Reset_TurnsItOffAndForgetsLockdownAndDebugControl()
    {
        W(0x100, 1);
        W(0x900, 0xF);
        W(0xF40, 3);
        W(0x108, 0x111);

        _pl310.Reset();

        Assert.Equal((0u, 0u, 0u, 0u), (R(0x100), R(0x900), R(0xF40), R(0x108)));
        Assert.False(L2.Enabled || L2.LineFillsDisabled || L2.WriteBackDisabled);
        Assert.Equal(0u, L2.DataLockdown);
    }

    [Fact]
    public void WithoutACacheModel_ItIsRegistersOnly()
    {
        using var bus = new PhysicalBus();
        var pl310 = new Pl310L2Cache(null);

        pl310.Write(0x100, 4, 1);
        pl310.Write(0x7FC, 4, 0xFF);

        Assert.Equal(1u, pl310.Read(0x100, 4));
        Assert.Equal(0x0202_0000u, pl310.Read(0x104, 4));
        Assert.Equal(0u, pl310.Read(0x7FC, 4));
    }

    [Fact]
    public void AnL2CacheGeometry_BecomesTheAuxiliaryControlResetValue()
    {
        var config = CacheConfig.Parse("256K,16,32,rr", Pl310Geometry.Default); // 16 ways of 16 KiB
        using var bus = new PhysicalBus();
        var caches = new CacheSystem(bus, null, null, () => 0, config);

        var pl310 = new Pl310L2Cache(caches.OuterCache);

        Assert.Equal(1u << 16 | 1u << 17 | 1u << 25, pl310.Read(0x104, 4));
        Assert.Equal(config, Pl310Geometry.FromAuxiliaryControl(pl310.Read(0x104, 4)));
    }
}
