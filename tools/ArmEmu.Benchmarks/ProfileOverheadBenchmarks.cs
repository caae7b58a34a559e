using ArmEmu.Cpu;
using ArmEmu.TestSupport;
using BenchmarkDotNet.Attributes;

namespace ArmEmu.Benchmarks;

/// <summary>
/// The cost of --profile: the same guest kernels run plain (Loop&lt;NoHooks&gt;) and with an
/// <see cref="ExecutionProfile"/> attached (Loop&lt;WithProfile&gt;). Time per guest instruction;
/// the Profiled/Plain ratio is the slowdown (target: at most 2x).
/// </summary>
public class ProfileOverheadBenchmarks
{
    public const int Instructions = 10_000_000;
    private const uint Code = 0x1_0000;

    private Emulator.Emulator _emulator = null!;

    [Params("IntegerLoop", "MemoryCopy", "Branchy")]
    public string Kernel { get; set; } = "IntegerLoop";

    [Params(false, true)]
    public bool Profiled { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        string source = Kernel switch
        {
            "IntegerLoop" => GuestKernels.IntegerLoop,
            "MemoryCopy" => GuestKernels.MemoryCopy,
            _ => GuestKernels.Branchy,
        };
        _emulator = Emulator.Emulator.Create("arm926");
        _emulator.MapMemory(Code, 0x1_0000);
        _emulator.MapMemory(0x2_0000, 0x2000);
        _emulator.WriteMemory(Code, GnuToolchain.Assemble(source, Code));
        if (Profiled) _emulator.Cpu.Profile = new ExecutionProfile();
        var warm = _emulator.Run(Code, count: 1000);
        if (!warm.Ok) throw new InvalidOperationException($"kernel {Kernel} faulted: {warm}");
    }

    [Benchmark(OperationsPerInvoke = Instructions)]
    public ulong Run() => _emulator.Run(Code, count: Instructions).Instructions;

    [GlobalCleanup]
    public void Cleanup() => _emulator.Dispose();
}
