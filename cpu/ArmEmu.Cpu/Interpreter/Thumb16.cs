using System.Numerics;
using System.Runtime.CompilerServices;
using ArmEmu.Memory;

namespace ArmEmu.Cpu.Interpreter;

/// <summary>
/// 16-bit Thumb instructions (ARM ARM chapter A7; section numbers are those of
/// A7.1, the alphabetical list). While a handler runs, R[15] reads as the
/// instruction's address + 4. ARMv5 has no IT blocks, so every low-register
/// data-processing instruction sets the flags; only the high-register ADD and
/// MOV and the SP adjustments leave them alone. The ARM semantics are reused:
/// <see cref="Shifter"/> for shifts and <see cref="Arithmetic.AddWithCarry"/>
/// for the flags of additions and subtractions.
/// </summary>
public static class Thumb16
{
    // ---- fields ------------------------------------------------------------------------------

    /// <summary>A three-bit register field whose lowest bit is bit <paramref name="lsb"/> of the halfword.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Reg(uint op, int lsb) => (int)(op >> lsb) & 7;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void SetNZ(Cpu cpu, uint result) => cpu.SetNZ(result);

    /// <summary>Writes a result and its N and Z flags (C and V are the caller's business).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void WriteNZ(Cpu cpu, int rd, uint result)
    {
        cpu.R[rd] = result;
        cpu.SetNZ(result);
    }

    /// <summary>
    /// A word load as ARMv5 does it (A4.1.23 LDR, "Operation", legacy alignment): the aligned
    /// word, rotated right so that the addressed byte lands in bits 7:0.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint ReadWordRotated(Cpu cpu, uint address)
    {
        uint word = cpu.Memory.Read32(cpu.WordAddress(address, AccessKind.Read));
        return (address & 3) == 0 ? word : BitOperations.RotateRight(word, (int)(address & 3) * 8);
    }

    // ---- shift by immediate, add and subtract -------------------------------------------------

    // LSL <Rd>, <Rm>, #<immed_5>  (A7.1.38 LSL (1)): #0 leaves C alone (it is MOVS Rd, Rm).
    public static void LslImmediate(Cpu cpu, uint op) => ShiftByImmediate(cpu, op, 0);

    // LSR <Rd>, <Rm>, #<immed_5>  (A7.1.40 LSR (1)): #0 encodes #32.
    public static void LsrImmediate(Cpu cpu, uint op) => ShiftByImmediate(cpu, op, 1);

    // ASR <Rd>, <Rm>, #<immed_5>  (A7.1.11 ASR (1)): #0 encodes #32.
    public static void AsrImmediate(Cpu cpu, uint op) => ShiftByImmediate(cpu, op, 2);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ShiftByImmediate(Cpu cpu, uint op, uint type)
    {
        // The ARM immediate-shift rules are exactly the Thumb ones, #0 included.
        uint result = Shifter.ShiftImmediate(cpu.R[Reg(op, 3)], type, (int)(op >> 6) & 31, cpu.C, out bool carry);
        WriteNZ(cpu, Reg(op, 0), result);
        cpu.C = carry;
    }

    // ADD <Rd>, <Rn>, <Rm>  (A7.1.5 ADD (3))
    public static void AddRegister(Cpu cpu, uint op) =>
        WriteNZ(cpu, Reg(op, 0), Arithmetic.AddWithCarry(cpu, cpu.R[Reg(op, 3)], cpu.R[Reg(op, 6)], false, true));

    // SUB <Rd>, <Rn>, <Rm>  (A7.1.67 SUB (3))
    public static void SubRegister(Cpu cpu, uint op) =>
        WriteNZ(cpu, Reg(op, 0), Arithmetic.AddWithCarry(cpu, cpu.R[Reg(op, 3)], ~cpu.R[Reg(op, 6)], true, true));

    // ADD <Rd>, <Rn>, #<immed_3>  (A7.1.3 ADD (1))
    public static void AddImmediate3(Cpu cpu, uint op) =>
        WriteNZ(cpu, Reg(op, 0), Arithmetic.AddWithCarry(cpu, cpu.R[Reg(op, 3)], (op >> 6) & 7, false, true));

    // SUB <Rd>, <Rn>, #<immed_3>  (A7.1.65 SUB (1))
    public static void SubImmediate3(Cpu cpu, uint op) =>
        WriteNZ(cpu, Reg(op, 0), Arithmetic.AddWithCarry(cpu, cpu.R[Reg(op, 3)], ~((op >> 6) & 7), true, true));

    // ---- add, subtract, compare, move immediate ------------------------------------------------

    // MOV <Rd>, #<immed_8>  (A7.1.42 MOV (1)): N is always 0; C and V are unaffected.
    public static void MovImmediate(Cpu cpu, uint op) => WriteNZ(cpu, Reg(op, 8), op & 0xFF);

    // CMP <Rn>, #<immed_8>  (A7.1.21 CMP (1))
    public static void CmpImmediate(Cpu cpu, uint op) =>
        cpu.SetNZ(Arithmetic.AddWithCarry(cpu, cpu.R[Reg(op, 8)], ~(op & 0xFF), true, true));

    // ADD <Rd>, #<immed_8>  (A7.1.4 ADD (2))
    public static void AddImmediate8(Cpu cpu, uint op)
    {
        int rd = Reg(op, 8);
        WriteNZ(cpu, rd, Arithmetic.AddWithCarry(cpu, cpu.R[rd], op & 0xFF, false, true));
    }

    // SUB <Rd>, #<immed_8>  (A7.1.66 SUB (2))
    public static void SubImmediate8(Cpu cpu, uint op)
    {
        int rd = Reg(op, 8);
        WriteNZ(cpu, rd, Arithmetic.AddWithCarry(cpu, cpu.R[rd], ~(op & 0xFF), true, true));
    }

    // ---- data processing on low registers (Rd is also the first operand) -------------------------

    // AND <Rd>, <Rm>  (A7.1.10): C and V unaffected, as for every logical operation here.
    public static void AluAndRegister(Cpu cpu, uint op)
    {
        int rd = Reg(op, 0);
        WriteNZ(cpu, rd, cpu.R[rd] & cpu.R[Reg(op, 3)]);
    }

    // EOR <Rd>, <Rm>  (A7.1.26)
    public static void AluEorRegister(Cpu cpu, uint op)
    {
        int rd = Reg(op, 0);
        WriteNZ(cpu, rd, cpu.R[rd] ^ cpu.R[Reg(op, 3)]);
    }

    // LSL <Rd>, <Rs>  (A7.1.39 LSL (2)): the amount is Rs[7:0], with the register-shift rules of A5.1.6.
    public static void AluLslRegister(Cpu cpu, uint op) => ShiftByRegister(cpu, op, 0);

    // LSR <Rd>, <Rs>  (A7.1.41 LSR (2))
    public static void AluLsrRegister(Cpu cpu, uint op) => ShiftByRegister(cpu, op, 1);

    // ASR <Rd>, <Rs>  (A7.1.12 ASR (2))
    public static void AluAsrRegister(Cpu cpu, uint op) => ShiftByRegister(cpu, op, 2);

    // ROR <Rd>, <Rs>  (A7.1.54)
    public static void AluRorRegister(Cpu cpu, uint op) => ShiftByRegister(cpu, op, 3);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ShiftByRegister(Cpu cpu, uint op, uint type)
    {
        int rd = Reg(op, 0);
        uint result = Shifter.ShiftRegister(cpu.R[rd], type, cpu.R[Reg(op, 3)], cpu.C, out bool carry);
        WriteNZ(cpu, rd, result);
        cpu.C = carry;
    }

    // ADC <Rd>, <Rm>  (A7.1.2)
    public static void AluAdcRegister(Cpu cpu, uint op)
    {
        int rd = Reg(op, 0);
        WriteNZ(cpu, rd, Arithmetic.AddWithCarry(cpu, cpu.R[rd], cpu.R[Reg(op, 3)], cpu.C, true));
    }

    // SBC <Rd>, <Rm>  (A7.1.55): Rd - Rm - NOT(C).
    public static void AluSbcRegister(Cpu cpu, uint op)
    {
        int rd = Reg(op, 0);
        WriteNZ(cpu, rd, Arithmetic.AddWithCarry(cpu, cpu.R[rd], ~cpu.R[Reg(op, 3)], cpu.C, true));
    }

    // TST <Rn>, <Rm>  (A7.1.72)
    public static void AluTstRegister(Cpu cpu, uint op) => cpu.SetNZ(cpu.R[Reg(op, 0)] & cpu.R[Reg(op, 3)]);

    // NEG <Rd>, <Rm>  (A7.1.47): 0 - Rm.
    public static void AluRsbRegister(Cpu cpu, uint op) =>
        WriteNZ(cpu, Reg(op, 0), Arithmetic.AddWithCarry(cpu, 0, ~cpu.R[Reg(op, 3)], true, true));

    // CMP <Rn>, <Rm>  (A7.1.22 CMP (2))
    public static void AluCmpRegister(Cpu cpu, uint op) =>
        cpu.SetNZ(Arithmetic.AddWithCarry(cpu, cpu.R[Reg(op, 0)], ~cpu.R[Reg(op, 3)], true, true));

    // CMN <Rn>, <Rm>  (A7.1.20)
    public static void AluCmnRegister(Cpu cpu, uint op) =>
        cpu.SetNZ(Arithmetic.AddWithCarry(cpu, cpu.R[Reg(op, 0)], cpu.R[Reg(op, 3)], false, true));

    // ORR <Rd>, <Rm>  (A7.1.48)
    public static void AluOrrRegister(Cpu cpu, uint op)
    {
        int rd = Reg(op, 0);
        WriteNZ(cpu, rd, cpu.R[rd] | cpu.R[Reg(op, 3)]);
    }

    // MUL <Rd>, <Rm>  (A7.1.45): N and Z only; C is unaffected from ARMv5 on (UNPREDICTABLE in v4), V always.
    public static void AluMulRegister(Cpu cpu, uint op)
    {
        int rd = Reg(op, 0);
        WriteNZ(cpu, rd, cpu.R[Reg(op, 3)] * cpu.R[rd]);
    }

    // BIC <Rd>, <Rm>  (A7.1.15)
    public static void AluBicRegister(Cpu cpu, uint op)
    {
        int rd = Reg(op, 0);
        WriteNZ(cpu, rd, cpu.R[rd] & ~cpu.R[Reg(op, 3)]);
    }

    // MVN <Rd>, <Rm>  (A7.1.46)
    public static void AluMvnRegister(Cpu cpu, uint op) => WriteNZ(cpu, Reg(op, 0), ~cpu.R[Reg(op, 3)]);

    // ---- high registers and branch/exchange ----------------------------------------------------
    // Rd/Rn is H1:bits 2:0 and Rm is H2:bits 5:3, i.e. bits 6:3. Both low is UNPREDICTABLE in
    // ARMv5; QEMU executes the operation all the same, and so do we.

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int HighRd(uint op) => (int)(((op >> 4) & 8) | (op & 7));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int HighRm(uint op) => (int)(op >> 3) & 15;

    // ADD <Rd>, <Rm>  (A7.1.6 ADD (4)): no flags. Rd = PC is ALUWritePC: a branch without leaving Thumb state.
    public static void AddHigh(Cpu cpu, uint op)
    {
        int rd = HighRd(op);
        cpu.AluWriteRegister(rd, cpu.R[rd] + cpu.R[HighRm(op)]);
    }

    // CMP <Rn>, <Rm>  (A7.1.23 CMP (3))
    public static void CmpHigh(Cpu cpu, uint op) =>
        cpu.SetNZ(Arithmetic.AddWithCarry(cpu, cpu.R[HighRd(op)], ~cpu.R[HighRm(op)], true, true));

    // MOV <Rd>, <Rm>  (A7.1.44 MOV (3)): no flags. Rd = PC is ALUWritePC: a branch without leaving Thumb state.
    public static void MovHigh(Cpu cpu, uint op) => cpu.AluWriteRegister(HighRd(op), cpu.R[HighRm(op)]);

    // BX <Rm>  (A7.1.19): bit 0 of Rm selects the state. BX PC goes to ARM code at Align(addr + 4, 4).
    public static void Bx(Cpu cpu, uint op) => cpu.BXWritePC(cpu.R[HighRm(op)]);

    // BLX <Rm>  (A7.1.18 BLX (2)): the target is read before LR is written, so BLX LR works.
    public static void BlxRegister(Cpu cpu, uint op)
    {
        uint target = cpu.R[HighRm(op)];
        cpu.R[14] = (cpu.R[15] - 2) | 1; // the next instruction, in Thumb state
        cpu.BXWritePC(target);
    }

    // ---- loads and stores ----------------------------------------------------------------------
    // Word accesses ignore address bits 1:0 (a load rotates the word instead) and halfword
    // accesses bit 0: ARMv5 without SCTLR.U, as for ARM loads and stores. With SCTLR.A set
    // those bits make an alignment fault instead (Cpu.WordAddress, Cpu.HalfwordAddress).
    // LDR (3) needs no check: Align(PC, 4) + imm * 4 is always aligned.

    // LDR <Rd>, [PC, #<immed_8> * 4]  (A7.1.30 LDR (3)): the base is Align(PC, 4).
    public static void LdrLiteral(Cpu cpu, uint op) =>
        cpu.R[Reg(op, 8)] = cpu.Memory.Read32((cpu.R[15] & ~3u) + ((op & 0xFF) << 2));

    // STR <Rd>, [<Rn>, <Rm>]  (A7.1.59 STR (2))
    public static void StrRegister(Cpu cpu, uint op) =>
        cpu.Memory.Write32(cpu.WordAddress(cpu.R[Reg(op, 3)] + cpu.R[Reg(op, 6)], AccessKind.Write), cpu.R[Reg(op, 0)]);

    // STRH <Rd>, [<Rn>, <Rm>]  (A7.1.64 STRH (2))
    public static void StrhRegister(Cpu cpu, uint op) =>
        cpu.Memory.Write16(cpu.HalfwordAddress(cpu.R[Reg(op, 3)] + cpu.R[Reg(op, 6)], AccessKind.Write), cpu.R[Reg(op, 0)]);

    // STRB <Rd>, [<Rn>, <Rm>]  (A7.1.62 STRB (2))
    public static void StrbRegister(Cpu cpu, uint op) =>
        cpu.Memory.Write8(cpu.R[Reg(op, 3)] + cpu.R[Reg(op, 6)], cpu.R[Reg(op, 0)]);

    // LDRSB <Rd>, [<Rn>, <Rm>]  (A7.1.36)
    public static void LdrsbRegister(Cpu cpu, uint op) =>
        cpu.R[Reg(op, 0)] = (uint)(sbyte)cpu.Memory.Read8(cpu.R[Reg(op, 3)] + cpu.R[Reg(op, 6)]);

    // LDR <Rd>, [<Rn>, <Rm>]  (A7.1.29 LDR (2))
    public static void LdrRegister(Cpu cpu, uint op) =>
        cpu.R[Reg(op, 0)] = ReadWordRotated(cpu, cpu.R[Reg(op, 3)] + cpu.R[Reg(op, 6)]);

    // LDRH <Rd>, [<Rn>, <Rm>]  (A7.1.35 LDRH (2))
    public static void LdrhRegister(Cpu cpu, uint op) =>
        cpu.R[Reg(op, 0)] = cpu.Memory.Read16(cpu.HalfwordAddress(cpu.R[Reg(op, 3)] + cpu.R[Reg(op, 6)], AccessKind.Read));

    // LDRB <Rd>, [<Rn>, <Rm>]  (A7.1.33 LDRB (2))
    public static void LdrbRegister(Cpu cpu, uint op) =>
        cpu.R[Reg(op, 0)] = cpu.Memory.Read8(cpu.R[Reg(op, 3)] + cpu.R[Reg(op, 6)]);

    // LDRSH <Rd>, [<Rn>, <Rm>]  (A7.1.37)
    public static void LdrshRegister(Cpu cpu, uint op) =>
        cpu.R[Reg(op, 0)] = (uint)(short)cpu.Memory.Read16(cpu.HalfwordAddress(cpu.R[Reg(op, 3)] + cpu.R[Reg(op, 6)], AccessKind.Read));

    // STR <Rd>, [<Rn>, #<immed_5> * 4]  (A7.1.58 STR (1))
    public static void StrImmediate(Cpu cpu, uint op) =>
        cpu.Memory.Write32(cpu.WordAddress(cpu.R[Reg(op, 3)] + ((op >> 4) & 0x7C), AccessKind.Write), cpu.R[Reg(op, 0)]);

    // LDR <Rd>, [<Rn>, #<immed_5> * 4]  (A7.1.28 LDR (1))
    public static void LdrImmediate(Cpu cpu, uint op) =>
        cpu.R[Reg(op, 0)] = ReadWordRotated(cpu, cpu.R[Reg(op, 3)] + ((op >> 4) & 0x7C));

    // STRB <Rd>, [<Rn>, #<immed_5>]  (A7.1.61 STRB (1))
    public static void StrbImmediate(Cpu cpu, uint op) =>
        cpu.Memory.Write8(cpu.R[Reg(op, 3)] + ((op >> 6) & 31), cpu.R[Reg(op, 0)]);

    // LDRB <Rd>, [<Rn>, #<immed_5>]  (A7.1.32 LDRB (1))
    public static void LdrbImmediate(Cpu cpu, uint op) =>
        cpu.R[Reg(op, 0)] = cpu.Memory.Read8(cpu.R[Reg(op, 3)] + ((op >> 6) & 31));

    // STRH <Rd>, [<Rn>, #<immed_5> * 2]  (A7.1.63 STRH (1))
    public static void StrhImmediate(Cpu cpu, uint op) =>
        cpu.Memory.Write16(cpu.HalfwordAddress(cpu.R[Reg(op, 3)] + ((op >> 5) & 0x3E), AccessKind.Write), cpu.R[Reg(op, 0)]);

    // LDRH <Rd>, [<Rn>, #<immed_5> * 2]  (A7.1.34 LDRH (1))
    public static void LdrhImmediate(Cpu cpu, uint op) =>
        cpu.R[Reg(op, 0)] = cpu.Memory.Read16(cpu.HalfwordAddress(cpu.R[Reg(op, 3)] + ((op >> 5) & 0x3E), AccessKind.Read));

    // STR <Rd>, [SP, #<immed_8> * 4]  (A7.1.60 STR (3))
    public static void StrSpRelative(Cpu cpu, uint op) =>
        cpu.Memory.Write32(cpu.WordAddress(cpu.R[13] + ((op & 0xFF) << 2), AccessKind.Write), cpu.R[Reg(op, 8)]);

    // LDR <Rd>, [SP, #<immed_8> * 4]  (A7.1.31 LDR (4))
    public static void LdrSpRelative(Cpu cpu, uint op) =>
        cpu.R[Reg(op, 8)] = ReadWordRotated(cpu, cpu.R[13] + ((op & 0xFF) << 2));

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
