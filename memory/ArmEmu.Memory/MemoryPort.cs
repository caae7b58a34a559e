using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace ArmEmu.Memory;

/// <summary>
/// The CPU's only way to memory: fetch, read and write by virtual address at
/// the current privilege.
///
/// Fast path: per privilege level, a table from virtual page to host page
/// pointer for each of read, write and fetch. A hit is one load and one
/// branch. An entry is filled by the slow path only when the page translated
/// without fault, the translation holds for the whole 4 KiB page, the page is
/// RAM, and nothing needs to see the access (no observer; later: no cache model
/// in front of the page). Entries are dropped whenever
/// the translator or the bus says earlier answers may be stale.
///
/// Slow path: translate (faults throw <see cref="MemoryFault"/>), tell the
/// observer, access the bus.
/// </summary>
// No zeroed locals: the miss path's methods (ThroughCaches with the model's Read inlined) spent
// a 64-byte store of zeros in every prologue, 7% of chase's samples; nothing here reads a local
// before writing it (C# sees to that; there is no stackalloc).
[SkipLocalsInit]
internal sealed unsafe class MemoryPort : IDisposable
{
    private const int PageCount = 1 << (32 - PhysicalBus.PageBits);
    private const int LogCapacity = 8192;

    private readonly FastTables _privileged = new();
    private readonly FastTables _user = new();
    private FastTables _current;
    private IAddressTranslator _translator;
    private IMemoryObserver? _observer;
    private bool _privilegedMode = true;

    public MemoryPort(PhysicalBus bus, IAddressTranslator translator)
    {
        Bus = bus;
        _translator = translator;
        _current = _privileged;
        _hitPath = (DataHitPath*)NativeMemory.AllocZeroed((nuint)sizeof(DataHitPath));
        _hitPath->LineShift = 5;
        _hitPath->LineMask = ~31u;
        PointHitPathAtCurrent();
        bus.LayoutChanged += FlushFastPath;
        bus.CodePageWatched += FlushFastPath;
        translator.TranslationsChanged += FlushFastPath;
    }

    public PhysicalBus Bus { get; }

    /// <summary>Raised after the fast path was emptied: callers holding page pointers (the CPU's fetch page) must drop them.</summary>
    public event Action? FastPathFlushed;

    public IAddressTranslator Translator
    {
        get => _translator;
        set
        {
            _translator.TranslationsChanged -= FlushFastPath;
            _translator = value;
            _translator.TranslationsChanged += FlushFastPath;
            FlushFastPath();
        }
    }

    /// <summary>Privilege of ordinary accesses; the CPU sets it on every mode change.</summary>
    public bool Privileged
    {
        get => _privilegedMode;
        set
        {
            _privilegedMode = value;
            _current = value ? _privileged : _user;
            PointHitPathAtCurrent();
        }
    }

    private void PointHitPathAtCurrent()
    {
        _hitPath->ReadLines = _current.ReadLines.Entries;
        _hitPath->WriteLines = _current.WriteLines.Entries;
    }

    /// <summary>
    /// The caches and write buffer (null: the cache model is off and memory is always coherent,
    /// as in QEMU). Pages the cache system is involved in never go on the fast path.
    /// </summary>
    public Caches.CacheSystem? Caches
    {
        get => _caches;
        set
        {
            if (_caches?.InstructionCache is { } old) old.LineRemoved = null;
            if (_caches is not null) _caches.MonitorChanged -= FlushFastPath;
            _caches = value;
            // A coherence monitor must see every access: drop what the fast path remembered.
            if (value is not null) value.MonitorChanged += FlushFastPath;
            _hitsByLine = value?.HitsByLine ?? false;
            if (_countersPin.IsAllocated) _countersPin.Free();
            if (value?.DataCache is { } data)
            {
                _hitPath->LineShift = System.Numerics.BitOperations.Log2((uint)data.LineBytes);
                _hitPath->LineMask = ~(uint)(data.LineBytes - 1);
                (byte bits, _hitPath->DirtyHalfShift) = data.InlineDirty;
                _hitPath->DirtyBits = bits;
                // Translated code counts inline hits through pointers: the counters stay put while
                // this port uses them (freed when the model is replaced or the port disposed).
                var counters = data.Counters;
                _countersPin = GCHandle.Alloc(counters, GCHandleType.Pinned);
                _hitPath->Reads = (ulong*)Unsafe.AsPointer(ref counters.Reads);
                _hitPath->ReadHits = (ulong*)Unsafe.AsPointer(ref counters.ReadHits);
                _hitPath->Writes = (ulong*)Unsafe.AsPointer(ref counters.Writes);
                _hitPath->WriteHits = (ulong*)Unsafe.AsPointer(ref counters.WriteHits);
            }
            if (value?.InstructionCache is { } code)
            {
                // The I-cache is indexed by MVA; with an FCSE PID, VAs below 32 MiB are the MVA less the PID.
                code.LineRemoved = (index, _) =>
                {
                    RemoveInstructionLine(index, code.LineBytes);
                    if (index >= 1u << 25 && value.FromModifiedVirtual(index) is uint va && va != index)
                        RemoveInstructionLine(va, code.LineBytes);
                };
            }
            FlushFastPath();
        }
    }

    /// <summary>An I-cache line (virtual address, length) stopped being valid: the CPU drops what it decoded from it.</summary>
    /// <remarks>
    /// The handlers are kept in an array and called one by one, not as a multicast delegate:
    /// invoking a delegate with two targets (the code store's and the translator's) runs a stub
    /// the JIT compiles, at every start-up with the I-cache modelled.
    /// </remarks>
    public event Action<uint, int>? InstructionLineRemoved
    {
        add
        {
            if (value is null) return;
            var handlers = new Action<uint, int>[_instructionLineRemoved.Length + 1];
            Array.Copy(_instructionLineRemoved, handlers, _instructionLineRemoved.Length);
            handlers[^1] = value;
            _instructionLineRemoved = handlers;
        }
        remove
        {
            int i = Array.IndexOf(_instructionLineRemoved, value);
            if (i < 0) return;
            var handlers = new Action<uint, int>[_instructionLineRemoved.Length - 1];
            Array.Copy(_instructionLineRemoved, handlers, i);
            Array.Copy(_instructionLineRemoved, i + 1, handlers, i, handlers.Length - i);
            _instructionLineRemoved = handlers;
        }
    }

    private Action<uint, int>[] _instructionLineRemoved = [];

    private void RemoveInstructionLine(uint va, int length)
    {
        foreach (var handler in _instructionLineRemoved) handler(va, length);
    }

    /// <summary>Counts an instruction fetch the CPU served from a decoded I-cache line without asking (a hit).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void CountInstructionCacheHit()
    {
        var counters = _caches!.InstructionCache!.Counters;
        counters.Reads++;
        counters.ReadHits++;
    }

    /// <summary>Counts <paramref name="count"/> instruction fetches served from decoded I-cache lines (a translated block's instructions).</summary>
    public void CountInstructionCacheHits(ulong count)
    {
        var counters = _caches!.InstructionCache!.Counters;
        counters.Reads += count;
        counters.ReadHits += count;
    }

    private Caches.CacheSystem? _caches;

    /// <summary>An observer of every access; attaching or detaching one empties the fast path.</summary>
    public IMemoryObserver? Observer
    {
        get => _observer;
        set
        {
            _observer = value;
            FlushFastPath();
        }
    }

    private AccessKind Level => _privilegedMode ? AccessKind.Privileged : 0;

    /// <summary>
    /// The read fast path at the current privilege, for translated code that inlines it: the
    /// host address of each virtual page's RAM, indexed by virtual page number, 0 where an access
    /// must take the slow path (<see cref="Read32"/> and the others do the same look-up).
    /// </summary>
    public nint* ReadTable
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => _current.Read;
    }

    /// <summary>The write fast path at the current privilege (see <see cref="ReadTable"/>); watched code pages are never in it.</summary>
    public nint* WriteTable
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => _current.Write;
    }

    // ---- data accesses at the current privilege --------------------------------------------

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public uint Read32(uint va)
    {
        nint page = _current.Read[va >> PhysicalBus.PageBits];
        if (page != 0 && (va & PhysicalBus.PageMask) <= PhysicalBus.PageSize - 4)
            return Unsafe.ReadUnaligned<uint>((byte*)page + (va & PhysicalBus.PageMask));
        return Slow(va, 4, AccessKind.Read | Level, 0);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public uint Read16(uint va)
    {
        nint page = _current.Read[va >> PhysicalBus.PageBits];
        if (page != 0 && (va & PhysicalBus.PageMask) <= PhysicalBus.PageSize - 2)
            return Unsafe.ReadUnaligned<ushort>((byte*)page + (va & PhysicalBus.PageMask));
        return Slow(va, 2, AccessKind.Read | Level, 0);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public uint Read8(uint va)
    {
        nint page = _current.Read[va >> PhysicalBus.PageBits];
        if (page != 0) return ((byte*)page)[va & PhysicalBus.PageMask];
        return Slow(va, 1, AccessKind.Read | Level, 0);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Write32(uint va, uint value)
    {
        nint page = _current.Write[va >> PhysicalBus.PageBits];
        if (page != 0 && (va & PhysicalBus.PageMask) <= PhysicalBus.PageSize - 4)
            Unsafe.WriteUnaligned((byte*)page + (va & PhysicalBus.PageMask), value);
        else
            Slow(va, 4, AccessKind.Write | Level, value);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Write16(uint va, uint value)
    {
        nint page = _current.Write[va >> PhysicalBus.PageBits];
        if (page != 0 && (va & PhysicalBus.PageMask) <= PhysicalBus.PageSize - 2)
            Unsafe.WriteUnaligned((byte*)page + (va & PhysicalBus.PageMask), (ushort)value);
        else
            Slow(va, 2, AccessKind.Write | Level, value);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Write8(uint va, uint value)
    {
        nint page = _current.Write[va >> PhysicalBus.PageBits];
        if (page != 0) ((byte*)page)[va & PhysicalBus.PageMask] = (byte)value;
        else Slow(va, 1, AccessKind.Write | Level, value);
    }

    // ---- D-cache hits for translated code ----------------------------------------------------

    /// <summary>
    /// The D-cache hit path of an aligned read at the current privilege: what <see cref="Slow"/>
    /// does first with the cache model on (a page remembered as cacheable, <c>CachedRead</c>, and
    /// a hit in the line: counted, LRU order updated), and nothing else. False when it is not such
    /// a hit: then nothing has changed, and the access takes the ordinary path
    /// (<see cref="Read32"/>, <see cref="Read8"/>).
    /// </summary>
    /// <remarks>
    /// A hit's line is remembered, by virtual line, in a direct-mapped table per privilege
    /// (<see cref="RememberedLines"/>, emptied with the rest of the fast path: a remap, a
    /// permission or privilege change, an FCSE PID, SCTLR.C, a monitor), as is the line a miss on
    /// such a page fills (<see cref="RememberedPageMiss"/>). The next access to the same virtual
    /// line checks only that the cache line's key is unchanged (valid, not refilled with another)
    /// and is a hit without the set look-up -- the check translated code makes inline
    /// (<see cref="HitPath"/>), taking the slow path when it fails. Not with an LRU D-cache, whose
    /// hits also reorder (<see cref="Caches.CacheSystem.HitsByLine"/>).
    /// </remarks>
    public bool TryReadHit(uint va, int size, out uint value)
    {
        value = 0;
        if (_caches is not { } caches) return false;
        nint tag = _current.CachedRead[va >> PhysicalBus.PageBits];
        if (tag == 0) return false;
        return ReadHitOnRememberedPage(caches, _current, va, tag, size, out value);
    }

    /// <summary>
    /// The D-cache hit path of an aligned write at the current privilege: a write-back line that
    /// holds the address takes the value and is marked dirty (memory is not written, so no code
    /// write is counted). False otherwise, with nothing changed. Lines are remembered as for reads
    /// (<see cref="DataHitPath.WriteLines"/>), only on write-back pages.
    /// </summary>
    public bool TryWriteHit(uint va, int size, uint value)
    {
        if (_caches is not { } caches) return false;
        nint tag = _current.CachedWrite[va >> PhysicalBus.PageBits];
        if (tag == 0) return false;
        return WriteHitOnRememberedPage(caches, _current, va, tag, size, value);
    }

    /// <summary>
    /// A read hit on a page remembered as cacheable (<paramref name="tag"/>, its <c>CachedRead</c>
    /// entry): the remembered line when it still holds the address, else the set looked up and
    /// the line remembered. Counted as the model counts a hit; false, with nothing changed, on a miss.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool ReadHitOnRememberedPage(Caches.CacheSystem caches, FastTables tables, uint va, nint tag, int size, out uint value)
    {
        RememberedLine* remembered = tables.ReadLines.At(va, _hitPath->LineShift);
        if (_hitsByLine && remembered->LineVa == (va & _hitPath->LineMask) && *remembered->KeyAt == remembered->Key)
        {
            byte* at = remembered->Data + (va & ~_hitPath->LineMask);
            value = size == 4 ? *(uint*)at : size == 2 ? *(ushort*)at : *at;
            ++*_hitPath->Reads;
            ++*_hitPath->ReadHits;
            return true;
        }
        int line;
        if (!((tag & PhysicalTag) == 0 ? caches.TryReadHitLocated(va, size, out value, out line, out _)
                                        : caches.TryReadHitPhysicalLocated(PhysicalOf(tag, va), size, out value, out line, out _)))
            return false;
        if (_hitsByLine) Remember(tables.ReadLines, remembered, caches.DataCache!, va, line);
        return true;
    }

    /// <summary>A write hit on a page remembered as cacheable (see <see cref="ReadHitOnRememberedPage"/>): only a write-back line takes it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool WriteHitOnRememberedPage(Caches.CacheSystem caches, FastTables tables, uint va, nint tag, int size, uint value)
    {
        if ((tag & 2) == 0) return false; // write-through: the store goes below too (the full path)
        RememberedLine* remembered = tables.WriteLines.At(va, _hitPath->LineShift);
        if (_hitsByLine && remembered->LineVa == (va & _hitPath->LineMask) && *remembered->KeyAt == remembered->Key)
        {
            uint offset = va & ~_hitPath->LineMask;
            byte* at = remembered->Data + offset;
            if (size == 4) *(uint*)at = value;
            else if (size == 2) *(ushort*)at = (ushort)value;
            else *at = (byte)value;
            // As Cache.MarkDirty: an aligned access of at most four bytes lies in one half.
            *remembered->State |= (byte)(_hitPath->DirtyBits << (int)((offset >> _hitPath->DirtyHalfShift) & 1));
            ++*_hitPath->Writes;
            ++*_hitPath->WriteHits;
            return true;
        }
        int line;
        if (!((tag & PhysicalTag) == 0 ? caches.TryWriteHitLocated(va, size, value, writeBack: true, out line, out _)
                                        : caches.TryWriteHitPhysicalLocated(PhysicalOf(tag, va), size, value, writeBack: true, out line, out _)))
            return false;
        if (_hitsByLine) Remember(tables.WriteLines, remembered, caches.DataCache!, va, line);
        return true;
    }

    /// <summary>Remembers <paramref name="line"/> of <paramref name="cache"/> for <paramref name="va"/>'s virtual line in <paramref name="entry"/> of <paramref name="lines"/>, with its key now.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Remember(RememberedLines lines, RememberedLine* entry, Caches.Cache cache, uint va, int line) =>
        lines.Remember(entry, va & _hitPath->LineMask, cache.KeyAt(line), cache.DataAt(line), cache.StateAt(line));

    /// <summary>
    /// The inline hit path's state (never moves, lives as long as the port): the current
    /// privilege's remembered lines, the D-cache's line geometry, dirty marking and counters.
    /// </summary>
    public DataHitPath* HitPath => _hitPath;

    private readonly DataHitPath* _hitPath;
    private GCHandle _countersPin;

    /// <summary>
    /// Translated LDM's hit path: when every word of the block (<paramref name="count"/> aligned
    /// words from <paramref name="va"/>, in one page) is a D-cache hit, the words are read in
    /// ascending order, each counted as the interpreter's <see cref="Read32"/> counts it, into
    /// <see cref="MultipleScratch"/>; otherwise false with nothing changed (each word is checked
    /// first without side effects: a hit changes no line, so the checks still hold for the reads).
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static bool TryReadHits(MemoryPort port, uint va, int count)
    {
        if (port._caches is null) return false;
        if (port._hitsByLine)
        {
            // By line: each line the words lie in a hit (remembered on the way, which changes
            // nothing in the model), then the words read from the lines' data and counted.
            if (!port.AllHitLines(va, count, write: false)) return false;
            var lines = port._current.ReadLines;
            for (int k = 0; k < count; k++)
            {
                uint a = va + 4 * (uint)k;
                port._multipleScratch[k] = *(uint*)(lines.At(a, port._hitPath->LineShift)->Data + (a & ~port._hitPath->LineMask));
            }
            *port._hitPath->Reads += (ulong)count;
            *port._hitPath->ReadHits += (ulong)count;
            return true;
        }
        for (int k = 0; k < count; k++)
            if (!port.WouldHit(va + 4 * (uint)k, write: false)) return false;
        for (int k = 0; k < count; k++)
        {
            if (!port.TryReadHit(va + 4 * (uint)k, 4, out uint value)) throw new InvalidOperationException("memory port: a checked D-cache hit missed");
            port._multipleScratch[k] = value;
        }
        return true;
    }

    /// <summary>Translated STM's hit path: the words in <see cref="MultipleScratch"/> stored in ascending order when every one is a write-back hit (see <see cref="TryReadHits"/>).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static bool TryWriteHits(MemoryPort port, uint va, int count)
    {
        if (port._caches is null) return false;
        if (port._hitsByLine)
        {
            if (!port.AllHitLines(va, count, write: true)) return false;
            var lines = port._current.WriteLines;
            DataHitPath* hp = port._hitPath;
            for (int k = 0; k < count; k++)
            {
                uint a = va + 4 * (uint)k, offset = a & ~hp->LineMask;
                RememberedLine* line = lines.At(a, hp->LineShift);
                *(uint*)(line->Data + offset) = port._multipleScratch[k];
                *line->State |= (byte)(hp->DirtyBits << (int)((offset >> hp->DirtyHalfShift) & 1));
            }
            *hp->Writes += (ulong)count;
            *hp->WriteHits += (ulong)count;
            return true;
        }
        for (int k = 0; k < count; k++)
            if (!port.WouldHit(va + 4 * (uint)k, write: true)) return false;
        for (int k = 0; k < count; k++)
            if (!port.TryWriteHit(va + 4 * (uint)k, 4, port._multipleScratch[k])) throw new InvalidOperationException("memory port: a checked D-cache hit missed");
        return true;
    }

    /// <summary>
    /// Translated code's aligned little-endian load when its inline D-cache check failed (the CPU
    /// checked the alignment and endianness: <c>Cpu.LoadWordRemembered</c>): on a page remembered
    /// as cacheable for reads (<c>CachedRead</c>) the read is done as <see cref="Slow"/> does it
    /// there -- a hit looked up and remembered, or a miss that goes to the model without
    /// translating again -- without <see cref="Read32"/>'s and <see cref="Slow"/>'s checks before
    /// it; any other page takes <see cref="Slow"/> (which translates, and may fault).
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)] // called from translated blocks: kept out of them
    public uint ReadRemembered(uint va, int size)
    {
        if (_caches is { } caches)
        {
            FastTables tables = _current;
            nint tag = tables.CachedRead[va >> PhysicalBus.PageBits];
            if (tag != 0)
            {
                if (ReadHitOnRememberedPage(caches, tables, va, tag, size, out uint value)) return value;
                return RememberedPageMiss(caches, tables, va, tag, size, AccessKind.Read | Level, 0, knownMiss: true);
            }
        }
        return Slow(va, size, AccessKind.Read | Level, 0);
    }

    /// <summary>Translated code's aligned little-endian store when its inline check failed: as <see cref="ReadRemembered"/>, on a page remembered as cacheable for writes (<c>CachedWrite</c>).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)] // called from translated blocks: kept out of them
    public void WriteRemembered(uint va, int size, uint value)
    {
        if (_caches is { } caches)
        {
            FastTables tables = _current;
            nint tag = tables.CachedWrite[va >> PhysicalBus.PageBits];
            if (tag != 0)
            {
                Bus.NoteCodeWrite(); // as Slow: a write-through hit reaches RAM too
                if (!WriteHitOnRememberedPage(caches, tables, va, tag, size, value))
                    RememberedPageMiss(caches, tables, va, tag, size, AccessKind.Write | Level, value, knownMiss: (tag & 2) != 0);
                return;
            }
        }
        Slow(va, size, AccessKind.Write | Level, value);
    }

    /// <summary>A translated byte load off its inline path: <see cref="ReadRemembered"/>.</summary>
    public uint Read8Remembered(uint va) => ReadRemembered(va, 1);

    /// <summary>A translated byte store off its inline path: <see cref="WriteRemembered"/>.</summary>
    public void Write8Remembered(uint va, uint value) => WriteRemembered(va, 1, value);

    /// <summary>
    /// Translated LDM's miss path, after <see cref="TryReadHits"/> declined: when the block of
    /// <paramref name="count"/> aligned words from <paramref name="va"/> (in one page) lies on a page
    /// remembered as cacheable for reads (<c>CachedRead</c>), each word is read in ascending order
    /// as <see cref="Slow"/> reads it there -- a hit, or a miss that goes to the model without
    /// translating again -- into <see cref="MultipleScratch"/>: what the interpreter's handler does
    /// word by word through <see cref="Read32"/>, in one call instead of a handler call and one
    /// slow path per word. False, with nothing done, when the page is not remembered (the handler
    /// then runs: it translates, and may fault). Nothing here can fault: a remembered page was
    /// translated for this access and is RAM (a remap empties the tables).
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static bool TryReadMultiple(MemoryPort port, uint va, int count)
    {
        if (port._caches is not { } caches) return false;
        FastTables tables = port._current;
        nint tag = tables.CachedRead[va >> PhysicalBus.PageBits];
        if (tag == 0) return false;
        for (int k = 0; k < count; k++)
        {
            uint a = va + 4 * (uint)k;
            port._multipleScratch[k] = port.ReadHitOnRememberedPage(caches, tables, a, tag, 4, out uint hit)
                ? hit
                : port.RememberedPageMiss(caches, tables, a, tag, 4, AccessKind.Read | port.Level, 0, knownMiss: true);
        }
        return true;
    }

    /// <summary>
    /// Translated STM's miss path, after <see cref="TryWriteHits"/> declined: the words in
    /// <see cref="MultipleScratch"/> stored in ascending order as <see cref="Slow"/> stores each on a
    /// page remembered as cacheable for writes (<c>CachedWrite</c>): a write-back hit, or the
    /// model's write path (a miss to the write buffer, a write-through store). False, with nothing
    /// done, when the page is not remembered (see <see cref="TryReadMultiple"/>).
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static bool TryWriteMultiple(MemoryPort port, uint va, int count)
    {
        if (port._caches is not { } caches) return false;
        FastTables tables = port._current;
        nint tag = tables.CachedWrite[va >> PhysicalBus.PageBits];
        if (tag == 0) return false;
        for (int k = 0; k < count; k++)
        {
            uint a = va + 4 * (uint)k, value = port._multipleScratch[k];
            port.Bus.NoteCodeWrite(); // as Slow: a write-through hit reaches RAM too
            if (port.WriteHitOnRememberedPage(caches, tables, a, tag, 4, value)) continue;
            if ((tag & 2) != 0)
            {
                // A write-back page's line was looked up and is not there: unless a store allocates
                // it, this word and the rest of the block in the same line are misses alike, stored
                // below in one call (memcpy's STMs to a line not cached: 8 misses in a call, not 8).
                uint lineRest = (~port._hitPath->LineMask + 1 - (a & ~port._hitPath->LineMask)) / 4;
                int n = Math.Min(count - k, (int)lineRest);
                if (n > 1 && caches.TryWriteMissWords(PhysicalOf(tag, a), port._multipleScratch + k, n, AttributesOf(tag)))
                {
                    // As word by word: Slow's note above and the miss's below (RememberedPageMiss) for each.
                    for (int i = 0; i < 2 * n - 1; i++) port.Bus.NoteCodeWrite();
                    k += n - 1;
                    continue;
                }
            }
            port.RememberedPageMiss(caches, tables, a, tag, 4, AccessKind.Write | port.Level, value, knownMiss: (tag & 2) != 0);
        }
        return true;
    }

    /// <summary>Sixteen words translated LDM/STM read and write through <see cref="TryReadHits"/>/<see cref="TryWriteHits"/>.</summary>
    public nint MultipleScratch => (nint)_multipleScratch;

    private readonly uint* _multipleScratch = (uint*)NativeMemory.AllocZeroed(16, sizeof(uint));

    /// <summary>
    /// Whether every line of <paramref name="count"/> words from <paramref name="va"/> is a hit for
    /// a read (or a write-back write), each remembered (<see cref="RememberedLines"/>) when it is:
    /// afterwards the entry of each word's line holds it. Changes nothing in the model.
    /// </summary>
    private bool AllHitLines(uint va, int count, bool write)
    {
        var lines = write ? _current.WriteLines : _current.ReadLines;
        var cache = _caches!.DataCache!;
        uint mask = _hitPath->LineMask, last = va + 4 * (uint)count - 4;
        for (uint lineVa = va & mask; ; lineVa += ~mask + 1)
        {
            uint at = lineVa < va ? va : lineVa;
            RememberedLine* entry = lines.At(at, _hitPath->LineShift);
            if (entry->LineVa != lineVa || *entry->KeyAt != entry->Key)
            {
                nint tag = (write ? _current.CachedWrite : _current.CachedRead)[at >> PhysicalBus.PageBits];
                if (tag == 0 || (write && (tag & 2) == 0)) return false;
                uint address = (tag & PhysicalTag) == 0 ? _caches.Mva(at) : PhysicalOf(tag, at);
                int line = cache.Find(address, address);
                if (line < 0) return false;
                Remember(lines, entry, cache, at, line);
            }
            if (lineVa == (last & mask)) return true;
        }
    }

    /// <summary>What <see cref="TryReadHit"/> (or <see cref="TryWriteHit"/>) would find at <paramref name="va"/> now: a hit, or not. Changes nothing.</summary>
    private bool WouldHit(uint va, bool write)
    {
        var caches = _caches!;
        RememberedLine* remembered = (write ? _current.WriteLines : _current.ReadLines).At(va, _hitPath->LineShift);
        if (remembered->LineVa == (va & _hitPath->LineMask) && *remembered->KeyAt == remembered->Key) return true;
        nint tag = (write ? _current.CachedWrite : _current.CachedRead)[va >> PhysicalBus.PageBits];
        if (tag == 0 || (write && (tag & 2) == 0)) return false;
        return caches.WouldHit((tag & PhysicalTag) == 0 ? caches.Mva(va) : PhysicalOf(tag, va));
    }

    private bool _hitsByLine;

    /// <summary>A data access with an explicit kind: LDRT/STRT pass no Privileged flag; size is 1, 2 or 4.</summary>
    public uint Access(uint va, int size, AccessKind access, uint value = 0) => Slow(va, size, access, value);

    // ---- instruction fetch -----------------------------------------------------------------

    /// <summary>
    /// Host pointer to the start of the executable page holding <paramref name="va"/>,
    /// or null when fetches from it must go through <see cref="Fetch32"/>/<see cref="Fetch16"/>
    /// one by one (MMIO, an observer, an I-cache). Throws <see cref="MemoryFault"/> when
    /// the page cannot be fetched from at all.
    /// </summary>
    public byte* FetchPage(uint va) => FetchPage(va, out _);

    /// <summary>
    /// As <see cref="FetchPage(uint)"/>; <paramref name="throughInstructionCache"/> says the page's
    /// fetches go through the modelled I-cache (the pointer is then null).
    /// </summary>
    public byte* FetchPage(uint va, out bool throughInstructionCache)
    {
        throughInstructionCache = false;
        nint page = _current.Fetch[va >> PhysicalBus.PageBits];
        if (page != 0) return (byte*)page;
        uint pa = _translator.Translate(va, AccessKind.Fetch | Level, out bool wholePage);
        byte* host = Bus.RamPage(pa);
        if (host == null)
        {
            if (Bus.FindDevice(pa) is null) throw new MemoryFault(va, AccessKind.Fetch | Level, FaultKind.Unmapped);
            return null;
        }
        if (_observer != null || !wholePage) return null;
        if (_caches is { } caches && caches.UsesInstructionCache(_translator.AttributesOf(va, AccessKind.Fetch | Level), pa))
        {
            // The CPU may serve I-cache hits from its decoded slots without asking, unless each
            // fetch must be seen: by a coherence monitor (CacheSystem.Fetch checks it) or by an
            // LRU I-cache (every hit updates the replacement order).
            throughInstructionCache = caches.Monitor is null && caches.InstructionCache!.Config.Replacement != ArmEmu.Memory.Caches.ReplacementPolicy.Lru;
            return null;
        }
        _current.Remember(_current.Fetch, va >> PhysicalBus.PageBits, (nint)host);
        return host;
    }

    public uint Fetch32(uint va) => Slow(va, 4, AccessKind.Fetch | Level, 0);

    public uint Fetch16(uint va) => Slow(va, 2, AccessKind.Fetch | Level, 0);

    // ---- debug access: no hooks, no rights check, no side effects ---------------------------

    /// <summary>
    /// Reads guest memory as a debugger would: what a load would return now (with the cache
    /// model on: a cached line, else a pending write, else RAM), changing nothing; false if
    /// any byte is not mapped.
    /// </summary>
    public bool DebugRead(uint va, Span<byte> dest)
    {
        // One translation per chunk that no MMU splits (ARMv5's tiny pages are 1 KiB; the bus
        // page holds a whole chunk): a kernel's copy_from_user of a signal frame costs a
        // translation per KiB, not per byte.
        for (int i = 0; i < dest.Length;)
        {
            uint at = va + (uint)i;
            int n = (int)Math.Min((uint)(dest.Length - i), SmallestPage - (at & (SmallestPage - 1)));
            if (!TryTranslateDebug(at, out uint pa)) return false;
            var part = dest.Slice(i, n);
            if (_caches is { } caches)
            {
                for (int k = 0; k < n; k++)
                    if (!caches.Peek(at + (uint)k, pa + (uint)k, part.Slice(k, 1))) return false;
            }
            else if (Bus.RamPage(pa) is var page && page != null)
            {
                new ReadOnlySpan<byte>(page + (pa & PhysicalBus.PageMask), n).CopyTo(part);
            }
            else
            {
                for (int k = 0; k < n; k++)
                {
                    if (!Bus.TryPeek(pa + (uint)k, 1, out uint b)) return false; // never a device's side effect
                    part[k] = (byte)b;
                }
            }
            i += n;
        }
        return true;
    }

    /// <summary>
    /// Copies guest memory with real privileged loads (through the caches), as the kernel's
    /// copy_from_user does; throws <see cref="MemoryFault"/> as a load would.
    /// </summary>
    public void ReadBlock(uint va, Span<byte> dest)
    {
        // Words where the address is aligned, as Linux's copy_from_user loads (ldm/ldr), bytes at the ends.
        int i = 0;
        for (; i < dest.Length && ((va + (uint)i) & 3) != 0; i++) dest[i] = (byte)Slow(va + (uint)i, 1, AccessKind.Read | AccessKind.Privileged, 0);
        for (; i + 4 <= dest.Length; i += 4)
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(dest[i..], Slow(va + (uint)i, 4, AccessKind.Read | AccessKind.Privileged, 0));
        for (; i < dest.Length; i++) dest[i] = (byte)Slow(va + (uint)i, 1, AccessKind.Read | AccessKind.Privileged, 0);
    }

    /// <summary>Copies into guest memory with real privileged stores (through the caches), as copy_to_user does.</summary>
    public void WriteBlock(uint va, ReadOnlySpan<byte> src)
    {
        // Words where the address is aligned, as Linux's copy_to_user stores (stm/str), bytes at the ends.
        int i = 0;
        for (; i < src.Length && ((va + (uint)i) & 3) != 0; i++) Slow(va + (uint)i, 1, AccessKind.Write | AccessKind.Privileged, src[i]);
        for (; i + 4 <= src.Length; i += 4)
            Slow(va + (uint)i, 4, AccessKind.Write | AccessKind.Privileged, System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(src[i..]));
        for (; i < src.Length; i++) Slow(va + (uint)i, 1, AccessKind.Write | AccessKind.Privileged, src[i]);
    }

    /// <summary>Writes guest memory as a debugger would; false if any byte is not mapped RAM (devices are never written).</summary>
    public bool DebugWrite(uint va, ReadOnlySpan<byte> src)
    {
        // In pieces that stay inside one 1 KiB block, the smallest page (an ARMv5 tiny page), so
        // one translation serves a piece and its physical bytes are contiguous in one RAM page.
        // First every piece is checked, then written: all or nothing.
        for (int pass = 0; pass < 2; pass++)
        {
            for (int i = 0; i < src.Length;)
            {
                uint v = va + (uint)i;
                int n = (int)Math.Min((uint)(src.Length - i), SmallestPage - (v & (SmallestPage - 1)));
                if (!TryTranslateDebug(v, out uint pa)) return false;
                byte* page = Bus.RamPage(pa);
                if (page == null) return false;
                if (pass == 1)
                {
                    src.Slice(i, n).CopyTo(new Span<byte>(page + (pa & PhysicalBus.PageMask), n));
                    Bus.NoteCodeWrite(); // a debugger's poke may be a breakpoint in translated code
                    // A poke is coherent: cached copies of the bytes change with memory.
                    _caches?.Poke(v, pa, src.Slice(i, n));
                }
                i += n;
            }
        }
        return true;
    }

    private const uint SmallestPage = 1024;

    /// <summary>The physical address a privileged read of <paramref name="va"/> would use now, without faulting or filling the TLB.</summary>
    public bool TryTranslateDebug(uint va, out uint pa)
    {
        try
        {
            pa = _translator.Translate(va, AccessKind.Read | AccessKind.Privileged | AccessKind.Debug);
            return true;
        }
        catch (MemoryFault)
        {
            pa = 0;
            return false;
        }
    }

    // ---- the slow path ---------------------------------------------------------------------

    [MethodImpl(MethodImplOptions.NoInlining)]
    private uint Slow(uint va, int size, AccessKind access, uint value)
    {
        // An access that straddles a page is done a byte at a time, each byte
        // translated on its own (ARMv5 word accesses are aligned by the CPU,
        // so only ARMv6/v7 unaligned halfword/word accesses get here).
        if ((va & PhysicalBus.PageMask) + (uint)size > PhysicalBus.PageSize)
            return Straddling(va, size, access, value);

        // An ARMv6/v7 unaligned halfword or word access (SCTLR.A = 0) may cross a cache line, and
        // the caches serve naturally aligned accesses within one line: with the cache model on it
        // goes a byte at a time, as the architecture lets an unaligned access be split (ARM ARM
        // DDI 0406C A3.2.1). The Linux kernel's unaligned get_unaligned() reads come here.
        if (_caches is not null && (va & (uint)(size - 1)) != 0 && (access & AccessKind.Debug) == 0)
            return Straddling(va, size, access, value);

        // With the cache model on, a page already translated for this access may be served
        // by a D-cache hit directly (the permission check is what the table entry records),
        // and a miss on it goes to the model without translating again (the entry holds the
        // physical page and the attributes; it goes with every TranslationsChanged).
        if (_caches is { } c && (access & (AccessKind.Fetch | AccessKind.Debug)) == 0)
        {
            FastTables tables = (access & AccessKind.Privileged) != 0 ? _privileged : _user;
            uint vpn = va >> PhysicalBus.PageBits;
            if ((access & AccessKind.Write) != 0)
            {
                Bus.NoteCodeWrite(); // a write-through hit reaches RAM too
                nint tag = tables.CachedWrite[vpn];
                if (tag != 0)
                {
                    if (WriteHitOnRememberedPage(c, tables, va, tag, size, value)) return 0;
                    // A write-back page's line was looked up and is not there; a write-through
                    // page's was not looked up (its hits take the full path).
                    return RememberedPageMiss(c, tables, va, tag, size, access, value, knownMiss: (tag & 2) != 0);
                }
            }
            else
            {
                nint tag = tables.CachedRead[vpn];
                if (tag != 0)
                {
                    if (ReadHitOnRememberedPage(c, tables, va, tag, size, out uint hit)) return hit;
                    // Not a hit: the line is not there (an aligned access lies in one line).
                    return RememberedPageMiss(c, tables, va, tag, size, access, value, knownMiss: true);
                }
            }
        }

        uint pa = _translator.Translate(va, access, out bool wholePage);
        bool write = (access & AccessKind.Write) != 0;
        // A store here may change code a translating engine runs (every store to a watched page
        // comes here); with the cache model any access may (a miss writes a dirty line back).
        if (write || _caches is not null) Bus.NoteCodeWrite();
        if (write) _observer?.OnAccess(va, pa, size, access, value);
        else _observer?.OnAccessStarting(va, pa, size, access);

        byte* host = Bus.RamPage(pa);
        uint result = 0;
        if (_caches is { } caches && (access & AccessKind.Debug) == 0)
        {
            result = CachedAccess(caches, va, pa, size, access, value, wholePage && _observer == null);
        }
        else if (host != null)
        {
            byte* p = host + (pa & PhysicalBus.PageMask);
            if (write) PhysicalBus.StoreLittle(p, size, value);
            else result = PhysicalBus.LoadLittle(p, size);
            if (_observer == null && wholePage) CacheFastPath(va, access, (nint)host);
        }
        else if (write ? !Bus.TryWrite(pa, size, value) : !Bus.TryRead(pa, size, out result))
        {
            throw new MemoryFault(va, access, FaultKind.Unmapped);
        }

        if (!write) _observer?.OnAccess(va, pa, size, access, result);
        else _observer?.OnAccessCompleted(va, pa, size, access, value);
        return result;
    }

    /// <summary>
    /// A D-cache miss (or a write the hit path does not serve) on a page remembered as cacheable
    /// for this access: what <see cref="Slow"/> does after translating, with the physical page and
    /// the attributes the entry recorded when the page was translated (no observer, no monitor:
    /// either empties the tables).
    /// </summary>
    /// <remarks>
    /// The line the access used (filled by a miss, or a write-through hit) is remembered for
    /// translated code's inline hits (<see cref="RememberedLines"/>), as a hit's is: the next
    /// access to the line -- chase's second field of a node, the rest of a row -- is then a hit
    /// in the block's own code instead of a call that looks the line up. It is the line's key
    /// now that is remembered, so a later eviction or invalidation still makes the entry stale;
    /// a store's line only when the page writes back (a write-through store goes below too).
    /// Remembering changes nothing in the model.
    /// </remarks>
    private uint RememberedPageMiss(Caches.CacheSystem caches, FastTables tables, uint va, nint tag, int size, AccessKind access, uint value, bool knownMiss)
    {
        uint pa = PhysicalOf(tag, va);
        var attributes = AttributesOf(tag);
        Bus.NoteCodeWrite(); // a miss may write a dirty line back
        // Not through ThroughCaches: a remembered page is cacheable RAM, where the model raises no
        // bus error, and a handler here would have the JIT zero a frame's worth of locals on every miss.
        uint result = 0;
        if ((access & AccessKind.Write) != 0)
        {
            if (knownMiss) caches.WriteMissOnRememberedPage(va, pa, size, value, attributes); // the common miss, without Write's checks
            else caches.Write(va, pa, size, value, attributes, knownMiss);
        }
        else result = knownMiss ? caches.ReadMissOnRememberedPage(va, pa, size, attributes) // the common miss, without Read's checks
            : caches.Read(va, pa, size, attributes, knownMiss);
        if (_hitsByLine && caches.LastDataLine is int line and >= 0)
        {
            if ((access & AccessKind.Write) == 0)
                Remember(tables.ReadLines, tables.ReadLines.At(va, _hitPath->LineShift), caches.DataCache!, va, line);
            else if ((tag & 2) != 0)
                Remember(tables.WriteLines, tables.WriteLines.At(va, _hitPath->LineShift), caches.DataCache!, va, line);
        }
        return result;
    }

    /// <summary>An access with the cache model on: the attributes decide the path; plain RAM pages still use the fast path.</summary>
    private uint CachedAccess(Caches.CacheSystem caches, uint va, uint pa, int size, AccessKind access, uint value, bool mayRemember)
    {
        var attributes = _translator.AttributesOf(va, access);
        if (mayRemember && (access & AccessKind.Fetch) == 0)
        {
            // VIVT: the tag is enough (the virtual address indexes); PIPT: it also holds the physical page.
            nint tag = caches.ServesHitsByVirtualAddress(attributes, pa) ? 1
                : caches.ServesHitsByPhysicalAddress(attributes, pa) ? PhysicalTag | 1
                : 0;
            if (tag != 0)
            {
                FastTables tables = (access & AccessKind.Privileged) != 0 ? _privileged : _user;
                bool write = (access & AccessKind.Write) != 0;
                tag |= (nint)(pa & ~PhysicalBus.PageMask);
                if (write && caches.WritesBack(attributes)) tag |= 2;
                if (attributes.Bufferable) tag |= BufferableTag;
                if (attributes.WriteAllocate) tag |= WriteAllocateTag;
                nint* table = write ? tables.CachedWrite : tables.CachedRead;
                if (table[va >> PhysicalBus.PageBits] != tag) tables.Remember(table, va >> PhysicalBus.PageBits, tag);
            }
        }
        if ((access & AccessKind.Fetch) != 0 && !caches.UsesInstructionCache(attributes, pa))
            return Bus.TryRead(pa, size, out uint fetched) ? fetched : throw new MemoryFault(va, access, FaultKind.Unmapped);
        return ThroughCaches(caches, va, pa, size, access, value, attributes, knownMiss: false);
    }

    /// <summary>An access the cache model serves (a fetch through the I-cache, a read, a write); a bus error behind it is this access's fault.</summary>
    private static uint ThroughCaches(Caches.CacheSystem caches, uint va, uint pa, int size, AccessKind access, uint value, Caches.PageAttributes attributes, bool knownMiss)
    {
        try
        {
            if ((access & AccessKind.Fetch) != 0) return caches.Fetch(va, pa, size);
            if ((access & AccessKind.Write) != 0)
            {
                caches.Write(va, pa, size, value, attributes, knownMiss);
                return 0;
            }
            return caches.Read(va, pa, size, attributes, knownMiss);
        }
        catch (Caches.BusError)
        {
            throw new MemoryFault(va, access, FaultKind.Unmapped);
        }
    }

    // A CachedRead/CachedWrite entry: 1, the physical page in the high bits, 2 for a write-back
    // write, PhysicalTag for a PIPT cache (hits looked up by the physical address), and the
    // page's attributes for a miss (it is cacheable: else there is no entry).
    private const nint PhysicalTag = 4, BufferableTag = 8, WriteAllocateTag = 16;


    /// <summary>The attributes a CachedRead/CachedWrite entry recorded for its page (cacheable, bufferable, write-allocate).</summary>
    private static Caches.PageAttributes AttributesOf(nint tag) =>
        new(true, (tag & BufferableTag) != 0) { WriteAllocate = (tag & WriteAllocateTag) != 0 };

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint PhysicalOf(nint tag, uint va) => (uint)(tag & ~(nint)PhysicalBus.PageMask) | (va & PhysicalBus.PageMask);

    private uint Straddling(uint va, int size, AccessKind access, uint value)
    {
        // Translate every byte first so a fault leaves memory untouched.
        for (int i = 0; i < size; i++) _translator.Translate(va + (uint)i, access);
        uint result = 0;
        for (int i = 0; i < size; i++)
            result |= Slow(va + (uint)i, 1, access, value >> (8 * i)) << (8 * i);
        return result;
    }

    private void CacheFastPath(uint va, AccessKind access, nint host)
    {
        if ((access & AccessKind.Debug) != 0) return;
        FastTables tables = (access & AccessKind.Privileged) != 0 ? _privileged : _user;
        uint vpn = va >> PhysicalBus.PageBits;
        if ((access & AccessKind.Write) != 0)
        {
            if (!Bus.IsCodePage(host)) tables.Remember(tables.Write, vpn, host);
        }
        else if ((access & AccessKind.Fetch) != 0) tables.Remember(tables.Fetch, vpn, host);
        else tables.Remember(tables.Read, vpn, host);
    }

    /// <summary>Drops every fast-path entry (TLB flush, remap, permission change, observer change).</summary>
    public void FlushFastPath()
    {
        _privileged.Clear();
        _user.Clear();
        FastPathFlushed?.Invoke();
    }

    public void Dispose()
    {
        Bus.LayoutChanged -= FlushFastPath;
        Bus.CodePageWatched -= FlushFastPath;
        _translator.TranslationsChanged -= FlushFastPath;
        _privileged.Dispose();
        _user.Dispose();
        NativeMemory.Free(_multipleScratch);
        NativeMemory.Free(_hitPath);
        if (_countersPin.IsAllocated) _countersPin.Free();
    }

    /// <summary>Read, write and fetch tables for one privilege level, with a log of filled slots so a flush is cheap.</summary>
    private sealed class FastTables : IDisposable
    {
        public readonly nint* Read = Alloc();
        public readonly nint* Write = Alloc();
        public readonly nint* Fetch = Alloc();
        // Pages whose data accesses may be served by a D-cache hit without translating again:
        // 1 = cacheable, 3 = cacheable and write-back (a write hit only marks the line dirty);
        // for a PIPT D-cache also PhysicalTag (4); the physical page (bits 12 and up), 8 bufferable, 16 write-allocate.
        public readonly nint* CachedRead = Alloc();
        public readonly nint* CachedWrite = Alloc();
        // D-cache lines that served hits (TryReadHit, TryWriteHit), by virtual line.
        public readonly RememberedLines ReadLines = new(), WriteLines = new();
        private readonly nint*[] _tables;
        private readonly (byte Table, uint Vpn)[] _log = new (byte, uint)[LogCapacity];
        private int _logCount;
        private bool _overflowed;

        public FastTables() => _tables = [Read, Write, Fetch, CachedRead, CachedWrite];

        private static nint* Alloc() => (nint*)NativeMemory.AllocZeroed((nuint)PageCount, (nuint)sizeof(nint));

        public void Remember(nint* table, uint vpn, nint host)
        {
            table[vpn] = host;
            if (_logCount < LogCapacity)
                _log[_logCount++] = (IndexOf(table), vpn);
            else
                _overflowed = true;
        }

        private byte IndexOf(nint* table)
        {
            for (byte i = 0; i < _tables.Length; i++)
                if (_tables[i] == table) return i;
            throw new ArgumentException("not one of this level's tables");
        }

        public void Clear()
        {
            ReadLines.Clear();
            WriteLines.Clear();
            if (_overflowed)
            {
                foreach (nint* t in _tables) NativeMemory.Clear(t, (nuint)PageCount * (nuint)sizeof(nint));
                _overflowed = false;
            }
            else
            {
                for (int i = 0; i < _logCount; i++) _tables[_log[i].Table][_log[i].Vpn] = 0;
            }
            _logCount = 0;
        }

        public void Dispose()
        {
            foreach (nint* t in _tables) NativeMemory.Free(t);
            ReadLines.Dispose();
            WriteLines.Dispose();
        }
    }
}
