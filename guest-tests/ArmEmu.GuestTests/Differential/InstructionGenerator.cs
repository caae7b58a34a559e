using ArmEmu.Cpu;
using ArmEmu.Cpu.Decoding;

namespace ArmEmu.GuestTests.Differential;

/// <summary>
/// Groups of encodings that are switched on together. Each matches one file of
/// cpu/ArmEmu.Cpu/Interpreter, so a family can be enabled as soon as its handlers exist.
/// </summary>
public enum InstructionFamily
{
    // ARM
    DataProcessing,    // DataProcessing.cs: the sixteen ALU operations, CLZ
    Multiply,          // Multiply.cs: MUL..SMLAL and the v5TE DSP multiplies
    Saturating,        // Saturating.cs: QADD, QSUB, QDADD, QDSUB
    StatusRegister,    // StatusRegister.cs: MRS, MSR (flags field only)
    LoadStore,         // LoadStore.cs: LDR/STR/LDRB/STRB
    LoadStoreExtra,    // LoadStoreExtra.cs: halfwords, signed bytes, doublewords
    LoadStoreMultiple, // LoadStoreMultiple.cs: LDM/STM
    Swap,              // Synchronization.cs: SWP, SWPB

    // ARM, ARMv6 and later (rows a model lacks are never generated for it)
    MoveWide,            // MoveWide.cs: MOVW, MOVT
    Bitfield,            // Bitfield.cs: BFC, BFI, SBFX, UBFX
    Reverse,             // Reverse.cs: REV, REV16, REVSH, RBIT
    Extend,              // Extend.cs: SXTB..UXTAH, the 16-bit forms
    ParallelAddSubtract, // ParallelAddSubtract.cs: S/Q/SH/U/UQ/UH x ADD16..SUB8
    Media,               // Media.cs: SEL, PKHBT/PKHTB, USAD8/USADA8
    SignedMultiply,      // SignedMultiply.cs: SMLAD..SMMLS
    Divide,              // Divide.cs: SDIV, UDIV (models with the ARM-state divide)
    Exclusive,           // Exclusive.cs: LDREX/STREX (B, H, D), CLREX
    Barriers,            // Barriers.cs and Hints.cs: DMB, DSB, ISB, NOP, YIELD, SEV, DBG
    ProcessorState,      // ProcessorState.cs: SETEND, CPS (a no-op in User mode)

    // Thumb (all in Thumb16.cs)
    ThumbDataProcessing,     // shifts, add/sub, ALU ops, high-register ops, ADR, SP arithmetic
    ThumbLoadStore,          // single loads and stores, LDR (literal), SP-relative
    ThumbLoadStoreMultiple,  // LDMIA/STMIA, PUSH/POP
}

/// <summary>
/// One generated test: the initial state of r0-r14, the CPSR, the scratch buffer,
/// and the instructions (32-bit ARM words, 16-bit Thumb halfwords, or 32-bit Thumb
/// instructions held as hw1:hw2, which are above 0xFFFF).
/// </summary>
public sealed record TestCase(bool Thumb, uint[] Registers, uint Cpsr, byte[] Scratch, uint[] Instructions, string[] Encodings)
{
    /// <summary>The size in bytes of instruction <paramref name="index"/>.</summary>
    public int SizeOf(int index) => !Thumb || Instructions[index] > 0xFFFF ? 4 : 2;

    /// <summary>The byte offset of instruction <paramref name="index"/> (of the end, for the count).</summary>
    public uint Offset(int index)
    {
        uint offset = 0;
        for (int i = 0; i < index; i++) offset += (uint)SizeOf(i);
        return offset;
    }

    public byte[] Code()
    {
        var bytes = new byte[Offset(Instructions.Length)];
        for (int i = 0; i < Instructions.Length; i++)
        {
            int at = (int)Offset(i);
            uint word = Instructions[i];
            if (!Thumb) BitConverter.TryWriteBytes(bytes.AsSpan(at), word);
            else if (word > 0xFFFF)
            {
                BitConverter.TryWriteBytes(bytes.AsSpan(at), (ushort)(word >> 16));
                BitConverter.TryWriteBytes(bytes.AsSpan(at + 2), (ushort)word);
            }
            else BitConverter.TryWriteBytes(bytes.AsSpan(at), (ushort)word);
        }
        return bytes;
    }
}

/// <summary>
/// Generates random sequences of valid ARMv5TE instructions without branches or PC
/// writes, built from the rows of <see cref="ArmEncodings.Rows"/> and
/// <see cref="Thumb16Encodings.Rows"/>: each row the differential test covers has a
/// field filler here that keeps away from UNPREDICTABLE register choices, and every
/// other row is on the do-not-test list with its reason. Memory accesses go through a
/// reserved base register (and an index register with a known value) that point into
/// the scratch buffer; they are kept naturally aligned, because Unicorn does not
/// rotate unaligned LDRs as ARMv5 does (unicorn-engine/unicorn#1535), and doubleword
/// aligned for LDRD/STRD (ARM ARM, LDRD and STRD: otherwise UNPREDICTABLE).
/// </summary>
public sealed class InstructionGenerator
{
    public const uint CodeBase = 0x0001_0000;
    public const uint CodeSize = 0x0001_0000;
    public const uint ScratchBase = 0x0002_0000;
    public const uint ScratchSize = 0x4000;

    /// <summary>The longest sequence the scratch layout has room for (base drift is bounded per instruction).</summary>
    public const int MaxLength = 50;

    // ARM: r11 points into the scratch buffer, r10 holds a small multiple of 8 used as
    // register offset. Neither is ever written, so every address is known to stay inside.
    public const int ArmBase = 11, ArmIndex = 10;
    private const uint ArmBaseOffset = 0x2000;      // the middle: writeback may go either way
    private const int ArmMaxStep = 128;              // |writeback| per instruction: 50 * 128 < 0x2000 - 0x100

    // Thumb: r7 is the base and r6 the index (low registers, as the loads need);
    // SP also points into the buffer. Thumb has no conditional execution outside
    // branches, so the generator tracks the exact base and SP offsets.
    public const int ThumbBase = 7, ThumbIndex = 6;
    private const int ThumbBaseStart = 0x100, ThumbBaseLimit = 0xC00;
    private const int ThumbSpStart = 0x2000, ThumbSpMin = 0x1000, ThumbSpMax = 0x3000;

    /// <summary>Why each encoding the differential test never generates is left out.</summary>
    public static readonly IReadOnlyDictionary<string, string> ArmDoNotTest = new Dictionary<string, string>
    {
        ["BX A1"] = "branch",
        ["BLX (register) A1"] = "branch",
        ["B A1"] = "branch",
        ["BL A1"] = "branch",
        ["BLX (immediate) A2"] = "branch",
        ["BKPT A1"] = "exception: Unicorn calls an interrupt hook, no state to compare",
        ["SVC A1"] = "exception: Unicorn calls an interrupt hook, no state to compare",
        ["STRT A1"] = "T form: the user-mode access only differs from STR in privileged modes (the test runs in User mode)",
        ["STRT A2"] = "T form",
        ["STRBT A1"] = "T form",
        ["STRBT A2"] = "T form",
        ["LDRT A1"] = "T form",
        ["LDRT A2"] = "T form",
        ["LDRBT A1"] = "T form",
        ["LDRBT A2"] = "T form",
        ["STM (user registers) A1"] = "UNPREDICTABLE in User mode (ARM ARM, STM (2))",
        ["LDM (user registers) A1"] = "UNPREDICTABLE in User mode (ARM ARM, LDM (2))",
        ["LDM (exception return) A1"] = "writes the PC (and the CPSR from an SPSR User mode lacks)",
        ["CDP A1"] = "coprocessor: Unicorn's ARM926 and ArmEmu's test machine have different coprocessors",
        ["MCR A1"] = "coprocessor",
        ["MRC A1"] = "coprocessor",
        ["MCRR A1"] = "coprocessor",
        ["MRRC A1"] = "coprocessor",
        ["LDC, STC (offset, pre-indexed) A1"] = "coprocessor",
        ["LDC, STC (post-indexed) A1"] = "coprocessor",
        ["LDC, STC (unindexed) A1"] = "coprocessor",
        ["CDP2 A2"] = "coprocessor",
        ["MCR2 A2"] = "coprocessor",
        ["MRC2 A2"] = "coprocessor",
        ["LDC2, STC2 (offset, pre-indexed) A2"] = "coprocessor",
        ["LDC2, STC2 (post-indexed) A2"] = "coprocessor",
        ["LDC2, STC2 (unindexed) A2"] = "coprocessor",
        ["PLD (immediate, literal) A1"] = "hint: no architectural effect to compare",
        ["PLD (register) A1"] = "hint: no architectural effect to compare",
        ["PLI (immediate, literal) A1"] = "hint: no architectural effect to compare",
        ["PLI (register) A1"] = "hint: no architectural effect to compare",
        ["PLDW (immediate) A1"] = "hint: no architectural effect to compare",
        ["PLDW (register) A1"] = "hint: no architectural effect to compare",
        ["BXJ A1"] = "branch",
        ["WFI A1"] = "waits for an interrupt: Unicorn stops the run",
        ["WFE A1"] = "waits for an event: Unicorn leaves the run loop",
        ["YIELD A1"] = "Unicorn 2.0.1 ends the run at a YIELD (QEMU's EXCP_YIELD) and reports an invalid instruction",
        ["SRS A1"] = "privileged: UNDEFINED in User mode, where the test runs",
        ["RFE A1"] = "privileged: UNDEFINED in User mode, where the test runs",
        ["SMC A1"] = "exception: UNDEFINED without a Monitor mode; Unicorn stops the run (SecurityVirtualizationTests)",
        ["HVC A1"] = "exception: UNDEFINED without a Hyp mode; Unicorn stops the run (SecurityVirtualizationTests)",
        ["ERET A1"] = "privileged: UNDEFINED in User mode, where the test runs",
        ["MRS (Banked register) A1"] = "privileged: UNDEFINED in User mode, where the test runs",
        ["MSR (Banked register) A1"] = "privileged: UNDEFINED in User mode, where the test runs",
    };

    public static readonly IReadOnlyDictionary<string, string> ThumbDoNotTest = new Dictionary<string, string>
    {
        ["BX T1"] = "branch",
        ["BLX (register) T1"] = "branch",
        ["B T1 (conditions 0000-0111)"] = "branch",
        ["B T1 (conditions 1000-1011)"] = "branch",
        ["B T1 (conditions 1100-1101)"] = "branch",
        ["B T2"] = "branch",
        ["BLX (immediate) T2, second halfword"] = "branch",
        ["BL, BLX (immediate) T1/T2, first halfword"] = "half of a branch: sets LR for the suffix that follows",
        ["BL T1, second halfword"] = "branch",
        ["BKPT T1"] = "exception: Unicorn calls an interrupt hook, no state to compare",
        ["SVC T1"] = "exception: Unicorn calls an interrupt hook, no state to compare",
        ["SXTH T1"] = V6Thumb16,
        ["SXTB T1"] = V6Thumb16,
        ["UXTH T1"] = V6Thumb16,
        ["UXTB T1"] = V6Thumb16,
        ["REV T1"] = V6Thumb16,
        ["REV16 T1"] = V6Thumb16,
        ["REVSH T1"] = V6Thumb16,
        ["SETEND T1"] = "ARMv6: SETEND in ARM state is in the ARMv7 test (ProcessorState)",
        ["CPS T1"] = "ARMv6: a no-op in User mode, where the test runs",
        ["CBZ, CBNZ T1"] = "branch",
        ["IT T1"] = "ARMv6T2: IT blocks are generated by the Thumb-2 differential (Thumb2InstructionGenerator)",
        ["NOP (unallocated hint) T1"] = "hint: no architectural effect to compare",
        ["NOP T1"] = "hint: no architectural effect to compare",
        ["YIELD T1"] = "Unicorn 2.0.1 ends the run at a YIELD (QEMU's EXCP_YIELD)",
        ["WFE T1"] = "waits for an event: Unicorn leaves the run loop",
        ["WFI T1"] = "waits for an interrupt: Unicorn stops the run",
        ["SEV T1"] = "hint: no architectural effect to compare",
    };

    /// <summary>The ARMv6 16-bit rows: this ARMv5 generator runs on the ARM926, which lacks them.</summary>
    private const string V6Thumb16 = "ARMv6: not on the ARM926; generated by the Thumb-2 differential (Thumb2InstructionGenerator)";

    private delegate Fields? Filler(Context ctx);

    private sealed record Spec(InstructionFamily Family, Filler Fill);

    private static readonly Dictionary<string, Spec> ArmSpecs = BuildArmSpecs();
    private static readonly Dictionary<string, Spec> ThumbSpecs = BuildThumbSpecs();

    private readonly bool _thumb;
    private readonly CpuModel _model;
    private readonly EncodingRow[] _rows;
    private readonly (EncodingRow Row, Spec Spec)[] _enabled;

    public InstructionGenerator(bool thumb, IEnumerable<InstructionFamily> families, CpuModel? model = null)
    {
        _thumb = thumb;
        _model = model ?? CpuModel.Arm926;
        // Only the rows the model has: the rest are UNDEFINED on it.
        _rows = (thumb ? Thumb16Encodings.Rows : ArmEncodings.Rows).Where(r => r.AvailableOn(_model.Arch, _model.Features)).ToArray();
        var set = families.ToHashSet();
        var specs = thumb ? ThumbSpecs : ArmSpecs;
        _enabled = _rows.Where(r => specs.TryGetValue(r.Name, out var s) && set.Contains(s.Family))
                        .Select(r => (r, specs[r.Name]))
                        .ToArray();
        if (_enabled.Length == 0)
            throw new ArgumentException("no encoding is enabled");
    }

    /// <summary>The rows of a table that have neither a filler nor a do-not-test reason (should be none).</summary>
    public static IEnumerable<string> UncoveredRows(bool thumb)
    {
        var specs = thumb ? ThumbSpecs : ArmSpecs;
        var skip = thumb ? ThumbDoNotTest : ArmDoNotTest;
        return (thumb ? Thumb16Encodings.Rows : ArmEncodings.Rows)
            .Select(r => r.Name)
            .Where(n => !specs.ContainsKey(n) && !skip.ContainsKey(n));
    }

    /// <summary>Fillers or reasons that name no row (stale entries).</summary>
    public static IEnumerable<string> StaleNames(bool thumb)
    {
        var names = (thumb ? Thumb16Encodings.Rows : ArmEncodings.Rows).Select(r => r.Name).ToHashSet();
        var specs = thumb ? ThumbSpecs : ArmSpecs;
        var skip = thumb ? ThumbDoNotTest : ArmDoNotTest;
        return specs.Keys.Concat(skip.Keys).Where(n => !names.Contains(n));
    }

    public static IEnumerable<InstructionFamily> FamiliesOf(bool thumb) =>
        (thumb ? ThumbSpecs : ArmSpecs).Values.Select(s => s.Family).Distinct();

    public IEnumerable<string> EnabledEncodings => _enabled.Select(e => e.Row.Name);

    /// <summary>A test case of <paramref name="length"/> instructions, entirely determined by <paramref name="seed"/>.</summary>
    public TestCase Generate(int seed, int length)
    {
        if (length > MaxLength) throw new ArgumentOutOfRangeException(nameof(length));
        var rng = new Random(seed);
        var ctx = new Context(rng, _thumb) { V6 = _model.Arch >= ArchVersion.V6 };

        var regs = new uint[15];
        for (int r = 0; r < 15; r++) regs[r] = ctx.RandomValue();
        if (_thumb)
        {
            regs[ThumbBase] = ScratchBase + ThumbBaseStart;
            regs[ThumbIndex] = (uint)ctx.IndexValue;
            regs[13] = ScratchBase + ThumbSpStart;
        }
        else
        {
            regs[ArmBase] = ScratchBase + ArmBaseOffset;
            regs[ArmIndex] = (uint)ctx.IndexValue;
        }

        // NZCVQ random; User mode, ARM state, interrupts enabled.
        uint cpsr = ((uint)rng.Next(32) << 27) | 0x10;
        if (ctx.V6) cpsr |= (uint)rng.Next(16) << 16; // GE[3:0]

        var scratch = new byte[ScratchSize];
        rng.NextBytes(scratch);

        var words = new uint[length];
        var names = new string[length];
        for (int i = 0; i < length; i++)
        {
            for (int attempt = 0; ; attempt++)
            {
                if (attempt > 1000) throw new InvalidOperationException("generator is stuck");
                var (row, spec) = _enabled[rng.Next(_enabled.Length)];
                ctx.Begin(CodeBase + (uint)(i * (_thumb ? 2 : 4)));
                var fields = spec.Fill(ctx);
                if (fields is null) continue;
                uint word = Encode(row.Pattern, fields);
                CheckDecodesAs(word, row);
                ctx.Commit();
                words[i] = word;
                names[i] = row.Name;
                break;
            }
        }
        return new TestCase(_thumb, regs, cpsr, scratch, words, names);
    }

    /// <summary>Places each field's value in the pattern's bits for its letter, most significant bit first.</summary>
    public static uint Encode(string pattern, IReadOnlyDictionary<char, uint> fields)
    {
        var remaining = new Dictionary<char, int>();
        foreach (char ch in pattern)
            if (ch != '0' && ch != '1') remaining[ch] = remaining.GetValueOrDefault(ch) + 1;
        foreach (var (letter, width) in remaining)
        {
            if (letter == '-' && !fields.ContainsKey('-')) fields = new Dictionary<char, uint>(fields) { ['-'] = 0 }; // don't-care bits: zero
            if (!fields.TryGetValue(letter, out uint v))
                throw new ArgumentException($"pattern {pattern}: no value for field '{letter}'");
            if (width < 32 && v >> width != 0)
                throw new ArgumentException($"pattern {pattern}: value 0x{v:x} does not fit field '{letter}' ({width} bits)");
        }
        uint word = 0;
        foreach (char ch in pattern)
        {
            word <<= 1;
            if (ch == '1') word |= 1;
            else if (ch != '0')
            {
                int bit = --remaining[ch];
                word |= (fields[ch] >> bit) & 1;
            }
        }
        return word;
    }

    private void CheckDecodesAs(uint word, EncodingRow row)
    {
        var best = _rows.Where(r => r.Matches(word)).OrderByDescending(r => r.Specificity).FirstOrDefault();
        if (best.Name != row.Name)
            throw new InvalidOperationException($"generated 0x{word:x8} for {row.Name} but it decodes as {best.Name ?? "UNDEFINED"}");
    }

    // ---- the fillers ----------------------------------------------------------------------------

    private sealed class Fields : Dictionary<char, uint>
    {
    }

    /// <summary>Random choices plus the state the generator tracks across one sequence.</summary>
    private sealed class Context
    {
        private static readonly uint[] EdgeValues = [0, 1, 0x7FFF_FFFF, 0x8000_0000, 0xFFFF_FFFF];

        public Context(Random rng, bool thumb)
        {
            R = rng;
            Thumb = thumb;
            // ARM: a multiple of 8 so that the base stays doubleword-aligned after writeback.
            IndexValue = thumb ? 4 * rng.Next(-16, 17) : 8 * rng.Next(-8, 9);
            BaseOffset = ThumbBaseStart;
            SpOffset = ThumbSpStart;
        }

        public Random R { get; }

        public bool Thumb { get; }

        /// <summary>The model is ARMv6 or later (GE bits, the media instructions).</summary>
        public bool V6 { get; init; }

        public int IndexValue { get; }

        public uint Address { get; private set; }

        // Thumb only: exact offsets of r7 and SP in the scratch buffer, and the values an instruction proposes.
        public int BaseOffset { get; private set; }
        public int SpOffset { get; private set; }
        public int NewBaseOffset { get; set; }
        public int NewSpOffset { get; set; }

        public void Begin(uint address)
        {
            Address = address;
            NewBaseOffset = BaseOffset;
            NewSpOffset = SpOffset;
        }

        public void Commit()
        {
            BaseOffset = NewBaseOffset;
            SpOffset = NewSpOffset;
        }

        public bool Chance(int percent) => R.Next(100) < percent;

        public uint Bits(int n) => n == 32 ? (uint)R.NextInt64(1L << 32) : (uint)R.Next(1 << n);

        public uint Bit() => (uint)R.Next(2);

        public uint RandomValue() => R.Next(8) switch
        {
            0 or 1 => EdgeValues[R.Next(EdgeValues.Length)],
            2 => (uint)R.Next(0, 70),               // shift amounts around 32, small counts
            3 => 0xFFFF_FFFF - (uint)R.Next(0, 4),
            4 => (uint)R.Next(0, 0x10000) | (R.Next(2) == 0 ? 0x8000u : 0) << 16,
            _ => Bits(32),
        };

        /// <summary>ARM condition: AL half of the time, otherwise any of EQ..LE.</summary>
        public uint Cond() => Chance(50) ? 14u : (uint)R.Next(14);

        /// <summary>ARM registers an instruction may write: not the PC, not the base or the index.</summary>
        public uint Dest()
        {
            uint r;
            do r = (uint)R.Next(15); while (r is ArmBase or ArmIndex);
            return r;
        }

        /// <summary>Any ARM register but the PC, as a source.</summary>
        public uint Src() => (uint)R.Next(15);

        public uint SrcExcept(int excluded)
        {
            uint r;
            do r = Src(); while (r == excluded);
            return r;
        }

        /// <summary>A source register that may be the PC (read as the instruction's address + 8) where that is defined.</summary>
        public uint SrcOrPc() => Chance(3) ? 15u : Src();

        /// <summary>Thumb registers an instruction may write: r0-r5 (r6 and r7 are reserved).</summary>
        public uint LowDest() => (uint)R.Next(6);

        public uint LowSrc() => (uint)R.Next(8);

        public uint Imm8() => R.Next(4) switch
        {
            0 => new uint[] { 0, 1, 0x7F, 0x80, 0xFF }[R.Next(5)],
            _ => Bits(8),
        };

        public uint ShiftAmount() => R.Next(4) switch
        {
            0 => new uint[] { 0, 1, 31 }[R.Next(3)],
            _ => Bits(5),
        };

        /// <summary>A register list over <paramref name="allowed"/>, non-empty, with an even count when <paramref name="even"/>.</summary>
        public uint RegisterList(IReadOnlyList<int> allowed, bool even = false)
        {
            while (true)
            {
                uint list = 0;
                int density = R.Next(1, 5);
                foreach (int r in allowed)
                    if (R.Next(density + 1) == 0) list |= 1u << r;
                int count = System.Numerics.BitOperations.PopCount(list);
                if (count == 0 || (even && count % 2 != 0)) continue;
                return list;
            }
        }
    }

    private static Fields F(params (char Letter, uint Value)[] values)
    {
        var f = new Fields();
        foreach (var (letter, value) in values) f[letter] = value;
        return f;
    }

    // ---- ARM ---------------------------------------------------------------------------------

    private static Dictionary<string, Spec> BuildArmSpecs()
    {
        var specs = new Dictionary<string, Spec>();
        void Add(string name, InstructionFamily family, Filler fill) => specs.Add(name, new Spec(family, fill));

        // Data processing (A4.1). Compares have no Rd (SBZ: 0) and MOV/MVN no Rn (SBZ: 0).
        // Rd is never the PC (a branch). The PC as Rn or Rm reads address + 8, which is
        // defined for the immediate and immediate-shift forms and is the same in both
        // emulators (the code runs at the same address); the register-shifted forms
        // reading the PC are UNPREDICTABLE (A5.1.1), so those use r0-r14 only.
        foreach (string op in (string[])["AND", "EOR", "SUB", "RSB", "ADD", "ADC", "SBC", "RSC", "TST", "TEQ", "CMP", "CMN", "ORR", "MOV", "BIC", "MVN"])
        {
            bool compare = op is "TST" or "TEQ" or "CMP" or "CMN";
            bool move = op is "MOV" or "MVN";
            Fields Common(Context c, bool pcOk)
            {
                var f = F(('c', c.Cond()), ('n', move ? 0 : pcOk ? c.SrcOrPc() : c.Src()), ('d', compare ? 0 : c.Dest()));
                if (!compare) f['S'] = c.Bit();
                return f;
            }
            Add($"{op} (immediate) A1", InstructionFamily.DataProcessing, c =>
            {
                var f = Common(c, pcOk: true);
                f['r'] = c.Chance(30) ? 0 : c.Bits(4);
                f['v'] = c.Imm8();
                return f;
            });
            Add($"{op} (register) A1", InstructionFamily.DataProcessing, c =>
            {
                var f = Common(c, pcOk: true);
                f['i'] = c.ShiftAmount();
                f['t'] = c.Bits(2);
                f['m'] = c.SrcOrPc();
                return f;
            });
            Add($"{op} (register-shifted register) A1", InstructionFamily.DataProcessing, c =>
            {
                var f = Common(c, pcOk: false);
                f['s'] = c.Src();
                f['t'] = c.Bits(2);
                f['m'] = c.Src();
                return f;
            });
        }
        Add("CLZ A1", InstructionFamily.DataProcessing, c => F(('c', c.Cond()), ('d', c.Dest()), ('m', c.Src())));

        // MRS of the CPSR (the SPSR does not exist in User mode: UNPREDICTABLE); MSR to
        // the flags field only, as the other fields are privileged or execution state.
        Add("MRS A1", InstructionFamily.StatusRegister, c => F(('c', c.Cond()), ('R', 0), ('d', c.Dest())));
        Add("MSR (register) A1", InstructionFamily.StatusRegister, c =>
            F(('c', c.Cond()), ('R', 0), ('f', c.V6 && c.Chance(50) ? 0b1100u : 0b1000u), ('m', c.Src())));
        Add("MSR (immediate) A1", InstructionFamily.StatusRegister, c =>
        {
            uint rotate = c.Chance(60) ? 4 : c.Bits(4), imm = c.Bits(8);
            uint value = System.Numerics.BitOperations.RotateRight(imm, (int)(2 * rotate));
            // Bit 24 is J on the ARM926EJ-S: leave bits 26:24 clear, setting J by MSR is not defined behaviour.
            if ((value & 0x0700_0000) != 0) return null;
            // ARMv6 and later: also the GE field (APSR_g, mask bit 18).
            uint mask = c.V6 ? new uint[] { 0b1000, 0b0100, 0b1100 }[c.R.Next(3)] : 0b1000;
            return F(('c', c.Cond()), ('R', 0), ('f', mask), ('r', rotate), ('v', imm));
        });

        // Saturating arithmetic (QADD, QSUB, QDADD, QDSUB): no register may be the PC.
        foreach (string q in new[] { "QADD A1", "QSUB A1", "QDADD A1", "QDSUB A1" })
            Add(q, InstructionFamily.Saturating, c => F(('c', c.Cond()), ('n', c.Src()), ('d', c.Dest()), ('m', c.Src())));

        // Multiplies (ARM ARM, MUL, MLA, UMULL ...): no PC anywhere; before
        // ARMv6 Rd (RdHi, RdLo) must differ from Rm, and RdHi from RdLo.
        Add("MUL A1", InstructionFamily.Multiply, c =>
        {
            uint d = c.Dest(), m = c.Src();
            return d == m ? null : F(('c', c.Cond()), ('S', c.Bit()), ('d', d), ('s', c.Src()), ('m', m));
        });
        Add("MLA A1", InstructionFamily.Multiply, c =>
        {
            uint d = c.Dest(), m = c.Src();
            return d == m ? null : F(('c', c.Cond()), ('S', c.Bit()), ('d', d), ('n', c.Src()), ('s', c.Src()), ('m', m));
        });
        foreach (string name in new[] { "UMULL A1", "UMLAL A1", "SMULL A1", "SMLAL A1" })
            Add(name, InstructionFamily.Multiply, c =>
            {
                uint hi = c.Dest(), lo = c.Dest(), m = c.Src();
                if (hi == lo || m == hi || m == lo) return null;
                return F(('c', c.Cond()), ('S', c.Bit()), ('h', hi), ('l', lo), ('s', c.Src()), ('m', m));
            });
        Add("SMLA<x><y> A1", InstructionFamily.Multiply, c =>
            F(('c', c.Cond()), ('d', c.Dest()), ('n', c.Src()), ('s', c.Src()), ('y', c.Bit()), ('x', c.Bit()), ('m', c.Src())));
        Add("SMLAW<y> A1", InstructionFamily.Multiply, c =>
            F(('c', c.Cond()), ('d', c.Dest()), ('n', c.Src()), ('s', c.Src()), ('y', c.Bit()), ('m', c.Src())));
        Add("SMULW<y> A1", InstructionFamily.Multiply, c =>
            F(('c', c.Cond()), ('d', c.Dest()), ('s', c.Src()), ('y', c.Bit()), ('m', c.Src())));
        Add("SMLAL<x><y> A1", InstructionFamily.Multiply, c =>
        {
            uint hi = c.Dest(), lo = c.Dest();
            if (hi == lo) return null;
            return F(('c', c.Cond()), ('h', hi), ('l', lo), ('s', c.Src()), ('y', c.Bit()), ('x', c.Bit()), ('m', c.Src()));
        });
        Add("SMUL<x><y> A1", InstructionFamily.Multiply, c =>
            F(('c', c.Cond()), ('d', c.Dest()), ('s', c.Src()), ('y', c.Bit()), ('x', c.Bit()), ('m', c.Src())));

        // SWP/SWPB at the base, which is word aligned; Rm and Rd must not be Rn (UNPREDICTABLE).
        foreach (string name in new[] { "SWP A1", "SWPB A1" })
            Add(name, InstructionFamily.Swap, c => F(('c', c.Cond()), ('n', ArmBase), ('d', c.Dest()), ('m', c.SrcExcept(ArmBase))));

        // Load and store word or unsigned byte (A5.2). Writeback moves the base by a
        // multiple of 8 of at most 128 bytes, so it stays doubleword aligned and inside.
        foreach (string size in new[] { "", "B" })
        {
            bool isByte = size == "B";
            uint align = isByte ? 1u : 4u;
            foreach (bool load in new[] { true, false })
            {
                string mn = (load ? "LDR" : "STR") + size;
                uint Rt(Context c, bool writeback)
                {
                    if (load) return c.Dest();
                    return writeback ? c.SrcExcept(ArmBase) : c.Src(); // STR with writeback and Rt == Rn: UNPREDICTABLE
                }
                Add($"{mn} (immediate) A1", InstructionFamily.LoadStore, c =>
                {
                    uint w = c.Bit();
                    uint offset = w == 1 ? 8 * (uint)c.R.Next(17) : align * (uint)c.R.Next((int)(128 / align) + 1);
                    return F(('c', c.Cond()), ('U', c.Bit()), ('W', w), ('n', ArmBase), ('d', Rt(c, w == 1)), ('i', offset));
                });
                Add($"{mn} (immediate) A1, post-indexed", InstructionFamily.LoadStore, c =>
                    F(('c', c.Cond()), ('U', c.Bit()), ('n', ArmBase), ('d', Rt(c, true)), ('i', 8 * (uint)c.R.Next(17))));
                Add($"{mn} (register) A1", InstructionFamily.LoadStore, c =>
                {
                    uint w = c.Bit();
                    var (amount, type) = ScaledIndex(c, w == 1 ? 8 : align);
                    return F(('c', c.Cond()), ('U', c.Bit()), ('W', w), ('n', ArmBase), ('d', Rt(c, w == 1)),
                             ('i', amount), ('t', type), ('m', ArmIndex));
                });
                Add($"{mn} (register) A1, post-indexed", InstructionFamily.LoadStore, c =>
                {
                    var (amount, type) = ScaledIndex(c, 8);
                    return F(('c', c.Cond()), ('U', c.Bit()), ('n', ArmBase), ('d', Rt(c, true)), ('i', amount), ('t', type), ('m', ArmIndex));
                });
            }
        }

        // Halfword, signed byte and doubleword (A5.3): an 8-bit immediate split in two, or
        // the index register unscaled (a multiple of 8).
        foreach (var (mn, align, load) in new[] { ("STRH", 2u, false), ("LDRH", 2u, true), ("LDRSB", 1u, true), ("LDRSH", 2u, true),
                                                   ("LDRD", 8u, true), ("STRD", 8u, false) })
        {
            bool dual = mn.EndsWith('D');
            uint Rt(Context c, bool writeback)
            {
                if (dual)
                {
                    // Rt even and not r14 (Rt2 would be the PC); loads must not write the
                    // base or index; writeback with Rn in {Rt, Rt2} is UNPREDICTABLE.
                    uint[] pairs = load || writeback ? [0, 2, 4, 6, 8, 12] : [0, 2, 4, 6, 8, 10, 12];
                    return pairs[c.R.Next(pairs.Length)];
                }
                if (load) return c.Dest();
                return writeback ? c.SrcExcept(ArmBase) : c.Src();
            }
            Add($"{mn} (immediate) A1", InstructionFamily.LoadStoreExtra, c =>
            {
                uint w = c.Bit();
                uint offset = w == 1 ? 8 * (uint)c.R.Next(17) : align * (uint)c.R.Next((int)(128 / align) + 1);
                return F(('c', c.Cond()), ('U', c.Bit()), ('W', w), ('n', ArmBase), ('d', Rt(c, w == 1)), ('i', offset));
            });
            Add($"{mn} (immediate) A1, post-indexed", InstructionFamily.LoadStoreExtra, c =>
                F(('c', c.Cond()), ('U', c.Bit()), ('n', ArmBase), ('d', Rt(c, true)), ('i', 8 * (uint)c.R.Next(17))));
            Add($"{mn} (register) A1", InstructionFamily.LoadStoreExtra, c =>
            {
                uint w = c.Bit();
                return F(('c', c.Cond()), ('U', c.Bit()), ('W', w), ('n', ArmBase), ('d', Rt(c, w == 1)), ('m', ArmIndex));
            });
            Add($"{mn} (register) A1, post-indexed", InstructionFamily.LoadStoreExtra, c =>
                F(('c', c.Cond()), ('U', c.Bit()), ('n', ArmBase), ('d', Rt(c, true)), ('m', ArmIndex)));
        }

        // LDM/STM (A5.4) without the PC. With writeback the base is not in the list
        // (UNPREDICTABLE for LDM, and for STM unless lowest) and the count is even so the
        // base stays doubleword aligned; LDM never loads the base or the index.
        int[] loadable = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 13, 14];
        int[] storable = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14];
        int[] storableWb = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 13, 14];
        Add("LDM, LDMDA, LDMDB, LDMIB A1", InstructionFamily.LoadStoreMultiple, c =>
        {
            uint w = c.Bit();
            return F(('c', c.Cond()), ('P', c.Bit()), ('U', c.Bit()), ('W', w), ('n', ArmBase), ('r', c.RegisterList(loadable, even: w == 1)));
        });
        Add("STM, STMDA, STMDB, STMIB A1", InstructionFamily.LoadStoreMultiple, c =>
        {
            uint w = c.Bit();
            return F(('c', c.Cond()), ('P', c.Bit()), ('U', c.Bit()), ('W', w), ('n', ArmBase),
                     ('r', c.RegisterList(w == 1 ? storableWb : storable, even: w == 1)));
        });

        AddArmV6Specs(Add);
        return specs;
    }

    /// <summary>
    /// The ARMv6/v6K/v6T2/v7 rows. Register choices keep clear of UNPREDICTABLE cases: no PC
    /// anywhere, the base and index registers never written, RdHi != RdLo, STREX status
    /// registers distinct from the others; bit fields inside the word; exclusives at the base.
    /// </summary>
    private static void AddArmV6Specs(Action<string, InstructionFamily, Filler> add)
    {
        add("MOV (immediate) A2", InstructionFamily.MoveWide, c => F(('c', c.Cond()), ('d', c.Dest()), ('i', c.Bits(16))));
        add("MOVT A1", InstructionFamily.MoveWide, c => F(('c', c.Cond()), ('d', c.Dest()), ('i', c.Bits(16))));

        add("BFC A1", InstructionFamily.Bitfield, c =>
        {
            uint lsb = c.Bits(5), msb = lsb + (uint)c.R.Next(32 - (int)lsb);
            return F(('c', c.Cond()), ('m', msb), ('d', c.Dest()), ('l', lsb));
        });
        add("BFI A1", InstructionFamily.Bitfield, c =>
        {
            uint lsb = c.Bits(5), msb = lsb + (uint)c.R.Next(32 - (int)lsb);
            return F(('c', c.Cond()), ('m', msb), ('d', c.Dest()), ('l', lsb), ('n', c.Src()));
        });
        foreach (string name in new[] { "SBFX A1", "UBFX A1" })
            add(name, InstructionFamily.Bitfield, c =>
            {
                uint lsb = c.Bits(5), width = 1 + (uint)c.R.Next(32 - (int)lsb);
                return F(('c', c.Cond()), ('w', width - 1), ('d', c.Dest()), ('l', lsb), ('n', c.Src()));
            });

        foreach (string name in new[] { "REV A1", "REV16 A1", "REVSH A1", "RBIT A1" })
            add(name, InstructionFamily.Reverse, c => F(('c', c.Cond()), ('d', c.Dest()), ('m', c.Src())));

        foreach (string name in new[] { "SXTAB16 A1", "SXTAB A1", "SXTAH A1", "UXTAB16 A1", "UXTAB A1", "UXTAH A1" })
            add(name, InstructionFamily.Extend, c =>
                F(('c', c.Cond()), ('n', c.Src()), ('d', c.Dest()), ('r', c.Bits(2)), ('m', c.Src())));
        foreach (string name in new[] { "SXTB16 A1", "SXTB A1", "SXTH A1", "UXTB16 A1", "UXTB A1", "UXTH A1" })
            add(name, InstructionFamily.Extend, c => F(('c', c.Cond()), ('d', c.Dest()), ('r', c.Bits(2)), ('m', c.Src())));

        foreach (string kind in new[] { "S", "Q", "SH", "U", "UQ", "UH" })
            foreach (string shape in new[] { "ADD16", "ASX", "SAX", "SUB16", "ADD8", "SUB8" })
                add($"{kind}{shape} A1", InstructionFamily.ParallelAddSubtract, c =>
                    F(('c', c.Cond()), ('n', c.Src()), ('d', c.Dest()), ('m', c.Src())));

        add("SEL A1", InstructionFamily.Media, c => F(('c', c.Cond()), ('n', c.Src()), ('d', c.Dest()), ('m', c.Src())));
        add("PKHBT, PKHTB A1", InstructionFamily.Media, c =>
            F(('c', c.Cond()), ('n', c.Src()), ('d', c.Dest()), ('i', c.ShiftAmount()), ('t', c.Bit()), ('m', c.Src())));
        add("USAD8 A1", InstructionFamily.Media, c => F(('c', c.Cond()), ('d', c.Dest()), ('m', c.Src()), ('n', c.Src())));
        add("USADA8 A1", InstructionFamily.Media, c => F(('c', c.Cond()), ('d', c.Dest()), ('a', c.Src()), ('m', c.Src()), ('n', c.Src())));

        add("SSAT A1", InstructionFamily.Saturating, c =>
            F(('c', c.Cond()), ('s', c.Bits(5)), ('d', c.Dest()), ('i', c.ShiftAmount()), ('h', c.Bit()), ('n', c.Src())));
        add("USAT A1", InstructionFamily.Saturating, c =>
            F(('c', c.Cond()), ('s', c.Bits(5)), ('d', c.Dest()), ('i', c.ShiftAmount()), ('h', c.Bit()), ('n', c.Src())));
        add("SSAT16 A1", InstructionFamily.Saturating, c => F(('c', c.Cond()), ('s', c.Bits(4)), ('d', c.Dest()), ('n', c.Src())));
        add("USAT16 A1", InstructionFamily.Saturating, c => F(('c', c.Cond()), ('s', c.Bits(4)), ('d', c.Dest()), ('n', c.Src())));

        add("MLS A1", InstructionFamily.Multiply, c =>
            F(('c', c.Cond()), ('d', c.Dest()), ('a', c.Src()), ('m', c.Src()), ('n', c.Src())));
        add("UMAAL A1", InstructionFamily.Multiply, c =>
        {
            uint hi = c.Dest(), lo = c.Dest();
            return hi == lo ? null : F(('c', c.Cond()), ('h', hi), ('l', lo), ('m', c.Src()), ('n', c.Src()));
        });

        foreach (string name in new[] { "SMLAD A1", "SMLSD A1", "SMMLA A1", "SMMLS A1" })
            add(name, InstructionFamily.SignedMultiply, c =>
            {
                var f = F(('c', c.Cond()), ('d', c.Dest()), ('a', c.Src()), ('m', c.Src()), ('n', c.Src()));
                f[name.StartsWith("SMM", StringComparison.Ordinal) ? 'R' : 'M'] = c.Bit();
                return f;
            });
        foreach (string name in new[] { "SMUAD A1", "SMUSD A1", "SMMUL A1" })
            add(name, InstructionFamily.SignedMultiply, c =>
            {
                var f = F(('c', c.Cond()), ('d', c.Dest()), ('m', c.Src()), ('n', c.Src()));
                f[name.StartsWith("SMM", StringComparison.Ordinal) ? 'R' : 'M'] = c.Bit();
                return f;
            });
        foreach (string name in new[] { "SMLALD A1", "SMLSLD A1" })
            add(name, InstructionFamily.SignedMultiply, c =>
            {
                uint hi = c.Dest(), lo = c.Dest();
                return hi == lo ? null : F(('c', c.Cond()), ('h', hi), ('l', lo), ('m', c.Src()), ('M', c.Bit()), ('n', c.Src()));
            });
        foreach (string name in new[] { "SDIV A1", "UDIV A1" })
            add(name, InstructionFamily.Divide, c => F(('c', c.Cond()), ('d', c.Dest()), ('m', c.Src()), ('n', c.Src())));

        // Exclusives at the base (doubleword aligned). LDREXD/STREXD take an even Rt, not r14,
        // and not the base or index pair; STREX's status register differs from Rt, Rt2 and Rn.
        uint[] pairs = [0, 2, 4, 6, 8, 12];
        foreach (string name in new[] { "LDREX A1", "LDREXB A1", "LDREXH A1" })
            add(name, InstructionFamily.Exclusive, c => F(('c', c.Cond()), ('n', ArmBase), ('d', c.Dest())));
        add("LDREXD A1", InstructionFamily.Exclusive, c => F(('c', c.Cond()), ('n', ArmBase), ('d', pairs[c.R.Next(pairs.Length)])));
        foreach (string name in new[] { "STREX A1", "STREXB A1", "STREXH A1" })
            add(name, InstructionFamily.Exclusive, c =>
            {
                uint d = c.Dest(), t = c.Src();
                return d == t ? null : F(('c', c.Cond()), ('n', ArmBase), ('d', d), ('t', t));
            });
        add("STREXD A1", InstructionFamily.Exclusive, c =>
        {
            uint d = c.Dest(), t = pairs[c.R.Next(pairs.Length)];
            return d == t || d == t + 1 ? null : F(('c', c.Cond()), ('n', ArmBase), ('d', d), ('t', t));
        });
        add("CLREX A1", InstructionFamily.Exclusive, c => F());

        foreach (string name in new[] { "DMB A1", "DSB A1", "ISB A1" })
            add(name, InstructionFamily.Barriers, c => F(('o', c.Bits(4))));
        foreach (string name in new[] { "NOP A1", "SEV A1" })
            add(name, InstructionFamily.Barriers, c => F(('c', c.Cond())));
        add("NOP (unallocated hint) A1", InstructionFamily.Barriers, c =>
        {
            uint v = c.Bits(8);
            // Not an allocated hint: 0-4 are NOP..SEV, 0x10 is ESB (v8.2) on QEMU, 0xF0-0xFF DBG.
            return v <= 5 || v == 0x10 || v >= 0xF0 ? null : F(('c', c.Cond()), ('v', v));
        });
        add("DBG A1", InstructionFamily.Barriers, c => F(('c', c.Cond()), ('o', c.Bits(4))));

        add("SETEND A1", InstructionFamily.ProcessorState, c => F(('E', c.Bit())));
        add("CPS A1", InstructionFamily.ProcessorState, c =>
        {
            // In User mode CPS changes nothing; keep to the forms the ARM ARM defines (imod 10/11, or M alone).
            uint imod = c.Chance(80) ? 2 + c.Bit() : 0, m = imod == 0 ? 1 : c.Bit();
            uint aif = imod == 0 ? 0 : 1 + c.Bits(2) * 2;
            return F(('o', imod), ('M', m), ('A', aif >> 2 & 1), ('I', aif >> 1 & 1), ('F', aif & 1),
                     ('m', m == 1 ? 0x10u : 0));
        });

        // The ARMv6T2 unprivileged halfword and signed forms (post-indexed; User mode, so as the plain ones).
        foreach (var (mn, load) in new[] { ("STRHT", false), ("LDRHT", true), ("LDRSBT", true), ("LDRSHT", true) })
        {
            uint Rt(Context c) => load ? c.Dest() : c.SrcExcept(ArmBase);
            add($"{mn} A1", InstructionFamily.LoadStoreExtra, c =>
                F(('c', c.Cond()), ('U', c.Bit()), ('n', ArmBase), ('d', Rt(c)), ('i', 8 * (uint)c.R.Next(17))));
            add($"{mn} A2", InstructionFamily.LoadStoreExtra, c =>
                F(('c', c.Cond()), ('U', c.Bit()), ('n', ArmBase), ('d', Rt(c)), ('m', ArmIndex)));
        }
    }

    /// <summary>
    /// A scaled register offset (A5.2.4) of the index register whose value is a multiple
    /// of <paramref name="align"/> and at most 128 in size. The generator knows the index
    /// value, so every shift type can be used; RRX (ROR #0) depends on C and is left out.
    /// </summary>
    private static (uint Amount, uint Type) ScaledIndex(Context c, uint align)
    {
        uint v = (uint)c.IndexValue;
        for (int attempt = 0; attempt < 20; attempt++)
        {
            uint type = c.Bits(2), amount = c.Chance(50) ? (uint)c.R.Next(4) : c.Bits(5);
            if (type == 3 && amount == 0) continue;
            uint offset = type switch
            {
                0 => v << (int)amount,
                1 => amount == 0 ? 0 : v >> (int)amount,
                2 => (uint)((int)v >> (amount == 0 ? 31 : (int)amount)),
                _ => System.Numerics.BitOperations.RotateRight(v, (int)amount),
            };
            if (Math.Abs((long)(int)offset) <= ArmMaxStep && offset % align == 0) return (amount, type);
        }
        return (0, 0);
    }

    // ---- Thumb -------------------------------------------------------------------------------

    private static Dictionary<string, Spec> BuildThumbSpecs()
    {
        var specs = new Dictionary<string, Spec>();
        void Add(string name, InstructionFamily family, Filler fill) => specs.Add(name, new Spec(family, fill));
        const InstructionFamily Dp = InstructionFamily.ThumbDataProcessing;
        const InstructionFamily Ls = InstructionFamily.ThumbLoadStore;
        const InstructionFamily Lsm = InstructionFamily.ThumbLoadStoreMultiple;

        foreach (string name in new[] { "LSL (immediate) T1", "LSR (immediate) T1", "ASR (immediate) T1" })
            Add(name, Dp, c => F(('i', c.ShiftAmount()), ('m', c.LowSrc()), ('d', c.LowDest())));
        foreach (string name in new[] { "ADD (register) T1", "SUB (register) T1" })
            Add(name, Dp, c => F(('m', c.LowSrc()), ('n', c.LowSrc()), ('d', c.LowDest())));
        foreach (string name in new[] { "ADD (immediate) T1", "SUB (immediate) T1" })
            Add(name, Dp, c => F(('i', c.Bits(3)), ('n', c.LowSrc()), ('d', c.LowDest())));
        foreach (string name in new[] { "MOV (immediate) T1", "ADD (immediate) T2", "SUB (immediate) T2" })
            Add(name, Dp, c => F(('d', c.LowDest()), ('i', c.Imm8())));
        Add("CMP (immediate) T1", Dp, c => F(('n', c.LowSrc()), ('i', c.Imm8())));

        foreach (string op in new[] { "AND", "EOR", "LSL", "LSR", "ASR", "ADC", "SBC", "ROR", "ORR", "BIC", "MVN" })
            Add($"{op} (register) T1", Dp, c => F(('m', c.LowSrc()), ('d', c.LowDest())));
        foreach (string name in new[] { "TST (register) T1", "CMP (register) T1", "CMN (register) T1" })
            Add(name, Dp, c => F(('m', c.LowSrc()), ('d', c.LowSrc())));
        Add("RSB (immediate) T1", Dp, c => F(('m', c.LowSrc()), ('d', c.LowDest())));
        // Thumb MUL: Rd == Rm is UNPREDICTABLE before ARMv6.
        Add("MUL T1", Dp, c =>
        {
            uint d = c.LowDest(), m = c.LowSrc();
            return d == m ? null : F(('m', m), ('d', d));
        });

        // High-register ADD, CMP, MOV: both operands low is UNPREDICTABLE
        // before ARMv6. Destinations avoid PC, SP (tracked) and r6/r7; the PC as a source reads
        // address + 4 and is defined for ADD and MOV, not for CMP.
        uint[] highDest = [0, 1, 2, 3, 4, 5, 8, 9, 10, 11, 12, 14];
        Add("ADD (register) T2", Dp, c =>
        {
            uint d = highDest[c.R.Next(highDest.Length)], m = (uint)c.R.Next(16);
            if (d < 8 && m < 8) return null;
            return F(('h', d >> 3), ('d', d & 7), ('m', m));
        });
        Add("MOV (register) T1", Dp, c =>
        {
            uint d = highDest[c.R.Next(highDest.Length)], m = (uint)c.R.Next(16);
            if (d < 8 && m < 8) return null;
            return F(('h', d >> 3), ('d', d & 7), ('m', m));
        });
        Add("CMP (register) T2", Dp, c =>
        {
            uint n = (uint)c.R.Next(15), m = (uint)c.R.Next(15);
            if (n < 8 && m < 8) return null;
            return F(('h', n >> 3), ('n', n & 7), ('m', m));
        });

        // ADR and SP arithmetic.
        Add("ADR T1", Dp, c => F(('d', c.LowDest()), ('i', c.Bits(8))));
        Add("ADD (SP plus immediate) T1", Dp, c => F(('d', c.LowDest()), ('i', c.Bits(8))));
        Add("ADD (SP plus immediate) T2", Dp, c =>
        {
            uint imm = c.Bits(7);
            c.NewSpOffset = c.SpOffset + 4 * (int)imm;
            return c.NewSpOffset <= ThumbSpMax ? F(('i', imm)) : null;
        });
        Add("SUB (SP minus immediate) T1", Dp, c =>
        {
            uint imm = c.Bits(7);
            c.NewSpOffset = c.SpOffset - 4 * (int)imm;
            return c.NewSpOffset >= ThumbSpMin ? F(('i', imm)) : null;
        });

        // Loads and stores at r7 (+ r6) and SP; word and halfword addresses stay aligned
        // because r7, r6 and SP are multiples of 4.
        Add("LDR (literal) T1", Ls, c => F(('d', c.LowDest()), ('i', c.Bits(8))));
        foreach (string name in new[] { "STR (register) T1", "STRH (register) T1", "STRB (register) T1" })
            Add(name, Ls, c => F(('m', ThumbIndex), ('n', ThumbBase), ('d', c.LowSrc())));
        foreach (string name in new[] { "LDRSB (register) T1", "LDR (register) T1", "LDRH (register) T1", "LDRB (register) T1", "LDRSH (register) T1" })
            Add(name, Ls, c => F(('m', ThumbIndex), ('n', ThumbBase), ('d', c.LowDest())));
        foreach (string name in new[] { "STR (immediate) T1", "STRB (immediate) T1", "STRH (immediate) T1" })
            Add(name, Ls, c => F(('i', c.Bits(5)), ('n', ThumbBase), ('d', c.LowSrc())));
        foreach (string name in new[] { "LDR (immediate) T1", "LDRB (immediate) T1", "LDRH (immediate) T1" })
            Add(name, Ls, c => F(('i', c.Bits(5)), ('n', ThumbBase), ('d', c.LowDest())));
        Add("STR (immediate) T2", Ls, c => F(('d', c.LowSrc()), ('i', c.Bits(8))));
        Add("LDR (immediate) T2", Ls, c => F(('d', c.LowDest()), ('i', c.Bits(8))));

        // PUSH/POP (the R bit: LR for PUSH; the PC for POP would branch) and LDMIA/STMIA at
        // r7 without r7 in the list (v5: UNPREDICTABLE unless lowest for STMIA; writes the base for LDMIA).
        int[] low = [0, 1, 2, 3, 4, 5, 6, 7], lowData = [0, 1, 2, 3, 4, 5];
        Add("PUSH T1", Lsm, c =>
        {
            uint list = c.RegisterList([.. low, 8]);
            c.NewSpOffset = c.SpOffset - 4 * System.Numerics.BitOperations.PopCount(list);
            return c.NewSpOffset >= ThumbSpMin ? F(('r', list)) : null;
        });
        Add("POP T1", Lsm, c =>
        {
            uint list = c.RegisterList(lowData);
            c.NewSpOffset = c.SpOffset + 4 * System.Numerics.BitOperations.PopCount(list);
            return c.NewSpOffset <= ThumbSpMax ? F(('r', list)) : null;
        });
        Add("STM (STMIA, STMEA) T1", Lsm, c =>
        {
            uint list = c.RegisterList([0, 1, 2, 3, 4, 5, 6]);
            c.NewBaseOffset = c.BaseOffset + 4 * System.Numerics.BitOperations.PopCount(list);
            return c.NewBaseOffset <= ThumbBaseLimit ? F(('n', ThumbBase), ('r', list)) : null;
        });
        Add("LDM (LDMIA, LDMFD) T1", Lsm, c =>
        {
            uint list = c.RegisterList(lowData);
            c.NewBaseOffset = c.BaseOffset + 4 * System.Numerics.BitOperations.PopCount(list);
            return c.NewBaseOffset <= ThumbBaseLimit ? F(('n', ThumbBase), ('r', list)) : null;
        });

        return specs;
    }
}
