namespace ArmEmu.Cpu;

/// <summary>
/// Optional parts of the architecture a model may have, beside its <see cref="ArchVersion"/>.
/// An encoding row can require features (<see cref="Decoding.EncodingRow.Requires"/>); on a
/// model without them the encoding is UNDEFINED.
/// </summary>
[Flags]
public enum CpuFeature : uint
{
    /// <summary>No optional feature.</summary>
    None = 0,
    /// <summary>The v5TE DSP instructions (the "E" in ARMv5TE).</summary>
    Dsp = 1 << 0,
    /// <summary>Jazelle (BXJ and the J bit); without it BXJ acts as BX.</summary>
    Jazelle = 1 << 1,
    /// <summary>The 32-bit Thumb instructions (ARMv6T2 and later).</summary>
    Thumb2 = 1 << 2,
    /// <summary>ThumbEE (Cortex-A8/A9).</summary>
    ThumbEE = 1 << 3,
    /// <summary>VFPv2 (ARM926, ARM1176 as QEMU models them).</summary>
    Vfp2 = 1 << 4,
    /// <summary>VFPv3.</summary>
    Vfp3 = 1 << 5,
    /// <summary>32 double-precision registers (D16-D31) rather than 16.</summary>
    VfpD32 = 1 << 6,
    /// <summary>Half-precision conversions (VCVT between F16 and F32).</summary>
    VfpFp16 = 1 << 7,
    /// <summary>VFPv4 (fused multiply-accumulate).</summary>
    Vfp4 = 1 << 8,
    /// <summary>Advanced SIMD (NEON).</summary>
    Neon = 1 << 9,
    /// <summary>SDIV/UDIV in ARM state.</summary>
    ArmDivide = 1 << 10,
    /// <summary>SDIV/UDIV in Thumb state.</summary>
    ThumbDivide = 1 << 11,
    /// <summary>The Multiprocessing Extensions (PLDW, MPIDR's MP format).</summary>
    Multiprocessing = 1 << 12,
    /// <summary>The Security Extensions (SMC, Monitor mode, banked CP15).</summary>
    Security = 1 << 13,
    /// <summary>The Large Physical Address Extension.</summary>
    Lpae = 1 << 14,
    /// <summary>The Virtualization Extensions.</summary>
    Virtualization = 1 << 15,
    /// <summary>The performance monitors (PMU).</summary>
    PerformanceMonitors = 1 << 16,
}

/// <summary>
/// A CPU model is data: architecture version, feature set and ID values, as QEMU 7.2's
/// models have them (target/arm/cpu_tcg.c, cpu32.c). Instruction rows newer than
/// <see cref="Arch"/>, or needing a feature the model lacks, decode as UNDEFINED.
/// </summary>
public sealed record CpuModel
{
    /// <summary>The name users type (<c>--cpu</c>), as QEMU spells it.</summary>
    public required string Name { get; init; }

    /// <summary>The architecture version.</summary>
    public required ArchVersion Arch { get; init; }

    /// <summary>Main ID Register.</summary>
    public required uint Midr { get; init; }

    /// <summary>The optional features this model has.</summary>
    public CpuFeature Features { get; init; }

    /// <summary>Floating-point System ID (VMRS FPSID), as QEMU 7.2's model; 0 without a VFP.</summary>
    internal uint Fpsid { get; init; }

    /// <summary>Media and VFP Feature Register 0 (VMRS MVFR0), as QEMU 7.2's model.</summary>
    internal uint Mvfr0 { get; init; }

    /// <summary>Media and VFP Feature Register 1 (VMRS MVFR1), as QEMU 7.2's model.</summary>
    internal uint Mvfr1 { get; init; }

    /// <summary>
    /// The ARMv7 identification registers and reset values the v7 CP15 reports
    /// (<see cref="Coprocessors.V7Cp15"/>); null for models before ARMv7.
    /// </summary>
    internal V7IdRegisters? V7Ids { get; init; }

    /// <summary>One line for <c>--cpu help</c>.</summary>
    public string Description { get; init; } = "";

    /// <summary>True if the model has every feature in <paramref name="features"/>.</summary>
    public bool Has(CpuFeature features) => (Features & features) == features;

    /// <summary>The v5TE DSP instructions.</summary>
    internal bool HasDsp => Has(CpuFeature.Dsp);

    /// <summary>Jazelle.</summary>
    internal bool HasJazelle => Has(CpuFeature.Jazelle);

    /// <summary>ARM926EJ-S: ARMv5TEJ, MIDR 0x41069265 (ARM926EJ-S TRM r0p5, 2.3.1; QEMU's arm926 uses the same value).</summary>
    public static readonly CpuModel Arm926 = new()
    {
        Name = "arm926", Arch = ArchVersion.V5TEJ, Midr = 0x41069265,
        Features = CpuFeature.Dsp | CpuFeature.Jazelle | CpuFeature.Vfp2,
        // QEMU's arm926_initfn (target/arm/cpu_tcg.c): FPSID 0x41011090 (VFP9-S); ARMv5 has no
        // MVFR registers, but QEMU sets MVFR0.FPShVec/FPSP/FPDP = 1 internally to enable VFPv2.
        Fpsid = 0x41011090, Mvfr0 = 0x01000110, Mvfr1 = 0,
        Description = "ARM926EJ-S (ARMv5TEJ, VFPv2, VIVT caches)",
    };

    /// <summary>ARM1176JZF-S: ARMv6KZ with the Security Extensions; MIDR as QEMU's arm1176.</summary>
    public static readonly CpuModel Arm1176 = new()
    {
        Name = "arm1176", Arch = ArchVersion.V6K, Midr = 0x410fb767,
        Features = CpuFeature.Dsp | CpuFeature.Jazelle | CpuFeature.Vfp2 | CpuFeature.Security,
        Fpsid = 0x410120b5, Mvfr0 = 0x11111111, Mvfr1 = 0x00000000,   // QEMU's arm1176_initfn (VFP11)
        Description = "ARM1176JZF-S (ARMv6KZ, VFPv2)",
    };

    /// <summary>Cortex-A8 r0p0 as QEMU 7.2 models it.</summary>
    public static readonly CpuModel CortexA8 = new()
    {
        Name = "cortex-a8", Arch = ArchVersion.V7, Midr = 0x410fc080,
        Features = CpuFeature.Dsp | CpuFeature.Thumb2 | CpuFeature.ThumbEE | CpuFeature.Vfp2 | CpuFeature.Vfp3
                   | CpuFeature.VfpD32 | CpuFeature.Neon | CpuFeature.Security | CpuFeature.PerformanceMonitors,
        Fpsid = 0x410330c0, Mvfr0 = 0x11110222, Mvfr1 = 0x00011111,   // QEMU 7.2 cpu32.c, read back by probe
        Description = "Cortex-A8 (ARMv7-A, VFPv3-D32, NEON)",
        // QEMU 7.2 target/arm/cpu_tcg.c cortex_a8_initfn.
        V7Ids = new V7IdRegisters
        {
            Ctr = 0x82048004, Mpidr = 0, // no MP extensions: U/MP bits clear, affinity 0
            Pfr = [0x1031, 0x11], Dfr0 = 0x400, Afr0 = 0,
            Mmfr = [0x31100003, 0x20000000, 0x01202000, 0x11],
            Isar = [0x00101111, 0x12112111, 0x21232031, 0x11112131, 0x00111142, 0],
            Clidr = 0x0a000003, Ccsidr = [0xe007e01a, 0x2007e01a, 0xf0000000],
            SctlrReset = 0x00c50078, ActlrReset = 2, PmcrReset = 0x41002000,
            ImplementationDefinedC15 = false, Dbgdidr = 0x15141000,
        },
    };

    /// <summary>Cortex-A9 r0p0 as QEMU 7.2 models it (uniprocessor, with the MP extensions).</summary>
    public static readonly CpuModel CortexA9 = new()
    {
        Name = "cortex-a9", Arch = ArchVersion.V7, Midr = 0x410fc090,
        Features = CpuFeature.Dsp | CpuFeature.Thumb2 | CpuFeature.ThumbEE | CpuFeature.Vfp2 | CpuFeature.Vfp3
                   | CpuFeature.VfpD32 | CpuFeature.VfpFp16 | CpuFeature.Neon | CpuFeature.Multiprocessing
                   | CpuFeature.Security | CpuFeature.PerformanceMonitors,
        Fpsid = 0x41033090, Mvfr0 = 0x11110222, Mvfr1 = 0x01111111,   // QEMU 7.2 cpu32.c, read back by probe
        Description = "Cortex-A9 (ARMv7-A, MP extensions, VFPv3-D32 with FP16, NEON)",
        // QEMU 7.2 target/arm/cpu_tcg.c cortex_a9_initfn; every value read back from
        // qemu-system-arm -M vexpress-a9 (guest-tests/system/vexpress-a9/programs/ids.c).
        V7Ids = new V7IdRegisters
        {
            Ctr = 0x80038003, Mpidr = 0x80000000,
            Pfr = [0x1031, 0x11], Dfr0 = 0, Afr0 = 0,
            Mmfr = [0x00100103, 0x20000000, 0x01230000, 0x00002111],
            Isar = [0x00101111, 0x13112111, 0x21232041, 0x11112131, 0x00111142, 0],
            Clidr = 0x09000003, Ccsidr = [0xe00fe019, 0x200fe019],
            SctlrReset = 0x00c50078, ActlrReset = 0, PmcrReset = 0x41093000,
            ImplementationDefinedC15 = true, Dbgdidr = 0x35141000,
        },
    };

    /// <summary>Cortex-A15 r4p0 as QEMU 7.2 models it (hardware divide, VFPv4, LPAE).</summary>
    public static readonly CpuModel CortexA15 = new()
    {
        Name = "cortex-a15", Arch = ArchVersion.V7, Midr = 0x414fc0f0,
        Features = CpuFeature.Dsp | CpuFeature.Thumb2 | CpuFeature.ThumbEE | CpuFeature.Vfp2 | CpuFeature.Vfp3
                   | CpuFeature.VfpD32 | CpuFeature.VfpFp16 | CpuFeature.Vfp4 | CpuFeature.Neon
                   | CpuFeature.ArmDivide | CpuFeature.ThumbDivide | CpuFeature.Multiprocessing
                   | CpuFeature.Security | CpuFeature.Lpae | CpuFeature.Virtualization
                   | CpuFeature.PerformanceMonitors,
        Fpsid = 0x410430f0, Mvfr0 = 0x10110222, Mvfr1 = 0x11111111,   // QEMU 7.2 cpu32.c, read back by probe
        Description = "Cortex-A15 (ARMv7-A with IDIV, VFPv4, NEON, LPAE)",
    };

    /// <summary>Every model, oldest first.</summary>
    public static IReadOnlyList<CpuModel> All { get; } = [Arm926, Arm1176, CortexA8, CortexA9, CortexA15];

    /// <summary>The model with this name (case-insensitive), or null.</summary>
    public static CpuModel? Find(string name) =>
        All.FirstOrDefault(m => string.Equals(m.Name, name, StringComparison.OrdinalIgnoreCase));
}

/// <summary>
/// The ARMv7 identification registers of a model and the reset values that differ between
/// models (ARM ARM DDI 0406C B4.1: CTR, MPIDR, ID_PFR0-1, ID_DFR0, ID_AFR0, ID_MMFR0-3,
/// ID_ISAR0-5, CLIDR, CCSIDR; SCTLR, ACTLR and PMCR at reset).
/// </summary>
internal sealed record V7IdRegisters
{
    /// <summary>Cache Type Register (v7 format).</summary>
    public required uint Ctr { get; init; }

    /// <summary>MPIDR (B4.1.106): bit 31 set in the MP Extensions format; CPU 0 of cluster 0.</summary>
    public required uint Mpidr { get; init; }

    /// <summary>ID_PFR0, ID_PFR1.</summary>
    public required uint[] Pfr { get; init; }

    public required uint Dfr0 { get; init; }

    public required uint Afr0 { get; init; }

    /// <summary>ID_MMFR0..3.</summary>
    public required uint[] Mmfr { get; init; }

    /// <summary>ID_ISAR0..5.</summary>
    public required uint[] Isar { get; init; }

    /// <summary>CLIDR.</summary>
    public required uint Clidr { get; init; }

    /// <summary>
    /// CCSIDR by CSSELR value (0 = L1 data, 1 = L1 instruction, 2 = L2...), as the model reports
    /// them with no cache model attached; other CSSELR values read 0.
    /// </summary>
    public required uint[] Ccsidr { get; init; }

    public required uint SctlrReset { get; init; }

    public required uint ActlrReset { get; init; }

    /// <summary>PMCR at reset: implementer, identification code and N (the number of event counters).</summary>
    public required uint PmcrReset { get; init; }

    /// <summary>
    /// True for the Cortex-A9's own c15 registers (power control, diagnostics, CBAR, TLB
    /// lockdown access); false where the model reads all of c15 as zero and ignores writes
    /// (QEMU's DUMMY_C15_REGS).
    /// </summary>
    public required bool ImplementationDefinedC15 { get; init; }

    /// <summary>
    /// DBGDIDR (MRC p14, 0, Rt, c0, c0, 0), the debug ID register of <see cref="Coprocessors.V7Cp14"/>:
    /// watchpoints-1 [31:28], breakpoints-1 [27:24], context comparators-1 [23:20], debug architecture [19:16].
    /// </summary>
    public uint Dbgdidr { get; init; }
}
