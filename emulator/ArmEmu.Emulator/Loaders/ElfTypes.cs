namespace ArmEmu.Emulator.Loaders;

// Values from the System V gABI ("ELF-64 Object File Format" / gABI 4.1 chapter 4
// and 5) and the ARM supplement "ELF for the Arm Architecture" (AAELF32).
// Enumerations are open: a value the parser does not know keeps its number.

/// <summary>e_type. Only the two executable kinds pass <see cref="ElfFile.Parse(ReadOnlyMemory{byte})"/>.</summary>
internal enum ElfType : ushort
{
    None = 0,
    Relocatable = 1,
    /// <summary>ET_EXEC: linked at fixed addresses (static executables, bare-metal images).</summary>
    Executable = 2,
    /// <summary>ET_DYN: position independent (PIE, static-pie, shared objects).</summary>
    SharedObject = 3,
    Core = 4,
}

/// <summary>p_type.</summary>
internal enum SegmentType : uint
{
    Null = 0,
    Load = 1,
    Dynamic = 2,
    Interp = 3,
    Note = 4,
    Shlib = 5,
    Phdr = 6,
    Tls = 7,
    GnuEhFrame = 0x6474E550,
    GnuStack = 0x6474E551,
    GnuRelro = 0x6474E552,
    GnuProperty = 0x6474E553,
    /// <summary>PT_ARM_EXIDX (AAELF32 5.6): the exception index table, .ARM.exidx.</summary>
    ArmExidx = 0x70000001,
}

/// <summary>p_flags.</summary>
[Flags]
internal enum SegmentFlags : uint
{
    None = 0,
    Execute = 1,
    Write = 2,
    Read = 4,
}

/// <summary>sh_type.</summary>
internal enum SectionType : uint
{
    Null = 0,
    ProgBits = 1,
    SymTab = 2,
    StrTab = 3,
    Rela = 4,
    Hash = 5,
    Dynamic = 6,
    Note = 7,
    NoBits = 8,
    Rel = 9,
    Shlib = 10,
    DynSym = 11,
    InitArray = 14,
    FiniArray = 15,
    PreInitArray = 16,
    Group = 17,
    SymTabShndx = 18,
    GnuHash = 0x6FFFFFF6,
    GnuVerDef = 0x6FFFFFFD,
    GnuVerNeed = 0x6FFFFFFE,
    GnuVerSym = 0x6FFFFFFF,
    ArmExidx = 0x70000001,
    ArmPreemptMap = 0x70000002,
    ArmAttributes = 0x70000003,
}

/// <summary>sh_flags.</summary>
[Flags]
internal enum SectionFlags : uint
{
    None = 0,
    Write = 0x1,
    Alloc = 0x2,
    ExecInstr = 0x4,
    Merge = 0x10,
    Strings = 0x20,
    InfoLink = 0x40,
    LinkOrder = 0x80,
    OsNonConforming = 0x100,
    Group = 0x200,
    Tls = 0x400,
    Compressed = 0x800,
}

/// <summary>ELF32_ST_TYPE(st_info).</summary>
internal enum SymbolType : byte
{
    NoType = 0,
    Object = 1,
    Func = 2,
    Section = 3,
    File = 4,
    Common = 5,
    Tls = 6,
    GnuIFunc = 10,
    /// <summary>STT_ARM_TFUNC: a Thumb function in pre-EABI objects (AAELF32 keeps the number reserved).</summary>
    ArmTFunc = 13,
}

/// <summary>ELF32_ST_BIND(st_info).</summary>
internal enum SymbolBinding : byte
{
    Local = 0,
    Global = 1,
    Weak = 2,
    GnuUnique = 10,
}

/// <summary>ELF32_ST_VISIBILITY(st_other).</summary>
internal enum SymbolVisibility : byte
{
    Default = 0,
    Internal = 1,
    Hidden = 2,
    Protected = 3,
}

/// <summary>Which table a symbol came from.</summary>
internal enum SymbolTable
{
    /// <summary>.symtab (SHT_SYMTAB): everything the linker knew; absent in stripped files.</summary>
    Static,
    /// <summary>.dynsym (SHT_DYNSYM): what the dynamic linker sees.</summary>
    Dynamic,
}

/// <summary>What a mapping symbol says about the bytes that follow it (AAELF32 5.5.5).</summary>
internal enum MappingKind
{
    /// <summary>$a: A32 (ARM) instructions.</summary>
    Arm,
    /// <summary>$t: T32 (Thumb) instructions.</summary>
    Thumb,
    /// <summary>$d: data (literal pools, tables).</summary>
    Data,
}

/// <summary>One entry of the program header table (gABI "Program Header").</summary>
internal sealed record ProgramHeader(
    int Index,
    SegmentType Type,
    uint Offset,
    uint VirtualAddress,
    uint PhysicalAddress,
    uint FileSize,
    uint MemorySize,
    SegmentFlags Flags,
    uint Align)
{
    /// <summary>First address past the segment in memory; may be 2^32 for a segment ending at the top.</summary>
    public ulong VirtualEnd => (ulong)VirtualAddress + MemorySize;

    public bool Contains(uint address) => address >= VirtualAddress && address < VirtualEnd;
}

/// <summary>One entry of the section header table, with its name resolved through e_shstrndx.</summary>
internal sealed record ElfSection(
    int Index,
    string Name,
    SectionType Type,
    SectionFlags Flags,
    uint Address,
    uint Offset,
    uint Size,
    uint Link,
    uint Info,
    uint AddressAlign,
    uint EntrySize)
{
    /// <summary>Whether the section occupies bytes of the file (everything but SHT_NULL and SHT_NOBITS).</summary>
    public bool HasFileData => Type != SectionType.Null && Type != SectionType.NoBits;

    /// <summary>For an SHT_NOTE section, its first note as ELFSharp read it; null for other sections.</summary>
    public ElfNote? Note { get; init; }
}

/// <summary>One note (gABI "Note Section"): its owner's name without the NUL, its type, its descriptor.</summary>
internal sealed record ElfNote(string Name, uint Type, byte[] Descriptor)
{
    // Equal notes have equal descriptor bytes (two reads of a file give two arrays).
    public bool Equals(ElfNote? other) =>
        other is not null && Name == other.Name && Type == other.Type && Descriptor.AsSpan().SequenceEqual(other.Descriptor);

    public override int GetHashCode() => HashCode.Combine(Name, Type, Descriptor.Length);
}

/// <summary>
/// One symbol table entry. For ARM code symbols (STT_FUNC, STT_GNU_IFUNC) bit 0 of
/// st_value is not part of the address: set means the code is Thumb (AAELF32 5.5.3).
/// </summary>
internal sealed record ElfSymbol(
    SymbolTable Table,
    int Index,
    string Name,
    uint Value,
    uint Size,
    SymbolType Type,
    SymbolBinding Binding,
    SymbolVisibility Visibility,
    uint SectionIndex)
{
    public const uint SectionUndefined = 0;       // SHN_UNDEF
    public const uint SectionAbsolute = 0xFFF1;   // SHN_ABS
    public const uint SectionCommon = 0xFFF2;     // SHN_COMMON

    /// <summary>The symbol names code, so bit 0 of its value is the Thumb bit.</summary>
    public bool IsCode => Type is SymbolType.Func or SymbolType.GnuIFunc or SymbolType.ArmTFunc;

    public bool IsThumb => Type == SymbolType.ArmTFunc || (IsCode && (Value & 1) != 0);

    /// <summary>st_value with the Thumb bit cleared for code symbols; st_value otherwise.</summary>
    public uint Address => IsCode ? Value & ~1u : Value;

    public bool IsDefined => SectionIndex != SectionUndefined;
}

/// <summary>A mapping symbol ($a, $t, $d or one of them followed by ".anything"): from Address on, the section holds Kind.</summary>
internal sealed record MappingSymbol(uint Address, MappingKind Kind, uint SectionIndex);
