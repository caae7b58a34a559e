using ArmEmu.Cpu;

using Xunit.Abstractions;

namespace ArmEmu.GuestTests.Differential;

/// <summary>
/// Differential test of the Advanced SIMD unit against Unicorn 2.0.1 (QEMU's Cortex-A9, and the
/// A15 for the fused forms): random sequences of every family, D0-D31, FPSCR (QC, the flags),
/// r0-r14, the CPSR and memory compared. ARMEMU_NEON_DIFF_SEQUENCES sets the number of sequences
/// per family (a soak), ARMEMU_DIFF_SEED the seed.
/// </summary>
public sealed class NeonDifferentialTests(ITestOutputHelper output)
{
    private const int DefaultSeed = 20261207;
    private const int Sequences = 120;     // x 30 instructions x 9 families: ~32,000 instructions
    private const int SequenceLength = 30;

    private static int SequenceCount => DifferentialSettings.SequenceCount("ARMEMU_NEON_DIFF_SEQUENCES", Sequences);

    private static int BaseSeed => DifferentialSettings.BaseSeed(DefaultSeed);

    public static TheoryData<NeonFamily> Families => new(Enum.GetValues<NeonFamily>());

    [Theory]
    [MemberData(nameof(Families))]
    public void SequencesMatchUnicorn(NeonFamily family)
    {
        var generator = new NeonInstructionGenerator(family);
        using var harness = new VfpDifferentialHarness(NeonInstructionGenerator.ModelFor(family));
        harness.CheckSequences($"{family}", BaseSeed, BaseSeed + (int)family * 7919, SequenceCount,
            seed => generator.Generate(seed, SequenceLength));
        AssertMostRan(family, harness);
    }

    /// <summary>
    /// The same families in Thumb state: each generated sequence in its T32 encodings (111U 1111,
    /// 1111 1001, 1110 for the coprocessor-space rows), run from CPSR.T = 1 on both engines. A
    /// third of the sequences of the ARM test per family (the handlers are the same; this checks
    /// the T32 rows, decode and the U bit at T32 bit 28).
    /// </summary>
    [Theory]
    [MemberData(nameof(Families))]
    public void ThumbSequencesMatchUnicorn(NeonFamily family)
    {
        var generator = new NeonInstructionGenerator(family);
        using var harness = new VfpDifferentialHarness(NeonInstructionGenerator.ModelFor(family));
        harness.CheckSequences($"{family} in Thumb state", BaseSeed, BaseSeed + (int)family * 7919 + 1, Math.Max(1, SequenceCount / 3),
            seed => NeonInstructionGenerator.InThumbState(generator.Generate(seed, SequenceLength)));
        AssertMostRan(family, harness);
    }

    /// <summary>Most of what is generated must run and be compared, not end a sequence early.</summary>
    private void AssertMostRan(NeonFamily family, VfpDifferentialHarness harness)
    {
        output.WriteLine(harness.Summary($"{family}"));
        Assert.True(harness.Executed * 2 > harness.Executed + harness.UndefinedOnBoth,
            $"{family}: only {harness.Executed} of {harness.Executed + harness.UndefinedOnBoth} generated instructions ran");
    }

    /// <summary>
    /// Thumb-state sequences of defined instructions (those Unicorn finds UNDEFINED in a first run
    /// are dropped), half of them made conditional by an IT block of a random condition, from
    /// random flags: both engines must execute exactly the instructions whose condition passes.
    /// </summary>
    [Theory]
    [MemberData(nameof(Families))]
    public void ThumbSequencesInItBlocksMatchUnicorn(NeonFamily family)
    {
        var generator = new NeonInstructionGenerator(family);
        using var harness = new VfpDifferentialHarness(NeonInstructionGenerator.ModelFor(family));
        int baseSeed = BaseSeed, compared = 0;
        for (int i = 0; i < Math.Max(1, SequenceCount / 6); i++)
        {
            int seed = DifferentialTests.SequenceSeed(baseSeed + (int)family * 7919 + 2, i);
            var thumb = NeonInstructionGenerator.InThumbState(generator.Generate(seed, SequenceLength));
            var (first, _) = harness.Run(thumb, thumb.Core.Instructions.Length);
            if (first.Error is not null) continue; // a fault on Unicorn: nothing to build on
            var test = NeonInstructionGenerator.WithItBlocks(NeonInstructionGenerator.Without(thumb, first.Undefined), seed);
            string? failure = harness.Check(test, $"{family} in IT blocks, ARMEMU_DIFF_SEED={baseSeed}, sequence {i} (generator seed {seed})");
            Assert.True(failure is null, failure);
            compared++;
        }
        Assert.True(compared > 0, $"{family}: no sequence ran");
        Assert.Equal(0, harness.UndefinedOnBoth);
    }

    /// <summary>Every T32 row runs (not UNDEFINED) on Unicorn for some generated word, as in ARM state.</summary>
    [Theory]
    [MemberData(nameof(Families))]
    public void EveryRowRunsOnUnicornInThumbState(NeonFamily family) =>
        Assert.Empty(RowsThatNeverRun(family, NeonInstructionGenerator.InThumbState));

    /// <summary>The manual's T32 words for a few instructions, as GNU as encodes them, from their A32 words.</summary>
    [Theory]
    [InlineData(0xF2000840u, 0xEF000840u)]   // vadd.i8 q0, q0, q0
    [InlineData(0xF3000840u, 0xFF000840u)]   // vsub.i8 q0, q0, q0 (U = 1)
    [InlineData(0xF3870E5Fu, 0xFF870E5Fu)]   // vmov.i8 q0, #0xff (i = 1)
    [InlineData(0xF420070Fu, 0xF920070Fu)]   // vld1.8 {d0}, [r0]
    [InlineData(0xEE800B10u, 0xEE800B10u)]   // vdup.32 d0, r0
    public void ThumbFormsAreTheManuals(uint a32, uint t32) => Assert.Equal(t32, NeonInstructionGenerator.ToThumb(a32));

    /// <summary>Most generated instructions are defined on Unicorn, so the comparison mostly compares results, not UNDEFINED.</summary>
    [Theory]
    [MemberData(nameof(Families))]
    public void MostInstructionsRunOnUnicorn(NeonFamily family)
    {
        var generator = new NeonInstructionGenerator(family);
        using var harness = new VfpDifferentialHarness(NeonInstructionGenerator.ModelFor(family));
        int executed = 0, total = 0;
        for (int i = 0; i < 40; i++)
        {
            var test = generator.Generate(DifferentialTests.SequenceSeed(BaseSeed, i), 1);
            var (unicorn, _) = harness.Run(test, 1);
            total++;
            if (unicorn.RanCleanly) executed++;
        }
        Assert.True(executed * 2 > total, $"{family}: only {executed} of {total} single instructions ran on Unicorn");
    }

    /// <summary>Every row of every family runs (not UNDEFINED) on Unicorn for some generated word, so every row is compared.</summary>
    [Theory]
    [MemberData(nameof(Families))]
    public void EveryRowRunsOnUnicorn(NeonFamily family) => Assert.Empty(RowsThatNeverRun(family, test => test));

    /// <summary>The rows of a family for which none of 30 generated words runs cleanly on Unicorn in the given state.</summary>
    private static List<string> RowsThatNeverRun(NeonFamily family, Func<VfpTestCase, VfpTestCase> inState)
    {
        var generator = new NeonInstructionGenerator(family);
        using var harness = new VfpDifferentialHarness(NeonInstructionGenerator.ModelFor(family));
        var silent = new List<string>();
        foreach (var row in generator.Rows)
        {
            bool ran = false;
            for (int i = 0; i < 30 && !ran; i++)
                ran = harness.Run(inState(generator.GenerateOne(DifferentialTests.SequenceSeed(BaseSeed, i), row)), 1).Unicorn.RanCleanly;
            if (!ran) silent.Add(row.Name);
        }
        return silent;
    }

    [Fact]
    public void EveryNeonRowIsGenerated() =>
        Assert.Empty(NeonInstructionGenerator.UncoveredRows(NeonLoadStoreRowNames));

    /// <summary>Rows covered by other tests (none: every NEON row is in a family here).</summary>
    private static readonly string[] NeonLoadStoreRowNames = [];
}
