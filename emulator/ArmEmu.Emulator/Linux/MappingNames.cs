namespace ArmEmu.Emulator.Linux;

/// <summary>
/// What /proc/PID/maps says about the pages of an address space besides their rights: the
/// file a range maps (its path, device, inode and the file offset of the range's first
/// page) or a name such as "[stack]" or "[vectors]". Linux keeps this in each vma (vm_file,
/// vm_pgoff); here the pages carry rights and frames, and this side table the names, as
/// sorted non-overlapping ranges. Mapping fresh pages or unmapping them removes their
/// names (<see cref="ProcessAddressSpace"/> does it); the kernel names what it maps.
/// </summary>
internal sealed class MappingNames
{
    /// <summary>One named range [Start, End): the file offset is that of Start.</summary>
    public sealed record Range(uint Start, uint End, string Name, ulong Offset, ulong Device, ulong Inode);

    private readonly List<Range> _ranges = [];

    public IReadOnlyList<Range> Ranges => _ranges;

    /// <summary>Names [start, end), replacing any names there.</summary>
    public void Set(uint start, uint end, string name, ulong offset = 0, ulong device = 0, ulong inode = 0)
    {
        if (end <= start) return;
        Remove(start, end);
        int at = _ranges.FindIndex(r => r.Start >= end);
        _ranges.Insert(at < 0 ? _ranges.Count : at, new Range(start, end, name, offset, device, inode));
    }

    /// <summary>Forgets the names of [start, end): ranges across an edge keep their outer part (with its offset).</summary>
    public void Remove(uint start, ulong end)
    {
        for (int i = _ranges.Count - 1; i >= 0; i--)
        {
            var r = _ranges[i];
            if (r.End <= start || r.Start >= end) continue;
            _ranges.RemoveAt(i);
            if (r.Start < start) _ranges.Insert(i, r with { End = start });
            if (r.End > end)
                _ranges.Insert(r.Start < start ? i + 1 : i, r with { Start = (uint)end, Offset = r.Offset + (end - r.Start) });
        }
    }

    /// <summary>The named range holding <paramref name="address"/>, or null.</summary>
    public Range? At(uint address)
    {
        int lo = 0, hi = _ranges.Count - 1;
        while (lo <= hi)
        {
            int mid = (lo + hi) / 2;
            var r = _ranges[mid];
            if (address < r.Start) hi = mid - 1;
            else if (address >= r.End) lo = mid + 1;
            else return r;
        }
        return null;
    }

    /// <summary>mremap: the names of [from, from+size) move to [to, to+size) (the old place loses them).</summary>
    public void Move(uint from, uint to, uint size)
    {
        var moved = _ranges.Where(r => r.End > from && r.Start < (ulong)from + size).ToList();
        Remove(from, (ulong)from + size);
        foreach (var r in moved)
        {
            uint s = Math.Max(r.Start, from), e = (uint)Math.Min(r.End, (ulong)from + size);
            Set(to + (s - from), to + (e - from), r.Name, r.Offset + (s - r.Start), r.Device, r.Inode);
        }
    }

    public void Clear() => _ranges.Clear();

    public MappingNames Copy()
    {
        var copy = new MappingNames();
        copy._ranges.AddRange(_ranges);
        return copy;
    }
}
