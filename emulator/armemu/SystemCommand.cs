using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using ArmEmu.Cpu;
using ArmEmu.Emulator.Boards;
using ArmEmu.Emulator.Devices;
using ArmEmu.Emulator.Imaging;
using ArmEmu.Emulator.Linux;
using ArmEmu.Emulator.Loaders;
using ArmEmu.Emulator.Profiling;
using ArmEmu.Memory.Caches;

namespace ArmEmu.Cli;

/// <summary>
/// <c>armemu system</c>: boot a bare-metal image on the Versatile PB or the Versatile Express with a
/// Cortex-A9, as qemu-system-arm -M versatilepb / -M vexpress-a9 does.
/// </summary>
internal static class SystemCommand
{
    public static Command Build()
    {
        var cpu = new Option<string?>("--cpu") { Description = "CPU model (the board's: arm926 on versatilepb, cortex-a9 on vexpress-a9)" };
        var machine = new Option<string>("--machine", "-M") { Description = "Board: versatilepb (default) or vexpress-a9; 'help' lists them", DefaultValueFactory = _ => "versatilepb" };
        var memory = new Option<string>("--memory", "-m") { Description = "RAM size, e.g. 128M (default) or 1G", DefaultValueFactory = _ => "128M" };
        var loadAddress = new Option<string?>("--load-addr") { HelpName = "ADDR", Description = "Load a raw (non-ELF) image as it is at ADDR and start there (default: boot it as qemu-system-arm boots a kernel image: at RAM + 0x10000, through its boot stub)" };
        var entry = new Option<string?>("--entry") { HelpName = "ADDR", Description = "Entry point of a raw image loaded as it is (default: the load address)" };
        var maxInsns = new Option<long?>("--max-insns") { Description = "Stop after this many instructions (exit status 124)" };
        var cpuMhz = new Option<uint>("--cpu-mhz") { Description = "CPU clock for the virtual time (default 200)", DefaultValueFactory = _ => 200 };
        var stats = new Option<bool>("--stats") { Description = "Print instructions, seconds and MIPS on stderr at exit" };
        var statsJson = new Option<string?>("--stats-json") { Description = "Write the statistics as JSON to FILE", HelpName = "FILE" };
        var traceMmio = new Option<bool>("--trace-mmio") { Description = "Report accesses to unimplemented device registers (once each)" };
        var semihostingRoot = new Option<DirectoryInfo?>("--semihosting-root") { Description = "Directory semihosting file operations are confined to (default: the working directory)" };
        var screenshot = new Option<string?>("--screenshot")
        {
            HelpName = "FILE",
            Description = "At exit, write what the LCD (PL110) shows to FILE as a PNG: the framebuffer as RAM holds it, "
                + "so lines still dirty in the D-cache show their old contents; a black frame of the programmed size when the "
                + "display is off; no file (and a note on stderr) when the guest never programmed the LCD",
        };
        var l2Reset = new Option<string?>("--l2-reset")
        {
            HelpName = "invalid|unknown",
            Description = "vexpress-a9: the PL310's lines at reset: invalid (default) or unknown (arbitrary valid and dirty lines, "
                + "as the TRM leaves them: software must invalidate the L2 before enabling it)",
        };
        var inject = new Option<string?>("--inject")
        {
            HelpName = "FAULT",
            Description = "Test-only fault injection: ignore-l2-maintenance (vexpress-a9: the PL310's clean and invalidate operations do nothing)",
        };
        var image = new Argument<string?>("IMAGE") { Description = "ELF or raw binary image", Arity = ArgumentArity.ZeroOrOne };
        var profiling = new ProfileOptions();
        var boot = new SystemBootCommandLine();

        var command = new Command("system", "Boot a bare-metal image on an emulated Versatile PB or Versatile Express (Cortex-A9) board")
        {
            cpu, machine, memory, loadAddress, entry, maxInsns, cpuMhz, stats, statsJson, traceMmio, semihostingRoot, screenshot, l2Reset, inject, image,
        };
        var caches = new CacheCommandLine();
        caches.AddTo(command);
        var engine = new EngineCommandLine();
        engine.AddTo(command);
        var gdb = new GdbCommandLine();
        gdb.AddToSystem(command);
        foreach (var option in boot.All) command.Options.Add(option);
        foreach (var option in profiling.All) command.Options.Add(option);
        command.SetAction(parse =>
        {
            string machineName = parse.GetValue(machine)!;
            if (machineName == "help" || machineName == "?")
            {
                Console.Out.WriteLine("Supported machines are:");
                foreach ((string name, string description) in Machines) Console.Out.WriteLine($"{name,-14} {description}");
                return 0;
            }
            if (parse.GetValue(image) is null)
            {
                Console.Error.WriteLine("armemu: system needs an IMAGE (see armemu system --help)");
                return ExitCodes.Usage;
            }
            string? error = null;
            bool vexpress = string.Equals(machineName, "vexpress-a9", StringComparison.OrdinalIgnoreCase);
            if (!vexpress && !string.Equals(machineName, "versatilepb", StringComparison.OrdinalIgnoreCase))
            {
                Console.Error.WriteLine($"armemu: unknown machine '{machineName}' (known: {string.Join(", ", Machines.Select(m => m.Name))}; --machine help lists them)");
                return ExitCodes.Usage;
            }
            var cacheOptions = caches.Parse(parse, out error, vexpress ? CacheModelOptions.CortexA9 : null);
            string cpuName = parse.GetValue(cpu) ?? (vexpress ? "cortex-a9" : "arm926");
            var model = CpuModel.Find(cpuName);
            if (error is not null) { }
            else if (engine.Apply(parse) is { } engineError) error = engineError;
            else if (model is null) error = $"unknown CPU model '{cpuName}' (known: {string.Join(", ", CpuModel.All.Select(m => m.Name))})";
            else if (vexpress && model != CpuModel.CortexA9) error = $"vexpress-a9: the Cortex-A9 MPCore peripherals work only with --cpu cortex-a9, not {model.Name}";
            uint ramSize = 0, load = vexpress ? VexpressA9.RamBase : 0, start = 0;
            if (error is null && !TryParseSize(parse.GetValue(memory)!, vexpress ? 1024u : 256u, out ramSize))
                error = $"--memory: '{parse.GetValue(memory)}' is not a size between 1M and {(vexpress ? "1G" : "256M")} (e.g. 128M)";
            if (error is null && parse.GetValue(loadAddress) is { } l && !TryParseAddress(l, out load)) error = $"--load-addr: '{l}' is not an address";
            if (error is null)
            {
                start = load;
                if (parse.GetValue(entry) is { } e && !TryParseAddress(e, out start)) error = $"--entry: '{e}' is not an address";
            }
            long limit = parse.GetValue(maxInsns) ?? long.MaxValue;
            if (error is null && limit <= 0) error = $"--max-insns must be a positive number, not {limit}";
            if (error is null && parse.GetValue(cpuMhz) == 0) error = "--cpu-mhz must be above 0";
            if (error is null && parse.GetValue(semihostingRoot) is { } root && !Directory.Exists(root.FullName))
                error = $"--semihosting-root: '{root}' is not an existing directory";
            bool l2Unknown = false, ignoreL2Maintenance = false;
            if (error is null && parse.GetValue(l2Reset) is { } reset)
            {
                if (reset is not ("invalid" or "unknown")) error = $"--l2-reset: '{reset}' is not invalid or unknown";
                else if (!vexpress || !cacheOptions.Enabled) error = "--l2-reset needs -M vexpress-a9 with the cache model on (its PL310)";
                else l2Unknown = reset == "unknown";
            }
            if (error is null && parse.GetValue(inject) is { } fault)
            {
                if (fault != "ignore-l2-maintenance") error = $"--inject: '{fault}' is not a fault armemu can inject (known: ignore-l2-maintenance)";
                else if (!vexpress || !cacheOptions.Enabled) error = "--inject ignore-l2-maintenance needs -M vexpress-a9 with the cache model on (its PL310)";
                else ignoreL2Maintenance = true;
            }
            bool rawPlacement = parse.GetValue(loadAddress) is not null || parse.GetValue(entry) is not null;
            var bootRequest = error is null ? boot.Parse(parse, out error) : null;
            if (error is null && rawPlacement && bootRequest!.KernelBootOptionsGiven)
                error = "--initrd and --dtb go with QEMU's kernel boot; --load-addr and --entry load a raw image as it is";
            var profileRequest = error is null ? profiling.Parse(parse, out error) : null;
            var gdbRequest = error is null ? gdb.ParseSystem(parse, out error) : null;
            error ??= OutputPaths.CheckAll(("--profile", profileRequest!.Profile), ("--trace", profileRequest.Trace),
                                           ("--stats-json", parse.GetValue(statsJson)), ("--screenshot", parse.GetValue(screenshot)));
            var cacheMap = error is null ? caches.ParseMap(parse, cacheOptions, out error) : null;
            if (error is not null)
            {
                Console.Error.WriteLine($"armemu: {error}");
                return ExitCodes.Usage;
            }
            T Options<T>() where T : BareMetalBoardOptions, new() => new()
            {
                Cpu = model!,
                MemorySize = ramSize,
                CpuHz = parse.GetValue(cpuMhz) * 1_000_000UL,
                Console = Console.OpenStandardOutput(),
                ConsoleIsTerminal = !Console.IsOutputRedirected,
                ConsoleInput = bootRequest!.SerialPorts is null ? SerialInput.FromStandardInput() : null,
                SerialPorts = bootRequest.SerialPorts,
                SemihostingEnabled = bootRequest.SemihostingEnabled,
                MmioTrace = parse.GetValue(traceMmio) ? Console.Error : null,
                SemihostingRoot = parse.GetValue(semihostingRoot)?.FullName ?? Environment.CurrentDirectory,
                CommandLine = SystemBootCommandLine.SemihostingCommandLine(bootRequest, parse.GetValue(image)!),
                Caches = cacheOptions,
            };
            Func<IBareMetalBoard> create = vexpress
                ? () =>
                {
                    var options = Options<VexpressA9Options>();
                    (options.L2UnknownAtReset, options.IgnoreL2Maintenance) = (l2Unknown, ignoreL2Maintenance);
                    return new VexpressA9(options);
                }
                : () => new VersatilePb(Options<VersatilePbOptions>());
            int status = Run(parse.GetValue(image)!, create, rawPlacement ? (load, start) : null, bootRequest!.Boot, limit, parse.GetValue(stats),
               parse.GetValue(statsJson), profileRequest!,
               board =>
               {
                   caches.AttachMonitor(parse, board.Caches, board.Bus, board.Cpu);
                   cacheMap?.Start(board.Caches, board.Cpu);
               },
               parse.GetValue(screenshot), gdbRequest);
            if (cacheMap is not null && !cacheMap.Finish() && status == 0) status = ExitCodes.Usage;
            return status;
        });
        return command;
    }

    /// <summary>The boards <c>--machine</c> accepts, as <c>--machine help</c> lists them.</summary>
    private static readonly (string Name, string Description)[] Machines =
    [
        ("versatilepb", "ARM Versatile/PB (ARM926EJ-S), as qemu-system-arm -M versatilepb (default)"),
        ("vexpress-a9", "ARM Versatile Express for Cortex-A9, as qemu-system-arm -M vexpress-a9 (legacy map)"),
    ];

    /// <param name="rawPlacement">--load-addr/--entry: load a raw image there as it is; null: boot it as QEMU boots a kernel image.</param>
    private static int Run(string path, Func<IBareMetalBoard> createBoard, (uint Load, uint Entry)? rawPlacement, KernelBootOptions kernelBoot,
                           long limit, bool printStats, string? statsJson, ProfileOptions.Request profiling, Action<IBareMetalBoard> prepare,
                           string? screenshot, GdbCommandLine.Request? gdb)
    {
        byte[] data;
        try
        {
            // A regular file only (a FIFO or /dev/zero is refused, never read whole), at most 1 GiB.
            data = ExecImage.ReadRegularFile(path, "image", ExecImage.MaxFileSize);
        }
        catch (ProcessLoadException e)
        {
            Console.Error.WriteLine($"armemu: {e.Message}");
            return ExitCodes.LoadFailed;
        }

        using var board = createBoard();
        ElfFile? elf = null;
        try
        {
            if (data.Length >= 4 && data[0] == 0x7F && data[1] == (byte)'E' && data[2] == (byte)'L' && data[3] == (byte)'F')
            {
                LinuxKernelBoot.LoadElf(board, elf = ElfFile.Parse(data), kernelBoot);
                if (ImageChecks.ArchitectureHint(data, board.Cpu.Model, path, board.Cpu.Model.Arch < ArchVersion.V7 ? " (and -M vexpress-a9 for a Cortex-A9 board)" : "") is { } hint)
                    Console.Error.WriteLine(hint);
            }
            else if (ImageChecks.TextFileKind(data) is { } text)
            {
                Console.Error.WriteLine($"armemu: {path} is {text}, not an ELF image or a raw binary to boot");
                return ExitCodes.LoadFailed;
            }
            else if (rawPlacement is { } raw)
                board.LoadRaw(data, raw.Load, raw.Entry);
            else
            {
                var layout = LinuxKernelBoot.LoadImage(board, data, kernelBoot);
                Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"armemu: {path} is not ELF: booted as qemu-system-arm boots a kernel image (at 0x{layout.Kernel:x8}, through the boot stub at 0x{layout.Stub:x8}: r0=0, r1=0x{layout.MachineId:x}, r2=0x{layout.BootParameters:x8} {(layout.DeviceTree ? "device tree" : "ATAGs")}); --load-addr loads it as it is"));
            }
        }
        catch (Exception e) when (e is ElfFormatException or ArgumentException or DeviceTreeFormatException)
        {
            Console.Error.WriteLine($"armemu: {path}: {e.Message}");
            return ExitCodes.LoadFailed;
        }

        prepare(board);
        ProfilingSession? session = null;
        if (profiling.Profiling)
        {
            var code = new CodeMap();
            // A raw image has no symbols: its code is named by address.
            if (elf is not null) code.Add(CodeObject.FromElf(Path.GetFullPath(path), elf, 0));
            session = new ProfilingSession(board.Cpu, code, board.Caches, profiling.Region);
            if (elf is null && rawPlacement is { } placed) session.AddRawImage(data, placed.Load); // the guest's client requests
            if (!profiling.AddSymbolsTo(session)) return ExitCodes.Usage;
        }
        using var traceFile = profiling.Trace is { } t ? ProfileOptions.OpenTrace(t) : null;
        var tracer = traceFile is null ? null : new InstructionTracer(board.Cpu, traceFile, profiling.From, profiling.To);
        var clock = Stopwatch.StartNew();
        MachineStop stop;
        if (gdb is null) stop = board.Run(limit);
        else
        {
            using var listener = GdbCommandLine.Listen(gdb);
            if (listener is null) return ExitCodes.Usage;
            var target = new Emulator.Gdb.BareMetalTarget(board) { InstructionLimit = limit };
            using var stub = new Emulator.Gdb.GdbStub(target, listener, Console.Error);
            var end = stub.Run(waitForClient: gdb.Wait);
            if (end.Kind == Emulator.Gdb.GdbRunEndKind.Killed) return 0; // as qemu-system-arm's k
            stop = end.Kind == Emulator.Gdb.GdbRunEndKind.InstructionLimit ? MachineStop.InstructionLimit : target.LastStop;
        }
        clock.Stop();
        tracer?.Dispose();
        if (session is not null) ProfileOptions.Finish(profiling, session, path);
        ulong instructions = board.Cpu.InstructionsExecuted;
        double seconds = clock.Elapsed.TotalSeconds, mips = seconds > 0 ? instructions / seconds / 1e6 : 0;
        if (printStats)
        {
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"armemu: {instructions} instructions in {seconds:F3} s: {mips:F1} MIPS"));
            CacheCommandLine.PrintStats(board.Caches, Console.Error);
            EngineCommandLine.PrintStats(board.Cpu, Console.Error);
            CodeStoreStats.Print(board.Cpu, Console.Error);
        }
        if (statsJson is not null)
            File.WriteAllText(statsJson, JsonSerializer.Serialize(new { instructions, seconds, mips, idleCycles = board.Clock.IdleCycles, caches = CacheCommandLine.StatsJson(board.Caches) }));
        if (screenshot is not null)
        {
            if (board.Clcd is null) Console.Error.WriteLine("armemu: --screenshot: this board's LCD controller is not modelled yet; no file written");
            else if (!Screenshot.Write(board.Clcd, new FileInfo(screenshot))) return ExitCodes.Usage;
        }
        if (board.KernelPanic is { } panic && stop != MachineStop.InstructionLimit)
        {
            // Rebooted (panic=N), powered off by the watch at the panic's last line, or halted.
            Console.Error.WriteLine($"armemu: the guest's kernel panicked: {panic}");
            return 1;
        }
        switch (stop)
        {
            case MachineStop.Exited:
                return board.ExitStatus!.Value;
            case MachineStop.InstructionLimit:
                Console.Error.WriteLine($"armemu: stopped after {instructions} instructions (--max-insns) at pc 0x{board.Cpu.PC:x8}");
                return ExitCodes.InstructionLimit;
            case MachineStop.WaitingForever:
                Console.Error.WriteLine($"armemu: the guest waits for an interrupt (WFI at pc 0x{board.Cpu.PC - (board.Cpu.T ? 2 : 4):x8}) and none can arrive");
                return ExitCodes.GuestHalted;
            default:
                Console.Error.WriteLine($"armemu: the guest spins at pc 0x{board.Cpu.PC:x8} with IRQ and FIQ masked and can make no progress");
                return ExitCodes.GuestHalted;
        }
    }


    private static bool TryParseAddress(string text, out uint value)
    {
        text = text.Trim();
        return text.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? uint.TryParse(text[2..], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out value)
            : uint.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }

    private static bool TryParseSize(string text, uint maxMiB, out uint bytes)
    {
        bytes = 0;
        text = text.Trim();
        if (text.Length == 0) return false;
        ulong multiplier = char.ToUpperInvariant(text[^1]) switch { 'K' => 1UL << 10, 'M' => 1UL << 20, 'G' => 1UL << 30, _ => 1 };
        if (multiplier != 1) text = text[..^1];
        if (!ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out ulong n)) return false;
        ulong size = n * multiplier;
        // Versatile PB: RAM at 0 below the devices at 0x10000000, at most 256 MiB; vexpress-a9: at
        // 0x60000000, at most 1 GiB (as QEMU). Whole pages.
        if (size < 1UL << 20 || size > (ulong)maxMiB << 20 || (size & 0xFFF) != 0) return false;
        bytes = (uint)size;
        return true;
    }
}
