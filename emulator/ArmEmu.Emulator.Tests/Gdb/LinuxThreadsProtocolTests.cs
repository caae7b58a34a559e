using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using ArmEmu.Emulator.Gdb;
using ArmEmu.Emulator.Linux;
using ArmEmu.TestSupport;

namespace ArmEmu.Emulator.Tests.Gdb;

/// <summary>
/// The stub on a Linux process with two threads, packet by packet: a breakpoint in the worker
/// stops every thread and names the worker in the stop reply; qfThreadInfo, qXfer:threads,
/// T, qC list the guest tids (pPID.TID once gdb asks for multiprocess ids); Hg selects whose
/// registers g/p/P address, the switched-out main thread's saved ones included; vCont steps a
/// thread that waits in pthread_join (every thread runs until it has run an instruction); a
/// thread that has gone is no longer listed.
/// </summary>
public sealed class LinuxThreadsProtocolTests
{
    private const string Source = """
        #include <pthread.h>
        volatile int stage;
        void __attribute__((noinline)) worker_stop(void) { stage = 2; }
        void *worker(void *arg) { worker_stop(); return arg; }
        int main(void)
        {
            pthread_t thread;
            void *result;
            stage = 1;
            pthread_create(&thread, 0, worker, (void *)5);
            pthread_join(thread, &result);
            return (int)result;
        }
        """;

    private static readonly Lazy<string> Program = new(() =>
    {
        string dir = Path.Combine(Path.GetTempPath(), "armemu-build-cache", "gdb-tests");
        Directory.CreateDirectory(dir);
        string output = Path.Combine(dir, $"threads-{GnuToolchain.Hash(Source)}.elf");
        if (File.Exists(output)) return output;
        string c = Path.Combine(dir, $"threads-{Environment.ProcessId}-{Guid.NewGuid():N}.c");
        File.WriteAllText(c, Source);
        GnuToolchain.Run("arm-linux-gnueabi-gcc", $"-O1 -static -pthread -o {output}.tmp {c}", "gcc-arm-linux-gnueabi");
        File.Move(output + ".tmp", output, overwrite: true);
        File.Delete(c);
        return output;
    });

    private static string Hex(int value) => value.ToString("x", CultureInfo.InvariantCulture);

    private static uint Register(string reply) => BinaryPrimitives.ReadUInt32LittleEndian(Convert.FromHexString(reply));

    [Fact]
    public void ABreakpointInTheWorkerStopsEveryThreadAndEachThreadHasItsRegisters()
    {
        LinuxTargetProtocolTests.WithStub(Program.Value, (process, stub, run) =>
        {
            using var gdb = new ScriptedGdbClient(stub.Port);
            Assert.Contains("multiprocess+", gdb.Ask("qSupported:multiprocess+;swbreak+"));
            int pid = process.Kernel.InitialProcess.Pid;
            string main = $"p{Hex(pid)}.{Hex(pid)}";
            Assert.Equal($"QC{main}", gdb.Ask("qC"));
            Assert.Equal($"m{main}", gdb.Ask("qfThreadInfo"));          // one thread before pthread_create

            uint stop = process.Executable.FindSymbol("worker_stop")!.Value & ~1u;
            Assert.Equal("OK", gdb.Ask($"Z0,{stop:x},4"));
            string reply = gdb.Ask("vCont;c");
            Assert.StartsWith($"T05swbreak:;thread:p{Hex(pid)}.", reply);   // the worker hit it
            string second = reply["T05swbreak:;thread:".Length..^1];
            int workerTid = int.Parse(second[(second.IndexOf('.') + 1)..], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            Assert.NotEqual(pid, workerTid);
            Assert.Equal($"m{main},{second}", gdb.Ask("qfThreadInfo"));
            Assert.Equal("l", gdb.Ask("qsThreadInfo"));
            string threads = gdb.Ask("qXfer:threads:read::0,1000");
            Assert.Contains($"<thread id=\"{main}\"", threads);
            Assert.Contains($"<thread id=\"{second}\"", threads);
            Assert.Equal("OK", gdb.Ask($"T{second}"));
            Assert.Equal("E01", gdb.Ask($"Tp{Hex(pid)}.{Hex(workerTid + 100)}"));
            Assert.Equal($"QC{second}", gdb.Ask("qC"));

            // The worker's registers are the processor's; the main thread's are the ones it keeps while switched out.
            Assert.Equal(stop, Register(gdb.Ask("pf")));
            Assert.Equal("OK", gdb.Ask($"Hg{main}"));
            uint mainPc = Register(gdb.Ask("pf"));
            Assert.NotEqual(stop, mainPc);
            Assert.Equal(mainPc, Register(gdb.Ask("g").Substring(15 * 8, 8)));
            string r4 = gdb.Ask("p4");
            Assert.Equal("OK", gdb.Ask("P4=efbeadde"));
            Assert.Equal(0xdeadbeefu, Register(gdb.Ask("p4")));
            Assert.NotEqual(0xdeadbeefu, process.Cpu.R[4]);              // not the running thread's
            Assert.Equal("OK", gdb.Ask($"P4={r4}"));
            Assert.Equal("OK", gdb.Ask($"Hg{second}"));
            Assert.Equal(stop, Register(gdb.Ask("pf")));
            Assert.Equal("E01", gdb.Ask($"Hgp{Hex(pid)}.{Hex(workerTid + 100)}"));

            // Step the main thread, which waits in pthread_join: the worker runs to its end meanwhile.
            Assert.Equal("OK", gdb.Ask($"z0,{stop:x},4"));
            Assert.Equal($"T05thread:{main};", gdb.Ask($"vCont;s:{main};c"));
            Assert.Equal($"m{main}", gdb.Ask("qfThreadInfo"));
            Assert.Equal("E01", gdb.Ask($"T{second}"));
            Assert.Equal(mainPc + 4, Register(gdb.Ask("pf")));           // one instruction after the system call
            Assert.Equal("W05", gdb.Ask("c"));
            Assert.Equal(GdbRunEndKind.Exited, LinuxTargetProtocolTests.Finish(run).Kind);
        });
    }
}
