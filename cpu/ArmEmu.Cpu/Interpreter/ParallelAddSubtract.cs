using System.Runtime.CompilerServices;

namespace ArmEmu.Cpu.Interpreter;

/// <summary>
/// The ARMv6 parallel add and subtract instructions (DDI 0406C A5.4.1, A4.4.3): six kinds
/// (S, Q, SH, U, UQ, UH: signed or unsigned, modular, saturating or halving) times six shapes
/// (ADD16, ASX, SAX, SUB16, ADD8, SUB8), written once as <see cref="Execute{TKind, TShape}"/>.
/// Each lane is computed exactly (in an int) and then reduced as the kind says; the modular
/// kinds set CPSR.GE[3:0] per lane (two GE bits per halfword lane), the others leave GE alone.
/// </summary>
internal static class ParallelAddSubtract
{
    public static void Execute<TKind, TShape>(Cpu cpu, int d, int n, int m)
        where TKind : struct, IParallelKind
        where TShape : struct, IParallelShape
    {
        uint a = cpu.R[n], b = cpu.R[m], result = 0, ge = 0;
        if (TShape.Halfwords)
        {
            for (int lane = 0; lane < 2; lane++)
            {
                int x = Lane<TKind>(a, 16 * lane, 16);
                int y = Lane<TKind>(b, 16 * (TShape.Exchanges ? 1 - lane : lane), 16);
                bool subtract = TShape.Subtracts(lane);
                int value = subtract ? x - y : x + y;
                result |= (TKind.Reduce(value, 16) & 0xFFFF) << (16 * lane);
                if (TKind.SetsGe && TKind.GreaterOrEqual(value, subtract, 16)) ge |= 3u << (2 * lane);
            }
        }
        else
        {
            for (int lane = 0; lane < 4; lane++)
            {
                int x = Lane<TKind>(a, 8 * lane, 8), y = Lane<TKind>(b, 8 * lane, 8);
                bool subtract = TShape.Subtracts(lane);
                int value = subtract ? x - y : x + y;
                result |= (TKind.Reduce(value, 8) & 0xFF) << (8 * lane);
                if (TKind.SetsGe && TKind.GreaterOrEqual(value, subtract, 8)) ge |= 1u << lane;
            }
        }
        if (TKind.SetsGe) cpu.GE = ge;
        cpu.WriteRegister(d, result);
    }

    // <op><c> <Rd>, <Rn>, <Rm>  A1: cccc 0110 0kkk Rn Rd 1111 sss1 Rm
    public static void A1<TKind, TShape>(Cpu cpu, uint op)
        where TKind : struct, IParallelKind
        where TShape : struct, IParallelShape =>
        Execute<TKind, TShape>(cpu, (int)(op >> 12) & 15, (int)(op >> 16) & 15, (int)op & 15);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Lane<TKind>(uint word, int shift, int bits) where TKind : struct, IParallelKind
    {
        uint raw = (word >> shift) & ((1u << bits) - 1);
        return TKind.Signed ? (int)(raw << (32 - bits)) >> (32 - bits) : (int)raw;
    }

    // ---- T32 (DDI 0406C A6.3; a T32 word is hw1:hw2, Rd in 11:8, Rn in 19:16, lsb = imm3:imm2) ----

    // <prefix><op> T1: 11111 010 1 op1 Rn | 1111 Rd 0 prefix Rm
    public static void T1<TKind, TShape>(Cpu cpu, uint op)
        where TKind : struct, IParallelKind
        where TShape : struct, IParallelShape =>
        Execute<TKind, TShape>(cpu, (int)(op >> 8) & 15, (int)(op >> 16) & 15, (int)op & 15);
}

/// <summary>How a lane's exact sum or difference becomes the lane result.</summary>
internal interface IParallelKind
{
    /// <summary>Lanes are read as signed (S, Q, SH) or unsigned (U, UQ, UH) numbers.</summary>
    static abstract bool Signed { get; }

    /// <summary>The modular kinds (S, U) set GE.</summary>
    static abstract bool SetsGe { get; }

    static abstract uint Reduce(int value, int bits);

    /// <summary>The GE bit of a lane: signed, result &gt;= 0; unsigned add, a carry out; unsigned subtract, no borrow.</summary>
    static abstract bool GreaterOrEqual(int value, bool subtract, int bits);
}

/// <summary>Which lanes are added or subtracted, and whether Rm's halfwords are exchanged.</summary>
internal interface IParallelShape
{
    static abstract bool Halfwords { get; }

    static abstract bool Exchanges { get; }

    static abstract bool Subtracts(int lane);
}

/// <summary>S: signed, modular, sets GE.</summary>
internal struct SignedModular : IParallelKind
{
    public static bool Signed => true;
    public static bool SetsGe => true;
    public static uint Reduce(int value, int bits) => (uint)value;
    public static bool GreaterOrEqual(int value, bool subtract, int bits) => value >= 0;
}

/// <summary>Q: signed saturating.</summary>
internal struct SignedSaturating : IParallelKind
{
    public static bool Signed => true;
    public static bool SetsGe => false;
    public static uint Reduce(int value, int bits) => (uint)Math.Clamp(value, -(1 << (bits - 1)), (1 << (bits - 1)) - 1);
    public static bool GreaterOrEqual(int value, bool subtract, int bits) => false;
}

/// <summary>SH: signed halving.</summary>
internal struct SignedHalving : IParallelKind
{
    public static bool Signed => true;
    public static bool SetsGe => false;
    public static uint Reduce(int value, int bits) => (uint)(value >> 1);
    public static bool GreaterOrEqual(int value, bool subtract, int bits) => false;
}

/// <summary>U: unsigned, modular, sets GE.</summary>
internal struct UnsignedModular : IParallelKind
{
    public static bool Signed => false;
    public static bool SetsGe => true;
    public static uint Reduce(int value, int bits) => (uint)value;
    public static bool GreaterOrEqual(int value, bool subtract, int bits) => subtract ? value >= 0 : value >= 1 << bits;
}

/// <summary>UQ: unsigned saturating.</summary>
internal struct UnsignedSaturating : IParallelKind
{
    public static bool Signed => false;
    public static bool SetsGe => false;
    public static uint Reduce(int value, int bits) => (uint)Math.Clamp(value, 0, (1 << bits) - 1);
    public static bool GreaterOrEqual(int value, bool subtract, int bits) => false;
}

/// <summary>UH: unsigned halving (the exact difference may be negative: its bits [n:1] are the result).</summary>
internal struct UnsignedHalving : IParallelKind
{
    public static bool Signed => false;
    public static bool SetsGe => false;
    public static uint Reduce(int value, int bits) => (uint)(value >> 1);
    public static bool GreaterOrEqual(int value, bool subtract, int bits) => false;
}

/// <summary>ADD16: both halfwords added.</summary>
internal struct Add16 : IParallelShape
{
    public static bool Halfwords => true;
    public static bool Exchanges => false;
    public static bool Subtracts(int lane) => false;
}

/// <summary>ASX: low = Rn.lo - Rm.hi, high = Rn.hi + Rm.lo.</summary>
internal struct AddSubtractExchange : IParallelShape
{
    public static bool Halfwords => true;
    public static bool Exchanges => true;
    public static bool Subtracts(int lane) => lane == 0;
}

/// <summary>SAX: low = Rn.lo + Rm.hi, high = Rn.hi - Rm.lo.</summary>
internal struct SubtractAddExchange : IParallelShape
{
    public static bool Halfwords => true;
    public static bool Exchanges => true;
    public static bool Subtracts(int lane) => lane == 1;
}

/// <summary>SUB16: both halfwords subtracted.</summary>
internal struct Subtract16 : IParallelShape
{
    public static bool Halfwords => true;
    public static bool Exchanges => false;
    public static bool Subtracts(int lane) => true;
}

/// <summary>ADD8: four bytes added.</summary>
internal struct Add8 : IParallelShape
{
    public static bool Halfwords => false;
    public static bool Exchanges => false;
    public static bool Subtracts(int lane) => false;
}

/// <summary>SUB8: four bytes subtracted.</summary>
internal struct Subtract8 : IParallelShape
{
    public static bool Halfwords => false;
    public static bool Exchanges => false;
    public static bool Subtracts(int lane) => true;
}
