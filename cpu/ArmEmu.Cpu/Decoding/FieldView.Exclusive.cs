using ArmEmu.Cpu.Interpreter;

namespace ArmEmu.Cpu.Decoding;

// ---- Exclusive.cs (LDREX/STREX and the B, H, D forms): the field views as the cores' field
// interfaces. The A32 loads call Rt 'd' in their patterns (bits 15:12); A1's doubleword forms take
// Rt2 = Rt + 1 and an odd Rt is UNDEFINED (Rt2 = -1); T1 has Rt2 ('T') and, for LDREX/STREX, an
// offset imm8:'00'. LDREXD has no status register: Rd = -1.

internal static partial class ArmFields
{
    readonly partial struct LdrexA1 : IExclusiveLoadFields<LdrexA1>
    {
        public int Rt => d;
        public int Rn => n;
        public uint Offset => 0;
    }

    readonly partial struct LdrexbA1 : IExclusiveLoadFields<LdrexbA1>
    {
        public int Rt => d;
        public int Rn => n;
        public uint Offset => 0;
    }

    readonly partial struct LdrexhA1 : IExclusiveLoadFields<LdrexhA1>
    {
        public int Rt => d;
        public int Rn => n;
        public uint Offset => 0;
    }

    readonly partial struct StrexA1 : IExclusiveStoreFields<StrexA1>
    {
        public int Rd => d;
        public int Rt => t;
        public int Rn => n;
        public uint Offset => 0;
    }

    readonly partial struct StrexbA1 : IExclusiveStoreFields<StrexbA1>
    {
        public int Rd => d;
        public int Rt => t;
        public int Rn => n;
        public uint Offset => 0;
    }

    readonly partial struct StrexhA1 : IExclusiveStoreFields<StrexhA1>
    {
        public int Rd => d;
        public int Rt => t;
        public int Rn => n;
        public uint Offset => 0;
    }

    readonly partial struct LdrexdA1 : IExclusiveDualFields<LdrexdA1>
    {
        public int Rd => -1;
        public int Rt => d;
        public int Rt2 => (d & 1) == 0 ? d + 1 : -1;
        public int Rn => n;
    }

    readonly partial struct StrexdA1 : IExclusiveDualFields<StrexdA1>
    {
        public int Rd => d;
        public int Rt => t;
        public int Rt2 => (t & 1) == 0 ? t + 1 : -1;
        public int Rn => n;
    }
}

internal static partial class Thumb32Fields
{
    readonly partial struct LdrexT1 : IExclusiveLoadFields<LdrexT1>
    {
        public int Rt => t;
        public int Rn => n;
        public uint Offset => (uint)i << 2;
    }

    readonly partial struct LdrexbT1 : IExclusiveLoadFields<LdrexbT1>
    {
        public int Rt => t;
        public int Rn => n;
        public uint Offset => 0;
    }

    readonly partial struct LdrexhT1 : IExclusiveLoadFields<LdrexhT1>
    {
        public int Rt => t;
        public int Rn => n;
        public uint Offset => 0;
    }

    readonly partial struct StrexT1 : IExclusiveStoreFields<StrexT1>
    {
        public int Rd => d;
        public int Rt => t;
        public int Rn => n;
        public uint Offset => (uint)i << 2;
    }

    readonly partial struct StrexbT1 : IExclusiveStoreFields<StrexbT1>
    {
        public int Rd => d;
        public int Rt => t;
        public int Rn => n;
        public uint Offset => 0;
    }

    readonly partial struct StrexhT1 : IExclusiveStoreFields<StrexhT1>
    {
        public int Rd => d;
        public int Rt => t;
        public int Rn => n;
        public uint Offset => 0;
    }

    readonly partial struct LdrexdT1 : IExclusiveDualFields<LdrexdT1>
    {
        public int Rd => -1;
        public int Rt => t;
        public int Rt2 => T;
        public int Rn => n;
    }

    readonly partial struct StrexdT1 : IExclusiveDualFields<StrexdT1>
    {
        public int Rd => d;
        public int Rt => t;
        public int Rt2 => T;
        public int Rn => n;
    }
}
