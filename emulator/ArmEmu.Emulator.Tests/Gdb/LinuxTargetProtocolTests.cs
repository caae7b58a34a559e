using System.Buffers.Binary;
using System.Net;
using ArmEmu.Emulator.Gdb;
using ArmEmu.Emulator.Linux;
using ArmEmu.TestSupport;

namespace ArmEmu.Emulator.Tests.Gdb;

/// <summary>
/// The stub on a Linux user-mode process: the auxiliary vector and the executable's path,
/// a guest signal stopping the program before delivery (T0b, with its siginfo), the signal
/// passed on killing it (X0b), and a normal exit (W).
/// </summary>
public sealed class LinuxTargetProtocolTests
{
    // A store to an unmapped page from _start: SIGSEGV with si_addr 0xffc.
    private const string FaultSource = """
        volatile int *target = (volatile int *)0xffc;
        void _start(void)
        {
            *target = 42;
            for (;;) { }
        }
        """;

    private static readonly Lazy<string> FaultProgram = new(() =>
    {
        string dir = Path.Combine(Path.GetTempPath(), "armemu-build-cache", "gdb-tests");
        Directory.CreateDirectory(dir);
        string output = Path.Combine(dir, $"fault-{GnuToolchain.Hash(FaultSource)}.elf");
        if (File.Exists(output)) return output;
        string c = Path.Combine(dir, $"fault-{Environment.ProcessId}-{Guid.NewGuid():N}.c");
        File.WriteAllText(c, FaultSource);
        GnuToolchain.Run("arm-linux-gnueabi-gcc", $"-O1 -static -nostdlib -o {output}.tmp {c}", "gcc-arm-linux-gnueabi");
        File.Move(output + ".tmp", output, overwrite: true);
        File.Delete(c);
        return output;
    });

    /// <summary>
    /// Runs <paramref name="session"/> against a stub serving <paramref name="program"/>; the
    /// process is disposed only once the stub's thread has stopped running it.
    /// </summary>
    internal static void WithStub(string program, Action<LinuxProcess, GdbStub, Task<GdbRunEnd>> session)
    {
        var process = new LinuxProcess(program, new LinuxProcessOptions { Arguments = [program], Environment = [] });
        var stub = new GdbStub(new LinuxProcessTarget(process), GdbStub.Listen(IPAddress.Loopback, 0), null);
        var run = Task.Run(() => stub.Run(waitForClient: true));
        try
        {
            session(process, stub, run);
        }
        finally
        {
            stub.Shutdown();
            if (!run.IsCompleted)
                using (var unblock = new System.Net.Sockets.TcpClient())
                    unblock.Connect(IPAddress.Loopback, stub.Port);
            bool stopped = run.Wait(TimeSpan.FromSeconds(20));
            stub.Dispose();
            if (stopped) process.Dispose();
        }
    }

    internal static GdbRunEnd Finish(Task<GdbRunEnd> run)
    {
        Assert.True(run.Wait(TimeSpan.FromSeconds(30)), "the stub did not finish");
        return run.Result;
    }

    [Fact]
    public void AuxvAndExecFileDescribeTheProcess()
    {
        string program = FaultProgram.Value;
        WithStub(program, (process, stub, run) =>
        {
            using var gdb = new ScriptedGdbClient(stub.Port);
            string supported = gdb.Ask("qSupported:swbreak+");
            Assert.Contains("qXfer:auxv:read+", supported);
            Assert.Contains("qXfer:exec-file:read+", supported);
            Assert.Contains("qXfer:siginfo:read+", supported);
            Assert.Equal("0", gdb.Ask("qAttached"));                   // the stub started it: gdb kills it on quit
            Assert.Equal("l" + Path.GetFullPath(program), gdb.Ask("qXfer:exec-file:read::0,1000"));
            string auxv = gdb.Ask("qXfer:auxv:read::0,1000");
            Assert.StartsWith("l", auxv);
            var pairs = System.Text.Encoding.Latin1.GetBytes(auxv[1..]);
            Assert.Equal(0, pairs.Length % 8);
            var entries = Enumerable.Range(0, pairs.Length / 8)
                .Select(i => (Type: BinaryPrimitives.ReadUInt32LittleEndian(pairs.AsSpan(8 * i)), Value: BinaryPrimitives.ReadUInt32LittleEndian(pairs.AsSpan(8 * i + 4))))
                .ToList();
            Assert.Contains((6u, 4096u), entries);                      // AT_PAGESZ
            Assert.Contains((9u, process.Executable.Entry), entries);   // AT_ENTRY
            Assert.Equal((0u, 0u), entries[^1]);                        // AT_NULL ends it
            Assert.Equal("E01", gdb.Ask("qXfer:siginfo:read::0,80"));  // no signal yet
            gdb.Send("k");
            Assert.Equal(GdbRunEndKind.Killed, Finish(run).Kind);
        });
    }

    [Fact]
    public void ASignalStopsTheProgramBeforeDeliveryThenKillsItWhenPassed()
    {
        WithStub(FaultProgram.Value, (process, stub, run) =>
        {
            using var gdb = new ScriptedGdbClient(stub.Port);
            uint entry = process.Cpu.PC;
            string thread = process.Kernel.InitialProcess.Pid.ToString("x", System.Globalization.CultureInfo.InvariantCulture); // the main thread's tid is the pid
            Assert.Equal($"T0bthread:{thread};", gdb.Ask("c"));
            uint pc = BitConverter.ToUInt32(Convert.FromHexString(gdb.Ask("pf")));
            Assert.NotEqual(entry, pc);
            Assert.Null(process.Kernel.ExitStatus);                    // not delivered yet
            Assert.Equal("E01", gdb.Ask("mffc,4"));                     // the fault address is not mapped
            // The siginfo the guest would get: si_signo 11, si_code SEGV_MAPERR (1), si_addr 0xffc.
            var info = System.Text.Encoding.Latin1.GetBytes(gdb.Ask("qXfer:siginfo:read::0,80")[1..]);
            Assert.Equal(11, BinaryPrimitives.ReadInt32LittleEndian(info));
            Assert.Equal(1, BinaryPrimitives.ReadInt32LittleEndian(info.AsSpan(8)));
            Assert.Equal(0xffcu, BinaryPrimitives.ReadUInt32LittleEndian(info.AsSpan(12)));
            Assert.Equal($"T0bthread:{thread};", gdb.Ask("c"));        // dropped: the store faults again
            Assert.Equal(pc, BitConverter.ToUInt32(Convert.FromHexString(gdb.Ask("pf"))));
            Assert.Equal("X0b", gdb.Ask("C0b"));                        // passed on: the default action kills it
            var end = Finish(run);
            Assert.Equal(GdbRunEndKind.Signalled, end.Kind);
            Assert.Equal(11, end.Code);
            Assert.Equal(128 + 11, process.Kernel.ExitStatus);
        });
    }

    [Fact]
    public void AnExitIsReportedWithItsStatus()
    {
        string program = ElfTestBinaries.PathOf("static-pie"); // exits with add_thumb(7, 6) = 49
        WithStub(program, (process, stub, run) =>
        {
            using var gdb = new ScriptedGdbClient(stub.Port);
            Assert.Equal("W31", gdb.Ask("c"));
            var end = Finish(run);
            Assert.Equal(GdbRunEndKind.Exited, end.Kind);
            Assert.Equal(49, end.Code);
        });
    }
}
