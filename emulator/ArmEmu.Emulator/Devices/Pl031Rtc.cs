using ArmEmu.Emulator.Machine;

namespace ArmEmu.Emulator.Devices;

/// <summary>
/// ARM PrimeCell Real Time Clock PL031 ("PrimeCell Real Time Clock (PL031) Technical Reference
/// Manual", ARM DDI 0224) as QEMU 7.2's pl031: a 32-bit seconds counter (RTCDR),
/// the match register (RTCMR), the load register (RTCLR: writing it sets the counter), the
/// control register (RTCCR, reads 1: the counter always runs), the interrupt mask, raw and
/// masked status and clear registers (RTCIMSC, RTCRIS, RTCMIS, RTCICR). When the counter
/// reaches RTCMR the raw interrupt is set, and drives the interrupt line while unmasked.
///
/// Time is the virtual clock: the counter is <see cref="StartSeconds"/> plus the seconds of
/// machine time since it was last loaded, so runs reproduce.
///
/// Departures from QEMU 7.2: QEMU starts the counter at the host's time of day (-rtc base);
/// here it starts at <see cref="StartSeconds"/> (0 unless the board says otherwise).
/// </summary>
internal sealed class Pl031Rtc : WordRegisterDevice
{
    private static readonly byte[] Id = [0x31, 0x10, 0x14, 0x00, 0x0D, 0xF0, 0x05, 0xB1];

    private readonly VirtualClock _clock;
    private readonly InterruptLine _irq;
    private readonly MmioTrace _trace;
    private uint _loaded, _match, _imsc;
    private bool _raw;
    private ulong _loadTime;
    private ScheduledEvent? _event;

    public Pl031Rtc(VirtualClock clock, InterruptLine irq, MmioTrace? trace = null, uint startSeconds = 0)
    {
        _clock = clock;
        _irq = irq;
        _trace = trace ?? MmioTrace.Off;
        StartSeconds = startSeconds;
        Reset();
    }

    /// <summary>RTCDR at reset.</summary>
    public uint StartSeconds { get; }

    private ulong Elapsed => (_clock.Now - _loadTime) / _clock.CpuHz;

    public uint Seconds => unchecked(_loaded + (uint)Elapsed);

    public void Reset()
    {
        _loaded = StartSeconds;
        _loadTime = _clock.Now;
        _match = _imsc = 0;
        _raw = false;
        Refresh();
    }

    protected override uint ReadRegister(uint offset)
    {
        switch (offset)
        {
            case 0x00: return Seconds;
            case 0x04: return _match;
            case 0x08: return Seconds;        // RTCLR reads the counter, as QEMU
            case 0x0C: return 1;
            case 0x10: return _imsc;
            case 0x14: return _raw ? 1u : 0;
            case 0x18: return _raw && _imsc != 0 ? 1u : 0;
            case 0x1C: return 0;
            case >= 0xFE0 and <= 0xFFC: return Id[(offset - 0xFE0) / 4];
            default:
                _trace.Unknown("pl031", offset, write: false);
                return 0;
        }
    }

    protected override void WriteRegister(uint offset, uint value)
    {
        switch (offset)
        {
            case 0x04: _match = value; break;
            case 0x08:
                _loaded = value;
                _loadTime = _clock.Now;
                break;
            case 0x0C: break;                  // the counter cannot be stopped (QEMU likewise)
            case 0x10: _imsc = value & 1; break;
            case 0x1C: if ((value & 1) != 0) _raw = false; break;
            case 0x00 or 0x14 or 0x18: break;
            case >= 0xFE0 and <= 0xFFC: break;
            default:
                _trace.Unknown("pl031", offset, write: true);
                break;
        }
        Refresh();
    }

    /// <summary>Schedules the match: the start of the second at which the counter equals RTCMR.</summary>
    private void Refresh()
    {
        _event?.Cancel();
        _event = null;
        _irq.Level = _raw && _imsc != 0;
        uint ahead = unchecked(_match - Seconds);
        if (ahead == 0) return;
        ulong secondStart = _loadTime + (Elapsed + ahead) * _clock.CpuHz;
        _event = _clock.Schedule(secondStart, () =>
        {
            _event = null;
            _raw = true;
            Refresh();
        });
    }
}
