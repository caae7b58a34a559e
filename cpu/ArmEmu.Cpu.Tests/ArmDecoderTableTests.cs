using ArmEmu.Cpu.Decoding;

namespace ArmEmu.Cpu.Tests;

/// <summary>The ARM encoding table itself: well-formed, disjoint, complete.</summary>
public class ArmDecoderTableTests
{
    private static readonly DecoderTable Table = ArmDecoder.For(ArchVersion.V5TEJ).Table;

    [Fact]
    public void RowsOutsideAGroupNeverOverlap()
    {
        var rows = ArmEncodings.Rows;
        var clashes = new List<string>();
        for (int i = 0; i < rows.Length; i++)
            for (int j = i + 1; j < rows.Length; j++)
                if (rows[i].Overlaps(rows[j]) && (rows[i].Group is null || rows[i].Group != rows[j].Group))
                    clashes.Add($"{rows[i]} overlaps {rows[j]}");
        Assert.Empty(clashes);
    }

    [Fact]
    public void EveryRowDecodesItsOwnSamplesBack()
    {
        var random = new Random(1234);
        var rows = ArmEncodings.Rows;
        for (int i = 0; i < rows.Length; i++)
        {
            for (int sample = 0; sample < 200; sample++)
            {
                uint word = ((uint)random.Next() << 1 ^ (uint)random.Next()) & ~rows[i].Mask | rows[i].Value;
                if (rows[i].Conditional && word >> 28 == 0xF) word &= 0xEFFF_FFFF;
                int decoded = Table.DecodeRow(word);
                // Inside a group a more specific row may take the word (a VFP row within CDP's space).
                bool taken = decoded >= 0 && decoded != i && rows[i].Group is not null
                             && Table.Rows[decoded].Group == rows[i].Group && Table.Rows[decoded].Specificity > rows[i].Specificity;
                Assert.True(decoded == i || taken,
                            $"0x{word:x8} from {rows[i]} decoded as {(decoded < 0 ? "UNDEFINED" : Table.Rows[decoded].ToString())}");
            }
        }
    }

    [Fact]
    public unsafe void EveryWordClassDecodesToSomething()
    {
        // Every combination of condition class and the 12 bucket bits (27:20, 7:4), with the
        // remaining bits at several values: the decoder must return a handler (Undefined counts).
        uint[] fillers = [0x0000_0000, 0x000F_FF0F, 0x0005_A50A, 0x000A_5A05];
        foreach (uint cond in new uint[] { 0x0, 0xE, 0xF })
            for (uint bucket = 0; bucket < 4096; bucket++)
                foreach (uint fill in fillers)
                {
                    uint word = cond << 28 | (bucket & 0xFF0) << 16 | (bucket & 0xF) << 4 | fill;
                    Assert.True(Table.Decode(word) != null);
                }
    }

    [Fact]
    public unsafe void PatternsAreWellFormed()
    {
        foreach (var row in ArmEncodings.Rows)
        {
            Assert.Equal(32, row.Pattern.Length);
            Assert.True(row.Conditional || row.Pattern.StartsWith("1111", StringComparison.Ordinal), $"{row} has neither cccc nor 1111 in the condition");
        }
        var ex = Assert.Throws<ArgumentException>(() => new EncodingRow("cccc001", "short", null));
        Assert.Contains("has 7 bits", ex.Message);
    }

    [Theory]
    [InlineData(0xE300_0000u)] // MOVW (v6T2)
    [InlineData(0xE7F0_00F0u)] // the permanently undefined space
    [InlineData(0xE12F_FF11u & 0xFFFF_F0FF)] // BX with its SBO bits cleared: QEMU makes it UNDEFINED
    [InlineData(0xE060_0090u)] // MLS (v6T2)
    public void UnpredictableOrNewerEncodingsAreUndefinedOnV5(uint word)
    {
        Assert.Equal(-1, Table.DecodeRow(word));
    }

    [Fact]
    public void RowsNewerThanTheModelAreUndefined()
    {
        var v4 = ArmDecoder.For(ArchVersion.V4T).Table;
        Assert.Equal(-1, v4.DecodeRow(0xE16F_0F11)); // CLZ r0, r1 is v5T
        Assert.NotEqual(-1, Table.DecodeRow(0xE16F_0F11));
    }
}
