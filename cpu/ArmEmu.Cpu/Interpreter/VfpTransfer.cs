using ArmEmu.Cpu.Vfp;

namespace ArmEmu.Cpu.Interpreter;

/// <summary>
/// Transfers between ARM core registers and the extension registers, and the VFP system
/// registers (DDI 0406C A7.8 and A7.9; VMOV A8.8.339-A8.8.345, VMRS A8.8.348, VMSR A8.8.350).
/// Rt = PC in the VMOV forms is UNPREDICTABLE; as QEMU, which treats only VMRS with Rt = 15
/// specially, it is UNDEFINED here.
/// </summary>
internal static class VfpTransfer
{
    private const int FPSID = 0, FPSCR = 1, MVFR1 = 6, MVFR0 = 7, FPEXC = 8, FPINST = 9, FPINST2 = 10;

    private static bool Check(Cpu cpu, uint op)
    {
        if (cpu.Fpu.Enabled(cpu.IsPrivileged)) return true;
        cpu.RaiseUndefined(op);
        return false;
    }

    // VMOV<c> <Sn>, <Rt>   VMOV<c> <Rt>, <Sn>     (bit 20: to the core register)
    public static void CoreSingle(Cpu cpu, uint op)
    {
        int t = (int)(op >> 12) & 15, n = (int)((op >> 15) & 0x1E | (op >> 7) & 1);
        if (t == 15)
        {
            cpu.RaiseUndefined(op);
            return;
        }
        if (!Check(cpu, op)) return;
        if ((op & 0x10_0000) != 0) cpu.R[t] = cpu.Fpu.GetS(n);
        else cpu.Fpu.SetS(n, cpu.R[t]);
    }

    // VMOV<c> <Sm>, <Sm1>, <Rt>, <Rt2>   VMOV<c> <Rt>, <Rt2>, <Sm>, <Sm1>
    // S31 as Sm, PC as either core register, or Rt = Rt2 when loading them: UNPREDICTABLE, UNDEFINED here.
    public static void CoreTwoSingles(Cpu cpu, uint op)
    {
        int t = (int)(op >> 12) & 15, t2 = (int)(op >> 16) & 15, m = (int)((op << 1) & 0x1E | (op >> 5) & 1);
        bool toCore = (op & 0x10_0000) != 0;
        if (t == 15 || t2 == 15 || m == 31 || (toCore && t == t2))
        {
            cpu.RaiseUndefined(op);
            return;
        }
        if (!Check(cpu, op)) return;
        var fpu = cpu.Fpu;
        if (toCore)
        {
            cpu.R[t] = fpu.GetS(m);
            cpu.R[t2] = fpu.GetS(m + 1);
        }
        else
        {
            fpu.SetS(m, cpu.R[t]);
            fpu.SetS(m + 1, cpu.R[t2]);
        }
    }

    // VMOV<c> <Dm>, <Rt>, <Rt2>   VMOV<c> <Rt>, <Rt2>, <Dm>
    public static void CoreDouble(Cpu cpu, uint op)
    {
        int t = (int)(op >> 12) & 15, t2 = (int)(op >> 16) & 15, m = (int)((op >> 1) & 0x10 | op & 0xF);
        bool toCore = (op & 0x10_0000) != 0;
        if (t == 15 || t2 == 15 || (toCore && t == t2) || (m >= 16 && cpu.Fpu.RegisterCount == 16))
        {
            cpu.RaiseUndefined(op);
            return;
        }
        if (!Check(cpu, op)) return;
        var fpu = cpu.Fpu;
        if (toCore)
        {
            cpu.R[t] = (uint)fpu.D[m];
            cpu.R[t2] = (uint)(fpu.D[m] >> 32);
        }
        else
        {
            fpu.D[m] = cpu.R[t] | ((ulong)cpu.R[t2] << 32);
        }
    }

    // VMOV<c>.<size> <Dd[x]>, <Rt>: opc1:opc2 (bits 22:21, 6:5) give the size and index:
    // 1xxx bytes, 0xx1 halfwords, 0x00 words (the only VFP form; the others are Advanced SIMD).
    public static void CoreToScalar(Cpu cpu, uint op)
    {
        int t = (int)(op >> 12) & 15, d = (int)((op >> 3) & 0x10 | (op >> 16) & 0xF);
        if (t == 15 || (d >= 16 && cpu.Fpu.RegisterCount == 16))
        {
            cpu.RaiseUndefined(op);
            return;
        }
        if (!Check(cpu, op)) return;
        uint opc = ((op >> 19) & 0xC) | ((op >> 5) & 3);
        int esize, index;
        if ((opc & 8) != 0) { esize = 8; index = (int)(opc & 7); }
        else if ((opc & 1) != 0) { esize = 16; index = (int)(opc >> 1); }
        else { esize = 32; index = (int)(opc >> 2); }
        int shift = esize * index;
        ulong mask = (esize == 32 ? 0xFFFF_FFFFUL : (1UL << esize) - 1) << shift;
        ref ulong reg = ref cpu.Fpu.D[d];
        reg = (reg & ~mask) | (((ulong)cpu.R[t] << shift) & mask);
    }

    // VMOV<c>.<dt> <Rt>, <Dn[x]>: as above, U (bit 23) zero-extends a byte or halfword.
    public static void ScalarToCore(Cpu cpu, uint op)
    {
        int t = (int)(op >> 12) & 15, n = (int)((op >> 3) & 0x10 | (op >> 16) & 0xF);
        if (t == 15 || (n >= 16 && cpu.Fpu.RegisterCount == 16))
        {
            cpu.RaiseUndefined(op);
            return;
        }
        if (!Check(cpu, op)) return;
        uint opc = ((op >> 19) & 0xC) | ((op >> 5) & 3);
        bool unsigned = (op & (1u << 23)) != 0;
        ulong reg = cpu.Fpu.D[n];
        uint value;
        if ((opc & 8) != 0)
        {
            uint b = (uint)(reg >> (8 * (int)(opc & 7))) & 0xFF;
            value = unsigned ? b : (uint)(sbyte)b;
        }
        else if ((opc & 1) != 0)
        {
            uint h = (uint)(reg >> (16 * (int)(opc >> 1))) & 0xFFFF;
            value = unsigned ? h : (uint)(short)h;
        }
        else
        {
            value = (uint)(reg >> (32 * (int)(opc >> 2)));
        }
        cpu.R[t] = value;
    }

    // VMRS<c> <Rt>, <spec_reg>   VMRS<c> APSR_nzcv, FPSCR
    // FPSCR needs the unit enabled; the ID registers and FPEXC are privileged (VFPv2 lets User
    // mode read FPSID) and readable with FPEXC.EN clear. Rt = 15 copies bits 31:28 to NZCV.
    public static void Vmrs(Cpu cpu, uint op)
    {
        int reg = (int)(op >> 16) & 15, t = (int)(op >> 12) & 15;
        var fpu = cpu.Fpu;
        var model = fpu.Model;
        bool privileged = cpu.IsPrivileged, vfp3 = model.Has(CpuFeature.Vfp3);
        uint value;
        bool ok;
        switch (reg)
        {
            case FPSCR:
                ok = fpu.Enabled(privileged);
                value = fpu.Fpscr;
                break;
            case FPSID:
                ok = (privileged || !vfp3) && fpu.Enabled(privileged, checkFpexc: false);
                value = model.Fpsid;
                break;
            case MVFR0 or MVFR1:
                ok = privileged && model.Arch >= ArchVersion.V6 && fpu.Enabled(privileged, checkFpexc: false);
                value = reg == MVFR0 ? model.Mvfr0 : model.Mvfr1;
                break;
            case FPEXC:
                ok = privileged && fpu.Enabled(privileged, checkFpexc: false);
                value = fpu.Fpexc;
                break;
            case FPINST or FPINST2:
                ok = privileged && !vfp3 && fpu.Enabled(privileged);
                value = reg == FPINST ? fpu.Fpinst : fpu.Fpinst2;
                break;
            default:
                ok = false;
                value = 0;
                break;
        }
        if (!ok)
        {
            cpu.RaiseUndefined(op);
            return;
        }
        if (t == 15)
        {
            cpu.N = (value & (1u << 31)) != 0;
            cpu.Z = (value & (1u << 30)) != 0;
            cpu.C = (value & (1u << 29)) != 0;
            cpu.V = (value & (1u << 28)) != 0;
        }
        else
        {
            cpu.R[t] = value;
        }
    }

    // VMSR<c> <spec_reg>, <Rt>
    // FPSCR keeps <see cref="Fpscr.WritableMask"/> (and QC only with Advanced SIMD, as QEMU);
    // writes to FPSID and the MVFRs are ignored.
    public static void Vmsr(Cpu cpu, uint op)
    {
        int reg = (int)(op >> 16) & 15, t = (int)(op >> 12) & 15;
        var fpu = cpu.Fpu;
        var model = fpu.Model;
        bool privileged = cpu.IsPrivileged, vfp3 = model.Has(CpuFeature.Vfp3);
        uint value = cpu.R[t];
        bool ok = t != 15;
        switch (reg)
        {
            case FPSCR:
                ok &= fpu.Enabled(privileged);
                if (ok)
                {
                    uint mask = Fpscr.WritableMask & (model.Has(CpuFeature.Neon) ? ~0u : ~Fpscr.QC);
                    fpu.Fpscr = value & mask;
                }
                break;
            case FPSID:
                ok &= (privileged || !vfp3) && fpu.Enabled(privileged, checkFpexc: false);
                break;
            case MVFR0 or MVFR1:
                ok &= privileged && model.Arch >= ArchVersion.V6 && fpu.Enabled(privileged, checkFpexc: false);
                break;
            case FPEXC:
                ok &= privileged && fpu.Enabled(privileged, checkFpexc: false);
                if (ok) fpu.Fpexc = value;
                break;
            case FPINST or FPINST2:
                ok &= privileged && !vfp3 && fpu.Enabled(privileged);
                if (ok)
                {
                    if (reg == FPINST) fpu.Fpinst = value;
                    else fpu.Fpinst2 = value;
                }
                break;
            default:
                ok = false;
                break;
        }
        if (!ok) cpu.RaiseUndefined(op);
    }
}
