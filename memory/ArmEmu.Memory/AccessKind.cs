namespace ArmEmu.Memory;

/// <summary>
/// What an access is for. The memory system routes on it: fetches go to the
/// instruction side, data to the data side; privilege selects the AP check;
/// Debug accesses (debuggers, test peeks, the API) change no state and count
/// nothing.
/// </summary>
[Flags]
public enum AccessKind : byte
{
    /// <summary>A data load.</summary>
    Read = 1,
    /// <summary>A data store.</summary>
    Write = 2,
    /// <summary>An instruction fetch.</summary>
    Fetch = 4,
    /// <summary>The access is made at a privileged level (not User mode, and not LDRT/STRT).</summary>
    Privileged = 8,
    /// <summary>A peek or poke from outside the guest: no hooks, no side effects, no counters.</summary>
    Debug = 16,
}

/// <summary>Read/write/execute rights of a mapping, as Unicorn's UC_PROT_*.</summary>
[Flags]
public enum Permission : byte
{
    /// <summary>No access at all.</summary>
    None = 0,
    /// <summary>Loads are allowed.</summary>
    Read = 1,
    /// <summary>Stores are allowed.</summary>
    Write = 2,
    /// <summary>Instruction fetches are allowed.</summary>
    Execute = 4,
    /// <summary>Loads, stores and fetches are allowed.</summary>
    All = Read | Write | Execute,
}
