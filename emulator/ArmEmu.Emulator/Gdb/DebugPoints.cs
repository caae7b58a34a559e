using ArmEmu.Memory;

namespace ArmEmu.Emulator.Gdb;

/// <summary>gdb's watchpoint kinds (Z2, Z3, Z4).</summary>
internal enum WatchKind : byte
{
    Write = 2,
    Read = 3,
    Access = 4,
}

/// <summary>Why the target stopped for the debugger.</summary>
/// <param name="Signal">The signal reported (SIGTRAP 5 for breakpoints and steps, SIGINT 2 for an interrupt).</param>
/// <param name="Reason">The stop reason field of the T packet, e.g. <c>swbreak:;</c> or <c>watch:2000a0;</c>; empty for none.</param>
internal readonly record struct GdbStop(int Signal, string Reason)
{
    public const int SigInt = 2, SigTrap = 5;
}

/// <summary>
/// Breakpoints and watchpoints over the processor's public surface, so they survive changes
/// of the interpreter behind it. Guest memory is never patched (a BKPT written into code would
/// be seen by the caches, the coherence monitor and the guest's own reads): a breakpoint is an
/// address checked by the <see cref="Cpu.Cpu.InstructionHook"/>, installed only while there is
/// something to check, so a run with no breakpoints keeps the unhooked loop. The hook runs
/// before the instruction; to stop there -- rather than after it, as
/// <see cref="Cpu.Cpu.RequestStop"/> would -- it throws <see cref="DebugStopException"/>, which
/// leaves the run with the PC, the registers and the instruction count untouched (the loop
/// commits an instruction only after its handler returns) and is caught by
/// <see cref="GdbTarget.Run"/>. A hit costs one exception; nothing else is paid per instruction.
/// Watchpoints observe accesses through <see cref="IMemoryObserver"/> (called before a write
/// reaches memory, after a read) and stop the same way, with the PC at the accessing
/// instruction and its effects not committed: gdb's ARM targets have "non-steppable"
/// watchpoints (gdbarch have_nonsteppable_watchpoint), so gdb then steps the instruction
/// itself with the watchpoint removed, and reports the new value -- what QEMU does too. An
/// instruction of several accesses (STM) may have stored words before the watched one; it
/// stores them again when it runs.
/// </summary>
internal sealed class DebugPoints : IMemoryObserver
{
    private readonly Cpu.Cpu _cpu;
    private readonly HashSet<uint> _software = [], _hardware = [];
    private readonly List<(uint Address, uint Length, WatchKind Kind)> _watch = [];
    private Cpu.InstructionHook? _chainedHook;
    private IMemoryObserver? _chainedObserver;
    private bool _hookInstalled, _observerInstalled;
    private GdbStop? _pending;
    private Func<bool>? _stopCondition;
    private uint _resumeAddress;
    private bool _resuming, _inResumeInstruction;

    public DebugPoints(Cpu.Cpu cpu) => _cpu = cpu;

    /// <summary>
    /// Whether privileged accesses trigger watchpoints. Off for Linux user mode, where the
    /// privileged accesses are the emulated kernel's (copy_to_user in a system call), which
    /// cannot stop half-way.
    /// </summary>
    public bool WatchPrivilegedAccesses { get; set; } = true;

    /// <summary>
    /// Whether breakpoints and watchpoints apply to the code running now; null: always. A Linux
    /// run debugs its first process only (a child it forks is a process gdb does not follow,
    /// as qemu-arm's child drops its breakpoints).
    /// </summary>
    public Func<bool>? Applies { get; set; }

    /// <summary>
    /// Stops the run before the first instruction for which <paramref name="condition"/> holds
    /// (then forgets it): a step of a thread that waits in a system call ends when it runs again.
    /// </summary>
    public void StopWhen(Func<bool> condition)
    {
        _stopCondition = condition;
        Update();
    }

    /// <summary>How many breakpoints and watchpoints are set.</summary>
    public int Count => _software.Count + _hardware.Count + _watch.Count;

    public bool AddBreakpoint(uint address, bool hardware)
    {
        (hardware ? _hardware : _software).Add(address & ~1u);
        Update();
        return true;
    }

    public bool RemoveBreakpoint(uint address, bool hardware)
    {
        (hardware ? _hardware : _software).Remove(address & ~1u);
        Update();
        return true;
    }

    public bool AddWatchpoint(uint address, uint length, WatchKind kind)
    {
        if (length == 0) return false;
        if (!_watch.Contains((address, length, kind))) _watch.Add((address, length, kind));
        Update();
        return true;
    }

    public bool RemoveWatchpoint(uint address, uint length, WatchKind kind)
    {
        _watch.Remove((address, length, kind));
        Update();
        return true;
    }

    /// <summary>
    /// The guest resumes at <paramref name="pc"/>: a breakpoint or watchpoint does not stop its
    /// first instruction (continuing from a stop runs the instruction stopped at; gdb itself
    /// steps over its breakpoints and watchpoints, other clients need not).
    /// </summary>
    public void ResumeFrom(uint pc)
    {
        _resumeAddress = pc;
        _resuming = true;
    }

    /// <summary>Stops the run before the next instruction with <paramref name="stop"/> (a held signal, a watchpoint).</summary>
    public void StopBeforeNextInstruction(GdbStop stop)
    {
        _pending = stop;
        Update();
        _cpu.RequestStop(); // a run already in the unhooked loop ends; the next one takes the hook
    }

    /// <summary>Removes everything (gdb detached or went away).</summary>
    public void Clear()
    {
        _software.Clear();
        _hardware.Clear();
        _watch.Clear();
        _pending = null;
        _stopCondition = null;
        Update();
    }

    /// <summary>Installs the hook and the observer while there is something to check, and only then.</summary>
    private void Update()
    {
        bool hook = _software.Count + _hardware.Count + _watch.Count > 0 || _pending is not null || _stopCondition is not null;
        if (hook && !_hookInstalled)
        {
            _chainedHook = _cpu.InstructionHook;
            _cpu.InstructionHook = OnInstruction;
            _hookInstalled = true;
        }
        else if (!hook && _hookInstalled)
        {
            _cpu.InstructionHook = _chainedHook;
            _chainedHook = null;
            _hookInstalled = false;
        }
        bool observe = _watch.Count > 0;
        if (observe && !_observerInstalled)
        {
            _chainedObserver = _cpu.Memory.Observer;
            _cpu.Memory.Observer = this;
            _observerInstalled = true;
        }
        else if (!observe && _observerInstalled)
        {
            _cpu.Memory.Observer = _chainedObserver;
            _chainedObserver = null;
            _observerInstalled = false;
        }
    }

    private void OnInstruction(Cpu.Cpu cpu, uint address, bool thumb)
    {
        if (_pending is { } stop)
        {
            _pending = null;
            Update();
            throw new DebugStopException(stop);
        }
        if (_stopCondition is { } condition && condition())
        {
            _stopCondition = null;
            Update();
            throw new DebugStopException(new GdbStop(GdbStop.SigTrap, ""));
        }
        bool first = _resuming;
        _resuming = false;
        _inResumeInstruction = first && address == _resumeAddress;
        if (_inResumeInstruction)
        {
            _chainedHook?.Invoke(cpu, address, thumb);
            return;
        }
        if (Applies is { } applies && !applies())
        {
            _chainedHook?.Invoke(cpu, address, thumb);
            return;
        }
        if (_software.Contains(address)) throw new DebugStopException(new GdbStop(GdbStop.SigTrap, "swbreak:;"));
        if (_hardware.Contains(address)) throw new DebugStopException(new GdbStop(GdbStop.SigTrap, "hwbreak:;"));
        _chainedHook?.Invoke(cpu, address, thumb);
    }

    void IMemoryObserver.OnAccess(uint va, uint pa, int size, AccessKind access, uint value)
    {
        _chainedObserver?.OnAccess(va, pa, size, access, value);
        if ((access & (AccessKind.Fetch | AccessKind.Debug)) != 0 || _inResumeInstruction) return;
        if (!WatchPrivilegedAccesses && (access & AccessKind.Privileged) != 0) return;
        if (Applies is { } applies && !applies()) return;
        bool write = (access & AccessKind.Write) != 0;
        foreach (var (address, length, kind) in _watch)
        {
            if (va + (uint)size <= address || va >= address + length) continue;
            string? name = kind switch
            {
                WatchKind.Write when write => "watch",
                WatchKind.Read when !write => "rwatch",
                WatchKind.Access => "awatch",
                _ => null,
            };
            if (name is null) continue;
            throw new DebugStopException(new GdbStop(GdbStop.SigTrap, $"{name}:{Math.Max(va, address):x};"));
        }
    }
}

/// <summary>Thrown by the instruction hook to leave a run before an instruction; see <see cref="DebugPoints"/>.</summary>
internal sealed class DebugStopException(GdbStop stop) : Exception("stopped for the debugger")
{
    public GdbStop Stop { get; } = stop;
}
