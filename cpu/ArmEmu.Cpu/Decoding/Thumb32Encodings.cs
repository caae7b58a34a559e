using ArmEmu.Cpu.Interpreter;

namespace ArmEmu.Cpu.Decoding;

#pragma warning disable IDE0055 // the table is aligned by hand

/// <summary>
/// Every 32-bit Thumb (T32) encoding outside VFP and Advanced SIMD (DDI 0406C chapter A6.3),
/// one row per encoding with the manual's name and encoding id ("LDRB (immediate) T3"). A row's
/// pattern is the first halfword then the second, as the manual draws them; the word the
/// handlers get is hw1:hw2 (hw1 in bits 31:16). Every handler is a thin T32 wrapper (or a T32
/// field view) over the semantic core the A32 row uses. Bits the manual marks (0)/(1) are fixed
/// where QEMU's t32.decode fixes them, so a word breaking them is UNDEFINED on both. "Rn !=
/// '1111'" and the like are the rows' <c>notAllOnes</c> fields; the literal and PC forms are
/// rows of their own. Words no row matches are UNDEFINED (UDF among them).
/// </summary>
internal static unsafe class Thumb32Encodings
{
    private static EncodingRow R(string hw1, string hw2, string name, delegate*<Cpu, uint, void> handler,
                                 ArchVersion since = ArchVersion.V6T2, string? group = null, CpuFeature requires = CpuFeature.None,
                                 EncodingFlags flags = EncodingFlags.None, string? returnForm = null, char notAllOnes = '\0') =>
        new(hw1 + hw2, name, handler, since, group, requires, flags, returnForm, notAllOnes);

    public static readonly EncodingRow[] Rows =
    [
        // ---- Data-processing (modified immediate), A6.3.1: 11110 i 0 op S Rn | 0 imm3 Rd imm8 ---------
        // TST/TEQ/CMN/CMP are AND/EOR/ADD/SUB with S = 1 and Rd = 1111 (more specific, same group).
        R("11110i00000Snnnn", "0iiiddddiiiiiiii", "AND (immediate) T1",   &DataProcessing.Execute<And, T32ModifiedImmediateOperand>, group: "and-imm"),
        R("11110i000001nnnn", "0iii1111iiiiiiii", "TST (immediate) T1",   &DataProcessing.Execute<Tst, T32ModifiedImmediateOperand>, group: "and-imm"),
        R("11110i00001Snnnn", "0iiiddddiiiiiiii", "BIC (immediate) T1",   &DataProcessing.Execute<Bic, T32ModifiedImmediateOperand>),
        R("11110i00010Snnnn", "0iiiddddiiiiiiii", "ORR (immediate) T1",   &DataProcessing.Execute<Orr, T32ModifiedImmediateOperand>, notAllOnes: 'n'),
        R("11110i00010S1111", "0iiiddddiiiiiiii", "MOV (immediate) T2",   &DataProcessing.Execute<Mov, T32ModifiedImmediateOperand>),
        R("11110i00011Snnnn", "0iiiddddiiiiiiii", "ORN (immediate) T1",   &DataProcessing.Execute<Orn, T32ModifiedImmediateOperand>, notAllOnes: 'n'),
        R("11110i00011S1111", "0iiiddddiiiiiiii", "MVN (immediate) T1",   &DataProcessing.Execute<Mvn, T32ModifiedImmediateOperand>),
        R("11110i00100Snnnn", "0iiiddddiiiiiiii", "EOR (immediate) T1",   &DataProcessing.Execute<Eor, T32ModifiedImmediateOperand>, group: "eor-imm"),
        R("11110i001001nnnn", "0iii1111iiiiiiii", "TEQ (immediate) T1",   &DataProcessing.Execute<Teq, T32ModifiedImmediateOperand>, group: "eor-imm"),
        R("11110i01000Snnnn", "0iiiddddiiiiiiii", "ADD (immediate) T3",   &DataProcessing.Execute<Add, T32ModifiedImmediateOperand>, group: "add-imm"),
        R("11110i010001nnnn", "0iii1111iiiiiiii", "CMN (immediate) T1",   &DataProcessing.Execute<Cmn, T32ModifiedImmediateOperand>, group: "add-imm"),
        R("11110i01010Snnnn", "0iiiddddiiiiiiii", "ADC (immediate) T1",   &DataProcessing.Execute<Adc, T32ModifiedImmediateOperand>),
        R("11110i01011Snnnn", "0iiiddddiiiiiiii", "SBC (immediate) T1",   &DataProcessing.Execute<Sbc, T32ModifiedImmediateOperand>),
        R("11110i01101Snnnn", "0iiiddddiiiiiiii", "SUB (immediate) T3",   &DataProcessing.Execute<Sub, T32ModifiedImmediateOperand>, group: "sub-imm"),
        R("11110i011011nnnn", "0iii1111iiiiiiii", "CMP (immediate) T2",   &DataProcessing.Execute<Cmp, T32ModifiedImmediateOperand>, group: "sub-imm"),
        R("11110i01110Snnnn", "0iiiddddiiiiiiii", "RSB (immediate) T2",   &DataProcessing.Execute<Rsb, T32ModifiedImmediateOperand>),

        // ---- Data-processing (plain binary immediate), A6.3.3 ----------------------------------------
        R("11110i100000nnnn", "0iiiddddiiiiiiii", "ADD (immediate) T4",   &DataProcessing.Execute<Add, T32PlainImmediateOperand>, notAllOnes: 'n'),
        R("11110i1000001111", "0iiiddddiiiiiiii", "ADR T3",               &DataProcessing.Execute<Add, T32PlainImmediateOperand>),
        R("11110i101010nnnn", "0iiiddddiiiiiiii", "SUB (immediate) T4",   &DataProcessing.Execute<Sub, T32PlainImmediateOperand>, notAllOnes: 'n'),
        R("11110i1010101111", "0iiiddddiiiiiiii", "ADR T2",               &DataProcessing.Execute<Sub, T32PlainImmediateOperand>),
        R("11110j100100iiii", "0jjjddddjjjjjjjj", "MOV (immediate) T3",   &MoveWide.MovwT3),
        R("11110j101100iiii", "0jjjddddjjjjjjjj", "MOVT T1",              &MoveWide.MovtT1),
        R("1111001100h0nnnn", "0iiiddddii0sssss", "SSAT T1",              &Saturating.Ssat<Thumb32Fields.SsatT1>, group: "ssat"),
        R("111100110010nnnn", "0000dddd0000ssss", "SSAT16 T1",            &Saturating.Ssat16<Thumb32Fields.Ssat16T1>, group: "ssat"),
        R("111100110100nnnn", "0iiiddddii0wwwww", "SBFX T1",              &Bitfield.Sbfx<Thumb32Fields.SbfxT1>),
        R("111100110110nnnn", "0iiiddddii0mmmmm", "BFI T1",               &Bitfield.Bfi<Thumb32Fields.BfiT1>, notAllOnes: 'n'),
        R("1111001101101111", "0iiiddddii0mmmmm", "BFC T1",               &Bitfield.Bfc<Thumb32Fields.BfcT1>),
        R("1111001110h0nnnn", "0iiiddddii0sssss", "USAT T1",              &Saturating.Usat<Thumb32Fields.UsatT1>, group: "usat"),
        R("111100111010nnnn", "0000dddd0000ssss", "USAT16 T1",            &Saturating.Usat16<Thumb32Fields.Usat16T1>, group: "usat"),
        R("111100111100nnnn", "0iiiddddii0wwwww", "UBFX T1",              &Bitfield.Ubfx<Thumb32Fields.UbfxT1>),

        // ---- Branches and miscellaneous control, A6.3.4: 11110 op | 1 op1 ... -------------------------
        // B<c> T3 has its condition in 25:22; 111x there is the miscellaneous space (split as Thumb16 does).
        R("11110S0cccvvvvvv", "10J0Kvvvvvvvvvvv", "B T3 (conditions 0000-0111)", &Branch.BConditionalT3, flags: EncodingFlags.Branch),
        R("11110S10ccvvvvvv", "10J0Kvvvvvvvvvvv", "B T3 (conditions 1000-1011)", &Branch.BConditionalT3, flags: EncodingFlags.Branch),
        R("11110S110cvvvvvv", "10J0Kvvvvvvvvvvv", "B T3 (conditions 1100-1101)", &Branch.BConditionalT3, flags: EncodingFlags.Branch),
        R("11110Svvvvvvvvvv", "10J1Kvvvvvvvvvvv", "B T4",                 &Branch.BT4, flags: EncodingFlags.Branch),
        R("11110Svvvvvvvvvv", "11J1Kvvvvvvvvvvv", "BL T1",                &Branch.BlT1, flags: EncodingFlags.Call),
        R("11110Svvvvvvvvvv", "11J0Kvvvvvvvvvvv", "BLX (immediate) T2",   &Branch.BlxT2, flags: EncodingFlags.Call),
        R("11110011100Rnnnn", "1000mmmm00000000", "MSR (register) T1",    &StatusRegister.MsrT1),
        R("11110011111R1111", "1000dddd00000000", "MRS T1",               &StatusRegister.MrsT1),
        // The Security and Virtualization Extensions (DDI 0406C B9.3): ERET T1 is SUBS PC, LR, #0 (the row above).
        R("111101111111iiii", "1000000000000000", "SMC T1",               &ExceptionGenerating.Smc, requires: CpuFeature.Security, flags: EncodingFlags.MayFault),
        R("111101111110iiii", "1000iiiiiiiiiiii", "HVC T1",               &ExceptionGenerating.Hvc, ArchVersion.V7, requires: CpuFeature.Virtualization, flags: EncodingFlags.MayFault),
        R("11110011111Rmmmm", "1000dddd001M0000", "MRS (Banked register) T1", &StatusRegister.MrsBankedT1, ArchVersion.V7, requires: CpuFeature.Virtualization),
        R("11110011100Rnnnn", "1000mmmm001M0000", "MSR (Banked register) T1", &StatusRegister.MsrBankedT1, ArchVersion.V7, requires: CpuFeature.Virtualization),
        R("111100111100mmmm", "1000111100000000", "BXJ T1",               &Branch.BxjT1, flags: EncodingFlags.Branch),
        R("1111001111011110", "10001111iiiiiiii", "SUBS PC, LR T1",       &DataProcessing.Execute<Sub, T32ExceptionReturnOperand>, flags: EncodingFlags.Return),
        // Hints and CPS (A6.3.4 table A6-12): imod = 00 with M = 0 is the hint space; every
        // unallocated hint executes as NOP, as the manual says and QEMU's t32.decode does.
        R("1111001110101111", "10000ooMAIFmmmmm", "CPS T2",               &ProcessorState.CpsT2, ArchVersion.V6T2, group: "cps-hints"),
        R("1111001110101111", "10000000hhhhhhhh", "NOP (unallocated hint) T2", &Hints.Nop, group: "cps-hints"),
        R("1111001110101111", "1000000000000000", "NOP T2",               &Hints.Nop, group: "cps-hints"),
        R("1111001110101111", "1000000000000001", "YIELD T2",             &Hints.Nop, group: "cps-hints"),
        R("1111001110101111", "1000000000000010", "WFE T2",               &Hints.Wfe, group: "cps-hints"),
        R("1111001110101111", "1000000000000011", "WFI T2",               &Hints.Wfi, group: "cps-hints"),
        R("1111001110101111", "1000000000000100", "SEV T2",               &Hints.Nop, group: "cps-hints"),
        R("1111001110101111", "100000001111oooo", "DBG T1",               &Hints.Nop, ArchVersion.V7, group: "cps-hints"),
        R("1111001110111111", "1000111100101111", "CLREX T1",             &Exclusive.Clrex),
        R("1111001110111111", "100011110100oooo", "DSB T1",               &Barriers.Dsb, ArchVersion.V7),
        R("1111001110111111", "100011110101oooo", "DMB T1",               &Barriers.Dmb, ArchVersion.V7),
        R("1111001110111111", "100011110110oooo", "ISB T1",               &Barriers.Isb, ArchVersion.V7),

        // ---- Load/store multiple, A6.3.5 (the A32 bodies: P, U, W, L and Rn sit where A32 has them) -----
        R("1110100010W0nnnn", "rrrrrrrrrrrrrrrr", "STM (STMIA, STMEA) T2", &LoadStoreMultiple.Stm),
        R("1110100010W1nnnn", "rrrrrrrrrrrrrrrr", "LDM (LDMIA, LDMFD) T2", &LoadStoreMultiple.Ldm, flags: EncodingFlags.Return, returnForm: "1110100010W1nnnn1rrrrrrrrrrrrrrr"),
        R("1110100100W0nnnn", "rrrrrrrrrrrrrrrr", "STMDB (STMFD) T1",     &LoadStoreMultiple.Stm),
        R("1110100100W1nnnn", "rrrrrrrrrrrrrrrr", "LDMDB (LDMEA) T1",     &LoadStoreMultiple.Ldm, flags: EncodingFlags.Return, returnForm: "1110100100W1nnnn1rrrrrrrrrrrrrrr"),
        R("1110100000W01101", "11000000000mmmmm", "SRS T1",               &ProcessorState.SrsT1),
        R("1110100110W01101", "11000000000mmmmm", "SRS T2",               &ProcessorState.SrsT2),
        R("1110100000W1nnnn", "1100000000000000", "RFE T1",               &ProcessorState.RfeT1, flags: EncodingFlags.Return),
        R("1110100110W1nnnn", "1100000000000000", "RFE T2",               &ProcessorState.RfeT2, flags: EncodingFlags.Return),

        // ---- Load/store dual, exclusive, table branch, A6.3.6 ------------------------------------------
        R("111010000100nnnn", "ttttddddiiiiiiii", "STREX T1",             &Exclusive.Strex<Thumb32Fields.StrexT1>),
        R("111010000101nnnn", "tttt1111iiiiiiii", "LDREX T1",             &Exclusive.Ldrex<Thumb32Fields.LdrexT1>),
        R("11101000U110nnnn", "ttttTTTTiiiiiiii", "STRD (immediate) T1, post-indexed", &LoadStoreExtra.StrdT1),
        R("11101001U1W0nnnn", "ttttTTTTiiiiiiii", "STRD (immediate) T1",  &LoadStoreExtra.StrdT1),
        R("11101000U111nnnn", "ttttTTTTiiiiiiii", "LDRD (immediate) T1, post-indexed", &LoadStoreExtra.LdrdT1),
        R("11101001U1W1nnnn", "ttttTTTTiiiiiiii", "LDRD (immediate) T1",  &LoadStoreExtra.LdrdT1),
        R("111010001100nnnn", "tttt11110100dddd", "STREXB T1",            &Exclusive.Strexb<Thumb32Fields.StrexbT1>),
        R("111010001100nnnn", "tttt11110101dddd", "STREXH T1",            &Exclusive.Strexh<Thumb32Fields.StrexhT1>),
        R("111010001100nnnn", "ttttTTTT0111dddd", "STREXD T1",            &Exclusive.Strexd<Thumb32Fields.StrexdT1>),
        R("111010001101nnnn", "111100000000mmmm", "TBB T1",               &Branch.TbbT1, flags: EncodingFlags.Branch),
        R("111010001101nnnn", "111100000001mmmm", "TBH T1",               &Branch.TbhT1, flags: EncodingFlags.Branch),
        R("111010001101nnnn", "tttt111101001111", "LDREXB T1",            &Exclusive.Ldrexb<Thumb32Fields.LdrexbT1>),
        R("111010001101nnnn", "tttt111101011111", "LDREXH T1",            &Exclusive.Ldrexh<Thumb32Fields.LdrexhT1>),
        R("111010001101nnnn", "ttttTTTT01111111", "LDREXD T1",            &Exclusive.Ldrexd<Thumb32Fields.LdrexdT1>),

        // ---- Data-processing (shifted register), A6.3.11: 11101 01 op S Rn | 0 imm3 Rd imm2 type Rm -----
        R("11101010000Snnnn", "0iiiddddiittmmmm", "AND (register) T2",    &DataProcessing.Execute<And, T32ShiftedRegisterOperand>, group: "and-reg"),
        R("111010100001nnnn", "0iii1111iittmmmm", "TST (register) T2",    &DataProcessing.Execute<Tst, T32ShiftedRegisterOperand>, group: "and-reg"),
        R("11101010001Snnnn", "0iiiddddiittmmmm", "BIC (register) T2",    &DataProcessing.Execute<Bic, T32ShiftedRegisterOperand>),
        R("11101010010Snnnn", "0iiiddddiittmmmm", "ORR (register) T2",    &DataProcessing.Execute<Orr, T32ShiftedRegisterOperand>, notAllOnes: 'n'),
        R("11101010010S1111", "0iiiddddiittmmmm", "MOV (register) T3",    &DataProcessing.Execute<Mov, T32ShiftedRegisterOperand>),
        R("11101010011Snnnn", "0iiiddddiittmmmm", "ORN (register) T1",    &DataProcessing.Execute<Orn, T32ShiftedRegisterOperand>, notAllOnes: 'n'),
        R("11101010011S1111", "0iiiddddiittmmmm", "MVN (register) T2",    &DataProcessing.Execute<Mvn, T32ShiftedRegisterOperand>),
        R("11101010100Snnnn", "0iiiddddiittmmmm", "EOR (register) T2",    &DataProcessing.Execute<Eor, T32ShiftedRegisterOperand>, group: "eor-reg"),
        R("111010101001nnnn", "0iii1111iittmmmm", "TEQ (register) T1",    &DataProcessing.Execute<Teq, T32ShiftedRegisterOperand>, group: "eor-reg"),
        R("111010101100nnnn", "0iiiddddiiT0mmmm", "PKHBT, PKHTB T1",      &Media.PkhT1),
        R("11101011000Snnnn", "0iiiddddiittmmmm", "ADD (register) T3",    &DataProcessing.Execute<Add, T32ShiftedRegisterOperand>, group: "add-reg"),
        R("111010110001nnnn", "0iii1111iittmmmm", "CMN (register) T2",    &DataProcessing.Execute<Cmn, T32ShiftedRegisterOperand>, group: "add-reg"),
        R("11101011010Snnnn", "0iiiddddiittmmmm", "ADC (register) T2",    &DataProcessing.Execute<Adc, T32ShiftedRegisterOperand>),
        R("11101011011Snnnn", "0iiiddddiittmmmm", "SBC (register) T2",    &DataProcessing.Execute<Sbc, T32ShiftedRegisterOperand>),
        R("11101011101Snnnn", "0iiiddddiittmmmm", "SUB (register) T2",    &DataProcessing.Execute<Sub, T32ShiftedRegisterOperand>, group: "sub-reg"),
        R("111010111011nnnn", "0iii1111iittmmmm", "CMP (register) T3",    &DataProcessing.Execute<Cmp, T32ShiftedRegisterOperand>, group: "sub-reg"),
        R("11101011110Snnnn", "0iiiddddiittmmmm", "RSB (register) T1",    &DataProcessing.Execute<Rsb, T32ShiftedRegisterOperand>),

        // ---- Load/store single, A6.3.7-A6.3.10: 11111 00 S U size L Rn | Rt ... ------------------------
        // Stores: Rn = 1111 is UNDEFINED (no row).
        R("111110001000nnnn", "ttttiiiiiiiiiiii", "STRB (immediate) T2",  &LoadStore.StrbImmediate12T, notAllOnes: 'n'),
        R("111110000000nnnn", "tttt1PU1iiiiiiii", "STRB (immediate) T3",  &LoadStore.StrbImmediate8T, notAllOnes: 'n'),
        R("111110000000nnnn", "tttt1100iiiiiiii", "STRB (immediate) T3, negative offset", &LoadStore.StrbImmediate8T, notAllOnes: 'n'),
        R("111110000000nnnn", "tttt1110iiiiiiii", "STRBT T1",             &LoadStore.StrbtT1, notAllOnes: 'n'),
        R("111110000000nnnn", "tttt000000iimmmm", "STRB (register) T2",   &LoadStore.StrbRegisterT, notAllOnes: 'n'),
        R("111110001010nnnn", "ttttiiiiiiiiiiii", "STRH (immediate) T2",  &LoadStoreExtra.StrhImmediate12T, notAllOnes: 'n'),
        R("111110000010nnnn", "tttt1PU1iiiiiiii", "STRH (immediate) T3",  &LoadStoreExtra.StrhImmediate8T, notAllOnes: 'n'),
        R("111110000010nnnn", "tttt1100iiiiiiii", "STRH (immediate) T3, negative offset", &LoadStoreExtra.StrhImmediate8T, notAllOnes: 'n'),
        R("111110000010nnnn", "tttt1110iiiiiiii", "STRHT T1",             &LoadStoreExtra.StrhtT1, notAllOnes: 'n'),
        R("111110000010nnnn", "tttt000000iimmmm", "STRH (register) T2",   &LoadStoreExtra.StrhRegisterT, notAllOnes: 'n'),
        R("111110001100nnnn", "ttttiiiiiiiiiiii", "STR (immediate) T3",   &LoadStore.StrImmediate12T, notAllOnes: 'n'),
        R("111110000100nnnn", "tttt1PU1iiiiiiii", "STR (immediate) T4",   &LoadStore.StrImmediate8T, notAllOnes: 'n'),
        R("111110000100nnnn", "tttt1100iiiiiiii", "STR (immediate) T4, negative offset", &LoadStore.StrImmediate8T, notAllOnes: 'n'),
        R("111110000100nnnn", "tttt1110iiiiiiii", "STRT T1",              &LoadStore.StrtT1, notAllOnes: 'n'),
        R("111110000100nnnn", "tttt000000iimmmm", "STR (register) T2",    &LoadStore.StrRegisterT, notAllOnes: 'n'),

        // Loads: Rn = 1111 is the literal form; Rt = 1111 in the offset forms is a preload hint
        // (PLD, PLDW, PLI; the rest of LDRSH's are unallocated hints, NOP), in the group of the load.
        R("111110001001nnnn", "ttttiiiiiiiiiiii", "LDRB (immediate) T2",  &LoadStore.LdrbImmediate12T, group: "ldrb-imm12", notAllOnes: 'n'),
        R("111110001001nnnn", "1111iiiiiiiiiiii", "PLD (immediate) T1",   &Hints.Pld, group: "ldrb-imm12", notAllOnes: 'n'),
        R("111110000001nnnn", "tttt1PU1iiiiiiii", "LDRB (immediate) T3",  &LoadStore.LdrbImmediate8T, notAllOnes: 'n'),
        R("111110000001nnnn", "tttt1100iiiiiiii", "LDRB (immediate) T3, negative offset", &LoadStore.LdrbImmediate8T, group: "ldrb-neg", notAllOnes: 'n'),
        R("111110000001nnnn", "11111100iiiiiiii", "PLD (immediate) T2",   &Hints.Pld, group: "ldrb-neg", notAllOnes: 'n'),
        R("111110000001nnnn", "tttt1110iiiiiiii", "LDRBT T1",             &LoadStore.LdrbtT1, notAllOnes: 'n'),
        R("111110000001nnnn", "tttt000000iimmmm", "LDRB (register) T2",   &LoadStore.LdrbRegisterT, group: "ldrb-reg", notAllOnes: 'n'),
        R("111110000001nnnn", "1111000000iimmmm", "PLD (register) T1",    &Hints.Pld, group: "ldrb-reg", notAllOnes: 'n'),
        R("11111000U0011111", "ttttiiiiiiiiiiii", "LDRB (literal) T1",    &LoadStore.LdrbLiteralT, group: "ldrb-lit"),
        R("11111000U0011111", "1111iiiiiiiiiiii", "PLD (literal) T1",     &Hints.Pld, group: "ldrb-lit"),

        R("111110001011nnnn", "ttttiiiiiiiiiiii", "LDRH (immediate) T2",  &LoadStoreExtra.LdrhImmediate12T, group: "ldrh-imm12", notAllOnes: 'n'),
        R("111110001011nnnn", "1111iiiiiiiiiiii", "PLDW (immediate) T1",  &Hints.Pld, ArchVersion.V7, group: "ldrh-imm12", notAllOnes: 'n'),
        R("111110000011nnnn", "tttt1PU1iiiiiiii", "LDRH (immediate) T3",  &LoadStoreExtra.LdrhImmediate8T, notAllOnes: 'n'),
        R("111110000011nnnn", "tttt1100iiiiiiii", "LDRH (immediate) T3, negative offset", &LoadStoreExtra.LdrhImmediate8T, group: "ldrh-neg", notAllOnes: 'n'),
        R("111110000011nnnn", "11111100iiiiiiii", "PLDW (immediate) T2",  &Hints.Pld, ArchVersion.V7, group: "ldrh-neg", notAllOnes: 'n'),
        R("111110000011nnnn", "tttt1110iiiiiiii", "LDRHT T1",             &LoadStoreExtra.LdrhtT1, notAllOnes: 'n'),
        R("111110000011nnnn", "tttt000000iimmmm", "LDRH (register) T2",   &LoadStoreExtra.LdrhRegisterT, group: "ldrh-reg", notAllOnes: 'n'),
        R("111110000011nnnn", "1111000000iimmmm", "PLDW (register) T1",   &Hints.Pld, ArchVersion.V7, group: "ldrh-reg", notAllOnes: 'n'),
        R("11111000U0111111", "ttttiiiiiiiiiiii", "LDRH (literal) T1",    &LoadStoreExtra.LdrhLiteralT, group: "ldrh-lit"),
        R("11111000U0111111", "1111iiiiiiiiiiii", "NOP (unallocated memory hint) T1, LDRH literal", &Hints.Pld, group: "ldrh-lit"),

        R("111110001101nnnn", "ttttiiiiiiiiiiii", "LDR (immediate) T3",   &LoadStore.LdrImmediate12T, notAllOnes: 'n', flags: EncodingFlags.Return, returnForm: "111110001101nnnn1111iiiiiiiiiiii"),
        R("111110000101nnnn", "tttt1PU1iiiiiiii", "LDR (immediate) T4",   &LoadStore.LdrImmediate8T, notAllOnes: 'n', flags: EncodingFlags.Return, returnForm: "111110000101nnnn11111PU1iiiiiiii"),
        R("111110000101nnnn", "tttt1100iiiiiiii", "LDR (immediate) T4, negative offset", &LoadStore.LdrImmediate8T, notAllOnes: 'n'),
        R("111110000101nnnn", "tttt1110iiiiiiii", "LDRT T1",              &LoadStore.LdrtT1, notAllOnes: 'n'),
        R("111110000101nnnn", "tttt000000iimmmm", "LDR (register) T2",    &LoadStore.LdrRegisterT, notAllOnes: 'n'),
        R("11111000U1011111", "ttttiiiiiiiiiiii", "LDR (literal) T2",     &LoadStore.LdrLiteralT),

        R("111110011001nnnn", "ttttiiiiiiiiiiii", "LDRSB (immediate) T1", &LoadStoreExtra.LdrsbImmediate12T, group: "ldrsb-imm12", notAllOnes: 'n'),
        R("111110011001nnnn", "1111iiiiiiiiiiii", "PLI (immediate, literal) T1", &Hints.Pld, ArchVersion.V7, group: "ldrsb-imm12", notAllOnes: 'n'),
        R("111110010001nnnn", "tttt1PU1iiiiiiii", "LDRSB (immediate) T2", &LoadStoreExtra.LdrsbImmediate8T, notAllOnes: 'n'),
        R("111110010001nnnn", "tttt1100iiiiiiii", "LDRSB (immediate) T2, negative offset", &LoadStoreExtra.LdrsbImmediate8T, group: "ldrsb-neg", notAllOnes: 'n'),
        R("111110010001nnnn", "11111100iiiiiiii", "PLI (immediate, literal) T2", &Hints.Pld, ArchVersion.V7, group: "ldrsb-neg", notAllOnes: 'n'),
        R("111110010001nnnn", "tttt1110iiiiiiii", "LDRSBT T1",            &LoadStoreExtra.LdrsbtT1, notAllOnes: 'n'),
        R("111110010001nnnn", "tttt000000iimmmm", "LDRSB (register) T2",  &LoadStoreExtra.LdrsbRegisterT, group: "ldrsb-reg", notAllOnes: 'n'),
        R("111110010001nnnn", "1111000000iimmmm", "PLI (register) T1",    &Hints.Pld, ArchVersion.V7, group: "ldrsb-reg", notAllOnes: 'n'),
        R("11111001U0011111", "ttttiiiiiiiiiiii", "LDRSB (literal) T1",   &LoadStoreExtra.LdrsbLiteralT, group: "ldrsb-lit"),
        R("11111001U0011111", "1111iiiiiiiiiiii", "PLI (immediate, literal) T3", &Hints.Pld, ArchVersion.V7, group: "ldrsb-lit"),

        R("111110011011nnnn", "ttttiiiiiiiiiiii", "LDRSH (immediate) T1", &LoadStoreExtra.LdrshImmediate12T, group: "ldrsh-imm12", notAllOnes: 'n'),
        R("111110011011nnnn", "1111iiiiiiiiiiii", "NOP (unallocated memory hint) T1, LDRSH immediate", &Hints.Pld, group: "ldrsh-imm12", notAllOnes: 'n'),
        R("111110010011nnnn", "tttt1PU1iiiiiiii", "LDRSH (immediate) T2", &LoadStoreExtra.LdrshImmediate8T, notAllOnes: 'n'),
        R("111110010011nnnn", "tttt1100iiiiiiii", "LDRSH (immediate) T2, negative offset", &LoadStoreExtra.LdrshImmediate8T, group: "ldrsh-neg", notAllOnes: 'n'),
        R("111110010011nnnn", "11111100iiiiiiii", "NOP (unallocated memory hint) T1, LDRSH negative offset", &Hints.Pld, group: "ldrsh-neg", notAllOnes: 'n'),
        R("111110010011nnnn", "tttt1110iiiiiiii", "LDRSHT T1",            &LoadStoreExtra.LdrshtT1, notAllOnes: 'n'),
        R("111110010011nnnn", "tttt000000iimmmm", "LDRSH (register) T2",  &LoadStoreExtra.LdrshRegisterT, group: "ldrsh-reg", notAllOnes: 'n'),
        R("111110010011nnnn", "1111000000iimmmm", "NOP (unallocated memory hint) T1, LDRSH register", &Hints.Pld, group: "ldrsh-reg", notAllOnes: 'n'),
        R("11111001U0111111", "ttttiiiiiiiiiiii", "LDRSH (literal) T1",   &LoadStoreExtra.LdrshLiteralT, group: "ldrsh-lit"),
        R("11111001U0111111", "1111iiiiiiiiiiii", "NOP (unallocated memory hint) T1, LDRSH literal", &Hints.Pld, group: "ldrsh-lit"),

        // ---- Data-processing (register), A6.3.12: shifts, extends, parallel, miscellaneous --------------
        R("111110100ttSnnnn", "1111dddd0000mmmm", "LSL, LSR, ASR, ROR (register) T2", &DataProcessing.Execute<Mov, T32RegisterShiftOperand>),
        R("111110100000nnnn", "1111dddd10rrmmmm", "SXTAH T1",             &Extend.Execute<SignedHalfword, Thumb32Fields.SxtahT1>, notAllOnes: 'n'),
        R("1111101000001111", "1111dddd10rrmmmm", "SXTH T2",              &Extend.Execute<SignedHalfword, Thumb32Fields.SxthT2>),
        R("111110100001nnnn", "1111dddd10rrmmmm", "UXTAH T1",             &Extend.Execute<UnsignedHalfword, Thumb32Fields.UxtahT1>, notAllOnes: 'n'),
        R("1111101000011111", "1111dddd10rrmmmm", "UXTH T2",              &Extend.Execute<UnsignedHalfword, Thumb32Fields.UxthT2>),
        R("111110100010nnnn", "1111dddd10rrmmmm", "SXTAB16 T1",           &Extend.Execute<SignedByte16, Thumb32Fields.Sxtab16T1>, notAllOnes: 'n'),
        R("1111101000101111", "1111dddd10rrmmmm", "SXTB16 T1",            &Extend.Execute<SignedByte16, Thumb32Fields.Sxtb16T1>),
        R("111110100011nnnn", "1111dddd10rrmmmm", "UXTAB16 T1",           &Extend.Execute<UnsignedByte16, Thumb32Fields.Uxtab16T1>, notAllOnes: 'n'),
        R("1111101000111111", "1111dddd10rrmmmm", "UXTB16 T1",            &Extend.Execute<UnsignedByte16, Thumb32Fields.Uxtb16T1>),
        R("111110100100nnnn", "1111dddd10rrmmmm", "SXTAB T1",             &Extend.Execute<SignedByte, Thumb32Fields.SxtabT1>, notAllOnes: 'n'),
        R("1111101001001111", "1111dddd10rrmmmm", "SXTB T2",              &Extend.Execute<SignedByte, Thumb32Fields.SxtbT2>),
        R("111110100101nnnn", "1111dddd10rrmmmm", "UXTAB T1",             &Extend.Execute<UnsignedByte, Thumb32Fields.UxtabT1>, notAllOnes: 'n'),
        R("1111101001011111", "1111dddd10rrmmmm", "UXTB T2",              &Extend.Execute<UnsignedByte, Thumb32Fields.UxtbT2>),
        // Parallel addition and subtraction (A6.3.13, A6.3.14): op1 in hw1 6:4, the prefix in hw2 6:4.
        .. ParallelRows(),
        // Miscellaneous operations (A6.3.15)
        R("111110101000nnnn", "1111dddd1000mmmm", "QADD T1",              &Saturating.QaddT1),
        R("111110101000nnnn", "1111dddd1001mmmm", "QDADD T1",             &Saturating.QdaddT1),
        R("111110101000nnnn", "1111dddd1010mmmm", "QSUB T1",              &Saturating.QsubT1),
        R("111110101000nnnn", "1111dddd1011mmmm", "QDSUB T1",             &Saturating.QdsubT1),
        R("111110101001----", "1111dddd1000mmmm", "REV T2",               &Reverse.RevT2),
        R("111110101001----", "1111dddd1001mmmm", "REV16 T2",             &Reverse.Rev16T2),
        R("111110101001----", "1111dddd1010mmmm", "RBIT T1",              &Reverse.RbitT1),
        R("111110101001----", "1111dddd1011mmmm", "REVSH T2",             &Reverse.RevshT2),
        R("111110101010nnnn", "1111dddd1000mmmm", "SEL T1",               &Media.SelT1),
        R("111110101011----", "1111dddd1000mmmm", "CLZ T1",               &DataProcessing.ClzT1),

        // ---- Multiply, multiply accumulate, absolute difference, A6.3.16 (Ra = 1111: the non-accumulating form)
        R("111110110000nnnn", "aaaadddd0000mmmm", "MLA T1",               &Multiply.Mla<Thumb32Fields.MlaT1>, notAllOnes: 'a'),
        R("111110110000nnnn", "1111dddd0000mmmm", "MUL T2",               &Multiply.Mul<Thumb32Fields.MulT2>),
        R("111110110000nnnn", "aaaadddd0001mmmm", "MLS T1",               &Multiply.Mls<Thumb32Fields.MlsT1>),
        R("111110110001nnnn", "aaaadddd00NMmmmm", "SMLA<x><y> T1",        &Multiply.Smlaxy<Thumb32Fields.SmlaxyT1>, notAllOnes: 'a'),
        R("111110110001nnnn", "1111dddd00NMmmmm", "SMUL<x><y> T1",        &Multiply.Smlaxy<Thumb32Fields.SmulxyT1>),
        R("111110110010nnnn", "aaaadddd000Mmmmm", "SMLAD T1",             &SignedMultiply.Smlad<Thumb32Fields.SmladT1>, notAllOnes: 'a'),
        R("111110110010nnnn", "1111dddd000Mmmmm", "SMUAD T1",             &SignedMultiply.Smlad<Thumb32Fields.SmuadT1>),
        R("111110110011nnnn", "aaaadddd000Mmmmm", "SMLAW<y> T1",          &Multiply.Smlawy<Thumb32Fields.SmlawyT1>, notAllOnes: 'a'),
        R("111110110011nnnn", "1111dddd000Mmmmm", "SMULW<y> T1",          &Multiply.Smlawy<Thumb32Fields.SmulwyT1>),
        R("111110110100nnnn", "aaaadddd000Mmmmm", "SMLSD T1",             &SignedMultiply.Smlsd<Thumb32Fields.SmlsdT1>, notAllOnes: 'a'),
        R("111110110100nnnn", "1111dddd000Mmmmm", "SMUSD T1",             &SignedMultiply.Smlsd<Thumb32Fields.SmusdT1>),
        R("111110110101nnnn", "aaaadddd000Rmmmm", "SMMLA T1",             &SignedMultiply.Smmla<Thumb32Fields.SmmlaT1>, notAllOnes: 'a'),
        R("111110110101nnnn", "1111dddd000Rmmmm", "SMMUL T1",             &SignedMultiply.Smmla<Thumb32Fields.SmmulT1>),
        R("111110110110nnnn", "aaaadddd000Rmmmm", "SMMLS T1",             &SignedMultiply.Smmls<Thumb32Fields.SmmlsT1>),
        R("111110110111nnnn", "aaaadddd0000mmmm", "USADA8 T1",            &Media.Usada8T1, notAllOnes: 'a'),
        R("111110110111nnnn", "1111dddd0000mmmm", "USAD8 T1",             &Media.Usada8T1),

        // ---- Long multiply, long multiply accumulate, divide, A6.3.17 ---------------------------------
        R("111110111000nnnn", "llllhhhh0000mmmm", "SMULL T1",             &Multiply.Smull<Thumb32Fields.SmullT1>),
        R("111110111001nnnn", "1111dddd1111mmmm", "SDIV T1",              &Divide.SdivT1, ArchVersion.V7, requires: CpuFeature.ThumbDivide),
        R("111110111010nnnn", "llllhhhh0000mmmm", "UMULL T1",             &Multiply.Umull<Thumb32Fields.UmullT1>),
        R("111110111011nnnn", "1111dddd1111mmmm", "UDIV T1",              &Divide.UdivT1, ArchVersion.V7, requires: CpuFeature.ThumbDivide),
        R("111110111100nnnn", "llllhhhh0000mmmm", "SMLAL T1",             &Multiply.Smlal<Thumb32Fields.SmlalT1>),
        R("111110111100nnnn", "llllhhhh10NMmmmm", "SMLAL<x><y> T1",       &Multiply.Smlalxy<Thumb32Fields.SmlalxyT1>),
        R("111110111100nnnn", "llllhhhh110Mmmmm", "SMLALD T1",            &SignedMultiply.Smlald<Thumb32Fields.SmlaldT1>),
        R("111110111101nnnn", "llllhhhh110Mmmmm", "SMLSLD T1",            &SignedMultiply.Smlsld<Thumb32Fields.SmlsldT1>),
        R("111110111110nnnn", "llllhhhh0000mmmm", "UMLAL T1",             &Multiply.Umlal<Thumb32Fields.UmlalT1>),
        R("111110111110nnnn", "llllhhhh0110mmmm", "UMAAL T1",             &Multiply.Umaal<Thumb32Fields.UmaalT1>),
    ];

    /// <summary>The 36 parallel add/subtract rows: op1 (ADD8, ADD16, ASX, SUB8, SUB16, SAX) times the six prefixes.</summary>
    private static EncodingRow[] ParallelRows()
    {
        (string Op1, string Name)[] ops = [("000", "ADD8"), ("001", "ADD16"), ("010", "ASX"), ("100", "SUB8"), ("101", "SUB16"), ("110", "SAX")];
        (string Bits, string Prefix)[] kinds = [("000", "S"), ("001", "Q"), ("010", "SH"), ("100", "U"), ("101", "UQ"), ("110", "UH")];
        var rows = new List<EncodingRow>();
        foreach (var (op1, name) in ops)
            foreach (var (bits, prefix) in kinds)
                rows.Add(R("111110101" + op1 + "nnnn", "1111dddd0" + bits + "mmmm", $"{prefix}{name} T1", ParallelHandler(prefix, name)));
        return [.. rows];
    }

    private static delegate*<Cpu, uint, void> ParallelHandler(string prefix, string op) => (prefix, op) switch
    {
        ("S", "ADD16") => &ParallelAddSubtract.T1<SignedModular, Add16>,
        ("S", "ASX") => &ParallelAddSubtract.T1<SignedModular, AddSubtractExchange>,
        ("S", "SAX") => &ParallelAddSubtract.T1<SignedModular, SubtractAddExchange>,
        ("S", "SUB16") => &ParallelAddSubtract.T1<SignedModular, Subtract16>,
        ("S", "ADD8") => &ParallelAddSubtract.T1<SignedModular, Add8>,
        ("S", "SUB8") => &ParallelAddSubtract.T1<SignedModular, Subtract8>,
        ("Q", "ADD16") => &ParallelAddSubtract.T1<SignedSaturating, Add16>,
        ("Q", "ASX") => &ParallelAddSubtract.T1<SignedSaturating, AddSubtractExchange>,
        ("Q", "SAX") => &ParallelAddSubtract.T1<SignedSaturating, SubtractAddExchange>,
        ("Q", "SUB16") => &ParallelAddSubtract.T1<SignedSaturating, Subtract16>,
        ("Q", "ADD8") => &ParallelAddSubtract.T1<SignedSaturating, Add8>,
        ("Q", "SUB8") => &ParallelAddSubtract.T1<SignedSaturating, Subtract8>,
        ("SH", "ADD16") => &ParallelAddSubtract.T1<SignedHalving, Add16>,
        ("SH", "ASX") => &ParallelAddSubtract.T1<SignedHalving, AddSubtractExchange>,
        ("SH", "SAX") => &ParallelAddSubtract.T1<SignedHalving, SubtractAddExchange>,
        ("SH", "SUB16") => &ParallelAddSubtract.T1<SignedHalving, Subtract16>,
        ("SH", "ADD8") => &ParallelAddSubtract.T1<SignedHalving, Add8>,
        ("SH", "SUB8") => &ParallelAddSubtract.T1<SignedHalving, Subtract8>,
        ("U", "ADD16") => &ParallelAddSubtract.T1<UnsignedModular, Add16>,
        ("U", "ASX") => &ParallelAddSubtract.T1<UnsignedModular, AddSubtractExchange>,
        ("U", "SAX") => &ParallelAddSubtract.T1<UnsignedModular, SubtractAddExchange>,
        ("U", "SUB16") => &ParallelAddSubtract.T1<UnsignedModular, Subtract16>,
        ("U", "ADD8") => &ParallelAddSubtract.T1<UnsignedModular, Add8>,
        ("U", "SUB8") => &ParallelAddSubtract.T1<UnsignedModular, Subtract8>,
        ("UQ", "ADD16") => &ParallelAddSubtract.T1<UnsignedSaturating, Add16>,
        ("UQ", "ASX") => &ParallelAddSubtract.T1<UnsignedSaturating, AddSubtractExchange>,
        ("UQ", "SAX") => &ParallelAddSubtract.T1<UnsignedSaturating, SubtractAddExchange>,
        ("UQ", "SUB16") => &ParallelAddSubtract.T1<UnsignedSaturating, Subtract16>,
        ("UQ", "ADD8") => &ParallelAddSubtract.T1<UnsignedSaturating, Add8>,
        ("UQ", "SUB8") => &ParallelAddSubtract.T1<UnsignedSaturating, Subtract8>,
        ("UH", "ADD16") => &ParallelAddSubtract.T1<UnsignedHalving, Add16>,
        ("UH", "ASX") => &ParallelAddSubtract.T1<UnsignedHalving, AddSubtractExchange>,
        ("UH", "SAX") => &ParallelAddSubtract.T1<UnsignedHalving, SubtractAddExchange>,
        ("UH", "SUB16") => &ParallelAddSubtract.T1<UnsignedHalving, Subtract16>,
        ("UH", "ADD8") => &ParallelAddSubtract.T1<UnsignedHalving, Add8>,
        _ => &ParallelAddSubtract.T1<UnsignedHalving, Subtract8>,
    };

    /// <summary>
    /// The coprocessor rows in T32 form (A6.3.18): the A32 coprocessor-space rows (which the VFP rows
    /// share a group with) with the condition field replaced by 1110, and the A32 "2" forms, whose
    /// 1111 prefix is the T32 one too. The fields sit at the same bits, so the A32 handlers serve.
    /// </summary>
    public static EncodingRow[] CoprocessorRows { get; } = ArmEncodings.Rows
        .Where(r => r.Group == VfpEncodings.Group)
        .Select(r => r.Conditional
            ? new EncodingRow("1110" + r.Pattern[4..], ThumbName(r.Name, "T1"), r.Handler, ArchVersion.V6T2, r.Group, r.Requires, r.Flags)
            : new EncodingRow(r.Pattern, ThumbName(r.Name, "T2"), r.Handler, ArchVersion.V6T2, r.Group, r.Requires, r.Flags))
        .ToArray();

    /// <summary>"MRC A1" becomes "MRC T1" (the manual numbers the T32 coprocessor encodings so); a name without an id gets one.</summary>
    private static string ThumbName(string a32Name, string id) =>
        a32Name.EndsWith(" A1", StringComparison.Ordinal) || a32Name.EndsWith(" A2", StringComparison.Ordinal)
            ? a32Name[..^3] + " " + id : a32Name + " " + id;

    /// <summary>
    /// The Advanced SIMD rows in T32 form (DDI 0406C A7.4, A7.7), derived from the NEON table's A32
    /// rows once (<see cref="NeonEncodings.ToThumb"/>: 1111 001U becomes 111U 1111, 1111 0100 becomes
    /// 1111 1001); the A32 handlers serve, reading U where either form has it (<c>Neon.U</c>).
    /// </summary>
    public static EncodingRow[] AdvancedSimdRows => NeonEncodings.ThumbRows;
}
