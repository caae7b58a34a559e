using System.Text;
using ArmEmu.Memory;

namespace ArmEmu.Emulator.Linux;

/// <summary>
/// madvise (mm/madvise.c). MADV_DONTNEED drops the pages of private mappings: an anonymous
/// page reads as zeros afterwards and a private file page as the file's bytes again (its
/// copy-on-write copy is gone); pages of shared mappings keep their contents (they live in
/// the page cache or shmem). The other advice values change nothing a program can observe
/// here and succeed. As on Linux and unlike qemu-arm 7.2 (which answers both with success),
/// an unknown advice value is EINVAL and a range with unmapped pages ENOMEM.
/// </summary>
internal sealed unsafe partial class LinuxKernel
{
    private const int MadvDontNeed = 4;

    // In a class of its own, so that the set is built by the first madvise, not by the kernel's
    // static constructor (which every start-up runs: each collection there was type loads and a
    // default comparer made by reflection).
    private static class Advice
    {
        public static readonly HashSet<int> Known =
            [0, 1, 2, 3, MadvDontNeed, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 100, 101];
    }

    private long SysMadvise(uint address, uint length, int advice)
    {
        if ((address & (ProcessAddressSpace.PageSize - 1)) != 0 || !Advice.Known.Contains(advice)) return -Errno.EINVAL;
        ulong size = PageAlignUp64(length);
        if (length != 0 && size == 0 || (ulong)address + size > 1UL << 32) return -Errno.EINVAL;
        if (size == 0) return 0;
        bool allMapped = true;
        for (ulong page = address; page < address + size; page += ProcessAddressSpace.PageSize)
            allMapped &= Space.IsMapped((uint)page);
        if (advice != MadvDontNeed) return allMapped ? 0 : -Errno.ENOMEM;
        // MADV_DONTNEED on a range with holes drops what is mapped and reports ENOMEM.
        Machine.FlushUserRange(address, (uint)Math.Min(address + size, uint.MaxValue));
        try
        {
            for (ulong page = address; page < address + size; page += ProcessAddressSpace.PageSize)
                DropPage((uint)page);
        }
        catch (OutOfGuestMemoryException)
        {
            return -Errno.ENOMEM;
        }
        return allMapped ? 0 : -Errno.ENOMEM;
    }

    /// <summary>One page of MADV_DONTNEED: a fresh zeroed frame, filled from the file for a private file mapping.</summary>
    private void DropPage(uint page)
    {
        if (!Space.IsMapped(page) || Space.IsShared(page) || !Machine.Frames.Owns(Space.FrameOf(page) >> PhysicalBus.PageBits)) return;
        var rights = Space.RightsOf(page);
        var name = Space.Names.At(page);
        Space.Map(page, ProcessAddressSpace.PageSize, rights);
        if (name is null) return;
        Space.Names.Set(page, page + ProcessAddressSpace.PageSize, name.Name, name.Offset + (page - name.Start), name.Device, name.Inode);
        if (!name.Name.StartsWith('/') || name.Inode == 0) return;
        // The file's bytes again, read by name (the mapping keeps no descriptor); what the file no longer has stays zero.
        int fd;
        fixed (byte* p = Encoding.UTF8.GetBytes(name.Name + "\0")) fd = HostLibc.OpenAt(HostLibc.AtFdCwd, p, OCloExecHost, 0);
        if (fd < 0) return;
        try
        {
            var bytes = new byte[ProcessAddressSpace.PageSize];
            long got = ReadHostFile(fd, bytes, (long)(name.Offset + (page - name.Start)));
            if (got > 0) Memory.DebugWrite(page, bytes.AsSpan(0, (int)got));
        }
        finally
        {
            HostLibc.Close(fd);
        }
    }
}
