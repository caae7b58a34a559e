using System.Runtime.CompilerServices;

namespace ArmEmu.Cpu.Vfp;

/// <summary>The extension registers D0-D31 (ARM ARM DDI 0406C A2.6.1); S and Q are views of them.</summary>
[InlineArray(32)]
internal struct ExtensionRegisters
{
    private ulong _d0;
}

/// <summary>
/// The floating-point and Advanced SIMD register file and its control (DDI 0406C A2.6, B1.11.1
/// "Enabling Advanced SIMD and floating-point support", B6.1): D0-D31 with the S view
/// (S[2n] is the low half of D[n], S[2n+1] the high half; S0-S31 cover D0-D15) and the Q view
/// (Q[n] = D[2n+1]:D[2n]); FPSCR, FPEXC, the ID registers of the model; and the access
/// control that gates every VFP and Advanced SIMD instruction: CPACR.cp10/cp11 (and ASEDIS),
/// FPEXC.EN. NSACR only restricts Non-secure accesses, and this core always runs Secure
/// (as QEMU's system and user emulation start), so it is kept but never consulted.
///
/// The CPACR and NSACR live in CP15; a v7 CP15 writes them here (<see cref="Cpacr"/>,
/// <see cref="Nsacr"/>). Cores before ARMv6 have no CPACR: only FPEXC.EN gates them.
/// </summary>
internal sealed class FloatingPointUnit
{
    public const uint FpexcEn = 1u << 30;
    public const uint FpexcEx = 1u << 31;
    public const uint CpacrAsedis = 1u << 31;

    /// <summary>CPACR with cp10 and cp11 at full access (what Linux sets for user processes).</summary>
    public const uint CpacrFullAccess = 0x00F0_0000;

    public FloatingPointUnit(CpuModel model)
    {
        Model = model;
        Present = model.Has(CpuFeature.Vfp2);
        RegisterCount = model.Has(CpuFeature.VfpD32) ? 32 : 16;
        HasCpacr = model.Arch >= ArchVersion.V6;
        // Short vectors (FPSCR.LEN/STRIDE) exist where MVFR0.FPShVec (bits 27:24) is nonzero.
        HasShortVectors = ((model.Mvfr0 >> 24) & 0xF) != 0;
        Reset();
    }

    public CpuModel Model { get; }

    /// <summary>True if the model has a VFP at all.</summary>
    public bool Present { get; }

    /// <summary>16 (VFPv2, VFPv3-D16) or 32 (VFPv3-D32) double-precision registers.</summary>
    public int RegisterCount { get; }

    public bool HasCpacr { get; }

    public bool HasShortVectors { get; }

    /// <summary>D0-D31.</summary>
    public ExtensionRegisters D;

    /// <summary>FPSCR, whole (the trap-enable bits always read as zero: <see cref="Fpscr.WritableMask"/>).</summary>
    public uint Fpscr;

    /// <summary>FPEXC; EN (bit 30) enables the unit.</summary>
    public uint Fpexc;

    /// <summary>FPINST and FPINST2: VFPv2's exception-instruction registers, readable and writable there.</summary>
    public uint Fpinst, Fpinst2;

    /// <summary>CP15's Coprocessor Access Control Register (only the cp10/cp11 fields and ASEDIS matter here).</summary>
    public uint Cpacr;

    /// <summary>CP15's Non-Secure Access Control Register.</summary>
    public uint Nsacr;

    /// <summary>The reset state: everything zero, so the unit is disabled (FPEXC.EN = 0, CPACR = 0).</summary>
    public void Reset()
    {
        D = default;
        Fpscr = 0;
        Fpexc = 0;
        Fpinst = Fpinst2 = 0;
        Cpacr = 0;
        Nsacr = 0;
    }

    /// <summary>
    /// What a Linux kernel sets up before running a process, and QEMU's user-mode emulation
    /// does at reset: cp10/cp11 full access and FPEXC.EN.
    /// </summary>
    public void EnableForUserMode()
    {
        if (!Present) return;
        Cpacr = CpacrFullAccess;
        Fpexc = FpexcEn;
    }

    /// <summary>
    /// The floating-point bits of Linux's AT_HWCAP for <paramref name="model"/>, built as
    /// QEMU 7.2's get_elf_hwcap does (linux-user/elfload.c): VFP (bit 6) with any VFP; VFPv3
    /// (13) and then VFPD32 (19) or VFPv3D16 (14); NEON (12); VFPv4 (16). Measured with
    /// qemu-arm -cpu: arm926 0xd7, cortex-a9 0x8b8d7, cortex-a15 0x1fb8d7 (v7-facts-and-speed.md A1).
    /// </summary>
    public static uint HwCap(CpuModel model)
    {
        uint caps = 0;
        if (model.Has(CpuFeature.Vfp2)) caps |= 1u << 6;
        if (model.Has(CpuFeature.Vfp3)) caps |= (1u << 13) | (model.Has(CpuFeature.VfpD32) ? 1u << 19 : 1u << 14);
        if (model.Has(CpuFeature.Neon)) caps |= 1u << 12;
        if (model.Has(CpuFeature.Vfp4)) caps |= 1u << 16;
        return caps;
    }

    /// <summary>
    /// CheckVFPEnabled / CheckAdvSIMDEnabled (DDI 0406C B1.11.1): CPACR.cp10 must allow the
    /// current privilege (00 and the reserved 10: no access; 01: privileged only; 11: full),
    /// ASEDIS must be clear for Advanced SIMD, and FPEXC.EN set unless
    /// <paramref name="checkFpexc"/> is false (VMRS/VMSR of FPSID, FPEXC and the MVFRs).
    /// QEMU does not implement ASEDIS trapping; the manual does, and so does this.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Enabled(bool privileged, bool advancedSimd = false, bool checkFpexc = true)
    {
        if (HasCpacr)
        {
            uint cp10 = (Cpacr >> 20) & 3;
            if (cp10 is 0 or 2 || (cp10 == 1 && !privileged)) return false;
            if (advancedSimd && (Cpacr & CpacrAsedis) != 0) return false;
        }
        return !checkFpexc || (Fpexc & FpexcEn) != 0;
    }

    // ---- Register views --------------------------------------------------------------------

    /// <summary>S[n], n in 0..31.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public uint GetS(int n) => (uint)(D[n >> 1] >> ((n & 1) << 5));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void SetS(int n, uint value)
    {
        int shift = (n & 1) << 5;
        ref ulong d = ref D[n >> 1];
        d = (d & ~(0xFFFF_FFFFUL << shift)) | ((ulong)value << shift);
    }

    /// <summary>Q[n] as its two halves (D[2n] low, D[2n+1] high).</summary>
    public UInt128 GetQ(int n) => ((UInt128)D[2 * n + 1] << 64) | D[2 * n];

    public void SetQ(int n, UInt128 value)
    {
        D[2 * n] = (ulong)value;
        D[2 * n + 1] = (ulong)(value >> 64);
    }
}
