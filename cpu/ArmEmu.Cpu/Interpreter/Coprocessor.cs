using System.Runtime.CompilerServices;
using ArmEmu.Cpu.Coprocessors;

namespace ArmEmu.Cpu.Interpreter;

/// <summary>
/// Coprocessor instructions (ARM ARM A3.14, A5.5; CDP A4.1.11, LDC A4.1.19, MCR A4.1.32,
/// MCRR A4.1.33, MRC A4.1.36, MRRC A4.1.37, STC A4.1.96). The core only decodes the
/// fields and hands them to <see cref="Cpu.Coprocessors"/>[cp_num] (bits 11:8); an
/// absent coprocessor, or one that refuses the operation, makes the instruction
/// UNDEFINED (A2.9). The unconditional ...2 forms (cond = 1111, ARMv5) come here too.
/// </summary>
internal static class Coprocessor
{
    // CDP<c> <coproc>, <opc1>, <CRd>, <CRn>, <CRm>{, <opc2>}
    public static void Cdp(Cpu cpu, uint op)
    {
        ICoprocessor? cp = cpu.Coprocessors[(int)(op >> 8) & 15];
        if (cp is null || !cp.Cdp(cpu, (int)(op >> 20) & 15, (int)(op >> 12) & 15, (int)(op >> 16) & 15,
                                  (int)op & 15, (int)(op >> 5) & 7))
            cpu.RaiseUndefined(op);
    }

    // MCR<c> <coproc>, <opc1>, <Rd>, <CRn>, <CRm>{, <opc2>}
    // Rd = R15 is UNPREDICTABLE; it reads as the instruction's address + 8, as in QEMU.
    public static void Mcr(Cpu cpu, uint op)
    {
        ICoprocessor? cp = cpu.Coprocessors[(int)(op >> 8) & 15];
        if (cp is null || !cp.Mcr(cpu, (int)(op >> 21) & 7, (int)(op >> 16) & 15, (int)op & 15, (int)(op >> 5) & 7,
                                  cpu.R[(int)(op >> 12) & 15]))
            cpu.RaiseUndefined(op);
    }

    // MRC<c> <coproc>, <opc1>, <Rd>, <CRn>, <CRm>{, <opc2>}
    // With Rd = R15 the value's bits 31:28 go to N, Z, C, V and no register is written:
    // the ARM926 "test and clean" loop (mrc p15, 0, r15, c7, c14, 3; bne 1b) relies on it.
    public static void Mrc(Cpu cpu, uint op)
    {
        ICoprocessor? cp = cpu.Coprocessors[(int)(op >> 8) & 15];
        if (cp is null || !cp.Mrc(cpu, (int)(op >> 21) & 7, (int)(op >> 16) & 15, (int)op & 15, (int)(op >> 5) & 7,
                                  out uint value))
        {
            cpu.RaiseUndefined(op);
            return;
        }
        int rd = (int)(op >> 12) & 15;
        if (rd == 15)
        {
            cpu.N = (value & (1u << 31)) != 0;
            cpu.Z = (value & (1u << 30)) != 0;
            cpu.C = (value & (1u << 29)) != 0;
            cpu.V = (value & (1u << 28)) != 0;
        }
        else
        {
            cpu.R[rd] = value;
        }
    }

    // MCRR<c> <coproc>, <opc>, <Rd>, <Rn>, <CRm>  (v5TE): Rd (bits 15:12) is the low word, Rn (19:16) the high.
    public static void Mcrr(Cpu cpu, uint op)
    {
        ICoprocessor? cp = cpu.Coprocessors[(int)(op >> 8) & 15];
        if (cp is null || !cp.Mcrr(cpu, (int)(op >> 4) & 15, (int)op & 15,
                                   cpu.R[(int)(op >> 12) & 15], cpu.R[(int)(op >> 16) & 15]))
            cpu.RaiseUndefined(op);
    }

    // MRRC<c> <coproc>, <opc>, <Rd>, <Rn>, <CRm>  (v5TE)
    // Rd = Rn and R15 as either are UNPREDICTABLE; as QEMU does, the low word is written
    // first (so Rd = Rn keeps the high word) and R15 takes a branch.
    public static void Mrrc(Cpu cpu, uint op)
    {
        ICoprocessor? cp = cpu.Coprocessors[(int)(op >> 8) & 15];
        if (cp is null || !cp.Mrrc(cpu, (int)(op >> 4) & 15, (int)op & 15, out uint low, out uint high))
        {
            cpu.RaiseUndefined(op);
            return;
        }
        cpu.WriteRegister((int)(op >> 12) & 15, low);
        cpu.WriteRegister((int)(op >> 16) & 15, high);
    }

    // LDC{L}<c> / STC{L}<c> <coproc>, <CRd>, [<Rn>, #+/-<imm8*4>]{!}
    //                                 <coproc>, <CRd>, [<Rn>], #+/-<imm8*4>
    //                                 <coproc>, <CRd>, [<Rn>], <option>
    // Addressing mode 5 (A5.5): P=1 offset (W=0) or pre-indexed (W=1); P=0 W=1 post-indexed;
    // P=0 W=0 U=1 unindexed, where the 8-bit field is an option for the coprocessor and
    // the address is Rn. The coprocessor makes the memory accesses; the base is written
    // back only once it has accepted and every access has completed (a refusal is
    // UNDEFINED, a fault a Data Abort, and either leaves Rn unchanged).
    public static void LdcStc(Cpu cpu, uint op)
    {
        ICoprocessor? cp = cpu.Coprocessors[(int)(op >> 8) & 15];
        if (cp is null)
        {
            cpu.RaiseUndefined(op);
            return;
        }

        bool preIndexed = (op & (1u << 24)) != 0;
        bool writeBack = (op & (1u << 21)) != 0;
        int rn = (int)(op >> 16) & 15;
        if (writeBack && rn == 15)
        {
            // UNPREDICTABLE (A5.5). QEMU has no LDC/STC for the coprocessors an ARMv5 core
            // can have, so every one is UNDEFINED there; UNDEFINED is the safe choice.
            cpu.RaiseUndefined(op);
            return;
        }

        uint imm8 = op & 0xFF;
        uint baseAddress = cpu.R[rn];
        uint offsetAddress = (op & (1u << 23)) != 0 ? baseAddress + imm8 * 4 : baseAddress - imm8 * 4;
        bool unindexed = !preIndexed && !writeBack;
        uint address = preIndexed ? offsetAddress : baseAddress;

        if (!cp.LoadStore(cpu, load: (op & (1u << 20)) != 0, longTransfer: (op & (1u << 22)) != 0,
                          crd: (int)(op >> 12) & 15, address, option: unindexed ? imm8 : 0))
        {
            cpu.RaiseUndefined(op);
            return;
        }
        if (writeBack) cpu.R[rn] = offsetAddress;
    }

}
