namespace ArmEmu.Cpu.Vfp;

/// <summary>
/// The Floating-point Status and Control Register's fields (ARM ARM DDI 0406C A2.7.8 /
/// B6.1.41). The soft-float core (<see cref="SoftFloat"/>) reads the control fields of an FPSCR
/// value -- rounding mode, FZ, DN, AHP -- and ORs the cumulative exception flags into it.
/// </summary>
internal static class Fpscr
{
    // Cumulative exception flags.
    public const uint IOC = 1u << 0;   // Invalid Operation
    public const uint DZC = 1u << 1;   // Division by Zero
    public const uint OFC = 1u << 2;   // Overflow
    public const uint UFC = 1u << 3;   // Underflow
    public const uint IXC = 1u << 4;   // Inexact
    public const uint IDC = 1u << 7;   // Input Denormal

    /// <summary>All six cumulative flags.</summary>
    public const uint CumulativeFlags = IOC | DZC | OFC | UFC | IXC | IDC;

    public const int LenShift = 16;    // LEN, bits [18:16]: short-vector length - 1
    public const int StrideShift = 20; // STRIDE, bits [21:20]
    public const int RModeShift = 22;  // RMode, bits [23:22]
    public const uint RModeMask = 3u << RModeShift;
    public const uint FZ = 1u << 24;   // Flush-to-zero
    public const uint DN = 1u << 25;   // Default NaN
    public const uint AHP = 1u << 26;  // Alternative half-precision
    public const uint QC = 1u << 27;   // Advanced SIMD cumulative saturation
    public const uint NzcvMask = 0xF000_0000u;

    /// <summary>The rounding modes, as RMode encodes them.</summary>
    public const uint RoundToNearest = 0, RoundTowardsPlusInfinity = 1, RoundTowardsMinusInfinity = 2, RoundTowardsZero = 3;

    /// <summary>
    /// The bits a VMSR FPSCR write keeps on the VFPv3/VFPv4 cores this project models:
    /// NZCV, QC, AHP, DN, FZ, RMode, STRIDE, LEN and the cumulative flags. The trap-enable
    /// bits IOE..IDE read as zero: these cores do not implement trapped exceptions (the
    /// VFPv3 "FPSCR" description, DDI 0406C B6.1.41, allows RAZ/WI), and QEMU 7.2 keeps them
    /// zero too (target/arm/vfp_helper.c, vfp_set_fpscr).
    /// </summary>
    public const uint WritableMask = 0xFFF7_009Fu;

    /// <summary>The rounding mode of <paramref name="fpscr"/> (one of the Round* constants).</summary>
    public static uint RMode(uint fpscr) => (fpscr >> RModeShift) & 3;

    /// <summary>
    /// StandardFPSCRValue() (DDI 0406C A2.7.3): the FPSCR the Advanced SIMD floating-point
    /// instructions use -- round to nearest, flush-to-zero, default NaN, with the current AHP.
    /// </summary>
    public static uint Standard(uint fpscr) => (fpscr & AHP) | DN | FZ;

    /// <summary>The FPSCR with its rounding mode replaced (round-towards-zero VCVT, for one).</summary>
    public static uint WithRMode(uint fpscr, uint rmode) => (fpscr & ~RModeMask) | (rmode << RModeShift);
}
