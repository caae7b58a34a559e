namespace ArmEmu.Cpu;

/// <summary>
/// The Security Extensions as the core sees them (ARM ARM DDI 0406C B1.5): Monitor mode, the
/// Secure Monitor Call, the security state, and the SCR bits that route IRQ and FIQ to Monitor
/// mode. The CP15 (<see cref="Coprocessors.V7Cp15"/>) holds SCR and MVBAR and pushes them here;
/// it listens to <see cref="SecurityStateChanged"/> to switch its banked registers.
/// </summary>
public sealed partial class Cpu
{
    private bool _nonSecureBit;

    /// <summary>SCR.NS: with it set, every mode but Monitor is Non-secure.</summary>
    internal bool NonSecureBit
    {
        get => _nonSecureBit;
        set
        {
            if (_nonSecureBit == value) return;
            bool wasSecure = IsSecure;
            _nonSecureBit = value;
            if (IsSecure != wasSecure) SecurityStateChanged?.Invoke();
        }
    }

    /// <summary>SCR.IRQ, SCR.FIQ: IRQ and FIQ are taken to Monitor mode (at <see cref="MonitorVectorBase"/>).</summary>
    internal bool IrqToMonitor { get; set; }

    internal bool FiqToMonitor { get; set; }

    /// <summary>MVBAR: the Monitor mode vectors (SMC at + 0x08, IRQ + 0x18, FIQ + 0x1C).</summary>
    internal uint MonitorVectorBase { get; set; }

    /// <summary>The core is in the Secure state: SCR.NS clear, or in Monitor mode (B1.5.1); always, without the extensions.</summary>
    public bool IsSecure => !_nonSecureBit || _mode == ProcessorMode.Monitor;

    /// <summary>Raised when <see cref="IsSecure"/> changes: SCR.NS written, or Monitor mode entered or left while it is set.</summary>
    internal event Action? SecurityStateChanged;

    /// <summary>
    /// Whether a mode may be entered by MSR, CPS or an exception return (B1.3.1): the seven ARMv5
    /// modes, and Monitor mode on a model with the Security Extensions while Secure (from the
    /// Non-secure state the change is UNPREDICTABLE; QEMU's bad_mode_switch ignores it, so does this).
    /// </summary>
    internal bool IsModeAvailable(ProcessorMode mode) =>
        IsValidMode(mode) || (mode == ProcessorMode.Monitor && Model.Has(CpuFeature.Security) && IsSecure);

    /// <summary>
    /// SMC (B1.9.12, TakeSMCException): UNDEFINED in User mode and on models without the Security
    /// Extensions; otherwise the Secure Monitor Call exception, into Monitor mode at MVBAR + 8 with
    /// LR_mon the address of the instruction after it (the SMC + 4 in both instruction sets). In an
    /// IT block ITSTATE advances first, as for SVC.
    /// </summary>
    internal void RaiseSecureMonitorCall(uint opcode)
    {
        if (_mode == ProcessorMode.User || !Model.Has(CpuFeature.Security))
        {
            RaiseUndefined(opcode);
            return;
        }
        if (ITState != 0) ITState = ITAdvance(ITState);
        Raise(new CpuException(ExceptionKind.SecureMonitorCall, _pc, opcode, null), returnAddress: _pc + 4);
    }
}
