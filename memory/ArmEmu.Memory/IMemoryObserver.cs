namespace ArmEmu.Memory;

/// <summary>
/// Sees every guest access that completes (the API's memory hooks, tracing).
/// While one is attached the memory port keeps its fast path empty, so the
/// cost is paid only by runs that ask for it.
/// </summary>
public interface IMemoryObserver
{
    /// <summary>
    /// One access of <paramref name="size"/> bytes: for reads the value read,
    /// for writes the value about to be written.
    /// </summary>
    void OnAccess(uint va, uint pa, int size, AccessKind access, uint value);
}
