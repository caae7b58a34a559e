namespace ArmEmu.Memory;

/// <summary>
/// The MMU/TLB seam: turns a virtual address into a physical one for a given
/// access, or faults. Implementations: <see cref="FlatTranslation"/> (no MMU:
/// identity with per-page rights, as Unicorn maps memory), the ARMv5 MMU, and a
/// Linux process's page-granular address space.
/// </summary>
internal interface IAddressTranslator
{
    /// <summary>
    /// Translates <paramref name="va"/> for <paramref name="access"/>.
    /// Throws <see cref="MemoryFault"/> when the access is not allowed.
    /// </summary>
    uint Translate(uint va, AccessKind access);

    /// <summary>
    /// As <see cref="Translate(uint, AccessKind)"/>; <paramref name="wholePage"/> says whether the
    /// answer (physical page and rights) holds for every address of <paramref name="va"/>'s 4 KiB
    /// page, so that the memory port may put the page on its fast path. A translator with finer
    /// mappings (the ARMv5 MMU's 1 KiB tiny pages and subpage permissions) says false for them.
    /// </summary>
    uint Translate(uint va, AccessKind access, out bool wholePage)
    {
        wholePage = true;
        return Translate(va, access);
    }

    /// <summary>
    /// The memory attributes (C and B bits) of the page holding <paramref name="va"/> for
    /// <paramref name="access"/>, after a successful <see cref="Translate(uint, AccessKind)"/>.
    /// Only the cache model asks. Without an MMU everything is normal, cacheable memory.
    /// </summary>
    Caches.PageAttributes AttributesOf(uint va, AccessKind access) => Caches.PageAttributes.Normal;

    /// <summary>
    /// Raised when earlier translations may no longer hold (a TLB flush, a
    /// mapping or permission change). The memory port drops its fast-path
    /// entries in response.
    /// </summary>
    event Action? TranslationsChanged;
}

/// <summary>
/// No MMU: virtual equals physical. Each 4 KiB page carries Unicorn-style
/// rights; a page never mapped faults as <see cref="FaultKind.Unmapped"/>.
/// Rights do not depend on privilege.
/// </summary>
internal sealed class FlatTranslation : IAddressTranslator
{
    private readonly Permission[] _pages = new Permission[1 << (32 - PhysicalBus.PageBits)];
    private readonly bool[] _mapped = new bool[1 << (32 - PhysicalBus.PageBits)];

    public event Action? TranslationsChanged;

    /// <summary>Marks a page-aligned range as mapped with <paramref name="rights"/>.</summary>
    public void Map(uint va, uint size, Permission rights)
    {
        ForEachPage(va, size, p => { _mapped[p] = true; _pages[p] = rights; });
        TranslationsChanged?.Invoke();
    }

    public void Protect(uint va, uint size, Permission rights)
    {
        ForEachPage(va, size, p =>
        {
            if (!_mapped[p]) throw new ArgumentException($"page 0x{p << PhysicalBus.PageBits:x8} is not mapped");
        });
        ForEachPage(va, size, p => _pages[p] = rights);
        TranslationsChanged?.Invoke();
    }

    public void Unmap(uint va, uint size)
    {
        ForEachPage(va, size, p => { _mapped[p] = false; _pages[p] = Permission.None; });
        TranslationsChanged?.Invoke();
    }

    public bool IsMapped(uint va) => _mapped[va >> PhysicalBus.PageBits];

    // Pages of devices: Strongly-ordered (C=0, B=0) for the cache model, so a store reaches the
    // device at once instead of waiting in the write buffer. Null until a device is mapped.
    private bool[]? _device;

    /// <summary>Marks a mapped range as a device's: uncached and unbuffered for the cache model.</summary>
    public void MarkDevice(uint va, uint size)
    {
        _device ??= new bool[1 << (32 - PhysicalBus.PageBits)];
        ForEachPage(va, size, p => _device[p] = true);
        TranslationsChanged?.Invoke();
    }

    /// <summary>Normal cacheable memory, but for device pages (<see cref="MarkDevice"/>), which are Strongly-ordered.</summary>
    public Caches.PageAttributes AttributesOf(uint va, AccessKind access) =>
        _device is not null && _device[va >> PhysicalBus.PageBits] ? Caches.PageAttributes.Uncached : Caches.PageAttributes.Normal;

    public Permission RightsOf(uint va) => _pages[va >> PhysicalBus.PageBits];

    public uint Translate(uint va, AccessKind access)
    {
        uint page = va >> PhysicalBus.PageBits;
        if (!_mapped[page]) throw new MemoryFault(va, access, FaultKind.Unmapped);
        if ((access & AccessKind.Debug) == 0)
        {
            Permission need = (access & AccessKind.Fetch) != 0 ? Permission.Execute
                : (access & AccessKind.Write) != 0 ? Permission.Write : Permission.Read;
            if ((_pages[page] & need) == 0) throw new MemoryFault(va, access, FaultKind.Permission);
        }
        return va;
    }

    private static void ForEachPage(uint va, uint size, Action<uint> action)
    {
        if ((va & PhysicalBus.PageMask) != 0 || (size & PhysicalBus.PageMask) != 0 || (ulong)va + size > 1UL << 32)
            throw new ArgumentException($"range 0x{va:x8}+0x{size:x} is not whole 4 KiB pages");
        for (ulong a = va; a < (ulong)va + size; a += PhysicalBus.PageSize)
            action((uint)(a >> PhysicalBus.PageBits));
    }
}
