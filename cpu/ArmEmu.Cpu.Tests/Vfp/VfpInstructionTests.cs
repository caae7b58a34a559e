using ArmEmu.Cpu.Vfp;

namespace ArmEmu.Cpu.Tests.Vfp;

/// <summary>
/// VFP instructions on a Cortex-A9 (VFPv3-D32 + FP16) and a Cortex-A15 (VFPv4): access
/// control, register views, arithmetic through the soft-float core, compare into APSR,
/// conversions, transfers, loads and stores, short vectors.
/// </summary>
public class VfpInstructionTests
{
    private const string Prologue = ".arch armv7-a\n.fpu neon-vfpv4\n.syntax unified\n";

    private static CpuHarness Run(string code, Action<CpuHarness>? setup = null, CpuModel? model = null, bool enable = true)
    {
        ExceptionKind? taken = null;
        var h = CpuHarness.Run(Prologue + code, s =>
        {
            if (enable) s.Cpu.Fpu.EnableForUserMode();
            s.Cpu.ExceptionHandler = (Cpu c, in CpuException e) =>
            {
                taken = e.Kind;
                return ExceptionDisposition.Stop;
            };
            setup?.Invoke(s);
        }, model: model ?? CpuModel.CortexA9);
        h.Exception = taken;
        return h;
    }

    [Fact]
    public void UndefinedUntilEnabled()
    {
        using var h = Run("vadd.f32 s0, s1, s2", enable: false);
        Assert.Equal(ExceptionKind.Undefined, h.Exception);
        using var cpacrOnly = Run("vadd.f32 s0, s1, s2", s => { s.Cpu.Fpu.Cpacr = FloatingPointUnit.CpacrFullAccess; }, enable: false);
        Assert.Equal(ExceptionKind.Undefined, cpacrOnly.Exception);   // FPEXC.EN still clear
        // FPEXC itself is reachable with EN clear, from a privileged mode.
        using var fpexc = Run("vmrs r0, fpexc\nvmsr fpexc, r1", s =>
        {
            s.Cpu.Fpu.Cpacr = FloatingPointUnit.CpacrFullAccess;
            s.Cpu.R[1] = FloatingPointUnit.FpexcEn;
        }, enable: false);
        Assert.Null(fpexc.Exception);
        Assert.Equal(FloatingPointUnit.FpexcEn, fpexc.Cpu.Fpu.Fpexc);
    }

    [Fact]
    public void CpacrPrivilegedOnlyRefusesUserMode()
    {
        using var h = Run("vmov.f32 s0, s1", s =>
        {
            s.Cpu.Fpu.Cpacr = 0x0050_0000;           // cp10, cp11 = 01: privileged access only
            s.Cpu.SwitchMode(ProcessorMode.User);
        });
        Assert.Equal(ExceptionKind.Undefined, h.Exception);
    }

    [Fact]
    public void IdRegistersAreTheModels()
    {
        using var h = Run("vmrs r0, fpsid\nvmrs r1, mvfr0\nvmrs r2, mvfr1");
        Assert.Equal(0x41033090u, h[0]);
        Assert.Equal(0x11110222u, h[1]);
        Assert.Equal(0x01111111u, h[2]);
    }

    [Fact]
    public void SingleRegistersAreHalvesOfDoubles()
    {
        using var h = Run("vmov s0, r0\nvmov s1, r1\nvmov r2, r3, d0\nvmov d17, r0, r1\nvmov.32 r4, d17[1]",
                          s => { s.Cpu.R[0] = 0x1111_1111; s.Cpu.R[1] = 0x2222_2222; });
        Assert.Null(h.Exception);
        Assert.Equal(0x2222_2222_1111_1111UL, h.Cpu.Fpu.D[0]);
        Assert.Equal(0x1111_1111u, h[2]);
        Assert.Equal(0x2222_2222u, h[3]);
        Assert.Equal(0x2222_2222u, h[4]);
        Assert.Equal(0x2222_2222_1111_1111UL, h.Cpu.Fpu.D[17]);
    }

    [Fact]
    public void ArithmeticAndFlags()
    {
        // 1 + 2^-24 rounds to 1 (inexact); 1/0 is +inf (division by zero); the flags accumulate.
        using var h = Run("vadd.f32 s0, s1, s2\nvdiv.f32 s3, s1, s4\nvmrs r0, fpscr", s =>
        {
            s.Cpu.Fpu.SetS(1, 0x3F80_0000);
            s.Cpu.Fpu.SetS(2, 0x3380_0000);
            s.Cpu.Fpu.SetS(4, 0);
        });
        Assert.Equal(0x3F80_0000u, h.Cpu.Fpu.GetS(0));
        Assert.Equal(0x7F80_0000u, h.Cpu.Fpu.GetS(3));
        Assert.Equal(Fpscr.IXC | Fpscr.DZC, h[0]);
    }

    [Fact]
    public void ChainedAndFusedMultiplyAccumulate()
    {
        // (1 + 2^-12)^2 - (1 + 2^-11) = 2^-24 exactly when fused; 0 when the product is rounded first.
        using var h = Run("vmla.f32 s0, s2, s2\nvfma.f32 s1, s2, s2", s =>
        {
            s.Cpu.Fpu.SetS(0, 0xBF80_1000);
            s.Cpu.Fpu.SetS(1, 0xBF80_1000);
            s.Cpu.Fpu.SetS(2, 0x3F80_0800);
        }, CpuModel.CortexA15);
        Assert.Equal(0u, h.Cpu.Fpu.GetS(0));
        Assert.Equal(0x3380_0000u, h.Cpu.Fpu.GetS(1));
    }

    [Fact]
    public void FusedMultiplyAccumulateIsUndefinedBeforeVfp4() =>
        Assert.Equal(ExceptionKind.Undefined, Run("vfma.f32 s1, s2, s2").Exception);

    [Fact]
    public void CompareIntoApsr()
    {
        using var h = Run("vcmp.f64 d0, d1\nvmrs APSR_nzcv, fpscr\nmovlt r0, #1\nvcmpe.f32 s4, #0\nvmrs r1, fpscr", s =>
        {
            s.Cpu.Fpu.D[0] = BitConverter.DoubleToUInt64Bits(1.0);
            s.Cpu.Fpu.D[1] = BitConverter.DoubleToUInt64Bits(2.0);
            s.Cpu.Fpu.SetS(4, 0x7FC0_0000);          // a quiet NaN: VCMPE raises Invalid Operation
        });
        Assert.Equal(1u, h[0]);
        Assert.Equal("Nzcv", h.Flags);
        Assert.Equal(0x3000_0000u | Fpscr.IOC, h[1]);
    }

    [Fact]
    public void Conversions()
    {
        using var h = Run("""
            vcvt.s32.f64 s0, d1
            vcvtr.s32.f64 s1, d1
            vcvt.f64.f32 d2, s8
            vcvt.f32.u32 s9, s10
            vcvt.s16.f32 s11, s11, #8
            vcvtb.f16.f32 s12, s13
            vcvtt.f32.f16 s14, s15
            """, s =>
        {
            s.Cpu.Fpu.D[1] = BitConverter.DoubleToUInt64Bits(-2.5);
            s.Cpu.Fpu.SetS(8, 0x0000_0001);          // the smallest denormal single
            s.Cpu.Fpu.SetS(10, 0xFFFF_FFFF);
            s.Cpu.Fpu.SetS(11, 0xBFC0_0000);         // -1.5 -> -384 in Q8, sign-extended
            s.Cpu.Fpu.SetS(12, 0xAAAA_AAAA);
            s.Cpu.Fpu.SetS(13, 0x3F80_0000);
            s.Cpu.Fpu.SetS(15, 0x3C00_0000);         // 1.0 in the top half
        });
        Assert.Null(h.Exception);
        Assert.Equal(unchecked((uint)-2), h.Cpu.Fpu.GetS(0));        // towards zero
        Assert.Equal(unchecked((uint)-2), h.Cpu.Fpu.GetS(1));        // to nearest even
        Assert.Equal(0x36A0_0000_0000_0000UL, h.Cpu.Fpu.D[2]);
        Assert.Equal(0x4F80_0000u, h.Cpu.Fpu.GetS(9));
        Assert.Equal(unchecked((uint)-384), h.Cpu.Fpu.GetS(11));
        Assert.Equal(0xAAAA_3C00u, h.Cpu.Fpu.GetS(12));              // the top half kept
        Assert.Equal(0x3F80_0000u, h.Cpu.Fpu.GetS(14));
    }

    [Fact]
    public void ImmediateMoves()
    {
        using var h = Run("vmov.f32 s0, #-1.5\nvmov.f64 d1, #0.125\nvmov.f32 s4, #31.0");
        Assert.Equal(0xBFC0_0000u, h.Cpu.Fpu.GetS(0));
        Assert.Equal(BitConverter.DoubleToUInt64Bits(0.125), h.Cpu.Fpu.D[1]);
        Assert.Equal(BitConverter.SingleToUInt32Bits(31.0f), h.Cpu.Fpu.GetS(4));
    }

    [Fact]
    public void LoadsStoresPushAndPop()
    {
        using var h = Run($$"""
            ldr r1, =0x{{CpuHarness.DataBase:x}}
            vldr d0, [r1]
            vldr s2, [r1, #8]
            vstr d0, [r1, #16]
            vpush {d0-d1}
            vmov.f64 d0, #1.0
            vmov.f64 d1, #1.0
            vpop {d0-d1}
            vldmia r1!, {s8-s10}
            b 1f
            .ltorg
            1:
            """, s =>
        {
            s.Cpu.R[13] = CpuHarness.DataBase + 0x1000;
            s.Write32(CpuHarness.DataBase, 0x1111_1111);
            s.Write32(CpuHarness.DataBase + 4, 0x2222_2222);
            s.Write32(CpuHarness.DataBase + 8, 0x3333_3333);
        });
        Assert.Null(h.Exception);
        Assert.Equal(0x2222_2222_1111_1111UL, h.Cpu.Fpu.D[0]);
        Assert.Equal(0x3333_3333u, h.Cpu.Fpu.GetS(2));
        Assert.Equal(0x1111_1111u, h.Read32(CpuHarness.DataBase + 16));
        Assert.Equal(0x2222_2222u, h.Read32(CpuHarness.DataBase + 20));
        Assert.Equal(CpuHarness.DataBase + 0x1000, h[13]);
        Assert.Equal(0x3333_3333u, h.Cpu.Fpu.GetS(10));
        Assert.Equal(CpuHarness.DataBase + 12, h[1]);
    }

    [Fact]
    public void ShortVectors()
    {
        // LEN = 3 (four elements), STRIDE = 1: s8-s11 = s16-s19 + s24-s27; then a mixed
        // vector/scalar add (s0 is in the first bank: reused); then a scalar one (destination s1).
        using var h = Run("vmsr fpscr, r0\nvadd.f32 s8, s16, s24\nvadd.f32 s12, s16, s0\nvadd.f32 s1, s16, s24", s =>
        {
            s.Cpu.R[0] = 3u << Fpscr.LenShift;
            for (int i = 0; i < 4; i++)
            {
                s.Cpu.Fpu.SetS(16 + i, BitConverter.SingleToUInt32Bits(i + 1));
                s.Cpu.Fpu.SetS(24 + i, BitConverter.SingleToUInt32Bits(10 * (i + 1)));
            }
            s.Cpu.Fpu.SetS(0, BitConverter.SingleToUInt32Bits(100));
        });
        Assert.Null(h.Exception);
        for (int i = 0; i < 4; i++)
        {
            Assert.Equal(11f * (i + 1), BitConverter.UInt32BitsToSingle(h.Cpu.Fpu.GetS(8 + i)));
            Assert.Equal(100f + i + 1, BitConverter.UInt32BitsToSingle(h.Cpu.Fpu.GetS(12 + i)));
        }
        Assert.Equal(11f, BitConverter.UInt32BitsToSingle(h.Cpu.Fpu.GetS(1)));
        Assert.Equal(0u, h.Cpu.Fpu.GetS(2));
    }

    [Theory]
    [InlineData("arm926", 0x40u)]          // qemu-arm -cpu arm926: AT_HWCAP 0xd7
    [InlineData("arm1176", 0x40u)]
    [InlineData("cortex-a8", 0x83040u)]    // 0x8b8d7 with SWP..EDSP, THUMBEE and TLS
    [InlineData("cortex-a9", 0x83040u)]
    [InlineData("cortex-a15", 0x93040u)]   // 0x1fb8d7 with IDIVA/IDIVT/LPAE too
    public void HwCapFloatingPointBitsAreQemus(string model, uint bits) =>
        Assert.Equal(bits, FloatingPointUnit.HwCap(CpuModel.Find(model)!));

    [Fact]
    public void ShortVectorsWrapInsideTheirBank()
    {
        // LEN = 3, STRIDE = 1: vneg.f64 d6, d14 writes d6, d7, d4, d5 from d14, d15, d12, d13
        // (DDI 0406C: the register number wraps inside its bank of four doubles).
        using var h = Run("vmsr fpscr, r0\nvneg.f64 d6, d14", s =>
        {
            s.Cpu.R[0] = 3u << Fpscr.LenShift;
            for (int i = 12; i < 16; i++) s.Cpu.Fpu.D[i] = (ulong)i;
        });
        Assert.Null(h.Exception);
        Assert.Equal((1UL << 63) | 14, h.Cpu.Fpu.D[6]);
        Assert.Equal((1UL << 63) | 15, h.Cpu.Fpu.D[7]);
        Assert.Equal((1UL << 63) | 12, h.Cpu.Fpu.D[4]);
        Assert.Equal((1UL << 63) | 13, h.Cpu.Fpu.D[5]);
        Assert.Equal(0UL, h.Cpu.Fpu.D[8]);
    }

    [Fact]
    public void VfpV2HasSixteenDoubleRegisters()
    {
        using var ok = Run("vadd.f64 d15, d14, d13", model: CpuModel.Arm926);
        Assert.Null(ok.Exception);
        using var h = Run("vadd.f64 d16, d14, d13", model: CpuModel.Arm926);
        Assert.Equal(ExceptionKind.Undefined, h.Exception);
    }
}
