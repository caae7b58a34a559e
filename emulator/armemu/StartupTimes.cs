using System.Diagnostics;
using System.Globalization;

namespace ArmEmu.Cli;

/// <summary>
/// ARMEMU_STARTUP_TIMES=1: how long each phase of start-up took, wall and CPU time (all threads,
/// so the runtime's background compiler counts), on stderr at exit, so that start-up is measured
/// where users see it (the installed tool, the self-contained executable). The first line is
/// the process's CPU time before Main: the .NET host and runtime; the last names the assemblies
/// loaded. Off (one environment read)
/// unless asked for.
/// </summary>
internal static class StartupTimes
{
    private static readonly List<(string Phase, double Wall, double Cpu)>? Phases =
        Environment.GetEnvironmentVariable("ARMEMU_STARTUP_TIMES") is "1" ? [] : null;
    // Read only when asked for: the process's CPU time (Environment.CpuUsage) was 1.5% of a
    // static hello's managed start-up, paid at every run for nothing.
    private static readonly long StartWall = Phases is null ? 0 : Stopwatch.GetTimestamp();
    private static readonly double StartCpu = Phases is null ? 0 : CpuMs();
    private static long lastWall = StartWall;
    private static double lastCpu = StartCpu;

    /// <summary>Marks Main's start (the first use sets the static fields).</summary>
    public static void Begin() => lastWall = StartWall;

    /// <summary>Marks the end of a phase.</summary>
    public static void Mark(string phase)
    {
        if (Phases is null) return;
        long wall = Stopwatch.GetTimestamp();
        double cpu = CpuMs();
        Phases.Add((phase, Stopwatch.GetElapsedTime(lastWall, wall).TotalMilliseconds, cpu - lastCpu));
        (lastWall, lastCpu) = (wall, cpu);
    }

    /// <summary>Prints the phases, if asked for: one line each, then the totals.</summary>
    public static void Report()
    {
        if (Phases is null) return;
        var error = Console.Error;
        error.WriteLine(Line("before Main (runtime)", null, StartCpu));
        foreach (var (phase, wall, cpu) in Phases) error.WriteLine(Line(phase, wall, cpu));
        error.WriteLine(Line("Main to exit", Stopwatch.GetElapsedTime(StartWall).TotalMilliseconds, CpuMs() - StartCpu));
        error.WriteLine(Line("process", null, CpuMs()));
        // Each assembly loaded is start-up time (a direct run loads neither System.CommandLine nor System.Text.Json).
        var names = new List<string>();
        foreach (var assembly in AppDomain.CurrentDomain.GetAssemblies()) names.Add(assembly.GetName().Name ?? "?");
        error.WriteLine($"armemu: startup: {names.Count} assemblies loaded: {string.Join(", ", names)}");
    }

    private static string Line(string phase, double? wall, double cpu) => string.Create(CultureInfo.InvariantCulture,
        $"armemu: startup: {phase,-24} wall {(wall is { } w ? w.ToString("F1", CultureInfo.InvariantCulture) : "-"),8} ms  cpu {cpu,8:F1} ms");

    private static double CpuMs() => Environment.CpuUsage.TotalTime.TotalMilliseconds;
}
