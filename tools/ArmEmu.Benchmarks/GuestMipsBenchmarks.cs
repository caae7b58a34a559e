using ArmEmu.TestSupport;
using BenchmarkDotNet.Attributes;

namespace ArmEmu.Benchmarks;

/// <summary>
/// Guest MIPS through the public API. Each invocation runs
/// <see cref="Instructions"/> guest instructions, and OperationsPerInvoke
/// makes BenchmarkDotNet report the time per guest instruction:
/// MIPS = 1000 / (mean in ns).
/// </summary>
[MemoryDiagnoser]
public class GuestMipsBenchmarks
{
    public const int Instructions = 10_000_000;
    private const uint Code = 0x1_0000;

    private Emulator.Emulator _emulator = null!;

    [Params("IntegerLoop", "MemoryCopy", "Branchy")]
    public string Kernel { get; set; } = "IntegerLoop";

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
        var warm = _emulator.Run(Code, count: 1000);
        if (!warm.Ok) throw new InvalidOperationException($"kernel {Kernel} faulted: {warm}");
    }

    [Benchmark(OperationsPerInvoke = Instructions)]
    public ulong Run() => _emulator.Run(Code, count: Instructions).Instructions;

    [GlobalCleanup]
    public void Cleanup() => _emulator.Dispose();
}
