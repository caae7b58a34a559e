using ArmEmu.Emulator.Boards;
using ArmEmu.Emulator.Linux;
using ArmEmu.Memory;
using ArmEmu.Memory.Caches;
using ArmEmu.TestSupport;

namespace ArmEmu.Emulator.Tests.Api;

/// <summary>
/// The same API on the three machines: the bare emulator, Linux user mode and a board. Each test
/// runs one check against every machine through <see cref="IMachine"/> only.
/// </summary>
public class OneMachineAbstractionTests
{
    private const string Program = """
        #include <stdio.h>
        volatile int sink;
        int main(void) {
            for (int i = 0; i < 1000; i++) sink += i;
            printf("%d\n", sink);
            return 3;
        }
        """;

    private static string BuildLinuxProgram()
    {
        string directory = Path.Combine(Path.GetTempPath(), "armemu-build-cache", "api-" + GnuToolchain.Hash(Program));
        string binary = Path.Combine(directory, "sum");
        if (File.Exists(binary)) return binary;
        Directory.CreateDirectory(directory);
        string c = Path.Combine(directory, "sum.c"), partial = $"{binary}.{Environment.ProcessId}.tmp";
        File.WriteAllText(c, Program);
        GnuToolchain.Run("arm-linux-gnueabi-gcc", $"-O1 -static -o {partial} {c}", "gcc-arm-linux-gnueabi");
        File.Move(partial, binary, overwrite: true);
        return binary;
    }

    private static VersatilePb BoardRunning(string asm)
    {
        var board = new VersatilePb(new VersatilePbOptions { MemorySize = 1 << 20 });
        board.LoadRaw(GnuToolchain.Assemble(asm, 0x1000), 0x1000, 0x1000);
        return board;
    }

    [Fact]
    public void LinuxUserModeTakesCodeBlockAndMemoryHooks()
    {
        string binary = BuildLinuxProgram();
        using var process = new LinuxProcess(binary, new LinuxProcessOptions { Arguments = [binary], Diagnostics = TextWriter.Null });
        IMachine machine = process;
        long instructions = 0, blocks = 0, writes = 0;
        using var code = machine.Hooks().Code((_, _, size) => { instructions++; Assert.Equal(4, size); });
        using var block = machine.Hooks().Block((_, _, _) => blocks++);
        using var memory = machine.Hooks().Memory((_, a) => { if (a.IsWrite) writes++; }, MemoryHookKinds.WriteBefore);
        Assert.Equal(3, process.Run(50_000_000));
        Assert.Equal((long)process.Cpu.InstructionsExecuted, instructions);
        Assert.InRange(blocks, 1000, instructions / 2); // the loop alone enters its block 1000 times
        Assert.True(writes >= 1000, $"{writes} writes"); // sink += i stores 1000 times
    }

    [Fact]
    public void StopFromAHookEndsALinuxRunAndTheRegistersAreThere()
    {
        string binary = BuildLinuxProgram();
        using var process = new LinuxProcess(binary, new LinuxProcessOptions { Arguments = [binary], Diagnostics = TextWriter.Null });
        IMachine machine = process;
        uint main = process.Executable.Symbols.First(s => s.Name == "main").Value & ~1u;
        using var code = machine.Hooks().Code((m, _, _) => m.Stop(), main, main);
        Assert.Null(process.Run(50_000_000)); // stopped, not exited
        Assert.Equal(main, machine.ReadRegister("pc"));
        Assert.Equal(0x10ul, machine.ReadRegister("cpsr") & 0x1F); // User mode
    }

    [Fact]
    public void ABoardTakesHooksStopsAndReadsCp15ByName()
    {
        using var board = BoardRunning("mov r0, #1\nmov r1, #2\nloop: add r0, r0, #1\nb loop");
        IMachine machine = board;
        Assert.Equal(0x41069265ul, machine.ReadRegister("midr")); // ARM926EJ-S r0p5, as QEMU 7.2
        machine.WriteRegister("dacr", 0x5555_5555);
        Assert.Equal(0x5555_5555ul, machine.ReadRegister("DACR"));
        var seen = new List<uint>();
        using var code = machine.Hooks().Code((m, address, _) =>
        {
            seen.Add(address);
            if (seen.Count == 3) m.Stop();
        });
        Assert.Equal(MachineStop.Stopped, board.Run(1_000_000));
        Assert.Equal([0x1000u, 0x1004u, 0x1008u], seen);
        Assert.Equal(0x1008ul, machine.ReadRegister("pc")); // the third was not run
        Assert.Equal(1ul, machine.ReadRegister("r0"));
    }

    [Fact]
    public void ATimeoutStopsABoardInAnEndlessLoop()
    {
        using var board = BoardRunning("loop: add r0, r0, #1\nb loop");
        using (board.StopAfter(TimeSpan.FromMilliseconds(100)))
            Assert.Equal(MachineStop.Stopped, board.Run(long.MaxValue));
        Assert.True(board.Cpu.InstructionsExecuted > 0);
        // A later run is not stopped by the old request.
        Assert.Equal(MachineStop.InstructionLimit, board.Run((long)board.Cpu.InstructionsExecuted + 100));
    }

    [Fact]
    public void ABoardsCacheEventsAndLinesAreOnTheSameApi()
    {
        // SCTLR.C and I on, then loads from one set: misses and fills on the board's D-cache.
        using var board = BoardRunning("""
            mrc p15, 0, r0, c1, c0, 0
            orr r0, r0, #0x1000
            orr r0, r0, #0x4
            mcr p15, 0, r0, c1, c0, 0
            mov r1, #0x20000
            ldr r2, [r1]
            str r2, [r1, #4]
            b .
            """);
        IMachine machine = board;
        var misses = new List<CacheEvent>();
        using var hook = machine.Hooks().Cache((_, e) => { if (e.Kind == CacheEventKind.Miss && e.Cache.Name == "D-cache") misses.Add(e); });
        Assert.Equal(MachineStop.Spinning, board.Run(1000));
        // With the MMU off every data access is uncached on the ARM926 (TRM 4.1): no D-cache miss.
        // The I-cache, though, is on (SCTLR.I) and filled lines hold the code.
        Assert.Empty(misses);
        Assert.Contains(machine.CacheLines(), l => l.Cache == "I-cache" && l.PhysicalAddress == 0x1000);
    }

    [Fact]
    public void SavingAndRestoringAContextRepeatsABoardRun()
    {
        using var board = BoardRunning("mov r0, #1\nloop: add r0, r0, r0\nb loop");
        IMachine machine = board;
        // Run(limit) counts from reset: run 10, save, run 10 more; restore and run the same 10 again.
        board.Run(10);
        var context = machine.SaveContext(ContextParts.Memory);
        ulong firstR0 = machine.ReadRegister("r0");
        board.Run(20);
        ulong later = machine.ReadRegister("r0");
        Assert.NotEqual(firstR0, later);
        machine.RestoreContext(context);
        Assert.Equal(firstR0, machine.ReadRegister("r0"));
        board.Run(30);
        Assert.Equal(later, machine.ReadRegister("r0"));
    }
}
