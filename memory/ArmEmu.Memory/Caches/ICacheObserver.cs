namespace ArmEmu.Memory.Caches;

/// <summary>
/// Sees what the caches do, access by access: the profiler (<c>--profile</c>) charges misses and
/// write-backs to the instruction executing, the tracer (<c>--trace</c>) prints hit or miss per
/// access. <see cref="CacheSystem.Observer"/> is null when nobody asks, so the modelled path pays
/// one null check.
/// </summary>
/// <remarks>
/// Misses and write-backs are always reported. Hits are reported only for accesses that take the
/// full path: the memory port's D-cache hit path (<see cref="CacheSystem.TryReadHit"/>,
/// <see cref="CacheSystem.TryWriteHit"/>) and the CPU's fetches served from decoded I-cache lines
/// count their hits without calling here. A memory-port observer (<see cref="IMemoryObserver"/>)
/// turns both of those off, so a tracer sees every hit.
/// </remarks>
internal interface ICacheObserver
{
    /// <summary>An instruction fetch looked up the I-cache (a prefetch by c7,c13,1 included).</summary>
    void OnFetch(uint va, bool hit);

    /// <summary>A data read looked up the D-cache. A miss is reported before its line fill (and the eviction it causes).</summary>
    void OnDataRead(uint va, bool hit);

    /// <summary>A data write looked up the D-cache. A miss is reported before any line fill.</summary>
    void OnDataWrite(uint va, bool hit);

    /// <summary>
    /// A dirty D-cache line (one or both halves) went to the write-back buffer: evicted by a
    /// miss, or cleaned by a CP15 c7 operation. <paramref name="pa"/> is the line's address.
    /// </summary>
    void OnWriteBack(uint pa);

    /// <summary>
    /// The access just reported as an L1 miss missed the last level too, cachegrind's LL: the
    /// outer cache when it is in the path (its own lookup missed), else the L1 itself (the line
    /// came from memory). Write-backs of L1 lines are not accesses: an L2 miss of one is not
    /// reported. <paramref name="instruction"/>: a fetch (ILmr); <paramref name="write"/>: a store (DLmw); else a load (DLmr).
    /// </summary>
    void OnLastLevelMiss(uint va, bool instruction, bool write) { }

    /// <summary>Both observers, in order; either may be null.</summary>
    public static ICacheObserver? Combine(ICacheObserver? first, ICacheObserver? second) =>
        first is null ? second : second is null ? first : new Pair(first, second);

    /// <summary><paramref name="all"/> without <paramref name="one"/> (undoes <see cref="Combine"/>).</summary>
    public static ICacheObserver? Remove(ICacheObserver? all, ICacheObserver one) => all switch
    {
        null => null,
        _ when ReferenceEquals(all, one) => null,
        Pair p => Combine(Remove(p.First, one), Remove(p.Second, one)),
        _ => all,
    };

    private sealed class Pair(ICacheObserver first, ICacheObserver second) : ICacheObserver
    {
        public ICacheObserver First => first;
        public ICacheObserver Second => second;

        public void OnFetch(uint va, bool hit)
        {
            first.OnFetch(va, hit);
            second.OnFetch(va, hit);
        }

        public void OnDataRead(uint va, bool hit)
        {
            first.OnDataRead(va, hit);
            second.OnDataRead(va, hit);
        }

        public void OnDataWrite(uint va, bool hit)
        {
            first.OnDataWrite(va, hit);
            second.OnDataWrite(va, hit);
        }

        public void OnWriteBack(uint pa)
        {
            first.OnWriteBack(pa);
            second.OnWriteBack(pa);
        }

        public void OnLastLevelMiss(uint va, bool instruction, bool write)
        {
            first.OnLastLevelMiss(va, instruction, write);
            second.OnLastLevelMiss(va, instruction, write);
        }
    }
}
