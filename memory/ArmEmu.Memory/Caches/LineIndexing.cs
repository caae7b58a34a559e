namespace ArmEmu.Memory.Caches;

/// <summary>
/// The one place a cache's index and tag addresses are computed from an access's addresses
/// (ARM ARM DDI 0406C B2.2.1 and B4.1: VIVT, VIPT, PIPT). Every lookup -- loads, stores,
/// fetches, maintenance by MVA, prefetch, debug views -- asks <see cref="Keys"/>, so the
/// three indexing schemes cannot drift apart.
/// </summary>
internal abstract class LineIndexing
{
    /// <summary>Virtually indexed, virtually tagged, both by the MVA (the ARM926: FCSE-modified VA).</summary>
    public static LineIndexing Vivt { get; } = new VivtIndexing();

    /// <summary>Virtually indexed (by the MVA), physically tagged (the Cortex-A9 I-cache).</summary>
    public static LineIndexing Vipt { get; } = new ViptIndexing();

    /// <summary>Physically indexed and tagged (the Cortex-A9 D-cache, the PL310).</summary>
    public static LineIndexing Pipt { get; } = new PiptIndexing();

    public static LineIndexing For(CacheIndexing kind) => kind switch
    {
        CacheIndexing.Vivt => Vivt,
        CacheIndexing.Vipt => Vipt,
        _ => Pipt,
    };

    /// <summary>The index and tag addresses of an access whose modified virtual address is <paramref name="mva"/> and physical address <paramref name="pa"/>.</summary>
    public abstract (uint Index, uint Tag) Keys(uint mva, uint pa);

    /// <summary>True when <see cref="Keys"/> reads the physical address: maintenance by MVA must translate first.</summary>
    public abstract bool NeedsPhysicalAddress { get; }

    /// <summary>True when the set comes from the virtual address: a physical line may sit in more than one set (aliases).</summary>
    public abstract bool IndexedByVirtualAddress { get; }

    private sealed class VivtIndexing : LineIndexing
    {
        public override (uint Index, uint Tag) Keys(uint mva, uint pa) => (mva, mva);
        public override bool NeedsPhysicalAddress => false;
        public override bool IndexedByVirtualAddress => true;
    }

    private sealed class ViptIndexing : LineIndexing
    {
        public override (uint Index, uint Tag) Keys(uint mva, uint pa) => (mva, pa);
        public override bool NeedsPhysicalAddress => true;
        public override bool IndexedByVirtualAddress => true;
    }

    private sealed class PiptIndexing : LineIndexing
    {
        public override (uint Index, uint Tag) Keys(uint mva, uint pa) => (pa, pa);
        public override bool NeedsPhysicalAddress => true;
        public override bool IndexedByVirtualAddress => false;
    }
}
