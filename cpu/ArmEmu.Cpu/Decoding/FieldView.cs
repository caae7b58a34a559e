using ArmEmu.Cpu.Interpreter;

namespace ArmEmu.Cpu.Decoding;

/// <summary>
/// A field view generated from an encoding row's pattern (ArmFields, Thumb32Fields, ...), as a
/// generic core takes it: <c>TFields.Of(op)</c> reads the word through the encoding's own letters.
/// A core that serves several encodings of one instruction (A1 and T1) names the fields it needs
/// in an interface derived from this one; each encoding's view implements it (a partial of the
/// generated struct), mapping its letters onto those names: below, for Bitfield.cs and Saturating.cs; in
/// FieldView.Extend.cs, FieldView.Multiply.cs and FieldView.Exclusive.cs for those families.
/// </summary>
internal interface IFieldView<TSelf> where TSelf : struct, IFieldView<TSelf>
{
    /// <summary>The view of an instruction word of the encoding.</summary>
    static abstract TSelf Of(uint op);
}

// ---- Bitfield.cs (BFC, BFI, UBFX, SBFX): A1 has lsb in 'l', T1 in 'i' (imm3:imm2); msb is 'm' and
// widthminus1 'w' in both.

internal static partial class ArmFields
{
    readonly partial struct BfcA1 : IBitfieldInsertFields<BfcA1>
    {
        public int Rd => d;
        public int Rn => 15;
        public int Lsb => l;
        public int Msb => m;
    }

    readonly partial struct BfiA1 : IBitfieldInsertFields<BfiA1>
    {
        public int Rd => d;
        public int Rn => n;
        public int Lsb => l;
        public int Msb => m;
    }

    readonly partial struct UbfxA1 : IBitfieldExtractFields<UbfxA1>
    {
        public int Rd => d;
        public int Rn => n;
        public int Lsb => l;
        public int WidthMinus1 => w;
    }

    readonly partial struct SbfxA1 : IBitfieldExtractFields<SbfxA1>
    {
        public int Rd => d;
        public int Rn => n;
        public int Lsb => l;
        public int WidthMinus1 => w;
    }
}

internal static partial class Thumb32Fields
{
    readonly partial struct BfcT1 : IBitfieldInsertFields<BfcT1>
    {
        public int Rd => d;
        public int Rn => 15;
        public int Lsb => i;
        public int Msb => m;
    }

    readonly partial struct BfiT1 : IBitfieldInsertFields<BfiT1>
    {
        public int Rd => d;
        public int Rn => n;
        public int Lsb => i;
        public int Msb => m;
    }

    readonly partial struct UbfxT1 : IBitfieldExtractFields<UbfxT1>
    {
        public int Rd => d;
        public int Rn => n;
        public int Lsb => i;
        public int WidthMinus1 => w;
    }

    readonly partial struct SbfxT1 : IBitfieldExtractFields<SbfxT1>
    {
        public int Rd => d;
        public int Rn => n;
        public int Lsb => i;
        public int WidthMinus1 => w;
    }
}

// ---- Saturating.cs (SSAT, USAT, SSAT16, USAT16): A1 and T1 use the same letters.

internal static partial class ArmFields
{
    readonly partial struct SsatA1 : ISaturateFields<SsatA1>
    {
        public int Rd => d;
        public int Rn => n;
        public int SaturateTo => s;
        public bool ArithmeticShift => h;
        public int ShiftAmount => i;
    }

    readonly partial struct UsatA1 : ISaturateFields<UsatA1>
    {
        public int Rd => d;
        public int Rn => n;
        public int SaturateTo => s;
        public bool ArithmeticShift => h;
        public int ShiftAmount => i;
    }

    readonly partial struct Ssat16A1 : ISaturate16Fields<Ssat16A1>
    {
        public int Rd => d;
        public int Rn => n;
        public int SaturateTo => s;
    }

    readonly partial struct Usat16A1 : ISaturate16Fields<Usat16A1>
    {
        public int Rd => d;
        public int Rn => n;
        public int SaturateTo => s;
    }
}

internal static partial class Thumb32Fields
{
    readonly partial struct SsatT1 : ISaturateFields<SsatT1>
    {
        public int Rd => d;
        public int Rn => n;
        public int SaturateTo => s;
        public bool ArithmeticShift => h;
        public int ShiftAmount => i;
    }

    readonly partial struct UsatT1 : ISaturateFields<UsatT1>
    {
        public int Rd => d;
        public int Rn => n;
        public int SaturateTo => s;
        public bool ArithmeticShift => h;
        public int ShiftAmount => i;
    }

    readonly partial struct Ssat16T1 : ISaturate16Fields<Ssat16T1>
    {
        public int Rd => d;
        public int Rn => n;
        public int SaturateTo => s;
    }

    readonly partial struct Usat16T1 : ISaturate16Fields<Usat16T1>
    {
        public int Rd => d;
        public int Rn => n;
        public int SaturateTo => s;
    }
}
