namespace ArmEmu.Cli;

/// <summary>
/// qemu-system-arm's spellings for <c>armemu system</c>, turned into armemu's own before
/// parsing: <c>-kernel FILE</c> (the image), <c>-M</c>/<c>-machine TYPE[,props]</c>,
/// <c>-cpu</c>, <c>-m SIZE</c> with QEMU's units (a plain number is MiB, hw/core/machine.c),
/// <c>-gdb DEV</c>, <c>-serial DEV</c> (once per UART), <c>-append</c>, <c>-dtb</c>, <c>-initrd</c>,
/// <c>-semihosting-config OPTS</c>; and the display and monitor options a bare-metal run has no use for
/// (<c>-nographic</c>, <c>-display none</c>, <c>-monitor none</c>, <c>-semihosting</c>:
/// semihosting is always on), which are accepted and dropped so that QEMU command lines work.
/// </summary>
internal static class QemuSystemSpellings
{
    public static string[] Translate(string[] args)
    {
        if (args.Length == 0 || args[0] != "system") return args;
        var result = new List<string> { "system" };
        string? kernel = null;
        for (int i = 1; i < args.Length; i++)
        {
            string a = args[i];
            bool hasValue = i + 1 < args.Length;
            switch (a)
            {
                case "-kernel" when hasValue:
                    kernel = args[++i];
                    break;
                case "-machine" or "-M" when hasValue:
                    result.Add("--machine");
                    string type = args[++i];
                    if (type.StartsWith("type=", StringComparison.Ordinal)) type = type[5..];
                    int comma = type.IndexOf(',');
                    result.Add(comma >= 0 ? type[..comma] : type);
                    break;
                case "-cpu" when hasValue:
                    result.Add("--cpu");
                    result.Add(args[++i]);
                    break;
                case "-m" when hasValue:
                    result.Add("--memory");
                    string size = args[++i];
                    if (size.StartsWith("size=", StringComparison.Ordinal)) size = size[5..];
                    result.Add(size.Length > 0 && char.IsAsciiDigit(size[^1]) ? size + "M" : size);
                    break;
                case "-gdb" or "-serial" or "-append" or "-dtb" or "-initrd" or "-semihosting-config" when hasValue:
                    result.Add("-" + a);
                    result.Add(args[++i]);
                    break;
                case "-nographic" or "-semihosting":
                    break;
                case "-display" or "-monitor" when hasValue && args[i + 1] == "none":
                    i++;
                    break;
                default:
                    result.Add(a);
                    break;
            }
        }
        if (kernel is not null) result.Add(kernel);
        return [.. result];
    }
}
