using ArmEmu.Cpu;

using Xunit.Abstractions;

namespace ArmEmu.GuestTests.Differential;

/// <summary>
/// Differential test of the VFP against Unicorn 2.0.1 (QEMU's Cortex-A9 and Cortex-A15):
/// random sequences of every VFP family, from edge-case inputs under every rounding mode with
/// FZ, DN and AHP on and off; r0-r14, the CPSR, D0-D31, FPSCR and memory must agree.
/// ARMEMU_VFP_DIFF_SEQUENCES sets the number of sequences per family (a soak), and
/// ARMEMU_DIFF_SEED the seed.
/// </summary>
public sealed class VfpDifferentialTests(ITestOutputHelper output)
{
    private const int DefaultSeed = 20261206;
    private const int Sequences = 150;    // x 30 instructions x 11 families: ~50,000 instructions
    private const int SequenceLength = 30;

    private static int SequenceCount => DifferentialSettings.SequenceCount("ARMEMU_VFP_DIFF_SEQUENCES", Sequences);

    private static int BaseSeed => DifferentialSettings.BaseSeed(DefaultSeed);

    /// <summary>VFPv4's fused multiply-accumulate needs the Cortex-A15; everything else runs on the A9.</summary>
    private static CpuModel ModelFor(VfpFamily family) => family == VfpFamily.Fused ? CpuModel.CortexA15 : CpuModel.CortexA9;

    public static TheoryData<VfpFamily> Families => new(Enum.GetValues<VfpFamily>());

    [Theory]
    [MemberData(nameof(Families))]
    public void SequencesMatchUnicorn(VfpFamily family)
    {
        var generator = new VfpInstructionGenerator(family);
        using var harness = new VfpDifferentialHarness(ModelFor(family));
        harness.CheckSequences($"{family}", BaseSeed, BaseSeed + (int)family * 7919, SequenceCount,
            seed => generator.Generate(seed, SequenceLength));
        output.WriteLine(harness.Summary($"{family}"));
    }

    /// <summary>
    /// The VFP families in Thumb state: a VFP T32 encoding is the A32 one with condition 1110
    /// (DDI 0406C A7.5), so each generated sequence runs unchanged from CPSR.T = 1. A third of
    /// the sequences of the ARM test per family.
    /// </summary>
    [Theory]
    [MemberData(nameof(Families))]
    public void ThumbSequencesMatchUnicorn(VfpFamily family)
    {
        var generator = new VfpInstructionGenerator(family);
        using var harness = new VfpDifferentialHarness(ModelFor(family));
        harness.CheckSequences($"{family} in Thumb state", BaseSeed, BaseSeed + (int)family * 7919 + 1, Math.Max(1, SequenceCount / 3),
            seed => NeonInstructionGenerator.InThumbState(generator.Generate(seed, SequenceLength)));
        output.WriteLine(harness.Summary($"{family}"));
    }

    [Fact]
    public void EveryVfpRowIsGenerated() => Assert.Empty(VfpInstructionGenerator.UncoveredRows());

    /// <summary>The generated sequences are valid on Unicorn (no invalid instruction, no fault), so the comparison compares results.</summary>
    [Theory]
    [MemberData(nameof(Families))]
    public void EveryFamilyRunsCleanlyOnUnicorn(VfpFamily family)
    {
        var generator = new VfpInstructionGenerator(family);
        using var harness = new VfpDifferentialHarness(ModelFor(family));
        for (int i = 0; i < 50; i++)
        {
            var test = generator.Generate(DifferentialTests.SequenceSeed(BaseSeed, i), SequenceLength);
            var (unicorn, _) = harness.Run(test, SequenceLength);
            Assert.True(unicorn.RanCleanly, $"{family} sequence {i}: Unicorn stopped with {unicorn.Error}, UNDEFINED at {unicorn.Undefined.Length} instructions");
        }
    }
}
