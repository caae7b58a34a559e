namespace ArmEmu.Memory.Caches;

/// <summary>
/// Memory attributes of a page for one access: the C and B bits of its descriptor (ARM ARM
/// B5.4; in VMSAv7 terms, C=1 B=1 write-back, C=1 B=0 write-through, C=0 B=1 Normal
/// Non-cacheable or bufferable, C=0 B=0 Strongly-ordered or Device).
/// </summary>
internal readonly record struct PageAttributes(bool Cacheable, bool Bufferable)
{
    public static readonly PageAttributes Normal = new(true, true);
    public static readonly PageAttributes Uncached = new(false, false);

    /// <summary>
    /// Write-back with write-allocate (VMSAv7 TEX[0]=1 with C=B=1, or a TEX remap giving WBWA):
    /// a cache whose allocation is <see cref="AllocationPolicy.PerPage"/> fills a line on a
    /// write miss. The ARMv5 MMU never sets it.
    /// </summary>
    public bool WriteAllocate { get; init; }
}
