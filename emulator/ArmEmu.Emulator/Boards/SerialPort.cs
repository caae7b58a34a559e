using ArmEmu.Emulator.Devices;

namespace ArmEmu.Emulator.Boards;

/// <summary>
/// The host side of one UART, as QEMU's <c>-serial</c> gives it: where what the guest
/// transmits goes, and what it receives. <see cref="Unconnected"/> is QEMU's <c>null</c>
/// and <c>none</c>: the UART exists, its output is dropped and it never receives.
/// </summary>
/// <param name="Output">Where the UART transmits, or null to drop its output.</param>
/// <param name="Input">What the UART receives, or null for nothing.</param>
internal sealed record SerialPort(Stream? Output, SerialInput? Input)
{
    /// <summary>A UART with nothing behind it.</summary>
    public static SerialPort Unconnected { get; } = new(null, null);
}
