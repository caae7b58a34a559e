using ArmEmu.Emulator.Devices;
using ArmEmu.Memory;

namespace ArmEmu.Emulator.Tests.Devices;

/// <summary>
/// The vexpress-a9 devices other than the GIC and the private timer: the global timer, the
/// SCU, the PL031, the V2M-P1 system registers and the PL111 form of the CLCD, on a 200 MHz
/// virtual clock (PERIPHCLK 100 MHz: 2 cycles a tick).
/// </summary>
public sealed class VexpressDeviceTests : IDisposable
{
    private readonly DeviceTestClock _time = new(200_000_000);
    private readonly RecordingController _gic = new();

    public void Dispose() => _time.Dispose();

    [Fact]
    public void GlobalTimerComparatorWithAutoIncrement()
    {
        var gt = new A9GlobalTimer(_time.Clock, new InterruptLine(_gic, 11));
        gt.Write(0x00, 4, 100);                       // writable while disabled
        Assert.Equal(100u, gt.Read(0x00, 4));
        gt.Write(0x10, 4, 150);
        gt.Write(0x18, 4, 40);
        gt.Write(0x08, 4, 1 | 2 | 4 | 8);
        gt.Write(0x00, 4, 0);                         // ignored while it counts (TRM 4.4.1)
        _time.Advance(2 * 49);
        Assert.Equal(149u, gt.Read(0x00, 4));
        Assert.False(_gic.Levels[11]);
        _time.Advance(2);
        Assert.True(_gic.Levels[11]);
        Assert.Equal(190u, gt.Read(0x10, 4));         // moved on by the increment
        gt.Write(0x0C, 4, 1);
        Assert.False(_gic.Levels[11]);
        _time.Advance(2 * 40);
        Assert.True(_gic.Levels[11]);
        Assert.Equal(230u, gt.Read(0x10, 4));
        gt.Write(0x08, 4, 0);                         // stops counting
        uint stopped = gt.Read(0x00, 4);
        _time.Advance(1000);
        Assert.Equal(stopped, gt.Read(0x00, 4));
        Assert.Equal(0u, gt.Read(0x04, 4));
    }

    [Fact]
    public void GlobalTimerPrescaler()
    {
        var gt = new A9GlobalTimer(_time.Clock, InterruptLine.Unconnected());
        gt.Write(0x08, 4, 1 | (9u << 8));             // a tick every 10 PERIPHCLK cycles: 20 CPU cycles
        _time.Advance(20 * 7 + 19);
        Assert.Equal(7u, gt.Read(0x00, 4));
    }

    [Fact]
    public void ScuRegisters()
    {
        var scu = new A9Scu();
        Assert.Equal(0x10u, scu.Read(0x04, 4));
        scu.Write(0x00, 4, 0xFFFF_FFFF);
        Assert.Equal(1u, scu.Read(0x00, 4));
        scu.Write(0x08, 4, 0x0303);
        Assert.Equal(0x0303u, scu.Read(0x08, 4));
        Assert.Equal(0x100u, scu.Size);
    }

    [Fact]
    public void RtcCountsSecondsOfMachineTimeAndRaisesTheMatch()
    {
        var rtc = new Pl031Rtc(_time.Clock, new InterruptLine(_gic, 4), startSeconds: 50);
        Assert.Equal(50u, rtc.Read(0x00, 4));
        Assert.Equal(1u, rtc.Read(0x0C, 4));
        Assert.Equal(0x31u, rtc.Read(0xFE0, 4));
        _time.Advance(200_000_000 * 2 + 1);
        Assert.Equal(52u, rtc.Read(0x00, 4));
        rtc.Write(0x08, 4, 1000);                     // RTCLR loads the counter
        Assert.Equal(1000u, rtc.Read(0x00, 4));
        rtc.Write(0x04, 4, 1003);
        rtc.Write(0x10, 4, 1);
        _time.Advance(200_000_000 * 3 - 10);
        Assert.Equal(0u, rtc.Read(0x14, 4));
        _time.Advance(10);
        Assert.Equal(1u, rtc.Read(0x14, 4));
        Assert.Equal(1u, rtc.Read(0x18, 4));
        Assert.True(_gic.Levels[4]);
        rtc.Write(0x1C, 4, 1);
        Assert.False(_gic.Levels[4]);
    }

    [Fact]
    public void SystemRegistersAndTheConfigurationInterface()
    {
        var sys = new VexpressSystemRegisters(_time.Clock);
        Assert.Equal(0x1190_F500u, sys.Read(0x00, 4));
        Assert.Equal(0x0C00_0191u, sys.Read(0x84, 4));
        sys.Write(0xA4, 4, 1u << 31 | 1u << 20 | 1u << 16 | 2); // read daughterboard OSC2
        Assert.Equal(1u, sys.Read(0xA8, 4));
        Assert.Equal(66_670_000u, sys.Read(0xA0, 4));
        sys.Write(0xA4, 4, 1u << 31 | 2u << 20 | 1u << 16 | 3); // VOLT3
        Assert.Equal(1_800_000u, sys.Read(0xA0, 4));
        sys.Write(0xA4, 4, 1u << 31 | 1u << 20 | 0u << 16 | 0); // a motherboard oscillator: error
        Assert.Equal(2u, sys.Read(0xA8, 4));
        bool shutdown = false;
        sys.ShutdownRequested += () => shutdown = true;
        sys.Write(0xA4, 4, 1u << 31 | 1u << 30 | 8u << 20);
        Assert.True(shutdown);
        _time.Advance(2_000_000);                     // 10 ms: SYS_100HZ 1, SYS_24MHZ 240000
        Assert.Equal(1u, sys.Read(0x24, 4));
        Assert.Equal(240_000u, sys.Read(0x5C, 4));
    }

    [Fact]
    public void Pl111SixteenBitFormatsComeFromItsOwnBppField()
    {
        var bus = new PhysicalBus();
        try
        {
            bus.AddRam(0, 0x10000);
            var clcd = new Pl110Clcd(bus, _time.Clock, InterruptLine.Unconnected()) { IsPl111 = true };
            Assert.Equal(0x11u, clcd.Read(0xFE0, 4));
            Assert.Equal(0x24u, clcd.Read(0xFE8, 4));
            clcd.Write(0x00, 4, 0);                   // 16 pixels a line
            clcd.Write(0x04, 4, 0);                   // one line
            clcd.Write(0x10, 4, 0x1000);
            bus.WriteRam(0x1000, [0x1F, 0xF8, 0x0F, 0x0F]); // pixel 0: 0xF81F, pixel 1: 0x0F0F
            clcd.Write(0x18, 4, 1 | 6u << 1 | 1u << 5 | 1u << 11); // 5:6:5
            var frame = clcd.Render();
            Assert.Equal(new byte[] { 0xF8, 0x00, 0xF8 }, frame.Rgb[..3]);  // red 11111, green 0, blue 11111
            clcd.Write(0x18, 4, 1 | 7u << 1 | 1u << 5 | 1u << 11); // 4:4:4
            frame = clcd.Render();
            Assert.Equal(new byte[] { 0xF0, 0x00, 0xF0 }, frame.Rgb[3..6]);  // 0x0F0F: red F, green 0, blue F
        }
        finally
        {
            bus.Dispose();
        }
    }
}
