using System.CommandLine;
using System.CommandLine.Parsing;
using System.Runtime.InteropServices;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using ArmEmu.Cpu;
using ArmEmu.Cpu.Engines;
using ArmEmu.Emulator.Loaders;
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
        StartupTimes.Begin();
        PrivateStandardError.Install();
        args = QemuSystemSpellings.Translate(Invocation.Normalise(args));
        if (RunArguments.Direct(args) is { } direct)
        {
            StartupTimes.Mark("command line parsed");
            return Guarded(() => Execute(direct));
        }
        return ParseAndRun(args);
    }

    /// <summary>
    /// Everything but the direct form: System.CommandLine's tree, help and errors. A method of its
    /// own, so that a direct run never loads System.CommandLine (its closure's fields are
    /// System.CommandLine types, and loading them loaded the assembly: a millisecond of start-up).
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int ParseAndRun(string[] args)
    {
        var guestArgs = new List<string>();
        var root = new RootCommand("ArmEmu: an ARM emulator with a faithful cache model");
        // Only the subcommand named is built (each tree is milliseconds of start-up: dozens of
        // options, their generic types loaded); the root's own help and errors need both. A
        // subcommand's help names only itself, and after `run` nothing names `system` (the
        // program and its arguments are operands), so the output is the same either way.
        string? only = args.Length > 0 && args[0] is "run" or "system" ? args[0] : null;
        var run = only is null or "run" ? BuildRun(guestArgs) : null;
        if (run is not null) root.Subcommands.Add(run);
        if (only is null or "system") root.Subcommands.Add(SystemCommand.Build());
        HelpEpilog.AttachTo(root);
        StartupTimes.Mark("command line built");
        if (args.Length == 0)
        {
            root.Parse(["--help"]).Invoke(new InvocationConfiguration { Output = Console.Error });
            return ExitCodes.Usage;
        }
        if (args[0] is "-version" or "--version")
        {
            Console.WriteLine(Invocation.VersionLine);
            return 0;
        }
        var (armemuArgs, guest, early) = SplitAtProgram(args, run);
        if (early is not null) return early.Value;
        guestArgs.AddRange(guest);

        // No response files: "@0" is an ordinary argument (e.g. busybox date -d @0).
        var parse = root.Parse(armemuArgs, new ParserConfiguration { ResponseFileTokenReplacer = null });
        StartupTimes.Mark("command line parsed");
        if (parse.UnmatchedTokens.Count > 0)
        {
            string token = parse.UnmatchedTokens[0];
            string command = parse.CommandResult.Command == root ? "armemu" : $"armemu {parse.CommandResult.Command.Name}";
            Console.Error.WriteLine(parse.CommandResult.Command == root && !token.StartsWith('-')
                ? $"armemu: unknown command '{token}' (see armemu --help)"
                : $"armemu: unknown option or argument '{token}' (see {command} --help)");
            return ExitCodes.Usage;
        }
        if (parse.Errors.Count > 0)
        {
            Console.Error.WriteLine($"armemu: {CommandLineErrors.InOurWords(parse.Errors[0], parse)}");
            return ExitCodes.Usage;
        }
        // Our own handler (Guarded): one line, never System.CommandLine's stack trace.
        return Guarded(() => parse.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false }));
    }

    /// <summary>Runs a command; an exception that escapes it is a bug, reported in one line (status 125).</summary>
    private static int Guarded(Func<int> command)
    {
        try
        {
            return command();
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"armemu: internal error (a bug: please report it): {e.Message.ReplaceLineEndings(" ")}");
            // For the report: the whole trace on request (set ARMEMU_BACKTRACE=1), never by default.
            if (Environment.GetEnvironmentVariable("ARMEMU_BACKTRACE") is "1") Console.Error.WriteLine(e);
            return ExitCodes.InternalError;
        }
    }

    /// <summary>
    /// As qemu-arm does, option parsing stops at the program: what follows it is the
    /// guest's argv untouched, even "--help", "--" or "@file". The options before it,
    /// and the program itself after "--" (so no name is mistaken for an option), go to
    /// System.CommandLine; the guest's arguments are returned separately. The options that
    /// end armemu at once (-version, -cpu help, -d help, an unknown option) give their exit status instead.
    /// </summary>
    private static (string[] Armemu, string[] Guest, int? Exit) SplitAtProgram(string[] args, Command? run)
    {
        if (run is null || args.Length == 0 || args[0] != "run") return (args, [], null);
        // The run command's own options: flags take no value, the others take the next argument.
        var flags = new HashSet<string> { "-h", "--help", "-?" };
        var withValue = new HashSet<string>();
        foreach (var o in run.Options)
            foreach (string name in o.Aliases.Append(o.Name))
                (o.ValueType == typeof(bool) ? flags : withValue).Add(name);
        var options = new List<string> { "run" };
        int i = 1;
        while (i < args.Length && args[i] is ['-', _, ..] option && option != "--")
        {
            switch (option)
            {
                case "-version" or "--version":
                    Console.WriteLine(Invocation.VersionLine);
                    return ([], [], 0);
                case "-help":
                    option = "--help";
                    break;
            }
            if (option is "-cpu" or "--cpu" && i + 1 < args.Length && args[i + 1] == "help")
                return ([], [], PrintCpuHelp());
            if (option is "-d" or "--log" && i + 1 < args.Length && args[i + 1] == "help")
            {
                QemuLogItems.PrintHelp(Console.Out);
                return ([], [], 0);
            }
            // "--cpu=arm926" and "--cpu:arm926" carry their value (System.CommandLine splits them).
            int attached = option.IndexOfAny(['=', ':']);
            string name = attached > 0 ? option[..attached] : option;
            if (!withValue.Contains(name) && !flags.Contains(name))
            {
                Console.Error.WriteLine($"armemu: unknown option '{option}' (see armemu run --help)");
                return ([], [], ExitCodes.Usage);
            }
            options.Add(option);
            i++;
            if (withValue.Contains(name) && attached < 0 && i < args.Length) options.Add(args[i++]);
        }
        int program = i < args.Length && args[i] == "--" ? i + 1 : i;
        if (program >= args.Length) return ([.. options, .. args[i..]], [], null);
        return ([.. options, "--", args[program]], args[(program + 1)..], null);
    }

    /// <summary>-cpu help: the models, as qemu-arm -cpu help lists its own (on stdout, status 0).</summary>
    internal static int PrintCpuHelp()
    {
        Console.WriteLine("Available CPUs:");
        foreach (var model in CpuModel.All)
            Console.WriteLine($"  {model.Name,-12} {model.Description}");
        return 0;
    }

    private static Command BuildRun(IReadOnlyList<string> guestArgs)
    {
        var cpu = new Option<string?>("--cpu", "-cpu")
        {
            Description = "CPU model (QEMU_CPU; 'help' lists them); without it, chosen from the program's ELF attributes "
                          + "(ARMv5: arm926, v6: arm1176, v7: cortex-a9)",
            HelpName = "MODEL",
        };
        var sysroot = new Option<string?>("-L") { Description = "Prefix for the ELF interpreter and its libraries, as qemu-arm -L (QEMU_LD_PREFIX)", HelpName = "SYSROOT" };
        var setEnv = new Option<string[]>("-E")
        {
            Description = "Set variables in the guest environment; a comma-separated list, as qemu-arm (QEMU_SET_ENV)",
            HelpName = "VAR=VALUE[,...]",
            AllowMultipleArgumentsPerToken = false,
        };
        var unsetEnv = new Option<string[]>("-U") { Description = "Remove variables from the guest environment (QEMU_UNSET_ENV)", HelpName = "VAR[,...]" };
        var argv0 = new Option<string?>("--argv0", "-0") { Description = "The guest's argv[0] (default: PROGRAM; QEMU_ARGV0)", HelpName = "ARGV0" };
        var maxInsns = new Option<string?>("--max-insns") { Description = "Stop after this many instructions (exit status 124)", HelpName = "N" };
        var strace = new Option<bool>("--strace", "-strace") { Description = "Print each system call on stderr (or the -D file) (QEMU_STRACE)" };
        var log = new Option<string?>("--log", "-d") { Description = "qemu-arm's log items mapped to armemu's (in_asm, exec, cpu: the trace; strace); '-d help' lists them (QEMU_LOG)", HelpName = "ITEMS" };
        var logFile = new Option<string?>("--log-file", "-D") { Description = "Where -d and -strace output goes (default: stderr; QEMU_LOG_FILENAME)", HelpName = "FILE" };
        var seed = new Option<string?>("--seed", "-seed") { Description = "Seed of AT_RANDOM, getrandom and /dev/urandom (default 0, so runs repeat; QEMU_RAND_SEED)", HelpName = "N" };
        var realRandom = new Option<bool>("--real-random") { Description = "Take AT_RANDOM, getrandom and /dev/urandom from the host instead of the seed" };
        var stackSize = new Option<string?>("--stack-size", "-s") { Description = "Stack size, bytes or with K/M/G (default 8M; QEMU_STACK_SIZE)", HelpName = "SIZE" };
        var unameRelease = new Option<string?>("--uname-release", "-r") { Description = "The release uname reports (default: the host's; QEMU_UNAME)", HelpName = "UNAME" };
        var exitStatus = new Option<bool>("--exit-status")
        {
            Description = "When the guest dies of a signal, exit with 128 + the signal instead of dying of it (as qemu-arm does)",
        };
        var stats = new Option<bool>("--stats") { Description = "Print instructions, seconds and MIPS on stderr at exit" };
        var statsJson = new Option<string?>("--stats-json") { Description = "Write the statistics as JSON to FILE", HelpName = "FILE" };
        var screenshot = new Option<string?>("--screenshot") { Description = "At exit, write what the PL110 behind /dev/mem shows to FILE as a PNG", HelpName = "FILE" };
        var noMakeCoherent = new Option<bool>("--no-make-coherent")
        {
            Description = "Leave several MAP_SHARED mappings of one file page cacheable (Linux's make_coherent makes them uncacheable on VIVT caches), to watch the aliases diverge",
        };
        var program = new Argument<string>("PROGRAM") { Description = "The ARM Linux executable" };
        var programArgs = new Argument<string[]>("ARGS") { Description = "Arguments for the program", Arity = ArgumentArity.ZeroOrMore };
        var profiling = new ProfileOptions();

        var run = new Command("run", "Run an ARM Linux user-mode program, as qemu-arm does")
        {
            cpu, sysroot, setEnv, unsetEnv, argv0, maxInsns, strace, log, logFile, seed, realRandom, stackSize, unameRelease, exitStatus,
            stats, statsJson, screenshot, noMakeCoherent, program, programArgs,
        };
        var caches = new CacheCommandLine();
        caches.AddTo(run);
        var engine = new EngineCommandLine();
        engine.AddTo(run);
        var gdb = new GdbCommandLine();
        gdb.AddToRun(run);
        foreach (var option in profiling.All) run.Options.Add(option);
        run.TreatUnmatchedTokensAsErrors = true;
        run.SetAction(parse =>
        {
            // A qemu-arm environment variable stands for its option when the option is absent.
            string? Given(Option<string?> option) => parse.GetResult(option) is not null ? parse.GetValue(option) : null;
            return Execute(new RunArguments
            {
                Program = parse.GetValue(program)!,
                GuestArguments = guestArgs,
                Cpu = Given(cpu),
                SysRoot = Given(sysroot),
                EnvironmentChanges = EnvironmentChanges(parse, setEnv, unsetEnv),
                Argv0 = Given(argv0),
                MaxInstructions = parse.GetValue(maxInsns),
                Strace = parse.GetValue(strace),
                Log = Given(log),
                LogFile = Given(logFile),
                Seed = Given(seed),
                RealRandom = parse.GetValue(realRandom),
                StackSize = Given(stackSize),
                UnameRelease = Given(unameRelease),
                ExitStatus = parse.GetValue(exitStatus),
                Stats = parse.GetValue(stats),
                StatsJson = parse.GetValue(statsJson),
                Screenshot = parse.GetValue(screenshot),
                NoMakeCoherent = parse.GetValue(noMakeCoherent),
                Caches = caches.ValuesOf(parse),
                Engine = parse.GetValue(engine.Engine),
                GdbPort = gdb.RunPortOf(parse),
                Profiling = profiling.ValuesOf(parse),
            });
        });
        return run;
    }

    /// <summary>
    /// <c>armemu run</c> itself, from the options' values (<see cref="RunArguments"/>), whether
    /// System.CommandLine parsed them or <see cref="RunArguments.Direct"/> saw that none was given.
    /// </summary>
    private static int Execute(RunArguments a)
    {
        // A qemu-arm environment variable stands for its option when the option is absent.
        static string? Given(string? option, string variable) => option ?? NonEmpty(Environment.GetEnvironmentVariable(variable));
        static int Usage(string error)
        {
            Console.Error.WriteLine($"armemu: {error}");
            return ExitCodes.Usage;
        }

        // Without --cpu (or QEMU_CPU) the program's Tag_CPU_arch picks the model, so armel and armhf programs both run.
        string cpuName = Given(a.Cpu, "QEMU_CPU") ?? ArmAttributes.ModelFor(a.Program).Name;
        if (cpuName == "help") return PrintCpuHelp();
        var model = CpuModel.Find(cpuName);
        if (model is null)
            return Usage(UnknownModel(cpuName));
        long limit = long.MaxValue;
        if (a.MaxInstructions is { } text
            && (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit == 0))
            return Usage($"--max-insns expects a positive whole number, not '{text}'");
        var environment = BuildEnvironment(a.EnvironmentChanges, out string? envError);
        if (envError is not null) return Usage(envError);
        var cacheOptions = CacheCommandLine.Parse(a.Caches, out string? cacheError);
        if (cacheError is not null) return Usage(cacheError);
        if (EngineCommandLine.Apply(a.Engine) is { } engineError) return Usage(engineError);
        var profileRequest = ProfileOptions.Parse(a.Profiling, out string? profileError);
        if (profileRequest is null) return Usage(profileError!);

        ulong? randomSeed = GuestRandom.DefaultSeed;
        if (Given(a.Seed, "QEMU_RAND_SEED") is { } seedText)
        {
            if (!TryParseNumber(seedText, out ulong s)) return Usage($"-seed expects a whole number, not '{seedText}'");
            if (a.RealRandom) return Usage("-seed and --real-random contradict each other; give one");
            randomSeed = s;
        }
        if (a.RealRandom) randomSeed = null;
        uint stack = ExecImage.DefaultStackSize;
        if (Given(a.StackSize, "QEMU_STACK_SIZE") is { } stackText
            && (!TryParseSize(stackText, out ulong bytes) || bytes < 4096 || bytes > ExecImage.MaxStackSize || (stack = (uint)bytes) == 0))
            return Usage($"-s expects a stack size between 4K and {ExecImage.MaxStackSize >> 20}M (e.g. 8M), not '{stackText}'");

        string? logPath = Given(a.LogFile, "QEMU_LOG_FILENAME");
        bool traceFromLog = false, straceFromLog = false, allUnimplemented = false;
        if (Given(a.Log, "QEMU_LOG") is { } items)
        {
            var effects = QemuLogItems.Parse(items, out string? logError);
            if (effects is null) return Usage(logError!);
            (traceFromLog, straceFromLog, allUnimplemented) = (effects.Value.Trace, effects.Value.Strace, effects.Value.Unimplemented);
            foreach (string ignored in effects.Value.Ignored)
                Console.Error.WriteLine($"armemu: note: -d {ignored} has no equivalent in armemu; ignored");
        }
        if (traceFromLog && profileRequest.Trace is null) profileRequest = profileRequest with { Trace = logPath ?? ProfileOptions.TraceToStandardError };
        if (OutputPaths.CheckAll(("--profile", profileRequest.Profile), ("--trace", profileRequest.Trace == ProfileOptions.TraceToStandardError ? null : profileRequest.Trace),
                                 ("--stats-json", a.StatsJson), ("--screenshot", a.Screenshot), ("-D", logPath)) is { } pathError)
            return Usage(pathError);

        var gdbRequest = GdbCommandLine.ParseRun(a.GdbPort, out string? gdbError);
        if (gdbError is not null) return Usage(gdbError);
        var cacheMap = CacheCommandLine.ParseMap(a.Caches, cacheOptions, out string? mapError);
        if (mapError is not null) return Usage(mapError);
        string path = a.Program;
        bool straceOn = a.Strace || Environment.GetEnvironmentVariable("QEMU_STRACE") is not null || straceFromLog;
        using var straceLog = straceOn && logPath is not null && profileRequest.Trace != logPath ? new StreamWriter(logPath) : null;
        var options = new LinuxProcessOptions
        {
            Caches = cacheOptions,
            MakeCoherent = !a.NoMakeCoherent,
            Cpu = model,
            Arguments = [Given(a.Argv0, "QEMU_ARGV0") ?? path, .. a.GuestArguments],
            Environment = environment,
            SysRoot = Given(a.SysRoot, "QEMU_LD_PREFIX"),
            Strace = straceOn ? straceLog ?? Console.Error : null,
            RandomSeed = randomSeed,
            StackSize = stack,
            UnameRelease = Given(a.UnameRelease, "QEMU_UNAME"),
            Diagnostics = Console.Error,
            ReportProbedCalls = allUnimplemented,
        };
        int status = RunProcess(path, options, limit, a.Stats, a.StatsJson, profileRequest,
                                process =>
                                {
                                    CacheCommandLine.AttachMonitor(a.Caches, process.Caches, process.Bus, process.Cpu);
                                    cacheMap?.Start(process.Caches, process.Cpu);
                                },
                                a.Screenshot, gdbRequest, out int? signal);
        straceLog?.Dispose();
        if (cacheMap is not null && !cacheMap.Finish() && status == 0) status = ExitCodes.Usage;
        if (signal is { } sig && !a.ExitStatus)
        {
            StartupTimes.Report();
            ExitBySignal.Die(sig);
        }
        return status;
    }

    // Of its own: the LINQ in it would load System.Linq at every start-up, not only on this error.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static string UnknownModel(string cpuName) =>
        $"unknown CPU model '{cpuName}' (known: {string.Join(", ", CpuModel.All.Select(m => m.Name))}; see armemu run -cpu help)";

    private static string? NonEmpty(string? s) => string.IsNullOrEmpty(s) ? null : s;

    /// <summary>A whole number, decimal or 0x hexadecimal.</summary>
    internal static bool TryParseNumber(string text, out ulong value) =>
        text.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? ulong.TryParse(text[2..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value)
            : ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);

    /// <summary>A size as qemu writes them: a number of bytes, or with a K, M or G suffix (either case).</summary>
    internal static bool TryParseSize(string text, out ulong bytes)
    {
        bytes = 0;
        if (text.Length == 0) return false;
        int shift = char.ToUpperInvariant(text[^1]) switch { 'K' => 10, 'M' => 20, 'G' => 30, _ => 0 };
        if (shift != 0) text = text[..^1];
        if (!TryParseNumber(text, out ulong n) || n > ulong.MaxValue >> shift) return false;
        bytes = n << shift;
        return true;
    }

    /// <summary>
    /// --stats-json. A method of its own, so that System.Text.Json is loaded only when it is asked
    /// for: a method's ReadyToRun code loads the assemblies of the generic types it instantiates
    /// when it first runs (a millisecond of every start-up).
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void WriteStatsJson(string path, LinuxProcess process, ulong instructions, double seconds, double mips)
    {
        var k = process.Kernel;
        var scheduling = new { processes = k.ProcessesStarted, threads = k.ThreadsStarted, threadSwitches = k.ThreadSwitches, addressSpaceSwitches = k.AddressSpaceSwitches };
        File.WriteAllText(path, JsonSerializer.Serialize(new { instructions, seconds, mips, scheduling, caches = CacheCommandLine.StatsJson(process.Caches) }));
    }

    /// <summary>
    /// Runs the process under the GDB stub (-g): waits for gdb, then serves it until the guest
    /// ends. False if the port could not be opened. <paramref name="status"/> is the exit status,
    /// null when --max-insns ran out; a process killed from gdb has no exit status.
    /// </summary>
    private static bool RunUnderGdb(LinuxProcess process, GdbCommandLine.Request request, long limit, out int? status)
    {
        status = null;
        using var listener = GdbCommandLine.Listen(request);
        if (listener is null) return false;
        var target = new Emulator.Gdb.LinuxProcessTarget(process) { InstructionLimit = limit };
        using var stub = new Emulator.Gdb.GdbStub(target, listener, Console.Error);
        var end = stub.Run(waitForClient: request.Wait);
        if (end.Kind == Emulator.Gdb.GdbRunEndKind.Killed) status = 0;
        else status = process.Kernel.ExitStatus;
        return true;
    }

    /// <summary>
    /// The guest environment in the order qemu-arm 7.2 gives it (util/envlist.c): its list
    /// is built by inserting each host variable at the head, so the host order comes out
    /// reversed; -E removes the variable and inserts the new value at the head; -U removes
    /// it. Each takes a comma-separated list, as qemu-arm's do (so a value cannot hold a
    /// comma there either). QEMU_SET_ENV and QEMU_UNSET_ENV apply first, as qemu-arm reads
    /// the environment before its arguments; then -E and -U in command-line order.
    /// </summary>
    private static List<string> BuildEnvironment((bool Set, string List)[] options, out string? error)
    {
        error = null;
        var env = HostEnvironment();
        // The engine's own variables choose how armemu runs the program, not what it sees: kept
        // out, so that a program's environment (and so its stack and its instruction count) is
        // the same under either engine. -E can still give them to the guest.
        env.RemoveAll(v => v.StartsWith(ExecutionEngines.EnvironmentVariable + "=", StringComparison.Ordinal)
                           || v.StartsWith(ExecutionEngines.ThresholdVariable + "=", StringComparison.Ordinal));
        env.Reverse();
        var changes = new List<(bool Set, string List)>();
        if (NonEmpty(Environment.GetEnvironmentVariable("QEMU_SET_ENV")) is { } qemuSet) changes.Add((true, qemuSet));
        if (NonEmpty(Environment.GetEnvironmentVariable("QEMU_UNSET_ENV")) is { } qemuUnset) changes.Add((false, qemuUnset));
        // A loop over the array (AddRange reads its Count through an interface the JIT compiles for the tuple type).
        for (int i = 0; i < options.Length; i++) changes.Add(options[i]);
        foreach (var (set, list) in changes)
        {
            foreach (string value in list.Split(','))
            {
                int eq = value.IndexOf('=');
                if (set && eq <= 0)
                {
                    error = $"-E expects VAR=VALUE, not '{value}'";
                    return env;
                }
                if (!set && (eq >= 0 || value.Length == 0))
                {
                    error = $"-U expects a variable name, not '{value}'";
                    return env;
                }
                string name = set ? value[..eq] : value;
                env.RemoveAll(v => v.StartsWith(name + "=", StringComparison.Ordinal));
                if (set) env.Insert(0, value);
            }
        }
        return env;
    }

    /// <summary>The -E and -U lists in <paramref name="parse"/>, in command-line order (true: -E).</summary>
    private static (bool Set, string List)[] EnvironmentChanges(ParseResult parse, Option setEnv, Option unsetEnv)
    {
        var changes = new List<(bool Set, string List)>();
        var tokens = parse.Tokens;
        for (int i = 0; i + 1 < tokens.Count; i++)
        {
            if (tokens[i].Type != TokenType.Option) continue;
            bool set = setEnv.Aliases.Append(setEnv.Name).Contains(tokens[i].Value), unset = unsetEnv.Aliases.Append(unsetEnv.Name).Contains(tokens[i].Value);
            if (set || unset) changes.Add((set, tokens[++i].Value));
        }
        return [.. changes];
    }

    /// <summary>The host's environ, in its order (.NET's Environment API does not keep the order).</summary>
    private static List<string> HostEnvironment()
    {
        var env = new List<string>();
        nint libc = NativeLibrary.Load("libc.so.6");
        nint entries = Marshal.ReadIntPtr(NativeLibrary.GetExport(libc, "environ"));
        for (int i = 0; entries != 0; i++)
        {
            nint entry = Marshal.ReadIntPtr(entries, i * IntPtr.Size);
            if (entry == 0) break;
            env.Add(Marshal.PtrToStringUTF8(entry)!);
        }
        return env;
    }

    private static int RunProcess(string path, LinuxProcessOptions options, long limit, bool printStats, string? statsJson,
                                  ProfileOptions.Request profiling, Action<LinuxProcess> prepare, string? screenshot,
                                  GdbCommandLine.Request? gdb, out int? signal)
    {
        signal = null;
        if (ImageChecks.TextFileKindOfFile(path) is { } text)
        {
            Console.Error.WriteLine($"armemu: {path} is {text}, not an ARM ELF program");
            return ExitCodes.LoadFailed;
        }
        LinuxProcess process;
        StartupTimes.Mark("options checked");
        try
        {
            process = new LinuxProcess(path, options);
            StartupTimes.Mark("program loaded");
        }
        catch (ProcessLoadException e)
        {
            Console.Error.WriteLine($"armemu: {e.Message}");
            return ExitCodes.LoadFailed;
        }
        using (process)
        {
            prepare(process);
            // Signals sent to armemu go to the guest (not under gdb, whose stub has its own interrupt).
            using var forwarding = gdb is null ? new HostSignalForwarding(process.Kernel) : null;
            var session = profiling.Profiling ? ProfilingSession.ForLinux(process, profiling.Region) : null;
            if (session is not null && !profiling.AddSymbolsTo(session)) return ExitCodes.Usage;
            using var traceFile = profiling.Trace is { } t ? ProfileOptions.OpenTrace(t) : null;
            var tracer = traceFile is null ? null : new InstructionTracer(process.Cpu, traceFile, profiling.From, profiling.To);
            if (tracer is not null) process.Kernel.ThreadSwitching += next => tracer.OnThreadSwitch(next.Tid, next.Process.Pid);
            var clock = Stopwatch.StartNew();
            int? status;
            if (gdb is null) status = process.Run(limit);
            else if (!RunUnderGdb(process, gdb, limit, out status)) return ExitCodes.Usage;
            clock.Stop();
            StartupTimes.Mark("guest ran");
            tracer?.Dispose();
            if (session is not null) ProfileOptions.Finish(profiling, session, string.Join(' ', options.Arguments));
            ulong instructions = process.Cpu.InstructionsExecuted;
            double seconds = clock.Elapsed.TotalSeconds;
            double mips = seconds > 0 ? instructions / seconds / 1e6 : 0;
            if (printStats)
            {
                Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"armemu: {instructions} instructions in {seconds:F3} s: {mips:F1} MIPS"));
                var k = process.Kernel;
                if (k.ThreadsStarted > 1)
                    Console.Error.WriteLine($"armemu: {k.ProcessesStarted} processes, {k.ThreadsStarted} threads, {k.ThreadSwitches} thread switches, {k.AddressSpaceSwitches} address-space switches");
                CacheCommandLine.PrintStats(process.Caches, Console.Error);
                EngineCommandLine.PrintStats(process.Cpu, Console.Error);
                CodeStoreStats.Print(process.Cpu, Console.Error);
            }
            if (statsJson is not null) WriteStatsJson(statsJson, process, instructions, seconds, mips);
            if (status is null)
            {
                Console.Error.WriteLine($"armemu: stopped after {instructions} instructions (--max-insns) at pc 0x{process.Cpu.PC:x8}");
                return ExitCodes.InstructionLimit;
            }
            if (screenshot is not null && !Screenshot.Write(process.Lcd, new FileInfo(screenshot))) return ExitCodes.Usage;
            if (process.Kernel.FatalSignalMessage is { } message) Console.Error.WriteLine(message);
            // Killed by SIGILL: if the program was built for a newer architecture than the model, say which --cpu runs it.
            if (process.Kernel.TerminatingSignal == 4 && ImageChecks.ArchitectureHint(path, options.Cpu) is { } hint) Console.Error.WriteLine(hint);
            if (process.Kernel.DeadlockMessage is { } deadlock) Console.Error.WriteLine(deadlock);
            if (process.Kernel.ExitStatus is null) return 0; // killed from gdb, as qemu-arm's k
            signal = process.Kernel.TerminatingSignal;
            return status.Value;
        }
    }
}
