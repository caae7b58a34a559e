using System.Numerics;
using ArmEmu.Cpu;
using ArmEmu.Cpu.Decoding;

namespace ArmEmu.GuestTests.Differential;

/// <summary>
/// Random Thumb-2 sequences for the Unicorn differential, generated from the T32 table
/// (<see cref="Thumb32Encodings.Rows"/>) and the ARMv6/v6T2 16-bit rows, mixed with 16-bit
/// data processing, inside and outside IT blocks (whose 16-bit forms set flags only outside).
/// Fields are filled by what their letters mean in the rows (d, n, m, a, l, h, t, T: registers;
/// everything else: immediates and option bits), keeping away from UNPREDICTABLE choices:
/// no SP or PC operands, distinct RdLo/RdHi, valid bit-field ranges. Memory goes through r11
/// (base, kept 8-byte aligned: write-back steps are multiples of 8 below 128) and r10 (a small
/// multiple of 8), which no instruction writes. Rows never generated are listed with the
/// reason (<see cref="WhyNotGenerated"/>).
/// </summary>
internal sealed class Thumb2InstructionGenerator
{
    public const int Base = 11, Index = 10;
    private const uint BaseOffset = 0x2000;

    /// <summary>The 16-bit rows mixed in: the flag-setting data processing (the IT rule) and the ARMv6 additions.</summary>
    private static readonly string[] Thumb16Rows =
    [
        "LSL (immediate) T1", "LSR (immediate) T1", "ASR (immediate) T1", "ADD (register) T1", "SUB (register) T1",
        "ADD (immediate) T1", "SUB (immediate) T1", "MOV (immediate) T1", "CMP (immediate) T1",
        "ADD (immediate) T2", "SUB (immediate) T2", "AND (register) T1", "EOR (register) T1", "LSL (register) T1",
        "LSR (register) T1", "ASR (register) T1", "ADC (register) T1", "SBC (register) T1", "ROR (register) T1", "TST (register) T1",
        "RSB (immediate) T1", "CMP (register) T1", "CMN (register) T1", "ORR (register) T1", "MUL T1", "BIC (register) T1",
        "MVN (register) T1", "SXTH T1", "SXTB T1", "UXTH T1", "UXTB T1", "REV T1", "REV16 T1", "REVSH T1",
    ];

    /// <summary>Why a T32 integer row is not generated, or null if it is.</summary>
    public static string? WhyNotGenerated(EncodingRow row)
    {
        string n = row.Name;
        if ((row.Flags & EncodingFlags.Branch) != 0 || n.StartsWith("B", StringComparison.Ordinal) && n.Contains(" T", StringComparison.Ordinal) && !n.StartsWith("BF", StringComparison.Ordinal) && !n.StartsWith("BIC", StringComparison.Ordinal))
            return "branch";
        if (n.StartsWith("TB", StringComparison.Ordinal)) return "branch";
        if (n.StartsWith("SUBS PC", StringComparison.Ordinal) || n.StartsWith("RFE", StringComparison.Ordinal) || n.StartsWith("SRS", StringComparison.Ordinal))
            return "privileged: UNDEFINED in User mode, where the test runs";
        if (n.Contains("(Banked register)", StringComparison.Ordinal))
            return "privileged: UNDEFINED in User mode, where the test runs (SecurityVirtualizationTests cover it)";
        if (n is "SMC T1" or "HVC T1") return "exception: UNDEFINED without Monitor and Hyp modes; Unicorn stops the run";
        if (n.StartsWith("LDM", StringComparison.Ordinal) || n.StartsWith("STM", StringComparison.Ordinal))
            return null;
        if (n.StartsWith("PL", StringComparison.Ordinal) || n.StartsWith("NOP (unallocated memory", StringComparison.Ordinal))
            return "hint: no architectural effect to compare";
        if (n is "WFI T2" or "WFE T2") return "waits: Unicorn leaves the run loop";
        if (n is "YIELD T2") return "Unicorn 2.0.1 ends the run at a YIELD";
        if (n.EndsWith("T1", StringComparison.Ordinal) && (n.StartsWith("LDRT", StringComparison.Ordinal) || n.StartsWith("STRT", StringComparison.Ordinal)
            || n.StartsWith("LDRBT", StringComparison.Ordinal) || n.StartsWith("STRBT", StringComparison.Ordinal) || n.StartsWith("LDRHT", StringComparison.Ordinal)
            || n.StartsWith("STRHT", StringComparison.Ordinal) || n.StartsWith("LDRSBT", StringComparison.Ordinal) || n.StartsWith("LDRSHT", StringComparison.Ordinal)))
            return "T form: differs from the plain form only in privileged modes (the test runs in User mode)";
        if (n.Contains("(literal)", StringComparison.Ordinal) || n.StartsWith("ADR", StringComparison.Ordinal))
            return "PC-relative: reads the code image, which differs in nothing but makes addresses code-dependent; covered by the -mthumb programs";
        if (n.StartsWith("MSR", StringComparison.Ordinal) || n.StartsWith("MRS", StringComparison.Ordinal))
            return null;
        if (n.StartsWith("CPS", StringComparison.Ordinal)) return "a no-op in User mode; covered by the execution tests";
        if (n.StartsWith("BXJ", StringComparison.Ordinal)) return "branch";
        return null;
    }

    private readonly CpuModel _model;
    private readonly EncodingRow[] _rows;     // everything the model decodes (for the decode check)
    private readonly EncodingRow[] _enabled;  // what is generated
    private readonly EncodingRow _it;

    public Thumb2InstructionGenerator(CpuModel model)
    {
        _model = model;
        var t32 = Thumb32Decoder.Rows.Where(r => r.AvailableOn(model.Arch, model.Features)).ToArray();
        var t16 = Thumb16Encodings.Rows.Where(r => r.AvailableOn(model.Arch, model.Features)).ToArray();
        _rows = [.. t32, .. t16];
        _enabled = [.. Thumb32Encodings.Rows.Where(r => r.AvailableOn(model.Arch, model.Features) && WhyNotGenerated(r) is null),
                    .. t16.Where(r => Thumb16Rows.Contains(r.Name))];
        _it = t16.Single(r => r.Name == "IT T1");
    }

    public IEnumerable<string> EnabledEncodings => _enabled.Select(r => r.Name);

    /// <summary>A test of about <paramref name="length"/> instructions (IT instructions included), determined by <paramref name="seed"/>.</summary>
    public TestCase Generate(int seed, int length)
    {
        var rng = new Random(seed);
        var regs = new uint[15];
        for (int r = 0; r < 15; r++) regs[r] = RandomValue(rng);
        regs[Base] = InstructionGenerator.ScratchBase + BaseOffset;
        regs[Index] = (uint)(8 * rng.Next(-8, 9));
        uint cpsr = ((uint)rng.Next(32) << 27) | 0x10 | ((uint)rng.Next(16) << 16);
        var scratch = new byte[InstructionGenerator.ScratchSize];
        rng.NextBytes(scratch);

        var words = new List<uint>();
        var names = new List<string>();
        while (words.Count < length)
        {
            int room = length - words.Count;
            if (room >= 2 && rng.Next(6) == 0)
            {
                // An IT block: firstcond EQ..LE (AL only for a one-instruction block), 1 to 4 instructions.
                int count = Math.Min(rng.Next(1, 5), room - 1);
                uint firstcond = count == 1 && rng.Next(8) == 0 ? 14u : (uint)rng.Next(14);
                uint mask = 1u << (4 - count);
                for (int k = 1; k < count; k++)
                    mask |= (firstcond == 14 ? (firstcond & 1) : (uint)rng.Next(2)) << (4 - k);
                words.Add(InstructionGenerator.Encode(_it.Pattern, new Dictionary<char, uint> { ['c'] = firstcond, ['m'] = mask }));
                names.Add(_it.Name);
                for (int k = 0; k < count; k++) AddOne(rng, words, names, insideIt: true);
            }
            else
            {
                AddOne(rng, words, names, insideIt: false);
            }
        }
        return new TestCase(true, regs, cpsr, scratch, [.. words], [.. names]);
    }

    private void AddOne(Random rng, List<uint> words, List<string> names, bool insideIt)
    {
        for (int attempt = 0; ; attempt++)
        {
            if (attempt > 1000) throw new InvalidOperationException("generator is stuck");
            var row = _enabled[rng.Next(_enabled.Length)];
            // Unicorn 2.0.1 (QEMU 5.0) ends its translation block at an ISB without saving ITSTATE, so
            // the rest of the block runs unconditionally there; DDI 0406C allows ISB in an IT block.
            if (insideIt && row.Name == "ISB T1") continue;
            var fields = Fill(rng, row);
            if (fields is null) continue;
            uint word = InstructionGenerator.Encode(row.Pattern, fields);
            if (!row.Matches(word)) continue;
            var best = _rows.Where(r => r.Pattern.Length == row.Pattern.Length && r.Matches(word)).OrderByDescending(r => r.Specificity).First();
            if (best.Name != row.Name) continue; // a more specific row of its group (TST for AND, ...)
            words.Add(word);
            names.Add(row.Name);
            return;
        }
    }

    /// <summary>Register fields: 4 bits wide (T32) or 3 (16-bit).</summary>
    private static readonly string RegisterLetters = "dnmalhtT";

    private static Dictionary<char, uint>? Fill(Random rng, EncodingRow row)
    {
        var widths = new Dictionary<char, int>();
        foreach (char ch in row.Pattern)
            if (ch is not ('0' or '1')) widths[ch] = widths.GetValueOrDefault(ch) + 1;
        var f = new Dictionary<char, uint>();
        bool t16 = row.Pattern.Length == 16;
        string n = row.Name;
        bool memory = n.StartsWith("LD", StringComparison.Ordinal) || n.StartsWith("ST", StringComparison.Ordinal);
        var used = new HashSet<uint>();
        foreach (var (letter, width) in widths)
        {
            bool register = RegisterLetters.Contains(letter) && (width == 4 || (t16 && width == 3));
            if (register)
            {
                if (t16)
                {
                    f[letter] = (uint)rng.Next(8);
                    continue;
                }
                if (memory && letter == 'n')
                {
                    f[letter] = Base;
                    continue;
                }
                if (memory && letter == 'm')
                {
                    f[letter] = Index;
                    continue;
                }
                uint r;
                // Destinations and sources alike: no SP, no PC, not the base or index (sources may read them).
                bool destination = letter is 'd' or 'l' or 'h' || (memory && letter is 't' or 'T');
                do r = (uint)rng.Next(13);
                while (destination && (r is Base or Index) || (letter is 'l' or 'h' or 't' or 'T' && used.Contains(r)));
                used.Add(r);
                f[letter] = r;
            }
            else
            {
                f[letter] = width >= 31 ? (uint)rng.NextInt64(1L << width) : (uint)rng.Next(1 << width);
            }
        }
        return Constrain(rng, row, f) ? f : null;
    }

    /// <summary>Per-row rules the letters cannot express. False: try another row.</summary>
    private static bool Constrain(Random rng, EncodingRow row, Dictionary<char, uint> f)
    {
        string n = row.Name;
        if (n.StartsWith("MSR", StringComparison.Ordinal))
        {
            // APSR only (the SPSR is UNDEFINED in User mode); the f and s fields (NZCVQ, GE), as the
            // A32 test: Unicorn 2.0.1 ignores a User-mode MSR of E (x field) that QEMU 7.2 and ArmEmu write.
            f['R'] = 0;
            f['m'] = (uint)(4 * rng.Next(1, 4));
        }
        if (n.StartsWith("MRS", StringComparison.Ordinal)) f['R'] = 0;
        // Bit-field ranges (QEMU makes the UNPREDICTABLE ones UNDEFINED).
        uint lsb = f.TryGetValue('i', out uint imm) && (n.StartsWith("BF", StringComparison.Ordinal) || n.Contains("BFX", StringComparison.Ordinal)) ? imm : 0;
        if (n is "BFI T1" or "BFC T1" && f['m'] < lsb) return false;
        if (n is "UBFX T1" or "SBFX T1" && lsb + f['w'] + 1 > 32) return false;
        if (n.StartsWith("SSAT", StringComparison.Ordinal) || n.StartsWith("USAT", StringComparison.Ordinal))
            if (f.TryGetValue('h', out uint sh) && sh == 1 && f['i'] == 0) return false; // the 16-bit forms' space
        // Loads and stores through r11: bounded, 8-byte multiple write-back; aligned doubles and exclusives.
        if (row.Name.StartsWith("LD", StringComparison.Ordinal) || row.Name.StartsWith("ST", StringComparison.Ordinal))
        {
            if (f.TryGetValue('W', out uint w) && w == 1 && row.Name.StartsWith("LDM", StringComparison.Ordinal) | row.Name.StartsWith("STM", StringComparison.Ordinal))
                f['W'] = 0;
            if (f.ContainsKey('r'))
            {
                // LDM/STM lists: r0-r9 and r12, never the base, index, SP, LR or PC.
                uint list;
                do list = (uint)rng.Next(1, 1 << 10) | (rng.Next(4) == 0 ? 1u << 12 : 0);
                while (BitOperations.PopCount(list) < 2); // one register is UNPREDICTABLE in T32
                f['r'] = list;
            }
            bool writesBack = row.Pattern.Contains("1PU1", StringComparison.Ordinal) || row.Name.Contains("post-indexed", StringComparison.Ordinal)
                              || (f.TryGetValue('W', out uint w2) && w2 == 1);
            if (writesBack && f.ContainsKey('i'))
            {
                uint step = (uint)(8 * rng.Next(0, 8));
                f['i'] = row.Name.StartsWith("LDRD", StringComparison.Ordinal) || row.Name.StartsWith("STRD", StringComparison.Ordinal) ? step / 4 : step;
            }
            if (row.Name.StartsWith("LDREX", StringComparison.Ordinal) || row.Name.StartsWith("STREX", StringComparison.Ordinal))
            {
                if (f.ContainsKey('i')) f['i'] = (uint)rng.Next(0, 64) * 2;       // [r11, #imm8*4]: 8-byte aligned
                if (f.TryGetValue('d', out uint d) && (d == f.GetValueOrDefault('t') || d == f.GetValueOrDefault('T'))) return false;
                if (row.Name.StartsWith("LDREXD", StringComparison.Ordinal) && f['t'] == f['T']) return false;
            }
            if (row.Name.StartsWith("LDRD", StringComparison.Ordinal) && f['t'] == f['T']) return false;
            // The base drifts by at most 50 * 56 bytes; a 12-bit offset below 0x800 stays inside the buffer.
            if (row.Pattern.EndsWith("ttttiiiiiiiiiiii", StringComparison.Ordinal)) f['i'] &= 0x7FF;
        }
        // 16-bit: Rd of the 3-bit forms is free; MUL T1 with Rd = Rm is fine on v6+.
        return true;
    }

    private static uint RandomValue(Random rng) => rng.Next(8) switch
    {
        0 or 1 => new uint[] { 0, 1, 0x7FFF_FFFF, 0x8000_0000, 0xFFFF_FFFF }[rng.Next(5)],
        2 => (uint)rng.Next(0, 70),
        3 => 0xFFFF_FFFF - (uint)rng.Next(0, 4),
        4 => (uint)rng.Next(0, 0x10000) | (rng.Next(2) == 0 ? 0x8000u : 0) << 16,
        _ => (uint)rng.NextInt64(1L << 32),
    };
}
