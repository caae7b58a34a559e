using ArmEmu.Cpu;
using ArmEmu.Emulator;

namespace ArmEmu.GuestTests.Differential;

/// <summary>
/// Differential test against Unicorn 2.0.1 (QEMU's ARM926): random sequences of valid
/// ARMv5TE instructions run on both from the same state; r0-r14, the CPSR (see
/// <see cref="DifferentialHarness.CpsrMask"/>) and the scratch buffer must agree.
/// Only defined behaviour is generated (see <see cref="InstructionGenerator"/>).
/// The seed is fixed; set ARMEMU_DIFF_SEED to try others (and ARMEMU_DIFF_SEQUENCES for more).
/// </summary>
public sealed class DifferentialTests
{
    /// <summary>ARM families compared against Unicorn, one line per family.</summary>
    public static readonly InstructionFamily[] ArmFamilies =
    [
        InstructionFamily.DataProcessing,
        InstructionFamily.Multiply,
        InstructionFamily.Saturating,
        InstructionFamily.StatusRegister,
        InstructionFamily.LoadStore,
        InstructionFamily.LoadStoreExtra,
        InstructionFamily.LoadStoreMultiple,
        InstructionFamily.Swap,
    ];

    /// <summary>The ARMv6/v7 families, compared on Cortex-A9 and Cortex-A15 together with the ARMv5 ones.</summary>
    public static readonly InstructionFamily[] ArmV7Families =
    [
        .. ArmFamilies,
        InstructionFamily.MoveWide,
        InstructionFamily.Bitfield,
        InstructionFamily.Reverse,
        InstructionFamily.Extend,
        InstructionFamily.ParallelAddSubtract,
        InstructionFamily.Media,
        InstructionFamily.SignedMultiply,
        InstructionFamily.Divide,
        InstructionFamily.Exclusive,
        InstructionFamily.Barriers,
        InstructionFamily.ProcessorState,
    ];

    /// <summary>Thumb families compared against Unicorn (one line per family, as above).</summary>
    public static readonly InstructionFamily[] ThumbFamilies =
    [
        InstructionFamily.ThumbDataProcessing,
        InstructionFamily.ThumbLoadStore,
        InstructionFamily.ThumbLoadStoreMultiple,
    ];

    private const int DefaultSeed = 20250601;
    private const int Sequences = 1500;   // x 40: 60,000 instructions per instruction set
    private const int SequenceLength = 40;

    /// <summary>ARMEMU_DIFF_SEQUENCES overrides the count for longer soak runs.</summary>
    private static int SequenceCount => DifferentialSettings.SequenceCount("ARMEMU_DIFF_SEQUENCES", Sequences);

    private static int BaseSeed => DifferentialSettings.BaseSeed(DefaultSeed);

    /// <summary>The seed of sequence <paramref name="index"/>: each one can be regenerated alone.</summary>
    public static int SequenceSeed(int baseSeed, int index)
    {
        // A fixed mix (HashCode is randomised per process, so it will not do).
        ulong x = unchecked((ulong)(uint)baseSeed << 32 | (uint)index) * 0x9E37_79B9_7F4A_7C15UL;
        return (int)(x >> 33);
    }

    private static void Compare(bool thumb, InstructionFamily[] families, int sequences, int length, CpuModel? model = null)
    {
        var generator = new InstructionGenerator(thumb, families, model);
        using var harness = new DifferentialHarness(thumb, model);
        int baseSeed = BaseSeed;
        for (int i = 0; i < sequences; i++)
        {
            int seed = SequenceSeed(baseSeed, i);
            var test = generator.Generate(seed, length);
            string? failure = harness.Check(test, $"ARMEMU_DIFF_SEED={baseSeed}, sequence {i} (generator seed {seed}, length {length})");
            Assert.True(failure is null, failure);
        }
    }

    [Fact]
    public void ArmSequencesMatchUnicorn() => Compare(thumb: false, ArmFamilies, SequenceCount, SequenceLength);

    /// <summary>
    /// ARMv7-A in ARM state: the v5 families and every ARMv6/v6K/v6T2/v7 family, on Cortex-A8 (no
    /// Multiprocessing Extensions: PLDW is UNDEFINED), Cortex-A9 (no divide) and Cortex-A15 (with
    /// SDIV/UDIV), each as many instructions as the ARMv5 test.
    /// </summary>
    [Theory]
    [InlineData("cortex-a8")]
    [InlineData("cortex-a9")]
    [InlineData("cortex-a15")]
    public void ArmV7SequencesMatchUnicorn(string model) =>
        Compare(thumb: false, ArmV7Families, SequenceCount, SequenceLength, CpuModel.Find(model));

    [Theory]
    [InlineData("cortex-a8")]
    [InlineData("cortex-a9")]
    [InlineData("cortex-a15")]
    public void UnicornModelsAreTheOnesNamed(string model)
    {
        // The constructor reads Unicorn's MIDR and throws if it is not the model's.
        using var harness = new DifferentialHarness(thumb: false, CpuModel.Find(model));
        Assert.Equal(model, harness.Model.Name);
    }

    [Fact]
    public void EveryV7FamilyRunsCleanlyOnUnicorn()
    {
        var generator = new InstructionGenerator(false, InstructionGenerator.FamiliesOf(false), CpuModel.CortexA15);
        using var harness = new DifferentialHarness(false, CpuModel.CortexA15);
        for (int i = 0; i < 200; i++)
        {
            var test = generator.Generate(SequenceSeed(BaseSeed, i), InstructionGenerator.MaxLength);
            var (unicorn, _) = harness.Run(test, test.Instructions.Length);
            Assert.True(unicorn.Error is null, $"sequence {i}: Unicorn stopped with {unicorn.Error}");
            for (int k = 0; k < test.Instructions.Length; k++)
                Assert.DoesNotContain("invalid", DifferentialHarness.Describe(test, k));
        }
    }

    /// <summary>On ARMv7 (SCTLR.U = 1) an unaligned LDR loads the four bytes at the address, on both.</summary>
    [Fact]
    public void UnalignedLdrOnCortexA9MatchesUnicorn()
    {
        var test = new TestCase(false, Registers(r11: InstructionGenerator.ScratchBase), 0x10, Scratch(0x44332211, 0x88776655),
                                [0xE59B0001], ["LDR (immediate) A1"]);
        using var harness = new DifferentialHarness(thumb: false, CpuModel.CortexA9);
        var (unicorn, armemu) = harness.Run(test, 1);
        Assert.Equal(0x55443322u, unicorn.Registers[0]);
        Assert.Equal(0x55443322u, armemu.Registers[0]);
    }

    /// <summary>
    /// Thumb-2 on Cortex-A8, Cortex-A9 and Cortex-A15 (with SDIV/UDIV): sequences of T32
    /// instructions from every generated family mixed with 16-bit data processing and the ARMv6
    /// 16-bit additions, inside and outside IT blocks, as many instructions per model as the ARMv5
    /// test. The A8 has no Multiprocessing Extensions, so PLDW is UNDEFINED there and not generated.
    /// </summary>
    [Theory]
    [InlineData("cortex-a8")]
    [InlineData("cortex-a9")]
    [InlineData("cortex-a15")]
    public void Thumb2SequencesMatchUnicorn(string name)
    {
        var model = CpuModel.Find(name)!;
        var generator = new Thumb2InstructionGenerator(model);
        using var harness = new DifferentialHarness(thumb: true, model);
        int baseSeed = BaseSeed;
        for (int i = 0; i < SequenceCount; i++)
        {
            int seed = SequenceSeed(baseSeed, i);
            var test = generator.Generate(seed, SequenceLength);
            string? failure = harness.Check(test, $"ARMEMU_DIFF_SEED={baseSeed}, sequence {i} (Thumb-2 generator seed {seed}, length {SequenceLength})");
            Assert.True(failure is null, failure);
        }
    }

    /// <summary>Every T32 integer row is generated (the filler reaches it) or left out with a reason.</summary>
    [Fact]
    public void EveryT32RowIsGeneratedOrExcludedWithAReason()
    {
        var generator = new Thumb2InstructionGenerator(CpuModel.CortexA15);
        var seen = new HashSet<string>();
        for (int i = 0; i < 400; i++) seen.UnionWith(generator.Generate(SequenceSeed(BaseSeed, i), SequenceLength).Encodings);
        var missing = ArmEmu.Cpu.Decoding.Thumb32Encodings.Rows
            .Where(r => Thumb2InstructionGenerator.WhyNotGenerated(r) is null && !seen.Contains(r.Name))
            .Select(r => r.Name);
        Assert.Empty(missing);
        Assert.Contains("IT T1", seen);
    }

    [Fact]
    public void ThumbSequencesMatchUnicorn()
    {
        Compare(thumb: true, ThumbFamilies, SequenceCount, SequenceLength);
    }

    /// <summary>
    /// The generator's own check, independent of ArmEmu: every family's sequences run on
    /// Unicorn without a fault (all instructions valid, all accesses inside the scratch
    /// buffer) and disassemble with Capstone.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void EveryFamilyRunsCleanlyOnUnicorn(bool thumb)
    {
        var generator = new InstructionGenerator(thumb, InstructionGenerator.FamiliesOf(thumb));
        using var harness = new DifferentialHarness(thumb);
        for (int i = 0; i < 200; i++)
        {
            var test = generator.Generate(SequenceSeed(BaseSeed, i), InstructionGenerator.MaxLength);
            var (unicorn, _) = harness.Run(test, test.Instructions.Length);
            Assert.True(unicorn.Error is null, $"sequence {i}: Unicorn stopped with {unicorn.Error}");
            for (int k = 0; k < test.Instructions.Length; k++)
                Assert.DoesNotContain("invalid", DifferentialHarness.Describe(test, k));
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void EveryEncodingIsGeneratedOrExcludedWithAReason(bool thumb)
    {
        Assert.Empty(InstructionGenerator.UncoveredRows(thumb));
        Assert.Empty(InstructionGenerator.StaleNames(thumb));
    }

    [Fact]
    public void EncodeFillsSplitFieldsMostSignificantBitFirst()
    {
        // LDRH r1, [r11, #0x5A]: imm8 split as imm4H (11:8) and imm4L (3:0).
        uint word = InstructionGenerator.Encode("cccc0001U1W1nnnnddddiiii1011iiii",
            new Dictionary<char, uint> { ['c'] = 14, ['U'] = 1, ['W'] = 0, ['n'] = 11, ['d'] = 1, ['i'] = 0x5A });
        Assert.Equal(0xE1DB15BAu, word);
    }

    /// <summary>
    /// A documented expected difference: on ARMv5 an LDR from an unaligned address loads the
    /// aligned word rotated right by 8 * address[1:0] (ARM ARM A4.1.23, A2.8). ArmEmu does
    /// that; Unicorn 2.0.1 loads the four bytes at the address (unicorn-engine/unicorn#1535),
    /// which is why the generator keeps word accesses aligned.
    /// </summary>
    [Fact]
    public void UnalignedLdrRotatesOnArmEmuButNotOnUnicorn()
    {
        // LDR r0, [r11, #1]  (0xe59b0001)
        var test = new TestCase(false, Registers(r11: InstructionGenerator.ScratchBase), 0x10, Scratch(0x44332211, 0x88776655),
                                [0xE59B0001], ["LDR (immediate) A1"]);
        using var harness = new DifferentialHarness(thumb: false);
        var (unicorn, armemu) = harness.Run(test, 1);

        Assert.Null(unicorn.Error);
        Assert.Equal(0x55443322u, unicorn.Registers[0]);  // the bytes at 0x20001..0x20004
        Assert.Null(armemu.Error);
        Assert.Equal(0x11443322u, armemu.Registers[0]);   // the word at 0x20000 rotated right by 8
    }

    /// <summary>
    /// The harness reuses one Unicorn engine, rewriting the code in place and rerunning it
    /// with other stop addresses. Unicorn 2.0.1 can then run stale translated blocks (see
    /// <see cref="UnicornEngine.InvalidateCode"/>); with the invalidation the reused engine
    /// must give exactly what a fresh engine gives, prefixes included.
    /// </summary>
    [Fact]
    public void ReusedUnicornEngineMatchesAFreshOne()
    {
        var generator = new InstructionGenerator(false, InstructionGenerator.FamiliesOf(false));
        using var shared = new DifferentialHarness(thumb: false);
        for (int i = 0; i < 8; i++)
        {
            var test = generator.Generate(SequenceSeed(DefaultSeed, i), 40);
            foreach (int count in new[] { 40, 1, 2, 40 })
            {
                using var fresh = new DifferentialHarness(thumb: false);
                var expected = fresh.Run(test, count).Unicorn;
                var actual = shared.Run(test, count).Unicorn;
                Assert.True(DifferentialHarness.FirstDifference(expected, actual) is null,
                    $"sequence {i}, {count} instructions (\"Unicorn\" = fresh engine, \"ArmEmu\" = reused one): {DifferentialHarness.FirstDifference(expected, actual)}");
            }
        }
    }

    private static uint[] Registers(uint r11)
    {
        var regs = new uint[15];
        regs[11] = r11;
        return regs;
    }

    private static byte[] Scratch(params uint[] words)
    {
        var data = new byte[InstructionGenerator.ScratchSize];
        for (int i = 0; i < words.Length; i++) BitConverter.TryWriteBytes(data.AsSpan(4 * i), words[i]);
        return data;
    }
}
