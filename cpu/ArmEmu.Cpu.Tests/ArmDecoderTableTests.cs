using ArmEmu.Cpu.Decoding;

namespace ArmEmu.Cpu.Tests;

/// <summary>The ARM encoding table itself: well-formed, disjoint, complete.</summary>
public class ArmDecoderTableTests
{
    private static readonly DecoderTable Table = ArmDecoder.For(ArchVersion.V5TEJ).Table;

    /// <summary>The tables the generic checks run on: ARMv5TEJ, ARMv6K, and ARMv7 with every feature.</summary>
    public static TheoryData<ArchVersion> Versions => new() { ArchVersion.V5TEJ, ArchVersion.V6K, ArchVersion.V7 };

    /// <summary>
    /// A model without Advanced SIMD gets a table without the NEON rows (so its start-up neither
    /// builds them nor resolves their handlers); it must decode every word as the table with them
    /// does on its architecture, where those ARMv7 rows are UNDEFINED.
    /// </summary>
    [Fact]
    public void ModelsWithoutAdvancedSimdDecodeAsTheTableWithIt()
    {
        foreach (var model in new[] { CpuModel.Arm926, CpuModel.Arm1176 })
        {
            Assert.Equal(0, (int)(model.Features & CpuFeature.Neon));
            var lean = ArmDecoder.For(model).Table;
            var full = ArmDecoder.TableOf(ArmDecoder.Rows, model.Arch, model.Features);
            Assert.Equal(ArmDecoder.Rows.Length - NeonEncodings.Rows.Length, lean.Rows.Length);
            Assert.Equal(full.Rows.Take(lean.Rows.Length).Select(r => r.Name), lean.Rows.Select(r => r.Name));
            var words = full.Rows.Select(r => r.Value).ToList();
            var random = new Random(16);
            for (int i = 0; i < 200_000; i++) words.Add((uint)random.Next() << 1 ^ (uint)random.Next());
            foreach (uint word in words)
            {
                int f = full.DecodeRow(word), l = lean.DecodeRow(word);
                Assert.True(f == l, $"{model.Name}: 0x{word:x8} decodes as {(f < 0 ? "UNDEFINED" : full.Rows[f])} with the NEON rows, {(l < 0 ? "UNDEFINED" : lean.Rows[l])} without");
            }
        }
    }

    [Fact]
    public void RowNamesAreUnique()
    {
        var duplicates = ArmEncodings.Rows.GroupBy(r => r.Name).Where(g => g.Count() > 1).Select(g => g.Key);
        Assert.Empty(duplicates);
    }

    /// <summary>
    /// Every integer row names its encoding as the ARM ARM does ("LDRB (immediate) A1", "ADD (register) T2"),
    /// so a text search for the manual's name finds the row: A ids in the A32 table, T ids in the Thumb ones.
    /// </summary>
    [Fact]
    public void EveryRowCarriesTheManualsEncodingId()
    {
        var id = new System.Text.RegularExpressions.Regex(@" (?<set>[AT])[1-9](,| |/|$)");
        var missing = new List<string>();
        void Check(IEnumerable<EncodingRow> rows, string set)
        {
            foreach (var row in rows)
            {
                var m = id.Match(row.Name);
                if (!m.Success || m.Groups["set"].Value != set) missing.Add($"{set}: {row}");
            }
        }
        Check(ArmEncodings.Rows, "A");
        Check(Thumb16Encodings.Rows, "T");
        Check(Thumb32Encodings.Rows, "T");
        Assert.Empty(missing);
    }

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

    [Theory]
    [MemberData(nameof(Versions))]
    public void EveryRowDecodesItsOwnSamplesBack(ArchVersion version)
    {
        var table = ArmDecoder.For(version).Table;
        var random = new Random(1234);
        var rows = ArmEncodings.Rows;
        for (int i = 0; i < rows.Length; i++)
        {
            bool available = rows[i].AvailableOn(version, (CpuFeature)uint.MaxValue);
            for (int sample = 0; sample < 200; sample++)
            {
                uint word = ((uint)random.Next() << 1 ^ (uint)random.Next()) & ~rows[i].Mask | rows[i].Value;
                if (rows[i].Conditional && word >> 28 == 0xF) word &= 0xEFFF_FFFF;
                int decoded = table.DecodeRow(word);
                if (!available)
                {
                    // A row newer than the table: UNDEFINED, or (in a group) an older row of its group.
                    Assert.True(decoded < 0 || (rows[i].Group is not null && table.Rows[decoded].Group == rows[i].Group),
                        $"0x{word:x8} from {rows[i]} (newer than {version}) decoded as {(decoded < 0 ? "UNDEFINED" : table.Rows[decoded].ToString())}");
                    continue;
                }
                // In a group a more specific row may take the word: it must be one of the group.
                bool ok = decoded == i
                          || (decoded >= 0 && rows[i].Group is not null && table.Rows[decoded].Group == rows[i].Group
                              && table.Rows[decoded].Specificity > rows[i].Specificity);
                Assert.True(ok, $"0x{word:x8} from {rows[i]} decoded as {(decoded < 0 ? "UNDEFINED" : table.Rows[decoded].ToString())} on {version}");
            }
            if (available && rows[i].Group is not null)
            {
                // The row's own value (don't-care bits zero) must reach a row of the group no less specific.
                int own = table.DecodeRow(rows[i].Value | (rows[i].Conditional ? 0xE000_0000u : 0));
                Assert.True(own >= 0 && table.Rows[own].Group == rows[i].Group);
            }
        }
    }

    [Fact]
    public void EveryGroupedRowWinsSomeWord()
    {
        // A grouped row that a more specific row of its group covers entirely would be dead.
        var table = ArmDecoder.For(ArchVersion.V7).Table;
        var rows = ArmEncodings.Rows;
        var random = new Random(99);
        for (int i = 0; i < rows.Length; i++)
        {
            if (rows[i].Group is null) continue;
            bool wins = false;
            for (int sample = 0; sample < 2000 && !wins; sample++)
            {
                uint word = ((uint)random.Next() << 1 ^ (uint)random.Next()) & ~rows[i].Mask | rows[i].Value;
                if (rows[i].Conditional && word >> 28 == 0xF) word &= 0xEFFF_FFFF;
                wins = table.DecodeRow(word) == i;
            }
            Assert.True(wins, $"{rows[i]} never decodes on ARMv7");
        }
    }

    [Theory]
    [MemberData(nameof(Versions))]
    public unsafe void EveryWordClassDecodesToSomething(ArchVersion version)
    {
        var table = ArmDecoder.For(version).Table;
        // Every combination of condition class and the 12 bucket bits (27:20, 7:4), with the
        // remaining bits at several values: the decoder must return a handler (Undefined counts).
        uint[] fillers = [0x0000_0000, 0x000F_FF0F, 0x0005_A50A, 0x000A_5A05];
        foreach (uint cond in new uint[] { 0x0, 0xE, 0xF })
            for (uint bucket = 0; bucket < 4096; bucket++)
                foreach (uint fill in fillers)
                {
                    uint word = cond << 28 | (bucket & 0xFF0) << 16 | (bucket & 0xF) << 4 | fill;
                    Assert.True(table.Decode(word) != null);
                }
    }

    [Fact]
    public unsafe void PatternsAreWellFormed()
    {
        foreach (var row in ArmEncodings.Rows)
        {
            Assert.Equal(32, row.Pattern.Length);
            // HVC alone fixes the condition to 1110 (any other is UNPREDICTABLE; QEMU's a32.decode fixes it too).
            Assert.True(row.Conditional || row.Pattern.StartsWith("1111", StringComparison.Ordinal) || row.Name == "HVC A1",
                $"{row} has neither cccc nor 1111 in the condition");
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

    [Theory]
    [InlineData(0xE300_0000u, "MOV (immediate) A2")]
    [InlineData(0xE060_0090u, "MLS A1")]
    [InlineData(0xE7F0_00F0u, null)]         // UDF: permanently undefined
    [InlineData(0xE320_F000u, "NOP A1")]
    [InlineData(0xE320_F003u, "WFI A1")]
    [InlineData(0xE320_F0F5u, "DBG A1")]
    [InlineData(0xE320_F080u, "NOP (unallocated hint) A1")]
    [InlineData(0xE328_F00Fu, "MSR (immediate) A1")] // MSR CPSR_f, #0xF: a mask, so not a hint
    [InlineData(0xE6BF_0F31u, "REV A1")]
    [InlineData(0xE6EF_0071u, "UXTB A1")]
    [InlineData(0xE6E2_0071u, "UXTAB A1")]
    [InlineData(0xE7C0_001Fu, "BFC A1")]
    [InlineData(0xE7C0_0011u, "BFI A1")]
    [InlineData(0xE710_F110u, "SDIV A1")]
    [InlineData(0xE750_F110u, "SMMUL A1")]
    [InlineData(0xF57F_F05Fu, "DMB A1")]
    [InlineData(0xF57F_F01Fu, "CLREX A1")]
    [InlineData(0xF101_0200u, "SETEND A1")]
    [InlineData(0xE12F_FF21u, "BXJ A1")]
    [InlineData(0xE190_0F9Fu, "LDREX A1")]
    [InlineData(0xE0F0_00B0u, "LDRHT A1")]
    public void V7WordsDecodeAsTheManualSays(uint word, string? name)
    {
        var table = ArmDecoder.For(ArchVersion.V7).Table;
        int row = table.DecodeRow(word);
        Assert.Equal(name, row < 0 ? null : table.Rows[row].Name);
    }

    [Fact]
    public void DivideNeedsTheFeatureAndPldwTheMultiprocessingExtensions()
    {
        var a9 = ArmDecoder.For(CpuModel.CortexA9).Table;
        var a15 = ArmDecoder.For(CpuModel.CortexA15).Table;
        var a8 = ArmDecoder.For(CpuModel.CortexA8).Table;
        Assert.Equal(-1, a9.DecodeRow(0xE710_F110));    // SDIV r0, r0, r1
        Assert.NotEqual(-1, a15.DecodeRow(0xE710_F110));
        Assert.Equal(-1, a8.DecodeRow(0xF510_F000));    // PLDW [r0]
        Assert.NotEqual(-1, a9.DecodeRow(0xF510_F000));
    }

    [Fact]
    public void RowsNewerThanTheModelAreUndefined()
    {
        var v4 = ArmDecoder.For(ArchVersion.V4T).Table;
        Assert.Equal(-1, v4.DecodeRow(0xE16F_0F11)); // CLZ r0, r1 is v5T
        Assert.NotEqual(-1, Table.DecodeRow(0xE16F_0F11));
    }
}
