namespace ArmEmu.Memory;

/// <summary>
/// Sees every guest access that completes (the API's memory hooks, tracing).
/// While one is attached the memory port keeps its fast path empty, so the
/// cost is paid only by runs that ask for it.
/// </summary>
internal interface IMemoryObserver
{
    /// <summary>
    /// One access of <paramref name="size"/> bytes: for reads the value read,
    /// for writes the value about to be written.
    /// </summary>
    void OnAccess(uint va, uint pa, int size, AccessKind access, uint value);

    /// <summary>A read or fetch about to be made, translated but not yet performed (the API's "before" read hooks).</summary>
    void OnAccessStarting(uint va, uint pa, int size, AccessKind access) { }

    /// <summary>A write that has been performed (the API's "after" write hooks); <paramref name="value"/> is what was written.</summary>
    void OnAccessCompleted(uint va, uint pa, int size, AccessKind access, uint value) { }
}
