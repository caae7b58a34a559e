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

    /// <summary>A guest's read of <paramref name="size"/> bytes at <paramref name="offset"/> from the device's base; side effects (a FIFO popped) happen here.</summary>
    uint Read(uint offset, int size);

    /// <summary>A guest's write of <paramref name="value"/> (<paramref name="size"/> bytes) at <paramref name="offset"/> from the device's base.</summary>
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
