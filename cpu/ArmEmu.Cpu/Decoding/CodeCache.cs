using ArmEmu.Memory;

namespace ArmEmu.Cpu.Decoding;

/// <summary>
/// The decoded-code store of one address space: a <see cref="DecodedPage"/> per 4 KiB virtual
/// page that has been executed, keyed by virtual page number. It belongs to the address space
/// (the process, or the machine for a bare-metal board), not to a <see cref="Cpu"/>: the threads
/// of a process share one.
/// </summary>
/// <remarks>
/// <para>Memory: the store costs host memory only per page actually executed, and never more
/// than <see cref="Capacity"/> bytes in all. A page costs a small header
/// (<see cref="PageHeaderBytes"/>) and, for each state code ran in on it, its slots
/// (<see cref="ArmPageBytes"/> for ARM, <see cref="ThumbPageBytes"/> for Thumb: 16 bytes a slot
/// and a valid bit). The page table is two-level (1024 directories of 1024 pages, a directory
/// allocated on the first page executed in its 4 MiB), where a flat one would hold 2^20
/// references (8 MiB). When a new page or state would pass the capacity, pages are evicted by
/// a clock (second chance: a page entered since the hand last passed is kept once) and their
/// slot arrays reused; an evicted page that runs again is decoded again, so a working set larger
/// than the capacity costs time, never memory. The capacity (<see cref="DefaultCapacity"/>)
/// holds about 15 MiB of ARM code: far more than any program this emulator has met executes;
/// the generated 256 MiB test program goes through it in one pass. QEMU bounds its
/// translations the same way (a fixed code buffer, flushed when full).</para>
/// <para>Reclaim: the owner of the address space calls <see cref="Forget"/> when code pages go
/// away (munmap, mprotect without execute, execve, exit), so dead code does not hold
/// capacity until the clock reaches it.</para>
/// <para>Exactness: entries never go stale by themselves: a slot holds the word it was decoded
/// from, and the engine compares it with the fetched word (<see cref="DecodedPage"/>). Eviction
/// and <see cref="Forget"/> therefore change speed only, never results; they raise
/// <see cref="PagesDropped"/> so that engines holding a dropped page's slots enter their page
/// afresh (the I-cache valid bits of reused slots must not be read for another page). The
/// decoders are the model's, so every CPU sharing a store must be of the same
/// <see cref="Model"/>.</para>
/// </remarks>
internal sealed unsafe class CodeCache
{
    /// <summary>The default bound on the store's host memory: 64 MiB.</summary>
    public const long DefaultCapacity = 64L << 20;

    /// <summary>What a page costs before any slots: the object and its table entry (an estimate, for the bound).</summary>
    public const int PageHeaderBytes = 96;

    /// <summary>What a page's ARM slots cost: 1024 slots of 16 bytes and their valid bits.</summary>
    public const int ArmPageBytes = ArmSlotCount * 16 + ArmSlotCount;

    /// <summary>What a page's Thumb slots cost: 2048 slots of 16 bytes and their valid bits.</summary>
    public const int ThumbPageBytes = ThumbSlotCount * 16 + ThumbSlotCount;

    private const int ArmSlotCount = 1024, ThumbSlotCount = 2048;
    private const int DirectoryBits = 10;
    // Slot arrays kept for reuse after Forget/Clear (eviction hands them on directly): enough to
    // refill a program's working set after an execve without going back to the allocator.
    private const int SpareLimit = 64;

    private readonly DecodedPage?[]?[] _directories = new DecodedPage?[]?[1 << (32 - PhysicalBus.PageBits - DirectoryBits)];
    private readonly List<DecodedPage> _resident = [];
    private readonly Stack<(DecodedInstruction[] Slots, bool[] Valid)> _spareArm = new();
    private readonly Stack<(ThumbSlot[] Slots, bool[] Valid)> _spareThumb = new();
    private readonly DecodedInstruction _armZero;
    // Set with _thumb, on the first use of the Thumb table (ThumbZero).
    private ThumbSlot _thumbZero;
    private Thumb16Decoder? _thumb;
    private int _hand;

    /// <summary>A store for <paramref name="model"/>'s decoders, holding at most <paramref name="capacity"/> bytes.</summary>
    public CodeCache(CpuModel model, long capacity = DefaultCapacity)
    {
        // At least one page with both states' slots, so that the page being made room for always fits.
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, PageHeaderBytes + ArmPageBytes + ThumbPageBytes);
        Model = model;
        Capacity = capacity;
        Arm = ArmDecoder.For(model);
        Thumb32 = model.Has(CpuFeature.Thumb2) ? Thumb32Decoder.For(model) : null;
        _armZero = Arm.Table.DecodeInstruction(0);
        // Slots live on the pinned object heap: the interpreter keeps the slots of the pages it
        // fetches from as raw pointers, so entering a page stores no GC references (each a write
        // barrier) and the loop indexes them without a null check.
        // Filled by loops: Span.Fill over a struct uses Vector<T>, which ReadyToRun leaves to the JIT
        // at every start-up (a millisecond of CPU, DOTNET_JitStdOutFile lists it).
        ArmPlaceholder = GC.AllocateArray<DecodedInstruction>(ArmSlotCount, pinned: true);
        for (int i = 0; i < ArmPlaceholder.Length; i++) ArmPlaceholder[i] = _armZero;
        // The 16-bit Thumb table is built on its first use (an ARM program never needs it; its rows'
        // handlers were 1-2% of a static hello's start-up): the Thumb placeholder's slots run the
        // decoding of 0 through FirstThumbZero, which builds the table, instead of holding it.
        ThumbPlaceholder = GC.AllocateArray<ThumbSlot>(ThumbSlotCount, pinned: true);
        var zero = ThumbSlot.For(new DecodedInstruction(&FirstThumbZero, 0, EncodingFlags.None), 0, 0);
        for (int i = 0; i < ThumbPlaceholder.Length; i++) ThumbPlaceholder[i] = zero;
    }

    /// <summary>
    /// The handler of the Thumb placeholder's slots, which hold the instruction 0 (LSL/MOVS r0, r0,
    /// #0) like any fresh slot: it runs that instruction as its own slot would.
    /// </summary>
    private static void FirstThumbZero(Cpu cpu, uint op) => cpu.Code.ThumbZero.Handler(cpu, op);

    /// <summary>The slot of the Thumb instruction 0, as a fresh Thumb slot holds it.</summary>
    private ThumbSlot ThumbZero
    {
        get
        {
            _ = Thumb;   // sets _thumbZero before _thumb
            return _thumbZero;
        }
    }

    private Thumb16Decoder BuildThumb()
    {
        // Decoders are shared and built once (Thumb16Decoder.For): threads racing here store the same values.
        var thumb = Thumb16Decoder.For(Model);
        _thumbZero = ThumbSlot.For(thumb.Table.DecodeInstruction(0), 0, 0);
        Volatile.Write(ref _thumb, thumb);
        return thumb;
    }

    /// <summary>The model whose decoders filled this store.</summary>
    public CpuModel Model { get; }

    /// <summary>The most host memory the store holds (bytes, as <see cref="ResidentBytes"/> counts them).</summary>
    public long Capacity { get; }

    /// <summary>The ARM decoder of <see cref="Model"/>.</summary>
    public ArmDecoder Arm { get; }

    /// <summary>The 16-bit Thumb decoder of <see cref="Model"/> (built on first use).</summary>
    public Thumb16Decoder Thumb => Volatile.Read(ref _thumb) ?? BuildThumb();

    /// <summary>Whether <see cref="Thumb"/> has been built (for the tests).</summary>
    internal bool HasThumbTable => Volatile.Read(ref _thumb) is not null;

    /// <summary>The 32-bit Thumb decoder of <see cref="Model"/>; null on models without Thumb-2.</summary>
    public Thumb32Decoder? Thumb32 { get; }

    // The slots a page reads through until it has its own: the decoding of 0 everywhere, never written.
    internal DecodedInstruction[] ArmPlaceholder { get; }
    internal ThumbSlot[] ThumbPlaceholder { get; }
    internal bool[] ValidPlaceholder { get; } = new bool[ThumbSlotCount];

    /// <summary>
    /// Pages were evicted or forgotten: an engine holding one's slots must enter its page afresh
    /// before it reads them again (<see cref="Cpu"/> invalidates its engine).
    /// </summary>
    public event Action? PagesDropped;

    /// <summary>
    /// Decodes a Thumb instruction as fetched: a halfword, or on Thumb-2 models hw1:hw2 when the
    /// first halfword opens a 32-bit instruction (<see cref="IsThumb32"/>).
    /// </summary>
    public DecodedInstruction DecodeThumb(uint op) =>
        op > 0xFFFF ? Thumb32!.Table.DecodeInstruction(op) : Thumb.Table.DecodeInstruction(op);

    /// <summary>
    /// The Thumb slot for the instruction <paramref name="op"/> (as <see cref="DecodeThumb"/> takes
    /// it), fetched as the little-endian word <paramref name="word"/> (<see cref="ThumbSlot.For"/>).
    /// </summary>
    /// <remarks>
    /// A 32-bit instruction with an A32 twin (<see cref="A32Twins"/>) becomes the twin and its A32
    /// handler: the T32 encodings scatter their fields (imm3:imm2, hw1/hw2 splits), the A32 field
    /// views read them in one shift and mask each, and the semantic core is the same.
    /// </remarks>
    public ThumbSlot DecodeThumbSlot(uint op, uint word)
    {
        if (op > 0xFFFF && A32Twins.TryGet(op, out uint twin) && Thumb32!.Table.DecodeRow(op) >= 0 && Arm.Table.DecodeRow(twin) >= 0)
            return ThumbSlot.Twin(Arm.Table.DecodeInstruction(twin), op, word);
        return ThumbSlot.For(DecodeThumb(op), op, word);
    }

    /// <summary>The Thumb slot for the instruction <paramref name="op"/> alone (<see cref="ThumbSlot.CodeOf"/>).</summary>
    public ThumbSlot DecodeThumbSlot(uint op) => DecodeThumbSlot(op, ThumbSlot.CodeOf(op));

    /// <summary>
    /// The flags of the Thumb instruction a slot holds, looked up in the tables (a slot does not
    /// keep them): for the profiler, on the branches it follows.
    /// </summary>
    public EncodingFlags ThumbFlags(in ThumbSlot slot)
    {
        // Remembered in a small direct-mapped table (the instruction and its flags in one 64-bit
        // entry, so threads sharing the store never see half of one): a profiled run follows the
        // same few branches again and again, and a table lookup is a scan of rows.
        uint instruction = slot.Instruction;
        ref ulong entry = ref _thumbFlags[(int)((instruction ^ (instruction >> 16) ^ (instruction >> 8)) & (ThumbFlagsEntries - 1))];
        ulong seen = Volatile.Read(ref entry);
        if ((seen & 1) != 0 && (uint)(seen >> 32) == instruction) return (EncodingFlags)(ushort)(seen >> 1);
        var flags = DecodeThumb(instruction).Flags;
        Volatile.Write(ref entry, (ulong)instruction << 32 | (ulong)(ushort)flags << 1 | 1);
        return flags;
    }

    private const int ThumbFlagsEntries = 256;
    private readonly ulong[] _thumbFlags = new ulong[ThumbFlagsEntries];

    /// <summary>
    /// True if a first halfword opens a 32-bit Thumb instruction (DDI 0406C A6.1: bits 15:11 are
    /// 0b11101, 0b11110 or 0b11111). Only on Thumb-2 models: before, those are the 16-bit BL halves.
    /// </summary>
    public static bool IsThumb32(uint hw1) => hw1 >= 0xE800;

    /// <summary>Pages in the store now.</summary>
    public int PageCount => _resident.Count;

    /// <summary>Host bytes the store holds now: page headers and the slots of their own.</summary>
    public long ResidentBytes { get; private set; }

    /// <summary>The most <see cref="ResidentBytes"/> has been.</summary>
    public long PeakResidentBytes { get; private set; }

    /// <summary>Pages evicted to stay within <see cref="Capacity"/>.</summary>
    public long Evictions { get; private set; }

    /// <summary>The decoded page for virtual page <paramref name="vpn"/>, created on first use (an engine entering the page).</summary>
    public DecodedPage GetOrCreate(uint vpn)
    {
        // Read by value: a ref to an element of an array of references costs a covariance check
        // (CastHelpers.LdelemaRef) on every page entry.
        var directory = _directories[vpn >> DirectoryBits];
        if (directory is null) _directories[vpn >> DirectoryBits] = directory = new DecodedPage?[1 << DirectoryBits];
        if (directory[vpn & ((1 << DirectoryBits) - 1)] is { } page)
        {
            // Written only when it changes: page entries are frequent, clock sweeps rare.
            if (!page.Referenced) page.Referenced = true;
            return page;
        }
        MakeRoom(PageHeaderBytes, keep: null);
        // A new page starts without its second chance: code run once (straight-line, start-up)
        // goes before code that is entered again and again.
        page = new DecodedPage(this, vpn);
        // MakeRoom may have emptied this directory's slot (never the directory itself): set it now.
        _directories[vpn >> DirectoryBits]![vpn & ((1 << DirectoryBits) - 1)] = page;
        Admit(page, PageHeaderBytes);
        return page;
    }

    /// <summary>
    /// An engine entered page <paramref name="vpn"/> again without looking it up (it kept the
    /// page's slots): the clock's second chance, as <see cref="GetOrCreate"/> gives it.
    /// </summary>
    public void Entered(uint vpn)
    {
        if (_directories[vpn >> DirectoryBits]?[vpn & ((1 << DirectoryBits) - 1)] is { Referenced: false } page) page.Referenced = true;
    }

    /// <summary>The decoded page for <paramref name="vpn"/> if one exists.</summary>
    public DecodedPage? Find(uint vpn) => _directories[vpn >> DirectoryBits]?[vpn & ((1 << DirectoryBits) - 1)];

    /// <summary>Gives <paramref name="page"/> slots of its own for a state (its first decode in that state).</summary>
    internal void Materialise(DecodedPage page, bool thumb)
    {
        if (page.ResidentIndex < 0) Readmit(page);
        int bytes = thumb ? ThumbPageBytes : ArmPageBytes;
        MakeRoom(bytes, keep: page);
        if (thumb)
        {
            (page.ThumbSlots, page.ThumbValidSlots) = FreshSlots(_spareThumb, ThumbSlotCount, ThumbZero);
        }
        else
        {
            (page.ArmSlots, page.ArmValidSlots) = FreshSlots(_spareArm, ArmSlotCount, _armZero);
        }
        page.Bytes += bytes;
        ResidentBytes += bytes;
        PeakResidentBytes = Math.Max(PeakResidentBytes, ResidentBytes);
    }

    /// <summary>Slots of a state, each the decoding of 0, and their valid bits all clear: spares reused, else new ones.</summary>
    private static (T[] Slots, bool[] Valid) FreshSlots<T>(Stack<(T[] Slots, bool[] Valid)> spares, int count, T zero) where T : unmanaged
    {
        if (spares.TryPop(out var spare))
        {
            spare.Slots.AsSpan().Fill(zero);
            Array.Clear(spare.Valid);
            return spare;
        }
        var slots = GC.AllocateArray<T>(count, pinned: true); // see the constructor
        slots.AsSpan().Fill(zero);
        return (slots, new bool[count]);
    }

    /// <summary>Counts <paramref name="bytes"/> more held for <paramref name="page"/> (an engine's data), making room first.</summary>
    internal void Charge(DecodedPage page, int bytes)
    {
        if (page.ResidentIndex < 0) Readmit(page);
        MakeRoom(bytes, keep: page);
        page.Bytes += bytes;
        ResidentBytes += bytes;
        PeakResidentBytes = Math.Max(PeakResidentBytes, ResidentBytes);
    }

    /// <summary>
    /// Drops the pages of [<paramref name="va"/>, <paramref name="va"/> + <paramref name="size"/>):
    /// their code went away (unmapped, no longer executable, the process replaced or gone).
    /// </summary>
    public void Forget(uint va, ulong size)
    {
        if (size == 0 || _resident.Count == 0) return;
        ulong first = va >> PhysicalBus.PageBits;
        ulong last = Math.Min(((ulong)va + size - 1) >> PhysicalBus.PageBits, (1UL << (32 - PhysicalBus.PageBits)) - 1);
        bool dropped = false;
        if (last - first + 1 > (ulong)_resident.Count)
        {
            // A large range (exit, execve): look at the resident pages rather than at every page number.
            for (int i = _resident.Count - 1; i >= 0; i--)
            {
                if (i >= _resident.Count) continue;
                var page = _resident[i];
                if (page.Number >= first && page.Number <= last) dropped |= Drop(page);
            }
        }
        else
        {
            for (ulong vpn = first; vpn <= last; vpn++)
                if (Find((uint)vpn) is { } page) dropped |= Drop(page);
        }
        if (dropped) PagesDropped?.Invoke();
    }

    /// <summary>
    /// An I-cache line was evicted or invalidated: the slots decoded from it no longer stand for
    /// it (see <see cref="DecodedPage.ArmValid"/>).
    /// </summary>
    public void OnInstructionLineRemoved(uint va, int length)
    {
        if (Find(va >> PhysicalBus.PageBits) is not { } page) return;
        uint offset = va & PhysicalBus.PageMask;
        // Only slots of the page's own can be valid (the placeholders' bits are all false, and stay so).
        bool[]? arm = page.HasArm ? page.ArmValidSlots : null, thumb = page.HasThumb ? page.ThumbValidSlots : null;
        for (uint a = offset; a < offset + (uint)length && a < PhysicalBus.PageSize; a += 2)
        {
            if (thumb is not null)
            {
                thumb[a >> 1] = false;
                // A 32-bit Thumb instruction starting in the halfword before the line holds part of it.
                if (a == offset && a >= 2) thumb[(a - 2) >> 1] = false;
            }
            if (arm is not null && (a & 3) == 0) arm[a >> 2] = false;
        }
    }

    /// <summary>Forgets every decoded instruction.</summary>
    public void Clear()
    {
        if (_resident.Count == 0) return;
        for (int i = _resident.Count - 1; i >= 0; i--) Drop(_resident[i]);
        Array.Clear(_directories);
        _hand = 0;
        PagesDropped?.Invoke();
    }

    /// <summary>Evicts pages (clock, second chance) until <paramref name="bytes"/> more fit; never <paramref name="keep"/>.</summary>
    private void MakeRoom(int bytes, DecodedPage? keep)
    {
        if (ResidentBytes + bytes <= Capacity) return;
        bool dropped = false;
        // Two sweeps give every page its second chance; a third finds nothing but keep.
        for (int steps = 3 * _resident.Count; ResidentBytes + bytes > Capacity && steps > 0 && _resident.Count > 0; steps--)
        {
            if (_hand >= _resident.Count) _hand = 0;
            var page = _resident[_hand];
            if (page == keep || page.Referenced)
            {
                page.Referenced = false;
                _hand++;
                continue;
            }
            // The evicted page's slots go to the spares, where the page being made room for takes them.
            Drop(page);
            Evictions++;
            dropped = true;
        }
        if (dropped) PagesDropped?.Invoke();
    }

    private void Admit(DecodedPage page, int bytes)
    {
        page.ResidentIndex = _resident.Count;
        _resident.Add(page);
        page.Bytes = bytes;
        ResidentBytes += bytes;
        PeakResidentBytes = Math.Max(PeakResidentBytes, ResidentBytes);
    }

    /// <summary>A page dropped while an engine held it runs again: it comes back (replacing any newer page of its number).</summary>
    private void Readmit(DecodedPage page)
    {
        if (Find(page.Number) is { } newer) Drop(newer);
        MakeRoom(PageHeaderBytes, keep: null);
        ref DecodedPage?[]? directory = ref _directories[page.Number >> DirectoryBits];
        directory ??= new DecodedPage?[1 << DirectoryBits];
        directory[page.Number & ((1 << DirectoryBits) - 1)] = page;
        Admit(page, PageHeaderBytes);
    }

    /// <summary>Takes a page out of the table and the resident list; its slots go to the spares (up to a limit).</summary>
    private bool Drop(DecodedPage page)
    {
        int index = page.ResidentIndex;
        if (index < 0) return false;
        // Swap-remove: the last resident page takes the dropped one's place (the hand stays where it is).
        var last = _resident[^1];
        _resident[index] = last;
        last.ResidentIndex = index;
        _resident.RemoveAt(_resident.Count - 1);
        page.ResidentIndex = -1;
        if (_directories[page.Number >> DirectoryBits] is { } directory && directory[page.Number & ((1 << DirectoryBits) - 1)] == page)
            directory[page.Number & ((1 << DirectoryBits) - 1)] = null;
        if (page.HasArm)
        {
            if (_spareArm.Count < SpareLimit) _spareArm.Push((page.ArmSlots, page.ArmValidSlots));
            page.ArmSlots = ArmPlaceholder;
            page.ArmValidSlots = ValidPlaceholder;
        }
        if (page.HasThumb)
        {
            if (_spareThumb.Count < SpareLimit) _spareThumb.Push((page.ThumbSlots, page.ThumbValidSlots));
            page.ThumbSlots = ThumbPlaceholder;
            page.ThumbValidSlots = ValidPlaceholder;
        }
        page.EngineData = null;
        ResidentBytes -= page.Bytes;
        page.Bytes = 0;
        return true;
    }
}
