using ArmEmu.Cpu.Interpreter;

namespace ArmEmu.Cpu.Decoding;

#pragma warning disable IDE0055 // the table is aligned by hand

/// <summary>
/// Every 16-bit Thumb encoding of ARMv5T/v5TE (ARM ARM chapter A6), one row per
/// encoding. In ARMv5 BL and BLX (immediate) are two 16-bit instructions, a
/// prefix that sets LR and a suffix that branches, and are decoded as such.
/// Unmatched halfwords take the Undefined Instruction exception.
/// </summary>
public static unsafe class Thumb16Encodings
{
    public static readonly EncodingRow[] Rows =
    [
        // ---- Shift by immediate, add and subtract (A6.1.1 / A7.1) -------------------------------
        new("00000iiiiimmmddd", "LSL (immediate)",             &Thumb16.LslImmediate),
        new("00001iiiiimmmddd", "LSR (immediate)",             &Thumb16.LsrImmediate),
        new("00010iiiiimmmddd", "ASR (immediate)",             &Thumb16.AsrImmediate),
        new("0001100mmmnnnddd", "ADD (register)",              &Thumb16.AddRegister),
        new("0001101mmmnnnddd", "SUB (register)",              &Thumb16.SubRegister),
        new("0001110iiinnnddd", "ADD (immediate, 3 bits)",     &Thumb16.AddImmediate3),
        new("0001111iiinnnddd", "SUB (immediate, 3 bits)",     &Thumb16.SubImmediate3),

        // ---- Add, subtract, compare, move immediate ----------------------------------------------
        new("00100dddiiiiiiii", "MOV (immediate)",             &Thumb16.MovImmediate),
        new("00101nnniiiiiiii", "CMP (immediate)",             &Thumb16.CmpImmediate),
        new("00110dddiiiiiiii", "ADD (immediate, 8 bits)",     &Thumb16.AddImmediate8),
        new("00111dddiiiiiiii", "SUB (immediate, 8 bits)",     &Thumb16.SubImmediate8),

        // ---- Data processing on low registers ---------------------------------------------------
        new("0100000000mmmddd", "AND (register)",              &Thumb16.AluAndRegister),
        new("0100000001mmmddd", "EOR (register)",              &Thumb16.AluEorRegister),
        new("0100000010mmmddd", "LSL (register)",              &Thumb16.AluLslRegister),
        new("0100000011mmmddd", "LSR (register)",              &Thumb16.AluLsrRegister),
        new("0100000100mmmddd", "ASR (register)",              &Thumb16.AluAsrRegister),
        new("0100000101mmmddd", "ADC (register)",              &Thumb16.AluAdcRegister),
        new("0100000110mmmddd", "SBC (register)",              &Thumb16.AluSbcRegister),
        new("0100000111mmmddd", "ROR (register)",              &Thumb16.AluRorRegister),
        new("0100001000mmmddd", "TST (register)",              &Thumb16.AluTstRegister),
        new("0100001001mmmddd", "RSB (NEG)",                   &Thumb16.AluRsbRegister),
        new("0100001010mmmddd", "CMP (register)",              &Thumb16.AluCmpRegister),
        new("0100001011mmmddd", "CMN (register)",              &Thumb16.AluCmnRegister),
        new("0100001100mmmddd", "ORR (register)",              &Thumb16.AluOrrRegister),
        new("0100001101mmmddd", "MUL (register)",              &Thumb16.AluMulRegister),
        new("0100001110mmmddd", "BIC (register)",              &Thumb16.AluBicRegister),
        new("0100001111mmmddd", "MVN (register)",              &Thumb16.AluMvnRegister),

        // ---- High registers and branch/exchange --------------------------------------------------
        new("01000100hmmmmddd", "ADD (high registers)",        &Thumb16.AddHigh),
        new("01000101hmmmmnnn", "CMP (high registers)",        &Thumb16.CmpHigh),
        new("01000110hmmmmddd", "MOV (high registers)",        &Thumb16.MovHigh, flags: EncodingFlags.Return, returnForm: "0100011011110111"),
        new("010001110mmmm000", "BX",                          &Thumb16.Bx, flags: EncodingFlags.Branch | EncodingFlags.Return, returnForm: "0100011101110000"),
        new("010001111mmmm000", "BLX (register)",              &Thumb16.BlxRegister,      ArchVersion.V5T, flags: EncodingFlags.Call),

        // ---- Loads and stores ---------------------------------------------------------------------
        new("01001dddiiiiiiii", "LDR (literal)",               &Thumb16.LdrLiteral),
        new("0101000mmmnnnddd", "STR (register)",              &Thumb16.StrRegister),
        new("0101001mmmnnnddd", "STRH (register)",             &Thumb16.StrhRegister),
        new("0101010mmmnnnddd", "STRB (register)",             &Thumb16.StrbRegister),
        new("0101011mmmnnnddd", "LDRSB (register)",            &Thumb16.LdrsbRegister),
        new("0101100mmmnnnddd", "LDR (register)",              &Thumb16.LdrRegister),
        new("0101101mmmnnnddd", "LDRH (register)",             &Thumb16.LdrhRegister),
        new("0101110mmmnnnddd", "LDRB (register)",             &Thumb16.LdrbRegister),
        new("0101111mmmnnnddd", "LDRSH (register)",            &Thumb16.LdrshRegister),
        new("01100iiiiinnnddd", "STR (immediate)",             &Thumb16.StrImmediate),
        new("01101iiiiinnnddd", "LDR (immediate)",             &Thumb16.LdrImmediate),
        new("01110iiiiinnnddd", "STRB (immediate)",            &Thumb16.StrbImmediate),
        new("01111iiiiinnnddd", "LDRB (immediate)",            &Thumb16.LdrbImmediate),
        new("10000iiiiinnnddd", "STRH (immediate)",            &Thumb16.StrhImmediate),
        new("10001iiiiinnnddd", "LDRH (immediate)",            &Thumb16.LdrhImmediate),
        new("10010dddiiiiiiii", "STR (SP-relative)",           &Thumb16.StrSpRelative),
        new("10011dddiiiiiiii", "LDR (SP-relative)",           &Thumb16.LdrSpRelative),

        // ---- Address generation and stack ---------------------------------------------------------
        new("10100dddiiiiiiii", "ADR (ADD Rd, PC, #imm)",      &Thumb16.Adr),
        new("10101dddiiiiiiii", "ADD (SP plus immediate)",     &Thumb16.AddSpImmediate),
        new("101100000iiiiiii", "ADD SP, SP, #imm",            &Thumb16.IncrementSp),
        new("101100001iiiiiii", "SUB SP, SP, #imm",            &Thumb16.DecrementSp),
        new("1011010rrrrrrrrr", "PUSH",                        &Thumb16.Push),
        new("1011110rrrrrrrrr", "POP",                         &Thumb16.Pop, flags: EncodingFlags.Return, returnForm: "10111101rrrrrrrr"),
        new("10111110iiiiiiii", "BKPT",                        &Thumb16.Bkpt,             ArchVersion.V5T),
        new("11000nnnrrrrrrrr", "STMIA",                       &Thumb16.Stmia),
        new("11001nnnrrrrrrrr", "LDMIA",                       &Thumb16.Ldmia),

        // ---- Branches and SVC (condition 1110 is UNDEFINED, 1111 is SVC) ------------------------------
        new("11010ccciiiiiiii", "B<c> (conditions 0000-0111)", &Thumb16.BConditional, flags: EncodingFlags.Branch),
        new("110110cciiiiiiii", "B<c> (conditions 1000-1011)", &Thumb16.BConditional, flags: EncodingFlags.Branch),
        new("1101110ciiiiiiii", "B<c> (conditions 1100-1101)", &Thumb16.BConditional, flags: EncodingFlags.Branch),
        new("11011111iiiiiiii", "SVC",                         &Thumb16.Svc, flags: EncodingFlags.SupervisorCall),
        new("11100iiiiiiiiiii", "B",                           &Thumb16.B, flags: EncodingFlags.Branch),
        new("11101iiiiiiiiiii", "BLX (immediate) suffix",      &Thumb16.BlxSuffix,        ArchVersion.V5T, flags: EncodingFlags.Call),
        new("11110iiiiiiiiiii", "BL/BLX prefix",               &Thumb16.BlPrefix),
        new("11111iiiiiiiiiii", "BL suffix",                   &Thumb16.BlSuffix, flags: EncodingFlags.Call),
    ];
}
