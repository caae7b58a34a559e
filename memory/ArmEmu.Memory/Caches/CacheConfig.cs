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
    WriteBack,
    WriteThrough,
}

/// <summary>Whether a write miss allocates a line.</summary>
public enum AllocationPolicy
{
    /// <summary>Only read misses fill lines (the ARM926).</summary>
    ReadAllocate,
    WriteAllocate,
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
/// is 16 KiB, 4-way, 32-byte lines, VIVT, write policy per page, read-allocate.
/// </summary>
public sealed record CacheConfig(
    int SizeBytes = 16 * 1024,
    int Ways = 4,
    int LineBytes = 32,
    CacheIndexing Indexing = CacheIndexing.Vivt,
    WritePolicy WritePolicy = WritePolicy.PerPage,
    AllocationPolicy Allocation = AllocationPolicy.ReadAllocate,
    ReplacementPolicy Replacement = ReplacementPolicy.Random,
    ulong Seed = 1)
{
    public int Sets => SizeBytes / (Ways * LineBytes);

    /// <summary>Throws <see cref="ArgumentException"/> with one line naming what is wrong.</summary>
    public CacheConfig Validated()
    {
        if (!BitOperations.IsPow2(SizeBytes) || SizeBytes < 64) throw new ArgumentException($"cache size {SizeBytes} is not a power of two of at least 64 bytes");
        if (!BitOperations.IsPow2(Ways) || Ways > 64) throw new ArgumentException($"{Ways} ways: must be a power of two up to 64");
        if (!BitOperations.IsPow2(LineBytes) || LineBytes < 8 || LineBytes > 256) throw new ArgumentException($"line size {LineBytes}: must be a power of two from 8 to 256 bytes");
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
