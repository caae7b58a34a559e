using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using ArmEmu.Cpu;
using ArmEmu.Emulator.Linux;
using ArmEmu.Emulator.Profiling;

namespace ArmEmu.Cli;

/// <summary>
/// Exit statuses of armemu itself. A guest's own exit status passes through
/// unchanged; a guest killed by a signal gives 128 + the signal number.
/// </summary>
internal static class ExitCodes
{
    public const int LoadFailed = 1;
    public const int Usage = 2;
    public const int GuestHalted = 123;
    public const int InstructionLimit = 124;
    public const int InternalError = 125;
}

internal static class ArmEmuCommand
{
    public static int Run(string[] args)
    {
        var root = new RootCommand("ArmEmu: an ARM emulator with a faithful cache model");
        root.Subcommands.Add(BuildRun());
        root.Subcommands.Add(SystemCommand.Build());
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            Console.Error.WriteLine($"armemu: {parse.Errors[0].Message} (see armemu --help)");
            return ExitCodes.Usage;
        }
        try
        {
            return parse.Invoke();
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"armemu: internal error: {e.GetType().Name}: {e.Message.ReplaceLineEndings(" ")}");
            return ExitCodes.InternalError;
        }
    }

    private static Command BuildRun()
    {
        var cpu = new Option<string>("--cpu") { Description = "CPU model (arm926)", DefaultValueFactory = _ => "arm926" };
        var sysroot = new Option<string?>("-L") { Description = "Prefix for the ELF interpreter and its libraries, as qemu-arm -L" };
        var setEnv = new Option<string[]>("-E") { Description = "Set VAR=VALUE in the guest environment", AllowMultipleArgumentsPerToken = false };
        var unsetEnv = new Option<string[]>("-U") { Description = "Remove VAR from the guest environment" };
        var maxInsns = new Option<long?>("--max-insns") { Description = "Stop after this many instructions (exit status 124)" };
        var strace = new Option<bool>("--strace") { Description = "Print each system call on stderr" };
        var stats = new Option<bool>("--stats") { Description = "Print instructions, seconds and MIPS on stderr at exit" };
        var statsJson = new Option<FileInfo?>("--stats-json") { Description = "Write the statistics as JSON to FILE" };
        var program = new Argument<string>("PROGRAM") { Description = "The ARM Linux executable" };
        var programArgs = new Argument<string[]>("ARGS") { Description = "Arguments for the program", Arity = ArgumentArity.ZeroOrMore };
        var profiling = new ProfileOptions();

        var run = new Command("run", "Run an ARM Linux user-mode program, as qemu-arm does")
        {
            cpu, sysroot, setEnv, unsetEnv, maxInsns, strace, stats, statsJson, program, programArgs,
        };
        foreach (var option in profiling.All) run.Options.Add(option);
        run.TreatUnmatchedTokensAsErrors = true;
        run.SetAction(parse =>
        {
            var model = CpuModel.Find(parse.GetValue(cpu)!);
            if (model is null)
            {
                Console.Error.WriteLine($"armemu: unknown CPU model '{parse.GetValue(cpu)}' (known: {string.Join(", ", CpuModel.All.Select(m => m.Name))})");
                return ExitCodes.Usage;
            }
            long limit = parse.GetValue(maxInsns) ?? long.MaxValue;
            if (limit <= 0)
            {
                Console.Error.WriteLine($"armemu: --max-insns must be a positive number, not {limit}");
                return ExitCodes.Usage;
            }
            var environment = BuildEnvironment(parse.GetValue(setEnv) ?? [], parse.GetValue(unsetEnv) ?? [], out string? envError);
            if (envError is not null)
            {
                Console.Error.WriteLine($"armemu: {envError}");
                return ExitCodes.Usage;
            }
            var profileRequest = profiling.Parse(parse, out string? profileError);
            if (profileRequest is null)
            {
                Console.Error.WriteLine($"armemu: {profileError}");
                return ExitCodes.Usage;
            }
            string path = parse.GetValue(program)!;
            var options = new LinuxProcessOptions
            {
                Cpu = model,
                Arguments = [path, .. parse.GetValue(programArgs) ?? []],
                Environment = environment,
                SysRoot = parse.GetValue(sysroot),
                Strace = parse.GetValue(strace) ? Console.Error : null,
            };
            return RunProcess(path, options, limit, parse.GetValue(stats), parse.GetValue(statsJson), profileRequest);
        });
        return run;
    }

    private static List<string> BuildEnvironment(string[] set, string[] unset, out string? error)
    {
        error = null;
        var env = new List<string>();
        foreach (System.Collections.DictionaryEntry e in Environment.GetEnvironmentVariables())
            env.Add($"{e.Key}={e.Value}");
        env.Sort(StringComparer.Ordinal);
        foreach (string s in set)
        {
            int eq = s.IndexOf('=');
            if (eq <= 0)
            {
                error = $"-E expects VAR=VALUE, not '{s}'";
                return env;
            }
            string name = s[..eq];
            env.RemoveAll(v => v.StartsWith(name + "=", StringComparison.Ordinal));
            env.Add(s);
        }
        foreach (string name in unset)
            env.RemoveAll(v => v.StartsWith(name + "=", StringComparison.Ordinal));
        return env;
    }

    private static int RunProcess(string path, LinuxProcessOptions options, long limit, bool printStats, FileInfo? statsJson,
                                  ProfileOptions.Request profiling)
    {
        LinuxProcess process;
        try
        {
            process = new LinuxProcess(path, options);
        }
        catch (ProcessLoadException e)
        {
            Console.Error.WriteLine($"armemu: {e.Message}");
            return ExitCodes.LoadFailed;
        }
        using (process)
        {
            var session = profiling.Profiling ? ProfilingSession.ForLinux(process) : null;
            using var traceFile = profiling.Trace is { } t ? new StreamWriter(t.FullName) : null;
            var tracer = traceFile is null ? null : new InstructionTracer(process.Cpu, traceFile, profiling.From, profiling.To);
            var clock = Stopwatch.StartNew();
            int? status = process.Run(limit);
            clock.Stop();
            tracer?.Dispose();
            if (session is not null) ProfileOptions.Finish(profiling, session, string.Join(' ', options.Arguments));
            ulong instructions = process.Cpu.InstructionsExecuted;
            double seconds = clock.Elapsed.TotalSeconds;
            double mips = seconds > 0 ? instructions / seconds / 1e6 : 0;
            if (printStats)
                Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"armemu: {instructions} instructions in {seconds:F3} s: {mips:F1} MIPS"));
            if (statsJson is not null)
                File.WriteAllText(statsJson.FullName, JsonSerializer.Serialize(new { instructions, seconds, mips }));
            if (status is null)
            {
                Console.Error.WriteLine($"armemu: stopped after {instructions} instructions (--max-insns) at pc 0x{process.Cpu.PC:x8}");
                return ExitCodes.InstructionLimit;
            }
            if (process.Kernel.FatalSignalMessage is { } message) Console.Error.WriteLine(message);
            return status.Value;
        }
    }
}
