using ArmEmu.Emulator.Machine;
using ArmEmu.Memory;

namespace ArmEmu.Emulator.Devices;

/// <summary>
/// ARM PrimeCell Colour LCD Controller PL110 (DDI0161, "PrimeCell Color LCD
/// Controller (PL110) Technical Reference Manual") in the form the Versatile PB
/// has at 0x10120000, interrupt on VIC input 16. The frame buffer is read from
/// the <see cref="PhysicalBus"/> at scan-out, so the LCD, like the real one,
/// never sees data still held in a CPU cache.
/// </summary>
/// <remarks>
/// <para>
/// The Versatile board's PL110 is halfway to the PL111: LCDControl is at 0x018 and
/// LCDIMSC at 0x01C (the stock PL110 has them the other way round), followed by
/// LCDRIS 0x020, LCDMIS 0x024, LCDICR 0x028, LCDUPCURR 0x02C, LCDLPCURR 0x030.
/// That is the layout Linux's drivers use on this board (pl111_versatile.c,
/// "these two registers have already been swapped") and QEMU's pl110_versatile.
/// The identification registers read as a stock PL110 (0x10, 0x11, 0x04, 0x00):
/// the Versatile documentation (DDI0224) gives another value, but the hardware
/// and QEMU return this one and Linux relies on it.
/// </para>
/// <para>
/// 16 bits per pixel: the PL110 itself only knows 5:5:5 plus an intensity bit;
/// the Versatile's external multiplexer, set through SYS_CLCD[1:0] in the system
/// registers, turns it into 5:6:5. The board passes that field in
/// <see cref="SysClcdMode"/>: 0 888 (taken as 5:6:5, as QEMU does), 1 5:5:5:1,
/// 2 5:6:5 with red in the low bits, 3 5:6:5 with blue in the low bits (the LCDControl
/// BGR bit is not applied in mode 3, the multiplexer already swaps; as QEMU).
/// 24 bits per pixel: one pixel per 32-bit word, red in bits 7:0, green 15:8,
/// blue 23:16; BGR swaps red and blue. 1, 2, 4 and 8 bits per pixel go through
/// the palette (two 5:5:5+I entries per word at 0x200-0x3FC). Colour components
/// of 5 or 6 bits are placed in the top bits of the 8-bit output, as on the
/// board's DAC, where the low pins are not driven.
/// </para>
/// <para>
/// Timing: the timing generator runs while LcdEn is set; a frame lasts
/// 1/<see cref="FrameHz"/> s of machine time, split into vertical sync (VSW+1 lines),
/// back porch (VBP), active lines (LPP+1) and front porch (VFP) in the proportions
/// LCDTiming1 gives. At the start of each frame the base addresses are reloaded
/// into the current-address counters (LNBU interrupt); the vertical compare
/// interrupt (VComp) comes at the start of the phase LcdVComp selects; the AHB
/// master error interrupt (MBERROR) is raised at a frame start when the frame
/// buffer is not all RAM. FIFO underflow never happens. QEMU implements none of
/// these interrupts (its pl110_update is empty) and returns LCDUPBASE for
/// LCDUPCURR; this model follows the TRM.
/// </para>
/// <para>
/// With <see cref="IsPl111"/> it is the PL111 (DDI0293) of the Versatile Express daughterboard
/// at 0x10020000, which has the same register layout: its identification reads 0x11, 0x11,
/// 0x24, 0x00 (as QEMU's pl111), and LCDControl's BPP field itself selects the 16 bpp format
/// (no board multiplexer): 0b100 1:5:5:5, 0b110 5:6:5, 0b111 4:4:4 in 16 bits, red in the low
/// bits unless BGR is set.
/// </para>
/// <para>
/// Not modelled: big-endian byte/pixel orders (BEBO, BEPO), STN panels (rendered
/// as TFT), the lower panel of dual-panel mode.
/// </para>
/// </remarks>
internal sealed class Pl110Clcd : IMmioDevice
{
    // LCDControl (TRM chapter 3, LCDControl).
    private const uint ControlLcdEn = 1u << 0;
    private const int ControlBppShift = 1;
    private const uint ControlBgr = 1u << 8;
    private const uint ControlLcdPwr = 1u << 11;
    private const int ControlVCompShift = 12;
    private const uint ControlMask = 0x0001_FFFF;

    // LCDIMSC/LCDRIS/LCDMIS/LCDICR bits (TRM chapter 3, interrupt registers).
    public const uint InterruptFuf = 1u << 1;
    public const uint InterruptLnbu = 1u << 2;
    public const uint InterruptVComp = 1u << 3;
    public const uint InterruptMbError = 1u << 4;
    private const uint InterruptMask = 0x1E;

    // PeriphID0-3, PCellID0-3 at 0xFE0-0xFFC.
    private static readonly byte[] IdBytes = [0x10, 0x11, 0x04, 0x00, 0x0D, 0xF0, 0x05, 0xB1];
    private static readonly byte[] Pl111IdBytes = [0x11, 0x11, 0x24, 0x00, 0x0D, 0xF0, 0x05, 0xB1];

    private readonly PhysicalBus _bus;
    private readonly VirtualClock _clock;
    private readonly InterruptLine _irq;
    private readonly MmioTrace _trace;

    private readonly uint[] _timing = new uint[4];
    private uint _upBase, _lpBase, _control, _imsc, _ris;
    private readonly uint[] _palette = new uint[128];

    // Timing generator: frame k starts at _epoch + k * FramePeriod. _frameStarts and
    // _vcompCount are how many frame starts / vertical compare points were already seen.
    private ulong _epoch;
    private ulong _frameStarts, _vcompCount;
    private ScheduledEvent? _event;

    /// <param name="bus">Where the frame buffer is read from.</param>
    /// <param name="clock">Machine time, for the frame rate and the interrupts.</param>
    /// <param name="irq">CLCDINTR (Versatile PB: VIC 16).</param>
    /// <param name="trace">Where accesses to unimplemented offsets are reported.</param>
    public Pl110Clcd(PhysicalBus bus, VirtualClock clock, InterruptLine irq, MmioTrace? trace = null)
    {
        _bus = bus;
        _clock = clock;
        _irq = irq;
        _trace = trace ?? MmioTrace.Off;
    }

    public uint Size => 0x1000;

    /// <summary>Frames per second of machine time (the board's pixel clock and timings give about 60).</summary>
    public ulong FrameHz { get; set; } = 60;

    /// <summary>The PL111 rather than the Versatile's PL110 (identification and 16 bpp formats; see the class remarks).</summary>
    public bool IsPl111 { get; init; }

    /// <summary>SYS_CLCD[1:0] of the Versatile system registers: the 16 bpp multiplexer (see the class remarks).</summary>
    public int SysClcdMode { get; set; }

    /// <summary>Pixels per line: 16 * (LCDTiming0.PPL + 1).</summary>
    public int Width => 16 * ((int)(_timing[0] >> 2 & 0x3F) + 1);

    /// <summary>Lines per panel: LCDTiming1.LPP + 1.</summary>
    public int Height => (int)(_timing[1] & 0x3FF) + 1;

    /// <summary>LcdEn and LcdPwr: the panel shows the frame buffer.</summary>
    public bool DisplayOn => (_control & (ControlLcdEn | ControlLcdPwr)) == (ControlLcdEn | ControlLcdPwr);

    private int Bpp => (int)(_control >> ControlBppShift) & 7;

    private ulong FramePeriod => Math.Max(1, _clock.CyclesFor(1, Math.Max(1, FrameHz)));

    public uint Read(uint offset, int size)
    {
        uint value = ReadRegister(offset & ~3u);
        return (value >> (int)(8 * (offset & 3))) & (size == 4 ? 0xFFFF_FFFFu : (1u << (8 * size)) - 1);
    }

    public void Write(uint offset, int size, uint value) =>
        WriteRegister(offset & ~3u, size == 4 ? value : value << (int)(8 * (offset & 3)));

    private uint ReadRegister(uint offset)
    {
        if (offset >= 0xFE0) return (IsPl111 ? Pl111IdBytes : IdBytes)[(offset - 0xFE0) >> 2];
        if (offset >= 0x200 && offset < 0x400) return _palette[(offset - 0x200) >> 2];
        switch (offset)
        {
            case 0x000: case 0x004: case 0x008: case 0x00C: return _timing[offset >> 2];
            case 0x010: return _upBase;
            case 0x014: return _lpBase;
            case 0x018: return _control;               // LCDControl (Versatile position)
            case 0x01C: return _imsc;                  // LCDIMSC (Versatile position)
            case 0x020: CatchUp(); return _ris;        // LCDRIS
            case 0x024: CatchUp(); return _ris & _imsc; // LCDMIS
            case 0x028: return 0;                      // LCDICR is write-only
            case 0x02C: return CurrentAddress(_upBase); // LCDUPCURR
            case 0x030: return CurrentAddress(_lpBase); // LCDLPCURR
        }
        _trace.Unknown("pl110", offset, write: false);
        return 0;
    }

    private void WriteRegister(uint offset, uint value)
    {
        if (offset >= 0x200 && offset < 0x400)
        {
            _palette[(offset - 0x200) >> 2] = value;
            return;
        }
        CatchUp(); // events up to now happened under the old settings
        bool started = false;
        switch (offset)
        {
            case 0x000: _timing[0] = value & 0xFFFF_FFFC; break;
            case 0x004: _timing[1] = value; break;
            case 0x008: _timing[2] = value & 0x07FF_7FFF; break;
            case 0x00C: _timing[3] = value & 0x0001_007F; break;
            case 0x010: _upBase = value & ~3u; break;
            case 0x014: _lpBase = value & ~3u; break;
            case 0x018:
                bool wasEnabled = (_control & ControlLcdEn) != 0;
                _control = value & ControlMask;
                if (!wasEnabled && (_control & ControlLcdEn) != 0)
                {
                    // The timing generator starts with a frame: its base reload (LNBU) is seen at once.
                    _epoch = _clock.Now;
                    _frameStarts = _vcompCount = 0;
                    started = true;
                }
                break;
            case 0x01C: _imsc = value & InterruptMask; break;
            case 0x028: _ris &= ~(value & InterruptMask); break;
            default:
                _trace.Unknown("pl110", offset, write: true);
                return;
        }
        if (!started) Rebase();
        CatchUp();
        Update();
    }

    private bool Running => (_control & ControlLcdEn) != 0;

    private int VerticalSyncLines => (int)(_timing[1] >> 10 & 0x3F) + 1;

    private int BackPorchLines => (int)(_timing[1] >> 24);

    private int FrontPorchLines => (int)(_timing[1] >> 16 & 0xFF);

    private int TotalLines => VerticalSyncLines + BackPorchLines + Height + FrontPorchLines;

    /// <summary>Cycles from a frame start to the point LcdVComp selects.</summary>
    private ulong VCompOffset
    {
        get
        {
            int lines = ((int)(_control >> ControlVCompShift) & 3) switch
            {
                0 => 0,                                              // start of vertical synchronization
                1 => VerticalSyncLines,                              // start of back porch
                2 => VerticalSyncLines + BackPorchLines,             // start of active video
                _ => VerticalSyncLines + BackPorchLines + Height,    // start of front porch
            };
            return (ulong)((UInt128)FramePeriod * (ulong)lines / (ulong)TotalLines);
        }
    }

    /// <summary>How many events at <paramref name="offset"/> into each frame happened up to <paramref name="time"/>.</summary>
    private ulong Occurrences(ulong offset, ulong time)
    {
        if (!Running || time < _epoch + offset) return 0;
        return (time - _epoch - offset) / FramePeriod + 1;
    }

    /// <summary>Sets the interrupt status for the frame events that happened since the last look.</summary>
    private void CatchUp()
    {
        if (!Running) return;
        ulong now = _clock.Now;
        ulong starts = Occurrences(0, now);
        if (starts > _frameStarts)
        {
            _ris |= InterruptLnbu;
            if (!FrameBufferIsRam()) _ris |= InterruptMbError;
        }
        _frameStarts = starts;
        ulong vcomp = Occurrences(VCompOffset, now);
        if (vcomp > _vcompCount) _ris |= InterruptVComp;
        _vcompCount = vcomp;
    }

    // After a settings change the event counts are re-derived, so a changed offset does not
    // count points that were already passed.
    private void Rebase()
    {
        ulong now = _clock.Now;
        _frameStarts = Occurrences(0, now);
        _vcompCount = Occurrences(VCompOffset, now);
    }

    private void Update()
    {
        _irq.Level = (_ris & _imsc) != 0;
        _event?.Cancel();
        _event = null;
        if (!Running) return;
        // Only an enabled interrupt that is not already pending needs an event.
        uint wanted = _imsc & ~_ris;
        ulong now = _clock.Now, next = ulong.MaxValue;
        if ((wanted & (InterruptLnbu | InterruptMbError)) != 0) next = Math.Min(next, NextOccurrence(0, now));
        if ((wanted & InterruptVComp) != 0) next = Math.Min(next, NextOccurrence(VCompOffset, now));
        if (next != ulong.MaxValue)
            _event = _clock.Schedule(next, () =>
            {
                _event = null;
                CatchUp();
                Update();
            });
    }

    private ulong NextOccurrence(ulong offset, ulong now) => _epoch + offset + Occurrences(offset, now) * FramePeriod;

    private int BytesPerLine => Width * BitsPerPixel(Bpp) / 8;

    private static int BitsPerPixel(int bpp) => bpp switch
    {
        0 => 1, 1 => 2, 2 => 4, 3 => 8, 4 => 16, 5 => 32, _ => 16,
    };

    /// <summary>LCDUPCURR/LCDLPCURR: the address the LCD's DMA is fetching, at line granularity.</summary>
    private uint CurrentAddress(uint baseAddress)
    {
        if (!Running) return baseAddress;
        ulong inFrame = (_clock.Now - _epoch) % FramePeriod;
        int line = (int)((UInt128)inFrame * (ulong)TotalLines / FramePeriod);
        int active = line - VerticalSyncLines - BackPorchLines;
        return baseAddress + (uint)(Math.Clamp(active, 0, Height) * BytesPerLine);
    }

    private bool FrameBufferIsRam()
    {
        uint length = (uint)(BytesPerLine * Height);
        for (uint off = 0; off < length; off += PhysicalBus.PageSize - ((_upBase + off) & PhysicalBus.PageMask))
            if (!IsRam(_upBase + off)) return false;
        return length == 0 || IsRam(_upBase + length - 1);
    }

    private unsafe bool IsRam(uint pa) => _bus.RamPage(pa) != null;

    /// <summary>
    /// Scans out the frame buffer at LCDUPBASE as the panel shows it now: RGB24, rows top
    /// down. A black frame of the programmed size when the display is off (LcdEn or LcdPwr clear).
    /// </summary>
    public LcdFrame Render()
    {
        int width = Width, height = Height;
        var rgb = new byte[width * height * 3];
        if (!DisplayOn) return new LcdFrame(width, height, rgb);
        int bits = BitsPerPixel(Bpp);
        int stride = width * bits / 8;
        var data = new byte[stride * height];
        ReadFrameBuffer(_upBase, data);
        bool bgr = (_control & ControlBgr) != 0;
        var palette = new (byte R, byte G, byte B)[256];
        if (bits <= 8)
            for (int i = 0; i < 256; i++)
                palette[i] = Expand555((_palette[i >> 1] >> (16 * (i & 1))) & 0xFFFF, bgr);
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                int o = y * stride;
                (byte R, byte G, byte B) c;
                switch (bits)
                {
                    case 32:
                    {
                        uint w = BitConverter.ToUInt32(data, o + 4 * x);
                        c = ((byte)w, (byte)(w >> 8), (byte)(w >> 16));
                        if (bgr) c = (c.B, c.G, c.R);
                        break;
                    }
                    case 16:
                        c = Decode16(BitConverter.ToUInt16(data, o + 2 * x), bgr);
                        break;
                    default:
                    {
                        // Little-endian byte and pixel order: pixel 0 in the least significant bits.
                        int bit = x * bits;
                        int index = (data[o + (bit >> 3)] >> (bit & 7)) & ((1 << bits) - 1);
                        c = palette[index];
                        break;
                    }
                }
                int p = 3 * (y * width + x);
                rgb[p] = c.R;
                rgb[p + 1] = c.G;
                rgb[p + 2] = c.B;
            }
        }
        return new LcdFrame(width, height, rgb);
    }

    private (byte R, byte G, byte B) Decode16(uint v, bool bgr)
    {
        if (IsPl111)
        {
            (byte, byte, byte) c = Bpp switch
            {
                6 => ((byte)((v & 0x1F) << 3), (byte)((v >> 5 & 0x3F) << 2), (byte)((v >> 11 & 0x1F) << 3)),
                7 => ((byte)((v & 0xF) << 4), (byte)((v >> 4 & 0xF) << 4), (byte)((v >> 8 & 0xF) << 4)),
                _ => Expand555(v, false),
            };
            return bgr ? (c.Item3, c.Item2, c.Item1) : c;
        }
        switch (SysClcdMode & 3)
        {
            case 1:
                return Expand555(v, bgr);
            case 3:
                // Blue in the low bits, whatever the BGR bit says.
                return ((byte)((v >> 11 & 0x1F) << 3), (byte)((v >> 5 & 0x3F) << 2), (byte)((v & 0x1F) << 3));
            default:
            {
                // Red in the low bits; BGR swaps.
                var c = ((byte)((v & 0x1F) << 3), (byte)((v >> 5 & 0x3F) << 2), (byte)((v >> 11 & 0x1F) << 3));
                return bgr ? (c.Item3, c.Item2, c.Item1) : c;
            }
        }
    }

    // 5:5:5 with red in bits 4:0, green 9:5, blue 14:10 (palette entries and 16 bpp 5:5:5:1);
    // bit 15, the intensity bit, does not reach the board's output.
    private static (byte R, byte G, byte B) Expand555(uint v, bool bgr)
    {
        byte lo = (byte)((v & 0x1F) << 3), g = (byte)((v >> 5 & 0x1F) << 3), hi = (byte)((v >> 10 & 0x1F) << 3);
        return bgr ? (hi, g, lo) : (lo, g, hi);
    }

    private void ReadFrameBuffer(uint pa, byte[] data)
    {
        _bus.AnnounceMasterAccess(pa, data.Length, write: false);
        if (_bus.ReadRam(pa, data)) return;
        // Partly outside RAM: words nothing answers for read as zero.
        for (int i = 0; i < data.Length; i += 4)
        {
            _bus.TryRead(pa + (uint)i, 4, out uint w);
            for (int b = 0; b < 4 && i + b < data.Length; b++) data[i + b] = (byte)(w >> (8 * b));
        }
    }
}

/// <summary>A scanned-out LCD frame: <see cref="Width"/> x <see cref="Height"/> pixels, 3 bytes (R, G, B) each, rows top down.</summary>
internal sealed record LcdFrame(int Width, int Height, byte[] Rgb);
