using ArmEmu.Emulator.Devices;

namespace ArmEmu.Emulator.Tests.Devices;

/// <summary>SP804 dual timer: registers of DDI0271 Table 3-1 and counting against the virtual clock (200 MHz CPU, 1 MHz TIMCLK: 200 cycles a tick).</summary>
public sealed class Sp804TimerTests : IDisposable
{
    private const ulong Tick = 200;

    // TimerXControl values.
    private const uint En = 0x80, Periodic = 0x40, IntEn = 0x20, Div16 = 0x04, Div256 = 0x08, Size32 = 0x02, OneShot = 0x01;

    private readonly DeviceTestClock _time = new(200_000_000);
    private readonly RecordingController _vic = new();
    private readonly Sp804Timer _timer;

    public Sp804TimerTests()
    {
        _timer = new Sp804Timer(_time.Clock, new InterruptLine(_vic, 4));
    }

    public void Dispose() => _time.Dispose();

    private uint R(uint offset) => _timer.Read(offset, 4);

    private void W(uint offset, uint value) => _timer.Write(offset, 4, value);

    private bool Irq => _vic.Levels[4];

    private void AdvanceTicks(ulong ticks) => _time.Advance(ticks * Tick);

    [Fact]
    public void ResetValues()
    {
        foreach (uint t in new uint[] { 0x00, 0x20 })
        {
            Assert.Equal(0u, R(t + 0x00));
            Assert.Equal(0xFFFF_FFFFu, R(t + 0x04));
            Assert.Equal(0x20u, R(t + 0x08));
            Assert.Equal(0u, R(t + 0x10));
            Assert.Equal(0u, R(t + 0x14));
            Assert.Equal(0u, R(t + 0x18));
        }
        Assert.Equal(0u, R(0xF00));
        Assert.False(Irq);
        Assert.Equal(0x1000u, _timer.Size);
    }

    [Fact]
    public void PeripheralAndPrimeCellIds()
    {
        uint[] expected = [0x04, 0x18, 0x14, 0x00, 0x0D, 0xF0, 0x05, 0xB1];
        for (uint i = 0; i < 8; i++) Assert.Equal(expected[i], R(0xFE0 + 4 * i));
    }

    [Fact]
    public void ControlKeepsItsBitsButReservedBit4()
    {
        W(0x08, 0xFF);
        Assert.Equal(0xEFu, R(0x08));
        W(0x28, 0x12);
        Assert.Equal(0x02u, R(0x28));
    }

    [Fact]
    public void DisabledTimerDoesNotCount()
    {
        W(0x00, 500);
        AdvanceTicks(100);
        Assert.Equal(500u, R(0x04));
        Assert.Null(_time.Clock.NextEventTime);
    }

    [Fact]
    public void PeriodicCountsDownAndInterruptsEveryLoadPlusOneTicks()
    {
        W(0x00, 1000);
        W(0x08, En | Periodic | IntEn | Size32);
        Assert.Equal(1000u, R(0x04));
        AdvanceTicks(100);
        Assert.Equal(900u, R(0x04));
        _time.Advance(900 * Tick - 1);
        Assert.Equal(1u, R(0x04));
        Assert.False(Irq);
        _time.Advance(1);
        Assert.Equal(0u, R(0x04));
        Assert.True(Irq);
        Assert.Equal(1u, R(0x10));
        Assert.Equal(1u, R(0x14));
        AdvanceTicks(1);
        Assert.Equal(1000u, R(0x04)); // reloaded
        W(0x0C, 0);
        Assert.False(Irq);
        _time.Advance(1000 * Tick - 1);
        Assert.False(Irq);
        _time.Advance(1);
        Assert.True(Irq); // tick 2001: the second zero
    }

    [Fact]
    public void InterruptEventsAreScheduledOnlyWhileTheRawInterruptIsClear()
    {
        W(0x00, 10);
        W(0x08, En | Periodic | IntEn | Size32);
        Assert.Equal(10 * Tick, _time.Clock.NextEventTime);
        AdvanceTicks(10);
        Assert.True(Irq);
        Assert.Null(_time.Clock.NextEventTime); // RIS latched: nothing to schedule
        AdvanceTicks(1000);
        Assert.Equal(1u, R(0x10));
        W(0x0C, 1);
        Assert.NotNull(_time.Clock.NextEventTime);
    }

    [Fact]
    public void LinuxStyleHundredHertzTick()
    {
        W(0x00, 10_000); // 1 MHz / 100
        W(0x08, En | Periodic | IntEn | Size32);
        int interrupts = 0;
        ulong end = 10 * 10_001 * Tick;
        while (_time.Clock.NextEventTime is ulong next && next <= end)
        {
            _time.AdvanceTo(next);
            Assert.True(Irq);
            interrupts++;
            W(0x0C, 1); // the ISR acknowledges
        }
        Assert.Equal(10, interrupts);
    }

    [Fact]
    public void FreeRunningWrapsToMaximumAfterZero()
    {
        W(0x00, 10);
        W(0x08, En | IntEn | Size32);
        AdvanceTicks(10);
        Assert.Equal(0u, R(0x04));
        Assert.True(Irq);
        AdvanceTicks(1);
        Assert.Equal(0xFFFF_FFFFu, R(0x04));
        AdvanceTicks(5);
        Assert.Equal(0xFFFF_FFFAu, R(0x04));
        Assert.Equal(10u, R(0x00)); // Load is kept
    }

    [Fact]
    public void SixteenBitFreeRunningWrapsTo0xFFFF()
    {
        W(0x00, 0x1_0005); // only the low 16 bits count
        W(0x08, En | IntEn);
        Assert.Equal(5u, R(0x04));
        AdvanceTicks(6);
        Assert.Equal(0xFFFFu, R(0x04));
        W(0x0C, 1);
        AdvanceTicks(0xFFFF - 1);
        Assert.False(Irq);
        AdvanceTicks(1);
        Assert.True(Irq);
    }

    [Fact]
    public void OneShotStopsAtZero()
    {
        W(0x00, 50);
        W(0x08, En | OneShot | IntEn | Size32);
        AdvanceTicks(50);
        Assert.True(Irq);
        W(0x0C, 1);
        AdvanceTicks(1000);
        Assert.Equal(0u, R(0x04));
        Assert.False(Irq);
        Assert.Null(_time.Clock.NextEventTime);
        Assert.Equal(En | OneShot | IntEn | Size32, R(0x08)); // stays enabled
        W(0x00, 20); // reprogramming restarts it
        AdvanceTicks(20);
        Assert.True(Irq);
    }

    [Fact]
    public void PrescalerDividesTimClk()
    {
        W(0x00, 100);
        W(0x08, En | Periodic | Div16 | Size32);
        AdvanceTicks(16 * 10);
        Assert.Equal(90u, R(0x04));
        W(0x20, 100);
        W(0x28, En | Periodic | Div256 | Size32);
        AdvanceTicks(256 * 3 + 255);
        Assert.Equal(97u, R(0x24));
    }

    [Fact]
    public void MaskedInterruptFollowsIntEnable()
    {
        W(0x00, 5);
        W(0x08, En | Periodic | Size32);
        AdvanceTicks(5);
        Assert.Equal(1u, R(0x10));
        Assert.Equal(0u, R(0x14));
        Assert.False(Irq);
        W(0x08, En | Periodic | IntEn | Size32);
        Assert.Equal(1u, R(0x14));
        Assert.True(Irq);
    }

    [Fact]
    public void CombinedInterruptIsTheOrOfBothTimers()
    {
        W(0x00, 10);
        W(0x08, En | Periodic | IntEn | Size32);
        W(0x20, 20);
        W(0x28, En | Periodic | IntEn | Size32);
        AdvanceTicks(10);
        Assert.True(Irq);
        Assert.Equal(0u, R(0x30));
        W(0x0C, 1);
        Assert.False(Irq);
        AdvanceTicks(10);
        Assert.True(Irq);
        Assert.Equal(1u, R(0x30));
        Assert.Equal(0u, R(0x10));
        W(0x2C, 1);
        Assert.False(Irq);
    }

    [Fact]
    public void BackgroundLoadChangesOnlyTheNextReload()
    {
        W(0x00, 100);
        W(0x08, En | Periodic | IntEn | Size32);
        AdvanceTicks(50);
        W(0x18, 10);
        Assert.Equal(50u, R(0x04));
        Assert.Equal(10u, R(0x00));
        Assert.Equal(10u, R(0x18));
        AdvanceTicks(50);
        Assert.True(Irq);
        W(0x0C, 1);
        AdvanceTicks(1);
        Assert.Equal(10u, R(0x04));
        AdvanceTicks(10);
        Assert.True(Irq);
    }

    [Fact]
    public void LoadRestartsTheCount()
    {
        W(0x00, 100);
        W(0x08, En | Periodic | IntEn | Size32);
        AdvanceTicks(60);
        W(0x00, 100);
        Assert.Equal(100u, R(0x04));
        AdvanceTicks(99);
        Assert.False(Irq);
        AdvanceTicks(1);
        Assert.True(Irq);
    }

    [Fact]
    public void WritingZeroToLoadInterruptsAtOnce()
    {
        W(0x08, En | Periodic | IntEn | Size32);
        W(0x00, 0);
        Assert.True(Irq);
    }

    [Fact]
    public void DisablingFreezesTheCount()
    {
        W(0x00, 100);
        W(0x08, En | Periodic | IntEn | Size32);
        AdvanceTicks(30);
        W(0x08, Periodic | IntEn | Size32);
        AdvanceTicks(1000);
        Assert.Equal(70u, R(0x04));
        Assert.False(Irq);
        W(0x08, En | Periodic | IntEn | Size32);
        AdvanceTicks(70);
        Assert.True(Irq);
    }

    [Fact]
    public void RewritingControlDoesNotLoseTime()
    {
        W(0x00, 1000);
        W(0x08, En | Periodic | IntEn | Size32);
        for (int i = 0; i < 10; i++)
        {
            _time.Advance(Tick * 10 + 37); // partway into a tick
            W(0x08, En | Periodic | IntEn | Size32);
        }
        _time.AdvanceTo(1000 * Tick);
        Assert.True(Irq);
    }

    [Fact]
    public void ValueIsReadOnly()
    {
        W(0x04, 1234);
        Assert.Equal(0xFFFF_FFFFu, R(0x04));
    }

    [Fact]
    public void ResetStopsTheTimers()
    {
        W(0x00, 10);
        W(0x08, En | Periodic | IntEn | Size32);
        AdvanceTicks(10);
        Assert.True(Irq);
        _timer.Reset();
        Assert.False(Irq);
        Assert.Equal(0x20u, R(0x08));
        AdvanceTicks(100);
        Assert.False(Irq);
    }

    [Fact]
    public void UnknownOffsetIsTraced()
    {
        var log = new StringWriter();
        var timer = new Sp804Timer(_time.Clock, InterruptLine.Unconnected(), trace: new MmioTrace(log));
        Assert.Equal(0u, timer.Read(0x40, 4));
        Assert.Contains("sp804", log.ToString());
    }
}
