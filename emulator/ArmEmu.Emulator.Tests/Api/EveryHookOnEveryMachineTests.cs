using ArmEmu.Cpu;
using ArmEmu.Emulator.Boards;
using ArmEmu.Emulator.Linux;
using ArmEmu.Memory;
using ArmEmu.Memory.Caches;
using ArmEmu.TestSupport;

namespace ArmEmu.Emulator.Tests.Api;

/// <summary>
/// One guest routine on each of the three machines (the bare emulator, a Versatile PB board,
/// Linux user mode), every hook kind on it through <see cref="IMachine"/> only: code, block,
/// memory before and after (read, write, fetch), exception, invalid instruction and cache
/// events (level, set, way, address), with registers by name (VFP too) and a context saved
/// with memory and cache state and restored.
/// </summary>
public class EveryHookOnEveryMachineTests
{
    private const uint Data = 0x3000_0000;

    // Stores 5 to the data page, loads it back, and meets an undefined instruction (UDF #0) the
    // invalid-instruction hook emulates by adding 1 to r2; r0 ends 0 when r2 is 6.
    private const string Routine = """
        ldr r1, =0x30000000
        mov r0, #5
        str r0, [r1]
        ldr r2, [r1]
        .word 0xe7f000f0
        cmp r2, #6
        moveq r0, #0
        movne r0, #1
        """;

    private const uint Udf = 0xE7F0_00F0;

    /// <summary>A machine with <see cref="Routine"/> at <see cref="Code"/>, the data page mapped through the API, and how to run it to its end.</summary>
    private sealed class Harness(IMachine machine, uint code, Action run, IDisposable owner) : IDisposable
    {
        public IMachine Machine { get; } = machine;

        public uint Code { get; } = code;

        public void Run() => run();

        public void Dispose() => owner.Dispose();
    }

    public static TheoryData<string> Machines => new() { "emulator", "board", "linux" };

    private static Harness Make(string kind, string routine = Routine)
    {
        Harness harness;
        switch (kind)
        {
            case "emulator":
            {
                var emu = Emulator.Create("arm926");
                emu.EnableCaches();
                const uint code = 0x1_0000;
                byte[] bytes = emu.Assemble(routine + "\nend: b end\n.ltorg", code);
                emu.MapMemory(code, 0x1000);
                emu.WriteMemory(code, bytes);
                harness = new Harness(emu, code, () => Assert.True(emu.Run(code, count: 40).Ok), emu);
                // SCTLR.I: fetches through the I-cache (there is no MMU to say otherwise).
                emu.WriteRegister("sctlr", emu.ReadRegister("sctlr") | 0x1000);
                break;
            }
            case "board":
            {
                var board = new VersatilePb(new VersatilePbOptions { MemorySize = 1 << 20 });
                board.LoadRaw(GnuToolchain.Assemble(routine + "\nb .\n.ltorg", 0x1000), 0x1000, 0x1000);
                harness = new Harness(board, 0x1000, () => Assert.Equal(MachineStop.Spinning, board.Run(1000)), board);
                ((IMachine)board).WriteRegister("sctlr", ((IMachine)board).ReadRegister("sctlr") | 0x1000);
                break;
            }
            default:
            {
                string binary = StaticArmPrograms.Build("api-every-hook", ".global _start\n_start:\n" + routine + "\nmov r7, #1\nsvc #0\n.ltorg");
                var process = new LinuxProcess(binary, new LinuxProcessOptions { Arguments = [binary], Diagnostics = TextWriter.Null });
                harness = new Harness(process, process.Executable.Entry, () => Assert.Equal(0, process.Run(1000)), process);
                break;
            }
        }
        harness.Machine.MapMemory(Data, 0x1000, Permission.Read | Permission.Write);
        return harness;
    }

    [Theory]
    [MemberData(nameof(Machines))]
    public void EveryHookKindFires(string kind)
    {
        using var h = Make(kind);
        var m = h.Machine;
        uint udfAt = h.Code + 16;
        var code = new List<(uint Address, int Size)>();
        var blocks = new List<(uint Address, int Size)>();
        var accesses = new List<(MemoryHookKinds Kind, MemoryAccess Access)>();
        var exceptions = new List<(ExceptionKind Kind, uint Address)>();
        var invalid = new List<(uint Address, uint Opcode)>();
        var cacheEvents = new List<CacheEvent>();
        var hooks = m.Hooks();
        using var c = hooks.Code((_, a, size) => code.Add((a, size)));
        using var b = hooks.Block((_, a, size) => blocks.Add((a, size)));
        var handles = new[] { MemoryHookKinds.ReadBefore, MemoryHookKinds.ReadAfter, MemoryHookKinds.WriteBefore, MemoryHookKinds.WriteAfter,
                              MemoryHookKinds.FetchBefore, MemoryHookKinds.FetchAfter }
            .Select(k => hooks.Memory((_, a) => accesses.Add((k, a)), k)).ToList();
        using var e = hooks.Exception((_, k, a) => exceptions.Add((k, a)));
        using var i = hooks.InvalidInstruction((machine, a, opcode) =>
        {
            invalid.Add((a, opcode));
            machine.WriteRegister("r2", machine.ReadRegister("r2") + 1);
            return true; // emulated: on to the next instruction
        });
        using var ce = hooks.Cache((_, ev) => cacheEvents.Add(ev));

        h.Run();

        Assert.Equal(0ul, m.ReadRegister("r0"));
        Assert.Equal(6ul, m.ReadRegister("r2"));
        // Code: each instruction before it runs, size 4; the undefined one too.
        Assert.Equal((h.Code, 4), code[0]);
        Assert.Contains((udfAt, 4), code);
        Assert.All(code, x => Assert.Equal(4, x.Size));
        // Blocks: the first starts at the routine and runs at least to the undefined instruction
        // (nothing before it changes the flow of control).
        Assert.Equal(h.Code, blocks[0].Address);
        Assert.True(blocks[0].Size >= 20, $"first block {blocks[0].Size} bytes");
        // Memory: the store seen before (value 5) and after; the load before (0) and after (5); fetches.
        Assert.Contains((MemoryHookKinds.WriteBefore, new MemoryAccess(Data, 4, true, false, 5) { After = false }), accesses);
        Assert.Contains((MemoryHookKinds.WriteAfter, new MemoryAccess(Data, 4, true, false, 5) { After = true }), accesses);
        Assert.Contains((MemoryHookKinds.ReadBefore, new MemoryAccess(Data, 4, false, false, 0) { After = false }), accesses);
        Assert.Contains((MemoryHookKinds.ReadAfter, new MemoryAccess(Data, 4, false, false, 5) { After = true }), accesses);
        Assert.Contains(accesses, x => x.Kind == MemoryHookKinds.FetchBefore && x.Access.Address == udfAt);
        Assert.Contains(accesses, x => x.Kind == MemoryHookKinds.FetchAfter && x.Access.Address == udfAt && x.Access.Value == Udf);
        // The exception hook and the invalid-instruction hook saw the undefined instruction.
        Assert.Contains((ExceptionKind.Undefined, udfAt), exceptions);
        Assert.Equal([(udfAt, Udf)], invalid);
        // Cache events: the first fetch missed in the L1 I-cache (VIVT: the virtual address) and
        // filled a line of the set the address indexes (32-byte lines, ARM926: 128 sets of 4 ways).
        var icache = m.Cache(CacheLevel.L1Instruction);
        int set = (int)(h.Code / (uint)icache.LineBytes) % icache.Sets;
        var miss = cacheEvents.First(x => x.Cache == icache && x.Kind == CacheEventKind.Miss);
        Assert.Equal((1, set, -1, h.Code & ~31u), (miss.Level, miss.Set, miss.Way, miss.Address & ~31u));
        var fill = cacheEvents.First(x => x.Cache == icache && x.Kind == CacheEventKind.Fill);
        Assert.Equal(set, fill.Set);
        Assert.InRange(fill.Way, 0, icache.Ways - 1);
        var line = m.CacheLine(CacheLevel.L1Instruction, fill.Set, fill.Way);
        Assert.True(line.Valid);
        Assert.Equal(fill.Address, line.PhysicalAddress);
        foreach (var handle in handles) handle.Dispose();
    }

    [Theory]
    [MemberData(nameof(Machines))]
    public void RegistersByNameIncludingBankedAndVfp(string kind)
    {
        using var h = Make(kind);
        var m = h.Machine;
        m.WriteRegister("r3", 0x1234);
        Assert.Equal(0x1234ul, m.ReadRegister("R3"));
        m.WriteRegister("d5", 0x4009_21FB_5444_2D18); // pi
        Assert.Equal(0x5444_2D18ul, m.ReadRegister("s10"));
        Assert.Equal(0x4009_21FBul, m.ReadRegister("s11"));
        m.WriteRegister("fpscr", 0x0300_0000);
        Assert.Equal(0x0300_0000ul, m.ReadRegister("fpscr"));
        // A banked register of a mode the machine is not in keeps its own value.
        m.WriteRegister("sp_irq", 0x8000);
        m.WriteRegister("r13_und", 0x9000);
        Assert.Equal(0x8000ul, m.ReadRegister("sp_irq"));
        Assert.Equal(0x9000ul, m.ReadRegister("sp_und"));
        Assert.NotEqual(0x8000ul, m.ReadRegister("sp"));
        Assert.Throws<ArgumentException>(() => m.ReadRegister("r16"));
        if (kind != "linux") Assert.Equal(0x4106_9265ul, m.ReadRegister("midr")); // the ARM926's CP15
        else Assert.Throws<ArgumentException>(() => m.ReadRegister("midr"));     // user mode has no CP15 on the ARM926
    }

    [Theory]
    [MemberData(nameof(Machines))]
    public void AContextWithMemoryAndCachesBringsBothBack(string kind)
    {
        using var h = Make(kind);
        var m = h.Machine;
        // Stop at the undefined instruction: the store and the load have been made.
        uint udfAt = h.Code + 16;
        using (m.Hooks().Code((machine, _, _) => machine.Stop(), udfAt, udfAt))
            RunStopping(kind, h);
        Assert.Equal(udfAt, (uint)m.ReadRegister("pc"));
        var context = m.SaveContext(ContextParts.All);
        var lines = m.CacheLines();
        Assert.NotEmpty(lines);

        // Change memory, registers and the caches' contents.
        m.WriteMemory(Data, BitConverter.GetBytes(99u));
        m.WriteRegister("r2", 77);
        m.ResetCaches();
        Assert.Empty(m.CacheLines());

        m.RestoreContext(context);
        Assert.Equal(5u, BitConverter.ToUInt32(m.ReadMemory(Data, 4)));
        Assert.Equal(5ul, m.ReadRegister("r2"));
        Assert.Equal(udfAt, (uint)m.ReadRegister("pc"));
        Assert.Equal(lines.Select(l => (l.Cache, l.Set, l.Way, l.PhysicalAddress, l.Dirty)),
                     m.CacheLines().Select(l => (l.Cache, l.Set, l.Way, l.PhysicalAddress, l.Dirty)));
    }

    [Theory]
    [MemberData(nameof(Machines))]
    public void StopFromAnotherThreadEndsAnEndlessLoop(string kind)
    {
        using var h = Make(kind, "loop: add r0, r0, #1\nb loop");
        var m = h.Machine;
        // No hook: the machine runs its fastest loop. The other thread asks again until the run
        // has returned, as a stop before the run began would be forgotten by it.
        using var returned = new ManualResetEventSlim();
        var stopper = new Thread(() =>
        {
            do m.Stop();
            while (!returned.Wait(20));
        });
        stopper.Start();
        switch (m)
        {
            case Emulator emu: Assert.Equal(StopReason.Requested, emu.Run(h.Code).Reason); break;
            case VersatilePb board: Assert.Equal(MachineStop.Stopped, board.Run(long.MaxValue)); break;
            case LinuxProcess process: Assert.Null(process.Run()); break;
        }
        returned.Set();
        stopper.Join();
        Assert.True(m.ReadRegister("r0") > 0);
        uint pc = (uint)m.ReadRegister("pc");
        Assert.True(pc == h.Code || pc == h.Code + 4, $"stopped at 0x{pc:x8}, inside the loop");
    }

    [Theory]
    [MemberData(nameof(Machines))]
    public void SeveralExitAddressesEndARunAtTheFirstReached(string kind)
    {
        using var h = Make(kind);
        var m = h.Machine;
        uint udfAt = h.Code + 16;
        m.Hooks().SetExitAddresses([h.Code + 0x800, udfAt, h.Code + 8]);
        RunStopping(kind, h);
        Assert.Equal(h.Code + 8, m.Hooks().ExitReached);
        Assert.Equal(h.Code + 8, (uint)m.ReadRegister("pc")); // before the store there
        Assert.Equal(0ul, BitConverter.ToUInt32(m.ReadMemory(Data, 4)));
        m.Hooks().SetExitAddresses([udfAt]);
        RunStopping(kind, h, fromStart: false);
        Assert.Equal(udfAt, m.Hooks().ExitReached);
        Assert.Equal(5u, BitConverter.ToUInt32(m.ReadMemory(Data, 4))); // the store ran this time
        m.Hooks().SetExitAddresses([]);
    }

    [Theory]
    [MemberData(nameof(Machines))]
    public void ATimeoutEndsAnEndlessLoop(string kind)
    {
        using var h = Make(kind, "loop: add r0, r0, #1\nb loop");
        var m = h.Machine;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        using (m.StopAfter(TimeSpan.FromMilliseconds(200)))
        {
            switch (m)
            {
                case Emulator emu: Assert.Equal(StopReason.Requested, emu.Run(h.Code).Reason); break;
                case VersatilePb board: Assert.Equal(MachineStop.Stopped, board.Run(long.MaxValue)); break;
                case LinuxProcess process: Assert.Null(process.Run()); break;
            }
        }
        Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(190), TimeSpan.FromSeconds(30));
        Assert.True(m.ReadRegister("r0") > 0);
    }

    private static void RunStopping(string kind, Harness h, bool fromStart = true)
    {
        switch (h.Machine)
        {
            case Emulator emu:
                var result = fromStart ? emu.Run(h.Code, count: 40) : emu.Continue(count: 40);
                Assert.True(result.Reason is StopReason.Requested or StopReason.Address, result.ToString());
                break;
            case VersatilePb board: Assert.Equal(MachineStop.Stopped, board.Run(1000)); break;
            case LinuxProcess process: Assert.Null(process.Run(1000)); break;
            default: throw new ArgumentException(kind);
        }
    }
}

/// <summary>Static ARM Linux programs from assembly (GNU as and ld), cached by content.</summary>
internal static class StaticArmPrograms
{
    public static string Build(string name, string assembly)
    {
        string directory = Path.Combine(Path.GetTempPath(), "armemu-build-cache", $"{name}-{GnuToolchain.Hash(assembly)}");
        string binary = Path.Combine(directory, name);
        if (File.Exists(binary)) return binary;
        Directory.CreateDirectory(directory);
        string source = Path.Combine(directory, $"{name}.s"), obj = $"{binary}.{Environment.ProcessId}.o", partial = $"{binary}.{Environment.ProcessId}.tmp";
        File.WriteAllText(source, assembly + "\n");
        GnuToolchain.Run("arm-linux-gnueabi-as", $"-march=armv5te -o {obj} {source}", "binutils-arm-linux-gnueabi");
        GnuToolchain.Run("arm-linux-gnueabi-ld", $"-static -o {partial} {obj}", "binutils-arm-linux-gnueabi");
        File.Delete(obj);
        File.Move(partial, binary, overwrite: true);
        return binary;
    }
}
