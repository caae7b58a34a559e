using ArmEmu.Memory;

namespace ArmEmu.Cpu.Interpreter;

/// <summary>
/// The ARMv6 instructions that change processor state directly (DDI 0406C A5.7, B9.3): CPS
/// (B9.3.2), SETEND (A8.8.157), SRS (B9.3.16) and RFE (B9.3.13).
/// </summary>
internal static class ProcessorState
{
    /// <summary>
    /// CPS: with <paramref name="imod"/> 10 clears, 11 sets the selected masks among A, I and F
    /// (DDI 0406C B9.3.2; QEMU's trans_CPS the same); with <paramref name="changeMode"/> switches to
    /// <paramref name="mode"/>. In User mode it does nothing (CPSWriteByInstr ignores the write, as
    /// QEMU does).
    /// A mode that cannot be entered is ignored (UNPREDICTABLE), as MSR ignores it: Monitor mode
    /// (0x16) is entered only on a model with the Security Extensions in the Secure state
    /// (<see cref="Cpu.IsModeAvailable"/>, B1.3.1; QEMU's bad_mode_switch the same).
    /// </summary>
    public static void Cps(Cpu cpu, int imod, bool changeMode, bool a, bool i, bool f, int mode)
    {
        if (!cpu.IsPrivileged) return;
        if ((imod & 2) != 0)
        {
            bool set = (imod & 1) != 0;
            if (a) cpu.A = set;
            if (i) cpu.I = set;
            if (f) cpu.F = set;
        }
        if (changeMode && cpu.IsModeAvailable((ProcessorMode)mode)) cpu.SwitchMode((ProcessorMode)mode);
    }

    /// <summary>SETEND: CPSR.E = <paramref name="bigEndian"/>, at any privilege.</summary>
    public static void Setend(Cpu cpu, bool bigEndian) => cpu.E = bigEndian;

    /// <summary>
    /// SRS: stores LR and SPSR of the current mode to the stack of <paramref name="mode"/>, in the LDM/STM
    /// addressing modes (P, U), writing that mode's SP back with W. UNDEFINED in User mode, as in QEMU (gen_srs).
    /// Monitor mode's stack is reachable where the mode is (<see cref="Cpu.IsModeAvailable"/>: the Security
    /// Extensions, Secure state); elsewhere SRS to it is UNDEFINED, as gen_srs makes it.
    /// </summary>
    public static void Srs(Cpu cpu, uint op, int mode, bool before, bool increment, bool writeBack)
    {
        if (!cpu.IsPrivileged || !cpu.IsModeAvailable((ProcessorMode)mode) || (ProcessorMode)mode == ProcessorMode.User)
        {
            cpu.RaiseUndefined(op);
            return;
        }
        var target = (ProcessorMode)mode;
        uint sp = cpu.GetBankedRegister(target, 13);
        uint lowest = increment ? sp : sp - 8;
        if (before == increment) lowest += 4;
        uint address = cpu.AlignedWordAddress(lowest, AccessKind.Write);
        cpu.Memory.Write32(address, cpu.DataWord(cpu.R[14]));
        cpu.Memory.Write32(address + 4, cpu.DataWord(cpu.Spsr));
        if (writeBack) cpu.SetBankedRegister(target, 13, increment ? sp + 8 : sp - 8);
    }

    /// <summary>
    /// RFE: loads the PC and then the CPSR from [Rn] in the LDM addressing modes (P, U), writing Rn
    /// back with W; the CPSR write is a whole one, so the state (ARM or Thumb) comes from the loaded
    /// value. UNDEFINED in User mode, as in QEMU (trans_RFE).
    /// </summary>
    public static void Rfe(Cpu cpu, uint op, int n, bool before, bool increment, bool writeBack)
    {
        if (!cpu.IsPrivileged || n == 15)
        {
            cpu.RaiseUndefined(op);
            return;
        }
        uint rn = cpu.R[n];
        uint lowest = increment ? rn : rn - 8;
        if (before == increment) lowest += 4;
        uint address = cpu.AlignedWordAddress(lowest, AccessKind.Read);
        uint pc = cpu.DataWord(cpu.Memory.Read32(address));
        uint cpsr = cpu.DataWord(cpu.Memory.Read32(address + 4));
        if (writeBack) cpu.R[n] = increment ? rn + 8 : rn - 8;
        cpu.WriteCpsr(cpsr, 0xFFFF_FFFF);
        cpu.BranchWritePC(pc);
        cpu.CountExceptionReturn();
    }

    // CPS A1: 1111 0001 0000 imod M 0 0000 000 A I F 0 mode
    public static void CpsA1(Cpu cpu, uint op) =>
        Cps(cpu, (int)(op >> 18) & 3, (op & (1u << 17)) != 0, (op & 0x100) != 0, (op & 0x80) != 0, (op & 0x40) != 0, (int)op & 0x1F);

    // SETEND A1: 1111 0001 0000 0001 0000 00E0 0000 0000
    public static void SetendA1(Cpu cpu, uint op) => Setend(cpu, (op & 0x200) != 0);

    // SRS A1: 1111 100P U1W0 1101 0000 0101 000 mode
    public static void SrsA1(Cpu cpu, uint op) =>
        Srs(cpu, op, (int)op & 0x1F, (op & (1u << 24)) != 0, (op & (1u << 23)) != 0, (op & (1u << 21)) != 0);

    // RFE A1: 1111 100P U0W1 Rn 0000 1010 0000 0000
    public static void RfeA1(Cpu cpu, uint op) =>
        Rfe(cpu, op, (int)(op >> 16) & 15, (op & (1u << 24)) != 0, (op & (1u << 23)) != 0, (op & (1u << 21)) != 0);

    // ---- T32 (DDI 0406C A6.3; a T32 word is hw1:hw2, Rd in 11:8, Rn in 19:16, lsb = imm3:imm2) ----

    // CPS T2: 11110 0 1110 1 0 1111 | 10 0 0 0 imod M A I F mode (imod = 00 and M = 0 are the hints)
    public static void CpsT2(Cpu cpu, uint op) =>
        Cps(cpu, (int)(op >> 9) & 3, (op & 0x100) != 0, (op & 0x80) != 0, (op & 0x40) != 0, (op & 0x20) != 0, (int)op & 0x1F);

    // SRS T1 (DB) / T2 (IA): 11101 00 0 00 W 0 1101 | 11 0 0 0000 000 mode, and 11101 00 1 10 W 0 ...
    public static void SrsT1(Cpu cpu, uint op) => Srs(cpu, op, (int)op & 0x1F, true, false, (op & (1u << 21)) != 0);

    public static void SrsT2(Cpu cpu, uint op) => Srs(cpu, op, (int)op & 0x1F, false, true, (op & (1u << 21)) != 0);

    // RFE T1 (DB) / T2 (IA): 11101 00 0 00 W 1 Rn | 11 0 0 0000 0000 0000, and 11101 00 1 10 W 1 ...
    public static void RfeT1(Cpu cpu, uint op) => Rfe(cpu, op, (int)(op >> 16) & 15, true, false, (op & (1u << 21)) != 0);

    public static void RfeT2(Cpu cpu, uint op) => Rfe(cpu, op, (int)(op >> 16) & 15, false, true, (op & (1u << 21)) != 0);

    // ---- 16-bit Thumb (ARMv6) ----
    // CPS T1: 1011 0110 011 im 0 A I F (im = 1 disables, i.e. sets the masks)
    public static void CpsT1(Cpu cpu, uint op) =>
        Cps(cpu, (op & 0x10) != 0 ? 3 : 2, false, (op & 4) != 0, (op & 2) != 0, (op & 1) != 0, 0);

    // SETEND T1: 1011 0110 0101 E 000
    public static void SetendT1(Cpu cpu, uint op) => Setend(cpu, (op & 8) != 0);
}
