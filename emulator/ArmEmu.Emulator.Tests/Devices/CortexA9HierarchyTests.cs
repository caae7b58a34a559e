using ArmEmu.Emulator.Devices;
using ArmEmu.Memory;
using ArmEmu.Memory.Caches;
using ArmEmu.Memory.Mmu;

namespace ArmEmu.Emulator.Tests.Devices;

/// <summary>
/// The whole Cortex-A9 data path as a driver uses it, without a CPU: loads and stores through
/// the memory port and the VMSAv7 MMU (page attributes decide the levels), the v7 c7 operations
/// on L1, and the PL310 maintained through its registers by device stores at 0x1e00a000, as
/// Linux's dma_map_single does on vexpress-a9 (v7_dma_clean_range, then outer_clean_range).
/// The bus master is the test reading RAM.
/// </summary>
public sealed class CortexA9HierarchyTests : IDisposable
{
    private const uint Ram = 0x6000_0000, Table = Ram + 0x4000, Buffer = Ram + 0x1_0000, Pl310 = 0x1E00_A000;
    private const uint UncachedAlias = 0x7000_0000; // the same RAM as Normal Non-cacheable

    private readonly PhysicalBus _bus = new();
    private readonly ArmV7Mmu _mmu;
    private readonly CacheSystem _caches;
    private readonly MemoryPort _port;

    public CortexA9HierarchyTests()
    {
        _bus.AddRam(Ram, 1 << 20);
        // Sections (ARM ARM B3.5.1): base | TEX [14:12] | AP [11:10] = 3 | C [3] | B [2] | 0b10.
        Section(Ram, Ram, tex: 1, c: true, b: true);        // Normal, outer and inner write-back write-allocate
        Section(UncachedAlias, Ram, tex: 1, c: false, b: false); // Normal, non-cacheable
        Section(0x1E00_0000, 0x1E00_0000, tex: 0, c: false, b: true); // shareable Device
        _mmu = new ArmV7Mmu(_bus) { Ttbr0 = Table, Dacr = 0x5555_5555, Enabled = true };
        _caches = CacheModelOptions.CortexA9.Build(_bus, () => 0)!;
        _caches.WriteBuffer.DrainAfterCycles = ulong.MaxValue;
        _caches.TranslateForMaintenanceV7 = va => _mmu.Translate(va, AccessKind.Read | AccessKind.Privileged);
        _bus.AddDevice(Pl310, new Pl310L2Cache(_caches.OuterCache));
        _port = new MemoryPort(_bus, _mmu) { Caches = _caches };
    }

    public void Dispose()
    {
        _port.Dispose();
        _bus.Dispose();
    }

    private void Section(uint va, uint pa, uint tex, bool c, bool b) =>
        _bus.WriteRam(Table + (va >> 20) * 4, BitConverter.GetBytes(pa & 0xFFF0_0000 | tex << 12 | 3u << 10 | (c ? 8u : 0) | (b ? 4u : 0) | 2));

    private ICacheMaintenanceV7 Cp15 => _caches;

    private void Dsb() => Cp15.DataSynchronizationBarrier();

    /// <summary>l2c_enable: invalidate every way, poll, sync, then set CTRL (with a barrier, as writel's).</summary>
    private void EnablePl310()
    {
        _port.Write32(Pl310 + 0x77C, 0xFF);
        while (_port.Read32(Pl310 + 0x77C) != 0) { }
        _port.Write32(Pl310 + 0x730, 0);
        _port.Write32(Pl310 + 0x100, 1);
        Dsb();
    }

    private void FillBuffer()
    {
        for (uint i = 0; i < 16; i++) _port.Write32(Buffer + 4 * i, 0xB0F0_0000 + i);
    }

    /// <summary>What a DMA master reading the 64-byte buffer from RAM gets.</summary>
    private uint[] DmaRead()
    {
        var bytes = new byte[64];
        Assert.True(_bus.ReadRam(Buffer, bytes));
        return Enumerable.Range(0, 16).Select(i => BitConverter.ToUInt32(bytes, 4 * i)).ToArray();
    }

    private static uint[] Filled => Enumerable.Range(0, 16).Select(i => 0xB0F0_0000 + (uint)i).ToArray();

    private void CleanL1() // v7_dma_clean_range
    {
        Cp15.CleanDataByMva(Buffer, toUnification: false);
        Cp15.CleanDataByMva(Buffer + 0x20, toUnification: false);
        Dsb();
    }

    private void CleanL2() // l2c210_clean_range + cache sync, with the barrier of writel
    {
        _port.Write32(Pl310 + 0x7B0, Buffer);
        _port.Write32(Pl310 + 0x7B0, Buffer + 0x20);
        _port.Write32(Pl310 + 0x730, 0);
        Dsb();
    }

    [Fact]
    public void TheStoresStayInL1_ThenInL2_UntilBothAreCleaned()
    {
        EnablePl310();
        FillBuffer(); // WBWA pages: the A9 L1 allocates on the first store of each line

        Assert.Equal(new uint[16], DmaRead());
        Assert.Equal(2ul, _caches.DataCache!.Counters.LineFills);

        CleanL1();
        Assert.Equal(new uint[16], DmaRead()); // in the PL310 now: stale for the DMA

        CleanL2();
        Assert.Equal(Filled, DmaRead());
        Assert.Equal((2ul, 2ul), (_caches.OuterCache!.Counters.LineFills, _caches.OuterCache.Counters.WriteBacks));
    }

    [Fact]
    public void WithThePl310LeftOff_CleaningL1IsEnough()
    {
        FillBuffer();
        CleanL1();

        Assert.Equal(Filled, DmaRead());
        Assert.Equal(0ul, _caches.OuterCache!.Counters.Reads + _caches.OuterCache.Counters.Writes);
    }

    [Fact]
    public void AnUncachedAliasReadsRam_PastBothLevels()
    {
        EnablePl310();
        FillBuffer();
        CleanL1();

        Assert.Equal(0u, _port.Read32(UncachedAlias + 0x1_0004));      // RAM: the data is in L2
        Assert.Equal(0xB0F0_0001u, _port.Read32(Buffer + 4));         // the cached view
        CleanL2();
        Assert.Equal(0xB0F0_0001u, _port.Read32(UncachedAlias + 0x1_0004));
    }

    [Fact]
    public void MaintenanceByMva_FaultsOnAnUnmappedAddress()
    {
        var fault = Assert.Throws<MemoryFault>(() => Cp15.CleanDataByMva(0x9000_0000, toUnification: false));

        Assert.Equal(0x9000_0000u, fault.Address);
        Assert.Equal(0x5u, fault.Status & 0x40F); // section translation fault
    }
}
