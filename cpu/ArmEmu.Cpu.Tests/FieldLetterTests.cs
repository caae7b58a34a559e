using ArmEmu.Cpu.Decoding;
using ArmEmu.Memory;

namespace ArmEmu.Cpu.Tests;

/// <summary>
/// The field-letter check: every letter run of every row's pattern is a field its handler reads,
/// and every '-' bit is one it ignores. For each row of the A32, 16-bit Thumb and T32 integer
/// tables the test executes words of the row on a core in a random state (registers pointing
/// into random memory or holding random values, random flags and SPSR, a privileged mode) and
/// flips one bit at a time: a bit of a field must change the outcome (registers of every bank,
/// CPSR, SPSR, memory, the exception taken) in at least one of the trials; a '-' bit never may.
/// A pattern that names a field the handler does not read (or a handler that reads a bit the
/// pattern calls don't-care) fails here, so the tables and the handlers cannot drift apart.
/// </summary>
public sealed class FieldLetterTests
{
    /// <summary>
    /// Fields a handler does not read, by design, with the reason. Keyed by row name; "*" means
    /// every field of the row.
    /// </summary>
    private static readonly Dictionary<string, (string Letters, string Why)> NotRead = new()
    {
        ["NOP (unallocated hint) A1"] = ("v", "every unallocated hint executes as NOP (DDI 0406C A8.8.119)"),
        ["NOP (unallocated hint) T1"] = ("h", "every unallocated hint executes as NOP"),
        ["NOP (unallocated hint) T2"] = ("h", "every unallocated hint executes as NOP"),
        ["DBG A1"] = ("o", "DBG is a hint to the debug system: a NOP without one (A8.8.41)"),
        ["DBG T1"] = ("o", "DBG is a hint to the debug system: a NOP without one (A8.8.41)"),
        ["DMB A1"] = ("o", "every barrier option is as strong as SY here (one observer, in order)"),
        ["DSB A1"] = ("o", "every barrier option is as strong as SY here"),
        ["ISB A1"] = ("o", "ISB has only SY; the others are reserved and act as SY"),
        ["DMB T1"] = ("o", "every barrier option is as strong as SY here"),
        ["DSB T1"] = ("o", "every barrier option is as strong as SY here"),
        ["ISB T1"] = ("o", "ISB has only SY; the others are reserved and act as SY"),
        ["BKPT A1"] = ("v", "the comment field is for a debugger reading the instruction"),
        ["BKPT T1"] = ("i", "the comment field is for a debugger reading the instruction"),
        ["SVC A1"] = ("v", "the number is for the SVC handler, which reads the instruction (Linux OABI)"),
        ["SVC T1"] = ("i", "the number is for the SVC handler, which reads the instruction"),
        ["SMC A1"] = ("i", "the number is for the secure monitor; no Monitor mode is modelled: UNDEFINED"),
        ["SMC T1"] = ("i", "the number is for the secure monitor; no Monitor mode is modelled: UNDEFINED"),
        ["HVC A1"] = ("i", "the number is for the hypervisor; no Hyp mode is modelled: UNDEFINED"),
        ["HVC T1"] = ("i", "the number is for the hypervisor; no Hyp mode is modelled: UNDEFINED"),
    };

    /// <summary>Rows whose fields have no architectural effect here, or belong to another unit.</summary>
    private static bool NoArchitecturalEffect(EncodingRow row) =>
        row.Name.StartsWith("PLD", StringComparison.Ordinal) || row.Name.StartsWith("PLI", StringComparison.Ordinal)
        || row.Name.StartsWith("NOP (unallocated memory hint)", StringComparison.Ordinal);

    private static bool IsCoprocessorRow(EncodingRow row) => row.Group == VfpEncodings.Group;

    public static TheoryData<string> Tables => new() { "A32", "T16", "T32" };

    [Theory]
    [MemberData(nameof(Tables))]
    public void EveryFieldLetterIsReadAndEveryDontCareBitIgnored(string table)
    {
        var failures = new List<string>();
        int checkedRows = 0;
        foreach (var (row, model) in RowsOf(table))
        {
            if (IsCoprocessorRow(row)) continue; // CoprocessorTests: each field reaches the coprocessor
            checkedRows++;
            string? failure = CheckRow(row, model, table);
            if (failure is not null) failures.Add(failure);
        }
        Assert.True(checkedRows > (table == "T16" ? 70 : 200), $"only {checkedRows} rows checked");
        Assert.True(failures.Count == 0, $"{failures.Count} rows:\n" + string.Join("\n", failures));
    }

    [Fact]
    public void TheExemptionsNameRealRowsAndFields()
    {
        var all = ArmEncodings.Rows.Concat(Thumb16Encodings.Rows).Concat(Thumb32Encodings.Rows).ToDictionary(r => r.Name + "|" + r.Pattern.Length, r => r);
        foreach (var (name, (letters, why)) in NotRead)
        {
            var rows = all.Values.Where(r => r.Name == name).ToArray();
            Assert.True(rows.Length == 1, $"{name}: no such row");
            foreach (char letter in letters) Assert.Contains(letter, rows[0].Pattern);
            Assert.False(string.IsNullOrWhiteSpace(why));
        }
    }

    /// <summary>
    /// The generated field views (<see cref="ArmFields"/>, <see cref="Thumb16Fields"/>, <see cref="Thumb32Fields"/>):
    /// every integer row has one, made from its pattern, and each property reads exactly the bits of
    /// its letter, the runs concatenated most significant first. The one family whose rows are made
    /// by code, not written out (the 36 T32 parallel add/subtract rows, ParallelRows), has none: the
    /// behavioural check above covers its handler.
    /// </summary>
    [Fact]
    public void EveryRowHasAFieldViewReadingItsLettersBits()
    {
        var views = new[] { typeof(ArmFields), typeof(Thumb16Fields), typeof(Thumb32Fields) };
        var tables = new[] { ArmEncodings.Rows, Thumb16Encodings.Rows, Thumb32Encodings.Rows };
        for (int t = 0; t < views.Length; t++)
        {
            var byName = views[t].GetNestedTypes().ToDictionary(v => (string)v.GetField("Name")!.GetValue(null)!);
            int madeByCode = 0;
            foreach (var row in tables[t])
            {
                if (t == 2 && row.Pattern.StartsWith("111110101", StringComparison.Ordinal) && row.Pattern[16..20] == "1111" && row.Pattern[24] == '0'
                    && !byName.ContainsKey(row.Name))
                {
                    madeByCode++;
                    continue;
                }
                Assert.True(byName.TryGetValue(row.Name, out var view), $"{views[t].Name} has no view of {row}");
                Assert.Equal(row.Pattern, (string)view!.GetField("Pattern")!.GetValue(null)!);
                int bits = row.Pattern.Length;
                foreach (char letter in row.Pattern.Distinct().Where(ch => ch is not ('0' or '1' or '-')))
                {
                    var property = view.GetProperty(letter.ToString())!;
                    int Read(uint op) => Convert.ToInt32(property.GetValue(Activator.CreateInstance(view, op)));
                    int width = row.Pattern.Count(ch => ch == letter), seen = 0;
                    for (int i = 0; i < bits; i++)
                    {
                        int value = Read(1u << (bits - 1 - i));
                        if (row.Pattern[i] != letter)
                        {
                            Assert.True(value == 0, $"{row}: '{letter}' reads bit {bits - 1 - i}");
                            continue;
                        }
                        seen++;
                        Assert.True(value == 1 << (width - seen), $"{row}: '{letter}' puts bit {bits - 1 - i} at {value:x}");
                    }
                }
            }
            Assert.Equal(t == 2 ? 36 : 0, madeByCode);
        }
    }

    /// <summary>Each row with the model it runs on: the v5 Thumb BL halves on the ARM926, everything else on the Cortex-A15.</summary>
    private static IEnumerable<(EncodingRow Row, CpuModel Model)> RowsOf(string table) => table switch
    {
        "A32" => ArmEncodings.Rows.Select(r => (r, CpuModel.CortexA15)),
        "T16" => Thumb16Encodings.Rows.Select(r => (r, r.Pattern.StartsWith("111", StringComparison.Ordinal) && r.Pattern[3..5] != "00" ? CpuModel.Arm926 : CpuModel.CortexA15)),
        _ => Thumb32Encodings.Rows.Select(r => (r, CpuModel.CortexA15)),
    };

    // "Address" registers point into [AddressLow, AddressLow + AddressSpan), so that a base plus
    // an index (both such) still lands in the compared window; the code's page is random too (the
    // literal loads read there).
    private const uint Window = 0x3_8000, WindowSize = 0x5_8000; // memory compared after each step
    private const uint AddressLow = 0x4_0000, AddressSpan = 0x4000;
    private const int Trials = 96;

    private static string? CheckRow(EncodingRow row, CpuModel model, string table)
    {
        int bits = row.Pattern.Length;
        var decoder = table switch
        {
            "A32" => ArmDecoder.For(model).Table,
            "T16" => Thumb16Decoder.For(model).Table,
            _ => Thumb32Decoder.For(model).Table,
        };
        NotRead.TryGetValue(row.Name, out var exempt);
        bool allExempt = NoArchitecturalEffect(row);

        // Bit positions (word bit numbers) of each field letter, and of the don't-care bits.
        var fieldBits = new Dictionary<char, List<int>>();
        var dontCare = new List<int>();
        for (int i = 0; i < bits; i++)
        {
            char ch = row.Pattern[i];
            int bit = bits - 1 - i;
            if (ch == '-') dontCare.Add(bit);
            else if (ch is not ('0' or '1'))
            {
                if (row.Conditional && i < 4) continue; // the condition: the engine reads it, not the handler
                if (allExempt || (exempt.Letters?.Contains(ch) ?? false)) continue;
                if (!fieldBits.TryGetValue(ch, out var list)) fieldBits[ch] = list = [];
                list.Add(bit);
            }
        }
        var unproven = fieldBits.SelectMany(kv => kv.Value.Select(b => (Letter: kv.Key, Bit: b))).ToHashSet();
        var dontCareRead = new List<int>();

        using var h = new CpuHarness(model);
        var random = new Random(StableHash(row.Name)); // string.GetHashCode differs from run to run
        byte[] memory = new byte[WindowSize];
        random.NextBytes(memory);
        byte[] low = new byte[0x1_0000];
        random.NextBytes(low);
        h.Bus.WriteRam(0, low);
        ExceptionKind? taken = null;
        h.Cpu.ExceptionHandler = (Cpu _, in CpuException e) =>
        {
            taken = e.Kind;
            return ExceptionDisposition.Stop;
        };
        h.Cpu.WaitForInterruptHandler = _ => true;

        int candidates = 0;
        for (int trial = 0; trial < Trials && (unproven.Count > 0 || trial < 8); trial++)
        {
            // Every other run of five trials starts from the row's word with every field zero: a
            // flag-only instruction (TST, CMP, CBZ's test) shows its operand bits best against zero.
            uint word = trial / 5 % 2 == 1 && DecodesTo(decoder, ZeroFields(row), row) ? ZeroFields(row) : RandomWord(row, decoder, random, out bool _);
            bool found = DecodesTo(decoder, word, row);
            if (!found) continue;
            candidates++;
            var state = RandomState(random, trial);
            var baseline = Execute(h, table, row, word, state, memory, ref taken);
            foreach (var (letter, bit) in unproven.ToArray())
            {
                uint flipped = word ^ (1u << bit);
                if (!DecodesTo(decoder, flipped, row)) continue;
                if (!baseline.SameAs(Execute(h, table, row, flipped, state, memory, ref taken))) unproven.Remove((letter, bit));
            }
            foreach (int bit in dontCare)
            {
                uint flipped = word ^ (1u << bit);
                if (DecodesTo(decoder, flipped, row) && !baseline.SameAs(Execute(h, table, row, flipped, state, memory, ref taken)) && !dontCareRead.Contains(bit))
                    dontCareRead.Add(bit);
            }
        }
        if (candidates == 0) return $"{row}: no word of the row decodes to it on {model.Name}";
        var problems = new List<string>();
        foreach (var g in unproven.GroupBy(u => u.Letter).OrderBy(g => g.Key))
            problems.Add($"'{g.Key}' bits {string.Join(",", g.Select(u => u.Bit).OrderByDescending(b => b))} never change the outcome");
        if (dontCareRead.Count > 0) problems.Add($"don't-care bits {string.Join(",", dontCareRead)} change it");
        return problems.Count == 0 ? null : $"{row}: {string.Join("; ", problems)}";
    }

    private static bool DecodesTo(DecoderTable decoder, uint word, EncodingRow row)
    {
        int i = decoder.DecodeRow(word);
        return i >= 0 && decoder.Rows[i].Name == row.Name && decoder.Rows[i].Pattern == row.Pattern;
    }

    private static int StableHash(string s)
    {
        uint h = 2166136261;
        foreach (char ch in s) h = (h ^ ch) * 16777619;
        return (int)(h & 0x7FFF_FFFF);
    }

    private static uint ZeroFields(EncodingRow row) => row.Conditional ? row.Value | 0xE000_0000 : row.Value;

    /// <summary>A word of the row (random in its field bits, condition AL) that the table decodes to it.</summary>
    private static uint RandomWord(EncodingRow row, DecoderTable decoder, Random random, out bool found)
    {
        for (int attempt = 0; attempt < 200; attempt++)
        {
            uint word = ((uint)random.Next() << 1 ^ (uint)random.Next()) & ~row.Mask | row.Value;
            if (row.Pattern.Length == 16) word &= 0xFFFF;
            if (row.Conditional) word = word & 0x0FFF_FFFF | 0xE000_0000;
            if (DecodesTo(decoder, word, row))
            {
                found = true;
                return word;
            }
        }
        found = false;
        return 0;
    }

    private sealed record State(uint[] Registers, uint[] Banked, uint Cpsr, uint Spsr);

    private static readonly ProcessorMode[] OtherModes =
        [ProcessorMode.User, ProcessorMode.Fiq, ProcessorMode.Irq, ProcessorMode.Abort, ProcessorMode.Undefined];

    /// <summary>
    /// Registers, by trial: word-aligned addresses into the compared window, unaligned ones, any
    /// value, or zero (small values on the alternate trials of that kind); the same for the other
    /// modes' banked registers.
    /// Supervisor mode, random NZCVQ and GE, and an SPSR of User or System mode with random flags.
    /// </summary>
    private static State RandomState(Random random, int trial)
    {
        uint Value()
        {
            uint any = (uint)random.Next() << 1 ^ (uint)random.Next();
            if (trial % 5 == 2) return any;
            if (trial % 5 == 4) return trial / 10 % 2 == 0 ? 0 : (uint)random.Next(4);
            uint address = AddressLow + (uint)random.Next((int)AddressSpan);
            return trial % 5 == 0 ? address & ~3u : address;
        }
        var registers = new uint[15];
        for (int i = 0; i < 15; i++) registers[i] = Value();
        var banked = new uint[OtherModes.Length * 7];
        for (int i = 0; i < banked.Length; i++) banked[i] = Value();
        uint flags = (uint)random.Next(32) << 27 | (uint)random.Next(16) << 16;
        uint cpsr = flags | (uint)ProcessorMode.Supervisor | 0xC0;
        uint spsr = (uint)random.Next(32) << 27 | (uint)random.Next(16) << 16 | (random.Next(2) == 0 ? 0x10u : 0x1Fu);
        return new State(registers, banked, cpsr, spsr);
    }

    private sealed class Outcome
    {
        public required uint[] Registers { get; init; }
        public required uint Cpsr { get; init; }
        public required uint Spsr { get; init; }
        public required byte[] Memory { get; init; }
        public required ExceptionKind? Exception { get; init; }

        public bool SameAs(Outcome other) =>
            Registers.AsSpan().SequenceEqual(other.Registers) && Cpsr == other.Cpsr && Spsr == other.Spsr
            && Exception == other.Exception && Memory.AsSpan().SequenceEqual(other.Memory);
    }

    /// <summary>The value of a field of <paramref name="row"/> in <paramref name="word"/>, its runs concatenated.</summary>
    private static uint Field(EncodingRow row, uint word, char letter)
    {
        uint value = 0;
        for (int i = 0; i < row.Pattern.Length; i++)
            if (row.Pattern[i] == letter) value = value << 1 | (word >> (row.Pattern.Length - 1 - i) & 1);
        return value;
    }

    /// <summary>
    /// A store-exclusive passes only with the monitor marking its address: mark the address the
    /// word names (Rn, plus T32 STREX's imm8 * 4) with memory's value there, so the store happens
    /// and its data, and its address, show in the outcome.
    /// </summary>
    private static void MarkForStoreExclusive(CpuHarness h, EncodingRow row, uint word)
    {
        uint address = h.Cpu.R[(int)Field(row, word, 'n')] + (row.Name == "STREX T1" ? Field(row, word, 'i') * 4 : 0);
        int size = row.Name.StartsWith("STREXB", StringComparison.Ordinal) ? 1 : row.Name.StartsWith("STREXH", StringComparison.Ordinal) ? 2
                 : row.Name.StartsWith("STREXD", StringComparison.Ordinal) ? 8 : 4;
        if (address >= CpuHarness.RamSize - 8) return;
        Span<byte> bytes = stackalloc byte[8];
        h.Bus.ReadRam(address, bytes);
        ulong value = BitConverter.ToUInt64(bytes) & (size == 8 ? ulong.MaxValue : (1ul << (size * 8)) - 1);
        h.Cpu.MarkExclusive(address, size, value);
    }

    private static Outcome Execute(CpuHarness h, string table, EncodingRow row, uint word, State state, byte[] memory, ref ExceptionKind? taken)
    {
        var cpu = h.Cpu;
        bool thumb = table != "A32";
        // The instruction, the memory window and the state, as the trial drew them.
        const uint At = CpuHarness.CodeBase;
        if (table == "T16") h.Bus.WriteRam(At, [(byte)word, (byte)(word >> 8)]);
        else if (thumb) h.Bus.WriteRam(At, [(byte)(word >> 16), (byte)(word >> 24), (byte)word, (byte)(word >> 8)]);
        else h.Bus.WriteRam(At, BitConverter.GetBytes(word));
        h.Bus.WriteRam(Window, memory);
        cpu.WriteCpsr((uint)ProcessorMode.Supervisor | 0xC0, 0xFFFF_FFFF);
        for (int m = 0; m < OtherModes.Length; m++)
            for (int r = 8; r < 15; r++)
                cpu.SetBankedRegister(OtherModes[m], r, state.Banked[m * 7 + r - 8]);
        for (int r = 0; r < 15; r++) cpu.R[r] = state.Registers[r];
        foreach (var mode in OtherModes.Skip(1)) cpu.SetSpsr(mode, state.Spsr);
        cpu.SetSpsr(ProcessorMode.Supervisor, state.Spsr);
        cpu.WriteCpsr(state.Cpsr, 0xFFFF_FFFF);
        cpu.T = thumb;
        cpu.ITState = 0;
        cpu.E = false;
        cpu.ClearExclusiveMonitor();
        if (row.Name.StartsWith("STREX", StringComparison.Ordinal)) MarkForStoreExclusive(h, row, word);
        cpu.PC = At;
        taken = null;
        cpu.Step();

        var registers = new List<uint>();
        for (int r = 0; r < 15; r++) registers.Add(cpu.R[r]);
        registers.Add(cpu.PC);
        foreach (var mode in OtherModes)
            for (int r = 8; r < 15; r++) registers.Add(cpu.GetBankedRegister(mode, r));
        foreach (var mode in OtherModes.Skip(1)) registers.Add(cpu.GetSpsr(mode));
        registers.Add(cpu.GetSpsr(ProcessorMode.Supervisor));
        var after = new byte[WindowSize];
        h.Bus.ReadRam(Window, after);
        return new Outcome
        {
            Registers = [.. registers],
            Cpsr = cpu.Cpsr,
            Spsr = cpu.HasSpsr ? cpu.Spsr : 0,
            Memory = after,
            Exception = taken,
        };
    }
}
