using System.Globalization;
using System.Text;

namespace ArmEmu.Emulator.Gdb;

/// <summary>
/// gdb's <c>monitor</c> commands (qRcmd): what the caches, the TLB and the coherence monitor
/// hold at the stop -- the view of a stale-cache bug no other debugger has.
/// </summary>
internal sealed class MonitorCommands(GdbTarget target)
{
    /// <summary>The longest range <c>monitor cache</c> walks (lines of output stay readable).</summary>
    public const uint MaxCacheRange = 64 * 1024;

    private static readonly (string Name, string Help)[] Commands =
    [
        ("help", "list these commands"),
        ("cache ADDR [LEN]", "for each line of [ADDR, ADDR+LEN): which level holds it (L1 D, L1 I, L2, write buffer), set, way, valid, dirty, and whether its data differs from memory"),
        ("cache stats", "hits, misses, fills, write-backs per cache; the write buffer's writes, drains and stalls"),
        ("coherence", "the hazards the coherence monitor has seen so far (--check-coherence)"),
        ("tlb", "the TLB entries"),
        ("icount", "instructions executed since reset"),
    ];

    /// <summary>Runs one command line; the text to show the user (ending in a newline).</summary>
    public string Execute(string line)
    {
        var words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (words.Length == 0) return Help();
        return words[0] switch
        {
            "help" => Help(),
            "cache" when words.Length == 2 && words[1] == "stats" => CacheStats(),
            "cache" when words.Length is 2 or 3 => Cache(words),
            "coherence" => Coherence(),
            "tlb" => string.Join('\n', target.DescribeTlb()) + "\n",
            "icount" => $"{target.Cpu.InstructionsExecuted} instructions\n",
            _ => $"unknown monitor command '{line.Trim()}' (monitor help lists them)\n",
        };
    }

    private static string Help()
    {
        var text = new StringBuilder("armemu monitor commands:\n");
        foreach (var (name, help) in Commands) text.Append($"  monitor {name,-17} {help}\n");
        return text.ToString();
    }

    private string Cache(string[] words)
    {
        if (target.Caches is not { } caches) return "the cache model is off (--no-cache): memory is always coherent\n";
        if (!TryParseNumber(words[1], out uint start)) return $"monitor cache: '{words[1]}' is not an address\n";
        uint length = 1;
        if (words.Length == 3 && (!TryParseNumber(words[2], out length) || length == 0))
            return $"monitor cache: '{words[2]}' is not a length\n";
        if (length > MaxCacheRange) return $"monitor cache: at most {MaxCacheRange} bytes at a time\n";
        var levels = WriteBufferView.LevelsOf(caches, target.Memory.Bus);
        uint lineBytes = (uint)levels.Min(l => l.LineBytes);
        var text = new StringBuilder();
        ulong end = (ulong)start + length;
        for (ulong a = start & ~(lineBytes - 1); a < end; a += lineBytes)
        {
            uint va = (uint)a;
            if (!target.Memory.TryTranslateDebug(va, out uint pa))
            {
                text.Append($"0x{va:x8}: not mapped\n");
                continue;
            }
            var held = levels.SelectMany(l => l.CopiesOf(va, pa)).ToList();
            text.Append($"0x{va:x8} (pa 0x{pa:x8}):");
            if (held.Count == 0) text.Append(" not cached\n");
            else
            {
                text.Append('\n');
                foreach (var h in held)
                {
                    string where = h.Set >= 0 ? $"set {h.Set,3} way {h.Way}" : "";
                    text.Append($"  {h.Level,-12} {where,-13} {(h.Valid ? "valid" : "invalid")}, {h.Dirty}, {(h.DiffersFromMemory ? "differs from memory" : "same as memory")}\n");
                }
            }
        }
        return text.ToString();
    }

    private string CacheStats()
    {
        if (target.Caches is not { } caches) return "the cache model is off (--no-cache)\n";
        var text = new StringBuilder();
        foreach (var cache in new[] { caches.DataCache, caches.InstructionCache, caches.OuterCache?.Cache })
        {
            if (cache is null) continue;
            var c = cache.Counters;
            text.Append(string.Create(CultureInfo.InvariantCulture,
                $"{cache.Name}: {cache.Sets} sets x {cache.Ways} ways x {cache.LineBytes} bytes; {c.Reads} reads ({c.ReadHits} hits, {c.ReadMisses} misses), {c.Writes} writes ({c.WriteHits} hits, {c.WriteMisses} misses), {c.LineFills} fills, {c.WriteBacks} write-backs, {c.Evictions} evictions, {c.Maintenance} maintenance ops\n"));
        }
        var wb = caches.WriteBuffer;
        text.Append($"write buffer: {wb.Writes} writes, {wb.Drains} drains, {wb.Stalls} stalls, {(wb.IsEmpty ? "empty" : "not empty")}\n");
        return text.ToString();
    }

    private string Coherence()
    {
        if (target.Caches?.Monitor is not { } monitor)
            return target.Caches is null ? "the cache model is off (--no-cache): no hazards can arise\n"
                : "the coherence monitor is off (start armemu with --check-coherence)\n";
        if (monitor.Reports.Count == 0) return "no coherence hazards seen so far\n";
        var text = new StringBuilder();
        foreach (var r in monitor.Reports)
            text.Append($"{r.Hazard}: pc 0x{r.Pc:x8} va 0x{r.VirtualAddress:x8} pa 0x{r.PhysicalAddress:x8} at instruction {r.Instruction}: {r.Message}\n");
        return text.ToString();
    }

    private static bool TryParseNumber(string text, out uint value) =>
        text.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? uint.TryParse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value)
            : uint.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
}
