using ArmEmu.Emulator.Machine;
using ArmEmu.Memory;

namespace ArmEmu.Emulator.Devices;

/// <summary>
/// ARM PrimeCell DMA controller PL080 (DDI0196, "PrimeCell DMA Controller (PL080)
/// Technical Reference Manual"), as on the Versatile PB at 0x10130000 with its
/// combined interrupt DMACINTR on VIC input 17. Eight channels; channel 0 has the
/// highest priority. The controller is a bus master on the <see cref="PhysicalBus"/>
/// only: it reads and writes RAM and devices directly and never sees a CPU cache.
/// </summary>
/// <remarks>
/// <para>
/// Timing. A transfer takes time: the engine moves one burst (or loads one
/// linked-list item) per clock event, and each such step costs
/// <see cref="CyclesPerAccess"/> CPU cycles per AHB data access it makes (one per
/// source element read, one per destination element written, four for a
/// linked-list item). With the default of 2, a word-to-word copy moves one word
/// per 4 CPU cycles (the AHB running at half the core clock, a read and a write
/// per word). The data of a step moves at the end of its time window, so a CPU
/// store made while a transfer is under way lands before or after the DMA's
/// access to that address depending on when it is made, as on hardware, and
/// software polling DMACEnbldChns or DMACIntTCStatus sees the transfer progress.
/// Arbitration between channels happens at each step boundary (TRM 2.1: the
/// highest-priority channel with a request gets the bus after the current burst).
/// </para>
/// <para>
/// Departures from QEMU's hw/dma/pl080.c, which follows neither point of the TRM:
/// QEMU completes a whole transfer synchronously inside the register write that
/// enables it (guests that poll for completion behave the same on both, guests
/// that look at progress do not); QEMU advances the destination address by the
/// source width, this model by the destination width (TRM 3.4, DMACCxControl DI bit);
/// QEMU ignores burst sizes; QEMU never raises the error interrupt, this model
/// raises it on a bus error (an access nothing answers) and disables the channel
/// (TRM 3.7, interrupt requests). QEMU aborts the emulator on flow control values
/// 4 to 7 (peripheral as flow controller); this model services them from
/// peripheral requests and ends the transfer on a last-burst/last-single request.
/// </para>
/// <para>
/// Choices where the TRM leaves room: TransferSize counts down the source
/// transfers still to do (what Linux's pl08x driver reads as the residue, and
/// QEMU's behaviour); an item with TransferSize 0 completes at once; source bytes
/// that do not fill a destination element at the end of an item are written as
/// bytes; accesses to devices succeed (peripheral transfers need them), only an
/// address nothing answers gives the error response.
/// </para>
/// <para>
/// Not modelled: big-endian AHB masters (DMACConfiguration M1/M2 are stored and
/// read back, transfers stay little-endian), the lock bit (stored), the
/// protection bits (stored), the two AHB masters (one bus here), the test
/// registers at 0x500. Peripheral requests come from the software request
/// registers or from <see cref="Request"/>; no Versatile PB device raises them.
/// </para>
/// </remarks>
internal sealed class Pl080Dma : IMmioDevice
{
    public const int ChannelCount = 8;

    // DMACConfiguration (TRM 3.4, DMACConfiguration).
    private const uint ConfigE = 1u << 0;
    private const uint ConfigMask = 0x7; // E, M1, M2

    // DMACCxControl (TRM 3.4, DMACCxControl).
    private const uint ControlTransferSizeMask = 0xFFF;
    private const int ControlSBSizeShift = 12, ControlDBSizeShift = 15;
    private const int ControlSWidthShift = 18, ControlDWidthShift = 21;
    private const uint ControlSI = 1u << 26, ControlDI = 1u << 27, ControlI = 1u << 31;

    // DMACCxConfiguration (TRM 3.4, DMACCxConfiguration).
    private const uint ChConfigE = 1u << 0;
    private const int ChConfigSrcPeripheralShift = 1, ChConfigDestPeripheralShift = 6, ChConfigFlowShift = 11;
    private const uint ChConfigIE = 1u << 14, ChConfigITC = 1u << 15;
    private const uint ChConfigA = 1u << 17, ChConfigH = 1u << 18;
    private const uint ChConfigWritable = 0x0005_FBDF; // all but A (read-only) and the reserved bits 5, 10, 31:19

    // PeriphID0-3 and PCellID0-3 at 0xFE0-0xFFC (TRM 3.4, identification registers): part 0x080, designer 0x41 (ARM).
    private static readonly byte[] IdBytes = [0x80, 0x10, 0x04, 0x0A, 0x0D, 0xF0, 0x05, 0xB1];

    private readonly PhysicalBus _bus;
    private readonly VirtualClock _clock;
    private readonly InterruptLine _irq;
    private readonly MmioTrace _trace;
    private readonly Channel[] _channels = new Channel[ChannelCount];

    private uint _rawTc, _rawErr; // DMACRawIntTCStatus / DMACRawIntErrorStatus, one bit per channel
    private uint _config, _sync;
    private uint _burstReq, _singleReq, _lastBurstReq, _lastSingleReq; // pending peripheral requests, one bit per peripheral

    private ScheduledEvent? _step;
    private int _stepChannel;
    private ulong _stepTime;

    /// <param name="bus">The bus the controller masters (RAM and devices, no cache).</param>
    /// <param name="clock">Machine time; transfers advance in events on it.</param>
    /// <param name="irq">DMACINTR, the OR of the masked terminal-count and error interrupts (Versatile PB: VIC 17).</param>
    /// <param name="trace">Where accesses to unimplemented offsets are reported.</param>
    public Pl080Dma(PhysicalBus bus, VirtualClock clock, InterruptLine irq, MmioTrace? trace = null)
    {
        _bus = bus;
        _clock = clock;
        _irq = irq;
        _trace = trace ?? MmioTrace.Off;
        for (int i = 0; i < ChannelCount; i++) _channels[i] = new Channel();
    }

    public uint Size => 0x1000;

    /// <summary>
    /// CPU cycles per AHB data access of the engine (the board sets the rate). The default, 2,
    /// moves one word per 4 CPU cycles in a word-to-word copy.
    /// </summary>
    public ulong CyclesPerAccess { get; set; } = 2;

    /// <summary>How a peripheral asks for data (DMACBREQ, DMACSREQ, DMACLBREQ, DMACLSREQ; TRM appendix B.1).</summary>
    public enum RequestKind { Burst, Single, LastBurst, LastSingle }

    /// <summary>A DMA request from peripheral <paramref name="peripheral"/> (0-15), as the software request registers make one.</summary>
    public void Request(int peripheral, RequestKind kind)
    {
        uint bit = 1u << (peripheral & 15);
        switch (kind)
        {
            case RequestKind.Burst: _burstReq |= bit; break;
            case RequestKind.Single: _singleReq |= bit; break;
            case RequestKind.LastBurst: _lastBurstReq |= bit; break;
            default: _lastSingleReq |= bit; break;
        }
        Kick(_clock.Now);
    }

    public uint Read(uint offset, int size)
    {
        uint value = ReadRegister(offset & ~3u);
        return (value >> (int)(8 * (offset & 3))) & (size == 4 ? 0xFFFF_FFFFu : (1u << (8 * size)) - 1);
    }

    public void Write(uint offset, int size, uint value)
    {
        // A narrow write reaches the register's byte lanes it covers; the other lanes read as zero.
        WriteRegister(offset & ~3u, size == 4 ? value : value << (int)(8 * (offset & 3)));
    }

    private uint TcMask => ChannelMask(ChConfigITC);

    private uint ErrMask => ChannelMask(ChConfigIE);

    private uint ReadRegister(uint offset)
    {
        if (offset >= 0xFE0) return IdBytes[(offset - 0xFE0) >> 2];
        if (offset >= 0x100 && offset < 0x100 + 0x20 * ChannelCount)
        {
            var ch = _channels[(offset - 0x100) >> 5];
            switch (offset & 0x1F)
            {
                case 0x00: return ch.SrcAddr;
                case 0x04: return ch.DestAddr;
                case 0x08: return ch.Lli;
                case 0x0C: return ch.Control;
                case 0x10: return ch.Config | (IsActive(ch) ? ChConfigA : 0);
            }
        }
        switch (offset)
        {
            case 0x000: return (_rawTc & TcMask) | (_rawErr & ErrMask); // DMACIntStatus
            case 0x004: return _rawTc & TcMask;                        // DMACIntTCStatus
            case 0x00C: return _rawErr & ErrMask;                      // DMACIntErrorStatus
            case 0x014: return _rawTc;                                 // DMACRawIntTCStatus
            case 0x018: return _rawErr;                                // DMACRawIntErrorStatus
            case 0x01C: return ChannelMask(ChConfigE);                 // DMACEnbldChns
            case 0x020: return _burstReq;                              // DMACSoftBReq
            case 0x024: return _singleReq;                             // DMACSoftSReq
            case 0x028: return _lastBurstReq;                          // DMACSoftLBReq
            case 0x02C: return _lastSingleReq;                         // DMACSoftLSReq
            case 0x030: return _config;                                // DMACConfiguration
            case 0x034: return _sync;                                  // DMACSync
            case 0x008: case 0x010: return 0;                          // write-only clear registers
        }
        _trace.Unknown("pl080", offset, write: false);
        return 0;
    }

    private void WriteRegister(uint offset, uint value)
    {
        if (offset >= 0x100 && offset < 0x100 + 0x20 * ChannelCount)
        {
            var ch = _channels[(offset - 0x100) >> 5];
            switch (offset & 0x1F)
            {
                case 0x00: ch.SrcAddr = value; return;
                case 0x04: ch.DestAddr = value; return;
                case 0x08: ch.Lli = value & ~2u; return; // bit 1 reserved
                case 0x0C: ch.Control = value; return;
                case 0x10:
                    uint old = ch.Config;
                    ch.Config = value & ChConfigWritable;
                    if ((old & ChConfigE) == 0 && (ch.Config & ChConfigE) != 0)
                        ch.Start();
                    else if ((ch.Config & ChConfigE) == 0)
                        ch.Fifo.Clear(); // disabling a channel loses the data in its FIFO (TRM 3.4, DMACCxConfiguration)
                    UpdateInterrupt(); // the IE/ITC masks may have changed
                    Kick(_clock.Now);
                    return;
            }
        }
        switch (offset)
        {
            case 0x008: _rawTc &= ~value & 0xFF; UpdateInterrupt(); return;   // DMACIntTCClear
            case 0x010: _rawErr &= ~value & 0xFF; UpdateInterrupt(); return;  // DMACIntErrClr
            case 0x020: _burstReq |= value & 0xFFFF; Kick(_clock.Now); return;
            case 0x024: _singleReq |= value & 0xFFFF; Kick(_clock.Now); return;
            case 0x028: _lastBurstReq |= value & 0xFFFF; Kick(_clock.Now); return;
            case 0x02C: _lastSingleReq |= value & 0xFFFF; Kick(_clock.Now); return;
            case 0x030: _config = value & ConfigMask; Kick(_clock.Now); return;
            case 0x034: _sync = value & 0xFFFF; return;
        }
        _trace.Unknown("pl080", offset, write: true);
    }

    private uint ChannelMask(uint configBit)
    {
        uint mask = 0;
        for (int i = 0; i < ChannelCount; i++)
            if ((_channels[i].Config & configBit) != 0) mask |= 1u << i;
        return mask;
    }

    private void UpdateInterrupt() => _irq.Level = ((_rawTc & TcMask) | (_rawErr & ErrMask)) != 0;

    // DMACCxConfiguration.A: the channel has data in its FIFO or work under way. It reads 0 once
    // the channel is halted (H) and drained, which is how software stops a channel cleanly.
    private bool IsActive(Channel ch) => (ch.Config & ChConfigE) != 0 && (ch.Fifo.Count > 0 || (ch.Config & ChConfigH) == 0 && HasWork(ch));

    private static int Flow(Channel ch) => (int)(ch.Config >> ChConfigFlowShift) & 7;

    private static int SrcPeripheral(Channel ch) => (int)(ch.Config >> ChConfigSrcPeripheralShift) & 15;

    private static int DestPeripheral(Channel ch) => (int)(ch.Config >> ChConfigDestPeripheralShift) & 15;

    // The peripheral whose requests pace a peripheral transfer: the destination for
    // memory-to-peripheral flows (1, 5) and peripheral-to-peripheral with the destination as
    // flow controller (4); the source otherwise (2, 3, 6, 7).
    private static int PacingPeripheral(Channel ch) => Flow(ch) switch
    {
        1 or 4 or 5 => DestPeripheral(ch),
        _ => SrcPeripheral(ch),
    };

    private bool HasWork(Channel ch)
    {
        if (ch.NeedsLli || Flow(ch) == 0) return true;
        uint bit = 1u << PacingPeripheral(ch);
        return ((_burstReq | _singleReq | _lastBurstReq | _lastSingleReq) & bit) != 0;
    }

    private bool Ready(Channel ch) =>
        (_config & ConfigE) != 0 && (ch.Config & (ChConfigE | ChConfigH)) == ChConfigE && HasWork(ch);

    private int NextChannel()
    {
        for (int i = 0; i < ChannelCount; i++)
            if (Ready(_channels[i])) return i;
        return -1;
    }

    /// <summary>Schedules the next step if the engine is idle and a channel has work; it starts at <paramref name="from"/>.</summary>
    private void Kick(ulong from)
    {
        if (_step is not null) return;
        int c = NextChannel();
        if (c < 0) return;
        _stepChannel = c;
        _stepTime = from + Math.Max(1, CyclesPerAccess * (ulong)PlanStep(_channels[c], out _, out _));
        _step = _clock.Schedule(_stepTime, RunStep);
    }

    private void RunStep()
    {
        _step = null;
        var ch = _channels[_stepChannel];
        // The step in flight completes unless software disabled or halted its channel meanwhile.
        if (Ready(ch)) PerformStep(_stepChannel, ch);
        UpdateInterrupt();
        Kick(_stepTime);
    }

    /// <summary>
    /// What the channel's next step does: load a linked-list item, or move
    /// <paramref name="elements"/> source elements. Returns the number of AHB data accesses.
    /// </summary>
    private int PlanStep(Channel ch, out int elements, out RequestKind request)
    {
        request = RequestKind.Burst;
        elements = 0;
        if (ch.NeedsLli) return 4;
        int sw = Width(ch.Control, ControlSWidthShift), dw = Width(ch.Control, ControlDWidthShift);
        int remaining = (int)(ch.Control & ControlTransferSizeMask);
        int flow = Flow(ch);
        if (flow == 0)
        {
            elements = Math.Min(remaining, BurstSize(ch.Control, ControlSBSizeShift));
        }
        else
        {
            uint bit = 1u << PacingPeripheral(ch);
            bool destPaced = flow is 1 or 4 or 5;
            request = (_lastBurstReq & bit) != 0 ? RequestKind.LastBurst
                : (_burstReq & bit) != 0 ? RequestKind.Burst
                : (_lastSingleReq & bit) != 0 ? RequestKind.LastSingle
                : RequestKind.Single;
            if (request is RequestKind.Burst or RequestKind.LastBurst)
                elements = destPaced
                    ? Math.Max(1, BurstSize(ch.Control, ControlDBSizeShift) * dw / sw) // a destination burst, in source elements
                    : BurstSize(ch.Control, ControlSBSizeShift);
            else
                elements = destPaced ? Math.Max(1, dw / sw) : 1;
            if (flow <= 3) elements = Math.Min(elements, remaining); // the DMAC is the flow controller
        }
        int writes = (ch.Fifo.Count + elements * sw) / dw;
        return elements + writes;
    }

    private void PerformStep(int index, Channel ch)
    {
        if (ch.NeedsLli)
        {
            LoadLli(index, ch);
            return;
        }
        PlanStep(ch, out int elements, out var request);
        int flow = Flow(ch);
        if (flow != 0)
        {
            uint bit = 1u << PacingPeripheral(ch);
            if (request is RequestKind.Burst or RequestKind.LastBurst) { _burstReq &= ~bit; _lastBurstReq &= ~bit; }
            else { _singleReq &= ~bit; _lastSingleReq &= ~bit; }
        }
        int sw = Width(ch.Control, ControlSWidthShift), dw = Width(ch.Control, ControlDWidthShift);
        for (int n = 0; n < elements; n++)
        {
            _bus.AnnounceMasterAccess(ch.SrcAddr, sw, write: false);
            if (!_bus.TryRead(ch.SrcAddr, sw, out uint data))
            {
                Fail(index, ch);
                return;
            }
            if ((ch.Control & ControlSI) != 0) ch.SrcAddr += (uint)sw;
            for (int b = 0; b < sw; b++) ch.Fifo.Enqueue((byte)(data >> (8 * b)));
            if (flow <= 3)
                ch.Control = (ch.Control & ~ControlTransferSizeMask) | ((ch.Control & ControlTransferSizeMask) - 1);
            if (!Drain(ch, dw, flush: false))
            {
                Fail(index, ch);
                return;
            }
        }
        bool done = flow <= 3
            ? (ch.Control & ControlTransferSizeMask) == 0
            : request is RequestKind.LastBurst or RequestKind.LastSingle;
        if (!done) return;
        // Odd leftovers (source bytes that do not fill a destination element) go out as bytes.
        if (!Drain(ch, 1, flush: true))
        {
            Fail(index, ch);
            return;
        }
        // Terminal count (TRM 3.7): the interrupt is raised at the end of every linked-list item whose I bit is set.
        if ((ch.Control & ControlI) != 0) _rawTc |= 1u << index;
        if ((ch.Lli & ~3u) != 0) ch.NeedsLli = true;
        else ch.Config &= ~ChConfigE;
    }

    /// <summary>Writes whole destination elements from the FIFO; false on a bus error.</summary>
    private bool Drain(Channel ch, int dw, bool flush)
    {
        while (ch.Fifo.Count >= dw || (flush && ch.Fifo.Count > 0))
        {
            uint data = 0;
            for (int b = 0; b < dw; b++) data |= (uint)ch.Fifo.Dequeue() << (8 * b);
            _bus.AnnounceMasterAccess(ch.DestAddr, dw, write: true);
            if (!_bus.TryWrite(ch.DestAddr, dw, data)) return false;
            if ((ch.Control & ControlDI) != 0) ch.DestAddr += (uint)dw;
        }
        return true;
    }

    // Scatter/gather (TRM 3.6 and appendix C): a linked-list item is four words, the next
    // source address, destination address, LLI and control word.
    private void LoadLli(int index, Channel ch)
    {
        uint lli = ch.Lli & ~3u;
        Span<uint> item = stackalloc uint[4];
        for (int i = 0; i < 4; i++)
        {
            _bus.AnnounceMasterAccess(lli + (uint)(4 * i), 4, write: false);
            if (!_bus.TryRead(lli + (uint)(4 * i), 4, out item[i]))
            {
                Fail(index, ch);
                return;
            }
        }
        ch.SrcAddr = item[0];
        ch.DestAddr = item[1];
        ch.Lli = item[2] & ~2u;
        ch.Control = item[3];
        ch.NeedsLli = false;
    }

    // An AHB error response (TRM 3.7, interrupt requests): the error interrupt is raised and the channel disabled.
    private void Fail(int index, Channel ch)
    {
        _rawErr |= 1u << index;
        ch.Config &= ~ChConfigE;
        ch.Fifo.Clear();
        ch.NeedsLli = false;
    }

    // SWidth/DWidth: 0 byte, 1 halfword, 2 word; the reserved encodings are taken as word here.
    private static int Width(uint control, int shift) => Math.Min(1 << (int)((control >> shift) & 7), 4);

    // SBSize/DBSize: 1, 4, 8, 16, 32, 64, 128, 256 transfers.
    private static int BurstSize(uint control, int shift)
    {
        int code = (int)(control >> shift) & 7;
        return code == 0 ? 1 : 2 << code;
    }

    private sealed class Channel
    {
        public uint SrcAddr, DestAddr, Lli, Control, Config;

        /// <summary>The current item ended and the next one is to be loaded from <see cref="Lli"/>.</summary>
        public bool NeedsLli;

        /// <summary>Source bytes not yet written to the destination (width conversion).</summary>
        public readonly Queue<byte> Fifo = new();

        public void Start()
        {
            NeedsLli = false;
            Fifo.Clear();
        }
    }
}
