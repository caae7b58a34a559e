using System.Net;
using System.Net.Sockets;
using ArmEmu.TestSupport;

namespace ArmEmu.Emulator.Tests.Gdb;

/// <summary>The stub's command-line spellings on bad input: one line on stderr, exit status 2, no stack trace.</summary>
public class GdbCommandLineTests
{
    private static string Program => ElfTestBinaries.PathOf("static");

    [Theory]
    [InlineData("run", "-g", "notaport")]
    [InlineData("run", "-g", "70000")]
    public void ABadRunPortIsAUsageError(string command, string option, string value)
    {
        var result = ArmEmuCli.Run([command, option, value, Program]);
        AssertOneLineUsageError(result, "-g expects a TCP port number");
    }

    [Theory]
    [InlineData("-S", null, "-S waits for gdb: give -s or --gdb tcp::PORT too")]
    [InlineData("--gdb", "udp::1234", "--gdb expects tcp::PORT or tcp:HOST:PORT")]
    [InlineData("--gdb", "tcp::x", "--gdb expects tcp::PORT or tcp:HOST:PORT")]
    public void ABadSystemGdbOptionIsAUsageError(string option, string? value, string message)
    {
        string[] args = value is null ? ["system", option, ElfTestBinaries.PathOf("bare-metal")] : ["system", option, value, ElfTestBinaries.PathOf("bare-metal")];
        AssertOneLineUsageError(ArmEmuCli.Run(args), message);
    }

    [Fact]
    public void APortInUseIsOneLine()
    {
        var busy = new TcpListener(IPAddress.Loopback, 0);
        busy.Start();
        try
        {
            int port = ((IPEndPoint)busy.LocalEndpoint).Port;
            var result = ArmEmuCli.Run(["run", "-g", port.ToString(System.Globalization.CultureInfo.InvariantCulture), Program]);
            AssertOneLineUsageError(result, $"cannot listen for gdb on 127.0.0.1:{port}");
        }
        finally
        {
            busy.Stop();
        }
    }

    private static void AssertOneLineUsageError(ToolResult result, string message)
    {
        Assert.Equal(2, result.ExitCode);
        Assert.Contains(message, result.StderrText);
        Assert.Single(result.StderrText.TrimEnd('\n').Split('\n'));
        Assert.DoesNotContain("   at ", result.StderrText);
    }
}
