namespace ArmEmu.Cpu.Tests;

/// <summary>
/// The 16-bit branches the interpreter's Thumb loop runs without their handlers (B&lt;c&gt; T1, B T2,
/// CBZ/CBNZ T1) against the general path a run with an instruction hook takes: each condition with
/// each NZCV, at a page's last halfword, forward and backward, and budgets ending on the branch.
/// </summary>
public class ThumbInlineBranchTests
{
    // The last halfword of the page at CodeBase: the branch's successor is on the next page.
    private const uint LastHalfword = CpuHarness.CodeBase + 0xFFE;

    private sealed record Outcome(uint Pc, ulong Executed, ulong PcWrites, uint R15, StopReason Stop, uint R1 = 0, uint R2 = 0, byte IT = 0);

    /// <summary>Runs the halfwords at <paramref name="address"/> for <paramref name="budget"/> instructions.</summary>
    private static Outcome Run(CpuModel model, uint address, ushort[] code, uint nzcv, bool hooked, long budget,
                               uint? stop = null, Action<Cpu>? setup = null)
    {
        using var h = new CpuHarness(model);
        for (int i = 0; i < code.Length; i++)
            h.Bus.WriteRam(address + 2 * (uint)i, BitConverter.GetBytes(code[i]));
        h.Cpu.T = true;
        h.Cpu.PC = address;
        h.Cpu.N = (nzcv & 8) != 0;
        h.Cpu.Z = (nzcv & 4) != 0;
        h.Cpu.C = (nzcv & 2) != 0;
        h.Cpu.V = (nzcv & 1) != 0;
        setup?.Invoke(h.Cpu);
        if (hooked) h.Cpu.InstructionHook = (_, _, _) => { };
        StopReason reason = h.Cpu.Run(budget, stop);
        return new Outcome(h.Cpu.PC, h.Cpu.InstructionsExecuted, h.Cpu.SoftwarePcWrites, h.Cpu.R[15], reason, h.Cpu.R[1], h.Cpu.R[2], h.Cpu.ITState);
    }

    // ConditionHolds() of DDI 0406C A8.3.1, written out apart from the CPU's table.
    private static bool Holds(uint cond, uint nzcv)
    {
        bool n = (nzcv & 8) != 0, z = (nzcv & 4) != 0, c = (nzcv & 2) != 0, v = (nzcv & 1) != 0;
        return cond switch
        {
            0 => z, 1 => !z, 2 => c, 3 => !c, 4 => n, 5 => !n, 6 => v, 7 => !v,
            8 => c && !z, 9 => !c || z, 10 => n == v, 11 => n != v, 12 => !z && n == v, 13 => z || n != v,
            _ => true,
        };
    }

    [Fact]
    public void ConditionalBranchAtThePageEndMatchesTheGeneralPathForEveryConditionAndFlags()
    {
        // Both models for the forward branch, the Cortex-A15 (ARMv7) for the backward one: a sweep
        // creates a core per run.
        foreach (CpuModel model in new[] { CpuModel.Arm926, CpuModel.CortexA15 })
            for (uint cond = 0; cond < 14; cond++)
                foreach (int imm8 in model == CpuModel.Arm926 ? new[] { 4 } : new[] { 4, -6 })
                    for (uint nzcv = 0; nzcv < 16; nzcv++)
                    {
                        ushort op = (ushort)(0xD000 | cond << 8 | (uint)(imm8 & 0xFF));
                        Outcome plain = Run(model, LastHalfword, [op], nzcv, hooked: false, budget: 1);
                        Outcome general = Run(model, LastHalfword, [op], nzcv, hooked: true, budget: 1);
                        bool taken = Holds(cond, nzcv);
                        uint expected = taken ? (uint)(LastHalfword + 4 + 2 * imm8) : LastHalfword + 2;
                        string context = $"{model.Name} b cond {cond} imm8 {imm8} nzcv {nzcv:x}";
                        Assert.True(expected == plain.Pc, $"{context}: PC {plain.Pc:x8}, expected {expected:x8}");
                        Assert.True(general == plain, $"{context}: {plain} against the general path's {general}");
                        Assert.Equal(1ul, plain.Executed);
                        Assert.Equal(taken ? 1ul : 0ul, plain.PcWrites);
                        Assert.Equal(StopReason.InstructionLimit, plain.Stop);
                    }
    }

    [Fact]
    public void UnconditionalBranchAndCompareAndBranchMatchTheGeneralPath()
    {
        // B T2 forward and backward, at the page's last halfword.
        foreach (CpuModel model in new[] { CpuModel.Arm926, CpuModel.CortexA15 })
            foreach ((ushort op, int offset) in new[] { ((ushort)0xE010, 0x20), ((ushort)0xE7F0, -0x20), ((ushort)0xE3FF, 0x7FE), ((ushort)0xE400, -0x800) })
            {
                Outcome plain = Run(model, LastHalfword, [op], 0, hooked: false, budget: 1);
                Assert.Equal((uint)(LastHalfword + 4 + offset), plain.Pc);
                Assert.Equal(1ul, plain.PcWrites);
                Assert.Equal(Run(model, LastHalfword, [op], 0, hooked: true, budget: 1), plain);
            }

        // CBZ (0xB1xx) and CBNZ (0xB9xx) r3 with i:imm5 = 100001 (forward 66), r3 zero and not.
        foreach (ushort op in new ushort[] { 0xB30B, 0xBB0B, 0xB10B, 0xB90B })
            foreach (uint r3 in new uint[] { 0, 1, 0x8000_0000 })
            {
                int offset = ((op >> 3) & 0x40) | ((op >> 2) & 0x3E);
                bool taken = (r3 != 0) == ((op & 0x800) != 0);
                Outcome plain = Run(CpuModel.CortexA15, LastHalfword, [op], 0, hooked: false, budget: 1, setup: c => c.R[3] = r3);
                Outcome general = Run(CpuModel.CortexA15, LastHalfword, [op], 0, hooked: true, budget: 1, setup: c => c.R[3] = r3);
                Assert.Equal(taken ? (uint)(LastHalfword + 4 + offset) : LastHalfword + 2, plain.Pc);
                Assert.Equal(taken ? 1ul : 0ul, plain.PcWrites);
                Assert.Equal(general, plain);
            }
    }

    [Fact]
    public void ALoopOfBranchesStopsOnEveryBudgetAndStopAddressAsTheGeneralPath()
    {
        // subs r0, #1; bne .-2 (to the subs); cbnz r0 (never: r0 is 0); b .+4 over a halfword; ... ;
        // the bne at the page's last halfword, so each pass crosses the page twice.
        uint start = LastHalfword - 2;
        ushort[] code = [0x3801, 0xD1FD, 0xB900, 0xE000, 0xBF00, 0xBF00];
        for (long budget = 1; budget <= 30; budget++)
        {
            Outcome plain = Run(CpuModel.CortexA15, start, code, 0, hooked: false, budget, setup: c => c.R[0] = 5);
            Outcome general = Run(CpuModel.CortexA15, start, code, 0, hooked: true, budget, setup: c => c.R[0] = 5);
            Assert.True(general == plain, $"budget {budget}: {plain} against the general path's {general}");
        }
        // Five passes of two, the CBNZ, the B and the NOP after it: stopped at the end.
        Outcome done = Run(CpuModel.CortexA15, start, code, 0, hooked: false, 100, stop: start + 12, setup: c => c.R[0] = 5);
        Assert.Equal(new Outcome(start + 12, 13, 5, start + 10 + 4, StopReason.Address, 0, 0, 0), done);
        // Stopped at the branch's target on the next page and at the branch itself.
        Assert.Equal(StopReason.Address, Run(CpuModel.CortexA15, start, code, 0, hooked: false, 100, stop: start + 4, setup: c => c.R[0] = 5).Stop);
        Outcome atBranch = Run(CpuModel.CortexA15, start, code, 0, hooked: false, 100, stop: LastHalfword, setup: c => c.R[0] = 5);
        Assert.Equal((LastHalfword, 1ul, StopReason.Address), (atBranch.Pc, atBranch.Executed, atBranch.Stop));
    }

    [Fact]
    public void AnItBlockAcrossThePageEndStopsOnEveryBudgetAsTheGeneralPath()
    {
        // cmp r0, #0; ite eq; moveq r1, #1 (the page's last halfword); movne r1, #2; adds r2, r1, #1
        uint start = LastHalfword - 4;
        ushort[] code = [0x2800, 0xBF0C, 0x2101, 0x2102, 0x1C4A];
        foreach (uint r0 in new uint[] { 0, 7 })
        {
            for (long budget = 1; budget <= 6; budget++)
            {
                Outcome plain = Run(CpuModel.CortexA15, start, code, 0, hooked: false, budget, setup: c => c.R[0] = r0);
                Outcome general = Run(CpuModel.CortexA15, start, code, 0, hooked: true, budget, setup: c => c.R[0] = r0);
                Assert.True(general == plain, $"r0 {r0}, budget {budget}: {plain} against the general path's {general}");
            }
            Outcome inBlock = Run(CpuModel.CortexA15, start, code, 0, hooked: false, 3, setup: c => c.R[0] = r0);
            Assert.Equal((LastHalfword + 2, r0 == 0 ? 1u : 0u, (byte)0x18), (inBlock.Pc, inBlock.R1, inBlock.IT));
            Outcome done = Run(CpuModel.CortexA15, start, code, 0, hooked: false, 5, setup: c => c.R[0] = r0);
            Assert.Equal((start + 10, r0 == 0 ? 1u : 2u, r0 == 0 ? 2u : 3u, (byte)0), (done.Pc, done.R1, done.R2, done.IT));
        }
    }
}
