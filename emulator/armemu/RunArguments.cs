namespace ArmEmu.Cli;

/// <summary>
/// The values of <c>armemu run</c>'s options as given on the command line (null, false or empty
/// when an option is absent; the QEMU_* environment variables are read later, where each option
/// is used), the program and its arguments.
/// </summary>
/// <remarks>
/// Most runs name only the program (<c>armemu ./prog args</c>, <c>armemu-arm ./prog</c>,
/// binfmt_misc without the P flag, <c>make QEMU=armemu-arm</c>): then <see cref="Direct"/>
/// makes the values without System.CommandLine, whose option tree and parse were a sixth of a
/// static hello's CPU time (ARMEMU_STARTUP_TIMES). Everything else -- any option, help,
/// errors -- goes through System.CommandLine, which fills the same record.
/// </remarks>
internal sealed record RunArguments
{
    public required string Program { get; init; }
    public IReadOnlyList<string> GuestArguments { get; init; } = [];
    public string? Cpu { get; init; }
    public string? SysRoot { get; init; }
    /// <summary>-E (true) and -U (false) lists in command-line order.</summary>
    public (bool Set, string List)[] EnvironmentChanges { get; init; } = [];
    public string? Argv0 { get; init; }
    public string? MaxInstructions { get; init; }
    public bool Strace { get; init; }
    public string? Log { get; init; }
    public string? LogFile { get; init; }
    public string? Seed { get; init; }
    public bool RealRandom { get; init; }
    public string? StackSize { get; init; }
    public string? UnameRelease { get; init; }
    public bool ExitStatus { get; init; }
    public bool Stats { get; init; }
    public string? StatsJson { get; init; }
    public string? Screenshot { get; init; }
    public bool NoMakeCoherent { get; init; }
    public CacheCommandLine.Values Caches { get; init; } = CacheCommandLine.Values.None;
    public string? Engine { get; init; }
    /// <summary>-g PORT.</summary>
    public string? GdbPort { get; init; }
    public ProfileOptions.Values Profiling { get; init; } = ProfileOptions.Values.None;

    /// <summary>
    /// The values of <c>run PROGRAM ARGS...</c> or <c>run -- PROGRAM ARGS...</c> (no option before the
    /// program; what follows it is the guest's, as System.CommandLine is given it too); null for
    /// anything else. A lone "-" is a program name there as well, as qemu-arm takes it.
    /// </summary>
    public static RunArguments? Direct(string[] args)
    {
        if (args.Length < 2 || args[0] != "run") return null;
        int program = args[1] == "--" ? 2 : 1;
        if (program >= args.Length || (program == 1 && args[1] is ['-', _, ..])) return null;
        return new RunArguments { Program = args[program], GuestArguments = args[(program + 1)..] };
    }
}
