using ArmEmu.Cpu;
using ArmEmu.Cpu.Decoding;
using ArmEmu.Memory;
using ArmEmu.Memory.Caches;

namespace ArmEmu.Emulator;

/// <summary>Called before an instruction runs: its address and size in bytes (2 or 4).</summary>
public delegate void CodeHook(IMachine machine, uint address, int size);

/// <summary>Called when execution enters a block: its first instruction's address and the block's size in bytes.</summary>
public delegate void BlockHook(IMachine machine, uint address, int size);

/// <summary>Called for a guest memory access (before or after it, as <see cref="MemoryAccess.After"/> says).</summary>
public delegate void MemoryHook(IMachine machine, MemoryAccess access);

/// <summary>
/// Called for an unmapped or protection fault before the guest sees it. Return true when the hook
/// dealt with it: the guest resumes at the PC the hook leaves, which is the faulting instruction
/// (so mapping the memory and returning true retries it; writing the PC fixes it up elsewhere).
/// Return false to let the machine take the fault as it would without hooks.
/// </summary>
public delegate bool FaultHook(IMachine machine, MemoryFaultInfo fault);

/// <summary>
/// Called for an undefined instruction before the guest sees it. Return true when the hook
/// emulated it: the guest resumes at the PC the hook leaves, which is the next instruction.
/// </summary>
public delegate bool InvalidInstructionHook(IMachine machine, uint address, uint opcode);

/// <summary>Called for every exception the processor raises, before it is taken (or handled by the machine).</summary>
public delegate void ExceptionHook(IMachine machine, ExceptionKind kind, uint address);

/// <summary>Which memory accesses a <see cref="MemoryHook"/> sees (Unicorn's UC_HOOK_MEM_*).</summary>
[Flags]
public enum MemoryHookKinds
{
    /// <summary>A data read, before it is made (<see cref="MemoryAccess.Value"/> is 0).</summary>
    ReadBefore = 1,
    /// <summary>A data read, after it: the value read.</summary>
    ReadAfter = 2,
    /// <summary>A data write, before it: the value about to be written.</summary>
    WriteBefore = 4,
    /// <summary>A data write, after it.</summary>
    WriteAfter = 8,
    /// <summary>An instruction fetch, before it.</summary>
    FetchBefore = 16,
    /// <summary>An instruction fetch, after it: the word fetched.</summary>
    FetchAfter = 32,
    /// <summary>What <see cref="Emulator.HookMemory"/> has always reported: reads after, writes before, fetches after.</summary>
    Default = ReadAfter | WriteBefore | FetchAfter,
    /// <summary>Every kind of access, before and after.</summary>
    All = ReadBefore | ReadAfter | WriteBefore | WriteAfter | FetchBefore | FetchAfter,
}

/// <summary>One memory fault as a <see cref="FaultHook"/> sees it.</summary>
/// <param name="Address">The address accessed.</param>
/// <param name="Kind">Unmapped, protection (permission), alignment or an MMU's fault.</param>
/// <param name="IsWrite">A write (else a read or a fetch).</param>
/// <param name="IsFetch">An instruction fetch.</param>
/// <param name="Pc">The instruction that faulted.</param>
/// <param name="Status">The architectural fault status, when an MMU produced the fault.</param>
public readonly record struct MemoryFaultInfo(uint Address, FaultKind Kind, bool IsWrite, bool IsFetch, uint Pc, uint Status);

/// <summary>
/// The hooks of one machine (<see cref="MachineExtensions.Hooks"/>): code, blocks, memory
/// accesses before and after, faults that may map memory and resume, invalid instructions,
/// exceptions, cache events and coherence reports. Each kind is installed into the machine
/// only while a hook of that kind exists, so a machine nobody hooks runs its fastest loop;
/// whatever the machine had installed before (a debugger's hook, a board's exception handler)
/// still runs, after the hooks. Hooks run on the thread that runs the machine; only
/// <see cref="MachineExtensions.Stop"/> may be called from another one.
/// </summary>
public sealed class MachineHooks
{
    private const uint NoAddress = 0xFFFF_FFFF;

    private readonly IMachine _machine;
    private readonly Cpu.Cpu _cpu;
    private readonly List<(uint Begin, uint End, CodeHook Callback)> _code = new();
    private readonly List<(uint Begin, uint End, BlockHook Callback)> _blocks = new();
    private readonly List<(uint Begin, uint End, MemoryHookKinds Kinds, MemoryHook Callback)> _memory = new();
    private readonly List<FaultHook> _faults = new();
    private readonly List<InvalidInstructionHook> _invalid = new();
    private readonly List<ExceptionHook> _exceptions = new();
    private readonly List<Action<IMachine, CacheEvent>> _cacheEvents = new();
    private readonly List<Action<IMachine, CoherenceReport>> _coherence = new();
    private readonly HashSet<uint> _exits = new();
    private readonly Observer _observer;

    private bool _instructionHookInstalled, _handlerInstalled, _observerInstalled, _cacheEventsInstalled;
    private InstructionHook? _chainedInstructionHook;
    private ExceptionHandler? _chainedHandler;
    private IMemoryObserver? _chainedObserver;
    private CoherenceMonitor? _monitor;

    // The block notion: a block starts where control did not simply fall through from the
    // previous instruction, or after an instruction that may change the flow of control.
    private uint _expectedNext = NoAddress;
    private bool _previousEndedBlock = true;

    internal MachineHooks(IMachine machine)
    {
        _machine = machine;
        _cpu = machine.Cpu;
        _observer = new Observer(this);
    }

    /// <summary>The exit address the last run stopped at (<see cref="ExitAddresses"/>), or null.</summary>
    public uint? ExitReached { get; private set; }

    /// <summary>
    /// Addresses where runs stop before executing the instruction there (several exits, as
    /// Unicorn's uc_ctl exits). While any is set, runs take the hooked loop.
    /// </summary>
    public IReadOnlyCollection<uint> ExitAddresses => _exits;

    /// <summary>Replaces the exit addresses (empty: none).</summary>
    public void SetExitAddresses(IEnumerable<uint> addresses)
    {
        _exits.Clear();
        foreach (uint a in addresses) _exits.Add(a & ~1u);
        ExitReached = null;
        UpdateInstructionHook();
    }

    /// <summary>
    /// Where the run in progress stops (the emulator's until address): a block ends before it, as
    /// Unicorn ends its translation blocks at the exit.
    /// </summary>
    internal uint? RunUntil { get; set; }

    /// <summary>Forgets where the last block started: the next instruction starts a block (a new run).</summary>
    public void StartNewBlock()
    {
        _expectedNext = NoAddress;
        _previousEndedBlock = true;
        ExitReached = null;
    }

    // ---- registering -----------------------------------------------------------------------

    /// <summary>Calls <paramref name="callback"/> before each instruction in [begin, end] (UC_HOOK_CODE).</summary>
    public HookHandle Code(CodeHook callback, uint begin = 0, uint end = uint.MaxValue) =>
        Add(_code, (begin, end, callback), UpdateInstructionHook);

    /// <summary>
    /// Calls <paramref name="callback"/> when execution enters a block whose first instruction is
    /// in [begin, end] (UC_HOOK_BLOCK). A block is a straight line of instructions entered at its
    /// first: it starts at a branch target, an exception vector, a run's first instruction or
    /// after an instruction that may change the flow of control (a branch, a write of the PC, a
    /// supervisor call), and its size runs to the first such instruction (or the end of its 4 KiB
    /// page), as QEMU's translation blocks do.
    /// </summary>
    public HookHandle Block(BlockHook callback, uint begin = 0, uint end = uint.MaxValue) =>
        Add(_blocks, (begin, end, callback), UpdateInstructionHook);

    /// <summary>Calls <paramref name="callback"/> for the guest accesses of <paramref name="kinds"/> in [begin, end].</summary>
    public HookHandle Memory(MemoryHook callback, MemoryHookKinds kinds = MemoryHookKinds.Default, uint begin = 0, uint end = uint.MaxValue) =>
        Add(_memory, (begin, end, kinds, callback), UpdateObserver);

    /// <summary>Calls <paramref name="callback"/> for unmapped and protection faults (UC_HOOK_MEM_UNMAPPED, UC_HOOK_MEM_PROT); see <see cref="FaultHook"/>.</summary>
    public HookHandle Fault(FaultHook callback) => Add(_faults, callback, UpdateHandler);

    /// <summary>Calls <paramref name="callback"/> for undefined instructions (UC_HOOK_INSN_INVALID); see <see cref="InvalidInstructionHook"/>.</summary>
    public HookHandle InvalidInstruction(InvalidInstructionHook callback) => Add(_invalid, callback, UpdateHandler);

    /// <summary>Calls <paramref name="callback"/> for every exception (SVC, BKPT, undefined, aborts, IRQ, FIQ) before it is taken.</summary>
    public HookHandle Exception(ExceptionHook callback) => Add(_exceptions, callback, UpdateHandler);

    /// <summary>
    /// Calls <paramref name="callback"/> for every cache miss, fill, eviction, write-back and
    /// invalidation, at every level, with the set, way and address (<see cref="CacheEvent"/>).
    /// Nothing is reported for hits. Without the cache model there is nothing to report.
    /// </summary>
    public HookHandle Cache(Action<IMachine, CacheEvent> callback) => Add(_cacheEvents, callback, UpdateCacheEvents);

    /// <summary>
    /// Calls <paramref name="callback"/> with each coherence hazard the monitor reports (a DMA
    /// read of a dirty line, a stale fetch...). Attaches a monitor to the caches if there is
    /// none; needs the cache model.
    /// </summary>
    public HookHandle Coherence(Action<IMachine, CoherenceReport> callback)
    {
        var caches = _machine.Caches ?? throw new InvalidOperationException("the coherence monitor needs the cache model (it is off)");
        _monitor = caches.Monitor ?? new CoherenceMonitor(caches, _machine.Bus, () => _cpu.CurrentInstructionAddress, () => _cpu.InstructionsExecuted, output: null);
        if (_coherence.Count == 0) _monitor.Reported += OnCoherenceReport;
        return Add(_coherence, callback, () =>
        {
            if (_coherence.Count == 0) _monitor.Reported -= OnCoherenceReport;
        });
    }

    private static HookHandle Add<T>(List<T> list, T entry, Action update)
    {
        list.Add(entry);
        update();
        return new HookHandle(() =>
        {
            list.Remove(entry);
            update();
        });
    }

    // ---- installing into the machine only what is needed -----------------------------------

    private void UpdateInstructionHook()
    {
        bool want = _code.Count + _blocks.Count + _exits.Count > 0;
        if (want == _instructionHookInstalled) return;
        if (want)
        {
            _chainedInstructionHook = _cpu.InstructionHook;
            _cpu.InstructionHook = OnInstruction;
            StartNewBlock();
        }
        else
        {
            _cpu.InstructionHook = _chainedInstructionHook;
            _chainedInstructionHook = null;
        }
        _instructionHookInstalled = want;
    }

    private void UpdateHandler()
    {
        bool want = _faults.Count + _invalid.Count + _exceptions.Count > 0;
        if (want == _handlerInstalled) return;
        if (want)
        {
            _chainedHandler = _cpu.ExceptionHandler;
            _cpu.ExceptionHandler = OnException;
        }
        else
        {
            _cpu.ExceptionHandler = _chainedHandler;
            _chainedHandler = null;
        }
        _handlerInstalled = want;
    }

    private void UpdateObserver()
    {
        bool want = _memory.Count > 0;
        if (want == _observerInstalled) return;
        if (want)
        {
            _chainedObserver = _cpu.Memory.Observer;
            _cpu.Memory.Observer = _observer;
        }
        else
        {
            _cpu.Memory.Observer = _chainedObserver;
            _chainedObserver = null;
        }
        _observerInstalled = want;
    }

    private void UpdateCacheEvents()
    {
        bool want = _cacheEvents.Count > 0;
        if (want == _cacheEventsInstalled) return;
        foreach (var cache in CachesOf(_machine.Caches))
            cache.Events = want ? OnCacheEvent : null;
        _cacheEventsInstalled = want;
    }

    internal static IEnumerable<Cache> CachesOf(CacheSystem? caches)
    {
        if (caches is null) yield break;
        if (caches.InstructionCache is { } i) yield return i;
        if (caches.DataCache is { } d) yield return d;
        if (caches.OuterCache is { } outer) yield return outer.Cache;
    }

    // ---- dispatching -----------------------------------------------------------------------

    private void OnInstruction(Cpu.Cpu cpu, uint pc, bool thumb)
    {
        _chainedInstructionHook?.Invoke(cpu, pc, thumb);
        if (_exits.Count > 0 && _exits.Contains(pc))
        {
            ExitReached = pc;
            // Before this instruction (the hooked loop checks); HaltRequested too, as Stop() does,
            // or the Linux and board loops would start their next slice on the exit again.
            cpu.HaltRequested = true;
            cpu.RequestStop();
            return;
        }
        if (_code.Count + _blocks.Count == 0) return;
        (int size, EncodingFlags flags) = Describe(pc, thumb);
        if (_blocks.Count > 0)
        {
            if (pc != _expectedNext || _previousEndedBlock)
            {
                int blockSize = 0;
                foreach (var (begin, end, callback) in _blocks.ToArray())
                {
                    if (pc < begin || pc > end) continue;
                    if (blockSize == 0) blockSize = BlockSize(pc, thumb);
                    callback(_machine, pc, blockSize);
                }
            }
            _expectedNext = pc + (uint)size;
            _previousEndedBlock = EndsBlock(flags);
            if (cpu.PC != pc) return; // a block hook moved the PC: the code hooks see the new one
        }
        foreach (var (begin, end, callback) in _code.ToArray())
            if (pc >= begin && pc <= end) callback(_machine, pc, size);
    }

    private static bool EndsBlock(EncodingFlags flags) =>
        (flags & (EncodingFlags.Branch | EncodingFlags.Return | EncodingFlags.SupervisorCall)) != 0;

    /// <summary>
    /// Whether an ARM word ends a block. Branch, Return (set per word) and SVC come from the
    /// decoded flags; WritesPc is a row's "may", so for those rows the word itself says: the
    /// register list's bit 15 for LDM, Rd (bits 15:12) == 15 otherwise.
    /// </summary>
    private static bool ArmEndsBlock(uint word, EncodingFlags flags)
    {
        if (EndsBlock(flags)) return true;
        if ((flags & EncodingFlags.WritesPc) == 0) return false;
        bool blockTransfer = ((word >> 25) & 7) == 0b100;
        return blockTransfer ? (word & 0x8000) != 0 : ((word >> 12) & 15) == 15;
    }

    /// <summary>The size and flow flags of the instruction at <paramref name="pc"/>, read as a debugger would.</summary>
    private (int Size, EncodingFlags Flags) Describe(uint pc, bool thumb)
    {
        Span<byte> bytes = stackalloc byte[4];
        if (!thumb)
        {
            if (!_cpu.Memory.DebugRead(pc, bytes)) return (4, EncodingFlags.None);
            uint word = BitConverter.ToUInt32(bytes);
            var flags = _cpu.Code.Arm.Table.DecodeInstruction(word).Flags;
            return (4, ArmEndsBlock(word, flags) ? flags | EncodingFlags.Branch : flags & ~EncodingFlags.WritesPc);
        }
        if (!_cpu.Memory.DebugRead(pc, bytes[..2])) return (2, EncodingFlags.None);
        uint half = BitConverter.ToUInt16(bytes);
        // A 32-bit Thumb-2 instruction starts with 0b11101, 0b11110 or 0b11111 (ARM ARM A6.1);
        // before Thumb-2 the two halves of BL/BLX are instructions of their own.
        if (_cpu.Model.Has(CpuFeature.Thumb2) && (half >> 11) >= 0b11101)
            return (4, (half >> 11) == 0b11110 ? EncodingFlags.Branch : EncodingFlags.None);
        return (2, _cpu.Code.Thumb.Table.DecodeInstruction(half).Flags);
    }

    private int BlockSize(uint start, bool thumb)
    {
        uint pageEnd = (start & ~PhysicalBus.PageMask) + PhysicalBus.PageSize;
        uint at = start;
        while (at < pageEnd && at >= start && (at == start || (at != RunUntil && !_exits.Contains(at))))
        {
            var (size, flags) = Describe(at, thumb);
            at += (uint)size;
            if (EndsBlock(flags)) break;
        }
        return (int)(at - start);
    }

    private ExceptionDisposition OnException(Cpu.Cpu cpu, in CpuException e)
    {
        foreach (var hook in _exceptions.ToArray()) hook(_machine, e.Kind, e.InstructionAddress);

        if (e.Fault is { } fault && _faults.Count > 0 && fault.Kind is FaultKind.Unmapped or FaultKind.Permission
            && !_machine.ResolvesFaultItself(fault))
        {
            var info = new MemoryFaultInfo(fault.Address, fault.Kind, (fault.Access & AccessKind.Write) != 0,
                                           (fault.Access & AccessKind.Fetch) != 0, e.InstructionAddress, fault.Status);
            cpu.PC = e.InstructionAddress; // a hook that returns true retries the instruction
            foreach (var hook in _faults.ToArray())
                if (hook(_machine, info)) return ExceptionDisposition.Resume;
        }
        else if (e.Kind == ExceptionKind.Undefined && _invalid.Count > 0)
        {
            cpu.PC = e.InstructionAddress + (uint)(cpu.T ? Describe(e.InstructionAddress, thumb: true).Size : 4); // a hook that returns true emulated it
            foreach (var hook in _invalid.ToArray())
                if (hook(_machine, e.InstructionAddress, e.Opcode)) return ExceptionDisposition.Resume;
            cpu.PC = e.InstructionAddress;
        }
        return _chainedHandler?.Invoke(cpu, e) ?? ExceptionDisposition.Enter;
    }

    private void OnCacheEvent(CacheEvent e)
    {
        foreach (var hook in _cacheEvents.ToArray()) hook(_machine, e);
    }

    private void OnCoherenceReport(CoherenceReport report)
    {
        foreach (var hook in _coherence.ToArray()) hook(_machine, report);
    }

    private void OnAccess(uint va, int size, AccessKind access, uint value, bool after)
    {
        if ((access & AccessKind.Debug) != 0) return;
        bool fetch = (access & AccessKind.Fetch) != 0, write = (access & AccessKind.Write) != 0;
        MemoryHookKinds kind = fetch ? (after ? MemoryHookKinds.FetchAfter : MemoryHookKinds.FetchBefore)
            : write ? (after ? MemoryHookKinds.WriteAfter : MemoryHookKinds.WriteBefore)
            : after ? MemoryHookKinds.ReadAfter : MemoryHookKinds.ReadBefore;
        MemoryAccess? a = null;
        foreach (var (begin, end, kinds, callback) in _memory.ToArray())
        {
            if ((kinds & kind) == 0 || va < begin || va > end) continue;
            a ??= new MemoryAccess(va, size, write, fetch, value) { After = after };
            callback(_machine, a.Value);
        }
    }

    private sealed class Observer(MachineHooks owner) : IMemoryObserver
    {
        public void OnAccess(uint va, uint pa, int size, AccessKind access, uint value)
        {
            owner._chainedObserver?.OnAccess(va, pa, size, access, value);
            // Reads and fetches are reported here after they completed; writes before they are made.
            owner.OnAccess(va, size, access, value, after: (access & AccessKind.Write) == 0);
        }

        public void OnAccessStarting(uint va, uint pa, int size, AccessKind access)
        {
            owner._chainedObserver?.OnAccessStarting(va, pa, size, access);
            owner.OnAccess(va, size, access, 0, after: false);
        }

        public void OnAccessCompleted(uint va, uint pa, int size, AccessKind access, uint value)
        {
            owner._chainedObserver?.OnAccessCompleted(va, pa, size, access, value);
            owner.OnAccess(va, size, access, value, after: true);
        }
    }
}
