using ArmEmu.Cpu.Interpreter;

namespace ArmEmu.Cpu.Decoding;

// ---- Multiply.cs and SignedMultiply.cs: the field views of the multiply rows as the cores' field
// interfaces. The A32 rows of the ARMv5 multiplies keep that manual's letters: the first operand (the
// pseudocode's Rn) is 'm' in bits 3:0 and the second (Rm) is 's' (Rs) in bits 11:8, and MLA's
// accumulator is 'n'; the ARMv6 rows and T32 name them n, m, a as DDI 0406C does. Long forms: 'l'
// RdLo, 'h' RdHi. Encodings without an accumulator give Ra = -1 (Multiply.cs) or 15 (SignedMultiply.cs,
// whose SMUAD/SMUSD/SMMUL are the Ra = 1111 encodings of SMLAD/SMLSD/SMMLA); those without S never set flags.

internal static partial class ArmFields
{
    readonly partial struct MulA1 : IMultiplyFields<MulA1>
    {
        public int Rd => d;
        public int Rn => m;
        public int Rm => s;
        public bool SetFlags => S;
    }

    readonly partial struct MlaA1 : IMultiplyAccumulateFields<MlaA1>
    {
        public int Rd => d;
        public int Rn => m;
        public int Rm => s;
        public int Ra => n;
        public bool SetFlags => S;
    }

    readonly partial struct UmullA1 : ILongMultiplyFields<UmullA1>
    {
        public int RdLo => l;
        public int RdHi => h;
        public int Rn => m;
        public int Rm => s;
        public bool SetFlags => S;
    }

    readonly partial struct UmlalA1 : ILongMultiplyFields<UmlalA1>
    {
        public int RdLo => l;
        public int RdHi => h;
        public int Rn => m;
        public int Rm => s;
        public bool SetFlags => S;
    }

    readonly partial struct SmullA1 : ILongMultiplyFields<SmullA1>
    {
        public int RdLo => l;
        public int RdHi => h;
        public int Rn => m;
        public int Rm => s;
        public bool SetFlags => S;
    }

    readonly partial struct SmlalA1 : ILongMultiplyFields<SmlalA1>
    {
        public int RdLo => l;
        public int RdHi => h;
        public int Rn => m;
        public int Rm => s;
        public bool SetFlags => S;
    }

    readonly partial struct SmlaxyA1 : IHalfwordMultiplyFields<SmlaxyA1>
    {
        public int Rd => d;
        public int Rn => m;
        public int Rm => s;
        public int Ra => n;
        public bool NHigh => x;
        public bool MHigh => y;
    }

    readonly partial struct SmulxyA1 : IHalfwordMultiplyFields<SmulxyA1>
    {
        public int Rd => d;
        public int Rn => m;
        public int Rm => s;
        public int Ra => -1;
        public bool NHigh => x;
        public bool MHigh => y;
    }

    readonly partial struct SmlawyA1 : IHalfwordMultiplyFields<SmlawyA1>
    {
        public int Rd => d;
        public int Rn => m;
        public int Rm => s;
        public int Ra => n;
        public bool NHigh => false;
        public bool MHigh => y;
    }

    readonly partial struct SmulwyA1 : IHalfwordMultiplyFields<SmulwyA1>
    {
        public int Rd => d;
        public int Rn => m;
        public int Rm => s;
        public int Ra => -1;
        public bool NHigh => false;
        public bool MHigh => y;
    }

    readonly partial struct SmlalxyA1 : IHalfwordMultiplyLongFields<SmlalxyA1>
    {
        public int RdLo => l;
        public int RdHi => h;
        public int Rn => m;
        public int Rm => s;
        public bool NHigh => x;
        public bool MHigh => y;
    }

    readonly partial struct UmaalA1 : ILongMultiplyFields<UmaalA1>
    {
        public int RdLo => l;
        public int RdHi => h;
        public int Rn => n;
        public int Rm => m;
        public bool SetFlags => false;
    }

    readonly partial struct MlsA1 : IMultiplyAccumulateFields<MlsA1>
    {
        public int Rd => d;
        public int Rn => n;
        public int Rm => m;
        public int Ra => a;
        public bool SetFlags => false;
    }

    readonly partial struct SmladA1 : IDualMultiplyFields<SmladA1>
    {
        public int Rd => d;
        public int Rn => n;
        public int Rm => m;
        public int Ra => a;
        public bool Exchange => M;
    }

    readonly partial struct SmuadA1 : IDualMultiplyFields<SmuadA1>
    {
        public int Rd => d;
        public int Rn => n;
        public int Rm => m;
        public int Ra => 15;
        public bool Exchange => M;
    }

    readonly partial struct SmlsdA1 : IDualMultiplyFields<SmlsdA1>
    {
        public int Rd => d;
        public int Rn => n;
        public int Rm => m;
        public int Ra => a;
        public bool Exchange => M;
    }

    readonly partial struct SmusdA1 : IDualMultiplyFields<SmusdA1>
    {
        public int Rd => d;
        public int Rn => n;
        public int Rm => m;
        public int Ra => 15;
        public bool Exchange => M;
    }

    readonly partial struct SmlaldA1 : IDualMultiplyLongFields<SmlaldA1>
    {
        public int RdLo => l;
        public int RdHi => h;
        public int Rn => n;
        public int Rm => m;
        public bool Exchange => M;
    }

    readonly partial struct SmlsldA1 : IDualMultiplyLongFields<SmlsldA1>
    {
        public int RdLo => l;
        public int RdHi => h;
        public int Rn => n;
        public int Rm => m;
        public bool Exchange => M;
    }

    readonly partial struct SmmlaA1 : IMostSignificantWordMultiplyFields<SmmlaA1>
    {
        public int Rd => d;
        public int Rn => n;
        public int Rm => m;
        public int Ra => a;
        public bool Round => R;
    }

    readonly partial struct SmmulA1 : IMostSignificantWordMultiplyFields<SmmulA1>
    {
        public int Rd => d;
        public int Rn => n;
        public int Rm => m;
        public int Ra => 15;
        public bool Round => R;
    }

    readonly partial struct SmmlsA1 : IMostSignificantWordMultiplyFields<SmmlsA1>
    {
        public int Rd => d;
        public int Rn => n;
        public int Rm => m;
        public int Ra => a;
        public bool Round => R;
    }
}

internal static partial class Thumb32Fields
{
    readonly partial struct MlaT1 : IMultiplyAccumulateFields<MlaT1>
    {
        public int Rd => d;
        public int Rn => n;
        public int Rm => m;
        public int Ra => a;
        public bool SetFlags => false;
    }

    readonly partial struct MulT2 : IMultiplyFields<MulT2>
    {
        public int Rd => d;
        public int Rn => n;
        public int Rm => m;
        public bool SetFlags => false;
    }

    readonly partial struct MlsT1 : IMultiplyAccumulateFields<MlsT1>
    {
        public int Rd => d;
        public int Rn => n;
        public int Rm => m;
        public int Ra => a;
        public bool SetFlags => false;
    }

    readonly partial struct SmlaxyT1 : IHalfwordMultiplyFields<SmlaxyT1>
    {
        public int Rd => d;
        public int Rn => n;
        public int Rm => m;
        public int Ra => a;
        public bool NHigh => N;
        public bool MHigh => M;
    }

    readonly partial struct SmulxyT1 : IHalfwordMultiplyFields<SmulxyT1>
    {
        public int Rd => d;
        public int Rn => n;
        public int Rm => m;
        public int Ra => -1;
        public bool NHigh => N;
        public bool MHigh => M;
    }

    readonly partial struct SmlawyT1 : IHalfwordMultiplyFields<SmlawyT1>
    {
        public int Rd => d;
        public int Rn => n;
        public int Rm => m;
        public int Ra => a;
        public bool NHigh => false;
        public bool MHigh => M;
    }

    readonly partial struct SmulwyT1 : IHalfwordMultiplyFields<SmulwyT1>
    {
        public int Rd => d;
        public int Rn => n;
        public int Rm => m;
        public int Ra => -1;
        public bool NHigh => false;
        public bool MHigh => M;
    }

    readonly partial struct SmladT1 : IDualMultiplyFields<SmladT1>
    {
        public int Rd => d;
        public int Rn => n;
        public int Rm => m;
        public int Ra => a;
        public bool Exchange => M;
    }

    readonly partial struct SmuadT1 : IDualMultiplyFields<SmuadT1>
    {
        public int Rd => d;
        public int Rn => n;
        public int Rm => m;
        public int Ra => 15;
        public bool Exchange => M;
    }

    readonly partial struct SmlsdT1 : IDualMultiplyFields<SmlsdT1>
    {
        public int Rd => d;
        public int Rn => n;
        public int Rm => m;
        public int Ra => a;
        public bool Exchange => M;
    }

    readonly partial struct SmusdT1 : IDualMultiplyFields<SmusdT1>
    {
        public int Rd => d;
        public int Rn => n;
        public int Rm => m;
        public int Ra => 15;
        public bool Exchange => M;
    }

    readonly partial struct SmmlaT1 : IMostSignificantWordMultiplyFields<SmmlaT1>
    {
        public int Rd => d;
        public int Rn => n;
        public int Rm => m;
        public int Ra => a;
        public bool Round => R;
    }

    readonly partial struct SmmulT1 : IMostSignificantWordMultiplyFields<SmmulT1>
    {
        public int Rd => d;
        public int Rn => n;
        public int Rm => m;
        public int Ra => 15;
        public bool Round => R;
    }

    readonly partial struct SmmlsT1 : IMostSignificantWordMultiplyFields<SmmlsT1>
    {
        public int Rd => d;
        public int Rn => n;
        public int Rm => m;
        public int Ra => a;
        public bool Round => R;
    }

    readonly partial struct SmullT1 : ILongMultiplyFields<SmullT1>
    {
        public int RdLo => l;
        public int RdHi => h;
        public int Rn => n;
        public int Rm => m;
        public bool SetFlags => false;
    }

    readonly partial struct UmullT1 : ILongMultiplyFields<UmullT1>
    {
        public int RdLo => l;
        public int RdHi => h;
        public int Rn => n;
        public int Rm => m;
        public bool SetFlags => false;
    }

    readonly partial struct SmlalT1 : ILongMultiplyFields<SmlalT1>
    {
        public int RdLo => l;
        public int RdHi => h;
        public int Rn => n;
        public int Rm => m;
        public bool SetFlags => false;
    }

    readonly partial struct UmlalT1 : ILongMultiplyFields<UmlalT1>
    {
        public int RdLo => l;
        public int RdHi => h;
        public int Rn => n;
        public int Rm => m;
        public bool SetFlags => false;
    }

    readonly partial struct SmlalxyT1 : IHalfwordMultiplyLongFields<SmlalxyT1>
    {
        public int RdLo => l;
        public int RdHi => h;
        public int Rn => n;
        public int Rm => m;
        public bool NHigh => N;
        public bool MHigh => M;
    }

    readonly partial struct SmlaldT1 : IDualMultiplyLongFields<SmlaldT1>
    {
        public int RdLo => l;
        public int RdHi => h;
        public int Rn => n;
        public int Rm => m;
        public bool Exchange => M;
    }

    readonly partial struct SmlsldT1 : IDualMultiplyLongFields<SmlsldT1>
    {
        public int RdLo => l;
        public int RdHi => h;
        public int Rn => n;
        public int Rm => m;
        public bool Exchange => M;
    }

    readonly partial struct UmaalT1 : ILongMultiplyFields<UmaalT1>
    {
        public int RdLo => l;
        public int RdHi => h;
        public int Rn => n;
        public int Rm => m;
        public bool SetFlags => false;
    }
}
