namespace ArmEmu.GuestTests.Differential;

/// <summary>
/// The environment variables every differential test reads: ARMEMU_DIFF_SEED (the base seed, so
/// a failure can be regenerated or other seeds tried) and a per-suite count of sequences for soak
/// runs (ARMEMU_DIFF_SEQUENCES, ARMEMU_VFP_DIFF_SEQUENCES, ARMEMU_NEON_DIFF_SEQUENCES).
/// </summary>
internal static class DifferentialSettings
{
    /// <summary>ARMEMU_DIFF_SEED if it is set to a number, else <paramref name="fallback"/>.</summary>
    public static int BaseSeed(int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable("ARMEMU_DIFF_SEED"), out int seed) ? seed : fallback;

    /// <summary>The variable <paramref name="name"/> if it is set to a positive number, else <paramref name="fallback"/>.</summary>
    public static int SequenceCount(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), out int n) && n > 0 ? n : fallback;
}
