using System.Runtime.CompilerServices;

namespace ArmEmu.Cpu;

/// <summary>The counters of one 4 KiB page of code, indexed by address bits 11:1 (ARM) / 11:2 (condition-failed).</summary>
internal sealed class ProfilePage(uint vpn)
{
    /// <summary>Page number (address bits 31:12).</summary>
    public uint Vpn { get; } = vpn;

    /// <summary>Instructions executed at each halfword address, condition-failed ones included (the Ir of callgrind).</summary>
    public ulong[] Executed { get; } = new ulong[2048];

    /// <summary>ARM instructions whose condition failed, at each word address (Thumb has none on ARMv5).</summary>
    public ulong[] ConditionFailed { get; } = new ulong[1024];
}

/// <summary>One call site calling one target: how often, and the instructions executed inside (inclusive).</summary>
internal sealed class CallEdge(uint site, uint callee)
{
    /// <summary>Address of the calling instruction (BL, BLX, or the branch of a tail call).</summary>
    public uint Site { get; } = site;

    /// <summary>Address called (the callee's first instruction).</summary>
    public uint Callee { get; } = callee;

    public ulong Calls { get; internal set; }

    /// <summary>Instructions executed from the callee's first instruction to its return, nested calls included.</summary>
    public ulong Inclusive { get; internal set; }

    /// <summary>Reached by a branch to a function's entry rather than a call (a tail call).</summary>
    public bool IsTailCall { get; internal set; }

    /// <summary>
    /// Of each of the profile's <see cref="ExecutionProfile.Events"/>, the count from the callee's
    /// first instruction to its return, as <see cref="Inclusive"/> counts instructions.
    /// </summary>
    public ulong[] InclusiveEvents { get; internal set; } = [];
}

/// <summary>A call that has not returned yet (the shadow call stack).</summary>
internal readonly record struct OpenCall(CallEdge Edge, ulong Start, uint ReturnAddress, uint Sp, ProcessorMode Mode, bool Tail);

/// <summary>
/// Exact execution counts per instruction address and a call graph, gathered by the
/// interpreter's profiling loop (<see cref="Cpu.Profile"/>). Knows nothing of symbols:
/// the embedder names functions (and may tell it where they start, for tail calls).
/// </summary>
/// <remarks>
/// Calls and returns are recognised from the instruction that changed the flow, at the
/// time it executes: BL/BLX (ARM and Thumb), or any branch that leaves LR pointing just
/// after itself (the pre-ARMv5 <c>MOV LR, PC; BX Rm</c> idiom) is a call. A branch to the
/// return address of the innermost call, with SP back at or above where it was at the
/// call, is its return, whatever the instruction (BX LR, POP {..,PC}, LDM, MOV PC, LR,
/// LDR PC). A return instruction (those five) that matches no call unwinds the calls made
/// at or below the SP it leaves: that is what longjmp does. A branch to the entry of another
/// function is a tail call; it opens a call that closes together with the one it replaced.
/// </remarks>
internal sealed class ExecutionProfile
{
    private readonly Dictionary<uint, ProfilePage> _pages = [];
    private readonly Dictionary<(uint Site, uint Callee), CallEdge> _edges = [];
    private OpenCall[] _stack = new OpenCall[64];
    private int _depth;
    private readonly Dictionary<uint, int> _active = [];
    private readonly Dictionary<uint, ulong> _outermostInclusive = [];
    private readonly Dictionary<uint, ulong[]> _outermostEvents = [];
    // The running event counts when each open call began: _eventStarts[depth * Events.Length + k].
    private ulong[] _eventStarts = [];

    public ExecutionProfile(int events = 0)
    {
        Events = new ulong[events];
        _eventStarts = new ulong[_stack.Length * events];
    }

    /// <summary>
    /// Running counts of further events (cache misses, write-backs), which the embedder
    /// increments as they happen; the shadow call stack charges their differences to calls,
    /// as it charges instructions, so calls get inclusive costs of them too.
    /// </summary>
    public ulong[] Events { get; }

    /// <summary>Function entry addresses (Thumb bit clear), for recognising tail calls; empty: none are.</summary>
    public HashSet<uint> FunctionEntries { get; } = [];

    /// <summary>The pages executed from, in no particular order.</summary>
    public IEnumerable<ProfilePage> Pages => _pages.Values;

    /// <summary>Every call edge seen.</summary>
    public IEnumerable<CallEdge> Edges => _edges.Values;

    /// <summary>The calls still open, outermost first.</summary>
    public ReadOnlySpan<OpenCall> OpenCalls => _stack.AsSpan(0, _depth);

    /// <summary>Instructions executed at <paramref name="address"/>.</summary>
    public ulong ExecutedAt(uint address) =>
        _pages.TryGetValue(address >> 12, out var p) ? p.Executed[(address >> 1) & 2047] : 0;

    /// <summary>Condition-failed ARM instructions at <paramref name="address"/>.</summary>
    public ulong ConditionFailedAt(uint address) =>
        _pages.TryGetValue(address >> 12, out var p) ? p.ConditionFailed[(address >> 2) & 1023] : 0;

    /// <summary>Sum of all counts: equals the instructions executed while profiling.</summary>
    public ulong Total
    {
        get
        {
            ulong total = 0;
            foreach (var p in _pages.Values)
                foreach (ulong n in p.Executed) total += n;
            return total;
        }
    }

    /// <summary>
    /// Inclusive cost of each called address, counting only outermost activations so a
    /// recursive function is not counted once per level. Closes nothing: open calls are
    /// charged up to <paramref name="now"/>.
    /// </summary>
    public Dictionary<uint, ulong> InclusiveByCallee(ulong now)
    {
        var result = new Dictionary<uint, ulong>(_outermostInclusive);
        var seen = new HashSet<uint>();
        for (int i = 0; i < _depth; i++)
        {
            var c = _stack[i];
            if (!seen.Add(c.Edge.Callee)) continue; // an inner activation of a function already open
            result[c.Edge.Callee] = result.GetValueOrDefault(c.Edge.Callee) + (now - c.Start);
        }
        return result;
    }

    /// <summary>As <see cref="InclusiveByCallee"/>, for each of the <see cref="Events"/>: open calls are charged up to their present counts.</summary>
    public Dictionary<uint, ulong[]> InclusiveEventsByCallee()
    {
        int n = Events.Length;
        var result = _outermostEvents.ToDictionary(p => p.Key, p => (ulong[])p.Value.Clone());
        var seen = new HashSet<uint>();
        for (int i = 0; i < _depth; i++)
        {
            uint callee = _stack[i].Edge.Callee;
            if (!seen.Add(callee)) continue;
            if (!result.TryGetValue(callee, out var costs)) result[callee] = costs = new ulong[n];
            for (int k = 0; k < n; k++) costs[k] += Events[k] - _eventStarts[i * n + k];
        }
        return result;
    }

    /// <summary>Of each event, what the open call at <paramref name="index"/> (outermost first) has cost so far.</summary>
    public ulong[] OpenCallEvents(int index)
    {
        int n = Events.Length;
        var costs = new ulong[n];
        for (int k = 0; k < n; k++) costs[k] = Events[k] - _eventStarts[index * n + k];
        return costs;
    }

    // Instructions of the CPU's count that are not this profile's (other threads ran them), and
    // the CPU's count when the profile was paused (ulong.MaxValue: it runs).
    private ulong _elsewhere;
    private ulong _pausedAt = ulong.MaxValue;

    /// <summary>
    /// The profile's own instruction count at the CPU's count <paramref name="cpuCount"/>: the
    /// time base of its calls' inclusive costs. With one profile per thread (a Linux run with
    /// threads), what other threads ran while this one was paused is left out.
    /// </summary>
    public ulong LocalTime(ulong cpuCount) => (_pausedAt == ulong.MaxValue ? cpuCount : _pausedAt) - _elsewhere;

    /// <summary>Another thread's profile takes over the CPU at its count <paramref name="cpuCount"/>.</summary>
    public void Pause(ulong cpuCount)
    {
        if (_pausedAt == ulong.MaxValue) _pausedAt = cpuCount;
    }

    /// <summary>The profile's thread has the CPU again at its count <paramref name="cpuCount"/>.</summary>
    public void Resume(ulong cpuCount)
    {
        if (_pausedAt == ulong.MaxValue) return;
        _elsewhere += cpuCount - _pausedAt;
        _pausedAt = ulong.MaxValue;
    }

    /// <summary>
    /// False for a profile nobody reads (what the CPU counts into while a region of interest is
    /// closed): it follows no calls, so its shadow stack cannot grow.
    /// </summary>
    public bool FollowsCalls { get; init; } = true;

    /// <summary>
    /// Closes every open call, the outermost activation included, charging each its cost up to
    /// <paramref name="now"/> (the profile's own time): a region of interest ends here.
    /// </summary>
    public void CloseAll(ulong now)
    {
        if (_depth > 0) PopTo(0, now);
    }

    /// <summary>
    /// Opens the outermost activation: the program's entry, which nothing calls; or, where a
    /// region of interest opens at a function's entry, that function, which returns to
    /// <paramref name="returnAddress"/> with SP back at <paramref name="sp"/> (uint.MaxValue: never).
    /// </summary>
    public void EnterRoot(uint entry, ulong now, ProcessorMode mode, uint returnAddress = uint.MaxValue, uint sp = uint.MaxValue) =>
        Push(GetEdge(uint.MaxValue, entry & ~1u), now, returnAddress, sp, mode, tail: false);

    internal ProfilePage Page(uint vpn)
    {
        if (!_pages.TryGetValue(vpn, out var page)) _pages[vpn] = page = new ProfilePage(vpn);
        return page;
    }

    /// <summary>
    /// Called by the profiling loop after an instruction that did not fall through to the next
    /// one: <paramref name="pc"/> is that instruction and <paramref name="flags"/> its decoded
    /// flags (calls, returns and SVC are the encoding rows' <see cref="Decoding.EncodingFlags"/>);
    /// the CPU's PC is already the target. Not on the hot path of straight-line code.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    internal void OnBranch(Cpu cpu, uint pc, Decoding.EncodingFlags flags, uint target, bool thumb)
    {
        if (!FollowsCalls) return;
        ulong now = cpu.InstructionsExecuted - _elsewhere; // before this instruction is counted; consistent for start and end
        uint sp = cpu.R[13];
        uint next = pc + (thumb ? 2u : 4u);
        bool isReturn = (flags & Decoding.EncodingFlags.Return) != 0;
        bool isCall = !isReturn && ((flags & Decoding.EncodingFlags.Call) != 0 || (cpu.R[14] & ~1u) == next);
        if (isCall)
        {
            Push(GetEdge(pc, target), now, next, sp, cpu.Mode, tail: false);
            return;
        }
        if (_depth > 0 && Returns(_stack[_depth - 1], target, sp))
        {
            PopTo(_depth - 1, now, returning: true);
            return;
        }
        if (isReturn)
        {
            for (int i = _depth - 2; i >= 0; i--)
                if (Returns(_stack[i], target, sp))
                {
                    PopTo(i, now, returning: true);
                    return;
                }
            // longjmp: every call made at or below the SP it restores is gone.
            int keep = _depth;
            while (keep > 0 && _stack[keep - 1].Mode == cpu.Mode && _stack[keep - 1].Sp <= sp && _stack[keep - 1].Sp != uint.MaxValue)
                keep--;
            if (keep < _depth) PopTo(keep, now);
            return;
        }
        if (_depth > 0 && (flags & Decoding.EncodingFlags.SupervisorCall) == 0 && FunctionEntries.Contains(target) && target != _stack[_depth - 1].Edge.Callee)
        {
            var top = _stack[_depth - 1];
            var edge = GetEdge(pc, target);
            edge.IsTailCall = true;
            Push(edge, now, top.ReturnAddress, top.Sp, top.Mode, tail: true);
        }
    }

    private static bool Returns(in OpenCall call, uint target, uint sp) =>
        call.ReturnAddress == target && sp >= call.Sp;

    private CallEdge GetEdge(uint site, uint callee)
    {
        if (!_edges.TryGetValue((site, callee), out var edge)) _edges[(site, callee)] = edge = new CallEdge(site, callee);
        return edge;
    }

    private void Push(CallEdge edge, ulong now, uint returnAddress, uint sp, ProcessorMode mode, bool tail)
    {
        if (_depth == _stack.Length)
        {
            Array.Resize(ref _stack, _depth * 2);
            Array.Resize(ref _eventStarts, _stack.Length * Events.Length);
        }
        int n = Events.Length;
        if (n != 0) Events.AsSpan().CopyTo(_eventStarts.AsSpan(_depth * n, n));
        _stack[_depth++] = new OpenCall(edge, now, returnAddress, sp, mode, tail);
        edge.Calls++;
        _active[edge.Callee] = _active.GetValueOrDefault(edge.Callee) + 1;
    }

    /// <summary>Closes the calls from the top down to <paramref name="index"/>, and the calls a closed tail call replaced.</summary>
    /// <param name="returning">Closed by a return instruction (not by a longjmp, nor a region of interest closing).</param>
    /// <param name="index">The depth of the open call that closes last.</param>
    /// <param name="now">The profile clock at which the calls close.</param>
    private void PopTo(int index, ulong now, bool returning = false)
    {
        while (index > 0 && _stack[index].Tail) index--; // a tail call returns for the call it replaced
        while (_depth > index)
        {
            var c = _stack[--_depth];
            // A call costs from its BL to just before its return: as many instructions as the callee
            // ran. A root opened at a function's entry (a region of interest) had no BL counted: its
            // return instruction is its own.
            ulong cost = now - c.Start + (returning && c.Edge.Site == uint.MaxValue ? 1UL : 0);
            c.Edge.Inclusive += cost;
            int active = _active[c.Edge.Callee] - 1;
            _active[c.Edge.Callee] = active;
            if (active == 0) _outermostInclusive[c.Edge.Callee] = _outermostInclusive.GetValueOrDefault(c.Edge.Callee) + cost;
            int n = Events.Length;
            if (n == 0) continue;
            var edgeEvents = c.Edge.InclusiveEvents;
            if (edgeEvents.Length != n) c.Edge.InclusiveEvents = edgeEvents = new ulong[n];
            ulong[]? outermost = null;
            if (active == 0 && !_outermostEvents.TryGetValue(c.Edge.Callee, out outermost))
                _outermostEvents[c.Edge.Callee] = outermost = new ulong[n];
            for (int k = 0; k < n; k++)
            {
                ulong d = Events[k] - _eventStarts[_depth * n + k];
                edgeEvents[k] += d;
                if (outermost is not null) outermost[k] += d;
            }
        }
    }
}
