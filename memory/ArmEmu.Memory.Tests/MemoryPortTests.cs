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
    public unsafe void StoresToAWatchedCodePage_LeaveTheFastPath_AndAreCounted()
    {
        _port.Write32(0x2000, 1); // the page is on the write fast path now
        _port.Write32(0x3000, 1);
        int before = _bus.CodeWrites;
        _port.Write32(0x2004, 2);
        _port.Write32(0x3004, 2);
        Assert.Equal(before, _bus.CodeWrites); // fast-path stores are not counted

        bool flushed = false;
        _port.FastPathFlushed += () => flushed = true;
        _bus.WatchCode(_bus.RamPage(0x2000));
        Assert.True(flushed); // the fast path may have pointed into the page: emptied
        _port.Write32(0x3008, 3); // back on the fast path (slow once: counted)
        before = _bus.CodeWrites;
        _port.Write32(0x300C, 3);
        Assert.Equal(before, _bus.CodeWrites);
        for (uint k = 0; k < 3; k++) _port.Write32(0x2008 + 4 * k, k); // the watched page: every store counted
        _port.Write8(0x2010, 7);
        Assert.Equal(before + 4, _bus.CodeWrites);
        Assert.Equal(7u, _port.Read8(0x2010));
        Assert.Equal(1u, _port.Read32(0x200C));

        _bus.WriteRam(0x4000, [1, 2, 3, 4]); // another master's write
        Assert.Equal(before + 5, _bus.CodeWrites);
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
    public void DebugWriteIsAllOrNothing()
    {
        // The range runs from mapped RAM into an unmapped page: false, and not a byte written.
        _flat.Unmap(0xF000, 0x1000);
        byte[] bytes = Enumerable.Range(1, 0x40).Select(i => (byte)i).ToArray();
        Assert.False(_port.DebugWrite(0xEFE0, bytes));
        var back = new byte[0x20];
        Assert.True(_port.DebugRead(0xEFE0, back));
        Assert.All(back, b => Assert.Equal(0, b));
    }

    [Fact]
    public void DebugWriteAcrossPagesAndLinesIsCoherentWithTheCaches()
    {
        // Lines of both pages are in the D-cache (write-back, one of them dirty) before the write:
        // they must take the new bytes, or a later load would hit a stale line.
        var caches = new ArmEmu.Memory.Caches.CacheSystem(_bus, new ArmEmu.Memory.Caches.Cache(new ArmEmu.Memory.Caches.CacheConfig(), "I"), new ArmEmu.Memory.Caches.Cache(new ArmEmu.Memory.Caches.CacheConfig(), "D"), () => 0);
        _port.Caches = caches;
        Assert.Equal(0u, _port.Read32(0x1FE0));
        _port.Write32(0x2020, 0xDEAD_BEEF);
        byte[] bytes = Enumerable.Range(0, 0x90).Select(i => (byte)(0x80 + i)).ToArray();
        Assert.True(_port.DebugWrite(0x1FD0, bytes));
        for (uint offset = 0; offset < bytes.Length; offset += 4)
            Assert.Equal(BitConverter.ToUInt32(bytes, (int)offset), _port.Read32(0x1FD0 + offset));
        var ram = new byte[bytes.Length];
        Assert.True(_bus.ReadRam(0x1FD0, ram));
        Assert.Equal(bytes, ram);
        var debug = new byte[bytes.Length];
        Assert.True(_port.DebugRead(0x1FD0, debug));
        Assert.Equal(bytes, debug);
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

/// <summary>
/// The fast path of a PIPT D-cache (the Cortex-A9's): a page translated once remembers its
/// physical page, so hits are served without translating again; a new mapping (the translator's
/// TranslationsChanged, as a TLB invalidation raises it) makes the port translate afresh.
/// </summary>
public class MemoryPortPhysicallyIndexedFastPathTests : IDisposable
{
    private sealed class OffsetTranslation : IAddressTranslator
    {
        public uint Offset;
        public int Translations;

        public event Action? TranslationsChanged;

        public uint Translate(uint va, AccessKind access)
        {
            Translations++;
            return va + Offset;
        }

        public void Remap(uint offset)
        {
            Offset = offset;
            TranslationsChanged?.Invoke();
        }
    }

    private readonly PhysicalBus _bus = new();
    private readonly OffsetTranslation _mmu = new() { Offset = 0x1_0000 };
    private readonly MemoryPort _port;
    private readonly ArmEmu.Memory.Caches.CacheSystem _caches;

    public MemoryPortPhysicallyIndexedFastPathTests()
    {
        _bus.AddRam(0, 0x4_0000);
        _caches = new ArmEmu.Memory.Caches.CacheSystem(_bus, null,
            new ArmEmu.Memory.Caches.Cache(ArmEmu.Memory.Caches.CacheConfig.CortexA9Data, "L1 D"), () => 0);
        _port = new MemoryPort(_bus, _mmu) { Caches = _caches };
    }

    public void Dispose()
    {
        _port.Dispose();
        _bus.Dispose();
    }

    [Fact]
    public void HitsAreServedFromTheRememberedPhysicalPage_UntilTheMappingChanges()
    {
        _bus.TryWrite(0x1_0100, 4, 0x1111_1111);
        _bus.TryWrite(0x2_0100, 4, 0x2222_2222);

        Assert.Equal(0x1111_1111u, _port.Read32(0x100));           // miss: translated, filled, remembered
        int translations = _mmu.Translations;
        _port.Write32(0x104, 0xABCD_0000);                          // a write: translated once, remembered
        Assert.Equal(0x1111_1111u, _port.Read32(0x100));           // hits: no translation
        Assert.Equal(0xABCD_0000u, _port.Read32(0x104));
        _port.Write32(0x104, 0xABCD_0001);
        Assert.Equal(translations + 1, _mmu.Translations);
        var d = _caches.DataCache!;
        int line = d.Find(0x1_0100, 0x1_0100);
        Assert.True(line >= 0 && d.IsDirty(line));                  // the write hit the line of the physical address
        Assert.Equal(0u, _bus.TryRead(0x1_0104, 4, out uint ram) ? ram : 1);  // write-back: RAM not yet written

        _mmu.Remap(0x2_0000);                                       // the same page now maps elsewhere
        Assert.Equal(0x2222_2222u, _port.Read32(0x100));
        Assert.True(_mmu.Translations > translations + 1);
    }
}
