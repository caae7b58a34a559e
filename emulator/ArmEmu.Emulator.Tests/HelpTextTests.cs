using ArmEmu.TestSupport;

namespace ArmEmu.Emulator.Tests;

/// <summary>--help (and armemu help COMMAND) ends with every exit status armemu gives, and run's and system's show examples.</summary>
public sealed class HelpTextTests
{
    [Theory]
    [InlineData("--help")]
    [InlineData("run", "--help")]
    [InlineData("help", "run")]
    [InlineData("system", "--help")]
    [InlineData("help", "system")]
    public void Help_lists_every_exit_status(params string[] args)
    {
        var r = ArmEmuCli.Run(args);
        Assert.Equal(0, r.ExitCode);
        Assert.Equal("", r.StderrText);
        string text = r.StdoutText;
        int section = text.IndexOf("\nExit status:\n", StringComparison.Ordinal);
        Assert.True(section > 0, text);
        foreach (string status in new[] { "N ", "(signal)", "1 ", "2 ", "123 ", "124 ", "125 " })
            Assert.Contains("\n  " + status, text[section..]);
    }

    [Theory]
    [InlineData("run", "armemu ./hello")]
    [InlineData("system", "armemu system -kernel image.elf")]
    public void Run_and_system_help_show_examples(string command, string example)
    {
        var r = ArmEmuCli.Run([command, "--help"]);
        Assert.Contains("\nExamples:\n", r.StdoutText);
        Assert.Contains(example, r.StdoutText);
        // The options show their value names.
        Assert.Contains(command == "run" ? "-L <SYSROOT>" : "--serial <DEV>", r.StdoutText);
    }
}
