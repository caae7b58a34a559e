using ArmEmu.Memory;

namespace ArmEmu.Emulator.Linux;

/// <summary>
/// A Linux process's virtual memory: page-granular mappings with R/W/X
/// rights, each page backed by a frame of the machine's physical RAM (so DMA,
/// /dev/mem and aliases see the same bytes the process does). Faults carry
/// the address and become SIGSEGV.
/// </summary>
public sealed class ProcessAddressSpace : IAddressTranslator
{
    public const uint PageSize = PhysicalBus.PageSize;
    private const int Pages = 1 << (32 - PhysicalBus.PageBits);

    // Physical frame number + 1 of each virtual page (0: not mapped), and its rights.
    private readonly uint[] _frame = new uint[Pages];
    private readonly Permission[] _rights = new Permission[Pages];
    private readonly FrameAllocator _frames;

    public ProcessAddressSpace(FrameAllocator frames) => _frames = frames;

    public event Action? TranslationsChanged;

    public FrameAllocator Frames => _frames;

    public uint Translate(uint va, AccessKind access)
    {
        uint vpn = va >> PhysicalBus.PageBits;
        uint frame = _frame[vpn];
        if (frame == 0) throw new MemoryFault(va, access, FaultKind.Unmapped);
        if ((access & AccessKind.Debug) == 0)
        {
            Permission need = (access & AccessKind.Fetch) != 0 ? Permission.Execute
                : (access & AccessKind.Write) != 0 ? Permission.Write : Permission.Read;
            if ((_rights[vpn] & need) == 0) throw new MemoryFault(va, access, FaultKind.Permission);
        }
        return ((frame - 1) << PhysicalBus.PageBits) | (va & PhysicalBus.PageMask);
    }

    public bool IsMapped(uint va) => _frame[va >> PhysicalBus.PageBits] != 0;

    public Permission RightsOf(uint va) => _rights[va >> PhysicalBus.PageBits];

    /// <summary>Physical address of a mapped page's frame.</summary>
    public uint FrameOf(uint va) => (_frame[va >> PhysicalBus.PageBits] - 1) << PhysicalBus.PageBits;

    /// <summary>Maps fresh zeroed frames over [va, va+size), replacing what was there.</summary>
    public void Map(uint va, uint size, Permission rights)
    {
        ForEachPage(va, size, vpn =>
        {
            if (_frame[vpn] != 0) _frames.Free(_frame[vpn] - 1);
            _frame[vpn] = _frames.Allocate() + 1;
            _rights[vpn] = rights;
        });
        TranslationsChanged?.Invoke();
    }

    /// <summary>Maps existing frames (shared memory: several pages, one frame). Frames are reference counted.</summary>
    public void MapFrame(uint va, uint physicalFrame, Permission rights)
    {
        uint vpn = va >> PhysicalBus.PageBits;
        if (_frame[vpn] != 0) _frames.Free(_frame[vpn] - 1);
        _frames.AddReference(physicalFrame);
        _frame[vpn] = physicalFrame + 1;
        _rights[vpn] = rights;
        TranslationsChanged?.Invoke();
    }

    public void Unmap(uint va, uint size)
    {
        ForEachPage(va, size, vpn =>
        {
            if (_frame[vpn] == 0) return;
            _frames.Free(_frame[vpn] - 1);
            _frame[vpn] = 0;
            _rights[vpn] = Permission.None;
        });
        TranslationsChanged?.Invoke();
    }

    /// <summary>Changes rights; false (nothing changed) if any page in the range is unmapped, as mprotect's ENOMEM.</summary>
    public bool Protect(uint va, uint size, Permission rights)
    {
        bool all = true;
        ForEachPage(va, size, vpn => all &= _frame[vpn] != 0);
        if (!all) return false;
        ForEachPage(va, size, vpn => _rights[vpn] = rights);
        TranslationsChanged?.Invoke();
        return true;
    }

    /// <summary>True if no page of [va, va+size) is mapped.</summary>
    public bool IsFree(uint va, uint size)
    {
        if ((ulong)va + size > 1UL << 32) return false;
        for (ulong a = va; a < (ulong)va + size; a += PageSize)
            if (_frame[a >> PhysicalBus.PageBits] != 0) return false;
        return true;
    }

    /// <summary>The lowest free, page-aligned range of <paramref name="size"/> bytes in [from, limit), or null.</summary>
    public uint? FindFree(uint size, uint from, uint limit)
    {
        ulong start = from;
        while (start + size <= limit)
        {
            ulong a = start, end = start + size;
            while (a < end && _frame[a >> PhysicalBus.PageBits] == 0) a += PageSize;
            if (a >= end) return (uint)start;
            start = a + PageSize;
        }
        return null;
    }

    private static void ForEachPage(uint va, uint size, Action<uint> action)
    {
        if ((va & PhysicalBus.PageMask) != 0 || (ulong)va + size > 1UL << 32)
            throw new ArgumentException($"range 0x{va:x8}+0x{size:x} is not page aligned");
        ulong end = ((ulong)va + size + PhysicalBus.PageMask) & ~(ulong)PhysicalBus.PageMask;
        for (ulong a = va; a < end; a += PageSize) action((uint)(a >> PhysicalBus.PageBits));
    }
}

/// <summary>
/// Hands out 4 KiB frames of one RAM region on the physical bus, with reference
/// counts so a frame mapped at several virtual pages (MAP_SHARED, aliases) is
/// freed once. Freed frames are zeroed before reuse, as the kernel does.
/// </summary>
public sealed class FrameAllocator
{
    private readonly RamRegion _ram;
    private readonly ushort[] _references;
    private readonly Stack<uint> _free = new();
    private uint _next;

    public FrameAllocator(RamRegion ram)
    {
        _ram = ram;
        _references = new ushort[ram.Size >> PhysicalBus.PageBits];
        _next = ram.Base >> PhysicalBus.PageBits;
    }

    public uint FramesInUse { get; private set; }

    /// <summary>A zeroed frame (its physical page number), referenced once.</summary>
    public uint Allocate()
    {
        uint frame;
        if (_free.Count > 0)
        {
            frame = _free.Pop();
            _ram.Bytes.Slice((int)((frame << PhysicalBus.PageBits) - _ram.Base), (int)PhysicalBus.PageSize).Clear();
        }
        else
        {
            if (_next - (_ram.Base >> PhysicalBus.PageBits) >= _references.Length)
                throw new OutOfGuestMemoryException();
            frame = _next++;
        }
        _references[Index(frame)] = 1;
        FramesInUse++;
        return frame;
    }

    public void AddReference(uint frame) => _references[Index(frame)]++;

    public void Free(uint frame)
    {
        if (--_references[Index(frame)] != 0) return;
        _free.Push(frame);
        FramesInUse--;
    }

    private int Index(uint frame) => (int)(frame - (_ram.Base >> PhysicalBus.PageBits));
}

/// <summary>The guest asked for more memory than the machine's RAM holds (mmap/brk then fail with ENOMEM).</summary>
public sealed class OutOfGuestMemoryException() : Exception("guest RAM exhausted");
