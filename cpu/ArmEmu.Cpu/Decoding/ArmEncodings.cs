using ArmEmu.Cpu.Interpreter;

namespace ArmEmu.Cpu.Decoding;

#pragma warning disable IDE0055 // the table is aligned by hand

/// <summary>
/// Every ARM (A32) encoding the emulator knows, one row per encoding as ARM
/// ARM chapter A3/A4 draws it. Bits the manual marks SBZ/SBO are fixed here
/// exactly where QEMU's decoder (target/arm/tcg/a32.decode) fixes them, so a
/// word that violates them is UNDEFINED on both, as our UNPREDICTABLE policy
/// asks. Words no row matches take the Undefined Instruction exception.
/// </summary>
internal static unsafe class ArmEncodings
{
    public static readonly EncodingRow[] Rows =
    [
        // ---- Data processing (A3.4, A4.1) ---------------------------------------------------
        // TST/TEQ/CMP/CMN have S fixed to 1: with S=0 the space holds the miscellaneous group below.
        // Their Rd and MOV/MVN's Rn are (0)(0)(0)(0) in the manual; QEMU's a32.decode fixes them to
        // 0000 (any other value is UNDEFINED under qemu-arm, measured), and so do these rows.
        new("cccc0010000Snnnnddddrrrrvvvvvvvv", "AND (immediate) A1", &DataProcessing.Execute<And, ImmediateOperand>),
        new("cccc0000000Snnnnddddiiiiitt0mmmm", "AND (register) A1", &DataProcessing.Execute<And, ImmediateShiftOperand>),
        new("cccc0000000Snnnnddddssss0tt1mmmm", "AND (register-shifted register) A1", &DataProcessing.Execute<And, RegisterShiftOperand>),
        new("cccc0010001Snnnnddddrrrrvvvvvvvv", "EOR (immediate) A1", &DataProcessing.Execute<Eor, ImmediateOperand>),
        new("cccc0000001Snnnnddddiiiiitt0mmmm", "EOR (register) A1", &DataProcessing.Execute<Eor, ImmediateShiftOperand>),
        new("cccc0000001Snnnnddddssss0tt1mmmm", "EOR (register-shifted register) A1", &DataProcessing.Execute<Eor, RegisterShiftOperand>),
        new("cccc0010010Snnnnddddrrrrvvvvvvvv", "SUB (immediate) A1", &DataProcessing.Execute<Sub, ImmediateOperand>),
        new("cccc0000010Snnnnddddiiiiitt0mmmm", "SUB (register) A1", &DataProcessing.Execute<Sub, ImmediateShiftOperand>),
        new("cccc0000010Snnnnddddssss0tt1mmmm", "SUB (register-shifted register) A1", &DataProcessing.Execute<Sub, RegisterShiftOperand>),
        new("cccc0010011Snnnnddddrrrrvvvvvvvv", "RSB (immediate) A1", &DataProcessing.Execute<Rsb, ImmediateOperand>),
        new("cccc0000011Snnnnddddiiiiitt0mmmm", "RSB (register) A1", &DataProcessing.Execute<Rsb, ImmediateShiftOperand>),
        new("cccc0000011Snnnnddddssss0tt1mmmm", "RSB (register-shifted register) A1", &DataProcessing.Execute<Rsb, RegisterShiftOperand>),
        new("cccc0010100Snnnnddddrrrrvvvvvvvv", "ADD (immediate) A1", &DataProcessing.Execute<Add, ImmediateOperand>),
        new("cccc0000100Snnnnddddiiiiitt0mmmm", "ADD (register) A1", &DataProcessing.Execute<Add, ImmediateShiftOperand>),
        new("cccc0000100Snnnnddddssss0tt1mmmm", "ADD (register-shifted register) A1", &DataProcessing.Execute<Add, RegisterShiftOperand>),
        new("cccc0010101Snnnnddddrrrrvvvvvvvv", "ADC (immediate) A1", &DataProcessing.Execute<Adc, ImmediateOperand>),
        new("cccc0000101Snnnnddddiiiiitt0mmmm", "ADC (register) A1", &DataProcessing.Execute<Adc, ImmediateShiftOperand>),
        new("cccc0000101Snnnnddddssss0tt1mmmm", "ADC (register-shifted register) A1", &DataProcessing.Execute<Adc, RegisterShiftOperand>),
        new("cccc0010110Snnnnddddrrrrvvvvvvvv", "SBC (immediate) A1", &DataProcessing.Execute<Sbc, ImmediateOperand>),
        new("cccc0000110Snnnnddddiiiiitt0mmmm", "SBC (register) A1", &DataProcessing.Execute<Sbc, ImmediateShiftOperand>),
        new("cccc0000110Snnnnddddssss0tt1mmmm", "SBC (register-shifted register) A1", &DataProcessing.Execute<Sbc, RegisterShiftOperand>),
        new("cccc0010111Snnnnddddrrrrvvvvvvvv", "RSC (immediate) A1", &DataProcessing.Execute<Rsc, ImmediateOperand>),
        new("cccc0000111Snnnnddddiiiiitt0mmmm", "RSC (register) A1", &DataProcessing.Execute<Rsc, ImmediateShiftOperand>),
        new("cccc0000111Snnnnddddssss0tt1mmmm", "RSC (register-shifted register) A1", &DataProcessing.Execute<Rsc, RegisterShiftOperand>),
        new("cccc00110001nnnn0000rrrrvvvvvvvv", "TST (immediate) A1", &DataProcessing.Execute<Tst, ImmediateOperand>),
        new("cccc00010001nnnn0000iiiiitt0mmmm", "TST (register) A1", &DataProcessing.Execute<Tst, ImmediateShiftOperand>),
        new("cccc00010001nnnn0000ssss0tt1mmmm", "TST (register-shifted register) A1", &DataProcessing.Execute<Tst, RegisterShiftOperand>),
        new("cccc00110011nnnn0000rrrrvvvvvvvv", "TEQ (immediate) A1", &DataProcessing.Execute<Teq, ImmediateOperand>),
        new("cccc00010011nnnn0000iiiiitt0mmmm", "TEQ (register) A1", &DataProcessing.Execute<Teq, ImmediateShiftOperand>),
        new("cccc00010011nnnn0000ssss0tt1mmmm", "TEQ (register-shifted register) A1", &DataProcessing.Execute<Teq, RegisterShiftOperand>),
        new("cccc00110101nnnn0000rrrrvvvvvvvv", "CMP (immediate) A1", &DataProcessing.Execute<Cmp, ImmediateOperand>),
        new("cccc00010101nnnn0000iiiiitt0mmmm", "CMP (register) A1", &DataProcessing.Execute<Cmp, ImmediateShiftOperand>),
        new("cccc00010101nnnn0000ssss0tt1mmmm", "CMP (register-shifted register) A1", &DataProcessing.Execute<Cmp, RegisterShiftOperand>),
        new("cccc00110111nnnn0000rrrrvvvvvvvv", "CMN (immediate) A1", &DataProcessing.Execute<Cmn, ImmediateOperand>),
        new("cccc00010111nnnn0000iiiiitt0mmmm", "CMN (register) A1", &DataProcessing.Execute<Cmn, ImmediateShiftOperand>),
        new("cccc00010111nnnn0000ssss0tt1mmmm", "CMN (register-shifted register) A1", &DataProcessing.Execute<Cmn, RegisterShiftOperand>),
        new("cccc0011100Snnnnddddrrrrvvvvvvvv", "ORR (immediate) A1", &DataProcessing.Execute<Orr, ImmediateOperand>),
        new("cccc0001100Snnnnddddiiiiitt0mmmm", "ORR (register) A1", &DataProcessing.Execute<Orr, ImmediateShiftOperand>),
        new("cccc0001100Snnnnddddssss0tt1mmmm", "ORR (register-shifted register) A1", &DataProcessing.Execute<Orr, RegisterShiftOperand>),
        new("cccc0011101S0000ddddrrrrvvvvvvvv", "MOV (immediate) A1", &DataProcessing.Execute<Mov, ImmediateOperand>),
        new("cccc0001101S0000ddddiiiiitt0mmmm", "MOV (register) A1", &DataProcessing.Execute<Mov, ImmediateShiftOperand>, flags: EncodingFlags.Return, returnForm: "cccc0001101000001111000000001110"),
        new("cccc0001101S0000ddddssss0tt1mmmm", "MOV (register-shifted register) A1", &DataProcessing.Execute<Mov, RegisterShiftOperand>),
        new("cccc0011110Snnnnddddrrrrvvvvvvvv", "BIC (immediate) A1", &DataProcessing.Execute<Bic, ImmediateOperand>),
        new("cccc0001110Snnnnddddiiiiitt0mmmm", "BIC (register) A1", &DataProcessing.Execute<Bic, ImmediateShiftOperand>),
        new("cccc0001110Snnnnddddssss0tt1mmmm", "BIC (register-shifted register) A1", &DataProcessing.Execute<Bic, RegisterShiftOperand>),
        new("cccc0011111S0000ddddrrrrvvvvvvvv", "MVN (immediate) A1", &DataProcessing.Execute<Mvn, ImmediateOperand>),
        new("cccc0001111S0000ddddiiiiitt0mmmm", "MVN (register) A1", &DataProcessing.Execute<Mvn, ImmediateShiftOperand>),
        new("cccc0001111S0000ddddssss0tt1mmmm", "MVN (register-shifted register) A1", &DataProcessing.Execute<Mvn, RegisterShiftOperand>),

        // ---- Miscellaneous (A3.16 figure A3-4: opcode 10xx with S=0) ------------------------
        new("cccc00010R001111dddd000000000000", "MRS A1",                           &StatusRegister.Mrs),
        new("cccc00010R10ffff111100000000mmmm", "MSR (register) A1",                &StatusRegister.MsrRegister),
        // ARMv6K puts the hints in the MSR (immediate) space with R=0 and mask 0000 (group "msr-hints" below).
        new("cccc00110R10ffff1111rrrrvvvvvvvv", "MSR (immediate) A1",               &StatusRegister.MsrImmediate, group: "msr-hints"),
        new("cccc000100101111111111110001mmmm", "BX A1",                            &Branch.Bx, flags: EncodingFlags.Branch | EncodingFlags.Return, returnForm: "cccc0001001011111111111100011110"),
        new("cccc000100101111111111110011mmmm", "BLX (register) A1",                &Branch.BlxRegister,        ArchVersion.V5T, flags: EncodingFlags.Call),
        // BXJ without Jazelle state to enter acts as BX (DDI 0406C A8.8.28; the "trivial Jazelle" of ARMv7).
        new("cccc000100101111111111110010mmmm", "BXJ A1",                        &Branch.Bx,                 ArchVersion.V5TEJ, flags: EncodingFlags.Branch),
        new("cccc000101101111dddd11110001mmmm", "CLZ A1",                           &DataProcessing.Clz,        ArchVersion.V5T),
        new("cccc00010010vvvvvvvvvvvv0111vvvv", "BKPT A1",                          &ExceptionGenerating.Bkpt,  ArchVersion.V5T),
        new("cccc00010000nnnndddd00000101mmmm", "QADD A1",                          &Saturating.Qadd,           ArchVersion.V5TE),
        new("cccc00010010nnnndddd00000101mmmm", "QSUB A1",                          &Saturating.Qsub,           ArchVersion.V5TE),
        new("cccc00010100nnnndddd00000101mmmm", "QDADD A1",                         &Saturating.Qdadd,          ArchVersion.V5TE),
        new("cccc00010110nnnndddd00000101mmmm", "QDSUB A1",                         &Saturating.Qdsub,          ArchVersion.V5TE),

        // ---- Multiply (A3.5) and the DSP multiplies (A3.5.3, v5TE) ------------------------
        new("cccc0000000Sdddd0000ssss1001mmmm", "MUL A1",                           &Multiply.Mul<ArmFields.MulA1>),
        new("cccc0000001Sddddnnnnssss1001mmmm", "MLA A1",                           &Multiply.Mla<ArmFields.MlaA1>),
        new("cccc0000100Shhhhllllssss1001mmmm", "UMULL A1",                         &Multiply.Umull<ArmFields.UmullA1>),
        new("cccc0000101Shhhhllllssss1001mmmm", "UMLAL A1",                         &Multiply.Umlal<ArmFields.UmlalA1>),
        new("cccc0000110Shhhhllllssss1001mmmm", "SMULL A1",                         &Multiply.Smull<ArmFields.SmullA1>),
        new("cccc0000111Shhhhllllssss1001mmmm", "SMLAL A1",                         &Multiply.Smlal<ArmFields.SmlalA1>),
        new("cccc00010000ddddnnnnssss1yx0mmmm", "SMLA<x><y> A1",                    &Multiply.Smlaxy<ArmFields.SmlaxyA1>,           ArchVersion.V5TE),
        new("cccc00010010ddddnnnnssss1y00mmmm", "SMLAW<y> A1",                      &Multiply.Smlawy<ArmFields.SmlawyA1>,           ArchVersion.V5TE),
        new("cccc00010010dddd0000ssss1y10mmmm", "SMULW<y> A1",                      &Multiply.Smlawy<ArmFields.SmulwyA1>,           ArchVersion.V5TE),
        new("cccc00010100hhhhllllssss1yx0mmmm", "SMLAL<x><y> A1",                   &Multiply.Smlalxy<ArmFields.SmlalxyA1>,          ArchVersion.V5TE),
        new("cccc00010110dddd0000ssss1yx0mmmm", "SMUL<x><y> A1",                    &Multiply.Smlaxy<ArmFields.SmulxyA1>,           ArchVersion.V5TE),

        // ---- Swap (A4.1.108/109) -------------------------------------------------------------
        new("cccc00010000nnnndddd00001001mmmm", "SWP A1",                           &Synchronization.Swp),
        new("cccc00010100nnnndddd00001001mmmm", "SWPB A1",                          &Synchronization.Swpb),

        // ---- Load and store word or unsigned byte (A3.11, A5.2) -----------------------------
        // P=1: offset or pre-indexed (W); P=0 W=0: post-indexed; P=0 W=1: the T (user-mode) forms.
        new("cccc0101U0W0nnnnddddiiiiiiiiiiii", "STR (immediate) A1",               &LoadStore.StrImmediate),
        new("cccc0100U000nnnnddddiiiiiiiiiiii", "STR (immediate) A1, post-indexed", &LoadStore.StrImmediatePost),
        new("cccc0100U010nnnnddddiiiiiiiiiiii", "STRT A1",              &LoadStore.StrtImmediate),
        new("cccc0111U0W0nnnnddddiiiiitt0mmmm", "STR (register) A1",                &LoadStore.StrRegister),
        new("cccc0110U000nnnnddddiiiiitt0mmmm", "STR (register) A1, post-indexed",  &LoadStore.StrRegisterPost),
        new("cccc0110U010nnnnddddiiiiitt0mmmm", "STRT A2",               &LoadStore.StrtRegister),
        new("cccc0101U1W0nnnnddddiiiiiiiiiiii", "STRB (immediate) A1",              &LoadStore.StrbImmediate),
        new("cccc0100U100nnnnddddiiiiiiiiiiii", "STRB (immediate) A1, post-indexed",&LoadStore.StrbImmediatePost),
        new("cccc0100U110nnnnddddiiiiiiiiiiii", "STRBT A1",             &LoadStore.StrbtImmediate),
        new("cccc0111U1W0nnnnddddiiiiitt0mmmm", "STRB (register) A1",               &LoadStore.StrbRegister),
        new("cccc0110U100nnnnddddiiiiitt0mmmm", "STRB (register) A1, post-indexed", &LoadStore.StrbRegisterPost),
        new("cccc0110U110nnnnddddiiiiitt0mmmm", "STRBT A2",              &LoadStore.StrbtRegister),
        new("cccc0101U0W1nnnnddddiiiiiiiiiiii", "LDR (immediate) A1",               &LoadStore.LdrImmediate, flags: EncodingFlags.Return, returnForm: "cccc0101U0W1nnnn1111iiiiiiiiiiii"),
        new("cccc0100U001nnnnddddiiiiiiiiiiii", "LDR (immediate) A1, post-indexed", &LoadStore.LdrImmediatePost, flags: EncodingFlags.Return, returnForm: "cccc0100U001nnnn1111iiiiiiiiiiii"),
        new("cccc0100U011nnnnddddiiiiiiiiiiii", "LDRT A1",              &LoadStore.LdrtImmediate, flags: EncodingFlags.Return, returnForm: "cccc0100U011nnnn1111iiiiiiiiiiii"),
        new("cccc0111U0W1nnnnddddiiiiitt0mmmm", "LDR (register) A1",                &LoadStore.LdrRegister, flags: EncodingFlags.Return, returnForm: "cccc0111U0W1nnnn1111iiiiitt0mmmm"),
        new("cccc0110U001nnnnddddiiiiitt0mmmm", "LDR (register) A1, post-indexed",  &LoadStore.LdrRegisterPost, flags: EncodingFlags.Return, returnForm: "cccc0110U001nnnn1111iiiiitt0mmmm"),
        new("cccc0110U011nnnnddddiiiiitt0mmmm", "LDRT A2",               &LoadStore.LdrtRegister, flags: EncodingFlags.Return, returnForm: "cccc0110U011nnnn1111iiiiitt0mmmm"),
        new("cccc0101U1W1nnnnddddiiiiiiiiiiii", "LDRB (immediate) A1",              &LoadStore.LdrbImmediate),
        new("cccc0100U101nnnnddddiiiiiiiiiiii", "LDRB (immediate) A1, post-indexed",&LoadStore.LdrbImmediatePost),
        new("cccc0100U111nnnnddddiiiiiiiiiiii", "LDRBT A1",             &LoadStore.LdrbtImmediate),
        new("cccc0111U1W1nnnnddddiiiiitt0mmmm", "LDRB (register) A1",               &LoadStore.LdrbRegister),
        new("cccc0110U101nnnnddddiiiiitt0mmmm", "LDRB (register) A1, post-indexed", &LoadStore.LdrbRegisterPost),
        new("cccc0110U111nnnnddddiiiiitt0mmmm", "LDRBT A2",              &LoadStore.LdrbtRegister),

        // ---- Load and store halfword, signed byte, doubleword (A3.13, A5.3) -----------------
        // P=0 with W=1 is UNPREDICTABLE before the v6T2 "T" forms; QEMU makes it UNDEFINED, so no row.
        new("cccc0001U1W0nnnnddddiiii1011iiii", "STRH (immediate) A1",              &LoadStoreExtra.StrhImmediate),
        new("cccc0000U100nnnnddddiiii1011iiii", "STRH (immediate) A1, post-indexed",&LoadStoreExtra.StrhImmediatePost),
        new("cccc0001U0W0nnnndddd00001011mmmm", "STRH (register) A1",               &LoadStoreExtra.StrhRegister),
        new("cccc0000U000nnnndddd00001011mmmm", "STRH (register) A1, post-indexed", &LoadStoreExtra.StrhRegisterPost),
        new("cccc0001U1W1nnnnddddiiii1011iiii", "LDRH (immediate) A1",              &LoadStoreExtra.LdrhImmediate),
        new("cccc0000U101nnnnddddiiii1011iiii", "LDRH (immediate) A1, post-indexed",&LoadStoreExtra.LdrhImmediatePost),
        new("cccc0001U0W1nnnndddd00001011mmmm", "LDRH (register) A1",               &LoadStoreExtra.LdrhRegister),
        new("cccc0000U001nnnndddd00001011mmmm", "LDRH (register) A1, post-indexed", &LoadStoreExtra.LdrhRegisterPost),
        new("cccc0001U1W1nnnnddddiiii1101iiii", "LDRSB (immediate) A1",             &LoadStoreExtra.LdrsbImmediate),
        new("cccc0000U101nnnnddddiiii1101iiii", "LDRSB (immediate) A1, post-indexed",&LoadStoreExtra.LdrsbImmediatePost),
        new("cccc0001U0W1nnnndddd00001101mmmm", "LDRSB (register) A1",              &LoadStoreExtra.LdrsbRegister),
        new("cccc0000U001nnnndddd00001101mmmm", "LDRSB (register) A1, post-indexed",&LoadStoreExtra.LdrsbRegisterPost),
        new("cccc0001U1W1nnnnddddiiii1111iiii", "LDRSH (immediate) A1",             &LoadStoreExtra.LdrshImmediate),
        new("cccc0000U101nnnnddddiiii1111iiii", "LDRSH (immediate) A1, post-indexed",&LoadStoreExtra.LdrshImmediatePost),
        new("cccc0001U0W1nnnndddd00001111mmmm", "LDRSH (register) A1",              &LoadStoreExtra.LdrshRegister),
        new("cccc0000U001nnnndddd00001111mmmm", "LDRSH (register) A1, post-indexed",&LoadStoreExtra.LdrshRegisterPost),
        new("cccc0001U1W0nnnnddddiiii1101iiii", "LDRD (immediate) A1",              &LoadStoreExtra.LdrdImmediate,     ArchVersion.V5TE),
        new("cccc0000U100nnnnddddiiii1101iiii", "LDRD (immediate) A1, post-indexed",&LoadStoreExtra.LdrdImmediatePost, ArchVersion.V5TE),
        new("cccc0001U0W0nnnndddd00001101mmmm", "LDRD (register) A1",               &LoadStoreExtra.LdrdRegister,      ArchVersion.V5TE),
        new("cccc0000U000nnnndddd00001101mmmm", "LDRD (register) A1, post-indexed", &LoadStoreExtra.LdrdRegisterPost,  ArchVersion.V5TE),
        new("cccc0001U1W0nnnnddddiiii1111iiii", "STRD (immediate) A1",              &LoadStoreExtra.StrdImmediate,     ArchVersion.V5TE),
        new("cccc0000U100nnnnddddiiii1111iiii", "STRD (immediate) A1, post-indexed",&LoadStoreExtra.StrdImmediatePost, ArchVersion.V5TE),
        new("cccc0001U0W0nnnndddd00001111mmmm", "STRD (register) A1",               &LoadStoreExtra.StrdRegister,      ArchVersion.V5TE),
        new("cccc0000U000nnnndddd00001111mmmm", "STRD (register) A1, post-indexed", &LoadStoreExtra.StrdRegisterPost,  ArchVersion.V5TE),

        // ---- Load and store multiple (A3.12, A5.4) -------------------------------------------
        new("cccc100PU0W0nnnnrrrrrrrrrrrrrrrr", "STM, STMDA, STMDB, STMIB A1",                           &LoadStoreMultiple.Stm),
        new("cccc100PU0W1nnnnrrrrrrrrrrrrrrrr", "LDM, LDMDA, LDMDB, LDMIB A1",                           &LoadStoreMultiple.Ldm, flags: EncodingFlags.Return, returnForm: "cccc100PU0W1nnnn1rrrrrrrrrrrrrrr"),
        new("cccc100PU1W0nnnnrrrrrrrrrrrrrrrr", "STM (user registers) A1",          &LoadStoreMultiple.StmUser),
        new("cccc100PU1W1nnnn0rrrrrrrrrrrrrrr", "LDM (user registers) A1",          &LoadStoreMultiple.LdmUser),
        new("cccc100PU1W1nnnn1rrrrrrrrrrrrrrr", "LDM (exception return) A1",        &LoadStoreMultiple.LdmExceptionReturn, flags: EncodingFlags.Return),

        // ---- Branches and exception generation (A3.3, A3.15) ---------------------------------
        new("cccc1010vvvvvvvvvvvvvvvvvvvvvvvv", "B A1",                             &Branch.B, flags: EncodingFlags.Branch),
        new("cccc1011vvvvvvvvvvvvvvvvvvvvvvvv", "BL A1",                            &Branch.Bl, flags: EncodingFlags.Call),
        new("1111101hvvvvvvvvvvvvvvvvvvvvvvvv", "BLX (immediate) A2",               &Branch.BlxImmediate,       ArchVersion.V5T, flags: EncodingFlags.Call),
        new("cccc1111vvvvvvvvvvvvvvvvvvvvvvvv", "SVC A1",                           &ExceptionGenerating.Svc, flags: EncodingFlags.SupervisorCall),

        // ---- Coprocessor (A3.14) ---------------------------------------------------------
        // LDC/STC: P=1 offset/pre-indexed, P=0 W=1 post-indexed, P=0 W=0 U=1 unindexed;
        // P=0 W=0 U=0 is the MCRR/MRRC space (v5TE).
        new("cccc1110oooonnnnddddppppxxx0mmmm", "CDP A1",                           &Coprocessor.Cdp, group: VfpEncodings.Group),
        new("cccc1110ooo0nnnnddddppppxxx1mmmm", "MCR A1",                           &Coprocessor.Mcr, group: VfpEncodings.Group),
        new("cccc1110ooo1nnnnddddppppxxx1mmmm", "MRC A1",                           &Coprocessor.Mrc, group: VfpEncodings.Group),
        new("cccc11000100hhhhllllppppoooommmm", "MCRR A1",                          &Coprocessor.Mcrr,          ArchVersion.V5TE, group: VfpEncodings.Group),
        new("cccc11000101hhhhllllppppoooommmm", "MRRC A1",                          &Coprocessor.Mrrc,          ArchVersion.V5TE, group: VfpEncodings.Group),
        new("cccc1101UNWLnnnnddddppppvvvvvvvv", "LDC, STC (offset, pre-indexed) A1", &Coprocessor.LdcStc, group: VfpEncodings.Group),
        new("cccc1100UN1Lnnnnddddppppvvvvvvvv", "LDC, STC (post-indexed) A1",        &Coprocessor.LdcStc, group: VfpEncodings.Group),
        new("cccc11001N0Lnnnnddddppppvvvvvvvv", "LDC, STC (unindexed) A1",           &Coprocessor.LdcStc, group: VfpEncodings.Group),
        new("11111110oooonnnnddddppppxxx0mmmm", "CDP2 A2",                          &Coprocessor.Cdp,           ArchVersion.V5T, group: VfpEncodings.Group),
        new("11111110ooo0nnnnddddppppxxx1mmmm", "MCR2 A2",                          &Coprocessor.Mcr,           ArchVersion.V5T, group: VfpEncodings.Group),
        new("11111110ooo1nnnnddddppppxxx1mmmm", "MRC2 A2",                          &Coprocessor.Mrc,           ArchVersion.V5T, group: VfpEncodings.Group),
        new("11111101UNWLnnnnddddppppvvvvvvvv", "LDC2, STC2 (offset, pre-indexed) A2",&Coprocessor.LdcStc,       ArchVersion.V5T, group: VfpEncodings.Group),
        new("11111100UN1Lnnnnddddppppvvvvvvvv", "LDC2, STC2 (post-indexed) A2",      &Coprocessor.LdcStc,        ArchVersion.V5T, group: VfpEncodings.Group),
        new("111111001N0Lnnnnddddppppvvvvvvvv", "LDC2, STC2 (unindexed) A2",         &Coprocessor.LdcStc,        ArchVersion.V5T, group: VfpEncodings.Group),

        // ---- Hints (A4.1.45) -----------------------------------------------------------------
        new("11110101U101nnnn1111iiiiiiiiiiii", "PLD (immediate, literal) A1",               &Hints.Pld,                 ArchVersion.V5TE),
        new("11110111U101nnnn1111iiiiitt0mmmm", "PLD (register) A1",                &Hints.Pld,                 ArchVersion.V5TE),

        // ======== ARMv6, ARMv6K, ARMv6T2 and ARMv7-A (DDI 0406C chapter A5) ========
        // Each handler is a thin A32 wrapper that extracts the fields and calls a semantic core
        // taking register numbers and immediates, which the T32 encodings will call as well.

        // ---- Data-processing (immediate), 16-bit immediates (A5.2.3; ARMv6T2) ---------------
        new("cccc00110000iiiiddddiiiiiiiiiiii", "MOV (immediate) A2",            &MoveWide.MovwA2, ArchVersion.V6T2),
        new("cccc00110100iiiiddddiiiiiiiiiiii", "MOVT A1",                       &MoveWide.MovtA1, ArchVersion.V6T2),

        // ---- Multiply and multiply accumulate (A5.2.5) --------------------------------------
        new("cccc00000100hhhhllllmmmm1001nnnn", "UMAAL A1",                      &Multiply.Umaal<ArmFields.UmaalA1>, ArchVersion.V6),
        new("cccc00000110ddddaaaammmm1001nnnn", "MLS A1",                        &Multiply.Mls<ArmFields.MlsA1>, ArchVersion.V6T2),

        // ---- Synchronization primitives (A5.2.10): QEMU fixes the SBO bits 11:8 (and 3:0 of the loads) --
        new("cccc00011000nnnndddd11111001tttt", "STREX A1",                      &Exclusive.Strex<ArmFields.StrexA1>, ArchVersion.V6),
        new("cccc00011001nnnndddd111110011111", "LDREX A1",                      &Exclusive.Ldrex<ArmFields.LdrexA1>, ArchVersion.V6),
        new("cccc00011010nnnndddd11111001tttt", "STREXD A1",                     &Exclusive.Strexd<ArmFields.StrexdA1>, ArchVersion.V6K),
        new("cccc00011011nnnndddd111110011111", "LDREXD A1",                     &Exclusive.Ldrexd<ArmFields.LdrexdA1>, ArchVersion.V6K),
        new("cccc00011100nnnndddd11111001tttt", "STREXB A1",                     &Exclusive.Strexb<ArmFields.StrexbA1>, ArchVersion.V6K),
        new("cccc00011101nnnndddd111110011111", "LDREXB A1",                     &Exclusive.Ldrexb<ArmFields.LdrexbA1>, ArchVersion.V6K),
        new("cccc00011110nnnndddd11111001tttt", "STREXH A1",                     &Exclusive.Strexh<ArmFields.StrexhA1>, ArchVersion.V6K),
        new("cccc00011111nnnndddd111110011111", "LDREXH A1",                     &Exclusive.Ldrexh<ArmFields.LdrexhA1>, ArchVersion.V6K),

        // ---- Extra load/store instructions, unprivileged (A5.2.9; ARMv6T2): P=0, W=1 ---------
        new("cccc0000U110nnnnddddiiii1011iiii", "STRHT A1",                      &LoadStoreExtra.StrhtImmediate, ArchVersion.V6T2),
        new("cccc0000U010nnnndddd00001011mmmm", "STRHT A2",                      &LoadStoreExtra.StrhtRegister, ArchVersion.V6T2),
        new("cccc0000U111nnnnddddiiii1011iiii", "LDRHT A1",                      &LoadStoreExtra.LdrhtImmediate, ArchVersion.V6T2),
        new("cccc0000U011nnnndddd00001011mmmm", "LDRHT A2",                      &LoadStoreExtra.LdrhtRegister, ArchVersion.V6T2),
        new("cccc0000U111nnnnddddiiii1101iiii", "LDRSBT A1",                     &LoadStoreExtra.LdrsbtImmediate, ArchVersion.V6T2),
        new("cccc0000U011nnnndddd00001101mmmm", "LDRSBT A2",                     &LoadStoreExtra.LdrsbtRegister, ArchVersion.V6T2),
        new("cccc0000U111nnnnddddiiii1111iiii", "LDRSHT A1",                     &LoadStoreExtra.LdrshtImmediate, ArchVersion.V6T2),
        new("cccc0000U011nnnndddd00001111mmmm", "LDRSHT A2",                     &LoadStoreExtra.LdrshtRegister, ArchVersion.V6T2),

        // ---- MSR (immediate) and hints (A5.2.11; ARMv6K): R=0 with mask 0000 is the hint space.
        // Every value the ARM ARM does not allocate executes as NOP; QEMU's a32.decode ignores bits 11:8.
        new("cccc0011001000001111----vvvvvvvv", "NOP (unallocated hint) A1",        &Hints.Nop, ArchVersion.V6K, group: "msr-hints"),
        new("cccc0011001000001111----00000000", "NOP A1",                        &Hints.Nop, ArchVersion.V6K, group: "msr-hints"),
        new("cccc0011001000001111----00000001", "YIELD A1",                      &Hints.Nop, ArchVersion.V6K, group: "msr-hints"),
        new("cccc0011001000001111----00000010", "WFE A1",                        &Hints.Wfe, ArchVersion.V6K, group: "msr-hints"),
        new("cccc0011001000001111----00000011", "WFI A1",                        &Hints.Wfi, ArchVersion.V6K, group: "msr-hints"),
        new("cccc0011001000001111----00000100", "SEV A1",                        &Hints.Nop, ArchVersion.V6K, group: "msr-hints"),
        new("cccc0011001000001111----1111oooo", "DBG A1",                        &Hints.Nop, ArchVersion.V7, group: "msr-hints"),

        // ---- Parallel addition and subtraction, signed and unsigned (A5.4.1, A5.4.2; ARMv6) --
        new("cccc01100001nnnndddd11110001mmmm", "SADD16 A1",                     &ParallelAddSubtract.A1<SignedModular, Add16>, ArchVersion.V6),
        new("cccc01100001nnnndddd11110011mmmm", "SASX A1",                       &ParallelAddSubtract.A1<SignedModular, AddSubtractExchange>, ArchVersion.V6),
        new("cccc01100001nnnndddd11110101mmmm", "SSAX A1",                       &ParallelAddSubtract.A1<SignedModular, SubtractAddExchange>, ArchVersion.V6),
        new("cccc01100001nnnndddd11110111mmmm", "SSUB16 A1",                     &ParallelAddSubtract.A1<SignedModular, Subtract16>, ArchVersion.V6),
        new("cccc01100001nnnndddd11111001mmmm", "SADD8 A1",                      &ParallelAddSubtract.A1<SignedModular, Add8>, ArchVersion.V6),
        new("cccc01100001nnnndddd11111111mmmm", "SSUB8 A1",                      &ParallelAddSubtract.A1<SignedModular, Subtract8>, ArchVersion.V6),
        new("cccc01100010nnnndddd11110001mmmm", "QADD16 A1",                     &ParallelAddSubtract.A1<SignedSaturating, Add16>, ArchVersion.V6),
        new("cccc01100010nnnndddd11110011mmmm", "QASX A1",                       &ParallelAddSubtract.A1<SignedSaturating, AddSubtractExchange>, ArchVersion.V6),
        new("cccc01100010nnnndddd11110101mmmm", "QSAX A1",                       &ParallelAddSubtract.A1<SignedSaturating, SubtractAddExchange>, ArchVersion.V6),
        new("cccc01100010nnnndddd11110111mmmm", "QSUB16 A1",                     &ParallelAddSubtract.A1<SignedSaturating, Subtract16>, ArchVersion.V6),
        new("cccc01100010nnnndddd11111001mmmm", "QADD8 A1",                      &ParallelAddSubtract.A1<SignedSaturating, Add8>, ArchVersion.V6),
        new("cccc01100010nnnndddd11111111mmmm", "QSUB8 A1",                      &ParallelAddSubtract.A1<SignedSaturating, Subtract8>, ArchVersion.V6),
        new("cccc01100011nnnndddd11110001mmmm", "SHADD16 A1",                    &ParallelAddSubtract.A1<SignedHalving, Add16>, ArchVersion.V6),
        new("cccc01100011nnnndddd11110011mmmm", "SHASX A1",                      &ParallelAddSubtract.A1<SignedHalving, AddSubtractExchange>, ArchVersion.V6),
        new("cccc01100011nnnndddd11110101mmmm", "SHSAX A1",                      &ParallelAddSubtract.A1<SignedHalving, SubtractAddExchange>, ArchVersion.V6),
        new("cccc01100011nnnndddd11110111mmmm", "SHSUB16 A1",                    &ParallelAddSubtract.A1<SignedHalving, Subtract16>, ArchVersion.V6),
        new("cccc01100011nnnndddd11111001mmmm", "SHADD8 A1",                     &ParallelAddSubtract.A1<SignedHalving, Add8>, ArchVersion.V6),
        new("cccc01100011nnnndddd11111111mmmm", "SHSUB8 A1",                     &ParallelAddSubtract.A1<SignedHalving, Subtract8>, ArchVersion.V6),
        new("cccc01100101nnnndddd11110001mmmm", "UADD16 A1",                     &ParallelAddSubtract.A1<UnsignedModular, Add16>, ArchVersion.V6),
        new("cccc01100101nnnndddd11110011mmmm", "UASX A1",                       &ParallelAddSubtract.A1<UnsignedModular, AddSubtractExchange>, ArchVersion.V6),
        new("cccc01100101nnnndddd11110101mmmm", "USAX A1",                       &ParallelAddSubtract.A1<UnsignedModular, SubtractAddExchange>, ArchVersion.V6),
        new("cccc01100101nnnndddd11110111mmmm", "USUB16 A1",                     &ParallelAddSubtract.A1<UnsignedModular, Subtract16>, ArchVersion.V6),
        new("cccc01100101nnnndddd11111001mmmm", "UADD8 A1",                      &ParallelAddSubtract.A1<UnsignedModular, Add8>, ArchVersion.V6),
        new("cccc01100101nnnndddd11111111mmmm", "USUB8 A1",                      &ParallelAddSubtract.A1<UnsignedModular, Subtract8>, ArchVersion.V6),
        new("cccc01100110nnnndddd11110001mmmm", "UQADD16 A1",                    &ParallelAddSubtract.A1<UnsignedSaturating, Add16>, ArchVersion.V6),
        new("cccc01100110nnnndddd11110011mmmm", "UQASX A1",                      &ParallelAddSubtract.A1<UnsignedSaturating, AddSubtractExchange>, ArchVersion.V6),
        new("cccc01100110nnnndddd11110101mmmm", "UQSAX A1",                      &ParallelAddSubtract.A1<UnsignedSaturating, SubtractAddExchange>, ArchVersion.V6),
        new("cccc01100110nnnndddd11110111mmmm", "UQSUB16 A1",                    &ParallelAddSubtract.A1<UnsignedSaturating, Subtract16>, ArchVersion.V6),
        new("cccc01100110nnnndddd11111001mmmm", "UQADD8 A1",                     &ParallelAddSubtract.A1<UnsignedSaturating, Add8>, ArchVersion.V6),
        new("cccc01100110nnnndddd11111111mmmm", "UQSUB8 A1",                     &ParallelAddSubtract.A1<UnsignedSaturating, Subtract8>, ArchVersion.V6),
        new("cccc01100111nnnndddd11110001mmmm", "UHADD16 A1",                    &ParallelAddSubtract.A1<UnsignedHalving, Add16>, ArchVersion.V6),
        new("cccc01100111nnnndddd11110011mmmm", "UHASX A1",                      &ParallelAddSubtract.A1<UnsignedHalving, AddSubtractExchange>, ArchVersion.V6),
        new("cccc01100111nnnndddd11110101mmmm", "UHSAX A1",                      &ParallelAddSubtract.A1<UnsignedHalving, SubtractAddExchange>, ArchVersion.V6),
        new("cccc01100111nnnndddd11110111mmmm", "UHSUB16 A1",                    &ParallelAddSubtract.A1<UnsignedHalving, Subtract16>, ArchVersion.V6),
        new("cccc01100111nnnndddd11111001mmmm", "UHADD8 A1",                     &ParallelAddSubtract.A1<UnsignedHalving, Add8>, ArchVersion.V6),
        new("cccc01100111nnnndddd11111111mmmm", "UHSUB8 A1",                     &ParallelAddSubtract.A1<UnsignedHalving, Subtract8>, ArchVersion.V6),

        // ---- Packing, unpacking, saturation and reversal (A5.4.3) ---------------------------
        new("cccc01101000nnnnddddiiiiit01mmmm", "PKHBT, PKHTB A1",               &Media.PkhA1, ArchVersion.V6),
        new("cccc01101000nnnndddd11111011mmmm", "SEL A1",                        &Media.SelA1, ArchVersion.V6),
        new("cccc0110101sssssddddiiiiih01nnnn", "SSAT A1",                       &Saturating.Ssat<ArmFields.SsatA1>, ArchVersion.V6),
        new("cccc01101010ssssdddd11110011nnnn", "SSAT16 A1",                     &Saturating.Ssat16<ArmFields.Ssat16A1>, ArchVersion.V6),
        new("cccc0110111sssssddddiiiiih01nnnn", "USAT A1",                       &Saturating.Usat<ArmFields.UsatA1>, ArchVersion.V6),
        new("cccc01101110ssssdddd11110011nnnn", "USAT16 A1",                     &Saturating.Usat16<ArmFields.Usat16A1>, ArchVersion.V6),
        new("cccc011010111111dddd11110011mmmm", "REV A1",                        &Reverse.RevA1, ArchVersion.V6),
        new("cccc011010111111dddd11111011mmmm", "REV16 A1",                      &Reverse.Rev16A1, ArchVersion.V6),
        new("cccc011011111111dddd11111011mmmm", "REVSH A1",                      &Reverse.RevshA1, ArchVersion.V6),
        new("cccc011011111111dddd11110011mmmm", "RBIT A1",                       &Reverse.RbitA1, ArchVersion.V6T2),
        // The extends: Rn = 1111 is the plain form, more specific than the accumulating one.
        new("cccc01101000nnnnddddrr000111mmmm", "SXTAB16 A1",                    &Extend.Execute<SignedByte16, ArmFields.Sxtab16A1>, ArchVersion.V6, group: "sxtb16"),
        new("cccc011010001111ddddrr000111mmmm", "SXTB16 A1",                     &Extend.Execute<SignedByte16, ArmFields.Sxtb16A1>, ArchVersion.V6, group: "sxtb16"),
        new("cccc01101010nnnnddddrr000111mmmm", "SXTAB A1",                      &Extend.Execute<SignedByte, ArmFields.SxtabA1>, ArchVersion.V6, group: "sxtb"),
        new("cccc011010101111ddddrr000111mmmm", "SXTB A1",                       &Extend.Execute<SignedByte, ArmFields.SxtbA1>, ArchVersion.V6, group: "sxtb"),
        new("cccc01101011nnnnddddrr000111mmmm", "SXTAH A1",                      &Extend.Execute<SignedHalfword, ArmFields.SxtahA1>, ArchVersion.V6, group: "sxth"),
        new("cccc011010111111ddddrr000111mmmm", "SXTH A1",                       &Extend.Execute<SignedHalfword, ArmFields.SxthA1>, ArchVersion.V6, group: "sxth"),
        new("cccc01101100nnnnddddrr000111mmmm", "UXTAB16 A1",                    &Extend.Execute<UnsignedByte16, ArmFields.Uxtab16A1>, ArchVersion.V6, group: "uxtb16"),
        new("cccc011011001111ddddrr000111mmmm", "UXTB16 A1",                     &Extend.Execute<UnsignedByte16, ArmFields.Uxtb16A1>, ArchVersion.V6, group: "uxtb16"),
        new("cccc01101110nnnnddddrr000111mmmm", "UXTAB A1",                      &Extend.Execute<UnsignedByte, ArmFields.UxtabA1>, ArchVersion.V6, group: "uxtb"),
        new("cccc011011101111ddddrr000111mmmm", "UXTB A1",                       &Extend.Execute<UnsignedByte, ArmFields.UxtbA1>, ArchVersion.V6, group: "uxtb"),
        new("cccc01101111nnnnddddrr000111mmmm", "UXTAH A1",                      &Extend.Execute<UnsignedHalfword, ArmFields.UxtahA1>, ArchVersion.V6, group: "uxth"),
        new("cccc011011111111ddddrr000111mmmm", "UXTH A1",                       &Extend.Execute<UnsignedHalfword, ArmFields.UxthA1>, ArchVersion.V6, group: "uxth"),

        // ---- Signed multiply, signed and unsigned divide (A5.4.4) ---------------------------
        new("cccc01110000ddddaaaammmm00M1nnnn", "SMLAD A1",                      &SignedMultiply.Smlad<ArmFields.SmladA1>, ArchVersion.V6, group: "smlad"),
        new("cccc01110000dddd1111mmmm00M1nnnn", "SMUAD A1",                      &SignedMultiply.Smlad<ArmFields.SmuadA1>, ArchVersion.V6, group: "smlad"),
        new("cccc01110000ddddaaaammmm01M1nnnn", "SMLSD A1",                      &SignedMultiply.Smlsd<ArmFields.SmlsdA1>, ArchVersion.V6, group: "smlsd"),
        new("cccc01110000dddd1111mmmm01M1nnnn", "SMUSD A1",                      &SignedMultiply.Smlsd<ArmFields.SmusdA1>, ArchVersion.V6, group: "smlsd"),
        new("cccc01110001dddd1111mmmm0001nnnn", "SDIV A1",                       &Divide.SdivA1, ArchVersion.V7, requires: CpuFeature.ArmDivide),
        new("cccc01110011dddd1111mmmm0001nnnn", "UDIV A1",                       &Divide.UdivA1, ArchVersion.V7, requires: CpuFeature.ArmDivide),
        new("cccc01110100hhhhllllmmmm00M1nnnn", "SMLALD A1",                     &SignedMultiply.Smlald<ArmFields.SmlaldA1>, ArchVersion.V6),
        new("cccc01110100hhhhllllmmmm01M1nnnn", "SMLSLD A1",                     &SignedMultiply.Smlsld<ArmFields.SmlsldA1>, ArchVersion.V6),
        new("cccc01110101ddddaaaammmm00R1nnnn", "SMMLA A1",                      &SignedMultiply.Smmla<ArmFields.SmmlaA1>, ArchVersion.V6, group: "smmla"),
        new("cccc01110101dddd1111mmmm00R1nnnn", "SMMUL A1",                      &SignedMultiply.Smmla<ArmFields.SmmulA1>, ArchVersion.V6, group: "smmla"),
        new("cccc01110101ddddaaaammmm11R1nnnn", "SMMLS A1",                      &SignedMultiply.Smmls<ArmFields.SmmlsA1>, ArchVersion.V6),

        // ---- Media: sum of absolute differences and bit fields (A5.4) -----------------------
        new("cccc01111000ddddaaaammmm0001nnnn", "USADA8 A1",                     &Media.Usada8A1, ArchVersion.V6, group: "usad8"),
        new("cccc01111000dddd1111mmmm0001nnnn", "USAD8 A1",                      &Media.Usada8A1, ArchVersion.V6, group: "usad8"),
        new("cccc0111101wwwwwddddlllll101nnnn", "SBFX A1",                       &Bitfield.Sbfx<ArmFields.SbfxA1>, ArchVersion.V6T2),
        new("cccc0111110mmmmmddddlllll001nnnn", "BFI A1",                        &Bitfield.Bfi<ArmFields.BfiA1>, ArchVersion.V6T2, group: "bfi"),
        new("cccc0111110mmmmmddddlllll0011111", "BFC A1",                        &Bitfield.Bfc<ArmFields.BfcA1>, ArchVersion.V6T2, group: "bfi"),
        new("cccc0111111wwwwwddddlllll101nnnn", "UBFX A1",                       &Bitfield.Ubfx<ArmFields.UbfxA1>, ArchVersion.V6T2),

        // ---- Security and Virtualization Extensions (DDI 0406C B9.3): SMC, HVC, ERET, banked MRS/MSR --
        // HVC has no condition (cond != 1110 is UNPREDICTABLE; QEMU's a32.decode fixes 1110, as here).
        new("cccc000101100000000000000111iiii", "SMC A1",                        &ExceptionGenerating.Smc, ArchVersion.V6, requires: CpuFeature.Security, flags: EncodingFlags.MayFault),
        new("111000010100iiiiiiiiiiii0111iiii", "HVC A1",                        &ExceptionGenerating.Hvc, ArchVersion.V7, requires: CpuFeature.Virtualization, flags: EncodingFlags.MayFault),
        new("cccc0001011000000000000001101110", "ERET A1",                       &ExceptionGenerating.Eret, ArchVersion.V7, requires: CpuFeature.Virtualization, flags: EncodingFlags.Return),
        new("cccc00010R00mmmmdddd001M00000000", "MRS (Banked register) A1",      &StatusRegister.MrsBankedA1, ArchVersion.V7, requires: CpuFeature.Virtualization),
        new("cccc00010R10mmmm1111001M0000nnnn", "MSR (Banked register) A1",      &StatusRegister.MsrBankedA1, ArchVersion.V7, requires: CpuFeature.Virtualization),

        // ---- Unconditional instructions (A5.7): processor state, barriers, memory hints -----
        new("111100010000ooM00000000AIF0mmmmm", "CPS A1",                        &ProcessorState.CpsA1, ArchVersion.V6),
        new("1111000100000001000000E000000000", "SETEND A1",                     &ProcessorState.SetendA1, ArchVersion.V6),
        new("1111100PU1W0110100000101000mmmmm", "SRS A1",                        &ProcessorState.SrsA1, ArchVersion.V6),
        new("1111100PU0W1nnnn0000101000000000", "RFE A1",                        &ProcessorState.RfeA1, ArchVersion.V6),
        new("11110101011111111111000000011111", "CLREX A1",                      &Exclusive.Clrex, ArchVersion.V6K),
        new("1111010101111111111100000100oooo", "DSB A1",                        &Barriers.Dsb, ArchVersion.V7),
        new("1111010101111111111100000101oooo", "DMB A1",                        &Barriers.Dmb, ArchVersion.V7),
        new("1111010101111111111100000110oooo", "ISB A1",                        &Barriers.Isb, ArchVersion.V7),
        new("11110100U101nnnn1111iiiiiiiiiiii", "PLI (immediate, literal) A1",   &Hints.Pld, ArchVersion.V7),
        new("11110110U101nnnn1111iiiiitt0mmmm", "PLI (register) A1",             &Hints.Pld, ArchVersion.V7),
        new("11110101U001nnnn1111iiiiiiiiiiii", "PLDW (immediate) A1",           &Hints.Pld, ArchVersion.V7, requires: CpuFeature.Multiprocessing),
        new("11110111U001nnnn1111iiiiitt0mmmm", "PLDW (register) A1",            &Hints.Pld, ArchVersion.V7, requires: CpuFeature.Multiprocessing),
    ];
}
