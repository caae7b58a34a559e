using ArmEmu.Cpu.Interpreter;

namespace ArmEmu.Cpu.Decoding;

#pragma warning disable IDE0055 // the table is aligned by hand

/// <summary>
/// Every 16-bit Thumb encoding (ARM ARM chapter A6; DDI 0406C A6.2 for the ARMv6 and ARMv6T2
/// additions), one row per encoding. In ARMv5 and ARMv6 BL and BLX (immediate) are two 16-bit
/// instructions, a prefix that sets LR and a suffix that branches, and are decoded as such; on
/// Thumb-2 models those halfwords open 32-bit instructions (<see cref="Thumb32Encodings"/>) and
/// never reach this table. The data-processing and load/store rows run the shared A32 cores
/// through their 16-bit field views (DataProcessing.Thumb.cs, LoadStore.Thumb.cs). Unmatched
/// halfwords take the Undefined Instruction exception.
/// </summary>
internal static unsafe class Thumb16Encodings
{
    public static readonly EncodingRow[] Rows =
    [
        // ---- Shift by immediate, add and subtract (A6.1.1 / A7.1) -------------------------------
        new("00000iiiiimmmddd", "LSL (immediate) T1",             &DataProcessing.Execute<Mov, T16ShiftImmediateOperand<ShiftLsl>>),
        new("00001iiiiimmmddd", "LSR (immediate) T1",             &DataProcessing.Execute<Mov, T16ShiftImmediateOperand<ShiftLsr>>),
        new("00010iiiiimmmddd", "ASR (immediate) T1",             &DataProcessing.Execute<Mov, T16ShiftImmediateOperand<ShiftAsr>>),
        new("0001100mmmnnnddd", "ADD (register) T1",              &DataProcessing.Execute<Add, T16ThreeRegisterOperand>),
        new("0001101mmmnnnddd", "SUB (register) T1",              &DataProcessing.Execute<Sub, T16ThreeRegisterOperand>),
        new("0001110iiinnnddd", "ADD (immediate) T1",     &DataProcessing.Execute<Add, T16Immediate3Operand>),
        new("0001111iiinnnddd", "SUB (immediate) T1",     &DataProcessing.Execute<Sub, T16Immediate3Operand>),

        // ---- Add, subtract, compare, move immediate ----------------------------------------------
        new("00100dddiiiiiiii", "MOV (immediate) T1",             &DataProcessing.Execute<Mov, T16Immediate8Operand>),
        new("00101nnniiiiiiii", "CMP (immediate) T1",             &DataProcessing.Execute<Cmp, T16Immediate8Operand>),
        new("00110dddiiiiiiii", "ADD (immediate) T2",     &DataProcessing.Execute<Add, T16Immediate8Operand>),
        new("00111dddiiiiiiii", "SUB (immediate) T2",     &DataProcessing.Execute<Sub, T16Immediate8Operand>),

        // ---- Data processing on low registers ---------------------------------------------------
        new("0100000000mmmddd", "AND (register) T1",              &DataProcessing.Execute<And, T16TwoRegisterOperand>),
        new("0100000001mmmddd", "EOR (register) T1",              &DataProcessing.Execute<Eor, T16TwoRegisterOperand>),
        new("0100000010mmmddd", "LSL (register) T1",              &DataProcessing.Execute<Mov, T16RegisterShiftOperand<ShiftLsl>>),
        new("0100000011mmmddd", "LSR (register) T1",              &DataProcessing.Execute<Mov, T16RegisterShiftOperand<ShiftLsr>>),
        new("0100000100mmmddd", "ASR (register) T1",              &DataProcessing.Execute<Mov, T16RegisterShiftOperand<ShiftAsr>>),
        new("0100000101mmmddd", "ADC (register) T1",              &DataProcessing.Execute<Adc, T16TwoRegisterOperand>),
        new("0100000110mmmddd", "SBC (register) T1",              &DataProcessing.Execute<Sbc, T16TwoRegisterOperand>),
        new("0100000111mmmddd", "ROR (register) T1",              &DataProcessing.Execute<Mov, T16RegisterShiftOperand<ShiftRor>>),
        new("0100001000mmmddd", "TST (register) T1",              &DataProcessing.Execute<Tst, T16TwoRegisterOperand>),
        new("0100001001mmmddd", "RSB (immediate) T1",                   &DataProcessing.Execute<Rsb, T16NegateOperand>),
        new("0100001010mmmddd", "CMP (register) T1",              &DataProcessing.Execute<Cmp, T16TwoRegisterOperand>),
        new("0100001011mmmddd", "CMN (register) T1",              &DataProcessing.Execute<Cmn, T16TwoRegisterOperand>),
        new("0100001100mmmddd", "ORR (register) T1",              &DataProcessing.Execute<Orr, T16TwoRegisterOperand>),
        new("0100001101mmmddd", "MUL T1",              &Multiply.MulT1),
        new("0100001110mmmddd", "BIC (register) T1",              &DataProcessing.Execute<Bic, T16TwoRegisterOperand>),
        new("0100001111mmmddd", "MVN (register) T1",              &DataProcessing.Execute<Mvn, T16TwoRegisterOperand>),

        // ---- High registers and branch/exchange --------------------------------------------------
        new("01000100hmmmmddd", "ADD (register) T2",        &DataProcessing.Execute<Add, T16HighRegisterOperand>),
        new("01000101hmmmmnnn", "CMP (register) T2",        &DataProcessing.Execute<Cmp, T16HighRegisterOperand>),
        new("01000110hmmmmddd", "MOV (register) T1",        &DataProcessing.Execute<Mov, T16HighRegisterOperand>, flags: EncodingFlags.Return, returnForm: "0100011011110111"),
        new("010001110mmmm000", "BX T1",                          &Thumb16.Bx, flags: EncodingFlags.Branch | EncodingFlags.Return, returnForm: "0100011101110000"),
        new("010001111mmmm000", "BLX (register) T1",              &Thumb16.BlxRegister,      ArchVersion.V5T, flags: EncodingFlags.Call),

        // ---- Loads and stores ---------------------------------------------------------------------
        new("01001dddiiiiiiii", "LDR (literal) T1",               &LoadStore.LdrLiteralT1),
        new("0101000mmmnnnddd", "STR (register) T1",              &LoadStore.StrRegisterT1),
        new("0101001mmmnnnddd", "STRH (register) T1",             &LoadStoreExtra.StrhRegisterT1),
        new("0101010mmmnnnddd", "STRB (register) T1",             &LoadStore.StrbRegisterT1),
        new("0101011mmmnnnddd", "LDRSB (register) T1",            &LoadStoreExtra.LdrsbRegisterT1),
        new("0101100mmmnnnddd", "LDR (register) T1",              &LoadStore.LdrRegisterT1),
        new("0101101mmmnnnddd", "LDRH (register) T1",             &LoadStoreExtra.LdrhRegisterT1),
        new("0101110mmmnnnddd", "LDRB (register) T1",             &LoadStore.LdrbRegisterT1),
        new("0101111mmmnnnddd", "LDRSH (register) T1",            &LoadStoreExtra.LdrshRegisterT1),
        new("01100iiiiinnnddd", "STR (immediate) T1",             &LoadStore.StrImmediateT1),
        new("01101iiiiinnnddd", "LDR (immediate) T1",             &LoadStore.LdrImmediateT1),
        new("01110iiiiinnnddd", "STRB (immediate) T1",            &LoadStore.StrbImmediateT1),
        new("01111iiiiinnnddd", "LDRB (immediate) T1",            &LoadStore.LdrbImmediateT1),
        new("10000iiiiinnnddd", "STRH (immediate) T1",            &LoadStoreExtra.StrhImmediateT1),
        new("10001iiiiinnnddd", "LDRH (immediate) T1",            &LoadStoreExtra.LdrhImmediateT1),
        new("10010dddiiiiiiii", "STR (immediate) T2",           &LoadStore.StrSpRelativeT2),
        new("10011dddiiiiiiii", "LDR (immediate) T2",           &LoadStore.LdrSpRelativeT2),

        // ---- Address generation and stack ---------------------------------------------------------
        new("10100dddiiiiiiii", "ADR T1",      &Thumb16.Adr),
        new("10101dddiiiiiiii", "ADD (SP plus immediate) T1",     &Thumb16.AddSpImmediate),
        new("101100000iiiiiii", "ADD (SP plus immediate) T2",            &Thumb16.IncrementSp),
        new("101100001iiiiiii", "SUB (SP minus immediate) T1",            &Thumb16.DecrementSp),
        new("1011010rrrrrrrrr", "PUSH T1",                        &Thumb16.Push),
        new("1011110rrrrrrrrr", "POP T1",                         &Thumb16.Pop, flags: EncodingFlags.Return, returnForm: "10111101rrrrrrrr"),
        new("10111110iiiiiiii", "BKPT T1",                        &Thumb16.Bkpt,             ArchVersion.V5T),

        // ---- ARMv6 additions (DDI 0406C A6.2.5 "Miscellaneous 16-bit instructions") ----------------
        new("1011001000mmmddd", "SXTH T1",                     &Extend.Execute<SignedHalfword, Thumb16Fields.SxthT1>, ArchVersion.V6),
        new("1011001001mmmddd", "SXTB T1",                     &Extend.Execute<SignedByte, Thumb16Fields.SxtbT1>, ArchVersion.V6),
        new("1011001010mmmddd", "UXTH T1",                     &Extend.Execute<UnsignedHalfword, Thumb16Fields.UxthT1>, ArchVersion.V6),
        new("1011001011mmmddd", "UXTB T1",                     &Extend.Execute<UnsignedByte, Thumb16Fields.UxtbT1>, ArchVersion.V6),
        new("1011101000mmmddd", "REV T1",                      &Reverse.RevT1, ArchVersion.V6),
        new("1011101001mmmddd", "REV16 T1",                    &Reverse.Rev16T1, ArchVersion.V6),
        new("1011101011mmmddd", "REVSH T1",                    &Reverse.RevshT1, ArchVersion.V6),
        new("101101100101E000", "SETEND T1",                   &ProcessorState.SetendT1, ArchVersion.V6),
        new("10110110011m0aif", "CPS T1",                      &ProcessorState.CpsT1, ArchVersion.V6),

        // ---- ARMv6T2: compare and branch, If-Then and the hints (mask 0000) --------------------------
        new("1011o0i1iiiiinnn", "CBZ, CBNZ T1",                &Branch.CompareAndBranchT1, ArchVersion.V6T2, flags: EncodingFlags.Branch),
        new("10111111ccccmmmm", "IT T1",                       &IfThen.ItT1, ArchVersion.V6T2, group: "it-hints"),
        new("10111111hhhh0000", "NOP (unallocated hint) T1",   &Hints.Nop, ArchVersion.V6T2, group: "it-hints"),
        new("1011111100000000", "NOP T1",                      &Hints.Nop, ArchVersion.V6T2, group: "it-hints"),
        new("1011111100010000", "YIELD T1",                    &Hints.Nop, ArchVersion.V6T2, group: "it-hints"),
        new("1011111100100000", "WFE T1",                      &Hints.Wfe, ArchVersion.V6T2, group: "it-hints"),
        new("1011111100110000", "WFI T1",                      &Hints.Wfi, ArchVersion.V6T2, group: "it-hints"),
        new("1011111101000000", "SEV T1",                      &Hints.Nop, ArchVersion.V6T2, group: "it-hints"),
        new("11000nnnrrrrrrrr", "STM (STMIA, STMEA) T1",                       &Thumb16.Stmia),
        new("11001nnnrrrrrrrr", "LDM (LDMIA, LDMFD) T1",                       &Thumb16.Ldmia),

        // ---- Branches and SVC (condition 1110 is UNDEFINED, 1111 is SVC) ------------------------------
        new("11010ccciiiiiiii", "B T1 (conditions 0000-0111)", &Thumb16.BConditional, flags: EncodingFlags.Branch),
        new("110110cciiiiiiii", "B T1 (conditions 1000-1011)", &Thumb16.BConditional, flags: EncodingFlags.Branch),
        new("1101110ciiiiiiii", "B T1 (conditions 1100-1101)", &Thumb16.BConditional, flags: EncodingFlags.Branch),
        new("11011111iiiiiiii", "SVC T1",                         &Thumb16.Svc, flags: EncodingFlags.SupervisorCall),
        new("11100iiiiiiiiiii", "B T2",                           &Thumb16.B, flags: EncodingFlags.Branch),
        new("11101iiiiiiiiiii", "BLX (immediate) T2, second halfword",      &Thumb16.BlxSuffix,        ArchVersion.V5T, flags: EncodingFlags.Call),
        new("11110iiiiiiiiiii", "BL, BLX (immediate) T1/T2, first halfword",               &Thumb16.BlPrefix),
        new("11111iiiiiiiiiii", "BL T1, second halfword",                   &Thumb16.BlSuffix, flags: EncodingFlags.Call),
    ];
}
