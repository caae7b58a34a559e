using ArmEmu.Cpu.Engines;
using ArmEmu.Cpu.Engines.Translator;
using ArmEmu.Emulator.Boards;
using ArmEmu.Emulator.Linux;
using ArmEmu.TestSupport;

namespace ArmEmu.Emulator.Tests.Api;

/// <summary>
/// The engine chosen through the API (<see cref="ArmEmu.Cpu.Cpu.EngineKind"/>, reached from any
/// <see cref="IMachine"/>) on each machine: the same loop run by the interpreter and by the
/// translator gives the same registers and instruction count, and the translator really
/// compiled it (the loop runs past the default threshold).
/// </summary>
public class EngineOnEveryMachineTests
{
    // 20,000 rounds of a small loop: past TranslatorEngine.DefaultThreshold (5000), so its block is compiled.
    private const string Loop = """
            mov r0, #0
            ldr r1, =20000
        1:  add r0, r0, r1
            eor r2, r0, r0, lsl #3
            subs r1, r1, #1
            bne 1b
        """;

    private const uint Sum = 20000u * 20001 / 2;

    public static TheoryData<string> Machines => new() { "emulator", "versatilepb", "vexpress-a9", "linux" };

    /// <summary>Runs <see cref="Loop"/> on a machine of <paramref name="kind"/> with <paramref name="engine"/>; the machine after it.</summary>
    private static (IMachine Machine, IDisposable Owner) RunLoop(string kind, EngineKind engine)
    {
        switch (kind)
        {
            case "emulator":
            {
                var emu = Emulator.Create("arm926");
                const uint code = 0x1_0000;
                byte[] bytes = emu.Assemble(Loop + "\nend: b end\n.ltorg", code);
                emu.MapMemory(code, 0x1000);
                emu.WriteMemory(code, bytes);
                emu.Cpu.EngineKind = engine;
                Assert.True(emu.Run(code, until: code + (uint)bytes.Length - 8, timeout: TimeSpan.FromSeconds(60)).Ok);
                return (emu, emu);
            }
            case "versatilepb":
            case "vexpress-a9":
            {
                IBareMetalBoard board = kind == "versatilepb"
                    ? new VersatilePb(new VersatilePbOptions { MemorySize = 1 << 20 })
                    : new VexpressA9(new VexpressA9Options { MemorySize = 16 << 20 });
                uint at = kind == "versatilepb" ? 0x1000u : 0x6000_1000u;
                board.LoadRaw(GnuToolchain.Assemble(Loop + "\nb .\n.ltorg", at, kind == "versatilepb" ? "armv5te" : "armv7-a"), at, at);
                board.Cpu.EngineKind = engine;
                Assert.Equal(MachineStop.Spinning, board.Run(100_000));
                return (board, board);
            }
            default:
            {
                string binary = StaticArmPrograms.Build("api-engine-loop", ".global _start\n_start:\n" + Loop + "\nmov r4, r0\nmov r7, #1\nmov r0, #0\nsvc #0\n.ltorg");
                var process = new LinuxProcess(binary, new LinuxProcessOptions
                {
                    Arguments = [binary], Diagnostics = TextWriter.Null,
                    // Off: with the modelled I-cache the translator hands the run to the interpreter (for now).
                    Caches = Memory.Caches.CacheModelOptions.Off,
                });
                process.Cpu.EngineKind = engine;
                Assert.Equal(0, process.Run(100_000));
                return (process, process);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Machines))]
    public void TheEngineChosenThroughTheApi_RunsTheMachine_WithTheSameResults(string kind)
    {
        var (interpreted, interpreterOwner) = RunLoop(kind, EngineKind.Interpreter);
        var (translated, translatorOwner) = RunLoop(kind, EngineKind.Translator);
        using (interpreterOwner)
        using (translatorOwner)
        {
            Assert.Equal(EngineKind.Interpreter, interpreted.Cpu.EngineKind);
            Assert.IsType<InterpreterEngine>(interpreted.Cpu.Engine);
            Assert.Equal(EngineKind.Translator, translated.Cpu.EngineKind);
            var statistics = ((TranslatorEngine)translated.Cpu.Engine).Statistics;
            Assert.True(statistics.BlocksTranslated > 0, $"{kind}: nothing translated");
            Assert.True(statistics.InstructionsInBlocks > 1000, $"{kind}: {statistics.InstructionsInBlocks} instructions in blocks");

            Assert.Equal((ulong)Sum, interpreted.ReadRegister(kind == "linux" ? "r4" : "r0"));
            foreach (string register in new[] { "r0", "r1", "r2", "r4", "pc", "cpsr" })
                Assert.True(interpreted.ReadRegister(register) == translated.ReadRegister(register),
                            $"{kind}: {register} {interpreted.ReadRegister(register):x8} vs {translated.ReadRegister(register):x8}");
            Assert.Equal(interpreted.Cpu.InstructionsExecuted, translated.Cpu.InstructionsExecuted);
        }
    }
}
