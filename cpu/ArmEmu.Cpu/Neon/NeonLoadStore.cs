using System.Runtime.CompilerServices;

namespace ArmEmu.Cpu.Neon;

/// <summary>
/// Advanced SIMD element and structure loads and stores (DDI 0406C A7.7): VLD1-VLD4 and
/// VST1-VST4 of multiple structures (A = 0; A8.8.320, 323, 326, 329, 404, 406, 408, 410), of a
/// single structure to one lane (A = 1, size != 11; A8.8.321...) and VLDn to all lanes
/// (A = 1, size = 11; A8.8.322...). Fields: L (bit 21) load, Rn (19:16), D:Vd, Rm (3:0): 15 no
/// write-back, 13 write-back by the bytes transferred, otherwise Rn += Rm.
///
/// The alignment the instruction names (align / index_align / a) is checked first and faults
/// (Alignment, DFSR status 00001) whatever SCTLR.A says; the element accesses are MemU. A
/// register list that runs past D31 is UNPREDICTABLE; it is UNDEFINED here (QEMU 7.2 makes the
/// single-structure forms UNDEFINED too; Unicorn 2.0.1 wraps round to D0). The base is written back after the
/// accesses, so a faulting access leaves it unchanged (the manual's restored-base abort model).
/// </summary>
[SkipLocalsInit]
internal static class NeonLoadStore
{
    /// <summary>The multiple-structures form: type (bits 11:8) gives the number of registers, interleave and spacing.</summary>
    public static void Multiple(Cpu cpu, uint op)
    {
        if (!Neon.Enabled(cpu, op)) return;
        int type = (int)(op >> 8) & 0xF, size = (int)(op >> 6) & 3, align = (int)(op >> 4) & 3;
        // (registers per structure element, structures' interleave, spacing between registers)
        int regs, interleave, spacing;
        switch (type)
        {
            case 0b0111: regs = 1; interleave = 1; spacing = 1; if ((align & 2) != 0) goto Undefined; break;
            case 0b1010: regs = 2; interleave = 1; spacing = 1; if (align == 3) goto Undefined; break;
            case 0b0110: regs = 3; interleave = 1; spacing = 1; if ((align & 2) != 0) goto Undefined; break;
            case 0b0010: regs = 4; interleave = 1; spacing = 1; break;
            case 0b1000: regs = 1; interleave = 2; spacing = 1; if (size == 3 || align == 3) goto Undefined; break;
            case 0b1001: regs = 1; interleave = 2; spacing = 2; if (size == 3 || align == 3) goto Undefined; break;
            case 0b0011: regs = 2; interleave = 2; spacing = 2; if (size == 3) goto Undefined; break;
            case 0b0100: regs = 1; interleave = 3; spacing = 1; if (size == 3 || (align & 2) != 0) goto Undefined; break;
            case 0b0101: regs = 1; interleave = 3; spacing = 2; if (size == 3 || (align & 2) != 0) goto Undefined; break;
            case 0b0000: regs = 1; interleave = 4; spacing = 1; if (size == 3) goto Undefined; break;
            case 0b0001: regs = 1; interleave = 4; spacing = 2; if (size == 3) goto Undefined; break;
            default: goto Undefined;
        }
        int d = Neon.Vd(op);
        // VLD2 with two register pairs (type 0011) uses d, d+1 and d+2, d+3; the others d + k*spacing.
        int last = type == 0b0011 ? d + 3 : d + (interleave - 1) * spacing + regs - 1;
        if (last > 31) goto Undefined;
        int n = (int)(op >> 16) & 0xF, m = (int)op & 0xF;
        bool load = (op & (1u << 21)) != 0;
        uint address = cpu.R[n];
        uint alignment = align == 0 ? 1u : 4u << align;
        cpu.CheckAlignment(address, alignment, !load);
        var fpu = cpu.Fpu;
        int ebytes = 1 << size, elements = 8 / ebytes;
        uint a = address;
        for (int r = 0; r < regs; r++)
        {
            for (int e = 0; e < elements; e++)
            {
                for (int k = 0; k < interleave; k++)
                {
                    int reg = type == 0b0011 ? d + r + 2 * k : d + r + k * spacing;
                    if (load) fpu.D[reg] = Neon.Insert(fpu.D[reg], e, 8 * ebytes, cpu.LoadElement(a, ebytes));
                    else cpu.StoreElement(a, ebytes, Neon.Field(fpu.D[reg], e * 8 * ebytes, 8 * ebytes, true));
                    a += (uint)ebytes;
                }
            }
        }
        WriteBack(cpu, n, m, address, (uint)(8 * regs * interleave));
        return;
    Undefined:
        cpu.RaiseUndefined(op);
    }

    /// <summary>A single structure to or from one lane: size (11:10), N-1 (9:8), index_align (7:4).</summary>
    public static void OneLane(Cpu cpu, uint op)
    {
        if (!Neon.Enabled(cpu, op)) return;
        int size = (int)(op >> 10) & 3, count = (int)((op >> 8) & 3) + 1, ia = (int)(op >> 4) & 0xF;
        int index, inc = 1;
        uint alignment = 1;
        int ebytes = 1 << size;
        switch (size)
        {
            case 3:
                goto Undefined;                         // a store "to all lanes" does not exist
            case 0:
                index = ia >> 1;
                if (count is 1 or 3 ? (ia & 1) != 0 : false) goto Undefined;
                if ((ia & 1) != 0) alignment = count == 2 ? 2u : 4u;
                break;
            case 1:
                index = ia >> 2;
                if (count == 1 && (ia & 2) != 0) goto Undefined;
                if (count == 3 && (ia & 1) != 0) goto Undefined;
                if (count > 1 && (ia & 2) != 0) inc = 2;
                if ((ia & 1) != 0) alignment = count switch { 1 => 2u, 2 => 4u, _ => 8u };
                break;
            default:
                index = ia >> 3;
                if (count > 1 && (ia & 4) != 0) inc = 2;
                switch (count)
                {
                    case 1:
                        if ((ia & 4) != 0 || (ia & 3) is 1 or 2) goto Undefined;
                        if ((ia & 3) == 3) alignment = 4;
                        break;
                    case 2:
                        if ((ia & 2) != 0) goto Undefined;
                        if ((ia & 1) != 0) alignment = 8;
                        break;
                    case 3:
                        if ((ia & 3) != 0) goto Undefined;
                        break;
                    default:
                        if ((ia & 3) == 3) goto Undefined;
                        if ((ia & 3) != 0) alignment = 4u << (ia & 3);
                        break;
                }
                break;
        }
        int d = Neon.Vd(op);
        if (d + (count - 1) * inc > 31) goto Undefined;
        int n = (int)(op >> 16) & 0xF, m = (int)op & 0xF;
        bool load = (op & (1u << 21)) != 0;
        uint address = cpu.R[n];
        cpu.CheckAlignment(address, alignment, !load);
        var fpu = cpu.Fpu;
        uint a = address;
        for (int k = 0; k < count; k++)
        {
            int reg = d + k * inc;
            if (load) fpu.D[reg] = Neon.Insert(fpu.D[reg], index, 8 * ebytes, cpu.LoadElement(a, ebytes));
            else cpu.StoreElement(a, ebytes, Neon.Field(fpu.D[reg], index * 8 * ebytes, 8 * ebytes, true));
            a += (uint)ebytes;
        }
        WriteBack(cpu, n, m, address, (uint)(ebytes * count));
        return;
    Undefined:
        cpu.RaiseUndefined(op);
    }

    /// <summary>VLDn (single n-element structure to all lanes): N-1 (9:8), size (7:6), T (5), a (4). Loads only.</summary>
    public static void AllLanes(Cpu cpu, uint op)
    {
        if (!Neon.Enabled(cpu, op)) return;
        int count = (int)((op >> 8) & 3) + 1, size = (int)(op >> 6) & 3;
        bool t = (op & 0x20) != 0, a = (op & 0x10) != 0;
        if ((op & (1u << 21)) == 0) goto Undefined;
        int ebytes, regs = 1, inc = 1;
        uint alignment = 1;
        switch (count)
        {
            case 1:
                if (size == 3 || (size == 0 && a)) goto Undefined;
                ebytes = 1 << size;
                regs = t ? 2 : 1;
                if (a) alignment = (uint)ebytes;
                break;
            case 2:
                if (size == 3) goto Undefined;
                ebytes = 1 << size;
                inc = t ? 2 : 1;
                if (a) alignment = (uint)(2 * ebytes);
                break;
            case 3:
                if (size == 3 || a) goto Undefined;
                ebytes = 1 << size;
                inc = t ? 2 : 1;
                break;
            default:
                if (size == 3 && !a) goto Undefined;
                ebytes = size == 3 ? 4 : 1 << size;
                inc = t ? 2 : 1;
                if (a) alignment = size == 3 ? 16u : size == 2 ? 8u : (uint)(4 * ebytes);
                break;
        }
        int d = Neon.Vd(op);
        int last = count == 1 ? d + regs - 1 : d + (count - 1) * inc;
        if (last > 31) goto Undefined;
        int n = (int)(op >> 16) & 0xF, m = (int)op & 0xF;
        uint address = cpu.R[n];
        cpu.CheckAlignment(address, alignment, write: false);
        var fpu = cpu.Fpu;
        uint addr = address;
        for (int k = 0; k < count; k++)
        {
            ulong v = Replicate(cpu.LoadElement(addr, ebytes), ebytes);
            if (count == 1)
            {
                for (int r = 0; r < regs; r++) fpu.D[d + r] = v;
            }
            else fpu.D[d + k * inc] = v;
            addr += (uint)ebytes;
        }
        WriteBack(cpu, n, m, address, (uint)(ebytes * count));
        return;
    Undefined:
        cpu.RaiseUndefined(op);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Replicate(ulong v, int ebytes) => ebytes switch
    {
        1 => (v & 0xFF) * 0x0101_0101_0101_0101UL,
        2 => (v & 0xFFFF) * 0x0001_0001_0001_0001UL,
        _ => (v & 0xFFFF_FFFF) * 0x0000_0001_0000_0001UL,
    };

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void WriteBack(Cpu cpu, int n, int m, uint address, uint bytes)
    {
        if (m == 15) return;
        cpu.R[n] = address + (m == 13 ? bytes : cpu.R[m]);
    }
}
