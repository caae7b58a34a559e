using ArmEmu.Emulator.Devices;

namespace ArmEmu.Emulator.Tests.Devices;

/// <summary>Versatile PB status and system control registers at 0x10000000.</summary>
public sealed class VersatileSystemRegistersTests : IDisposable
{
    private readonly DeviceTestClock _time = new(200_000_000);
    private readonly VersatileSystemRegisters _sys;

    public VersatileSystemRegistersTests()
    {
        _sys = new VersatileSystemRegisters(_time.Clock);
    }

    public void Dispose() => _time.Dispose();

    private uint R(uint offset) => _sys.Read(offset, 4);

    private void W(uint offset, uint value) => _sys.Write(offset, 4, value);

    private void Unlock() => W(0x20, 0xA05F);

    [Fact]
    public void ResetValues()
    {
        Assert.Equal(0x4100_7004u, R(0x00));
        Assert.Equal(0u, R(0x04));
        Assert.Equal(0u, R(0x08));
        Assert.Equal(1u << 16, R(0x20)); // locked
        Assert.Equal(0u, R(0x30));
        Assert.Equal(0u, R(0x40));
        Assert.Equal(1u, R(0x44));
        Assert.Equal(0x1F00u, R(0x50));
        Assert.Equal(0u, R(0x5C));
        for (uint i = 0; i < 5; i++)
        {
            Assert.Equal(0u, R(0x0C + 4 * i));
            Assert.Equal(0u, R(0x8C + 4 * i));
            Assert.Equal(0u, R(0xC0 + 4 * i));
        }
        Assert.Equal(0x1000u, _sys.Size);
    }

    [Fact]
    public void IdIsReadOnly()
    {
        W(0x00, 0);
        Assert.Equal(0x4100_7004u, R(0x00));
    }

    [Fact]
    public void LedsKeepBits7To0()
    {
        W(0x08, 0x1A5);
        Assert.Equal(0xA5u, R(0x08));
        Assert.Equal(0xA5u, _sys.Leds);
    }

    [Fact]
    public void LockProtectsOscillators()
    {
        W(0x1C, 0x2C2A);
        Assert.Equal(0u, R(0x1C));
        Unlock();
        Assert.Equal(0xA05Fu, R(0x20)); // LOCKED clear
        W(0x1C, 0xFFF8_2C2A);
        Assert.Equal(0x2C2Au, R(0x1C)); // ICST307 settings: bits 18:0
        W(0x20, 0);
        Assert.Equal(1u << 16, R(0x20));
        W(0x1C, 0);
        Assert.NotEqual(0u, R(0x1C));
    }

    [Fact]
    public void FlagsSetAndClear()
    {
        W(0x30, 0xF0);
        W(0x30, 0x0F);
        Assert.Equal(0xFFu, R(0x30));
        W(0x34, 0x3C);
        Assert.Equal(0xC3u, R(0x30));
        W(0x38, 0x11);
        W(0x3C, 0x01);
        Assert.Equal(0x10u, R(0x38));
    }

    [Fact]
    public void NonVolatileFlagsSurviveAReset()
    {
        W(0x30, 1);
        W(0x38, 2);
        _sys.Reset();
        Assert.Equal(0u, R(0x30));
        Assert.Equal(2u, R(0x38));
    }

    [Fact]
    public void ConfigurationDataRegisters()
    {
        W(0x28, 0x1234_5678);
        W(0x2C, 0x9ABC_DEF0);
        Assert.Equal(0x1234_5678u, R(0x28));
        Assert.Equal(0x9ABC_DEF0u, R(0x2C));
    }

    [Fact]
    public void ResetControlNeedsTheUnlockAndRequestsAReset()
    {
        uint? requested = null;
        _sys.ResetRequested += v => requested = v;
        W(0x40, 0x105);
        Assert.Null(requested);
        Assert.Equal(0u, R(0x40));
        Unlock();
        W(0x40, 0x105); // what Linux's versatile restart writes
        Assert.Equal(0x105u, requested);
        Assert.Equal(0x105u, R(0x40));
        requested = null;
        W(0x40, 0x005); // level only
        Assert.Null(requested);
    }

    [Fact]
    public void CounterRegistersFollowTheVirtualClock()
    {
        _time.Advance(200_000_000); // one second at 200 MHz
        Assert.Equal(24_000_000u, R(0x5C));
        Assert.Equal(100u, R(0x24));
        _time.Advance(1_000_000); // 5 ms
        Assert.Equal(24_120_000u, R(0x5C));
        Assert.Equal(100u, R(0x24));
        _time.Advance(1_000_000);
        Assert.Equal(101u, R(0x24));
    }

    [Fact]
    public void ClcdKeepsItsIdBitsAndReportsTheMux()
    {
        uint? mux = null;
        _sys.ClcdMuxChanged += v => mux = v;
        W(0x50, 0x0000_0002);
        Assert.Equal(0x1F02u, R(0x50));
        Assert.Equal(2u, mux);
    }

    [Fact]
    public void DmaMapAndOscillatorResetRegistersKeepWhatIsWritten()
    {
        W(0x64, 0x85);
        W(0x6C, 0x9F);
        W(0x90, 0x2C2A);
        Assert.Equal(0x85u, R(0x64));
        Assert.Equal(0x9Fu, R(0x6C));
        Assert.Equal(0x2C2Au, R(0x90));
        _sys.Reset();
        Assert.Equal(0x2C2Au, R(0x10)); // SYS_OSC1 restarts from SYS_OSCRESET1
    }

    [Fact]
    public void FlashWriteEnableBit()
    {
        W(0x4C, 3);
        Assert.Equal(1u, R(0x4C));
    }

    [Fact]
    public void UnknownOffsetIsTraced()
    {
        var log = new StringWriter();
        var sys = new VersatileSystemRegisters(_time.Clock, trace: new MmioTrace(log));
        Assert.Equal(0u, sys.Read(0x84, 4));
        Assert.Contains("sysregs", log.ToString());
    }
}
