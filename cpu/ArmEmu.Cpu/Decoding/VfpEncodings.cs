using ArmEmu.Cpu.Interpreter;

namespace ArmEmu.Cpu.Decoding;

#pragma warning disable IDE0055 // the table is aligned by hand

/// <summary>
/// The VFP encodings (DDI 0406C A7.5 data-processing, A7.6 load/store, A7.8 and A7.9
/// register transfers), one row per encoding in its A32 form. They live in the coprocessor
/// space of cp10/cp11 (CDP, MCR/MRC, MCRR/MRRC, LDC/STC with coproc = 101x), so every row
/// is in the <see cref="Group"/> shared with those generic rows and wins over them by being
/// more specific; a cp10/cp11 word no row here matches falls through to them, and with no
/// coprocessor 10 or 11 attached it is UNDEFINED, as QEMU makes it.
///
/// The T32 form of a VFP encoding is the A32 one with the condition field replaced by 1110
/// (DDI 0406C A6.3.18 / A7.5: "the same encoding, with bits 31:28 = 1110"), so the T32 rows
/// are derived (<see cref="ThumbRows"/>) rather than written again. SBZ/SBO bits are fixed
/// where QEMU's a32 vfp.decode fixes them.
/// </summary>
internal static unsafe class VfpEncodings
{
    /// <summary>The row group the VFP rows share with the generic coprocessor rows.</summary>
    public const string Group = "coprocessor";

    private const CpuFeature V2 = CpuFeature.Vfp2, V3 = CpuFeature.Vfp3, V4 = CpuFeature.Vfp4,
                             Fp16 = CpuFeature.VfpFp16, Simd = CpuFeature.Neon;

    public static readonly EncodingRow[] Rows =
    [
        // ---- Data processing (A7.5, table A7-16) ------------------------------------------------
        new("cccc11100D00nnnndddd101sN0M0mmmm", "VMLA (floating-point)",   &VfpArithmetic.Execute<VMla>,  group: Group, requires: V2),
        new("cccc11100D00nnnndddd101sN1M0mmmm", "VMLS (floating-point)",   &VfpArithmetic.Execute<VMls>,  group: Group, requires: V2),
        new("cccc11100D01nnnndddd101sN1M0mmmm", "VNMLA",                   &VfpArithmetic.Execute<VNmla>, group: Group, requires: V2),
        new("cccc11100D01nnnndddd101sN0M0mmmm", "VNMLS",                   &VfpArithmetic.Execute<VNmls>, group: Group, requires: V2),
        new("cccc11100D10nnnndddd101sN1M0mmmm", "VNMUL",                   &VfpArithmetic.Execute<VNmul>, group: Group, requires: V2),
        new("cccc11100D10nnnndddd101sN0M0mmmm", "VMUL (floating-point)",   &VfpArithmetic.Execute<VMul>,  group: Group, requires: V2),
        new("cccc11100D11nnnndddd101sN0M0mmmm", "VADD (floating-point)",   &VfpArithmetic.Execute<VAdd>,  group: Group, requires: V2),
        new("cccc11100D11nnnndddd101sN1M0mmmm", "VSUB (floating-point)",   &VfpArithmetic.Execute<VSub>,  group: Group, requires: V2),
        new("cccc11101D00nnnndddd101sN0M0mmmm", "VDIV",                    &VfpArithmetic.Execute<VDiv>,  group: Group, requires: V2),
        new("cccc11101D01nnnndddd101sN1M0mmmm", "VFNMA",                   &VfpArithmetic.Execute<VFnma>, group: Group, requires: V4),
        new("cccc11101D01nnnndddd101sN0M0mmmm", "VFNMS",                   &VfpArithmetic.Execute<VFnms>, group: Group, requires: V4),
        new("cccc11101D10nnnndddd101sN0M0mmmm", "VFMA",                    &VfpArithmetic.Execute<VFma>,  group: Group, requires: V4),
        new("cccc11101D10nnnndddd101sN1M0mmmm", "VFMS",                    &VfpArithmetic.Execute<VFms>,  group: Group, requires: V4),
        new("cccc11101D11hhhhdddd101s0000llll", "VMOV (immediate)",        &VfpArithmetic.MovImmediate,   group: Group, requires: V3),
        new("cccc11101D110000dddd101s01M0mmmm", "VMOV (register)",         &VfpArithmetic.Execute<VMovRegister>, group: Group, requires: V2),
        new("cccc11101D110000dddd101s11M0mmmm", "VABS",                    &VfpArithmetic.Execute<VAbs>,  group: Group, requires: V2),
        new("cccc11101D110001dddd101s01M0mmmm", "VNEG",                    &VfpArithmetic.Execute<VNeg>,  group: Group, requires: V2),
        new("cccc11101D110001dddd101s11M0mmmm", "VSQRT",                   &VfpArithmetic.Execute<VSqrt>, group: Group, requires: V2),
        new("cccc11101D11001odddd1010T1M0mmmm", "VCVTB, VCVTT",            &VfpConvert.Half,              group: Group, requires: Fp16),
        new("cccc11101D110100dddd101sE1M0mmmm", "VCMP, VCMPE (register)",  &VfpConvert.Compare,           group: Group, requires: V2),
        new("cccc11101D110101dddd101sE1000000", "VCMP, VCMPE (#0.0)",      &VfpConvert.Compare,           group: Group, requires: V2),
        new("cccc11101D110111dddd101s11M0mmmm", "VCVT (between double-precision and single-precision)", &VfpConvert.DoubleSingle, group: Group, requires: V2),
        new("cccc11101D111000dddd101so1M0mmmm", "VCVT (integer to floating-point)",       &VfpConvert.FromInteger, group: Group, requires: V2),
        new("cccc11101D11110udddd101sr1M0mmmm", "VCVT, VCVTR (floating-point to integer)", &VfpConvert.ToInteger, group: Group, requires: V2),
        new("cccc11101D111o1udddd101sx1i0iiii", "VCVT (between floating-point and fixed-point)", &VfpConvert.FixedPoint, group: Group, requires: V3),

        // ---- Extension register load/store (A7.6) -----------------------------------------------
        new("cccc1101UD01nnnndddd101siiiiiiii", "VLDR",                    &VfpLoadStore.Single,          group: Group, requires: V2),
        new("cccc1101UD00nnnndddd101siiiiiiii", "VSTR",                    &VfpLoadStore.Single,          group: Group, requires: V2),
        new("cccc11001DW1nnnndddd101siiiiiiii", "VLDM (increment after), VPOP",  &VfpLoadStore.Multiple,  group: Group, requires: V2),
        new("cccc11001DW0nnnndddd101siiiiiiii", "VSTM (increment after)",        &VfpLoadStore.Multiple,  group: Group, requires: V2),
        new("cccc11010D11nnnndddd101siiiiiiii", "VLDM (decrement before)",       &VfpLoadStore.Multiple,  group: Group, requires: V2),
        new("cccc11010D10nnnndddd101siiiiiiii", "VSTM (decrement before), VPUSH", &VfpLoadStore.Multiple, group: Group, requires: V2),

        // ---- 8, 16 and 32-bit transfers (A7.8) --------------------------------------------------
        new("cccc1110000onnnntttt1010N0010000", "VMOV (between ARM core register and single-precision register)", &VfpTransfer.CoreSingle, group: Group, requires: V2),
        new("cccc11101110rrrrtttt101000010000", "VMSR",                    &VfpTransfer.Vmsr,             group: Group, requires: V2),
        new("cccc11101111rrrrtttt101000010000", "VMRS",                    &VfpTransfer.Vmrs,             group: Group, requires: V2),
        new("cccc111000o0ddddtttt1011N0010000", "VMOV (ARM core register to scalar), 32-bit", &VfpTransfer.CoreToScalar, group: Group, requires: V2),
        new("cccc111001o0ddddtttt1011Noo10000", "VMOV (ARM core register to scalar), 8-bit",  &VfpTransfer.CoreToScalar, group: Group, requires: Simd),
        new("cccc111000o0ddddtttt1011No110000", "VMOV (ARM core register to scalar), 16-bit", &VfpTransfer.CoreToScalar, group: Group, requires: Simd),
        new("cccc111000o1nnnntttt1011N0010000", "VMOV (scalar to ARM core register), 32-bit", &VfpTransfer.ScalarToCore, group: Group, requires: V2),
        new("cccc1110U1o1nnnntttt1011Noo10000", "VMOV (scalar to ARM core register), 8-bit",  &VfpTransfer.ScalarToCore, group: Group, requires: Simd),
        new("cccc1110U0o1nnnntttt1011No110000", "VMOV (scalar to ARM core register), 16-bit", &VfpTransfer.ScalarToCore, group: Group, requires: Simd),

        // ---- 64-bit transfers (A7.9) ------------------------------------------------------------
        new("cccc1100010ouuuutttt101000M1mmmm", "VMOV (between two ARM core registers and two single-precision registers)", &VfpTransfer.CoreTwoSingles, group: Group, requires: V2),
        new("cccc1100010ouuuutttt101100M1mmmm", "VMOV (between two ARM core registers and a doubleword extension register)", &VfpTransfer.CoreDouble, group: Group, requires: V2),
    ];

    /// <summary>
    /// The T32 forms: each A32 row with its condition field replaced by 1110. Derived on first use
    /// (in a class of their own, not in this one's static constructor): only Thumb-2 models need
    /// them, and a start-up on the others should not build them.
    /// </summary>
    public static EncodingRow[] ThumbRows => ThumbForms.Rows;

    private static class ThumbForms
    {
        public static readonly EncodingRow[] Rows = [.. VfpEncodings.Rows.Select(ToThumb)];
    }

    /// <summary>A VFP row's T32 form (bits 31:28 = 1110 where the A32 form has the condition).</summary>
    public static EncodingRow ToThumb(EncodingRow row)
    {
        if (!row.Pattern.StartsWith("cccc", StringComparison.Ordinal))
            throw new ArgumentException($"{row} has no condition field to rewrite");
        return new EncodingRow("1110" + row.Pattern[4..], row.Name, row.Handler, row.Since, row.Group, row.Requires);
    }
}
