namespace ArmEmu.TestSupport;

/// <summary>
/// The execution engine the suite runs with: the test process's ARMEMU_ENGINE and
/// ARMEMU_TRANSLATOR_THRESHOLD (tools/test.sh runs the suite once per engine setting). CPUs made
/// in the test process read them through <c>ExecutionEngines</c>; an armemu the tests start must
/// be given them too, also when a test replaces its whole environment (armemu keeps them out
/// of the guest's environment, so a program sees the same one under either engine).
/// </summary>
public static class EngineUnderTest
{
    /// <summary>The variables that choose the engine and the translator's threshold.</summary>
    public static readonly string[] Names = ["ARMEMU_ENGINE", "ARMEMU_TRANSLATOR_THRESHOLD"];

    /// <summary>Those of <see cref="Names"/> the test process has, with their values.</summary>
    public static IEnumerable<KeyValuePair<string, string>> Variables() =>
        Names.Select(name => (name, Value: Environment.GetEnvironmentVariable(name)))
             .Where(v => !string.IsNullOrEmpty(v.Value))
             .Select(v => new KeyValuePair<string, string>(v.name, v.Value!));

    /// <summary>A short name of the setting for messages: "default", "translator, threshold 1"...</summary>
    public static string Describe()
    {
        var v = Variables().ToDictionary(p => p.Key, p => p.Value);
        if (v.Count == 0) return "default engine";
        return string.Join(", ", v.Select(p => $"{p.Key}={p.Value}"));
    }
}
