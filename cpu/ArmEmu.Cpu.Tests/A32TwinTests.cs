using System.Text.RegularExpressions;
using ArmEmu.Cpu.Decoding;

namespace ArmEmu.Cpu.Tests;

/// <summary>
/// The A32 twins of T32 instructions (<see cref="A32Twins"/>), which the interpreter's Thumb slots
/// run in their place: every twin is the same instruction by the tables (the T32 row and the A32
/// row name one instruction) and does the same thing -- the T32 handler on the Thumb word and the
/// A32 handler on the twin, each in Thumb state from one random state, leave the same registers,
/// flags, next PC and memory. The forms without a twin have none.
/// </summary>
public partial class A32TwinTests
{
    [GeneratedRegex(@"^(.*?) [AT]\d")]
    private static partial Regex Instruction();

    private static string InstructionOf(string rowName) => Instruction().Match(rowName).Groups[1].Value;

    /// <summary>
    /// Random words in the four spaces that have twins: data-processing (shifted register), MUL/MLA,
    /// single loads and stores, data-processing (modified immediate).
    /// </summary>
    private static IEnumerable<uint> Candidates(int seed, int count)
    {
        var random = new Random(seed);
        for (int i = 0; i < count; i++)
        {
            uint low = (uint)random.Next(0x10000);
            uint hw1 = (i % 4) switch
            {
                0 => 0xEA00u | (uint)random.Next(0x200),
                1 => 0xFB00u | (uint)random.Next(0x10),
                2 => 0xF800u | (uint)random.Next(0x100),
                _ => 0xF000u | (uint)random.Next(0x800) & 0x5FF, // 11110 i 0 op S Rn
            };
            if (i % 4 == 1) low &= 0xFF0F; // MUL/MLA: bits 7:4 zero
            if (i % 4 == 3) low &= 0x7FFF; // modified immediate: bit 15 of hw2 zero
            yield return hw1 << 16 | low;
        }
    }

    [Fact]
    public void EveryTwin_IsTheSameInstructionByTheTables()
    {
        var code = new CodeCache(CpuModel.CortexA9);
        int twins = 0;
        var seen = new HashSet<string>();
        foreach (uint op in Candidates(1, 60_000))
        {
            if (!A32Twins.TryGet(op, out uint twin)) continue;
            int t32 = code.Thumb32!.Table.DecodeRow(op), a32 = code.Arm.Table.DecodeRow(twin);
            if (t32 < 0) continue; // UNDEFINED in T32: the slot keeps the T32 decoding (CodeCache.DecodeThumb)
            Assert.True(a32 >= 0, $"{op:X8}: twin {twin:X8} is UNDEFINED in A32");
            string thumbName = code.Thumb32.Table.Rows[t32].Name, armName = code.Arm.Table.Rows[a32].Name;
            Assert.True(InstructionOf(thumbName) == InstructionOf(armName), $"{op:X8} ({thumbName}) -> {twin:X8} ({armName})");
            Assert.Equal(0xEu, twin >> 28);
            seen.Add(InstructionOf(thumbName));
            twins++;
        }
        Assert.True(twins > 10_000, $"only {twins} twins");
        foreach (string name in new[] { "AND (register)", "EOR (register)", "ADD (register)", "SUB (register)", "MOV (register)", "MVN (register)",
                                        "CMP (register)", "TST (register)", "MUL", "MLA", "LDR (immediate)", "STR (immediate)", "LDRB (immediate)", "STRB (immediate)",
                                        "AND (immediate)", "ORR (immediate)", "ADD (immediate)", "SUB (immediate)", "RSB (immediate)", "MOV (immediate)",
                                        "MVN (immediate)", "CMP (immediate)", "CMN (immediate)", "TST (immediate)", "TEQ (immediate)" })
            Assert.Contains(name, seen);
    }

    [Theory]
    [InlineData("orn r0, r1, r2")] // no ORN in A32
    [InlineData("pkhbt r0, r1, r2")]
    [InlineData("add.w r0, sp, r2")] // ADD (SP plus register): its own row
    [InlineData("mov.w sp, r2")]
    [InlineData("ldr.w pc, [r1, #4]")] // LoadWritePC
    [InlineData("ldr.w r0, [pc, #8]")] // literal
    [InlineData("ldrh.w r0, [r1, #4]")] // halfwords: A32 splits the offset
    [InlineData("ldrt r0, [r1, #4]")] // unprivileged
    [InlineData(".inst.w 0xf8511f04")] // ldr.w r1, [r1, #4]!: write-back to Rt, UNPREDICTABLE
    [InlineData(".inst.w 0xf891d004")] // ldrb.w sp, [r1, #4]: UNPREDICTABLE
    [InlineData(".inst.w 0xfb0df002")] // mul.w r0, sp, r2: UNPREDICTABLE
    [InlineData("mls r0, r1, r2, r3")]
    [InlineData("orn r0, r1, #0xff")] // no ORN in A32
    [InlineData("add.w r0, r1, #0x00ff00ff")] // a replicated constant A32 cannot make
    [InlineData("add.w r0, r1, #0x7f800000")] // 0xff rotated by 9, an odd amount: not an A32 constant
    [InlineData("ands.w r0, r1, #0xff00ff00")]
    [InlineData("add.w r0, sp, #4")] // ADD (SP plus immediate): its own row
    public void FormsWithoutATwin_HaveNone(string instruction)
    {
        byte[] code = ArmEmu.TestSupport.GnuToolchain.Assemble(".syntax unified\n.thumb\n" + instruction, 0, "armv7-a");
        Assert.Equal(4, code.Length);
        uint op = (uint)(code[0] | code[1] << 8) << 16 | (uint)(code[2] | code[3] << 8);
        Assert.False(A32Twins.TryGet(op, out uint twin), $"{instruction} ({op:X8}) has twin {twin:X8}");
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public unsafe void EveryTwin_DoesWhatItsThumbInstructionDoes(int seed)
    {
        var random = new Random(seed);
        int compared = 0;
        using var thumb = new CpuHarness(CpuModel.CortexA9);
        using var arm = new CpuHarness(CpuModel.CortexA9);
        foreach (uint op in Candidates(seed, 6_000))
        {
            if (!A32Twins.TryGet(op, out uint twin)) continue;
            if (thumb.Cpu.Code.Thumb32!.Table.DecodeRow(op) < 0) continue;
            int stateSeed = random.Next();
            bool memory = op >> 24 == 0xF8;
            Prepare(thumb, stateSeed, memory);
            Prepare(arm, stateSeed, memory);
            thumb.Cpu.Code.DecodeThumb(op).Handler(thumb.Cpu, op);
            arm.Cpu.Code.Arm.Table.DecodeInstruction(twin).Handler(arm.Cpu, twin);
            for (int r = 0; r < 16; r++)
                Assert.True(thumb.Cpu.R[r] == arm.Cpu.R[r], $"{op:X8} / {twin:X8}: r{r} {thumb.Cpu.R[r]:X8} against {arm.Cpu.R[r]:X8}");
            Assert.True(thumb.Flags == arm.Flags, $"{op:X8} / {twin:X8}: flags {thumb.Flags} against {arm.Flags}");
            Assert.Equal(thumb.Cpu._nextPc, arm.Cpu._nextPc);
            Assert.True(Data(thumb).SequenceEqual(Data(arm)), $"{op:X8} / {twin:X8}: memory");
            compared++;
        }
        Assert.True(compared > 1000, $"only {compared} compared");
    }

    private static byte[] Data(CpuHarness h)
    {
        var data = new byte[0x4000];
        Assert.True(h.Bus.ReadRam(CpuHarness.DataBase, data));
        return data;
    }

    /// <summary>
    /// A random state in Thumb state at the code base over 16 KiB of random data, random flags;
    /// the registers random values (edge values among them), or for <paramref name="addresses"/>
    /// data addresses in the middle of the data (so any 12-bit offset either way stays in it).
    /// </summary>
    private static void Prepare(CpuHarness h, int seed, bool addresses)
    {
        var random = new Random(seed);
        var data = new byte[0x4000];
        random.NextBytes(data);
        h.Bus.WriteRam(CpuHarness.DataBase, data);
        var cpu = h.Cpu;
        cpu.T = true;
        cpu.PC = CpuHarness.CodeBase;
        uint[] edges = [0, 1, 0x7FFF_FFFF, 0x8000_0000, 0xFFFF_FFFF];
        for (int r = 0; r < 15; r++)
            cpu.R[r] = addresses ? CpuHarness.DataBase + 0x2000 + (uint)random.Next(-0x10, 0x10) * 4 + (uint)random.Next(4) * (uint)(r & 1)
                     : random.Next(4) == 0 ? edges[random.Next(edges.Length)] : (uint)random.NextInt64(1L << 32);
        cpu.N = random.Next(2) == 0;
        cpu.Z = random.Next(2) == 0;
        cpu.C = random.Next(2) == 0;
        cpu.V = random.Next(2) == 0;
        cpu._pc = CpuHarness.CodeBase;
        cpu._nextPc = CpuHarness.CodeBase + 4;
        cpu.R[15] = CpuHarness.CodeBase + 4;
    }
}
