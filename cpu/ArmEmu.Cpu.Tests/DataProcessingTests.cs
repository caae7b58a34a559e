namespace ArmEmu.Cpu.Tests;

/// <summary>ARM data processing (ARM ARM A4.1): results, NZCV and the shifter's carry-out.</summary>
public class DataProcessingTests
{
    [Theory]
    // a, b, expected result, expected flags
    [InlineData(1u, 2u, 3u, "nzcv")]
    [InlineData(0xFFFF_FFFFu, 1u, 0u, "nZCv")]
    [InlineData(0x7FFF_FFFFu, 1u, 0x8000_0000u, "NzcV")]
    [InlineData(0x8000_0000u, 0x8000_0000u, 0u, "nZCV")]
    public void Adds(uint a, uint b, uint result, string flags)
    {
        using var h = CpuHarness.Run("adds r2, r0, r1", s => { s.Cpu.R[0] = a; s.Cpu.R[1] = b; });
        Assert.Equal(result, h[2]);
        Assert.Equal(flags, h.Flags);
    }

    [Theory]
    [InlineData(5u, 3u, 2u, "nzCv")]
    [InlineData(3u, 5u, 0xFFFF_FFFEu, "Nzcv")]
    [InlineData(0x8000_0000u, 1u, 0x7FFF_FFFFu, "nzCV")]
    [InlineData(7u, 7u, 0u, "nZCv")]
    public void Subs(uint a, uint b, uint result, string flags)
    {
        using var h = CpuHarness.Run("subs r2, r0, r1", s => { s.Cpu.R[0] = a; s.Cpu.R[1] = b; });
        Assert.Equal(result, h[2]);
        Assert.Equal(flags, h.Flags);
    }

    [Theory]
    [InlineData("rsbs r2, r0, r1", 3u, 5u, false, 2u, "nzCv")]
    [InlineData("rsbs r2, r0, r1", 1u, 0x8000_0000u, false, 0x7FFF_FFFFu, "nzCV")]
    [InlineData("adcs r2, r0, r1", 0x7FFF_FFFFu, 0u, true, 0x8000_0000u, "NzcV")]
    [InlineData("adcs r2, r0, r1", 0xFFFF_FFFFu, 0u, true, 0u, "nZCv")]
    [InlineData("sbcs r2, r0, r1", 5u, 3u, false, 1u, "nzCv")]
    [InlineData("sbcs r2, r0, r1", 0u, 0u, false, 0xFFFF_FFFFu, "Nzcv")]
    [InlineData("sbcs r2, r0, r1", 0x8000_0000u, 0u, false, 0x7FFF_FFFFu, "nzCV")]
    [InlineData("rscs r2, r0, r1", 3u, 5u, false, 1u, "nzCv")]
    [InlineData("rscs r2, r0, r1", 0xFFFF_FFFFu, 0x7FFF_FFFFu, true, 0x8000_0000u, "NzcV")]
    public void ArithmeticWithCarryIn(string insn, uint a, uint b, bool carryIn, uint result, string flags)
    {
        using var h = CpuHarness.Run(insn, s => { s.Cpu.R[0] = a; s.Cpu.R[1] = b; s.Cpu.C = carryIn; });
        Assert.Equal(result, h[2]);
        Assert.Equal(flags, h.Flags);
    }

    // Shifter carry-out for each shift type at amounts 0, 1, 31, 32 and above 32 (A5.1.5-A5.1.13).
    [Theory]
    [InlineData("lsl", 0u, 0x8000_0001u, true, 0x8000_0001u, true)]   // by 0: value and C unchanged
    [InlineData("lsl", 1u, 0x8000_0001u, false, 0x0000_0002u, true)]
    [InlineData("lsl", 31u, 0x0000_0003u, false, 0x8000_0000u, true)]
    [InlineData("lsl", 32u, 0x0000_0001u, false, 0u, true)]            // carry = bit 0
    [InlineData("lsl", 33u, 0xFFFF_FFFFu, true, 0u, false)]            // carry = 0
    [InlineData("lsr", 0u, 0x8000_0001u, false, 0x8000_0001u, false)]
    [InlineData("lsr", 1u, 0x8000_0001u, false, 0x4000_0000u, true)]
    [InlineData("lsr", 31u, 0xC000_0000u, false, 1u, true)]
    [InlineData("lsr", 32u, 0x8000_0000u, false, 0u, true)]            // carry = bit 31
    [InlineData("lsr", 33u, 0xFFFF_FFFFu, true, 0u, false)]
    [InlineData("asr", 0u, 0x8000_0000u, true, 0x8000_0000u, true)]
    [InlineData("asr", 1u, 0x8000_0003u, false, 0xC000_0001u, true)]
    [InlineData("asr", 31u, 0x8000_0000u, false, 0xFFFF_FFFFu, false)]
    [InlineData("asr", 32u, 0x8000_0000u, false, 0xFFFF_FFFFu, true)]
    [InlineData("asr", 40u, 0x7FFF_FFFFu, true, 0u, false)]
    [InlineData("ror", 0u, 0x0000_0001u, false, 0x0000_0001u, false)]
    [InlineData("ror", 1u, 0x0000_0001u, false, 0x8000_0000u, true)]
    [InlineData("ror", 31u, 0x0000_0002u, false, 0x0000_0004u, false)]
    [InlineData("ror", 32u, 0x8000_0000u, false, 0x8000_0000u, true)]  // by 32: unchanged, carry = bit 31
    [InlineData("ror", 33u, 0x0000_0003u, false, 0x8000_0001u, true)]  // by 33 = by 1
    public void ShiftByRegisterCarryOut(string shift, uint amount, uint value, bool carryIn, uint result, bool carryOut)
    {
        using var h = CpuHarness.Run($"movs r2, r0, {shift} r1", s =>
        {
            s.Cpu.R[0] = value;
            s.Cpu.R[1] = amount;
            s.Cpu.C = carryIn;
        });
        Assert.Equal(result, h[2]);
        Assert.Equal(carryOut, h.Cpu.C);
    }

    [Fact]
    public void ShiftByRegisterUsesOnlyTheBottomByte()
    {
        using var h = CpuHarness.Run("movs r2, r0, lsl r1", s => { s.Cpu.R[0] = 1; s.Cpu.R[1] = 0x0000_0101; });
        Assert.Equal(2u, h[2]);
    }

    [Theory]
    [InlineData("lsl #1", 0x8000_0001u, false, 2u, true)]
    [InlineData("lsl #31", 0x0000_0003u, false, 0x8000_0000u, true)]
    [InlineData("lsr #1", 0x0000_0003u, false, 1u, true)]
    [InlineData("lsr #32", 0x8000_0000u, false, 0u, true)]   // encoded as LSR #0
    [InlineData("asr #1", 0x8000_0000u, false, 0xC000_0000u, false)]
    [InlineData("asr #32", 0x8000_0000u, false, 0xFFFF_FFFFu, true)]
    [InlineData("ror #1", 0x0000_0001u, false, 0x8000_0000u, true)]
    [InlineData("ror #31", 0x8000_0000u, false, 0x0000_0001u, false)]
    [InlineData("rrx", 0x0000_0001u, true, 0x8000_0000u, true)]
    [InlineData("rrx", 0x0000_0002u, false, 0x0000_0001u, false)]
    public void ShiftByImmediateCarryOut(string shift, uint value, bool carryIn, uint result, bool carryOut)
    {
        using var h = CpuHarness.Run($"movs r2, r0, {shift}", s => { s.Cpu.R[0] = value; s.Cpu.C = carryIn; });
        Assert.Equal(result, h[2]);
        Assert.Equal(carryOut, h.Cpu.C);
    }

    [Fact]
    public void LslZeroLeavesCarryAlone()
    {
        using var h = CpuHarness.Run("movs r2, r0", s => { s.Cpu.R[0] = 0; s.Cpu.C = true; s.Cpu.V = true; });
        Assert.Equal("nZCV", h.Flags);
    }

    [Theory]
    [InlineData("movs r2, #0x80000000", false, "NzCv")]  // rotated immediate: C = bit 31
    [InlineData("movs r2, #0xff", true, "nzCv")]         // rotation 0: C unchanged
    [InlineData("movs r2, #0xff", false, "nzcv")]
    public void ImmediateOperandCarry(string insn, bool carryIn, string flags)
    {
        using var h = CpuHarness.Run(insn, s => s.Cpu.C = carryIn);
        Assert.Equal(flags, h.Flags);
    }

    [Fact]
    public void LogicalOpsAndCompares()
    {
        using var h = CpuHarness.Run("""
            mov r0, #0xF0
            and r1, r0, #0x3C
            eor r2, r0, #0xFF
            orr r3, r0, #0x0F
            bic r4, r0, #0x30
            mvn r5, r0
            tst r0, #0x0F
            """);
        Assert.Equal(0x30u, h[1]);
        Assert.Equal(0x0Fu, h[2]);
        Assert.Equal(0xFFu, h[3]);
        Assert.Equal(0xC0u, h[4]);
        Assert.Equal(0xFFFF_FF0Fu, h[5]);
        Assert.True(h.Cpu.Z);
    }

    [Fact]
    public void CmpAndCmnSetFlagsOnly()
    {
        using var h = CpuHarness.Run("cmp r0, r1\nmov r3, #1\ncmn r0, r1", s => { s.Cpu.R[0] = 1; s.Cpu.R[1] = 0xFFFF_FFFF; });
        Assert.Equal("nZCv", h.Flags);
        Assert.Equal(1u, h[0]);
    }

    [Fact]
    public void PcReadsAsInstructionAddressPlusEight()
    {
        using var h = CpuHarness.Run("mov r0, pc\nadd r1, pc, #4");
        Assert.Equal(CpuHarness.CodeBase + 8, h[0]);
        Assert.Equal(CpuHarness.CodeBase + 4 + 8 + 4, h[1]);
    }

    [Fact]
    public void ConditionalExecutionSkipsFailedInstructions()
    {
        using var h = CpuHarness.Run("""
            movs r0, #0
            moveq r1, #1
            movne r2, #1
            addmi r3, r3, #1
            addpl r4, r4, #1
            """);
        Assert.Equal(1u, h[1]);
        Assert.Equal(0u, h[2]);
        Assert.Equal(0u, h[3]);
        Assert.Equal(1u, h[4]);
        Assert.Equal(5ul, h.Cpu.InstructionsExecuted);
    }

    [Fact]
    public void MovsPcLrReturnsFromException()
    {
        using var h = new CpuHarness();
        h.Load("movs pc, lr\nnop\nnop\nback: mov r0, #7");
        h.Cpu.SwitchMode(ProcessorMode.Supervisor);
        h.Cpu.Spsr = 0x6000_0010; // User mode, Z and C set
        h.Cpu.R[14] = CpuHarness.CodeBase + 12;
        h.Cpu.PC = CpuHarness.CodeBase;
        h.Cpu.Run(100, h.End);
        Assert.Equal(ProcessorMode.User, h.Cpu.Mode);
        Assert.Equal("nZCv", h.Flags);
        Assert.Equal(7u, h[0]);
    }

    [Fact]
    public void MovsPcInUserModeIsUndefinedAsInQemu()
    {
        using var h = new CpuHarness();
        h.Load("movs pc, lr");
        h.Cpu.SwitchMode(ProcessorMode.User);
        h.Cpu.PC = CpuHarness.CodeBase;
        h.Cpu.Run(1);
        Assert.Equal(ProcessorMode.Undefined, h.Cpu.Mode);
        Assert.Equal(4u, h.Cpu.PC);
    }

    [Fact]
    public void Clz()
    {
        using var h = CpuHarness.Run("clz r1, r0\nclz r2, r3\nclz r4, r5", s => { s.Cpu.R[0] = 0x0001_0000; s.Cpu.R[3] = 0; s.Cpu.R[5] = 0x8000_0000; });
        Assert.Equal(15u, h[1]);
        Assert.Equal(32u, h[2]);
        Assert.Equal(0u, h[4]);
    }
}
