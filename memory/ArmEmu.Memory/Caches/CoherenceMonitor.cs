namespace ArmEmu.Memory.Caches;

/// <summary>The coherence hazards the monitor recognises.</summary>
public enum CoherenceHazard
{
    /// <summary>Another bus master read a physical line that is dirty in the D-cache: it gets stale RAM.</summary>
    DmaReadOfDirtyLine,
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
public sealed record CoherenceReport(CoherenceHazard Hazard, uint Pc, uint VirtualAddress, uint PhysicalAddress, ulong Instruction, string Message);

/// <summary>
/// Watches the caches and the other bus masters (--check-coherence) and reports each hazard
/// once per physical line: what QEMU cannot show, named with the guest PC, the virtual and
/// physical address and the instruction count. It only observes; it changes nothing.
/// </summary>
public sealed class CoherenceMonitor
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
        bus.OtherMasterAccess += OnOtherMasterAccess;
    }

    public IReadOnlyList<CoherenceReport> Reports => _reports;

    internal uint CurrentPc => _pc();

    private void OnOtherMasterAccess(uint pa, int length, bool write)
    {
        if (_caches.DataCache is { } data)
        {
            for (int line = 0; line < data.LineCount; line++)
            {
                if (!data.IsValid(line)) continue;
                uint linePa = data.PhysicalAddress(line);
                if (linePa >= pa + (uint)length || pa >= linePa + (uint)data.LineBytes) continue;
                if (!write && data.IsDirty(line))
                    Report(CoherenceHazard.DmaReadOfDirtyLine, _caches.LastWriter(line) ?? _pc(), data.IndexAddress(line), linePa,
                        "a bus master read a line that is dirty in the D-cache (clean it before the transfer)");
                else if (write)
                    Report(CoherenceHazard.DmaWriteUnderCachedLine, _pc(), data.IndexAddress(line), linePa,
                        "a bus master wrote under a line held in the D-cache (invalidate it before reading the new data)");
            }
        }
        if (write && _caches.InstructionCache is { } code)
        {
            for (int line = 0; line < code.LineCount; line++)
            {
                if (!code.IsValid(line)) continue;
                uint linePa = code.PhysicalAddress(line);
                if (linePa < pa + (uint)length && pa < linePa + (uint)code.LineBytes)
                    Report(CoherenceHazard.DmaWriteUnderCachedLine, _pc(), code.IndexAddress(line), linePa,
                        "a bus master wrote under a line held in the I-cache (invalidate it before running the new code)");
            }
        }
        if (!write && _caches.WriteBuffer.Covers(pa, length))
            Report(CoherenceHazard.DmaReadOfBufferedWrite, _pc(), pa, pa,
                "a bus master read an address with a store still in the write buffer (drain it before the transfer)");
    }

    /// <summary>An I-cache hit or fill returned <paramref name="fetched"/>; the D-side view of the same bytes says otherwise?</summary>
    internal void OnFetch(uint va, uint pa, int size, uint fetched)
    {
        Span<byte> now = stackalloc byte[4];
        if (!_caches.Peek(va, pa, now[..size])) return;
        uint current = size == 4 ? BitConverter.ToUInt32(now) : BitConverter.ToUInt16(now);
        if (current != fetched)
            Report(CoherenceHazard.StaleInstructionFetch, va, va, pa,
                $"fetched 0x{fetched.ToString(size == 4 ? "x8" : "x4")} but memory now holds 0x{current.ToString(size == 4 ? "x8" : "x4")} (clean D, drain, invalidate I: __clear_cache)");
    }

    /// <summary>A store went into <paramref name="line"/>: does another cached alias of the same physical line now disagree?</summary>
    internal void OnDataWrite(Cache cache, int line)
    {
        uint pa = cache.PhysicalAddress(line);
        var mine = cache.Data(line);
        for (int other = 0; other < cache.LineCount; other++)
        {
            if (other == line || !cache.IsValid(other) || cache.PhysicalAddress(other) != pa) continue;
            if (!mine.SequenceEqual(cache.Data(other)))
                Report(CoherenceHazard.DivergentAliases, _pc(), cache.IndexAddress(line), pa,
                    $"cached aliases 0x{cache.IndexAddress(line):x8} and 0x{cache.IndexAddress(other):x8} of one physical line now differ");
        }
    }

    private void Report(CoherenceHazard hazard, uint pc, uint va, uint pa, string message)
    {
        if (!_seen.Add((hazard, pa & ~31u))) return;
        var report = new CoherenceReport(hazard, pc, va, pa, _count(), message);
        _reports.Add(report);
        _output?.WriteLine($"armemu: coherence: {hazard} at pc 0x{pc:x8} (instruction {report.Instruction}): va 0x{va:x8}, pa 0x{pa:x8}: {message}");
    }
}
