using ArmEmu.Memory.Caches;

namespace ArmEmu.Emulator.Profiling;

/// <summary>
/// The cache events of a profile (<c>--profile</c> with the cache model on): I-cache misses
/// (I1mr), D-cache read misses (D1mr), write misses (D1mw) and write-backs (D1wb), and the
/// D-cache lookups behind the miss rates, data reads (Dr) and writes (Dw), each
/// charged to the instruction executing when it happened (<see cref="Cpu.Cpu.CurrentInstructionAddress"/>):
/// a miss to the instruction whose fetch, load or store missed; the write-back of an evicted
/// dirty line to the instruction whose miss evicted it; the write-back of a CP15 c7 clean to
/// the MCR (or, for test-and-clean, the MRC); what the Linux kernel does on a system call's
/// behalf to the SVC. The event names and meanings are those of cachegrind/callgrind
/// (valgrind docs/html/cg-manual.html), so callgrind_annotate shows familiar columns.
/// </summary>
/// <remarks>
/// Dr and Dw count every access that looks up the D-cache (cacheable data; uncached and device
/// accesses are not D1 accesses), so their totals are the D-cache's read and write counters
/// (<c>--stats</c>). To see the hits the memory port would otherwise serve on its own fast path,
/// <see cref="ProfilingSession"/> attaches a memory observer, which sends every access through
/// the cache system: a profiled run with the cache model is slower than one without.
/// </remarks>
internal sealed class CacheProfile : ICacheObserver
{
    public const int InstructionReadMisses = 0, DataReadMisses = 1, DataWriteMisses = 2, WriteBacks = 3, DataReads = 4, DataWrites = 5,
        LastLevelInstructionReadMisses = 6, LastLevelDataReadMisses = 7, LastLevelDataWriteMisses = 8;

    /// <summary>How many events there are (the indices above).</summary>
    public const int Count = 9;

    private static readonly (string Name, string Description)[] Names =
    [
        ("I1mr", "I1 cache read misses (instruction fetches)"),
        ("D1mr", "D1 cache read misses"),
        ("D1mw", "D1 cache write misses"),
        ("D1wb", "D1 cache write-backs (dirty lines evicted or cleaned)"),
        ("Dr", "Data reads (D1 cache lookups)"),
        ("Dw", "Data writes (D1 cache lookups)"),
        ("ILmr", "LL cache instruction read misses (the L2 when it is on, else the I1 cache)"),
        ("DLmr", "LL cache data read misses (the L2 when it is on, else the D1 cache)"),
        ("DLmw", "LL cache data write misses (the L2 when it is on, else the D1 cache)"),
    ];

    private readonly Cpu.Cpu _cpu;
    private readonly ulong[] _running;
    private readonly int _firstIndex;
    // Per code page (address bits 31:12): Count counters per halfword address (bits 11:1).
    private readonly Dictionary<uint, ulong[]> _pages = [];
    private uint _vpn = uint.MaxValue;
    private ulong[] _page = [];

    /// <param name="cpu">Whose current instruction is charged.</param>
    /// <param name="running">The profile's running event counts (<see cref="Cpu.ExecutionProfile.Events"/>), incremented alongside, so calls get inclusive costs.</param>
    /// <param name="firstIndex">Where this profile's <see cref="Count"/> events start in <paramref name="running"/>.</param>
    public CacheProfile(Cpu.Cpu cpu, ulong[] running, int firstIndex = 0)
    {
        if (firstIndex < 0 || firstIndex + Count > running.Length) throw new ArgumentOutOfRangeException(nameof(firstIndex));
        _cpu = cpu;
        _running = running;
        _firstIndex = firstIndex;
        Sources = Enumerable.Range(0, Count).Select(e => (IProfileEventSource)new Source(this, e)).ToArray();
    }

    /// <summary>One event source per event, in the order above, for <see cref="ProfileReport"/>.</summary>
    public IReadOnlyList<IProfileEventSource> Sources { get; }

    /// <summary>The count of event <paramref name="e"/> charged to the instruction at <paramref name="address"/>.</summary>
    public ulong CostAt(uint address, int e) =>
        _pages.TryGetValue(address >> 12, out var page) ? page[Slot(address) + e] : 0;

    /// <summary>Total of event <paramref name="e"/> over every instruction.</summary>
    public ulong Total(int e) => _running[_firstIndex + e];

    /// <summary>The instructions charged with any event (not necessarily executed: an aborted load's miss counts).</summary>
    public IEnumerable<uint> Addresses()
    {
        foreach (var (vpn, page) in _pages)
            for (int slot = 0; slot < 2048; slot++)
            {
                if (page.AsSpan(slot * Count, Count).ContainsAnyExcept(0ul))
                    yield return (vpn << 12) | ((uint)slot << 1);
            }
    }

    public void OnFetch(uint va, bool hit)
    {
        if (!hit) Charge(InstructionReadMisses);
    }

    public void OnDataRead(uint va, bool hit)
    {
        Charge(DataReads);
        if (!hit) Charge(DataReadMisses);
    }

    public void OnDataWrite(uint va, bool hit)
    {
        Charge(DataWrites);
        if (!hit) Charge(DataWriteMisses);
    }

    public void OnWriteBack(uint pa) => Charge(WriteBacks);

    public void OnLastLevelMiss(uint va, bool instruction, bool write) =>
        Charge(instruction ? LastLevelInstructionReadMisses : write ? LastLevelDataWriteMisses : LastLevelDataReadMisses);

    private void Charge(int e)
    {
        uint pc = _cpu.CurrentInstructionAddress;
        if (pc >> 12 != _vpn)
        {
            if (!_pages.TryGetValue(pc >> 12, out var page)) _pages[pc >> 12] = page = new ulong[2048 * Count];
            _page = page;
            _vpn = pc >> 12;
        }
        _page[Slot(pc) + e]++;
        _running[_firstIndex + e]++;
    }

    private static int Slot(uint address) => (int)((address >> 1) & 2047) * Count;

    private sealed class Source(CacheProfile profile, int e) : IProfileEventSource
    {
        public string Name => Names[e].Name;

        public string Description => Names[e].Description;

        public int EventIndex => profile._firstIndex + e;

        public ulong CostAt(uint address) => profile.CostAt(address, e);

        public IEnumerable<uint> Addresses() => profile.Addresses();
    }
}
