using System.CommandLine;
using System.CommandLine.Parsing;
using System.Runtime.InteropServices;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using ArmEmu.Cpu;
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
        var guestArgs = new List<string>();
        var run = BuildRun(guestArgs);
        var (armemuArgs, guest, unknownOption) = SplitAtProgram(args, run);
        if (unknownOption is not null)
        {
            Console.Error.WriteLine($"armemu: unknown option '{unknownOption}' (see armemu run --help)");
            return ExitCodes.Usage;
        }
        guestArgs.AddRange(guest);
        if (WantsCpuHelp(armemuArgs))
        {
            // "--cpu help" needs no program, as "qemu-arm -cpu help" needs none.
            PrintCpuModels(Console.Out);
            return 0;
        }
        var root = new RootCommand("ArmEmu: an ARM emulator with a faithful cache model");
        root.Subcommands.Add(run);
        root.Subcommands.Add(SystemCommand.Build());
        if (args.Length == 0)
        {
            root.Parse(["--help"]).Invoke(new InvocationConfiguration { Output = Console.Error });
            return ExitCodes.Usage;
        }

        // No response files: "@0" is an ordinary argument (e.g. busybox date -d @0).
        var parse = root.Parse(armemuArgs, new ParserConfiguration { ResponseFileTokenReplacer = null });
        if (parse.UnmatchedTokens.Count > 0)
        {
            Console.Error.WriteLine($"armemu: unknown command or argument '{parse.UnmatchedTokens[0]}' (see armemu --help)");
            return ExitCodes.Usage;
        }
        if (parse.Errors.Count > 0)
        {
            Console.Error.WriteLine($"armemu: {parse.Errors[0].Message.ReplaceLineEndings(" ").TrimEnd('.')} (see armemu run --help)");
            return ExitCodes.Usage;
        }
        try
        {
            // Our own handler below: one line, never System.CommandLine's stack trace.
            return parse.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"armemu: internal error: {e.GetType().Name}: {e.Message.ReplaceLineEndings(" ")}");
            return ExitCodes.InternalError;
        }
    }

    /// <summary>
    /// As qemu-arm does, option parsing stops at the program: what follows it is the
    /// guest's argv untouched, even "--help", "--" or "@file". The options before it,
    /// and the program itself after "--" (so no name is mistaken for an option), go to
    /// System.CommandLine; the guest's arguments are returned separately.
    /// </summary>
    private static (string[] Armemu, string[] Guest, string? UnknownOption) SplitAtProgram(string[] args, Command run)
    {
        if (args.Length == 0 || args[0] != "run") return (args, [], null);
        // The run command's own options: flags take no value, the others take the next argument.
        var flags = new HashSet<string> { "-h", "--help", "-?" };
        var withValue = new HashSet<string>();
        foreach (var o in run.Options)
            foreach (string name in o.Aliases.Append(o.Name))
                (o.ValueType == typeof(bool) ? flags : withValue).Add(name);
        int optionsEnd = 1;
        while (optionsEnd < args.Length && args[optionsEnd] is ['-', _, ..] option && option != "--")
        {
            // "--cpu=arm926" and "--cpu:arm926" carry their value (System.CommandLine splits them).
            int attached = option.IndexOfAny(['=', ':']);
            string name = attached > 0 ? option[..attached] : option;
            if (!withValue.Contains(name) && !flags.Contains(name)) return (args, [], option);
            optionsEnd += withValue.Contains(name) && attached < 0 ? 2 : 1;
        }
        int program = optionsEnd < args.Length && args[optionsEnd] == "--" ? optionsEnd + 1 : optionsEnd;
        if (program >= args.Length) return (args, [], null);
        return ([.. args[..optionsEnd], "--", args[program]], args[(program + 1)..], null);
    }

    private static Command BuildRun(IReadOnlyList<string> guestArgs)
    {
        var cpu = new Option<string?>("--cpu")
        {
            Description = "CPU model: arm926, arm1176, cortex-a8, cortex-a9, cortex-a15 ('help' lists them); "
                          + "without it, chosen from the program's ELF attributes (ARMv5: arm926, v6: arm1176, v7: cortex-a9)",
        };
        var sysroot = new Option<string?>("-L") { Description = "Prefix for the ELF interpreter and its libraries, as qemu-arm -L" };
        var setEnv = new Option<string[]>("-E") { Description = "Set VAR=VALUE in the guest environment", AllowMultipleArgumentsPerToken = false };
        var unsetEnv = new Option<string[]>("-U") { Description = "Remove VAR from the guest environment" };
        var maxInsns = new Option<string?>("--max-insns") { Description = "Stop after this many instructions (exit status 124)", HelpName = "N" };
        var strace = new Option<bool>("--strace") { Description = "Print each system call on stderr" };
        var stats = new Option<bool>("--stats") { Description = "Print instructions, seconds and MIPS on stderr at exit" };
        var statsJson = new Option<FileInfo?>("--stats-json") { Description = "Write the statistics as JSON to FILE" };
        var screenshot = new Option<FileInfo?>("--screenshot") { Description = "At exit, write what the PL110 behind /dev/mem shows to FILE as a PNG" };
        var noMakeCoherent = new Option<bool>("--no-make-coherent")
        {
            Description = "Leave several MAP_SHARED mappings of one file page cacheable (Linux's make_coherent makes them uncacheable on VIVT caches), to watch the aliases diverge",
        };
        var program = new Argument<string>("PROGRAM") { Description = "The ARM Linux executable" };
        var programArgs = new Argument<string[]>("ARGS") { Description = "Arguments for the program", Arity = ArgumentArity.ZeroOrMore };
        var profiling = new ProfileOptions();

        var run = new Command("run", "Run an ARM Linux user-mode program, as qemu-arm does")
        {
            cpu, sysroot, setEnv, unsetEnv, maxInsns, strace, stats, statsJson, screenshot, noMakeCoherent, program, programArgs,
        };
        var caches = new CacheCommandLine();
        caches.AddTo(run);
        var gdb = new GdbCommandLine();
        gdb.AddToRun(run);
        foreach (var option in profiling.All) run.Options.Add(option);
        run.TreatUnmatchedTokensAsErrors = true;
        run.SetAction(parse =>
        {
            string? cpuName = parse.GetValue(cpu);
            if (cpuName == "help")
            {
                PrintCpuModels(Console.Out);
                return 0;
            }
            // Without --cpu the program's Tag_CPU_arch picks the model, so armel and armhf programs both run.
            var model = cpuName is null ? ArmAttributes.ModelFor(parse.GetValue(program)!) : CpuModel.Find(cpuName);
            if (model is null)
            {
                Console.Error.WriteLine($"armemu: unknown CPU model '{cpuName}' (known: {string.Join(", ", CpuModel.All.Select(m => m.Name))}; --cpu help lists them)");
                return ExitCodes.Usage;
            }
            long limit = long.MaxValue;
            if (parse.GetValue(maxInsns) is { } text
                && (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit == 0))
            {
                Console.Error.WriteLine($"armemu: --max-insns expects a positive whole number, not '{text}'");
                return ExitCodes.Usage;
            }
            var environment = BuildEnvironment(parse, setEnv, unsetEnv, out string? envError);
            if (envError is not null)
            {
                Console.Error.WriteLine($"armemu: {envError}");
                return ExitCodes.Usage;
            }
            var cacheOptions = caches.Parse(parse, out string? cacheError);
            if (cacheError is not null)
            {
                Console.Error.WriteLine($"armemu: {cacheError}");
                return ExitCodes.Usage;
            }
            var profileRequest = profiling.Parse(parse, out string? profileError);
            if (profileRequest is null)
            {
                Console.Error.WriteLine($"armemu: {profileError}");
                return ExitCodes.Usage;
            }
            var gdbRequest = gdb.ParseRun(parse, out string? gdbError);
            if (gdbError is not null)
            {
                Console.Error.WriteLine($"armemu: {gdbError}");
                return ExitCodes.Usage;
            }
            string path = parse.GetValue(program)!;
            var options = new LinuxProcessOptions
            {
                Caches = cacheOptions,
                MakeCoherent = !parse.GetValue(noMakeCoherent),
                Cpu = model,
                Arguments = [path, .. guestArgs],
                Environment = environment,
                SysRoot = parse.GetValue(sysroot),
                Strace = parse.GetValue(strace) ? Console.Error : null,
            };
            return RunProcess(path, options, limit, parse.GetValue(stats), parse.GetValue(statsJson), profileRequest,
                              process => caches.AttachMonitor(parse, process.Caches, process.Bus, process.Cpu), parse.GetValue(screenshot), gdbRequest);
        });
        return run;
    }

    /// <summary>True for "run ... --cpu help" (or --cpu=help) among armemu's own options.</summary>
    private static bool WantsCpuHelp(string[] armemuArgs)
    {
        if (armemuArgs.Length == 0 || armemuArgs[0] != "run") return false;
        for (int i = 1; i < armemuArgs.Length && armemuArgs[i] != "--"; i++)
        {
            if (armemuArgs[i] is "--cpu=help" or "--cpu:help") return true;
            if (armemuArgs[i] == "--cpu" && i + 1 < armemuArgs.Length && armemuArgs[i + 1] == "help") return true;
        }
        return false;
    }

    /// <summary>--cpu help: one line per model, as qemu-arm -cpu help lists its models.</summary>
    internal static void PrintCpuModels(TextWriter output)
    {
        output.WriteLine("Available CPUs:");
        foreach (var m in CpuModel.All) output.WriteLine($"  {m.Name,-12} {m.Description}");
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
    /// it. -E and -U apply in command-line order.
    /// </summary>
    private static List<string> BuildEnvironment(ParseResult parse, Option setEnv, Option unsetEnv, out string? error)
    {
        error = null;
        var env = HostEnvironment();
        env.Reverse();
        var tokens = parse.Tokens;
        for (int i = 0; i + 1 < tokens.Count; i++)
        {
            if (tokens[i].Type != TokenType.Option) continue;
            bool set = tokens[i].Value == setEnv.Name, unset = tokens[i].Value == unsetEnv.Name;
            if (!set && !unset) continue;
            string value = tokens[++i].Value;
            int eq = value.IndexOf('=');
            if (set && eq <= 0)
            {
                error = $"-E expects VAR=VALUE, not '{value}'";
                return env;
            }
            string name = set ? value[..eq] : value;
            env.RemoveAll(v => v.StartsWith(name + "=", StringComparison.Ordinal));
            if (set) env.Insert(0, value);
        }
        return env;
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

    private static int RunProcess(string path, LinuxProcessOptions options, long limit, bool printStats, FileInfo? statsJson,
                                  ProfileOptions.Request profiling, Action<LinuxProcess> prepare, FileInfo? screenshot,
                                  GdbCommandLine.Request? gdb)
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
            prepare(process);
            var session = profiling.Profiling ? ProfilingSession.ForLinux(process) : null;
            using var traceFile = profiling.Trace is { } t ? new StreamWriter(t.FullName) : null;
            var tracer = traceFile is null ? null : new InstructionTracer(process.Cpu, traceFile, profiling.From, profiling.To);
            var clock = Stopwatch.StartNew();
            int? status;
            if (gdb is null) status = process.Run(limit);
            else if (!RunUnderGdb(process, gdb, limit, out status)) return ExitCodes.Usage;
            clock.Stop();
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
            }
            if (statsJson is not null)
            {
                var k = process.Kernel;
                var scheduling = new { processes = k.ProcessesStarted, threads = k.ThreadsStarted, threadSwitches = k.ThreadSwitches, addressSpaceSwitches = k.AddressSpaceSwitches };
                File.WriteAllText(statsJson.FullName, JsonSerializer.Serialize(new { instructions, seconds, mips, scheduling, caches = CacheCommandLine.StatsJson(process.Caches) }));
            }
            if (status is null)
            {
                Console.Error.WriteLine($"armemu: stopped after {instructions} instructions (--max-insns) at pc 0x{process.Cpu.PC:x8}");
                return ExitCodes.InstructionLimit;
            }
            if (process.Kernel.FatalSignalMessage is { } message) Console.Error.WriteLine(message);
            if (process.Kernel.DeadlockMessage is { } deadlock) Console.Error.WriteLine(deadlock);
            if (process.Kernel.ExitStatus is null) return 0; // killed from gdb, as qemu-arm's k
            if (screenshot is not null && !Screenshot.Write(process.Lcd, screenshot)) return ExitCodes.Usage;
            return status.Value;
        }
    }
}
