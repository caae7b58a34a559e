using ArmEmu.Cpu;

namespace ArmEmu.Emulator.Profiling;

/// <summary>
/// Follows a <see cref="RegionOfInterestOptions"/> through a run for a <see cref="ProfilingSession"/>:
/// an instruction hook, installed only when something can open or close the region (a window,
/// a --toggle-collect function, a client request in the code), looks at each instruction before
/// it runs and tells the session to <see cref="ProfilingSession.Apply"/> when the answer changes.
/// The state changes at an instruction, before it executes: the instruction that opens the region
/// is counted, the one that closes it is not (the window's From and To; a toggle function's first
/// instruction and its return address; a START request's ORR counts, a STOP's does not).
/// </summary>
/// <remarks>
/// The hook costs a delegate call and a bit test per instruction: interesting addresses are kept
/// as a bitmap of their 4 KiB pages, and only an instruction on a marked page looks further. The
/// loop the CPU runs stays the profiling one throughout (outside the region it counts into a
/// profile nobody reads), so opening and closing cost no change of loop.
/// </remarks>
internal sealed class RegionTracker
{
    private readonly ProfilingSession _session;
    private readonly ulong[] _pages = new ulong[1 << 14]; // one bit per 4 KiB page of the address space
    private readonly Dictionary<uint, bool> _requests = [];  // request instruction -> Thumb
    private readonly HashSet<uint> _toggleEntries = [];
    private readonly Dictionary<uint, int> _requestsSeen = [];
    private readonly HashSet<string> _unresolved = [];
    private uint? _fromAddress, _toAddress;
    private bool _windowOpen, _windowClosed, _instrumented, _hooked;
    private Cpu.Cpu? _cpu;

    public RegionTracker(ProfilingSession session, RegionOfInterestOptions options)
    {
        _session = session;
        Options = options;
        _instrumented = options.InstrumentAtStart;
        _windowOpen = options.From is null;
        _fromAddress = options.From?.Address;
        _toAddress = options.To?.Address;
        if (options.From?.Symbol is { } f) _unresolved.Add(f);
        if (options.To?.Symbol is { } t) _unresolved.Add(t);
        foreach (string name in options.ToggleCollect) _unresolved.Add(name);
        if (_fromAddress is { } fa) Mark(fa);
        if (_toAddress is { } ta) Mark(ta);
        if (options.From?.Count == 0) _windowOpen = true;
    }

    public RegionOfInterestOptions Options { get; }

    public IEnumerable<string> Unresolved => _unresolved;

    public IReadOnlyDictionary<uint, int> RequestsSeen => _requestsSeen;

    /// <summary>Instructions of <paramref name="a"/>'s thread are counted now.</summary>
    public bool Collecting(ProfilingSession.Activity a) => _windowOpen && _instrumented && a.Collect;

    /// <summary>Resolves the options' symbols in <paramref name="code"/> and finds its client requests.</summary>
    public void Add(CodeObject code)
    {
        foreach (string name in _unresolved.ToList())
        {
            if (code.AddressOf(name) is not { } address) continue;
            _unresolved.Remove(name);
            if (Options.From?.Symbol == name) Mark((_fromAddress = address).Value);
            if (Options.To?.Symbol == name) Mark((_toAddress = address).Value);
            if (Options.ToggleCollect.Contains(name))
            {
                _toggleEntries.Add(address);
                Mark(address);
            }
        }
        AddRequests(code.GuestRequests);
    }

    public void AddRequests(IEnumerable<(uint Address, bool Thumb)> requests)
    {
        foreach (var (address, thumb) in requests)
        {
            _requests[address] = thumb;
            Mark(address);
        }
    }

    /// <summary>Installs the hook once there is something to watch (on the session's CPU).</summary>
    public void HookIfNeeded(Cpu.Cpu cpu)
    {
        _cpu = cpu;
        if (_hooked || !(Options.NeedsHook || _requests.Count > 0)) return;
        _hooked = true;
        cpu.InstructionHook += OnInstruction;
        // Code added during a run (a library the dynamic loader maps): the loop picks the hook up
        // at its next start, so end this run after the current instruction; machines run again.
        cpu.LimitRun(0);
    }

    private void Mark(uint address)
    {
        uint page = address >> 12;
        _pages[page >> 6] |= 1UL << (int)(page & 63);
        if (_cpu is not null) HookIfNeeded(_cpu);
    }

    private void OnInstruction(Cpu.Cpu cpu, uint pc, bool thumb)
    {
        var a = _session.Current;
        bool before = Collecting(a);
        if (Options.From?.Count is { } from && !_windowOpen && !_windowClosed && cpu.InstructionsExecuted >= from) _windowOpen = true;
        if (Options.To?.Count is { } to && _windowOpen && cpu.InstructionsExecuted >= to) Close();
        // A --toggle-collect function returns: to the address its entry's LR held, with SP back.
        while (a.Toggles.Count > 0 && a.Toggles.Peek().Return == pc && cpu.R[13] >= a.Toggles.Peek().Sp)
        {
            a.Toggles.Pop();
            if (a.Toggles.Count == 0) a.Collect = !a.Collect;
        }
        uint page = pc >> 12;
        if ((_pages[page >> 6] & (1UL << (int)(page & 63))) != 0)
        {
            if (pc == _fromAddress && !_windowOpen && !_windowClosed) _windowOpen = true;
            if (pc == _toAddress && _windowOpen) Close();
            if (_toggleEntries.Contains(pc))
            {
                if (a.Toggles.Count == 0) a.Collect = !a.Collect;
                a.Toggles.Push((cpu.R[14] & ~1u, cpu.R[13]));
            }
            if (_requests.TryGetValue(pc, out bool requestThumb) && requestThumb == thumb) OnRequest(cpu, pc, thumb, a);
        }
        if (Collecting(a) != before) _session.Apply(pc, cpu.Mode, atInstruction: true);
    }

    private void Close()
    {
        _windowOpen = false;
        _windowClosed = true;
    }

    /// <summary>A client request: r4 points at the request code and its arguments.</summary>
    private void OnRequest(Cpu.Cpu cpu, uint pc, bool thumb, ProfilingSession.Activity a)
    {
        Span<byte> bytes = stackalloc byte[4];
        if (!cpu.Memory.DebugRead(pc, bytes) || !GuestRequests.IsRequestInstruction(bytes, thumb)) return; // code changed since
        if (!cpu.Memory.DebugRead(cpu.R[4], bytes)) return;
        uint request = BitConverter.ToUInt32(bytes);
        _requestsSeen[request] = _requestsSeen.GetValueOrDefault(request) + 1;
        switch (request)
        {
            case GuestRequests.StartInstrumentation: _instrumented = true; break;
            case GuestRequests.StopInstrumentation: _instrumented = false; break;
            case GuestRequests.ToggleCollect: a.Collect = !a.Collect; break;
        }
    }
}
