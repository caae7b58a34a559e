using ArmEmu.TestSupport;

namespace ArmEmu.Emulator.Tests;

/// <summary><c>--engine</c> and ARMEMU_ENGINE on the real armemu binary: a name that is no engine is one line and status 2.</summary>
public sealed class EngineOptionTests
{
    private static void AssertOneUsageLine(ToolResult r, string expected)
    {
        Assert.True(r.ExitCode == 2, r.ToString());
        Assert.DoesNotContain("   at ", r.StderrText);
        string line = Assert.Single(r.StderrText.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("armemu: ", line);
        Assert.Contains(expected, line);
        Assert.Contains("interpreter, translator", line);
    }

    [Theory]
    [InlineData("run")]
    [InlineData("system")]
    public void UnknownEngine_IsOneLine_AndStatus2(string command)
    {
        string[] args = command == "run"
            ? ["run", "--engine", "jitty", "/bin/true"]
            : ["system", "--engine", "jitty", "/bin/true"];
        AssertOneUsageLine(ArmEmuCli.Run(args), "--engine: 'jitty' is not an engine");
    }

    [Fact]
    public void UnknownEngine_InTheEnvironment_IsOneLine_AndStatus2()
    {
        string root = RepositoryRoot.Path;
        var environment = new List<KeyValuePair<string, string>> { new("ARMEMU_ENGINE", "fast"), new("PATH", "/usr/bin:/bin") };
        var r = ArmEmuCli.RunTool(ArmEmuCli.Path, ["run", "/bin/true"], root, environment, null, TimeSpan.FromSeconds(30));
        AssertOneUsageLine(r, "ARMEMU_ENGINE: 'fast' is not an engine");
    }
}
