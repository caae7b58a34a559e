namespace ArmEmu.Cpu.Interpreter;

/// <summary>
/// SVC, BKPT, the Security and Virtualization Extensions' SMC, HVC and ERET, and the catch-all for
/// UNDEFINED encodings (ARM ARM A3.15, A4.1.7, A4.1.107; DDI 0406C B9.3.3, B9.3.4, B9.3.14).
/// </summary>
internal static class ExceptionGenerating
{
    // SVC<c> #<imm24>
    public static void Svc(Cpu cpu, uint op) => cpu.RaiseSupervisorCall(op);

    // BKPT #<imm16>: a Prefetch Abort in ARMv5.
    public static void Bkpt(Cpu cpu, uint op) => cpu.RaiseBreakpoint(op);

    /// <summary>
    /// SMC (DDI 0406C B9.3.14; the Security Extensions, which arm1176, cortex-a8/a9/a15 have):
    /// UNDEFINED in User mode; in a privileged mode the Secure Monitor Call exception into Monitor
    /// mode at MVBAR + 8 (<see cref="Cpu.RaiseSecureMonitorCall"/>). QEMU 7.2's -M vexpress-a9
    /// defaults to secure=on and takes SMC to Monitor mode (measured; with secure=off it has no
    /// EL3 and SMC is UNDEFINED).
    /// </summary>
    public static void Smc(Cpu cpu, uint op) => cpu.RaiseSecureMonitorCall(op);

    /// <summary>
    /// HVC (DDI 0406C B9.3.4; the Virtualization Extensions: cortex-a15): UNDEFINED in User mode;
    /// in a privileged mode it takes the Hypervisor Call exception into Hyp mode. ArmEmu models no
    /// Hyp mode (no EL2), as QEMU 7.2's boards without <c>virtualization=on</c>, where pre_hvc makes
    /// it UNDEFINED: so it is UNDEFINED in every mode. On models without the extensions the word
    /// has no row (UNDEFINED as well).
    /// </summary>
    public static void Hvc(Cpu cpu, uint op) => cpu.RaiseUndefined(op);

    /// <summary>
    /// ERET (DDI 0406C B9.3.3; Virtualization Extensions): outside Hyp mode an exception return to
    /// LR, the CPSR restored from the SPSR, as SUBS PC, LR, #0 (which is ERET's T32 encoding).
    /// UNDEFINED in User mode, as in QEMU's trans_ERET; in System mode, which has no SPSR, the
    /// CPSR stays as it is (<see cref="Cpu.ExceptionReturn"/>). No Hyp mode is modelled, so the
    /// ELR_hyp form never arises.
    /// </summary>
    public static void Eret(Cpu cpu, uint op)
    {
        if (cpu.Mode == ProcessorMode.User)
        {
            cpu.RaiseUndefined(op);
            return;
        }
        cpu.ExceptionReturn(cpu.R[14]);
    }

    /// <summary>Any word no encoding row matches (and rows the ARM ARM calls UNDEFINED).</summary>
    public static void Undefined(Cpu cpu, uint op) => cpu.RaiseUndefined(op);
}
