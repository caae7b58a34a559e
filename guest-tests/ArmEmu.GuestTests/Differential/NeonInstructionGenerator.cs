using ArmEmu.Cpu;
using ArmEmu.Cpu.Decoding;

namespace ArmEmu.GuestTests.Differential;

/// <summary>Advanced SIMD encodings switched on together in the differential test.</summary>
public enum NeonFamily
{
    IntegerArithmetic,   // add/sub/halving/max/min/abd/aba/mul/mla, pairwise, long, wide, high-half narrow
    Saturating,          // VQADD, VQSUB, VQDMULH, VQRDMULH, VQDMLAL/SL, VQDMULL, VQMOVN, VQABS, VQNEG, VQSHL, VQRSHL, VQSHRN...
    Shifts,              // VSHL, VRSHL, VSHR, VSRA, VRSHR, VRSRA, VSRI, VSLI, VSHRN, VRSHRN, VSHLL
    Logic,               // VAND..VBIF, VMVN, VMOV/VORR/VMVN/VBIC (immediate)
    Compare,             // VCEQ, VCGE, VCGT, VTST, VCxx #0 (integer)
    UnaryPermute,        // VABS, VNEG, VCLS, VCLZ, VCNT, VREV, VPADDL, VPADAL, VMOVN, VSWP, VTRN, VUZP, VZIP, VEXT, VTBL, VTBX, VDUP
    Float,               // the F32 rows under the Standard FPSCR, VRECPE/VRSQRTE, VCVT
    ByScalar,            // the "two registers and a scalar" rows
    Fused,               // VFMA, VFMS (SIMDv2: Cortex-A15)
    LoadStore,           // VLD1-4, VST1-4: multiple structures, one lane, all lanes; alignment; write-back
}

/// <summary>
/// Random Advanced SIMD sequences built from the rows of <see cref="NeonEncodings.Rows"/>,
/// compared on <see cref="VfpDifferentialHarness"/> (Unicorn's Cortex-A9/A15 with CPACR and
/// FPEXC set, ArmEmu's same model): D0-D31, FPSCR (QC and the cumulative flags), r0-r14 and
/// memory. Inputs hit the edges: element limits (0, 1, -1, the most negative and positive,
/// 0x80.., 0x7F..), shift counts around the element size, and the float specials (zeros,
/// denormals, infinities, quiet and signalling NaNs, halfway cases); the FPSCR is random
/// (rounding mode, FZ, DN, AHP, QC, flags) so that the Standard FPSCR's independence from it shows.
/// Encodings are valid most of the time (Q registers even, size not 11) and UNDEFINED
/// sometimes on purpose (both must agree on that too).
/// </summary>
internal sealed class NeonInstructionGenerator
{
    private static readonly Dictionary<NeonFamily, string[]> Members = new()
    {
        [NeonFamily.IntegerArithmetic] = ["VHADD A1", "VRHADD A1", "VHSUB A1", "VADD (integer) A1", "VSUB (integer) A1",
            "VMAX (integer) A1", "VMIN (integer) A1", "VABD (integer) A1", "VABA A1", "VMLA (integer) A1", "VMLS (integer) A1",
            "VMUL (integer) A1", "VMUL (polynomial) A1", "VPADD (integer) A1", "VPMAX (integer) A1", "VPMIN (integer) A1",
            "VADDL A1", "VADDW A1", "VSUBL A1", "VSUBW A1", "VADDHN A1", "VRADDHN A1", "VSUBHN A1", "VRSUBHN A1",
            "VABAL A2", "VABDL (integer) A2", "VMLAL (integer) A2", "VMLSL (integer) A2", "VMULL (integer) A2", "VMULL (polynomial) A2"],
        [NeonFamily.Saturating] = ["VQADD A1", "VQSUB A1", "VQDMULH A1", "VQRDMULH A1", "VQDMLAL A1", "VQDMLSL A1", "VQDMULL A1",
            "VQMOVN, VQMOVUN A1", "VQABS A1", "VQNEG A1", "VQSHL (register) A1", "VQRSHL A1", "VQSHL (immediate) A1",
            "VQSHLU (immediate) A1", "VQSHRN, VQSHRUN, VQRSHRN, VQRSHRUN A1", "VMRS"],
        [NeonFamily.Shifts] = ["VSHL (register) A1", "VRSHL A1", "VSHR A1", "VSRA A1", "VRSHR A1", "VRSRA A1", "VSRI A1",
            "VSHL (immediate) A1", "VSLI A1", "VSHRN A1", "VRSHRN A1", "VSHLL A1", "VSHLL A2"],
        [NeonFamily.Logic] = ["VAND (register) A1", "VBIC (register) A1", "VORR (register) A1", "VORN (register) A1", "VEOR A1",
            "VBSL A1", "VBIT A1", "VBIF A1", "VMVN (register) A1", "VMOV (immediate) A1", "VMOV (immediate) A1, 64-bit",
            "VORR (immediate) A1", "VORR (immediate) A1, 16-bit", "VMVN (immediate) A1", "VBIC (immediate) A1", "VBIC (immediate) A1, 16-bit"],
        [NeonFamily.Compare] = ["VCEQ (register) A1", "VCGE (register) A1", "VCGT (register) A1", "VTST A1",
            "VCGT (immediate #0) A1", "VCGE (immediate #0) A1", "VCEQ (immediate #0) A1", "VCLE (immediate #0) A1", "VCLT (immediate #0) A1"],
        [NeonFamily.UnaryPermute] = ["VABS A1", "VNEG A1", "VCLS A1", "VCLZ A1", "VCNT A1", "VREV16, VREV32, VREV64 A1", "VPADDL A1",
            "VPADAL A1", "VMOVN A1", "VSWP A1", "VTRN A1", "VUZP A1", "VZIP A1", "VEXT A1", "VTBL A1", "VTBX A1", "VDUP (scalar) A1",
            "VDUP (ARM core register) A1", "VMOV (ARM core register to scalar), 8-bit", "VMOV (ARM core register to scalar), 16-bit",
            "VMOV (scalar to ARM core register), 8-bit", "VMOV (scalar to ARM core register), 16-bit"],
        [NeonFamily.Float] = ["VADD (floating-point) A1", "VSUB (floating-point) A1", "VPADD (floating-point) A1", "VABD (floating-point) A1",
            "VMLA (floating-point) A1", "VMLS (floating-point) A1", "VMUL (floating-point) A1", "VCEQ (register) A2", "VCGE (register) A2",
            "VCGT (register) A2", "VACGE A1", "VACGT A1", "VMAX (floating-point) A1", "VMIN (floating-point) A1", "VPMAX (floating-point) A1",
            "VPMIN (floating-point) A1", "VRECPS A1", "VRSQRTS A1", "VCGT (immediate #0, floating-point) A1",
            "VCGE (immediate #0, floating-point) A1", "VCEQ (immediate #0, floating-point) A1", "VCLE (immediate #0, floating-point) A1",
            "VCLT (immediate #0, floating-point) A1", "VABS (floating-point) A1", "VNEG (floating-point) A1", "VRECPE A1",
            "VRECPE A1, floating-point", "VRSQRTE A1", "VRSQRTE A1, floating-point",
            "VCVT (between floating-point and integer, Advanced SIMD) A1, S32 to F32",
            "VCVT (between floating-point and integer, Advanced SIMD) A1, U32 to F32",
            "VCVT (between floating-point and integer, Advanced SIMD) A1, F32 to S32",
            "VCVT (between floating-point and integer, Advanced SIMD) A1, F32 to U32",
            "VCVT (between floating-point and fixed-point, Advanced SIMD) A1",
            "VCVT (between half-precision and single-precision, Advanced SIMD) A1"],
        [NeonFamily.ByScalar] = ["VMLA (by scalar) A1", "VMLA (by scalar, floating-point) A1", "VMLS (by scalar) A1",
            "VMLS (by scalar, floating-point) A1", "VMLAL (by scalar) A2", "VMLSL (by scalar) A2", "VQDMLAL (by scalar) A2",
            "VQDMLSL (by scalar) A2", "VMUL (by scalar) A1", "VMUL (by scalar, floating-point) A1", "VMULL (by scalar) A2",
            "VQDMULL (by scalar) A2", "VQDMULH (by scalar) A2", "VQRDMULH (by scalar) A2"],
        [NeonFamily.Fused] = ["VFMA A1", "VFMS A1"],
        [NeonFamily.LoadStore] = NeonEncodings.Rows.Where(r => r.Pattern.StartsWith("11110100", StringComparison.Ordinal))
            .Select(r => r.Name).ToArray(),
    };

    private static readonly int[] CoreRegisters = [4, 5, 6, 7, 8, 9, 10, 12];

    private readonly EncodingRow[] _rows;
    private readonly bool _float, _memory;

    public NeonInstructionGenerator(params NeonFamily[] families)
    {
        var all = NeonEncodings.Rows.Concat(VfpEncodings.Rows).ToArray();
        _rows = families.SelectMany(f => Members[f]).Distinct().Select(name => all.Single(r => r.Name == name)).ToArray();
        _float = families.Any(f => f is NeonFamily.Float or NeonFamily.ByScalar or NeonFamily.Fused);
        _memory = families.Contains(NeonFamily.LoadStore);
    }

    /// <summary>The model a family runs on: the A15 for VFPv4's fused forms, else the A9.</summary>
    public static CpuModel ModelFor(NeonFamily family) => family == NeonFamily.Fused ? CpuModel.CortexA15 : CpuModel.CortexA9;

    /// <summary>NEON rows no family generates (the element and structure loads and stores come with their own test).</summary>
    public static IEnumerable<string> UncoveredRows(IEnumerable<string> coveredElsewhere) =>
        NeonEncodings.Rows.Select(r => r.Name).Distinct().Except(Members.Values.SelectMany(m => m)).Except(coveredElsewhere);

    /// <summary>The rows this generator draws from.</summary>
    public IReadOnlyList<EncodingRow> Rows => _rows;

    /// <summary>One instruction of <paramref name="row"/> in a test case of its own.</summary>
    public VfpTestCase GenerateOne(int seed, EncodingRow row)
    {
        var test = Generate(seed, 1);
        var rng = new Random(seed);
        uint word = Fill(row, rng);
        return test with { Core = test.Core with { Instructions = [word], Encodings = [row.Name] } };
    }

    public VfpTestCase Generate(int seed, int length)
    {
        var rng = new Random(seed);
        var regs = new uint[15];
        for (int r = 0; r < 15; r++) regs[r] = Integer32(rng);
        regs[0] = (uint)rng.Next() & 0xF8C0_009Fu;           // an FPSCR for VMSR tests
        // Bases into the scratch buffer (sometimes misaligned: element accesses may be, the named alignment faults);
        // r12 a small index for post-indexing by register.
        uint skew = _memory && rng.Next(6) == 0 ? (uint)rng.Next(1, 8) : 0;
        regs[11] = InstructionGenerator.ScratchBase + 0x1000 + skew;
        regs[13] = InstructionGenerator.ScratchBase + 0x2800;
        if (_memory) regs[12] = (uint)(rng.Next(-8, 9) * (rng.Next(4) == 0 ? 1 : 8));
        uint cpsr = ((uint)rng.Next(16) << 28) | 0xD3;

        var d = new ulong[32];
        for (int i = 0; i < 32; i++) d[i] = Register(rng);
        var scratch = new byte[InstructionGenerator.ScratchSize];
        rng.NextBytes(scratch);

        var words = new uint[length];
        var names = new string[length];
        for (int i = 0; i < length; i++)
        {
            var row = _rows[rng.Next(_rows.Length)];
            words[i] = Fill(row, rng);
            names[i] = row.Name;
        }
        uint fpscr = (uint)rng.Next() & 0xFFC0_009Fu;        // NZCV QC AHP DN FZ RMode flags; LEN and STRIDE 0
        return new VfpTestCase(new TestCase(false, regs, cpsr, scratch, words, names), d, fpscr);
    }

    /// <summary>
    /// The T32 form of a generated A32 word (DDI 0406C A7.4, A7.7, A7.8): 1111 001U becomes
    /// 111U 1111, 1111 0100 becomes 1111 1001, and a coprocessor-space word (VFP, VDUP, VMOV
    /// scalar, VMRS), generated with condition 1110, is the same word in T32. Written from the
    /// manual on words, not through <see cref="NeonEncodings.ToThumb"/>, so that the test checks
    /// the table's derivation rather than repeating it.
    /// </summary>
    public static uint ToThumb(uint word) => (word >> 24) switch
    {
        0xF2 or 0xF3 => 0xEF00_0000u | ((word >> 24) & 1) << 28 | (word & 0x00FF_FFFF),
        0xF4 => 0xF900_0000u | (word & 0x00FF_FFFF),
        _ when word >> 28 == 0xE => word,
        _ => throw new ArgumentException($"0x{word:x8} has no T32 form"),
    };

    /// <summary>The same case in Thumb state: every instruction in its T32 form (the harness sets CPSR.T).</summary>
    public static VfpTestCase InThumbState(VfpTestCase test) =>
        test with { Core = test.Core with { Thumb = true, Instructions = test.Core.Instructions.Select(ToThumb).ToArray() } };

    /// <summary>
    /// A Thumb case whose instructions are each, with probability one half, the one instruction of
    /// an IT block of a random condition (IT cond, mask 1000: 1011 1111 cccc 1000), so that
    /// Advanced SIMD and VFP instructions are conditional as the manual makes them in Thumb state
    /// (A7.3: in an IT block they execute only if the condition passes). Give it instructions
    /// that are defined: an UNDEFINED one whose condition fails is IMPLEMENTATION DEFINED.
    /// </summary>
    public static VfpTestCase WithItBlocks(VfpTestCase thumb, int seed)
    {
        var rng = new Random(seed);
        var words = new List<uint>();
        var names = new List<string>();
        var core = thumb.Core;
        for (int i = 0; i < core.Instructions.Length; i++)
        {
            if (rng.Next(2) == 0)
            {
                uint cond = (uint)rng.Next(14);
                words.Add(0xBF08u | cond << 4);
                names.Add("IT T1");
            }
            words.Add(core.Instructions[i]);
            names.Add(core.Encodings[i]);
        }
        return thumb with { Core = core with { Instructions = [.. words], Encodings = [.. names] } };
    }

    /// <summary>The case without the instructions at <paramref name="undefinedAddresses"/> (as one run found them).</summary>
    public static VfpTestCase Without(VfpTestCase test, IReadOnlyCollection<uint> undefinedAddresses)
    {
        var core = test.Core;
        var keep = Enumerable.Range(0, core.Instructions.Length)
            .Where(i => !undefinedAddresses.Contains(InstructionGenerator.CodeBase + core.Offset(i))).ToArray();
        return test with { Core = core with { Instructions = [.. keep.Select(i => core.Instructions[i])], Encodings = [.. keep.Select(i => core.Encodings[i])] } };
    }

    private static uint Field(uint word, int lsb, int width, uint value) =>
        (word & ~(((1u << width) - 1) << lsb)) | ((value & ((1u << width) - 1)) << lsb);

    private static uint Fill(EncodingRow row, Random rng)
    {
        uint word = (((uint)rng.Next() << 1) ^ (uint)rng.Next()) & ~row.Mask | row.Value;
        if (row.Conditional) word = (word & 0x0FFF_FFFF) | 0xE000_0000;
        string p = row.Pattern;
        bool FieldIs(int bit, char c) => p[31 - bit] == c;

        // Mostly valid: even D numbers (a Q operand, a long destination, a narrow source) and size not 11.
        if (rng.Next(8) != 0)
        {
            if (FieldIs(12, 'd')) word &= ~(1u << 12);
            if (FieldIs(16, 'n')) word &= ~(1u << 16);
            if (FieldIs(0, 'm') && rng.Next(2) == 0) word &= ~1u;
            if (FieldIs(20, 'z') && FieldIs(21, 'z') && ((word >> 20) & 3) == 3) word = Field(word, 20, 2, (uint)rng.Next(3));
            if (FieldIs(18, 'z') && FieldIs(19, 'z') && ((word >> 18) & 3) == 3) word = Field(word, 18, 2, (uint)rng.Next(3));
            if (FieldIs(20, 's')) word &= ~(1u << 20);
            // The sizes a row's element type allows: F32 only (10), half-precision conversions (01), scalars 16 or 32 bits.
            bool floating = row.Name.Contains("floating-point") || row.Name.StartsWith("VRECPE") || row.Name.StartsWith("VRSQRTE");
            if (FieldIs(18, 'z') && (floating || row.Name.Contains("half-precision")))
                word = Field(word, 18, 2, row.Name.Contains("half-precision") ? 1u : 2u);
            if (row.Name.Contains("by scalar") && FieldIs(20, 'z'))
                word = Field(word, 20, 2, floating ? 2u : (uint)rng.Next(1, 3));
        }
        switch (row.Name)
        {
            case "VTBL A1" or "VTBX A1":
            {
                int n = (int)(((word >> 3) & 0x10) | ((word >> 16) & 0xF)), len = (int)((word >> 8) & 3) + 1;
                if (n + len > 32) word = Field(Field(word, 16, 4, (uint)rng.Next(16)), 7, 1, 0);
                break;
            }
            case "VSWP A1" or "VTRN A1" or "VUZP A1" or "VZIP A1":
                // Vd = Vm is UNPREDICTABLE.
                if (((word >> 12) & 0xF) == (word & 0xF) && ((word >> 22) & 1) == ((word >> 5) & 1)) word ^= 2;
                break;
            case "VDUP (ARM core register) A1" or "VMOV (ARM core register to scalar), 8-bit" or "VMOV (ARM core register to scalar), 16-bit"
                or "VMOV (scalar to ARM core register), 8-bit" or "VMOV (scalar to ARM core register), 16-bit":
                word = Field(word, 12, 4, (uint)CoreRegisters[rng.Next(CoreRegisters.Length)]);
                break;
            case var name when name.StartsWith("VLD", StringComparison.Ordinal) || name.StartsWith("VST", StringComparison.Ordinal):
            {
                word = Field(word, 16, 4, rng.Next(2) == 0 ? 11u : 13u);
                uint[] rm = [15, 15, 13, 12];
                word = Field(word, 0, 4, rm[rng.Next(rm.Length)]);
                // Unicorn 2.0.1 (QEMU 5.0) ignores the alignment a VLDn/VSTn names (QEMU checks it since 6.0, as
                // the manual says), and write-back moves the bases by odd amounts, so the named alignment
                // is dropped here (the element accesses stay unaligned at times); NeonLoadStoreTests
                // checks the alignment faults against the manual.
                bool lane = (word & (1u << 23)) != 0, allLanes = lane && ((word >> 10) & 3) == 3;
                word &= !lane ? ~0x30u : allLanes ? ~0x10u : ((word >> 10) & 3) == 2 ? ~0x30u : ~0x10u;
                // A list that fits below D32 (past it is UNPREDICTABLE; Unicorn wraps, ArmEmu makes it UNDEFINED).
                uint first = (uint)rng.Next(25);
                word = Field(Field(word, 12, 4, first & 15), 22, 1, first >> 4);
                break;
            }
            case "VMRS":
                word = Field(Field(word, 16, 4, 1), 12, 4, (uint)CoreRegisters[rng.Next(CoreRegisters.Length)]);
                break;
        }
        return word;
    }

    // ---- Values -------------------------------------------------------------------------

    private static readonly uint[] SingleSpecials =
    [
        0x00000000, 0x80000000, 0x00000001, 0x807FFFFF, 0x00800000, 0x3F800000, 0xBF800000, 0x3F800001, 0x3F7FFFFF,
        0x40000000, 0x3F000000, 0x7F7FFFFF, 0xFF7FFFFF, 0x7F800000, 0xFF800000, 0x7FC00000, 0xFFC00001, 0x7F800001,
        0xFF800123, 0x4F000000, 0xCF000000, 0x4F800000, 0x4EFFFFFF, 0x7E800000, 0x00400000, 0x3E800000, 0x40400000,
        0x477FE000, 0x387FC000, 0x33800000, 0x4B000001,
    ];

    private static readonly ulong[] Patterns =
    [
        0, ulong.MaxValue, 0x8000_0000_0000_0000, 0x7FFF_FFFF_FFFF_FFFF, 0x8080_8080_8080_8080, 0x7F7F_7F7F_7F7F_7F7F,
        0x8000_8000_8000_8000, 0x7FFF_7FFF_7FFF_7FFF, 0x8000_0000_8000_0000, 0x7FFF_FFFF_7FFF_FFFF, 0x0101_0101_0101_0101,
        0x0001_0001_0001_0001, 0x0000_0001_0000_0001, 0xFFFF_FFFF_0000_0000,
    ];

    private ulong Register(Random rng)
    {
        switch (rng.Next(_float ? 6 : 4))
        {
            case 0: return Patterns[rng.Next(Patterns.Length)];
            case 1:
            {
                // Small and boundary elements, including shift counts around the element sizes.
                ulong v = 0;
                for (int b = 0; b < 8; b++)
                {
                    int[] bytes = [0, 1, 2, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 0x7F, 0x80, 0x81, 0xFF, 0xF8, 0xF0, 0xE0, 0xC0];
                    v |= (ulong)(byte)bytes[rng.Next(bytes.Length)] << (8 * b);
                }
                return v;
            }
            case 2 or 3: return (ulong)rng.NextInt64() ^ ((ulong)rng.Next() << 63);
            default: return Single(rng) | ((ulong)Single(rng) << 32);
        }
    }

    private static uint Single(Random rng) => rng.Next(3) switch
    {
        0 or 1 => SingleSpecials[rng.Next(SingleSpecials.Length)],
        _ => ((uint)rng.Next(2) << 31) | ((uint)(127 + rng.Next(-40, 40)) << 23) | ((uint)rng.Next(1 << 23) & ~((1u << rng.Next(23)) - 1)),
    };

    private static uint Integer32(Random rng)
    {
        uint[] values = [0, 1, 0xFFFFFFFF, 0x7FFFFFFF, 0x80000000, 0x0000FF80, 0x12345678, 0xFFFF8000, 0x00007FFF];
        return rng.Next(2) == 0 ? values[rng.Next(values.Length)] : (uint)rng.Next() ^ ((uint)rng.Next(2) << 31);
    }
}
