using ArmEmu.Memory;

namespace ArmEmu.Cpu.Interpreter;

/// <summary>
/// Extension register load and store (DDI 0406C A7.6; VLDR A8.8.333, VSTR A8.8.413, VLDM
/// A8.8.332, VSTM A8.8.412; VPUSH and VPOP are VSTMDB and VLDMIA with SP and write-back).
/// A double register is two words, the low half at the lower address (little-endian data).
/// The accesses are MemA word accesses (DDI 0406C A3.2.1, table A3-1: VLDR, VSTR, VLDM, VSTM,
/// VPUSH and VPOP need word alignment): with SCTLR.A or SCTLR.U set -- always on ARMv7 -- an
/// unaligned address is an Alignment fault before any access; on ARMv5 without SCTLR.A (the
/// arm926's VFPv2) bits 1:0 are ignored. QEMU 7.2 faults the same way on v7; Unicorn 2.0.1
/// (QEMU 5.0) does not check, so the differential test keeps these addresses aligned.
/// UNPREDICTABLE cases are UNDEFINED, as QEMU's trans_VLDM_VSTM makes them:
/// an empty or too long list, a list running past the last register, PC as a written-back base.
/// FLDMX/FSTMX (double, odd imm8) transfer imm8/2 registers and move the base by imm8 words.
/// </summary>
internal static class VfpLoadStore
{
    // VLDR<c> <Sd>, [<Rn>{, #+/-<imm>}]   VSTR ...   (bit 20: load; bit 8: double)
    public static void Single(Cpu cpu, uint op)
    {
        var fpu = cpu.Fpu;
        bool dp = (op & 0x100) != 0, load = (op & 0x10_0000) != 0;
        int d = dp ? (int)((op >> 18) & 0x10 | (op >> 12) & 0xF) : (int)((op >> 11) & 0x1E | (op >> 22) & 1);
        if (!fpu.Enabled(cpu.IsPrivileged) || (dp && d >= fpu.RegisterCount))
        {
            cpu.RaiseUndefined(op);
            return;
        }
        int n = (int)(op >> 16) & 15;
        uint baseAddress = n == 15 ? cpu.R[15] & ~3u : cpu.R[n];
        uint offset = (op & 0xFF) << 2;
        uint address = (op & (1u << 23)) != 0 ? baseAddress + offset : baseAddress - offset;
        address = cpu.AlignedWordAddress(address, load ? AccessKind.Read : AccessKind.Write);
        if (load)
        {
            if (dp)
            {
                uint low = cpu.Memory.Read32(address), high = cpu.Memory.Read32(address + 4);
                fpu.D[d] = low | ((ulong)high << 32);
            }
            else fpu.SetS(d, cpu.Memory.Read32(address));
        }
        else
        {
            if (dp)
            {
                cpu.Memory.Write32(address, (uint)fpu.D[d]);
                cpu.Memory.Write32(address + 4, (uint)(fpu.D[d] >> 32));
            }
            else cpu.Memory.Write32(address, fpu.GetS(d));
        }
    }

    // VLDM{mode}<c> <Rn>{!}, <list>   VSTM ...   (P bit 24, U bit 23, W bit 21, L bit 20)
    public static void Multiple(Cpu cpu, uint op)
    {
        var fpu = cpu.Fpu;
        bool dp = (op & 0x100) != 0, load = (op & 0x10_0000) != 0, add = (op & (1u << 23)) != 0, wback = (op & (1u << 21)) != 0;
        int n = (int)(op >> 16) & 15;
        uint imm8 = op & 0xFF;
        int d, count;
        bool bad;
        if (dp)
        {
            d = (int)((op >> 18) & 0x10 | (op >> 12) & 0xF);
            count = (int)(imm8 >> 1);
            bad = count == 0 || count > 16 || d + count > fpu.RegisterCount;
        }
        else
        {
            d = (int)((op >> 11) & 0x1E | (op >> 22) & 1);
            count = (int)imm8;
            bad = count == 0 || d + count > 32;
        }
        if (bad || (n == 15 && wback) || !fpu.Enabled(cpu.IsPrivileged))
        {
            cpu.RaiseUndefined(op);
            return;
        }
        uint baseAddress = n == 15 ? cpu.R[15] & ~3u : cpu.R[n];
        uint bytes = imm8 << 2;
        uint address = cpu.AlignedWordAddress(add ? baseAddress : baseAddress - bytes, load ? AccessKind.Read : AccessKind.Write);
        for (int i = 0; i < count; i++)
        {
            if (dp)
            {
                if (load)
                {
                    uint low = cpu.Memory.Read32(address), high = cpu.Memory.Read32(address + 4);
                    fpu.D[d + i] = low | ((ulong)high << 32);
                }
                else
                {
                    cpu.Memory.Write32(address, (uint)fpu.D[d + i]);
                    cpu.Memory.Write32(address + 4, (uint)(fpu.D[d + i] >> 32));
                }
                address += 8;
            }
            else
            {
                if (load) fpu.SetS(d + i, cpu.Memory.Read32(address));
                else cpu.Memory.Write32(address, fpu.GetS(d + i));
                address += 4;
            }
        }
        if (wback) cpu.R[n] = add ? baseAddress + bytes : baseAddress - bytes;
    }
}
