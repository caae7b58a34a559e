using System.Diagnostics;
using System.Text;

namespace ArmEmu.TestSupport;

/// <summary>What a finished process left: its exit status and the exact bytes it wrote.</summary>
public sealed record ToolResult(int ExitCode, byte[] Stdout, byte[] Stderr)
{
    public string StdoutText => Encoding.UTF8.GetString(Stdout);

    public string StderrText => Encoding.UTF8.GetString(Stderr);

    public override string ToString() =>
        $"exit {ExitCode}\n--- stdout ---\n{StdoutText}\n--- stderr ---\n{StderrText}";
}

/// <summary>
/// Launches the built armemu CLI (and other tools such as qemu-arm) from the tests,
/// with a fixed argv, stdin, environment and working directory, and a time limit:
/// a process still running at the limit is killed and the test fails.
/// </summary>
public static class ArmEmuCli
{
    /// <summary>
    /// The armemu apphost built beside the test assembly's configuration
    /// (emulator/armemu/bin/CONFIG/net10.0/armemu). The test projects reference the CLI
    /// project without its assembly, so building the tests builds it.
    /// </summary>
    public static string Path => LazyPath.Value;

    private static readonly Lazy<string> LazyPath = new(Locate);

    private static string Locate()
    {
        // The test assembly lives in .../bin/CONFIG/TFM/.
        var tfmDir = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(System.IO.Path.DirectorySeparatorChar));
        string configuration = tfmDir.Parent?.Name ?? "Debug";
        string path = System.IO.Path.Combine(RepositoryRoot.Path, "emulator", "armemu", "bin", configuration, tfmDir.Name, "armemu");
        if (!File.Exists(path))
            throw new InvalidOperationException(
                $"the armemu CLI is not built at {path}: run `dotnet build emulator/armemu -c {configuration}`");
        return path;
    }

    /// <summary>Runs <c>armemu ARGS</c> with the environment of the test process and empty stdin.</summary>
    public static ToolResult Run(IReadOnlyList<string> arguments, TimeSpan? timeout = null) =>
        RunTool(Path, arguments, Environment.CurrentDirectory, environment: null, stdinPath: null, timeout ?? TimeSpan.FromSeconds(30));

    /// <summary>
    /// Runs <paramref name="file"/> with exactly these arguments; <paramref name="environment"/>
    /// (when given) replaces the whole environment, in order, except that armemu is also given
    /// the suite's engine variables (<see cref="EngineUnderTest"/>) the list does not name; stdin is the file's bytes
    /// (or empty). Throws <see cref="TimeoutException"/> after killing a process that runs
    /// past <paramref name="timeout"/>.
    /// </summary>
    public static ToolResult RunTool(string file, IReadOnlyList<string> arguments, string workingDirectory,
        IReadOnlyList<KeyValuePair<string, string>>? environment, string? stdinPath, TimeSpan timeout)
    {
        var psi = new ProcessStartInfo(file)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        foreach (string a in arguments) psi.ArgumentList.Add(a);
        if (environment is not null)
        {
            psi.Environment.Clear();
            foreach (var (name, value) in environment) psi.Environment[name] = value;
            // armemu runs with the suite's engine unless the test names one itself.
            if (file == Path)
                foreach (var (name, value) in EngineUnderTest.Variables())
                    psi.Environment.TryAdd(name, value);
        }

        Process process;
        try
        {
            process = Process.Start(psi)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"cannot start {file}: {e.Message}");
        }
        using (process)
        {
            var stdout = new MemoryStream();
            var stderr = new MemoryStream();
            var copyOut = process.StandardOutput.BaseStream.CopyToAsync(stdout);
            var copyErr = process.StandardError.BaseStream.CopyToAsync(stderr);
            var feed = Task.Run(() =>
            {
                try
                {
                    if (stdinPath is not null) process.StandardInput.BaseStream.Write(File.ReadAllBytes(stdinPath));
                    process.StandardInput.Close();
                }
                catch (IOException)
                {
                    // The process exited without reading all of its input (EPIPE).
                }
            });
            if (!process.WaitForExit(timeout))
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit();
                throw new TimeoutException($"{file} {string.Join(' ', arguments)} did not finish within {timeout.TotalSeconds} s");
            }
            Task.WaitAll(copyOut, copyErr, feed);
            return new ToolResult(process.ExitCode, stdout.ToArray(), stderr.ToArray());
        }
    }
}
