using ArmEmu.Cpu.Decoding;
using ArmEmu.TestSupport;

namespace ArmEmu.Cpu.Tests;

/// <summary>
/// The T32 encoding table (DDI 0406C A6.3): well-formed, disjoint outside its groups, every row's
/// samples decoding back to it, every word class decoding to a row or UNDEFINED, and GNU as's
/// encodings of the instructions decoding to the rows the manual names.
/// </summary>
public class Thumb32DecoderTests
{
    private static readonly EncodingRow[] Rows = Thumb32Decoder.Rows;

    private static DecoderTable TableV7 => Thumb32Decoder.For(ArchVersion.V7).Table;

    [Fact]
    public void RowNamesAreUnique()
    {
        var duplicates = Thumb32Encodings.Rows.Concat(Thumb32Encodings.CoprocessorRows)
            .GroupBy(r => r.Name).Where(g => g.Count() > 1).Select(g => g.Key);
        Assert.Empty(duplicates);
    }

    [Fact]
    public void EveryRowIsInThe32BitSpace()
    {
        foreach (var row in Rows)
        {
            Assert.Equal(32, row.Pattern.Length);
            // Bits 31:27 (hw1 15:11) are 11101, 11110 or 11111 in every word of the row (A6.1): bits
            // 31:29 fixed to 111 and bit 28 or bit 27 fixed to 1. (The Advanced SIMD rows, 111U 1111,
            // leave bit 28 to the U field: A7.4.)
            bool fixed111 = (row.Mask >> 29) == 0x7 && (row.Value >> 29) == 0x7;
            bool not00 = (row.Mask & row.Value & (3u << 27)) != 0;
            Assert.True(fixed111 && not00, $"{row} is not a 32-bit Thumb pattern");
        }
    }

    [Fact]
    public void RowsOutsideAGroupNeverOverlap()
    {
        var clashes = new List<string>();
        for (int i = 0; i < Rows.Length; i++)
            for (int j = i + 1; j < Rows.Length; j++)
                if (Rows[i].Overlaps(Rows[j]) && (Rows[i].Group is null || Rows[i].Group != Rows[j].Group))
                    clashes.Add($"{Rows[i]} overlaps {Rows[j]}");
        Assert.Empty(clashes);
    }

    [Fact]
    public void EveryRowDecodesItsOwnSamplesBack()
    {
        var table = TableV7;
        var random = new Random(3232);
        for (int i = 0; i < Rows.Length; i++)
        {
            var row = Rows[i];
            for (int sample = 0, tries = 0; sample < 200 && tries < 10_000; tries++)
            {
                uint word = ((uint)random.Next() << 1 ^ (uint)random.Next()) & ~row.Mask | row.Value;
                if (!row.Matches(word)) continue; // an excluded field value ("Rn != 1111")
                sample++;
                int decoded = table.DecodeRow(word);
                // In a group a row that outranks this one may take the word: a higher priority (the
                // manual's carve-outs, "L:imm6 = 0000xxx: see One register and a modified immediate")
                // or, at the same priority, more fixed bits -- the order DecoderTable scans in.
                bool ok = decoded == i
                          || (decoded >= 0 && row.Group is not null && table.Rows[decoded].Group == row.Group
                              && (table.Rows[decoded].Priority > row.Priority
                                  || (table.Rows[decoded].Priority == row.Priority && table.Rows[decoded].Specificity > row.Specificity)));
                Assert.True(ok, $"0x{word:x8} from {row} decoded as {(decoded < 0 ? "UNDEFINED" : table.Rows[decoded].ToString())}");
            }
        }
    }

    [Fact]
    public void EveryGroupedRowWinsSomeWord()
    {
        var table = TableV7;
        var random = new Random(77);
        for (int i = 0; i < Rows.Length; i++)
        {
            if (Rows[i].Group is null) continue;
            bool wins = false;
            for (int sample = 0; sample < 4000 && !wins; sample++)
            {
                uint word = ((uint)random.Next() << 1 ^ (uint)random.Next()) & ~Rows[i].Mask | Rows[i].Value;
                wins = table.DecodeRow(word) == i;
            }
            Assert.True(wins, $"{Rows[i]} never decodes");
        }
    }

    [Fact]
    public unsafe void EveryWordClassDecodesToSomething()
    {
        var table = TableV7;
        uint[] fillers = [0x0000_0000, 0x000F_7FFF, 0x0005_2A55, 0x000A_55AA, 0x000F_0F0F];
        for (uint bucket = 0; bucket < 8192; bucket++)
            foreach (uint fill in fillers)
            {
                uint word = (bucket >> 1) << 20 | (bucket & 1) << 15 | fill;
                if (word >> 27 < 0x1D) continue; // not a 32-bit instruction
                Assert.True(table.Decode(word) != null);
            }
    }

    [Fact]
    public void DivideNeedsTheThumbDivideFeature()
    {
        // sdiv r0, r1, r2 = fb91 f0f2
        Assert.Equal(-1, Thumb32Decoder.For(CpuModel.CortexA9).Table.DecodeRow(0xFB91_F0F2));
        Assert.Equal("SDIV T1", Thumb32Decoder.For(CpuModel.CortexA15).Table.Rows[Thumb32Decoder.For(CpuModel.CortexA15).Table.DecodeRow(0xFB91_F0F2)].Name);
    }

    [Fact]
    public unsafe void TheAdvancedSimdTransformIsTheManuals()
    {
        var row = new EncodingRow("1111001U0Dsznnnndddd1000NQM0mmmm", "VADD (integer) A1", null);
        var t32 = NeonEncodings.ToThumb(row);
        Assert.Equal("111U11110Dsznnnndddd1000NQM0mmmm", t32.Pattern);
        Assert.Equal("VADD (integer) T1", t32.Name);
        var load = new EncodingRow("111101000D10nnnnddddttttsizeaamm".Replace("size", "zzzz"), "VLD1 (multiple single elements) A1", null);
        Assert.StartsWith("11111001", NeonEncodings.ToThumb(load).Pattern);
    }

    /// <summary>Instructions as GNU as encodes them (-march=armv7ve, Thumb), and the row each must decode to.</summary>
    [Theory]
    [InlineData("and.w r1, r2, #0xff00ff00", "AND (immediate) T1")]
    [InlineData("tst.w r2, #0x80000000", "TST (immediate) T1")]
    [InlineData("mov.w r3, #0x3fc", "MOV (immediate) T2")]
    [InlineData("orn r3, r4, #7", "ORN (immediate) T1")]
    [InlineData("mvn.w r3, #1", "MVN (immediate) T1")]
    [InlineData("cmp.w r9, #0x100", "CMP (immediate) T2")]
    [InlineData("adds.w r0, r1, #0x55555555", "ADD (immediate) T3")]
    [InlineData("addw r0, r1, #0xfff", "ADD (immediate) T4")]
    [InlineData("subw r0, sp, #0x123", "SUB (immediate) T4")]
    [InlineData("adr.w r0, . + 0x100", "ADR T3")]
    [InlineData("movw r7, #0xbeef", "MOV (immediate) T3")]
    [InlineData("movt r7, #0xdead", "MOVT T1")]
    [InlineData("ssat r0, #8, r1, asr #3", "SSAT T1")]
    [InlineData("ssat16 r0, #8, r1", "SSAT16 T1")]
    [InlineData("usat r0, #7, r1, lsl #2", "USAT T1")]
    [InlineData("usat16 r0, #7, r1", "USAT16 T1")]
    [InlineData("sbfx r0, r1, #3, #9", "SBFX T1")]
    [InlineData("ubfx r0, r1, #3, #9", "UBFX T1")]
    [InlineData("bfi r0, r1, #3, #9", "BFI T1")]
    [InlineData("bfc r0, #3, #9", "BFC T1")]
    [InlineData("msr APSR_nzcvq, r2", "MSR (register) T1")]
    [InlineData("mrs r2, APSR", "MRS T1")]
    [InlineData("bxj r3", "BXJ T1")]
    [InlineData("subs pc, lr, #4", "SUBS PC, LR T1")]
    [InlineData("cpsid.w i", "CPS T2")]
    [InlineData("nop.w", "NOP T2")]
    [InlineData("yield.w", "YIELD T2")]
    [InlineData("wfi.w", "WFI T2")]
    [InlineData("dbg #5", "DBG T1")]
    [InlineData("clrex", "CLREX T1")]
    [InlineData("dmb ish", "DMB T1")]
    [InlineData("dsb sy", "DSB T1")]
    [InlineData("isb sy", "ISB T1")]
    [InlineData("stmia.w r0!, {r1, r2, r9}", "STM (STMIA, STMEA) T2")]
    [InlineData("ldmia.w r0, {r1, r2, r9}", "LDM (LDMIA, LDMFD) T2")]
    [InlineData("pop.w {r4-r11, pc}", "LDM (LDMIA, LDMFD) T2")]
    [InlineData("push.w {r4-r11, lr}", "STMDB (STMFD) T1")]
    [InlineData("ldmdb r0!, {r1, r2}", "LDMDB (LDMEA) T1")]
    [InlineData("srsdb sp!, #19", "SRS T1")]
    [InlineData("rfeia r0", "RFE T2")]
    [InlineData("strex r0, r1, [r2, #8]", "STREX T1")]
    [InlineData("ldrex r1, [r2]", "LDREX T1")]
    [InlineData("strexb r0, r1, [r2]", "STREXB T1")]
    [InlineData("ldrexh r1, [r2]", "LDREXH T1")]
    [InlineData("strexd r0, r2, r3, [r4]", "STREXD T1")]
    [InlineData("ldrexd r2, r3, [r4]", "LDREXD T1")]
    [InlineData("strd r0, r1, [r2, #-8]!", "STRD (immediate) T1")]
    [InlineData("ldrd r0, r1, [r2], #16", "LDRD (immediate) T1, post-indexed")]
    [InlineData("ldrd r0, r1, [pc, #16]", "LDRD (immediate) T1")]
    [InlineData("tbb [r0, r1]", "TBB T1")]
    [InlineData("tbh [pc, r1, lsl #1]", "TBH T1")]
    [InlineData("orr.w r0, r1, r2, lsl #3", "ORR (register) T2")]
    [InlineData("mov.w r0, r1, ror #3", "MOV (register) T3")]
    [InlineData("rrx r0, r1", "MOV (register) T3")]
    [InlineData("teq.w r0, r1, asr #2", "TEQ (register) T1")]
    [InlineData("pkhtb r0, r1, r2, asr #8", "PKHBT, PKHTB T1")]
    [InlineData("rsb r0, r1, r2, lsr #1", "RSB (register) T1")]
    [InlineData("strb.w r0, [r1, #0xfff]", "STRB (immediate) T2")]
    [InlineData("strb r0, [r1, #-4]", "STRB (immediate) T3, negative offset")]
    [InlineData("strb r0, [r1], #4", "STRB (immediate) T3")]
    [InlineData("strbt r0, [r1, #4]", "STRBT T1")]
    [InlineData("str.w r0, [r1, r2, lsl #2]", "STR (register) T2")]
    [InlineData("strh.w r0, [r1, #2]!", "STRH (immediate) T3")]
    [InlineData("ldrb.w r0, [r1, #0x123]", "LDRB (immediate) T2")]
    [InlineData("pld [r1, #0x123]", "PLD (immediate) T1")]
    [InlineData("pld [r1, #-8]", "PLD (immediate) T2")]
    [InlineData("pld [r1, r2]", "PLD (register) T1")]
    [InlineData("ldrb.w r0, [pc, #-12]", "LDRB (literal) T1")]
    [InlineData("pldw [r1, #0x123]", "PLDW (immediate) T1")]
    [InlineData("ldrh r0, [r1, #-2]", "LDRH (immediate) T3, negative offset")]
    [InlineData("ldr.w r0, [r1, #4]", "LDR (immediate) T3")]
    [InlineData("ldr r0, [r1], #4", "LDR (immediate) T4")]
    [InlineData("ldr.w pc, [sp], #4", "LDR (immediate) T4")]
    [InlineData("ldrt r0, [r1, #4]", "LDRT T1")]
    [InlineData("ldr.w r0, [pc, #-40]", "LDR (literal) T2")]
    [InlineData("ldrsb.w r0, [r1, r2]", "LDRSB (register) T2")]
    [InlineData("pli [r1, #12]", "PLI (immediate, literal) T1")]
    [InlineData("ldrsh r0, [r1, #-6]", "LDRSH (immediate) T2, negative offset")]
    [InlineData("ldrsht r0, [r1, #6]", "LDRSHT T1")]
    [InlineData("lsl.w r0, r1, r2", "LSL, LSR, ASR, ROR (register) T2")]
    [InlineData("rors.w r0, r1, r2", "LSL, LSR, ASR, ROR (register) T2")]
    [InlineData("sxth.w r0, r1, ror #8", "SXTH T2")]
    [InlineData("uxtab r0, r1, r2, ror #16", "UXTAB T1")]
    [InlineData("sxtb16 r0, r1", "SXTB16 T1")]
    [InlineData("uqadd8 r0, r1, r2", "UQADD8 T1")]
    [InlineData("shsax r0, r1, r2", "SHSAX T1")]
    [InlineData("usub16 r0, r1, r2", "USUB16 T1")]
    [InlineData("qdsub r0, r1, r2", "QDSUB T1")]
    [InlineData("rev.w r0, r1", "REV T2")]
    [InlineData("rbit r0, r1", "RBIT T1")]
    [InlineData("sel r0, r1, r2", "SEL T1")]
    [InlineData("clz r0, r1", "CLZ T1")]
    [InlineData("mla r0, r1, r2, r3", "MLA T1")]
    [InlineData("mul.w r0, r1, r2", "MUL T2")]
    [InlineData("mls r0, r1, r2, r3", "MLS T1")]
    [InlineData("smlatb r0, r1, r2, r3", "SMLA<x><y> T1")]
    [InlineData("smulbt r0, r1, r2", "SMUL<x><y> T1")]
    [InlineData("smladx r0, r1, r2, r3", "SMLAD T1")]
    [InlineData("smuad r0, r1, r2", "SMUAD T1")]
    [InlineData("smlawt r0, r1, r2, r3", "SMLAW<y> T1")]
    [InlineData("smulwb r0, r1, r2", "SMULW<y> T1")]
    [InlineData("smusd r0, r1, r2", "SMUSD T1")]
    [InlineData("smmlar r0, r1, r2, r3", "SMMLA T1")]
    [InlineData("smmul r0, r1, r2", "SMMUL T1")]
    [InlineData("smmls r0, r1, r2, r3", "SMMLS T1")]
    [InlineData("usad8 r0, r1, r2", "USAD8 T1")]
    [InlineData("smull r0, r1, r2, r3", "SMULL T1")]
    [InlineData("udiv r0, r1, r2", "UDIV T1")]
    [InlineData("smlaltb r0, r1, r2, r3", "SMLAL<x><y> T1")]
    [InlineData("smlaldx r0, r1, r2, r3", "SMLALD T1")]
    [InlineData("smlsld r0, r1, r2, r3", "SMLSLD T1")]
    [InlineData("umlal r0, r1, r2, r3", "UMLAL T1")]
    [InlineData("umaal r0, r1, r2, r3", "UMAAL T1")]
    [InlineData("mrc p15, 0, r0, c1, c0, 0", "MRC T1")]
    [InlineData("mcrr p15, 0, r0, r1, c2", "MCRR T1")]
    [InlineData("vadd.f32 s0, s1, s2", "VADD (floating-point)")]
    [InlineData("vldr d0, [r1, #8]", "VLDR")]
    [InlineData("bl . + 0x1000", "BL T1")]
    [InlineData("blx . + 0x1000", "BLX (immediate) T2")]
    [InlineData("b.w . + 0x100000", "B T4")]
    [InlineData("bne.w . - 0x1000", "B T3 (conditions 0000-0111)")]
    [InlineData("bgt.w . + 0x1000", "B T3 (conditions 1100-1101)")]
    public void GnuAsEncodingsDecodeToTheirRows(string instruction, string name)
    {
        byte[] code = GnuToolchain.Assemble($".syntax unified\n.thumb\n.fpu vfpv3\n{instruction}\n", 0x1000, "armv7ve");
        Assert.Equal(4, code.Length);
        uint word = (uint)(code[0] | code[1] << 8) << 16 | (uint)(code[2] | code[3] << 8);
        var table = Thumb32Decoder.For(ArchVersion.V7).Table;
        int row = table.DecodeRow(word);
        Assert.True(row >= 0, $"{instruction} = 0x{word:x8} is UNDEFINED");
        Assert.Equal(name, table.Rows[row].Name);
    }
}
