using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace ArmEmu.Memory;

/// <summary>
/// The physical address space: RAM regions (native byte arrays, so the CPU's
/// fast path and other bus masters can hold raw pointers into them) and MMIO
/// devices. Bus masters other than the CPU -- DMA, the LCD -- use only this
/// bus: they see RAM, never a cache.
/// </summary>
public sealed unsafe class PhysicalBus : IDisposable
{
    internal const int PageBits = 12;
    internal const uint PageSize = 1u << PageBits;
    internal const uint PageMask = PageSize - 1;
    private const int PageCount = 1 << (32 - PageBits);

    // Host address of each 4 KiB RAM page by physical page number, 0 when not RAM or not looked
    // up yet: an entry is filled on its page's first look-up (RamPageOfRegion), not when the RAM
    // is added. A Linux machine's 1 GiB is 262,144 entries, 2 MiB of table: writing them all was
    // 512 page faults at every start-up, of which a static hello reads a few dozen entries.
    private readonly nint* _ramPages = (nint*)NativeMemory.AllocZeroed((nuint)PageCount, (nuint)sizeof(nint));
    private readonly List<RamRegion> _ram = new();
    private readonly List<DeviceMapping> _devices = new();
    private bool _disposed;

    /// <summary>Raised when a RAM region or device is added or removed: cached translations to host pointers are stale.</summary>
    public event Action? LayoutChanged;

    internal IReadOnlyList<RamRegion> RamRegions => _ram;

    /// <summary>
    /// Bus masters other than the CPU (the DMA controller, the LCD) announce each access
    /// here before making it (physical address, length, write), so the coherence monitor
    /// can compare what they see with what the CPU's caches hold.
    /// </summary>
    public Action<uint, int, bool>? OtherMasterAccess { get; set; }

    /// <summary>What a bus master other than the CPU (a DMA engine, an LCD controller) calls before it reads or writes <paramref name="length"/> bytes at <paramref name="pa"/>, so that the coherence monitor can compare with the caches.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void AnnounceMasterAccess(uint pa, int length, bool write) => OtherMasterAccess?.Invoke(pa, length, write);

    internal IReadOnlyList<DeviceMapping> Devices => _devices;

    // ---- code watch: what a translating CPU engine needs to know about stores -------------------

    // Host RAM pages holding translated code: CPUs' write fast paths leave them out, so every
    // store to them takes a memory port's slow path and is counted (QEMU's TLB_NOTDIRTY idea).
    private readonly HashSet<nint> _codePages = new();

    /// <summary>
    /// Counts writes that may have changed code: every RAM write made through this bus
    /// (<see cref="TryWrite"/>, <see cref="WriteRam"/>) and every store a memory port takes on its
    /// slow path (which every store to a watched page takes). A translated block whose words were
    /// checked at one count need not be checked again while the count stays the same. Writes
    /// through a region's own pointer (<see cref="RamRegion.Bytes"/>) are not counted: their
    /// writers call <see cref="NoteCodeWrite"/> or run while no CPU does (an engine checks its
    /// blocks afresh at the start of each run).
    /// </summary>
    public int CodeWrites => _codeWrites;

    private int _codeWrites;

    /// <summary>A write that may have changed code was made (see <see cref="CodeWrites"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void NoteCodeWrite() => _codeWrites++;

    /// <summary>Raised when a page starts being watched: memory ports drop their write fast paths, which may point into it.</summary>
    public event Action? CodePageWatched;

    /// <summary>
    /// Watches the RAM page at <paramref name="hostPage"/> (a 4 KiB page's host address) because
    /// code translated from it runs: from now on stores to it leave the memory ports' fast path.
    /// </summary>
    public void WatchCode(byte* hostPage)
    {
        if (_codePages.Add((nint)hostPage)) CodePageWatched?.Invoke();
    }

    /// <summary>True when the RAM page at <paramref name="hostPage"/> is watched (<see cref="WatchCode"/>).</summary>
    public bool IsCodePage(nint hostPage) => _codePages.Count != 0 && _codePages.Contains(hostPage);

    /// <summary>Adds zeroed RAM at a page-aligned physical address.</summary>
    internal RamRegion AddRam(uint physicalBase, uint size, string name = "ram")
    {
        CheckPageRange(physicalBase, size);
        if (Overlaps(physicalBase, size))
            throw new ArgumentException($"RAM at 0x{physicalBase:x8}+0x{size:x} overlaps an existing mapping");
        var region = new RamRegion(physicalBase, size, name);
        _ram.Add(region);
        LayoutChanged?.Invoke();
        return region;
    }

    /// <summary>
    /// Adds RAM backed by the caller's memory (<paramref name="host"/>, <paramref name="size"/>
    /// bytes, kept alive and fixed by the caller until the region is removed): what the guest
    /// stores, the caller sees, as Unicorn's uc_mem_map_ptr.
    /// </summary>
    internal RamRegion AddRam(uint physicalBase, uint size, byte* host, string name)
    {
        CheckPageRange(physicalBase, size);
        if (host == null) throw new ArgumentNullException(nameof(host));
        if (Overlaps(physicalBase, size))
            throw new ArgumentException($"RAM at 0x{physicalBase:x8}+0x{size:x} overlaps an existing mapping");
        var region = new RamRegion(physicalBase, size, name, host);
        _ram.Add(region);
        LayoutChanged?.Invoke();
        return region;
    }

    /// <summary>Removes a RAM region (or the whole region containing the range) and frees its storage.</summary>
    internal void RemoveRam(RamRegion region)
    {
        if (!_ram.Remove(region)) throw new ArgumentException("region is not on this bus");
        // Entries of pages looked up so far (the rest are 0 already; writing them is rare enough).
        for (uint off = 0; off < region.Size; off += PageSize)
            _ramPages[(region.Base + off) >> PageBits] = 0;
        LayoutChanged?.Invoke();
        region.Free();
    }

    /// <summary>Maps <paramref name="device"/> at <paramref name="physicalBase"/> for <see cref="IMmioDevice.Size"/> bytes; it must not overlap RAM or another device.</summary>
    public void AddDevice(uint physicalBase, IMmioDevice device)
    {
        if (device.Size == 0 || (ulong)physicalBase + device.Size > 1UL << 32)
            throw new ArgumentException($"device at 0x{physicalBase:x8} has a bad size 0x{device.Size:x}");
        if (Overlaps(physicalBase, device.Size))
            throw new ArgumentException($"device at 0x{physicalBase:x8}+0x{device.Size:x} overlaps an existing mapping");
        _devices.Add(new DeviceMapping(physicalBase, device));
        LayoutChanged?.Invoke();
    }

    /// <summary>Host pointer to the RAM page holding <paramref name="pa"/>, or null if it is not RAM.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public byte* RamPage(uint pa)
    {
        nint page = _ramPages[pa >> PageBits];
        return page != 0 ? (byte*)page : RamPageOfRegion(pa);
    }

    /// <summary>A page not looked up yet (or not RAM): found in the regions, and its entry filled.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private byte* RamPageOfRegion(uint pa)
    {
        for (int i = 0; i < _ram.Count; i++)
        {
            var r = _ram[i];
            if (pa - r.Base >= r.Size) continue;
            byte* page = r.Pointer + ((pa - r.Base) & ~PageMask);
            _ramPages[pa >> PageBits] = (nint)page;
            return page;
        }
        return null;
    }

    internal RamRegion? FindRam(uint pa)
    {
        foreach (var r in _ram)
            if (pa - r.Base < r.Size) return r;
        return null;
    }

    /// <summary>
    /// What answers where neither RAM nor a device is mapped. Null (the default): nothing, so the
    /// access is a bus error (an external abort). Boards that QEMU builds with
    /// ignore_memory_transaction_failures (the legacy ARM boards: versatilepb, vexpress) set a
    /// device here that reads zero and ignores writes, because real kernels touch unmodelled
    /// controllers (the vexpress SP810) and work on QEMU only for that. It sees the physical
    /// address as its offset.
    /// </summary>
    public IMmioDevice? Unassigned { get; set; }

    internal DeviceMapping? FindDevice(uint pa)
    {
        foreach (var d in _devices)
            if (pa - d.Base < d.Device.Size) return d;
        return null;
    }

    /// <summary>A bus read of 1, 2 or 4 bytes; false when nothing answers at <paramref name="pa"/>.</summary>
    public bool TryRead(uint pa, int size, out uint value)
    {
        byte* page = RamPage(pa);
        if (page != null && (pa & PageMask) + (uint)size <= PageSize)
        {
            value = LoadLittle(page + (pa & PageMask), size);
            return true;
        }
        if (page != null || RamPage(pa + (uint)size - 1) != null)
            return TryReadBytewise(pa, size, out value);
        var dev = FindDevice(pa);
        if (dev is { } d)
        {
            value = d.Device.Read(pa - d.Base, size);
            return true;
        }
        if (Unassigned is { } unassigned)
        {
            value = unassigned.Read(pa, size);
            return true;
        }
        value = 0;
        return false;
    }

    /// <summary>
    /// A debugger's read of 1, 2 or 4 bytes: RAM, or a device that can answer without side
    /// effects (<see cref="IMmioDevice.TryPeek"/>); false otherwise.
    /// </summary>
    public bool TryPeek(uint pa, int size, out uint value)
    {
        if (RamPage(pa) != null || RamPage(pa + (uint)size - 1) != null) return TryRead(pa, size, out value);
        if (FindDevice(pa) is { } d) return d.Device.TryPeek(pa - d.Base, size, out value);
        value = 0;
        return false;
    }

    /// <summary>A bus write of 1, 2 or 4 bytes; false when nothing answers at <paramref name="pa"/>.</summary>
    public bool TryWrite(uint pa, int size, uint value)
    {
        byte* page = RamPage(pa);
        if (page != null && (pa & PageMask) + (uint)size <= PageSize)
        {
            StoreLittle(page + (pa & PageMask), size, value);
            _codeWrites++;
            return true;
        }
        if (page != null || RamPage(pa + (uint)size - 1) != null)
        {
            _codeWrites++;
            for (int i = 0; i < size; i++)
            {
                byte* p = RamPage(pa + (uint)i);
                if (p == null) return false;
                p[(pa + (uint)i) & PageMask] = (byte)(value >> (8 * i));
            }
            return true;
        }
        var dev = FindDevice(pa);
        if (dev is { } d)
        {
            d.Device.Write(pa - d.Base, size, value);
            return true;
        }
        if (Unassigned is { } unassigned)
        {
            unassigned.Write(pa, size, value);
            return true;
        }
        return false;
    }

    /// <summary>Copies RAM to <paramref name="dest"/>; false if any byte is not RAM.</summary>
    public bool ReadRam(uint pa, Span<byte> dest)
    {
        byte* first = RamPage(pa);
        if (first != null && (pa & PageMask) + (uint)dest.Length <= PageSize)
        {
            // One page (a cache line fill, always): no loop.
            SmallCopy.Copy(ref MemoryMarshal.GetReference(dest), ref first[pa & PageMask], dest.Length);
            return true;
        }
        for (int done = 0; done < dest.Length;)
        {
            byte* page = RamPage(pa);
            if (page == null) return false;
            int n = (int)Math.Min(PageSize - (pa & PageMask), (uint)(dest.Length - done));
            new ReadOnlySpan<byte>(page + (pa & PageMask), n).CopyTo(dest[done..]);
            done += n;
            pa += (uint)n;
        }
        return true;
    }

    /// <summary>Copies <paramref name="src"/> into RAM; false if any byte is not RAM (nothing is written then).</summary>
    public bool WriteRam(uint pa, ReadOnlySpan<byte> src)
    {
        byte* first = RamPage(pa);
        if (first != null && (pa & PageMask) + (uint)src.Length <= PageSize)
        {
            // One page (a write-buffer entry, always): no loop.
            _codeWrites++;
            SmallCopy.Copy(ref first[pa & PageMask], ref MemoryMarshal.GetReference(src), src.Length);
            return true;
        }
        for (uint off = 0; off < (uint)src.Length; off += PageSize - ((pa + off) & PageMask))
            if (RamPage(pa + off) == null) return false;
        if (src.Length > 0 && RamPage(pa + (uint)src.Length - 1) == null) return false;
        _codeWrites++;
        for (int done = 0; done < src.Length;)
        {
            byte* page = RamPage(pa);
            int n = (int)Math.Min(PageSize - (pa & PageMask), (uint)(src.Length - done));
            src.Slice(done, n).CopyTo(new Span<byte>(page + (pa & PageMask), n));
            done += n;
            pa += (uint)n;
        }
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static uint LoadLittle(byte* p, int size) => size switch
    {
        4 => Unsafe.ReadUnaligned<uint>(p),
        2 => Unsafe.ReadUnaligned<ushort>(p),
        _ => *p,
    };

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void StoreLittle(byte* p, int size, uint value)
    {
        switch (size)
        {
            case 4: Unsafe.WriteUnaligned(p, value); break;
            case 2: Unsafe.WriteUnaligned(p, (ushort)value); break;
            default: *p = (byte)value; break;
        }
    }

    private bool TryReadBytewise(uint pa, int size, out uint value)
    {
        value = 0;
        for (int i = 0; i < size; i++)
        {
            byte* p = RamPage(pa + (uint)i);
            if (p == null) return false;
            value |= (uint)p[(pa + (uint)i) & PageMask] << (8 * i);
        }
        return true;
    }

    private bool Overlaps(uint start, uint size)
    {
        ulong end = (ulong)start + size;
        foreach (var r in _ram)
            if (start < r.Base + (ulong)r.Size && r.Base < end) return true;
        foreach (var d in _devices)
            if (start < d.Base + (ulong)d.Device.Size && d.Base < end) return true;
        return false;
    }

    private static void CheckPageRange(uint start, uint size)
    {
        if ((start & PageMask) != 0 || (size & PageMask) != 0 || size == 0 || (ulong)start + size > 1UL << 32)
            throw new ArgumentException($"range 0x{start:x8}+0x{size:x} is not a non-empty run of whole 4 KiB pages");
    }

    /// <summary>Frees the RAM regions' native memory.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        foreach (var r in _ram) r.Free();
        _ram.Clear();
        NativeMemory.Free(_ramPages);
    }
}

/// <summary>A device and the physical address it is decoded at.</summary>
internal readonly record struct DeviceMapping(uint Base, IMmioDevice Device);

/// <summary>A run of RAM on the physical bus, backed by zeroed native memory.</summary>
internal sealed unsafe class RamRegion
{
    internal RamRegion(uint physicalBase, uint size, string name)
    {
        Base = physicalBase;
        Size = size;
        Name = name;
        Pointer = (byte*)NativeMemory.AllocZeroed(size);
        _owned = true;
    }

    internal RamRegion(uint physicalBase, uint size, string name, byte* host)
    {
        Base = physicalBase;
        Size = size;
        Name = name;
        Pointer = host;
    }

    // False for a caller's memory (AddRam with a host pointer): never freed here.
    private readonly bool _owned;

    public uint Base { get; }

    public uint Size { get; }

    public string Name { get; }

    public byte* Pointer { get; private set; }

    public Span<byte> Bytes => new(Pointer, checked((int)Size));

    internal void Free()
    {
        if (Pointer == null) return;
        if (_owned) NativeMemory.Free(Pointer);
        Pointer = null;
    }
}
