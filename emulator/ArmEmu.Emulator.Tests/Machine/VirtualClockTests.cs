using ArmEmu.Cpu;
using ArmEmu.Emulator.Machine;
using ArmEmu.Memory;

namespace ArmEmu.Emulator.Tests.Machine;

/// <summary>Time derived from executed instructions; events cut CPU runs short and fire in order.</summary>
public class VirtualClockTests : IDisposable
{
    private readonly PhysicalBus _bus = new();
    private readonly MemoryPort _port;
    private readonly Cpu.Cpu _cpu;
    private readonly VirtualClock _clock;

    public VirtualClockTests()
    {
        _bus.AddRam(0, 0x1000); // all zeros: ANDEQ r0, r0, r0, a NOP that loops through the page
        var flat = new FlatTranslation();
        flat.Map(0, 0x1000, Permission.All);
        _port = new MemoryPort(_bus, flat);
        _cpu = new Cpu.Cpu(CpuModel.Arm926, _port);
        _clock = new VirtualClock(_cpu, 200_000_000);
    }

    public void Dispose()
    {
        _port.Dispose();
        _bus.Dispose();
    }

    [Fact]
    public void TimeIsInstructionsExecuted()
    {
        _cpu.Run(100);
        Assert.Equal(100ul, _clock.Now);
    }

    [Fact]
    public void SchedulingDuringARunShortensIt()
    {
        bool fired = false;
        _cpu.InstructionHook = (_, _, _) =>
        {
            if (_clock.Now == 10) _clock.Schedule(25, () => fired = true);
        };
        _cpu.Run(1000);
        Assert.Equal(25ul, _clock.Now);
        Assert.False(fired);
        _clock.RunDue();
        Assert.True(fired);
    }

    [Fact]
    public void EventsRunInTimeOrderThenInSchedulingOrder()
    {
        var order = new List<string>();
        _clock.Schedule(5, () => order.Add("b"));
        _clock.Schedule(3, () => order.Add("a"));
        _clock.Schedule(5, () => order.Add("c"));
        _cpu.Run(10);
        _clock.RunDue();
        Assert.Equal(["a", "b", "c"], order);
    }

    [Fact]
    public void CancelledEventsDoNotRun()
    {
        bool fired = false;
        _clock.Schedule(1, () => fired = true).Cancel();
        _cpu.Run(5);
        _clock.RunDue();
        Assert.False(fired);
        Assert.Null(_clock.NextEventTime);
    }

    [Fact]
    public void SkippingToTheNextEventAddsIdleTime()
    {
        bool fired = false;
        _clock.Schedule(1_000_000, () => fired = true);
        Assert.True(_clock.SkipToNextEvent());
        Assert.True(fired);
        Assert.Equal(1_000_000ul, _clock.Now);
        Assert.Equal(0ul, _cpu.InstructionsExecuted);
        Assert.False(_clock.SkipToNextEvent());
    }

    [Theory]
    [InlineData(1ul, 1_000_000ul, 200ul)]       // 1 µs at 200 MHz
    [InlineData(3ul, 24_000_000ul, 25ul)]       // 3 ticks of 24 MHz = 25 cycles (rounded up)
    public void TicksConvertToCyclesRoundingUp(ulong ticks, ulong hz, ulong cycles) =>
        Assert.Equal(cycles, _clock.CyclesFor(ticks, hz));

    [Fact]
    public void ARescheduledEventRunsAgainAtItsNewTimeAndCutsTheRunThere()
    {
        int runs = 0;
        ScheduledEvent? e = null;
        e = _clock.Schedule(100, () =>
        {
            runs++;
            if (runs == 1) _clock.Reschedule(e!, 250); // from its own action, as the write buffer's wake does
        });
        Assert.False(e.Done);
        SliceLoop.RunSlice(_cpu, _clock, 1_000, out long first);
        Assert.Equal(100, first);
        Assert.Equal(1, runs);
        Assert.False(e.Done);                        // queued again
        SliceLoop.RunSlice(_cpu, _clock, 1_000, out long second);
        Assert.Equal(150, second);
        Assert.Equal(2, runs);
        Assert.True(e.Done);
        _clock.Reschedule(e, 400);
        SliceLoop.RunSlice(_cpu, _clock, 1_000, out long third);
        Assert.Equal(150, third);
        Assert.Equal(3, runs);
    }
}
