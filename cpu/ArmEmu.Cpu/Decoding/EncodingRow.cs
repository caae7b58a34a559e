using System.Numerics;

namespace ArmEmu.Cpu.Decoding;

/// <summary>
/// One encoding of one instruction, written as the ARM ARM draws it: a bit
/// pattern, most significant bit first. '0' and '1' are fixed bits; every
/// other character is a field or a don't-care bit. A 32-bit ARM pattern that
/// starts with "cccc" matches conditions 0000-1110 only; the 1111 space holds
/// the rows that spell it out.
/// </summary>
internal readonly unsafe struct EncodingRow
{
    public EncodingRow(string pattern, string name, delegate*<Cpu, uint, void> handler,
                       ArchVersion since = ArchVersion.V4T, string? group = null,
                       CpuFeature requires = CpuFeature.None, EncodingFlags flags = EncodingFlags.None,
                       string? returnForm = null, char notAllOnes = '\0', int priority = 0)
    {
        if (pattern.Length is not (16 or 32))
            throw new ArgumentException($"encoding '{name}': pattern '{pattern}' has {pattern.Length} bits, not 16 or 32");
        uint mask = 0, value = 0;
        foreach (char ch in pattern)
        {
            mask <<= 1;
            value <<= 1;
            if (ch == '0' || ch == '1')
            {
                mask |= 1;
                value |= (uint)(ch - '0');
            }
            else if (!char.IsAsciiLetter(ch) && ch != '-')
            {
                throw new ArgumentException($"encoding '{name}': bad character '{ch}' in pattern '{pattern}'");
            }
        }
        Pattern = pattern;
        Name = name;
        Handler = handler;
        Since = since;
        Group = group;
        Requires = requires;
        Mask = mask;
        Value = value;
        Conditional = pattern.Length == 32 && pattern.StartsWith("cccc", StringComparison.Ordinal);
        Priority = priority;

        // "Rn != '1111'" as the manual writes it: the field's bits all ones belong to another row.
        ExcludedOnes = 0;
        if (notAllOnes != '\0')
        {
            for (int i = 0; i < pattern.Length; i++)
                if (pattern[i] == notAllOnes) ExcludedOnes |= 1u << (pattern.Length - 1 - i);
            if (ExcludedOnes == 0 || notAllOnes is '0' or '1')
                throw new ArgumentException($"encoding '{name}': no field '{notAllOnes}' in pattern '{pattern}' to exclude");
        }

        // Derived flags: a branch writes the PC, so does a return; a call is a branch; anything
        // that writes the PC or raises an exception ends a block.
        if ((flags & EncodingFlags.Call) != 0) flags |= EncodingFlags.Branch;
        if ((flags & (EncodingFlags.Branch | EncodingFlags.Return)) != 0) flags |= EncodingFlags.WritesPc;
        if ((flags & EncodingFlags.SupervisorCall) != 0 || AccessesMemory(name)) flags |= EncodingFlags.MayFault;
        if ((flags & (EncodingFlags.WritesPc | EncodingFlags.MayFault)) != 0) flags |= EncodingFlags.EndsBlock;
        Flags = flags;
        ReturnMask = ReturnValue = 0;
        if (returnForm is not null)
        {
            // The words of the row that are returns, as a pattern of its own (fixed bits only count).
            if ((flags & EncodingFlags.Return) == 0 || returnForm.Length != pattern.Length)
                throw new ArgumentException($"encoding '{name}': return form '{returnForm}' needs the Return flag and {pattern.Length} bits");
            foreach (char ch in returnForm)
            {
                ReturnMask <<= 1;
                ReturnValue <<= 1;
                if (ch is '0' or '1')
                {
                    ReturnMask |= 1;
                    ReturnValue |= (uint)(ch - '0');
                }
            }
            if (((ReturnValue ^ value) & mask) != 0)
                throw new ArgumentException($"encoding '{name}': return form '{returnForm}' is outside the pattern");
        }
    }

    /// <summary>The ARM ARM's names of the instructions that access memory (and so may abort) start so.</summary>
    private static bool AccessesMemory(string name) =>
        name.StartsWith("LDR", StringComparison.Ordinal) || name.StartsWith("STR", StringComparison.Ordinal)
        || name.StartsWith("LDM", StringComparison.Ordinal) || name.StartsWith("STM", StringComparison.Ordinal)
        || name.StartsWith("PUSH", StringComparison.Ordinal) || name.StartsWith("POP", StringComparison.Ordinal)
        || name.StartsWith("SWP", StringComparison.Ordinal) || name.StartsWith("LDC", StringComparison.Ordinal)
        || name.StartsWith("STC", StringComparison.Ordinal) || name.StartsWith("BKPT", StringComparison.Ordinal)
        || name.StartsWith("SRS", StringComparison.Ordinal) || name.StartsWith("RFE", StringComparison.Ordinal);

    /// <summary>What the encoding does to the flow of control (given on the row, plus what follows from it).</summary>
    public EncodingFlags Flags { get; }

    /// <summary>With <see cref="EncodingFlags.Return"/>: the fixed bits of the words that are returns (0: every word).</summary>
    public uint ReturnMask { get; }

    public uint ReturnValue { get; }

    /// <summary>The flags of one word of this row: <see cref="EncodingFlags.Return"/> only if the word is a return.</summary>
    public EncodingFlags FlagsFor(uint word) =>
        (Flags & EncodingFlags.Return) != 0 && (word & ReturnMask) != ReturnValue ? Flags & ~EncodingFlags.Return : Flags;

    public string Pattern { get; }

    /// <summary>The ARM ARM's name for the encoding and its id, e.g. "ADC (register) A1", "LDRB (immediate) T3": text search finds the row.</summary>
    public string Name { get; }

    public delegate*<Cpu, uint, void> Handler { get; }

    /// <summary>The first architecture version that has this encoding.</summary>
    public ArchVersion Since { get; }

    /// <summary>Features a model needs for this encoding (e.g. <see cref="CpuFeature.ArmDivide"/>); without them it is UNDEFINED.</summary>
    public CpuFeature Requires { get; }

    /// <summary>True if a model of architecture <paramref name="arch"/> with <paramref name="features"/> has this encoding.</summary>
    public bool AvailableOn(ArchVersion arch, CpuFeature features) => Since <= arch && (features & Requires) == Requires;

    /// <summary>Rows in one named group may overlap; the one with more fixed bits wins. Outside groups, rows are disjoint.</summary>
    public string? Group { get; }

    public uint Mask { get; }

    public uint Value { get; }

    /// <summary>True for "cccc" rows, which do not match condition 1111.</summary>
    public bool Conditional { get; }

    public int Specificity => BitOperations.PopCount(Mask);

    /// <summary>
    /// The bits of a field that must not be all ones (the manual's "Rn != '1111'": those words
    /// are another row's, typically the literal or PC form); 0 when the row has no such field.
    /// </summary>
    public uint ExcludedOnes { get; }

    /// <summary>
    /// In a group, a row of higher priority wins over a more specific one: for the manual's
    /// carve-outs a pattern cannot say ("size = 11: see VEXT" inside a class whose other fields
    /// are more fixed). 0 for every row but those.
    /// </summary>
    public int Priority { get; }

    public bool Matches(uint word) =>
        (word & Mask) == Value && (!Conditional || word >> 28 != 0xF)
        && (ExcludedOnes == 0 || (word & ExcludedOnes) != ExcludedOnes);

    /// <summary>True if some word matches both rows.</summary>
    public bool Overlaps(in EncodingRow other)
    {
        if (Pattern.Length != other.Pattern.Length) return false;
        if (((Value ^ other.Value) & Mask & other.Mask) != 0) return false;
        // A "cccc" row and a row fixed to 1111 in the condition never meet.
        if (Conditional && (other.Mask >> 28) == 0xF && (other.Value >> 28) == 0xF) return false;
        if (other.Conditional && (Mask >> 28) == 0xF && (Value >> 28) == 0xF) return false;
        // A field excluded from being all ones never meets a row that fixes it to all ones.
        if (ExcludedOnes != 0 && (other.Mask & ExcludedOnes) == ExcludedOnes && (other.Value & ExcludedOnes) == ExcludedOnes) return false;
        if (other.ExcludedOnes != 0 && (Mask & other.ExcludedOnes) == other.ExcludedOnes && (Value & other.ExcludedOnes) == other.ExcludedOnes) return false;
        return true;
    }

    public override string ToString() => $"{Name} [{Pattern}]";
}

/// <summary>
/// An encoding table compiled for one architecture version into flat dispatch
/// buckets. A bucket lists the rows that can match words with its index bits,
/// highest priority, then most specific, first; decoding scans that short list once per word, and the
/// CPU caches the answer (<see cref="DecodedInstruction"/>).
/// </summary>
internal sealed unsafe class DecoderTable
{
    private readonly int[]?[] _buckets;
    private readonly int[] _order;
    private readonly Func<uint, int> _bucketOf;
    private readonly Func<int, (uint Mask, uint Value)> _bucketBits;

    public DecoderTable(EncodingRow[] rows, ArchVersion arch, CpuFeature features, int bucketCount, Func<uint, int> bucketOf,
                        Func<int, (uint Mask, uint Value)> bucketBits, delegate*<Cpu, uint, void> undefined)
    {
        Rows = rows;
        Undefined = undefined;
        _bucketOf = bucketOf;
        _bucketBits = bucketBits;
        _order = DecodingOrder(rows, arch, features);
        // Buckets are filled on first use: a program touches a few hundred of the 8192, and
        // filling them all (every row against every bucket) was most of armemu's start-up.
        _buckets = new int[]?[bucketCount];
    }

    public EncodingRow[] Rows { get; }

    public delegate*<Cpu, uint, void> Undefined { get; }

    /// <summary>The index of the row that decodes <paramref name="word"/>, or -1 for UNDEFINED.</summary>
    public int DecodeRow(uint word)
    {
        int bucket = _bucketOf(word);
        foreach (int i in _buckets[bucket] ?? Fill(bucket))
            if (Rows[i].Matches(word)) return i;
        return -1;
    }

    /// <summary>
    /// The rows the model has, highest priority first, then most specific, ties in table order
    /// (a stable insertion sort: a few hundred rows, and no generic LINQ instantiations for the
    /// runtime to compile at start-up).
    /// </summary>
    private static int[] DecodingOrder(EncodingRow[] rows, ArchVersion arch, CpuFeature features)
    {
        var order = new int[rows.Length];
        int count = 0;
        for (int i = 0; i < rows.Length; i++)
        {
            if (!rows[i].AvailableOn(arch, features)) continue;
            int at = count++;
            while (at > 0 && Before(rows[i], rows[order[at - 1]])) order[at] = order[--at];
            order[at] = i;
        }
        return order[..count];

        static bool Before(in EncodingRow a, in EncodingRow b) =>
            a.Priority != b.Priority ? a.Priority > b.Priority : a.Specificity > b.Specificity;
    }

    /// <summary>
    /// The rows that can match words of one bucket, in decoding order. Tables are shared between
    /// machines and threads: two threads filling one bucket compute the same list, and whichever
    /// reference lands is as good as the other.
    /// </summary>
    private int[] Fill(int bucket)
    {
        var (mask, value) = _bucketBits(bucket);
        int count = 0;
        Span<int> matching = _order.Length <= 1024 ? stackalloc int[_order.Length] : new int[_order.Length];
        foreach (int i in _order)
            if (((Rows[i].Value ^ value) & Rows[i].Mask & mask) == 0) matching[count++] = i;
        return _buckets[bucket] = matching[..count].ToArray();
    }

    public delegate*<Cpu, uint, void> Decode(uint word)
    {
        int row = DecodeRow(word);
        return row < 0 ? Undefined : Rows[row].Handler;
    }

    /// <summary>The handler and the word's flags (an UNDEFINED word raises an exception: it may fault).</summary>
    public DecodedInstruction DecodeInstruction(uint word)
    {
        int row = DecodeRow(word);
        return row < 0
            ? new DecodedInstruction(Undefined, word, EncodingFlags.MayFault | EncodingFlags.EndsBlock)
            : new DecodedInstruction(Rows[row].Handler, word, Rows[row].FlagsFor(word));
    }
}
