namespace ArmEmu.Cpu;

/// <summary>CPSR.M values (ARM ARM A2.2, "Processor modes").</summary>
public enum ProcessorMode : byte
{
    /// <summary>User mode: unprivileged, the mode applications run in.</summary>
    User = 0x10,
    /// <summary>FIQ mode, entered on a fast interrupt; banks R8-R14.</summary>
    Fiq = 0x11,
    /// <summary>IRQ mode, entered on an interrupt.</summary>
    Irq = 0x12,
    /// <summary>Supervisor mode, entered at reset and on SVC.</summary>
    Supervisor = 0x13,
    /// <summary>The Security Extensions' Monitor mode (ARM ARM DDI 0406C B1.3.1): always Secure.</summary>
    Monitor = 0x16,
    /// <summary>Abort mode, entered on a prefetch or data abort.</summary>
    Abort = 0x17,
    /// <summary>Undefined mode, entered on an undefined instruction.</summary>
    Undefined = 0x1B,
    /// <summary>System mode: privileged, sharing User mode's registers.</summary>
    System = 0x1F,
}

/// <summary>The architecture versions an encoding row or a CPU model can name, oldest first.</summary>
public enum ArchVersion : byte
{
    /// <summary>ARMv4T: ARM and the original Thumb.</summary>
    V4T,
    /// <summary>ARMv5T: adds BLX, CLZ and BKPT.</summary>
    V5T,
    /// <summary>ARMv5TE: adds the DSP instructions (saturating arithmetic, SMLAxy, LDRD/STRD, PLD).</summary>
    V5TE,
    /// <summary>ARMv5TEJ: ARMv5TE with Jazelle (BXJ), the ARM926EJ-S.</summary>
    V5TEJ,
    /// <summary>ARMv6: adds the media instructions, LDREX/STREX and unaligned access.</summary>
    V6,
    /// <summary>ARMv6K: adds the byte, halfword and doubleword exclusives, CLREX, YIELD, WFE and SEV.</summary>
    V6K,
    /// <summary>ARMv6T2: adds Thumb-2.</summary>
    V6T2,
    /// <summary>ARMv7-A: the Cortex-A processors.</summary>
    V7,
}

/// <summary>The exceptions of ARM ARM A2.6, plus the stops an embedder may want to see.</summary>
public enum ExceptionKind : byte
{
    /// <summary>Reset: the processor starts at the reset vector in Supervisor mode.</summary>
    Reset,
    /// <summary>An undefined instruction (Undefined mode).</summary>
    Undefined,
    /// <summary>SVC (formerly SWI), to Supervisor mode.</summary>
    SupervisorCall,
    /// <summary>A prefetch abort: an instruction fetch faulted, or BKPT (Abort mode).</summary>
    PrefetchAbort,
    /// <summary>A data abort: a load or store faulted (Abort mode).</summary>
    DataAbort,
    /// <summary>An interrupt request (IRQ mode).</summary>
    Irq,
    /// <summary>A fast interrupt request (FIQ mode).</summary>
    Fiq,
    /// <summary>SMC: the Secure Monitor Call, taken to Monitor mode (DDI 0406C B1.9.12).</summary>
    SecureMonitorCall,
}
