using ArmEmu.Memory;

namespace ArmEmu.Emulator.Devices;

/// <summary>
/// ARM PrimeCell PL011 UART (ARM DDI0183, "PrimeCell UART (PL011) Technical Reference
/// Manual"). The Versatile PB has UART0-2 at 0x101f1000/2000/3000 on VIC inputs 12-14 and
/// UART3 at 0x10009000 on SIC input 6. One combined interrupt, UARTINTR.
/// </summary>
/// <remarks>
/// Modelling choices:
/// - Transmission is instantaneous: a byte written to UARTDR goes to the output at once,
///   the transmit FIFO is always empty (UARTFR.TXFE = 1, TXFF = 0, BUSY = 0) and never
///   fills. Each write therefore takes the FIFO through its trigger level, so the transmit
///   interrupt is set after every write (DDI0183 2.8.3); as on the PL011, it is not set
///   merely because the FIFO is empty (after reset or when unmasked).
/// - Reception is flow-controlled: bytes move from the <see cref="SerialInput"/> into the
///   receive FIFO (16 entries, 1 with the FIFOs disabled) only while it has room, so an
///   overrun never happens except in loopback. Bytes are taken when the guest touches a
///   register and when the board calls <see cref="PollInput"/>.
/// - The receive timeout interrupt (RTINTR) is raised as soon as the FIFO holds data and the
///   input has nothing more to give: input arrives at the emulator's pace, not at the baud
///   rate, so there is no 32-bit period to time.
/// - UARTEN, TXE and RXE are kept but do not gate transfers: the board starts like QEMU's,
///   without the Boot Monitor that would have enabled UART0, and images print through it
///   straight away. Baud rate and line format are kept and read back but do not matter.
/// - Loopback (UARTCR.LBE) feeds transmitted bytes to the receive FIFO instead of the output
///   and the modem outputs to the modem inputs (DDI0183 3.3.8); QEMU also sends them out.
///
/// Other departures from QEMU's hw/char/pl011.c, following the TRM: the receive interrupt
/// is raised at the UARTIFLS trigger level (QEMU: on every byte, because it has no receive
/// timeout); UARTIBRD has 16 bits and UARTFBRD 6 (QEMU swaps the masks).
/// </remarks>
internal sealed class Pl011Uart : WordRegisterDevice
{
    // Register offsets, DDI0183 Table 3-1.
    private const uint UARTDR = 0x000;
    private const uint UARTRSR = 0x004; // UARTECR on write
    private const uint UARTFR = 0x018;
    private const uint UARTILPR = 0x020;
    private const uint UARTIBRD = 0x024;
    private const uint UARTFBRD = 0x028;
    private const uint UARTLCR_H = 0x02C;
    private const uint UARTCR = 0x030;
    private const uint UARTIFLS = 0x034;
    private const uint UARTIMSC = 0x038;
    private const uint UARTRIS = 0x03C;
    private const uint UARTMIS = 0x040;
    private const uint UARTICR = 0x044;
    private const uint UARTDMACR = 0x048;
    private const uint UARTPeriphID0 = 0xFE0; // ..UARTPCellID3 at 0xFFC

    // UARTPeriphID0-3 then UARTPCellID0-3 (3.3.14-3.3.21); the revision is the one QEMU
    // reports, so Linux picks the same 16-entry FIFO on both.
    private static readonly byte[] Id = [0x11, 0x10, 0x14, 0x00, 0x0D, 0xF0, 0x05, 0xB1];

    // UARTFR bits (3.3.3).
    private const uint FR_CTS = 1u << 0, FR_DSR = 1u << 1, FR_DCD = 1u << 2, FR_BUSY = 1u << 3;
    private const uint FR_RXFE = 1u << 4, FR_TXFF = 1u << 5, FR_RXFF = 1u << 6, FR_TXFE = 1u << 7, FR_RI = 1u << 8;

    // UARTLCR_H.FEN (3.3.7) and UARTCR bits (3.3.8).
    private const uint LCRH_FEN = 1u << 4;
    private const uint CR_LBE = 1u << 7, CR_DTR = 1u << 10, CR_RTS = 1u << 11, CR_OUT1 = 1u << 12, CR_OUT2 = 1u << 13;

    // Interrupt bits of UARTIMSC, UARTRIS, UARTMIS, UARTICR (3.3.10-3.3.13).
    private const uint INT_RI = 1u << 0, INT_CTS = 1u << 1, INT_DCD = 1u << 2, INT_DSR = 1u << 3;
    private const uint INT_RX = 1u << 4, INT_TX = 1u << 5, INT_RT = 1u << 6;
    private const uint INT_OE = 1u << 10;
    private const uint IntMask = 0x7FF;

    // Error bits of a received character in UARTDR (FE 8, PE 9, BE 10, OE 11) and UARTRSR.
    private const uint RSR_OE = 1u << 3;

    private const int FifoDepth = 16;

    private readonly InterruptLine _irq;
    private readonly Stream? _output;
    private readonly SerialInput _input;
    private readonly MmioTrace _trace;
    private readonly string _name;

    private readonly Queue<ushort> _rxFifo = new(); // data with its FE/PE/BE bits (8-10)
    private uint _rsr, _ilpr, _ibrd, _fbrd, _lcrH, _cr, _ifls, _imsc, _ris, _dmacr;

    /// <param name="irq">UARTINTR (VIC input 12-14, or SIC input 6 for UART3).</param>
    /// <param name="output">Where transmitted bytes go (flushed after each); null discards them.</param>
    /// <param name="input">Where received bytes come from; null: nothing ever arrives.</param>
    /// <param name="trace">Reports accesses to unimplemented offsets.</param>
    /// <param name="name">The name used in traces ("uart0").</param>
    public Pl011Uart(InterruptLine irq, Stream? output, SerialInput? input = null, MmioTrace? trace = null, string name = "pl011")
    {
        _irq = irq;
        _output = output;
        _input = input ?? SerialInput.None();
        _trace = trace ?? MmioTrace.Off;
        _name = name;
        Reset();
    }


    /// <summary>Back to the reset values of DDI0183 Table 3-1 (UARTCR 0x300, UARTIFLS 0x12, the rest 0, FIFOs empty).</summary>
    public void Reset()
    {
        _rxFifo.Clear();
        _rsr = _ilpr = _ibrd = _fbrd = _lcrH = _imsc = _ris = _dmacr = 0;
        _cr = 0x300; // TXE, RXE
        _ifls = 0x12; // both trigger levels at 1/2
        Update();
    }

    private bool Loopback => (_cr & CR_LBE) != 0;

    private int Depth => (_lcrH & LCRH_FEN) != 0 ? FifoDepth : 1;

    /// <summary>Receive trigger level: UARTIFLS.RXIFLSEL of 1/8, 1/4, 1/2, 3/4, 7/8 full (3.3.9); 1 with the FIFOs disabled.</summary>
    private int RxTrigger => (_lcrH & LCRH_FEN) == 0 ? 1 : ((_ifls >> 3) & 7) switch
    {
        0 => 2,
        1 => 4,
        2 => 8,
        3 => 12,
        _ => 14,
    };

    /// <summary>The modem status inputs: in loopback the modem outputs, else unconnected (deasserted).</summary>
    private uint ModemStatus => !Loopback ? 0 :
        ((_cr & CR_RTS) != 0 ? FR_CTS : 0) | ((_cr & CR_DTR) != 0 ? FR_DSR : 0) |
        ((_cr & CR_OUT1) != 0 ? FR_DCD : 0) | ((_cr & CR_OUT2) != 0 ? FR_RI : 0);

    private uint Flags =>
        ModemStatus | FR_TXFE |
        (_rxFifo.Count == 0 ? FR_RXFE : 0) |
        (_rxFifo.Count >= Depth ? FR_RXFF : 0);

    private void Update() => _irq.Level = (_ris & _imsc) != 0;

    /// <summary>Moves waiting input into the receive FIFO and updates the interrupt; the board calls this between run slices and when input arrives.</summary>
    public void PollInput()
    {
        Receive();
        Update();
    }

    private void Receive()
    {
        if (Loopback) return; // the receiver listens to the transmitter
        bool received = false;
        while (_rxFifo.Count < Depth && _input.TryRead(out byte b))
        {
            Push(b);
            received = true;
        }
        // The line went idle after characters came in: the receive timeout (once per burst).
        if (received && !_input.HasData) _ris |= INT_RT;
    }

    private void Push(ushort character)
    {
        if (_rxFifo.Count >= Depth)
        {
            // Overrun (3.3.2): the FIFO keeps its contents, the new character is lost.
            _rsr |= RSR_OE;
            _ris |= INT_OE;
            return;
        }
        _rxFifo.Enqueue(character);
        if (_rxFifo.Count >= RxTrigger) _ris |= INT_RX;
    }

    private uint ReadData()
    {
        if (_rxFifo.Count == 0) return 0;
        ushort c = _rxFifo.Dequeue();
        _rsr = (_rsr & RSR_OE) | ((uint)c >> 8 & 7);
        if (_rxFifo.Count < RxTrigger) _ris &= ~INT_RX;
        if (_rxFifo.Count == 0) _ris &= ~INT_RT;
        return c | ((_rsr & RSR_OE) << 8);
    }

    private void WriteData(uint value)
    {
        byte b = (byte)value;
        if (Loopback)
        {
            Push(b);
            _ris |= INT_RT;
        }
        else if (_output is not null)
        {
            _output.WriteByte(b);
            _output.Flush();
        }
        _ris |= INT_TX;
    }

    private void WriteControl(uint value)
    {
        uint before = ModemStatus;
        _cr = value & 0xFF87;
        uint changed = before ^ ModemStatus;
        // A change on a modem status input sets its interrupt (3.3.11).
        if ((changed & FR_CTS) != 0) _ris |= INT_CTS;
        if ((changed & FR_DSR) != 0) _ris |= INT_DSR;
        if ((changed & FR_DCD) != 0) _ris |= INT_DCD;
        if ((changed & FR_RI) != 0) _ris |= INT_RI;
    }

    protected override uint ReadRegister(uint offset)
    {
        Receive();
        uint value;
        switch (offset)
        {
            case UARTDR:
                value = ReadData();
                Receive(); // room was made
                break;
            case UARTRSR: value = _rsr; break;
            case UARTFR: value = Flags; break;
            case UARTILPR: value = _ilpr; break;
            case UARTIBRD: value = _ibrd; break;
            case UARTFBRD: value = _fbrd; break;
            case UARTLCR_H: value = _lcrH; break;
            case UARTCR: value = _cr; break;
            case UARTIFLS: value = _ifls; break;
            case UARTIMSC: value = _imsc; break;
            case UARTRIS: value = _ris; break;
            case UARTMIS: value = _ris & _imsc; break;
            case UARTDMACR: value = _dmacr; break;
            case UARTICR: value = 0; break; // write-only
            case >= UARTPeriphID0 and <= 0xFFC: value = Id[(offset - UARTPeriphID0) / 4]; break;
            default:
                _trace.Unknown(_name, offset, write: false);
                value = 0;
                break;
        }
        Update();
        return value;
    }

    protected override void WriteRegister(uint offset, uint value)
    {
        switch (offset)
        {
            case UARTDR: WriteData(value); break;
            case UARTRSR: _rsr = 0; break; // UARTECR: any write clears the errors
            case UARTILPR: _ilpr = value & 0xFF; break;
            case UARTIBRD: _ibrd = value & 0xFFFF; break;
            case UARTFBRD: _fbrd = value & 0x3F; break;
            case UARTLCR_H: _lcrH = value & 0xFF; break;
            case UARTCR: WriteControl(value); break;
            case UARTIFLS: _ifls = value & 0x3F; break;
            case UARTIMSC: _imsc = value & IntMask; break;
            case UARTICR: _ris &= ~(value & IntMask); break;
            case UARTDMACR: _dmacr = value & 7; break; // no DMA requests are raised: QEMU's board wires none
            case UARTFR or UARTRIS or UARTMIS or (>= UARTPeriphID0 and <= 0xFFC): break; // read-only
            default:
                _trace.Unknown(_name, offset, write: true);
                return;
        }
        Receive();
        Update();
    }
}
