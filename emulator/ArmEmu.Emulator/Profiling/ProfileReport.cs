using ArmEmu.Cpu;

namespace ArmEmu.Emulator.Profiling;

/// <summary>
/// A per-instruction event the profile can report besides Ir. The cache model plugs in
/// here (<see cref="CacheProfile"/>): it charges I1mr, D1mr, D1mw and write-backs to the
/// instruction that caused them and hands one source per event to <see cref="ProfileReport"/>;
/// the callgrind writer and the top table then show them as further columns.
/// </summary>
internal interface IProfileEventSource
{
    /// <summary>Short name (callgrind <c>events:</c>), e.g. "D1mr".</summary>
    string Name { get; }

    /// <summary>One-line description (callgrind <c>event:</c> line).</summary>
    string Description { get; }

    /// <summary>The count charged to the instruction at <paramref name="address"/>.</summary>
    ulong CostAt(uint address);

    /// <summary>Every address that may have a cost (executed or not: an aborted load's miss counts); others cost 0.</summary>
    IEnumerable<uint> Addresses();

    /// <summary>
    /// Index of the event's running count in <see cref="ExecutionProfile.Events"/>, from which
    /// calls get their inclusive cost; -1 when the source keeps none (calls then cost 0 of it).
    /// </summary>
    int EventIndex { get; }
}

/// <summary>Costs of one function.</summary>
internal sealed class FunctionCost(ProfiledFunction function)
{
    public ProfiledFunction Function { get; } = function;

    /// <summary>Instructions executed in the function itself (Ir, exclusive).</summary>
    public ulong Exclusive { get; internal set; }

    /// <summary>Of those, ARM instructions whose condition failed.</summary>
    public ulong ConditionFailed { get; internal set; }

    /// <summary>Instructions executed from its entry to its return, callees included; outermost activations only.</summary>
    public ulong Inclusive { get; internal set; }

    /// <summary>Times it was called (tail calls included).</summary>
    public ulong Calls { get; internal set; }

    /// <summary>Of each of the report's <see cref="ProfileReport.ExtraEvents"/>, the count charged to the function's own instructions.</summary>
    public ulong[] ExclusiveEvents { get; internal set; } = [];

    /// <summary>Of each extra event, the count from its entry to its return, callees included (as <see cref="Inclusive"/>).</summary>
    public ulong[] InclusiveEvents { get; internal set; } = [];
}

/// <summary>An execution profile resolved to functions: what the callgrind file and the top table show.</summary>
internal sealed class ProfileReport
{
    public ProfileReport(ExecutionProfile profile, CodeMap code, ulong now, IReadOnlyList<IProfileEventSource>? extraEvents = null)
    {
        Profile = profile;
        Code = code;
        Now = now;
        ExtraEvents = extraEvents ?? [];
        int extra = ExtraEvents.Count;
        var byFunction = new Dictionary<ProfiledFunction, FunctionCost>();
        FunctionCost Of(uint address)
        {
            var f = code.FunctionAt(address);
            if (!byFunction.TryGetValue(f, out var c))
                byFunction[f] = c = new FunctionCost(f) { ExclusiveEvents = new ulong[extra], InclusiveEvents = new ulong[extra] };
            return c;
        }
        foreach (var page in profile.Pages)
            for (int i = 0; i < page.Executed.Length; i++)
            {
                ulong n = page.Executed[i];
                if (n == 0) continue;
                uint address = (page.Vpn << 12) | ((uint)i << 1);
                var c = Of(address);
                c.Exclusive += n;
                if ((address & 2) == 0) c.ConditionFailed += page.ConditionFailed[i >> 1];
                Total += n;
            }
        EventTotals = new ulong[extra];
        for (int j = 0; j < extra; j++)
            foreach (uint address in ExtraEvents[j].Addresses())
            {
                ulong n = ExtraEvents[j].CostAt(address);
                if (n == 0) continue;
                Of(address).ExclusiveEvents[j] += n;
                EventTotals[j] += n;
            }
        foreach (var edge in profile.Edges) Of(edge.Callee).Calls += edge.Site == uint.MaxValue ? 0 : edge.Calls;
        foreach (var (callee, cost) in profile.InclusiveByCallee(now)) Of(callee).Inclusive += cost;
        if (extra > 0)
            foreach (var (callee, costs) in profile.InclusiveEventsByCallee())
            {
                var c = Of(callee);
                for (int j = 0; j < extra; j++)
                    if (ExtraEvents[j].EventIndex is int k and >= 0 && k < costs.Length) c.InclusiveEvents[j] += costs[k];
            }
        // A function only ever branched into (never called) costs at least its own instructions.
        // Outermost activations are tracked per entry address: a "function" with several called
        // addresses (code without symbols, named by its page) can overlap itself, so cap at the total.
        foreach (var c in byFunction.Values)
        {
            c.Inclusive = Math.Min(Math.Max(c.Inclusive, c.Exclusive), Total);
            for (int j = 0; j < extra; j++)
                c.InclusiveEvents[j] = Math.Min(Math.Max(c.InclusiveEvents[j], c.ExclusiveEvents[j]), EventTotals[j]);
        }
        Functions = byFunction.Values.OrderByDescending(c => c.Inclusive).ThenBy(c => c.Function.Name, StringComparer.Ordinal).ToList();
    }

    public ExecutionProfile Profile { get; }

    public CodeMap Code { get; }

    /// <summary>The instruction count the report was taken at (open calls are charged up to here).</summary>
    public ulong Now { get; }

    public IReadOnlyList<IProfileEventSource> ExtraEvents { get; }

    /// <summary>Instructions counted: equals the CPU's instruction count over the profiled run.</summary>
    public ulong Total { get; }

    /// <summary>Of each extra event, the total charged: for the cache events, what the cache counters counted while profiling.</summary>
    public ulong[] EventTotals { get; }

    /// <summary>Every function that executed or was called, most expensive (inclusive) first.</summary>
    public IReadOnlyList<FunctionCost> Functions { get; }

    /// <summary>The function called <paramref name="name"/>, if it ran.</summary>
    public FunctionCost? this[string name] => Functions.FirstOrDefault(f => f.Function.Name == name);
}
