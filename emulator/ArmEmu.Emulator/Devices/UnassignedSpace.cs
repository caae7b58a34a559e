using ArmEmu.Memory;

namespace ArmEmu.Emulator.Devices;

/// <summary>
/// The addresses of a board's map where nothing is mapped, on boards that QEMU builds with
/// <c>ignore_memory_transaction_failures</c> (hw/arm/vexpress.c, versatilepb.c): an access there is
/// not a bus error but reads zero and ignores writes. Real kernels rely on it -- Linux's vexpress
/// clock driver reads the SP810 at 0x10001000, which QEMU does not model. Each 4 KiB page touched
/// is reported once with --trace-mmio. Installed as <see cref="PhysicalBus.Unassigned"/>, so the
/// offset it sees is the physical address.
/// </summary>
internal sealed class UnassignedSpace(MmioTrace? trace = null) : IMmioDevice
{
    private readonly MmioTrace _trace = trace ?? MmioTrace.Off;

    public uint Size => uint.MaxValue;

    public uint Read(uint offset, int width)
    {
        _trace.Unmodelled("unassigned space", offset & ~PhysicalBus.PageMask);
        return 0;
    }

    public void Write(uint offset, int width, uint value) => _trace.Unmodelled("unassigned space", offset & ~PhysicalBus.PageMask);
}
