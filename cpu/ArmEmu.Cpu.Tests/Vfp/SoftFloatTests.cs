using ArmEmu.Cpu.Vfp;

namespace ArmEmu.Cpu.Tests.Vfp;

/// <summary>
/// The soft-float core against hand-computed cases (DDI 0406C A2.7): rounding at and around
/// the halfway point in every mode, overflow and underflow per mode, flush-to-zero of inputs
/// and outputs, NaN propagation and default NaN, every cumulative flag; then against the host
/// FPU where IEEE 754 and ARM agree (round to nearest, no NaN), and the host path against the
/// software path.
/// </summary>
public class SoftFloatTests
{
    private const uint RN = 0, RP = 1u << 22, RM = 2u << 22, RZ = 3u << 22;
    private const uint FZ = Fpscr.FZ, DN = Fpscr.DN, AHP = Fpscr.AHP;
    private const uint IOC = Fpscr.IOC, DZC = Fpscr.DZC, OFC = Fpscr.OFC, UFC = Fpscr.UFC, IXC = Fpscr.IXC, IDC = Fpscr.IDC;
    private static readonly FpFormat S = FpFormat.Single, D = FpFormat.Double, H = FpFormat.Half;

    private static uint Bits(float x) => BitConverter.SingleToUInt32Bits(x);
    private static ulong Bits(double x) => BitConverter.DoubleToUInt64Bits(x);

    private delegate ulong Binary(ulong a, ulong b, in FpFormat f, ref uint fpscr);

    private static (uint Result, uint Flags) Run32(Binary op, uint a, uint b, uint control)
    {
        uint fpscr = control;
        uint r = (uint)op(a, b, S, ref fpscr);
        return (r, fpscr & Fpscr.CumulativeFlags);
    }

    [Theory]
    // 1 + 2^-24 is exactly halfway between 1 and 1 + 2^-23: to even (down) when nearest.
    [InlineData(0x3F800000u, 0x33800000u, RN, 0x3F800000u, IXC)]
    [InlineData(0x3F800000u, 0x33800000u, RP, 0x3F800001u, IXC)]
    [InlineData(0x3F800000u, 0x33800000u, RM, 0x3F800000u, IXC)]
    [InlineData(0x3F800000u, 0x33800000u, RZ, 0x3F800000u, IXC)]
    // (1 + 2^-23) + 2^-24: halfway again, now the even neighbour is above.
    [InlineData(0x3F800001u, 0x33800000u, RN, 0x3F800002u, IXC)]
    [InlineData(0x3F800001u, 0x33800000u, RZ, 0x3F800001u, IXC)]
    // -1 - 2^-24: towards minus infinity moves the magnitude up.
    [InlineData(0xBF800000u, 0xB3800000u, RM, 0xBF800001u, IXC)]
    [InlineData(0xBF800000u, 0xB3800000u, RP, 0xBF800000u, IXC)]
    // 1 + (2^-24 + 2^-47): just above halfway.
    [InlineData(0x3F800000u, 0x33800001u, RN, 0x3F800001u, IXC)]
    // Overflow: the largest single twice, in each mode and sign.
    [InlineData(0x7F7FFFFFu, 0x7F7FFFFFu, RN, 0x7F800000u, OFC | IXC)]
    [InlineData(0x7F7FFFFFu, 0x7F7FFFFFu, RP, 0x7F800000u, OFC | IXC)]
    [InlineData(0x7F7FFFFFu, 0x7F7FFFFFu, RM, 0x7F7FFFFFu, OFC | IXC)]
    [InlineData(0x7F7FFFFFu, 0x7F7FFFFFu, RZ, 0x7F7FFFFFu, OFC | IXC)]
    [InlineData(0xFF7FFFFFu, 0xFF7FFFFFu, RM, 0xFF800000u, OFC | IXC)]
    [InlineData(0xFF7FFFFFu, 0xFF7FFFFFu, RP, 0xFF7FFFFFu, OFC | IXC)]
    // Exact zeros: x - x is +0, but -0 when rounding towards minus infinity; -0 + -0 is -0.
    [InlineData(0x3F800000u, 0xBF800000u, RN, 0x00000000u, 0u)]
    [InlineData(0x3F800000u, 0xBF800000u, RM, 0x80000000u, 0u)]
    [InlineData(0x80000000u, 0x80000000u, RN, 0x80000000u, 0u)]
    [InlineData(0x00000000u, 0x80000000u, RN, 0x00000000u, 0u)]
    [InlineData(0x00000000u, 0x80000000u, RM, 0x80000000u, 0u)]
    // Denormal input: exact without FZ; with FZ it counts as zero and raises IDC only.
    [InlineData(0x00000001u, 0x00000001u, RN, 0x00000002u, 0u)]
    [InlineData(0x00000001u, 0x3F800000u, RN | FZ, 0x3F800000u, IDC)]
    [InlineData(0x00000001u, 0x3F800000u, RN, 0x3F800000u, IXC)]
    [InlineData(0x00000001u, 0x80000001u, RN | FZ, 0x00000000u, IDC)]
    // A result below the normal range with FZ: flushed to a signed zero, UFC and not IXC.
    [InlineData(0x00800001u, 0x80800000u, RN | FZ, 0x00000000u, UFC)]
    [InlineData(0x00800001u, 0x80800000u, RN, 0x00000001u, 0u)]      // exact denormal: no UFC
    // Infinities.
    [InlineData(0x7F800000u, 0xFF800000u, RN, 0x7FC00000u, IOC)]
    [InlineData(0x7F800000u, 0x7F800000u, RN, 0x7F800000u, 0u)]
    [InlineData(0xFF800000u, 0x3F800000u, RN, 0xFF800000u, 0u)]
    // NaNs: the first signalling NaN, quieted, with IOC; else the first quiet NaN; DN: the default NaN.
    [InlineData(0x7FC00002u, 0x7F800001u, RN, 0x7FC00001u, IOC)]
    [InlineData(0xFFC00003u, 0x7FC00002u, RN, 0xFFC00003u, 0u)]
    [InlineData(0x3F800000u, 0xFF800005u, RN, 0xFFC00005u, IOC)]
    [InlineData(0x3F800000u, 0xFF800005u, RN | DN, 0x7FC00000u, IOC)]
    [InlineData(0xFFC00003u, 0x3F800000u, RN | DN, 0x7FC00000u, 0u)]
    public void Add(uint a, uint b, uint control, uint result, uint flags)
    {
        Assert.Equal((result, flags), Run32(SoftFloat.Add, a, b, control));
        uint fpscr = control;
        Assert.Equal(result, SoftFloat.Add32(a, b, ref fpscr));
        Assert.Equal(flags, fpscr & Fpscr.CumulativeFlags);
    }

    [Theory]
    [InlineData(0x3F800000u, 0x3F800000u, RN, 0x00000000u, 0u)]
    [InlineData(0x3F800000u, 0x3F800000u, RM, 0x80000000u, 0u)]
    [InlineData(0x00000000u, 0x00000000u, RM, 0x80000000u, 0u)]      // +0 - +0 is an exact zero sum
    [InlineData(0x00000000u, 0x80000000u, RM, 0x00000000u, 0u)]      // +0 - -0 = +0 + +0
    [InlineData(0x7F800000u, 0x7F800000u, RN, 0x7FC00000u, IOC)]
    [InlineData(0x3F800000u, 0x7FC00001u, RN, 0x7FC00001u, 0u)]      // a NaN operand keeps its sign
    [InlineData(0x3F800000u, 0x33800000u, RN, 0x3F7FFFFFu, 0u)]      // 1 - 2^-24 is exact in the binade below
    [InlineData(0x3F800000u, 0x33000000u, RN, 0x3F800000u, IXC)]     // 1 - 2^-25: halfway, to even (1)
    [InlineData(0x3F800000u, 0x33000000u, RM, 0x3F7FFFFFu, IXC)]
    public void Sub(uint a, uint b, uint control, uint result, uint flags) =>
        Assert.Equal((result, flags), Run32(SoftFloat.Sub, a, b, control));

    [Theory]
    // 2^-126 * 0.5 is the exact denormal 2^-127: no underflow without inexactness.
    [InlineData(0x00800000u, 0x3F000000u, RN, 0x00400000u, 0u)]
    [InlineData(0x00800000u, 0x3F000000u, RN | FZ, 0x00000000u, UFC)]
    // (2^-126 + 2^-149) * 0.5: halfway between two denormals, to even; tiny and inexact.
    [InlineData(0x00800001u, 0x3F000000u, RN, 0x00400000u, UFC | IXC)]
    [InlineData(0x00800001u, 0x3F000000u, RP, 0x00400001u, UFC | IXC)]
    // (2 - 2^-23) * 2^-127 rounds up to the smallest normal, but was tiny before rounding:
    // UFC (ARM detects tininess before rounding), and with FZ it is flushed.
    [InlineData(0x00FFFFFFu, 0x3F000000u, RN, 0x00800000u, UFC | IXC)]
    [InlineData(0x00FFFFFFu, 0x3F000000u, RZ, 0x007FFFFFu, UFC | IXC)]
    [InlineData(0x00FFFFFFu, 0x3F000000u, RN | FZ, 0x00000000u, UFC)]
    [InlineData(0x80FFFFFFu, 0x3F000000u, RN | FZ, 0x80000000u, UFC)]
    // Underflow to zero entirely: 2^-149 * 0.25 is 0 or the smallest denormal by mode.
    [InlineData(0x00000001u, 0x3E800000u, RN, 0x00000000u, UFC | IXC)]
    [InlineData(0x00000001u, 0x3E800000u, RP, 0x00000001u, UFC | IXC)]
    [InlineData(0x80000001u, 0x3E800000u, RM, 0x80000001u, UFC | IXC)]
    // Overflow by mode.
    [InlineData(0x7F000000u, 0x40000000u, RN, 0x7F800000u, OFC | IXC)]
    [InlineData(0x7F000000u, 0xC0000000u, RP, 0xFF7FFFFFu, OFC | IXC)]
    [InlineData(0x7F000000u, 0xC0000000u, RM, 0xFF800000u, OFC | IXC)]
    // Zero times infinity is invalid; zero times a finite number keeps the product's sign.
    [InlineData(0x00000000u, 0xFF800000u, RN, 0x7FC00000u, IOC)]
    [InlineData(0x80000000u, 0x3F800000u, RN, 0x80000000u, 0u)]
    [InlineData(0x7FC00000u, 0x00000000u, RN, 0x7FC00000u, 0u)]
    public void Mul(uint a, uint b, uint control, uint result, uint flags) =>
        Assert.Equal((result, flags), Run32(SoftFloat.Mul, a, b, control));

    [Theory]
    [InlineData(0x3F800000u, 0x00000000u, RN, 0x7F800000u, DZC)]
    [InlineData(0xBF800000u, 0x00000000u, RN, 0xFF800000u, DZC)]
    [InlineData(0x3F800000u, 0x80000001u, RN | FZ, 0xFF800000u, IDC | DZC)]   // a flushed denormal divisor
    [InlineData(0x00000000u, 0x00000000u, RN, 0x7FC00000u, IOC)]
    [InlineData(0x7F800000u, 0x7F800000u, RN, 0x7FC00000u, IOC)]
    [InlineData(0x7F800000u, 0x00000000u, RN, 0x7F800000u, 0u)]                 // no DZC for infinity / 0
    [InlineData(0x3F800000u, 0x7F800000u, RN, 0x00000000u, 0u)]
    [InlineData(0x3F800000u, 0x40400000u, RN, 0x3EAAAAABu, IXC)]                // 1/3
    [InlineData(0x3F800000u, 0x40400000u, RZ, 0x3EAAAAAAu, IXC)]
    [InlineData(0x40C00000u, 0x40400000u, RN, 0x40000000u, 0u)]                 // 6/3 exactly
    public void Div(uint a, uint b, uint control, uint result, uint flags) =>
        Assert.Equal((result, flags), Run32(SoftFloat.Div, a, b, control));

    [Theory]
    [InlineData(0x80000000u, RN, 0x80000000u, 0u)]      // sqrt(-0) = -0
    [InlineData(0xBF800000u, RN, 0x7FC00000u, IOC)]
    [InlineData(0xFF800000u, RN, 0x7FC00000u, IOC)]
    [InlineData(0x7F800000u, RN, 0x7F800000u, 0u)]
    [InlineData(0x40800000u, RN, 0x40000000u, 0u)]
    [InlineData(0x40000000u, RN, 0x3FB504F3u, IXC)]
    [InlineData(0x40000000u, RP, 0x3FB504F4u, IXC)]
    [InlineData(0x00000001u, RN, 0x1A3504F3u, IXC)]     // sqrt(2^-149) = 2^-74.5
    [InlineData(0x80000001u, RN | FZ, 0x80000000u, IDC)]
    [InlineData(0x7F800001u, RN, 0x7FC00001u, IOC)]
    public void Sqrt(uint a, uint control, uint result, uint flags)
    {
        uint fpscr = control;
        Assert.Equal(result, (uint)SoftFloat.Sqrt(a, S, ref fpscr));
        Assert.Equal(flags, fpscr & Fpscr.CumulativeFlags);
    }

    [Fact]
    public void FusedMultiplyAddRoundsOnce()
    {
        // (1 + 2^-12)^2 = 1 + 2^-11 + 2^-24; minus (1 + 2^-11) leaves 2^-24 exactly. A chained
        // multiply-add rounds the product first (halfway, to even: 1 + 2^-11) and gets +0.
        uint a = 0x3F800800, c = 0xBF801000, fpscr = 0;
        Assert.Equal(0x33800000u, (uint)SoftFloat.MulAdd(c, a, a, S, ref fpscr));
        Assert.Equal(0u, fpscr);
        uint chained = (uint)SoftFloat.Add(c, SoftFloat.Mul(a, a, S, ref fpscr), S, ref fpscr);
        Assert.Equal(0u, chained);
        Assert.Equal(IXC, fpscr);
    }

    [Theory]
    // Infinity times zero is invalid even when the addend is a quiet NaN.
    [InlineData(0x7FC00001u, 0x7F800000u, 0x00000000u, RN, 0x7FC00000u, IOC)]
    // NaN order: addend first, then the multiplicands; signalling before quiet.
    [InlineData(0x7FC00001u, 0x7F800002u, 0x3F800000u, RN, 0x7FC00002u, IOC)]
    [InlineData(0x7FC00001u, 0x7FC00002u, 0x3F800000u, RN, 0x7FC00001u, 0u)]
    // Opposite infinities: invalid.
    [InlineData(0xFF800000u, 0x7F800000u, 0x3F800000u, RN, 0x7FC00000u, IOC)]
    // +0 + (+0 * -1) is an exact zero sum: +0, or -0 towards minus infinity.
    [InlineData(0x00000000u, 0x00000000u, 0xBF800000u, RN, 0x00000000u, 0u)]
    [InlineData(0x00000000u, 0x00000000u, 0xBF800000u, RM, 0x80000000u, 0u)]
    [InlineData(0x80000000u, 0x00000000u, 0xBF800000u, RN, 0x80000000u, 0u)]
    // A huge addend swamps a tiny product: inexact only.
    [InlineData(0x3F800000u, 0x00800000u, 0x00800000u, RN, 0x3F800000u, IXC)]
    public void MulAdd(uint addend, uint a, uint b, uint control, uint result, uint flags)
    {
        uint fpscr = control;
        uint r = (uint)SoftFloat.MulAdd(addend, a, b, S, ref fpscr);
        Assert.Equal(result, r);
        Assert.Equal(flags, fpscr & Fpscr.CumulativeFlags);
    }

    [Theory]
    [InlineData(0x3F800000u, 0x40000000u, false, 0b1000u, 0u)]
    [InlineData(0x40000000u, 0x3F800000u, false, 0b0010u, 0u)]
    [InlineData(0x00000000u, 0x80000000u, false, 0b0110u, 0u)]
    [InlineData(0xFF800000u, 0xFF7FFFFFu, false, 0b1000u, 0u)]
    [InlineData(0x7FC00000u, 0x3F800000u, false, 0b0011u, 0u)]
    [InlineData(0x7FC00000u, 0x3F800000u, true, 0b0011u, IOC)]
    [InlineData(0x7F800001u, 0x3F800000u, false, 0b0011u, IOC)]
    [InlineData(0xBF800000u, 0xC0000000u, false, 0b0010u, 0u)]
    public void Compare(uint a, uint b, bool e, uint nzcv, uint flags)
    {
        uint fpscr = 0;
        Assert.Equal(nzcv, SoftFloat.Compare(a, b, e, S, ref fpscr));
        Assert.Equal(flags, fpscr);
    }

    [Theory]
    [InlineData(0x40200000u, RN, false, 0x00000002u, IXC)]       // 2.5 -> 2 (to even)
    [InlineData(0x40600000u, RN, false, 0x00000004u, IXC)]       // 3.5 -> 4
    [InlineData(0xC0200000u, RN, false, 0xFFFFFFFEu, IXC)]       // -2.5 -> -2
    [InlineData(0xC0200000u, RM, false, 0xFFFFFFFDu, IXC)]       // -2.5 -> -3
    [InlineData(0xC0200000u, RP, false, 0xFFFFFFFEu, IXC)]
    [InlineData(0xC0200000u, RP, true, 0xFFFFFFFEu, IXC)]        // round towards zero overrides RMode
    [InlineData(0x4F000000u, RN, false, 0x7FFFFFFFu, IOC)]       // 2^31 saturates
    [InlineData(0xCF000000u, RN, false, 0x80000000u, 0u)]        // -2^31 fits
    [InlineData(0xCF000001u, RN, false, 0x80000000u, IOC)]
    [InlineData(0x7FC00000u, RN, false, 0x00000000u, IOC)]       // NaN -> 0
    [InlineData(0x7F800000u, RN, false, 0x7FFFFFFFu, IOC)]
    [InlineData(0xFF800000u, RN, false, 0x80000000u, IOC)]
    [InlineData(0x3F000000u, RN, false, 0x00000000u, IXC)]       // 0.5 -> 0 (to even)
    [InlineData(0x3F400000u, RN, false, 0x00000001u, IXC)]       // 0.75 -> 1
    [InlineData(0x00000001u, RP, false, 0x00000001u, IXC)]       // a denormal, no FZ
    [InlineData(0x00000001u, RP | FZ, false, 0x00000000u, IDC)]  // flushed: exact zero
    public void ToSigned32(uint a, uint control, bool rz, uint result, uint flags)
    {
        uint fpscr = control;
        Assert.Equal(result, (uint)SoftFloat.ToFixed(a, S, 32, 0, false, rz, ref fpscr));
        Assert.Equal(flags, fpscr & Fpscr.CumulativeFlags);
        Assert.Equal(control, fpscr & ~Fpscr.CumulativeFlags);    // the rounding mode is not changed
    }

    [Theory]
    [InlineData(0xBF800000u, RN, 0x00000000u, IOC)]              // -1 saturates to 0
    [InlineData(0xBE99999Au, RZ, 0x00000000u, IXC)]              // -0.3 truncates to 0: inexact, not invalid
    [InlineData(0xBF333333u, RN, 0x00000000u, IOC)]              // -0.7 rounds to -1: saturates
    [InlineData(0x4F800000u, RN, 0xFFFFFFFFu, IOC)]              // 2^32
    [InlineData(0x4F7FFFFFu, RN, 0xFFFFFF00u, 0u)]
    public void ToUnsigned32(uint a, uint control, uint result, uint flags)
    {
        uint fpscr = control;
        Assert.Equal(result, (uint)SoftFloat.ToFixed(a, S, 32, 0, true, false, ref fpscr));
        Assert.Equal(flags, fpscr & Fpscr.CumulativeFlags);
    }

    [Fact]
    public void FixedPoint()
    {
        uint fpscr = 0;
        // 1.5 as signed 16.16 and as signed 16-bit with 8 fraction bits; 16-bit with 16 fraction bits saturates.
        Assert.Equal(0x18000UL, SoftFloat.ToFixed(0x3FC00000, S, 32, 16, false, true, ref fpscr));
        Assert.Equal(0x0180UL, SoftFloat.ToFixed(0x3FC00000, S, 16, 8, false, true, ref fpscr));
        Assert.Equal(0u, fpscr);
        Assert.Equal(0x7FFFUL, SoftFloat.ToFixed(0x3FC00000, S, 16, 16, false, true, ref fpscr));
        Assert.Equal(IOC, fpscr);
        fpscr = 0;
        Assert.Equal(0x8000UL, SoftFloat.ToFixed(0xBF800000, S, 16, 15, false, true, ref fpscr));   // -1.0 in Q15 fits
        Assert.Equal(0u, fpscr);
        // And back: 0x8000 as signed Q15 is -1.0; 1 with 32 fraction bits is 2^-32.
        Assert.Equal(0xBF800000UL, SoftFloat.FromFixed(0x8000, 16, 15, false, S, ref fpscr));
        Assert.Equal(0x2F800000UL, SoftFloat.FromFixed(1, 32, 32, true, S, ref fpscr));
        Assert.Equal(0u, fpscr);
    }

    [Theory]
    [InlineData(0xFFFFFFFFu, false, RN, 0xBF800000u, 0u)]
    [InlineData(0x80000000u, false, RN, 0xCF000000u, 0u)]
    [InlineData(0xFFFFFFFFu, true, RN, 0x4F800000u, IXC)]        // 2^32 - 1 rounds up to 2^32
    [InlineData(0xFFFFFFFFu, true, RZ, 0x4F7FFFFFu, IXC)]
    [InlineData(0x00000000u, false, RM, 0x00000000u, 0u)]        // zero is +0 in every mode
    [InlineData(0x01000001u, true, RN, 0x4B800000u, IXC)]        // 2^24 + 1: halfway, to even
    [InlineData(0x01000003u, true, RN, 0x4B800002u, IXC)]        // 2^24 + 3: halfway, to even (up)
    public void FromInteger32(uint a, bool unsigned, uint control, uint result, uint flags)
    {
        uint fpscr = control;
        Assert.Equal(result, (uint)SoftFloat.FromFixed(a, 32, 0, unsigned, S, ref fpscr));
        Assert.Equal(flags, fpscr & Fpscr.CumulativeFlags);
    }

    [Theory]
    // Double to single.
    [InlineData(64, 32, 0x3FF0000000000000UL, RN, 0x3F800000UL, 0u)]
    [InlineData(64, 32, 0x36A0000000000000UL, RN, 0x00000001UL, 0u)]            // 2^-149 exactly
    [InlineData(64, 32, 0x36A0000000000000UL, RN | FZ, 0x00000000UL, UFC)]
    [InlineData(64, 32, 0x3690000000000000UL, RN, 0x00000000UL, UFC | IXC)]     // 2^-150: halfway, to even (0)
    [InlineData(64, 32, 0x3690000000000001UL, RN, 0x00000001UL, UFC | IXC)]
    [InlineData(64, 32, 0x47F0000000000000UL, RN, 0x7F800000UL, OFC | IXC)]     // 2^128
    [InlineData(64, 32, 0x47F0000000000000UL, RZ, 0x7F7FFFFFUL, OFC | IXC)]
    [InlineData(64, 32, 0x7FF4000000000000UL, RN, 0x7FE00000UL, IOC)]           // sNaN: quiet, keep the payload's top
    [InlineData(64, 32, 0xFFF8000000000001UL, RN, 0xFFC00000UL, 0u)]            // the low payload bits go
    [InlineData(64, 32, 0x7FF4000000000000UL, RN | DN, 0x7FC00000UL, IOC)]
    [InlineData(64, 32, 0x0000000000000001UL, RN | FZ, 0x00000000UL, IDC)]      // flushed on input
    // Single to double.
    [InlineData(32, 64, 0x00000001UL, RN, 0x36A0000000000000UL, 0u)]
    [InlineData(32, 64, 0x80000001UL, RN | FZ, 0x8000000000000000UL, IDC)]
    [InlineData(32, 64, 0x7F800001UL, RN, 0x7FF8000020000000UL, IOC)]
    [InlineData(32, 64, 0xFF800000UL, RN, 0xFFF0000000000000UL, 0u)]
    // Single to half: IEEE and alternative formats.
    [InlineData(32, 16, 0x3F800000UL, RN, 0x3C00UL, 0u)]
    [InlineData(32, 16, 0x477FF000UL, RN, 0x7C00UL, OFC | IXC)]                 // 65520 rounds up past the largest half
    [InlineData(32, 16, 0x477FF000UL, RZ, 0x7BFFUL, IXC)]                      // truncated: no overflow
    [InlineData(32, 16, 0x477FF000UL, RN | AHP, 0x7C00UL, IXC)]                // AHP: 65536 is a number
    [InlineData(32, 16, 0x47FFF000UL, RN | AHP, 0x7FFFUL, IOC)]                // 131040 overflows AHP: invalid
    [InlineData(32, 16, 0x7FC00000UL, RN | AHP, 0x0000UL, IOC)]                // NaN into AHP: +0
    [InlineData(32, 16, 0xFF800001UL, RN | AHP, 0x8000UL, IOC)]                // a negative NaN: -0
    [InlineData(32, 16, 0xFF800000UL, RN | AHP, 0xFFFFUL, IOC)]                // -infinity into AHP
    [InlineData(32, 16, 0x7F802000UL, RN, 0x7E01UL, IOC)]                      // sNaN: quiet, payload bits 21:13
    [InlineData(32, 16, 0x33800000UL, RN | FZ, 0x0001UL, 0u)]                  // a half denormal output is never flushed
    [InlineData(32, 16, 0x33000000UL, RN, 0x0000UL, UFC | IXC)]                // 2^-25: halfway to 0
    // Half to single.
    [InlineData(16, 32, 0x0001UL, RN | FZ, 0x33800000UL, 0u)]                  // a half denormal input is never flushed
    [InlineData(16, 32, 0x7D00UL, RN, 0x7FE00000UL, IOC)]
    [InlineData(16, 32, 0x7C00UL, RN, 0x7F800000UL, 0u)]
    [InlineData(16, 32, 0x7C00UL, RN | AHP, 0x47800000UL, 0u)]                 // AHP: 0x7C00 is 65536
    [InlineData(16, 32, 0xFFFFUL, RN | AHP, 0xC7FFE000UL, 0u)]
    public void Convert(int from, int to, ulong a, uint control, ulong result, uint flags)
    {
        static FpFormat Fmt(int n) => n == 16 ? H : n == 32 ? S : D;
        uint fpscr = control;
        Assert.Equal(result, SoftFloat.Convert(a, Fmt(from), Fmt(to), ref fpscr));
        Assert.Equal(flags, fpscr & Fpscr.CumulativeFlags);
    }

    [Theory]
    [InlineData(0x7FC00001u, 0x3F800000u, true, 0x7FC00001u)]
    [InlineData(0x00000000u, 0x80000000u, true, 0x00000000u)]
    [InlineData(0x80000000u, 0x00000000u, false, 0x80000000u)]
    [InlineData(0xFF800000u, 0x3F800000u, true, 0x3F800000u)]
    [InlineData(0xFF800000u, 0x3F800000u, false, 0xFF800000u)]
    public void MaxMin(uint a, uint b, bool max, uint result)
    {
        uint fpscr = 0;
        Assert.Equal(result, (uint)(max ? SoftFloat.Max(a, b, S, ref fpscr) : SoftFloat.Min(a, b, S, ref fpscr)));
    }

    [Theory]
    [InlineData(0x3F800000u, 0x3F7F8000u, 0u)]                 // 1.0 -> 0.998046875
    [InlineData(0x40000000u, 0x3EFF8000u, 0u)]
    [InlineData(0xC0400000u, 0xBEAA8000u, 0u)]                 // -3 -> -0.33301
    [InlineData(0x00000000u, 0x7F800000u, DZC)]
    [InlineData(0x80000001u, 0xFF800000u, IDC | DZC)]          // flushed by the Standard FPSCR
    [InlineData(0x7F800000u, 0x00000000u, 0u)]
    [InlineData(0x7E800000u, 0x00000000u, UFC)]                // 2^126: the reciprocal underflows
    [InlineData(0x7E7FFFFFu, 0x00800000u, 0u)]
    [InlineData(0x7F800001u, 0x7FC00000u, IOC)]                // default NaN under the Standard FPSCR
    public void RecipEstimate(uint a, uint result, uint flags)
    {
        uint fpscr = Fpscr.Standard(0);
        Assert.Equal(result, SoftFloat.RecipEstimate32(a, ref fpscr));
        Assert.Equal(flags, fpscr & Fpscr.CumulativeFlags);
    }

    [Theory]
    [InlineData(0x3F800000u, 0x3F7F8000u, 0u)]                 // 1/sqrt(1) -> 0.998046875
    [InlineData(0x40800000u, 0x3EFF8000u, 0u)]                 // 1/sqrt(4)
    [InlineData(0x40000000u, 0x3F348000u, 0u)]                 // 1/sqrt(2) -> 0.705078125
    [InlineData(0x80000000u, 0xFF800000u, DZC)]
    [InlineData(0xBF800000u, 0x7FC00000u, IOC)]
    [InlineData(0x7F800000u, 0x00000000u, 0u)]
    public void RSqrtEstimate(uint a, uint result, uint flags)
    {
        uint fpscr = Fpscr.Standard(0);
        Assert.Equal(result, SoftFloat.RSqrtEstimate32(a, ref fpscr));
        Assert.Equal(flags, fpscr & Fpscr.CumulativeFlags);
    }

    /// <summary>
    /// The estimate tables as the manual's C (doubles) and as ARMv8's integer restatement
    /// (which QEMU implements) agree on every input.
    /// </summary>
    [Fact]
    public void EstimateTablesMatchTheIntegerForms()
    {
        for (int q = 256; q < 512; q++)
        {
            double r = 1.0 / ((q + 0.5) / 512.0);
            Assert.Equal((int)(256.0 * r + 0.5), SoftFloat.RecipEstimate(q));
        }
        for (int a = 128; a < 512; a++)
        {
            int x = a < 256 ? a * 2 + 1 : ((a >> 1) << 1) * 2 + 2;
            int b = 512;
            while ((long)x * (b + 1) * (b + 1) < 1L << 28) b++;
            Assert.Equal((b + 1) / 2, SoftFloat.RecipSqrtEstimate(a));
        }
        Assert.Equal(0xFFFFFFFFu, SoftFloat.UnsignedRecipEstimate(0x7FFFFFFF));
        Assert.Equal(0xFF800000u, SoftFloat.UnsignedRecipEstimate(0x80000000));
        Assert.Equal(0xFFFFFFFFu, SoftFloat.UnsignedRSqrtEstimate(0x3FFFFFFF));
        Assert.Equal(0xFF800000u, SoftFloat.UnsignedRSqrtEstimate(0x40000000));  // 1/sqrt(0.25) = 2, saturating the 0.32 format's top
    }

    [Fact]
    public void RecipAndRSqrtSteps()
    {
        uint fpscr = Fpscr.Standard(0);
        Assert.Equal(0x40000000u, SoftFloat.RecipStep32(0x7F800000, 0x00000000, ref fpscr));   // inf * 0: 2, no IOC
        Assert.Equal(0x3FC00000u, SoftFloat.RSqrtStep32(0x00000000, 0xFF800000, ref fpscr));   // 1.5
        Assert.Equal(0u, fpscr & Fpscr.CumulativeFlags);
        Assert.Equal(0x3F800000u, SoftFloat.RecipStep32(0x3F800000, 0x3F800000, ref fpscr));   // 2 - 1
        Assert.Equal(0x3F800000u, SoftFloat.RSqrtStep32(0x3F800000, 0x3F800000, ref fpscr));   // (3 - 1) / 2
        Assert.Equal(0u, fpscr & Fpscr.CumulativeFlags);
    }

    // ---- Against the host where IEEE 754 and ARM agree ------------------------------------

    /// <summary>Bit patterns biased towards the edges: zeros, denormals, the extreme exponents, infinities.</summary>
    private static ulong Draw(Random rng, in FpFormat f)
    {
        ulong sign = rng.Next(2) == 0 ? 0 : f.SignBit;
        ulong frac = (ulong)rng.NextInt64() & f.FracMask;
        if (rng.Next(4) == 0) frac &= ~((1UL << rng.Next(f.F)) - 1);     // short fractions: exact cases, halfway cases
        int e = rng.Next(10) switch
        {
            0 => 0,
            1 => f.MaxBiasedExp,
            2 => 1 + rng.Next(3),
            3 => f.MaxBiasedExp - 1 - rng.Next(3),
            _ => f.Bias + rng.Next(-40, 40),
        };
        if (e == f.MaxBiasedExp) frac = 0;                               // infinity, no NaN
        return sign | ((ulong)e << f.F) | frac;
    }

    [Fact]
    public void MatchesTheHostInRoundToNearest()
    {
        var rng = new Random(10);
        for (int i = 0; i < 200_000; i++)
        {
            uint a = (uint)Draw(rng, S), b = (uint)Draw(rng, S), c = (uint)Draw(rng, S);
            float x = BitConverter.UInt32BitsToSingle(a), y = BitConverter.UInt32BitsToSingle(b), z = BitConverter.UInt32BitsToSingle(c);
            Check32(x + y, SoftFloat.Add, a, b);
            Check32(x - y, SoftFloat.Sub, a, b);
            Check32(x * y, SoftFloat.Mul, a, b);
            Check32(x / y, SoftFloat.Div, a, b);
            uint fpscr = 0;
            float fma = MathF.FusedMultiplyAdd(x, y, z);
            if (!float.IsNaN(fma)) Assert.Equal(Bits(fma), (uint)SoftFloat.MulAdd(c, a, b, S, ref fpscr));
            float sq = MathF.Sqrt(x);
            if (!float.IsNaN(sq)) Assert.Equal(Bits(sq), (uint)SoftFloat.Sqrt(a, S, ref fpscr));

            ulong p = Draw(rng, D), q = Draw(rng, D), r = Draw(rng, D);
            double u = BitConverter.UInt64BitsToDouble(p), v = BitConverter.UInt64BitsToDouble(q), w = BitConverter.UInt64BitsToDouble(r);
            Check64(u + v, SoftFloat.Add, p, q);
            Check64(u - v, SoftFloat.Sub, p, q);
            Check64(u * v, SoftFloat.Mul, p, q);
            Check64(u / v, SoftFloat.Div, p, q);
            double fmad = Math.FusedMultiplyAdd(u, v, w);
            if (!double.IsNaN(fmad)) Assert.Equal(Bits(fmad), SoftFloat.MulAdd(r, p, q, D, ref fpscr));
            double sqd = Math.Sqrt(u);
            if (!double.IsNaN(sqd)) Assert.Equal(Bits(sqd), SoftFloat.Sqrt(p, D, ref fpscr));
            if (!double.IsNaN(u)) Assert.Equal(Bits((float)u), (uint)SoftFloat.Convert(p, D, S, ref fpscr));
            Assert.Equal(Bits((double)x), SoftFloat.Convert(a, S, D, ref fpscr));
        }

        static void Check32(float host, Binary op, uint a, uint b)
        {
            if (float.IsNaN(host)) return;       // x86 makes a negative default NaN; ARM a positive one
            uint fpscr = 0;
            Assert.Equal(Bits(host), (uint)op(a, b, S, ref fpscr));
        }

        static void Check64(double host, Binary op, ulong a, ulong b)
        {
            if (double.IsNaN(host)) return;
            uint fpscr = 0;
            Assert.Equal(Bits(host), op(a, b, D, ref fpscr));
        }
    }

    /// <summary>The host path (typed entry points) gives the software path's bits and flags, in every mode.</summary>
    [Fact]
    public void HostPathEqualsSoftware()
    {
        var rng = new Random(11);
        uint[] controls = [RN, RN | FZ, RN | DN, RN | FZ | DN, RP, RM, RZ];
        for (int i = 0; i < 300_000; i++)
        {
            uint control = controls[rng.Next(controls.Length)];
            uint a = (uint)Draw(rng, S), b = (uint)Draw(rng, S);
            if (rng.Next(3) == 0) b = (a & 0xFF800000) ^ ((uint)rng.Next(0x800000)) ^ (uint)(rng.Next(2) << 31);   // near-cancellation
            Same(control, (ref uint f) => SoftFloat.Add32(a, b, ref f), (ref uint f) => SoftFloat.Add(a, b, S, ref f));
            Same(control, (ref uint f) => SoftFloat.Sub32(a, b, ref f), (ref uint f) => SoftFloat.Sub(a, b, S, ref f));
            Same(control, (ref uint f) => SoftFloat.Mul32(a, b, ref f), (ref uint f) => SoftFloat.Mul(a, b, S, ref f));
            Same(control, (ref uint f) => SoftFloat.Div32(a, b, ref f), (ref uint f) => SoftFloat.Div(a, b, S, ref f));
            Same(control, (ref uint f) => SoftFloat.Sqrt32(a, ref f), (ref uint f) => SoftFloat.Sqrt(a, S, ref f));
            ulong p = Draw(rng, D), q = Draw(rng, D);
            if (rng.Next(3) == 0) q = (p & 0xFFF0000000000000) ^ ((ulong)rng.NextInt64() & D.FracMask);
            Same(control, (ref uint f) => SoftFloat.Add64(p, q, ref f), (ref uint f) => SoftFloat.Add(p, q, D, ref f));
            Same(control, (ref uint f) => SoftFloat.Sub64(p, q, ref f), (ref uint f) => SoftFloat.Sub(p, q, D, ref f));
            Same(control, (ref uint f) => SoftFloat.Mul64(p, q, ref f), (ref uint f) => SoftFloat.Mul(p, q, D, ref f));
            Same(control, (ref uint f) => SoftFloat.Div64(p, q, ref f), (ref uint f) => SoftFloat.Div(p, q, D, ref f));
            Same(control, (ref uint f) => SoftFloat.Sqrt64(p, ref f), (ref uint f) => SoftFloat.Sqrt(p, D, ref f));
        }

        static void Same(uint control, Op host, Op soft)
        {
            uint f1 = control, f2 = control;
            ulong r1 = host(ref f1), r2 = soft(ref f2);
            Assert.Equal(r2, r1);
            Assert.Equal(f2, f1);
        }
    }

    private delegate ulong Op(ref uint fpscr);
}
