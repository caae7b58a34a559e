namespace ArmEmu.Cpu.Tests;

/// <summary>The 16-bit Thumb instruction set of ARMv5TE (ARM ARM chapter A7), one group of rows at a time.</summary>
public class Thumb16Tests
{
    private const uint Code = CpuHarness.CodeBase;
    private const uint Data = CpuHarness.DataBase;

    /// <summary>Thumb source in unified syntax; the harness runs it in Thumb state.</summary>
    private static string T(string body) => ".thumb\n.syntax unified\n" + body;

    private static CpuHarness RunThumb(string body, Action<CpuHarness>? setup = null, long maxInstructions = 100_000) =>
        CpuHarness.Run(T(body), setup, maxInstructions);

    /// <summary>Runs Thumb code from <see cref="Code"/> until the PC reaches an exception vector.</summary>
    private static CpuHarness RunToVector(string body, uint vector, Action<CpuHarness> setup)
    {
        var h = new CpuHarness();
        h.Load(T(body));
        h.Cpu.T = true;
        h.Cpu.PC = Code;
        setup(h);
        Assert.Equal(StopReason.Address, h.Cpu.Run(10, vector));
        return h;
    }

    private static void SetFlags(Cpu cpu, string nzcv)
    {
        cpu.N = nzcv[0] == 'N';
        cpu.Z = nzcv[1] == 'Z';
        cpu.C = nzcv[2] == 'C';
        cpu.V = nzcv[3] == 'V';
    }

    // ---- data processing: results and NZCV ------------------------------------------------------

    [Theory]
    // instruction, r0, r1, flags before, r0 after, flags after
    // ADD (3) and SUB (3): register forms
    [InlineData("adds r0, r0, r1", 1u, 2u, "nzcv", 3u, "nzcv")]
    [InlineData("adds r0, r0, r1", 0xFFFF_FFFFu, 1u, "nzcv", 0u, "nZCv")]
    [InlineData("adds r0, r0, r1", 0x7FFF_FFFFu, 1u, "nzcv", 0x8000_0000u, "NzcV")]
    [InlineData("adds r0, r0, r1", 0x8000_0000u, 0x8000_0000u, "nzcv", 0u, "nZCV")]
    [InlineData("subs r0, r0, r1", 5u, 3u, "nzcv", 2u, "nzCv")]
    [InlineData("subs r0, r0, r1", 3u, 5u, "nzcv", 0xFFFF_FFFEu, "Nzcv")]
    [InlineData("subs r0, r0, r1", 0x8000_0000u, 1u, "nzcv", 0x7FFF_FFFFu, "nzCV")]
    [InlineData("subs r0, r0, r1", 0x7FFF_FFFFu, 0xFFFF_FFFFu, "nzcv", 0x8000_0000u, "NzcV")]
    [InlineData("subs r0, r0, r1", 7u, 7u, "nzcv", 0u, "nZCv")]
    // ADD (1) / SUB (1): 3-bit immediates
    [InlineData("adds r0, r1, #7", 0u, 0xFFFF_FFF9u, "nzcv", 0u, "nZCv")]
    [InlineData("adds r0, r1, #1", 0u, 0x7FFF_FFFFu, "nzcv", 0x8000_0000u, "NzcV")]
    [InlineData("subs r0, r1, #7", 0u, 7u, "Nzcv", 0u, "nZCv")]
    [InlineData("subs r0, r1, #1", 0u, 0x8000_0000u, "nzcv", 0x7FFF_FFFFu, "nzCV")]
    [InlineData("subs r0, r1, #1", 0u, 0u, "nzCv", 0xFFFF_FFFFu, "Nzcv")]
    // ADD (2) / SUB (2) / MOV (1) / CMP (1): 8-bit immediates
    [InlineData("adds r0, #255", 0xFFFF_FF01u, 0u, "nzcv", 0u, "nZCv")]
    [InlineData("adds r0, #1", 0x7FFF_FFFFu, 0u, "nzcv", 0x8000_0000u, "NzcV")]
    [InlineData("subs r0, #255", 255u, 0u, "nzcv", 0u, "nZCv")]
    [InlineData("subs r0, #1", 0x8000_0000u, 0u, "nzcv", 0x7FFF_FFFFu, "nzCV")]
    [InlineData("movs r0, #0", 5u, 0u, "NzCV", 0u, "nZCV")]      // C and V unaffected
    [InlineData("movs r0, #255", 5u, 0u, "nZcv", 255u, "nzcv")]
    [InlineData("cmp r0, #255", 255u, 0u, "nzcv", 255u, "nZCv")]
    [InlineData("cmp r0, #1", 0x8000_0000u, 0u, "nzcv", 0x8000_0000u, "nzCV")]
    [InlineData("cmp r0, #1", 0u, 0u, "nzCv", 0u, "Nzcv")]
    // ADC, SBC: the carry goes in
    [InlineData("adcs r0, r1", 0x7FFF_FFFFu, 0u, "nzCv", 0x8000_0000u, "NzcV")]
    [InlineData("adcs r0, r1", 0xFFFF_FFFFu, 0u, "nzCv", 0u, "nZCv")]
    [InlineData("adcs r0, r1", 0xFFFF_FFFFu, 0u, "nzcv", 0xFFFF_FFFFu, "Nzcv")]
    [InlineData("adcs r0, r1", 0x8000_0000u, 0x8000_0000u, "nzCv", 1u, "nzCV")]
    [InlineData("sbcs r0, r1", 5u, 3u, "nzCv", 2u, "nzCv")]
    [InlineData("sbcs r0, r1", 5u, 3u, "nzcv", 1u, "nzCv")]
    [InlineData("sbcs r0, r1", 0u, 0u, "nzcv", 0xFFFF_FFFFu, "Nzcv")]
    [InlineData("sbcs r0, r1", 0x8000_0000u, 0u, "nzcv", 0x7FFF_FFFFu, "nzCV")]
    [InlineData("sbcs r0, r1", 0x7FFF_FFFFu, 0xFFFF_FFFFu, "nzCv", 0x8000_0000u, "NzcV")]
    // NEG: 0 - Rm
    [InlineData("negs r0, r1", 9u, 0u, "nzcv", 0u, "nZCv")]
    [InlineData("negs r0, r1", 9u, 1u, "nzCv", 0xFFFF_FFFFu, "Nzcv")]
    [InlineData("negs r0, r1", 9u, 0x8000_0000u, "nzcv", 0x8000_0000u, "NzcV")]
    // CMP (2), CMN: flags only
    [InlineData("cmp r0, r1", 3u, 5u, "nzcv", 3u, "Nzcv")]
    [InlineData("cmp r0, r1", 0x8000_0000u, 1u, "nzcv", 0x8000_0000u, "nzCV")]
    [InlineData("cmp r0, r1", 5u, 5u, "nzcv", 5u, "nZCv")]
    [InlineData("cmn r0, r1", 1u, 0xFFFF_FFFFu, "nzcv", 1u, "nZCv")]
    [InlineData("cmn r0, r1", 0x7FFF_FFFFu, 1u, "nzcv", 0x7FFF_FFFFu, "NzcV")]
    [InlineData("cmn r0, r1", 0x8000_0000u, 0x8000_0000u, "nzcv", 0x8000_0000u, "nZCV")]
    // Logical operations: N and Z only, C and V unaffected
    [InlineData("ands r0, r1", 0xF0F0_F0F0u, 0x0F0F_0F0Fu, "nzCV", 0u, "nZCV")]
    [InlineData("ands r0, r1", 0xF0F0_F0F0u, 0x8000_00F0u, "nZcv", 0x8000_00F0u, "Nzcv")]
    [InlineData("eors r0, r1", 0xFFFF_0000u, 0xFFFF_FFFFu, "NZCV", 0x0000_FFFFu, "nzCV")]
    [InlineData("orrs r0, r1", 0x8000_0000u, 1u, "nzcv", 0x8000_0001u, "Nzcv")]
    [InlineData("bics r0, r1", 0xFFFF_FFFFu, 0xFFFF_FFFFu, "nzCv", 0u, "nZCv")]
    [InlineData("mvns r0, r1", 0u, 0u, "nzcV", 0xFFFF_FFFFu, "NzcV")]
    [InlineData("tst r0, r1", 0x8000_0001u, 0x8000_0000u, "nZCV", 0x8000_0001u, "NzCV")]
    [InlineData("tst r0, r1", 2u, 1u, "Nzcv", 2u, "nZcv")]
    // MUL: N and Z; C and V unaffected in ARMv5
    [InlineData("muls r0, r1, r0", 0xFFFFu, 0x10001u, "nzCV", 0xFFFF_FFFFu, "NzCV")]
    [InlineData("muls r0, r1, r0", 0x10000u, 0x10000u, "Nzcv", 0u, "nZcv")]
    [InlineData("muls r0, r1, r0", 0xFFFF_FFFFu, 0xFFFF_FFFFu, "nZCv", 1u, "nzCv")]
    public void DataProcessing(string insn, uint r0, uint r1, string flagsBefore, uint result, string flagsAfter)
    {
        using var h = RunThumb(insn, s =>
        {
            s.Cpu.R[0] = r0;
            s.Cpu.R[1] = r1;
            SetFlags(s.Cpu, flagsBefore);
        });
        Assert.Equal(result, h[0]);
        Assert.Equal(flagsAfter, h.Flags);
        Assert.Equal(r1, h[1]);
    }

    // ---- shifts ---------------------------------------------------------------------------------

    // LSL/LSR/ASR (1): #0 is "LSL #0" (C unaffected) or #32 for LSR and ASR (A7.1.38/40/11).
    [Theory]
    [InlineData("lsls r0, r1, #0", 0x8000_0001u, true, 0x8000_0001u, "NzCv")]
    [InlineData("lsls r0, r1, #0", 0u, false, 0u, "nZcv")]
    [InlineData("lsls r0, r1, #1", 0x8000_0001u, false, 2u, "nzCv")]
    [InlineData("lsls r0, r1, #31", 3u, false, 0x8000_0000u, "NzCv")]
    [InlineData("lsrs r0, r1, #1", 0x8000_0001u, false, 0x4000_0000u, "nzCv")]
    [InlineData("lsrs r0, r1, #31", 0x8000_0000u, true, 1u, "nzcv")]
    [InlineData("lsrs r0, r1, #32", 0x8000_0000u, false, 0u, "nZCv")]
    [InlineData("lsrs r0, r1, #32", 0x7FFF_FFFFu, true, 0u, "nZcv")]
    [InlineData("asrs r0, r1, #1", 0x8000_0003u, false, 0xC000_0001u, "NzCv")]
    [InlineData("asrs r0, r1, #31", 0x4000_0000u, false, 0u, "nZCv")]
    [InlineData("asrs r0, r1, #32", 0x8000_0000u, false, 0xFFFF_FFFFu, "NzCv")]
    [InlineData("asrs r0, r1, #32", 0x7FFF_FFFFu, true, 0u, "nZcv")]
    public void ShiftByImmediate(string insn, uint value, bool carryIn, uint result, string flags)
    {
        using var h = RunThumb(insn, s =>
        {
            s.Cpu.R[1] = value;
            s.Cpu.C = carryIn;
            s.Cpu.V = false;
        });
        Assert.Equal(result, h[0]);
        Assert.Equal(flags, h.Flags);
    }

    [Fact]
    public void LsrAndAsrImmediateZeroEncodeThirtyTwo()
    {
        // Check the encodings themselves: GNU as writes #32 as an immediate field of 0.
        using var h = RunThumb(".short 0x080A\n.short 0x100B", s => s.Cpu.R[1] = 0x8000_0000); // lsrs r2, r1, #32; asrs r3, r1, #32
        Assert.Equal(0u, h[2]);
        Assert.Equal(0xFFFF_FFFFu, h[3]);
        Assert.True(h.Cpu.C);
    }

    // LSL/LSR/ASR/ROR (2): the amount is Rs[7:0] with the ARM register-shift rules (A5.1.6-A5.1.12).
    [Theory]
    [InlineData("lsls", 0u, 0x8000_0001u, true, 0x8000_0001u, true)]    // by 0: value and C unchanged
    [InlineData("lsls", 1u, 0x8000_0001u, false, 2u, true)]
    [InlineData("lsls", 31u, 3u, false, 0x8000_0000u, true)]
    [InlineData("lsls", 32u, 1u, false, 0u, true)]                      // carry = bit 0
    [InlineData("lsls", 33u, 0xFFFF_FFFFu, true, 0u, false)]
    [InlineData("lsls", 0x101u, 1u, false, 2u, false)]                  // only Rs[7:0] counts
    [InlineData("lsrs", 0u, 0x8000_0001u, false, 0x8000_0001u, false)]
    [InlineData("lsrs", 1u, 0x8000_0001u, false, 0x4000_0000u, true)]
    [InlineData("lsrs", 31u, 0xC000_0000u, false, 1u, true)]
    [InlineData("lsrs", 32u, 0x8000_0000u, false, 0u, true)]            // carry = bit 31
    [InlineData("lsrs", 33u, 0xFFFF_FFFFu, true, 0u, false)]
    [InlineData("asrs", 0u, 0x8000_0000u, true, 0x8000_0000u, true)]
    [InlineData("asrs", 1u, 0x8000_0003u, false, 0xC000_0001u, true)]
    [InlineData("asrs", 31u, 0x8000_0000u, false, 0xFFFF_FFFFu, false)]
    [InlineData("asrs", 32u, 0x8000_0000u, false, 0xFFFF_FFFFu, true)]
    [InlineData("asrs", 200u, 0x7FFF_FFFFu, true, 0u, false)]
    [InlineData("rors", 0u, 1u, false, 1u, false)]
    [InlineData("rors", 1u, 1u, false, 0x8000_0000u, true)]
    [InlineData("rors", 31u, 2u, true, 4u, false)]
    [InlineData("rors", 32u, 0x8000_0000u, false, 0x8000_0000u, true)]  // by 32: unchanged, C = bit 31
    [InlineData("rors", 33u, 3u, false, 0x8000_0001u, true)]            // by 33 = by 1
    public void ShiftByRegister(string shift, uint amount, uint value, bool carryIn, uint result, bool carryOut)
    {
        using var h = RunThumb($"{shift} r0, r1", s =>
        {
            s.Cpu.R[0] = value;
            s.Cpu.R[1] = amount;
            s.Cpu.C = carryIn;
            s.Cpu.V = true;
        });
        Assert.Equal(result, h[0]);
        Assert.Equal(carryOut, h.Cpu.C);
        Assert.Equal((int)result < 0, h.Cpu.N);
        Assert.Equal(result == 0, h.Cpu.Z);
        Assert.True(h.Cpu.V); // V is unaffected
    }

    // ---- high registers --------------------------------------------------------------------------

    [Fact]
    public void HighRegisterAddAndMovLeaveFlagsAlone()
    {
        using var h = RunThumb("""
            mov r8, r0
            add r8, r1
            mov r2, r8
            add r9, r8
            mov r3, r9
            """, s =>
        {
            s.Cpu.R[0] = 0xFFFF_FFFF;
            s.Cpu.R[1] = 1;
            s.Cpu.R[9] = 0x10;
            SetFlags(s.Cpu, "nzcV");
        });
        Assert.Equal(0u, h[2]);      // 0xFFFFFFFF + 1: no flags set for it
        Assert.Equal(0x10u, h[3]);
        Assert.Equal("nzcV", h.Flags);
    }

    [Theory]
    [InlineData(5u, 5u, "nZCv")]
    [InlineData(3u, 5u, "Nzcv")]
    [InlineData(0x8000_0000u, 1u, "nzCV")]
    public void HighRegisterCmpSetsFlags(uint a, uint b, string flags)
    {
        using var h = RunThumb("cmp r8, r10", s => { s.Cpu.R[8] = a; s.Cpu.R[10] = b; });
        Assert.Equal(flags, h.Flags);
    }

    [Fact]
    public void HighRegisterFormsReadPcAsAddressPlusFour()
    {
        using var h = RunThumb("""
            mov r0, pc
            nop
            movs r1, #0
            add r1, pc
            """);
        Assert.Equal(Code + 4, h[0]);
        Assert.Equal(Code + 6 + 4, h[1]);
    }

    [Fact]
    public void AddToPcBranchesAndStaysInThumb()
    {
        // add pc, r1 at 0x1002: PC reads 0x1006; r1 = 5 gives 0x100B, bit 0 cleared: 0x100A.
        using var h = RunThumb("""
            movs r0, #1
            add pc, r1
            movs r0, #2
            movs r0, #3
            movs r0, #4
            movs r2, #9
            """, s => s.Cpu.R[1] = 5);
        Assert.Equal(1u, h[0]);
        Assert.Equal(9u, h[2]);
        Assert.True(h.Cpu.T);
    }

    [Fact]
    public void MovToPcBranchesAndStaysInThumb()
    {
        // An even target with bit 0 clear and one with bit 0 set both stay in Thumb state (no interworking in v5).
        using var h = RunThumb("""
            mov pc, r1
            movs r0, #2
            target:
            movs r2, #9
            mov pc, r3
            movs r0, #3
            """, s =>
        {
            s.Cpu.R[1] = Code + 4;
            s.Cpu.R[3] = Code + 11; // past the last instruction (0x100A), bit 0 set
        });
        Assert.Equal(0u, h[0]);
        Assert.Equal(9u, h[2]);
        Assert.True(h.Cpu.T);
        Assert.Equal(Code + 10, h.Cpu.PC);
    }

    // ---- loads and stores ------------------------------------------------------------------------

    [Fact]
    public void LdrLiteralAndAdrUseWordAlignedPc()
    {
        using var h = RunThumb("""
            ldr r0, [pc, #8]
            ldr r1, [pc, #8]
            adr r2, lit1
            nop
            b done
            nop
            lit0: .word 0x11111111
            lit1: .word 0x22222222
            lit2: .word 0x33333333
            done:
            """);
        // At 0x1000: Align(0x1004, 4) + 8 = 0x100C. At 0x1002: Align(0x1006, 4) + 8 = 0x100C too.
        Assert.Equal(0x1111_1111u, h[0]);
        Assert.Equal(0x1111_1111u, h[1]);
        Assert.Equal(Code + 0x10, h[2]); // adr at 0x1004: Align(0x1008, 4) + 8
        Assert.Equal(0x2222_2222u, h.Read32(h[2]));
    }

    [Fact]
    public void LoadsZeroAndSignExtend()
    {
        using var h = RunThumb("""
            ldrb r2, [r0, r1]
            ldrsb r3, [r0, r1]
            ldrh r4, [r0, r5]
            ldrsh r5, [r0, r5]
            ldrb r6, [r0, #1]
            ldrh r7, [r0, #2]
            """, s =>
        {
            s.Write32(Data, 0x8081_7F80);
            s.Cpu.R[0] = Data;
            s.Cpu.R[1] = 0;
            s.Cpu.R[5] = 2;
        });
        Assert.Equal(0x80u, h[2]);
        Assert.Equal(0xFFFF_FF80u, h[3]);
        Assert.Equal(0x8081u, h[4]);
        Assert.Equal(0xFFFF_8081u, h[5]);
        Assert.Equal(0x7Fu, h[6]);
        Assert.Equal(0x8081u, h[7]);
    }

    [Fact]
    public void LdrsbAndLdrshOfPositiveValues()
    {
        using var h = RunThumb("ldrsb r2, [r0, r1]\nldrsh r3, [r0, r1]", s =>
        {
            s.Write32(Data, 0x0000_7F7F);
            s.Cpu.R[0] = Data;
            s.Cpu.R[1] = 0;
        });
        Assert.Equal(0x7Fu, h[2]);
        Assert.Equal(0x7F7Fu, h[3]);
    }

    [Fact]
    public void WordLoadsAndStoresWithEveryAddressingForm()
    {
        using var h = RunThumb("""
            str r2, [r0, r1]
            str r3, [r0, #4]
            str r4, [sp, #8]
            ldr r5, [r0, r1]
            ldr r6, [r0, #124]
            ldr r7, [sp, #1020]
            """, s =>
        {
            s.Cpu.R[0] = Data;
            s.Cpu.R[1] = 12;
            s.Cpu.R[2] = 0xAAAA_0001;
            s.Cpu.R[3] = 0xBBBB_0002;
            s.Cpu.R[4] = 0xCCCC_0003;
            s.Cpu.R[13] = Data + 0x100;
            s.Write32(Data + 124, 0x1234_5678);
            s.Write32(Data + 0x100 + 1020, 0x8765_4321);
        });
        Assert.Equal(0xAAAA_0001u, h.Read32(Data + 12));
        Assert.Equal(0xBBBB_0002u, h.Read32(Data + 4));
        Assert.Equal(0xCCCC_0003u, h.Read32(Data + 0x108));
        Assert.Equal(0xAAAA_0001u, h[5]);
        Assert.Equal(0x1234_5678u, h[6]);
        Assert.Equal(0x8765_4321u, h[7]);
    }

    [Fact]
    public void ByteAndHalfwordStores()
    {
        using var h = RunThumb("""
            strb r2, [r0, r1]
            strb r2, [r0, #31]
            strh r3, [r0, r5]
            strh r3, [r0, #62]
            """, s =>
        {
            s.Cpu.R[0] = Data;
            s.Cpu.R[1] = 1;
            s.Cpu.R[2] = 0x1234_56AB;
            s.Cpu.R[3] = 0x1234_CDEF;
            s.Cpu.R[5] = 4;
        });
        Assert.Equal(0x0000_AB00u, h.Read32(Data));
        Assert.Equal(0xAB00_0000u, h.Read32(Data + 28));
        Assert.Equal(0x0000_CDEFu, h.Read32(Data + 4));
        Assert.Equal(0xCDEF_0000u, h.Read32(Data + 60));
    }

    [Theory]
    // ARMv5 legacy alignment: LDR rotates the aligned word (A4.1.23), LDRH/LDRSH ignore bit 0.
    [InlineData("ldr r2, [r0, r1]", 0u, 0x4433_2211u)]
    [InlineData("ldr r2, [r0, r1]", 1u, 0x1144_3322u)]
    [InlineData("ldr r2, [r0, r1]", 2u, 0x2211_4433u)]
    [InlineData("ldr r2, [r0, r1]", 3u, 0x3322_1144u)]
    [InlineData("ldrh r2, [r0, r1]", 1u, 0x2211u)]
    [InlineData("ldrh r2, [r0, r1]", 3u, 0x4433u)]
    [InlineData("ldrsh r2, [r0, r1]", 3u, 0x4433u)]
    public void UnalignedLoads(string insn, uint offset, uint expected)
    {
        using var h = RunThumb(insn, s =>
        {
            s.Write32(Data, 0x4433_2211);
            s.Cpu.R[0] = Data;
            s.Cpu.R[1] = offset;
        });
        Assert.Equal(expected, h[2]);
    }

    [Fact]
    public void UnalignedLdrImmediateAndSpRelativeRotate()
    {
        using var h = RunThumb("ldr r2, [r0, #4]\nldr r3, [sp, #4]", s =>
        {
            s.Write32(Data + 4, 0x4433_2211);
            s.Cpu.R[0] = Data + 2;
            s.Cpu.R[13] = Data + 1;
        });
        Assert.Equal(0x2211_4433u, h[2]);
        Assert.Equal(0x1144_3322u, h[3]);
    }

    [Fact]
    public void UnalignedStoresAlignTheAddress()
    {
        using var h = RunThumb("str r2, [r0, r1]\nstrh r3, [r0, r4]", s =>
        {
            s.Cpu.R[0] = Data;
            s.Cpu.R[1] = 3;
            s.Cpu.R[2] = 0xDDCC_BBAA;
            s.Cpu.R[3] = 0x1234;
            s.Cpu.R[4] = 9;
        });
        Assert.Equal(0xDDCC_BBAAu, h.Read32(Data));
        Assert.Equal(0x1234u, h.Read32(Data + 8));
    }

    // ---- address generation and SP ------------------------------------------------------------------

    [Fact]
    public void SpArithmeticSetsNoFlags()
    {
        using var h = RunThumb("""
            add r0, sp, #1020
            add sp, #508
            mov r1, sp
            sub sp, #12
            mov r2, sp
            """, s =>
        {
            s.Cpu.R[13] = 0xFFFF_FF00;
            SetFlags(s.Cpu, "nZcV");
        });
        Assert.Equal(0x2FCu, h[0]); // 0xFFFFFF00 + 1020 wraps without setting C
        Assert.Equal(0xFCu, h[1]);
        Assert.Equal(0xF0u, h[2]);
        Assert.Equal("nZcV", h.Flags);
    }

    // ---- PUSH and POP -------------------------------------------------------------------------------

    [Fact]
    public void PushStoresLowRegistersThenLr()
    {
        using var h = RunThumb("push {r0, r2, lr}", s =>
        {
            s.Cpu.R[0] = 0xA0;
            s.Cpu.R[2] = 0xA2;
            s.Cpu.R[14] = 0xEE;
            s.Cpu.R[13] = Data + 0x100;
        });
        Assert.Equal(Data + 0x100 - 12, h[13]);
        Assert.Equal(0xA0u, h.Read32(Data + 0x100 - 12));
        Assert.Equal(0xA2u, h.Read32(Data + 0x100 - 8));
        Assert.Equal(0xEEu, h.Read32(Data + 0x100 - 4));
    }

    [Fact]
    public void PushPopRoundTripReturnsThroughPc()
    {
        using var h = RunThumb("""
            bl func
            movs r7, #7
            b done
            func:
            push {r4, r5, lr}
            movs r4, #0
            movs r5, #0
            pop {r4, r5, pc}
            done:
            """, s =>
        {
            s.Cpu.R[4] = 44;
            s.Cpu.R[5] = 55;
            s.Cpu.R[13] = Data + 0x100;
        });
        Assert.Equal(44u, h[4]);
        Assert.Equal(55u, h[5]);
        Assert.Equal(7u, h[7]);
        Assert.Equal(Data + 0x100, h[13]);
        Assert.True(h.Cpu.T);
    }

    [Fact]
    public void PopPcWithBitZeroClearInterworksToArm()
    {
        // ARMv5T: POP {pc} loads the PC as BX does (A7.1.49).
        using var h = CpuHarness.Run("""
            .thumb
            .syntax unified
                pop {r0, pc}
                movs r1, #1
            .align 2
            .arm
            arm_code:
                mov r2, #2
            """, s =>
        {
            s.Cpu.R[13] = Data;
            s.Write32(Data, 0x1234);
            s.Write32(Data + 4, Code + 4);
        });
        Assert.Equal(0x1234u, h[0]);
        Assert.Equal(0u, h[1]);
        Assert.Equal(2u, h[2]);
        Assert.False(h.Cpu.T);
        Assert.Equal(Data + 8, h[13]);
    }

    [Fact]
    public void EmptyPushAndPopListsAreUndefinedAsInQemu()
    {
        // PUSH {} and POP {} (R = 0, no registers) are UNPREDICTABLE; QEMU makes them UNDEFINED.
        foreach (string halfword in new[] { "0xB400", "0xBC00", "0xC000", "0xC800" })
        {
            using var h = RunThumb($".short {halfword}", s => s.Cpu.R[13] = Data, maxInstructions: 1);
            Assert.Equal(ProcessorMode.Undefined, h.Cpu.Mode);
            Assert.Equal(Code + 2, h[14]);
            Assert.Equal(0x4u, h.Cpu.PC);
        }
    }

    // ---- LDMIA and STMIA ----------------------------------------------------------------------------

    [Fact]
    public void StmiaAndLdmiaWriteBack()
    {
        using var h = RunThumb("""
            stmia r0!, {r1, r2, r3}
            ldmia r4!, {r5, r6, r7}
            """, s =>
        {
            s.Cpu.R[0] = Data;
            s.Cpu.R[1] = 11;
            s.Cpu.R[2] = 22;
            s.Cpu.R[3] = 33;
            s.Cpu.R[4] = Data;
        });
        Assert.Equal(Data + 12, h[0]);
        Assert.Equal(Data + 12, h[4]);
        Assert.Equal(11u, h.Read32(Data));
        Assert.Equal(22u, h.Read32(Data + 4));
        Assert.Equal(33u, h.Read32(Data + 8));
        Assert.Equal((11u, 22u, 33u), (h[5], h[6], h[7]));
    }

    [Fact]
    public void LdmiaWithBaseInListLoadsBaseAndDoesNotWriteBack()
    {
        using var h = RunThumb("ldmia r1, {r0, r1, r2}", s =>
        {
            s.Cpu.R[1] = Data;
            s.Write32(Data, 100);
            s.Write32(Data + 4, 101);
            s.Write32(Data + 8, 102);
        });
        Assert.Equal((100u, 101u, 102u), (h[0], h[1], h[2]));
    }

    [Fact]
    public void StmiaWithBaseInListStoresTheOriginalBase()
    {
        // Base lowest in the list: the ARM ARM stores the original base (A7.1.57).
        using var h = RunThumb("stmia r1!, {r1, r2}", s => { s.Cpu.R[1] = Data; s.Cpu.R[2] = 7; });
        Assert.Equal(Data, h.Read32(Data));
        Assert.Equal(7u, h.Read32(Data + 4));
        Assert.Equal(Data + 8, h[1]);
    }

    [Fact]
    public void StmiaWithBaseNotLowestStoresTheOriginalBaseAsQemuDoes()
    {
        // Base not the lowest register: UNPREDICTABLE in the ARM ARM; QEMU stores the original base.
        using var h = RunThumb("stmia r1!, {r0, r1}", s => { s.Cpu.R[0] = 5; s.Cpu.R[1] = Data; });
        Assert.Equal(5u, h.Read32(Data));
        Assert.Equal(Data, h.Read32(Data + 4));
        Assert.Equal(Data + 8, h[1]);
    }

    [Fact]
    public void LdmiaAbortLeavesBaseAndRegistersUnchanged()
    {
        // The second word is past the end of RAM: Data Abort, LR_abt = address + 8, base restored.
        // r0 loads before the fault, but no register may change: r0 keeps its value, as does r2 (the base).
        using var h = RunToVector("ldmia r2!, {r0, r1}\nldmia r0, {r0, r1}", 0x10, s =>
        {
            s.Cpu.R[0] = CpuHarness.RamSize - 4;
            s.Cpu.R[1] = 0x5555;
            s.Cpu.R[2] = CpuHarness.RamSize - 4;
        });
        Assert.Equal(ProcessorMode.Abort, h.Cpu.Mode);
        Assert.Equal(Code + 8, h[14]);
        Assert.Equal(CpuHarness.RamSize - 4, h[0]);
        Assert.Equal(0x5555u, h[1]);
        Assert.Equal(CpuHarness.RamSize - 4, h[2]);
        Assert.NotEqual(0u, h.Cpu.Spsr & 0x20); // the T bit was saved

        // The same with the base in the list (no write-back): the base must not take the loaded value.
        h.Cpu.SwitchMode(ProcessorMode.Supervisor);
        h.Cpu.T = true;
        h.Cpu.PC = Code + 2;
        Assert.Equal(StopReason.Address, h.Cpu.Run(10, 0x10));
        Assert.Equal(ProcessorMode.Abort, h.Cpu.Mode);
        Assert.Equal(Code + 2 + 8, h[14]);
        Assert.Equal(CpuHarness.RamSize - 4, h[0]);
        Assert.Equal(0x5555u, h[1]);
    }

    [Fact]
    public void PopAbortLeavesSpUnchanged()
    {
        using var h = RunToVector("pop {r0, r1, pc}", 0x10, s =>
        {
            s.Cpu.R[0] = 0x5555;
            s.Cpu.R[13] = CpuHarness.RamSize - 8;
        });
        Assert.Equal(ProcessorMode.Abort, h.Cpu.Mode);
        Assert.Equal(0x5555u, h[0]);
        Assert.Equal(CpuHarness.RamSize - 8, h.Cpu.GetBankedRegister(ProcessorMode.Supervisor, 13));
    }

    // ---- branches -----------------------------------------------------------------------------------

    [Theory]
    // condition, flags, taken
    [InlineData("eq", "nZcv", true)]
    [InlineData("eq", "nzcv", false)]
    [InlineData("ne", "nzcv", true)]
    [InlineData("ne", "nZcv", false)]
    [InlineData("cs", "nzCv", true)]
    [InlineData("cs", "nzcv", false)]
    [InlineData("cc", "nzcv", true)]
    [InlineData("cc", "nzCv", false)]
    [InlineData("mi", "Nzcv", true)]
    [InlineData("mi", "nzcv", false)]
    [InlineData("pl", "nzcv", true)]
    [InlineData("pl", "Nzcv", false)]
    [InlineData("vs", "nzcV", true)]
    [InlineData("vs", "nzcv", false)]
    [InlineData("vc", "nzcv", true)]
    [InlineData("vc", "nzcV", false)]
    [InlineData("hi", "nzCv", true)]
    [InlineData("hi", "nZCv", false)]
    [InlineData("ls", "nZCv", true)]
    [InlineData("ls", "nzCv", false)]
    [InlineData("ge", "NzcV", true)]
    [InlineData("ge", "Nzcv", false)]
    [InlineData("lt", "Nzcv", true)]
    [InlineData("lt", "NzcV", false)]
    [InlineData("gt", "nzcv", true)]
    [InlineData("gt", "nZcv", false)]
    [InlineData("le", "nZcv", true)]
    [InlineData("le", "nzcv", false)]
    public void ConditionalBranch(string cond, string flags, bool taken)
    {
        using var h = RunThumb($"""
            b{cond} skip
            movs r0, #1
            skip:
            movs r1, #1
            """, s => SetFlags(s.Cpu, flags));
        Assert.Equal(taken ? 0u : 1u, h[0]);
        Assert.Equal(1u, h[1]);
    }

    [Fact]
    public void ConditionalBranchBackwardLoops()
    {
        using var h = RunThumb("""
            movs r0, #5
            movs r1, #0
            loop:
            adds r1, #2
            subs r0, #1
            bne loop
            """);
        Assert.Equal(10u, h[1]);
        Assert.Equal(0u, h[0]);
    }

    [Fact]
    public void ConditionalBranchReachesItsExtremes()
    {
        // B<c> reaches -256..+254 from PC (address + 4): BEQ at 0x10FE to 0x1002 is offset -256.
        string pad = string.Concat(Enumerable.Repeat("nop\n", 123));
        using var back = RunThumb($"""
            b fwd
            back:
            movs r1, #1
            b done
            {pad}
            fwd:
            cmp r0, r0
            beq back
            done:
            """);
        Assert.Equal(1u, back[1]);
        Assert.Equal(0xD080u, back.Read32(Code + 0xFC) >> 16); // offset field 0x80 = -128 halfwords

        // BEQ at 0x1002 to 0x1104 is offset +254.
        using var fwd = RunThumb($"""
            cmp r0, r0
            beq far
            {string.Concat(Enumerable.Repeat("nop\n", 128))}
            far:
            movs r1, #1
            """);
        Assert.Equal(1u, fwd[1]);
        Assert.Equal(3ul, fwd.Cpu.InstructionsExecuted);
        Assert.Equal(0xD07Fu, fwd.Read32(Code) >> 16);
    }

    [Fact]
    public void UnconditionalBranchForwardAndBackward()
    {
        using var h = RunThumb("""
            b fwd
            movs r0, #1
            back:
            movs r2, #2
            b done
            fwd:
            movs r1, #1
            b back
            movs r0, #2
            done:
            """);
        Assert.Equal(0u, h[0]);
        Assert.Equal(1u, h[1]);
        Assert.Equal(2u, h[2]);
    }

    [Fact]
    public void BlForwardAndBackwardSetLrToNextInstructionWithBitZero()
    {
        using var h = RunThumb("""
            b start
            back:
            mov r5, lr
            bx lr
            start:
            bl fwd
            mov r6, lr
            b done
            fwd:
            mov r4, lr
            bl back
            bx r4
            done:
            """);
        // bl fwd at 0x1006 (4 bytes): returns to 0x100A; bl back at 0x1010 returns to 0x1014.
        Assert.Equal(Code + 0xA + 1, h[4]);
        Assert.Equal(Code + 0x14 + 1, h[5]);
        Assert.Equal(Code + 0x14 + 1, h[6]);
        Assert.True(h.Cpu.T);
    }

    [Fact]
    public void BlSuffixAloneBranchesFromLr()
    {
        // A BL suffix (H = 11) without its prefix: target = LR + offset_11 * 2, LR = next | 1.
        using var h = RunThumb("""
            .short 0xF802
            movs r0, #1
            movs r1, #1
            movs r2, #1
            """, s => s.Cpu.R[14] = Code + 2);
        Assert.Equal(0u, h[0]);
        Assert.Equal(0u, h[1]);
        Assert.Equal(1u, h[2]);
        Assert.Equal(Code + 3, h[14]);
    }

    [Fact]
    public void BlPrefixSetsLrToPcPlusOffset()
    {
        // Prefix 0xF7FF: LR = PC + SignExtend(0x7FF << 12) = 0x1004 - 0x1000.
        using var h = RunThumb(".short 0xF7FF\n.short 0xF000\n", maxInstructions: 1);
        Assert.Equal(4u, h[14]);
        h.Cpu.Run(1);
        Assert.Equal(Code + 4, h.Cpu.PC);           // 0xF000 is another prefix: only LR changes
        Assert.Equal(Code + 2 + 4, h[14]);
    }

    [Fact]
    public void BlPairRunsAsTwoInstructions()
    {
        // Each half is an instruction: run the prefix, then the suffix, in separate runs.
        using var h = RunThumb("""
            bl target
            movs r0, #1
            target:
            movs r1, #2
            """, maxInstructions: 1);
        Assert.Equal(Code + 4, h[14]); // prefix: LR = PC + 0
        h.Cpu.Run(1);
        Assert.Equal(Code + 6, h.Cpu.PC);
        Assert.Equal(Code + 5, h[14]);
    }

    [Fact]
    public void BlxImmediateToArmAndBackWithBxLr()
    {
        using var h = CpuHarness.Run("""
            .thumb
            .syntax unified
                movs r1, #1
                blx arm_func
                adds r1, #4
                b done
            .align 2
            .arm
            arm_func:
                add r1, r1, #2
                mov r3, lr
                bx lr
            .thumb
            done:
            """);
        Assert.Equal(7u, h[1]);
        Assert.Equal(Code + 6 + 1, h[3]); // LR = next Thumb instruction | 1
        Assert.True(h.Cpu.T);
    }

    [Fact]
    public void BlxSuffixAlignsTheTargetToAWord()
    {
        // 0xE802: offset_11 = 2, target = (LR + 4) & ~3, in ARM state.
        using var h = CpuHarness.Run("""
            .thumb
                .short 0xE802
                .short 0
                .short 0
                .short 0
            .arm
                mov r0, #1
            """, s => s.Cpu.R[14] = Code + 6);
        // (0x1006 + 4) & ~3 = 0x1008: the ARM MOV.
        Assert.Equal(1u, h[0]);
        Assert.False(h.Cpu.T);
        Assert.Equal(Code + 3, h.Cpu.GetBankedRegister(ProcessorMode.Supervisor, 14));
    }

    [Fact]
    public void BlxSuffixWithBitZeroSetIsUndefined()
    {
        using var h = RunThumb(".short 0xE801", s => s.Cpu.R[14] = 0x4444, maxInstructions: 1);
        Assert.Equal(ProcessorMode.Undefined, h.Cpu.Mode);
        Assert.Equal(Code + 2, h[14]);
        Assert.Equal(0x4444u, h.Cpu.GetBankedRegister(ProcessorMode.Supervisor, 14));
    }

    [Fact]
    public void BxRoundTripThroughArmState()
    {
        using var h = CpuHarness.Run("""
            .thumb
            .syntax unified
                movs r1, #1
                adr r0, arm_part
                bx r0
                nop
            .align 2
            .arm
            arm_part:
                add r1, r1, #8
                adr r2, thumb_end + 1
                bx r2
            .thumb
            thumb_end:
                adds r1, #16
            """);
        Assert.Equal(25u, h[1]);
        Assert.True(h.Cpu.T);
    }

    [Fact]
    public void BxPcSwitchesToArmAtTheNextWord()
    {
        using var h = CpuHarness.Run("""
            .thumb
            .syntax unified
                bx pc
                movs r0, #1
            .arm
                mov r1, #2
            """);
        Assert.Equal(0u, h[0]);
        Assert.Equal(2u, h[1]);
        Assert.False(h.Cpu.T);
    }

    [Fact]
    public void BlxRegisterLinksAndInterworks()
    {
        using var h = CpuHarness.Run("""
            .thumb
            .syntax unified
                adr r0, arm_func
                blx r0
                b done
            .align 2
            .arm
            arm_func:
                mov r5, lr
                bx lr
            .thumb
            done:
            """);
        Assert.Equal(Code + 4 + 1, h[5]);
        Assert.True(h.Cpu.T);
    }

    [Fact]
    public void BlxLrReadsTheTargetBeforeLinking()
    {
        using var h = RunThumb("blx lr\nmovs r0, #1\nmovs r1, #1", s => s.Cpu.R[14] = Code + 4 + 1);
        Assert.Equal(0u, h[0]);
        Assert.Equal(1u, h[1]);
        Assert.Equal(Code + 3, h[14]);
    }

    // ---- exceptions ---------------------------------------------------------------------------------

    [Fact]
    public void SvcEntersSupervisorModeWithLrAfterTheInstruction()
    {
        using var h = RunThumb("nop\nsvc #42", s =>
        {
            s.Cpu.SwitchMode(ProcessorMode.User);
            SetFlags(s.Cpu, "NzCv");
        }, maxInstructions: 2);
        Assert.Equal(ProcessorMode.Supervisor, h.Cpu.Mode);
        Assert.Equal(Code + 4, h[14]);
        Assert.Equal(0x8u, h.Cpu.PC);
        Assert.False(h.Cpu.T);
        Assert.True(h.Cpu.I);
        Assert.Equal(0xA000_0030u, h.Cpu.Spsr & 0xF000_003F); // N, C, T, User mode
    }

    [Fact]
    public void SvcPassesItsHalfwordToTheExceptionHandler()
    {
        uint seen = 0;
        using var h = RunThumb("svc #42\nmovs r0, #3", s => s.Cpu.ExceptionHandler = (Cpu _, in CpuException e) =>
        {
            seen = e.Opcode;
            return ExceptionDisposition.Resume;
        });
        Assert.Equal(0xDF2Au, seen);
        Assert.Equal(3u, h[0]);
    }

    [Fact]
    public void BkptIsAPrefetchAbortWithLrAtAddressPlusFour()
    {
        using var h = RunThumb("nop\nbkpt #7", s => s.Cpu.SwitchMode(ProcessorMode.System), maxInstructions: 2);
        Assert.Equal(ProcessorMode.Abort, h.Cpu.Mode);
        Assert.Equal(Code + 2 + 4, h[14]);
        Assert.Equal(0xCu, h.Cpu.PC);
        Assert.False(h.Cpu.T);
        Assert.Equal(0x3Fu, h.Cpu.Spsr & 0x3F); // Thumb, System mode
    }

    [Theory]
    [InlineData("0xDE00")] // B<c> with condition 1110
    [InlineData("0xDEFF")]
    [InlineData("0x4701")] // BX with bits 2:0 not zero
    [InlineData("0xB100")] // unallocated miscellaneous space (ARMv6 CBZ / SXTH later)
    [InlineData("0xBA00")] // REV (ARMv6)
    public void UndefinedHalfwordsEnterUndefinedMode(string halfword)
    {
        using var h = RunThumb($"nop\n.short {halfword}", s => s.Cpu.SwitchMode(ProcessorMode.User), maxInstructions: 2);
        Assert.Equal(ProcessorMode.Undefined, h.Cpu.Mode);
        Assert.Equal(Code + 2 + 2, h[14]); // the instruction after the undefined one
        Assert.Equal(0x4u, h.Cpu.PC);
        Assert.False(h.Cpu.T);
        Assert.Equal(0x30u, h.Cpu.Spsr & 0x3F); // Thumb, User mode
    }
}
