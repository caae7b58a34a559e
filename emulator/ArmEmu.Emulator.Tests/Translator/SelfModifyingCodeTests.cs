using ArmEmu.Cpu.Engines;
using ArmEmu.Cpu.Engines.Translator;

namespace ArmEmu.Emulator.Tests.Translator;

/// <summary>
/// Code that rewrites a hot function, with and without the I-cache model, run by the
/// interpreter and by the translator (every address translated at once): the same registers and
/// instruction count, and the outcome the hardware gives. Without the model the new instruction
/// runs from the next call. With it (ARM926, SCTLR.I set) the old one keeps running from the
/// I-cache -- stale code runs stale, as on hardware (ARM DDI 0100I chapter B6, Caches and Write
/// Buffers: instructions written as data must be cleaned from the D-cache and invalidated in
/// the I-cache before they are executed) -- until the program cleans the line (c7, c10, 1),
/// drains the write buffer (c7, c10, 4) and invalidates the I-cache line (c7, c5, 1).
/// </summary>
public class SelfModifyingCodeTests
{
    private const uint Code = 0x1_0000;
    private const int Calls = 3072, RewriteAt = 1536; // the rewrite follows the call with r12 == RewriteAt
    private const int CallsBeforeTheRewrite = Calls - RewriteAt + 1;

    private static string Program(bool maintenance) => $"""
            ldr r12, ={Calls}
            mov r0, #0
            ldr r6, =patch
            ldr r5, =0xe2800010     @ add r0, r0, #16
        1:  bl patch
            cmp r12, #{RewriteAt}
            bne 2f
            str r5, [r6]
            {(maintenance ? "mcr p15, 0, r6, c7, c10, 1\n mcr p15, 0, r0, c7, c10, 4\n mcr p15, 0, r6, c7, c5, 1" : "")}
        2:  subs r12, r12, #1
            bne 1b
        end: b end
        patch: add r0, r0, #1
            bx lr
            .ltorg
        """;

    private static (uint R0, ulong Instructions, TranslatorStatistics? Statistics) Run(bool cacheModel, bool icache, bool maintenance, EngineKind engine)
    {
        using var emu = Emulator.Create("arm926");
        byte[] bytes = emu.Assemble(Program(maintenance), Code);
        emu.MapMemory(Code, 0x1000);
        emu.WriteMemory(Code, bytes);
        TranslatorEngine? translator = null;
        if (engine == EngineKind.Translator) emu.Cpu.Engine = translator = new TranslatorEngine(threshold: 1);
        else emu.Cpu.EngineKind = EngineKind.Interpreter;
        // The bare emulator has CP15 (and so the maintenance operations) only with the cache model.
        if (cacheModel) emu.EnableCaches();
        if (icache) emu.WriteRegister("sctlr", emu.ReadRegister("sctlr") | 0x1000); // SCTLR.I: fetches through the I-cache
        var result = emu.Run(Code, until: FindEnd(bytes), timeout: TimeSpan.FromSeconds(60));
        Assert.True(result.Ok, result.ToString());
        return ((uint)emu.ReadRegister("r0"), emu.Cpu.InstructionsExecuted, translator?.Statistics);
    }

    /// <summary>The address of "end: b end", the only word that branches to itself.</summary>
    private static uint FindEnd(byte[] bytes)
    {
        for (int i = 0; i + 4 <= bytes.Length; i += 4)
            if (BitConverter.ToUInt32(bytes, i) == 0xEAFF_FFFE) return Code + (uint)i;
        throw new InvalidOperationException("no 'b .' in the program");
    }

    [Theory]
    [InlineData(false, false, false)] // no cache model
    [InlineData(true, false, true)]   // the cache model with SCTLR.I clear: fetches bypass the I-cache
    [InlineData(true, true, false)]   // the I-cache on, no maintenance: the old code stays
    [InlineData(true, true, true)]    // the I-cache on, cleaned and invalidated: the new code runs
    public void AHotFunctionRewritten_RunsWhatTheHardwareWould_WithBothEngines(bool cacheModel, bool icache, bool maintenance)
    {
        var interpreted = Run(cacheModel, icache, maintenance, EngineKind.Interpreter);
        var translated = Run(cacheModel, icache, maintenance, EngineKind.Translator);

        bool newCodeRuns = !icache || maintenance;
        uint expected = newCodeRuns ? CallsBeforeTheRewrite + (Calls - CallsBeforeTheRewrite) * 16u : Calls;
        Assert.Equal(expected, interpreted.R0);
        Assert.Equal(expected, translated.R0);
        Assert.Equal(interpreted.Instructions, translated.Instructions);
        // Without the cache model the code runs translated; with it the translator hands the run to
        // the interpreter until the cache model reaches translated code (issue 14, item 5).
        if (!cacheModel)
            Assert.True(translated.Statistics!.InstructionsInBlocks > Calls, $"{translated.Statistics.InstructionsInBlocks} instructions in blocks");
    }
}
