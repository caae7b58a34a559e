namespace ArmEmu.Emulator;

/// <summary>Registers readable and writable through <see cref="Emulator"/>.</summary>
internal enum ArmRegister
{
    R0, R1, R2, R3, R4, R5, R6, R7, R8, R9, R10, R11, R12,
    /// <summary>R13, the stack pointer of the current mode.</summary>
    SP,
    /// <summary>R14, the link register of the current mode.</summary>
    LR,
    /// <summary>The address of the next instruction (bit 0 is not the Thumb bit: read <see cref="Cpsr"/>).</summary>
    PC,
    Cpsr,
    /// <summary>The SPSR of the current mode (User/System mode: reads the CPSR, writes are ignored).</summary>
    Spsr,
}
