using ArmEmu.Emulator.Machine;
using ArmEmu.Memory;

namespace ArmEmu.Emulator.Devices;

/// <summary>
/// The Cortex-A9 MPCore private timer and watchdog (Cortex-A9 MPCore TRM DDI 0407, 4.1 and
/// 4.2) of one CPU, at PERIPHBASE + 0x600: two 32-bit down counters, the timer at +0x00 and
/// the watchdog at +0x20, each with Load (+0x0), Counter (+0x4), Control (+0x8) and Interrupt
/// Status (+0xC), clocked by PERIPHCLK divided by Control[15:8] + 1. On reaching zero a counter
/// sets its event flag and, with auto-reload (Control bit 1), reloads from Load on the next
/// tick (a period of Load + 1 ticks); otherwise it stays at zero. The flag, while Control bit
/// 2 allows, drives the counter's private interrupt (PPI 29 for the timer, 30 for the
/// watchdog); writing 1 to Interrupt Status clears it. Writing Load also writes Counter.
///
/// PERIPHCLK is 100 MHz, the rate QEMU 7.2's arm_mptimer counts at (10 ns per prescaled tick),
/// on the machine's virtual clock.
///
/// Departures from QEMU: none in the timer. As in QEMU, the watchdog is only a second timer:
/// watchdog mode (Control bit 3), the reset status and the disable register are not modelled
/// (reads 0, writes ignored).
/// </summary>
internal sealed class A9PrivateTimer : WordRegisterDevice
{
    /// <summary>PERIPHCLK as QEMU's arm_mptimer has it: 100 MHz.</summary>
    public const ulong PeriphClockHz = 100_000_000;

    private readonly Block[] _blocks;
    private readonly MmioTrace _trace;

    /// <param name="clock">The machine's virtual clock.</param>
    /// <param name="timerIrq">PPI 29.</param>
    /// <param name="watchdogIrq">PPI 30.</param>
    /// <param name="trace">Where accesses to unimplemented registers are reported (--trace-mmio), or null.</param>
    public A9PrivateTimer(VirtualClock clock, InterruptLine timerIrq, InterruptLine watchdogIrq, MmioTrace? trace = null)
    {
        _trace = trace ?? MmioTrace.Off;
        _blocks = [new Block(clock, timerIrq), new Block(clock, watchdogIrq)];
    }

    public override uint Size => 0x100;

    public void Reset()
    {
        foreach (var b in _blocks) b.Reset();
    }

    protected override uint ReadRegister(uint offset)
    {
        if (offset < 0x40 && (offset & 0x1F) < 0x10)
        {
            var b = _blocks[offset >> 5];
            return (offset & 0xF) switch
            {
                0x0 => b.Load,
                0x4 => b.Counter,
                0x8 => b.Control,
                _ => b.EventFlag ? 1u : 0,
            };
        }
        _trace.Unknown("a9-private-timer", offset, write: false);
        return 0;
    }

    protected override void WriteRegister(uint offset, uint value)
    {
        if (offset < 0x40 && (offset & 0x1F) < 0x10)
        {
            var b = _blocks[offset >> 5];
            switch (offset & 0xF)
            {
                case 0x0: b.WriteLoad(value); break;
                case 0x4: b.WriteCounter(value); break;
                case 0x8: b.WriteControl(value); break;
                default: if ((value & 1) != 0) b.ClearEvent(); break;
            }
            return;
        }
        _trace.Unknown("a9-private-timer", offset, write: true);
    }

    /// <summary>One counter, computed from the virtual clock when read; a clock event only for the next zero.</summary>
    private sealed class Block(VirtualClock clock, InterruptLine irq)
    {
        private const uint Enable = 1, AutoReload = 2, InterruptEnable = 4;

        private uint _counter;      // at _baseTime while enabled, now while disabled
        private ulong _baseTime;
        private ScheduledEvent? _event;

        public uint Load { get; private set; }

        public uint Control { get; private set; }

        public bool EventFlag { get; private set; }

        private bool Enabled => (Control & Enable) != 0;

        private ulong Divider => ((Control >> 8) & 0xFF) + 1;

        public uint Counter => Enabled ? ValueAt(Ticks()) : _counter;

        public void Reset()
        {
            _event?.Cancel();
            _event = null;
            _counter = Load = Control = 0;
            EventFlag = false;
            irq.Level = false;
        }

        private ulong Ticks() => (ulong)((UInt128)(clock.Now - _baseTime) * PeriphClockHz / ((UInt128)clock.CpuHz * Divider));

        private ulong TimeOfTick(ulong tick) => _baseTime + clock.CyclesFor(tick * Divider, PeriphClockHz);

        private uint ValueAt(ulong tick)
        {
            if (tick <= _counter) return (uint)(_counter - tick);
            if ((Control & AutoReload) == 0) return 0;
            ulong period = (ulong)Load + 1;
            return (uint)(Load - (tick - _counter - 1) % period);
        }

        /// <summary>Folds the elapsed ticks into the base, latching the event flag if zero was reached.</summary>
        private void Rebase()
        {
            if (!Enabled) return;
            ulong tick = Ticks();
            if (ReachedZero(tick)) EventFlag = true;
            _counter = ValueAt(tick);
            _baseTime = TimeOfTick(tick);
        }

        /// <summary>Whether the counter reaches zero within <paramref name="tick"/> ticks of the base (again, if it is at zero now).</summary>
        private bool ReachedZero(ulong tick) => _counter != 0 ? tick >= _counter : (Control & AutoReload) != 0 && tick >= (ulong)Load + 1;

        public void WriteLoad(uint value)
        {
            Rebase();
            Load = value;
            _counter = value;
            _baseTime = clock.Now;
            Refresh();
        }

        public void WriteCounter(uint value)
        {
            Rebase();
            _counter = value;
            _baseTime = clock.Now;
            Refresh();
        }

        public void WriteControl(uint value)
        {
            bool was = Enabled;
            Rebase();
            Control = value & 0xFF07;
            if (Enabled && !was) _baseTime = clock.Now;
            Refresh();
        }

        public void ClearEvent()
        {
            Rebase();
            EventFlag = false;
            Refresh();
        }

        /// <summary>Schedules the next time the counter reaches zero, and drives the interrupt.</summary>
        private void Refresh()
        {
            _event?.Cancel();
            _event = null;
            if (Enabled)
            {
                ulong? next = _counter != 0 ? _counter : (Control & AutoReload) != 0 ? (ulong)Load + 1 : null;
                if (next is ulong tick) _event = clock.Schedule(TimeOfTick(tick), OnZero);
            }
            irq.Level = EventFlag && (Control & InterruptEnable) != 0;
        }

        private void OnZero()
        {
            _event = null;
            Rebase();
            EventFlag = true;
            Refresh();
        }
    }
}
