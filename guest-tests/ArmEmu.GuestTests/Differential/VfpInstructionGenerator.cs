using ArmEmu.Cpu;
using ArmEmu.Cpu.Decoding;

namespace ArmEmu.GuestTests.Differential;

/// <summary>VFP encodings switched on together in the differential test (one per handler file and concern).</summary>
public enum VfpFamily
{
    Arithmetic,          // VADD, VSUB, VMUL, VDIV, VNMUL
    MultiplyAccumulate,  // VMLA, VMLS, VNMLA, VNMLS (chained)
    Fused,               // VFMA, VFMS, VFNMA, VFNMS (VFPv4: Cortex-A15)
    Unary,               // VABS, VNEG, VSQRT, VMOV (register), VMOV (immediate)
    Compare,             // VCMP, VCMPE and VMRS APSR_nzcv
    Convert,             // VCVT between double and single, to and from integers
    FixedPoint,          // VCVT between floating point and fixed point
    HalfPrecision,       // VCVTB, VCVTT
    Transfer,            // VMOV between core registers and S, D, scalars; VMRS, VMSR
    LoadStore,           // VLDR, VSTR, VLDM, VSTM (VPUSH, VPOP)
    ShortVector,         // the vectorisable operations with FPSCR.LEN != 0 (STRIDE 1)
}

/// <summary>
/// Random VFP sequences built from the rows of <see cref="VfpEncodings.Rows"/>, with inputs
/// drawn to hit the edges: zeros, denormals, the smallest and largest normals, infinities,
/// quiet and signalling NaNs with payloads, values one ulp apart (halfway cases), integer
/// limits; and an FPSCR with a random rounding mode, FZ, DN and AHP. r0-r3 hold FPSCR
/// values for VMSR (LEN and STRIDE kept 0 except in <see cref="VfpFamily.ShortVector"/>),
/// r11 (and SP) point into the scratch buffer; core-register destinations are r4-r10 and r12.
/// </summary>
public sealed class VfpInstructionGenerator
{
    private static readonly Dictionary<VfpFamily, string[]> Members = new()
    {
        [VfpFamily.Arithmetic] = ["VADD (floating-point)", "VSUB (floating-point)", "VMUL (floating-point)", "VDIV", "VNMUL"],
        [VfpFamily.MultiplyAccumulate] = ["VMLA (floating-point)", "VMLS (floating-point)", "VNMLA", "VNMLS"],
        [VfpFamily.Fused] = ["VFMA", "VFMS", "VFNMA", "VFNMS"],
        [VfpFamily.Unary] = ["VABS", "VNEG", "VSQRT", "VMOV (register)", "VMOV (immediate)"],
        [VfpFamily.Compare] = ["VCMP, VCMPE (register)", "VCMP, VCMPE (#0.0)", "VMRS"],
        [VfpFamily.Convert] = ["VCVT (between double-precision and single-precision)", "VCVT (integer to floating-point)",
                               "VCVT, VCVTR (floating-point to integer)"],
        [VfpFamily.FixedPoint] = ["VCVT (between floating-point and fixed-point)"],
        [VfpFamily.HalfPrecision] = ["VCVTB, VCVTT"],
        [VfpFamily.Transfer] = ["VMOV (between ARM core register and single-precision register)", "VMSR", "VMRS",
                                "VMOV (ARM core register to scalar), 32-bit", "VMOV (scalar to ARM core register), 32-bit",
                                "VMOV (between two ARM core registers and two single-precision registers)",
                                "VMOV (between two ARM core registers and a doubleword extension register)"],
        [VfpFamily.LoadStore] = ["VLDR", "VSTR", "VLDM (increment after), VPOP", "VSTM (increment after)",
                                 "VLDM (decrement before)", "VSTM (decrement before), VPUSH"],
        [VfpFamily.ShortVector] = ["VADD (floating-point)", "VSUB (floating-point)", "VMUL (floating-point)", "VDIV", "VNMUL",
                                   "VMLA (floating-point)", "VMLS (floating-point)", "VNMLA", "VNMLS",
                                   "VABS", "VNEG", "VSQRT", "VMOV (register)", "VMOV (immediate)"],
    };

    public const int BaseRegister = 11;
    public const uint BaseOffset = 0x2000, StackOffset = 0x3800;
    private static readonly int[] CoreDestinations = [4, 5, 6, 7, 8, 9, 10, 12];

    private readonly EncodingRow[] _rows;
    private readonly bool _shortVectors;

    public VfpInstructionGenerator(params VfpFamily[] families)
    {
        _rows = families.SelectMany(f => Members[f]).Distinct()
            .Select(name => VfpEncodings.Rows.Single(r => r.Name == name)).ToArray();
        _shortVectors = families.Contains(VfpFamily.ShortVector);
    }

    /// <summary>
    /// Every row of the VFP table appears in some family, so none goes untested -- except the
    /// byte and halfword scalar moves, which are Advanced SIMD encodings (they come with the
    /// Advanced SIMD families).
    /// </summary>
    public static IEnumerable<string> UncoveredRows() =>
        VfpEncodings.Rows.Where(r => (r.Requires & CpuFeature.Neon) == 0).Select(r => r.Name)
            .Except(Members.Values.SelectMany(m => m));

    public VfpTestCase Generate(int seed, int length)
    {
        var rng = new Random(seed);
        var regs = new uint[15];
        for (int r = 0; r < 4; r++) regs[r] = FpscrValue(rng);
        foreach (int r in CoreDestinations) regs[r] = rng.Next(3) == 0 ? SpecialInteger(rng) : Single(rng);
        regs[BaseRegister] = InstructionGenerator.ScratchBase + BaseOffset;
        regs[13] = InstructionGenerator.ScratchBase + StackOffset;
        regs[14] = (uint)rng.Next();
        uint cpsr = ((uint)rng.Next(16) << 28) | 0xD3;       // random NZCV, Supervisor mode, I and F masked

        var d = new ulong[32];
        for (int i = 0; i < 32; i++) d[i] = rng.Next(2) == 0 ? Double(rng) : Single(rng) | ((ulong)Single(rng) << 32);
        var scratch = new byte[InstructionGenerator.ScratchSize];
        for (int i = 0; i < scratch.Length; i += 4) BitConverter.TryWriteBytes(scratch.AsSpan(i), Single(rng));

        var words = new uint[length];
        var names = new string[length];
        for (int i = 0; i < length; i++)
        {
            var row = _rows[rng.Next(_rows.Length)];
            words[i] = Fill(row, rng);
            names[i] = row.Name;
        }
        var core = new TestCase(false, regs, cpsr, scratch, words, names);
        return new VfpTestCase(core, d, FpscrValue(rng));
    }

    /// <summary>An FPSCR: NZCV, QC, AHP, DN, FZ, RMode and flags random; LEN (and STRIDE 1) only for short vectors.</summary>
    private uint FpscrValue(Random rng)
    {
        uint v = (uint)rng.Next() & 0xFFC0_009Fu;           // NZCV QC AHP DN FZ RMode, the cumulative flags
        if (_shortVectors) v |= (uint)rng.Next(4) << 16;     // LEN 0..3: at most four elements, inside a double bank too
        return v;
    }

    private static uint Field(uint word, int lsb, int width, uint value) =>
        (word & ~(((1u << width) - 1) << lsb)) | ((value & ((1u << width) - 1)) << lsb);

    private uint Fill(EncodingRow row, Random rng)
    {
        uint word = ((uint)rng.Next() << 1 ^ (uint)rng.Next()) & ~row.Mask | row.Value;
        word = (word & 0x0FFF_FFFF) | 0xE000_0000;          // always executed
        if (_shortVectors)
        {
            // Unicorn 2.0.1 (QEMU 5.0) steps a vector register with (reg + delta) & (bank_mask - 1)
            // | reg & bank_mask, which neither wraps inside the bank of 8 singles or 4 doubles nor
            // keeps bit 4 of D16-D31; the manual (and QEMU since 5.1, vfp_advance_sreg/dreg) wraps
            // inside the bank. So every operand starts a bank here (at most four elements never
            // wrap) and only singles are vectors: Unicorn's double-precision short vectors also
            // stop after the first element in some cases (seen with vneg.f64 d4, d12, LEN=3).
            // VfpInstructionTests.ShortVectorsWrapInsideTheirBank checks doubles and the wrap
            // against the manual.
            word &= ~0x100u;
            word &= ~0x3000u;                                   // Vd<1:0>
            if ((row.Mask & 0x3_0000) == 0) word &= ~0x3_0000u; // Vn<1:0> where Vn is a register
            if ((row.Mask & 0x3) == 0) word &= ~0x3u;           // Vm<1:0>
            word &= ~(1u << 22);                                // D: the low bit of Sd, bit 4 of Dd
            if ((row.Mask & 0x80) == 0) word &= ~0x80u;         // N
            if ((row.Mask & 0x20) == 0) word &= ~0x20u;         // M
        }
        int Pick() => CoreDestinations[rng.Next(CoreDestinations.Length)];
        bool dp = (word & 0x100) != 0;
        switch (row.Name)
        {
            case "VLDR" or "VSTR":
                word = Field(word, 16, 4, (uint)(rng.Next(2) == 0 ? BaseRegister : 13));
                word = Field(word, 0, 8, (uint)rng.Next(64));
                break;
            case "VLDM (increment after), VPOP" or "VSTM (increment after)" or "VLDM (decrement before)" or "VSTM (decrement before), VPUSH":
            {
                word = Field(word, 16, 4, (uint)(rng.Next(2) == 0 ? BaseRegister : 13));
                if (dp)
                {
                    int first = (int)((word >> 18) & 0x10 | (word >> 12) & 0xF);
                    int count = 1 + rng.Next(Math.Min(16, 32 - first));
                    word = Field(word, 0, 8, (uint)(2 * count));
                }
                else
                {
                    int first = (int)((word >> 11) & 0x1E | (word >> 22) & 1);
                    word = Field(word, 0, 8, (uint)(1 + rng.Next(32 - first)));
                }
                break;
            }
            case "VMOV (between ARM core register and single-precision register)"
                or "VMOV (ARM core register to scalar), 32-bit" or "VMOV (scalar to ARM core register), 32-bit":
                word = Field(word, 12, 4, (uint)Pick());
                break;
            case "VMOV (between two ARM core registers and two single-precision registers)"
                or "VMOV (between two ARM core registers and a doubleword extension register)":
            {
                int t = Pick(), t2;
                do t2 = Pick(); while (t2 == t);
                word = Field(Field(word, 12, 4, (uint)t), 16, 4, (uint)t2);
                if (row.Name.Contains("two single") && (((word & 0xF) << 1) | ((word >> 5) & 1)) == 31) word &= ~0x20u;
                break;
            }
            case "VMSR":
                word = Field(Field(word, 16, 4, 1), 12, 4, (uint)rng.Next(4));
                break;
            case "VMRS":
            {
                // FPSCR to a core register or APSR_nzcv, sometimes the ID registers and FPEXC.
                uint[] regs = [1, 1, 1, 1, 0, 6, 7, 8];
                word = Field(word, 16, 4, regs[rng.Next(regs.Length)]);
                word = Field(word, 12, 4, rng.Next(3) == 0 ? 15u : (uint)Pick());
                if (((word >> 16) & 15) != 1) word = Field(word, 12, 4, (uint)Pick());
                break;
            }
            case "VCVT (between floating-point and fixed-point)":
            {
                int size = (word & 0x80) != 0 ? 32 : 16;
                int imm5 = rng.Next(size + 1);
                if (size == 32 && imm5 == 32) imm5 = 31;
                word = Field(Field(word, 0, 4, (uint)(imm5 >> 1)), 5, 1, (uint)(imm5 & 1));
                break;
            }
        }
        return word;
    }

    // ---- Values -------------------------------------------------------------------------

    private static readonly uint[] SingleSpecials =
    [
        0x00000000, 0x80000000, 0x00000001, 0x80000001, 0x007FFFFF, 0x807FFFFF, 0x00400000, 0x00800000, 0x80800000,
        0x00800001, 0x00FFFFFF, 0x3F800000, 0xBF800000, 0x3F800001, 0x3F7FFFFF, 0x3FC00000, 0x40000000, 0x40400000,
        0x33800000, 0x33000000, 0x34000000, 0xB3800000, 0x3F000000, 0x3EAAAAAB, 0x40490FDB, 0x7F7FFFFF, 0xFF7FFFFF,
        0x7F000000, 0x7F800000, 0xFF800000, 0x7FC00000, 0xFFC00001, 0x7FC12345, 0x7F800001, 0xFF800123, 0x7FA00000,
        0x4B000000, 0x4B000001, 0x4EFFFFFF, 0x4F000000, 0xCF000000, 0xCF000001, 0x4F800000, 0x4F7FFFFF, 0x477FE000,
        0x477FF000, 0x477FF001, 0x47800000, 0x38800000, 0x387FC000, 0x33800001, 0x3E800000, 0x7E800000, 0x7E7FFFFF,
        0x3F400000, 0x40200000, 0x40600000, 0xC0200000, 0x3F000001, 0x4B800001,
    ];

    private static readonly ulong[] DoubleSpecials =
    [
        0x0000000000000000, 0x8000000000000000, 0x0000000000000001, 0x800FFFFFFFFFFFFF, 0x0010000000000000,
        0x0010000000000001, 0x3FF0000000000000, 0xBFF0000000000000, 0x3FF0000000000001, 0x3FEFFFFFFFFFFFFF,
        0x3CA0000000000000, 0x3C90000000000000, 0x7FEFFFFFFFFFFFFF, 0xFFEFFFFFFFFFFFFF, 0x7FF0000000000000,
        0xFFF0000000000000, 0x7FF8000000000000, 0xFFF8000000000123, 0x7FF0000000000001, 0x7FF4000000000000,
        0x41E0000000000000, 0xC1E0000000000000, 0xC1E0000000200000, 0x41F0000000000000, 0x41DFFFFFFFC00000,
        0x41DFFFFFFFE00000, 0x4000000000000000, 0x3FE0000000000000, 0x3FF8000000000000, 0x36A0000000000000,
        0x3690000000000000, 0x3690000000000001, 0x47EFFFFFE0000000, 0x47EFFFFFF0000000, 0x47F0000000000000,
        0x3810000000000000, 0x380FFFFFF0000000, 0x380FFFFFE0000000, 0x3E70000000000000, 0x400921FB54442D18,
    ];

    private static uint Single(Random rng) => rng.Next(4) switch
    {
        0 or 1 => SingleSpecials[rng.Next(SingleSpecials.Length)],
        // Near 1.0 with short fractions: sums and products land on and around halfway points.
        2 => ((uint)rng.Next(2) << 31) | ((uint)(127 + rng.Next(-3, 4)) << 23) | ((uint)rng.Next(1 << 23) & ~((1u << rng.Next(23)) - 1)),
        _ => (uint)rng.Next() << 1 ^ (uint)rng.Next(),
    };

    private static ulong Double(Random rng) => rng.Next(4) switch
    {
        0 or 1 => DoubleSpecials[rng.Next(DoubleSpecials.Length)],
        2 => ((ulong)rng.Next(2) << 63) | ((ulong)(1023 + rng.Next(-3, 4)) << 52)
             | ((ulong)rng.NextInt64(1L << 52) & ~((1UL << rng.Next(52)) - 1)),
        _ => (ulong)rng.NextInt64() << 1 ^ (ulong)rng.Next(),
    };

    private static uint SpecialInteger(Random rng)
    {
        uint[] values = [0, 1, 0xFFFFFFFF, 0x7FFFFFFF, 0x80000000, 0x80000001, 0x01000001, 0x00FFFFFF, 0xFFFF8000, 0x00007FFF, 0x00010000];
        return values[rng.Next(values.Length)];
    }
}
