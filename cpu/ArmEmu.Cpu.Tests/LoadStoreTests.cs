using ArmEmu.Memory;

namespace ArmEmu.Cpu.Tests;

/// <summary>
/// Single loads and stores (ARM ARM A4.1 LDR/STR and friends; addressing modes 2 and 3,
/// A5.2/A5.3) and swaps: every addressing form with its write-back, alignment, extension,
/// the T forms' privilege, loads to the PC, aborts, and QEMU's choices where the manual
/// says UNPREDICTABLE.
/// </summary>
public class LoadStoreTests
{
    private const uint Base = CpuHarness.DataBase + 0x100;

    /// <summary>Fills the scratch area so that the word at address A reads 0xA0000000 + (A - DataBase).</summary>
    private static void FillPattern(CpuHarness h)
    {
        for (uint a = CpuHarness.DataBase; a < CpuHarness.DataBase + 0x400; a += 4)
            h.Write32(a, Pattern(a));
    }

    private static uint Pattern(uint address) => 0xA000_0000 + (address - CpuHarness.DataBase);

    /// <summary>Runs <paramref name="source"/> until the PC reaches an exception vector (or the snippet's end).</summary>
    internal static CpuHarness RunToVector(string source, uint vector, Action<CpuHarness> setup)
    {
        var h = new CpuHarness();
        h.Load(source);
        h.Cpu.PC = CpuHarness.CodeBase;
        setup(h);
        h.Cpu.Run(100, vector);
        return h;
    }

    // ---- LDR / STR, every addressing form ---------------------------------------------------

    [Theory]
    // instruction, address the word comes from, base afterwards
    // (r1 = Base, r2 = 3, r3 = 12, r4 = 64, r5 = -16, r6 = 1)
    [InlineData("ldr r0, [r1]", Base, Base)]
    [InlineData("ldr r0, [r1, #8]", Base + 8, Base)]
    [InlineData("ldr r0, [r1, #-8]", Base - 8, Base)]
    [InlineData("ldr r0, [r1, #8]!", Base + 8, Base + 8)]
    [InlineData("ldr r0, [r1, #-0xFC]!", Base - 0xFC, Base - 0xFC)]
    [InlineData("ldr r0, [r1], #8", Base, Base + 8)]
    [InlineData("ldr r0, [r1], #-8", Base, Base - 8)]
    [InlineData("ldr r0, [r1, r3]", Base + 12, Base)]
    [InlineData("ldr r0, [r1, -r3]", Base - 12, Base)]
    [InlineData("ldr r0, [r1, r2, lsl #2]", Base + 12, Base)]
    [InlineData("ldr r0, [r1, -r2, lsl #3]", Base - 24, Base)]
    [InlineData("ldr r0, [r1, r4, lsr #2]", Base + 16, Base)]
    [InlineData("ldr r0, [r1, r4, lsr #32]", Base, Base)]           // LSR #32: offset 0
    [InlineData("ldr r0, [r1, r5, asr #2]", Base - 4, Base)]        // -16 ASR 2 = -4
    [InlineData("ldr r0, [r1, r4, asr #32]", Base, Base)]           // ASR #32 of a positive value: 0
    [InlineData("ldr r0, [r1, r6, ror #28]", Base + 0x10, Base)]
    [InlineData("ldr r0, [r1, r2, lsl #2]!", Base + 12, Base + 12)]
    [InlineData("ldr r0, [r1, -r2, lsl #2]!", Base - 12, Base - 12)]
    [InlineData("ldr r0, [r1], r3", Base, Base + 12)]
    [InlineData("ldr r0, [r1], -r2, lsl #1", Base, Base - 6)]
    [InlineData("ldr r0, [r1], r5, asr #1", Base, Base - 8)]
    public void LdrAddressingModes(string insn, uint address, uint baseAfter)
    {
        using var h = CpuHarness.Run(insn, s =>
        {
            FillPattern(s);
            s.Cpu.R[1] = Base;
            s.Cpu.R[2] = 3;
            s.Cpu.R[3] = 12;
            s.Cpu.R[4] = 64;
            s.Cpu.R[5] = unchecked((uint)-16);
            s.Cpu.R[6] = 1;
        });
        Assert.Equal(Pattern(address), h[0]);
        Assert.Equal(baseAfter, h[1]);
    }

    [Theory]
    // RRX shifts C into bit 31: with C set the offset is 0x80000010 and the base must wrap to reach Base + 0x10.
    [InlineData(true, Base + 0x8000_0000u)]
    [InlineData(false, Base)]
    public void RrxOffsetShiftsTheCarryIn(bool carry, uint baseValue)
    {
        using var h = CpuHarness.Run("ldr r0, [r1, r7, rrx]", s =>
        {
            FillPattern(s);
            s.Cpu.R[1] = baseValue;
            s.Cpu.R[7] = 0x20;
            s.Cpu.C = carry;
        });
        Assert.Equal(Pattern(Base + 0x10), h[0]);
    }

    [Fact]
    public void NegativeAsr32OffsetIsMinusOne()
    {
        // -1 as an offset: LDRB reads the byte just below the base.
        using var h = CpuHarness.Run("ldrb r0, [r1, r5, asr #32]", s =>
        {
            s.Bus.WriteRam(Base - 1, [0x5A]);
            s.Cpu.R[1] = Base;
            s.Cpu.R[5] = 0x8000_0000;
        });
        Assert.Equal(0x5Au, h[0]);
    }

    [Theory]
    // instruction, address written, base afterwards (r0 = 0x11223344, r1 = Base, r2 = 3)
    [InlineData("str r0, [r1, #4]", Base + 4, Base)]
    [InlineData("str r0, [r1, #-4]!", Base - 4, Base - 4)]
    [InlineData("str r0, [r1], #4", Base, Base + 4)]
    [InlineData("str r0, [r1, r2, lsl #2]", Base + 12, Base)]
    [InlineData("str r0, [r1, -r2, lsl #2]!", Base - 12, Base - 12)]
    [InlineData("str r0, [r1], -r2, lsl #4", Base, Base - 48)]
    [InlineData("str r0, [r1, #2]", Base, Base)]                      // word stores ignore address bits [1:0]
    public void StrAddressingModes(string insn, uint address, uint baseAfter)
    {
        using var h = CpuHarness.Run(insn, s =>
        {
            FillPattern(s);
            s.Cpu.R[0] = 0x1122_3344;
            s.Cpu.R[1] = Base;
            s.Cpu.R[2] = 3;
        });
        Assert.Equal(0x1122_3344u, h.Read32(address));
        Assert.Equal(Pattern(address + 4), h.Read32(address + 4)); // nothing else touched
        Assert.Equal(Pattern(address - 4), h.Read32(address - 4));
        Assert.Equal(baseAfter, h[1]);
    }

    // ---- alignment, extension, sizes ---------------------------------------------------------

    [Theory]
    // LDR from an unaligned address reads the aligned word rotated right by 8 * address[1:0] (A4.1.23).
    [InlineData(0u, 0x4433_2211u)]
    [InlineData(1u, 0x1144_3322u)]
    [InlineData(2u, 0x2211_4433u)]
    [InlineData(3u, 0x3322_1144u)]
    public void UnalignedLdrRotates(uint offset, uint expected)
    {
        using var h = CpuHarness.Run("ldr r0, [r1, r2]", s =>
        {
            s.Write32(Base, 0x4433_2211);
            s.Cpu.R[1] = Base;
            s.Cpu.R[2] = offset;
        });
        Assert.Equal(expected, h[0]);
    }

    [Theory]
    // Bytes at Base: 80 7F 01 80.
    [InlineData("ldrb r0, [r1]", 0x80u)]
    [InlineData("ldrb r0, [r1, #1]", 0x7Fu)]
    [InlineData("ldrsb r0, [r1]", 0xFFFF_FF80u)]
    [InlineData("ldrsb r0, [r1, #1]", 0x7Fu)]
    [InlineData("ldrh r0, [r1]", 0x7F80u)]
    [InlineData("ldrh r0, [r1, #2]", 0x8001u)]
    [InlineData("ldrsh r0, [r1]", 0x7F80u)]
    [InlineData("ldrsh r0, [r1, #2]", 0xFFFF_8001u)]
    [InlineData("ldrh r0, [r1, #3]", 0x8001u)]   // halfword accesses ignore address bit 0 (ARMv5, ARM926)
    [InlineData("ldrsh r0, [r1, #1]", 0x7F80u)]
    public void ByteAndHalfwordExtension(string insn, uint expected)
    {
        using var h = CpuHarness.Run(insn, s =>
        {
            s.Write32(Base, 0x8001_7F80);
            s.Cpu.R[1] = Base;
        });
        Assert.Equal(expected, h[0]);
    }

    [Theory]
    // Addressing mode 3: split 8-bit immediate and plain register offsets, with write-back
    // (r1 = Base, r3 = 12). The low halfword of the word at A is (A - DataBase).
    [InlineData("ldrh r0, [r1, #0x10]", 0x0110u, Base)]
    [InlineData("ldrh r0, [r1, #0xFC]", 0x01FCu, Base)]
    [InlineData("ldrh r0, [r1, #-0x24]", 0x00DCu, Base)]
    [InlineData("ldrh r0, [r1, #0x24]!", 0x0124u, Base + 0x24)]
    [InlineData("ldrh r0, [r1], #-0x24", 0x0100u, Base - 0x24)]
    [InlineData("ldrh r0, [r1, r3]", 0x010Cu, Base)]
    [InlineData("ldrsh r0, [r1, -r3]!", 0x00F4u, Base - 12)]
    [InlineData("ldrsb r0, [r1], r3", 0x00u, Base + 12)]
    [InlineData("ldrsb r0, [r1, #0x13]", 0xFFFF_FFA0u, Base)]   // top byte of the word at Base + 0x10
    public void ExtraLoadAddressingModes(string insn, uint expected, uint baseAfter)
    {
        using var h = CpuHarness.Run(insn, s =>
        {
            FillPattern(s);
            s.Cpu.R[1] = Base;
            s.Cpu.R[3] = 12;
        });
        Assert.Equal(expected, h[0]);
        Assert.Equal(baseAfter, h[1]);
    }

    [Theory]
    // r0 = 0x11223344, r1 = Base, r3 = 12: the word at address, afterwards, and the base.
    [InlineData("strb r0, [r1, #3]", Base, 0x4400_0100u, Base)]
    [InlineData("strb r0, [r1], #1", Base, 0xA000_0144u, Base + 1)]
    [InlineData("strh r0, [r1, #2]", Base, 0x3344_0100u, Base)]
    [InlineData("strh r0, [r1, #-4]!", Base - 4, 0xA000_3344u, Base - 4)]
    [InlineData("strh r0, [r1], -r3", Base, 0xA000_3344u, Base - 12)]
    [InlineData("strh r0, [r1, r3]!", Base + 12, 0xA000_3344u, Base + 12)]
    [InlineData("strh r0, [r1, #1]", Base, 0xA000_3344u, Base)]    // address bit 0 ignored
    public void ByteAndHalfwordStores(string insn, uint address, uint word, uint baseAfter)
    {
        using var h = CpuHarness.Run(insn, s =>
        {
            FillPattern(s);
            s.Cpu.R[0] = 0x1122_3344;
            s.Cpu.R[1] = Base;
            s.Cpu.R[3] = 12;
        });
        Assert.Equal(word, h.Read32(address));
        Assert.Equal(baseAfter, h[1]);
    }

    // ---- LDRD / STRD -----------------------------------------------------------------------

    [Theory]
    // instruction, address of the first word, base afterwards (r1 = Base, r4 = 16)
    [InlineData("ldrd r2, r3, [r1]", Base, Base)]
    [InlineData("ldrd r2, r3, [r1, #8]", Base + 8, Base)]
    [InlineData("ldrd r2, r3, [r1, #4]", Base + 4, Base)]       // word-aligned is enough on the ARM926
    [InlineData("ldrd r2, r3, [r1, #-8]!", Base - 8, Base - 8)]
    [InlineData("ldrd r2, r3, [r1], #8", Base, Base + 8)]
    [InlineData("ldrd r2, r3, [r1, -r4]", Base - 16, Base)]
    [InlineData("ldrd r2, r3, [r1, r4]!", Base + 16, Base + 16)]
    [InlineData("ldrd r2, r3, [r1], -r4", Base, Base - 16)]
    public void Ldrd(string insn, uint address, uint baseAfter)
    {
        using var h = CpuHarness.Run(insn, s =>
        {
            FillPattern(s);
            s.Cpu.R[1] = Base;
            s.Cpu.R[4] = 16;
        });
        Assert.Equal(Pattern(address), h[2]);
        Assert.Equal(Pattern(address + 4), h[3]);
        Assert.Equal(baseAfter, h[1]);
    }

    [Theory]
    [InlineData("strd r2, r3, [r1]", Base, Base)]
    [InlineData("strd r2, r3, [r1, #-8]!", Base - 8, Base - 8)]
    [InlineData("strd r2, r3, [r1], #0x18", Base, Base + 0x18)]
    [InlineData("strd r2, r3, [r1, r4]", Base + 16, Base)]
    [InlineData("strd r2, r3, [r1], -r4", Base, Base - 16)]
    public void Strd(string insn, uint address, uint baseAfter)
    {
        using var h = CpuHarness.Run(insn, s =>
        {
            FillPattern(s);
            s.Cpu.R[1] = Base;
            s.Cpu.R[2] = 0x1111_1111;
            s.Cpu.R[3] = 0x2222_2222;
            s.Cpu.R[4] = 16;
        });
        Assert.Equal(0x1111_1111u, h.Read32(address));
        Assert.Equal(0x2222_2222u, h.Read32(address + 4));
        Assert.Equal(Pattern(address + 8), h.Read32(address + 8));
        Assert.Equal(baseAfter, h[1]);
    }

    [Theory]
    // An odd Rt is UNPREDICTABLE (ARMv5TE); QEMU makes LDRD/STRD with an odd Rt UNDEFINED.
    [InlineData(0xE1C1_30D0u)] // ldrd r3, r4, [r1]
    [InlineData(0xE1C1_30F0u)] // strd r3, r4, [r1]
    [InlineData(0xE182_10D3u)] // ldrd r1, r2, [r2, r3]
    public void DoublewordWithOddRtIsUndefined(uint word)
    {
        using var h = RunToVector($".word 0x{word:x8}", 0x04, s =>
        {
            FillPattern(s);
            s.Cpu.R[1] = Base;
            s.Cpu.R[2] = Base;
            s.Cpu.R[3] = 0x3333_3333;
            s.Cpu.R[4] = 0x4444_4444;
        });
        Assert.Equal(ProcessorMode.Undefined, h.Cpu.Mode);
        Assert.Equal(CpuHarness.CodeBase + 4, h[14]);
        Assert.Equal(4u, h.Cpu.PC);
        Assert.Equal(0x3333_3333u, h[3]);
        Assert.Equal(Pattern(Base), h.Read32(Base));
    }

    [Fact]
    public void LdrdIntoR14AndPcBranchesWithoutInterworkingAsQemu()
    {
        // LDRD r14, [r1]: Rt2 is the PC, UNPREDICTABLE. QEMU writes it as a plain branch (bits [1:0] cleared, no Thumb).
        using var h = CpuHarness.Run(".word 0xE1C1E0D0", s =>
        {
            s.Write32(Base, 0x1234_5678);
            s.Write32(Base + 4, 0x2001);
            s.Cpu.R[1] = Base;
        }, maxInstructions: 1);
        Assert.Equal(0x1234_5678u, h[14]);
        Assert.Equal(0x2000u, h.Cpu.PC);
        Assert.False(h.Cpu.T);
    }

    [Fact]
    public void StrdOfR14AndPcStoresPcPlus8AsQemu()
    {
        using var h = CpuHarness.Run(".word 0xE1C1E0F0", s => // strd r14, [r1]
        {
            s.Cpu.R[1] = Base;
            s.Cpu.R[14] = 0xABCD;
        });
        Assert.Equal(0xABCDu, h.Read32(Base));
        Assert.Equal(CpuHarness.CodeBase + 8, h.Read32(Base + 4));
    }

    [Fact]
    public void LdrdWithBaseOverlappingRtEndsWithTheWrittenBackBaseAsQemu()
    {
        // ldrd r2, r3, [r2, #8]!: UNPREDICTABLE; QEMU writes Rt, Rt2, then the base.
        using var h = CpuHarness.Run(".word 0xE1E220D8", s =>
        {
            FillPattern(s);
            s.Cpu.R[2] = Base;
        });
        Assert.Equal(Base + 8, h[2]);
        Assert.Equal(Pattern(Base + 12), h[3]);
    }

    // ---- the T forms -------------------------------------------------------------------------

    private sealed class DataAccessLog : IMemoryObserver
    {
        public List<AccessKind> Kinds { get; } = [];

        public void OnAccess(uint va, uint pa, int size, AccessKind access, uint value)
        {
            if ((access & AccessKind.Fetch) == 0) Kinds.Add(access);
        }
    }

    [Theory]
    // In a privileged mode the T forms still access memory as User mode would (A4.1 LDRT etc.).
    [InlineData("ldrt r0, [r1], #4", AccessKind.Read)]
    [InlineData("ldrbt r0, [r1], -r2", AccessKind.Read)]
    [InlineData("strt r0, [r1], r2, lsl #2", AccessKind.Write)]
    [InlineData("strbt r0, [r1], #-1", AccessKind.Write)]
    [InlineData("ldr r0, [r1], #4", AccessKind.Read | AccessKind.Privileged)]
    [InlineData("strb r0, [r1], #-1", AccessKind.Write | AccessKind.Privileged)]
    public void TFormsAccessWithUserPrivilege(string insn, AccessKind expected)
    {
        var log = new DataAccessLog();
        using var h = CpuHarness.Run(insn, s =>
        {
            Assert.Equal(ProcessorMode.Supervisor, s.Cpu.Mode);
            s.Write32(Base, 0x1122_3344);
            s.Cpu.R[0] = 0x55;
            s.Cpu.R[1] = Base;
            s.Cpu.R[2] = 1;
            s.Port.Observer = log;
        });
        Assert.Equal(expected, Assert.Single(log.Kinds));
        Assert.NotEqual(Base, h[1]); // post-indexed: always written back
    }

    [Fact]
    public void LdrtLoadsAndRotatesLikeLdr()
    {
        using var h = CpuHarness.Run("ldrt r0, [r1], #4", s =>
        {
            s.Write32(Base, 0x4433_2211);
            s.Cpu.R[1] = Base + 1;
        });
        Assert.Equal(0x1144_3322u, h[0]);
        Assert.Equal(Base + 5, h[1]);
    }

    // ---- the PC as an operand or destination -------------------------------------------------

    [Fact]
    public void StrPcStoresInstructionAddressPlus8AsQemu()
    {
        // IMPLEMENTATION DEFINED (+8 or +12) in the ARM ARM; QEMU stores +8.
        using var h = CpuHarness.Run("nop\nstr pc, [r1]", s => s.Cpu.R[1] = Base);
        Assert.Equal(CpuHarness.CodeBase + 4 + 8, h.Read32(Base));
    }

    [Fact]
    public void LdrLiteralReadsRelativeToPcPlus8()
    {
        using var h = CpuHarness.Run("ldr r0, lit\nb over\nlit: .word 0xCAFEF00D\nover:");
        Assert.Equal(0xCAFE_F00Du, h[0]);
    }

    [Theory]
    // ARMv5T: a load to the PC interworks; bit 0 selects Thumb.
    [InlineData(0x2001u, 0x2000u, true)]
    [InlineData(0x2000u, 0x2000u, false)]
    public void LdrToPcInterworks(uint loaded, uint pc, bool thumb)
    {
        using var h = CpuHarness.Run("ldr pc, [r1], #4", s =>
        {
            s.Write32(Base, loaded);
            s.Cpu.R[1] = Base;
        }, maxInstructions: 1);
        Assert.Equal(pc, h.Cpu.PC);
        Assert.Equal(thumb, h.Cpu.T);
        Assert.Equal(Base + 4, h[1]);
    }

    [Fact]
    public void WriteBackToPcBranchesAsQemu()
    {
        // ldr r0, [pc, #4]!: write-back with Rn = PC is UNPREDICTABLE; QEMU loads, then branches to the address.
        using var h = CpuHarness.Run(".word 0xE5BF0004\nnop\nnop\n.word 0x12345678", maxInstructions: 1);
        Assert.Equal(0x1234_5678u, h[0]);
        Assert.Equal(CpuHarness.CodeBase + 12, h.Cpu.PC);
    }

    // ---- write-back onto the transferred register (UNPREDICTABLE: QEMU's order) -------------

    [Theory]
    // QEMU writes the base back first and the loaded register last: the loaded value wins.
    [InlineData("ldr r1, [r1, #4]!", Base + 4)]
    [InlineData("ldr r1, [r1], #4", Base)]
    [InlineData("ldr r1, [r1, r2]!", Base + 8)]
    public void LoadWithWriteBackToRtKeepsTheLoadedValue(string insn, uint address)
    {
        using var h = CpuHarness.Run(insn, s =>
        {
            FillPattern(s);
            s.Cpu.R[1] = Base;
            s.Cpu.R[2] = 8;
        });
        Assert.Equal(Pattern(address), h[1]);
    }

    [Fact]
    public void StoreWithWriteBackToRtStoresTheOldBase()
    {
        using var h = CpuHarness.Run("str r1, [r1, #4]!", s => s.Cpu.R[1] = Base);
        Assert.Equal(Base, h.Read32(Base + 4));
        Assert.Equal(Base + 4, h[1]);
    }

    // ---- aborts ------------------------------------------------------------------------------

    [Theory]
    // r1 = base; 0x90000-0x90FFF is unmapped. Nothing may change but memory before the faulting access.
    [InlineData("ldr r0, [r1, #4]!", 0x8FFFCu)]
    [InlineData("ldr r0, [r1], #4", 0x90000u)]
    [InlineData("str r0, [r1, #-4]!", 0x90004u)]
    [InlineData("ldrb r0, [r1, r2]!", 0x8FFFFu)]
    [InlineData("ldrh r0, [r1], #2", 0x90000u)]
    [InlineData("ldrd r2, r3, [r1, #4]!", 0x8FFF8u)]     // the second word faults
    [InlineData("strd r2, r3, [r1], #8", 0x8FFFCu)]
    [InlineData("swp r0, r2, [r1]", 0x90000u)]
    public void DataAbortLeavesRegistersUnchanged(string insn, uint baseValue)
    {
        using var h = RunToVector(insn, 0x10, s =>
        {
            s.Flat.Unmap(0x9_0000, 0x1000);
            s.Write32(0x8FFF8, 0x1111);
            s.Write32(0x8FFFC, 0x2222);
            s.Cpu.R[0] = 0xD0;
            s.Cpu.R[1] = baseValue;
            s.Cpu.R[2] = 1;
            s.Cpu.R[3] = 0xD3;
        });
        Assert.Equal(ProcessorMode.Abort, h.Cpu.Mode);
        Assert.Equal(CpuHarness.CodeBase + 8, h[14]);
        Assert.Equal(0x10u, h.Cpu.PC);
        Assert.Equal(0xD0u, h[0]);
        Assert.Equal(baseValue, h[1]);
        Assert.Equal(1u, h[2]);
        Assert.Equal(0xD3u, h[3]);
    }

    // ---- SWP / SWPB --------------------------------------------------------------------------

    [Theory]
    // instruction, offset of r1 from Base, r0 afterwards, word at Base afterwards (r2 = 0xCAFEBABE)
    [InlineData("swp r0, r2, [r1]", 0u, 0x4433_2211u, 0xCAFE_BABEu)]
    [InlineData("swp r0, r2, [r1]", 1u, 0x1144_3322u, 0xCAFE_BABEu)]   // unaligned: rotated like LDR, aligned write
    [InlineData("swp r0, r2, [r1]", 3u, 0x3322_1144u, 0xCAFE_BABEu)]
    [InlineData("swpb r0, r2, [r1]", 0u, 0x11u, 0x4433_22BEu)]
    [InlineData("swpb r0, r2, [r1]", 2u, 0x33u, 0x44BE_2211u)]
    public void Swap(string insn, uint offset, uint old, uint word)
    {
        using var h = CpuHarness.Run(insn, s =>
        {
            s.Write32(Base, 0x4433_2211);
            s.Cpu.R[0] = 0xFFFF_FFFF;
            s.Cpu.R[1] = Base + offset;
            s.Cpu.R[2] = 0xCAFE_BABE;
        });
        Assert.Equal(old, h[0]);
        Assert.Equal(word, h.Read32(Base));
        Assert.Equal(0xCAFE_BABEu, h[2]);
    }

    [Fact]
    public void SwapWithTheSameRegisterExchanges()
    {
        using var h = CpuHarness.Run("swp r0, r0, [r1]", s =>
        {
            s.Write32(Base, 0x1234);
            s.Cpu.R[0] = 0x5678;
            s.Cpu.R[1] = Base;
        });
        Assert.Equal(0x1234u, h[0]);
        Assert.Equal(0x5678u, h.Read32(Base));
    }
}
