using ArmEmu.Emulator.Devices;

namespace ArmEmu.Emulator.Tests.Devices;

/// <summary>The Versatile PB secondary interrupt controller: masking to VIC input 31 and the pass-through to inputs 21-30.</summary>
public class VersatileSicTests
{
    private readonly RecordingController _vic = new();
    private readonly VersatileSic _sic;

    public VersatileSicTests()
    {
        _sic = new VersatileSic(_vic);
    }

    private uint R(uint offset) => _sic.Read(offset, 4);

    private void W(uint offset, uint value) => _sic.Write(offset, 4, value);

    [Fact]
    public void ResetValues()
    {
        foreach (uint offset in new uint[] { 0x00, 0x04, 0x08, 0x10, 0x20 })
            Assert.Equal(0u, R(offset));
        Assert.False(_vic.Levels[31]);
        Assert.Equal(0x1000u, _sic.Size);
    }

    [Fact]
    public void RawStatusFollowsInputs()
    {
        _sic.SetInput(3, true);
        _sic.SetInput(6, true);
        Assert.Equal((1u << 3) | (1u << 6), R(0x04));
        Assert.Equal(0u, R(0x00));
        _sic.SetInput(3, false);
        Assert.Equal(1u << 6, R(0x04));
    }

    [Fact]
    public void EnableSetAndClear()
    {
        W(0x08, 0x0F);
        W(0x08, 0xF0);
        Assert.Equal(0xFFu, R(0x08));
        W(0x0C, 0x3C);
        Assert.Equal(0xC3u, R(0x08));
    }

    [Fact]
    public void EnabledSourceDrivesVicInput31()
    {
        _sic.SetInput(6, true); // UART3
        Assert.False(_vic.Levels[31]);
        W(0x08, 1u << 6);
        Assert.True(_vic.Levels[31]);
        Assert.Equal(1u << 6, R(0x00));
        W(0x0C, 1u << 6);
        Assert.False(_vic.Levels[31]);
        W(0x08, 1u << 6);
        _sic.SetInput(6, false);
        Assert.False(_vic.Levels[31]);
    }

    [Fact]
    public void SoftwareInterrupts()
    {
        W(0x10, 1);
        Assert.Equal(1u, R(0x10));
        Assert.Equal(1u, R(0x04));
        Assert.False(_vic.Levels[31]);
        W(0x08, 1);
        Assert.True(_vic.Levels[31]);
        W(0x14, 1);
        Assert.Equal(0u, R(0x10));
        Assert.False(_vic.Levels[31]);
    }

    [Fact]
    public void PicEnableOnlyTakesSources21To30()
    {
        W(0x20, 0xFFFF_FFFF);
        Assert.Equal(0x7FE0_0000u, R(0x20));
        W(0x24, 1u << 25);
        Assert.Equal(0x7DE0_0000u, R(0x20));
    }

    [Fact]
    public void PassThroughDrivesTheVicInputOfTheSameNumber()
    {
        _sic.SetInput(25, true); // Ethernet
        Assert.False(_vic.Levels[25]);
        W(0x20, 1u << 25);
        Assert.True(_vic.Levels[25]);
        Assert.False(_vic.Levels[31]); // not enabled in SIC_ENABLE
        _sic.SetInput(25, false);
        Assert.False(_vic.Levels[25]);
        _sic.SetInput(25, true);
        Assert.True(_vic.Levels[25]);
        W(0x24, 1u << 25); // pass-through off: the VIC input drops
        Assert.False(_vic.Levels[25]);
    }

    [Fact]
    public void SourcesOutsidePassThroughRangeNeverReachOtherVicInputs()
    {
        W(0x20, 0xFFFF_FFFF);
        _sic.SetInput(3, true);
        _sic.SetInput(31, true);
        for (int i = 0; i < 31; i++) Assert.False(_vic.Levels[i]);
    }

    [Fact]
    public void ResetClearsEnables()
    {
        W(0x08, 0xFF);
        W(0x20, 1u << 22);
        W(0x10, 1);
        _sic.Reset();
        Assert.Equal(0u, R(0x08));
        Assert.Equal(0u, R(0x20));
        Assert.Equal(0u, R(0x10));
        Assert.False(_vic.Levels[31]);
    }

    [Fact]
    public void WiredToARealVic()
    {
        bool irq = false;
        var vic = new Pl190Vic(v => irq = v, _ => { });
        var sic = new VersatileSic(vic);
        vic.Write(0x010, 4, 1u << 31);
        sic.Write(0x08, 4, 1u << 3);
        sic.SetInput(3, true);
        Assert.True(irq);
        Assert.Equal(1u << 31, vic.Read(0x000, 4));
    }

    [Fact]
    public void UnknownOffsetIsTraced()
    {
        var log = new StringWriter();
        var sic = new VersatileSic(_vic, new MmioTrace(log));
        Assert.Equal(0u, sic.Read(0x18, 4));
        Assert.Contains("sic", log.ToString());
    }
}
