using ArmEmu.Cpu.Decoding;

namespace ArmEmu.Cpu.Tests;

/// <summary>
/// The flags on the encoding rows (<see cref="EncodingFlags"/>) say what the profiler's own
/// decoder of calls and returns used to say with masks: the masks are kept here as the
/// reference, and every row's samples (and every row's return forms) must agree with them.
/// </summary>
public class EncodingFlagsTests
{
    // The profiler's former masks (ExecutionProfile.cs before the flags).
    private static bool ArmCall(uint op) =>
        ((op & 0x0F00_0000) == 0x0B00_0000 && op < 0xF000_0000) || (op & 0xFE00_0000) == 0xFA00_0000
        || (op & 0x0FFF_FFF0) == 0x012F_FF30;

    private static bool ArmReturn(uint op) =>
        (op & 0x0FFF_FFFF) == 0x012F_FF1E || (op & 0x0E10_8000) == 0x0810_8000
        || (op & 0x0C50_F000) == 0x0410_F000 || (op & 0x0FFF_FFFF) == 0x01A0_F00E;

    private static bool ThumbCall(uint op) => (op & 0xF800) is 0xF800 or 0xE800 || (op & 0xFF87) == 0x4780;

    private static bool ThumbReturn(uint op) => op == 0x4770 || (op & 0xFF00) == 0xBD00 || op == 0x46F7;

    private static IEnumerable<uint> Samples(EncodingRow row, Random random)
    {
        for (int i = 0; i < 300; i++)
        {
            uint noise = (uint)random.Next() << 1 ^ (uint)random.Next();
            uint word = noise & ~row.Mask | row.Value;
            if (row.Pattern.Length == 16) word &= 0xFFFF;
            if (row.Conditional && word >> 28 == 0xF) word &= 0xEFFF_FFFF;
            yield return word;
            if ((row.Flags & EncodingFlags.Return) != 0) yield return word & ~row.ReturnMask | row.ReturnValue;
        }
    }

    [Fact]
    public void ArmRows_AgreeWithTheFormerMasks()
    {
        var table = ArmDecoder.For(ArchVersion.V5TEJ).Table;
        var random = new Random(9);
        foreach (var row in ArmEncodings.Rows.Where(r => r.AvailableOn(ArchVersion.V5TEJ, CpuFeature.Dsp | CpuFeature.Jazelle)))
            foreach (uint word in Samples(row, random))
            {
                if (table.DecodeRow(word) < 0 || table.Rows[table.DecodeRow(word)].Name != row.Name) continue; // a more specific row owns it
                var flags = row.FlagsFor(word);
                Assert.True(ArmCall(word) == ((flags & EncodingFlags.Call) != 0), $"call: 0x{word:x8} {row}");
                Assert.True(ArmReturn(word) == ((flags & EncodingFlags.Return) != 0), $"return: 0x{word:x8} {row}");
            }
    }

    [Fact]
    public void Thumb16Rows_AgreeWithTheFormerMasks()
    {
        var random = new Random(10);
        foreach (var row in Thumb16Encodings.Rows)
            foreach (uint word in Samples(row, random))
            {
                var flags = row.FlagsFor(word);
                Assert.True(ThumbCall(word) == ((flags & EncodingFlags.Call) != 0), $"call: 0x{word:x4} {row}");
                Assert.True(ThumbReturn(word) == ((flags & EncodingFlags.Return) != 0), $"return: 0x{word:x4} {row}");
                Assert.True(((word & 0xFF00) == 0xDF00) == ((flags & EncodingFlags.SupervisorCall) != 0), $"svc: 0x{word:x4} {row}");
            }
    }

    [Theory]
    [InlineData(0xE12F_FF1Eu, true)]  // bx lr
    [InlineData(0xE12F_FF13u, false)] // bx r3: a computed jump, not a return
    [InlineData(0xE49D_F004u, true)]  // ldr pc, [sp], #4
    [InlineData(0xE8BD_8010u, true)]  // pop {r4, pc}
    [InlineData(0xE8BD_0010u, false)] // pop {r4}
    [InlineData(0xE1A0_F00Eu, true)]  // mov pc, lr
    public void DecodedWords_CarryTheirReturnFlag(uint word, bool isReturn)
    {
        var decoded = ArmDecoder.For(CpuModel.Arm926).Table.DecodeInstruction(word);
        Assert.Equal(isReturn, (decoded.Flags & EncodingFlags.Return) != 0);
        Assert.Equal(word, decoded.Opcode);
    }

    [Fact]
    public void FlagsFollowFromOneAnother()
    {
        foreach (var row in ArmEncodings.Rows.Concat(Thumb16Encodings.Rows))
        {
            if ((row.Flags & EncodingFlags.Call) != 0) Assert.True((row.Flags & EncodingFlags.Branch) != 0, row.ToString());
            if ((row.Flags & (EncodingFlags.Branch | EncodingFlags.Return)) != 0) Assert.True((row.Flags & EncodingFlags.WritesPc) != 0, row.ToString());
            if ((row.Flags & (EncodingFlags.WritesPc | EncodingFlags.MayFault)) != 0) Assert.True((row.Flags & EncodingFlags.EndsBlock) != 0, row.ToString());
            bool memory = row.Name.StartsWith("LDR", StringComparison.Ordinal) || row.Name.StartsWith("STM", StringComparison.Ordinal);
            if (memory) Assert.True((row.Flags & EncodingFlags.MayFault) != 0, row.ToString());
        }
        var undefined = ArmDecoder.For(CpuModel.Arm926).Table.DecodeInstruction(0xE7F0_00F0); // UDF space
        Assert.Equal(EncodingFlags.MayFault | EncodingFlags.EndsBlock, undefined.Flags);
    }

    /// <summary>
    /// Thumb slots keep no flags: the profiler asks the store (<see cref="CodeCache.ThumbFlags"/>),
    /// which remembers them in a small table. Whatever the table held before, the answer is the
    /// decoded word's flags: 16- and 32-bit instructions, twins among them, many sharing an entry.
    /// </summary>
    [Fact]
    public void ThumbSlotFlags_AreTheDecodedInstructionsFlags()
    {
        var code = new CodeCache(CpuModel.CortexA9);
        var random = new Random(9);
        uint[] named = [0x4770, 0xBD10, 0x46F7, 0x4798, 0xF7FF_FFFE, 0xEA83_3343, 0xF850_3F04, 0xE8BD_8010, 0xDF00];
        var ops = named.Concat(Enumerable.Range(0, 4000).Select(i =>
            i % 2 == 0 ? (uint)random.Next(0xE800) : (uint)random.Next(0xE800, 0x10000) << 16 | (uint)random.Next(0x10000))).ToArray();
        for (int pass = 0; pass < 2; pass++)
            foreach (uint op in ops)
                Assert.True(code.DecodeThumb(op).Flags == code.ThumbFlags(code.DecodeThumbSlot(op)), $"0x{op:x8}, pass {pass}");
    }

    [Fact]
    public unsafe void AReturnFormOutsideItsRow_IsRefused() =>
        Assert.Throws<ArgumentException>(() => new EncodingRow("cccc1010vvvvvvvvvvvvvvvvvvvvvvvv", "B", null,
            flags: EncodingFlags.Return, returnForm: "cccc1011vvvvvvvvvvvvvvvvvvvvvvvv"));
}
