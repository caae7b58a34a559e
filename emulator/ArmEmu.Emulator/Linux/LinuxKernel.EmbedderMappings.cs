using System.Runtime.InteropServices;
using ArmEmu.Memory;
using ArmEmu.Memory.Caches;

namespace ArmEmu.Emulator.Linux;

/// <summary>
/// The embedding API's memory map (<see cref="IMachine.MapMemory(uint, uint, Permission)"/> and
/// the rest on a <see cref="LinuxProcess"/>): changes to the running process's address space made
/// as its own mmap, munmap and mprotect make them, so /proc/self/maps lists them, the guest's
/// mmap without MAP_FIXED goes around them, the caches are flushed as flush_cache_range does and
/// the decoded-instruction store follows the executable mappings (<see cref="ExecutableMappings"/>).
/// Unlike the system calls, a bad range is the embedder's error: an <see cref="ArgumentException"/>,
/// never a partial change.
/// </summary>
internal sealed unsafe partial class LinuxKernel
{
    // The caller's buffers: pinned RAM on the physical bus until the machine goes (a forked child
    // may still map a frame of one after the embedder unmapped it from the first process).
    private readonly List<GCHandle> _embedderBuffers = new();

    /// <summary>Maps zeroed private anonymous memory, as mmap(MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED) over free pages.</summary>
    internal void MapForEmbedder(uint address, uint size, Permission rights)
    {
        CheckFree(address, size);
        try
        {
            Space.Map(address, size, rights);
        }
        catch (OutOfGuestMemoryException)
        {
            Space.Unmap(address, size); // the pages that did get frames
            throw new ArgumentException($"0x{address:x8}+0x{size:x}: the machine's RAM is exhausted");
        }
        ForgetBeyondEndOfFile(address, size);
    }

    /// <summary>
    /// Maps the caller's buffer: it becomes RAM on the physical bus at a free physical range (as a
    /// device's memory that /dev/mem maps, outside the frames processes' pages come from), and the
    /// process's pages map its frames, normal cacheable memory. A fork shares them with the child.
    /// </summary>
    internal void MapBufferForEmbedder(uint address, byte[] buffer, Permission rights)
    {
        uint size = (uint)buffer.Length;
        CheckFree(address, size);
        uint physical = FreePhysicalRange(size)
            ?? throw new ArgumentException($"no free physical range of 0x{size:x} bytes for the buffer");
        var pinned = GCHandle.Alloc(buffer, GCHandleType.Pinned);
        try
        {
            Machine.Bus.AddRam(physical, size, (byte*)pinned.AddrOfPinnedObject(), $"buffer@{address:x8}");
        }
        catch
        {
            pinned.Free();
            throw;
        }
        _embedderBuffers.Add(pinned);
        for (uint off = 0; off < size; off += ProcessAddressSpace.PageSize)
            Space.MapFrame(address + off, (physical + off) >> PhysicalBus.PageBits, rights, PageAttributes.Normal);
        ForgetBeyondEndOfFile(address, size);
    }

    /// <summary>munmap of mapped pages.</summary>
    internal void UnmapForEmbedder(uint address, uint size)
    {
        CheckMapped(address, size);
        long result = SysMunmap(address, size);
        if (result < 0) throw new ArgumentException($"munmap 0x{address:x8}+0x{size:x} failed: errno {-result}");
    }

    /// <summary>mprotect of mapped pages.</summary>
    internal void ProtectForEmbedder(uint address, uint size, Permission rights)
    {
        CheckMapped(address, size);
        uint prot = ((rights & Permission.Read) != 0 ? ProtRead : 0) | ((rights & Permission.Write) != 0 ? ProtWrite : 0)
            | ((rights & Permission.Execute) != 0 ? ProtExec : 0);
        long result = SysMprotect(address, size, prot);
        if (result < 0) throw new ArgumentException($"mprotect 0x{address:x8}+0x{size:x} failed: errno {-result}");
    }

    /// <summary>The running process's mapped pages in runs of equal rights (what /proc/self/maps shows, less names and sharing).</summary>
    internal IReadOnlyList<MemoryRegion> RegionsForEmbedder()
    {
        var space = Space;
        var pages = new List<(uint, Permission)>();
        for (ulong va = 0; va < 1UL << 32; va += ProcessAddressSpace.PageSize)
            if (space.IsMapped((uint)va)) pages.Add(((uint)va, space.RightsOf((uint)va)));
        return PhysicalMemoryMap.MergeRegions(pages);
    }

    /// <summary>Unpins the caller's buffers (the machine is gone).</summary>
    internal void ReleaseEmbedderBuffers()
    {
        foreach (var pinned in _embedderBuffers) pinned.Free();
        _embedderBuffers.Clear();
    }

    private void CheckUserPages(uint address, uint size)
    {
        PhysicalMemoryMap.CheckPages(address, size);
        if ((ulong)address + size > TaskSize)
            throw new ArgumentException($"0x{address:x8}+0x{size:x} is not all user space (below 0x{TaskSize:x8})");
    }

    private void CheckFree(uint address, uint size)
    {
        CheckUserPages(address, size);
        for (ulong a = address; a < (ulong)address + size; a += ProcessAddressSpace.PageSize)
            if (Space.IsMapped((uint)a)) throw new ArgumentException($"0x{address:x8}+0x{size:x} overlaps mapped memory at 0x{a:x8}");
    }

    private void CheckMapped(uint address, uint size)
    {
        CheckUserPages(address, size);
        for (ulong a = address; a < (ulong)address + size; a += ProcessAddressSpace.PageSize)
            if (!Space.IsMapped((uint)a)) throw new ArgumentException($"page 0x{a:x8} is not mapped");
    }

    /// <summary>A run of physical pages with neither RAM nor a device, above the processes' RAM first.</summary>
    private uint? FreePhysicalRange(uint size)
    {
        var bus = Machine.Bus;
        bool Free(uint pa) => bus.RamPage(pa) == null && bus.FindDevice(pa) is null;
        ulong top = (ulong)LinuxMachine.ProcessRamBase + Machine.RamSize;
        foreach (var (from, to) in new[] { (top, 1UL << 32), (0x1100_0000UL, (ulong)LinuxMachine.ProcessRamBase) })
        {
            ulong start = from;
            while (start + size <= to)
            {
                ulong a = start;
                while (a < start + size && Free((uint)a)) a += PhysicalBus.PageSize;
                if (a >= start + size) return (uint)start;
                start = a + PhysicalBus.PageSize;
            }
        }
        return null;
    }
}
