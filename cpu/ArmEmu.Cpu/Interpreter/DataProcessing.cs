using System.Numerics;
using System.Runtime.CompilerServices;

namespace ArmEmu.Cpu.Interpreter;

/// <summary>
/// ARM data-processing instructions (ARM ARM A3.4, A4.1): sixteen operations
/// times three shifter-operand forms, written once as
/// <see cref="Execute{TOp, TOperand}"/> and specialised by the JIT for each
/// pair the encoding table names.
/// </summary>
internal static class DataProcessing
{
    // <opc>{S}<c> <Rd>, <Rn>, <shifter_operand>
    public static void Execute<TOp, TOperand>(Cpu cpu, uint op)
        where TOp : struct, IAluOperation
        where TOperand : struct, IShifterOperand
    {
        // The compares always set the flags (their A32 and T32 rows fix S to 1; the 16-bit forms have no S).
        bool setFlags = !TOp.WritesResult || TOperand.SetFlags(cpu, op);
        int rd = TOperand.Rd(op);
        bool toPc = TOp.WritesResult && TOperand.RdMayBePc && rd == 15;
        if (toPc && setFlags && cpu.Mode == ProcessorMode.User)
        {
            // ALUExceptionReturn in User mode is UNPREDICTABLE; QEMU makes it UNDEFINED.
            cpu.RaiseUndefined(op);
            return;
        }

        uint a = TOp.UsesRn ? TOperand.ReadRn(cpu, op) : 0;
        bool shifterCarry = cpu.C;
        uint b = setFlags && TOp.IsLogical
            ? TOperand.ValueAndCarry(cpu, op, out shifterCarry)
            : TOperand.Value(cpu, op);
        uint result = TOp.Compute(cpu, a, b, setFlags);

        if (TOp.WritesResult)
        {
            if (toPc)
            {
                // With S, a write to the PC returns from an exception (ALUExceptionReturn).
                if (setFlags) cpu.ExceptionReturn(result);
                else cpu.ALUWritePC(result);
                return;
            }
            cpu.R[rd] = result;
        }
        if (setFlags)
        {
            cpu.SetNZ(result);
            if (TOp.IsLogical) cpu.C = shifterCarry;
        }
    }

    // CLZ<c> <Rd>, <Rm>  (A4.1.13)
    public static void Clz(Cpu cpu, uint op) =>
        cpu.R[(int)(op >> 12) & 15] = (uint)BitOperations.LeadingZeroCount(cpu.R[(int)op & 15]);

    // CLZ T1: 11111 010 1011 Rm | 1111 Rd 1000 Rm (QEMU reads the second Rm)
    public static void ClzT1(Cpu cpu, uint op) =>
        cpu.WriteRegister((int)(op >> 8) & 15, (uint)BitOperations.LeadingZeroCount(cpu.R[(int)op & 15]));
}

/// <summary>
/// A shifter operand form (A5.1): how the second operand and its carry-out are produced, and the
/// field view of the encoding around it: where Rd and Rn are and whether the flags are set. The
/// A32 forms read the A32 bit positions (<see cref="A32DataProcessingFields"/>); the T32 and 16-bit
/// Thumb forms (DataProcessing.Thumb.cs) read theirs, so every instruction set runs the one
/// <see cref="DataProcessing.Execute{TOp, TOperand}"/>.
/// </summary>
/// <remarks>
/// Every member is abstract, implemented by each form, never a default implementation: crossgen2
/// (.NET 10) does not precompile a generic method that calls a static virtual member through its
/// interface's default body, so each core instantiated over such a form was compiled by the JIT at
/// run time -- about 40 of them in a static hello, most of its guest time at start-up.
/// </remarks>
internal interface IShifterOperand
{
    /// <summary>The destination register (A32: bits 15:12).</summary>
    static abstract int Rd(uint op);

    /// <summary>
    /// Whether <see cref="Rd"/> can be 15. False for the 16-bit forms with a 3-bit Rd: the JIT then
    /// drops the write-to-PC tests from their specialisations (it does not see that a masked
    /// field is below 8), which are a quarter of a 16-bit ADDS's host instructions.
    /// </summary>
    static abstract bool RdMayBePc { get; }

    /// <summary>Whether the flags are set (A32: the S bit, 20). The compares set them whatever this says.</summary>
    static abstract bool SetFlags(Cpu cpu, uint op);

    static abstract uint Value(Cpu cpu, uint op);

    static abstract uint ValueAndCarry(Cpu cpu, uint op, out bool carry);

    /// <summary>Reads Rn. Register-shifted forms with the PC as an operand are UNPREDICTABLE; QEMU reads PC+8 as for every form.</summary>
    static abstract uint ReadRn(Cpu cpu, uint op);
}

/// <summary>Where the A32 data-processing encodings keep Rd and S (A3.4; the T32 ones keep S where A32 does).</summary>
internal static class A32DataProcessingFields
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Rd(uint op) => (int)(op >> 12) & 15;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool S(uint op) => (op & (1u << 20)) != 0;
}

/// <summary>#&lt;immediate&gt;: an 8-bit value rotated right by twice the rotate field (A5.1.3).</summary>
internal struct ImmediateOperand : IShifterOperand
{
    public static int Rd(uint op) => A32DataProcessingFields.Rd(op);

    public static bool RdMayBePc => true;

    public static bool SetFlags(Cpu cpu, uint op) => A32DataProcessingFields.S(op);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Value(Cpu cpu, uint op) => BitOperations.RotateRight(op & 0xFF, (int)((op >> 7) & 0x1E));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint ValueAndCarry(Cpu cpu, uint op, out bool carry)
    {
        int rotate = (int)((op >> 7) & 0x1E);
        uint value = BitOperations.RotateRight(op & 0xFF, rotate);
        carry = rotate == 0 ? cpu.C : (int)value < 0;
        return value;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint ReadRn(Cpu cpu, uint op) => cpu.R[(int)(op >> 16) & 15];
}

/// <summary>&lt;Rm&gt;, &lt;shift&gt; #&lt;amount&gt; (A5.1.4-A5.1.13).</summary>
internal struct ImmediateShiftOperand : IShifterOperand
{
    public static int Rd(uint op) => A32DataProcessingFields.Rd(op);

    public static bool RdMayBePc => true;

    public static bool SetFlags(Cpu cpu, uint op) => A32DataProcessingFields.S(op);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Value(Cpu cpu, uint op)
    {
        uint rm = cpu.R[(int)op & 15];
        int amount = (int)(op >> 7) & 31;
        uint type = (op >> 5) & 3;
        if (type == 0) return rm << amount; // LSL, by far the commonest, first
        return Shifter.ShiftImmediate(rm, type, amount, cpu.C);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint ValueAndCarry(Cpu cpu, uint op, out bool carry) =>
        Shifter.ShiftImmediate(cpu.R[(int)op & 15], (op >> 5) & 3, (int)(op >> 7) & 31, cpu.C, out carry);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint ReadRn(Cpu cpu, uint op) => cpu.R[(int)(op >> 16) & 15];
}

/// <summary>&lt;Rm&gt;, &lt;shift&gt; &lt;Rs&gt;: the amount is the bottom byte of Rs (A5.1.6/8/10/12).</summary>
internal struct RegisterShiftOperand : IShifterOperand
{
    public static int Rd(uint op) => A32DataProcessingFields.Rd(op);

    public static bool RdMayBePc => true;

    public static bool SetFlags(Cpu cpu, uint op) => A32DataProcessingFields.S(op);

    public static uint Value(Cpu cpu, uint op) => ValueAndCarry(cpu, op, out _);

    public static uint ValueAndCarry(Cpu cpu, uint op, out bool carry) =>
        Shifter.ShiftRegister(cpu.R[(int)op & 15], (op >> 5) & 3, cpu.R[(int)(op >> 8) & 15], cpu.C, out carry);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint ReadRn(Cpu cpu, uint op) => cpu.R[(int)(op >> 16) & 15];
}

/// <summary>One of the sixteen data-processing operations (A3.4.1, table A3-2).</summary>
internal interface IAluOperation
{
    /// <summary>AND, EOR, TST, TEQ, ORR, MOV, BIC, MVN: C comes from the shifter, V is untouched.</summary>
    static abstract bool IsLogical { get; }

    /// <summary>False for the compares, which only set flags.</summary>
    static abstract bool WritesResult { get; }

    /// <summary>False for MOV and MVN, which ignore Rn.</summary>
    static abstract bool UsesRn { get; }

    /// <summary>The result; arithmetic operations also set C and V when <paramref name="setFlags"/>.</summary>
    static abstract uint Compute(Cpu cpu, uint a, uint b, bool setFlags);
}

/// <summary>Flag rules for addition and subtraction (A2.5.2; AddWithCarry in the ARMv7 pseudocode).</summary>
internal static class Arithmetic
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint AddWithCarry(Cpu cpu, uint a, uint b, bool carryIn, bool setFlags)
    {
        ulong sum = (ulong)a + b + (carryIn ? 1u : 0u);
        uint result = (uint)sum;
        if (setFlags)
        {
            cpu.C = (sum >> 32) != 0;
            cpu.V = (int)((a ^ result) & (b ^ result)) < 0;
        }
        return result;
    }
}

internal struct And : IAluOperation
{
    public static bool IsLogical => true;
    public static bool WritesResult => true;
    public static bool UsesRn => true;
    public static uint Compute(Cpu cpu, uint a, uint b, bool setFlags) => a & b;
}

internal struct Eor : IAluOperation
{
    public static bool IsLogical => true;
    public static bool WritesResult => true;
    public static bool UsesRn => true;
    public static uint Compute(Cpu cpu, uint a, uint b, bool setFlags) => a ^ b;
}

internal struct Sub : IAluOperation
{
    public static bool IsLogical => false;
    public static bool WritesResult => true;
    public static bool UsesRn => true;
    public static uint Compute(Cpu cpu, uint a, uint b, bool setFlags) => Arithmetic.AddWithCarry(cpu, a, ~b, true, setFlags);
}

internal struct Rsb : IAluOperation
{
    public static bool IsLogical => false;
    public static bool WritesResult => true;
    public static bool UsesRn => true;
    public static uint Compute(Cpu cpu, uint a, uint b, bool setFlags) => Arithmetic.AddWithCarry(cpu, b, ~a, true, setFlags);
}

internal struct Add : IAluOperation
{
    public static bool IsLogical => false;
    public static bool WritesResult => true;
    public static bool UsesRn => true;
    public static uint Compute(Cpu cpu, uint a, uint b, bool setFlags) => Arithmetic.AddWithCarry(cpu, a, b, false, setFlags);
}

internal struct Adc : IAluOperation
{
    public static bool IsLogical => false;
    public static bool WritesResult => true;
    public static bool UsesRn => true;
    public static uint Compute(Cpu cpu, uint a, uint b, bool setFlags) => Arithmetic.AddWithCarry(cpu, a, b, cpu.C, setFlags);
}

internal struct Sbc : IAluOperation
{
    public static bool IsLogical => false;
    public static bool WritesResult => true;
    public static bool UsesRn => true;
    public static uint Compute(Cpu cpu, uint a, uint b, bool setFlags) => Arithmetic.AddWithCarry(cpu, a, ~b, cpu.C, setFlags);
}

internal struct Rsc : IAluOperation
{
    public static bool IsLogical => false;
    public static bool WritesResult => true;
    public static bool UsesRn => true;
    public static uint Compute(Cpu cpu, uint a, uint b, bool setFlags) => Arithmetic.AddWithCarry(cpu, b, ~a, cpu.C, setFlags);
}

internal struct Tst : IAluOperation
{
    public static bool IsLogical => true;
    public static bool WritesResult => false;
    public static bool UsesRn => true;
    public static uint Compute(Cpu cpu, uint a, uint b, bool setFlags) => a & b;
}

internal struct Teq : IAluOperation
{
    public static bool IsLogical => true;
    public static bool WritesResult => false;
    public static bool UsesRn => true;
    public static uint Compute(Cpu cpu, uint a, uint b, bool setFlags) => a ^ b;
}

internal struct Cmp : IAluOperation
{
    public static bool IsLogical => false;
    public static bool WritesResult => false;
    public static bool UsesRn => true;
    public static uint Compute(Cpu cpu, uint a, uint b, bool setFlags) => Arithmetic.AddWithCarry(cpu, a, ~b, true, setFlags);
}

internal struct Cmn : IAluOperation
{
    public static bool IsLogical => false;
    public static bool WritesResult => false;
    public static bool UsesRn => true;
    public static uint Compute(Cpu cpu, uint a, uint b, bool setFlags) => Arithmetic.AddWithCarry(cpu, a, b, false, setFlags);
}

internal struct Orr : IAluOperation
{
    public static bool IsLogical => true;
    public static bool WritesResult => true;
    public static bool UsesRn => true;
    public static uint Compute(Cpu cpu, uint a, uint b, bool setFlags) => a | b;
}

internal struct Mov : IAluOperation
{
    public static bool IsLogical => true;
    public static bool WritesResult => true;
    public static bool UsesRn => false;
    public static uint Compute(Cpu cpu, uint a, uint b, bool setFlags) => b;
}

internal struct Bic : IAluOperation
{
    public static bool IsLogical => true;
    public static bool WritesResult => true;
    public static bool UsesRn => true;
    public static uint Compute(Cpu cpu, uint a, uint b, bool setFlags) => a & ~b;
}

/// <summary>ORN (T32 only, DDI 0406C A8.8.111-112): Rn OR NOT operand.</summary>
internal struct Orn : IAluOperation
{
    public static bool IsLogical => true;
    public static bool WritesResult => true;
    public static bool UsesRn => true;
    public static uint Compute(Cpu cpu, uint a, uint b, bool setFlags) => a | ~b;
}

internal struct Mvn : IAluOperation
{
    public static bool IsLogical => true;
    public static bool WritesResult => true;
    public static bool UsesRn => false;
    public static uint Compute(Cpu cpu, uint a, uint b, bool setFlags) => ~b;
}
