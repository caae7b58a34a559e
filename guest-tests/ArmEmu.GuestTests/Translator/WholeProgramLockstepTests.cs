using ArmEmu.Cpu;
using ArmEmu.Cpu.Engines;
using ArmEmu.Cpu.Engines.Translator;
using ArmEmu.Emulator;
using ArmEmu.Emulator.Linux;

namespace ArmEmu.GuestTests.Translator;

/// <summary>
/// Whole guest programs run by the interpreter and the translator side by side, in one test
/// process: two Linux user-mode machines load the same static program (the bench kernels of
/// guest-tests/bench, which read neither the clock nor anything else that differs between two
/// runs), the translated one with every address translated at once (threshold 1). Each time
/// compiled code returns to the translator's dispatcher (after a block, or a chain of blocks
/// linked in compiled code), the interpreted machine is run to the same instruction count and
/// the registers, CPSR, count and PC writes are compared; the memory of the whole address space
/// is compared every few thousand blocks and at the end, with the exit status.
/// </summary>
public sealed class WholeProgramLockstepTests
{
    /// <summary>Blocks between two comparisons of the whole address space.</summary>
    private const int MemoryEvery = 5000;

    private sealed class Mismatch(string message) : Exception(message);

    [Theory]
    [InlineData("integer", "20", "")]
    [InlineData("sort", "300", "")]
    [InlineData("strings", "200", "")]
    [InlineData("sha256", "2", "")]
    [InlineData("chase", "4", "")]
    [InlineData("softfloat", "2", "")]
    [InlineData("integer", "20", "-march=armv7-a -mthumb")]
    [InlineData("sort", "300", "-march=armv7-a -mthumb")]
    public void BenchKernel_MatchesTheInterpreter_AtEveryBlockBoundary(string name, string argument, string flags)
    {
        string binary = TranslatorProgramTests.Build(name, flags);
        var model = flags.Length == 0 ? CpuModel.Arm926 : CpuModel.CortexA9;
        var options = new LinuxProcessOptions
        {
            Cpu = model, Arguments = [binary, argument], Diagnostics = TextWriter.Null,
            Caches = Memory.Caches.CacheModelOptions.Off,
        };
        using var interpreted = new LinuxProcess(binary, options);
        using var translated = new LinuxProcess(binary, options);
        interpreted.Cpu.Engine = new InterpreterEngine();
        var translator = new TranslatorEngine(threshold: 1);
        translated.Cpu.Engine = translator;

        long boundaries = 0;
        int? interpretedStatus = null;
        translator.BlockExited = cpu =>
        {
            boundaries++;
            interpretedStatus ??= CatchUp(interpreted, cpu.InstructionsExecuted);
            AssertSameRegisters(interpreted.Cpu, cpu, $"block exit {boundaries}");
            if (boundaries % MemoryEvery == 0) AssertSameMemory(interpreted, translated, $"block exit {boundaries}");
        };

        int? status = translated.Run(2_000_000_000);
        Assert.NotNull(status);
        interpretedStatus ??= CatchUp(interpreted, translated.Cpu.InstructionsExecuted);
        Assert.Equal(status, interpretedStatus);
        Assert.Equal(interpreted.Cpu.InstructionsExecuted, translated.Cpu.InstructionsExecuted);
        AssertSameRegisters(interpreted.Cpu, translated.Cpu, "exit");
        AssertSameMemory(interpreted, translated, "exit");
        Assert.Equal(0, status);
        Assert.True(boundaries > 100, $"only {boundaries} blocks ran");
        // The ARM builds run mostly in blocks; the Thumb builds' own code is the interpreter's until
        // the translator takes Thumb blocks, so only their C library (ARM code) is translated.
        long least = flags.Contains("-mthumb", StringComparison.Ordinal) ? 1000 : (long)translated.Cpu.InstructionsExecuted / 2;
        Assert.True(translator.Statistics.InstructionsInBlocks >= least,
                    $"{translator.Statistics.InstructionsInBlocks} of {translated.Cpu.InstructionsExecuted} instructions in blocks");
    }

    /// <summary>
    /// Runs the interpreted machine until it has executed <paramref name="count"/> instructions;
    /// its exit status if the program exited there (null while it runs on).
    /// </summary>
    private static int? CatchUp(LinuxProcess interpreted, ulong count)
    {
        ulong done = interpreted.Cpu.InstructionsExecuted;
        if (done > count) throw new Mismatch($"the interpreter is ahead: {done} vs {count}");
        int? status = done < count ? interpreted.Run((long)(count - done)) : null;
        if (interpreted.Cpu.InstructionsExecuted != count)
            throw new Mismatch($"the interpreted program stopped at {interpreted.Cpu.InstructionsExecuted} (exit status {status}), the translated one is at {count}");
        return status;
    }

    private static void AssertSameRegisters(Cpu.Cpu x, Cpu.Cpu y, string context)
    {
        for (int r = 0; r < 15; r++)
            if (x.R[r] != y.R[r]) throw new Mismatch($"{context}: r{r} {x.R[r]:x8} vs {y.R[r]:x8} (pc {x.PC:x8} vs {y.PC:x8}, {x.InstructionsExecuted} instructions)");
        if (x.PC != y.PC) throw new Mismatch($"{context}: pc {x.PC:x8} vs {y.PC:x8} ({x.InstructionsExecuted} instructions)");
        if (x.Cpsr != y.Cpsr) throw new Mismatch($"{context}: cpsr {x.Cpsr:x8} vs {y.Cpsr:x8} (pc {x.PC:x8})");
        if (x.SoftwarePcWrites != y.SoftwarePcWrites) throw new Mismatch($"{context}: PC writes {x.SoftwarePcWrites} vs {y.SoftwarePcWrites} (pc {x.PC:x8})");
    }

    private static void AssertSameMemory(LinuxProcess interpreted, LinuxProcess translated, string context)
    {
        var regions = ((IMachine)interpreted).Regions;
        Assert.Equal(regions, ((IMachine)translated).Regions);
        foreach (var region in regions)
        {
            if ((region.Rights & Memory.Permission.Read) == 0) continue;
            byte[] a = interpreted.ReadMemory(region.Begin, (int)region.Size);
            byte[] b = translated.ReadMemory(region.Begin, (int)region.Size);
            if (!a.AsSpan().SequenceEqual(b))
            {
                int at = a.AsSpan().CommonPrefixLength(b);
                throw new Mismatch($"{context}: memory differs at 0x{region.Begin + (uint)at:x8}");
            }
        }
    }
}
