using ArmEmu.Cpu.Engines.Translator;
using ArmEmu.Memory.Caches;
using Pair = ArmEmu.Cpu.Tests.Translator.TranslatorLockstepTests.Pair;

namespace ArmEmu.Cpu.Tests.Translator;

/// <summary>
/// The translator against the interpreter in lock step on random Thumb code: 16-bit Thumb on the
/// ARM926 (ARMv5TE) and Thumb-2 on the Cortex-A9 (T32 data processing, loads and stores,
/// LDM/STM, MUL/MLA, CBZ/CBNZ and IT blocks of every shape), each run cut at a random budget, the
/// whole state compared after every run as in <see cref="TranslatorLockstepTests"/> (ITSTATE is
/// in the CPSR compared).
/// </summary>
/// <remarks>
/// Registers: random code writes r0-r5 and (T32) r9, r10, r12; r6 is a small index it never
/// writes, r7 the data pointer, r8 the loop counter, r11 a pointer that moves by 4 (T32
/// write-back forms), SP the middle of the data (PUSH/POP in pairs).
/// </remarks>
public class TranslatorThumbLockstepTests
{
    private const uint Code = TranslatorLockstepTests.Code, Data = TranslatorLockstepTests.Data;

    /// <summary>A program under construction: halfwords in memory order.</summary>
    private sealed class Program(bool thumb2)
    {
        public readonly List<ushort> Halfwords = [];
        public readonly bool Thumb2 = thumb2;

        public uint Here => Code + (uint)Halfwords.Count * 2;

        public void Add16(uint hw) => Halfwords.Add((ushort)hw);

        public void Add32(uint hw1, uint hw2)
        {
            Halfwords.Add((ushort)hw1);
            Halfwords.Add((ushort)hw2);
        }

        public void Add(Instruction i)
        {
            if (i.Wide) Add32(i.Hw1, i.Hw2);
            else Add16(i.Hw1);
        }
    }

    private readonly record struct Instruction(uint Hw1, uint Hw2 = 0, bool Wide = false)
    {
        public int Size => Wide ? 4 : 2;
    }

    private static Instruction T16(uint hw) => new(hw);

    private static Instruction T32(uint hw1, uint hw2) => new(hw1, hw2, true);

    // Registers random code may write (low, and for T32 also high ones), and those it may read.
    private static uint LowDest(Random rng) => (uint)rng.Next(6);

    private static uint LowSource(Random rng) => (uint)rng.Next(8);

    private static uint Dest32(Random rng) => rng.Next(4) == 0 ? (uint)(new[] { 9, 10, 12 })[rng.Next(3)] : LowDest(rng);

    private static uint Source32(Random rng) => (uint)(new[] { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 14 })[rng.Next(13)];

    /// <summary>A random 16-bit instruction that may stand in an IT block (and anywhere else).</summary>
    private static Instruction Random16(Random rng, bool thumb2)
    {
        switch (rng.Next(thumb2 ? 12 : 11))
        {
            case 0: // LSL/LSR/ASR (immediate)
                return T16(((uint)rng.Next(3) << 11) | ((uint)rng.Next(32) << 6) | (LowSource(rng) << 3) | LowDest(rng));
            case 1: // ADD/SUB (register), ADD/SUB (immediate 3)
                return T16(0x1800u | ((uint)rng.Next(4) << 9) | ((uint)rng.Next(8) << 6) | (LowSource(rng) << 3) | LowDest(rng));
            case 2: // MOV/CMP/ADD/SUB (immediate 8)
            {
                uint op = (uint)rng.Next(4);
                return T16(0x2000u | (op << 11) | ((op == 1 ? LowSource(rng) : LowDest(rng)) << 8) | (uint)rng.Next(256));
            }
            case 3: case 4: // data processing on low registers (the register shifts and MUL among them)
            {
                uint op = (uint)rng.Next(16);
                uint rdn = op is 8 or 10 or 11 ? LowSource(rng) : LowDest(rng);
                return T16(0x4000u | (op << 6) | (LowSource(rng) << 3) | rdn);
            }
            case 5: // ADD/CMP/MOV high registers; the PC read now and then
            {
                uint op = (uint)rng.Next(3);
                uint dn = op == 1 ? (uint)rng.Next(13) : (rng.Next(3) == 0 ? (uint)(new[] { 9, 10, 12 })[rng.Next(3)] : LowDest(rng));
                uint m = op != 1 && rng.Next(8) == 0 ? 15u : (uint)rng.Next(13);
                return T16(0x4400u | (op << 8) | ((dn & 8) << 4) | (m << 3) | (dn & 7));
            }
            case 6: // loads/stores [r7, r6] (word, halfword, byte, signed)
            {
                uint op = (uint)rng.Next(8);
                bool load = op >= 3;
                return T16(0x5000u | (op << 9) | (6u << 6) | (7u << 3) | (load ? LowDest(rng) : LowSource(rng)));
            }
            case 7: // loads/stores [r7, #imm5] (word, byte, halfword)
            {
                uint family = (uint)rng.Next(3), load = (uint)rng.Next(2);
                return T16((family switch { 0 => 0x6000u, 1 => 0x7000u, _ => 0x8000u }) | (load << 11) | ((uint)rng.Next(32) << 6) | (7u << 3)
                           | (load == 1 ? LowDest(rng) : LowSource(rng)));
            }
            case 8: // LDR/STR [SP, #imm8 * 4], LDR (literal)
            {
                uint load = (uint)rng.Next(2);
                if (rng.Next(3) == 0) return T16(0x4800u | (LowDest(rng) << 8) | (uint)rng.Next(256));
                return T16(0x9000u | (load << 11) | ((load == 1 ? LowDest(rng) : LowSource(rng)) << 8) | (uint)rng.Next(256));
            }
            case 9: // ADR, ADD Rd, SP, #imm
                return T16((rng.Next(2) == 0 ? 0xA000u : 0xA800u) | (LowDest(rng) << 8) | (uint)rng.Next(256));
            case 10: // SXTH/SXTB/UXTH/UXTB (compiled) and REV (interpreted), ARMv6, on the A9; ADD SP, #imm then SUB SP the same on the ARM926 is below
                return thumb2 ? T16((rng.Next(2) == 0 ? 0xB200u | ((uint)rng.Next(4) << 6) : 0xBA00u | ((uint)(new[] { 0, 1, 3 })[rng.Next(3)] << 6))
                                    | (LowSource(rng) << 3) | LowDest(rng))
                              : T16(0x4000u | (13u << 6) | (LowSource(rng) << 3) | LowDest(rng)); // MUL
            default: // ADD SP/SUB SP, #imm7 * 4 come in pairs (below); here MUL
                return T16(0x4340u | (LowSource(rng) << 3) | LowDest(rng));
        }
    }

    /// <summary>A random 32-bit instruction that may stand in an IT block.</summary>
    private static Instruction Random32(Random rng)
    {
        uint s = (uint)rng.Next(2);
        uint[] dpOps = [0, 1, 2, 3, 4, 8, 10, 11, 13, 14];
        switch (rng.Next(11))
        {
            case 8: // LDRH/STRH/LDRSB/LDRSH: [r11, #+/-4]!, [r11], #+/-4 (r11 stays word-aligned for LDRD/LDM), [r7, #-imm8], [r7, r6, LSL #imm2], literal; LDRD/STRD [r7, #imm8 * 4], [r11, #+/-4]!, [r11], #+/-4, literal
            {
                if (rng.Next(3) == 0)
                {
                    uint load = (uint)rng.Next(2), form = (uint)rng.Next(4);
                    uint t = load == 1 ? Dest32(rng) : Source32(rng), t2 = load == 1 ? Dest32(rng) : Source32(rng);
                    (uint hw1, uint imm) = form switch
                    {
                        0 => (0xE9C0u | 7, (uint)rng.Next(256)),                                 // [r7, #imm8 * 4]
                        1 => (0xE960u | ((uint)rng.Next(2) << 7) | 11, 1u),                      // [r11, #+/-4]!
                        2 => (0xE860u | ((uint)rng.Next(2) << 7) | 11, 1u),                      // [r11], #+/-4
                        _ => (0xE95Fu | ((uint)rng.Next(2) << 7), (uint)rng.Next(64)),          // LDRD (literal)
                    };
                    if (form == 3) load = 1;
                    return T32(hw1 | (load << 4), (t << 12) | (t2 << 8) | imm);
                }
                uint family = (new[] { 0xF820u, 0xF830u, 0xF910u, 0xF930u })[rng.Next(4)]; // STRH, LDRH, LDRSB, LDRSH
                uint rt = (family & 0x10) != 0 ? Dest32(rng) : Source32(rng);
                switch (rng.Next(4))
                {
                    case 0: return T32(family | 11, (rt << 12) | 0x800 | ((uint)rng.Next(2) << 10) | ((uint)rng.Next(2) << 9) | 0x100 | 4);
                    case 1: return T32(family | 7, (rt << 12) | 0xC00 | (uint)rng.Next(256));
                    case 2: return T32(family | 7, (rt << 12) | ((uint)rng.Next(4) << 4) | 6);
                    default: return family == 0xF820u ? T32(family | 7, (rt << 12) | 0xC00 | (uint)rng.Next(256))
                                                      : T32(family | 15 | ((uint)rng.Next(2) << 7), (Dest32(rng) << 12) | (uint)rng.Next(0x100));
                }
            }
            case 0: case 1: // data processing (modified immediate); TST/TEQ/CMN/CMP, MOV/MVN
            {
                uint op = dpOps[rng.Next(dpOps.Length)];
                uint n = Source32(rng), d = Dest32(rng);
                if (op is 0 or 4 or 8 or 13 && rng.Next(4) == 0) (s, d) = (1, 15); // the compare forms
                else if (op is 2 or 3 && rng.Next(3) == 0) n = 15;                 // MOV, MVN
                return T32(0xF000u | ((uint)rng.Next(2) << 10) | (op << 5) | (s << 4) | n, ((uint)rng.Next(8) << 12) | (d << 8) | (uint)rng.Next(256));
            }
            case 2: // ADDW/SUBW, ADR; MOVW, MOVT; SXTH/UXTH/SXTB/UXTB with a rotation
            {
                uint imm = (uint)rng.Next(4096), d = Dest32(rng);
                if (rng.Next(4) == 0)
                    return T32((new[] { 0xFA0Fu, 0xFA1Fu, 0xFA4Fu, 0xFA5Fu })[rng.Next(4)], 0xF080u | (d << 8) | ((uint)rng.Next(4) << 4) | Source32(rng));
                if (rng.Next(4) == 0)
                    return T32(0xF2C0u | (((imm >> 11) & 1) << 10) | (uint)rng.Next(16), (((imm >> 8) & 7) << 12) | (d << 8) | (imm & 0xFF));
                if (rng.Next(3) == 0)
                    return T32(0xF240u | (((imm >> 11) & 1) << 10) | (uint)rng.Next(16), (((imm >> 8) & 7) << 12) | (d << 8) | (imm & 0xFF));
                uint n = rng.Next(4) == 0 ? 15u : Source32(rng);
                return T32((rng.Next(2) == 0 ? 0xF200u : 0xF2A0u) | (((imm >> 11) & 1) << 10) | n, (((imm >> 8) & 7) << 12) | (d << 8) | (imm & 0xFF));
            }
            case 3: case 4: // data processing (shifted register), PKH among them; LSL/LSR/ASR/ROR (register) T2
            {
                if (rng.Next(5) == 0)
                    return T32(0xFA00u | ((uint)rng.Next(4) << 5) | (s << 4) | Source32(rng), 0xF000u | (Dest32(rng) << 8) | Source32(rng));
                uint op = rng.Next(12) == 0 ? 6u : dpOps[rng.Next(dpOps.Length)];
                uint n = Source32(rng), d = Dest32(rng);
                uint type = (uint)rng.Next(4);
                if (op == 6) (s, type) = (0, type & 2); // PKHBT, PKHTB: tb in bit 5, bit 4 zero
                else if (op is 0 or 4 or 8 or 13 && rng.Next(4) == 0) (s, d) = (1, 15);
                else if (op is 2 or 3 && rng.Next(3) == 0) n = 15;
                return T32(0xEA00u | (op << 5) | (s << 4) | n,
                           ((uint)rng.Next(8) << 12) | (d << 8) | ((uint)rng.Next(4) << 6) | (type << 4) | Source32(rng));
            }
            case 5: // LDR/STR/LDRB/STRB/LDRH/LDRSB... [r7, #imm12]
            {
                uint hw1 = (new[] { 0xF8C0u, 0xF8D0u, 0xF880u, 0xF890u, 0xF8A0u, 0xF8B0u, 0xF990u, 0xF9B0u })[rng.Next(8)];
                bool load = (hw1 & 0x10) != 0;
                return T32(hw1 | 7, ((load ? Dest32(rng) : Source32(rng)) << 12) | (uint)rng.Next(0x1000));
            }
            case 6: // imm8 forms: [r11, #+/-4]!, [r11], #+/-4, [r7, #-imm8]
            {
                uint size = (uint)rng.Next(2) == 0 ? 2u : 0u, load = (uint)rng.Next(2);
                uint t = load == 1 ? Dest32(rng) : Source32(rng);
                if (rng.Next(3) == 0) return T32(0xF800u | (size << 5) | (load << 4) | 7, (t << 12) | 0xC00 | (uint)rng.Next(256));
                uint pre = (uint)rng.Next(2), up = (uint)rng.Next(2);
                return T32(0xF800u | (size << 5) | (load << 4) | 11, (t << 12) | 0x800 | (pre << 10) | (up << 9) | 0x100 | 4);
            }
            case 7: // [r7, r6, LSL #imm2]; LDR (literal)
            {
                uint size = (uint)rng.Next(2) == 0 ? 2u : 0u, load = (uint)rng.Next(2);
                if (rng.Next(4) == 0) return T32(0xF85Fu | ((uint)rng.Next(2) << 7), (Dest32(rng) << 12) | (uint)rng.Next(0x400));
                return T32(0xF800u | (size << 5) | (load << 4) | 7, ((load == 1 ? Dest32(rng) : Source32(rng)) << 12) | ((uint)rng.Next(4) << 4) | 6);
            }
            case 9: // UBFX/SBFX (lsb + width within the word), MLS, REV/REV16/REVSH (T2)
                switch (rng.Next(3))
                {
                    case 0:
                        uint lsb = (uint)rng.Next(32), widthm1 = (uint)rng.Next(32 - (int)lsb);
                        return T32((rng.Next(2) == 0 ? 0xF3C0u : 0xF340u) | Source32(rng), ((lsb >> 2) << 12) | (Dest32(rng) << 8) | ((lsb & 3) << 6) | widthm1);
                    case 1:
                        return T32(0xFB00u | Source32(rng), (Source32(rng) << 12) | (Dest32(rng) << 8) | 0x10 | Source32(rng));
                    default:
                        uint m = Source32(rng);
                        return T32(0xFA90u | m, 0xF000u | (Dest32(rng) << 8) | (new[] { 0x80u, 0x90u, 0xB0u })[rng.Next(3)] | m);
                }
            default: // MUL, MLA; CLZ; UMULL/UMLAL/SMULL/SMLAL (RdLo and RdHi now and then the same, as the interpreter has it); PLD, NOP.W
                if (rng.Next(8) == 0)
                    return rng.Next(2) == 0 ? T32(0xF897u, 0xF000u | (uint)rng.Next(0x1000)) : T32(0xF3AFu, 0x8000u);
                if (rng.Next(4) == 0) return T32(0xFAB0u | 5, 0xF080u | (Dest32(rng) << 8) | 5); // CLZ Rd, r5
                if (rng.Next(3) == 0)
                    return T32((new[] { 0xFBA0u, 0xFBE0u, 0xFB80u, 0xFBC0u })[rng.Next(4)] | Source32(rng),
                               (Dest32(rng) << 12) | (Dest32(rng) << 8) | Source32(rng));
                return T32(0xFB00u | Source32(rng), ((rng.Next(2) == 0 ? 15u : Source32(rng)) << 12) | (Dest32(rng) << 8) | Source32(rng));
        }
    }

    private static Instruction RandomInstruction(Random rng, bool thumb2) =>
        thumb2 && rng.Next(2) == 0 ? Random32(rng) : Random16(rng, thumb2);

    /// <summary>A conditional branch (B T1, or CBZ/CBNZ on the A9) over the instruction that follows.</summary>
    private static void AddSkip(Program p, Random rng, Instruction next)
    {
        uint skip = (uint)(next.Size - 2) / 2; // the target is PC + 4 + skip * 2
        if (p.Thumb2 && rng.Next(3) == 0)
            p.Add16(0xB100u | ((uint)rng.Next(2) << 11) | (skip << 3) | (uint)rng.Next(8)); // CBZ/CBNZ Rn
        else
            p.Add16(0xD000u | ((uint)rng.Next(14) << 8) | skip);
        p.Add(next);
    }

    /// <summary>An IT block: IT with a random first condition and mask, then its instructions (a B over the next instruction last, now and then).</summary>
    private static void AddITBlock(Program p, Random rng)
    {
        uint firstcond = (uint)rng.Next(15), mask = (uint)rng.Next(1, 16);
        if (firstcond == 14) mask = 8; // AL: one instruction only
        int count = 4 - System.Numerics.BitOperations.TrailingZeroCount(mask);
        p.Add16(0xBF00u | (firstcond << 4) | mask);
        for (int k = 0; k < count; k++)
        {
            if (k == count - 1 && rng.Next(4) == 0)
            {
                var next = RandomInstruction(rng, true);
                p.Add16(0xE000u | (uint)(next.Size - 2) / 2); // B T2 over the next instruction
                p.Add(next);
                return;
            }
            if (rng.Next(10) == 0)
            {
                // PUSH or POP r0-r5 (the handler runs LDM/STM in an IT block), unbalanced: SP wanders within RAM
                p.Add16((rng.Next(2) == 0 ? 0xB400u : 0xBC00u) | (uint)rng.Next(1, 64));
                continue;
            }
            p.Add(RandomInstruction(rng, true));
        }
    }

    /// <summary>The subroutine RandomProgram calls, at <see cref="TranslatorLockstepTests.SubroutineAddress"/>: ADDS, EORS, BX LR.</summary>
    private static readonly ushort[] ThumbSubroutine = [0x1840, 0x4041, 0x4770];

    /// <summary>Where RandomProgram's BLX (immediate) calls into ARM code go (Thumb-2 only).</summary>
    private const uint ArmSubroutineAddress = 0x3000;

    /// <summary>The ARM subroutine: EOR r0, r0, r1, ROR #3; MOV PC, LR (to Thumb: ALUWritePC interworks on ARMv7).</summary>
    private static readonly uint[] ArmSubroutine = [0xE02001E1u, 0xE1A0F00Eu];

    private static ushort[] RandomProgram(Random rng, bool thumb2, int bodyLength)
    {
        var p = new Program(thumb2);
        uint top = p.Here;
        for (int i = 0; i < bodyLength; i++)
        {
            int kind = rng.Next(10);
            if (kind == 0)
            {
                // PUSH a list and POP the same (r6 and r7 get their own values back); with LR, r0-r5
                // only, and one word more popped (into r5, or dropped by ADD SP, #4)
                uint list = (uint)rng.Next(1, 256);
                if (rng.Next(3) == 0)
                {
                    uint low = list & 0x3F;
                    if (low == 0) low = 1;
                    p.Add16(0xB500u | low);
                    if ((low & 0x20) == 0) p.Add16(0xBC20u | low);
                    else
                    {
                        p.Add16(0xBC00u | low);
                        p.Add16(0xB001u);
                    }
                    continue;
                }
                p.Add16(0xB400u | list);
                p.Add16(0xBC00u | list);
                continue;
            }
            if (kind == 1)
            {
                // STMIA/LDMIA through r5 = r7 (write-back; r5 in an LDM list: no write-back)
                p.Add16(0x463Du); // mov r5, r7
                uint list = (uint)rng.Next(1, 256) & ~0x20u;
                if (list == 0) list = 1;
                if (rng.Next(2) == 0) p.Add16(0xC500u | list);
                else p.Add16(0xCD00u | ((uint)rng.Next(1, 64) & 0x3F));
                continue;
            }
            if (kind == 2 && thumb2)
            {
                // T32 STMDB r11!, {list} and LDMIA r11!, {list}; or LDM/STM r7 without write-back
                uint list = (uint)rng.Next(1, 64) | ((uint)rng.Next(8) << 9) & 0x1600; // r0-r5, r9, r10, r12
                if (rng.Next(2) == 0)
                {
                    p.Add32(0xE92Bu, list);
                    p.Add32(0xE8BBu, list);
                }
                else p.Add32((rng.Next(2) == 0 ? 0xE880u : 0xE900u) | ((uint)rng.Next(2) << 4) | 7, list);
                continue;
            }
            if (kind == 3 && thumb2)
            {
                AddITBlock(p, rng);
                continue;
            }
            if (kind == 6 && thumb2 && rng.Next(3) == 0)
            {
                // BLX (immediate) T2 to the ARM subroutine (ArmSubroutine: EOR, MOV PC, LR -- back to Thumb by
                // ALUWritePC, which interworks in ARM state from ARMv7); or ADD PC, r5 with r5 zero (ALUWritePC in
                // Thumb state: a branch) over the next 16-bit instruction
                if (rng.Next(2) == 0)
                {
                    uint from = (p.Here + 4) & ~3u;
                    uint off = ArmSubroutineAddress - from;
                    uint s = (off >> 24) & 1, i1 = (off >> 23) & 1, i2 = (off >> 22) & 1;
                    p.Add32(0xF000u | (s << 10) | ((off >> 12) & 0x3FF), 0xC000u | ((~(i1 ^ s) & 1) << 13) | ((~(i2 ^ s) & 1) << 11) | ((off >> 1) & 0x7FE));
                }
                else
                {
                    p.Add16(0x2500u); // movs r5, #0
                    p.Add16(0x44AFu); // add pc, r5
                    p.Add(Random16(rng, thumb2));
                }
                continue;
            }
            if (kind == 5 && rng.Next(2) == 0)
            {
                // BLX r5 to the subroutine on the next page (ThumbSubroutine), which returns by BX LR:
                // blocks chain across pages, and the return's target varies with the call site.
                p.Add16(0x2520u); // movs r5, #0x20
                p.Add16(0x022Du); // lsls r5, r5, #8
                p.Add16(0x3501u); // adds r5, #1 (Thumb)
                p.Add16(0x47A8u); // blx r5
                continue;
            }
            var instruction = RandomInstruction(rng, thumb2);
            if (i > 0 && kind == 4) AddSkip(p, rng, instruction);
            else p.Add(instruction);
        }
        // the loop: r8 counts down
        p.Add16(0x4645u); // mov r5, r8
        p.Add16(0x3D01u); // subs r5, #1
        p.Add16(0x46A8u); // mov r8, r5
        int offset = (int)(top - (p.Here + 4));
        if (offset >= -256) p.Add16(0xD100u | ((uint)(offset >> 1) & 0xFF)); // bne top
        else
        {
            Assert.True(thumb2, "the ARMv5 loop body must stay within B T1's reach");
            uint off = (uint)offset;
            p.Add32(0xF000u | (((off >> 20) & 1) << 10) | (1u << 6) | ((off >> 12) & 0x3F),
                    0x8000u | (((off >> 18) & 1) << 13) | (((off >> 19) & 1) << 11) | ((off >> 1) & 0x7FF)); // bne.w top
        }
        p.Add16(0xE7FEu); // b . (the end)
        return [.. p.Halfwords];
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(7)]
    [InlineData(8)]
    public void RandomThumbPrograms_MatchTheInterpreter_AtEveryCut(int seed) => RandomThumbPrograms(seed, cacheModel: false);

    /// <summary>
    /// The same with the cache model on: Thumb blocks translated from the I-cache's resident lines
    /// (the page's Thumb slots), each instruction they run an I-cache hit; every cache counter and
    /// what loads see compared too.
    /// </summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void RandomThumbPrograms_WithTheCacheModel_MatchTheInterpreter_AtEveryCut(int seed) => RandomThumbPrograms(seed, cacheModel: true);

    private static void RandomThumbPrograms(int seed, bool cacheModel)
    {
        var rng = new Random(seed * 7919 + (cacheModel ? 1 : 0));
        for (int program = 0; program < 12; program++)
        {
            bool thumb2 = rng.Next(3) != 0;
            var model = thumb2 ? CpuModel.CortexA9 : CpuModel.Arm926;
            var caches = !cacheModel ? null : thumb2 ? CacheModelOptions.CortexA9 : CacheModelOptions.Arm926;
            using var pair = new Pair(model, threshold: 1 + rng.Next(3), caches);
            ushort[] halfwords = RandomProgram(rng, thumb2, 4 + rng.Next(thumb2 ? 30 : 20));
            pair.Write(Code, System.Runtime.InteropServices.MemoryMarshal.AsBytes(halfwords.AsSpan()));
            pair.Write(TranslatorLockstepTests.SubroutineAddress, System.Runtime.InteropServices.MemoryMarshal.AsBytes(ThumbSubroutine.AsSpan()));
            pair.Write(ArmSubroutineAddress, System.Runtime.InteropServices.MemoryMarshal.AsBytes(ArmSubroutine.AsSpan()));
            var data = new byte[TranslatorLockstepTests.DataSize];
            rng.NextBytes(data);
            pair.Write(Data, data);
            uint end = Code + (uint)(halfwords.Length - 1) * 2;
            int seedRegs = rng.Next();
            pair.Each(cpu =>
            {
                var r = new Random(seedRegs);
                cpu.WriteCpsr(0x1F | ((uint)r.Next(16) << 28), 0xFFFF_FFFF); // System mode (first: SP and LR are banked), random NZCV
                for (int i = 0; i < 15; i++) cpu.R[i] = (uint)r.Next() * 3;
                cpu.R[6] = (uint)r.Next(64) * 4;
                cpu.R[7] = Data;
                cpu.R[8] = 150;
                cpu.R[11] = Data + 0x800;
                cpu.R[13] = Data + 0x800;
                cpu.T = true;
                cpu.PC = Code;
            });
            string context = $"seed {seed} program {program} ({model.Name})";
            for (int run = 0; run < 600 && pair.Interpreted.Cpu.PC != end; run++)
                pair.Step(1 + rng.Next(rng.Next(2) == 0 ? 8 : 200), end, $"{context} run {run}");
            Assert.True(end == pair.Interpreted.Cpu.PC, $"{context}: ended at {pair.Interpreted.Cpu.PC:x8} r8 {pair.Interpreted.Cpu.R[8]}");
            Assert.True(pair.Translated.Cpu.T, $"{context}: left Thumb state");
            Assert.True(pair.Engine.Statistics.BlocksTranslated > 0, $"{context}: nothing was translated");
            Assert.True(pair.Engine.Statistics.InstructionsInBlocks > 0, $"{context}: no translated block ran");
            Assert.True(pair.Engine.Statistics.InstructionsInlined > 0, $"{context}: nothing was compiled to IL of its own");
            Assert.True(pair.Engine.Statistics.ThumbBlocksTranslated > 0, $"{context}: no Thumb block");
            if (cacheModel) Assert.True(pair.TranslatedCaches!.InstructionCache!.Counters.ReadHits > 1000, $"{context}: the I-cache was not used");
        }
    }
}
