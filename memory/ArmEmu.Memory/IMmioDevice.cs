namespace ArmEmu.Memory;

/// <summary>
/// A memory-mapped device on the physical bus. Offsets are relative to the
/// device's base; size is 1, 2 or 4 bytes. Devices are never cached and never
/// reached through the CPU's fast path.
/// </summary>
public interface IMmioDevice
{
    /// <summary>Bytes of address space the device decodes.</summary>
    uint Size { get; }

    uint Read(uint offset, int size);

    void Write(uint offset, int size, uint value);

    /// <summary>
    /// A debugger's read (gdb's m packet): the register's value with no side effect (no FIFO
    /// popped, no interrupt cleared), or false when the device cannot give one. The default
    /// gives none, so a debugger never disturbs a device it does not know.
    /// </summary>
    bool TryPeek(uint offset, int size, out uint value)
    {
        value = 0;
        return false;
    }
}
