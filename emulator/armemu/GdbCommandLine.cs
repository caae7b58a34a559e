using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using ArmEmu.Emulator.Gdb;

namespace ArmEmu.Cli;

/// <summary>
/// The GDB stub's options, spelled as QEMU's: <c>run -g PORT</c> (or QEMU_GDB=PORT in the
/// environment) waits for gdb before the first instruction; <c>system -s</c> listens on
/// tcp::1234, <c>--gdb tcp::PORT</c> (or tcp:HOST:PORT) on another port, and <c>-S</c> waits
/// for gdb before the first instruction. Departure from QEMU: "tcp::PORT" listens on the
/// loopback interface only (QEMU listens on every interface); name a host to listen elsewhere.
/// Port 0 picks a free port; the port is named on stderr either way.
/// </summary>
internal sealed class GdbCommandLine
{
    public const int DefaultPort = 1234;

    /// <summary>Where to listen and whether to wait for the client before running.</summary>
    public sealed record Request(IPAddress Address, int Port, bool Wait);

    private readonly Option<string?> _runPort = new("-g") { Description = "Wait for gdb on TCP port PORT before the first instruction (also QEMU_GDB=PORT)", HelpName = "PORT" };
    private readonly Option<bool> _systemDefault = new("-s") { Description = "Shorthand for --gdb tcp::1234" };
    private readonly Option<bool> _systemWait = new("-S") { Description = "Do not start the CPU until gdb connects (with -s or --gdb)" };
    private readonly Option<string?> _systemDevice = new("--gdb") { Description = "Listen for gdb on DEV: tcp::PORT or tcp:HOST:PORT", HelpName = "DEV" };

    public void AddToRun(Command run) => run.Options.Add(_runPort);

    public void AddToSystem(Command system)
    {
        system.Options.Add(_systemDefault);
        system.Options.Add(_systemWait);
        system.Options.Add(_systemDevice);
    }

    /// <summary>run: -g PORT, else QEMU_GDB; null when neither is given.</summary>
    public Request? ParseRun(ParseResult parse, out string? error) => ParseRun(RunPortOf(parse), out error);

    /// <summary>run's -g value in <paramref name="parse"/> (null when absent).</summary>
    public string? RunPortOf(ParseResult parse) => parse.GetValue(_runPort);

    /// <summary>As <see cref="ParseRun(ParseResult, out string?)"/>, given -g's value (null when absent).</summary>
    public static Request? ParseRun(string? option, out string? error)
    {
        error = null;
        string? port = option ?? Environment.GetEnvironmentVariable("QEMU_GDB");
        if (port is null) return null;
        if (!TryParsePort(port, out int p))
        {
            error = $"-g expects a TCP port number, not '{port}'";
            return null;
        }
        return new Request(IPAddress.Loopback, p, Wait: true);
    }

    /// <summary>system: -s / --gdb DEV, with -S.</summary>
    public Request? ParseSystem(ParseResult parse, out string? error)
    {
        error = null;
        bool wait = parse.GetValue(_systemWait);
        string? device = parse.GetValue(_systemDevice) ?? (parse.GetValue(_systemDefault) ? $"tcp::{DefaultPort}" : null);
        if (device is null)
        {
            if (wait) error = "-S waits for gdb: give -s or --gdb tcp::PORT too";
            return null;
        }
        var parts = device.Split(':');
        if (parts.Length != 3 || parts[0] != "tcp" || !TryParsePort(parts[2], out int port))
        {
            error = $"--gdb expects tcp::PORT or tcp:HOST:PORT, not '{device}'";
            return null;
        }
        var address = IPAddress.Loopback;
        if (parts[1].Length > 0)
        {
            try
            {
                address = parts[1] == "0.0.0.0" ? IPAddress.Any : Dns.GetHostAddresses(parts[1]).First(a => a.AddressFamily == AddressFamily.InterNetwork);
            }
            catch (Exception e) when (e is SocketException or InvalidOperationException or ArgumentException)
            {
                error = $"--gdb: cannot resolve host '{parts[1]}'";
                return null;
            }
        }
        return new Request(address, port, wait);
    }

    /// <summary>Opens the listening socket; null (with one line on stderr) if the port is taken.</summary>
    public static TcpListener? Listen(Request request)
    {
        try
        {
            var listener = GdbStub.Listen(request.Address, request.Port);
            int port = ((IPEndPoint)listener.LocalEndpoint).Port;
            Console.Error.WriteLine(request.Wait
                ? $"armemu: waiting for gdb on {request.Address}:{port}"
                : $"armemu: gdb can connect on {request.Address}:{port}");
            return listener;
        }
        catch (SocketException e)
        {
            Console.Error.WriteLine($"armemu: cannot listen for gdb on {request.Address}:{request.Port}: {e.Message}");
            return null;
        }
    }

    private static bool TryParsePort(string text, out int port) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out port) && port <= 65535;
}
