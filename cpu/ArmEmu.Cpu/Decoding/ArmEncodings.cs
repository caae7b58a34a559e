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
public static unsafe class ArmEncodings
{
    public static readonly EncodingRow[] Rows =
    [
        // ---- Data processing (A3.4, A4.1) ---------------------------------------------------
        // TST/TEQ/CMP/CMN have S fixed to 1: with S=0 the space holds the miscellaneous group below.
        new("cccc0010000Snnnnddddrrrrvvvvvvvv", "AND (immediate)", &DataProcessing.Execute<And, ImmediateOperand>),
        new("cccc0000000Snnnnddddiiiiitt0mmmm", "AND (register)", &DataProcessing.Execute<And, ImmediateShiftOperand>),
        new("cccc0000000Snnnnddddssss0tt1mmmm", "AND (register-shifted register)", &DataProcessing.Execute<And, RegisterShiftOperand>),
        new("cccc0010001Snnnnddddrrrrvvvvvvvv", "EOR (immediate)", &DataProcessing.Execute<Eor, ImmediateOperand>),
        new("cccc0000001Snnnnddddiiiiitt0mmmm", "EOR (register)", &DataProcessing.Execute<Eor, ImmediateShiftOperand>),
        new("cccc0000001Snnnnddddssss0tt1mmmm", "EOR (register-shifted register)", &DataProcessing.Execute<Eor, RegisterShiftOperand>),
        new("cccc0010010Snnnnddddrrrrvvvvvvvv", "SUB (immediate)", &DataProcessing.Execute<Sub, ImmediateOperand>),
        new("cccc0000010Snnnnddddiiiiitt0mmmm", "SUB (register)", &DataProcessing.Execute<Sub, ImmediateShiftOperand>),
        new("cccc0000010Snnnnddddssss0tt1mmmm", "SUB (register-shifted register)", &DataProcessing.Execute<Sub, RegisterShiftOperand>),
        new("cccc0010011Snnnnddddrrrrvvvvvvvv", "RSB (immediate)", &DataProcessing.Execute<Rsb, ImmediateOperand>),
        new("cccc0000011Snnnnddddiiiiitt0mmmm", "RSB (register)", &DataProcessing.Execute<Rsb, ImmediateShiftOperand>),
        new("cccc0000011Snnnnddddssss0tt1mmmm", "RSB (register-shifted register)", &DataProcessing.Execute<Rsb, RegisterShiftOperand>),
        new("cccc0010100Snnnnddddrrrrvvvvvvvv", "ADD (immediate)", &DataProcessing.Execute<Add, ImmediateOperand>),
        new("cccc0000100Snnnnddddiiiiitt0mmmm", "ADD (register)", &DataProcessing.Execute<Add, ImmediateShiftOperand>),
        new("cccc0000100Snnnnddddssss0tt1mmmm", "ADD (register-shifted register)", &DataProcessing.Execute<Add, RegisterShiftOperand>),
        new("cccc0010101Snnnnddddrrrrvvvvvvvv", "ADC (immediate)", &DataProcessing.Execute<Adc, ImmediateOperand>),
        new("cccc0000101Snnnnddddiiiiitt0mmmm", "ADC (register)", &DataProcessing.Execute<Adc, ImmediateShiftOperand>),
        new("cccc0000101Snnnnddddssss0tt1mmmm", "ADC (register-shifted register)", &DataProcessing.Execute<Adc, RegisterShiftOperand>),
        new("cccc0010110Snnnnddddrrrrvvvvvvvv", "SBC (immediate)", &DataProcessing.Execute<Sbc, ImmediateOperand>),
        new("cccc0000110Snnnnddddiiiiitt0mmmm", "SBC (register)", &DataProcessing.Execute<Sbc, ImmediateShiftOperand>),
        new("cccc0000110Snnnnddddssss0tt1mmmm", "SBC (register-shifted register)", &DataProcessing.Execute<Sbc, RegisterShiftOperand>),
        new("cccc0010111Snnnnddddrrrrvvvvvvvv", "RSC (immediate)", &DataProcessing.Execute<Rsc, ImmediateOperand>),
        new("cccc0000111Snnnnddddiiiiitt0mmmm", "RSC (register)", &DataProcessing.Execute<Rsc, ImmediateShiftOperand>),
        new("cccc0000111Snnnnddddssss0tt1mmmm", "RSC (register-shifted register)", &DataProcessing.Execute<Rsc, RegisterShiftOperand>),
        new("cccc00110001nnnnddddrrrrvvvvvvvv", "TST (immediate)", &DataProcessing.Execute<Tst, ImmediateOperand>),
        new("cccc00010001nnnnddddiiiiitt0mmmm", "TST (register)", &DataProcessing.Execute<Tst, ImmediateShiftOperand>),
        new("cccc00010001nnnnddddssss0tt1mmmm", "TST (register-shifted register)", &DataProcessing.Execute<Tst, RegisterShiftOperand>),
        new("cccc00110011nnnnddddrrrrvvvvvvvv", "TEQ (immediate)", &DataProcessing.Execute<Teq, ImmediateOperand>),
        new("cccc00010011nnnnddddiiiiitt0mmmm", "TEQ (register)", &DataProcessing.Execute<Teq, ImmediateShiftOperand>),
        new("cccc00010011nnnnddddssss0tt1mmmm", "TEQ (register-shifted register)", &DataProcessing.Execute<Teq, RegisterShiftOperand>),
        new("cccc00110101nnnnddddrrrrvvvvvvvv", "CMP (immediate)", &DataProcessing.Execute<Cmp, ImmediateOperand>),
        new("cccc00010101nnnnddddiiiiitt0mmmm", "CMP (register)", &DataProcessing.Execute<Cmp, ImmediateShiftOperand>),
        new("cccc00010101nnnnddddssss0tt1mmmm", "CMP (register-shifted register)", &DataProcessing.Execute<Cmp, RegisterShiftOperand>),
        new("cccc00110111nnnnddddrrrrvvvvvvvv", "CMN (immediate)", &DataProcessing.Execute<Cmn, ImmediateOperand>),
        new("cccc00010111nnnnddddiiiiitt0mmmm", "CMN (register)", &DataProcessing.Execute<Cmn, ImmediateShiftOperand>),
        new("cccc00010111nnnnddddssss0tt1mmmm", "CMN (register-shifted register)", &DataProcessing.Execute<Cmn, RegisterShiftOperand>),
        new("cccc0011100Snnnnddddrrrrvvvvvvvv", "ORR (immediate)", &DataProcessing.Execute<Orr, ImmediateOperand>),
        new("cccc0001100Snnnnddddiiiiitt0mmmm", "ORR (register)", &DataProcessing.Execute<Orr, ImmediateShiftOperand>),
        new("cccc0001100Snnnnddddssss0tt1mmmm", "ORR (register-shifted register)", &DataProcessing.Execute<Orr, RegisterShiftOperand>),
        new("cccc0011101Snnnnddddrrrrvvvvvvvv", "MOV (immediate)", &DataProcessing.Execute<Mov, ImmediateOperand>),
        new("cccc0001101Snnnnddddiiiiitt0mmmm", "MOV (register)", &DataProcessing.Execute<Mov, ImmediateShiftOperand>, flags: EncodingFlags.Return, returnForm: "cccc0001101000001111000000001110"),
        new("cccc0001101Snnnnddddssss0tt1mmmm", "MOV (register-shifted register)", &DataProcessing.Execute<Mov, RegisterShiftOperand>),
        new("cccc0011110Snnnnddddrrrrvvvvvvvv", "BIC (immediate)", &DataProcessing.Execute<Bic, ImmediateOperand>),
        new("cccc0001110Snnnnddddiiiiitt0mmmm", "BIC (register)", &DataProcessing.Execute<Bic, ImmediateShiftOperand>),
        new("cccc0001110Snnnnddddssss0tt1mmmm", "BIC (register-shifted register)", &DataProcessing.Execute<Bic, RegisterShiftOperand>),
        new("cccc0011111Snnnnddddrrrrvvvvvvvv", "MVN (immediate)", &DataProcessing.Execute<Mvn, ImmediateOperand>),
        new("cccc0001111Snnnnddddiiiiitt0mmmm", "MVN (register)", &DataProcessing.Execute<Mvn, ImmediateShiftOperand>),
        new("cccc0001111Snnnnddddssss0tt1mmmm", "MVN (register-shifted register)", &DataProcessing.Execute<Mvn, RegisterShiftOperand>),

        // ---- Miscellaneous (A3.16 figure A3-4: opcode 10xx with S=0) ------------------------
        new("cccc00010R001111dddd000000000000", "MRS",                           &StatusRegister.Mrs),
        new("cccc00010R10ffff111100000000mmmm", "MSR (register)",                &StatusRegister.MsrRegister),
        new("cccc00110R10ffff1111rrrrvvvvvvvv", "MSR (immediate)",               &StatusRegister.MsrImmediate),
        new("cccc000100101111111111110001mmmm", "BX",                            &Branch.Bx, flags: EncodingFlags.Branch | EncodingFlags.Return, returnForm: "cccc0001001011111111111100011110"),
        new("cccc000100101111111111110011mmmm", "BLX (register)",                &Branch.BlxRegister,        ArchVersion.V5T, flags: EncodingFlags.Call),
        new("cccc000101101111dddd11110001mmmm", "CLZ",                           &DataProcessing.Clz,        ArchVersion.V5T),
        new("cccc00010010vvvvvvvvvvvv0111vvvv", "BKPT",                          &ExceptionGenerating.Bkpt,  ArchVersion.V5T),
        new("cccc00010000nnnndddd00000101mmmm", "QADD",                          &Saturating.Qadd,           ArchVersion.V5TE),
        new("cccc00010010nnnndddd00000101mmmm", "QSUB",                          &Saturating.Qsub,           ArchVersion.V5TE),
        new("cccc00010100nnnndddd00000101mmmm", "QDADD",                         &Saturating.Qdadd,          ArchVersion.V5TE),
        new("cccc00010110nnnndddd00000101mmmm", "QDSUB",                         &Saturating.Qdsub,          ArchVersion.V5TE),

        // ---- Multiply (A3.5) and the DSP multiplies (A3.5.3, v5TE) ------------------------
        new("cccc0000000Sdddd0000ssss1001mmmm", "MUL",                           &Multiply.Mul),
        new("cccc0000001Sddddnnnnssss1001mmmm", "MLA",                           &Multiply.Mla),
        new("cccc0000100Shhhhllllssss1001mmmm", "UMULL",                         &Multiply.Umull),
        new("cccc0000101Shhhhllllssss1001mmmm", "UMLAL",                         &Multiply.Umlal),
        new("cccc0000110Shhhhllllssss1001mmmm", "SMULL",                         &Multiply.Smull),
        new("cccc0000111Shhhhllllssss1001mmmm", "SMLAL",                         &Multiply.Smlal),
        new("cccc00010000ddddnnnnssss1yx0mmmm", "SMLA<x><y>",                    &Multiply.Smlaxy,           ArchVersion.V5TE),
        new("cccc00010010ddddnnnnssss1y00mmmm", "SMLAW<y>",                      &Multiply.Smlawy,           ArchVersion.V5TE),
        new("cccc00010010dddd0000ssss1y10mmmm", "SMULW<y>",                      &Multiply.Smulwy,           ArchVersion.V5TE),
        new("cccc00010100hhhhllllssss1yx0mmmm", "SMLAL<x><y>",                   &Multiply.Smlalxy,          ArchVersion.V5TE),
        new("cccc00010110dddd0000ssss1yx0mmmm", "SMUL<x><y>",                    &Multiply.Smulxy,           ArchVersion.V5TE),

        // ---- Swap (A4.1.108/109) -------------------------------------------------------------
        new("cccc00010000nnnndddd00001001mmmm", "SWP",                           &Synchronization.Swp),
        new("cccc00010100nnnndddd00001001mmmm", "SWPB",                          &Synchronization.Swpb),

        // ---- Load and store word or unsigned byte (A3.11, A5.2) -----------------------------
        // P=1: offset or pre-indexed (W); P=0 W=0: post-indexed; P=0 W=1: the T (user-mode) forms.
        new("cccc0101U0W0nnnnddddiiiiiiiiiiii", "STR (immediate)",               &LoadStore.StrImmediate),
        new("cccc0100U000nnnnddddiiiiiiiiiiii", "STR (immediate, post-indexed)", &LoadStore.StrImmediatePost),
        new("cccc0100U010nnnnddddiiiiiiiiiiii", "STRT (immediate)",              &LoadStore.StrtImmediate),
        new("cccc0111U0W0nnnnddddiiiiitt0mmmm", "STR (register)",                &LoadStore.StrRegister),
        new("cccc0110U000nnnnddddiiiiitt0mmmm", "STR (register, post-indexed)",  &LoadStore.StrRegisterPost),
        new("cccc0110U010nnnnddddiiiiitt0mmmm", "STRT (register)",               &LoadStore.StrtRegister),
        new("cccc0101U1W0nnnnddddiiiiiiiiiiii", "STRB (immediate)",              &LoadStore.StrbImmediate),
        new("cccc0100U100nnnnddddiiiiiiiiiiii", "STRB (immediate, post-indexed)",&LoadStore.StrbImmediatePost),
        new("cccc0100U110nnnnddddiiiiiiiiiiii", "STRBT (immediate)",             &LoadStore.StrbtImmediate),
        new("cccc0111U1W0nnnnddddiiiiitt0mmmm", "STRB (register)",               &LoadStore.StrbRegister),
        new("cccc0110U100nnnnddddiiiiitt0mmmm", "STRB (register, post-indexed)", &LoadStore.StrbRegisterPost),
        new("cccc0110U110nnnnddddiiiiitt0mmmm", "STRBT (register)",              &LoadStore.StrbtRegister),
        new("cccc0101U0W1nnnnddddiiiiiiiiiiii", "LDR (immediate)",               &LoadStore.LdrImmediate, flags: EncodingFlags.Return, returnForm: "cccc0101U0W1nnnn1111iiiiiiiiiiii"),
        new("cccc0100U001nnnnddddiiiiiiiiiiii", "LDR (immediate, post-indexed)", &LoadStore.LdrImmediatePost, flags: EncodingFlags.Return, returnForm: "cccc0100U001nnnn1111iiiiiiiiiiii"),
        new("cccc0100U011nnnnddddiiiiiiiiiiii", "LDRT (immediate)",              &LoadStore.LdrtImmediate, flags: EncodingFlags.Return, returnForm: "cccc0100U011nnnn1111iiiiiiiiiiii"),
        new("cccc0111U0W1nnnnddddiiiiitt0mmmm", "LDR (register)",                &LoadStore.LdrRegister, flags: EncodingFlags.Return, returnForm: "cccc0111U0W1nnnn1111iiiiitt0mmmm"),
        new("cccc0110U001nnnnddddiiiiitt0mmmm", "LDR (register, post-indexed)",  &LoadStore.LdrRegisterPost, flags: EncodingFlags.Return, returnForm: "cccc0110U001nnnn1111iiiiitt0mmmm"),
        new("cccc0110U011nnnnddddiiiiitt0mmmm", "LDRT (register)",               &LoadStore.LdrtRegister, flags: EncodingFlags.Return, returnForm: "cccc0110U011nnnn1111iiiiitt0mmmm"),
        new("cccc0101U1W1nnnnddddiiiiiiiiiiii", "LDRB (immediate)",              &LoadStore.LdrbImmediate),
        new("cccc0100U101nnnnddddiiiiiiiiiiii", "LDRB (immediate, post-indexed)",&LoadStore.LdrbImmediatePost),
        new("cccc0100U111nnnnddddiiiiiiiiiiii", "LDRBT (immediate)",             &LoadStore.LdrbtImmediate),
        new("cccc0111U1W1nnnnddddiiiiitt0mmmm", "LDRB (register)",               &LoadStore.LdrbRegister),
        new("cccc0110U101nnnnddddiiiiitt0mmmm", "LDRB (register, post-indexed)", &LoadStore.LdrbRegisterPost),
        new("cccc0110U111nnnnddddiiiiitt0mmmm", "LDRBT (register)",              &LoadStore.LdrbtRegister),

        // ---- Load and store halfword, signed byte, doubleword (A3.13, A5.3) -----------------
        // P=0 with W=1 is UNPREDICTABLE before the v6T2 "T" forms; QEMU makes it UNDEFINED, so no row.
        new("cccc0001U1W0nnnnddddiiii1011iiii", "STRH (immediate)",              &LoadStoreExtra.StrhImmediate),
        new("cccc0000U100nnnnddddiiii1011iiii", "STRH (immediate, post-indexed)",&LoadStoreExtra.StrhImmediatePost),
        new("cccc0001U0W0nnnndddd00001011mmmm", "STRH (register)",               &LoadStoreExtra.StrhRegister),
        new("cccc0000U000nnnndddd00001011mmmm", "STRH (register, post-indexed)", &LoadStoreExtra.StrhRegisterPost),
        new("cccc0001U1W1nnnnddddiiii1011iiii", "LDRH (immediate)",              &LoadStoreExtra.LdrhImmediate),
        new("cccc0000U101nnnnddddiiii1011iiii", "LDRH (immediate, post-indexed)",&LoadStoreExtra.LdrhImmediatePost),
        new("cccc0001U0W1nnnndddd00001011mmmm", "LDRH (register)",               &LoadStoreExtra.LdrhRegister),
        new("cccc0000U001nnnndddd00001011mmmm", "LDRH (register, post-indexed)", &LoadStoreExtra.LdrhRegisterPost),
        new("cccc0001U1W1nnnnddddiiii1101iiii", "LDRSB (immediate)",             &LoadStoreExtra.LdrsbImmediate),
        new("cccc0000U101nnnnddddiiii1101iiii", "LDRSB (immediate, post-indexed)",&LoadStoreExtra.LdrsbImmediatePost),
        new("cccc0001U0W1nnnndddd00001101mmmm", "LDRSB (register)",              &LoadStoreExtra.LdrsbRegister),
        new("cccc0000U001nnnndddd00001101mmmm", "LDRSB (register, post-indexed)",&LoadStoreExtra.LdrsbRegisterPost),
        new("cccc0001U1W1nnnnddddiiii1111iiii", "LDRSH (immediate)",             &LoadStoreExtra.LdrshImmediate),
        new("cccc0000U101nnnnddddiiii1111iiii", "LDRSH (immediate, post-indexed)",&LoadStoreExtra.LdrshImmediatePost),
        new("cccc0001U0W1nnnndddd00001111mmmm", "LDRSH (register)",              &LoadStoreExtra.LdrshRegister),
        new("cccc0000U001nnnndddd00001111mmmm", "LDRSH (register, post-indexed)",&LoadStoreExtra.LdrshRegisterPost),
        new("cccc0001U1W0nnnnddddiiii1101iiii", "LDRD (immediate)",              &LoadStoreExtra.LdrdImmediate,     ArchVersion.V5TE),
        new("cccc0000U100nnnnddddiiii1101iiii", "LDRD (immediate, post-indexed)",&LoadStoreExtra.LdrdImmediatePost, ArchVersion.V5TE),
        new("cccc0001U0W0nnnndddd00001101mmmm", "LDRD (register)",               &LoadStoreExtra.LdrdRegister,      ArchVersion.V5TE),
        new("cccc0000U000nnnndddd00001101mmmm", "LDRD (register, post-indexed)", &LoadStoreExtra.LdrdRegisterPost,  ArchVersion.V5TE),
        new("cccc0001U1W0nnnnddddiiii1111iiii", "STRD (immediate)",              &LoadStoreExtra.StrdImmediate,     ArchVersion.V5TE),
        new("cccc0000U100nnnnddddiiii1111iiii", "STRD (immediate, post-indexed)",&LoadStoreExtra.StrdImmediatePost, ArchVersion.V5TE),
        new("cccc0001U0W0nnnndddd00001111mmmm", "STRD (register)",               &LoadStoreExtra.StrdRegister,      ArchVersion.V5TE),
        new("cccc0000U000nnnndddd00001111mmmm", "STRD (register, post-indexed)", &LoadStoreExtra.StrdRegisterPost,  ArchVersion.V5TE),

        // ---- Load and store multiple (A3.12, A5.4) -------------------------------------------
        new("cccc100PU0W0nnnnrrrrrrrrrrrrrrrr", "STM",                           &LoadStoreMultiple.Stm),
        new("cccc100PU0W1nnnnrrrrrrrrrrrrrrrr", "LDM",                           &LoadStoreMultiple.Ldm, flags: EncodingFlags.Return, returnForm: "cccc100PU0W1nnnn1rrrrrrrrrrrrrrr"),
        new("cccc100PU1W0nnnnrrrrrrrrrrrrrrrr", "STM (user registers)",          &LoadStoreMultiple.StmUser),
        new("cccc100PU1W1nnnn0rrrrrrrrrrrrrrr", "LDM (user registers)",          &LoadStoreMultiple.LdmUser),
        new("cccc100PU1W1nnnn1rrrrrrrrrrrrrrr", "LDM (exception return)",        &LoadStoreMultiple.LdmExceptionReturn, flags: EncodingFlags.Return),

        // ---- Branches and exception generation (A3.3, A3.15) ---------------------------------
        new("cccc1010vvvvvvvvvvvvvvvvvvvvvvvv", "B",                             &Branch.B, flags: EncodingFlags.Branch),
        new("cccc1011vvvvvvvvvvvvvvvvvvvvvvvv", "BL",                            &Branch.Bl, flags: EncodingFlags.Call),
        new("1111101hvvvvvvvvvvvvvvvvvvvvvvvv", "BLX (immediate)",               &Branch.BlxImmediate,       ArchVersion.V5T, flags: EncodingFlags.Call),
        new("cccc1111vvvvvvvvvvvvvvvvvvvvvvvv", "SVC",                           &ExceptionGenerating.Svc, flags: EncodingFlags.SupervisorCall),

        // ---- Coprocessor (A3.14) ---------------------------------------------------------
        // LDC/STC: P=1 offset/pre-indexed, P=0 W=1 post-indexed, P=0 W=0 U=1 unindexed;
        // P=0 W=0 U=0 is the MCRR/MRRC space (v5TE).
        new("cccc1110oooonnnnddddppppxxx0mmmm", "CDP",                           &Coprocessor.Cdp, group: VfpEncodings.Group),
        new("cccc1110ooo0nnnnddddppppxxx1mmmm", "MCR",                           &Coprocessor.Mcr, group: VfpEncodings.Group),
        new("cccc1110ooo1nnnnddddppppxxx1mmmm", "MRC",                           &Coprocessor.Mrc, group: VfpEncodings.Group),
        new("cccc11000100hhhhllllppppoooommmm", "MCRR",                          &Coprocessor.Mcrr,          ArchVersion.V5TE, group: VfpEncodings.Group),
        new("cccc11000101hhhhllllppppoooommmm", "MRRC",                          &Coprocessor.Mrrc,          ArchVersion.V5TE, group: VfpEncodings.Group),
        new("cccc1101UNWLnnnnddddppppvvvvvvvv", "LDC/STC (offset, pre-indexed)", &Coprocessor.LdcStc, group: VfpEncodings.Group),
        new("cccc1100UN1Lnnnnddddppppvvvvvvvv", "LDC/STC (post-indexed)",        &Coprocessor.LdcStc, group: VfpEncodings.Group),
        new("cccc11001N0Lnnnnddddppppvvvvvvvv", "LDC/STC (unindexed)",           &Coprocessor.LdcStc, group: VfpEncodings.Group),
        new("11111110oooonnnnddddppppxxx0mmmm", "CDP2",                          &Coprocessor.Cdp,           ArchVersion.V5T, group: VfpEncodings.Group),
        new("11111110ooo0nnnnddddppppxxx1mmmm", "MCR2",                          &Coprocessor.Mcr,           ArchVersion.V5T, group: VfpEncodings.Group),
        new("11111110ooo1nnnnddddppppxxx1mmmm", "MRC2",                          &Coprocessor.Mrc,           ArchVersion.V5T, group: VfpEncodings.Group),
        new("11111101UNWLnnnnddddppppvvvvvvvv", "LDC2/STC2 (offset, pre-indexed)",&Coprocessor.LdcStc,       ArchVersion.V5T, group: VfpEncodings.Group),
        new("11111100UN1Lnnnnddddppppvvvvvvvv", "LDC2/STC2 (post-indexed)",      &Coprocessor.LdcStc,        ArchVersion.V5T, group: VfpEncodings.Group),
        new("111111001N0Lnnnnddddppppvvvvvvvv", "LDC2/STC2 (unindexed)",         &Coprocessor.LdcStc,        ArchVersion.V5T, group: VfpEncodings.Group),

        // ---- Hints (A4.1.45) -----------------------------------------------------------------
        new("11110101U101nnnn1111iiiiiiiiiiii", "PLD (immediate)",               &Hints.Pld,                 ArchVersion.V5TE),
        new("11110111U101nnnn1111iiiiitt0mmmm", "PLD (register)",                &Hints.Pld,                 ArchVersion.V5TE),
    ];
}
