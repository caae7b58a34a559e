using System.Numerics;
using System.Runtime.CompilerServices;
using ArmEmu.Memory;

namespace ArmEmu.Cpu.Interpreter;

/// <summary>
/// The 16-bit Thumb instructions that have no A32 core to share (ARM ARM chapter A7; section
/// numbers are those of A7.1, the alphabetical list): SP and PC arithmetic, PUSH/POP and
/// LDMIA/STMIA, the branches (and ARMv5's two-halfword BL), SVC and BKPT. The data-processing
/// and single load/store rows run the A32 cores through their 16-bit field views
/// (DataProcessing.Thumb.cs, LoadStore.Thumb.cs). While a handler runs, R[15] reads as the
/// instruction's address + 4.
/// </summary>
internal static class Thumb16
{
    // ---- fields ------------------------------------------------------------------------------

    /// <summary>A three-bit register field whose lowest bit is bit <paramref name="lsb"/> of the halfword.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Reg(uint op, int lsb) => (int)(op >> lsb) & 7;

    // ---- high registers and branch/exchange ----------------------------------------------------
    // Rm is H2:bits 5:3, i.e. bits 6:3.

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int HighRm(uint op) => (int)(op >> 3) & 15;

    // BX <Rm>  (A7.1.19): bit 0 of Rm selects the state. BX PC goes to ARM code at Align(addr + 4, 4).
    public static void Bx(Cpu cpu, uint op) => cpu.BXWritePC(cpu.R[HighRm(op)]);

    // BLX <Rm>  (A7.1.18 BLX (2)): the target is read before LR is written, so BLX LR works.
    public static void BlxRegister(Cpu cpu, uint op)
    {
        uint target = cpu.R[HighRm(op)];
        cpu.R[14] = (cpu.R[15] - 2) | 1; // the next instruction, in Thumb state
        cpu.BXWritePC(target);
    }

    // ---- address generation and stack ----------------------------------------------------------

    // ADD <Rd>, PC, #<immed_8> * 4  (A7.1.7 ADD (5)): the base is Align(PC, 4); no flags.
    public static void Adr(Cpu cpu, uint op) => cpu.R[Reg(op, 8)] = (cpu.R[15] & ~3u) + ((op & 0xFF) << 2);

    // ADD <Rd>, SP, #<immed_8> * 4  (A7.1.8 ADD (6)): no flags.
    public static void AddSpImmediate(Cpu cpu, uint op) => cpu.R[Reg(op, 8)] = cpu.R[13] + ((op & 0xFF) << 2);

    // ADD SP, #<immed_7> * 4  (A7.1.9 ADD (7)): no flags.
    public static void IncrementSp(Cpu cpu, uint op) => cpu.R[13] += (op & 0x7F) << 2;

    // SUB SP, #<immed_7> * 4  (A7.1.68 SUB (4)): no flags.
    public static void DecrementSp(Cpu cpu, uint op) => cpu.R[13] -= (op & 0x7F) << 2;

    // Load/store multiple (A7.1.27, A7.1.49, A7.1.50, A7.1.57): registers go lowest-numbered
    // to lowest address; the address ignores bits 1:0 (ARMv5 without SCTLR.U). Every access
    // is made before any register is written, so an abort leaves the base as it was. An empty
    // list is UNPREDICTABLE; QEMU makes it UNDEFINED, and so do we.

    // PUSH {<registers>, LR}  (A7.1.50): a full descending store below SP, LR at the top.
    public static void Push(Cpu cpu, uint op)
    {
        uint list = op & 0x1FF; // bit 8 is R: push LR
        if (list == 0)
        {
            cpu.RaiseUndefined(op);
            return;
        }
        uint start = cpu.R[13] - 4 * (uint)BitOperations.PopCount(list);
        uint address = cpu.WordAddress(start, AccessKind.Write);
        for (uint bits = list & 0xFF; bits != 0; bits &= bits - 1)
        {
            cpu.Memory.Write32(address, cpu.R[BitOperations.TrailingZeroCount(bits)]);
            address += 4;
        }
        if ((list & 0x100) != 0) cpu.Memory.Write32(address, cpu.R[14]);
        cpu.R[13] = start;
    }

    // POP {<registers>, PC}  (A7.1.49): from ARMv5T, loading the PC interworks (bit 0 selects the state).
    [SkipLocalsInit] // only the slots just loaded are read back
    public static void Pop(Cpu cpu, uint op)
    {
        uint list = op & 0x1FF; // bit 8 is R: pop PC
        if (list == 0)
        {
            cpu.RaiseUndefined(op);
            return;
        }
        uint sp = cpu.R[13];
        Span<uint> values = stackalloc uint[9];
        uint address = cpu.WordAddress(sp, AccessKind.Read);
        for (int i = 0; i < 9; i++)
        {
            if ((list & (1u << i)) == 0) continue;
            values[i] = cpu.Memory.Read32(address);
            address += 4;
        }
        for (uint bits = list & 0xFF; bits != 0; bits &= bits - 1)
        {
            int r = BitOperations.TrailingZeroCount(bits);
            cpu.R[r] = values[r];
        }
        cpu.R[13] = sp + 4 * (uint)BitOperations.PopCount(list);
        if ((list & 0x100) != 0) cpu.LoadWritePC(values[8]);
    }

    // BKPT <immed_8>  (A7.1.16): a Prefetch Abort in ARMv5.
    public static void Bkpt(Cpu cpu, uint op) => cpu.RaiseBreakpoint(op);

    // STMIA <Rn>!, <registers>  (A7.1.57): with Rn in the list, the ARM ARM stores the original Rn
    // only if it is the lowest register listed and otherwise an UNPREDICTABLE value; QEMU stores
    // the original Rn wherever it is, and so do we (the write-back comes after every store).
    public static void Stmia(Cpu cpu, uint op)
    {
        uint list = op & 0xFF;
        if (list == 0)
        {
            cpu.RaiseUndefined(op);
            return;
        }
        int rn = Reg(op, 8);
        uint start = cpu.R[rn];
        uint address = cpu.WordAddress(start, AccessKind.Write);
        for (uint bits = list; bits != 0; bits &= bits - 1)
        {
            cpu.Memory.Write32(address, cpu.R[BitOperations.TrailingZeroCount(bits)]);
            address += 4;
        }
        cpu.R[rn] = start + 4 * (uint)BitOperations.PopCount(list);
    }

    // LDMIA <Rn>!, <registers>  (A7.1.27): with Rn in the list, Rn takes the loaded value and is
    // not written back (the "!" is implied only when Rn is absent from the list).
    [SkipLocalsInit] // only the slots just loaded are read back
    public static void Ldmia(Cpu cpu, uint op)
    {
        uint list = op & 0xFF;
        if (list == 0)
        {
            cpu.RaiseUndefined(op);
            return;
        }
        int rn = Reg(op, 8);
        uint start = cpu.R[rn];
        Span<uint> values = stackalloc uint[8];
        uint address = cpu.WordAddress(start, AccessKind.Read);
        for (uint bits = list; bits != 0; bits &= bits - 1)
        {
            values[BitOperations.TrailingZeroCount(bits)] = cpu.Memory.Read32(address);
            address += 4;
        }
        if ((list & (1u << rn)) == 0) cpu.R[rn] = start + 4 * (uint)BitOperations.PopCount(list);
        for (uint bits = list; bits != 0; bits &= bits - 1)
        {
            int r = BitOperations.TrailingZeroCount(bits);
            cpu.R[r] = values[r];
        }
    }

    // ---- branches and SVC ----------------------------------------------------------------------

    // B<cond> <target_address>  (A7.1.13 B (1)): Thumb checks its own condition; the run loop does not.
    public static void BConditional(Cpu cpu, uint op)
    {
        if (cpu.ConditionPassed((op >> 8) & 15))
            cpu.BranchWritePC(cpu.R[15] + (uint)((int)(op << 24) >> 23)); // SignExtend(immed_8 << 1)
    }

    // SWI <immed_8>  (A7.1.69)
    public static void Svc(Cpu cpu, uint op) => cpu.RaiseSupervisorCall(op);

    // B <target_address>  (A7.1.14 B (2))
    public static void B(Cpu cpu, uint op) =>
        cpu.BranchWritePC(cpu.R[15] + (uint)((int)(op << 21) >> 20)); // SignExtend(offset_11 << 1)

    // BL and BLX (immediate) are two halfwords in ARMv5 (A7.1.17 BL, BLX (1)). Each half is an
    // instruction of its own (an exception may come between them), passing the target in LR.

    // BL/BLX prefix (H = 10): LR = PC + SignExtend(offset_11 << 12).
    public static void BlPrefix(Cpu cpu, uint op) => cpu.R[14] = cpu.R[15] + (uint)((int)(op << 21) >> 9);

    // BL suffix (H = 11): branch to LR + (offset_11 << 1); LR = the next instruction | 1.
    public static void BlSuffix(Cpu cpu, uint op)
    {
        uint target = cpu.R[14] + ((op & 0x7FF) << 1);
        cpu.R[14] = (cpu.R[15] - 2) | 1;
        cpu.BranchWritePC(target);
    }

    // BLX suffix (H = 01): as BL, but to ARM state at a word-aligned target; UNDEFINED if bit 0 is set.
    public static void BlxSuffix(Cpu cpu, uint op)
    {
        if ((op & 1) != 0)
        {
            cpu.RaiseUndefined(op);
            return;
        }
        uint target = (cpu.R[14] + ((op & 0x7FF) << 1)) & ~3u;
        cpu.R[14] = (cpu.R[15] - 2) | 1;
        cpu.BXWritePC(target); // bit 0 is clear: ARM state
    }
}
