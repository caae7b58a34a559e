using ArmEmu.Cpu.Interpreter;

namespace ArmEmu.Cpu.Decoding;

/// <summary>
/// The tables built so far, one per (version, features), shared by every CPU of that model: a
/// list under a lock, not a ConcurrentDictionary, whose assembly and generic types over a tuple
/// key were loaded at every start-up to hold one or two tables. A table is built under the lock,
/// so two threads asking for the same model at once build it once.
/// </summary>
internal sealed class DecoderTables<T>(Func<ArchVersion, CpuFeature, T> build) where T : class
{
    private sealed class Entry(ArchVersion arch, CpuFeature features, T table, Entry? next)
    {
        public readonly ArchVersion Arch = arch;
        public readonly CpuFeature Features = features;
        public readonly T Table = table;
        public readonly Entry? Next = next;
    }

    private readonly object _lock = new(); // a Monitor: see ExecImage.ReadElf's lock
    private Entry? _first;

    public T For(ArchVersion arch, CpuFeature features)
    {
        lock (_lock)
        {
            for (var e = _first; e is not null; e = e.Next)
                if (e.Arch == arch && e.Features == features) return e.Table;
            var table = build(arch, features);
            _first = new Entry(arch, features, table, _first);
            return table;
        }
    }
}

/// <summary>
/// The ARM table compiled for one architecture version. Buckets are indexed by
/// bits 27:20 and 7:4 (the bits ARM ARM A3.1 uses to split the instruction
/// space), plus whether the condition is 1111 (the unconditional space).
/// </summary>
internal sealed unsafe class ArmDecoder
{
    private static readonly DecoderTables<ArmDecoder> Cache = new((arch, features) => new ArmDecoder(arch, features));

    /// <summary>Every A32 row: the ARM table, then the VFP rows (which overlap its coprocessor rows by group), then the Advanced SIMD rows.</summary>
    public static EncodingRow[] Rows => AllRows.Rows;

    // In classes of their own, so that each list is built on first use, not by this class's
    // static constructor: a model without Advanced SIMD (ARMv5, v6) never builds the two hundred
    // NEON rows, nor resolves their handlers, which was half of the A32 table's start-up.
    private static class AllRows
    {
        public static readonly EncodingRow[] Rows = [.. ArmEncodings.Rows, .. VfpEncodings.Rows, .. NeonEncodings.Rows];
    }

    /// <summary>The A32 rows without the Advanced SIMD ones, which all need <see cref="CpuFeature.Neon"/>: the same prefix of <see cref="Rows"/>.</summary>
    private static class RowsWithoutAdvancedSimd
    {
        public static readonly EncodingRow[] Rows = [.. ArmEncodings.Rows, .. VfpEncodings.Rows];
    }

    private ArmDecoder(ArchVersion arch, CpuFeature features)
    {
        Table = TableOf((features & CpuFeature.Neon) != 0 ? AllRows.Rows : RowsWithoutAdvancedSimd.Rows, arch, features);
    }

    /// <summary>A table of <paramref name="rows"/> (a prefix of <see cref="Rows"/>) for a version and features.</summary>
    internal static DecoderTable TableOf(EncodingRow[] rows, ArchVersion arch, CpuFeature features) =>
        new(rows, arch, features, 8192, BucketOf, BucketBits, &ExceptionGenerating.Undefined);

    /// <summary>The table for <paramref name="model"/>: its version and its features.</summary>
    public static ArmDecoder For(CpuModel model) => For(model.Arch, model.Features);

    /// <summary>The table for a version; rows that need features are included unless <paramref name="features"/> is given.</summary>
    public static ArmDecoder For(ArchVersion arch, CpuFeature features = (CpuFeature)uint.MaxValue) =>
        Cache.For(arch, features);

    public DecoderTable Table { get; }

    public delegate*<Cpu, uint, void> Decode(uint word) => Table.Decode(word);

    private static int BucketOf(uint word) =>
        (word >> 28 == 0xF ? 4096 : 0) | (int)((word >> 16) & 0xFF0) | (int)((word >> 4) & 0xF);

    private static (uint Mask, uint Value) BucketBits(int bucket)
    {
        uint value = ((uint)(bucket & 0xFF0) << 16) | ((uint)(bucket & 0xF) << 4);
        uint mask = 0x0FF0_00F0;
        if (bucket >= 4096)
        {
            mask |= 0xF000_0000;
            value |= 0xF000_0000;
        }
        return (mask, value);
    }
}

/// <summary>The 16-bit Thumb table compiled for one architecture version, bucketed by bits 15:6.</summary>
internal sealed unsafe class Thumb16Decoder
{
    private static readonly DecoderTables<Thumb16Decoder> Cache = new((arch, features) => new Thumb16Decoder(arch, features));

    private Thumb16Decoder(ArchVersion arch, CpuFeature features)
    {
        Table = new DecoderTable(Thumb16Encodings.Rows, arch, features, 1024, w => (int)((w >> 6) & 0x3FF),
                                 b => (0xFFC0u, (uint)b << 6), &ExceptionGenerating.Undefined);
    }

    /// <summary>The table for <paramref name="model"/>: its version and its features.</summary>
    public static Thumb16Decoder For(CpuModel model) => For(model.Arch, model.Features);

    /// <summary>The table for a version; rows that need features are included unless <paramref name="features"/> is given.</summary>
    public static Thumb16Decoder For(ArchVersion arch, CpuFeature features = (CpuFeature)uint.MaxValue) =>
        Cache.For(arch, features);

    public DecoderTable Table { get; }

    public delegate*<Cpu, uint, void> Decode(uint halfword) => Table.Decode(halfword);
}

/// <summary>
/// The 32-bit Thumb (T32) table compiled for one model: <see cref="Rows"/> (the integer rows, the
/// coprocessor and VFP rows in their T32 form, the Advanced SIMD hook), bucketed by the first
/// halfword's bits 15:4 and the second halfword's bit 15 (which splits data processing from
/// branches and miscellaneous control, DDI 0406C A6.3 table A6-9). Words are hw1:hw2, the first
/// halfword in bits 31:16, so the bits named in the manual's two-halfword diagrams are op bits
/// 16 + n (hw1) and n (hw2).
/// </summary>
internal sealed unsafe class Thumb32Decoder
{
    private static readonly DecoderTables<Thumb32Decoder> Cache = new((arch, features) => new Thumb32Decoder(arch, features));

    /// <summary>Every T32 row: integer, coprocessor, VFP, Advanced SIMD (<see cref="Thumb32Encodings.AdvancedSimdRows"/>).</summary>
    public static EncodingRow[] Rows { get; } =
        [.. Thumb32Encodings.Rows, .. Thumb32Encodings.CoprocessorRows, .. VfpEncodings.ThumbRows, .. Thumb32Encodings.AdvancedSimdRows];

    private Thumb32Decoder(ArchVersion arch, CpuFeature features)
    {
        Table = new DecoderTable(Rows, arch, features, 8192, BucketOf, BucketBits, &ExceptionGenerating.Undefined);
    }

    /// <summary>The table for <paramref name="model"/>: its version and its features.</summary>
    public static Thumb32Decoder For(CpuModel model) => For(model.Arch, model.Features);

    /// <summary>The table for a version; rows that need features are included unless <paramref name="features"/> is given.</summary>
    public static Thumb32Decoder For(ArchVersion arch, CpuFeature features = (CpuFeature)uint.MaxValue) =>
        Cache.For(arch, features);

    public DecoderTable Table { get; }

    public delegate*<Cpu, uint, void> Decode(uint word) => Table.Decode(word);

    private static int BucketOf(uint word) => (int)((word >> 19) & 0x1FFE) | (int)((word >> 15) & 1);

    private static (uint Mask, uint Value) BucketBits(int bucket) =>
        (0xFFF0_8000u, ((uint)(bucket >> 1) << 20) | ((uint)(bucket & 1) << 15));
}
