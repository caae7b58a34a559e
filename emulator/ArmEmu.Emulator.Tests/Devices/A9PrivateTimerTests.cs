using ArmEmu.Emulator.Devices;

namespace ArmEmu.Emulator.Tests.Devices;

/// <summary>The A9 MPCore private timer and watchdog (A9 MPCore TRM 4.1, 4.2) at 100 MHz on a 200 MHz virtual clock: 2 cycles a tick.</summary>
public sealed class A9PrivateTimerTests : IDisposable
{
    private readonly DeviceTestClock _time = new(200_000_000);
    private readonly RecordingController _gic = new();
    private readonly A9PrivateTimer _timer;

    public A9PrivateTimerTests() => _timer = new A9PrivateTimer(_time.Clock, new InterruptLine(_gic, 29 - 16), new InterruptLine(_gic, 30 - 16));

    public void Dispose() => _time.Dispose();

    private uint R(uint offset) => _timer.Read(offset, 4);
    private void W(uint offset, uint value) => _timer.Write(offset, 4, value);
    private void Ticks(ulong ticks) => _time.Advance(ticks * 2);

    [Fact]
    public void OneShotCountsDownToZeroAndStays()
    {
        W(0x00, 100);
        Assert.Equal(100u, R(0x04));                  // Load also writes Counter
        W(0x08, 1 | 4);                               // enable, interrupt, no auto-reload
        Ticks(40);
        Assert.Equal(60u, R(0x04));
        Assert.False(_gic.Levels[13]);
        Ticks(60);
        Assert.Equal(0u, R(0x04));
        Assert.Equal(1u, R(0x0C));
        Assert.True(_gic.Levels[13]);
        Ticks(1000);
        Assert.Equal(0u, R(0x04));
        W(0x0C, 1);                                   // write 1 to clear the event flag
        Assert.Equal(0u, R(0x0C));
        Assert.False(_gic.Levels[13]);
    }

    [Fact]
    public void AutoReloadPeriodIsLoadPlusOneTicksAndThePrescalerDivides()
    {
        W(0x00, 9);
        W(0x08, 1 | 2 | 4 | (4u << 8));               // prescaler 4: a tick every 5 PERIPHCLK cycles (10 CPU cycles)
        _time.Advance(9 * 10);
        Assert.Equal(0u, R(0x04));
        Assert.Equal(1u, R(0x0C));
        W(0x0C, 1);
        _time.Advance(10);
        Assert.Equal(9u, R(0x04));                    // reloaded on the next tick
        _time.Advance(9 * 10);
        Assert.Equal(1u, R(0x0C));                    // the second zero: 10 ticks after the first
    }

    [Fact]
    public void InterruptOnlyWhileEnabledInControl()
    {
        W(0x20, 5);                                   // the watchdog block, in timer mode
        W(0x28, 1);
        Ticks(5);
        Assert.Equal(1u, R(0x2C));
        Assert.False(_gic.Levels[14]);
        W(0x28, 1 | 4);
        Assert.True(_gic.Levels[14]);
        Assert.False(_gic.Levels[13]);
    }
}
