using ArmEmu.Memory;

namespace ArmEmu.Emulator.Linux;

/// <summary>brk, mmap2, munmap, mprotect, mremap: the process's page mappings.</summary>
public sealed partial class LinuxKernel
{
    private const uint ProtRead = 1, ProtWrite = 2, ProtExec = 4;
    private const uint MapShared = 0x01, MapPrivate = 0x02, MapFixed = 0x10, MapAnonymous = 0x20;
    private const uint MremapMayMove = 1, MremapFixed = 2;

    /// <summary>The top of user space: TASK_SIZE for ARM's 3G/1G split (PAGE_OFFSET - 16 MiB).</summary>
    public const uint TaskSize = 0xBF00_0000;

    private static uint PageAlignUp(uint value) => (uint)(((ulong)value + ProcessAddressSpace.PageSize - 1) & ~(ulong)(ProcessAddressSpace.PageSize - 1));

    private static Permission RightsOf(uint prot) =>
        ((prot & ProtRead) != 0 ? Permission.Read : 0) | ((prot & ProtWrite) != 0 ? Permission.Write : 0)
        | ((prot & ProtExec) != 0 ? Permission.Execute : 0);

    private long SysBrk(uint requested)
    {
        uint current = _process.Brk;
        if (requested < _process.BrkStart) return current;
        uint oldTop = PageAlignUp(current), newTop = PageAlignUp(requested);
        try
        {
            if (newTop > oldTop)
            {
                if (newTop > _process.MmapBase || !Space.IsFree(oldTop, newTop - oldTop)) return current;
                Space.Map(oldTop, newTop - oldTop, Permission.Read | Permission.Write);
            }
            else if (newTop < oldTop)
            {
                _process.FlushUserRange(newTop, oldTop);
                Space.Unmap(newTop, oldTop - newTop);
            }
        }
        catch (OutOfGuestMemoryException)
        {
            return current;
        }
        _process.Brk = requested;
        return requested;
    }

    private long SysMmap(uint address, uint length, uint prot, uint flags, int fd, long offset)
    {
        if (length == 0 || (address & (ProcessAddressSpace.PageSize - 1)) != 0) return -Errno.EINVAL;
        if (((flags & MapShared) != 0) == ((flags & MapPrivate) != 0)) return -Errno.EINVAL;
        uint size = PageAlignUp(length);
        if (size == 0) return -Errno.ENOMEM;

        byte[]? contents = null;
        uint filePages = size;
        if ((flags & MapAnonymous) == 0)
        {
            // do_mmap: the file must be open for reading, and for writing too if a shared mapping may write it.
            long mode = HostLibc.Check(HostLibc.FCntl(fd, 3 /* F_GETFL */, 0));
            if (mode < 0) return mode;
            if ((mode & 3) == 1 /* O_WRONLY */ || ((flags & MapShared) != 0 && (prot & ProtWrite) != 0 && (mode & 3) != 2 /* O_RDWR */))
                return -Errno.EACCES;
            // A file mapping is a private copy of the file's bytes (writes to a MAP_SHARED
            // file mapping are not written back).
            contents = new byte[size];
            long got = ReadHostFile(fd, contents, offset);
            if (got < 0) return got;
            filePages = Math.Min(size, PageAlignUp((uint)Math.Min(got, uint.MaxValue)));
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
            uint? free = Space.FindFree(size, _process.MmapBase, TaskSize);
            if (free is null) return -Errno.ENOMEM;
            start = free.Value;
        }

        try
        {
            Space.Map(start, size, RightsOf(prot));
        }
        catch (OutOfGuestMemoryException)
        {
            return -Errno.ENOMEM;
        }
        ForgetBeyondEndOfFile(start, size);
        if (contents is not null)
        {
            Memory.DebugWrite(start, contents);
            MarkBeyondEndOfFile(start + filePages, size - filePages);
            if (FileMapped is { } observer && offset == 0 && HostFdPath(fd) is { } hostPath)
                observer(hostPath, start, contents);
        }
        return start;
    }

    /// <summary>
    /// A file was mapped from its start (the dynamic loader mapping a shared object):
    /// its host path, the guest address and the bytes mapped. For profiles and traces.
    /// </summary>
    public event Action<string, uint, byte[]>? FileMapped;

    // Guest descriptors are host descriptors, so the host's /proc names the file.
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

    // Pages of file mappings that lie wholly past the end of the file: touching one is SIGBUS
    // (BUS_ADRERR), not SIGSEGV (mm/filemap.c, filemap_fault). They stay mapped, without rights.
    private readonly HashSet<uint> _beyondEndOfFile = new();

    private void MarkBeyondEndOfFile(uint start, uint size)
    {
        if (size == 0) return;
        Space.Protect(start, size, Permission.None);
        for (uint page = 0; page < size; page += ProcessAddressSpace.PageSize) _beyondEndOfFile.Add((start + page) >> PhysicalBus.PageBits);
    }

    private void ForgetBeyondEndOfFile(uint start, uint size)
    {
        if (_beyondEndOfFile.Count == 0) return;
        for (ulong page = start; page < (ulong)start + size; page += ProcessAddressSpace.PageSize) _beyondEndOfFile.Remove((uint)(page >> PhysicalBus.PageBits));
    }

    private bool IsBeyondEndOfFile(uint address) => _beyondEndOfFile.Contains(address >> PhysicalBus.PageBits);

    private unsafe long ReadHostFile(int fd, byte[] destination, long offset)
    {
        long total = 0;
        fixed (byte* p = destination)
        {
            while (total < destination.Length)
            {
                long got = HostLibc.Check(HostLibc.PRead(fd, p + total, (nuint)(destination.Length - total), offset + total));
                if (got < 0) return got == -Errno.ESPIPE ? -19 /* ENODEV */ : got;
                if (got == 0) break;
                total += got;
            }
        }
        return total;
    }

    private long SysMunmap(uint address, uint length)
    {
        if ((address & (ProcessAddressSpace.PageSize - 1)) != 0 || length == 0 || (ulong)address + length > TaskSize) return -Errno.EINVAL;
        _process.FlushUserRange(address, address + PageAlignUp(length));
        Space.Unmap(address, PageAlignUp(length));
        ForgetBeyondEndOfFile(address, PageAlignUp(length));
        return 0;
    }

    private long SysMprotect(uint address, uint length, uint prot)
    {
        if ((address & (ProcessAddressSpace.PageSize - 1)) != 0) return -Errno.EINVAL;
        if (length == 0) return 0;
        _process.FlushUserRange(address, address + PageAlignUp(length));
        if (!Space.Protect(address, PageAlignUp(length), RightsOf(prot))) return -Errno.ENOMEM;
        // Pages past the end of a mapped file stay inaccessible whatever their protection.
        for (uint page = 0; _beyondEndOfFile.Count > 0 && page < PageAlignUp(length); page += ProcessAddressSpace.PageSize)
            if (IsBeyondEndOfFile(address + page)) Space.Protect(address + page, ProcessAddressSpace.PageSize, Permission.None);
        return 0;
    }

    private long SysMremap(uint oldAddress, uint oldLength, uint newLength, uint flags, uint newAddress)
    {
        if ((oldAddress & (ProcessAddressSpace.PageSize - 1)) != 0 || newLength == 0 || (flags & MremapFixed) != 0) return -Errno.EINVAL;
        uint oldSize = PageAlignUp(oldLength), newSize = PageAlignUp(newLength);
        if (!Space.IsMapped(oldAddress)) return -14; // EFAULT
        if (newSize <= oldSize)
        {
            if (newSize < oldSize)
            {
                _process.FlushUserRange(oldAddress + newSize, oldAddress + oldSize);
                Space.Unmap(oldAddress + newSize, oldSize - newSize);
                ForgetBeyondEndOfFile(oldAddress + newSize, oldSize - newSize);
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
            uint? target = Space.FindFree(newSize, _process.MmapBase, TaskSize);
            if (target is null) return -Errno.ENOMEM;
            // Move the frames themselves: the data stays where it is physically.
            for (uint off = 0; off < oldSize; off += ProcessAddressSpace.PageSize)
                Space.MapFrame(target.Value + off, Space.FrameOf(oldAddress + off) >> PhysicalBus.PageBits, Space.RightsOf(oldAddress + off));
            _process.FlushUserRange(oldAddress, oldAddress + oldSize);
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
