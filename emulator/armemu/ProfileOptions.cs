using System.CommandLine;
using System.Globalization;
using ArmEmu.Emulator.Profiling;
using Spectre.Console;

namespace ArmEmu.Cli;

/// <summary>--profile, --profile-top, --trace, --trace-from, --trace-to and --symbols, shared by <c>run</c> and <c>system</c>.</summary>
internal sealed class ProfileOptions
{
    public Option<string?> Profile { get; } = new("--profile") { Description = "Write a callgrind-format profile (callgrind_annotate, KCachegrind) to FILE; with threads, FILE-02, FILE-03... for the others", HelpName = "FILE" };
    public Option<int?> ProfileTop { get; } = new("--profile-top") { Description = "Print the N most expensive functions on stderr at exit", HelpName = "N" };
    public Option<string?> Trace { get; } = new("--trace") { Description = "Write an instruction trace to FILE ('-': standard output)", HelpName = "FILE" };
    public Option<string?> TraceFrom { get; } = new("--trace-from") { Description = "Start the trace at instruction count N, or when the PC first reaches 0xADDRESS", HelpName = "N|0xADDRESS" };
    public Option<string?> TraceTo { get; } = new("--trace-to") { Description = "End the trace before instruction count N, or after the instruction at 0xADDRESS", HelpName = "N|0xADDRESS" };

    public Option<string?> ProfileFrom { get; } = new("--profile-from") { Description = "Count from instruction N, or from when the PC first reaches 0xADDRESS or FUNCTION (that instruction included)", HelpName = "N|0xADDRESS|FUNCTION" };
    public Option<string?> ProfileTo { get; } = new("--profile-to") { Description = "Stop counting at instruction N, or when the PC next reaches 0xADDRESS or FUNCTION (that instruction not included)", HelpName = "N|0xADDRESS|FUNCTION" };
    public Option<string[]> ToggleCollect { get; } = new("--toggle-collect")
    {
        Description = "Count only while FUNCTION runs, callees included (callgrind's --toggle-collect; repeatable)",
        HelpName = "FUNCTION",
        AllowMultipleArgumentsPerToken = false,
    };
    public Option<string?> InstrAtStart { get; } = new("--instr-atstart") { Description = "Whether counting is on before the guest's CALLGRIND_START_INSTRUMENTATION (default yes)", HelpName = "yes|no" };
    public Option<string?> CollectAtStart { get; } = new("--collect-atstart") { Description = "Whether collection is on at the start (default yes; no with --toggle-collect), as callgrind's", HelpName = "yes|no" };

    /// <summary>The trace target of qemu-arm's -d without -D: standard error (not a file name a user can give).</summary>
    public const string TraceToStandardError = "\0stderr";

    /// <summary>A writer for the trace: a file, standard output for "-", standard error for <see cref="TraceToStandardError"/>.</summary>
    public static TextWriter OpenTrace(string target) => OutputPaths.Open(target == TraceToStandardError ? null : target);

    public Option<FileInfo[]> Symbols { get; } = new("--symbols")
    {
        Description = "Name code from FILE too: an ELF with symbols (vmlinux, an unstripped library) or a System.map (repeatable)",
        HelpName = "FILE",
        AllowMultipleArgumentsPerToken = false,
    };

    public IEnumerable<Option> All => [Profile, ProfileTop, ProfileFrom, ProfileTo, ToggleCollect, InstrAtStart, CollectAtStart, Trace, TraceFrom, TraceTo, Symbols];

    /// <summary>What the user asked for, checked.</summary>
    public sealed record Request(string? Profile, int? Top, string? Trace, TracePoint? From, TracePoint? To, FileInfo[] Symbols,
                                 RegionOfInterestOptions? Region = null)
    {
        public bool Profiling => Profile is not null || Top is not null;

        /// <summary>Adds the <c>--symbols</c> files to a session; false (and one line on stderr) if one cannot be read.</summary>
        public bool AddSymbolsTo(ArmEmu.Emulator.Profiling.ProfilingSession session)
        {
            foreach (var file in Symbols)
            {
                try
                {
                    session.AddSymbolFile(file.FullName);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    Console.Error.WriteLine($"armemu: --symbols: {e.Message}");
                    return false;
                }
            }
            return true;
        }
    }

    /// <summary>The options' values as given: null when absent (<see cref="Values.None"/> when none is).</summary>
    public sealed record Values(string? Profile, int? Top, string? Trace, string? TraceFrom, string? TraceTo, string? ProfileFrom,
                                string? ProfileTo, string[]? ToggleCollect, string? InstrAtStart, string? CollectAtStart, FileInfo[]? Symbols)
    {
        /// <summary>No profiling or tracing option given.</summary>
        public static Values None { get; } = new(null, null, null, null, null, null, null, null, null, null, null);
    }

    /// <summary>What <paramref name="parse"/> holds for these options.</summary>
    public Values ValuesOf(ParseResult parse) =>
        new(parse.GetValue(Profile), parse.GetValue(ProfileTop), parse.GetValue(Trace), parse.GetValue(TraceFrom), parse.GetValue(TraceTo),
            parse.GetValue(ProfileFrom), parse.GetValue(ProfileTo), parse.GetValue(ToggleCollect), parse.GetValue(InstrAtStart),
            parse.GetValue(CollectAtStart), parse.GetValue(Symbols));

    public Request? Parse(ParseResult parse, out string? error) => Parse(ValuesOf(parse), out error);

    /// <summary>What the user asked for, checked; null and an error line if something does not fit.</summary>
    public static Request? Parse(Values values, out string? error)
    {
        error = null;
        int? top = values.Top;
        if (top is <= 0)
        {
            error = $"--profile-top must be a positive number, not {top}";
            return null;
        }
        TracePoint? from = null, to = null;
        if (values.TraceFrom is { } f)
        {
            if (!TracePoint.TryParse(f, out var p)) { error = $"--trace-from: '{f}' is neither an instruction count nor a 0x address"; return null; }
            from = p;
        }
        if (values.TraceTo is { } t)
        {
            if (!TracePoint.TryParse(t, out var p)) { error = $"--trace-to: '{t}' is neither an instruction count nor a 0x address"; return null; }
            to = p;
        }
        var trace = values.Trace;
        if (trace is null && (from is not null || to is not null))
        {
            error = "--trace-from and --trace-to need --trace FILE";
            return null;
        }
        var symbols = values.Symbols ?? [];
        if (symbols.FirstOrDefault(f => !f.Exists) is { } missing)
        {
            error = $"--symbols: '{missing}' does not exist";
            return null;
        }
        var region = ParseRegion(values, out error);
        if (error is not null) return null;
        var request = new Request(values.Profile, top, trace, from, to, symbols, region);
        if (region is not null && !request.Profiling)
        {
            error = "--profile-from, --profile-to, --toggle-collect, --instr-atstart and --collect-atstart need --profile FILE or --profile-top N";
            return null;
        }
        return request;
    }

    /// <summary>The region of interest, or null when no option names one.</summary>
    private static RegionOfInterestOptions? ParseRegion(Values values, out string? error)
    {
        error = null;
        RegionPoint? from = null, to = null;
        if (values.ProfileFrom is { } f)
        {
            if (!RegionPoint.TryParse(f, out var p)) { error = $"--profile-from: '{f}' is not an instruction count, a 0x address or a function name"; return null; }
            from = p;
        }
        if (values.ProfileTo is { } t)
        {
            if (!RegionPoint.TryParse(t, out var p)) { error = $"--profile-to: '{t}' is not an instruction count, a 0x address or a function name"; return null; }
            to = p;
        }
        var toggles = values.ToggleCollect ?? [];
        if (toggles.FirstOrDefault(n => !RegionPoint.TryParse(n, out var p) || p.Symbol is null) is { } bad)
        {
            error = $"--toggle-collect: '{bad}' is not a function name";
            return null;
        }
        bool? instr = YesNo(values.InstrAtStart, "--instr-atstart", ref error);
        bool? collect = YesNo(values.CollectAtStart, "--collect-atstart", ref error);
        if (error is not null) return null;
        if (from is null && to is null && toggles.Length == 0 && instr is null && collect is null) return null;
        return new RegionOfInterestOptions { From = from, To = to, ToggleCollect = toggles, InstrumentAtStart = instr ?? true, CollectAtStart = collect };
    }

    private static bool? YesNo(string? value, string option, ref string? error)
    {
        switch (value?.Trim().ToLowerInvariant())
        {
            case null: return null;
            case "yes": return true;
            case "no": return false;
            default:
                error ??= $"{option}: '{value}' is neither yes nor no";
                return null;
        }
    }

    /// <summary>Writes the profile file and prints the top table, as asked.</summary>
    public static void Finish(Request request, ProfilingSession session, string command)
    {
        foreach (string name in session.UnresolvedRegionSymbols)
            Console.Error.WriteLine($"armemu: the region of interest names '{name}', which no loaded code defines; it never opened or closed there");
        var report = session.Report();
        if (request.Profile is { } file)
        {
            using (var output = new StreamWriter(file)) CallgrindWriter.Write(output, report, command, session.Threads.Count > 1 ? (session.Threads[0].Pid, 1) : null);
            // With threads, one file per thread as callgrind's --separate-threads=yes: the first
            // thread's in FILE, the others' in FILE-02, FILE-03... in the order they first ran.
            foreach (var thread in session.Threads.Skip(1))
            {
                using var output = new StreamWriter(ThreadProfilePath(file, thread.Number));
                CallgrindWriter.Write(output, session.Report(thread), command, (thread.Pid, thread.Number));
            }
        }
        if (request.Top is { } top) PrintTop(report, top, session.HasOuterCache);
    }

    private static int IndexOf(ProfileReport report, string name)
    {
        for (int j = 0; j < report.ExtraEvents.Count; j++)
            if (report.ExtraEvents[j].Name == name) return j;
        return -1;
    }

    /// <summary>Where the profile of thread <paramref name="number"/> (2 and up) goes: FILE-02, FILE-03...</summary>
    public static string ThreadProfilePath(string file, int number) => string.Create(CultureInfo.InvariantCulture, $"{file}-{number:D2}");

    private static void PrintTop(ProfileReport report, int top, bool outerCache)
    {
        // Without an L2 the last level is the L1: ILmr, DLmr and DLmw repeat I1mr, D1mr and D1mw.
        bool Shown(int j) => outerCache || report.ExtraEvents[j].Name is not ("ILmr" or "DLmr" or "DLmw");
        // Colours and styles only on a terminal: a redirected stderr gets plain text.
        bool terminal = !Console.IsErrorRedirected;
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(Console.Error),
            Ansi = terminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = terminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
        });
        if (Console.IsErrorRedirected) console.Profile.Width = 160; // a log file, not a terminal: no wrapping at 80 columns
        var inv = CultureInfo.InvariantCulture;
        string events = string.Concat(report.ExtraEvents.Select((e, j) => Shown(j) ? $", {report.EventTotals[j].ToString("N0", inv)} {e.Name}" : ""));
        var table = new Table().Title($"armemu profile: {report.Total.ToString("N0", inv)} instructions{events}");
        table.AddColumn(new TableColumn("Ir incl").RightAligned());
        table.AddColumn(new TableColumn("%").RightAligned());
        table.AddColumn(new TableColumn("Ir self").RightAligned());
        table.AddColumn(new TableColumn("cond failed").RightAligned());
        table.AddColumn(new TableColumn("calls").RightAligned());
        // The cache events (with the cache model on), inclusive then the function's own share.
        for (int j = 0; j < report.ExtraEvents.Count; j++)
            if (Shown(j)) table.AddColumn(new TableColumn($"{report.ExtraEvents[j].Name} incl/self").RightAligned());
        // D1 miss rate (cachegrind's): (D1mr + D1mw) / (Dr + Dw), of the function's own accesses.
        int dr = IndexOf(report, "Dr"), dw = IndexOf(report, "Dw"), d1mr = IndexOf(report, "D1mr"), d1mw = IndexOf(report, "D1mw");
        bool missRate = dr >= 0 && dw >= 0 && d1mr >= 0 && d1mw >= 0;
        if (missRate) table.AddColumn(new TableColumn("D1 miss%").RightAligned());
        table.AddColumn("function");
        table.AddColumn("object");
        double total = Math.Max(1, report.Total);
        foreach (var f in report.Functions.Take(top))
        {
            var cells = new List<string>
            {
                f.Inclusive.ToString("N0", inv),
                (100.0 * f.Inclusive / total).ToString("F1", inv),
                f.Exclusive.ToString("N0", inv),
                f.ConditionFailed.ToString("N0", inv),
                f.Calls.ToString("N0", inv),
            };
            for (int j = 0; j < report.ExtraEvents.Count; j++)
                if (Shown(j)) cells.Add($"{f.InclusiveEvents[j].ToString("N0", inv)} / {f.ExclusiveEvents[j].ToString("N0", inv)}");
            if (missRate)
            {
                var own = f.ExclusiveEvents;
                ulong accesses = own[dr] + own[dw];
                cells.Add(accesses == 0 ? "-" : (100.0 * (own[d1mr] + own[d1mw]) / accesses).ToString("F1", inv));
            }
            cells.Add(Markup.Escape(f.Function.Name));
            cells.Add(Markup.Escape(Path.GetFileName(f.Function.Object.Name)));
            table.AddRow(cells.ToArray());
        }
        console.Write(table);
    }
}
