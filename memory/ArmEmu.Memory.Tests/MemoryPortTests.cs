namespace ArmEmu.Memory.Tests;

/// <summary>The physical bus and the CPU's memory port: routing, faults, and the fast path's coherence.</summary>
public class MemoryPortTests : IDisposable
{
    private readonly PhysicalBus _bus = new();
    private readonly FlatTranslation _flat = new();
    private readonly MemoryPort _port;
    private readonly RecordingDevice _device = new();

    public MemoryPortTests()
    {
        _bus.AddRam(0, 0x1_0000);
        _bus.AddDevice(0x1000_0000, _device);
        _flat.Map(0, 0x1_0000, Permission.All);
        _flat.Map(0x1000_0000, 0x1000, Permission.Read | Permission.Write);
        _port = new MemoryPort(_bus, _flat);
    }

    public void Dispose()
    {
        _port.Dispose();
        _bus.Dispose();
    }

    [Fact]
    public void RamIsLittleEndianAtEverySize()
    {
        _port.Write32(0x100, 0x1122_3344);
        Assert.Equal(0x44u, _port.Read8(0x100));
        Assert.Equal(0x3344u, _port.Read16(0x100));
        Assert.Equal(0x1122u, _port.Read16(0x102));
        _port.Write8(0x103, 0xAA);
        Assert.Equal(0xAA22_3344u, _port.Read32(0x100));
    }

    [Fact]
    public void AccessStraddlingTwoPagesIsAssembledBytewise()
    {
        _port.Write32(0xFFE, 0xDEAD_BEEF);
        Assert.Equal(0xBEEFu, _port.Read16(0xFFE));
        Assert.Equal(0xDEADu, _port.Read16(0x1000));
        Assert.Equal(0xDEAD_BEEFu, _port.Read32(0xFFE));
    }

    [Fact]
    public void DevicesSeeOffsetSizeAndValue()
    {
        _port.Write16(0x1000_0010, 0xBEEF);
        Assert.Equal((0x10u, 2, 0xBEEFu), _device.LastWrite);
        _device.NextRead = 0x1234_5678;
        Assert.Equal(0x1234_5678u, _port.Read32(0x1000_0020));
        Assert.Equal((0x20u, 4), _device.LastRead);
    }

    [Fact]
    public void DeviceAccessesNeverTakeTheFastPath()
    {
        _port.Read32(0x1000_0000);
        _port.Read32(0x1000_0000);
        Assert.Equal(2, _device.Reads);
    }

    [Fact]
    public void UnmappedAndProtectedAccessesFault()
    {
        var unmapped = Assert.Throws<MemoryFault>(() => _port.Read32(0x2000_0000));
        Assert.Equal((FaultKind.Unmapped, 0x2000_0000u), (unmapped.Kind, unmapped.Address));
        _flat.Protect(0x2000, 0x1000, Permission.Read);
        var denied = Assert.Throws<MemoryFault>(() => _port.Write32(0x2004, 1));
        Assert.Equal(FaultKind.Permission, denied.Kind);
        Assert.True((denied.Access & AccessKind.Write) != 0);
    }

    [Fact]
    public void TheFastPathForgetsAPageWhenItsRightsChange()
    {
        _port.Write32(0x3000, 1); // fills the write fast path for the page
        _flat.Protect(0x3000, 0x1000, Permission.Read);
        Assert.Throws<MemoryFault>(() => _port.Write32(0x3000, 2));
        Assert.Equal(1u, _port.Read32(0x3000));
    }

    [Fact]
    public void TheFastPathForgetsAPageWhenItIsUnmapped()
    {
        _port.Read32(0x4000);
        _flat.Unmap(0x4000, 0x1000);
        Assert.Throws<MemoryFault>(() => _port.Read32(0x4000));
    }

    [Fact]
    public void AnObserverSeesEveryAccessEvenOnPagesAlreadyFast()
    {
        _port.Read32(0x5000);
        var seen = new List<(uint, int, AccessKind, uint)>();
        _port.Observer = new Recorder(seen);
        _port.Write32(0x5000, 7);
        _port.Read32(0x5000);
        Assert.Equal(2, seen.Count);
        Assert.Equal((0x5000u, 4, 7u), (seen[1].Item1, seen[1].Item2, seen[1].Item4));
    }

    [Fact]
    public void DebugAccessIgnoresRightsButNotMappings()
    {
        _flat.Protect(0x6000, 0x1000, Permission.None);
        Assert.True(_port.DebugWrite(0x6000, [1, 2, 3]));
        var back = new byte[3];
        Assert.True(_port.DebugRead(0x6000, back));
        Assert.Equal([1, 2, 3], back);
        Assert.False(_port.DebugRead(0x3000_0000, back));
    }

    [Fact]
    public void OverlappingRamIsRejected()
    {
        var e = Assert.Throws<ArgumentException>(() => _bus.AddRam(0x8000, 0x1_0000));
        Assert.Contains("overlaps", e.Message);
    }

    private sealed class Recorder(List<(uint, int, AccessKind, uint)> seen) : IMemoryObserver
    {
        public void OnAccess(uint va, uint pa, int size, AccessKind access, uint value) => seen.Add((va, size, access, value));
    }

    private sealed class RecordingDevice : IMmioDevice
    {
        public uint Size => 0x1000;
        public (uint, int, uint) LastWrite;
        public (uint, int) LastRead;
        public uint NextRead;
        public int Reads;

        public uint Read(uint offset, int size)
        {
            Reads++;
            LastRead = (offset, size);
            return NextRead;
        }

        public void Write(uint offset, int size, uint value) => LastWrite = (offset, size, value);
    }
}

/// <summary>
/// ARMv6/v7 unaligned accesses with the cache model on: an unaligned word that crosses a D-cache
/// line reads and writes the right bytes through both lines (it once overran the line: the first
/// Linux boot with the caches on stopped on one).
/// </summary>
public class MemoryPortUnalignedCachedTests : IDisposable
{
    private readonly PhysicalBus _bus = new();
    private readonly FlatTranslation _flat = new();
    private readonly MemoryPort _port;
    private readonly ArmEmu.Memory.Caches.CacheSystem _caches;

    public MemoryPortUnalignedCachedTests()
    {
        _bus.AddRam(0, 0x1_0000);
        _flat.Map(0, 0x1_0000, Permission.All);
        var config = ArmEmu.Memory.Caches.CacheConfig.CortexA9Data;
        _caches = new ArmEmu.Memory.Caches.CacheSystem(_bus, null, new ArmEmu.Memory.Caches.Cache(config, "L1 D"), () => 0);
        _port = new MemoryPort(_bus, _flat) { Caches = _caches };
    }

    public void Dispose()
    {
        _port.Dispose();
        _bus.Dispose();
    }

    [Theory]
    [InlineData(0x11Eu, 4)]   // two bytes in each of two 32-byte lines
    [InlineData(0x11Fu, 4)]
    [InlineData(0x11Du, 4)]
    [InlineData(0x11Fu, 2)]
    [InlineData(0x102u, 4)]   // unaligned within one line
    public void AnUnalignedAccessAcrossALineSeesAndChangesTheRightBytes(uint address, int size)
    {
        for (uint a = 0x100; a < 0x140; a++) _bus.TryWrite(a, 1, a & 0xFF);
        uint expected = 0;
        for (int i = 0; i < size; i++) expected |= ((address + (uint)i) & 0xFF) << (8 * i);
        Assert.Equal(expected, size == 4 ? _port.Read32(address) : _port.Read16(address));
        Assert.True(_caches.DataCache!.Counters.ReadMisses > 0);                      // it went through the cache

        if (size == 4) _port.Write32(address, 0xA1B2_C3D4); else _port.Write16(address, 0xC3D4);
        Assert.Equal(size == 4 ? 0xA1B2_C3D4u : 0xC3D4u, size == 4 ? _port.Read32(address) : _port.Read16(address));
        Assert.Equal((address - 1) & 0xFF, _port.Read8(address - 1));                  // neighbours untouched
        Assert.Equal((address + (uint)size) & 0xFF, _port.Read8(address + (uint)size));
    }
}
