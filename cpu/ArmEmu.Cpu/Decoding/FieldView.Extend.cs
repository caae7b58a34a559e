using ArmEmu.Cpu.Interpreter;

namespace ArmEmu.Cpu.Decoding;

// ---- Extend.cs (SXTB, SXTH, SXTB16, UXTB, UXTH, UXTB16 and their accumulating forms): the field
// views as IExtendFields. A1 and T32 use the same letters (d, n, m, r: rotate); the forms without an
// accumulator have Rn = 1111 in the pattern; the 16-bit forms have no rotation.

internal static partial class ArmFields
{
    readonly partial struct Sxtab16A1 : IExtendFields<Sxtab16A1>
    {
        public int Rd => d;
        public int Rn => n;
        public int Rm => m;
        public int Rotation => r * 8;
    }

    readonly partial struct Sxtb16A1 : IExtendFields<Sxtb16A1>
    {
        public int Rd => d;
        public int Rn => 15;
        public int Rm => m;
        public int Rotation => r * 8;
    }

    readonly partial struct SxtabA1 : IExtendFields<SxtabA1>
    {
        public int Rd => d;
        public int Rn => n;
        public int Rm => m;
        public int Rotation => r * 8;
    }

    readonly partial struct SxtbA1 : IExtendFields<SxtbA1>
    {
        public int Rd => d;
        public int Rn => 15;
        public int Rm => m;
        public int Rotation => r * 8;
    }

    readonly partial struct SxtahA1 : IExtendFields<SxtahA1>
    {
        public int Rd => d;
        public int Rn => n;
        public int Rm => m;
        public int Rotation => r * 8;
    }

    readonly partial struct SxthA1 : IExtendFields<SxthA1>
    {
        public int Rd => d;
        public int Rn => 15;
        public int Rm => m;
        public int Rotation => r * 8;
    }

    readonly partial struct Uxtab16A1 : IExtendFields<Uxtab16A1>
    {
        public int Rd => d;
        public int Rn => n;
        public int Rm => m;
        public int Rotation => r * 8;
    }

    readonly partial struct Uxtb16A1 : IExtendFields<Uxtb16A1>
    {
        public int Rd => d;
        public int Rn => 15;
        public int Rm => m;
        public int Rotation => r * 8;
    }

    readonly partial struct UxtabA1 : IExtendFields<UxtabA1>
    {
        public int Rd => d;
        public int Rn => n;
        public int Rm => m;
        public int Rotation => r * 8;
    }

    readonly partial struct UxtbA1 : IExtendFields<UxtbA1>
    {
        public int Rd => d;
        public int Rn => 15;
        public int Rm => m;
        public int Rotation => r * 8;
    }

    readonly partial struct UxtahA1 : IExtendFields<UxtahA1>
    {
        public int Rd => d;
        public int Rn => n;
        public int Rm => m;
        public int Rotation => r * 8;
    }

    readonly partial struct UxthA1 : IExtendFields<UxthA1>
    {
        public int Rd => d;
        public int Rn => 15;
        public int Rm => m;
        public int Rotation => r * 8;
    }
}

internal static partial class Thumb32Fields
{
    readonly partial struct Sxtab16T1 : IExtendFields<Sxtab16T1>
    {
        public int Rd => d;
        public int Rn => n;
        public int Rm => m;
        public int Rotation => r * 8;
    }

    readonly partial struct Sxtb16T1 : IExtendFields<Sxtb16T1>
    {
        public int Rd => d;
        public int Rn => 15;
        public int Rm => m;
        public int Rotation => r * 8;
    }

    readonly partial struct SxtabT1 : IExtendFields<SxtabT1>
    {
        public int Rd => d;
        public int Rn => n;
        public int Rm => m;
        public int Rotation => r * 8;
    }

    readonly partial struct SxtbT2 : IExtendFields<SxtbT2>
    {
        public int Rd => d;
        public int Rn => 15;
        public int Rm => m;
        public int Rotation => r * 8;
    }

    readonly partial struct SxtahT1 : IExtendFields<SxtahT1>
    {
        public int Rd => d;
        public int Rn => n;
        public int Rm => m;
        public int Rotation => r * 8;
    }

    readonly partial struct SxthT2 : IExtendFields<SxthT2>
    {
        public int Rd => d;
        public int Rn => 15;
        public int Rm => m;
        public int Rotation => r * 8;
    }

    readonly partial struct Uxtab16T1 : IExtendFields<Uxtab16T1>
    {
        public int Rd => d;
        public int Rn => n;
        public int Rm => m;
        public int Rotation => r * 8;
    }

    readonly partial struct Uxtb16T1 : IExtendFields<Uxtb16T1>
    {
        public int Rd => d;
        public int Rn => 15;
        public int Rm => m;
        public int Rotation => r * 8;
    }

    readonly partial struct UxtabT1 : IExtendFields<UxtabT1>
    {
        public int Rd => d;
        public int Rn => n;
        public int Rm => m;
        public int Rotation => r * 8;
    }

    readonly partial struct UxtbT2 : IExtendFields<UxtbT2>
    {
        public int Rd => d;
        public int Rn => 15;
        public int Rm => m;
        public int Rotation => r * 8;
    }

    readonly partial struct UxtahT1 : IExtendFields<UxtahT1>
    {
        public int Rd => d;
        public int Rn => n;
        public int Rm => m;
        public int Rotation => r * 8;
    }

    readonly partial struct UxthT2 : IExtendFields<UxthT2>
    {
        public int Rd => d;
        public int Rn => 15;
        public int Rm => m;
        public int Rotation => r * 8;
    }
}

internal static partial class Thumb16Fields
{
    readonly partial struct SxtbT1 : IExtendFields<SxtbT1>
    {
        public int Rd => d;
        public int Rn => 15;
        public int Rm => m;
        public int Rotation => 0;
    }

    readonly partial struct SxthT1 : IExtendFields<SxthT1>
    {
        public int Rd => d;
        public int Rn => 15;
        public int Rm => m;
        public int Rotation => 0;
    }

    readonly partial struct UxtbT1 : IExtendFields<UxtbT1>
    {
        public int Rd => d;
        public int Rn => 15;
        public int Rm => m;
        public int Rotation => 0;
    }

    readonly partial struct UxthT1 : IExtendFields<UxthT1>
    {
        public int Rd => d;
        public int Rn => 15;
        public int Rm => m;
        public int Rotation => 0;
    }
}
