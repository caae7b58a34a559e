using ArmEmu.Emulator.Machine;

namespace ArmEmu.Emulator.Devices;

/// <summary>
/// The Versatile Express motherboard (V2M-P1) system registers at 0x10000000 in the legacy map
/// (Motherboard Express µATX TRM, ARM DUI 0447, 4.3), with the values QEMU 7.2's arm_sysctl is
/// given for vexpress-a9 (hw/arm/vexpress.c): SYS_ID 0x1190F500, SYS_PROCID0 0x0C000191 (the
/// CoreTile A9x4), SYS_PROCID1 0xFF000000 (no second daughterboard).
///
/// - SYS_LED [7:0], SYS_FLAGS/SYS_NVFLAGS (set at +0, clear at +4), SYS_FLASH [0] and
///   SYS_CFGDATA keep what is written; SYS_100HZ and SYS_24MHZ count on the virtual clock;
///   the switches, MCI status and the other read-only registers read 0, except 0x44, which
///   QEMU answers 1 on every board.
/// - The configuration interface: writing SYS_CFGCTRL with Start [31] carries out one
///   transfer to the device named by Function [25:20], Site [17:16], Position [15:12] and
///   Device [11:0], reading into or writing from SYS_CFGDATA, and sets SYS_CFGSTAT Complete
///   [0] (or Error [1] for a device that is not there). Modelled: the daughterboard's
///   oscillators (function 1, site 1: 45 MHz AXI, 23.75 MHz CLCD, 66.67 MHz reference) and
///   voltage sensors (function 2, site 1, six supplies in µV) as QEMU lists them, writable
///   oscillators, and shutdown (8) and reboot (9), which raise <see cref="ShutdownRequested"/>
///   and <see cref="RebootRequested"/>.
///
/// Departures from QEMU: the motherboard's own oscillators (site 0) answer Error; QEMU lists
/// them. SYS_LED keeps bits [7:0] only (the TRM's eight LEDs); QEMU keeps every bit written.
/// </summary>
internal sealed class VexpressSystemRegisters : WordRegisterDevice
{
    public const uint SystemId = 0x1190_F500;
    public const uint ProcessorId0 = 0x0C00_0191;
    public const uint ProcessorId1 = 0xFF00_0000;

    private static readonly uint[] DaughterboardClocksReset = [45_000_000, 23_750_000, 66_670_000];
    private static readonly uint[] DaughterboardVoltages = [1_000_000, 1_000_000, 1_000_000, 1_800_000, 900_000, 3_300_000];

    private readonly VirtualClock _clock;
    private readonly MmioTrace _trace;
    private readonly uint[] _clocks = new uint[3];
    private uint _led, _flags, _nvFlags, _flash, _cfgData, _cfgCtrl, _cfgStat;

    public VexpressSystemRegisters(VirtualClock clock, MmioTrace? trace = null)
    {
        _clock = clock;
        _trace = trace ?? MmioTrace.Off;
        Reset();
    }

    /// <summary>The guest asked the board to power off (SYS_CFG_SHUTDOWN).</summary>
    public event Action? ShutdownRequested;

    /// <summary>The guest asked the board to reboot (SYS_CFG_REBOOT).</summary>
    public event Action? RebootRequested;

    public void Reset()
    {
        _led = _flags = _flash = _cfgData = _cfgCtrl = _cfgStat = 0;
        Array.Copy(DaughterboardClocksReset, _clocks, _clocks.Length);
    }

    private uint Count(ulong hz) => (uint)((UInt128)_clock.Now * hz / _clock.CpuHz);

    protected override uint ReadRegister(uint offset)
    {
        switch (offset)
        {
            case 0x00: return SystemId;
            case 0x08: return _led;
            case 0x24: return Count(100);
            case 0x30: return _flags;
            case 0x38: return _nvFlags;
            case 0x44: return 1;
            case 0x4C: return _flash;
            case 0x5C: return Count(24_000_000);
            case 0x84: return ProcessorId0;
            case 0x88: return ProcessorId1;
            case 0xA0: return _cfgData;
            case 0xA4: return _cfgCtrl;
            case 0xA8: return _cfgStat;
            case 0x04 or 0x34 or 0x3C or 0x48 or 0x50 or 0x54 or 0x58 or 0x60: return 0;
            default:
                _trace.Unknown("vexpress-sysregs", offset, write: false);
                return 0;
        }
    }

    protected override void WriteRegister(uint offset, uint value)
    {
        switch (offset)
        {
            case 0x08: _led = value & 0xFF; break;
            case 0x30: _flags |= value; break;
            case 0x34: _flags &= ~value; break;
            case 0x38: _nvFlags |= value; break;
            case 0x3C: _nvFlags &= ~value; break;
            case 0x4C: _flash = value & 1; break;
            case 0xA0: _cfgData = value; break;
            case 0xA4:
                _cfgCtrl = value & ~(1u << 31);
                if ((value & (1u << 31)) != 0) Transfer(value);
                break;
            case 0xA8: _cfgStat = value & 3; break;
            case 0x00 or 0x04 or 0x24 or 0x44 or 0x48 or 0x50 or 0x54 or 0x58 or 0x5C or 0x60 or 0x84 or 0x88: break;
            default:
                _trace.Unknown("vexpress-sysregs", offset, write: true);
                break;
        }
    }

    /// <summary>One SYS_CFGCTRL transfer (DUI 0447 4.3.15).</summary>
    private void Transfer(uint control)
    {
        bool write = (control & (1u << 30)) != 0;
        uint function = (control >> 20) & 0x3F, site = (control >> 16) & 3, device = control & 0xFFF;
        bool ok = true;
        switch (function, site)
        {
            case (1, 1) when device < _clocks.Length:
                if (write) _clocks[device] = _cfgData;
                else _cfgData = _clocks[device];
                break;
            case (2, 1) when device < DaughterboardVoltages.Length && !write:
                _cfgData = DaughterboardVoltages[device];
                break;
            case (8, 0) when write:
                ShutdownRequested?.Invoke();
                break;
            case (9, 0) when write:
                RebootRequested?.Invoke();
                break;
            default:
                ok = false;
                break;
        }
        _cfgStat = ok ? 1u : 2u;
    }
}
