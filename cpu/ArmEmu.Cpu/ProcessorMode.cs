namespace ArmEmu.Cpu;

/// <summary>CPSR.M values (ARM ARM A2.2, "Processor modes").</summary>
public enum ProcessorMode : byte
{
    User = 0x10,
    Fiq = 0x11,
    Irq = 0x12,
    Supervisor = 0x13,
    /// <summary>The Security Extensions' Monitor mode (ARM ARM DDI 0406C B1.3.1): always Secure.</summary>
    Monitor = 0x16,
    Abort = 0x17,
    Undefined = 0x1B,
    System = 0x1F,
}

/// <summary>The architecture versions an encoding row or a CPU model can name, oldest first.</summary>
public enum ArchVersion : byte
{
    V4T,
    V5T,
    V5TE,
    V5TEJ,
    V6,
    V6K,
    V6T2,
    V7,
}

/// <summary>The exceptions of ARM ARM A2.6, plus the stops an embedder may want to see.</summary>
public enum ExceptionKind : byte
{
    Reset,
    Undefined,
    SupervisorCall,
    PrefetchAbort,
    DataAbort,
    Irq,
    Fiq,
    /// <summary>SMC: the Secure Monitor Call, taken to Monitor mode (DDI 0406C B1.9.12).</summary>
    SecureMonitorCall,
}
