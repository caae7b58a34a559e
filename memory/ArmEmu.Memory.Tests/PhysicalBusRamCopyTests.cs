namespace ArmEmu.Memory.Tests;

/// <summary>
/// <see cref="PhysicalBus.ReadRam"/> and <see cref="PhysicalBus.WriteRam"/>, whose copies within
/// one page take a path of their own (a line fill, a write-buffer entry): within a page, across
/// two pages of RAM, and reaching a page that is not RAM -- false, and a write then changes nothing.
/// </summary>
public class PhysicalBusRamCopyTests : IDisposable
{
    private readonly PhysicalBus _bus = new();

    public PhysicalBusRamCopyTests() => _bus.AddRam(0, 0x3000); // three pages; 0x3000 on is not RAM

    public void Dispose() => _bus.Dispose();

    private static byte[] Pattern(int length, int seed) => Enumerable.Range(0, length).Select(i => (byte)(i * 7 + seed)).ToArray();

    [Theory]
    [InlineData(0x0FE0u, 32)] // a line at a page's end
    [InlineData(0x1234u, 4)]
    [InlineData(0x1FF0u, 16)]
    [InlineData(0x0FF0u, 40)] // across two pages
    [InlineData(0x0800u, 0x1000)]
    [InlineData(0x2000u, 0)]
    public void WhatIsWritten_IsReadBack_AndNothingAround(uint pa, int length)
    {
        var before = new byte[0x3000];
        Assert.True(_bus.ReadRam(0, before));
        var data = Pattern(length, (int)pa);
        int writes = _bus.CodeWrites;
        Assert.True(_bus.WriteRam(pa, data));
        Assert.Equal(writes + 1, _bus.CodeWrites);
        var back = new byte[length];
        Assert.True(_bus.ReadRam(pa, back));
        Assert.Equal(data, back);
        var after = new byte[0x3000];
        Assert.True(_bus.ReadRam(0, after));
        data.CopyTo(before, (int)pa);
        Assert.Equal(before, after);
    }

    [Fact]
    public void ACopyReachingAPageThatIsNotRam_Fails_AndWritesNothing()
    {
        var ram = new byte[0x3000];
        Assert.True(_bus.ReadRam(0, ram));
        int writes = _bus.CodeWrites;
        Assert.False(_bus.WriteRam(0x2FF0, Pattern(32, 1)));
        Assert.Equal(writes, _bus.CodeWrites);
        var after = new byte[0x3000];
        Assert.True(_bus.ReadRam(0, after));
        Assert.Equal(ram, after);
        Assert.False(_bus.ReadRam(0x2FF0, new byte[32]));
        Assert.False(_bus.ReadRam(0x3000, new byte[4]));
    }
}
