using ArmEmu.Emulator.Machine;
using ArmEmu.Memory;

namespace ArmEmu.Emulator.Devices;

/// <summary>
/// The Versatile PB status and system control registers at 0x10000000 (Versatile Platform
/// Baseboard for ARM926EJ-S User Guide, DUI0224, "Status and system control registers").
/// SYS_ID reads 0x41007004, the value QEMU's versatilepb gives (hw/arm/versatilepb.c).
/// </summary>
/// <remarks>
/// - SYS_OSC0-4 and SYS_RESETCTL are writable only while SYS_LOCK holds 0xA05F; SYS_LOCK
///   reads the last value written (bits 15:0) and LOCKED in bit 16.
/// - SYS_100HZ and SYS_24MHZ count from the virtual clock (ticks = Now * f / CpuHz).
/// - Writing SYS_RESETCTL with bit 8 set (Linux writes 0x105) requests a board reset, raised
///   as <see cref="ResetRequested"/>.
/// - SYS_CLCD bits 13:8 read 0x1F (no display panel fitted: the CLCD drives VGA); bits 1:0
///   select the CLCD's pixel format mux, passed on through <see cref="ClcdMuxChanged"/>.
/// - Switches, MMC status, boot select and oscillator test counters read 0, as in QEMU.
///
/// Departures from QEMU's hw/misc/arm_sysctl.c, following the user guide: SYS_LOCK reports
/// LOCKED in bit 16; SYS_100HZ counts; SYS_OSC0-4, SYS_OSCRESET0-4, SYS_DMAPSR0-2 and
/// SYS_FLASH keep what is written (QEMU reads them as 0); SYS_LED keeps bits 7:0 only.
/// SYS_PROCID0/1 (0x84/0x88), which QEMU's RealView model also answers on the Versatile,
/// are not Versatile PB registers and read as unimplemented.
/// </remarks>
internal sealed class VersatileSystemRegisters : WordRegisterDevice
{
    // Offsets, DUI0224 "Register map" of the status and system control registers.
    private const uint SYS_ID = 0x00;
    private const uint SYS_SW = 0x04;
    private const uint SYS_LED = 0x08;
    private const uint SYS_OSC0 = 0x0C; // ..SYS_OSC4 at 0x1C
    private const uint SYS_LOCK = 0x20;
    private const uint SYS_100HZ = 0x24;
    private const uint SYS_CFGDATA1 = 0x28;
    private const uint SYS_CFGDATA2 = 0x2C;
    private const uint SYS_FLAGS = 0x30; // SYS_FLAGSSET on write
    private const uint SYS_FLAGSCLR = 0x34;
    private const uint SYS_NVFLAGS = 0x38; // SYS_NVFLAGSSET on write
    private const uint SYS_NVFLAGSCLR = 0x3C;
    private const uint SYS_RESETCTL = 0x40;
    private const uint SYS_PCICTL = 0x44;
    private const uint SYS_MCI = 0x48;
    private const uint SYS_FLASH = 0x4C;
    private const uint SYS_CLCD = 0x50;
    private const uint SYS_CLCDSER = 0x54;
    private const uint SYS_BOOTCS = 0x58;
    private const uint SYS_24MHZ = 0x5C;
    private const uint SYS_MISC = 0x60;
    private const uint SYS_DMAPSR0 = 0x64; // ..SYS_DMAPSR2 at 0x6C
    private const uint SYS_OSCRESET0 = 0x8C; // ..SYS_OSCRESET4 at 0x9C
    private const uint SYS_TEST_OSC0 = 0xC0; // ..SYS_TEST_OSC4 at 0xD0

    /// <summary>SYS_ID as QEMU's versatilepb sets it (manufacturer 0x41, ARM, in bits 31:24).</summary>
    public const uint VersatilePbId = 0x4100_7004;

    /// <summary>The value that unlocks the protected registers.</summary>
    public const uint LockValue = 0xA05F;

    private const uint OscMask = 0x7_FFFF;  // ICST307 VCO settings: OD 18:16, RDW 15:9, VDW 8:0
    private const uint ResetCtlTrigger = 1u << 8;
    private const uint ClcdIdBits = 0x3F00; // SYS_CLCD bits 13:8 are read-only

    private readonly VirtualClock _clock;
    private readonly MmioTrace _trace;
    private readonly uint _sysId;

    private uint _led, _lock, _cfgData1, _cfgData2, _flags, _nvFlags, _resetCtl, _flash, _clcd;
    private readonly uint[] _osc = new uint[5];
    private readonly uint[] _oscReset = new uint[5];
    private readonly uint[] _dmaPsr = new uint[3];

    /// <param name="clock">The virtual clock, for SYS_100HZ and SYS_24MHZ.</param>
    /// <param name="sysId">SYS_ID (the Versatile PB's by default).</param>
    /// <param name="trace">Reports accesses to unimplemented offsets.</param>
    public VersatileSystemRegisters(VirtualClock clock, uint sysId = VersatilePbId, MmioTrace? trace = null)
    {
        _clock = clock;
        _sysId = sysId;
        _trace = trace ?? MmioTrace.Off;
        Reset();
    }


    /// <summary>Raised when the guest asks for a board reset through SYS_RESETCTL; the argument is the value written (reset level in bits 2:0).</summary>
    public event Action<uint>? ResetRequested;

    /// <summary>Raised when SYS_CLCD bits 1:0 (the CLCD pixel format mux) are written.</summary>
    public event Action<uint>? ClcdMuxChanged;

    /// <summary>SYS_LED: the user LEDs, bits 7:0.</summary>
    public uint Leds => _led;

    /// <summary>
    /// Back to the reset state. SYS_NVFLAGS survive (they are only cleared at power-on, which
    /// is construction), and the oscillators restart from SYS_OSCRESET0-4.
    /// </summary>
    public void Reset()
    {
        _led = _lock = _cfgData1 = _cfgData2 = _flags = _resetCtl = _flash = 0;
        _clcd = 0x1F00;
        Array.Copy(_oscReset, _osc, _osc.Length);
        Array.Clear(_dmaPsr);
    }

    private bool Unlocked => _lock == LockValue;

    private uint Count(ulong hz) => (uint)((UInt128)_clock.Now * hz / _clock.CpuHz);

    protected override uint ReadRegister(uint offset)
    {
        switch (offset)
        {
            case SYS_ID: return _sysId;
            case SYS_SW: return 0;
            case SYS_LED: return _led;
            case >= SYS_OSC0 and <= SYS_OSC0 + 16: return _osc[(offset - SYS_OSC0) / 4];
            case SYS_LOCK: return _lock | (Unlocked ? 0 : 1u << 16);
            case SYS_100HZ: return Count(100);
            case SYS_CFGDATA1: return _cfgData1;
            case SYS_CFGDATA2: return _cfgData2;
            case SYS_FLAGS: return _flags;
            case SYS_NVFLAGS: return _nvFlags;
            case SYS_FLAGSCLR or SYS_NVFLAGSCLR: return 0; // write-only
            case SYS_RESETCTL: return _resetCtl;
            case SYS_PCICTL: return 1; // PCI bridge enabled, as QEMU reports
            case SYS_MCI: return 0;    // no card inserted, not write-protected
            case SYS_FLASH: return _flash;
            case SYS_CLCD: return _clcd;
            case SYS_CLCDSER: return 0;
            case SYS_BOOTCS: return 0;
            case SYS_24MHZ: return Count(24_000_000);
            case SYS_MISC: return 0;
            case >= SYS_DMAPSR0 and <= SYS_DMAPSR0 + 8: return _dmaPsr[(offset - SYS_DMAPSR0) / 4];
            case >= SYS_OSCRESET0 and <= SYS_OSCRESET0 + 16: return _oscReset[(offset - SYS_OSCRESET0) / 4];
            case >= SYS_TEST_OSC0 and <= SYS_TEST_OSC0 + 16: return 0;
            default:
                _trace.Unknown("sysregs", offset, write: false);
                return 0;
        }
    }

    protected override void WriteRegister(uint offset, uint value)
    {
        switch (offset)
        {
            case SYS_LED: _led = value & 0xFF; break;
            case >= SYS_OSC0 and <= SYS_OSC0 + 16:
                if (Unlocked) _osc[(offset - SYS_OSC0) / 4] = value & OscMask;
                break;
            case SYS_LOCK: _lock = value & 0xFFFF; break;
            case SYS_CFGDATA1: _cfgData1 = value; break;
            case SYS_CFGDATA2: _cfgData2 = value; break;
            case SYS_FLAGS: _flags |= value; break;
            case SYS_FLAGSCLR: _flags &= ~value; break;
            case SYS_NVFLAGS: _nvFlags |= value; break;
            case SYS_NVFLAGSCLR: _nvFlags &= ~value; break;
            case SYS_RESETCTL:
                if (!Unlocked) break;
                _resetCtl = value & 0x1FF;
                if ((value & ResetCtlTrigger) != 0) ResetRequested?.Invoke(value);
                break;
            case SYS_FLASH: _flash = value & 1; break;
            case SYS_CLCD:
                _clcd = (_clcd & ClcdIdBits) | (value & ~ClcdIdBits);
                ClcdMuxChanged?.Invoke(value & 3);
                break;
            case >= SYS_DMAPSR0 and <= SYS_DMAPSR0 + 8: _dmaPsr[(offset - SYS_DMAPSR0) / 4] = value; break;
            case >= SYS_OSCRESET0 and <= SYS_OSCRESET0 + 16: _oscReset[(offset - SYS_OSCRESET0) / 4] = value & OscMask; break;
            // Read-only registers; writes are ignored.
            case SYS_ID or SYS_SW or SYS_100HZ or SYS_PCICTL or SYS_MCI or SYS_CLCDSER or SYS_BOOTCS or SYS_24MHZ or SYS_MISC:
            case >= SYS_TEST_OSC0 and <= SYS_TEST_OSC0 + 16:
                break;
            default:
                _trace.Unknown("sysregs", offset, write: true);
                break;
        }
    }
}
