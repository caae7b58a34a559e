using System.Buffers.Binary;
using ArmEmu.Memory;
using ArmEmu.Memory.Caches;

namespace ArmEmu.Emulator.Linux;

/// <summary>brk, mmap2, munmap, mprotect, mremap: the process's page mappings.</summary>
internal sealed unsafe partial class LinuxKernel
{
    private const uint ProtRead = 1, ProtWrite = 2, ProtExec = 4;
    private const uint MapShared = 0x01, MapPrivate = 0x02, MapFixed = 0x10, MapAnonymous = 0x20;
    private const uint MremapMayMove = 1, MremapFixed = 2;

    /// <summary>The top of user space: TASK_SIZE for ARM's 3G/1G split (PAGE_OFFSET - 16 MiB).</summary>
    public const uint TaskSize = 0xBF00_0000;

    private static uint PageAlignUp(uint value) => (uint)(((ulong)value + ProcessAddressSpace.PageSize - 1) & ~(ulong)(ProcessAddressSpace.PageSize - 1));

    private static ulong PageAlignUp64(uint value) => ((ulong)value + ProcessAddressSpace.PageSize - 1) & ~(ulong)(ProcessAddressSpace.PageSize - 1);

    private static Permission RightsOf(uint prot) =>
        ((prot & ProtRead) != 0 ? Permission.Read : 0) | ((prot & ProtWrite) != 0 ? Permission.Write : 0)
        | ((prot & ProtExec) != 0 ? Permission.Execute : 0);

    private long SysBrk(uint requested)
    {
        uint current = CurrentProcess.Brk;
        if (requested < CurrentProcess.Image.BrkStart) return current;
        uint oldTop = PageAlignUp(current), newTop = PageAlignUp(requested);
        try
        {
            if (newTop > oldTop)
            {
                if (newTop > ExecImage.MmapStart || !Space.IsFree(oldTop, newTop - oldTop)) return current;
                Space.Map(oldTop, newTop - oldTop, Permission.Read | Permission.Write);
            }
            else if (newTop < oldTop)
            {
                Machine.FlushUserRange(newTop, oldTop);
                Space.Unmap(newTop, oldTop - newTop);
            }
        }
        catch (OutOfGuestMemoryException)
        {
            return current;
        }
        CurrentProcess.Brk = requested;
        return requested;
    }

    private static long _sharedMemoryInodes = 1000;

    private long SysMmap(uint address, uint length, uint prot, uint flags, int guestFd, long offset)
    {
        int fd = CurrentProcess.Files.Host(guestFd);
        if (length == 0 || (address & (ProcessAddressSpace.PageSize - 1)) != 0) return -Errno.EINVAL;
        if (((flags & MapShared) != 0) == ((flags & MapPrivate) != 0)) return -Errno.EINVAL;
        uint size = PageAlignUp(length);
        if (size == 0) return -Errno.ENOMEM;
        bool shared = (flags & MapShared) != 0;

        byte[]? contents = null;
        uint filePages = size;
        bool devMem = false, devMemSync = false;
        if ((flags & MapAnonymous) == 0)
        {
            // do_mmap: the file must be open for reading, and for writing too if a shared mapping may write it.
            long mode = HostLibc.Check(HostLibc.FCntl(fd, 3 /* F_GETFL */, 0));
            if (mode < 0) return mode;
            if ((mode & 3) == 1 /* O_WRONLY */ || (shared && (prot & ProtWrite) != 0 && (mode & 3) != 2 /* O_RDWR */))
                return -Errno.EACCES;
            devMem = CurrentProcess.DevMemDescriptors.TryGetValue(guestFd, out devMemSync);
            if (devMem)
            {
                long check = CheckDevMemRange(offset, size);
                if (check < 0) return check;
            }
            else
            {
                // Only the bytes the file has are read (a 3 GiB mapping of a small file holds a page of it);
                // a device with no size of its own is read for the whole mapping, up to what guest RAM could hold.
                long readable = size;
                HostStat st = default;
                const uint S_IFMT = 0xF000, S_IFREG = 0x8000, S_IFDIR = 0x4000, S_IFIFO = 0x1000, S_IFSOCK = 0xC000;
                if (HostLibc.FStat(fd, &st) == 0 && (st.Mode & S_IFMT) == S_IFREG) readable = Math.Clamp(st.Size - offset, 0, size);
                // do_mmap: a file whose operations have no mmap (a directory, a pipe, a socket) gives ENODEV.
                else if ((st.Mode & S_IFMT) is S_IFDIR or S_IFIFO or S_IFSOCK) return -Errno.ENODEV;
                if (readable > Machine.RamSize) return -Errno.ENOMEM;
                contents = new byte[PageAlignUp((uint)readable)];
                long got = ReadHostFile(fd, contents, offset);
                if (got < 0) return got;
                filePages = Math.Min(size, PageAlignUp((uint)Math.Min(got, uint.MaxValue)));
            }
        }

        uint start;
        if ((flags & MapFixed) != 0)
        {
            if ((ulong)address + size > TaskSize) return -Errno.ENOMEM;
            start = address;
        }
        else if (address != 0 && (ulong)address + size <= TaskSize && Space.IsFree(address, size))
        {
            start = address;
        }
        else
        {
            uint? free = Space.FindFree(size, ExecImage.MmapStart, TaskSize);
            if (free is null) return -Errno.ENOMEM;
            start = free.Value;
        }

        // MAP_FIXED over existing pages unmaps them first (do_munmap), flushing their cache lines.
        if (!Space.IsFree(start, size)) Machine.FlushUserRange(start, start + size);
        Space.Names.Remove(start, (ulong)start + size);
        try
        {
            if (devMem) MapDevMem(start, size, prot, shared, devMemSync, offset);
            else if (contents is not null && shared) MapSharedFile(start, filePages, RightsOf(prot), fd, offset, contents);
            else if (shared)
            {
                // Shared anonymous memory is a shmem file on Linux (shmem_zero_setup): maps shows "/dev/zero (deleted)" on device 00:01.
                Space.MapSharedMemory(start, size, RightsOf(prot));
                Space.Names.Set(start, start + size, "/dev/zero (deleted)", 0, device: 1, inode: (ulong)Interlocked.Increment(ref _sharedMemoryInodes));
            }
            else Space.Map(start, size, RightsOf(prot));
        }
        catch (OutOfGuestMemoryException)
        {
            TrimPageCache();
            return -Errno.ENOMEM;
        }
        ForgetBeyondEndOfFile(start, size);
        if (contents is not null)
        {
            // A private file mapping is a private copy of the file's bytes.
            if (!shared) Memory.DebugWrite(start, contents.AsSpan(0, (int)filePages));
            if (filePages < size)
            {
                if (shared) Space.Map(start + filePages, size - filePages, RightsOf(prot));
                MarkBeyondEndOfFile(start + filePages, size - filePages);
            }
            NameFileMapping(fd, start, start + filePages, (ulong)offset);
            if (FileMapped is { } observer && offset == 0 && HostFdPath(fd) is { } hostPath)
                observer(hostPath, start, contents);
        }
        TrimPageCache();
        return start;
    }

    /// <summary>
    /// A file was mapped from its start (the dynamic loader mapping a shared object):
    /// its host path, the guest address and the bytes mapped. For profiles and traces.
    /// </summary>
    public event Action<string, uint, byte[]>? FileMapped;

    // The host's /proc names the file behind the host descriptor.
    private static string? HostFdPath(int fd)
    {
        try
        {
            return new FileInfo($"/proc/self/fd/{fd}").LinkTarget;
        }
        catch (IOException)
        {
            return null;
        }
    }


    // ---- MAP_SHARED file mappings: one frame per file page (the page cache) -------------------

    /// <summary>
    /// A host file with pages mapped MAP_SHARED: each page of the file is one frame, shared by
    /// every mapping of it in the process (the page cache holds a reference). The frame is read
    /// from the file when first mapped, and written back (within the file's current size, as
    /// Linux never extends a file through a mapping) by msync, when its last mapping goes, and
    /// when the process exits. Reads and writes through file descriptors go to the host file
    /// directly, so they see a mapping's stores only once they are written back.
    /// </summary>
    private sealed class SharedFile(int fd, bool writable)
    {
        /// <summary>A host descriptor of our own (the guest may close its one after mmap); -1 if none could be made.</summary>
        public int Fd { get; } = fd;

        public bool Writable { get; } = writable;

        public Dictionary<long, uint> Frames { get; } = new();
    }

    private readonly Dictionary<(ulong Dev, ulong Ino), SharedFile> _sharedFiles = new();

    private void MapSharedFile(uint start, uint filePages, Permission rights, int fd, long offset, byte[] contents)
    {
        HostStat st;
        if (HostLibc.FStat(fd, &st) != 0) throw new InvalidOperationException("fstat failed on a descriptor mmap just read");
        if (!_sharedFiles.TryGetValue((st.Dev, st.Ino), out var file))
        {
            // A descriptor number far above the guest's, so the guest's own numbering is unchanged.
            int own = HostLibc.FCntl(fd, 1030 /* F_DUPFD_CLOEXEC */, 700);
            long mode = HostLibc.FCntl(fd, 3 /* F_GETFL */, 0);
            _sharedFiles[(st.Dev, st.Ino)] = file = new SharedFile(own, (mode & 3) == 2);
        }
        for (uint page = 0; page < filePages; page += ProcessAddressSpace.PageSize)
        {
            long pageIndex = offset / ProcessAddressSpace.PageSize + page / ProcessAddressSpace.PageSize;
            if (!file.Frames.TryGetValue(pageIndex, out uint frame))
            {
                frame = Space.Frames.Allocate(); // the page cache's reference
                Machine.Bus.WriteRam(frame << PhysicalBus.PageBits, contents.AsSpan((int)page, (int)ProcessAddressSpace.PageSize));
                file.Frames[pageIndex] = frame;
            }
            Space.MapFrame(start + page, frame, rights, PageAttributes.Normal, sharedFile: true);
            MakeCoherent(start + page);
        }
    }

    /// <summary>
    /// The memory type make_coherent gives shared aliases: L_PTE_MT_BUFFERABLE, uncached but
    /// bufferable (arch/arm/mm/fault-armv.c, shared_pte_mask; L_PTE_MT_UNCACHED only on CPUs
    /// whose write buffer fails check_writebuffer_bugs, which the ARM926 passes).
    /// </summary>
    private static readonly PageAttributes SharedAliasAttributes = new(Cacheable: false, Bufferable: true);

    /// <summary>
    /// make_coherent (arch/arm/mm/fault-armv.c), run by update_mmu_cache when a page of a
    /// shared file mapping is mapped on a CPU with a VIVT cache: if other MAP_SHARED mappings
    /// in the same process map the same file page at other addresses, each alias and the new
    /// page are flushed from the caches (flush_cache_page) and made uncacheable, since
    /// user space may write through any alias and read through another without maintenance.
    /// Linux does it at the page's first fault; pages here are mapped eagerly, so it is done
    /// at mmap. As in Linux, the pages stay uncacheable when the other aliases go. Off with
    /// --no-make-coherent, and not needed without a cache model or with a VIPT/PIPT D-cache.
    /// </summary>
    private void MakeCoherent(uint va)
    {
        if (!_makeCoherent || Machine.Caches?.DataCache?.Config.Indexing != CacheIndexing.Vivt) return;
        var aliases = Space.SharedFilePagesOf(Space.FrameOf(va) >> PhysicalBus.PageBits);
        if (aliases.Count < 2) return;
        foreach (uint page in aliases)
        {
            if (Space.AttributesOf(page, AccessKind.Read) == SharedAliasAttributes) continue;
            Machine.FlushUserPage(page);
            Space.SetAttributes(page, SharedAliasAttributes);
        }
    }

    /// <summary>Drops page-cache frames no mapping uses any more, writing them back to their files.</summary>
    private void TrimPageCache()
    {
        foreach (var (key, file) in _sharedFiles.ToList())
        {
            foreach (var (pageIndex, frame) in file.Frames.ToList())
            {
                if (Space.Frames.References(frame) > 1) continue;
                WriteBack(file, pageIndex, frame);
                Space.Frames.Free(frame);
                file.Frames.Remove(pageIndex);
            }
            if (file.Frames.Count > 0) continue;
            if (file.Fd >= 0) HostLibc.Close(file.Fd);
            _sharedFiles.Remove(key);
        }
    }

    /// <summary>Writes a page-cache frame to its file from RAM (the caller has cleaned the caches over its mappings).</summary>
    private void WriteBack(SharedFile file, long pageIndex, uint frame)
    {
        if (!file.Writable || file.Fd < 0) return;
        HostStat st;
        if (HostLibc.FStat(file.Fd, &st) != 0) return;
        long at = pageIndex * ProcessAddressSpace.PageSize;
        long bytes = Math.Min(ProcessAddressSpace.PageSize, st.Size - at);
        if (bytes <= 0) return;
        var data = new byte[bytes];
        Machine.Bus.ReadRam(frame << PhysicalBus.PageBits, data);
        fixed (byte* p = data) HostLibc.PWrite(file.Fd, p, (nuint)bytes, at);
    }

    /// <summary>Cleans every mapping of a frame from the caches, so that RAM holds what the process wrote.</summary>
    private void CleanMappingsOf(uint frame)
    {
        foreach (uint va in Space.SharedFilePagesOf(frame)) Machine.FlushUserPage(va);
    }

    /// <summary>msync: writes the shared file pages of the range back to their files (MS_ASYNC as MS_SYNC).</summary>
    private long SysMsync(uint address, uint length, uint flags)
    {
        const uint MsAsync = 1, MsInvalidate = 2, MsSync = 4;
        if ((flags & ~(MsAsync | MsInvalidate | MsSync)) != 0 || (address & (ProcessAddressSpace.PageSize - 1)) != 0) return -Errno.EINVAL;
        if ((flags & (MsAsync | MsSync)) == (MsAsync | MsSync)) return -Errno.EINVAL;
        for (ulong page = address; page < (ulong)address + length; page += ProcessAddressSpace.PageSize)
        {
            if (!Space.IsMapped((uint)page)) return -Errno.ENOMEM;
            if (!Space.IsSharedFilePage((uint)page)) continue;
            uint frame = Space.FrameOf((uint)page) >> PhysicalBus.PageBits;
            foreach (var file in _sharedFiles.Values)
                foreach (var (pageIndex, f) in file.Frames)
                    if (f == frame)
                    {
                        CleanMappingsOf(frame);
                        WriteBack(file, pageIndex, frame);
                    }
        }
        return 0;
    }

    /// <summary>At exit: every shared file page goes back to its file, as the kernel's writeback does.</summary>
    internal void WriteBackSharedFiles()
    {
        foreach (var file in _sharedFiles.Values)
            foreach (var (pageIndex, frame) in file.Frames)
            {
                CleanMappingsOf(frame);
                WriteBack(file, pageIndex, frame);
            }
    }

    // ---- /dev/mem --------------------------------------------------------------------------

    /// <summary>
    /// The ranges /dev/mem may map (drivers/char/mem.c, mmap_mem: range_is_allowed, else
    /// EPERM): the reserved DMA memory and device registers. The process's own RAM is refused,
    /// as CONFIG_STRICT_DEVMEM refuses System RAM; so are holes in the physical map.
    /// </summary>
    private long CheckDevMemRange(long offset, uint size)
    {
        if (offset < 0 || offset + size > 1L << 32) return -Errno.EINVAL;
        for (long pa = offset; pa < offset + size; pa += ProcessAddressSpace.PageSize)
            if (!IsDmaMemory((uint)pa) && (Machine.Bus.RamPage((uint)pa) != null || Machine.Bus.FindDevice((uint)pa) is null))
                return -Errno.EPERM;
        return 0;
    }

    private static bool IsDmaMemory(uint pa) => pa - LinuxMachine.DmaMemoryBase < LinuxMachine.DmaMemorySize;

    /// <summary>
    /// mmap of /dev/mem: the pages map the physical frames themselves (remap_pfn_range), with
    /// the memory type phys_mem_access_prot gives (arch/arm/mm/mmu.c): device registers (not
    /// RAM) uncached and unbuffered (pgprot_noncached); RAM cacheable, or with O_SYNC
    /// uncached but bufferable (pgprot_writecombine, C=0 B=1 on ARMv5). MAP_PRIVATE pages
    /// start out sharing the frame read-only; the first write gives the process a private
    /// copy (do_wp_page), which no other bus master ever sees.
    /// </summary>
    private void MapDevMem(uint start, uint size, uint prot, bool shared, bool sync, long offset)
    {
        for (uint page = 0; page < size; page += ProcessAddressSpace.PageSize)
        {
            uint pa = (uint)offset + page;
            var attributes = !IsDmaMemory(pa) ? PageAttributes.Uncached
                : sync ? new PageAttributes(Cacheable: false, Bufferable: true)
                : PageAttributes.Normal;
            Space.MapFrame(start + page, pa >> PhysicalBus.PageBits, RightsOf(prot), attributes, copyOnWrite: !shared);
        }
    }

    /// <summary>
    /// The write fault on a copy-on-write page (mm/memory.c, wp_page_copy): flush the old
    /// mapping's lines (flush_cache_page), copy the frame into a new one of the process's own
    /// and map that, writable and normal memory. The faulting store then runs again.
    /// </summary>
    internal bool BreakCopyOnWrite(uint va)
    {
        uint page = va & ~PhysicalBus.PageMask;
        if (!Space.IsCopyOnWrite(page)) return false;
        Machine.FlushUserPage(page);
        if (Space.ReuseIfSoleOwner(page)) return true;
        uint old = Space.FrameOf(page);
        var data = new byte[ProcessAddressSpace.PageSize];
        if (!Machine.Bus.ReadRam(old, data))
            for (int i = 0; i < data.Length; i += 4)
                BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan(i), Machine.Bus.TryRead(old + (uint)i, 4, out uint word) ? word : 0);
        uint frame = Space.Frames.Allocate();
        Machine.Bus.WriteRam(frame << PhysicalBus.PageBits, data);
        Space.MapFrame(page, frame, Space.RightsOf(page), PageAttributes.Normal);
        Space.Frames.Free(frame); // MapFrame took the mapping's reference
        return true;
    }

    private void MarkBeyondEndOfFile(uint start, uint size)
    {
        if (size == 0) return;
        Space.Protect(start, size, Permission.None);
        for (uint page = 0; page < size; page += ProcessAddressSpace.PageSize) CurrentProcess.PagesBeyondEndOfFile.Add((start + page) >> PhysicalBus.PageBits);
    }

    private void ForgetBeyondEndOfFile(uint start, uint size)
    {
        if (CurrentProcess.PagesBeyondEndOfFile.Count == 0) return;
        for (ulong page = start; page < (ulong)start + size; page += ProcessAddressSpace.PageSize) CurrentProcess.PagesBeyondEndOfFile.Remove((uint)(page >> PhysicalBus.PageBits));
    }

    private bool IsBeyondEndOfFile(uint address) => CurrentProcess.PagesBeyondEndOfFile.Contains(address >> PhysicalBus.PageBits);

    private unsafe long ReadHostFile(int fd, byte[] destination, long offset)
    {
        long total = 0;
        fixed (byte* p = destination)
        {
            while (total < destination.Length)
            {
                long got = HostLibc.Check(HostLibc.PRead(fd, p + total, (nuint)(destination.Length - total), offset + total));
                if (got < 0) return got == -Errno.ESPIPE ? -Errno.ENODEV : got;
                if (got == 0) break;
                total += got;
            }
        }
        return total;
    }

    private long SysMunmap(uint address, uint length)
    {
        if ((address & (ProcessAddressSpace.PageSize - 1)) != 0 || length == 0 || (ulong)address + length > TaskSize) return -Errno.EINVAL;
        Machine.FlushUserRange(address, address + PageAlignUp(length));
        Space.Unmap(address, PageAlignUp(length));
        ForgetBeyondEndOfFile(address, PageAlignUp(length));
        TrimPageCache();
        return 0;
    }

    private long SysMprotect(uint address, uint length, uint prot)
    {
        const uint ProtSem = 0x8, ProtGrowsDown = 0x0100_0000, ProtGrowsUp = 0x0200_0000;
        // do_mprotect_pkey's order: both growth bits, the alignment, an empty range (success),
        // a range that wraps or leaves user space (no vma there: ENOMEM), then unknown bits.
        if ((prot & (ProtGrowsDown | ProtGrowsUp)) == (ProtGrowsDown | ProtGrowsUp)) return -Errno.EINVAL;
        if ((address & (ProcessAddressSpace.PageSize - 1)) != 0) return -Errno.EINVAL;
        if (length == 0) return 0;
        if ((ulong)address + PageAlignUp64(length) > TaskSize) return -Errno.ENOMEM;
        if ((prot & ~(ProtRead | ProtWrite | ProtExec | ProtSem | ProtGrowsDown | ProtGrowsUp)) != 0) return -Errno.EINVAL;
        Machine.FlushUserRange(address, address + PageAlignUp(length));
        if (!Space.Protect(address, PageAlignUp(length), RightsOf(prot))) return -Errno.ENOMEM;
        // Pages past the end of a mapped file stay inaccessible whatever their protection.
        for (uint page = 0; CurrentProcess.PagesBeyondEndOfFile.Count > 0 && page < PageAlignUp(length); page += ProcessAddressSpace.PageSize)
            if (IsBeyondEndOfFile(address + page)) Space.Protect(address + page, ProcessAddressSpace.PageSize, Permission.None);
        return 0;
    }

    private long SysMremap(uint oldAddress, uint oldLength, uint newLength, uint flags, uint newAddress)
    {
        const uint MremapDontUnmap = 4;
        // mm/mremap.c: flags it does not know, FIXED or DONTUNMAP without MAYMOVE: EINVAL.
        if ((flags & ~(MremapMayMove | MremapFixed | MremapDontUnmap)) != 0) return -Errno.EINVAL;
        if ((flags & (MremapFixed | MremapDontUnmap)) != 0 && (flags & MremapMayMove) == 0) return -Errno.EINVAL;
        if ((oldAddress & (ProcessAddressSpace.PageSize - 1)) != 0 || newLength == 0 || (flags & MremapFixed) != 0) return -Errno.EINVAL;
        uint oldSize = PageAlignUp(oldLength), newSize = PageAlignUp(newLength);
        // A length that rounds up past 4 GiB is zero after PAGE_ALIGN on a 32-bit kernel: "a zero
        // new-len is nonsensical" (mm/mremap.c), EINVAL, never a shrink to nothing.
        if (newSize == 0) return -Errno.EINVAL;
        if (!Space.IsMapped(oldAddress)) return -14; // EFAULT
        if (newSize <= oldSize)
        {
            if (newSize < oldSize)
            {
                Machine.FlushUserRange(oldAddress + newSize, oldAddress + oldSize);
                Space.Unmap(oldAddress + newSize, oldSize - newSize);
                ForgetBeyondEndOfFile(oldAddress + newSize, oldSize - newSize);
                TrimPageCache();
            }
            return oldAddress;
        }
        var rights = Space.RightsOf(oldAddress);
        try
        {
            if ((ulong)oldAddress + newSize <= TaskSize && Space.IsFree(oldAddress + oldSize, newSize - oldSize))
            {
                Space.Map(oldAddress + oldSize, newSize - oldSize, rights);
                return oldAddress;
            }
            if ((flags & MremapMayMove) == 0) return -Errno.ENOMEM;
            uint? target = Space.FindFree(newSize, ExecImage.MmapStart, TaskSize);
            if (target is null) return -Errno.ENOMEM;
            // Move the page table entries themselves: the data stays where it is physically, and
            // each page keeps its memory type and flags (move_ptes).
            for (uint off = 0; off < oldSize; off += ProcessAddressSpace.PageSize)
                Space.CopyMapping(oldAddress + off, target.Value + off);
            Machine.FlushUserRange(oldAddress, oldAddress + oldSize);
            Space.Names.Move(oldAddress, target.Value, oldSize);
            Space.Unmap(oldAddress, oldSize);
            ForgetBeyondEndOfFile(oldAddress, oldSize);
            Space.Map(target.Value + oldSize, newSize - oldSize, rights);
            return target.Value;
        }
        catch (OutOfGuestMemoryException)
        {
            return -Errno.ENOMEM;
        }
    }
}
