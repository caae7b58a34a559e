using System.Globalization;
using System.Text;

namespace ArmEmu.Emulator.Profiling;

/// <summary>
/// Writes a <see cref="ProfileReport"/> in the callgrind profile format
/// (valgrind docs/html/cl-format.html), which callgrind_annotate and KCachegrind read:
/// positions are instruction addresses and source lines (<c>positions: instr line</c>), one
/// <c>ob=</c> per loaded object, a <c>fn=</c> block per function with its file (<c>fl=</c>)
/// and its per-instruction costs, instructions from another file (inlined code) under
/// <c>fi=</c>/<c>fe=</c>, then its calls (<c>cfi=</c>, <c>cfn=</c>, <c>calls=</c>) with their
/// inclusive cost. Code without line information is in the file "???" at line 0, as
/// callgrind says of code without debug information.
/// </summary>
internal static class CallgrindWriter
{
    /// <param name="thread">For one of several threads' files (callgrind's --separate-threads): its pid and thread number, written as <c>pid:</c> and <c>thread:</c>.</param>
    /// <param name="output">Where the file is written.</param>
    /// <param name="report">The profile.</param>
    /// <param name="command">The command line, for the cmd: line.</param>
    public static void Write(TextWriter output, ProfileReport report, string command, (int Pid, int Number)? thread = null)
    {
        var inv = CultureInfo.InvariantCulture;
        var profile = report.Profile;
        var extra = report.ExtraEvents;

        // Inclusive cost of each edge, calls still open charged up to now (as callgrind does at a dump).
        var edgeCost = profile.Edges.Where(e => e.Site != uint.MaxValue).ToDictionary(e => e, e => e.Inclusive);
        var edgeEvents = edgeCost.Keys.ToDictionary(e => e, e => extra.Select(x => EventOf(e.InclusiveEvents, x)).ToArray());
        var openCalls = profile.OpenCalls;
        for (int i = 0; i < openCalls.Length; i++)
        {
            var open = openCalls[i];
            if (open.Edge.Site == uint.MaxValue) continue;
            edgeCost[open.Edge] += report.Now - open.Start;
            if (extra.Count == 0) continue;
            var sofar = profile.OpenCallEvents(i);
            for (int j = 0; j < extra.Count; j++) edgeEvents[open.Edge][j] += EventOf(sofar, extra[j]);
        }

        // Instructions and calls grouped by the function holding them.
        var lines = new SortedDictionary<uint, (ulong Ir, ulong Icf)>();
        foreach (var page in profile.Pages)
            for (int i = 0; i < page.Executed.Length; i++)
                if (page.Executed[i] != 0)
                {
                    uint address = (page.Vpn << 12) | ((uint)i << 1);
                    lines[address] = (page.Executed[i], (address & 2) == 0 ? page.ConditionFailed[i >> 1] : 0);
                }
        // An instruction can be charged an event without having executed (a load that missed, then aborted).
        foreach (var e in extra)
            foreach (uint address in e.Addresses())
                if (!lines.ContainsKey(address) && extra.Any(x => x.CostAt(address) != 0)) lines[address] = (0, 0);
        var functions = new Dictionary<ProfiledFunction, (List<uint> Pcs, List<ArmEmu.Cpu.CallEdge> Calls)>();
        (List<uint>, List<ArmEmu.Cpu.CallEdge>) Entry(ProfiledFunction f)
        {
            if (!functions.TryGetValue(f, out var e)) functions[f] = e = ([], []);
            return e;
        }
        foreach (uint pc in lines.Keys) Entry(report.Code.FunctionAt(pc)).Item1.Add(pc);
        foreach (var edge in edgeCost.Keys.OrderBy(e => e.Site).ThenBy(e => e.Callee)) Entry(report.Code.FunctionAt(edge.Site)).Item2.Add(edge);

        var w = new StringBuilder();
        w.Append("# callgrind format\nversion: 1\ncreator: armemu\n");
        if (thread is var (pid, number)) w.Append(inv, $"pid: {pid}\nthread: {number}\n");
        else w.Append("pid: 1\n");
        w.Append(inv, $"cmd: {command}\npart: 1\n\n");
        w.Append("positions: instr line\n");
        w.Append("event: Ir : Instructions executed (condition-failed included)\n");
        w.Append("event: Icf : ARM instructions whose condition failed\n");
        foreach (var e in extra) w.Append(inv, $"event: {e.Name} : {e.Description}\n");
        w.Append("events: Ir Icf");
        foreach (var e in extra) w.Append(' ').Append(e.Name);
        w.Append('\n');
        ulong failed = lines.Values.Aggregate(0UL, (s, l) => s + l.Icf);
        string totals = string.Join(' ', new[] { report.Total.ToString(inv), failed.ToString(inv) }
            .Concat(report.EventTotals.Select(t => t.ToString(inv))));
        w.Append(inv, $"summary: {totals}\n\n");

        var objectIds = new Dictionary<CodeObject, int>();
        var functionIds = new Dictionary<ProfiledFunction, int>();
        var fileIds = new Dictionary<string, int>();
        string Ob(CodeObject o) => objectIds.TryGetValue(o, out int id) ? $"({id})" : $"({objectIds[o] = objectIds.Count + 1}) {o.Name}";
        string Fn(ProfiledFunction f) => functionIds.TryGetValue(f, out int id) ? $"({id})" : $"({functionIds[f] = functionIds.Count + 1}) {f.Name}";
        string Fl(string file) => fileIds.TryGetValue(file, out int id) ? $"({id})" : $"({fileIds[file] = fileIds.Count + 1}) {file}";
        (string File, int Line) Source(uint pc) => report.Code.FunctionAt(pc).Object.SourceAt(pc & ~1u) ?? ("???", 0);
        // A function's file is the one its entry (or else its first executed instruction) comes from.
        string FileOf(ProfiledFunction f, uint firstPc) =>
            Source(f.Start) is ("???", _) ? Source(firstPc).File : Source(f.Start).File;

        foreach (var (function, (pcs, calls)) in functions.OrderBy(f => f.Key.Object.Start).ThenBy(f => f.Key.Start))
        {
            string file = FileOf(function, pcs.Count > 0 ? pcs[0] : function.Start);
            w.Append("ob=").Append(Ob(function.Object)).Append("\nfl=").Append(Fl(file)).Append('\n');
            w.Append("fn=").Append(Fn(function)).Append('\n');
            string current = file;
            foreach (uint pc in pcs)
            {
                var (ir, icf) = lines[pc];
                var (pcFile, line) = Source(pc);
                if (pcFile != current)
                {
                    // Inlined code: fi= names its file, fe= returns to the function's.
                    w.Append(pcFile == file ? "fe=" : "fi=").Append(Fl(pcFile)).Append('\n');
                    current = pcFile;
                }
                w.Append(inv, $"0x{pc:x} {line} {ir} {icf}");
                foreach (var e in extra) w.Append(' ').Append(e.CostAt(pc).ToString(inv));
                w.Append('\n');
            }
            foreach (var edge in calls)
            {
                var callee = report.Code.FunctionAt(edge.Callee);
                var (siteFile, siteLine) = Source(edge.Site);
                if (siteFile != current)
                {
                    w.Append(siteFile == file ? "fe=" : "fi=").Append(Fl(siteFile)).Append('\n');
                    current = siteFile;
                }
                if (callee.Object != function.Object) w.Append(inv, $"cob={Ob(callee.Object)}\n");
                w.Append(inv, $"cfi={Fl(FileOf(callee, edge.Callee))}\ncfn={Fn(callee)}\ncalls={edge.Calls} 0x{edge.Callee:x} {Source(edge.Callee).Line}\n0x{edge.Site:x} {siteLine} {edgeCost[edge]}");
                // Icf is not followed through calls (the loop counts it per address only): 0 inclusive.
                if (extra.Count > 0) w.Append(" 0");
                foreach (ulong n in edgeEvents[edge]) w.Append(' ').Append(n.ToString(inv));
                w.Append('\n');
            }
            w.Append('\n');
        }
        w.Append(inv, $"totals: {totals}\n");
        output.Write(w.ToString());
    }

    private static ulong EventOf(ulong[] running, IProfileEventSource source) =>
        source.EventIndex is int k and >= 0 && k < running.Length ? running[k] : 0;
}
