using System.Runtime.CompilerServices;
using ArmEmu.Memory;

namespace ArmEmu.Cpu;

public sealed unsafe partial class Cpu
{
    /// <summary>Exceptions taken since the CPU was made (the performance monitors' event 0x09).</summary>
    public ulong ExceptionsTaken { get; private set; }

    /// <summary>The address of the instruction now executing (valid inside handlers and hooks).</summary>
    public uint CurrentInstructionAddress => _pc;

    /// <summary>
    /// Copies the SPSR to the CPSR and branches (MOVS PC, SUBS PC, LDM ^ with the PC):
    /// the exception return of ARM ARM A2.6. In User and System mode there is no
    /// SPSR; the result is UNPREDICTABLE and the CPSR is left as it is.
    /// </summary>
    internal void ExceptionReturn(uint address)
    {
        if (HasSpsr) WriteCpsr(Spsr, 0xFFFF_FFFF);
        _softwarePcWrites++;
        _exceptionReturns++;
        _nextPc = address & (T ? ~1u : ~3u);
    }

    // ---- raising exceptions from instruction handlers ---------------------------------------

    /// <summary>The Undefined Instruction exception for the executing instruction.</summary>
    internal void RaiseUndefined(uint opcode) =>
        Raise(new CpuException(ExceptionKind.Undefined, _pc, opcode, null), returnAddress: _pc + (T ? 2u : 4u));

    /// <summary>
    /// SVC (SWI): the Supervisor Call exception. In an IT block ITSTATE advances first, so the SPSR
    /// (and a handler that resumes) sees the state of the next instruction (DDI 0406C B1.9.4,
    /// TakeSVCException: ITAdvance() before the CPSR is saved).
    /// </summary>
    internal void RaiseSupervisorCall(uint opcode)
    {
        if (ITState != 0) ITState = ITAdvance(ITState);
        Raise(new CpuException(ExceptionKind.SupervisorCall, _pc, opcode, null), returnAddress: _pc + (T ? 2u : 4u));
    }

    /// <summary>BKPT: a Prefetch Abort in ARMv5 (ARM ARM A4.1.7); LR is the instruction's address + 4.</summary>
    internal void RaiseBreakpoint(uint opcode) =>
        Raise(new CpuException(ExceptionKind.PrefetchAbort, _pc, opcode, null), returnAddress: _pc + 4);

    /// <summary>A memory fault of the executing instruction: Prefetch Abort for a fetch, Data Abort otherwise.</summary>
    private void RaiseAbort(MemoryFault fault)
    {
        bool fetch = (fault.Access & AccessKind.Fetch) != 0;
        // LR_abt: instruction + 4 for a prefetch abort, + 8 for a data abort, in both states (ARM ARM A2.6.5/6).
        Raise(new CpuException(fetch ? ExceptionKind.PrefetchAbort : ExceptionKind.DataAbort, _pc, 0, fault),
              returnAddress: _pc + (fetch ? 4u : 8u));
        _pc = _nextPc;
    }

    private void RaiseInterrupt(ExceptionKind kind)
    {
        _nextPc = _pc;
        // LR is the address of the next instruction to execute + 4 (ARM ARM A2.6.8).
        Raise(new CpuException(kind, _pc, 0, null), returnAddress: _pc + 4);
        _pc = _nextPc;
    }

    private void Raise(in CpuException exception, uint returnAddress)
    {
        var disposition = ExceptionHandler?.Invoke(this, exception) ?? ExceptionDisposition.Enter;
        switch (disposition)
        {
            case ExceptionDisposition.Enter:
                EnterException(exception.Kind, returnAddress);
                break;
            case ExceptionDisposition.Stop:
                _nextPc = _pc;
                RequestStop();
                break;
        }
    }

    /// <summary>
    /// Takes an exception (ARM ARM A2.6): SPSR_mode = CPSR, LR_mode = return address,
    /// mode switch, ARM state (Thumb with SCTLR.TE), IT and J cleared, IRQ masked (and FIQ for Reset
    /// and FIQ; A for all but Undefined and SVC from ARMv6), PC = vector.
    /// </summary>
    internal void EnterException(ExceptionKind kind, uint returnAddress)
    {
        ExceptionsTaken++;
        (ProcessorMode mode, uint offset) = kind switch
        {
            ExceptionKind.Reset => (ProcessorMode.Supervisor, 0x00u),
            ExceptionKind.Undefined => (ProcessorMode.Undefined, 0x04u),
            ExceptionKind.SupervisorCall => (ProcessorMode.Supervisor, 0x08u),
            ExceptionKind.PrefetchAbort => (ProcessorMode.Abort, 0x0Cu),
            ExceptionKind.DataAbort => (ProcessorMode.Abort, 0x10u),
            ExceptionKind.Irq => (ProcessorMode.Irq, 0x18u),
            ExceptionKind.SecureMonitorCall => (ProcessorMode.Monitor, 0x08u),
            _ => (ProcessorMode.Fiq, 0x1Cu),
        };
        // The Security Extensions (B1.8.1, B1.9): SMC, and IRQ/FIQ with SCR.IRQ/FIQ, go to Monitor
        // mode at MVBAR, masking A, I and F.
        bool toMonitor = kind == ExceptionKind.SecureMonitorCall
                         || (kind == ExceptionKind.Irq && IrqToMonitor) || (kind == ExceptionKind.Fiq && FiqToMonitor);
        if (toMonitor) mode = ProcessorMode.Monitor;
        uint cpsr = Cpsr;
        SwitchMode(mode);
        SetSpsr(mode, cpsr);
        R[14] = returnAddress;
        T = ThumbExceptions;
        E = false; // CPSR.E = SCTLR.EE, which this model keeps at 0 (little-endian exception handlers)
        I = true;
        if (kind is ExceptionKind.Reset or ExceptionKind.Fiq || toMonitor) F = true;
        // The execution state starts afresh (DDI 0406C B1.8.3: ITSTATE and J cleared), and from
        // ARMv6 every exception but Undefined and SVC masks asynchronous aborts (B1.8.4-B1.8.12).
        ITState = 0;
        J = false;
        if ((_executionStateBits & ABit) != 0 && kind is not (ExceptionKind.Undefined or ExceptionKind.SupervisorCall)) A = true;
        if (toMonitor)
        {
            _nextPc = MonitorVectorBase + offset;
            return;
        }
        // ARMv7 B1.8.1: the vectors are at 0xFFFF0000 with SCTLR.V, otherwise at VBAR (0 before v7);
        // Reset always uses 0 or 0xFFFF0000.
        _nextPc = (HighVectors ? 0xFFFF_0000u : kind == ExceptionKind.Reset ? 0 : VectorBase) + offset;
    }

    /// <summary>WFI (ARM926: MCR p15,0,Rd,c7,c0,4): hand over to the machine's clock, or stop if there is none.</summary>
    internal void WaitForInterrupt()
    {
        if (WaitForInterruptHandler?.Invoke(this) ?? false) return;
        _stopReason = StopReason.WaitForInterrupt;
        RequestStop();
    }
}
