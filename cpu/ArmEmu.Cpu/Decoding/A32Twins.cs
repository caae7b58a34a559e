using System.Numerics;

namespace ArmEmu.Cpu.Decoding;

/// <summary>
/// The A32 twin of a T32 instruction: the ARM word that does exactly what the Thumb word does
/// when its handler runs in Thumb state (R[15] reads as the Thumb PC, the condition is the IT
/// block's, checked by the engine). The interpreter's Thumb slots hold the twin and the A32
/// handler in place of the T32 ones (<see cref="CodeCache.DecodeThumbSlot(uint, uint)"/>), so the hot
/// T32 instructions run the A32 field views -- contiguous fields, one shift and mask each --
/// instead of T32's scattered ones (imm3:imm2, hw1/hw2 splits). The semantic core is the same
/// either way (DataProcessing.Execute, LoadStore, Multiply): only the field extraction differs.
/// This is QEMU's idea of running Thumb on the A32 semantics, taken one step further to the
/// encoding, and only where the two encodings say the same thing:
/// <list type="bullet">
/// <item>data-processing (shifted register), DDI 0406C A6.3.11 against A5.2.1: every operation
/// A32 has (not ORN, PKH), registers 0-12 and LR only (T32's SP and PC forms are other rows or
/// UNPREDICTABLE), the compare forms (Rd = 1111, S = 1) and MOV/MVN (Rn = 1111);</item>
/// <item>data-processing (modified immediate), A6.3.1 against A5.2.3: the same operations and
/// registers, where A32 can make the constant (<see cref="DataProcessingImmediate"/>) -- T32's
/// ThumbExpandImm costs its handler a dozen host instructions A32's rotation does not;</item>
/// <item>MUL T2 and MLA T1 (A6.3.16) against A32's MUL/MLA (A5.2.5), registers 0-12 and LR;</item>
/// <item>LDR/STR/LDRB/STRB (immediate) T2/T3 (imm12) and T4 (imm8: offset, pre-indexed,
/// post-indexed; not the unprivileged LDRT/STRT form), A6.3.7-A6.3.10 against A5.3, base not the
/// PC (the literal forms), Rt not the PC (LoadWritePC; PLD and the hints where Rt = 1111), and
/// for bytes not SP; a write-back whose base is Rt (UNPREDICTABLE) excluded.</item>
/// </list>
/// Anything else has no twin and keeps its T32 handler. A slot holding a twin still knows its
/// Thumb instruction (<see cref="ThumbSlot.Instruction"/>, from the word it was fetched as):
/// the engines compare that, and give the handler the twin.
/// </summary>
internal static class A32Twins
{
    private const uint AL = 0xEu << 28;

    /// <summary>The A32 twin of the 32-bit Thumb instruction <paramref name="op"/> (hw1:hw2), if it has one.</summary>
    public static bool TryGet(uint op, out uint twin)
    {
        twin = 0;
        uint hw1 = op >> 16;
        if ((hw1 & 0xFE00) == 0xEA00) return DataProcessingRegister(op, out twin);
        if ((hw1 & 0xFFF0) == 0xFB00 && (op & 0xF0) == 0) return MultiplyAccumulate(op, out twin);
        if ((hw1 & 0xFF00) == 0xF800 && (hw1 & 0x20) == 0) return LoadStoreImmediate(op, out twin);
        if ((op & 0xFA00_8000) == 0xF000_0000) return DataProcessingImmediate(op, out twin);
        return false;
    }

    // A32 data-processing opcodes by the T32 op field (bits 24:21 of hw1:hw2); -1: no twin.
    // T32: AND 0000, BIC 0001, ORR 0010, ORN 0011, EOR 0100, PKH 0110, ADD 1000, ADC 1010,
    // SBC 1011, SUB 1101, RSB 1110. A32: AND 0, EOR 1, SUB 2, RSB 3, ADD 4, ADC 5, SBC 6, ORR 12, BIC 14.
    private static ReadOnlySpan<sbyte> DataOpcodes => [0, 14, 12, -1, 1, -1, -1, -1, 4, -1, 5, 6, -1, 2, 3, -1];

    private static bool Plain(uint r) => r is not (13 or 15);

    private static bool DataProcessingRegister(uint op, out uint twin)
    {
        twin = 0;
        uint t32 = (op >> 21) & 15, s = (op >> 20) & 1, n = (op >> 16) & 15, d = (op >> 8) & 15, m = op & 15;
        uint shift = ((op >> 12) & 7) << 2 | (op >> 6) & 3, type = (op >> 4) & 3;
        if ((op & 0x8000) != 0 || !Plain(m)) return false;
        if (!DataOperation(t32, s, ref n, ref d, out uint a32)) return false;
        twin = AL | a32 << 21 | s << 20 | n << 16 | d << 12 | shift << 7 | type << 5 | m;
        return true;
    }

    /// <summary>
    /// The A32 data-processing opcode of T32's <paramref name="t32"/> (the register and modified
    /// immediate forms share the op field, A6.3.1 and A6.3.11), with Rn and Rd as A32 has them:
    /// MOV/MVN (Rn = 1111: A32's Rn SBZ), TST/TEQ/CMN/CMP (Rd = 1111 with S set: A32's 8-11, Rd
    /// SBZ), and the others with registers 0-12 and LR (not SP as Rd: T32's are other rows).
    /// False where A32 has no such form.
    /// </summary>
    private static bool DataOperation(uint t32, uint s, ref uint n, ref uint d, out uint a32)
    {
        a32 = 0;
        if (t32 is 2 or 3 && n == 15)
        {
            if (!Plain(d)) return false;
            a32 = t32 == 2 ? 13u : 15u;
            n = 0;
            return true;
        }
        int opcode = DataOpcodes[(int)t32];
        if (opcode < 0 || !Plain(n)) return false;
        a32 = (uint)opcode;
        if (d == 15)
        {
            if (s == 0) return false;
            switch (t32)
            {
                case 0: a32 = 8; break;
                case 4: a32 = 9; break;
                case 8: a32 = 11; break;
                case 13: a32 = 10; break;
                default: return false;
            }
            d = 0;
        }
        else if (d == 13) return false;
        return true;
    }

    // A32 opcodes whose shifter carry-out is the flags' C (AND, EOR, TST, TEQ, ORR, MOV, BIC, MVN).
    private static bool Logical(uint a32) => a32 is 0 or 1 or (>= 8 and <= 9) or >= 12;

    /// <summary>
    /// Data-processing (modified immediate), DDI 0406C A6.3.1 against A5.2.3: the operations and
    /// registers of <see cref="DataProcessingRegister"/>, when the constant ThumbExpandImm makes is
    /// one ARMExpandImm can make (an 8-bit value rotated right by an even amount, A5.2.4) with the
    /// same carry-out where it matters -- a logical operation that sets the flags: C kept for
    /// T32's unrotated constants (A32 rotation 0), bit 31 of the constant for its rotated ones
    /// (A32 rotation not 0). The replicated constants of a zero imm8 (UNPREDICTABLE) keep their
    /// T32 handler.
    /// </summary>
    private static bool DataProcessingImmediate(uint op, out uint twin)
    {
        twin = 0;
        uint t32 = (op >> 21) & 15, s = (op >> 20) & 1, n = (op >> 16) & 15, d = (op >> 8) & 15;
        uint imm12 = (op >> 15) & 0x800 | (op >> 4) & 0x700 | op & 0xFF, imm8 = op & 0xFF;
        if (!DataOperation(t32, s, ref n, ref d, out uint a32)) return false;
        // ThumbExpandImm (A6.3.2).
        bool rotated = (imm12 & 0xC00) != 0;
        uint value;
        if (rotated) value = BitOperations.RotateRight(0x80 | imm12 & 0x7F, (int)(imm12 >> 7));
        else
        {
            if (imm8 == 0 && (imm12 & 0x300) != 0) return false;
            value = ((imm12 >> 8) & 3) switch { 0 => imm8, 1 => imm8 * 0x0001_0001u, 2 => imm8 * 0x0100_0100u, _ => imm8 * 0x0101_0101u };
        }
        // An A32 rotation (rot, rotated right by 2 * rot) that makes the value, with the carry-out's
        // rule where the flags take it.
        bool carryMatters = s == 1 && Logical(a32);
        for (uint rot = 0; rot < 16; rot++)
        {
            uint a32Imm8 = BitOperations.RotateLeft(value, (int)(2 * rot));
            if (a32Imm8 > 0xFF || (carryMatters && (rot != 0) != rotated)) continue;
            twin = AL | 1u << 25 | a32 << 21 | s << 20 | n << 16 | d << 12 | rot << 8 | a32Imm8;
            return true;
        }
        return false;
    }

    private static bool MultiplyAccumulate(uint op, out uint twin)
    {
        // MLA T1 (Ra != 1111) and MUL T2 (Ra = 1111): 11111011 0000 nnnn | aaaa dddd 0000 mmmm.
        twin = 0;
        uint n = (op >> 16) & 15, a = (op >> 12) & 15, d = (op >> 8) & 15, m = op & 15;
        if (!Plain(n) || !Plain(d) || !Plain(m)) return false;
        if (a == 15)
        {
            twin = AL | d << 16 | m << 8 | 0x90 | n; // MUL A1, S = 0
            return true;
        }
        if (a == 13) return false;
        twin = AL | 1u << 21 | d << 16 | a << 12 | m << 8 | 0x90 | n; // MLA A1, S = 0
        return true;
    }

    private static bool LoadStoreImmediate(uint op, out uint twin)
    {
        // 11111000 U? size L nnnn | tttt ...: bit 23 of hw1:hw2 selects imm12 (T3, T2 for bytes)
        // or the imm8 forms (T4, T3 for bytes); size (6:5 of hw1) 00 byte, 10 word (01 halfword:
        // A32 splits its offset; 11 unallocated -- both excluded by TryGet's size test).
        twin = 0;
        uint hw1 = op >> 16;
        bool isByte = (hw1 & 0x40) == 0, load = (hw1 & 0x10) != 0;
        uint n = hw1 & 15, t = (op >> 12) & 15;
        if (n == 15 || t == 15 || (isByte && t == 13)) return false;
        uint b = isByte ? 1u : 0u, l = load ? 1u : 0u;
        if ((hw1 & 0x80) != 0)
        {
            // imm12, offset added, no write-back: A32 P = 1, U = 1, W = 0.
            twin = AL | 0x0580_0000u | b << 22 | l << 20 | n << 16 | t << 12 | (op & 0xFFF);
            return true;
        }
        if ((op & 0x800) == 0) return false; // register offset and the other encodings of this space
        uint p = (op >> 10) & 1, u = (op >> 9) & 1, w = (op >> 8) & 1;
        if (p == 0 && w == 0) return false; // UNDEFINED
        if (p == 1 && u == 1 && w == 0) return false; // LDRT/STRT/LDRBT/STRBT
        if (w == 1 && n == t) return false; // write-back to the register loaded or stored: UNPREDICTABLE
        // Post-indexed (P = 0, W = 1): A32 post-indexing writes back with W = 0 (W = 1 is its T form).
        uint a32w = p == 1 ? w : 0;
        twin = AL | 0x0400_0000u | p << 24 | u << 23 | b << 22 | a32w << 21 | l << 20 | n << 16 | t << 12 | (op & 0xFF);
        return true;
    }
}
