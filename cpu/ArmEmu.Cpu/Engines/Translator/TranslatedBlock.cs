using System.Runtime.CompilerServices;
using ArmEmu.Memory;

namespace ArmEmu.Cpu.Engines.Translator;

/// <summary>
/// One straight-line run of ARM instructions compiled to a .NET method: where it starts, the
/// words it was translated from, and the compiled body. The body is only run when the words in
/// memory still equal <see cref="Words"/> (checked on every entry, one vectorised compare), so
/// a translation never runs code that has changed, whichever address space or mapping it is
/// entered through: its meaning depends only on its address and its words.
/// </summary>
internal sealed unsafe class TranslatedBlock
{
    public TranslatedBlock(uint start, uint[] words)
    {
        Start = start;
        Words = words;
        Length = words.Length;
        ByteLength = words.Length * 4;
    }

    /// <summary>A block of Thumb instructions: <paramref name="length"/> of them in <paramref name="halfwords"/>.</summary>
    public TranslatedBlock(uint start, ushort[] halfwords, int length)
    {
        Start = start;
        Words = [];
        Halfwords = halfwords;
        Thumb = true;
        Length = length;
        ByteLength = halfwords.Length * 2;
    }

    /// <summary>Virtual address of the first instruction.</summary>
    public readonly uint Start;

    /// <summary>The instruction words the body was translated from (ARM; empty for a Thumb block).</summary>
    public readonly uint[] Words;

    /// <summary>The halfwords a Thumb block was translated from (null for an ARM block).</summary>
    public readonly ushort[]? Halfwords;

    /// <summary>
    /// A Thumb block translated through the I-cache: each instruction's slot on the page (by
    /// halfword) and the instruction it held (what <see cref="Resident"/> compares).
    /// </summary>
    public (int Slot, uint Op)[] ThumbSlots = [];

    /// <summary>
    /// The block runs in Thumb state (entered only with ITSTATE zero): it is found in the page's
    /// Thumb slots and linked only to Thumb blocks.
    /// </summary>
    public readonly bool Thumb;

    /// <summary>Bytes of code the block covers, from <see cref="Start"/>.</summary>
    public readonly int ByteLength;

    /// <summary>The page the block starts in (set by the engine): a link into another page enters that page.</summary>
    public TranslationPage Page = null!;

    /// <summary>Instructions in the block.</summary>
    public readonly int Length;

    /// <summary>
    /// Instructions in the block's first segment (up to its first conditional branch or
    /// conditional return): the budget a run must have left to enter it, and the words the stop
    /// address must lie outside. The body checks the same before each later segment.
    /// </summary>
    public int EntryLength;

    /// <summary>Bytes of code in the first segment (<see cref="EntryLength"/> instructions).</summary>
    public uint EntryBytes;

    /// <summary>
    /// The compiled body: runs the block, and the blocks it chains to, on the CPU, leaving the
    /// PC and the budget as the interpreter would. It returns the block that left last, with
    /// <see cref="LastExit"/> saying by which exit. Called with a null CPU it returns null at
    /// once (the engine does that first, so that the .NET JIT's compile is timed on its own).
    /// </summary>
    public Func<Cpu, TranslatedBlock?> Body = null!;

    /// <summary>
    /// The link slot (an index into <see cref="Links"/>) of the fixed exit by which the body
    /// last returned to the engine, or -1 when that was a computed exit or a call-out.
    /// </summary>
    public int LastExit = -1;

    /// <summary>
    /// <see cref="LastExit"/> of a body that left before a load or store its inline fast path
    /// could not do (a side exit): the engine interprets that instruction next.
    /// </summary>
    public const int SideExit = -2;

    /// <summary>Its loads and stores leave by a side exit off their fast path (else they call out).</summary>
    public bool HasSideExits;

    /// <summary>Dropped by the engine (to be translated again with call-outs): never entered again.</summary>
    public bool Dropped;

    /// <summary>Times the body left by a side exit (the engine translates it again without them past a limit).</summary>
    public int SideExitsTaken;

    /// <summary>The engine's statistics (the body counts its direct chaining there).</summary>
    public TranslatorStatistics Statistics = null!;

    /// <summary>
    /// The targets of the block's fixed exits (its branches with a constant target and its end),
    /// one slot per distinct target, and the blocks linked to them: the block translated at that
    /// target, linked by the engine the first time the exit leads to it.
    /// A body returns the link of the exit it took, so that the engine enters the next block
    /// without looking it up (direct chaining; the entry checks -- budget, stop address,
    /// attention, the words -- stay with the engine). An exit into the other state (BLX
    /// immediate) has its target with <see cref="OtherState"/> set, and links only to a block
    /// of that state.
    /// </summary>
    public uint[] ExitTargets = [];

    /// <summary>Set in an <see cref="ExitTargets"/> entry whose exit changes the state (a block start never has bit 0 set).</summary>
    public const uint OtherState = 1;

    /// <inheritdoc cref="ExitTargets"/>
    public TranslatedBlock?[] Links = [];

    public void SetExits(uint[] targets)
    {
        ExitTargets = targets;
        Links = new TranslatedBlock?[targets.Length];
    }

    /// <summary>
    /// The block found last after this one left by a computed exit (a return, an interpreted
    /// branch): entered directly when the next PC is its start (a one-entry prediction, as a
    /// return-address guess; the entry checks stay).
    /// </summary>
    public TranslatedBlock? Predicted;

    /// <summary>
    /// Links every exit of this block whose target is <paramref name="next"/>'s start to it;
    /// when none is, <paramref name="next"/> becomes the prediction.
    /// </summary>
    public void LinkTo(TranslatedBlock next)
    {
        // A fixed exit goes to a block of its own state, unless it changes the state (BLX
        // immediate, marked OtherState); a block of the other state at a state-keeping exit's
        // address is only a prediction, checked against the state on use.
        bool linked = false;
        uint key = next.Thumb == Thumb ? next.Start : next.Start | OtherState;
        for (int k = 0; k < ExitTargets.Length; k++)
        {
            if (ExitTargets[k] != key) continue;
            Links[k] = next;
            linked = true;
        }
        if (!linked) Predicted = next;
    }

    /// <summary>The body has been compiled by the .NET JIT (it is only chained to then).</summary>
    public bool Compiled;

    /// <summary>
    /// The block linked to fixed exit <paramref name="link"/> of <paramref name="from"/> when
    /// the engine would enter it there itself (<see cref="CanChain"/>), else null.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TranslatedBlock? Chained(TranslatedBlock from, Cpu cpu, int link)
    {
        var next = from.Links[link];
        return next is not null && CanChain(from, cpu, next) ? next : null;
    }

    /// <summary>
    /// After a computed exit of <paramref name="from"/> (a return, an interpreted branch): its
    /// prediction when the PC is the predicted block's start, else the block the engine last
    /// entered at the PC (<see cref="JumpCache"/>: a function returning to several callers, a
    /// call through a pointer), when it is in the CPU's state (outside an IT block) and the
    /// engine would enter it there itself (<see cref="CanChain"/>); else null.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TranslatedBlock? ChainedPredicted(TranslatedBlock from, Cpu cpu)
    {
        var next = from.Predicted;
        uint pc = cpu._pc;
        if (next is null || next.Start != pc) next = from.JumpCache[JumpCacheIndex(pc)];
        return next is not null && next.Start == pc && next.Thumb == cpu.T && cpu.ITState == 0 && CanChain(from, cpu, next) ? next : null;
    }

    /// <summary>Entries in an engine's <see cref="JumpCache"/>.</summary>
    public const int JumpCacheSize = 4096;

    /// <summary>The <see cref="JumpCache"/> entry of a block starting at <paramref name="pc"/> (by halfword: Thumb blocks too).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int JumpCacheIndex(uint pc) => (int)(pc >> 1) & (JumpCacheSize - 1);

    /// <summary>
    /// The engine's blocks by start address, direct-mapped (one per engine, shared by its blocks;
    /// the engine writes each block it enters from the dispatcher): where a computed exit whose
    /// prediction failed looks for its target, as QEMU's lookup_and_goto_ptr looks up a jump
    /// cache, so that a return to one of several callers chains instead of going back to the
    /// dispatcher. An entry is only a guess: it is followed under the same checks as a
    /// prediction (start, state, <see cref="CanChain"/>), so a stale one costs a compare.
    /// </summary>
    public TranslatedBlock?[] JumpCache = null!;

    /// <summary>
    /// The engine's conditions for entering <paramref name="next"/> after <paramref name="from"/>
    /// left (the CPU's state is the exit's), so that a body can tail-call it: it has been
    /// compiled, its page's host pointer and decoded slots are current (the same page, or one
    /// entered since the last invalidation at the privilege the CPU has now: see
    /// <see cref="OnCurrentPage"/>), nothing wants attention (an interrupt, a stop, an
    /// invalidation), the budget pays for its first segment, the stop address is not inside
    /// that, and no code write has been counted since its words last matched (else the engine
    /// compares them) or, translated through the I-cache, its lines are resident.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool CanChain(TranslatedBlock from, Cpu cpu, TranslatedBlock next)
    {
        if (!next.Compiled || cpu._attention || !OnCurrentPage(from, cpu, next)) return false;
        if (cpu._budget < next.EntryLength || cpu._stopAddress - next.Start < next.EntryBytes) return false;
        // Its words: unchanged in memory, or still in resident I-cache lines, as the engine checks
        // them for the page's kind (the block that left is of that kind: it was entered).
        if (next.FromInstructionCache != from.FromInstructionCache) return false;
        if (next.FromInstructionCache ? !next.Resident() : next.CheckedAt != next.Bus.CodeWrites) return false;
        from.Statistics.ChainedEntries++;
        return true;
    }

    /// <summary>
    /// True when <paramref name="next"/>'s page holds what the engine would find entering it now,
    /// as <c>RunChain</c> checks a link into another page: the same page as the block that left,
    /// or a page entered in the same epoch (no invalidation since -- the block that left runs in
    /// a page of the current epoch, the engine's, since an invalidation raises the attention
    /// flag first) at the CPU's privilege (the memory port keeps a fetch path per privilege).
    /// Calls between pages (qsort and its comparison, a loop and a libgcc routine) chain too.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool OnCurrentPage(TranslatedBlock from, Cpu cpu, TranslatedBlock next) =>
        ReferenceEquals(next.Page, from.Page)
        || (next.Page.Epoch == from.Page.Epoch && next.Page.Privileged == cpu.Memory.Privileged);

    /// <summary>The bus whose <see cref="PhysicalBus.CodeWrites"/> says when the words must be compared again.</summary>
    public PhysicalBus Bus = null!;

    /// <summary>
    /// <see cref="PhysicalBus.CodeWrites"/> when the words in memory were last found equal to
    /// <see cref="Words"/>: while the count is the same, no write can have changed them (stores
    /// to a page with translated code never take a memory port's fast path), so the compare is
    /// skipped. It is one less than the count at first (never compared).
    /// </summary>
    public int CheckedAt;

    /// <summary>True when memory at <paramref name="host"/> still holds the block's words (a block translated through the I-cache: <see cref="Resident"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Matches(byte* host) => FromInstructionCache ? Resident() : CheckedAt == Bus.CodeWrites || Compare(host);

    /// <summary>
    /// Translated from the modelled I-cache (the page's decoded slots of resident lines), not from
    /// memory: valid as long as those lines are (stale code runs stale, as on hardware), whatever
    /// memory holds. Each instruction it runs is an I-cache hit, counted by the engine.
    /// </summary>
    public bool FromInstructionCache { get; init; }

    /// <summary><see cref="TranslationPage.LinesRemoved"/> when the block's slots were last found resident and unchanged.</summary>
    public int ResidentAt;

    /// <summary>
    /// True when every word of the block is still in a resident I-cache line and is the word it
    /// was translated from: nothing to look at while no line of the page has been removed since
    /// the last check; otherwise the page's slots (valid bits and words) are compared.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Resident() => ResidentAt == Page.LinesRemoved || CheckResident();

    [MethodImpl(MethodImplOptions.NoInlining)]
    private bool CheckResident()
    {
        if (Thumb)
        {
            foreach (var (slot, op) in ThumbSlots)
                if (!Page.ThumbValid[slot] || Page.Thumb[slot].Instruction != op) return false;
            ResidentAt = Page.LinesRemoved;
            return true;
        }
        int first = (int)(Start >> 2) & 1023;
        for (int k = 0; k < Words.Length; k++)
            if (!Page.ArmValid[first + k] || Page.Arm[first + k].Opcode != Words[k]) return false;
        ResidentAt = Page.LinesRemoved;
        return true;
    }

    /// <summary>
    /// A block translated through the I-cache whose words the I-cache no longer holds (a line was
    /// filled again from memory that had changed): it can never run again.
    /// </summary>
    public bool Outdated()
    {
        if (!FromInstructionCache) return false;
        if (Thumb)
        {
            foreach (var (slot, op) in ThumbSlots)
                if (Page.ThumbValid[slot] && Page.Thumb[slot].Instruction != op) return true;
            return false;
        }
        int first = (int)(Start >> 2) & 1023;
        for (int k = 0; k < Words.Length; k++)
            if (Page.ArmValid[first + k] && Page.Arm[first + k].Opcode != Words[k]) return true;
        return false;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private bool Compare(byte* host)
    {
        bool same = Halfwords is { } halfwords
            ? new ReadOnlySpan<ushort>(host + (Start & PhysicalBus.PageMask), halfwords.Length).SequenceEqual(halfwords)
            : new ReadOnlySpan<uint>(host + (Start & PhysicalBus.PageMask), Words.Length).SequenceEqual(Words);
        if (!same) return false;
        CheckedAt = Bus.CodeWrites;
        return true;
    }

    /// <summary>Called by the body after an interpreted instruction that may have stored: have the block's words changed?</summary>
    public bool WordsChanged() => !Matches(Page.Host);
}
