using System.Buffers.Binary;
using System.Reflection;
using ArmEmu.Emulator.Linux;

namespace ArmEmu.Cli;

/// <summary>
/// How armemu was started, turned into the subcommand form the parser knows:
/// <list type="bullet">
/// <item><c>armemu-arm ARGS</c> (a second name for the same program, made by the install
/// scripts as a symbolic link) is <c>armemu run ARGS</c>, so that it can stand wherever
/// qemu-arm stands: <c>make QEMU=armemu-arm</c>, binfmt_misc.</item>
/// <item>Started by binfmt_misc with the P (preserve-argv0) flag, the kernel passes the
/// program's full path and then its original argv[0]; Linux (since 5.12) says so with
/// AT_FLAGS_PRESERVE_ARGV0 in AT_FLAGS, which is how qemu-arm 7.2 tells (linux-user/main.c).</item>
/// <item><c>armemu PROGRAM ARGS</c> and <c>armemu -L X PROGRAM</c> are <c>armemu run ...</c>.</item>
/// <item><c>armemu help [COMMAND]</c> is <c>armemu [COMMAND] --help</c>.</item>
/// </list>
/// </summary>
internal static class Invocation
{
    public const string UserModeName = "armemu-arm";
    private const ulong AtFlags = 8, AtFlagsPreserveArgv0 = 1;

    public static string[] Normalise(string[] args)
    {
        if (IsUserModeName(ProgramName()))
        {
            if (PreservesArgv0() && args.Length >= 2) return ["run", "-0", args[1], "--", args[0], .. args[2..]];
            return ["run", .. args];
        }
        if (args.Length == 0) return args;
        switch (args[0])
        {
            case "help":
                return args.Length > 1 ? [args[1], "--help"] : ["--help"];
            case "run" or "system" or "--help" or "-h" or "-?" or "--version" or "-version":
                return args;
        }
        bool looksLikeProgram = args[0].StartsWith('-') || args[0].Contains('/') || File.Exists(args[0]);
        return looksLikeProgram ? ["run", .. args] : args;
    }

    /// <summary>The version line, as <c>qemu-arm -version</c> prints its own.</summary>
    public static string VersionLine
    {
        get
        {
            var assembly = typeof(Invocation).Assembly;
            string version = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0";
            int plus = version.IndexOf('+');
            if (plus > 0) version = version[..plus];
            return $"armemu version {version} (ArmEmu: an ARM emulator with a faithful cache model)";
        }
    }

    private static bool IsUserModeName(string? name) =>
        name is not null && Path.GetFileName(name) is UserModeName;

    /// <summary>argv[0] as the process was started (the .NET host reports the resolved apphost path instead).</summary>
    private static string? ProgramName()
    {
        // argv[0] is at most PATH_MAX bytes and comes first; libc's read, not .NET's file API
        // (HostFileReader: the JIT's first work at start-up).
        var cmdline = new byte[4097];
        int n = HostFileReader.Read("/proc/self/cmdline", cmdline);
        if (n < 0) return null;
        int end = Array.IndexOf(cmdline, (byte)0, 0, n);
        return System.Text.Encoding.UTF8.GetString(cmdline, 0, end < 0 ? n : end);
    }

    /// <summary>Whether binfmt_misc's P flag is in AT_FLAGS of this process's auxiliary vector.</summary>
    private static bool PreservesArgv0()
    {
        var auxv = new byte[4096];
        int n = HostFileReader.Read("/proc/self/auxv", auxv);
        for (int i = 0; i + 16 <= n; i += 16)
        {
            ulong type = BinaryPrimitives.ReadUInt64LittleEndian(auxv.AsSpan(i));
            if (type == AtFlags) return (BinaryPrimitives.ReadUInt64LittleEndian(auxv.AsSpan(i + 8)) & AtFlagsPreserveArgv0) != 0;
            if (type == 0) break;
        }
        return false;
    }
}
