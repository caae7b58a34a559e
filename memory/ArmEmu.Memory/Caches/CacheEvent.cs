namespace ArmEmu.Memory.Caches;

/// <summary>What happened to a cache line (<see cref="CacheEvent"/>).</summary>
public enum CacheEventKind : byte
{
    /// <summary>An access looked up the cache and missed (<see cref="CacheEvent.Way"/> is -1: no line yet).</summary>
    Miss,
    /// <summary>A line was filled from the level below.</summary>
    Fill,
    /// <summary>A valid line was replaced by a fill (any dirty data was written back just before).</summary>
    Eviction,
    /// <summary>Dirty data of a line went to the level below: for an eviction or a clean (<see cref="CacheEvent.Maintenance"/>).</summary>
    WriteBack,
    /// <summary>A maintenance operation (or a debugger's write to code) dropped a valid line.</summary>
    Invalidate,
}

/// <summary>
/// One thing a cache did to one line, as the embedding API's cache hooks see it. Reported only
/// while someone listens (<see cref="Cache.Events"/>), and never for hits: hits are the hot path.
/// </summary>
/// <param name="Kind">What happened.</param>
/// <param name="Cache">Which cache (its <see cref="Cache.Name"/> and <see cref="Cache.Level"/>).</param>
/// <param name="Set">The set.</param>
/// <param name="Way">The way; -1 for a miss.</param>
/// <param name="Address">For a miss, the address accessed (virtual for a virtually indexed L1, else physical); otherwise the line's physical address.</param>
/// <param name="Write">For a miss, whether the access was a write.</param>
/// <param name="Maintenance">For a write-back or an invalidation: caused by a maintenance operation rather than an eviction.</param>
public readonly record struct CacheEvent(CacheEventKind Kind, Cache Cache, int Set, int Way, uint Address, bool Write, bool Maintenance)
{
    /// <summary>1 for the L1 caches, 2 for the outer cache.</summary>
    public int Level => Cache.Level;

    /// <summary>The event in one line, for logs: level, cache, kind, set, way, address, and whether a write or maintenance caused it.</summary>
    public override string ToString() =>
        $"L{Level} {Cache.Name} {Kind} set {Set} way {Way} 0x{Address:x8}{(Write ? " write" : "")}{(Maintenance ? " (maintenance)" : "")}";
}
