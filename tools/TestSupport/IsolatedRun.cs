using System.Diagnostics;
using System.Text;

namespace ArmEmu.TestSupport;

/// <summary>What a program left after an <see cref="IsolatedRun"/>: output (bytes as Latin-1 characters, so any byte difference is a string difference), status, and files it created.</summary>
public sealed record IsolatedRunResult(string Stdout, string Stderr, int ExitCode, bool TimedOut, string[] LeftFiles);

/// <summary>Runs a guest-side tool (armemu, QEMU) the way the differential guest tests need it.</summary>
public static class IsolatedRun
{
    /// <summary>
    /// Runs <paramref name="program"/> in a fresh, empty working directory (semihosting files go
    /// there) with an empty stdin, killing it and everything it started after <paramref name="timeout"/>.
    /// </summary>
    public static IsolatedRunResult InFreshDirectory(string program, string[] arguments, TimeSpan timeout)
    {
        string dir = Path.Combine(Path.GetTempPath(), $"armemu-run-{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        try
        {
            var psi = new ProcessStartInfo(program, arguments)
            {
                WorkingDirectory = dir,
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            using var process = Process.Start(psi)!;
            process.StandardInput.Close();
            var stdout = new MemoryStream();
            var stdoutDone = process.StandardOutput.BaseStream.CopyToAsync(stdout);
            var stderr = process.StandardError.ReadToEndAsync();
            bool exited = process.WaitForExit(timeout);
            if (!exited) process.Kill(entireProcessTree: true);
            process.WaitForExit();
            stdoutDone.Wait();
            string[] left = Directory.GetFileSystemEntries(dir).Select(Path.GetFileName).ToArray()!;
            return new IsolatedRunResult(Encoding.Latin1.GetString(stdout.ToArray()), stderr.Result, exited ? process.ExitCode : -1, !exited, left);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
