using ArmEmu.Cpu.Vfp;
using ArmEmu.Memory;

namespace ArmEmu.Cpu.Tests.Neon;

/// <summary>
/// Advanced SIMD instructions on a Cortex-A9, assembled by GNU as: access control (CPACR,
/// ASEDIS, FPEXC.EN), results worked out by hand from the manual's pseudocode, QC, and the
/// VLDn/VSTn alignment the instruction names (an Alignment fault whatever SCTLR.A says; Unicorn
/// 2.0.1 does not check it, so the differential test cannot).
/// </summary>
public class NeonInstructionTests
{
    private const string Prologue = ".arch armv7-a\n.fpu neon-vfpv4\n.syntax unified\n";

    private static CpuHarness Run(string code, Action<CpuHarness>? setup = null, bool enable = true, CpuModel? model = null)
    {
        ExceptionKind? taken = null;
        MemoryFault? fault = null;
        var h = CpuHarness.Run(Prologue + code, s =>
        {
            if (enable) s.Cpu.Fpu.EnableForUserMode();
            s.Cpu.ExceptionHandler = (Cpu c, in CpuException e) =>
            {
                taken = e.Kind;
                fault = e.Fault;
                return ExceptionDisposition.Stop;
            };
            setup?.Invoke(s);
        }, model: model ?? CpuModel.CortexA9);
        h.Exception = taken;
        LastFault = fault;
        return h;
    }

    [ThreadStatic] private static MemoryFault? LastFault;

    [Fact]
    public void UndefinedUntilEnabledAndWithAsedis()
    {
        using var off = Run("vadd.i8 d0, d1, d2", enable: false);
        Assert.Equal(ExceptionKind.Undefined, off.Exception);
        using var fpexcOff = Run("vadd.i8 d0, d1, d2", s => s.Cpu.Fpu.Cpacr = FloatingPointUnit.CpacrFullAccess, enable: false);
        Assert.Equal(ExceptionKind.Undefined, fpexcOff.Exception);
        // ASEDIS disables Advanced SIMD but not VFP (DDI 0406C B4.1.40).
        using var asedis = Run("vadd.i8 d0, d1, d2", s => s.Cpu.Fpu.Cpacr |= FloatingPointUnit.CpacrAsedis);
        Assert.Equal(ExceptionKind.Undefined, asedis.Exception);
        using var vfpStill = Run("vadd.f64 d0, d1, d2", s => s.Cpu.Fpu.Cpacr |= FloatingPointUnit.CpacrAsedis);
        Assert.Null(vfpStill.Exception);
        using var on = Run("vadd.i8 d0, d1, d2", s => { s.Cpu.Fpu.D[1] = 0x0102030405060708; s.Cpu.Fpu.D[2] = 0xFF; });
        Assert.Null(on.Exception);
        Assert.Equal(0x0102030405060707UL, on.Cpu.Fpu.D[0]);
    }

    [Fact]
    public void QRegistersMustBeEven() =>
        Assert.Equal(ExceptionKind.Undefined, Run(".inst 0xf2001840").Exception);   // vadd.i8 with Q = 1 and D:Vd = 1

    [Fact]
    public void SaturationSetsQcAndQcIsSticky()
    {
        using var h = Run("vqadd.s8 d0, d1, d2\nvqadd.s8 d3, d4, d4", s =>
        {
            s.Cpu.Fpu.D[1] = 0x7F;
            s.Cpu.Fpu.D[2] = 0x01;
        });
        Assert.Equal(0x7FUL, h.Cpu.Fpu.D[0]);
        Assert.NotEqual(0u, h.Cpu.Fpu.Fpscr & Fpscr.QC);        // the second add does not saturate: QC stays
    }

    /// <summary>
    /// Shifts of 64-bit elements by 64 or more (the signed low byte of Vn): VSHL leaves 0,
    /// VQSHL saturates any nonzero value and keeps zero. Found by the Unicorn soak: an unsigned
    /// all-ones element shifted by 64 came out 0.
    /// </summary>
    [Theory]
    [InlineData("vqshl.u64 d0, d1, d2", 0xFFFF_FFFF_FFFF_FFFFUL, 64, 0xFFFF_FFFF_FFFF_FFFFUL, true)]
    [InlineData("vqshl.u64 d0, d1, d2", 0x8000_0000_0000_0000UL, 118, 0xFFFF_FFFF_FFFF_FFFFUL, true)]
    [InlineData("vqshl.u64 d0, d1, d2", 0UL, 127, 0UL, false)]
    [InlineData("vqshl.s64 d0, d1, d2", 0xFFFF_FFFF_FFFF_FFFFUL, 64, 0x8000_0000_0000_0000UL, true)]
    [InlineData("vqshl.s64 d0, d1, d2", 1UL, 100, 0x7FFF_FFFF_FFFF_FFFFUL, true)]
    [InlineData("vqrshl.u64 d0, d1, d2", 1UL, 64, 0xFFFF_FFFF_FFFF_FFFFUL, true)]
    [InlineData("vshl.u64 d0, d1, d2", 0xFFFF_FFFF_FFFF_FFFFUL, 64, 0UL, false)]
    [InlineData("vshl.s64 d0, d1, d2", 0x8000_0000_0000_0001UL, 127, 0UL, false)]
    [InlineData("vqshl.u64 d0, d1, d2", 0x0000_0000_0000_0001UL, 63, 0x8000_0000_0000_0000UL, false)]
    public void SixtyFourBitShiftsByTheWholeElementOrMore(string instruction, ulong value, int shift, ulong expected, bool saturates)
    {
        using var h = Run(instruction, s =>
        {
            s.Cpu.Fpu.D[1] = value;
            s.Cpu.Fpu.D[2] = 0xAB00_0000_0000_0000UL | (uint)shift;
        });
        Assert.Equal(expected, h.Cpu.Fpu.D[0]);
        Assert.Equal(saturates, (h.Cpu.Fpu.Fpscr & Fpscr.QC) != 0);
    }

    [Fact]
    public void VqdmulhSaturatesOnlyTheMostNegativeSquared()
    {
        using var h = Run("vqdmulh.s16 d0, d1, d2", s =>
        {
            s.Cpu.Fpu.D[1] = 0x8000_4000_8000_0001;
            s.Cpu.Fpu.D[2] = 0x8000_4000_7FFF_0001;
        });
        // 0x8000^2 saturates to 0x7FFF; 0x4000^2*2 >> 16 = 0x2000; -0x8000*0x7FFF*2 >> 16 = -0x7FFF; 1*1*2 >> 16 = 0.
        Assert.Equal(0x7FFF_2000_8001_0000UL, h.Cpu.Fpu.D[0]);
        Assert.NotEqual(0u, h.Cpu.Fpu.Fpscr & Fpscr.QC);
    }

    [Fact]
    public void FloatUsesTheStandardFpscrAndKeepsFlags()
    {
        // FPSCR says round towards zero and no flush; the Standard FPSCR rounds to nearest and flushes.
        using var h = Run("vadd.f32 d0, d1, d2", s =>
        {
            s.Cpu.Fpu.Fpscr = Fpscr.RoundTowardsZero << Fpscr.RModeShift;
            s.Cpu.Fpu.D[1] = 0x3F800000_00000001;   // 1.0 and the smallest denormal
            s.Cpu.Fpu.D[2] = 0x33800001_00000000;   // 2^-24 (just over half an ulp of 1.0) and +0
        });
        Assert.Equal(0x3F800001_00000000UL, h.Cpu.Fpu.D[0]);   // rounded up (to nearest), and the denormal flushed to +0
        Assert.NotEqual(0u, h.Cpu.Fpu.Fpscr & Fpscr.IXC);
        Assert.NotEqual(0u, h.Cpu.Fpu.Fpscr & Fpscr.IDC);
        Assert.Equal(Fpscr.RoundTowardsZero, Fpscr.RMode(h.Cpu.Fpu.Fpscr));   // the control bits untouched
    }

    [Fact]
    public void ModifiedImmediatesExpandAsTheTable()
    {
        using var h = Run("vmov.i32 d0, #0x00ab0000\nvmvn.i16 d1, #0xcd00\nvmov.i64 d2, #0xff00ff00ff0000ff\nvmov.f32 d3, #-1.5\nvorr.i32 d4, #0x12");
        Assert.Equal(0x00AB0000_00AB0000UL, h.Cpu.Fpu.D[0]);
        Assert.Equal(0x32FF_32FF_32FF_32FFUL, h.Cpu.Fpu.D[1]);
        Assert.Equal(0xFF00FF00FF0000FFUL, h.Cpu.Fpu.D[2]);
        Assert.Equal(0xBFC00000_BFC00000UL, h.Cpu.Fpu.D[3]);
        Assert.Equal(0x00000012_00000012UL, h.Cpu.Fpu.D[4]);
    }

    [Fact]
    public void ZipUnzipAndTableLookUp()
    {
        using var h = Run("vzip.8 d0, d1\nvtbl.8 d4, {d2, d3}, d5\nvtbx.8 d6, {d2}, d5", s =>
        {
            s.Cpu.Fpu.D[0] = 0x0706050403020100;
            s.Cpu.Fpu.D[1] = 0x1716151413121110;
            s.Cpu.Fpu.D[2] = 0x2726252423222120;
            s.Cpu.Fpu.D[3] = 0x2F2E2D2C2B2A2928;
            s.Cpu.Fpu.D[5] = 0xFF10_0F08_0700_0901;
            s.Cpu.Fpu.D[6] = 0xAAAA_AAAA_AAAA_AAAA;
        });
        Assert.Equal(0x1303120211011000UL, h.Cpu.Fpu.D[0]);
        Assert.Equal(0x1707160615051404UL, h.Cpu.Fpu.D[1]);
        Assert.Equal(0x0000_2F28_2720_2921UL, h.Cpu.Fpu.D[4]);    // indices 16 and 255 are past the table: 0
        Assert.Equal(0xAAAA_AAAA_2720_AA21UL, h.Cpu.Fpu.D[6]);    // VTBX keeps the old bytes there
    }

    [Fact]
    public void InterleavedLoadAndStoreWithWriteBack()
    {
        using var h = Run("vld2.16 {d0, d1}, [r0]!\nvst4.8 {d4, d5, d6, d7}, [r1], r2", s =>
        {
            for (uint i = 0; i < 16; i++) s.Bus.WriteRam(CpuHarness.DataBase + i, [(byte)i]);
            s.Cpu.R[0] = CpuHarness.DataBase;
            s.Cpu.R[1] = CpuHarness.DataBase + 0x100;
            s.Cpu.R[2] = 0x40;
            s.Cpu.Fpu.D[4] = 0x0000000000000000; s.Cpu.Fpu.D[5] = 0x1111111111111111;
            s.Cpu.Fpu.D[6] = 0x2222222222222222; s.Cpu.Fpu.D[7] = 0x3333333333333333;
        });
        Assert.Null(h.Exception);
        Assert.Equal(0x0D0C_0908_0504_0100UL, h.Cpu.Fpu.D[0]);   // even halfwords
        Assert.Equal(0x0F0E_0B0A_0706_0302UL, h.Cpu.Fpu.D[1]);   // odd halfwords
        Assert.Equal(CpuHarness.DataBase + 16, h.Cpu.R[0]);
        Assert.Equal(CpuHarness.DataBase + 0x140, h.Cpu.R[1]);
        var stored = new byte[8];
        h.Bus.ReadRam(CpuHarness.DataBase + 0x100, stored);
        Assert.Equal(new byte[] { 0x00, 0x11, 0x22, 0x33, 0x00, 0x11, 0x22, 0x33 }, stored);
    }

    [Theory]
    [InlineData("vld1.64 {d0}, [r0:64]", 4u)]            // :64 with an address 4 bytes off
    [InlineData("vld1.8 {d0, d1}, [r0:128]", 8u)]
    [InlineData("vst1.32 {d0[1]}, [r0:32]", 2u)]         // one lane, :32
    [InlineData("vld4.8 {d0[], d1[], d2[], d3[]}, [r0:32]", 1u)]
    [InlineData("vld2.16 {d0[2], d1[2]}, [r0:32]", 2u)]
    public void NamedAlignmentFaultsWhateverSctlrA(string instruction, uint offset)
    {
        using var h = Run(instruction, s => s.Cpu.R[0] = CpuHarness.DataBase + offset);
        Assert.Equal(ExceptionKind.DataAbort, h.Exception);
        Assert.Equal(FaultKind.Alignment, LastFault?.Kind);
        Assert.Equal(CpuHarness.DataBase + offset, h.Cpu.R[0]);   // no write-back happened
        // The same access aligned is fine, and without an alignment qualifier an unaligned element access is too.
        using var aligned = Run(instruction, s => s.Cpu.R[0] = CpuHarness.DataBase);
        Assert.Null(aligned.Exception);
    }

    [Fact]
    public void ElementAccessesMayBeUnalignedWithoutAQualifier()
    {
        using var h = Run("vld1.32 {d0}, [r0]", s =>
        {
            for (uint i = 0; i < 16; i++) s.Bus.WriteRam(CpuHarness.DataBase + i, [(byte)i]);
            s.Cpu.R[0] = CpuHarness.DataBase + 1;
        });
        Assert.Null(h.Exception);
        Assert.Equal(0x0807060504030201UL, h.Cpu.Fpu.D[0]);
    }

    [Fact]
    public void VdupFromACoreRegisterAndTheScalarMoves()
    {
        using var h = Run("vdup.16 q1, r0\nvmov.u8 r1, d2[5]\nvmov.s16 r2, d3[3]", s => s.Cpu.R[0] = 0x1234_8765);
        Assert.Equal(0x8765_8765_8765_8765UL, h.Cpu.Fpu.D[2]);
        Assert.Equal(0x8765_8765_8765_8765UL, h.Cpu.Fpu.D[3]);
        Assert.Equal(0x87u, h.Cpu.R[1]);
        Assert.Equal(0xFFFF_8765u, h.Cpu.R[2]);
    }
}
