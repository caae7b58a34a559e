using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using ArmEmu.Memory;
using ArmEmu.Memory.Caches;

namespace ArmEmu.Emulator;

/// <summary>
/// A board's physical map as the embedding API changes it: the memory-map members of
/// <see cref="IMachine"/> on a <see cref="Boards.IBareMetalBoard"/>. Addresses are physical; the
/// guest reaches them through whatever MMU map it sets up (with the MMU off, as after reset,
/// virtual equals physical). Mapped means RAM or a device on the bus; the space a board answers
/// for nobody (the vexpress's read-as-zero space, QEMU's ignore_memory_transaction_failures)
/// is not mapped, and a page the embedder unmapped faults even there until it is mapped again.
/// </summary>
/// <remarks>
/// Unmapping and protecting are kept per physical page and checked by a thin translator put
/// between the memory port and the board's MMU (<see cref="Guard"/>) on the first change, so a
/// board the API never unmaps or protects runs exactly as built. Unmapped pages of the board's
/// own RAM stay on the bus (DMA and the LCD, which see only the bus, still reach them); mapping
/// them again gives zeroed memory. RAM the API added goes once none of its pages is mapped.
/// A forbidden access is a fault of <see cref="FaultKind.Unmapped"/> or
/// <see cref="FaultKind.Permission"/> that the fault hooks see first; the guest, if no hook
/// takes it, gets the external abort a bus error gives (no architectural fault status says
/// "the embedder protected this page").
/// </remarks>
internal sealed unsafe class PhysicalMemoryMap
{
    private const byte Hole = 0x80, Protected = 0x40;
    private static readonly ConditionalWeakTable<IMachine, PhysicalMemoryMap> Maps = new();
    private static readonly byte[] ZeroPage = new byte[PhysicalBus.PageSize];

    private readonly IMachine _machine;
    private readonly List<(RamRegion Region, GCHandle? Pinned)> _added = new();
    // Per physical page: 0 as the board built it; Hole (unmapped by the API); Protected | rights.
    private readonly byte[] _state = new byte[1 << (32 - PhysicalBus.PageBits)];
    private Guard? _guard;

    private PhysicalMemoryMap(IMachine machine) => _machine = machine;

    ~PhysicalMemoryMap()
    {
        // The board (the only holder of this map) is gone: the caller's buffers may move again.
        foreach (var (_, pinned) in _added) pinned?.Free();
    }

    /// <summary>The map of <paramref name="machine"/> (one per machine).</summary>
    public static PhysicalMemoryMap Of(IMachine machine) => Maps.GetValue(machine, m => new PhysicalMemoryMap(m));

    private PhysicalBus Bus => _machine.Bus;

    private bool IsMapped(uint pa) => _state[pa >> PhysicalBus.PageBits] != Hole && (Bus.RamPage(pa) != null || Bus.FindDevice(pa) is not null);

    /// <summary>Maps zeroed RAM: new RAM on the bus, or the board's own RAM where the API had unmapped it.</summary>
    public void Map(uint address, uint size, Permission rights)
    {
        CheckPages(address, size);
        for (ulong a = address; a < (ulong)address + size; a += PhysicalBus.PageSize)
        {
            if (IsMapped((uint)a)) throw new ArgumentException($"0x{address:x8}+0x{size:x} overlaps mapped memory at 0x{a:x8}");
            if (Bus.RamPage((uint)a) == null && Bus.FindDevice((uint)a) is not null)
                throw new ArgumentException($"0x{a:x8} is a device's (unmapped by the API): RAM cannot be mapped over it");
        }
        ulong at = address, limit = (ulong)address + size;
        while (at < limit)
        {
            if (Bus.RamPage((uint)at) != null)
            {
                Bus.WriteRam((uint)at, ZeroPage);
                DropCachedLines(_machine.Caches, (uint)at, PhysicalBus.PageSize);
                at += PhysicalBus.PageSize;
                continue;
            }
            uint runStart = (uint)at;
            while (at < limit && Bus.RamPage((uint)at) == null) at += PhysicalBus.PageSize;
            _added.Add((Bus.AddRam(runStart, (uint)(at - runStart), $"api@{runStart:x8}"), null));
        }
        SetState(address, size, StateOf(rights));
    }

    /// <summary>Maps the caller's buffer as new RAM on the bus (pinned until unmapped).</summary>
    public unsafe void Map(uint address, byte[] buffer, Permission rights)
    {
        uint size = (uint)buffer.Length;
        CheckPages(address, size);
        for (ulong a = address; a < (ulong)address + size; a += PhysicalBus.PageSize)
            if (Bus.RamPage((uint)a) != null || Bus.FindDevice((uint)a) is not null)
                throw new ArgumentException($"0x{a:x8} is {(IsMapped((uint)a) ? "mapped" : "part of the board's RAM (unmapped by the API)")}: a buffer needs a free physical range");
        var pinned = GCHandle.Alloc(buffer, GCHandleType.Pinned);
        try
        {
            _added.Add((Bus.AddRam(address, size, (byte*)pinned.AddrOfPinnedObject(), $"buffer@{address:x8}"), pinned));
        }
        catch
        {
            pinned.Free();
            throw;
        }
        SetState(address, size, StateOf(rights));
    }

    /// <summary>Unmaps pages: their cached lines are dropped, decoded code is forgotten, RAM the API added goes when wholly unmapped.</summary>
    public void Unmap(uint address, uint size)
    {
        CheckMapped(address, size);
        _machine.Caches?.WriteBuffer.Drain(); // stores already made reach memory before it goes
        DropCachedLines(_machine.Caches, address, size);
        SetState(address, size, Hole);
        foreach (var entry in _added.ToArray())
        {
            var region = entry.Region;
            bool anyMapped = false;
            for (uint off = 0; off < region.Size && !anyMapped; off += PhysicalBus.PageSize) anyMapped = _state[(region.Base + off) >> PhysicalBus.PageBits] != Hole;
            if (anyMapped) continue;
            _added.Remove(entry);
            Bus.RemoveRam(region);
            entry.Pinned?.Free();
        }
        _machine.Cpu.FlushDecodedInstructions(); // virtual pages of the code are the MMU's to know: all of it
    }

    /// <summary>Changes the rights of mapped pages.</summary>
    public void Protect(uint address, uint size, Permission rights)
    {
        CheckMapped(address, size);
        SetState(address, size, StateOf(rights));
        if ((rights & Permission.Execute) == 0) _machine.Cpu.FlushDecodedInstructions();
    }

    /// <summary>RAM and devices on the bus, less the pages the API unmapped, in runs of equal rights.</summary>
    public IReadOnlyList<MemoryRegion> Regions
    {
        get
        {
            var pages = new List<uint>();
            foreach (var region in Bus.RamRegions)
                for (uint off = 0; off < region.Size; off += PhysicalBus.PageSize) pages.Add(region.Base + off);
            foreach (var device in Bus.Devices)
                for (ulong a = device.Base & ~PhysicalBus.PageMask; a < (ulong)device.Base + device.Device.Size; a += PhysicalBus.PageSize)
                    if (Bus.RamPage((uint)a) == null) pages.Add((uint)a);
            pages.Sort();
            var mapped = new List<(uint Page, Permission Rights)>(pages.Count);
            uint? previous = null;
            foreach (uint page in pages)
            {
                if (page == previous) continue; // two small devices in one page
                previous = page;
                byte state = _state[page >> PhysicalBus.PageBits];
                if (state != Hole) mapped.Add((page, RightsOf(state)));
            }
            return MergeRegions(mapped);
        }
    }

    /// <summary>Runs of consecutive pages with equal rights, from pages in ascending order.</summary>
    internal static List<MemoryRegion> MergeRegions(IEnumerable<(uint Page, Permission Rights)> pages)
    {
        var result = new List<MemoryRegion>();
        foreach (var (page, rights) in pages)
        {
            if (result.Count > 0 && result[^1] is var last && (ulong)last.Begin + last.Size == page && last.Rights == rights)
                result[^1] = last with { Size = last.Size + PhysicalBus.PageSize };
            else
                result.Add(new MemoryRegion(page, PhysicalBus.PageSize, rights));
        }
        return result;
    }

    /// <summary>Drops (without writing back) cached lines of physical memory that stopped being mapped: new memory there starts clean.</summary>
    internal static void DropCachedLines(CacheSystem? caches, uint address, uint size)
    {
        foreach (var cache in MachineHooks.CachesOf(caches))
            for (int line = 0; line < cache.LineCount; line++)
                if (cache.IsValid(line) && cache.PhysicalAddress(line) - address < size)
                {
                    cache.Clean(line); // discarded, not written back
                    cache.Invalidate(line);
                }
    }

    internal static void CheckPages(uint address, uint size)
    {
        if (size == 0 || (address & PhysicalBus.PageMask) != 0 || (size & PhysicalBus.PageMask) != 0 || (ulong)address + size > 1UL << 32)
            throw new ArgumentException($"range 0x{address:x8}+0x{size:x} is not whole 4 KiB pages");
    }

    private void CheckMapped(uint address, uint size)
    {
        CheckPages(address, size);
        for (ulong a = address; a < (ulong)address + size; a += PhysicalBus.PageSize)
            if (!IsMapped((uint)a)) throw new ArgumentException($"page 0x{a:x8} is not mapped");
    }

    private static byte StateOf(Permission rights) => rights == Permission.All ? (byte)0 : (byte)(Protected | (byte)rights);

    private static Permission RightsOf(byte state) => (state & Protected) != 0 ? (Permission)(state & 7) : Permission.All;

    private void SetState(uint address, uint size, byte state)
    {
        bool changes = false;
        for (ulong a = address; a < (ulong)address + size; a += PhysicalBus.PageSize)
        {
            ref byte s = ref _state[a >> PhysicalBus.PageBits];
            changes |= s != state;
            s = state;
        }
        if (!changes) return;
        if (_guard is null)
        {
            var memory = _machine.Cpu.Memory;
            _guard = new Guard(memory.Translator, _state);
            memory.Translator = _guard; // empties the fast path
        }
        else _guard.Changed();
    }

    /// <summary>
    /// The board's MMU (or whatever translated before), then the API's per-page state of the
    /// physical page: unmapped pages fault as unmapped, protected ones as a protection fault
    /// (debug accesses ignore rights, as everywhere).
    /// </summary>
    private sealed class Guard(IAddressTranslator inner, byte[] state) : IAddressTranslator
    {
        private Action? _changed;

        public event Action? TranslationsChanged
        {
            add
            {
                inner.TranslationsChanged += value;
                _changed += value;
            }
            remove
            {
                inner.TranslationsChanged -= value;
                _changed -= value;
            }
        }

        public void Changed() => _changed?.Invoke();

        public uint Translate(uint va, AccessKind access) => Check(va, inner.Translate(va, access), access);

        public uint Translate(uint va, AccessKind access, out bool wholePage) => Check(va, inner.Translate(va, access, out wholePage), access);

        public PageAttributes AttributesOf(uint va, AccessKind access) => inner.AttributesOf(va, access);

        private uint Check(uint va, uint pa, AccessKind access)
        {
            byte s = state[pa >> PhysicalBus.PageBits];
            if (s == 0) return pa;
            if (s == Hole) throw new MemoryFault(va, access, FaultKind.Unmapped);
            if ((access & AccessKind.Debug) != 0) return pa;
            Permission need = (access & AccessKind.Fetch) != 0 ? Permission.Execute
                : (access & AccessKind.Write) != 0 ? Permission.Write : Permission.Read;
            if (((Permission)(s & 7) & need) == 0) throw new MemoryFault(va, access, FaultKind.Permission);
            return pa;
        }
    }
}
