namespace ArmEmu.Cli;

/// <summary>
/// Output files named on the command line (--profile, --stats-json, --trace, --screenshot,
/// -D) are checked before the guest starts, so that a typo costs one line and status 2
/// rather than a whole run followed by a failure to write.
/// </summary>
internal static class OutputPaths
{
    /// <summary>The path "-": standard output (for --trace).</summary>
    public const string StandardOutput = "-";

    /// <summary>
    /// Null when <paramref name="path"/> can be written (an existing file is opened without
    /// truncation, a new one is created and removed again); otherwise the one-line reason,
    /// naming the option.
    /// </summary>
    public static string? Check(string option, string? path)
    {
        if (path is null || path == StandardOutput) return null;
        if (path.Length == 0) return $"{option}: expects a file name";
        string full = Path.GetFullPath(path);
        if (Directory.Exists(full)) return $"{option}: {path} is a directory";
        string? parent = Path.GetDirectoryName(full);
        if (parent is not null && !Directory.Exists(parent)) return $"{option}: cannot write {path}: no directory {parent}";
        bool existed = File.Exists(full);
        try
        {
            using (new FileStream(full, FileMode.OpenOrCreate, FileAccess.Write)) { }
            if (!existed) File.Delete(full);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"{option}: cannot write {path}: {e.Message.TrimEnd('.')}";
        }
    }

    /// <summary>The first problem among several (option, path) pairs, or null.</summary>
    public static string? CheckAll(params (string Option, string? Path)[] outputs)
    {
        foreach (var (option, path) in outputs)
            if (Check(option, path) is { } error) return error;
        return null;
    }

    /// <summary>A writer on <paramref name="path"/>, standard output for "-", or standard error for null.</summary>
    public static TextWriter Open(string? path) => path switch
    {
        null => new StreamWriter(Console.OpenStandardError()) { AutoFlush = true },
        StandardOutput => new StreamWriter(Console.OpenStandardOutput()),
        _ => new StreamWriter(path),
    };
}
