using System.Diagnostics;
using ArmEmu.TestSupport;

namespace ArmEmu.GuestTests.Examples;

/// <summary>The bundled example: its committed binary is what its script rebuilds, and it runs as expected.</summary>
public class BundledExampleTests
{
    private static readonly string ExamplesDir = Path.Combine(RepositoryRoot.Path, "guest-tests", "examples");

    [Fact]
    public void RebuildingTheExampleGivesTheCommittedBinary()
    {
        string output = Path.Combine(Path.GetTempPath(), "armemu-example-rebuild-" + Environment.ProcessId);
        try
        {
            GnuToolchain.Run("bash", $"{Path.Combine(ExamplesDir, "build.sh")} {output}", "gcc-arm-linux-gnueabi");
            byte[] rebuilt = File.ReadAllBytes(Path.Combine(output, "jit-hello"));
            byte[] committed = File.ReadAllBytes(Path.Combine(ExamplesDir, "jit-hello"));
            Assert.True(rebuilt.AsSpan().SequenceEqual(committed),
                "guest-tests/examples/jit-hello differs from what build.sh produces: rebuild it and commit the result");
        }
        finally
        {
            if (Directory.Exists(output)) Directory.Delete(output, recursive: true);
        }
    }

    [Fact]
    public void TheExampleRunsAsExpected()
    {
        using var process = Process.Start(new ProcessStartInfo(ArmEmuCli.Path, ["run", Path.Combine(ExamplesDir, "jit-hello")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        string stdout = process.StandardOutput.ReadToEnd();
        string stderr = process.StandardError.ReadToEnd();
        Assert.True(process.WaitForExit(60_000), "armemu did not finish within 60 s");
        Assert.Equal("", stderr);
        Assert.Equal(0, process.ExitCode);
        Assert.Equal(File.ReadAllText(Path.Combine(ExamplesDir, "jit-hello.expected")), stdout);
    }
}
