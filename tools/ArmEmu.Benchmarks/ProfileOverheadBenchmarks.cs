using ArmEmu.Cpu;
using ArmEmu.Emulator.Profiling;
using ArmEmu.Memory.Caches;
using ArmEmu.TestSupport;
using BenchmarkDotNet.Attributes;

namespace ArmEmu.Benchmarks;

/// <summary>
/// The cost of --profile: the same guest kernels run plain (Loop&lt;NoHooks&gt;) and with an
/// <see cref="ExecutionProfile"/> attached (Loop&lt;WithProfile&gt;), with the cache model off and
/// on (ARM926 16 KiB + 16 KiB; profiled, the caches' misses and write-backs are charged per
/// instruction as --profile does, through <see cref="ProfilingSession"/>). Time per guest
/// instruction; the Profiled/Plain ratio at equal Caches is the slowdown (target: at most 2x).
/// </summary>
public class ProfileOverheadBenchmarks
{
    public const int Instructions = 10_000_000;
    private const uint Code = 0x1_0000;

    /// <summary>
    /// Misses all the time: a load and a store per 32-byte line over 64 KiB, four times the
    /// D-cache, so every access misses and every eviction writes a dirty line back.
    /// </summary>
    private const string MissHeavy = """
        start:
        ldr r0, =0x40000
        mov r2, #2048
        stride:
        ldr r3, [r0]
        str r3, [r0, #4]
        add r0, r0, #32
        subs r2, r2, #1
        bne stride
        b start
        .ltorg
        """;

    private Emulator.Emulator _emulator = null!;

    [Params("IntegerLoop", "MemoryCopy", "Branchy", "MissHeavy")]
    public string Kernel { get; set; } = "IntegerLoop";

    [Params(false, true)]
    public bool Profiled { get; set; }

    [Params(false, true)]
    public bool Caches { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        string source = Kernel switch
        {
            "IntegerLoop" => GuestKernels.IntegerLoop,
            "MemoryCopy" => GuestKernels.MemoryCopy,
            "MissHeavy" => MissHeavy,
            _ => GuestKernels.Branchy,
        };
        _emulator = Emulator.Emulator.Create("arm926");
        _emulator.MapMemory(Code, 0x1_0000);
        _emulator.MapMemory(0x2_0000, 0x2000);
        _emulator.MapMemory(0x4_0000, 0x1_0000);
        _emulator.WriteMemory(Code, GnuToolchain.Assemble(source, Code));
        var cpu = _emulator.Cpu;
        CacheSystem? caches = Caches ? CacheModelOptions.Arm926.Build(_emulator.Bus, () => cpu.InstructionsExecuted) : null;
        _emulator.Memory.Caches = caches;
        if (Profiled)
        {
            if (caches is null) cpu.Profile = new ExecutionProfile();
            else _ = new ProfilingSession(cpu, new CodeMap(), caches); // attaches the profile and the cache observer
        }
        var warm = _emulator.Run(Code, count: 1000);
        if (!warm.Ok) throw new InvalidOperationException($"kernel {Kernel} faulted: {warm}");
    }

    [Benchmark(OperationsPerInvoke = Instructions)]
    public ulong Run() => _emulator.Run(Code, count: Instructions).Instructions;

    [GlobalCleanup]
    public void Cleanup() => _emulator.Dispose();
}
