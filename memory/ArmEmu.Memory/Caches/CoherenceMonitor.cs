namespace ArmEmu.Memory.Caches;

/// <summary>The coherence hazards the monitor recognises.</summary>
public enum CoherenceHazard
{
    /// <summary>Another bus master read a physical line that is dirty in the D-cache: it gets stale RAM.</summary>
    DmaReadOfDirtyLine,
    /// <summary>
    /// Another bus master read a physical line that is dirty in the outer L2 cache (the PL310):
    /// the L1 copy may have been cleaned, but the outer clean by PA was missing.
    /// </summary>
    DmaReadOfDirtyOuterLine,
    /// <summary>Another bus master read an address with a store still in the write buffer (a drain was missing).</summary>
    DmaReadOfBufferedWrite,
    /// <summary>Another bus master wrote under a line the CPU holds in a cache: the CPU keeps reading the old copy.</summary>
    DmaWriteUnderCachedLine,
    /// <summary>An instruction came from an I-cache line whose memory (as the D-side sees it) has changed since the fill.</summary>
    StaleInstructionFetch,
    /// <summary>Two cached virtual aliases of one physical line hold different data.</summary>
    DivergentAliases,
}

/// <summary>One hazard, as reported: the guest PC and instruction count when it was seen, and the addresses.</summary>
/// <param name="Pc">The instruction that caused it: for a dirty line, the last store into it; otherwise the current one.</param>
/// <param name="Hazard">What went wrong.</param>
/// <param name="VirtualAddress">The address as the CPU used it.</param>
/// <param name="PhysicalAddress">The physical address.</param>
/// <param name="Instruction">The instruction count when the hazard was seen.</param>
/// <param name="Message">The report in one line of text.</param>
public sealed record CoherenceReport(CoherenceHazard Hazard, uint Pc, uint VirtualAddress, uint PhysicalAddress, ulong Instruction, string Message);

/// <summary>
/// Watches the caches and the other bus masters (--check-coherence) and reports each hazard
/// once per physical line: what QEMU cannot show, named with the guest PC, the virtual and
/// physical address and the instruction count. It only observes; it changes nothing.
/// </summary>
internal sealed class CoherenceMonitor
{
    private readonly CacheSystem _caches;
    private readonly Func<uint> _pc;
    private readonly Func<ulong> _count;
    private readonly TextWriter? _output;
    private readonly HashSet<(CoherenceHazard, uint)> _seen = new();
    private readonly List<CoherenceReport> _reports = new();

    public CoherenceMonitor(CacheSystem caches, PhysicalBus bus, Func<uint> pc, Func<ulong> instructionCount, TextWriter? output)
    {
        _caches = caches;
        _pc = pc;
        _count = instructionCount;
        _output = output;
        caches.Monitor = this;
        caches.WriteBuffer.StorePc = pc;
        bus.OtherMasterAccess += OnOtherMasterAccess;
    }

    public IReadOnlyList<CoherenceReport> Reports => _reports;

    /// <summary>Raised with each new report, as it is made (the embedding API's coherence hook).</summary>
    public event Action<CoherenceReport>? Reported;

    internal uint CurrentPc => _pc();

    private void OnOtherMasterAccess(uint pa, int length, bool write)
    {
        if (length <= 0) return;
        if (_caches.DataCache is { } data)
        {
            foreach (int line in LinesHolding(data, pa, length))
            {
                uint linePa = data.PhysicalAddress(line);
                if (!write)
                {
                    // Only a dirty half the master actually reads makes it read stale data (the
                    // ARM926 keeps one dirty bit per half line, TRM 4.1): a clean half is what RAM holds.
                    if ((DirtyHalvesRead(data, line, pa, length)) != 0)
                        Report(CoherenceHazard.DmaReadOfDirtyLine, _caches.LastWriter(line) ?? _pc(), data.IndexAddress(line), linePa,
                            "a bus master read a line that is dirty in the D-cache (clean it before the transfer)", data.LineBytes);
                }
                else
                {
                    Report(CoherenceHazard.DmaWriteUnderCachedLine, _pc(), data.IndexAddress(line), linePa,
                        "a bus master wrote under a line held in the D-cache (invalidate it before reading the new data)", data.LineBytes);
                }
            }
        }
        if (write && _caches.InstructionCache is { } code)
        {
            foreach (int line in LinesHolding(code, pa, length))
                Report(CoherenceHazard.DmaWriteUnderCachedLine, _pc(), code.IndexAddress(line), code.PhysicalAddress(line),
                    "a bus master wrote under a line held in the I-cache (invalidate it before running the new code)", code.LineBytes);
        }
        if (_caches.OuterCache is { } outer) CheckOuter(outer.Cache, outer, pa, length, write);
        if (!write && _caches.WriteBuffer.Covers(pa, length))
            Report(CoherenceHazard.DmaReadOfBufferedWrite, _caches.WriteBuffer.PendingWriter(pa, length) ?? _pc(), pa, pa,
                "a bus master read an address with a store still in the write buffer (drain it before the transfer)",
                _caches.DataCache?.LineBytes ?? 32);
    }

    /// <summary>
    /// The outer cache's side of a bus master's access: a dirty line read (naming the store
    /// whose data made it dirty, and whether L1 still holds a copy), or a write under a line.
    /// Lines left dirty while the PL310 is off count too: their data is still not in RAM.
    /// </summary>
    private void CheckOuter(Cache cache, OuterCache outer, uint pa, int length, bool write)
    {
        foreach (int line in LinesHolding(cache, pa, length))
        {
            uint linePa = cache.PhysicalAddress(line);
            if (!write)
            {
                if (!cache.IsDirty(line)) continue;
                string l1 = _caches.DataCache is { } data && LinesHolding(data, linePa, cache.LineBytes).Any()
                    ? "L1 also holds it" : "L1 no longer holds it";
                Report(CoherenceHazard.DmaReadOfDirtyOuterLine, outer.LastWriter(line) ?? _pc(), linePa, linePa,
                    $"a bus master read a line that is dirty in the L2 cache ({l1}; clean it in L2 by physical address too: outer_clean_range)",
                    cache.LineBytes);
            }
            else
            {
                Report(CoherenceHazard.DmaWriteUnderCachedLine, _pc(), linePa, linePa,
                    "a bus master wrote under a line held in the L2 cache (invalidate it in L2 by physical address before reading the new data)",
                    cache.LineBytes);
            }
        }
    }

    /// <summary>Which dirty halves (bit 0 low, bit 1 high) of <paramref name="line"/> lie in [pa, pa + length).</summary>
    private static int DirtyHalvesRead(Cache cache, int line, uint pa, int length)
    {
        int dirty = cache.DirtyHalves(line);
        if (dirty == 0) return 0;
        uint linePa = cache.PhysicalAddress(line), half = (uint)cache.LineBytes / 2;
        ulong start = pa, end = (ulong)pa + (uint)length;
        int read = 0;
        if (start < linePa + half && end > linePa) read |= 1;
        if (start < linePa + 2 * half && end > linePa + half) read |= 2;
        return dirty & read;
    }

    /// <summary>
    /// The valid lines of <paramref name="cache"/> holding any byte of [pa, pa + length). Only the
    /// sets that can hold each physical line are searched: a VIVT or VIPT cache is indexed by
    /// the (modified) virtual address, whose bits below 10 equal the physical address's whatever
    /// the mapping (1 KiB tiny pages are the smallest, ARM ARM B4.1; the FCSE changes bits 31:25
    /// only), so any set whose index agrees in those bits may hold the line; a PIPT cache has one.
    /// </summary>
    private static IEnumerable<int> LinesHolding(Cache cache, uint pa, int length)
    {
        uint lineBytes = (uint)cache.LineBytes, wayBytes = (uint)cache.Sets * lineBytes;
        uint fixedBits = !cache.Indexing.IndexedByVirtualAddress ? wayBytes - 1 : Math.Min(wayBytes, 1024u) - 1;
        fixedBits &= ~(lineBytes - 1);
        ulong end = (ulong)pa + (uint)length;
        // The sets whose index agrees with the line in the fixed bits: every stride-th from the
        // first (one set for a PIPT cache, e.g. one of the PL310's 512).
        int stride = (int)((fixedBits + lineBytes) / lineBytes);
        for (ulong at = pa & ~(ulong)(lineBytes - 1); at < end; at += lineBytes)
        {
            uint linePa = (uint)at;
            for (int set = (int)((linePa & fixedBits) / lineBytes); set < cache.Sets; set += stride)
            {
                for (int way = 0; way < cache.Ways; way++)
                {
                    int line = set * cache.Ways + way;
                    if (cache.IsValid(line) && cache.PhysicalAddress(line) == linePa) yield return line;
                }
            }
        }
    }

    /// <summary>An I-cache hit or fill returned <paramref name="fetched"/>; the D-side view of the same bytes says otherwise?</summary>
    internal void OnFetch(uint va, uint pa, int size, uint fetched)
    {
        if (!_caches.PeekMemory(va, pa, size, out uint current)) return;
        if (current != fetched)
            Report(CoherenceHazard.StaleInstructionFetch, va, va, pa,
                $"fetched 0x{fetched.ToString(size == 4 ? "x8" : "x4")} but memory now holds 0x{current.ToString(size == 4 ? "x8" : "x4")} (clean D, drain, invalidate I: __clear_cache)",
                _caches.InstructionCache?.LineBytes ?? 32);
    }

    /// <summary>
    /// A store went into <paramref name="line"/>, or a read filled it: does another cached alias of
    /// the same physical line now disagree? (A fill through the second alias of a line dirty
    /// through the first diverges as surely as a store does.)
    /// </summary>
    internal void OnDataLineChanged(Cache cache, int line)
    {
        uint pa = cache.PhysicalAddress(line);
        var mine = cache.Data(line);
        foreach (int other in LinesHolding(cache, pa, 1))
        {
            if (other == line) continue;
            if (!mine.SequenceEqual(cache.Data(other)))
                Report(CoherenceHazard.DivergentAliases, _pc(), cache.IndexAddress(line), pa,
                    $"cached aliases 0x{cache.IndexAddress(line):x8} and 0x{cache.IndexAddress(other):x8} of one physical line now differ",
                    cache.LineBytes);
        }
    }

    /// <summary>Records and prints a hazard unless it was already reported for this line (<paramref name="lineBytes"/> of the cache concerned).</summary>
    private void Report(CoherenceHazard hazard, uint pc, uint va, uint pa, string message, int lineBytes)
    {
        if (!_seen.Add((hazard, pa & ~((uint)lineBytes - 1)))) return;
        var report = new CoherenceReport(hazard, pc, va, pa, _count(), message);
        _reports.Add(report);
        Reported?.Invoke(report);
        _output?.WriteLine($"armemu: coherence: {hazard} at pc 0x{pc:x8} (instruction {report.Instruction}): va 0x{va:x8}, pa 0x{pa:x8}: {message}");
    }
}
