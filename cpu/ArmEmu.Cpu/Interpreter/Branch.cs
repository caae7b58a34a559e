namespace ArmEmu.Cpu.Interpreter;

/// <summary>ARM branch instructions (ARM ARM A3.3, A4.1.5/8/10/11).</summary>
public static class Branch
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
}
