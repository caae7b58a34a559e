using System.Numerics;

namespace ArmEmu.Memory.Caches;

/// <summary>How a cache is indexed and tagged.</summary>
public enum CacheIndexing
{
    /// <summary>Virtually indexed, virtually tagged (the ARM926: by the FCSE-modified VA).</summary>
    Vivt,
    /// <summary>Virtually indexed, physically tagged.</summary>
    Vipt,
    /// <summary>Physically indexed, physically tagged.</summary>
    Pipt,
}

/// <summary>What a write does when the page allows caching.</summary>
public enum WritePolicy
{
    /// <summary>Per page: the C and B bits decide (ARM926: C=1 B=1 write-back, C=1 B=0 write-through).</summary>
    PerPage,
    /// <summary>Every cacheable write goes to the line only, which becomes dirty; RAM sees it when the line is cleaned or evicted.</summary>
    WriteBack,
    /// <summary>Every cacheable write updates the line, if present, and goes on to memory (through the write buffer).</summary>
    WriteThrough,
    /// <summary>
    /// Per page, but a write-through page is not cached at all: the Cortex-A9 L1 D-cache
    /// "treats all pages marked as Write-Through as Non-Cacheable" (DDI 0388 7.4.3).
    /// </summary>
    PerPageWriteBackOnly,
}

/// <summary>Whether a write miss allocates a line.</summary>
public enum AllocationPolicy
{
    /// <summary>Only read misses fill lines (the ARM926).</summary>
    ReadAllocate,
    /// <summary>Read and write misses both fill a line.</summary>
    WriteAllocate,
    /// <summary>
    /// Per page: write misses allocate on pages whose attributes say write-allocate
    /// (<see cref="PageAttributes.WriteAllocate"/>: VMSAv7 Normal memory, outer or inner WBWA),
    /// as the Cortex-A9 L1 D-cache does (DDI 0388, "About the L1 memory system").
    /// </summary>
    PerPage,
}

/// <summary>How much of a line one dirty bit covers: what a write-back writes.</summary>
public enum DirtyGranularity
{
    /// <summary>Two dirty bits, one per half line: only dirty halves are written back (ARM926EJ-S TRM 4.1).</summary>
    HalfLine,
    /// <summary>One dirty bit per line: the whole line is written back (Cortex-A9 L1, PL310).</summary>
    Line,
}

/// <summary>Which line a fill evicts.</summary>
public enum ReplacementPolicy
{
    /// <summary>A victim counter stepping through the ways (ARM926 with SCTLR.RR set).</summary>
    RoundRobin,
    /// <summary>A seeded pseudo-random way (ARM926 with SCTLR.RR clear), so runs are reproducible.</summary>
    Random,
    /// <summary>Least recently used within the set.</summary>
    Lru,
}

/// <summary>
/// A cache's geometry and policies. Sizes are powers of two; the ARM926 default
/// is 16 KiB, 4-way, 32-byte lines, VIVT, write policy per page, read-allocate,
/// one dirty bit per half line.
/// </summary>
public sealed record CacheConfig(
    int SizeBytes = 16 * 1024,
    int Ways = 4,
    int LineBytes = 32,
    CacheIndexing Indexing = CacheIndexing.Vivt,
    WritePolicy WritePolicy = WritePolicy.PerPage,
    AllocationPolicy Allocation = AllocationPolicy.ReadAllocate,
    ReplacementPolicy Replacement = ReplacementPolicy.Random,
    ulong Seed = 1,
    DirtyGranularity Dirty = DirtyGranularity.HalfLine)
{
    /// <summary>The longest line a configuration may have (bytes).</summary>
    internal const int MaxLineBytes = 256;

    /// <summary>Number of sets: the size divided by the ways and the line size.</summary>
    public int Sets => SizeBytes / (Ways * LineBytes);

    /// <summary>
    /// The Cortex-A9 L1 D-cache as QEMU 7.2's cortex-a9 reports it in CCSIDR (0xe00fe019) and the
    /// TRM (DDI 0388, 7.1 and 7.4.3) describes it: 16 KiB, 4-way, 32-byte lines, PIPT, write-back
    /// (write-through pages are not cached), write allocation per page attributes, one dirty bit
    /// per line, pseudo-random replacement.
    /// </summary>
    public static CacheConfig CortexA9Data { get; } = new(16 * 1024, 4, 32, CacheIndexing.Pipt, WritePolicy.PerPageWriteBackOnly,
        AllocationPolicy.PerPage, ReplacementPolicy.Random, Dirty: DirtyGranularity.Line);

    /// <summary>The Cortex-A9 L1 I-cache (CCSIDR 0x200fe019): 16 KiB, 4-way, 32-byte lines, VIPT, pseudo-random.</summary>
    public static CacheConfig CortexA9Instruction { get; } = new(16 * 1024, 4, 32, CacheIndexing.Vipt, WritePolicy.PerPage,
        AllocationPolicy.ReadAllocate, ReplacementPolicy.Random, Dirty: DirtyGranularity.Line);

    /// <summary>
    /// The geometry and policy bits CCSIDR reports for this cache (ARM ARM B4.1.19). For QEMU's
    /// Cortex-A9 values: a D-cache says WT, WB and RA (WA only when write-allocate is forced), an
    /// I-cache RA only.
    /// </summary>
    internal CacheLevelGeometry Geometry(bool instruction) => instruction
        ? new CacheLevelGeometry(LineBytes, Ways, Sets, false, false, true, false)
        : new CacheLevelGeometry(LineBytes, Ways, Sets, WritePolicy != WritePolicy.WriteBack, WritePolicy != WritePolicy.WriteThrough,
            true, Allocation == AllocationPolicy.WriteAllocate);

    /// <summary>Throws <see cref="ArgumentException"/> with one line naming what is wrong.</summary>
    public CacheConfig Validated()
    {
        if (!BitOperations.IsPow2(SizeBytes) || SizeBytes < 64) throw new ArgumentException($"cache size {SizeBytes} is not a power of two of at least 64 bytes");
        if (!BitOperations.IsPow2(Ways) || Ways > 64) throw new ArgumentException($"{Ways} ways: must be a power of two up to 64");
        if (!BitOperations.IsPow2(LineBytes) || LineBytes < 8 || LineBytes > MaxLineBytes) throw new ArgumentException($"line size {LineBytes}: must be a power of two from 8 to 256 bytes");
        if (Ways * LineBytes > SizeBytes) throw new ArgumentException($"{Ways} ways of {LineBytes}-byte lines do not fit in {SizeBytes} bytes");
        return this;
    }

    /// <summary>Parses "SIZE,WAYS,LINE[,wb|wt][,ra|wa][,rr|random|lru]" as the command line gives it, e.g. "16K,4,32,wb,ra,rr".</summary>
    public static CacheConfig Parse(string text, CacheConfig defaults)
    {
        string[] parts = text.Split(',', StringSplitOptions.TrimEntries);
        if (parts.Length < 3) throw new ArgumentException($"'{text}' is not SIZE,WAYS,LINE[,wb|wt][,ra|wa][,rr|random|lru]");
        var config = defaults with { SizeBytes = ParseSize(parts[0]), Ways = ParseInt(parts[1], "ways"), LineBytes = ParseInt(parts[2], "line size") };
        foreach (string option in parts.Skip(3))
        {
            config = option.ToLowerInvariant() switch
            {
                "wb" => config with { WritePolicy = WritePolicy.WriteBack },
                "wt" => config with { WritePolicy = WritePolicy.WriteThrough },
                "ra" => config with { Allocation = AllocationPolicy.ReadAllocate },
                "wa" => config with { Allocation = AllocationPolicy.WriteAllocate },
                "rr" => config with { Replacement = ReplacementPolicy.RoundRobin },
                "random" => config with { Replacement = ReplacementPolicy.Random },
                "lru" => config with { Replacement = ReplacementPolicy.Lru },
                _ => throw new ArgumentException($"unknown cache option '{option}' (wb, wt, ra, wa, rr, random, lru)"),
            };
        }
        return config.Validated();
    }

    private static int ParseInt(string text, string what) =>
        int.TryParse(text, out int v) && v > 0 ? v : throw new ArgumentException($"'{text}' is not a valid {what}");

    private static int ParseSize(string text)
    {
        int multiplier = text.EndsWith('K') || text.EndsWith('k') ? 1024 : text.EndsWith('M') || text.EndsWith('m') ? 1 << 20 : 1;
        string digits = multiplier == 1 ? text : text[..^1];
        return int.TryParse(digits, out int v) && v > 0 && (long)v * multiplier <= 1 << 24
            ? v * multiplier
            : throw new ArgumentException($"'{text}' is not a cache size (e.g. 16K)");
    }
}
