using ArmEmu.Cpu;

namespace ArmEmu.GuestTests.Differential;

/// <summary>
/// Differential test of the Advanced SIMD unit against Unicorn 2.0.1 (QEMU's Cortex-A9, and the
/// A15 for the fused forms): random sequences of every family, D0-D31, FPSCR (QC, the flags),
/// r0-r14, the CPSR and memory compared. ARMEMU_NEON_DIFF_SEQUENCES sets the number of sequences
/// per family (a soak), ARMEMU_DIFF_SEED the seed.
/// </summary>
public sealed class NeonDifferentialTests
{
    private const int DefaultSeed = 20261207;
    private const int Sequences = 120;     // x 30 instructions x 9 families: ~32,000 instructions
    private const int SequenceLength = 30;

    private static int SequenceCount =>
        int.TryParse(Environment.GetEnvironmentVariable("ARMEMU_NEON_DIFF_SEQUENCES"), out int n) && n > 0 ? n : Sequences;

    private static int BaseSeed =>
        int.TryParse(Environment.GetEnvironmentVariable("ARMEMU_DIFF_SEED"), out int seed) ? seed : DefaultSeed;

    public static TheoryData<NeonFamily> Families => new(Enum.GetValues<NeonFamily>());

    [Theory]
    [MemberData(nameof(Families))]
    public void SequencesMatchUnicorn(NeonFamily family)
    {
        var generator = new NeonInstructionGenerator(family);
        using var harness = new VfpDifferentialHarness(NeonInstructionGenerator.ModelFor(family));
        int baseSeed = BaseSeed;
        for (int i = 0; i < SequenceCount; i++)
        {
            int seed = DifferentialTests.SequenceSeed(baseSeed + (int)family * 7919, i);
            var test = generator.Generate(seed, SequenceLength);
            string? failure = harness.Check(test, $"{family}, ARMEMU_DIFF_SEED={baseSeed}, sequence {i} (generator seed {seed})");
            Assert.True(failure is null, failure);
        }
    }

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
            if (unicorn.Error is null) executed++;
        }
        Assert.True(executed * 2 > total, $"{family}: only {executed} of {total} single instructions ran on Unicorn");
    }

    /// <summary>Every row of every family runs (not UNDEFINED) on Unicorn for some generated word, so every row is compared.</summary>
    [Theory]
    [MemberData(nameof(Families))]
    public void EveryRowRunsOnUnicorn(NeonFamily family)
    {
        var generator = new NeonInstructionGenerator(family);
        using var harness = new VfpDifferentialHarness(NeonInstructionGenerator.ModelFor(family));
        var silent = new List<string>();
        foreach (var row in generator.Rows)
        {
            bool ran = false;
            for (int i = 0; i < 30 && !ran; i++)
                ran = harness.Run(generator.GenerateOne(DifferentialTests.SequenceSeed(BaseSeed, i), row), 1).Unicorn.Error is null;
            if (!ran) silent.Add(row.Name);
        }
        Assert.Empty(silent);
    }

    [Fact]
    public void EveryNeonRowIsGenerated() =>
        Assert.Empty(NeonInstructionGenerator.UncoveredRows(NeonLoadStoreRowNames));

    /// <summary>Rows covered by other tests (none: every NEON row is in a family here).</summary>
    private static readonly string[] NeonLoadStoreRowNames = [];
}
