using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace ArmEmu.Memory.Caches;

/// <summary>
/// One set-associative cache holding real copies of memory: staleness is the point.
///
/// Notes (modelling choices):
/// - Each line keeps its index address (the VA for VIVT/VIPT, the PA for PIPT), its tag
///   address (VA for VIVT, PA otherwise), the physical address it was filled from (so a
///   write-back needs no translation, as the ARM926 D-cache keeps a physical tag), a valid
///   bit and two dirty bits, one per half line (the ARM926 has two: TRM 4.1). With
///   <see cref="DirtyGranularity.Line"/> (Cortex-A9, PL310) a store marks both, so the whole
///   line is written back.
/// - Which addresses index and tag a line is <see cref="Indexing"/>'s business (one place).
/// - Round-robin and random replacement ignore validity, as the ARM926's victim counter
///   does; LRU prefers an invalid way, then the least recently used one.
/// - The round-robin counter is one per cache and steps on every fill.
/// - Ways whose bit is set in <see cref="LockdownMask"/> are never chosen as victims
///   (lockdown format C, ARM926 TRM 2.3.9); they still hit and can still be invalidated.
/// - The cache itself never touches memory: its owner fills lines and writes back what
///   <see cref="Clean"/> or an eviction hands it.
/// - Each line also has a key, its tag address with bit 0 set while it is valid (0 when not):
///   what a remembered hit compares (<see cref="KeyAt"/>), one load for "still the same line".
///   The keys, the states and the data live on the pinned heap, so translated code reads and
///   writes them through pointers the memory port remembers (<see cref="MemoryPort"/>'s
///   remembered lines), without a call.
/// </summary>
public sealed unsafe class Cache
{
    private const byte Valid = 1, DirtyLow = 2, DirtyHigh = 4, Dirty = DirtyLow | DirtyHigh;

    private readonly uint[] _index;     // line-aligned index address
    private readonly uint[] _tag;       // line-aligned tag address
    private readonly uint[] _physical;  // line-aligned physical address
    private readonly byte[] _state;     // pinned
    private readonly byte[] _data;      // pinned
    private readonly uint[] _key;       // pinned: _tag | Valid while valid, else 0
    private readonly ulong[] _lastUse;  // LRU timestamps
    private readonly int _lineShift, _setMask, _wayShift;
    private ulong _useClock;
    private int _roundRobin;
    private ulong _random;

    internal Cache(CacheConfig config, string name)
    {
        Config = config.Validated();
        Name = name;
        Sets = config.Sets;
        Ways = config.Ways;
        LineBytes = config.LineBytes;
        _lineShift = BitOperations.Log2((uint)LineBytes);
        _setMask = Sets - 1;
        _wayShift = 32 - BitOperations.Log2((uint)Ways);
        int lines = Sets * Ways;
        _index = new uint[lines];
        _tag = new uint[lines];
        _physical = new uint[lines];
        _state = GC.AllocateArray<byte>(lines, pinned: true);
        _key = GC.AllocateArray<uint>(lines, pinned: true);
        _lastUse = new ulong[lines];
        _data = GC.AllocateArray<byte>(lines * LineBytes, pinned: true);
        _random = config.Seed == 0 ? 0x9E37_79B9_7F4A_7C15UL : config.Seed;
        Indexing = LineIndexing.For(config.Indexing);
        _wholeLineDirty = config.Dirty == DirtyGranularity.Line;
    }

    private readonly bool _wholeLineDirty;

    /// <summary>How this cache computes index and tag addresses.</summary>
    internal LineIndexing Indexing { get; }

    /// <summary>The index and tag addresses of an access at <paramref name="mva"/> / <paramref name="pa"/> (<see cref="LineIndexing.Keys"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public (uint Index, uint Tag) Keys(uint mva, uint pa) => Indexing.Keys(mva, pa);

    /// <summary>The line of <paramref name="way"/> in <paramref name="set"/>.</summary>
    public int LineAt(int set, int way) => set * Ways + way;

    /// <summary>The geometry and policies this cache was built with.</summary>
    public CacheConfig Config { get; }

    /// <summary>
    /// SCTLR.RR (bit 14) as the owner applies it: set, replacement is round-robin whatever
    /// the configuration says; clear, the configured policy (pseudo-random on the ARM926).
    /// ARM926EJ-S TRM, c1 control register: "RR bit: replacement strategy for ICache and DCache".
    /// </summary>
    public bool RoundRobinSelected { get; set; }

    /// <summary>The cache's name in reports and events ("I-cache", "D-cache", "L2").</summary>
    public string Name { get; }

    /// <summary>Number of sets.</summary>
    public int Sets { get; }

    /// <summary>Number of ways (lines per set).</summary>
    public int Ways { get; }

    /// <summary>Bytes per line.</summary>
    public int LineBytes { get; }

    internal uint LineMask => (uint)LineBytes - 1;

    /// <summary>What the cache has counted since it was built or its counters were reset.</summary>
    public CacheCounters Counters { get; } = new();

    /// <summary>Ways excluded from replacement (bit i locks way i).</summary>
    public uint LockdownMask { get; set; }

    /// <summary>Called when a valid line stops being valid (eviction or invalidation) with its index and tag addresses.</summary>
    public Action<uint, uint>? LineRemoved { get; set; }

    /// <summary>1 for an L1 cache, 2 for the outer cache (reported in <see cref="CacheEvent"/>s).</summary>
    public int Level { get; init; } = 1;

    /// <summary>
    /// Told of misses, fills, evictions, write-backs and invalidations while set (the embedding
    /// API's cache hooks); null otherwise, so the model pays one null check on its miss path.
    /// </summary>
    public Action<CacheEvent>? Events { get; set; }

    /// <summary>Reports a miss of an access at <paramref name="address"/> that indexes with <paramref name="indexAddress"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void ReportMiss(uint indexAddress, uint address, bool write)
    {
        if (Events is not null) Report(CacheEventKind.Miss, SetOf(indexAddress), -1, address, write, false);
    }

    /// <summary>
    /// Tells <see cref="Events"/> of one thing (its callers check that someone listens): the event is
    /// built here, out of line, because an event struct (it holds a reference) inlined into the miss
    /// path has the JIT zero it in the prologue of every miss, listened to or not.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Report(CacheEventKind kind, int set, int way, uint address, bool write, bool maintenance) =>
        Events?.Invoke(new CacheEvent(kind, this, set, way, address, write, maintenance));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal int SetOf(uint indexAddress) => (int)(indexAddress >> _lineShift) & _setMask;

    /// <summary>The line holding <paramref name="tagAddress"/> in the set of <paramref name="indexAddress"/>, or -1. Changes nothing.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Find(uint indexAddress, uint tagAddress)
    {
        int first = SetOf(indexAddress) * Ways;
        uint key = (tagAddress & ~LineMask) | Valid;
        for (int line = first; line < first + Ways; line++)
            if (_key[line] == key) return line;
        return -1;
    }

    internal bool IsValid(int line) => (_state[line] & Valid) != 0;

    /// <summary>The line is valid and holds the line-aligned tag address <paramref name="tag"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal bool Holds(int line, uint tag) => _key[line] == (tag | Valid);

    /// <summary>The key of <paramref name="line"/> (pinned): its tag address | 1 while valid, 0 otherwise.</summary>
    internal uint* KeyAt(int line) => (uint*)Unsafe.AsPointer(ref _key[line]);

    /// <summary>The state byte of <paramref name="line"/> (pinned): valid bit 0, dirty bits 1 (low half) and 2 (high half).</summary>
    internal byte* StateAt(int line) => (byte*)Unsafe.AsPointer(ref _state[line]);

    /// <summary>The first data byte of <paramref name="line"/> (pinned).</summary>
    internal byte* DataAt(int line) => (byte*)Unsafe.AsPointer(ref _data[line * LineBytes]);

    /// <summary>
    /// What <see cref="MarkDirty"/> sets for an access of at most four aligned bytes at
    /// <c>offset</c>: <c>DirtyBits &lt;&lt; ((offset &gt;&gt; DirtyHalfShift) &amp; 1)</c> (the half it lies in,
    /// or both halves for a cache with one dirty bit a line), for code that marks a line inline.
    /// </summary>
    internal (byte DirtyBits, int DirtyHalfShift) InlineDirty =>
        _wholeLineDirty ? (Dirty, 31) : (DirtyLow, BitOperations.Log2((uint)LineBytes >> 1));

    internal bool IsDirty(int line) => (_state[line] & Dirty) != 0;

    /// <summary>Dirty halves of a line: bit 0 the low half, bit 1 the high half.</summary>
    public int DirtyHalves(int line) => (_state[line] & Dirty) >> 1;

    internal uint IndexAddress(int line) => _index[line];

    internal uint TagAddress(int line) => _tag[line];

    internal uint PhysicalAddress(int line) => _physical[line];

    internal int SetOfLine(int line) => line / Ways;

    internal int WayOfLine(int line) => line % Ways;

    internal Span<byte> Data(int line) => _data.AsSpan(line * LineBytes, LineBytes);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal ref byte DataRef(int line, uint offset) => ref _data[line * LineBytes + (int)offset];

    /// <summary>Records a use of <paramref name="line"/> for LRU.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Touch(int line)
    {
        if (Config.Replacement == ReplacementPolicy.Lru) _lastUse[line] = ++_useClock;
    }

    /// <summary>
    /// The line a fill for <paramref name="indexAddress"/> replaces, or -1 when every way
    /// of the set is locked down. The caller writes it back if it is dirty, then fills it.
    /// </summary>
    public int ChooseVictim(uint indexAddress)
    {
        int first = SetOf(indexAddress) * Ways;
        ulong unlocked = ~(ulong)LockdownMask & (Ways == 64 ? ulong.MaxValue : (1UL << Ways) - 1);
        if (unlocked == 0) return -1;
        switch (RoundRobinSelected ? ReplacementPolicy.RoundRobin : Config.Replacement)
        {
            case ReplacementPolicy.Lru:
            {
                int best = -1;
                for (int way = 0; way < Ways; way++)
                {
                    if ((unlocked >> way & 1) == 0) continue;
                    int line = first + way;
                    if ((_state[line] & Valid) == 0) return line;
                    if (best < 0 || _lastUse[line] < _lastUse[best]) best = line;
                }
                return best;
            }
            case ReplacementPolicy.RoundRobin:
                for (int i = 0; i < Ways; i++)
                {
                    int way = _roundRobin;
                    _roundRobin = (_roundRobin + 1) % Ways;
                    if ((unlocked >> way & 1) != 0) return first + way;
                }
                return -1;
            default:
                while (true)
                {
                    // xorshift64*: a fixed sequence per seed, so runs repeat exactly.
                    _random ^= _random >> 12;
                    _random ^= _random << 25;
                    _random ^= _random >> 27;
                    int way = (int)((_random * 0x2545_F491_4F6C_DD1DUL) >> 40) & (Ways - 1);
                    if ((unlocked >> way & 1) != 0) return first + way;
                }
        }
    }

    /// <summary>Makes <paramref name="line"/> hold <paramref name="data"/> for the given addresses, clean.</summary>
    public void Fill(int line, uint indexAddress, uint tagAddress, uint physicalAddress, ReadOnlySpan<byte> data)
    {
        if (data.Length != LineBytes) throw new ArgumentException($"{Name}: a fill of {data.Length} bytes into a line of {LineBytes}");
        fixed (byte* source = data) Fill(line, indexAddress, tagAddress, physicalAddress, source);
    }

    /// <summary>
    /// As <see cref="Fill(int, uint, uint, uint, ReadOnlySpan{byte})"/> from <see cref="LineBytes"/> bytes at
    /// <paramref name="source"/> (the line in RAM, for a fill from the write buffer's level): one copy into
    /// the line, no buffer between.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void Fill(int line, uint indexAddress, uint tagAddress, uint physicalAddress, byte* source)
    {
        if ((_state[line] & Valid) != 0)
        {
            Counters.Evictions++;
            if (Events is not null) Report(CacheEventKind.Eviction, SetOfLine(line), WayOfLine(line), _physical[line], false, false);
            LineRemoved?.Invoke(_index[line], _tag[line]);
        }
        _index[line] = indexAddress & ~LineMask;
        _tag[line] = tagAddress & ~LineMask;
        _physical[line] = physicalAddress & ~LineMask;
        _state[line] = Valid;
        _key[line] = _tag[line] | Valid;
        SmallCopy.Copy(ref _data[line * LineBytes], ref *source, LineBytes);
        Counters.LineFills++;
        Touch(line);
        if (Events is not null) Report(CacheEventKind.Fill, SetOfLine(line), WayOfLine(line), _physical[line], false, false);
    }

    /// <summary>Marks the half lines covering [offset, offset + size) dirty (the whole line with one dirty bit per line).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void MarkDirty(int line, uint offset, int size)
    {
        if (_wholeLineDirty)
        {
            _state[line] |= Dirty;
            return;
        }
        uint half = (uint)LineBytes >> 1;
        byte bits = 0;
        if (offset < half) bits |= DirtyLow;
        if (offset + (uint)size > half) bits |= DirtyHigh;
        _state[line] |= bits;
    }

    /// <summary>
    /// Marks a line clean and returns which halves were dirty (bit 0 low, bit 1 high): the caller
    /// writes those back. <paramref name="eviction"/>: the line is being replaced (not maintained).
    /// </summary>
    public int Clean(int line, bool eviction = false)
    {
        int halves = DirtyHalves(line);
        _state[line] &= unchecked((byte)~Dirty);
        if (halves != 0)
            if (Events is not null) Report(CacheEventKind.WriteBack, SetOfLine(line), WayOfLine(line), _physical[line], false, !eviction);
        return halves;
    }

    /// <summary>Drops a line without writing anything back.</summary>
    public void Invalidate(int line)
    {
        if ((_state[line] & Valid) == 0) return;
        _state[line] = 0;
        _key[line] = 0;
        if (Events is not null) Report(CacheEventKind.Invalidate, SetOfLine(line), WayOfLine(line), _physical[line], false, true);
        LineRemoved?.Invoke(_index[line], _tag[line]);
    }

    /// <summary>
    /// The line a set/way operand names (ARM926 TRM 2.3.8 / ARM ARM B6.6.5): the way in the
    /// top log2(ways) bits, the set in the bits just above the line offset.
    /// </summary>
    public int LineFromSetWay(uint setWay)
    {
        int way = Ways == 1 ? 0 : (int)(setWay >> _wayShift);
        int set = (int)(setWay >> _lineShift) & _setMask;
        return set * Ways + way;
    }

    internal int LineCount => Sets * Ways;

    /// <summary>A copy of every line, its state and the replacement state (an embedder's context save).</summary>
    internal CacheState SaveState() =>
        new(Config, (uint[])_index.Clone(), (uint[])_tag.Clone(), (uint[])_physical.Clone(), (byte[])_state.Clone(),
            (byte[])_data.Clone(), (ulong[])_lastUse.Clone(), _useClock, _roundRobin, _random);

    /// <summary>
    /// Puts back what <see cref="SaveState"/> copied (same geometry only). Nothing is reported to
    /// <see cref="LineRemoved"/>: whoever follows lines (decoded code) must start afresh.
    /// </summary>
    internal void RestoreState(CacheState state)
    {
        if (state.Config != Config) throw new ArgumentException($"{Name}: the saved state is of another geometry");
        state.Index.CopyTo(_index, 0);
        state.Tag.CopyTo(_tag, 0);
        state.Physical.CopyTo(_physical, 0);
        state.State.CopyTo(_state, 0);
        state.Data.CopyTo(_data, 0);
        state.LastUse.CopyTo(_lastUse, 0);
        for (int line = 0; line < _key.Length; line++) _key[line] = (_state[line] & Valid) != 0 ? _tag[line] | Valid : 0;
        (_useClock, _roundRobin, _random) = (state.UseClock, state.RoundRobin, state.Random);
    }
}

/// <summary>The saved lines of a <see cref="Cache"/> (<see cref="Cache.SaveState"/>); opaque to others.</summary>
internal sealed record CacheState(CacheConfig Config, uint[] Index, uint[] Tag, uint[] Physical, byte[] State, byte[] Data,
                                ulong[] LastUse, ulong UseClock, int RoundRobin, ulong Random);
