using ArmEmu.Cpu.Decoding;

namespace ArmEmu.Cpu.Tests.Vfp;

/// <summary>The VFP rows: disjoint among themselves, each decodes its own words, gated by model features; the T32 forms derived.</summary>
public class VfpDecoderTableTests
{
    private static readonly DecoderTable V7 = ArmDecoder.For(CpuModel.CortexA15).Table;

    [Fact]
    public void VfpRowsNeverOverlapEachOther()
    {
        var rows = VfpEncodings.Rows;
        var clashes = new List<string>();
        for (int i = 0; i < rows.Length; i++)
            for (int j = i + 1; j < rows.Length; j++)
                if (rows[i].Overlaps(rows[j])) clashes.Add($"{rows[i]} overlaps {rows[j]}");
        Assert.Empty(clashes);
    }

    [Fact]
    public void EveryVfpRowIsInTheCoprocessorGroupAndMoreSpecificThanTheGenericRows()
    {
        foreach (var row in VfpEncodings.Rows)
        {
            Assert.Equal(VfpEncodings.Group, row.Group);
            foreach (var generic in ArmEncodings.Rows)
                if (row.Overlaps(generic))
                {
                    Assert.Equal(VfpEncodings.Group, generic.Group);
                    Assert.True(row.Specificity > generic.Specificity, $"{row} is not more specific than {generic}");
                }
        }
    }

    [Fact]
    public void EveryVfpRowDecodesItsOwnSamplesBack()
    {
        var random = new Random(10);
        var rows = V7.Rows;
        int first = ArmEncodings.Rows.Length;     // the VFP rows follow the ARM rows (the NEON rows follow them)
        for (int i = first; i < first + VfpEncodings.Rows.Length; i++)
            for (int sample = 0; sample < 200; sample++)
            {
                uint word = ((uint)random.Next() << 1 ^ (uint)random.Next()) & ~rows[i].Mask | rows[i].Value;
                if (word >> 28 == 0xF) word &= 0xEFFF_FFFF;
                int decoded = V7.DecodeRow(word);
                Assert.True(decoded == i, $"0x{word:x8} from {rows[i]} decoded as {(decoded < 0 ? "UNDEFINED" : rows[decoded].ToString())}");
            }
    }

    [Theory]
    [InlineData(0xEE300A01u, "VADD (floating-point)")]                   // vadd.f32 s0, s0, s2
    [InlineData(0xEEB00A00u, "VMOV (immediate)")]                        // vmov.f32 s0, #2.0
    [InlineData(0xEEA00A01u, "VFMA")]                                    // vfma.f32 s0, s0, s2
    [InlineData(0xEEB20A40u, "VCVTB, VCVTT")]                            // vcvtb.f32.f16 s0, s0
    [InlineData(0xEEF1FA10u, "VMRS")]                                    // vmrs APSR_nzcv, fpscr
    [InlineData(0xED900A00u, "VLDR")]
    [InlineData(0xEC410B10u, "VMOV (between two ARM core registers and a doubleword extension register)")]
    public void KnownWordsDecode(uint word, string name)
    {
        Assert.Equal(name, V7.Rows[V7.DecodeRow(word)].Name);
    }

    [Theory]
    [InlineData(0xEEB00A00u)]   // VMOV immediate is VFPv3
    [InlineData(0xEEA00A01u)]   // VFMA is VFPv4
    [InlineData(0xEEB20A40u)]   // VCVTB needs the half-precision extension
    [InlineData(0xEE400B90u)]   // VMOV.8 to a scalar is Advanced SIMD
    public void NewerEncodingsFallToTheGenericCoprocessorRowsOnArm926(uint word)
    {
        var arm926 = ArmDecoder.For(CpuModel.Arm926).Table;
        int row = arm926.DecodeRow(word);
        Assert.True(row < 0 || arm926.Rows[row].Name is "CDP A1" or "MCR A1" or "MRC A1", arm926.Rows[row].Name);
    }

    [Fact]
    public void ThumbRowsAreTheArmRowsWithTheConditionReplaced()
    {
        Assert.Equal(VfpEncodings.Rows.Length, VfpEncodings.ThumbRows.Length);
        for (int i = 0; i < VfpEncodings.Rows.Length; i++)
        {
            var arm = VfpEncodings.Rows[i];
            var thumb = VfpEncodings.ThumbRows[i];
            Assert.Equal("1110" + arm.Pattern[4..], thumb.Pattern);
            Assert.Equal(arm.Name, thumb.Name);
            Assert.Equal(arm.Requires, thumb.Requires);
            Assert.False(thumb.Conditional);
        }
        // vadd.f32 s0, s0, s2 in T32 is the same word as in A32 with cond = AL.
        Assert.True(VfpEncodings.ThumbRows.Single(r => r.Name == "VADD (floating-point)").Matches(0xEE300A01u));
    }
}
