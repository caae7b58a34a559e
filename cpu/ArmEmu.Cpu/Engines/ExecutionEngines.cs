using ArmEmu.Cpu.Engines.Translator;

namespace ArmEmu.Cpu.Engines;

/// <summary>
/// The execution engines a <see cref="Cpu"/> can run with (<c>--engine</c>, <see cref="Cpu.EngineKind"/>).
/// Both give identical architectural results, instruction counts, exceptions, interrupt timing
/// and cache statistics; they differ only in speed.
/// </summary>
public enum EngineKind : byte
{
    /// <summary>Fetch, decode once per slot, execute one instruction at a time (<see cref="InterpreterEngine"/>).</summary>
    Interpreter,
    /// <summary>Hot ARM blocks compiled to .NET methods, the rest interpreted (<see cref="TranslatorEngine"/>).</summary>
    Translator,
}

/// <summary>
/// Which engine a new <see cref="Cpu"/> gets. The default is the translator (cold code
/// interpreted, hot blocks compiled); tools/test.sh runs every test with the translator at a
/// test threshold and with the interpreter alone. The environment variable <c>ARMEMU_ENGINE</c> (<c>interpreter</c> or
/// <c>translator</c>) changes it for every CPU the process creates, which is how the suite's
/// passes choose it; the command line's <c>--engine</c> and the API
/// (<see cref="Cpu.EngineKind"/>) set <see cref="Default"/> or a CPU's engine directly.
/// </summary>
internal static class ExecutionEngines
{
    /// <summary>The variable that chooses the default engine of the process.</summary>
    public const string EnvironmentVariable = "ARMEMU_ENGINE";

    /// <summary>
    /// The variable that sets the translator's threshold (executions before an address starts a
    /// compiled block) for every translator created without one: 1 translates everything at once,
    /// which is how the test suite is run to exercise the translator on short programs.
    /// </summary>
    public const string ThresholdVariable = "ARMEMU_TRANSLATOR_THRESHOLD";

    /// <summary>The engine given to every <see cref="Cpu"/> created from now on.</summary>
    public static EngineKind Default { get; set; } = FromEnvironment();

    /// <summary>The names <c>--engine</c> and <c>ARMEMU_ENGINE</c> accept.</summary>
    public static IReadOnlyList<string> Names { get; } = ["interpreter", "translator"];

    /// <summary>Parses an engine name; false for anything else.</summary>
    public static bool TryParse(string? name, out EngineKind kind)
    {
        switch (name?.Trim().ToLowerInvariant())
        {
            case "interpreter":
                kind = EngineKind.Interpreter;
                return true;
            case "translator":
                kind = EngineKind.Translator;
                return true;
            default:
                kind = EngineKind.Interpreter;
                return false;
        }
    }

    /// <summary>A new engine of <paramref name="kind"/>.</summary>
    public static IExecutionEngine Create(EngineKind kind) => kind switch
    {
        EngineKind.Translator => new TranslatorEngine(TranslatorThreshold),
        _ => new InterpreterEngine(),
    };

    /// <summary>The threshold of new translators: ARMEMU_TRANSLATOR_THRESHOLD when it is a positive number.</summary>
    public static int TranslatorThreshold { get; set; } =
        int.TryParse(Environment.GetEnvironmentVariable(ThresholdVariable), out int t) && t > 0 ? t : TranslatorEngine.DefaultThreshold;

    /// <summary>
    /// ARMEMU_ENGINE when it names an engine, else the translator. A value naming none leaves
    /// the translator: the command line reports it in its own words (a library does not end the process).
    /// </summary>
    private static EngineKind FromEnvironment() =>
        TryParse(Environment.GetEnvironmentVariable(EnvironmentVariable), out var kind) ? kind : EngineKind.Translator;
}
