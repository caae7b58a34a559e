using ArmEmu.Emulator.Loaders;

namespace ArmEmu.Emulator.Profiling;

/// <summary>A function as a profile names it: the object it belongs to, its name and entry address.</summary>
internal sealed record ProfiledFunction(CodeObject Object, string Name, uint Start);

/// <summary>
/// One loaded piece of code: an ELF image (executable, interpreter, shared object) at a
/// load bias, or a named list of symbols (the kuser helper page).
/// </summary>
internal sealed class CodeObject
{
    private readonly ElfFile? _elf;
    private readonly (uint Address, uint Size, string Name)[] _symbols;
    private readonly Dictionary<uint, ProfiledFunction> _functions = [];
    private readonly Lazy<DwarfLineTable?> _lines;
    private readonly Lazy<(uint Address, string Name, ElfSection Section)[]> _labels;

    private CodeObject(string name, ElfFile? elf, uint bias, uint start, uint end, (uint, uint, string)[] symbols, ElfFile? image = null)
    {
        GuestRequests = image is null ? [] : FindRequests(image, bias);
        Name = name;
        _elf = elf;
        Bias = bias;
        Start = start;
        End = end;
        _symbols = symbols;
        _labels = new Lazy<(uint, string, ElfSection)[]>(() => _elf is null ? [] : Labels(_elf));
        _lines = new Lazy<DwarfLineTable?>(() =>
        {
            // Line information is a bonus: a table that cannot be read leaves the code as "???".
            try { return _elf is null ? null : DwarfLineTable.Of(_elf); }
            catch (InvalidDataException) { return null; }
        });
    }

    /// <summary>
    /// Assembly labels: STT_NOTYPE symbols (local ones too) in executable sections, such as
    /// <c>_vectors</c> or <c>reset_handler</c>, which hand-written code leaves untyped. They name
    /// code no function covers, each reaching up to the next label. Mapping symbols ($a, $t, $d)
    /// and compiler-local labels (.L...) are not names.
    /// </summary>
    private static (uint Address, string Name, ElfSection Section)[] Labels(ElfFile elf)
    {
        var executable = elf.Sections.Where(s => (s.Flags & SectionFlags.ExecInstr) != 0).ToDictionary(s => (uint)s.Index);
        return [.. elf.Symbols
            .Where(s => s.Type == SymbolType.NoType && s.IsDefined && executable.ContainsKey(s.SectionIndex)
                        && s.Name.Length > 0 && s.Name[0] != '$' && !s.Name.StartsWith(".L", StringComparison.Ordinal))
            .Select(s => (s.Value & ~1u, s.Name, executable[s.SectionIndex]))
            .DistinctBy(s => s.Item1)
            .OrderBy(s => s.Item1)];
    }

    private (uint Address, string Name)? LabelAt(uint address)
    {
        var labels = _labels.Value;
        int lo = 0, hi = labels.Length - 1, found = -1;
        while (lo <= hi)
        {
            int mid = (lo + hi) >>> 1;
            if (labels[mid].Address <= address) { found = mid; lo = mid + 1; }
            else hi = mid - 1;
        }
        if (found < 0) return null;
        var (start, name, section) = labels[found];
        return address - section.Address < section.Size ? (start, name) : null; // within the label's own section
    }

    /// <summary>The source file and line of the instruction at <paramref name="address"/> (from .debug_line), or null.</summary>
    public (string File, int Line)? SourceAt(uint address) => _lines.Value?.Lookup(address - Bias);

    /// <summary>The path callgrind's <c>ob=</c> lines give.</summary>
    public string Name { get; }

    public uint Bias { get; }

    /// <summary>The address range it occupies, [Start, End).</summary>
    public uint Start { get; }

    public uint End { get; }

    public bool Contains(uint address) => address >= Start && address < End;

    /// <summary>An ELF image loaded <paramref name="bias"/> above its link addresses.</summary>
    public static CodeObject FromElf(string name, ElfFile elf, uint bias)
    {
        uint start = uint.MaxValue, end = 0;
        foreach (var s in elf.LoadSegments)
        {
            start = Math.Min(start, s.VirtualAddress + bias);
            end = (uint)Math.Max(end, Math.Min(uint.MaxValue, (ulong)s.VirtualAddress + s.MemorySize + bias));
        }
        if (start > end) start = end = 0;
        // A stripped image names nothing: its separate debug file (build ID, .gnu_debuglink) does,
        // at the same link addresses, with the same .debug_line.
        var names = elf.FindSection(".symtab") is null && SeparateDebugFile.Find(name, elf) is { } debug ? debug : elf;
        return new CodeObject(name, names, bias, start, end, [], elf);
    }

    /// <summary>The client requests (<see cref="Profiling.GuestRequests"/>) in the image's executable segments: the ORR of each, and whether it is Thumb.</summary>
    public IReadOnlyList<(uint Address, bool Thumb)> GuestRequests { get; }

    private static List<(uint, bool)> FindRequests(ElfFile image, uint bias)
    {
        var found = new List<(uint, bool)>();
        foreach (var s in image.LoadSegments)
            if ((s.Flags & SegmentFlags.Execute) != 0 && s.FileSize > 0)
                found.AddRange(Profiling.GuestRequests.Find(image.SegmentData(s)[..(int)s.FileSize], s.VirtualAddress + bias));
        return found;
    }

    /// <summary>The address of the function or label <paramref name="name"/> (Thumb bit clear), or null if this code has none.</summary>
    public uint? AddressOf(string name)
    {
        if (_elf?.FindSymbol(name) is { IsDefined: true } symbol && symbol.SectionIndex != ElfSymbol.SectionAbsolute)
            return (symbol.Value & ~1u) + Bias;
        foreach (var s in _symbols)
            if (s.Name == name) return s.Address;
        return null;
    }

    /// <summary>
    /// A symbol list in System.map or <c>nm</c> form ("c0008000 T stext", one per line, as a
    /// kernel build writes it): code symbols (t, T, w, W) each reach up to the next one.
    /// </summary>
    public static CodeObject FromSymbolMap(string name, IEnumerable<string> lines)
    {
        var symbols = new List<(uint Address, string Name)>();
        foreach (string line in lines)
        {
            string[] f = line.Split(' ', '\t', StringSplitOptions.RemoveEmptyEntries);
            if (f.Length < 3 || f[1].Length != 1 || "tTwW".IndexOf(f[1][0]) < 0) continue;
            if (!uint.TryParse(f[0], System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture, out uint address)) continue;
            if (f[2].StartsWith('$') || f[2].StartsWith(".L", StringComparison.Ordinal)) continue;
            symbols.Add((address & ~1u, f[2]));
        }
        var sorted = symbols.DistinctBy(s => s.Address).OrderBy(s => s.Address).ToArray();
        if (sorted.Length == 0) return FromSymbols(name, 0, 0, []);
        var sized = sorted.Select((s, i) => (s.Address, i + 1 < sorted.Length ? sorted[i + 1].Address - s.Address : 0x1000u, s.Name));
        uint end = (uint)Math.Min(uint.MaxValue, (ulong)sorted[^1].Address + 0x1000);
        return FromSymbols(name, sorted[0].Address, end, sized);
    }

    /// <summary>Code without an ELF image, named by a list of (address, size, name).</summary>
    public static CodeObject FromSymbols(string name, uint start, uint end, IEnumerable<(uint Address, uint Size, string Name)> symbols) =>
        new(name, null, 0, start, end, symbols.OrderBy(s => s.Address).ToArray());

    /// <summary>Entry addresses of its functions (Thumb bit clear).</summary>
    public IEnumerable<uint> FunctionEntries =>
        _elf is null
            ? _symbols.Select(s => s.Address)
            : _elf.Symbols.Where(s => s.IsCode && s.IsDefined && s.Address != 0).Select(s => s.Address + Bias);

    /// <summary>The function containing <paramref name="address"/>; code outside every symbol is named by its page.</summary>
    public ProfiledFunction FunctionAt(uint address)
    {
        string name;
        uint start;
        if (_elf is not null && _elf.SymbolAt(address - Bias) is { } symbol)
        {
            name = symbol.Name;
            start = symbol.Address + Bias;
        }
        else if (LabelAt(address - Bias) is { } label)
        {
            name = label.Name;
            start = label.Address + Bias;
        }
        else if (Array.FindLast(_symbols, s => s.Address <= address && address - s.Address < s.Size) is { Name: not null } s)
        {
            name = s.Name;
            start = s.Address;
        }
        else
        {
            start = address & ~0xFFFu;
            name = $"0x{start:x8}";
        }
        if (!_functions.TryGetValue(start, out var f) || f.Name != name) _functions[start] = f = new ProfiledFunction(this, name, start);
        return f;
    }
}

/// <summary>Every piece of code of a run, for naming profile addresses.</summary>
internal sealed class CodeMap
{
    private readonly List<CodeObject> _objects = [];
    private readonly CodeObject _unknown = CodeObject.FromSymbols("???", 0, uint.MaxValue, []);
    private readonly Dictionary<uint, ProfiledFunction> _cache = [];

    public IReadOnlyList<CodeObject> Objects => _objects;

    public void Add(CodeObject code)
    {
        _objects.Add(code);
        _cache.Clear();
    }

    /// <summary>The function at <paramref name="address"/> (Thumb bit ignored).</summary>
    public ProfiledFunction FunctionAt(uint address)
    {
        address &= ~1u;
        if (_cache.TryGetValue(address, out var f)) return f;
        // Later objects win: a mapping replaces what was there.
        var code = _objects.FindLast(o => o.Contains(address)) ?? _unknown;
        return _cache[address] = code.FunctionAt(address);
    }

    /// <summary>The kuser helpers Linux maps at 0xffff0000 (Documentation/arch/arm/kernel_user_helpers.rst).</summary>
    public static CodeObject KuserHelpers() => CodeObject.FromSymbols("[vectors]", 0xFFFF_0000, 0xFFFF_FFFF,
    [
        (0xFFFF_0F60, 0x20, "__kuser_cmpxchg64"),
        (0xFFFF_0FA0, 0x20, "__kuser_memory_barrier"),
        (0xFFFF_0FC0, 0x20, "__kuser_cmpxchg"),
        (0xFFFF_0FE0, 0x1C, "__kuser_get_tls"),
    ]);
}
