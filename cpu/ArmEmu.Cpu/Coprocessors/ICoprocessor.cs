namespace ArmEmu.Cpu.Coprocessors;

/// <summary>
/// A coprocessor as the ARM core sees it (ARM ARM A2.9 and the MCR/MRC/MCRR/
/// MRRC/CDP/LDC/STC instructions). Every method returns false when the
/// coprocessor does not accept the operation (an encoding it does not define,
/// or one not allowed at the current privilege), and the core then takes the
/// Undefined Instruction exception. CP15 is one of these; it holds no cache
/// state and forwards maintenance to the memory system.
/// </summary>
internal interface ICoprocessor
{
    bool Mcr(Cpu cpu, int opc1, int crn, int crm, int opc2, uint value);

    bool Mrc(Cpu cpu, int opc1, int crn, int crm, int opc2, out uint value);

    bool Mcrr(Cpu cpu, int opc1, int crm, uint low, uint high);

    bool Mrrc(Cpu cpu, int opc1, int crm, out uint low, out uint high);

    bool Cdp(Cpu cpu, int opc1, int crd, int crn, int crm, int opc2);

    /// <summary>
    /// LDC/STC: the coprocessor decides how many words it transfers, starting
    /// at <paramref name="address"/>; the core has already computed the address
    /// and does the base write-back. <paramref name="longTransfer"/> is the N bit.
    /// </summary>
    bool LoadStore(Cpu cpu, bool load, bool longTransfer, int crd, uint address, uint option);
}
