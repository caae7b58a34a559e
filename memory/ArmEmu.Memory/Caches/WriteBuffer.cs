using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace ArmEmu.Memory.Caches;

/// <summary>
/// The ARM926EJ-S write buffers (TRM 4.1 and chapter 8, "Write buffer"): a main
/// write buffer of 16 data words and 4 addresses for bufferable (NCB) stores,
/// write-through stores and write misses, and a write-back buffer of 8 words (one
/// line) for lines evicted or cleaned from the D-cache. Writes wait in order until
/// they drain to the bus.
///
/// The rules, exactly as modelled:
/// 1. Every entry drains, oldest first, on: <see cref="Drain"/> (CP15 c7,c10,4 drain,
///    WFI), a D-cache line fill, an uncached non-bufferable (NCNB) access, and a read
///    of an address a pending entry covers.
/// 2. A store that does not fit (a fifth address, a seventeenth word, or a second
///    line in the write-back buffer) first drains the oldest entries until it fits,
///    and counts a stall.
/// 3. An entry older than <see cref="DrainAfterCycles"/> drains on its own; the age is
///    checked whenever the buffer is used (a bus master that is not ordered behind the
///    CPU, such as the LCD or a timer-started DMA, sees old RAM until then), and, where the
///    machine asks for it (<see cref="BecameNonEmpty"/>), when the oldest entry is due.
/// 4. Consecutive word stores are merged into one address entry while they are
///    contiguous and the entry holds fewer than 4 words (an STM's burst).
/// Both buffers drain in the order the writes were made.
/// </summary>
internal sealed unsafe class WriteBuffer : IMemoryLevel
{
    private const int MainAddresses = 4, MainWords = 16, WriteBackWords = 8;

    private readonly PhysicalBus _bus;
    private readonly Func<ulong> _now;
    // The pending entries, oldest first, in a ring of reused slots: a store allocates nothing.
    // At most 4 main-buffer entries and 8 write-back words (at most 8 entries) are pending.
    private const int Slots = 16;
    private readonly Entry[] _ring = new Entry[Slots];
    private int _head, _count;
    private int _mainAddresses, _mainWords, _writeBackWords;

    public WriteBuffer(PhysicalBus bus, Func<ulong> now)
    {
        _bus = bus;
        _now = now;
        for (int i = 0; i < Slots; i++) _ring[i] = new Entry();
    }

    /// <summary>Cycles after which an entry drains by itself.</summary>
    public ulong DrainAfterCycles { get; set; } = 1000;

    public bool IsEmpty => _count == 0;

    public ulong Drains { get; private set; }

    public ulong Stalls { get; private set; }

    public ulong Writes { get; private set; }

    /// <summary>Called just before an entry reaches the bus (the coherence monitor watches here).</summary>
    public Action<uint, int>? Draining { get; set; }

    /// <summary>Where stores come from while the coherence monitor watches (the PC of the storing instruction); null otherwise.</summary>
    public Func<uint>? StorePc { get; set; }

    private Entry At(int index) => _ring[(_head + index) & (Slots - 1)];

    /// <summary>Queues a store of <paramref name="size"/> bytes (1, 2 or 4) through the main buffer.</summary>
    public void Store(uint pa, int size, uint value)
    {
        // The clock is read once for the age check and the new entry's time (nothing between
        // them runs an instruction): one call, where there were two on every store.
        ulong now = _now();
        AgeAt(now);
        StoreAt(pa, size, value, now);
    }

    /// <summary>
    /// <see cref="Store"/> of <paramref name="count"/> words from <paramref name="values"/> to consecutive
    /// addresses from <paramref name="pa"/>, in one instruction (an STM's misses): the clock is read
    /// and the entries aged once -- at the same time, aging again drains nothing more (every entry
    /// left is younger, a new one is made now) -- then each word is stored as <see cref="Store"/> stores it.
    /// </summary>
    public void StoreWords(uint pa, uint* values, int count)
    {
        ulong now = _now();
        AgeAt(now);
        for (int k = 0; k < count; k++) StoreAt(pa + 4 * (uint)k, 4, values[k], now);
    }

    private void StoreAt(uint pa, int size, uint value, ulong now)
    {
        Writes++;
        if (_count > 0 && At(_count - 1) is { WriteBack: false } last && size == 4 && last.Count % 4 == 0
            && last.Address + (uint)last.Count == pa && last.Count < 16 && _mainWords < MainWords)
        {
            last.Append(size, value);
            _mainWords++;
            return;
        }
        if (_mainAddresses >= MainAddresses || _mainWords >= MainWords)
        {
            Stalls++; // one stall per store that waits, however many entries drain ahead of it
            do DrainOldest(); while (_count > 0 && (_mainAddresses >= MainAddresses || _mainWords >= MainWords));
        }
        Add(pa, writeBack: false, now).Append(size, value);
        _mainAddresses++;
        _mainWords++;
    }

    // ---- as the level below a cache ----------------------------------------------------------

    /// <summary>A data line fill drains the buffer first (rule 1); an instruction fill reads RAM as it is.</summary>
    public void ReadLine(uint pa, Span<byte> line, bool instruction)
    {
        if (!instruction) Drain();
        _bus.ReadRam(pa, line);
    }

    /// <summary>The buffer records the current PC itself (<see cref="StorePc"/>).</summary>
    void IMemoryLevel.WriteBack(uint pa, ReadOnlySpan<byte> data, uint? writer) => WriteBack(pa, data);

    void IMemoryLevel.Store(uint pa, int size, uint value, uint? writer) => Store(pa, size, value);

    public void Synchronize() => Drain();

    /// <summary>Queues a dirty line (or half line) being written back from the D-cache.</summary>
    public void WriteBack(uint pa, ReadOnlySpan<byte> data)
    {
        ulong now = _now();
        AgeAt(now);
        Writes++;
        int words = (data.Length + 3) / 4;
        if (_count > 0 && _writeBackWords + words > WriteBackWords)
        {
            Stalls++;
            // A line longer than the 8-word buffer (a configured geometry the ARM926 does not
            // have) waits for the buffer to empty, then goes in alone.
            do DrainOldest(); while (_count > 0 && _writeBackWords + words > WriteBackWords);
        }
        var entry = Add(pa, writeBack: true, now);
        if (data.Length > entry.Data.Length) throw new ArgumentException($"write buffer: a write-back of {data.Length} bytes");
        SmallCopy.Copy(ref entry.Data[0], ref MemoryMarshal.GetReference(data), data.Length);
        entry.Count = data.Length;
        _writeBackWords += words;
    }

    /// <summary>
    /// <see cref="WriteBack"/> then <see cref="Drain"/>, as a D-cache line fill does after writing its
    /// victim back (rule 1): the counts (a write, a stall if the write-back buffer was full, a
    /// drain), the scheduling call and the order in which RAM is written are the same, but the line
    /// goes from the cache to RAM in one copy, not through an entry. Nobody can look at the entry
    /// in between; when somebody watches drains (<see cref="Draining"/>, the coherence monitor) or
    /// the line is not RAM, the entry is made and drained as usual.
    /// </summary>
    public void WriteBackAndDrain(uint pa, ReadOnlySpan<byte> data)
    {
        int words = (data.Length + 3) / 4;
        if (Draining is not null || StorePc is not null || words > WriteBackWords || _bus.RamPage(pa) == null)
        {
            WriteBack(pa, data);
            Drain();
            return;
        }
        if (_count > 0 || BecameNonEmpty is not null)
        {
            ulong now = _now();
            AgeAt(now);
            if (_count == 0) BecameNonEmpty?.Invoke(now + DrainAfterCycles); // the entry would have entered an empty buffer
        }
        Writes++;
        if (_count > 0 && _writeBackWords + words > WriteBackWords) Stalls++; // WriteBack's stall; what it drains, the drain does
        Drains++; // the drain finds at least the write-back's entry
        while (_count > 0) DrainOldest();
        _bus.WriteRam(pa, data); // last: the entry would have been the newest
    }

    private Entry Add(uint pa, bool writeBack, ulong now)
    {
        if (_count == Slots) DrainOldest(); // cannot happen within the capacities above; kept safe
        var entry = _ring[(_head + _count) & (Slots - 1)];
        entry.Reset(pa, writeBack, now, StorePc?.Invoke());
        _count++;
        if (_count == 1) BecameNonEmpty?.Invoke(entry.Time + DrainAfterCycles);
        return entry;
    }

    /// <summary>
    /// Called when a write enters the empty buffer, with the time its entry is due to drain by itself
    /// (rule 3). A machine whose CPU may run for long without touching the buffer (a delay loop in
    /// registers) schedules <see cref="Age"/> then, so the entry reaches its device on time.
    /// </summary>
    public Action<ulong>? BecameNonEmpty { get; set; }

    /// <summary>When the oldest pending entry drains by itself; null when the buffer is empty.</summary>
    public ulong? OldestDue => _count == 0 ? null : At(0).Time + DrainAfterCycles;

    /// <summary>Drains every entry (rule 1).</summary>
    public void Drain()
    {
        if (_count > 0) Drains++;
        while (_count > 0) DrainOldest();
    }

    /// <summary>True if a pending entry covers any byte of [pa, pa + size).</summary>
    public bool Covers(uint pa, int size)
    {
        for (int i = 0; i < _count; i++)
            if (At(i).Overlaps(pa, size)) return true;
        return false;
    }

    /// <summary>The PC recorded for the newest pending entry covering any byte of [pa, pa + size), if any.</summary>
    public uint? PendingWriter(uint pa, int size)
    {
        for (int i = _count - 1; i >= 0; i--)
            if (At(i).Overlaps(pa, size)) return At(i).Pc;
        return null;
    }

    /// <summary>The newest pending value of a byte, for debug views; false if none is pending.</summary>
    public bool TryPeekByte(uint pa, out byte value)
    {
        for (int i = _count - 1; i >= 0; i--)
        {
            var e = At(i);
            if (pa - e.Address < (uint)e.Count)
            {
                value = e.Data[(int)(pa - e.Address)];
                return true;
            }
        }
        value = 0;
        return false;
    }

    /// <summary>Changes a pending byte in place (a debugger's poke must not be undone by a later drain).</summary>
    public void Overwrite(uint pa, byte value)
    {
        for (int i = 0; i < _count; i++)
        {
            var e = At(i);
            if (pa - e.Address < (uint)e.Count) e.Data[(int)(pa - e.Address)] = value;
        }
    }

    /// <summary>Rule 3: entries older than <see cref="DrainAfterCycles"/> drain by themselves.</summary>
    public void Age()
    {
        if (_count == 0) return;
        AgeAt(_now());
    }

    private void AgeAt(ulong now)
    {
        while (_count > 0 && now - At(0).Time >= DrainAfterCycles) DrainOldest();
    }

    private void DrainOldest()
    {
        var e = At(0);
        _head = (_head + 1) & (Slots - 1);
        _count--;
        // The entry leaves the accounting before it reaches the bus: a device write may come
        // back here (the PL310's maintenance registers write lines back and sync).
        if (e.WriteBack) _writeBackWords -= (e.Count + 3) / 4;
        else
        {
            _mainAddresses--;
            _mainWords -= Math.Max(1, e.Count / 4);
        }
        Draining?.Invoke(e.Address, e.Count);
        var bytes = e.Data.AsSpan(0, e.Count);
        if (!_bus.WriteRam(e.Address, bytes))
            for (int i = 0; i < bytes.Length;) // a device behind a bufferable page: in the stores' own sizes
            {
                // An entry is one store or a run of merged words, so this recovers each access:
                // a 16-bit register must see one halfword write, not two byte writes.
                uint at = e.Address + (uint)i;
                int n = bytes.Length - i >= 4 && (at & 3) == 0 ? 4 : bytes.Length - i >= 2 && (at & 1) == 0 ? 2 : 1;
                uint v = n == 4 ? BitConverter.ToUInt32(bytes[i..]) : n == 2 ? BitConverter.ToUInt16(bytes[i..]) : bytes[i];
                _bus.TryWrite(at, n, v);
                i += n;
            }
    }

    /// <summary>One pending write: a store, a run of merged words, or a written-back (half) line.</summary>
    private sealed class Entry
    {
        public uint Address;
        public bool WriteBack;
        public ulong Time;
        public uint? Pc;
        public readonly byte[] Data = new byte[256]; // the longest line CacheConfig allows
        public int Count;

        public void Reset(uint address, bool writeBack, ulong time, uint? pc)
        {
            (Address, WriteBack, Time, Pc, Count) = (address, writeBack, time, pc, 0);
        }

        public void Append(int size, uint value)
        {
            if (size == 4)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(Data.AsSpan(Count), value);
                Count += 4;
                return;
            }
            for (int i = 0; i < size; i++) Data[Count++] = (byte)(value >> (8 * i));
        }

        public bool Overlaps(uint pa, int size) => pa < Address + (uint)Count && Address < pa + (uint)size;
    }
}
