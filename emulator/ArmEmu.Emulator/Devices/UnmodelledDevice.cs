using ArmEmu.Memory;

namespace ArmEmu.Emulator.Devices;

/// <summary>
/// A device of a board's memory map that ArmEmu does not model: every register reads as zero
/// and ignores writes (QEMU's unimplemented-device behaviour), and the first access is
/// reported once, naming the device, when --trace-mmio is on.
/// </summary>
internal sealed class UnmodelledDevice(string name, uint physicalBase, uint size, MmioTrace? trace = null) : IMmioDevice
{
    private readonly MmioTrace _trace = trace ?? MmioTrace.Off;

    public string Name => name;

    public uint Size => size;

    public uint Read(uint offset, int width)
    {
        _trace.Unmodelled(name, physicalBase);
        return 0;
    }

    public void Write(uint offset, int width, uint value) => _trace.Unmodelled(name, physicalBase);
}
