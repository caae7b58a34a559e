using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using ArmEmu.Cpu.Decoding;
using ArmEmu.Memory;

namespace ArmEmu.Cpu.Engines;

/// <summary>
/// The interpreter: fetch, decode through the address space's <see cref="CodeCache"/>, check the
/// condition, execute. It keeps the page being fetched from (host pointer, decoded slots,
/// profile counters) between instructions; everything else is the <see cref="Cpu"/>'s.
/// </summary>
internal sealed unsafe class InterpreterEngine : IExecutionEngine
{
    // The page instructions are being fetched from: its number, host pointer
    // (null: fetch through the port one at a time) and decoded instructions.
    private Cpu? _cpu;
    private uint _fetchVpn = uint.MaxValue;
    private byte* _fetchHost;
    // The page's slots as they are: a state's may be the store's read-only placeholder until a
    // word differs from it (Redecode gives the page slots of its own). Raw pointers: the store
    // keeps slots pinned, and alive until this engine is invalidated for their page.
    private DecodedInstruction* _fetchArm;
    private ThumbSlot* _fetchThumb;
    private bool[] _fetchArmValid = null!, _fetchThumbValid = null!;
    private bool _fetchThroughInstructionCache;
    private bool _fetchPrivileged; // the privilege the page was entered at

    // The Thumb loop's one test of its fast path: the offset of the PC from its page's base
    // below _thumbFastLimit -- the PC is on the page, the page has a host pointer and the PC is
    // not at its last halfword (whose successor is on the next page). It stands for three tests
    // (page number, host pointer, page end); 0 when the page is lost or has no host pointer.
    // The Thumb loop's page is the fetch page as the Thumb loop last entered it (its host pointer,
    // slots and privilege copied), and outside profiled runs it stays while ARM code runs on other
    // pages: a Thumb callback of the C library's ARM code (qsort's comparison) is called and
    // returns to its caller without either loop entering a page -- the ARM loop's fetch page is
    // still the caller's, the Thumb loop's still the callback's. Anything that invalidates the
    // fetch page (a remap, a flush, slots dropped) invalidates it too (Invalidate); a rewritten
    // instruction is caught by the fetch's comparison with the slot's word, as on the fetch page.
    private uint _fetchBase;
    private uint _thumbFastLimit;
    private byte* _thumbHost;
    private ThumbSlot* _thumbSlots;
    private bool _thumbPrivileged;
    private bool _thumb2; // the model has 32-bit Thumb instructions

    // The page fetched from before the current one (with a host pointer, entered at the privilege
    // it was entered at, outside profiled runs), kept so that code calling back and forth between
    // two pages -- a library routine and the program's callback, qsort and its comparison --
    // switches between them without entering either afresh.
    private uint _otherVpn = uint.MaxValue;
    private byte* _otherHost;
    private DecodedInstruction* _otherArm;
    private ThumbSlot* _otherThumb;
    private bool _otherPrivileged;

    // Profiling (Loop<WithProfile>): the counters of the fetch page, switched with it.
    private ulong[]? _profileExecuted, _profileFailed;

    /// <summary>
    /// The next instruction enters its page afresh (host pointer, slots, profile counters). The
    /// counters are kept until then: an invalidation may come in the middle of an instruction
    /// (a CP15 write that remaps memory) whose count the profiled loop still has to add.
    /// </summary>
    public void Invalidate()
    {
        _fetchVpn = _otherVpn = uint.MaxValue;
        _thumbFastLimit = 0;
    }

    public StopReason Run(Cpu cpu, long budget, uint? stopAddress)
    {
        if (!ReferenceEquals(cpu, _cpu))
        {
            Invalidate();
            _cpu = cpu;
        }
        cpu.BeginRun(budget, stopAddress);
        while (true)
        {
            try
            {
                // Each combination is its own specialisation, so a plain run pays nothing for the others.
                return (cpu.InstructionHook is null, cpu.Profile is null) switch
                {
                    (true, true) => Loop<NoHooks>(cpu),
                    (false, true) => Loop<WithHooks>(cpu),
                    (true, false) => Loop<WithProfile>(cpu),
                    _ => Loop<WithHooksAndProfile>(cpu),
                };
            }
            catch (MemoryFault fault)
            {
                if (cpu.AbortInstruction(fault)) return StopReason.Requested;
            }
        }
    }

    private interface ILoopMode
    {
        static abstract bool Hooked { get; }
        static abstract bool Profiled { get; }
    }

    private struct NoHooks : ILoopMode
    {
        public static bool Hooked => false;
        public static bool Profiled => false;
    }

    private struct WithHooks : ILoopMode
    {
        public static bool Hooked => true;
        public static bool Profiled => false;
    }

    private struct WithProfile : ILoopMode
    {
        public static bool Hooked => false;
        public static bool Profiled => true;
    }

    private struct WithHooksAndProfile : ILoopMode
    {
        public static bool Hooked => true;
        public static bool Profiled => true;
    }

    /// <summary>
    /// The rare cases before an instruction, in both states: an interrupt or stop request, the
    /// budget spent, the stop address reached. The loops test the three in a row and come here
    /// only when one holds; -1: run the instruction at the PC (an interrupt taken may have moved
    /// it and changed the state), else the reason to stop.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int Interrupted(Cpu cpu)
    {
        if (cpu._attention && cpu.TakeAttention(out StopReason reason)) return (int)reason;
        if (cpu._budget <= 0) return (int)StopReason.InstructionLimit;
        if (cpu._pc == cpu._stopAddress) return (int)StopReason.Address;
        return -1;
    }

    /// <summary>
    /// The instruction hook (the hooked loops only). False: the instruction at <paramref name="pc"/>
    /// does not run now (the hook moved the PC, changed the state or asked to stop).
    /// </summary>
    private bool RunHook(Cpu cpu, uint pc, bool thumb)
    {
        cpu.InstructionHook?.Invoke(cpu, pc, thumb);
        if (cpu._pc != pc || cpu.T != thumb || cpu.StopRequested) return false;
        // A hook that remapped the page or switched the profile (a region of interest opening or
        // closing here) invalidated the engine: this instruction is fetched and counted through
        // the new view.
        if ((pc >> PhysicalBus.PageBits) != _fetchVpn) EnterFetchPage(cpu, pc);
        return true;
    }

    /// <summary>
    /// The interpreter loop: one loop per instruction set, each holding only its own fetch, decode
    /// and condition check, so that each is compact and laid out (with or without profile-guided
    /// tiering) for its own code -- with both states' paths in one loop body, the JIT's dynamic
    /// PGO laid it out for whichever state ran while the loop was instrumented, and the other paid.
    /// A change of state (BX, BLX, an exception entry or return) jumps to the other loop: Thumb
    /// programs call the C library's and libgcc's ARM code all the time (division, qsort), so
    /// a switch must cost no more than a branch -- and no page entry: each loop keeps its own
    /// page across it (see _thumbFastLimit).
    /// </summary>
    private StopReason Loop<TMode>(Cpu cpu) where TMode : struct, ILoopMode
    {
        if (cpu.T) goto ToThumb;
        EnteringArmLoop(cpu);

    Arm:
        while (true)
        {
            uint pc = cpu._pc;
            if (cpu._attention || cpu._budget <= 0 || pc == cpu._stopAddress)
            {
                int interrupted = Interrupted(cpu);
                if (interrupted >= 0) return (StopReason)interrupted;
                pc = cpu._pc;
            }
            if (cpu.T) goto ToThumb;
            if ((pc >> PhysicalBus.PageBits) != _fetchVpn) EnterFetchPage(cpu, pc);
            if (TMode.Hooked && !RunHook(cpu, pc, thumb: false)) continue;

            ref DecodedInstruction d = ref _fetchArm[(pc >> 2) & 1023];
            uint op;
            if (_fetchHost != null)
            {
                op = *(uint*)(_fetchHost + (pc & PhysicalBus.PageMask));
                if (d.Opcode != op) d = ref Redecode(cpu, pc, op, (pc >> 2) & 1023);
            }
            else if (_fetchThroughInstructionCache && _fetchArmValid[(pc >> 2) & 1023])
            {
                // Decoded from an I-cache line still resident: an I-cache hit (see FetchWithoutHostPage).
                cpu.Memory.CountInstructionCacheHit();
                op = d.Opcode;
            }
            else
            {
                op = FetchWithoutHostPage(cpu, pc);
                d = ref _fetchArm[(pc >> 2) & 1023];
            }
            cpu._nextPc = pc + 4;
            cpu.R[15] = pc + 8;
            if (!TMode.Profiled)
            {
                if (op >= 0xE000_0000 || cpu.ConditionPassed(op >> 28)) d.Handler(cpu, op);
            }
            else
            {
                // Counted once the handler has returned: an aborted instruction is not executed.
                if (op >= 0xE000_0000 || cpu.ConditionPassed(op >> 28)) d.Handler(cpu, op);
                else _profileFailed![(pc >> 2) & 1023]++;
                _profileExecuted![(pc >> 1) & 2047]++;
                if (cpu._nextPc != pc + 4) cpu.Profile!.OnBranch(cpu, pc, d.Flags, cpu._nextPc, thumb: false);
            }

            cpu._pc = cpu._nextPc;
            cpu._budget--;
        }

    ToThumb:
        EnteringThumbLoop(cpu);
        while (true)
        {
            uint pc = cpu._pc;
            if (cpu._attention || cpu._budget <= 0 || pc == cpu._stopAddress)
            {
                int interrupted = Interrupted(cpu);
                if (interrupted >= 0) return (StopReason)interrupted;
                pc = cpu._pc;
            }
            if (!ThumbOutsideITBlock(cpu))
            {
                if (!cpu.T)
                {
                    EnteringArmLoop(cpu);
                    goto Arm;
                }
                if (TMode.Hooked || TMode.Profiled)
                {
                    StepInITBlock<TMode>(cpu, pc);
                    continue;
                }
                // Plain runs: StepInITBlock's work here, without the call (a comparison's IT block
                // in sort's callback is two of its eight instructions).
                ref ThumbSlot s = ref FetchThumb(cpu, pc);
                uint sop = s.Opcode;
                cpu._nextPc = pc + (sop > 0xFFFF ? 4u : 2u);
                cpu.R[15] = pc + 4;
                ExecuteInITBlock(cpu, s.Handler, sop);
                cpu._pc = cpu._nextPc;
                cpu._budget--;
                continue;
            }
            if (TMode.Hooked)
            {
                if ((pc >> PhysicalBus.PageBits) != _fetchVpn) EnterFetchPage(cpu, pc);
                if (!RunHook(cpu, pc, thumb: true)) continue;
                // A hook may have changed ITSTATE: the instruction is then run as one in an IT block.
                if (cpu.ITState != 0)
                {
                    StepInITBlock<TMode>(cpu, pc, hooked: true);
                    continue;
                }
            }

            ref ThumbSlot d = ref FetchThumb(cpu, pc);
            // The length from the opcode (above 0xFFFF: 32 bits) rather than a load from the slot, and
            // by a branch: predicted, it keeps the slot's load off the path from this PC to the next
            // (a computed length, LengthOf, made the Thumb loop 15% slower).
            uint op = d.Opcode;
            uint next = pc + 2;
            if (op > 0xFFFF) next = pc + 4;
            else if (!TMode.Hooked && !TMode.Profiled && op - 0xB100u < 0x3700u && InlineThumbBranch(cpu, pc, op))
            {
                // B<c> T1, B T2, CBZ/CBNZ: run here rather than through the handler's pointer, as the
                // ARM loop skips a failed condition (hooked and profiled runs take the general path).
                cpu._budget--;
                continue;
            }
            cpu._nextPc = next;
            cpu.R[15] = pc + 4;
            d.Handler(cpu, op);
            if (TMode.Profiled)
            {
                _profileExecuted![(pc >> 1) & 2047]++;
                if (cpu._nextPc != next) cpu.Profile!.OnBranch(cpu, pc, cpu.Code.ThumbFlags(d), cpu._nextPc, thumb: true);
            }

            cpu._pc = cpu._nextPc;
            cpu._budget--;
        }
    }

    /// <summary>
    /// A change to Thumb state (or a run starting in it): the Thumb loop's page, kept while ARM
    /// code ran, is used only at the privilege it was entered at -- at another (a mode changed
    /// without a page entered), the Thumb loop enters its page again, as it would have if the ARM
    /// code had left it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void EnteringThumbLoop(Cpu cpu)
    {
        if (cpu.Memory.Privileged != _thumbPrivileged) _thumbFastLimit = 0;
    }

    /// <summary>
    /// A change to ARM state (or a run starting in it): if the Thumb code ran on a page of its own
    /// (not the fetch page) and the privilege is no longer the one the fetch page was entered at,
    /// the ARM loop enters its page again, as it would have if the Thumb code had left it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void EnteringArmLoop(Cpu cpu)
    {
        if (_fetchBase != _fetchVpn << PhysicalBus.PageBits && cpu.Memory.Privileged != _fetchPrivileged) _fetchVpn = uint.MaxValue;
    }

    /// <summary>
    /// The 16-bit branches run in the Thumb loop (outside IT blocks, unhooked and unprofiled runs):
    /// B&lt;c&gt; T1 with conditions 0000-1101, B T2 and, on models with them, CBZ/CBNZ T1 -- what
    /// their handlers (<see cref="Interpreter.Thumb16.BConditional"/>, <see cref="Interpreter.Thumb16.B"/>,
    /// <see cref="Interpreter.Branch.CompareAndBranchT1"/>) do, with the PC moved on as the loop
    /// does. False: <paramref name="op"/> (between 0xB100 and 0xE7FF) is none of them, run it
    /// through its handler. The caller counts the instruction.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool InlineThumbBranch(Cpu cpu, uint pc, uint op)
    {
        uint next = pc + 2;
        if (op >= 0xD000)
        {
            if (op >= 0xE000)
            {
                if (op >= 0xE800) return false;
                // B T2: PC + SignExtend(imm11:'0').
                cpu._softwarePcWrites++;
                next = pc + 4 + (uint)((int)(op << 21) >> 20);
            }
            else
            {
                if (op >= 0xDE00) return false; // UDF (1110), SVC (1111)
                // B<c> T1: PC + SignExtend(imm8:'0') if the condition passes.
                if (cpu.ConditionPassed(op >> 8))
                {
                    cpu._softwarePcWrites++;
                    next = pc + 4 + (uint)((int)(op << 24) >> 23);
                }
            }
        }
        else
        {
            // CBZ/CBNZ T1 (1011 o0i1 iiii innn, ARMv6T2): forward by i:imm5:'0' if Rn is (not) zero.
            if ((op & 0xF500) != 0xB100 || !_thumb2) return false;
            if ((cpu.R[(int)op & 7] != 0) == ((op & 0x800) != 0))
            {
                cpu._softwarePcWrites++;
                next = pc + 4 + (((op >> 3) & 0x40) | ((op >> 2) & 0x3E));
            }
        }
        cpu.R[15] = pc + 4;
        cpu._nextPc = next;
        cpu._pc = next;
        return true;
    }

    /// <summary>
    /// The Thumb fetch: both halfwords in one load, compared with the word the slot was decoded
    /// from (ThumbSlot.Code) as ARM's opcode is -- no rearranging of halfwords and no branch on the
    /// length on a hit; which halfwords open a 32-bit instruction is decided only on a miss. One
    /// unsigned comparison stands for the page, host pointer and page-end tests
    /// (_thumbFastLimit); anything else is FetchThumbSlowly's.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ref ThumbSlot FetchThumb(Cpu cpu, uint pc)
    {
        uint offset = pc - _fetchBase;
        if (offset >= _thumbFastLimit) return ref FetchThumbSlowly(cpu, pc);
        // The slot (16 bytes a halfword) is offset * 8 bytes in; a Thumb PC is even, and the
        // mask keeps that so for any PC at one instruction's cost.
        ref ThumbSlot d = ref *(ThumbSlot*)((byte*)_thumbSlots + (nuint)(offset & ~1u) * 8);
        uint word = Unsafe.ReadUnaligned<uint>(_thumbHost + offset);
        if (word != d.Code) return ref RedecodeThumb(cpu, pc, ThumbInstruction(word), word);
        return ref d;
    }

    /// <summary>
    /// The Thumb fetch off the loop's fast path: a PC on another page (entered here), on a page
    /// without a host pointer (through the port, or the I-cache's valid slots), or at a host
    /// page's last halfword (a 32-bit instruction there has its second halfword on the next page).
    /// The fetch page becomes the Thumb loop's page too.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private ref ThumbSlot FetchThumbSlowly(Cpu cpu, uint pc)
    {
        uint vpn = pc >> PhysicalBus.PageBits;
        if (vpn != _fetchVpn) EnterFetchPage(cpu, pc);
        else SetThumbFastPath(vpn); // entered by the ARM loop, or the Thumb loop's page dropped
        uint slot = (pc >> 1) & 2047;
        ref ThumbSlot d = ref _fetchThumb[slot];
        if (_fetchHost != null)
        {
            uint offset = pc & PhysicalBus.PageMask;
            if (offset != PhysicalBus.PageMask - 1)
            {
                // Just entered: the loop's test holds from the next instruction.
                uint word = Unsafe.ReadUnaligned<uint>(_fetchHost + offset);
                if (word != d.Code) d = ref RedecodeThumb(cpu, pc, ThumbInstruction(word), word);
            }
            else
            {
                uint instruction = LastHalfwordOfPage(cpu, pc);
                if (d.Instruction != instruction) d = ref RedecodeThumb(cpu, pc, instruction, ThumbSlot.CodeOf(instruction));
            }
        }
        else if (_fetchThroughInstructionCache && _fetchThumbValid[slot])
        {
            // Decoded from an I-cache line still resident: an I-cache hit (see FetchWithoutHostPage).
            cpu.Memory.CountInstructionCacheHit();
        }
        else
        {
            d = ref FetchThumbWithoutHostPage(cpu, pc);
        }
        return ref d;
    }

    /// <summary>
    /// True in Thumb state outside an IT block: T and ITSTATE read with one load where the runtime
    /// laid them out side by side (T then ITSTATE, <see cref="ThumbStateAdjacent"/>: a constant to
    /// the JIT, so the other form is not compiled), else the two tested apart.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool ThumbOutsideITBlock(Cpu cpu) =>
        ThumbStateAdjacent ? Unsafe.As<bool, ushort>(ref cpu.T) == (BitConverter.IsLittleEndian ? 1 : 0x100) : cpu.T && cpu.ITState == 0;

    /// <summary>Whether <see cref="Cpu.ITState"/> is the byte after <see cref="Cpu.T"/> in this runtime's layout of <see cref="Cpu"/>.</summary>
    internal static readonly bool ThumbStateAdjacent = LayoutOfThumbState();

    private static bool LayoutOfThumbState()
    {
        var cpu = (Cpu)RuntimeHelpers.GetUninitializedObject(typeof(Cpu));
        return Unsafe.ByteOffset(ref Unsafe.As<bool, byte>(ref cpu.T), ref cpu.ITState) == 1;
    }

    /// <summary>
    /// One Thumb instruction in an IT block, off the loop's plain path (IT blocks are a few
    /// instructions, each behind an IT): fetched as FetchThumbSlowly does any, then run by
    /// <see cref="ExecuteInITBlock"/>. <paramref name="hooked"/>: the hook already ran.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void StepInITBlock<TMode>(Cpu cpu, uint pc, bool hooked = false) where TMode : struct, ILoopMode
    {
        if (TMode.Hooked && !hooked)
        {
            if ((pc >> PhysicalBus.PageBits) != _fetchVpn) EnterFetchPage(cpu, pc);
            if (!RunHook(cpu, pc, thumb: true)) return;
        }
        ref ThumbSlot d = ref FetchThumb(cpu, pc);
        uint op = d.Opcode;
        uint next = pc + (op > 0xFFFF ? 4u : 2u);
        cpu._nextPc = next;
        cpu.R[15] = pc + 4;
        ExecuteInITBlock(cpu, d.Handler, op);
        if (TMode.Profiled)
        {
            _profileExecuted![(pc >> 1) & 2047]++;
            if (cpu._nextPc != next) cpu.Profile!.OnBranch(cpu, pc, cpu.Code.ThumbFlags(d), cpu._nextPc, thumb: true);
        }
        cpu._pc = cpu._nextPc;
        cpu._budget--;
    }

    /// <summary>
    /// An instruction inside an IT block (DDI 0406C A2.5.2, A8.8.55): it executes only if the
    /// block's current condition, ITSTATE[7:4], passes, and ITSTATE then advances (ITAdvance()).
    /// Handlers see InITBlock for the instruction itself (the 16-bit forms that set flags only
    /// outside IT). An instruction that wrote ITSTATE itself -- an exception entry clears it, SVC
    /// advances it before the SPSR is saved (<see cref="Cpu.RaiseSupervisorCall"/>), an exception
    /// return restores it -- is left as it made it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ExecuteInITBlock(Cpu cpu, delegate*<Cpu, uint, void> handler, uint op)
    {
        byte it = cpu.ITState;
        if (it == 0)
        {
            handler(cpu, op); // a hook ended the block
            return;
        }
        if (cpu.ConditionPassed((uint)it >> 4)) handler(cpu, op);
        if (cpu.ITState == it) cpu.ITState = Cpu.ITAdvance(it);
    }

    /// <summary>
    /// The Thumb instruction at the start of a little-endian word of code: its first halfword, or
    /// on a model with 32-bit Thumb instructions, hw1:hw2 when the first halfword opens one
    /// (DDI 0406C A6.1: 0b11101, 0b11110 or 0b11111 in bits 15:11).
    /// </summary>
    private uint ThumbInstruction(uint word)
    {
        uint hw1 = word & 0xFFFF;
        return hw1 >= 0xE800 && _thumb2 ? BitOperations.RotateLeft(word, 16) : hw1;
    }

    /// <summary>
    /// A Thumb instruction at the last halfword of a host page: a 32-bit one has its second
    /// halfword on the next page, fetched through the MMU (its translation fault is this
    /// instruction's Prefetch Abort, DDI 0406C B1.9.6: the abort is on the second halfword's address).
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private uint LastHalfwordOfPage(Cpu cpu, uint pc)
    {
        uint op = *(ushort*)(_fetchHost + PhysicalBus.PageMask - 1);
        return op >= 0xE800 && _thumb2 ? op << 16 | cpu.Memory.Fetch16(pc + 2) : op;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void EnterFetchPage(Cpu cpu, uint pc)
    {
        uint vpn = pc >> PhysicalBus.PageBits;
        bool privileged = cpu.Memory.Privileged;
        if (vpn == _otherVpn && privileged == _otherPrivileged)
        {
            // Back to the page before (see _otherVpn): the two swap.
            _otherVpn = _fetchVpn;
            _fetchVpn = vpn;
            byte* host = _fetchHost;
            _fetchHost = _otherHost;
            _otherHost = host;
            DecodedInstruction* arm = _fetchArm;
            ThumbSlot* thumb = _fetchThumb;
            _fetchArm = _otherArm;
            _fetchThumb = _otherThumb;
            _otherArm = arm;
            _otherThumb = thumb;
            _otherPrivileged = _fetchPrivileged;
            _fetchPrivileged = privileged;
            _fetchThroughInstructionCache = false; // a page kept has a host pointer
            if (_otherHost == null) _otherVpn = uint.MaxValue;
            if (cpu.T || cpu.Profile is not null) SetThumbFastPath(vpn);
            cpu.Code.Entered(vpn);
            return;
        }
        // The page being left is kept if it can be swapped back: a host page (no I-cache, MMIO or
        // observer in its path), outside profiled runs (whose counters go with the page).
        if (_fetchVpn != uint.MaxValue && _fetchHost != null && cpu.Profile is null)
        {
            _otherVpn = _fetchVpn;
            _otherHost = _fetchHost;
            _otherArm = _fetchArm;
            _otherThumb = _fetchThumb;
            _otherPrivileged = _fetchPrivileged;
        }
        _fetchHost = cpu.Memory.FetchPage(pc, out _fetchThroughInstructionCache); // throws MemoryFault -> Prefetch Abort
        _fetchPrivileged = privileged;
        var page = cpu.Code.GetOrCreate(vpn);
        _fetchArm = Slots(page.ArmSlots);
        _fetchThumb = Slots(page.ThumbSlots);
        // The I-cache valid bits only for pages fetched through the I-cache, the only ones whose
        // loop reads them (Redecode and FetchWithoutHostPage write them through the page): each
        // reference stored is a GC write barrier.
        if (_fetchThroughInstructionCache)
        {
            _fetchArmValid = page.ArmValidSlots;
            _fetchThumbValid = page.ThumbValidSlots;
        }
        _thumb2 = cpu.Code.Thumb32 is not null;
        if (cpu.Profile is { } profile)
        {
            var counters = profile.Page(vpn);
            _profileExecuted = counters.Executed;
            _profileFailed = counters.ConditionFailed;
        }
        if (vpn == _otherVpn) _otherVpn = uint.MaxValue;
        _fetchVpn = vpn;
        // The ARM loop's entries leave the Thumb loop's page as it is (see _thumbFastLimit), except
        // in profiled runs, whose counters are the fetch page's.
        if (cpu.T || cpu.Profile is not null) SetThumbFastPath(vpn);
    }

    /// <summary>The fetch page <paramref name="vpn"/> becomes the Thumb loop's page (see _thumbFastLimit).</summary>
    private void SetThumbFastPath(uint vpn)
    {
        _fetchBase = vpn << PhysicalBus.PageBits;
        _thumbHost = _fetchHost;
        _thumbSlots = _fetchThumb;
        _thumbPrivileged = _fetchPrivileged;
        _thumbFastLimit = _fetchHost != null ? PhysicalBus.PageMask - 1 : 0;
    }

    /// <summary>The first slot of a page's slots (pinned by the store: <see cref="CodeCache"/>).</summary>
    private static T* Slots<T>(T[] slots) where T : unmanaged =>
        (T*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(slots));

    /// <summary>
    /// A slot whose word changed: decode it again, into slots of the page's own (the first
    /// decode in a state on the page makes them). It no longer stands for an I-cache line.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private ref DecodedInstruction Redecode(Cpu cpu, uint pc, uint op, uint slot)
    {
        var page = OwnSlots(cpu, pc, thumb: false);
        page.ArmValidSlots[slot] = false;
        ref DecodedInstruction d = ref _fetchArm[slot];
        d = cpu.Code.Arm.Table.DecodeInstruction(op);
        return ref d;
    }

    /// <summary>
    /// A Thumb slot whose word changed: decode the instruction <paramref name="op"/>, fetched as
    /// <paramref name="word"/> (<see cref="ThumbSlot.For"/>), as <see cref="Redecode"/> does.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private ref ThumbSlot RedecodeThumb(Cpu cpu, uint pc, uint op, uint word)
    {
        uint slot = (pc >> 1) & 2047;
        uint vpn = pc >> PhysicalBus.PageBits;
        // From the Thumb loop's page while the fetch page is the ARM loop's: that page's slots are
        // made its own through the fetch page.
        if (vpn != _fetchVpn) EnterFetchPage(cpu, pc);
        var page = OwnSlots(cpu, pc, thumb: true);
        page.ThumbValidSlots[slot] = false;
        if (_fetchBase == vpn << PhysicalBus.PageBits) _thumbSlots = _fetchThumb; // perhaps slots of its own now
        ref ThumbSlot d = ref _fetchThumb[slot];
        d = cpu.Code.DecodeThumbSlot(op, word);
        return ref d;
    }

    /// <summary>
    /// Makes the fetch page's slots of a state its own if they are still the placeholder. Making
    /// room may evict other pages (the store then invalidates this engine: the next instruction
    /// enters its page afresh), never this one.
    /// </summary>
    private DecodedPage OwnSlots(Cpu cpu, uint pc, bool thumb)
    {
        // The page is looked up again rather than kept: one reference less to store on every page
        // entry. Found, not entered: its clock bit says it was entered again, not decoded.
        uint vpn = pc >> PhysicalBus.PageBits;
        var page = cpu.Code.Find(vpn) ?? cpu.Code.GetOrCreate(vpn);
        if (thumb)
        {
            if (page.HasThumb && _fetchThumb == Slots(page.ThumbSlots)) return page;
            _fetchThumb = Slots(page.Thumb);
            _fetchThumbValid = page.ThumbValidSlots;
        }
        else
        {
            if (page.HasArm && _fetchArm == Slots(page.ArmSlots)) return page;
            _fetchArm = Slots(page.Arm);
            _fetchArmValid = page.ArmValidSlots;
        }
        return page;
    }

    /// <summary>
    /// A fetch from a page without a host pointer, when the slot cannot be used as it is. (Through
    /// the I-cache, a slot decoded from a line that is still resident is used by the loop itself:
    /// the decoded instruction follows the I-cache line it came from -- the line's removal clears
    /// the slot's valid bit -- so code changed in memory but not invalidated in the I-cache keeps
    /// running, as on hardware.) The word is fetched through the port (the I-cache, MMIO, an
    /// observer) and decoded again if it changed.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private uint FetchWithoutHostPage(Cpu cpu, uint pc)
    {
        uint slot = (pc >> 2) & 1023;
        uint op = cpu.Memory.Fetch32(pc);
        // The fetch may have faulted (no slots made then); from here the slot is written.
        var page = OwnSlots(cpu, pc, thumb: false);
        ref DecodedInstruction d = ref _fetchArm[slot];
        if (d.Opcode != op) d = cpu.Code.Arm.Table.DecodeInstruction(op);
        page.ArmValidSlots[slot] = _fetchThroughInstructionCache;
        return op;
    }

    /// <summary>The Thumb form of <see cref="FetchWithoutHostPage"/>: the slot, decoded again if its instruction changed.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private ref ThumbSlot FetchThumbWithoutHostPage(Cpu cpu, uint pc)
    {
        uint slot = (pc >> 1) & 2047;
        uint op = cpu.Memory.Fetch16(pc);
        bool crossesPage = false;
        if (op >= 0xE800 && _thumb2)
        {
            // The second halfword, perhaps on the next page (its fault is this instruction's).
            op = op << 16 | cpu.Memory.Fetch16(pc + 2);
            crossesPage = (pc & PhysicalBus.PageMask) == PhysicalBus.PageMask - 1;
        }
        // The fetch may have faulted (no slots made then); from here the slot is written.
        var page = OwnSlots(cpu, pc, thumb: true);
        ref ThumbSlot d = ref _fetchThumb[slot];
        if (d.Instruction != op) d = cpu.Code.DecodeThumbSlot(op);
        // A slot stands for resident I-cache lines of its own page only: one that crosses a page is fetched every time.
        page.ThumbValidSlots[slot] = _fetchThroughInstructionCache && !crossesPage;
        return ref d;
    }
}
