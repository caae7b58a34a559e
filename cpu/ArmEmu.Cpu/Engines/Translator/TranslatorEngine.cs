using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using ArmEmu.Cpu.Decoding;
using ArmEmu.Memory;

namespace ArmEmu.Cpu.Engines.Translator;

/// <summary>What the translator has done so far (for <c>--stats</c>, tests and the README's figures).</summary>
internal sealed class TranslatorStatistics
{
    /// <summary>Blocks compiled.</summary>
    public long BlocksTranslated { get; internal set; }

    /// <summary>Of those, blocks of Thumb code.</summary>
    public long ThumbBlocksTranslated { get; internal set; }

    /// <summary>Instructions in the compiled blocks.</summary>
    public long InstructionsTranslated { get; internal set; }

    /// <summary>Of those, instructions compiled to IL of their own (the rest call their interpreter handler).</summary>
    public long InstructionsInlined { get; internal set; }

    /// <summary>Blocks entered through a link from the block before them, without the dispatcher's lookup (by the engine or by the block's own exit).</summary>
    public long ChainedEntries { get; internal set; }

    /// <summary>
    /// Times compiled code returned to the engine (a block, or the chain of blocks it entered by
    /// itself, left by an exit it could not follow: no link or prediction yet, a computed exit
    /// mispredicted, the budget, an interrupt); each costs a dispatcher pass.
    /// </summary>
    public long BlockReturns { get; internal set; }

    /// <summary>Blocks dropped because their loads and stores left by side exits too often (translated again with call-outs).</summary>
    public long RetranslatedForCallOuts { get; internal set; }

    /// <summary>Instructions executed inside compiled blocks.</summary>
    public long InstructionsInBlocks { get; internal set; }

    /// <summary>
    /// Host time spent translating: IL generation and the .NET JIT's compile of the first call.
    /// CPU time of the emulating thread where the host tells it (Linux), so that a loaded machine
    /// does not inflate it; wall time elsewhere.
    /// </summary>
    public TimeSpan TranslationTime => TimeSpan.FromTicks(TranslationNanoseconds / 100);

    internal long TranslationNanoseconds;

    /// <summary>Mean host microseconds per translated block.</summary>
    public double MicrosecondsPerBlock => BlocksTranslated == 0 ? 0 : TranslationTime.TotalMicroseconds / BlocksTranslated;
}

/// <summary>
/// The translating engine: the interpreter runs cold code; an ARM-state address that has been
/// executed <see cref="Threshold"/> times starts a block that is compiled to a .NET method
/// (<see cref="BlockTranslator"/>) and run from then on, as long as its words are unchanged.
/// </summary>
/// <remarks>
/// Identical results are the rule, so the engine gives a run to the interpreter
/// (<see cref="InterpreterEngine"/>) whenever it cannot keep it: with an instruction hook or a
/// profile installed (the whole run), in Thumb state or on a page without a host pointer
/// (MMIO, a modelled I-cache, an observer: the rest of the run). A block is entered only when
/// the budget can pay for all of it and the stop address is not inside it; otherwise its first
/// instruction is interpreted. Interrupts and stop requests are seen between blocks, and inside
/// a block after every instruction that calls out of it (memory accesses, interpreted
/// instructions): exactly where the interpreter would see them, because nothing between two
/// call-outs can raise them.
/// </remarks>
internal sealed unsafe partial class TranslatorEngine : IExecutionEngine
{
    private readonly InterpreterEngine _interpreter = new();
    private Cpu? _cpu;

    // The page being fetched from: number, host pointer, decoded slots and blocks.
    private uint _fetchVpn = uint.MaxValue;
    private byte* _fetchHost;
    private DecodedInstruction[] _fetchArm = null!;
    private TranslationPage _page = null!;
    private bool _thumb2; // the model has 32-bit Thumb instructions

    // Raised by every invalidation: a page's host pointer is current while its epoch is this.
    private int _epoch;
    private bool _inBlock;
    private TranslatedBlock? _unlinked; // the last block run, when it left by an exit without a link
    private long _blockEntryBudget;
    private bool _stepNext; // the last block left by a side exit: interpret the next instruction
    private readonly TranslatedBlock?[] _jumpCache = new TranslatedBlock?[TranslatedBlock.JumpCacheSize];

    /// <summary>A new translating engine; <paramref name="threshold"/> executions of an address make it a block.</summary>
    public TranslatorEngine(int threshold = DefaultThreshold)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threshold, 1);
        Threshold = threshold;
    }

    /// <summary>
    /// Executions of an address before a block is compiled from it. Compiling costs the .NET
    /// JIT's time (1-3 ms a block, the first ones of a process 10 ms and more); interpreting an
    /// instruction costs a few nanoseconds, so a block must be run often before its translation
    /// pays. At 1000 the C library's start-up loops in a static "hello" became two blocks, 25 ms
    /// of CPU time to save microseconds (a third of armemu's start-up); from 3000 on nothing of
    /// it is compiled, and busybox gzip and the bench kernels take the same time from 3000 to
    /// 30,000 (measured 2026-12-07).
    /// </summary>
    public const int DefaultThreshold = 5000;

    /// <summary>Executions of an address before a block is compiled from it.</summary>
    public int Threshold { get; }

    /// <summary>What has been translated and run.</summary>
    public TranslatorStatistics Statistics { get; } = new();

    /// <summary>
    /// Called each time compiled code returns to the dispatcher (after a block, or after the
    /// blocks it chained to by itself), with the CPU's state written back at that exit (the
    /// whole-program lockstep tests compare the interpreter's state there); null otherwise, so
    /// an ordinary run pays one test per return.
    /// </summary>
    internal Action<Cpu>? BlockExited { get; set; }

    /// <summary>
    /// Drops the view of the fetch page. Translated blocks are kept (each checks its words on
    /// entry). A block in flight sees the invalidation at its next call-out (the CPU's attention
    /// flag) and returns, so that the next instruction is fetched through the new mapping.
    /// </summary>
    public void Invalidate()
    {
        _fetchVpn = uint.MaxValue;
        _epoch++;
        // Pages given back, remapped or flushed: whatever was written behind them uncounted
        // (a frame cleared through its region's pointer), every block compares its words again.
        _cpu?.Memory.Bus.NoteCodeWrite();
        _unlinked = null;
        _interpreter.Invalidate();
        if (_cpu is { } cpu) cpu._attention = true;
    }

    public StopReason Run(Cpu cpu, long budget, uint? stopAddress)
    {
        if (cpu.InstructionHook is not null || cpu.Profile is not null) return _interpreter.Run(cpu, budget, stopAddress);
        if (!ReferenceEquals(cpu, _cpu))
        {
            FollowInstructionLines(_cpu, cpu);
            _cpu = cpu;
            Invalidate();
        }
        cpu.BeginRun(budget, stopAddress);
        _stepNext = false;
        // Between runs an embedder may have written RAM through a region's pointer, uncounted.
        cpu.Memory.Bus.NoteCodeWrite();
        _inBlock = false;
        _unlinked = null;
        while (true)
        {
            try
            {
                if (Loop(cpu, out StopReason reason)) return reason;
                // The rest of the run is the interpreter's: a new run with what is left of this
                // one's budget counts and stops exactly as this one would have.
                return _interpreter.Run(cpu, cpu._budget, stopAddress);
            }
            catch (MemoryFault fault)
            {
                if (_inBlock)
                {
                    // A compiled access stores only the PC and the budget before it: the rest of
                    // the state an abort sees, as the interpreter has it.
                    _inBlock = false;
                    _unlinked = null;
                    Statistics.InstructionsInBlocks += _blockEntryBudget - cpu._budget;
                    // The aborted instruction was fetched too (an I-cache hit, as the interpreter counts it).
                    if (_fetchHost == null) CountInstructionFetches(cpu, _blockEntryBudget - cpu._budget + 1);
                    if (!cpu.T)
                    {
                        cpu._nextPc = cpu._pc + 4;
                        cpu.R[15] = cpu._pc + 8;
                    }
                    // (a Thumb block stores both before every access: its instructions' sizes differ)
                }
                if (cpu.AbortInstruction(fault)) return StopReason.Requested;
            }
        }
    }

    /// <summary>Runs blocks and cold instructions; false when the interpreter must take the rest of the run.</summary>
    private bool Loop(Cpu cpu, out StopReason reason)
    {
        while (true)
        {
            if (cpu._attention && cpu.TakeAttention(out reason)) return true;
            if (cpu._budget <= 0)
            {
                reason = StopReason.InstructionLimit;
                return true;
            }
            uint pc = cpu._pc;
            if (pc == cpu._stopAddress)
            {
                reason = StopReason.Address;
                return true;
            }
            reason = StopReason.Requested;
            if ((pc >> PhysicalBus.PageBits) != _fetchVpn && !EnterFetchPage(cpu, pc)) return false;
            if (_stepNext)
            {
                // After a block's side exit: this instruction, interpreted (so a block starting
                // here, which would leave again at once, is not entered).
                _stepNext = false;
                _unlinked = null;
                if (cpu.T)
                {
                    if (_page.ThumbSlots is null) _page.EnterThumb();
                    uint thumbSlot = (pc >> 1) & 2047;
                    if (_fetchHost != null) StepThumb(cpu, pc, thumbSlot);
                    else StepThumbThroughInstructionCache(cpu, pc, thumbSlot);
                }
                else if (_fetchHost != null) Step(cpu, pc, (pc >> 2) & 1023);
                else StepThroughInstructionCache(cpu, pc, (pc >> 2) & 1023);
                continue;
            }
            if (cpu.T)
            {
                // The page's Thumb slots are made on its first Thumb instruction (making them may
                // evict other pages, which invalidates this engine: then the page is entered again).
                if (_page.ThumbSlots is null) _page.EnterThumb();
                else LoopThumb(cpu, pc);
                continue;
            }

            uint slot = (pc >> 2) & 1023;
            ref BlockSlot entry = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_page.Slots), slot);
            if (entry.Block is { } block)
            {
                if (CanEnter(cpu, block))
                {
                    _unlinked?.LinkTo(block);
                    _jumpCache[TranslatedBlock.JumpCacheIndex(pc)] = block;
                    RunChain(cpu, block);
                    continue;
                }
                if (IsOutdated(block)) entry = default; // counted again from nothing, translated again when hot
            }
            else if (++entry.Count >= Threshold && Translate(cpu, pc) is { } translated)
            {
                entry.Block = translated;
                continue;
            }
            _unlinked = null;
            if (_fetchHost != null) Step(cpu, pc, slot);
            else StepThroughInstructionCache(cpu, pc, slot);
        }
    }

    /// <summary>
    /// The dispatcher's conditions for entering a block at the PC: the budget pays for its first
    /// segment, the stop address is not inside that, its words are in memory (on the fetch page).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool CanEnter(Cpu cpu, TranslatedBlock block) =>
        cpu._budget >= block.EntryLength && cpu._stopAddress - block.Start >= block.EntryBytes
        && (_fetchHost != null ? !block.FromInstructionCache && block.Matches(_fetchHost) : block.FromInstructionCache && block.Resident());

    /// <summary>
    /// The dispatcher in Thumb state: slots by halfword, as ARM's by word. A block starts only
    /// with ITSTATE zero (its translation knows ITSTATE from there on); inside an IT block the
    /// interpreter steps until the IT block is over.
    /// </summary>
    private void LoopThumb(Cpu cpu, uint pc)
    {
        uint slot = (pc >> 1) & 2047;
        if (cpu.ITState == 0)
        {
            ref BlockSlot entry = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_page.ThumbSlots), slot);
            if (entry.Block is { } block)
            {
                if (CanEnter(cpu, block))
                {
                    _unlinked?.LinkTo(block);
                    _jumpCache[TranslatedBlock.JumpCacheIndex(pc)] = block;
                    RunChain(cpu, block);
                    return;
                }
                if (IsOutdated(block)) entry = default; // counted again from nothing, translated again when hot
            }
            else if (entry.Count >= 0 && ++entry.Count >= Threshold)
            {
                if (Translate(cpu, pc, thumb: true) is { } translated)
                {
                    entry.Block = translated;
                    return;
                }
                // A 32-bit instruction across the page's end: never translated (through the
                // I-cache a slot not resident yet: tried again next time, as ARM).
                if (_fetchHost != null) entry.Count = int.MinValue;
            }
        }
        _unlinked = null;
        if (_fetchHost != null) StepThumb(cpu, pc, slot);
        else StepThumbThroughInstructionCache(cpu, pc, slot);
    }

    /// <summary>One Thumb instruction, as the interpreter runs it (an IT block's condition and ITAdvance included).</summary>
    private void StepThumb(Cpu cpu, uint pc, uint slot)
    {
        ref ThumbSlot d = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_page.Thumb), slot);
        uint offset = pc & PhysicalBus.PageMask;
        uint op = *(ushort*)(_fetchHost + offset);
        if (_thumb2 && CodeCache.IsThumb32(op))
            op = op << 16 | (offset == PhysicalBus.PageMask - 1
                                 ? cpu.Memory.Fetch16(pc + 2) // the next page's: its fault is this instruction's Prefetch Abort
                                 : *(ushort*)(_fetchHost + offset + 2));
        if (d.Instruction != op) d = RedecodeThumb(cpu, op, slot);
        ExecuteThumb(cpu, pc, d.Opcode, d.Handler);
    }

    /// <summary>Executes the Thumb instruction <paramref name="op"/> at <paramref name="pc"/> as the interpreter does (in an IT block: its condition, then ITAdvance unless the handler wrote ITSTATE).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ExecuteThumb(Cpu cpu, uint pc, uint op, delegate*<Cpu, uint, void> handler)
    {
        cpu._nextPc = pc + (op > 0xFFFF ? 4u : 2u);
        cpu.R[15] = pc + 4;
        byte it = cpu.ITState;
        if (it == 0) handler(cpu, op);
        else
        {
            if (cpu.ConditionPassed((uint)it >> 4)) handler(cpu, op);
            if (cpu.ITState == it) cpu.ITState = Cpu.ITAdvance(it);
        }
        cpu._pc = cpu._nextPc;
        cpu._budget--;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private ThumbSlot RedecodeThumb(Cpu cpu, uint op, uint slot)
    {
        _page.ThumbValid[slot] = false;
        return cpu.Code.DecodeThumbSlot(op);
    }

    /// <summary>
    /// Runs <paramref name="block"/> and the blocks it is linked to, one after another, while
    /// each can be entered and nothing wants attention (an interrupt, a stop, an invalidation:
    /// then the fetch page may have changed too). A linked block starts in the same virtual page,
    /// at the PC its predecessor's exit left, so the dispatcher's other checks hold already.
    /// A block that leaves by an exit without a link is remembered, so that the block found at
    /// its target is linked to it (or becomes its prediction for a computed exit).
    /// </summary>
    private void RunChain(Cpu cpu, TranslatedBlock block)
    {
        _unlinked = null;
        while (true)
        {
            long before = _blockEntryBudget = cpu._budget;
            _inBlock = true;
            // The block may chain to others itself: the one that returns is the one that left.
            var last = block.Compiled ? block.Body(cpu)! : RunFirstTime(block, cpu);
            _inBlock = false;
            Statistics.InstructionsInBlocks += before - cpu._budget;
            Statistics.BlockReturns++;
            // Blocks chain across pages by themselves: the page of the one that left is the fetch page now.
            if (!ReferenceEquals(last.Page, _page)) SetFetchPage(last.Page);
            // A chain stays in one page, so its blocks are all of one kind.
            if (last.FromInstructionCache) CountInstructionFetches(cpu, before - cpu._budget);
            BlockExited?.Invoke(cpu);
            if (last.LastExit == TranslatedBlock.SideExit)
            {
                // The instruction the block left before is the interpreter's (a slow-path access).
                // A block that leaves so often (a device register, a watched page, unaligned
                // data) is translated again, its accesses calling out instead.
                _stepNext = true;
                if (++last.SideExitsTaken == SideExitLimit) DropForCallOuts(last);
                return;
            }
            var next = last.LastExit >= 0 ? last.Links[last.LastExit] : null;
            if (next is { Dropped: true })
            {
                // Linked to a block translated again since: linked to the new one when found.
                last.Links[last.LastExit] = null;
                next = null;
            }
            if (next is null)
            {
                // A computed exit (a return, an interpreted branch) or one not linked yet: the
                // block found there last time is the prediction, taken when the PC is its start.
                next = last.Predicted;
                if (next is null || next.Dropped || next.Start != cpu._pc || next.Thumb != cpu.T || cpu.ITState != 0)
                {
                    _unlinked = last;
                    return;
                }
            }
            if (cpu._attention) return;
            if (!ReferenceEquals(next.Page, _page))
            {
                // A link into another page: its host pointer is still the one the page was last
                // entered with unless something has invalidated since (or the privilege changed).
                if (next.Page.Epoch != _epoch || next.Page.Privileged != cpu.Memory.Privileged) return;
                SetFetchPage(next.Page);
            }
            if (!CanEnter(cpu, next)) return;
            Statistics.ChainedEntries++;
            block = next;
        }
    }

    /// <summary>One instruction, as the interpreter runs it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Step(Cpu cpu, uint pc, uint slot)
    {
        ref DecodedInstruction d = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_fetchArm), slot);
        uint op = *(uint*)(_fetchHost + (pc & PhysicalBus.PageMask));
        if (d.Opcode != op) d = Redecode(cpu, op, slot);
        cpu._nextPc = pc + 4;
        cpu.R[15] = pc + 8;
        if (op >= 0xE000_0000 || cpu.ConditionPassed(op >> 28)) d.Handler(cpu, op);
        cpu._pc = cpu._nextPc;
        cpu._budget--;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private DecodedInstruction Redecode(Cpu cpu, uint op, uint slot)
    {
        _page.ArmValid[slot] = false;
        return cpu.Code.Arm.Table.DecodeInstruction(op);
    }

    /// <summary>
    /// Enters the page of <paramref name="pc"/>; false when it has no host pointer (the
    /// interpreter's case). The host pointer and decoded slots of a page entered before are
    /// reused while no invalidation has come between (the memory port's fetch path keeps the
    /// page's pointer until it is flushed, and a flush invalidates this engine) and the
    /// privilege is the same (the port keeps one fetch path per privilege).
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private bool EnterFetchPage(Cpu cpu, uint pc)
    {
        uint vpn = pc >> PhysicalBus.PageBits;
        // The translator's page lives with the decoded page in the address space's store: bounded
        // by it and dropped with it (a drop invalidates this engine, so the epoch moves on).
        var decoded = cpu.Code.GetOrCreate(vpn);
        if (decoded.EngineData is not TranslationPage page) decoded.AttachEngineData(page = new TranslationPage(vpn), TranslationPage.Bytes);
        bool privileged = cpu.Memory.Privileged;
        if (page.Epoch != _epoch || page.Privileged != privileged)
        {
            // throws MemoryFault -> Prefetch Abort, as in the interpreter
            byte* host = cpu.Memory.FetchPage(pc, out bool throughInstructionCache);
            // No host pointer: MMIO, an observer (the interpreter's), or the modelled I-cache, whose
            // slots stand for its resident lines (TranslatorEngine.InstructionCache.cs).
            if (host == null && !throughInstructionCache) return false;
            page.Host = host;
            page.Decoded = decoded;
            page.Arm = decoded.Arm;
            page.ArmValid = decoded.ArmValid;
            page.Privileged = privileged;
            page.Epoch = _epoch;
        }
        _thumb2 = cpu.Code.Thumb32 is not null;
        SetFetchPage(page);
        return true;
    }

    private void SetFetchPage(TranslationPage page)
    {
        _page = page;
        _fetchArm = page.Arm;
        _fetchHost = page.Host;
        _fetchVpn = page.Vpn;
    }

    /// <summary>
    /// Side exits a block may take before it is translated again with call-outs: a load or store
    /// off the fast path costs a return to the engine and an interpreted step that way, a call
    /// the other; a block whose accesses keep missing is better off calling.
    /// </summary>
    internal const int SideExitLimit = 256;

    // Blocks translated again without side exits: (start, Thumb).
    private readonly HashSet<(uint, bool)> _callOutBlocks = [];

    /// <summary>Drops <paramref name="block"/> from its page's slot, to be translated again (when hot) with call-outs.</summary>
    private void DropForCallOuts(TranslatedBlock block)
    {
        _callOutBlocks.Add((block.Start, block.Thumb));
        var slots = block.Thumb ? block.Page.ThumbSlots : block.Page.Slots;
        int slot = (int)((block.Start & PhysicalBus.PageMask) >> (block.Thumb ? 1 : 2));
        if (ReferenceEquals(slots[slot].Block, block)) slots[slot] = default;
        // The links, predictions and jump-cache entries that lead to it are not followed any more
        // (a body tail-calls only a compiled block), so the dispatcher counts the new one in.
        block.Compiled = false;
        block.Dropped = true;
        Statistics.RetranslatedForCallOuts++;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private TranslatedBlock? Translate(Cpu cpu, uint pc, bool thumb = false)
    {
        long start = ThreadTime.Nanoseconds();
        bool sideExits = _callOutBlocks.Count == 0 || !_callOutBlocks.Contains((pc, thumb));
        var block = thumb ? BlockTranslator.TranslateThumb(cpu, pc, _fetchHost, Statistics, _page, sideExits)
                          : BlockTranslator.Translate(cpu, pc, _fetchHost, Statistics, _page, sideExits);
        if (block is null) return null; // through the I-cache, the first word is not in a resident line; a Thumb block, see TranslateThumb
        block.Page = _page;
        block.JumpCache = _jumpCache;
        block.Bus = cpu.Memory.Bus;
        block.CheckedAt = block.Bus.CodeWrites - 1;
        if (block.FromInstructionCache)
        {
            // Nothing to watch: a store to memory does not change what the I-cache holds.
            block.ResidentAt = _page.LinesRemoved;
        }
        else
        {
            // Stores to the page leave the fast path from now on, so they are counted (this flushes
            // the memory ports' fast paths the first time, and so invalidates this engine's view).
            block.Bus.WatchCode(_fetchHost);
        }
        ForgetCountsInside(block);
        Statistics.TranslationNanoseconds += ThreadTime.Nanoseconds() - start;
        Statistics.BlocksTranslated++;
        if (block.Thumb) Statistics.ThumbBlocksTranslated++;
        Statistics.InstructionsTranslated += block.Length;
        return block;
    }

    /// <summary>
    /// The addresses inside a new block start counting again from nothing. While code is cold,
    /// every address of it is counted alike, so when its first address becomes a block the others
    /// are a step short of the threshold; from then on the dispatcher lands inside the block only
    /// where a run's budget was too short to enter it (at the end of each slice) or where a branch
    /// enters it, and the first would make a block of every address in turn, each a copy of the
    /// rest of the one it lies in (glibc's vfprintf: 650 blocks of 940 distinct instructions).
    /// Counted from nothing, an address inside becomes a block of its own when it is entered as
    /// often as a block start must be.
    /// </summary>
    private void ForgetCountsInside(TranslatedBlock block)
    {
        var slots = block.Thumb ? _page.ThumbSlots : _page.Slots;
        int shift = block.Thumb ? 1 : 2;
        int first = (int)((block.Start & PhysicalBus.PageMask) >> shift), end = first + (block.ByteLength >> shift);
        for (int k = first + 1; k < end && k < slots.Length; k++)
            if (slots[k].Block is null && slots[k].Count > 0) slots[k].Count = 0;
    }

    /// <summary>
    /// The first call of a block's method is where the .NET JIT compiles it (a DynamicMethod
    /// cannot be prepared ahead): a call without a CPU, which returns at once, timed as
    /// translation; then the run.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static TranslatedBlock RunFirstTime(TranslatedBlock block, Cpu cpu)
    {
        long start = ThreadTime.Nanoseconds();
        block.Body(null!);
        block.Compiled = true;
        block.Statistics.TranslationNanoseconds += ThreadTime.Nanoseconds() - start;
        return block.Body(cpu)!;
    }

}

/// <summary>The calling thread's CPU time (clock_gettime CLOCK_THREAD_CPUTIME_ID on Linux), else the wall clock.</summary>
internal static partial class ThreadTime
{
    private const int ClockThreadCpuTime = 3; // CLOCK_THREAD_CPUTIME_ID (linux/time.h)

    private static readonly bool Available = OperatingSystem.IsLinux();

    private struct TimeSpec
    {
        public long Seconds, Nanoseconds;
    }

    // By its soname: "libc" alone is probed under a dozen names first (HostLibc.Libc says more).
    [LibraryImport("libc.so.6", EntryPoint = "clock_gettime")]
    private static partial int ClockGetTime(int clock, out TimeSpec time);

    public static long Nanoseconds()
    {
        if (Available && ClockGetTime(ClockThreadCpuTime, out var t) == 0) return t.Seconds * 1_000_000_000 + t.Nanoseconds;
        return (long)(Stopwatch.GetTimestamp() * (1e9 / Stopwatch.Frequency));
    }
}

/// <summary>
/// The translator's view of one virtual page: the blocks starting in it and the execution counts
/// of the addresses without one, by word (ARM) and by halfword (Thumb: made on the first entry in
/// Thumb state, and charged to the store then); and the host page and decoded slots it was last
/// entered with, valid while <see cref="Epoch"/> is the engine's and the privilege the same.
/// </summary>
internal sealed unsafe class TranslationPage(uint vpn)
{
    /// <summary>What a page costs (its ARM block slots, a reference and a count each, and the rest), for the store's bound.</summary>
    public const int Bytes = 1024 * 16 + 64;

    /// <summary>What its Thumb block slots cost.</summary>
    public const int ThumbBytes = 2048 * 16;

    public readonly uint Vpn = vpn;
    public readonly BlockSlot[] Slots = new BlockSlot[1024];
    public BlockSlot[] ThumbSlots = null!;
    public byte* Host;
    public DecodedPage Decoded = null!;
    public DecodedInstruction[] Arm = null!;
    public bool[] ArmValid = null!;
    public ThumbSlot[] Thumb = null!;
    public bool[] ThumbValid = null!;
    public bool Privileged;
    public int Epoch = -1;

    public void EnterThumb()
    {
        if (ThumbSlots is null)
        {
            ThumbSlots = new BlockSlot[2048];
            Decoded.ChargeEngineData(ThumbBytes);
        }
        if (Thumb is null || !ReferenceEquals(Thumb, Decoded.ThumbSlots))
        {
            Thumb = Decoded.Thumb;
            ThumbValid = Decoded.ThumbValid;
        }
    }

    /// <summary>
    /// I-cache lines of the page removed so far (evicted or invalidated): a block translated
    /// through the I-cache is resident while this is the count it last checked at.
    /// </summary>
    public int LinesRemoved;
}

internal struct BlockSlot
{
    public TranslatedBlock? Block;
    public int Count;
}
