using ArmEmu.Cpu.Decoding;

namespace ArmEmu.Cpu.Tests.Neon;

/// <summary>The Advanced SIMD rows: in their own space, each decodes its own words (or a more specific row of the group), gated by features; the T32 forms derived.</summary>
public class NeonDecoderTableTests
{
    private static readonly DecoderTable A9 = ArmDecoder.For(CpuModel.CortexA9).Table;
    private static readonly DecoderTable A15 = ArmDecoder.For(CpuModel.CortexA15).Table;

    [Fact]
    public void RowNamesAreUniqueAndEveryRowIsV7AndNeon()
    {
        Assert.Empty(NeonEncodings.Rows.GroupBy(r => r.Name).Where(g => g.Count() > 1).Select(g => g.Key));
        foreach (var row in NeonEncodings.Rows)
        {
            Assert.Equal(ArchVersion.V7, row.Since);
            Assert.True((row.Requires & CpuFeature.Neon) != 0, row.ToString());
        }
    }

    [Fact]
    public void NeonRowsMeetOnlyRowsOfTheirGroup()
    {
        var clashes = new List<string>();
        foreach (var row in NeonEncodings.Rows)
            foreach (var other in ArmEncodings.Rows.Concat(VfpEncodings.Rows))
                if (row.Overlaps(other) && (other.Group != row.Group || row.Specificity <= other.Specificity || other.Priority != 0))
                    clashes.Add($"{row} overlaps {other}");
        Assert.Empty(clashes);
    }

    [Fact]
    public void EveryRowDecodesItsOwnSamplesToItselfOrAMoreSpecificRowOfTheGroup()
    {
        var random = new Random(77);
        foreach (var row in NeonEncodings.Rows)
        {
            var table = (row.Requires & CpuFeature.Vfp4) != 0 ? A15 : A9;
            int self = Array.FindIndex(table.Rows, r => r.Name == row.Name);
            bool wonOnce = false;
            for (int sample = 0; sample < 300; sample++)
            {
                uint word = (((uint)random.Next() << 1) ^ (uint)random.Next()) & ~row.Mask | row.Value;
                if (row.Conditional && word >> 28 == 0xF) word &= 0xEFFF_FFFF;
                int decoded = table.DecodeRow(word);
                Assert.True(decoded >= 0, $"0x{word:x8} from {row} is UNDEFINED in the table");
                var hit = table.Rows[decoded];
                bool outranks = hit.Priority > row.Priority || (hit.Priority == row.Priority && hit.Specificity > row.Specificity);
                Assert.True(decoded == self || (hit.Group == row.Group && outranks),
                    $"0x{word:x8} from {row} decoded as {hit}");
                wonOnce |= decoded == self;
            }
            Assert.True(wonOnce, $"{row} never wins a word of its own");
        }
    }

    [Theory]
    [InlineData(0xF2000840u, "VADD (integer) A1")]        // vadd.i8 q0, q0, q0
    [InlineData(0xF2000D00u, "VADD (floating-point) A1")] // vadd.f32 d0, d0, d0
    [InlineData(0xF3000110u, "VEOR A1")]                  // veor d0, d0, d0
    [InlineData(0xF2800E10u, "VMOV (immediate) A1")]      // vmov.i8 d0, #0
    [InlineData(0xF2880010u, "VSHR A1")]                  // vshr.s8 d0, d0, #8
    [InlineData(0xF2800C00u, "VMULL (integer) A2")]       // vmull.s8 q0, d0, d0
    [InlineData(0xF2A00840u, "VMUL (by scalar) A1")]      // vmul.i32 d0, d0, d0[0]
    [InlineData(0xF2B00000u, "VEXT A1")]                  // vext.8 d0, d0, d0, #0
    [InlineData(0xF3B00000u, "VREV16, VREV32, VREV64 A1")] // vrev64.8 d0, d0
    [InlineData(0xF3B00800u, "VTBL A1")]                  // vtbl.8 d0, {d0}, d0
    [InlineData(0xF3B40C00u, "VDUP (scalar) A1")]         // vdup.32 d0, d0[0]
    [InlineData(0xEE800B10u, "VDUP (ARM core register) A1")] // vdup.32 d0, r0
    [InlineData(0xF420070Fu, "VLD1 (multiple single elements) A1")] // vld1.8 {d0}, [r0]
    [InlineData(0xF4A00C0Fu, "VLD1 (single element to all lanes) A1")] // vld1.8 {d0[]}, [r0]
    [InlineData(0xF480000Fu, "VST1 (single element from one lane) A1")] // vst1.8 {d0[0]}, [r0]
    public void KnownWordsDecode(uint word, string name) => Assert.Equal(name, A9.Rows[A9.DecodeRow(word)].Name);

    [Theory]
    [InlineData(0xF2000840u)]   // vadd.i8 q0, q0, q0
    [InlineData(0xF420070Fu)]   // vld1.8 {d0}, [r0]
    [InlineData(0xEE800B10u)]   // vdup.32 d0, r0
    public void ModelsWithoutAdvancedSimdHaveNoNeonRow(uint word)
    {
        foreach (var model in new[] { CpuModel.Arm926, CpuModel.Arm1176 })
        {
            var table = ArmDecoder.For(model).Table;
            int row = table.DecodeRow(word);
            Assert.True(row < 0 || table.Rows[row].Group != NeonEncodings.Group && table.Rows[row].Name is "CDP A1" or "MCR A1" or "MRC A1",
                $"{model.Name}: 0x{word:x8} decoded as {(row < 0 ? "UNDEFINED" : table.Rows[row].ToString())}");
        }
    }

    [Fact]
    public void VfmaNeedsVfp4()
    {
        Assert.True(A9.DecodeRow(0xF2000C50u) < 0);      // vfma.f32 q0, q0, q0 on the A9: UNDEFINED
        Assert.Equal("VFMA A1", A15.Rows[A15.DecodeRow(0xF2000C50u)].Name);
    }

    [Fact]
    public void ThumbRowsAreDerivedByTheManualsRule()
    {
        Assert.Equal(NeonEncodings.Rows.Length, NeonEncodings.ThumbRows.Length);
        for (int i = 0; i < NeonEncodings.Rows.Length; i++)
        {
            var arm = NeonEncodings.Rows[i].Pattern;
            var thumb = NeonEncodings.ThumbRows[i];
            string expected = arm.StartsWith("1111001") ? "111" + arm[7] + "1111" + arm[8..]
                            : arm.StartsWith("11110100") ? "11111001" + arm[8..]
                            : "1110" + arm[4..];
            Assert.Equal(expected, thumb.Pattern);
            Assert.Equal(NeonEncodings.Rows[i].Name.Replace(" A1", " T1").Replace(" A2", " T2"), thumb.Name);
            Assert.Equal(NeonEncodings.Rows[i].Priority, thumb.Priority);
            Assert.Equal(NeonEncodings.Rows[i].Flags, thumb.Flags);
            Assert.False(thumb.Conditional);
        }
        // vadd.i8 q0, q0, q0 is EF00 0840 in T32; vld1.8 {d0}, [r0] is F920 070F.
        Assert.True(NeonEncodings.ThumbRows.Single(r => r.Name == "VADD (integer) T1").Matches(0xEF000840u));
        Assert.True(NeonEncodings.ThumbRows.Single(r => r.Name == "VLD1 (multiple single elements) T1").Matches(0xF920070Fu));
        // vsub.i8 (U = 1) is FF00 0840 in T32.
        Assert.True(NeonEncodings.ThumbRows.Single(r => r.Name == "VSUB (integer) T1").Matches(0xFF000840u));
    }

    [Fact]
    public void LoadStoreRowsMayFault()
    {
        foreach (var row in NeonEncodings.Rows.Where(r => r.Name.StartsWith("VLD") || r.Name.StartsWith("VST")))
            Assert.True((row.Flags & EncodingFlags.MayFault) != 0, row.ToString());
    }
}
