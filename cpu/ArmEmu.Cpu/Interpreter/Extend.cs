using System.Numerics;
using System.Runtime.CompilerServices;
using ArmEmu.Cpu.Decoding;

namespace ArmEmu.Cpu.Interpreter;

/// <summary>
/// The ARMv6 extends (DDI 0406C A5.4.3: SXTB/SXTH/SXTB16/UXTB/UXTH/UXTB16 and their
/// accumulating forms SXTAB... A8.8.220-A8.8.274): Rm rotated right by 0, 8, 16 or 24,
/// extended, and for the A forms added to Rn. One generic core, <see cref="Execute{TExtend}"/>,
/// takes the register numbers (n = 15 means no accumulate, as the encodings define it) and
/// the rotation in bits; every row's handler reads them through its encoding's field view.
/// </summary>
internal static class Extend
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Execute<TExtend>(Cpu cpu, int d, int n, int m, int rotation) where TExtend : struct, IExtend
    {
        uint extended = TExtend.Extend(BitOperations.RotateRight(cpu.R[m], rotation));
        cpu.WriteRegister(d, n == 15 ? extended : TExtend.Accumulate(cpu.R[n], extended));
    }

    /// <summary>
    /// One handler per instruction for every encoding (A1, T32's T1/T2, the 16-bit T1): the
    /// instruction is <typeparamref name="TExtend"/>, the encoding's fields come through its view
    /// (generated from the row's pattern; Decoding/FieldView.Extend.cs maps its letters).
    /// </summary>
    public static void Execute<TExtend, TFields>(Cpu cpu, uint op) where TExtend : struct, IExtend where TFields : struct, IExtendFields<TFields>
    {
        var f = TFields.Of(op);
        Execute<TExtend>(cpu, f.Rd, f.Rn, f.Rm, f.Rotation);
    }
}

/// <summary>
/// The fields of an extend as the pseudocode names them (d, n, m, rotation). Rn is 15 in the
/// encodings without an accumulator (SXTB, UXTH..., and the 16-bit forms), as the manual encodes them.
/// </summary>
internal interface IExtendFields<TSelf> : IFieldView<TSelf> where TSelf : struct, IExtendFields<TSelf>
{
    int Rd { get; }

    int Rn { get; }

    int Rm { get; }

    /// <summary>The rotation in bits: rotate:'000'.</summary>
    int Rotation { get; }
}

/// <summary>How one extend instruction widens the rotated operand and adds it.</summary>
internal interface IExtend
{
    static abstract uint Extend(uint rotated);

    static abstract uint Accumulate(uint rn, uint extended);
}

/// <summary>SXTB, SXTAB: bits [7:0] sign-extended.</summary>
internal struct SignedByte : IExtend
{
    public static uint Extend(uint rotated) => (uint)(sbyte)rotated;
    public static uint Accumulate(uint rn, uint extended) => rn + extended;
}

/// <summary>SXTH, SXTAH: bits [15:0] sign-extended.</summary>
internal struct SignedHalfword : IExtend
{
    public static uint Extend(uint rotated) => (uint)(short)rotated;
    public static uint Accumulate(uint rn, uint extended) => rn + extended;
}

/// <summary>UXTB, UXTAB: bits [7:0] zero-extended.</summary>
internal struct UnsignedByte : IExtend
{
    public static uint Extend(uint rotated) => rotated & 0xFF;
    public static uint Accumulate(uint rn, uint extended) => rn + extended;
}

/// <summary>UXTH, UXTAH: bits [15:0] zero-extended.</summary>
internal struct UnsignedHalfword : IExtend
{
    public static uint Extend(uint rotated) => rotated & 0xFFFF;
    public static uint Accumulate(uint rn, uint extended) => rn + extended;
}

/// <summary>SXTB16, SXTAB16: bytes 0 and 2 each sign-extended to a halfword; the add is per halfword.</summary>
internal struct SignedByte16 : IExtend
{
    public static uint Extend(uint rotated) => ((uint)(sbyte)rotated & 0xFFFF) | ((uint)(sbyte)(rotated >> 16) << 16);
    public static uint Accumulate(uint rn, uint extended) => AddHalfwords(rn, extended);

    internal static uint AddHalfwords(uint a, uint b) => ((a + b) & 0xFFFF) | (((a >> 16) + (b >> 16)) << 16);
}

/// <summary>UXTB16, UXTAB16: bytes 0 and 2 each zero-extended to a halfword; the add is per halfword.</summary>
internal struct UnsignedByte16 : IExtend
{
    public static uint Extend(uint rotated) => rotated & 0x00FF_00FF;
    public static uint Accumulate(uint rn, uint extended) => SignedByte16.AddHalfwords(rn, extended);
}
