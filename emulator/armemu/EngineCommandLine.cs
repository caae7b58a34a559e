using System.CommandLine;
using ArmEmu.Cpu.Engines;

namespace ArmEmu.Cli;

/// <summary>
/// <c>--engine interpreter|translator</c>, for run and system: which execution engine the CPU
/// gets (<see cref="ExecutionEngines"/>). Without it, ARMEMU_ENGINE decides, and without that
/// the translator.
/// </summary>
internal sealed class EngineCommandLine
{
    public readonly Option<string?> Engine = new("--engine")
    {
        Description = "Execution engine: translator (default: hot ARM and Thumb blocks compiled to .NET code, cold code interpreted) or interpreter (ARMEMU_ENGINE)",
        HelpName = "ENGINE",
    };

    public void AddTo(Command command) => command.Options.Add(Engine);

    /// <summary>Sets the engine for the CPUs created from now on; an error line for a name that is not an engine.</summary>
    public string? Apply(ParseResult parse) => Apply(parse.GetValue(Engine));

    /// <summary>As <see cref="Apply(ParseResult)"/>, given the option's value (null when absent).</summary>
    public static string? Apply(string? name)
    {
        string source = "--engine";
        if (name is null)
        {
            name = Environment.GetEnvironmentVariable(ExecutionEngines.EnvironmentVariable);
            source = ExecutionEngines.EnvironmentVariable;
            if (string.IsNullOrEmpty(name)) return null;
        }
        if (!ExecutionEngines.TryParse(name, out var kind))
            return $"{source}: '{name}' is not an engine (known: {string.Join(", ", ExecutionEngines.Names)})";
        ExecutionEngines.Default = kind;
        return null;
    }

    /// <summary>For --stats: what the translator did (nothing for the interpreter).</summary>
    public static void PrintStats(ArmEmu.Cpu.Cpu cpu, TextWriter writer)
    {
        if (cpu.Engine is not ArmEmu.Cpu.Engines.Translator.TranslatorEngine translator) return;
        var s = translator.Statistics;
        writer.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"armemu: translator: {s.BlocksTranslated} blocks ({s.ThumbBlocksTranslated} Thumb; {s.InstructionsTranslated} instructions, {s.InstructionsInlined} compiled, the rest interpreted), {s.TranslationTime.TotalSeconds:F3} s translating ({s.MicrosecondsPerBlock:F0} us a block), {s.InstructionsInBlocks} instructions run in blocks, {s.ChainedEntries} blocks entered through a link, {s.BlockReturns} returns to the dispatcher, {s.RetranslatedForCallOuts} translated again with call-outs"));
    }
}
