using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using ArmEmu.Memory;

namespace ArmEmu.Cpu;

public sealed unsafe partial class Cpu
{
    // 3 while SCTLR.A is set, else 0: one AND and one (almost never taken) branch per access.
    private uint _alignmentMask;

    /// <summary>
    /// SCTLR.A (ARM ARM B2.4.3, B4.6): a word, halfword or doubleword data access, or a load or
    /// store multiple, to an address that is not aligned to its size takes a Data Abort with
    /// FSR status 0b0001 and FAR = the address, before any memory is touched. Off, ARMv5
    /// without SCTLR.U ignores the low address bits (and LDR rotates).
    /// </summary>
    public bool AlignmentChecking
    {
        get => _alignmentMask != 0;
        set => _alignmentMask = value ? 3u : 0u;
    }

    /// <summary>The word address of a word access (bits [1:0] cleared), after the alignment check.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal uint WordAddress(uint address, AccessKind access)
    {
        if ((address & _alignmentMask) != 0) ThrowAlignmentFault(address, access);
        return address & ~3u;
    }

    /// <summary>The halfword address of a halfword access (bit 0 cleared), after the alignment check.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal uint HalfwordAddress(uint address, AccessKind access)
    {
        if ((address & _alignmentMask & 1) != 0) ThrowAlignmentFault(address, access);
        return address & ~1u;
    }

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ThrowAlignmentFault(uint address, AccessKind access) =>
        throw new MemoryFault(address, access | (IsPrivileged ? AccessKind.Privileged : 0), FaultKind.Alignment,
                              status: 0b0001);
}
