using ArmEmu.Memory;
using ArmEmu.Memory.Caches;

namespace ArmEmu.Emulator.Gdb;

/// <summary>One place that holds a copy of an address: a cache line, or a store waiting in a write buffer.</summary>
/// <param name="Level">The level's name, e.g. "L1 D", "L1 I", "write buffer".</param>
/// <param name="Set">Set of the line (-1 for a buffer).</param>
/// <param name="Way">Way of the line (-1 for a buffer).</param>
/// <param name="Valid">The line is valid (always true for a pending store).</param>
/// <param name="Dirty">Which halves are dirty, as text: "clean", "dirty", "dirty (first half)", ...</param>
/// <param name="DiffersFromMemory">The copy's bytes differ from what RAM holds now.</param>
internal readonly record struct HeldCopy(string Level, int Set, int Way, bool Valid, string Dirty, bool DiffersFromMemory);

/// <summary>
/// A level of the memory hierarchy as a debugger looks at it: where an address is held. The
/// stub's <c>monitor cache</c> walks a list of these from the CPU outwards, so a level added
/// under L1 (an L2 cache, another buffer) is one more implementation.
/// </summary>
internal interface ICacheLevelView
{
    string Name { get; }

    /// <summary>Line size in bytes (a buffer answers per byte: 1).</summary>
    int LineBytes { get; }

    /// <summary>The copies of the line containing <paramref name="va"/> (physical <paramref name="pa"/>) this level holds.</summary>
    IEnumerable<HeldCopy> CopiesOf(uint va, uint pa);
}

/// <summary>An L1 cache of a <see cref="CacheSystem"/>.</summary>
internal sealed class L1CacheView(CacheSystem system, Cache cache, string name, PhysicalBus bus) : ICacheLevelView
{
    public string Name => name;

    public int LineBytes => cache.LineBytes;

    public IEnumerable<HeldCopy> CopiesOf(uint va, uint pa)
    {
        uint lineVa = va & ~cache.LineMask, linePa = pa & ~cache.LineMask;
        int line = system.FindLine(cache, lineVa, linePa);
        if (line < 0) yield break;
        int halves = cache.DirtyHalves(line);
        string dirty = halves switch { 0 => "clean", 3 => "dirty", 1 => "dirty (first half)", _ => "dirty (second half)" };
        Span<byte> memory = stackalloc byte[cache.LineBytes];
        bool differs = bus.ReadRam(cache.PhysicalAddress(line), memory) && !memory.SequenceEqual(cache.Data(line));
        yield return new HeldCopy(name, cache.SetOfLine(line), cache.WayOfLine(line), cache.IsValid(line), dirty, differs);
    }
}

/// <summary>The outer (L2) cache: physically indexed and tagged, below both L1 caches.</summary>
internal sealed class OuterCacheView(OuterCache outer, PhysicalBus bus) : ICacheLevelView
{
    public string Name => "L2";

    public int LineBytes => outer.Cache.LineBytes;

    public IEnumerable<HeldCopy> CopiesOf(uint va, uint pa)
    {
        var cache = outer.Cache;
        uint linePa = pa & ~cache.LineMask;
        int line = cache.Find(linePa, linePa);
        if (line < 0) yield break;
        Span<byte> memory = stackalloc byte[cache.LineBytes];
        bool differs = bus.ReadRam(linePa, memory) && !memory.SequenceEqual(cache.Data(line));
        string dirty = cache.IsDirty(line) ? "dirty" : "clean";
        yield return new HeldCopy(Name, cache.SetOfLine(line), cache.WayOfLine(line), cache.IsValid(line), dirty, differs);
    }
}

/// <summary>The write buffer: stores (and written-back lines) on their way to RAM.</summary>
internal sealed class WriteBufferView(WriteBuffer buffer, PhysicalBus bus, int lineBytes) : ICacheLevelView
{
    public string Name => "write buffer";

    public int LineBytes => lineBytes;

    public IEnumerable<HeldCopy> CopiesOf(uint va, uint pa)
    {
        uint linePa = pa & ~(uint)(lineBytes - 1);
        if (buffer.IsEmpty || !buffer.Covers(linePa, lineBytes)) yield break;
        bool differs = false;
        for (uint a = linePa; a < linePa + lineBytes; a++)
            if (buffer.TryPeekByte(a, out byte pending) && bus.TryPeek(a, 1, out uint ram) && (byte)ram != pending) differs = true;
        yield return new HeldCopy(Name, -1, -1, true, "pending", differs);
    }

    /// <summary>The levels of <paramref name="caches"/>, from the CPU outwards.</summary>
    public static IReadOnlyList<ICacheLevelView> LevelsOf(CacheSystem caches, PhysicalBus bus)
    {
        var levels = new List<ICacheLevelView>();
        if (caches.DataCache is { } d) levels.Add(new L1CacheView(caches, d, "L1 D", bus));
        if (caches.InstructionCache is { } i) levels.Add(new L1CacheView(caches, i, "L1 I", bus));
        if (caches.OuterCache is { } outer) levels.Add(new OuterCacheView(outer, bus));
        int line = levels.Count > 0 ? levels.Min(l => l.LineBytes) : 32;
        levels.Add(new WriteBufferView(caches.WriteBuffer, bus, line));
        return levels;
    }
}
