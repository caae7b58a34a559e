using ArmEmu.Emulator.Machine;

namespace ArmEmu.Emulator.Devices;

/// <summary>
/// The Cortex-A9 MPCore global timer (A9 MPCore TRM DDI 0407, 4.3) at PERIPHBASE + 0x200: a
/// 64-bit up-counter clocked by PERIPHCLK divided by Control[15:8] + 1, with a 64-bit
/// comparator per CPU. Registers: Counter low/high (0x00/0x04), Control (0x08: timer enable,
/// comparator enable, IRQ enable, auto-increment, prescaler), Interrupt Status (0x0C, the event
/// flag, write 1 to clear), Comparator low/high (0x10/0x14), Auto-increment (0x18).
/// When the comparator is enabled and the counter reaches it, the event flag is set (and
/// drives PPI 27 while IRQ enable is set); with auto-increment the comparator then moves on by
/// the increment. The counter may be written only while the timer is disabled (TRM 4.4.1).
///
/// PERIPHCLK is 100 MHz (as QEMU's a9gtimer and arm_mptimer count), on the virtual clock.
///
/// Departures from QEMU 7.2: QEMU's counter runs on host time from power-on whatever the
/// enable bit says, and its Control keeps every bit written; here the counter counts only
/// while enabled (the TRM), from 0 at reset, and the reserved Control bits read as zero.
/// </summary>
internal sealed class A9GlobalTimer : WordRegisterDevice
{
    private const uint Enable = 1, CompareEnable = 2, IrqEnable = 4, AutoIncrement = 8;

    private readonly VirtualClock _clock;
    private readonly InterruptLine _irq;
    private readonly MmioTrace _trace;
    private ulong _counter;     // at _baseTime while enabled
    private ulong _baseTime;
    private ulong _comparator;
    private uint _control, _increment;
    private bool _event;
    private ScheduledEvent? _scheduled;

    public A9GlobalTimer(VirtualClock clock, InterruptLine irq, MmioTrace? trace = null)
    {
        _clock = clock;
        _irq = irq;
        _trace = trace ?? MmioTrace.Off;
    }

    public override uint Size => 0x20;

    private ulong Divider => ((_control >> 8) & 0xFF) + 1;

    private bool Enabled => (_control & Enable) != 0;

    /// <summary>The counter now.</summary>
    public ulong Counter => Enabled
        ? _counter + (ulong)((UInt128)(_clock.Now - _baseTime) * A9PrivateTimer.PeriphClockHz / ((UInt128)_clock.CpuHz * Divider))
        : _counter;

    public void Reset()
    {
        _scheduled?.Cancel();
        _scheduled = null;
        _counter = _comparator = 0;
        _control = _increment = 0;
        _event = false;
        _irq.Level = false;
    }

    protected override uint ReadRegister(uint offset)
    {
        Catch();
        switch (offset)
        {
            case 0x00: return (uint)Counter;
            case 0x04: return (uint)(Counter >> 32);
            case 0x08: return _control;
            case 0x0C: return _event ? 1u : 0;
            case 0x10: return (uint)_comparator;
            case 0x14: return (uint)(_comparator >> 32);
            case 0x18: return _increment;
            default:
                _trace.Unknown("a9-global-timer", offset, write: false);
                return 0;
        }
    }

    protected override void WriteRegister(uint offset, uint value)
    {
        Catch();
        switch (offset)
        {
            case 0x00 when !Enabled: _counter = (_counter & ~0xFFFF_FFFFUL) | value; break;
            case 0x04 when !Enabled: _counter = (_counter & 0xFFFF_FFFFUL) | (ulong)value << 32; break;
            case 0x00 or 0x04: break;          // ignored while the timer runs (TRM 4.4.1)
            case 0x08:
                ulong now = Counter;
                _control = value & 0xFF0F;
                _counter = now;
                _baseTime = _clock.Now;
                break;
            case 0x0C: if ((value & 1) != 0) _event = false; break;
            case 0x10: _comparator = (_comparator & ~0xFFFF_FFFFUL) | value; break;
            case 0x14: _comparator = (_comparator & 0xFFFF_FFFFUL) | (ulong)value << 32; break;
            case 0x18: _increment = value; break;
            default:
                _trace.Unknown("a9-global-timer", offset, write: true);
                break;
        }
        Refresh();
    }

    /// <summary>Latches every comparator match up to now (moving an auto-incrementing comparator past it).</summary>
    private void Catch()
    {
        if (!Enabled || (_control & CompareEnable) == 0) return;
        ulong now = Counter;
        if (now < _comparator) return;
        _event = true;
        if ((_control & AutoIncrement) != 0 && _increment != 0)
            _comparator += ((now - _comparator) / _increment + 1) * _increment;
    }

    private void Refresh()
    {
        _scheduled?.Cancel();
        _scheduled = null;
        _irq.Level = _event && (_control & IrqEnable) != 0;
        if (!Enabled || (_control & CompareEnable) == 0) return;
        ulong now = Counter;
        if (now >= _comparator) return; // already latched; with no auto-increment nothing more comes
        ulong ticks = _comparator - now;
        ulong at = _clock.Now + _clock.CyclesFor(ticks * Divider, A9PrivateTimer.PeriphClockHz);
        _scheduled = _clock.Schedule(at, () => { _scheduled = null; Catch(); Refresh(); });
    }
}
