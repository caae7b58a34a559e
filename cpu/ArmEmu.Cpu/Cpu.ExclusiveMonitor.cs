namespace ArmEmu.Cpu;

/// <summary>
/// The local exclusive monitor (DDI 0406C A3.4.1): LDREX marks an address, STREX stores only
/// while the mark is there, CLREX and every STREX remove it. As in QEMU (gen_load_exclusive /
/// gen_store_exclusive), the mark is the exact address plus the value loaded, and a STREX
/// passes when its address is the marked one and memory, read at the STREX's size, still
/// equals the loaded value. So a plain store that changed the location makes the STREX fail
/// (IMPLEMENTATION DEFINED in the ARM ARM, A3.4.5). A STREX of another size than its LDREX
/// is UNPREDICTABLE; QEMU then stores when memory equals the loaded value cut to the
/// STREX's size, but reports success only when it equals the low word of the value
/// (<see cref="Interpreter.Exclusive.Store"/> does the same).
/// </summary>
public sealed unsafe partial class Cpu
{
    private uint _exclusiveAddress;
    private int _exclusiveSize; // 0: open access (no mark)
    private ulong _exclusiveValue;

    /// <summary>ClearExclusiveLocal: CLREX, and what a context switch or exception return does.</summary>
    internal void ClearExclusiveMonitor() => _exclusiveSize = 0;

    /// <summary>True while an LDREX mark is held.</summary>
    internal bool ExclusiveMonitorHeld => _exclusiveSize != 0;

    internal void MarkExclusive(uint address, int size, ulong value)
    {
        _exclusiveAddress = address;
        _exclusiveSize = size;
        _exclusiveValue = value;
    }

    /// <summary>ExclusiveMonitorsPass, without the value check (the caller reads memory and compares with <see cref="ExclusiveValue"/>).</summary>
    internal bool ExclusiveMarked(uint address) => _exclusiveSize != 0 && _exclusiveAddress == address;

    internal ulong ExclusiveValue => _exclusiveValue;
}
