namespace ArmEmu.Emulator.Devices;

/// <summary>
/// The Cortex-A9 MPCore Snoop Control Unit registers (A9 MPCore TRM DDI 0407, 2.2) at
/// PERIPHBASE, for one CPU, as QEMU 7.2's a9_scu has them: SCU Control (0x00, bit 0 the enable
/// is the only writable bit), SCU Configuration (0x04, read-only: CPU number 0 and SMP bit for
/// CPU 0, 0x10), CPU Power Status (0x08, kept as written) and Invalidate All (0x0C, write-only).
/// With one CPU there is nothing to keep coherent: the enable changes nothing else.
///
/// Departures from QEMU: none. As in QEMU, the filtering and access control registers
/// (0x40-0x54) read as zero and ignore writes, and are reported with --trace-mmio.
/// </summary>
internal sealed class A9Scu(MmioTrace? trace = null) : WordRegisterDevice
{
    private readonly MmioTrace _trace = trace ?? MmioTrace.Off;
    private uint _control, _powerStatus;

    public override uint Size => 0x100;

    public void Reset() => _control = _powerStatus = 0;

    protected override uint ReadRegister(uint offset)
    {
        switch (offset)
        {
            case 0x00: return _control;
            case 0x04: return 0x10;            // CPUs SMP [7:4] = CPU 0, CPU number [1:0] = 0 (one CPU)
            case 0x08: return _powerStatus;
            case 0x0C: return 0;               // write-only
            default:
                _trace.Unknown("a9-scu", offset, write: false);
                return 0;
        }
    }

    protected override void WriteRegister(uint offset, uint value)
    {
        switch (offset)
        {
            case 0x00: _control = value & 1; break;
            case 0x04: break;
            case 0x08: _powerStatus = value; break;
            case 0x0C: break;                  // invalidate all: there are no duplicate tags to invalidate
            default:
                _trace.Unknown("a9-scu", offset, write: true);
                break;
        }
    }
}
