using System.CommandLine;
using ArmEmu.Emulator.Boards;
using ArmEmu.Emulator.Devices;

namespace ArmEmu.Cli;

/// <summary>
/// The options of <c>armemu system</c> that qemu-system-arm has under the same names: where each
/// UART goes (<c>--serial</c>, given once per UART from UART0), the kernel command line, initrd and
/// device tree (<c>--append</c>, <c>--initrd</c>, <c>--dtb</c>), and semihosting's configuration
/// (<c>--semihosting-config</c>, QEMU's key=value list). Everything is checked and every file
/// opened before the guest starts: a problem is one line and status 2.
/// </summary>
internal sealed class SystemBootCommandLine
{
    public readonly Option<string[]> Serial = new("--serial")
    {
        HelpName = "DEV",
        Description = "Where the next UART goes, once per UART from UART0 (as qemu-system-arm -serial): stdio, mon:stdio, "
            + "null, none or file:PATH (default: UART0 on stdio, the others unconnected)",
        Arity = ArgumentArity.ZeroOrMore,
        AllowMultipleArgumentsPerToken = false,
    };

    public readonly Option<string?> Append = new("--append")
    {
        HelpName = "CMDLINE",
        Description = "Kernel command line: ATAG_CMDLINE, or /chosen/bootargs with --dtb; also SYS_GET_CMDLINE's words after the image's name",
    };

    public readonly Option<string?> Initrd = new("--initrd") { HelpName = "FILE", Description = "Initial RAM disk for a kernel image, placed as QEMU places it" };

    public readonly Option<string?> Dtb = new("--dtb") { HelpName = "FILE", Description = "Device tree blob: edited as QEMU edits it (memory, /chosen) and passed in r2 instead of ATAGs" };

    public readonly Option<string?> SemihostingConfig = new("--semihosting-config")
    {
        HelpName = "OPTS",
        Description = "Semihosting, as qemu-system-arm: enable=on|off (on by default), target=native|auto, "
            + "arg=ARG (repeated: SYS_GET_CMDLINE's words, instead of the image and --append)",
    };

    public IEnumerable<Option> All => [Serial, Append, Initrd, Dtb, SemihostingConfig];

    /// <summary>What the options ask for, with the files already read or opened.</summary>
    public sealed class Request
    {
        public IReadOnlyList<SerialPort>? SerialPorts { get; init; }
        public KernelBootOptions Boot { get; init; } = new();
        public bool SemihostingEnabled { get; init; } = true;
        public string? SemihostingCommandLine { get; init; }
        public bool KernelBootOptionsGiven => Boot.InitialRamDisk is not null || Boot.DeviceTree is not null;
    }

    /// <summary>Checks the options and opens their files; null and a one-line <paramref name="error"/> when something is wrong.</summary>
    public Request? Parse(ParseResult parse, out string? error)
    {
        error = null;
        IReadOnlyList<SerialPort>? ports = null;
        if (parse.GetValue(Serial) is { Length: > 0 } serials)
        {
            var list = new List<SerialPort>();
            bool stdio = false;
            foreach (string device in serials)
            {
                switch (device)
                {
                    case "stdio" or "mon:stdio":
                        if (stdio)
                        {
                            error = "--serial: stdio can back only one UART (stdin and stdout are one device)";
                            return null;
                        }
                        stdio = true;
                        list.Add(new SerialPort(Console.OpenStandardOutput(), SerialInput.FromStandardInput()));
                        break;
                    case "null" or "none":
                        list.Add(SerialPort.Unconnected);
                        break;
                    default:
                        if (device.StartsWith("file:", StringComparison.Ordinal))
                        {
                            string path = device[5..];
                            if (OutputPaths.Check("--serial file:", path) is { } problem)
                            {
                                error = problem.Replace("--serial file:: ", "--serial file:" + path + ": ", StringComparison.Ordinal);
                                return null;
                            }
                            // As QEMU's file backend: created or truncated, written as the guest transmits.
                            list.Add(new SerialPort(new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.ReadWrite), null));
                            break;
                        }
                        error = $"--serial: '{device}' is not a device armemu has (stdio, mon:stdio, null, none, file:PATH)";
                        return null;
                }
            }
            ports = list;
        }

        if (!TryRead(parse, Initrd, out byte[]? initrd, out error) || !TryRead(parse, Dtb, out byte[]? dtb, out error)) return null;

        bool enabled = true;
        List<string>? args = null;
        if (parse.GetValue(SemihostingConfig) is { } config)
        {
            foreach (var (key, value) in QemuOptionList(config, implied: "enable"))
            {
                switch (key)
                {
                    case "enable" when Bool(value) is { } on:
                        enabled = on;
                        break;
                    case "target" when value is "native" or "auto":
                        break;
                    case "target" when value == "gdb":
                        error = "--semihosting-config: target=gdb is not supported (semihosting is always served by armemu: use target=native)";
                        return null;
                    case "userspace" when Bool(value) is not null:
                        break;
                    case "arg":
                        (args ??= []).Add(value);
                        break;
                    case "chardev":
                        error = "--semihosting-config: chardev= is not supported (semihosting's console is stdout)";
                        return null;
                    default:
                        error = $"--semihosting-config: '{key}={value}' is not understood (enable=on|off, target=native|auto, arg=ARG)";
                        return null;
                }
            }
        }

        error = null;
        return new Request
        {
            SerialPorts = ports,
            Boot = new KernelBootOptions { CommandLine = parse.GetValue(Append) ?? "", InitialRamDisk = initrd, DeviceTree = dtb },
            SemihostingEnabled = enabled,
            SemihostingCommandLine = args is null ? null : string.Join(' ', args),
        };
    }

    /// <summary>
    /// SYS_GET_CMDLINE's answer as QEMU builds it: the arg= words joined by spaces, or else the image
    /// as given and the words of --append (semihosting_arg_fallback splits -append at spaces).
    /// </summary>
    public static string SemihostingCommandLine(Request request, string image)
    {
        if (request.SemihostingCommandLine is { } explicitArgs) return explicitArgs;
        var words = new List<string> { image };
        words.AddRange(request.Boot.CommandLine.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        return string.Join(' ', words);
    }

    private static bool TryRead(ParseResult parse, Option<string?> option, out byte[]? bytes, out string? error)
    {
        bytes = null;
        error = null;
        if (parse.GetValue(option) is not { } path) return true;
        try
        {
            bytes = File.ReadAllBytes(path);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error = $"{option.Name}: cannot read {path}: {e.Message.TrimEnd('.')}";
            return false;
        }
    }

    private static bool? Bool(string value) => value switch
    {
        "on" or "yes" or "true" => true,
        "off" or "no" or "false" => false,
        _ => null,
    };

    /// <summary>QEMU's KEY=VALUE,... syntax: ",," is a literal comma; a first item without '=' is the implied key's value.</summary>
    private static List<(string Key, string Value)> QemuOptionList(string text, string implied)
    {
        var items = new List<string>();
        var current = new System.Text.StringBuilder();
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] == ',' && i + 1 < text.Length && text[i + 1] == ',') { current.Append(','); i++; }
            else if (text[i] == ',') { items.Add(current.ToString()); current.Clear(); }
            else current.Append(text[i]);
        }
        items.Add(current.ToString());
        var result = new List<(string, string)>();
        for (int i = 0; i < items.Count; i++)
        {
            int eq = items[i].IndexOf('=');
            if (eq < 0) result.Add(i == 0 ? (implied, items[i]) : (items[i], "on"));
            else result.Add((items[i][..eq], items[i][(eq + 1)..]));
        }
        return result;
    }
}
