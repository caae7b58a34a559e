using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using ArmEmu.TestSupport;

namespace ArmEmu.GuestTests.Gdb;

/// <summary>
/// gdb-multiarch in batch mode against the stub (guest-tests/gdb/): the same script against
/// <c>armemu run -g</c> and <c>qemu-arm -g</c>, and against <c>armemu system -S --gdb</c> and
/// <c>qemu-system-arm -S -gdb</c>; the transcripts must be equal once wording is normalised
/// (<see cref="Normalise"/>). The monitor commands are checked on the LCD/DMA seed. Every
/// process runs on its own free port with a time limit.
/// </summary>
public sealed partial class GdbTranscriptTests
{
    private static readonly string GdbDir = Path.Combine(RepositoryRoot.Path, "guest-tests", "gdb");
    private static readonly string SystemCommon = Path.Combine(RepositoryRoot.Path, "guest-tests", "system", "common");
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(120);

    [Fact]
    public void LinuxSessionMatchesQemuArm()
    {
        string program = BuildLinux("frames");
        string script = Path.Combine(GdbDir, "session.gdb");
        string ours = Session(program, script, port => Start(ArmEmuCli.Path, ["run", "-g", port.ToString(CultureInfo.InvariantCulture), program]));
        // qemu-arm has no watchpoints in user mode: gdb watches in software there (the same stops, other wording).
        string theirs = Session(program, script, port => Start("qemu-arm", ["-cpu", "arm926", "-g", port.ToString(CultureInfo.InvariantCulture), program]),
                                "set can-use-hw-watchpoints 0");
        AssertSameSession(theirs, ours);
        string normal = Normalise(ours);
        Assert.Contains("Breakpoint 1, leaf (x=1) at", normal);
        Assert.Contains("#3  0x", normal);                              // a backtrace through main, middle, top
        Assert.Contains("Value returned is $2 = 3", normal);             // finish
        Assert.Contains("Old value = 4", normal);                        // the write watchpoint
        Assert.Contains("New value = 9", normal);
        Assert.Contains("exited with code 044]", normal);                 // 36: total & 0x3f
        Assert.Matches(@"(?m)^cpsr 0x80000010$", normal);              // User mode, N set by the loop's compare
    }

    [Fact]
    public void ThreadSessionMatchesQemuArm()
    {
        string program = BuildLinux("threads", "-pthread");
        string script = Path.Combine(GdbDir, "threads.gdb");
        string ours = Session(program, script, port => Start(ArmEmuCli.Path, ["run", "-g", port.ToString(CultureInfo.InvariantCulture), program]));
        // qemu-arm runs the guest's threads on host threads, so where its main thread is when the
        // worker hits the breakpoint is a race: nearly always already waiting in pthread_join, as
        // it always is here (one CPU, a deterministic scheduler), but now and then still in the
        // kuser memory barrier (0xffff0fa0) on its way there (a CI run, 11f350f). The oracle's
        // session is run again, up to five times, until its main thread is where ours is.
        string theirs = "";
        for (int attempt = 0; attempt < 5; attempt++)
        {
            theirs = Session(program, script, port => Start("qemu-arm", ["-cpu", "arm926", "-g", port.ToString(CultureInfo.InvariantCulture), program]));
            if (MainThreadWaits().IsMatch(Normalise(theirs))) break;
        }
        AssertSameSession(theirs, ours);
        string normal = Normalise(ours);
        // The breakpoint stops the worker (gdb's thread 2); both threads are listed, the main one in pthread_join.
        Assert.Contains("[New Thread T1]", normal);
        Assert.Contains("Thread 2 hit Breakpoint 1, add (x=7) at", normal);
        Assert.Matches(MainThreadWaits(), normal);
        Assert.Matches(@"(?m)^\* 2 Thread T1 add \(x=7\) at \S*threads.c:9$", normal);
        Assert.Matches(@"#2  0x[0-9a-f]+ in worker \(arg=0x6\) at \S*threads.c:15", normal); // bt in the worker
        Assert.Contains("[Switching to thread 1 (Thread T2)]", normal);
        Assert.Contains("Value returned is $6 = (void *) 0xf", normal);                 // finish in the worker
        // Stepping the main thread while it waits: the worker runs to its end, then one instruction of main's.
        Assert.Matches(@"(?m)^\* 1 Thread T2 0x[0-9a-f]+ in __futex_abstimed_wait_common \(\)$", normal);
        Assert.Contains("exited with code 017]", normal);
        // Thread names come from qXfer:threads (the task's comm: the program's name, cut to 15 bytes), which qemu-arm 7.2 does not offer.
        Assert.Contains($"Thread 2 \"{Path.GetFileName(program)[..15]}\" hit Breakpoint 1", ours);
    }

    [Fact]
    public void VfpRegistersMatchQemuArmOnACortexA9()
    {
        string program = BuildLinux("vfp", "-march=armv7-a -marm -mfloat-abi=softfp -mfpu=vfpv3");
        string script = Path.Combine(GdbDir, "vfp.gdb");
        string ours = Session(program, script, port => Start(ArmEmuCli.Path, ["run", "--cpu", "cortex-a9", "-g", port.ToString(CultureInfo.InvariantCulture), program]));
        string theirs = Session(program, script, port => Start("qemu-arm", ["-cpu", "cortex-a9", "-g", port.ToString(CultureInfo.InvariantCulture), program]));
        AssertSameSession(theirs, ours, FloatingPointRegisters);
        string normal = Normalise(ours, FloatingPointRegisters);
        Assert.Contains("Value returned is $2 = 4.875", normal);
        Assert.Contains("$3 = 4.875", normal);                          // d16 and d17: the product and the 0.5 added
        Assert.Contains("$4 = 0.5", normal);
        Assert.Contains("$5 = 3.5", normal);                            // s15: the float argument
        Assert.Contains("$7 = 2.5", normal);                            // P on d5 ...
        Assert.Contains("$8 = 0x0", normal);                            // ... whose low half is s10
        Assert.Contains("$9 = 2.0625", normal);                         // and high half s11 (2.5's top word, 0x40040000, as a float)
        Assert.Matches(@"\$10 = 0x[0-9a-f]*3fc00000\n", normal);          // s2 = 1.5 written into d1's low half
        Assert.Contains("$11 = 0x3c00000", normal);                     // fpscr written (DN, FZ, RMode)
        Assert.Matches(@"(?m)^d31 +\{u8 = ", normal);                   // the NEON view of all 32 d registers
        Assert.Matches(@"(?m)^s31 +", normal);
        Assert.Matches(@"(?m)^fpexc 0x40000000$", normal);
        // q registers are pairs of d ones, low half first (Q[n] = D[2n+1]:D[2n], DDI 0406C A2.6.1):
        // q8 = d17:d16 holds 4.875 then 0.5. qemu-arm 7.2 sends the halves swapped and names q10 twice
        // (no q11), so q lines are not compared; they are checked here.
        Assert.Contains("q8             {u8 = {0x0, 0x0, 0x0, 0x0, 0x0, 0x80, 0x13, 0x40, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0xe0, 0x3f}", ours);
        Assert.Contains("u64 = {0x4013800000000000, 0x3fe0000000000000}", ours);
        Assert.Matches(@"(?m)^q11 +", ours);
        Assert.Contains("exited with code 04]", normal);
    }

    private static readonly string[] FloatingPointRegisters = ["fpscr", "fpsid", "fpexc"];

    [Fact]
    public void LinuxSignalReachesGdbThenKillsTheProgram()
    {
        string program = BuildLinux("segv");
        string script = Path.Combine(GdbDir, "segv.gdb");
        string ours = Session(program, script, port => Start(ArmEmuCli.Path, ["run", "-g", port.ToString(CultureInfo.InvariantCulture), program]));
        string theirs = Session(program, script, port => Start("qemu-arm", ["-cpu", "arm926", "-g", port.ToString(CultureInfo.InvariantCulture), program]));
        AssertSameSession(theirs, ours);
        string normal = Normalise(ours);
        Assert.Contains("Program received signal SIGSEGV, Segmentation fault.", normal);
        Assert.Contains("poke (value=42) at", normal);
        Assert.Contains("$3 = (volatile int *) 0xffc", normal);
        Assert.Contains("Program terminated with signal SIGSEGV, Segmentation fault.", normal);
    }

    [Fact]
    public void SystemSessionMatchesQemuSystemArm()
    {
        string image = BuildBareMetal("bare_frames");
        string script = Path.Combine(GdbDir, "session.gdb");
        string ours = Session(image, script, port => Start(ArmEmuCli.Path, ["system", "-S", "--gdb", $"tcp::{port}", image]));
        string theirs = Session(image, script, port => Start("qemu-system-arm",
        [
            "-M", "versatilepb", "-cpu", "arm926", "-m", "128M", "-nographic", "-monitor", "none",
            "-chardev", "stdio,id=console,mux=on", "-serial", "chardev:console",
            "-semihosting-config", "enable=on,target=native,chardev=console", "-kernel", image, "-S", "-gdb", $"tcp::{port}",
        ]));
        AssertSameSession(theirs, ours);
        string normal = Normalise(ours);
        Assert.Contains("Breakpoint 1, leaf (x=1) at", normal);
        Assert.Contains("Hardware watchpoint 2: counter", ours);
        Assert.Contains("New value = 9", normal);
        Assert.Contains("exited with code 044]", normal);
    }

    [Fact]
    public void MonitorCacheShowsTheDirtyBackBufferBeforeTheFlushAndNothingAfter()
    {
        string image = BuildSeed("lcd_dma.flush");
        string transcript = Session(image, Path.Combine(GdbDir, "monitor_cache.gdb"),
            port => Start(ArmEmuCli.Path, ["system", "-S", "--gdb", $"tcp::{port}", image]));
        int flush = transcript.IndexOf("Breakpoint 2,", StringComparison.Ordinal);
        Assert.True(flush > 0, transcript);
        string before = transcript[..flush], after = transcript[flush..];
        // Before arm926_flush_kern_cache_all: the last lines of the back buffer are dirty in the D-cache,
        // newer than RAM (what the DMA would copy without the flush).
        Assert.Matches(@"0x002257a0 \(pa 0x002257a0\):\n  L1 D +set +\d+ way \d valid, dirty, differs from memory", before);
        Assert.Matches(@"0x002257c0 \(pa 0x002257c0\):\n  L1 D +set +\d+ way \d valid, dirty, differs from memory", before);
        // After it: cleaned and invalidated, nothing cached, nothing waiting in the write buffer.
        Assert.Contains("0x002257a0 (pa 0x002257a0): not cached", after);
        Assert.Contains("0x002257c0 (pa 0x002257c0): not cached", after);
        Assert.DoesNotContain("dirty", after);
        Assert.Matches(@"D-cache: 128 sets x 4 ways x 32 bytes; \d+ reads", after);
        Assert.Matches(@"\d+ instructions", after);
        Assert.Contains("exited normally]", after);
    }

    [Fact]
    public void MonitorTlbShowsTheVmsaV7EntriesWithAsidDomainAndAttributes()
    {
        string image = BuildVexpressBareMetal("tlb_v7");
        string transcript = Session(image, Path.Combine(GdbDir, "tlb_v7.gdb"),
            port => Start(ArmEmuCli.Path, ["system", "--machine", "vexpress-a9", "--cpu", "cortex-a9", "-S", "--gdb", $"tcp::{port}", image]));
        Assert.Matches(@"MMU on, TTBR0 0x60400000, TTBR1 0x00000000, TTBCR 0x0, DACR 0x55555555, ASID 5, \d+ TLB entries", transcript);
        // Worked out from tlb_v7.c's descriptors (DDI 0406C B3.5.1): the supersection (global, domain 0),
        // the nG section under ASID 5 (domain 3, AP 010, TEX 001 C B, XN), the nG small page (its
        // table's domain 2, AP 011, TEX 000 C, S), and the global section the code runs from.
        Assert.Contains("  va 0x72000000 -> pa 0x60000000  16M global   domain  0 AP 011 TEX 000 ---\n", transcript);
        Assert.Contains("  va 0x70000000 -> pa 0x60500000   1M asid 5   domain  3 AP 010 TEX 001 CB- XN\n", transcript);
        Assert.Contains("  va 0x70101000 -> pa 0x60501000   4K asid 5   domain  2 AP 011 TEX 000 C-S\n", transcript);
        Assert.Contains("  va 0x60000000 -> pa 0x60000000   1M global   domain  0 AP 011 TEX 000 ---\n", transcript);
        Assert.Contains("exited normally]", transcript);
    }

    // ---- sessions ------------------------------------------------------------------------------

    /// <summary>Starts the emulator on a free port, runs gdb's script against it, returns gdb's transcript.</summary>
    private static string Session(string program, string script, Func<int, Process> start, string? beforeConnect = null)
    {
        int port = FreePort();
        using var emulator = start(port);
        var emulatorOutput = Drain(emulator);
        try
        {
            var args = new List<string> { "-batch", "-nx", "-ex", $"file {program}" };
            if (beforeConnect is not null) args.AddRange(["-ex", beforeConnect]);
            // gdb retries a refused connection (set tcp auto-retry, 15 s) while the emulator starts.
            args.AddRange(["-ex", $"target remote 127.0.0.1:{port}", "-x", script]);
            // One stream, in gdb's order (the monitor's output goes to gdb's stderr).
            var gdb = ArmEmuCli.RunTool("bash", ["-c", "exec gdb-multiarch \"$@\" 2>&1", "gdb", .. args], GdbDir, environment: null, stdinPath: null, Limit);
            Assert.True(emulator.WaitForExit(Limit), "the emulator did not exit after the session");
            return gdb.StdoutText;
        }
        catch (Exception) when (Kill(emulator))
        {
            throw;
        }
        finally
        {
            _ = emulatorOutput;
        }
    }

    private static bool Kill(Process process)
    {
        try
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
        }
        return false;
    }

    private static Process Start(string file, IReadOnlyList<string> arguments)
    {
        var psi = new ProcessStartInfo(file)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = GdbDir,
        };
        foreach (string a in arguments) psi.ArgumentList.Add(a);
        psi.Environment["QEMU_AUDIO_DRV"] = "none";
        var process = Process.Start(psi) ?? throw new InvalidOperationException($"cannot start {file}");
        process.StandardInput.Close();
        return process;
    }

    private static Task<string> Drain(Process process) =>
        Task.WhenAll(process.StandardOutput.ReadToEndAsync(), process.StandardError.ReadToEndAsync()).ContinueWith(t => string.Concat(t.Result));

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private static void AssertSameSession(string qemu, string armemu, IReadOnlyCollection<string>? alsoCompared = null)
    {
        string expected = Normalise(qemu, alsoCompared), actual = Normalise(armemu, alsoCompared);
        if (expected != actual)
            Assert.Fail($"the sessions differ after normalising\n--- qemu ---\n{expected}\n--- armemu ---\n{actual}\n--- raw armemu ---\n{armemu}");
    }

    /// <summary>
    /// What may differ between the two transcripts, and nothing else:
    /// - warnings (gdb's note that the stub offers no vFile transfer);
    /// - registers outside the ARM core set (and <paramref name="alsoCompared"/>): QEMU also
    ///   describes CP15 registers, and no fpscr on the arm926 (ArmEmu describes its VFPv2);
    /// - q registers: qemu-arm 7.2 sends their two halves swapped and names q10 twice;
    /// - the decimal column of <c>info registers</c> (it follows from the hex one);
    /// - stack addresses: the stacks of qemu-arm and armemu start at different addresses
    ///   (README: known differences); every number within 1 MiB below the initial SP (the
    ///   script's first line, <c>p/x $sp</c> at the entry point) or 64 KiB above it becomes
    ///   SP0 + offset, so frames and pointers into the stack must still agree;
    /// - CPSR bit 8: QEMU sets the A bit at reset on every core, but ARMv5 has no A bit
    ///   (DDI 0100 A2.5: bits 8-23 are reserved there), so ArmEmu keeps it clear;
    /// - "Hardware watchpoint" against "Watchpoint" (qemu-arm watches in software);
    /// - "(process N)" against "(Remote target)" (the process ids differ: qemu-arm calls every
    ///   process 1);
    /// - thread ids: the tids are the host's under qemu-arm and the guest kernel's here, so
    ///   each pPID.TID becomes T1, T2... in order of first appearance;
    /// - thread names and extra information: ArmEmu names threads by their comm through
    ///   qXfer:threads, qemu-arm 7.2 has no names and says "(CPU#n [running])";
    /// - runs of spaces in the lines that name threads (gdb sizes the columns of
    ///   <c>info threads</c> to the longest entry).
    /// </summary>
    internal static string Normalise(string transcript, IReadOnlyCollection<string>? alsoCompared = null)
    {
        var lines = transcript.Replace("\r", "").Split('\n').Where(l => !l.StartsWith("warning:", StringComparison.Ordinal)).ToList();
        long? sp0 = null;
        foreach (string l in lines)
        {
            var m = FirstValue().Match(l);
            if (m.Success)
            {
                sp0 = long.Parse(m.Groups[1].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                break;
            }
        }
        var result = new StringBuilder();
        var threadIds = new Dictionary<string, string>();
        foreach (string line in lines)
        {
            string l = line;
            var register = RegisterLine().Match(l);
            if (QuadRegister().IsMatch(l)) continue;
            if (register.Success)
            {
                string name = register.Groups[1].Value;
                if (!CoreRegisters.Contains(name) && alsoCompared?.Contains(name) != true) continue;
                string value = register.Groups[2].Value;
                if (name == "cpsr") value = $"0x{uint.Parse(value[2..], NumberStyles.HexNumber, CultureInfo.InvariantCulture) & ~0x100u:x}";
                l = $"{name} {value}";
            }
            if (sp0 is long sp)
                l = HexNumber().Replace(l, m =>
                {
                    long v = long.Parse(m.Value[2..], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                    long offset = v - sp;
                    return offset is >= -(1 << 20) and < (64 << 10) ? $"SP0{offset:+#;-#;+0}" : m.Value;
                });
            l = l.Replace("Hardware watchpoint", "Watchpoint");
            l = ProcessName().Replace(l, "(Remote target)");
            l = ThreadId().Replace(l, m =>
            {
                if (!threadIds.TryGetValue(m.Value, out string? label)) threadIds[m.Value] = label = $"T{threadIds.Count + 1}";
                return "Thread " + label;
            });
            l = ThreadName().Replace(l, "$1");
            l = CpuInfo().Replace(l, "");
            if (l.Contains("Thread ", StringComparison.Ordinal) || l.Contains("Target Id", StringComparison.Ordinal)) l = Spaces().Replace(l, " ");
            result.Append(l).Append('\n');
        }
        return result.ToString().TrimEnd('\n');
    }

    private static readonly HashSet<string> CoreRegisters =
        [.. Enumerable.Range(0, 13).Select(i => $"r{i}"), "sp", "lr", "pc", "cpsr"];

    /// <summary><c>info threads</c> at the breakpoint: the main thread (gdb's 1) waiting in pthread_join.</summary>
    [GeneratedRegex(@"(?m)^ 1 Thread T2 0x[0-9a-f]+ in __futex_abstimed_wait_common \(\)$")]
    private static partial Regex MainThreadWaits();

    [GeneratedRegex(@"^\$1 = 0x([0-9a-f]+)$")]
    private static partial Regex FirstValue();

    [GeneratedRegex(@"^([A-Za-z_][A-Za-z0-9_]*)\s+(0x[0-9a-f]+)\s+.*$")]
    private static partial Regex RegisterLine();

    [GeneratedRegex(@"0x[0-9a-f]{5,8}\b")]
    private static partial Regex HexNumber();

    [GeneratedRegex(@"\(process \d+\)")]
    private static partial Regex ProcessName();

    [GeneratedRegex(@"^q\d+ +\{")]
    private static partial Regex QuadRegister();

    [GeneratedRegex(@"Thread \d+\.\d+")]
    private static partial Regex ThreadId();

    [GeneratedRegex(@"(Thread \w+) ""[^""]*""")]
    private static partial Regex ThreadName();

    [GeneratedRegex(@" \(CPU#\d+ \[[a-z ]+\]\)")]
    private static partial Regex CpuInfo();

    [GeneratedRegex(@" {2,}")]
    private static partial Regex Spaces();

    // ---- builds (cached by a hash of the sources and flags) ---------------------------------------

    private static string BuildLinux(string name, string extraFlags = "")
    {
        string source = Path.Combine(GdbDir, name + ".c");
        string flags = "-g -O0 -static " + extraFlags;
        return Cached(name, flags + File.ReadAllText(source), output =>
            GnuToolchain.Run("arm-linux-gnueabi-gcc", $"{flags} -o {output} {source}", "gcc-arm-linux-gnueabi"));
    }

    private static string BuildBareMetal(string name)
    {
        string source = Path.Combine(GdbDir, name + ".c");
        string flags = $"-mcpu=arm926ej-s -marm -O0 -g -ffreestanding -nostdlib -I{SystemCommon} -T {Path.Combine(SystemCommon, "link.ld")}";
        string inputs = flags + File.ReadAllText(source) + string.Concat(Directory.GetFiles(SystemCommon).Order(StringComparer.Ordinal).Select(File.ReadAllText));
        return Cached(name, inputs, output => GnuToolchain.Run("arm-none-eabi-gcc",
            $"{flags} -o {output} {Path.Combine(SystemCommon, "start.S")} {Path.Combine(SystemCommon, "runtime.c")} {source} -lgcc", "gcc-arm-none-eabi"));
    }

    /// <summary>A program of guest-tests/gdb for the vexpress-a9 board (its start.S and link.ld), with debug information; ARMv5TE code as the board's other programs (guest-tests/system/vexpress-a9/build.sh).</summary>
    private static string BuildVexpressBareMetal(string name)
    {
        string source = Path.Combine(GdbDir, name + ".c");
        string board = Path.Combine(RepositoryRoot.Path, "guest-tests", "system", "vexpress-a9", "common");
        string flags = $"-march=armv5te -mtune=cortex-a9 -marm -mfloat-abi=soft -O1 -g -ffreestanding -nostdlib -I{board} -I{SystemCommon} -T {Path.Combine(board, "link.ld")}";
        string inputs = flags + File.ReadAllText(source) + string.Concat(Directory.GetFiles(board).Concat(Directory.GetFiles(SystemCommon))
            .Order(StringComparer.Ordinal).Select(File.ReadAllText));
        return Cached(name, inputs, output => GnuToolchain.Run("arm-none-eabi-gcc",
            $"{flags} -o {output} {Path.Combine(board, "start.S")} {Path.Combine(SystemCommon, "runtime.c")} {source} -lgcc", "gcc-arm-none-eabi"));
    }

    private static string BuildSeed(string scenario)
    {
        string seeds = Path.Combine(RepositoryRoot.Path, "guest-tests", "seeds");
        string inputs = string.Concat(Directory.GetFiles(seeds).Concat(Directory.GetFiles(Path.Combine(seeds, "common"))).Concat(Directory.GetFiles(SystemCommon))
            .Where(f => !f.EndsWith(".png", StringComparison.Ordinal)).Order(StringComparer.Ordinal).Select(File.ReadAllText));
        return Cached(scenario, inputs, output =>
        {
            string dir = output + ".d";
            GnuToolchain.Run("bash", $"\"{Path.Combine(seeds, "build.sh")}\" \"{dir}\" {scenario}", "gcc-arm-none-eabi");
            File.Move(Path.Combine(dir, scenario + ".elf"), output, overwrite: true);
            Directory.Delete(dir, recursive: true);
        });
    }

    private static string Cached(string name, string inputs, Action<string> build)
    {
        string cache = Path.Combine(Environment.GetEnvironmentVariable("ARMEMU_BUILD_CACHE") ?? Path.Combine(Path.GetTempPath(), "armemu-build-cache"), "gdb");
        Directory.CreateDirectory(cache);
        string output = Path.Combine(cache, $"{name}-{GnuToolchain.Hash(inputs)}.elf");
        if (File.Exists(output)) return output;
        string work = $"{output}.{Environment.ProcessId}.{Guid.NewGuid():N}";
        build(work);
        File.Move(work, output, overwrite: true);
        return output;
    }
}
