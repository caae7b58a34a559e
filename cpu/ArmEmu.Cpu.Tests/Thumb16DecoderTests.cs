using ArmEmu.Cpu.Decoding;

namespace ArmEmu.Cpu.Tests;

/// <summary>The 16-bit Thumb encoding table (ARM ARM A6): complete, unambiguous, and decoded back row by row.</summary>
public class Thumb16DecoderTests
{
    private static readonly DecoderTable Table = Thumb16Decoder.For(ArchVersion.V5TEJ).Table;

    private static IEnumerable<int> ActiveRows(ArchVersion arch) =>
        Enumerable.Range(0, Table.Rows.Length).Where(i => Table.Rows[i].Since <= arch);

    [Fact]
    public void EveryHalfwordDecodesToTheOnlyRowThatMatchesItOrToUndefined()
    {
        int[] active = ActiveRows(ArchVersion.V5TEJ).ToArray();
        int undefined = 0;
        for (uint word = 0; word <= 0xFFFF; word++)
        {
            int row = Table.DecodeRow(word);
            int[] matching = active.Where(i => Table.Rows[i].Matches(word)).ToArray();
            Assert.True(matching.Length <= 1, $"0x{word:X4} matches {string.Join(", ", matching.Select(i => Table.Rows[i]))}");
            Assert.Equal(matching.Length == 0 ? -1 : matching[0], row);
            if (row < 0) undefined++;
        }
        // The undefined space of ARMv5TE Thumb: B<c> with cond 1110 (256), BX/BLX with bits 2:0
        // not zero (2 * 16 * 7 = 224), and the 1011 space outside ADD/SUB SP, PUSH, POP and BKPT
        // (4096 - 256 - 512 - 512 - 256 = 2560).
        Assert.Equal(256 + 224 + 2560, undefined);
    }

    [Fact]
    public void NoTwoRowsOverlapOutsideAGroup()
    {
        var rows = Table.Rows;
        for (int a = 0; a < rows.Length; a++)
        {
            Assert.Equal(16, rows[a].Pattern.Length);
            for (int b = a + 1; b < rows.Length; b++)
                Assert.False(rows[a].Overlaps(rows[b]) && (rows[a].Group is null || rows[a].Group != rows[b].Group),
                    $"{rows[a]} overlaps {rows[b]}");
        }
    }

    /// <summary>ARMv7: every halfword decodes to the most specific row matching it (the rows of a group may overlap).</summary>
    [Fact]
    public void OnV7EveryHalfwordDecodesToItsMostSpecificRow()
    {
        var v7 = Thumb16Decoder.For(ArchVersion.V7).Table;
        for (uint word = 0; word <= 0xFFFF; word++)
        {
            int row = v7.DecodeRow(word);
            var matching = Enumerable.Range(0, v7.Rows.Length).Where(i => v7.Rows[i].Matches(word)).ToArray();
            if (matching.Length == 0)
            {
                Assert.Equal(-1, row);
                continue;
            }
            int best = matching.Max(i => v7.Rows[i].Specificity);
            Assert.Single(matching, i => v7.Rows[i].Specificity == best);
            Assert.Equal(best, v7.Rows[row].Specificity);
        }
    }

    [Theory]
    [InlineData(0xB200u, "SXTH T1")]
    [InlineData(0xB2C8u, "UXTB T1")]
    [InlineData(0xBA08u, "REV T1")]
    [InlineData(0xBAC8u, "REVSH T1")]
    [InlineData(0xB658u, "SETEND T1")]
    [InlineData(0xB672u, "CPS T1")]   // cpsid i
    [InlineData(0xB108u, "CBZ, CBNZ T1")]
    [InlineData(0xB9F9u, "CBZ, CBNZ T1")]
    [InlineData(0xBF18u, "IT T1")]    // it ne
    [InlineData(0xBF00u, "NOP T1")]
    [InlineData(0xBF30u, "WFI T1")]
    [InlineData(0xBF80u, "NOP (unallocated hint) T1")]
    public void V7HalfwordsDecodeAsTheManualSays(uint word, string name)
    {
        var v7 = Thumb16Decoder.For(ArchVersion.V7).Table;
        int row = v7.DecodeRow(word);
        Assert.True(row >= 0, $"0x{word:X4} is UNDEFINED");
        Assert.Equal(name, v7.Rows[row].Name);
    }

    [Fact]
    public void RandomSamplesOfEachRowDecodeBackToIt()
    {
        var random = new Random(0x7417);
        foreach (int i in ActiveRows(ArchVersion.V5TEJ))
        {
            var row = Table.Rows[i];
            for (int n = 0; n < 64; n++)
            {
                uint word = ((uint)random.Next(0x10000) & ~row.Mask) | row.Value;
                Assert.Equal(i, Table.DecodeRow(word));
            }
            // The extremes of the free fields, too.
            Assert.Equal(i, Table.DecodeRow(row.Value));
            Assert.Equal(i, Table.DecodeRow((0xFFFF & ~row.Mask) | row.Value));
        }
    }

    [Theory]
    [InlineData(0xDE00u)] // B<c> with condition 1110
    [InlineData(0x4701u)] // BX with bits 2:0 not zero
    [InlineData(0x47F4u)] // BLX with bits 2:0 not zero
    [InlineData(0xB200u)] // ARMv6 SXTH
    [InlineData(0xBA00u)] // ARMv6 REV
    [InlineData(0xBF00u)] // ARMv6T2 NOP hint
    public void HalfwordsOutsideArmv5AreUndefined(uint word) => Assert.Equal(-1, Table.DecodeRow(word));

    [Theory]
    [InlineData(0xDF00u, "SVC T1")]
    [InlineData(0xDDFFu, "B T1 (conditions 1100-1101)")]
    [InlineData(0x4778u, "BX T1")]
    [InlineData(0x47F0u, "BLX (register) T1")]
    [InlineData(0x46C0u, "MOV (register) T1")]
    [InlineData(0xBE00u, "BKPT T1")]
    [InlineData(0xE801u, "BLX (immediate) T2, second halfword")] // UNDEFINED by its handler, not by the table
    public void KnownHalfwordsDecodeToTheirRows(uint word, string name)
    {
        int row = Table.DecodeRow(word);
        Assert.True(row >= 0);
        Assert.Equal(name, Table.Rows[row].Name);
    }

    [Fact]
    public void Armv4TLacksBkptAndTheBlxForms()
    {
        var v4 = Thumb16Decoder.For(ArchVersion.V4T).Table;
        Assert.Equal(-1, v4.DecodeRow(0xBE00));  // BKPT
        Assert.Equal(-1, v4.DecodeRow(0xE800));  // BLX suffix
        Assert.Equal(-1, v4.DecodeRow(0x4780));  // BLX <Rm>
        Assert.NotEqual(-1, v4.DecodeRow(0x4700)); // BX r0
        Assert.NotEqual(-1, v4.DecodeRow(0xF800)); // BL suffix
    }
}
