using System.Runtime.CompilerServices;

namespace ArmEmu.Memory.Caches;

/// <summary>
/// The one place a cache's index and tag addresses are computed from an access's addresses
/// (ARM ARM DDI 0406C B2.2.1 and B4.1: VIVT, VIPT, PIPT). Every lookup -- loads, stores,
/// fetches, maintenance by MVA, prefetch, debug views -- asks <see cref="Keys"/>, so the
/// three indexing schemes cannot drift apart. A scheme is two choices (index by the MVA or the
/// PA, tag by the MVA or the PA), so <see cref="Keys"/> is a plain method the JIT inlines into
/// every lookup, not a virtual call (one per miss; chase with the cache model makes 135 million).
/// </summary>
internal sealed class LineIndexing
{
    private readonly bool _tagByVirtual;

    private LineIndexing(bool indexByVirtual, bool tagByVirtual)
    {
        IndexedByVirtualAddress = indexByVirtual;
        _tagByVirtual = tagByVirtual;
    }

    /// <summary>Virtually indexed, virtually tagged, both by the MVA (the ARM926: FCSE-modified VA).</summary>
    public static LineIndexing Vivt { get; } = new(indexByVirtual: true, tagByVirtual: true);

    /// <summary>Virtually indexed (by the MVA), physically tagged (the Cortex-A9 I-cache).</summary>
    public static LineIndexing Vipt { get; } = new(indexByVirtual: true, tagByVirtual: false);

    /// <summary>Physically indexed and tagged (the Cortex-A9 D-cache, the PL310).</summary>
    public static LineIndexing Pipt { get; } = new(indexByVirtual: false, tagByVirtual: false);

    public static LineIndexing For(CacheIndexing kind) => kind switch
    {
        CacheIndexing.Vivt => Vivt,
        CacheIndexing.Vipt => Vipt,
        _ => Pipt,
    };

    /// <summary>The index and tag addresses of an access whose modified virtual address is <paramref name="mva"/> and physical address <paramref name="pa"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public (uint Index, uint Tag) Keys(uint mva, uint pa) => (IndexedByVirtualAddress ? mva : pa, _tagByVirtual ? mva : pa);

    /// <summary>True when <see cref="Keys"/> reads the physical address: maintenance by MVA must translate first.</summary>
    public bool NeedsPhysicalAddress => !(IndexedByVirtualAddress && _tagByVirtual);

    /// <summary>True when the set comes from the virtual address: a physical line may sit in more than one set (aliases).</summary>
    public bool IndexedByVirtualAddress { get; }
}
