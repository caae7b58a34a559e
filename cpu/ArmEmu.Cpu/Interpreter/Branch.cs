namespace ArmEmu.Cpu.Interpreter;

/// <summary>ARM branch instructions (ARM ARM A3.3, A4.1.5/8/10/11).</summary>
internal static class Branch
{
    private static uint Offset24(uint op) => (uint)(((int)(op << 8)) >> 6); // SignExtend(imm24:'00')

    // B<c> <label>
    public static void B(Cpu cpu, uint op) => cpu.BranchWritePC(cpu.R[15] + Offset24(op));

    // BL<c> <label>
    public static void Bl(Cpu cpu, uint op)
    {
        cpu.R[14] = cpu.R[15] - 4;
        cpu.BranchWritePC(cpu.R[15] + Offset24(op));
    }

    // BLX <label>: always Thumb; H supplies bit 1 of the target.
    public static void BlxImmediate(Cpu cpu, uint op)
    {
        cpu.R[14] = cpu.R[15] - 4;
        cpu.BXWritePC((cpu.R[15] + Offset24(op) + ((op >> 23) & 2)) | 1);
    }

    // BX<c> <Rm>
    public static void Bx(Cpu cpu, uint op) => cpu.BXWritePC(cpu.R[(int)op & 15]);

    // BLX<c> <Rm>: the target is read before LR is written (BLX LR works).
    public static void BlxRegister(Cpu cpu, uint op)
    {
        uint target = cpu.R[(int)op & 15];
        cpu.R[14] = cpu.R[15] - 4;
        cpu.BXWritePC(target);
    }

    // ---- T32 (DDI 0406C A6.3.4; a T32 word is hw1:hw2) -----------------------------------------

    /// <summary>SignExtend(S:I1:I2:imm10:imm11:'0', 25), I1 = NOT(J1 XOR S), I2 = NOT(J2 XOR S) (B T4, BL, BLX).</summary>
    private static uint Offset25(uint op)
    {
        uint s = (op >> 26) & 1;
        uint i1 = ~((op >> 13) ^ s) & 1, i2 = ~((op >> 11) ^ s) & 1;
        uint imm = (s << 24) | (i1 << 23) | (i2 << 22) | (((op >> 16) & 0x3FF) << 12) | ((op & 0x7FF) << 1);
        return (uint)((int)(imm << 7) >> 7);
    }

    // B<c> T3: 11110 S cond imm6 | 10 J1 0 J2 imm11 -- SignExtend(S:J2:J1:imm6:imm11:'0', 21). Its own
    // condition, outside IT blocks (inside one it is UNPREDICTABLE).
    public static void BConditionalT3(Cpu cpu, uint op)
    {
        if (!cpu.ConditionPassed((op >> 22) & 15)) return;
        uint imm = (((op >> 26) & 1) << 20) | (((op >> 11) & 1) << 19) | (((op >> 13) & 1) << 18)
                   | (((op >> 16) & 0x3F) << 12) | ((op & 0x7FF) << 1);
        cpu.BranchWritePC(cpu.R[15] + (uint)((int)(imm << 11) >> 11));
    }

    // B T4: 11110 S imm10 | 10 J1 1 J2 imm11
    public static void BT4(Cpu cpu, uint op) => cpu.BranchWritePC(cpu.R[15] + Offset25(op));

    // BL T1: 11110 S imm10 | 11 J1 1 J2 imm11 -- LR = the next instruction, Thumb bit set
    public static void BlT1(Cpu cpu, uint op)
    {
        cpu.R[14] = cpu.R[15] | 1;
        cpu.BranchWritePC(cpu.R[15] + Offset25(op));
    }

    // BLX (immediate) T2: 11110 S imm10H | 11 J1 0 J2 imm10L H -- to ARM at Align(PC, 4) + imm32.
    // H = 1 is UNDEFINED (QEMU trans_BLX_i).
    public static void BlxT2(Cpu cpu, uint op)
    {
        if ((op & 1) != 0)
        {
            cpu.RaiseUndefined(op);
            return;
        }
        cpu.R[14] = cpu.R[15] | 1;
        cpu.BXWritePC((cpu.R[15] & ~3u) + Offset25(op));
    }

    // BXJ T1: 11110 0 1111 0 0 Rm | 10 0 0 1111 0000 0000 -- as BX (no Jazelle state to enter)
    public static void BxjT1(Cpu cpu, uint op) => cpu.BXWritePC(cpu.R[(int)(op >> 16) & 15]);

    // TBB T1, TBH T1: 11101 00 0 1 1 0 1 Rn | 1111 0000 000 H Rm -- PC + 2 * the byte or halfword at Rn + Rm (LSL 1)
    public static void TbbT1(Cpu cpu, uint op) =>
        cpu.BranchWritePC(cpu.R[15] + 2 * cpu.Memory.Read8(cpu.R[(int)(op >> 16) & 15] + cpu.R[(int)op & 15]));

    public static void TbhT1(Cpu cpu, uint op) =>
        cpu.BranchWritePC(cpu.R[15] + 2 * cpu.LoadHalfword(cpu.R[(int)(op >> 16) & 15] + (cpu.R[(int)op & 15] << 1)));

    // ---- 16-bit Thumb (ARMv6T2) ------------------------------------------------------------------

    // CBZ, CBNZ T1: 1011 op 0 i 1 imm5 Rn -- forward by i:imm5:'0' if Rn is (not) zero; never in an IT block
    public static void CompareAndBranchT1(Cpu cpu, uint op)
    {
        bool nonZero = (op & 0x800) != 0;
        if ((cpu.R[(int)op & 7] != 0) == nonZero)
            cpu.BranchWritePC(cpu.R[15] + (((op >> 3) & 0x40) | ((op >> 2) & 0x3E)));
    }
}
