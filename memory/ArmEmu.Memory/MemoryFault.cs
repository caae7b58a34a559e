namespace ArmEmu.Memory;

/// <summary>Why an access could not complete.</summary>
public enum FaultKind : byte
{
    /// <summary>Nothing is mapped (no RAM, no device, no translation).</summary>
    Unmapped,
    /// <summary>Mapped, but the permissions forbid this access.</summary>
    Permission,
    /// <summary>Alignment checking is on and the address is not aligned.</summary>
    Alignment,
    /// <summary>An MMU fault; <see cref="MemoryFault.Status"/> holds the FSR value.</summary>
    Translation,
}

/// <summary>
/// Raised by the memory port when a guest access faults. The CPU's run loop
/// catches it outside its inner loop and turns it into a Data Abort or a
/// Prefetch Abort (or, in Linux user mode, a signal). Instruction handlers
/// make every memory access before any register write-back, so throwing from
/// the middle of an instruction leaves the ARMv5 "base restored" state.
/// </summary>
internal sealed class MemoryFault : Exception
{
    public MemoryFault(uint address, AccessKind access, FaultKind kind, uint status = 0)
        : base($"{kind} {(access.HasFlag(AccessKind.Fetch) ? "fetch" : access.HasFlag(AccessKind.Write) ? "write" : "read")} at 0x{address:x8}")
    {
        Address = address;
        Access = access;
        Kind = kind;
        Status = status;
    }

    /// <summary>The virtual address that faulted.</summary>
    public uint Address { get; }

    public AccessKind Access { get; }

    public FaultKind Kind { get; }

    /// <summary>Architectural fault status (FSR encoding) when an MMU produced it; 0 otherwise.</summary>
    public uint Status { get; }
}
