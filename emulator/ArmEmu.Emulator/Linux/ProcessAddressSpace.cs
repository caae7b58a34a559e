using ArmEmu.Memory;

namespace ArmEmu.Emulator.Linux;

/// <summary>
/// A Linux process's virtual memory: page-granular mappings with R/W/X
/// rights, each page backed by a physical frame: one of the machine's RAM
/// frames handed out by the <see cref="FrameAllocator"/>, or (for /dev/mem)
/// a frame of the board's physical map that the allocator does not own (a
/// device page, the reserved DMA memory). So DMA, /dev/mem and aliases see the
/// same bytes the process does. Faults carry the address and become SIGSEGV.
///
/// Each page also has its memory attributes (the C and B bits the kernel's
/// page table would give it: normal memory is cacheable write-back; /dev/mem
/// device pages and make_coherent's aliases are not), and two flags the
/// kernel uses: "shared file page" (a page of a MAP_SHARED file mapping, what
/// Linux calls a VM_MAYSHARE vma, which make_coherent looks for) and
/// "copy-on-write" (a MAP_PRIVATE page still sharing its frame: a write to it
/// faults and the kernel gives the process its own copy).
/// </summary>
internal sealed class ProcessAddressSpace : IAddressTranslator
{
    public const uint PageSize = PhysicalBus.PageSize;
    private const int Pages = 1 << (32 - PhysicalBus.PageBits);
    private const byte SharedFlag = 1, CopyOnWriteFlag = 2, SharedMemoryFlag = 4;

    // Physical frame number + 1 of each virtual page (0: not mapped), its rights, attributes and
    // flags; in chunks made as pages are mapped (PageMap says why).
    private readonly PageMap<uint> _frame = new();
    private readonly PageMap<Permission> _rights = new();
    private readonly PageMap<Memory.Caches.PageAttributes> _attributes = new();
    private readonly PageMap<byte> _flags = new();
    // Reverse map of shared file pages: frame -> the virtual pages mapping it (Linux walks i_mmap for this).
    private readonly Dictionary<uint, List<uint>> _sharers = new();
    private readonly FrameAllocator _frames;
    private readonly ExecutableMappings? _executable;

    /// <param name="frames">The machine's RAM frames.</param>
    /// <param name="executable">
    /// The machine's count of executable mappings per page, kept up to date with this space's
    /// rights so that decoded instructions go with the last mapping of their page (null: none kept).
    /// </param>
    public ProcessAddressSpace(FrameAllocator frames, ExecutableMappings? executable = null)
    {
        _frames = frames;
        _executable = executable;
    }

    public event Action? TranslationsChanged;

    public FrameAllocator Frames => _frames;

    /// <summary>The files and names /proc/PID/maps shows for ranges of this space (the kernel sets them).</summary>
    public MappingNames Names { get; private set; } = new();

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
            // A copy-on-write page is mapped read-only in the page table whatever its vma allows:
            // the write faults and the kernel breaks the sharing (mm/memory.c, do_wp_page).
            if (need == Permission.Write && (_flags[vpn] & CopyOnWriteFlag) != 0)
                throw new MemoryFault(va, access, FaultKind.Permission);
        }
        return ((frame - 1) << PhysicalBus.PageBits) | (va & PhysicalBus.PageMask);
    }

    /// <summary>The C and B bits of the page (normal memory unless the kernel said otherwise).</summary>
    public Memory.Caches.PageAttributes AttributesOf(uint va, AccessKind access) => _attributes[va >> PhysicalBus.PageBits];

    public bool IsMapped(uint va) => _frame[va >> PhysicalBus.PageBits] != 0;

    /// <summary>The rights the mapping allows (for a copy-on-write page, including the write the first store will fault on).</summary>
    public Permission RightsOf(uint va) => _rights[va >> PhysicalBus.PageBits];

    public bool IsCopyOnWrite(uint va) => (_flags[va >> PhysicalBus.PageBits] & CopyOnWriteFlag) != 0;

    /// <summary>A page of a MAP_SHARED mapping, file or memory (/proc/PID/maps's 's').</summary>
    public bool IsShared(uint va) => (_flags[va >> PhysicalBus.PageBits] & (SharedFlag | SharedMemoryFlag)) != 0;

    public bool IsSharedFilePage(uint va) => (_flags[va >> PhysicalBus.PageBits] & SharedFlag) != 0;

    /// <summary>Physical address of a mapped page's frame.</summary>
    public uint FrameOf(uint va) => (_frame[va >> PhysicalBus.PageBits] - 1) << PhysicalBus.PageBits;

    /// <summary>Maps fresh zeroed frames over [va, va+size), replacing what was there.</summary>
    public void Map(uint va, uint size, Permission rights)
    {
        Names.Remove(va, (ulong)va + size);
        ForEachPage(va, size, vpn =>
        {
            Release(vpn);
            _frame[vpn] = _frames.Allocate() + 1;
            SetRights(vpn, rights);
            _attributes[vpn] = Memory.Caches.PageAttributes.Normal;
        });
        TranslationsChanged?.Invoke();
    }

    /// <summary>Maps fresh zeroed frames for MAP_SHARED|MAP_ANONYMOUS memory: a fork shares them with the child instead of copying.</summary>
    public void MapSharedMemory(uint va, uint size, Permission rights)
    {
        Map(va, size, rights);
        ForEachPage(va, size, vpn => _flags[vpn] |= SharedMemoryFlag);
    }

    /// <summary>
    /// The child's address space at fork (mm/memory.c, copy_page_range): every page maps the
    /// same frame. Shared pages (MAP_SHARED files and memory, and frames the allocator does not
    /// own: /dev/mem) stay shared; private pages become copy-on-write in both, so the first
    /// write on either side gets its own copy.
    /// </summary>
    public ProcessAddressSpace Fork()
    {
        var child = new ProcessAddressSpace(_frames, _executable) { Names = Names.Copy() };
        for (uint vpn = 0; vpn < Pages; vpn++)
        {
            if (!_frame.ChunkWritten(vpn))
            {
                vpn += PageMap<uint>.ChunkPages - 1; // nothing mapped in it
                continue;
            }
            if (_frame[vpn] == 0) continue;
            uint frame = _frame[vpn] - 1;
            _frames.AddReference(frame);
            bool shared = (_flags[vpn] & (SharedFlag | SharedMemoryFlag)) != 0 || !_frames.Owns(frame);
            if (!shared) _flags[vpn] |= CopyOnWriteFlag;
            child._frame[vpn] = _frame[vpn];
            child.SetRights(vpn, _rights[vpn]);
            child._attributes[vpn] = _attributes[vpn];
            child._flags[vpn] = _flags[vpn];
        }
        foreach (var (frame, pages) in _sharers) child._sharers[frame] = [.. pages];
        TranslationsChanged?.Invoke(); // the parent's private pages are read-only now
        return child;
    }

    /// <summary>
    /// A copy-on-write page whose frame nobody else maps any more (the other side wrote or went):
    /// it becomes the process's own again without a copy (do_wp_page's reuse). False if the frame is still shared.
    /// </summary>
    public bool ReuseIfSoleOwner(uint va)
    {
        uint vpn = va >> PhysicalBus.PageBits;
        uint frame = _frame[vpn] - 1;
        if (_frame[vpn] == 0 || !_frames.Owns(frame) || _frames.References(frame) != 1) return false;
        _flags[vpn] &= unchecked((byte)~CopyOnWriteFlag);
        TranslationsChanged?.Invoke();
        return true;
    }

    /// <summary>Unmaps everything (exit, execve's old mm): frames shared with others stay theirs.</summary>
    public void Clear()
    {
        for (uint vpn = 0; vpn < Pages; vpn++)
        {
            if (_frame.ChunkWritten(vpn)) Release(vpn);
            else vpn += PageMap<uint>.ChunkPages - 1; // nothing mapped in it
        }
        Names.Clear();
        TranslationsChanged?.Invoke();
    }

    /// <summary>
    /// Maps an existing frame (shared memory: several pages, one frame; or a /dev/mem frame the
    /// allocator does not own). Frames the allocator owns are reference counted.
    /// </summary>
    public void MapFrame(uint va, uint physicalFrame, Permission rights) => MapFrame(va, physicalFrame, rights, Memory.Caches.PageAttributes.Normal);

    /// <param name="sharedFile">A page of a MAP_SHARED file mapping (make_coherent looks for those).</param>
    /// <param name="copyOnWrite">A MAP_PRIVATE page still sharing its frame: the first write faults.</param>
    /// <param name="va">The page's virtual address.</param>
    /// <param name="physicalFrame">The physical address of the frame.</param>
    /// <param name="rights">The page's read, write and execute rights.</param>
    /// <param name="attributes">The page's memory attributes (cacheability).</param>
    public void MapFrame(uint va, uint physicalFrame, Permission rights, Memory.Caches.PageAttributes attributes,
        bool sharedFile = false, bool copyOnWrite = false)
    {
        uint vpn = va >> PhysicalBus.PageBits;
        _frames.AddReference(physicalFrame); // before the release: remapping a page onto its own frame keeps it
        Release(vpn);
        _frame[vpn] = physicalFrame + 1;
        SetRights(vpn, rights);
        _attributes[vpn] = attributes;
        _flags[vpn] = (byte)((sharedFile ? SharedFlag : 0) | (copyOnWrite ? CopyOnWriteFlag : 0));
        if (sharedFile)
        {
            if (!_sharers.TryGetValue(physicalFrame, out var list)) _sharers[physicalFrame] = list = [];
            list.Add(vpn);
        }
        TranslationsChanged?.Invoke();
    }

    /// <summary>Maps at <paramref name="to"/> what is mapped at <paramref name="from"/> (frame, rights, attributes, flags), as mremap moves page table entries.</summary>
    public void CopyMapping(uint from, uint to)
    {
        uint vpn = from >> PhysicalBus.PageBits;
        MapFrame(to, _frame[vpn] - 1, _rights[vpn], _attributes[vpn], (_flags[vpn] & SharedFlag) != 0, (_flags[vpn] & CopyOnWriteFlag) != 0);
    }

    /// <summary>Changes the memory attributes of a mapped page (the kernel rewrote its page table entry).</summary>
    public void SetAttributes(uint va, Memory.Caches.PageAttributes attributes)
    {
        _attributes[va >> PhysicalBus.PageBits] = attributes;
        TranslationsChanged?.Invoke();
    }

    /// <summary>The virtual addresses of the shared file pages that map <paramref name="physicalFrame"/>.</summary>
    public IReadOnlyList<uint> SharedFilePagesOf(uint physicalFrame) =>
        _sharers.TryGetValue(physicalFrame, out var list) ? list.Select(vpn => vpn << PhysicalBus.PageBits).ToList() : [];

    public void Unmap(uint va, uint size)
    {
        Names.Remove(va, (ulong)va + size);
        ForEachPage(va, size, Release);
        TranslationsChanged?.Invoke();
    }

    /// <summary>Drops whatever page <paramref name="vpn"/> maps, leaving it unmapped with normal attributes.</summary>
    private void Release(uint vpn)
    {
        if (_frame[vpn] == 0) return;
        uint frame = _frame[vpn] - 1;
        if ((_flags[vpn] & SharedFlag) != 0 && _sharers.TryGetValue(frame, out var list))
        {
            list.Remove(vpn);
            if (list.Count == 0) _sharers.Remove(frame);
        }
        _frames.Free(frame);
        _frame[vpn] = 0;
        SetRights(vpn, Permission.None);
        _attributes[vpn] = Memory.Caches.PageAttributes.Normal;
        _flags[vpn] = 0;
    }

    /// <summary>Changes rights; false (nothing changed) if any page in the range is unmapped, as mprotect's ENOMEM.</summary>
    public bool Protect(uint va, uint size, Permission rights)
    {
        bool all = true;
        ForEachPage(va, size, vpn => all &= _frame[vpn] != 0);
        if (!all) return false;
        ForEachPage(va, size, vpn => SetRights(vpn, rights));
        TranslationsChanged?.Invoke();
        return true;
    }

    /// <summary>Sets a page's rights, counting its executable mappings for the decoded-instruction store.</summary>
    private void SetRights(uint vpn, Permission rights)
    {
        Permission old = _rights[vpn];
        _rights[vpn] = rights;
        if (_executable is null || ((old ^ rights) & Permission.Execute) == 0) return;
        if ((rights & Permission.Execute) != 0) _executable.Added(vpn);
        else _executable.Removed(vpn);
    }

    /// <summary>True if no page of [va, va+size) is mapped.</summary>
    public bool IsFree(uint va, uint size)
    {
        if ((ulong)va + size > 1UL << 32) return false;
        for (ulong a = va; a < (ulong)va + size; a += PageSize)
            if (_frame[(uint)(a >> PhysicalBus.PageBits)] != 0) return false;
        return true;
    }

    /// <summary>The lowest free, page-aligned range of <paramref name="size"/> bytes in [from, limit), or null.</summary>
    public uint? FindFree(uint size, uint from, uint limit)
    {
        ulong start = from;
        while (start + size <= limit)
        {
            ulong a = start, end = start + size;
            while (a < end && _frame[(uint)(a >> PhysicalBus.PageBits)] == 0) a += PageSize;
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
internal sealed class FrameAllocator
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

    /// <summary>True for frames of the RAM this allocator hands out (not device pages or reserved memory).</summary>
    public bool Owns(uint frame) => frame - (_ram.Base >> PhysicalBus.PageBits) < (uint)_references.Length;

    /// <summary>How many mappings (and kernel holders, such as the page cache) reference the frame.</summary>
    public int References(uint frame) => Owns(frame) ? _references[Index(frame)] : 0;

    /// <summary>Adds a reference to a frame this allocator owns; others (device pages, reserved memory) are not counted.</summary>
    public void AddReference(uint frame)
    {
        if (Owns(frame)) _references[Index(frame)]++;
    }

    public void Free(uint frame)
    {
        if (!Owns(frame) || --_references[Index(frame)] != 0) return;
        _free.Push(frame);
        FramesInUse--;
    }

    private int Index(uint frame) => (int)(frame - (_ram.Base >> PhysicalBus.PageBits));
}

/// <summary>The guest asked for more memory than the machine's RAM holds (mmap/brk then fail with ENOMEM).</summary>
internal sealed class OutOfGuestMemoryException() : Exception("guest RAM exhausted");
