using System.CommandLine;
using System.Globalization;
using ArmEmu.Memory;
using ArmEmu.Memory.Caches;

namespace ArmEmu.Cli;

/// <summary>The cache-model options shared by <c>run</c> and <c>system</c>, and the statistics they print.</summary>
internal sealed class CacheCommandLine
{
    public const string SpecHelp = "SIZE,WAYS,LINE[,wb|wt][,ra|wa][,rr|random|lru], e.g. 16K,4,32,wb,ra,rr";

    public readonly Option<bool> NoCache = new("--no-cache") { Description = "Turn the cache model off: memory is always coherent, as in QEMU" };
    public readonly Option<string?> InstructionCache = new("--icache") { Description = "I-cache: " + SpecHelp };
    public readonly Option<string?> DataCache = new("--dcache") { Description = "D-cache: " + SpecHelp };
    public readonly Option<string?> OuterCache = new("--l2cache") { Description = "L2 cache (the PL310 of a Cortex-A9 board: 8 or 16 ways of 16K-512K, 32-byte lines): " + SpecHelp };
    public readonly Option<string?> Seed = new("--cache-seed") { Description = "Seed of the pseudo-random replacement (default 1)" };
    public readonly Option<string?> CacheMap = new("--cache-map") { Description = "At exit, draw each cache's misses and write-backs per set over time as a PNG picture", HelpName = "FILE.png" };
    public readonly Option<bool> CheckCoherence = new("--check-coherence") { Description = "Report coherence hazards (stale DMA reads, stale code, diverging aliases) with the guest PC" };

    public void AddTo(Command command)
    {
        command.Options.Add(NoCache);
        command.Options.Add(InstructionCache);
        command.Options.Add(DataCache);
        command.Options.Add(OuterCache);
        command.Options.Add(Seed);
        command.Options.Add(CheckCoherence);
        command.Options.Add(CacheMap);
    }

    /// <summary>The options' values as given: null or false for those absent (<see cref="Values.None"/> when none is).</summary>
    public sealed record Values(bool NoCache, string? InstructionCache, string? DataCache, string? OuterCache, string? Seed,
                                string? CacheMap, bool CheckCoherence)
    {
        /// <summary>No cache option given: the model's own caches.</summary>
        public static Values None { get; } = new(false, null, null, null, null, null, false);
    }

    /// <summary>What <paramref name="parse"/> holds for these options.</summary>
    public Values ValuesOf(ParseResult parse) =>
        new(parse.GetValue(NoCache), parse.GetValue(InstructionCache), parse.GetValue(DataCache), parse.GetValue(OuterCache),
            parse.GetValue(Seed), parse.GetValue(CacheMap), parse.GetValue(CheckCoherence));

    /// <summary>--cache-map: its file checked (null when not asked), or an error line.</summary>
    public CacheMapOutput? ParseMap(ParseResult parse, CacheModelOptions options, out string? error) =>
        ParseMap(ValuesOf(parse), options, out error);

    /// <summary>--cache-map: its file checked (null when not asked), or an error line.</summary>
    public static CacheMapOutput? ParseMap(Values values, CacheModelOptions options, out string? error)
    {
        error = null;
        if (values.CacheMap is not { } path) return null;
        if (!options.Enabled)
        {
            error = "--cache-map draws the cache model's events: it cannot go with --no-cache";
            return null;
        }
        error = OutputPaths.Check("--cache-map", path);
        return error is null ? new CacheMapOutput(path) : null;
    }

    /// <summary>Attaches the coherence monitor when --check-coherence is given (and the model is on).</summary>
    public CoherenceMonitor? AttachMonitor(ParseResult parse, CacheSystem? caches, PhysicalBus bus, Cpu.Cpu cpu) =>
        AttachMonitor(ValuesOf(parse), caches, bus, cpu);

    /// <summary>Attaches the coherence monitor when --check-coherence is given (and the model is on).</summary>
    public static CoherenceMonitor? AttachMonitor(Values values, CacheSystem? caches, PhysicalBus bus, Cpu.Cpu cpu) =>
        values.CheckCoherence && caches is not null
            ? new CoherenceMonitor(caches, bus, () => cpu.CurrentInstructionAddress, () => cpu.InstructionsExecuted, Console.Error)
            : null;

    /// <summary>
    /// The options, or an error line naming the bad value. <paramref name="defaults"/>: the CPU
    /// model's and board's caches (the ARM926's when not given).
    /// </summary>
    public CacheModelOptions Parse(ParseResult parse, out string? error, CacheModelOptions? defaults = null) =>
        Parse(ValuesOf(parse), out error, defaults);

    /// <summary>
    /// The options, or an error line naming the bad value. <paramref name="defaults"/>: the CPU
    /// model's and board's caches (the ARM926's when not given).
    /// </summary>
    public static CacheModelOptions Parse(Values values, out string? error, CacheModelOptions? defaults = null)
    {
        error = null;
        var options = defaults ?? CacheModelOptions.Arm926;
        if (values.NoCache) return options with { Enabled = false };
        ulong seed = 1;
        if (values.Seed is { } s && !ulong.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out seed))
        {
            error = $"--cache-seed expects a whole number, not '{s}'";
            return options;
        }
        try
        {
            var icache = values.InstructionCache is { } i ? CacheConfig.Parse(i, options.InstructionCache) : options.InstructionCache;
            var dcache = values.DataCache is { } d ? CacheConfig.Parse(d, options.DataCache) : options.DataCache;
            var outer = options.OuterCache;
            if (values.OuterCache is { } l2)
            {
                outer = CacheConfig.Parse(l2, outer ?? Pl310Geometry.Default);
                Pl310Geometry.AuxiliaryControlFor(outer); // the only outer cache is the PL310: it must be one it can be
            }
            return options with
            {
                InstructionCache = icache with { Seed = seed }, DataCache = dcache with { Seed = seed * 31 + 7 },
                OuterCache = outer is null ? null : outer with { Seed = seed * 17 + 3 },
            };
        }
        catch (ArgumentException e)
        {
            error = $"{(e.Message.Contains("SIZE") ? "" : e.Message.Contains("PL310") ? "--l2cache: " : "cache: ")}{e.Message}";
            return options;
        }
    }

    /// <summary>The counters, one line per cache, for --stats.</summary>
    public static void PrintStats(CacheSystem? caches, TextWriter output)
    {
        if (caches is null) return;
        foreach (var cache in new[] { caches.InstructionCache, caches.DataCache, caches.OuterCache?.Cache })
        {
            if (cache is null) continue;
            var c = cache.Counters;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"armemu: {cache.Name}: {c.Reads} reads ({c.ReadHits} hits, {c.ReadMisses} misses), {c.Writes} writes ({c.WriteHits} hits, {c.WriteMisses} misses), {c.LineFills} fills, {c.WriteBacks} write-backs, {c.Evictions} evictions, {c.Maintenance} maintenance ops"));
        }
        var wb = caches.WriteBuffer;
        output.WriteLine($"armemu: write buffer: {wb.Writes} writes, {wb.Drains} drains, {wb.Stalls} stalls");
        // cachegrind's last level: the L2's misses while it is on, the L1s' otherwise.
        var ll = caches.LastLevel;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"armemu: last level ({(caches.OuterCache is null ? "the L1 caches" : "L2-cache while on, else L1")}): {ll.InstructionReadMisses} ILmr, {ll.DataReadMisses} DLmr, {ll.DataWriteMisses} DLmw"));
    }

    /// <summary>--cache-map: recording from the start of the run, the picture written at its end.</summary>
    internal sealed class CacheMapOutput(string path)
    {
        private ArmEmu.Emulator.Imaging.CacheMap? _map;

        public void Start(CacheSystem? caches, Cpu.Cpu cpu)
        {
            if (caches is not null) _map = new ArmEmu.Emulator.Imaging.CacheMap(caches, () => cpu.InstructionsExecuted);
        }

        /// <summary>Writes the file; false (and one line on stderr) when it cannot be written.</summary>
        public bool Finish()
        {
            if (_map is null) return true;
            try
            {
                _map.Write(path);
                return true;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine($"armemu: --cache-map: cannot write {path}: {e.Message}");
                return false;
            }
            finally
            {
                _map.Dispose();
                _map = null;
            }
        }
    }

    /// <summary>The counters (and the coherence reports) as an object for --stats-json.</summary>
    public static object? StatsJson(CacheSystem? caches)
    {
        if (caches is null) return null;
        var coherence = caches.Monitor?.Reports.Select(r => new
        {
            hazard = r.Hazard.ToString(), pc = r.Pc, virtualAddress = r.VirtualAddress, physicalAddress = r.PhysicalAddress,
            instruction = r.Instruction, message = r.Message,
        }).ToArray();
        // "hits", "misses" and "writebacks" are the totals users look for (reads and writes together).
        // A dictionary, not an anonymous type: System.Text.Json will not have both "writeBacks" and "writebacks" on one.
        static Dictionary<string, ulong>? Of(Cache? cache) => cache is null ? null : new Dictionary<string, ulong>
        {
            ["hits"] = cache.Counters.ReadHits + cache.Counters.WriteHits,
            ["misses"] = cache.Counters.ReadMisses + cache.Counters.WriteMisses,
            ["writebacks"] = cache.Counters.WriteBacks,
            ["reads"] = cache.Counters.Reads, ["readHits"] = cache.Counters.ReadHits, ["readMisses"] = cache.Counters.ReadMisses,
            ["writes"] = cache.Counters.Writes, ["writeHits"] = cache.Counters.WriteHits, ["writeMisses"] = cache.Counters.WriteMisses,
            ["lineFills"] = cache.Counters.LineFills, ["writeBacks"] = cache.Counters.WriteBacks, ["evictions"] = cache.Counters.Evictions,
            ["maintenance"] = cache.Counters.Maintenance,
        };
        return new
        {
            icache = Of(caches.InstructionCache),
            dcache = Of(caches.DataCache),
            l2cache = Of(caches.OuterCache?.Cache),
            lastLevel = new { ilmr = caches.LastLevel.InstructionReadMisses, dlmr = caches.LastLevel.DataReadMisses, dlmw = caches.LastLevel.DataWriteMisses },
            writeBuffer = new { writes = caches.WriteBuffer.Writes, drains = caches.WriteBuffer.Drains, stalls = caches.WriteBuffer.Stalls },
            coherence,
        };
    }
}
