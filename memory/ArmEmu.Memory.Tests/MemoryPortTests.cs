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
