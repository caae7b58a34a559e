using ArmEmu.Cpu.Neon;

namespace ArmEmu.Cpu.Decoding;

#pragma warning disable IDE0055 // the table is aligned by hand

/// <summary>
/// The Advanced SIMD encodings (DDI 0406C A7.4 data-processing, A7.7 element and structure
/// load/store, VDUP from A7.8), one row per encoding in its A32 form, named as the manual names
/// them with the encoding id. The data-processing rows live in 1111 001U, the load/store rows
/// in 1111 0100 xxx0, which no other A32 row uses; VDUP (ARM core register) is a cp11 MCR-space
/// word and joins the coprocessor group as the VFP rows do.
///
/// The manual's decode tables carve classes out of one another ("L:imm6 = 0000xxx: see One
/// register and a modified immediate", "size = 11: see VEXT"); the rows are in one group,
/// where the more specific row wins, and the carved-out rows (the modified immediates, VEXT)
/// win by <see cref="EncodingRow.Priority"/> over the more specific rows they are carved from.
///
/// The T32 forms are derived (<see cref="ThumbRows"/>): 1111 001U becomes 111U 1111, 1111 0100
/// becomes 1111 1001 (DDI 0406C A7.3, A7.7), the coprocessor row's condition becomes 1110, and
/// the encoding id A1/A2 becomes T1/T2; the T32 decoder takes them as its Advanced SIMD rows.
/// </summary>
internal static unsafe class NeonEncodings
{
    /// <summary>The row group of the Advanced SIMD data-processing and load/store rows.</summary>
    public const string Group = "advanced-simd";

    private const CpuFeature Simd = CpuFeature.Neon, Fma = CpuFeature.Neon | CpuFeature.Vfp4, Half = CpuFeature.Neon | CpuFeature.VfpFp16;
    private const ArchVersion V7 = ArchVersion.V7;

    private static EncodingRow R(string pattern, string name, delegate*<Cpu, uint, void> handler, CpuFeature requires = Simd) =>
        new(pattern, name, handler, V7, Group, requires);

    /// <summary>A row the manual carves out of a class whose patterns fix more bits: it wins by priority.</summary>
    private static EncodingRow CarvedOut(string pattern, string name, delegate*<Cpu, uint, void> handler) =>
        new(pattern, name, handler, V7, Group, Simd, priority: 1);

    /// <summary>A load/store row: it may abort.</summary>
    private static EncodingRow M(string pattern, string name, delegate*<Cpu, uint, void> handler) =>
        new(pattern, name, handler, V7, Group, Simd, EncodingFlags.MayFault);

    public static readonly EncodingRow[] Rows =
    [
        // ---- Three registers of the same length (A7.4.1) ----------------------------------------
        R("1111001U0Dzznnnndddd0000NQM0mmmm", "VHADD A1",                     &NeonThreeSame.Integer<VHAdd>),
        R("1111001U0Dzznnnndddd0000NQM1mmmm", "VQADD A1",                     &NeonThreeSame.Integer<VQAdd>),
        R("1111001U0Dzznnnndddd0001NQM0mmmm", "VRHADD A1",                    &NeonThreeSame.Integer<VRHAdd>),
        R("111100100D00nnnndddd0001NQM1mmmm", "VAND (register) A1",           &NeonThreeSame.Bitwise<VAnd>),
        R("111100100D01nnnndddd0001NQM1mmmm", "VBIC (register) A1",           &NeonThreeSame.Bitwise<VBic>),
        R("111100100D10nnnndddd0001NQM1mmmm", "VORR (register) A1",           &NeonThreeSame.Bitwise<VOrr>),
        R("111100100D11nnnndddd0001NQM1mmmm", "VORN (register) A1",           &NeonThreeSame.Bitwise<VOrn>),
        R("111100110D00nnnndddd0001NQM1mmmm", "VEOR A1",                      &NeonThreeSame.Bitwise<VEor>),
        R("111100110D01nnnndddd0001NQM1mmmm", "VBSL A1",                      &NeonThreeSame.Bitwise<VBsl>),
        R("111100110D10nnnndddd0001NQM1mmmm", "VBIT A1",                      &NeonThreeSame.Bitwise<VBit>),
        R("111100110D11nnnndddd0001NQM1mmmm", "VBIF A1",                      &NeonThreeSame.Bitwise<VBif>),
        R("1111001U0Dzznnnndddd0010NQM0mmmm", "VHSUB A1",                     &NeonThreeSame.Integer<VHSub>),
        R("1111001U0Dzznnnndddd0010NQM1mmmm", "VQSUB A1",                     &NeonThreeSame.Integer<VQSub>),
        R("1111001U0Dzznnnndddd0011NQM0mmmm", "VCGT (register) A1",           &NeonThreeSame.Integer<VCgtInt>),
        R("1111001U0Dzznnnndddd0011NQM1mmmm", "VCGE (register) A1",           &NeonThreeSame.Integer<VCgeInt>),
        R("1111001U0Dzznnnndddd0100NQM0mmmm", "VSHL (register) A1",           &NeonThreeSame.Integer<VShlRegister>),
        R("1111001U0Dzznnnndddd0100NQM1mmmm", "VQSHL (register) A1",          &NeonThreeSame.Integer<VQShlRegister>),
        R("1111001U0Dzznnnndddd0101NQM0mmmm", "VRSHL A1",                     &NeonThreeSame.Integer<VRShlRegister>),
        R("1111001U0Dzznnnndddd0101NQM1mmmm", "VQRSHL A1",                    &NeonThreeSame.Integer<VQRShlRegister>),
        R("1111001U0Dzznnnndddd0110NQM0mmmm", "VMAX (integer) A1",            &NeonThreeSame.Integer<VMaxInt>),
        R("1111001U0Dzznnnndddd0110NQM1mmmm", "VMIN (integer) A1",            &NeonThreeSame.Integer<VMinInt>),
        R("1111001U0Dzznnnndddd0111NQM0mmmm", "VABD (integer) A1",            &NeonThreeSame.Integer<VAbd>),
        R("1111001U0Dzznnnndddd0111NQM1mmmm", "VABA A1",                      &NeonThreeSame.Integer<VAba>),
        R("111100100Dzznnnndddd1000NQM0mmmm", "VADD (integer) A1",            &NeonThreeSame.Integer<VAddInt>),
        R("111100110Dzznnnndddd1000NQM0mmmm", "VSUB (integer) A1",            &NeonThreeSame.Integer<VSubInt>),
        R("111100100Dzznnnndddd1000NQM1mmmm", "VTST A1",                      &NeonThreeSame.Integer<VTst>),
        R("111100110Dzznnnndddd1000NQM1mmmm", "VCEQ (register) A1",           &NeonThreeSame.Integer<VCeqInt>),
        R("111100100Dzznnnndddd1001NQM0mmmm", "VMLA (integer) A1",            &NeonThreeSame.Integer<VMlaInt>),
        R("111100110Dzznnnndddd1001NQM0mmmm", "VMLS (integer) A1",            &NeonThreeSame.Integer<VMlsInt>),
        R("111100100Dzznnnndddd1001NQM1mmmm", "VMUL (integer) A1",            &NeonThreeSame.Integer<VMulInt>),
        R("111100110Dzznnnndddd1001NQM1mmmm", "VMUL (polynomial) A1",         &NeonThreeSame.Integer<VMulPoly>),
        R("1111001U0Dzznnnndddd1010NQM0mmmm", "VPMAX (integer) A1",           &NeonThreeSame.Pairwise<VMaxInt>),
        R("1111001U0Dzznnnndddd1010NQM1mmmm", "VPMIN (integer) A1",           &NeonThreeSame.Pairwise<VMinInt>),
        R("111100100Dzznnnndddd1011NQM0mmmm", "VQDMULH A1",                   &NeonThreeSame.Integer<VQDMulH>),
        R("111100110Dzznnnndddd1011NQM0mmmm", "VQRDMULH A1",                  &NeonThreeSame.Integer<VQRDMulH>),
        R("111100100Dzznnnndddd1011NQM1mmmm", "VPADD (integer) A1",           &NeonThreeSame.Pairwise<VAddInt>),
        R("111100100D0snnnndddd1100NQM1mmmm", "VFMA A1",                      &NeonThreeSame.Float<VFmaFloat>, Fma),
        R("111100100D1snnnndddd1100NQM1mmmm", "VFMS A1",                      &NeonThreeSame.Float<VFmsFloat>, Fma),
        R("111100100D0snnnndddd1101NQM0mmmm", "VADD (floating-point) A1",     &NeonThreeSame.Float<VAddFloat>),
        R("111100100D1snnnndddd1101NQM0mmmm", "VSUB (floating-point) A1",     &NeonThreeSame.Float<VSubFloat>),
        R("111100110D0snnnndddd1101NQM0mmmm", "VPADD (floating-point) A1",    &NeonThreeSame.PairwiseFloat<VAddFloat>),
        R("111100110D1snnnndddd1101NQM0mmmm", "VABD (floating-point) A1",     &NeonThreeSame.Float<VAbdFloat>),
        R("111100100D0snnnndddd1101NQM1mmmm", "VMLA (floating-point) A1",     &NeonThreeSame.Float<VMlaFloat>),
        R("111100100D1snnnndddd1101NQM1mmmm", "VMLS (floating-point) A1",     &NeonThreeSame.Float<VMlsFloat>),
        R("111100110D0snnnndddd1101NQM1mmmm", "VMUL (floating-point) A1",     &NeonThreeSame.Float<VMulFloat>),
        R("111100100D0snnnndddd1110NQM0mmmm", "VCEQ (register) A2",           &NeonThreeSame.Float<VCeqFloat>),
        R("111100110D0snnnndddd1110NQM0mmmm", "VCGE (register) A2",           &NeonThreeSame.Float<VCgeFloat>),
        R("111100110D1snnnndddd1110NQM0mmmm", "VCGT (register) A2",           &NeonThreeSame.Float<VCgtFloat>),
        R("111100110D0snnnndddd1110NQM1mmmm", "VACGE A1",                     &NeonThreeSame.Float<VAcgeFloat>),
        R("111100110D1snnnndddd1110NQM1mmmm", "VACGT A1",                     &NeonThreeSame.Float<VAcgtFloat>),
        R("111100100D0snnnndddd1111NQM0mmmm", "VMAX (floating-point) A1",     &NeonThreeSame.Float<VMaxFloat>),
        R("111100100D1snnnndddd1111NQM0mmmm", "VMIN (floating-point) A1",     &NeonThreeSame.Float<VMinFloat>),
        R("111100110D0snnnndddd1111NQM0mmmm", "VPMAX (floating-point) A1",    &NeonThreeSame.PairwiseFloat<VMaxFloat>),
        R("111100110D1snnnndddd1111NQM0mmmm", "VPMIN (floating-point) A1",    &NeonThreeSame.PairwiseFloat<VMinFloat>),
        R("111100100D0snnnndddd1111NQM1mmmm", "VRECPS A1",                    &NeonThreeSame.Float<VRecpsFloat>),
        R("111100100D1snnnndddd1111NQM1mmmm", "VRSQRTS A1",                   &NeonThreeSame.Float<VRsqrtsFloat>),

        // ---- One register and a modified immediate value (A7.4.6) -------------------------------
        CarvedOut("1111001i1D000iiiddddcccc0Q01iiii", "VMOV (immediate) A1",          &NeonShiftImmediate.ModifiedImmediate),
        CarvedOut("1111001i1D000iiidddd11100Q11iiii", "VMOV (immediate) A1, 64-bit",  &NeonShiftImmediate.ModifiedImmediate),
        CarvedOut("1111001i1D000iiidddd0cc10Q01iiii", "VORR (immediate) A1",          &NeonShiftImmediate.ModifiedImmediate),
        CarvedOut("1111001i1D000iiidddd10c10Q01iiii", "VORR (immediate) A1, 16-bit",  &NeonShiftImmediate.ModifiedImmediate),
        CarvedOut("1111001i1D000iiiddddcccc0Q11iiii", "VMVN (immediate) A1",          &NeonShiftImmediate.ModifiedImmediate),
        CarvedOut("1111001i1D000iiidddd0cc10Q11iiii", "VBIC (immediate) A1",          &NeonShiftImmediate.ModifiedImmediate),
        CarvedOut("1111001i1D000iiidddd10c10Q11iiii", "VBIC (immediate) A1, 16-bit",  &NeonShiftImmediate.ModifiedImmediate),

        // ---- Two registers and a shift amount (A7.4.4) ------------------------------------------
        R("1111001U1Diiiiiidddd0000LQM1mmmm", "VSHR A1",                      &NeonShiftImmediate.Execute<VShr>),
        R("1111001U1Diiiiiidddd0001LQM1mmmm", "VSRA A1",                      &NeonShiftImmediate.Execute<VSra>),
        R("1111001U1Diiiiiidddd0010LQM1mmmm", "VRSHR A1",                     &NeonShiftImmediate.Execute<VRShr>),
        R("1111001U1Diiiiiidddd0011LQM1mmmm", "VRSRA A1",                     &NeonShiftImmediate.Execute<VRSra>),
        R("111100111Diiiiiidddd0100LQM1mmmm", "VSRI A1",                      &NeonShiftImmediate.Execute<VSri>),
        R("111100101Diiiiiidddd0101LQM1mmmm", "VSHL (immediate) A1",          &NeonShiftImmediate.Execute<VShlImmediate>),
        R("111100111Diiiiiidddd0101LQM1mmmm", "VSLI A1",                      &NeonShiftImmediate.Execute<VSli>),
        R("111100111Diiiiiidddd0110LQM1mmmm", "VQSHLU (immediate) A1",        &NeonShiftImmediate.Execute<VQShluImmediate>),
        R("1111001U1Diiiiiidddd0111LQM1mmmm", "VQSHL (immediate) A1",         &NeonShiftImmediate.Execute<VQShlImmediate>),
        R("111100101Diiiiiidddd100000M1mmmm", "VSHRN A1",                     &NeonShiftImmediate.Narrow),
        R("111100101Diiiiiidddd100001M1mmmm", "VRSHRN A1",                    &NeonShiftImmediate.Narrow),
        R("1111001U1Diiiiiidddd100p0rM1mmmm", "VQSHRN, VQSHRUN, VQRSHRN, VQRSHRUN A1", &NeonShiftImmediate.Narrow),
        R("1111001U1Diiiiiidddd101000M1mmmm", "VSHLL A1",                     &NeonShiftImmediate.ShiftLeftLong),
        R("1111001U1Diiiiiidddd111o0QM1mmmm", "VCVT (between floating-point and fixed-point, Advanced SIMD) A1", &NeonShiftImmediate.ConvertFixed),

        // ---- Three registers of different lengths (A7.4.2) --------------------------------------
        R("1111001U1Dzznnnndddd0000N0M0mmmm", "VADDL A1",                     &NeonLong.Long<VAddLong>),
        R("1111001U1Dzznnnndddd0001N0M0mmmm", "VADDW A1",                     &NeonLong.Wide<VAddLong>),
        R("1111001U1Dzznnnndddd0010N0M0mmmm", "VSUBL A1",                     &NeonLong.Long<VSubLong>),
        R("1111001U1Dzznnnndddd0011N0M0mmmm", "VSUBW A1",                     &NeonLong.Wide<VSubLong>),
        R("111100101Dzznnnndddd0100N0M0mmmm", "VADDHN A1",                    &NeonLong.AddHighNarrow),
        R("111100111Dzznnnndddd0100N0M0mmmm", "VRADDHN A1",                   &NeonLong.AddHighNarrow),
        R("1111001U1Dzznnnndddd0101N0M0mmmm", "VABAL A2",                     &NeonLong.Long<VAbaLong>),
        R("111100101Dzznnnndddd0110N0M0mmmm", "VSUBHN A1",                    &NeonLong.SubHighNarrow),
        R("111100111Dzznnnndddd0110N0M0mmmm", "VRSUBHN A1",                   &NeonLong.SubHighNarrow),
        R("1111001U1Dzznnnndddd0111N0M0mmmm", "VABDL (integer) A2",           &NeonLong.Long<VAbdLong>),
        R("1111001U1Dzznnnndddd1000N0M0mmmm", "VMLAL (integer) A2",           &NeonLong.Long<VMlaLong>),
        R("1111001U1Dzznnnndddd1010N0M0mmmm", "VMLSL (integer) A2",           &NeonLong.Long<VMlsLong>),
        R("111100101Dzznnnndddd1001N0M0mmmm", "VQDMLAL A1",                   &NeonLong.Long<VQDMlaLong>),
        R("111100101Dzznnnndddd1011N0M0mmmm", "VQDMLSL A1",                   &NeonLong.Long<VQDMlsLong>),
        R("1111001U1Dzznnnndddd1100N0M0mmmm", "VMULL (integer) A2",           &NeonLong.Long<VMulLong>),
        R("111100101Dzznnnndddd1101N0M0mmmm", "VQDMULL A1",                   &NeonLong.Long<VQDMulLong>),
        R("111100101Dzznnnndddd1110N0M0mmmm", "VMULL (polynomial) A2",        &NeonLong.Long<VMulLongPoly>),

        // ---- Two registers and a scalar (A7.4.3) ------------------------------------------------
        R("1111001Q1Dzznnnndddd0000N1M0mmmm", "VMLA (by scalar) A1",          &NeonScalar.Integer<VMlaInt>),
        R("1111001Q1Dzznnnndddd0001N1M0mmmm", "VMLA (by scalar, floating-point) A1", &NeonScalar.Float<VMlaFloat>),
        R("1111001Q1Dzznnnndddd0100N1M0mmmm", "VMLS (by scalar) A1",          &NeonScalar.Integer<VMlsInt>),
        R("1111001Q1Dzznnnndddd0101N1M0mmmm", "VMLS (by scalar, floating-point) A1", &NeonScalar.Float<VMlsFloat>),
        R("1111001U1Dzznnnndddd0010N1M0mmmm", "VMLAL (by scalar) A2",         &NeonScalar.Long<VMlaLong>),
        R("1111001U1Dzznnnndddd0110N1M0mmmm", "VMLSL (by scalar) A2",         &NeonScalar.Long<VMlsLong>),
        R("111100101Dzznnnndddd0011N1M0mmmm", "VQDMLAL (by scalar) A2",       &NeonScalar.Long<VQDMlaLong>),
        R("111100101Dzznnnndddd0111N1M0mmmm", "VQDMLSL (by scalar) A2",       &NeonScalar.Long<VQDMlsLong>),
        R("1111001Q1Dzznnnndddd1000N1M0mmmm", "VMUL (by scalar) A1",          &NeonScalar.Integer<VMulInt>),
        R("1111001Q1Dzznnnndddd1001N1M0mmmm", "VMUL (by scalar, floating-point) A1", &NeonScalar.Float<VMulFloat>),
        R("1111001U1Dzznnnndddd1010N1M0mmmm", "VMULL (by scalar) A2",         &NeonScalar.Long<VMulLong>),
        R("111100101Dzznnnndddd1011N1M0mmmm", "VQDMULL (by scalar) A2",       &NeonScalar.Long<VQDMulLong>),
        R("1111001Q1Dzznnnndddd1100N1M0mmmm", "VQDMULH (by scalar) A2",       &NeonScalar.Integer<VQDMulH>),
        R("1111001Q1Dzznnnndddd1101N1M0mmmm", "VQRDMULH (by scalar) A2",      &NeonScalar.Integer<VQRDMulH>),

        // ---- VEXT, two registers miscellaneous (A7.4.5), VTBL/VTBX, VDUP (scalar) ---------------
        CarvedOut("111100101D11nnnnddddiiiiNQM0mmmm", "VEXT A1",                      &NeonPermute.Vext),
        R("111100111D11zz00dddd000ooQM0mmmm", "VREV16, VREV32, VREV64 A1",    &NeonUnary.Reverse),
        R("111100111D11zz00dddd0010oQM0mmmm", "VPADDL A1",                    &NeonUnary.PairwiseLong),
        R("111100111D11zz00dddd01000QM0mmmm", "VCLS A1",                      &NeonUnary.Integer<VCls>),
        R("111100111D11zz00dddd01001QM0mmmm", "VCLZ A1",                      &NeonUnary.Integer<VClz>),
        R("111100111D11zz00dddd01010QM0mmmm", "VCNT A1",                      &NeonUnary.Integer<VCnt>),
        R("111100111D11zz00dddd01011QM0mmmm", "VMVN (register) A1",           &NeonUnary.Integer<VMvn>),
        R("111100111D11zz00dddd0110oQM0mmmm", "VPADAL A1",                    &NeonUnary.PairwiseLong),
        R("111100111D11zz00dddd01110QM0mmmm", "VQABS A1",                     &NeonUnary.Integer<VQAbs>),
        R("111100111D11zz00dddd01111QM0mmmm", "VQNEG A1",                     &NeonUnary.Integer<VQNeg>),
        R("111100111D11zz01dddd00000QM0mmmm", "VCGT (immediate #0) A1",       &NeonUnary.Integer<VCgtZero>),
        R("111100111D11zz01dddd00001QM0mmmm", "VCGE (immediate #0) A1",       &NeonUnary.Integer<VCgeZero>),
        R("111100111D11zz01dddd00010QM0mmmm", "VCEQ (immediate #0) A1",       &NeonUnary.Integer<VCeqZero>),
        R("111100111D11zz01dddd00011QM0mmmm", "VCLE (immediate #0) A1",       &NeonUnary.Integer<VCleZero>),
        R("111100111D11zz01dddd00100QM0mmmm", "VCLT (immediate #0) A1",       &NeonUnary.Integer<VCltZero>),
        R("111100111D11zz01dddd00110QM0mmmm", "VABS A1",                      &NeonUnary.Integer<VAbsInt>),
        R("111100111D11zz01dddd00111QM0mmmm", "VNEG A1",                      &NeonUnary.Integer<VNegInt>),
        R("111100111D11zz01dddd01000QM0mmmm", "VCGT (immediate #0, floating-point) A1", &NeonUnary.Float<VCgtZeroFloat>),
        R("111100111D11zz01dddd01001QM0mmmm", "VCGE (immediate #0, floating-point) A1", &NeonUnary.Float<VCgeZeroFloat>),
        R("111100111D11zz01dddd01010QM0mmmm", "VCEQ (immediate #0, floating-point) A1", &NeonUnary.Float<VCeqZeroFloat>),
        R("111100111D11zz01dddd01011QM0mmmm", "VCLE (immediate #0, floating-point) A1", &NeonUnary.Float<VCleZeroFloat>),
        R("111100111D11zz01dddd01100QM0mmmm", "VCLT (immediate #0, floating-point) A1", &NeonUnary.Float<VCltZeroFloat>),
        R("111100111D11zz01dddd01110QM0mmmm", "VABS (floating-point) A1",     &NeonUnary.Float<VAbsFloat>),
        R("111100111D11zz01dddd01111QM0mmmm", "VNEG (floating-point) A1",     &NeonUnary.Float<VNegFloat>),
        R("111100111D11zz10dddd00000QM0mmmm", "VSWP A1",                      &NeonPermute.Vswp),
        R("111100111D11zz10dddd00001QM0mmmm", "VTRN A1",                      &NeonPermute.Vtrn),
        R("111100111D11zz10dddd00010QM0mmmm", "VUZP A1",                      &NeonPermute.UnzipZip),
        R("111100111D11zz10dddd00011QM0mmmm", "VZIP A1",                      &NeonPermute.UnzipZip),
        R("111100111D11zz10dddd001000M0mmmm", "VMOVN A1",                     &NeonUnary.MoveNarrow),
        R("111100111D11zz10dddd0010ooM0mmmm", "VQMOVN, VQMOVUN A1",           &NeonUnary.MoveNarrow),
        R("111100111D11zz10dddd001100M0mmmm", "VSHLL A2",                     &NeonUnary.ShiftLeftLongMax),
        R("111100111D11zz10dddd011o00M0mmmm", "VCVT (between half-precision and single-precision, Advanced SIMD) A1", &NeonUnary.ConvertHalf, Half),
        R("111100111D11zz11dddd01000QM0mmmm", "VRECPE A1",                    &NeonUnary.Integer<VRecpeUnsigned>),
        R("111100111D11zz11dddd01010QM0mmmm", "VRECPE A1, floating-point",    &NeonUnary.Float<VRecpeFloat>),
        R("111100111D11zz11dddd01001QM0mmmm", "VRSQRTE A1",                   &NeonUnary.Integer<VRsqrteUnsigned>),
        R("111100111D11zz11dddd01011QM0mmmm", "VRSQRTE A1, floating-point",   &NeonUnary.Float<VRsqrteFloat>),
        R("111100111D11zz11dddd01100QM0mmmm", "VCVT (between floating-point and integer, Advanced SIMD) A1, S32 to F32", &NeonUnary.Float<VCvtFromSigned>),
        R("111100111D11zz11dddd01101QM0mmmm", "VCVT (between floating-point and integer, Advanced SIMD) A1, U32 to F32", &NeonUnary.Float<VCvtFromUnsigned>),
        R("111100111D11zz11dddd01110QM0mmmm", "VCVT (between floating-point and integer, Advanced SIMD) A1, F32 to S32", &NeonUnary.Float<VCvtToSigned>),
        R("111100111D11zz11dddd01111QM0mmmm", "VCVT (between floating-point and integer, Advanced SIMD) A1, F32 to U32", &NeonUnary.Float<VCvtToUnsigned>),
        R("111100111D11nnnndddd10llN0M0mmmm", "VTBL A1",                      &NeonPermute.Table),
        R("111100111D11nnnndddd10llN1M0mmmm", "VTBX A1",                      &NeonPermute.Table),
        R("111100111D11iiiidddd11000QM0mmmm", "VDUP (scalar) A1",             &NeonPermute.DupScalar),

        // ---- Element and structure load/store (A7.7) --------------------------------------------
        // Multiple structures: the type field (11:8) says which instruction; several types per row.
        M("111101000D10nnnndddd0111zzaammmm", "VLD1 (multiple single elements) A1",     &NeonLoadStore.Multiple),
        M("111101000D10nnnndddd1010zzaammmm", "VLD1 (multiple single elements) A1, two registers", &NeonLoadStore.Multiple),
        M("111101000D10nnnndddd0x10zzaammmm", "VLD1 (multiple single elements) A1, three or four registers", &NeonLoadStore.Multiple),
        M("111101000D10nnnndddd100xzzaammmm", "VLD2 (multiple 2-element structures) A1", &NeonLoadStore.Multiple),
        M("111101000D10nnnndddd0011zzaammmm", "VLD2 (multiple 2-element structures) A1, two pairs", &NeonLoadStore.Multiple),
        M("111101000D10nnnndddd010xzzaammmm", "VLD3 (multiple 3-element structures) A1", &NeonLoadStore.Multiple),
        M("111101000D10nnnndddd000xzzaammmm", "VLD4 (multiple 4-element structures) A1", &NeonLoadStore.Multiple),
        M("111101000D00nnnndddd0111zzaammmm", "VST1 (multiple single elements) A1",     &NeonLoadStore.Multiple),
        M("111101000D00nnnndddd1010zzaammmm", "VST1 (multiple single elements) A1, two registers", &NeonLoadStore.Multiple),
        M("111101000D00nnnndddd0x10zzaammmm", "VST1 (multiple single elements) A1, three or four registers", &NeonLoadStore.Multiple),
        M("111101000D00nnnndddd100xzzaammmm", "VST2 (multiple 2-element structures) A1", &NeonLoadStore.Multiple),
        M("111101000D00nnnndddd0011zzaammmm", "VST2 (multiple 2-element structures) A1, two pairs", &NeonLoadStore.Multiple),
        M("111101000D00nnnndddd010xzzaammmm", "VST3 (multiple 3-element structures) A1", &NeonLoadStore.Multiple),
        M("111101000D00nnnndddd000xzzaammmm", "VST4 (multiple 4-element structures) A1", &NeonLoadStore.Multiple),
        // A single structure to one lane (size != 11: the all-lanes rows fix 11 and win), and to all lanes.
        M("111101001D10nnnnddddzz00iiiimmmm", "VLD1 (single element to one lane) A1",    &NeonLoadStore.OneLane),
        M("111101001D10nnnnddddzz01iiiimmmm", "VLD2 (single 2-element structure to one lane) A1", &NeonLoadStore.OneLane),
        M("111101001D10nnnnddddzz10iiiimmmm", "VLD3 (single 3-element structure to one lane) A1", &NeonLoadStore.OneLane),
        M("111101001D10nnnnddddzz11iiiimmmm", "VLD4 (single 4-element structure to one lane) A1", &NeonLoadStore.OneLane),
        M("111101001D00nnnnddddzz00iiiimmmm", "VST1 (single element from one lane) A1",  &NeonLoadStore.OneLane),
        M("111101001D00nnnnddddzz01iiiimmmm", "VST2 (single 2-element structure from one lane) A1", &NeonLoadStore.OneLane),
        M("111101001D00nnnnddddzz10iiiimmmm", "VST3 (single 3-element structure from one lane) A1", &NeonLoadStore.OneLane),
        M("111101001D00nnnnddddzz11iiiimmmm", "VST4 (single 4-element structure from one lane) A1", &NeonLoadStore.OneLane),
        M("111101001D10nnnndddd1100zzTammmm", "VLD1 (single element to all lanes) A1",   &NeonLoadStore.AllLanes),
        M("111101001D10nnnndddd1101zzTammmm", "VLD2 (single 2-element structure to all lanes) A1", &NeonLoadStore.AllLanes),
        M("111101001D10nnnndddd1110zzTammmm", "VLD3 (single 3-element structure to all lanes) A1", &NeonLoadStore.AllLanes),
        M("111101001D10nnnndddd1111zzTammmm", "VLD4 (single 4-element structure to all lanes) A1", &NeonLoadStore.AllLanes),

        // ---- VDUP (ARM core register), a cp11 MCR-space word (A7.8) -----------------------------
        new("cccc11101BQ0ddddtttt1011D0E10000", "VDUP (ARM core register) A1", &NeonPermute.DupCore, V7, VfpEncodings.Group, Simd),
    ];

    /// <summary>
    /// The T32 forms (DDI 0406C A7.3, A7.7): 1111 001U xxxx becomes 111U 1111 xxxx, 1111 0100
    /// becomes 1111 1001, a conditional (coprocessor-space) row's condition becomes 1110. The
    /// words are the T32 instruction as one 32-bit value, first halfword high.
    /// </summary>
    /// <remarks>
    /// Derived on first use (in a class of their own, not in this one's static constructor): only
    /// Thumb-2 models with Advanced SIMD need them.
    /// </remarks>
    public static EncodingRow[] ThumbRows => ThumbForms.Rows;

    private static class ThumbForms
    {
        public static readonly EncodingRow[] Rows = [.. NeonEncodings.Rows.Select(ToThumb)];
    }

    /// <summary>A NEON row's T32 form.</summary>
    public static EncodingRow ToThumb(EncodingRow row)
    {
        string p = row.Pattern;
        string thumb = p.StartsWith("1111001", StringComparison.Ordinal) ? "111" + p[7] + "1111" + p[8..]
                     : p.StartsWith("11110100", StringComparison.Ordinal) ? "11111001" + p[8..]
                     : p.StartsWith("cccc", StringComparison.Ordinal) ? "1110" + p[4..]
                     : throw new ArgumentException($"{row} is not an Advanced SIMD pattern with a T32 form");
        return new EncodingRow(thumb, ThumbName(row.Name), row.Handler, row.Since, row.Group, row.Requires, row.Flags, priority: row.Priority);
    }

    /// <summary>The manual's T32 encoding id for an A32 one: "VADD (integer) A1" is "VADD (integer) T1" (and A2, T2).</summary>
    public static string ThumbName(string name)
    {
        foreach (string id in new[] { " A1", " A2" })
        {
            int at = name.LastIndexOf(id, StringComparison.Ordinal);
            if (at >= 0 && (at + 3 == name.Length || name[at + 3] == ','))
                return name[..at] + " T" + id[2] + name[(at + 3)..];
        }
        return name;
    }
}
