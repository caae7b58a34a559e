using ArmEmu.Cpu;
using ArmEmu.Emulator.Devices;
using ArmEmu.Memory.Caches;

namespace ArmEmu.Emulator.Boards;

/// <summary>
/// What every bare-metal board is built from (the options of <c>armemu system</c>). Each board's
/// options type gives its own defaults for the CPU, the RAM size and the cache model.
/// </summary>
public abstract class BareMetalBoardOptions
{
    /// <summary>Options with a board's own defaults: its <paramref name="cpu"/> and its <paramref name="caches"/>.</summary>
    protected BareMetalBoardOptions(CpuModel cpu, CacheModelOptions caches)
    {
        Cpu = cpu;
        Caches = caches;
    }

    /// <summary>The CPU model.</summary>
    internal CpuModel Cpu { get; init; }

    /// <summary>RAM size (QEMU's default for both boards: 128 MiB).</summary>
    public uint MemorySize { get; init; } = 128u << 20;

    /// <summary>The CPU clock the virtual time is derived from: one instruction per cycle.</summary>
    public ulong CpuHz { get; init; } = 200_000_000;

    /// <summary>Where UART0 transmits (and the semihosting console writes).</summary>
    public Stream Console { get; init; } = Stream.Null;

    /// <summary>Whether <see cref="Console"/> is a terminal (semihosting's SYS_ISTTY reports it).</summary>
    public bool ConsoleIsTerminal { get; init; }

    /// <summary>What UART0 receives.</summary>
    internal SerialInput? ConsoleInput { get; init; }

    /// <summary>Where accesses to unimplemented device registers and unmodelled devices are reported (--trace-mmio).</summary>
    public TextWriter? MmioTrace { get; init; }

    /// <summary>The directory semihosting file operations are confined to.</summary>
    public string SemihostingRoot { get; init; } = Environment.CurrentDirectory;

    /// <summary>What SYS_GET_CMDLINE returns.</summary>
    public string CommandLine { get; init; } = "";

    /// <summary>The cache model (on by default, with the board's own caches).</summary>
    public CacheModelOptions Caches { get; init; }

    /// <summary>
    /// The host side of each UART in order (QEMU's <c>-serial</c>, one per UART from UART0); UARTs
    /// past the list are unconnected. Null (the default): UART0 transmits to <see cref="Console"/>
    /// and receives <see cref="ConsoleInput"/>, the others are unconnected.
    /// </summary>
    internal IReadOnlyList<SerialPort>? SerialPorts { get; init; }

    /// <summary>
    /// Whether SVC 0x123456 (ARM) and SVC 0xAB (Thumb) are semihosting calls (on by default; QEMU's
    /// <c>-semihosting-config enable=off</c> turns them back into ordinary SVC exceptions).
    /// </summary>
    public bool SemihostingEnabled { get; init; } = true;

    /// <summary>The host side of UART <paramref name="index"/>.</summary>
    internal SerialPort Uart(int index) =>
        SerialPorts is null ? (index == 0 ? new SerialPort(Console, ConsoleInput) : SerialPort.Unconnected)
        : index < SerialPorts.Count ? SerialPorts[index] : SerialPort.Unconnected;

    /// <summary>The input some UART receives (a run waiting for an interrupt may still be woken by it), or null.</summary>
    internal SerialInput? AnyUartInput(int uarts)
    {
        for (int i = 0; i < uarts; i++)
            if (Uart(i).Input is { } input) return input;
        return null;
    }
}
