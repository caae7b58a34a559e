using ArmEmu.Emulator.Machine;
using ArmEmu.Memory;

namespace ArmEmu.Emulator.Devices;

/// <summary>
/// ARM SP804 dual-input timer module (ARM DDI0271, "ARM Dual-Timer Module (SP804) Technical
/// Reference Manual"): two 32/16-bit down counters clocked by TIMCLK through a 1/16/256
/// prescaler, each in free-running, periodic or one-shot mode, with one combined interrupt
/// output (TIMINTC) that the Versatile PB wires to VIC input 4 (0x101e2000) or 5 (0x101e3000).
/// </summary>
/// <remarks>
/// Time is the machine's <see cref="VirtualClock"/>: a counter's value is computed from the
/// clock when read, and a clock event is scheduled only for the next time the counter
/// reaches zero while its raw interrupt is clear (never per tick).
///
/// Counter behaviour (DDI0271 2.2 "Functional overview", 3.2 register descriptions):
/// - Writing TimerXLoad loads the counter at once; writing TimerXBGLoad only changes the
///   reload value. Both read back the reload value.
/// - On reaching zero the raw interrupt (TimerXRIS) is set; on the next tick a free-running
///   counter wraps to 0xFFFFFFFF (0xFFFF in 16-bit mode), a periodic one reloads TimerXLoad
///   (so the period is Load + 1 ticks), and a one-shot one stays at zero until reloaded or
///   switched to a wrapping mode.
/// - Writing 0 to TimerXLoad raises the interrupt immediately (when the timer is enabled).
/// - TimerPre = 0b11 is undefined; it is taken as divide by 1, as QEMU does.
///
/// Departures from QEMU's hw/timer/arm_timer.c, following the TRM: QEMU's periodic period is
/// Load ticks (not Load + 1); QEMU restarts a free-running counter from 0xFFFFFFFF instead of
/// the loaded value; QEMU ignores 16-bit mode for periodic and one-shot counters; QEMU's
/// time is the host's unless -icount is given.
/// </remarks>
internal sealed class Sp804Timer : WordRegisterDevice
{
    // Register offsets, DDI0271 Table 3-1 (timer 2 at +0x20).
    private const uint TimerLoad = 0x00;
    private const uint TimerValue = 0x04;
    private const uint TimerControl = 0x08;
    private const uint TimerIntClr = 0x0C;
    private const uint TimerRIS = 0x10;
    private const uint TimerMIS = 0x14;
    private const uint TimerBGLoad = 0x18;
    private const uint TimerITCR = 0xF00;
    private const uint TimerITOP = 0xF04;
    private const uint TimerPeriphID0 = 0xFE0; // ..TimerPCellID3 at 0xFFC

    // TimerPeriphID0-3 then TimerPCellID0-3 (3.3.5-3.3.12).
    private static readonly byte[] Id = [0x04, 0x18, 0x14, 0x00, 0x0D, 0xF0, 0x05, 0xB1];

    /// <summary>TIMCLK on the Versatile PB with the system controller's default selection (and in QEMU): 1 MHz.</summary>
    public const ulong VersatileTimClkHz = 1_000_000;

    private readonly InterruptLine _irq;
    private readonly MmioTrace _trace;
    private readonly Counter[] _timers;
    private uint _itcr;

    /// <param name="clock">The machine's virtual clock.</param>
    /// <param name="irq">The combined interrupt TIMINTC (VIC input 4 or 5 on the Versatile PB).</param>
    /// <param name="timClkHz">TIMCLK, for both timers.</param>
    /// <param name="trace">Reports accesses to unimplemented offsets.</param>
    public Sp804Timer(VirtualClock clock, InterruptLine irq, ulong timClkHz = VersatileTimClkHz, MmioTrace? trace = null)
    {
        if (timClkHz == 0) throw new ArgumentOutOfRangeException(nameof(timClkHz), "TIMCLK must be above 0 Hz");
        _irq = irq;
        _trace = trace ?? MmioTrace.Off;
        _timers = [new Counter(this, clock, timClkHz), new Counter(this, clock, timClkHz)];
    }


    /// <summary>Back to the reset state of Table 3-1 (Load 0, Value 0xFFFFFFFF, Control 0x20, no interrupt).</summary>
    public void Reset()
    {
        foreach (var t in _timers) t.Reset();
        _itcr = 0;
        UpdateInterrupt();
    }

    private void UpdateInterrupt() => _irq.Level = _timers[0].MaskedInterrupt || _timers[1].MaskedInterrupt;

    protected override uint ReadRegister(uint offset)
    {
        if (offset < 0x40 && (offset & 0x1F) <= TimerBGLoad)
        {
            var t = _timers[offset >> 5];
            t.Sync();
            UpdateInterrupt();
            switch (offset & 0x1F)
            {
                case TimerLoad or TimerBGLoad: return t.Load;
                case TimerValue: return t.CurrentValue;
                case TimerControl: return t.Control;
                case TimerRIS: return t.RawInterrupt ? 1u : 0u;
                case TimerMIS: return t.MaskedInterrupt ? 1u : 0u;
                case TimerIntClr: return 0; // write-only
            }
        }
        switch (offset)
        {
            case TimerITCR: return _itcr;
            case TimerITOP: return 0; // write-only
            case >= TimerPeriphID0 and <= 0xFFC: return Id[(offset - TimerPeriphID0) / 4];
            default:
                _trace.Unknown("sp804", offset, write: false);
                return 0;
        }
    }

    protected override void WriteRegister(uint offset, uint value)
    {
        if (offset < 0x40 && (offset & 0x1F) <= TimerBGLoad)
        {
            var t = _timers[offset >> 5];
            switch (offset & 0x1F)
            {
                case TimerLoad: t.WriteLoad(value); break;
                case TimerBGLoad: t.WriteBackgroundLoad(value); break;
                case TimerControl: t.WriteControl(value); break;
                case TimerIntClr: t.ClearInterrupt(); break;
                // TimerValue, TimerRIS, TimerMIS are read-only (Linux writes TimerValue).
            }
            UpdateInterrupt();
            return;
        }
        switch (offset)
        {
            case TimerITCR: _itcr = value & 1; break; // test mode is not modelled
            case TimerITOP: break;
            case >= TimerPeriphID0 and <= 0xFFC: break;
            default:
                _trace.Unknown("sp804", offset, write: true);
                break;
        }
    }

    /// <summary>One of the two counters (Timer1 at 0x00, Timer2 at 0x20).</summary>
    private sealed class Counter(Sp804Timer owner, VirtualClock clock, ulong timClkHz)
    {
        // TimerXControl bits (DDI0271 3.2.3).
        private const uint OneShot = 1u << 0;
        private const uint TimerSize32 = 1u << 1;
        private const uint TimerPreShift = 2;
        private const uint IntEnable = 1u << 5;
        private const uint Periodic = 1u << 6;
        private const uint TimerEn = 1u << 7;
        private const uint ControlMask = 0xEF; // bit 4 is reserved
        private const ulong NoZero = ulong.MaxValue;

        private uint _value = 0xFFFF_FFFF; // the counter at _baseTime (while enabled), or now (while disabled)
        private ulong _baseTime;           // a tick boundary: ticks are counted from here
        private ulong _nextZero = NoZero;  // the next tick (from _baseTime) at which the counter reaches zero and RIS is not yet set for it
        private bool _zeroOnEnable;        // Load was written with 0 while disabled
        private ScheduledEvent? _event;

        public uint Load { get; private set; }

        public uint Control { get; private set; } = IntEnable;

        public bool RawInterrupt { get; private set; }

        public bool MaskedInterrupt => RawInterrupt && (Control & IntEnable) != 0;

        private bool Enabled => (Control & TimerEn) != 0;

        private uint Mask => (Control & TimerSize32) != 0 ? 0xFFFF_FFFFu : 0xFFFFu;

        private ulong Prescale => ((Control >> (int)TimerPreShift) & 3) switch { 1 => 16, 2 => 256, _ => 1 };

        public uint CurrentValue => Enabled ? ValueAtTick(TicksSinceBase()) : _value;

        public void Reset()
        {
            _event?.Cancel();
            _event = null;
            _value = 0xFFFF_FFFF;
            _nextZero = NoZero;
            _zeroOnEnable = false;
            Load = 0;
            Control = IntEnable;
            RawInterrupt = false;
        }

        private ulong TicksSinceBase() =>
            (ulong)((UInt128)(clock.Now - _baseTime) * timClkHz / ((UInt128)clock.CpuHz * Prescale));

        private ulong TimeOfTick(ulong tick) => _baseTime + clock.CyclesFor(tick * Prescale, timClkHz);

        /// <summary>The counter <paramref name="tick"/> ticks after <see cref="_baseTime"/>.</summary>
        private uint ValueAtTick(ulong tick)
        {
            if (tick <= _value) return (uint)(_value - tick);
            if ((Control & OneShot) != 0) return 0;
            if ((Control & Periodic) != 0)
            {
                ulong reload = Load & Mask;
                return (uint)(reload - (tick - _value - 1) % (reload + 1));
            }
            return (uint)((_value - tick) & Mask); // free-running: wraps past zero to the maximum
        }

        /// <summary>The first tick after <paramref name="tick"/> at which the counter is zero.</summary>
        private ulong ZeroAfter(ulong tick)
        {
            if (tick < _value) return _value;
            if ((Control & OneShot) != 0) return NoZero;
            ulong period = (Control & Periodic) != 0 ? (ulong)(Load & Mask) + 1 : (ulong)Mask + 1;
            return _value + ((tick - _value) / period + 1) * period;
        }

        /// <summary>Latches the raw interrupt if the counter has reached zero since the last look.</summary>
        public void Sync()
        {
            if (!Enabled || _nextZero == NoZero) return;
            ulong now = TicksSinceBase();
            if (now < _nextZero) return;
            RawInterrupt = true;
            _nextZero = ZeroAfter(now);
        }

        /// <summary>Moves the base to the current tick (so the counting parameters may change from here on).</summary>
        private void Rebase()
        {
            if (!Enabled) return;
            ulong tick = TicksSinceBase();
            uint value = ValueAtTick(tick);
            _baseTime = TimeOfTick(tick);
            _value = value;
        }

        public void WriteLoad(uint value)
        {
            Sync();
            Load = value;
            _value = value & Mask;
            _baseTime = clock.Now;
            // The counter is at the loaded value now; it reaches zero _value ticks later (at once for 0).
            if (Enabled) _nextZero = _value;
            else _zeroOnEnable = _value == 0;
            Refresh();
        }

        public void WriteBackgroundLoad(uint value)
        {
            Sync();
            Rebase();
            Load = value;
            if (Enabled) _nextZero = ZeroAfter(0);
            Refresh();
        }

        public void WriteControl(uint value)
        {
            Sync();
            bool wasEnabled = Enabled;
            Rebase();
            Control = value & ControlMask;
            if (!Enabled)
            {
                _nextZero = NoZero;
            }
            else
            {
                _value &= Mask;
                if (!wasEnabled) _baseTime = clock.Now;
                _nextZero = _zeroOnEnable ? 0 : ZeroAfter(0);
                _zeroOnEnable = false;
            }
            Refresh();
        }

        public void ClearInterrupt()
        {
            Sync();
            RawInterrupt = false;
            Refresh();
        }

        /// <summary>Latches what is due and schedules the next zero if it would set the raw interrupt.</summary>
        private void Refresh()
        {
            Sync();
            _event?.Cancel();
            _event = null;
            if (Enabled && !RawInterrupt && _nextZero != NoZero)
                _event = clock.Schedule(TimeOfTick(_nextZero), OnZero);
        }

        private void OnZero()
        {
            _event = null;
            Refresh();
            owner.UpdateInterrupt();
        }
    }
}
