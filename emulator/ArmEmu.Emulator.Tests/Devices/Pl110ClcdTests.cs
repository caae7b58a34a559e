using ArmEmu.Emulator.Devices;

namespace ArmEmu.Emulator.Tests.Devices;

public sealed class Pl110ClcdTests : IDisposable
{
    // Versatile PB register layout (Control and IMSC swapped relative to the stock PL110).
    private const uint Timing0 = 0x000, Timing1 = 0x004, Timing2 = 0x008, Timing3 = 0x00C, UpBase = 0x010, LpBase = 0x014;
    private const uint Control = 0x018, Imsc = 0x01C, Ris = 0x020, Mis = 0x024, Icr = 0x028, UpCurr = 0x02C, LpCurr = 0x030;
    private const uint Palette = 0x200;

    private const uint LcdEn = 1, LcdPwr = 1u << 11, Bgr = 1u << 8, LcdTft = 1u << 5;
    private const uint Lnbu = 1u << 2, VComp = 1u << 3, MbError = 1u << 4;
    private const uint Fb = 0x8000;

    private readonly BusMasterTestRig _rig = new();
    private readonly Pl110Clcd _lcd;

    public Pl110ClcdTests()
    {
        _lcd = new Pl110Clcd(_rig.Bus, _rig.Clock, _rig.Line());
    }

    public void Dispose() => _rig.Dispose();

    private uint R(uint offset) => _lcd.Read(offset, 4);

    private void W(uint offset, uint value) => _lcd.Write(offset, 4, value);

    private static uint Bpp(int code) => (uint)code << 1;

    /// <summary>16 x 2 pixels, one line of sync, no porches: 3 lines per frame.</summary>
    private void SetUp16x2()
    {
        W(Timing0, 0);
        W(Timing1, 1);
        W(UpBase, Fb);
    }

    private (byte, byte, byte) Pixel(LcdFrame f, int x, int y)
    {
        int p = 3 * (y * f.Width + x);
        return (f.Rgb[p], f.Rgb[p + 1], f.Rgb[p + 2]);
    }

    private void SetHalf(uint pa, ushort v) => Assert.True(_rig.Bus.TryWrite(pa, 2, v));

    [Fact]
    public void RegistersResetToZeroAndIdentifyAsPl110()
    {
        foreach (uint offset in new uint[] { Timing0, Timing1, Timing2, Timing3, UpBase, LpBase, Control, Imsc, Ris, Mis, UpCurr, LpCurr })
            Assert.Equal(0u, R(offset));
        for (uint i = 0; i < 128; i++) Assert.Equal(0u, R(Palette + 4 * i));
        var id = Enumerable.Range(0, 8).Select(i => R(0xFE0 + 4 * (uint)i)).ToArray();
        Assert.Equal(new uint[] { 0x10, 0x11, 0x04, 0x00, 0x0D, 0xF0, 0x05, 0xB1 }, id);
        Assert.False(_lcd.DisplayOn);
        Assert.Equal(16, _lcd.Width);
        Assert.Equal(1, _lcd.Height);
        Assert.False(_rig.Irq[0]);
    }

    [Fact]
    public void RegistersReadBackWithinTheirFields()
    {
        W(Timing0, 0xFFFF_FFFF);
        Assert.Equal(0xFFFF_FFFCu, R(Timing0));
        Assert.Equal(16 * 64, _lcd.Width);
        W(Timing1, 0x1234_5678);
        Assert.Equal(0x1234_5678u, R(Timing1));
        Assert.Equal(0x278 + 1, _lcd.Height);
        W(Timing2, 0xFFFF_FFFF);
        Assert.Equal(0x07FF_7FFFu, R(Timing2));
        W(Timing3, 0xFFFF_FFFF);
        Assert.Equal(0x0001_007Fu, R(Timing3));
        W(UpBase, 0x1234_5677);
        Assert.Equal(0x1234_5674u, R(UpBase));
        W(LpBase, 0xFFFF_FFFF);
        Assert.Equal(0xFFFF_FFFCu, R(LpBase));
        W(Icr, 0xFFFF_FFFF);
        Assert.Equal(0u, R(Icr)); // write-only
    }

    [Fact]
    public void ControlIsAt0x18AndImscAt0x1COnTheVersatile()
    {
        SetUp16x2();
        W(Imsc, 0xFFFF_FFFF);
        Assert.Equal(0x1Eu, R(Imsc));
        Assert.False(_lcd.DisplayOn); // IMSC is not the control register here
        Assert.Equal(0u, R(Control));

        W(Control, LcdEn | LcdPwr | Bpp(4));
        Assert.True(_lcd.DisplayOn);
        Assert.Equal(LcdEn | LcdPwr | Bpp(4), R(Control));
        Assert.Equal(0x1Eu, R(Imsc));
        W(Control, 0xFFFF_FFFF);
        Assert.Equal(0x0001_FFFFu, R(Control));
    }

    [Fact]
    public void PaletteRegistersHoldTwoEntriesPerWordAndDrivePalettisedModes()
    {
        for (uint i = 0; i < 128; i++) W(Palette + 4 * i, 0x8000_0001 * i + 0x0102_0304);
        for (uint i = 0; i < 128; i++) Assert.Equal(0x8000_0001 * i + 0x0102_0304, R(Palette + 4 * i));

        SetUp16x2();
        W(Palette + 0, 0x001F_7C00); // entry 0 blue, entry 1 red
        W(Palette + 4, 0x0000_03E0); // entry 2 green
        _rig.SetWord(Fb, 0x0002_0100); // 8 bpp: pixels 0, 1, 2, 0
        W(Control, LcdEn | LcdPwr | LcdTft | Bpp(3));
        var f = _lcd.Render();
        Assert.Equal(((byte)0, (byte)0, (byte)0xF8), Pixel(f, 0, 0));
        Assert.Equal(((byte)0xF8, (byte)0, (byte)0), Pixel(f, 1, 0));
        Assert.Equal(((byte)0, (byte)0xF8, (byte)0), Pixel(f, 2, 0));

        // 4 bpp: pixel 0 in the low nibble.
        _rig.SetWord(Fb, 0x21);
        W(Control, LcdEn | LcdPwr | LcdTft | Bpp(2));
        f = _lcd.Render();
        Assert.Equal(((byte)0xF8, (byte)0, (byte)0), Pixel(f, 0, 0));
        Assert.Equal(((byte)0, (byte)0xF8, (byte)0), Pixel(f, 1, 0));
        Assert.Equal(((byte)0, (byte)0, (byte)0xF8), Pixel(f, 2, 0));
    }

    [Fact]
    public void Renders16BppFrameBuffersAsTheMultiplexerSelects()
    {
        SetUp16x2();
        SetHalf(Fb + 0, 0x001F);
        SetHalf(Fb + 2, 0x07E0);
        SetHalf(Fb + 4, 0xF800);
        SetHalf(Fb + 32 + 30, 0xFFFF); // last pixel of line 1
        W(Control, LcdEn | LcdPwr | LcdTft | Bpp(4));

        // Reset mux (0) is taken as 5:6:5 with red in the low bits.
        var f = _lcd.Render();
        Assert.Equal((16, 2), (f.Width, f.Height));
        Assert.Equal(16 * 2 * 3, f.Rgb.Length);
        Assert.Equal(((byte)0xF8, (byte)0, (byte)0), Pixel(f, 0, 0));
        Assert.Equal(((byte)0, (byte)0xFC, (byte)0), Pixel(f, 1, 0));
        Assert.Equal(((byte)0, (byte)0, (byte)0xF8), Pixel(f, 2, 0));
        Assert.Equal(((byte)0, (byte)0, (byte)0), Pixel(f, 3, 0));
        Assert.Equal(((byte)0xF8, (byte)0xFC, (byte)0xF8), Pixel(f, 15, 1));

        W(Control, LcdEn | LcdPwr | LcdTft | Bgr | Bpp(4));
        f = _lcd.Render();
        Assert.Equal(((byte)0, (byte)0, (byte)0xF8), Pixel(f, 0, 0));
        Assert.Equal(((byte)0xF8, (byte)0, (byte)0), Pixel(f, 2, 0));

        // SYS_CLCD mode 3: blue in the low bits, regardless of BGR.
        _lcd.SysClcdMode = 3;
        f = _lcd.Render();
        Assert.Equal(((byte)0, (byte)0, (byte)0xF8), Pixel(f, 0, 0));
        W(Control, LcdEn | LcdPwr | LcdTft | Bpp(4));
        Assert.Equal(((byte)0, (byte)0, (byte)0xF8), Pixel(_lcd.Render(), 0, 0));

        // SYS_CLCD mode 1: the PL110's own 5:5:5 (+ intensity, ignored).
        _lcd.SysClcdMode = 1;
        SetHalf(Fb + 0, 0x7C00);
        SetHalf(Fb + 2, 0x83E0);
        f = _lcd.Render();
        Assert.Equal(((byte)0, (byte)0, (byte)0xF8), Pixel(f, 0, 0));
        Assert.Equal(((byte)0, (byte)0xF8, (byte)0), Pixel(f, 1, 0));
    }

    [Fact]
    public void Renders24BppFrameBuffersOneWordPerPixel()
    {
        SetUp16x2();
        _rig.SetWord(Fb, 0xFF33_2211);
        _rig.SetWord(Fb + 4 * 16 + 4 * 5, 0x00AB_CDEF); // line 1, pixel 5
        W(Control, LcdEn | LcdPwr | LcdTft | Bpp(5));
        var f = _lcd.Render();
        Assert.Equal(((byte)0x11, (byte)0x22, (byte)0x33), Pixel(f, 0, 0));
        Assert.Equal(((byte)0xEF, (byte)0xCD, (byte)0xAB), Pixel(f, 5, 1));
        Assert.Equal(((byte)0, (byte)0, (byte)0), Pixel(f, 1, 0));
        W(Control, LcdEn | LcdPwr | LcdTft | Bgr | Bpp(5));
        Assert.Equal(((byte)0x33, (byte)0x22, (byte)0x11), Pixel(_lcd.Render(), 0, 0));
    }

    [Fact]
    public void DisplayNeedsBothLcdEnAndLcdPwr()
    {
        SetUp16x2();
        _rig.SetWord(Fb, 0x00FF_FFFF);
        W(Control, LcdEn | LcdTft | Bpp(5));
        var f = _lcd.Render();
        Assert.Equal((16, 2), (f.Width, f.Height));
        Assert.All(f.Rgb, b => Assert.Equal(0, b));
        W(Control, LcdPwr | LcdTft | Bpp(5));
        Assert.All(_lcd.Render().Rgb, b => Assert.Equal(0, b));
        W(Control, LcdEn | LcdPwr | LcdTft | Bpp(5));
        Assert.Equal(((byte)0xFF, (byte)0xFF, (byte)0xFF), Pixel(_lcd.Render(), 0, 0));
    }

    private ulong Period => _rig.Clock.CyclesFor(1, 60);

    [Fact]
    public void NextBaseUpdateInterruptComesOncePerFrame()
    {
        SetUp16x2();
        W(Imsc, Lnbu);
        W(Control, LcdEn | LcdPwr | Bpp(4));
        ulong epoch = _rig.Clock.Now;
        Assert.Equal(Lnbu | VComp, R(Ris)); // the first frame starts at enable; VComp defaults to the start of sync
        Assert.Equal(Lnbu, R(Mis));
        Assert.True(_rig.Irq[0]);

        W(Icr, Lnbu);
        Assert.Equal(VComp, R(Ris));
        Assert.False(_rig.Irq[0]);
        _rig.AdvanceTo(epoch + Period - 1);
        Assert.False(_rig.Irq[0]);
        _rig.AdvanceTo(epoch + Period);
        Assert.True(_rig.Irq[0]);
        Assert.Equal(Lnbu, R(Mis));

        // Masked, the status still gets set but the line stays low.
        W(Imsc, 0);
        W(Icr, 0x1E);
        Assert.False(_rig.Irq[0]);
        _rig.AdvanceTo(epoch + 2 * Period);
        Assert.Equal(Lnbu | VComp, R(Ris));
        Assert.Equal(0u, R(Mis));
        Assert.False(_rig.Irq[0]);
    }

    [Fact]
    public void VerticalCompareInterruptComesAtTheSelectedPhase()
    {
        SetUp16x2(); // 3 lines: sync, active, active
        W(Imsc, VComp);
        W(Control, LcdEn | LcdPwr | Bpp(4) | 2u << 12); // start of active video: one line into the frame
        ulong epoch = _rig.Clock.Now;
        Assert.Equal(0u, R(Ris) & VComp);
        _rig.AdvanceTo(epoch + Period / 3 - 1);
        Assert.False(_rig.Irq[0]);
        _rig.AdvanceTo(epoch + Period / 3);
        Assert.True(_rig.Irq[0]);
        Assert.Equal(VComp, R(Mis));
        W(Icr, VComp);
        Assert.False(_rig.Irq[0]);
        _rig.AdvanceTo(epoch + Period + Period / 3);
        Assert.True(_rig.Irq[0]);
    }

    [Fact]
    public void CurrentAddressFollowsTheScan()
    {
        SetUp16x2();
        W(LpBase, 0x9000);
        W(Control, LcdEn | LcdPwr | Bpp(4));
        ulong epoch = _rig.Clock.Now;
        Assert.Equal(Fb, R(UpCurr)); // vertical sync
        _rig.AdvanceTo(epoch + Period * 2 / 3 + 10); // second active line
        Assert.Equal(Fb + 32, R(UpCurr));
        Assert.Equal(0x9000u + 32, R(LpCurr));
        W(Control, 0);
        Assert.Equal(Fb, R(UpCurr));
    }

    [Fact]
    public void FrameBufferOutsideRamRaisesTheBusErrorInterrupt()
    {
        SetUp16x2();
        W(UpBase, 0x8000_0000);
        W(Imsc, MbError);
        W(Control, LcdEn | LcdPwr | Bpp(4));
        Assert.Equal(MbError, R(Mis));
        Assert.True(_rig.Irq[0]);
        Assert.All(_lcd.Render().Rgb, b => Assert.Equal(0, b));
    }
}
