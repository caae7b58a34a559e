using ArmEmu.Memory;

namespace ArmEmu.Emulator.Devices;

/// <summary>
/// The Versatile PB secondary interrupt controller at 0x10003000 (Versatile Platform
/// Baseboard for ARM926EJ-S User Guide, DUI0224, "Secondary interrupt controller"). It
/// gathers the board's own interrupt sources (KMI, MMCI, UART3, AACI, Ethernet, PCI...)
/// into VIC input 31; sources 21 to 30 can instead be passed straight through to the
/// VIC inputs of the same number (SIC_PICENABLE), which is how Linux runs the board.
/// </summary>
/// <remarks>
/// Registers (DUI0224 "Secondary interrupt controller registers"): SIC_STATUS 0x00,
/// SIC_RAWSTAT 0x04, SIC_ENABLE (read) / SIC_ENSET (write) 0x08, SIC_ENCLR 0x0C,
/// SIC_SOFTINTSET 0x10, SIC_SOFTINTCLR 0x14, SIC_PICENABLE (read) / SIC_PICENSET (write)
/// 0x20, SIC_PICENCLR 0x24. Software interrupts are one latch per source, ORed into
/// SIC_RAWSTAT (bit 0, SOFTINT, is the source reserved for them), as in the PL190.
///
/// Departures from QEMU's versatilepb_sic (hw/arm/versatilepb.c):
/// - SIC_SOFTINTSET/CLR set and clear software interrupts; QEMU instead changes bit 0 of
///   the enable mask, and reads SIC_SOFTINTSET as the raw level of source 0.
/// - Clearing a pass-through bit drives that VIC input low (the source no longer reaches
///   it); QEMU leaves the VIC input at its last level.
/// - A passed-through source still reaches input 31 if enabled in SIC_ENABLE, as in QEMU
///   (the user guide describes the two paths as independent).
/// </remarks>
internal sealed class VersatileSic : WordRegisterDevice, IInterruptController
{
    private const uint SIC_STATUS = 0x00;
    private const uint SIC_RAWSTAT = 0x04;
    private const uint SIC_ENABLE = 0x08; // SIC_ENSET on write
    private const uint SIC_ENCLR = 0x0C;
    private const uint SIC_SOFTINTSET = 0x10;
    private const uint SIC_SOFTINTCLR = 0x14;
    private const uint SIC_PICENABLE = 0x20; // SIC_PICENSET on write
    private const uint SIC_PICENCLR = 0x24;

    /// <summary>Sources that can bypass the SIC to the VIC input of the same number.</summary>
    public const uint PassThroughMask = 0x7FE0_0000; // 21..30

    /// <summary>The VIC input the SIC's combined output drives.</summary>
    public const int VicInput = 31;

    private readonly InterruptLine _output;
    private readonly InterruptLine[] _passThrough = new InterruptLine[32]; // only 21..30 used
    private readonly MmioTrace _trace;

    private uint _inputs;
    private uint _softInt;
    private uint _enable;
    private uint _picEnable;

    /// <param name="vic">The primary controller: the SIC drives its inputs 21 to 31.</param>
    /// <param name="trace">Reports accesses to unimplemented offsets.</param>
    public VersatileSic(IInterruptController vic, MmioTrace? trace = null)
    {
        _output = new InterruptLine(vic, VicInput);
        for (int i = 21; i <= 30; i++) _passThrough[i] = new InterruptLine(vic, i);
        _trace = trace ?? MmioTrace.Off;
    }


    /// <summary>Level of the output to VIC input 31.</summary>
    public bool Output => _output.Level;

    /// <summary>Back to the reset state (all enables and software interrupts clear); input levels are kept.</summary>
    public void Reset()
    {
        _softInt = _enable = _picEnable = 0;
        Update();
    }

    public void SetInput(int line, bool level)
    {
        if ((uint)line >= 32) throw new ArgumentOutOfRangeException(nameof(line), "the SIC has inputs 0 to 31");
        uint bit = 1u << line;
        _inputs = level ? _inputs | bit : _inputs & ~bit;
        Update();
    }

    private uint RawStat => _inputs | _softInt;

    private void Update()
    {
        uint raw = RawStat;
        _output.Level = (raw & _enable) != 0;
        for (int i = 21; i <= 30; i++)
        {
            uint bit = 1u << i;
            _passThrough[i].Level = (_picEnable & bit) != 0 && (raw & bit) != 0;
        }
    }

    protected override uint ReadRegister(uint offset)
    {
        switch (offset)
        {
            case SIC_STATUS: return RawStat & _enable;
            case SIC_RAWSTAT: return RawStat;
            case SIC_ENABLE: return _enable;
            case SIC_SOFTINTSET: return _softInt;
            case SIC_PICENABLE: return _picEnable;
            case SIC_ENCLR or SIC_SOFTINTCLR or SIC_PICENCLR: return 0; // write-only
            default:
                _trace.Unknown("sic", offset, write: false);
                return 0;
        }
    }

    protected override void WriteRegister(uint offset, uint value)
    {
        switch (offset)
        {
            case SIC_ENABLE: _enable |= value; break;
            case SIC_ENCLR: _enable &= ~value; break;
            case SIC_SOFTINTSET: _softInt |= value; break;
            case SIC_SOFTINTCLR: _softInt &= ~value; break;
            case SIC_PICENABLE: _picEnable |= value & PassThroughMask; break;
            case SIC_PICENCLR: _picEnable &= ~value; break;
            case SIC_STATUS or SIC_RAWSTAT: return; // read-only
            default:
                _trace.Unknown("sic", offset, write: true);
                return;
        }
        Update();
    }
}
