using ArmEmu.TestSupport;
using BenchmarkDotNet.Attributes;

namespace ArmEmu.Benchmarks;

/// <summary>
/// The <see cref="GuestMipsBenchmarks"/> kernels on the Cortex-A9, in ARM state (A32) and in
/// Thumb-2 (T32, the same source assembled <c>.thumb</c>: 16- and 32-bit encodings as GNU as
/// picks them, an IT block for Branchy's conditional pair). Time per guest instruction, as there:
/// MIPS = 1000 / (mean in ns). The bar: T32 at least as fast per instruction as A32.
/// </summary>
[MemoryDiagnoser]
public class V7GuestMipsBenchmarks
{
    private const uint Code = 0x1_0000;

    private Emulator.Emulator _emulator = null!;
    private uint _entry;

    [Params("IntegerLoop", "MemoryCopy", "Branchy")]
    public string Kernel { get; set; } = "IntegerLoop";

    [Params("A32", "T32")]
    public string InstructionSet { get; set; } = "A32";

    /// <summary>A kernel as the Thumb-2 assembler takes it: unified syntax, an IT block before Branchy's addne/subeq.</summary>
    public static string Thumb(string source) =>
        ".syntax unified\n.thumb\n" + source.Replace("addne r2, r2, #1", "ite ne\n        addne r2, r2, #1");

    [GlobalSetup]
    public void Setup()
    {
        string source = Kernel switch
        {
            "IntegerLoop" => GuestKernels.IntegerLoop,
            "MemoryCopy" => GuestKernels.MemoryCopy,
            _ => GuestKernels.Branchy,
        };
        bool thumb = InstructionSet == "T32";
        _emulator = Emulator.Emulator.Create("cortex-a9");
        _emulator.MapMemory(Code, 0x1_0000);
        _emulator.MapMemory(0x2_0000, 0x2000);
        _emulator.WriteMemory(Code, GnuToolchain.Assemble(thumb ? Thumb(source) : source, Code, "armv7-a"));
        _entry = thumb ? Code | 1 : Code;
        var warm = _emulator.Run(_entry, count: 1000);
        if (!warm.Ok) throw new InvalidOperationException($"kernel {Kernel} ({InstructionSet}) faulted: {warm}");
    }

    [Benchmark(OperationsPerInvoke = GuestMipsBenchmarks.Instructions)]
    public ulong Run() => _emulator.Run(_entry, count: GuestMipsBenchmarks.Instructions).Instructions;

    [GlobalCleanup]
    public void Cleanup() => _emulator.Dispose();
}
