using ArmEmu.Emulator.Boards;
using ArmEmu.Emulator.Linux;
using ArmEmu.Emulator.Loaders;
using ArmEmu.Memory.Caches;
using ArmEmu.TestSupport;
using BenchmarkDotNet.Attributes;

namespace ArmEmu.Benchmarks;

/// <summary>
/// Guest MIPS of the two machines on the same integer kernel (guest-tests/bench/integer_kernel.h):
/// Linux user mode (`armemu run`) and the bare-metal Versatile PB with the MMU on (`armemu system`),
/// each with the cache model on and off. Each invocation runs <see cref="Instructions"/> more
/// instructions of a kernel that runs far longer, so the figure is time per guest instruction:
/// MIPS = 1000 / (mean in ns).
/// </summary>
[MemoryDiagnoser]
public class MachineMipsBenchmarks
{
    public const int Instructions = 20_000_000;

    private LinuxProcess? _process;
    private VersatilePb? _board;

    [Params("user", "system-mmu")]
    public string Machine { get; set; } = "user";

    [Params(true, false)]
    public bool Caches { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        string bench = Path.Combine(RepositoryRoot.Path, "guest-tests", "bench");
        string work = Path.Combine(Path.GetTempPath(), "armemu-bench-" + Environment.ProcessId);
        Directory.CreateDirectory(work);
        var caches = Caches ? CacheModelOptions.Arm926 : CacheModelOptions.Off;
        if (Machine == "user")
        {
            string binary = Path.Combine(work, "integer");
            GnuToolchain.Run("arm-linux-gnueabi-gcc", $"-O2 -static -I{bench} -o {binary} {bench}/integer.c", "gcc-arm-linux-gnueabi");
            _process = new LinuxProcess(binary, new LinuxProcessOptions { Arguments = [binary, "100000000"], Caches = caches });
        }
        else
        {
            string common = Path.Combine(RepositoryRoot.Path, "guest-tests", "system", "common");
            string image = Path.Combine(work, "integer_bm.elf");
            GnuToolchain.Run("arm-none-eabi-gcc",
                $"-mcpu=arm926ej-s -marm -O2 -ffreestanding -nostdlib -I{common} -I{bench} -T {common}/link.ld -o {image} " +
                $"{common}/start.S {common}/runtime.c {bench}/integer_bm.c -lgcc", "gcc-arm-none-eabi");
            _board = new VersatilePb(new VersatilePbOptions { Caches = caches });
            _board.LoadElf(ElfFile.Load(image));
        }
        Run(); // warm up, and past the start-up code into the kernel
    }

    [Benchmark(OperationsPerInvoke = Instructions)]
    public ulong Run()
    {
        if (_process is { } p)
        {
            ulong before = p.Cpu.InstructionsExecuted;
            p.Run(Instructions);
            return p.Cpu.InstructionsExecuted - before;
        }
        ulong start = _board!.Cpu.InstructionsExecuted;
        _board.Run((long)(start + Instructions));
        return _board.Cpu.InstructionsExecuted - start;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _process?.Dispose();
        _board?.Dispose();
    }
}
