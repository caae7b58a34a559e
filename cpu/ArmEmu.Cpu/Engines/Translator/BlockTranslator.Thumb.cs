using System.Numerics;
using System.Reflection;
using System.Reflection.Emit;
using ArmEmu.Cpu.Decoding;
using ArmEmu.Cpu.Interpreter;
using ArmEmu.Memory;

namespace ArmEmu.Cpu.Engines.Translator;

/// <summary>
/// Thumb blocks (16-bit Thumb and T32). A Thumb instruction whose semantics an A32 form shares
/// is lowered to that A32 word (<see cref="ThumbInstruction.Word"/>) and emitted by the ARM
/// emitters: data processing with its flag rule made explicit (a 16-bit form sets flags outside
/// an IT block and not inside, DDI 0406C A6.2), single loads and stores, LDM/STM/PUSH/POP,
/// MUL/MLA, B/BL. What A32 cannot encode is carried beside the word: the T32 immediates
/// (ThumbExpandImm, imm12, imm16), a branch's target, and R15's value (PC + 4, or Align(PC, 4)
/// for the literal and ADR forms). CBZ/CBNZ and IT have emitters of their own. Every other
/// instruction calls its interpreter handler with its own halfwords, as ARM's fallback does.
/// </summary>
/// <remarks>
/// <para>IT blocks are compiled as branches: a block starts only with ITSTATE zero (the
/// dispatcher's rule), so the translator knows ITSTATE before every instruction
/// (<see cref="ITStateAt"/>, advanced as ITAdvance() does, A2.5.2) and gives an instruction in
/// an IT block its condition as the A32 condition field. ITSTATE is written to the CPU only where
/// something outside the block sees it: before a call-out and at an exit. An interpreted
/// instruction in an IT block is followed by the interpreter's own advance (only if the handler
/// left ITSTATE as it was: an exception entry or SVC has written it). A block ends before an IT
/// inside an IT block (UNPREDICTABLE) and before a 32-bit instruction that crosses its page; a
/// block that ends inside an IT block is left to the dispatcher's interpreter until the IT
/// block is over.</para>
/// <para>The forms that are UNPREDICTABLE in Thumb (PC or SP where the manual forbids them, a
/// base in its own write-back list) are not lowered: their handler runs, so the result is the
/// interpreter's whatever it is.</para>
/// </remarks>
internal sealed unsafe partial class BlockTranslator
{
    /// <summary>One Thumb instruction as the translator sees it.</summary>
    private struct ThumbInstruction
    {
        /// <summary>The halfword, or hw1:hw2 for a 32-bit instruction (what its handler takes).</summary>
        public uint Op;

        /// <summary>The A32 form the emitters read (condition in 31:28: the IT block's, the branch's or AL).</summary>
        public uint Word;

        public Form Form;

        /// <summary>R15 as this instruction reads it.</summary>
        public uint ReadPc;

        /// <summary>A branch's target (B, BL, CBZ/CBNZ).</summary>
        public uint Target;

        /// <summary>A data-processing immediate that replaces the A32 word's rotated one.</summary>
        public bool HasImmediate, KeepsCarry;

        public uint Immediate;

        /// <summary>A register offset's left shift (T32 [Rn, Rm, LSL #imm2] of the extra loads and stores).</summary>
        public uint Shift;

        /// <summary>A conditional instruction that may leave the block: the next segment starts after it.</summary>
        public bool Seam;
    }

    private bool _thumb, _hasIT;
    private ThumbInstruction[] _t = [];
    private uint[] _offsets = [];  // byte offset of each instruction from the start, and of the end
    private byte[] _itStates = []; // ITSTATE before each instruction, and after the last
    private int _current;          // the instruction being emitted

    private static readonly FieldInfo ITStateField = Field(nameof(Cpu.ITState));

    private static readonly Dictionary<nint, (ThumbKind Kind, uint Opcode)> ThumbForms = BuildThumbForms();

    /// <summary>ITSTATE before instruction <paramref name="i"/> (zero in ARM state).</summary>
    private byte ITStateAt(int i) => _thumb ? _itStates[i] : (byte)0;

    private void StoreITState(byte value)
    {
        _il.Emit(OpCodes.Ldarg_1);
        _il.Emit(OpCodes.Ldc_I4, (int)value);
        _il.Emit(OpCodes.Stfld, ITStateField);
    }

    /// <summary>
    /// After an interpreted instruction in an IT block: ITSTATE advances unless the handler wrote
    /// it (as the interpreter's ExecuteInITBlock). Reached only when its condition passed; a
    /// failed one changes nothing the CPU holds (ITSTATE is written at the next call-out or exit).
    /// </summary>
    private void EmitITAdvance(int i)
    {
        byte it = ITStateAt(i);
        if (it == 0) return;
        var written = _il.DefineLabel();
        _il.Emit(OpCodes.Ldarg_1);
        _il.Emit(OpCodes.Ldfld, ITStateField);
        _il.Emit(OpCodes.Ldc_I4, (int)it);
        _il.Emit(OpCodes.Bne_Un, written);
        StoreITState(Cpu.ITAdvance(it));
        _il.MarkLabel(written);
    }

    /// <summary>CBZ, CBNZ (A8.8.29): a fixed exit (or the loop back) when Rn is (not) zero.</summary>
    private void EmitCompareAndBranch(int i)
    {
        uint word = _t[i].Word, target = _t[i].Target;
        int n = (int)(word >> 16) & 15;
        bool nonZero = (word & 1) != 0;
        var notTaken = _il.DefineLabel();
        LoadRegister(n, PcOf(i));
        _il.Emit(nonZero ? OpCodes.Brfalse : OpCodes.Brtrue, notTaken);
        if (target == _block.Start && ITStateAt(i + 1) == 0) EmitLoopBack(i); // counts its own branch
        else
        {
            EmitCountPcWrite();
            EmitFixedExit(CurrentDirtyRegisters(), CurrentDirtyFlags(), i + 1, target, ReadPcOf(i));
        }
        _il.MarkLabel(notTaken);
    }

    /// <summary>
    /// Translates the Thumb block starting at <paramref name="start"/> on the host page
    /// <paramref name="host"/> (entered with ITSTATE zero), or, when <paramref name="host"/> is
    /// null, from the Thumb slots of <paramref name="page"/> that stand for resident I-cache lines
    /// (the block ends before the first that does not), as ARM's <see cref="Translate"/>; null
    /// when not even its first instruction can be translated (a 32-bit instruction across the
    /// page's end, or its slot not resident).
    /// </summary>
    public static TranslatedBlock? TranslateThumb(Cpu cpu, uint start, byte* host, TranslatorStatistics statistics, TranslationPage page, bool sideExits = true)
    {
        var slots = new List<(int, uint)>();
        bool thumb2 = cpu.Code.Thumb32 is not null;
        var instructions = new List<ThumbInstruction>();
        var decoded = new List<DecodedInstruction>();
        var offsets = new List<uint> { 0 };
        var its = new List<byte> { 0 };
        uint pc = start;
        bool hasIT = false;
        while (instructions.Count < MaxInstructions)
        {
            uint offset = pc & PhysicalBus.PageMask;
            uint op;
            if (host == null)
            {
                // What the I-cache holds (a slot valid only while its line is resident; never one across a page)
                int slot = (int)(offset >> 1);
                if (!page.ThumbValid[slot]) break;
                op = page.Thumb[slot].Instruction;
                slots.Add((slot, op));
            }
            else
            {
                op = *(ushort*)(host + offset);
                if (thumb2 && CodeCache.IsThumb32(op))
                {
                    if (offset == PhysicalBus.PageMask - 1) break; // its second halfword is on the next page: the interpreter's
                    op = op << 16 | *(ushort*)(host + offset + 2);
                }
            }
            byte it = its[^1];
            var d = cpu.Code.DecodeThumb(op);
            var (kind, opcode) = ThumbForms.GetValueOrDefault((nint)d.Handler, (ThumbKind.None, 0u));
            // IT inside an IT block (UNPREDICTABLE), or with firstcond 1111: the interpreter's.
            if (kind == ThumbKind.It && (it != 0 || (op & 0xF0) == 0xF0)) break;
            var t = Lower(op, pc, it, kind, opcode);
            instructions.Add(t);
            decoded.Add(d);
            pc += op > 0xFFFF ? 4u : 2u;
            offsets.Add(pc - start);
            if (kind == ThumbKind.It)
            {
                hasIT = true;
                its.Add((byte)op);
            }
            else its.Add(Cpu.ITAdvance(it));

            bool leaves = t.Form switch
            {
                Form.Branch or Form.BranchLink or Form.CompareBranch or Form.BranchExchange or Form.CallExchange or Form.TableBranch => true,
                Form.DataImmediate or Form.DataShift => WritesPcByAlu(t.Form, t.Word),
                Form.LoadMultiple => (t.Word & 0x8000) != 0,
                Form.Fallback => (d.Flags & (EncodingFlags.Branch | EncodingFlags.Return | EncodingFlags.SupervisorCall)) != 0,
                _ => false,
            };
            bool conditional = (t.Word >> 28 < 14 || t.Form == Form.CompareBranch) && (d.Flags & EncodingFlags.SupervisorCall) == 0;
            t.Seam = leaves && conditional;
            instructions[^1] = t;
            if ((nint)d.Handler == UndefinedHandler || (leaves && !conditional)) break;
            if ((pc & PhysicalBus.PageMask) == 0) break;
        }
        if (instructions.Count == 0) return null;

        var halfwords = new ushort[offsets[^1] / 2];
        for (int k = 0, h = 0; k < instructions.Count; k++)
        {
            uint op = instructions[k].Op;
            if (op > 0xFFFF) halfwords[h++] = (ushort)(op >> 16);
            halfwords[h++] = (ushort)op;
        }
        var block = new TranslatedBlock(start, halfwords, instructions.Count) { FromInstructionCache = host == null, ThumbSlots = [.. slots], Statistics = statistics };
        return Compile(block, $"thumb_{start:x8}", statistics, (carried, il) => new BlockTranslator(block, [.. decoded], il)
        {
            _thumb = true,
            _hasIT = hasIT,
            _t = [.. instructions],
            _offsets = [.. offsets],
            _itStates = [.. its],
            // With the cache model the port's host table is never filled: every access would leave.
            _sideExits = sideExits && cpu.Memory.Caches?.DataCache is null,
            // With one, loads and stores check the remembered D-cache line inline, as ARM blocks' do.
            _dataCacheHits = cpu.Memory.Caches?.DataCache is not null,
            _carried = carried,
        });
    }

    // ---- lowering: a Thumb instruction's A32 form -------------------------------------------------

    private enum ThumbKind : byte
    {
        None,
        // 16-bit
        ShiftImmediate, AddSub3, AddSubImmediate3, MoveCompareImmediate8, AddSubImmediate8, TwoRegister, Negate, MultiplyT1,
        HighRegister, LiteralT1, LoadStoreRegisterT1, LoadStoreImmediateT1, LoadStoreSpT2, Adr, AddSpImmediate, AdjustSp,
        Push, Pop, Stmia, Ldmia, It, CompareBranch, BConditionalT1, BT2, ExtraRegisterT1, ExtraImmediateT1, ReverseT1,
        // 32-bit
        ModifiedImmediate, PlainImmediate, MoveWide, ShiftedRegister, LoadStoreImmediate12, LoadStoreImmediate8,
        LoadStoreRegisterT2, LiteralT2, ExtraImmediate12, ExtraImmediate8, ExtraRegisterT2, ExtraLiteral, DualT1, LoadStoreMultiple, MultiplyT2, MultiplyAccumulateT1, MultiplyLongT1, CountLeadingZerosT1, ExtendT1, ExtendT2, MoveTopT1, BranchExchangeT1, BranchLinkExchangeT1, Hint, ShiftRegisterT2,
        BConditionalT3, BT4, BlT1, BlxT2, TableBranchT1, BitfieldExtractT1, MultiplySubtractT1, ReverseT2,
    }

    private const uint AL = 14;

    // A32 data-processing opcodes (A5.2.1)
    private const uint OpAnd = 0, OpEor = 1, OpSub = 2, OpRsb = 3, OpAdd = 4, OpAdc = 5, OpSbc = 6, OpTst = 8, OpCmp = 10, OpCmn = 11,
                       OpOrr = 12, OpMov = 13, OpBic = 14, OpMvn = 15;

    private static uint DataImmediate(uint cond, uint opcode, bool s, uint n, uint d, uint imm8 = 0) =>
        (cond << 28) | (1u << 25) | (opcode << 21) | (s ? 1u << 20 : 0) | (n << 16) | (d << 12) | imm8;

    private static uint DataShift(uint cond, uint opcode, bool s, uint n, uint d, uint m, uint type = 0, uint amount = 0) =>
        (cond << 28) | (opcode << 21) | (s ? 1u << 20 : 0) | (n << 16) | (d << 12) | (amount << 7) | (type << 5) | m;

    /// <summary>A32 LDR/STR/LDRB/STRB, immediate offset (A5.3: P U B W L in 24, 23, 22, 21, 20).</summary>
    private static uint LoadStoreImmediate(uint cond, bool load, bool isByte, uint n, uint t, uint offset, bool add = true, bool pre = true, bool writeBack = false) =>
        (cond << 28) | (1u << 26) | (pre ? 1u << 24 : 0) | (add ? 1u << 23 : 0) | (isByte ? 1u << 22 : 0) | (writeBack ? 1u << 21 : 0)
        | (load ? 1u << 20 : 0) | (n << 16) | (t << 12) | offset;

    /// <summary>A32 LDR/STR/LDRB/STRB [Rn, Rm, LSL #shift].</summary>
    private static uint LoadStoreRegister(uint cond, bool load, bool isByte, uint n, uint t, uint m, uint shift) =>
        (cond << 28) | (3u << 25) | (1u << 24) | (1u << 23) | (isByte ? 1u << 22 : 0) | (load ? 1u << 20 : 0) | (n << 16) | (t << 12) | (shift << 7) | m;

    // The extra loads and stores' A32 L bit and op2 (A5.2.8): the opcode of their ThumbKinds
    private const uint Strh = 0x20, Ldrh = 0x0010_0020, Ldrsb = 0x0010_0040, Ldrsh = 0x0010_0060;

    /// <summary>
    /// A32 LDRH/STRH/LDRSB/LDRSH (A5.2.8) with Rm (<paramref name="m"/> &gt;= 0) or an immediate
    /// offset (carried beside the word: <see cref="ThumbInstruction.Immediate"/>).
    /// </summary>
    private static uint ExtraWord(uint cond, uint opcode, uint n, uint t, int m = -1, bool add = true, bool pre = true, bool writeBack = false) =>
        (cond << 28) | (pre ? 1u << 24 : 0) | (add ? 1u << 23 : 0) | (m < 0 ? 1u << 22 : 0) | (writeBack ? 1u << 21 : 0) | opcode
        | (n << 16) | (t << 12) | 0x90 | (m < 0 ? 0 : (uint)m);

    /// <summary>ThumbExpandImm_C (A6.3.2): the value, and whether the carry is left as it was.</summary>
    private static (uint Value, bool KeepsCarry) ThumbExpandImmediate(uint op)
    {
        uint imm12 = ((op >> 15) & 0x800) | ((op >> 4) & 0x700) | (op & 0xFF);
        uint imm8 = imm12 & 0xFF;
        if ((imm12 & 0xC00) == 0)
            return (((imm12 >> 8) & 3) switch { 0 => imm8, 1 => imm8 * 0x0001_0001u, 2 => imm8 * 0x0100_0100u, _ => imm8 * 0x0101_0101u }, true);
        return (BitOperations.RotateRight(0x80 | (imm12 & 0x7F), (int)(imm12 >> 7)), false);
    }

    /// <summary>
    /// The A32 form of the Thumb instruction <paramref name="op"/> at <paramref name="pc"/>
    /// with ITSTATE <paramref name="it"/> before it, or a fallback (its handler runs).
    /// </summary>
    private static ThumbInstruction Lower(uint op, uint pc, byte it, ThumbKind kind, uint opcode)
    {
        bool inIT = it != 0;
        uint cond = inIT ? (uint)it >> 4 : AL;
        bool s16 = !inIT; // a 16-bit data-processing form sets the flags outside an IT block only
        var t = new ThumbInstruction { Op = op, Word = cond << 28, Form = Form.Fallback, ReadPc = pc + 4 };
        uint Low(int at) => (op >> at) & 7;
        uint Reg(int at) => (op >> at) & 15;

        void Set(Form form, uint word)
        {
            t.Form = form;
            t.Word = word;
        }

        void Immediate(uint value, bool keepsCarry = true)
        {
            t.HasImmediate = true;
            t.Immediate = value;
            t.KeepsCarry = keepsCarry;
        }

        // LDM/STM call their handler on the slow path and LoadWritePC on POP {pc}: in an IT block
        // ITSTATE would have to advance after those calls, so there the handler runs (EmitFallback).
        if (inIT && kind is ThumbKind.Push or ThumbKind.Pop or ThumbKind.Stmia or ThumbKind.Ldmia or ThumbKind.LoadStoreMultiple or ThumbKind.DualT1) return t;

        switch (kind)
        {
            // ---- 16-bit ----
            case ThumbKind.ShiftImmediate: // LSL/LSR/ASR (immediate) T1: MOV{S} Rd, Rm, <shift> #imm5 (imm5 0 of LSR/ASR is 32, as in A32)
                Set(Form.DataShift, DataShift(cond, OpMov, s16, 0, Low(0), Low(3), opcode, (op >> 6) & 31));
                break;
            case ThumbKind.AddSub3: // ADD/SUB (register) T1
                Set(Form.DataShift, DataShift(cond, opcode, s16, Low(3), Low(0), Low(6)));
                break;
            case ThumbKind.AddSubImmediate3: // ADD/SUB (immediate) T1
                Set(Form.DataImmediate, DataImmediate(cond, opcode, s16, Low(3), Low(0), (op >> 6) & 7));
                break;
            case ThumbKind.MoveCompareImmediate8: // MOV (immediate) T1, CMP (immediate) T1 (CMP always sets the flags)
                Set(Form.DataImmediate, opcode == OpCmp ? DataImmediate(cond, OpCmp, true, Low(8), 0, op & 0xFF)
                                                        : DataImmediate(cond, OpMov, s16, 0, Low(8), op & 0xFF));
                break;
            case ThumbKind.AddSubImmediate8: // ADD/SUB (immediate) T2: Rdn
                Set(Form.DataImmediate, DataImmediate(cond, opcode, s16, Low(8), Low(8), op & 0xFF));
                break;
            case ThumbKind.TwoRegister: // AND EOR ADC SBC TST CMP CMN ORR BIC MVN (register) T1
                if (opcode is OpTst or OpCmp or OpCmn) Set(Form.DataShift, DataShift(cond, opcode, true, Low(0), 0, Low(3)));
                else if (opcode == OpMvn) Set(Form.DataShift, DataShift(cond, OpMvn, s16, 0, Low(0), Low(3)));
                else Set(Form.DataShift, DataShift(cond, opcode, s16, Low(0), Low(0), Low(3)));
                break;
            case ThumbKind.Negate: // RSB (immediate) T1: RSB{S} Rd, Rn, #0
                Set(Form.DataImmediate, DataImmediate(cond, OpRsb, s16, Low(3), Low(0)));
                break;
            case ThumbKind.MultiplyT1: // MUL T1: Rdm = Rn * Rdm, N and Z outside an IT block
                Set(Form.Multiply, (cond << 28) | (s16 ? 1u << 20 : 0) | (Low(0) << 16) | (Low(0) << 8) | 0x90 | Low(3));
                break;
            case ThumbKind.HighRegister: // ADD (register) T2, CMP (register) T2, MOV (register) T1: no flags but CMP's
            {
                uint dn = ((op >> 4) & 8) | Low(0), m = Reg(3);
                // ADD PC, MOV PC: ALUWritePC (a branch in Thumb state), compiled outside IT blocks (inside, ITSTATE would advance after it)
                if (dn == 15 && opcode != OpCmp && inIT) break;
                if (opcode == OpCmp && (dn == 15 || m == 15)) break; // UNPREDICTABLE
                Set(Form.DataShift, opcode switch
                {
                    OpAdd => DataShift(cond, OpAdd, false, dn, dn, m),
                    OpCmp => DataShift(cond, OpCmp, true, dn, 0, m),
                    _ => DataShift(cond, OpMov, false, 0, dn, m),
                });
                break;
            }
            case ThumbKind.LiteralT1: // LDR (literal) T1: [Align(PC, 4), #imm8 * 4]
                Set(Form.LoadStore, LoadStoreImmediate(cond, true, false, 15, Low(8), (op & 0xFF) << 2));
                t.ReadPc = (pc + 4) & ~3u;
                break;
            case ThumbKind.LoadStoreRegisterT1: // STR/STRB/LDR/LDRB (register) T1 (opcode: bit 0 load, bit 1 byte)
                Set(Form.LoadStore, LoadStoreRegister(cond, (opcode & 1) != 0, (opcode & 2) != 0, Low(3), Low(0), Low(6), 0));
                break;
            case ThumbKind.LoadStoreImmediateT1: // STR/LDR (imm5 * 4), STRB/LDRB (imm5) T1
            {
                bool isByte = (opcode & 2) != 0;
                Set(Form.LoadStore, LoadStoreImmediate(cond, (opcode & 1) != 0, isByte, Low(3), Low(0), ((op >> 6) & 31) << (isByte ? 0 : 2)));
                break;
            }
            case ThumbKind.ExtraRegisterT1: // STRH/LDRSB/LDRH/LDRSH (register) T1: [Rn, Rm]
                Set(Form.LoadStoreExtra, ExtraWord(cond, opcode, Low(3), Low(0), (int)Low(6)));
                break;
            case ThumbKind.ExtraImmediateT1: // STRH/LDRH (immediate) T1: [Rn, #imm5 * 2]
                Set(Form.LoadStoreExtra, ExtraWord(cond, opcode, Low(3), Low(0)));
                Immediate(((op >> 6) & 31) << 1);
                break;
            case ThumbKind.LoadStoreSpT2: // STR/LDR (immediate) T2: [SP, #imm8 * 4]
                Set(Form.LoadStore, LoadStoreImmediate(cond, (op & 0x800) != 0, false, 13, Low(8), (op & 0xFF) << 2));
                break;
            case ThumbKind.Adr: // ADR T1: Align(PC, 4) + imm8 * 4
                Set(Form.DataImmediate, DataImmediate(cond, OpAdd, false, 15, Low(8)));
                Immediate((op & 0xFF) << 2);
                t.ReadPc = (pc + 4) & ~3u;
                break;
            case ThumbKind.AddSpImmediate: // ADD (SP plus immediate) T1: Rd = SP + imm8 * 4
                Set(Form.DataImmediate, DataImmediate(cond, OpAdd, false, 13, Low(8)));
                Immediate((op & 0xFF) << 2);
                break;
            case ThumbKind.AdjustSp: // ADD (SP plus immediate) T2, SUB (SP minus immediate) T1: SP +/- imm7 * 4
                Set(Form.DataImmediate, DataImmediate(cond, opcode, false, 13, 13));
                Immediate((op & 0x7F) << 2);
                break;
            case ThumbKind.Push: // PUSH T1: STMDB SP!, {list, LR if M}
                Set(Form.StoreMultiple, (cond << 28) | 0x092D_0000u | (op & 0xFF) | ((op & 0x100) << 6));
                break;
            case ThumbKind.Pop: // POP T1: LDMIA SP!, {list, PC if P}
                Set(Form.LoadMultiple, (cond << 28) | 0x08BD_0000u | (op & 0xFF) | ((op & 0x100) << 7));
                break;
            case ThumbKind.Stmia: // STM T1: STMIA Rn!, {list}; Rn in the list is left to the handler (its value is QEMU's)
                if ((op & (1u << (int)Low(8))) != 0) break;
                Set(Form.StoreMultiple, (cond << 28) | 0x08A0_0000u | (Low(8) << 16) | (op & 0xFF));
                break;
            case ThumbKind.Ldmia: // LDM T1: LDMIA Rn{!}, {list} -- written back only when Rn is not in the list
            {
                bool writeBack = (op & (1u << (int)Low(8))) == 0;
                Set(Form.LoadMultiple, (cond << 28) | 0x0890_0000u | (writeBack ? 1u << 21 : 0) | (Low(8) << 16) | (op & 0xFF));
                break;
            }
            case ThumbKind.It:
                Set(Form.IfThen, AL << 28);
                break;
            case ThumbKind.CompareBranch: // CBZ, CBNZ T1 (UNPREDICTABLE in an IT block: the handler)
                if (inIT) break;
                Set(Form.CompareBranch, (AL << 28) | (Low(0) << 16) | ((op >> 11) & 1));
                t.Target = pc + 4 + (((op >> 3) & 0x40) | ((op >> 2) & 0x3E));
                break;
            case ThumbKind.BConditionalT1: // B T1: its own condition (UNPREDICTABLE in an IT block: the handler)
                if (inIT) break;
                Set(Form.Branch, (((op >> 8) & 15) << 28) | 0x0A00_0000u);
                t.Target = pc + 4 + (uint)((int)(op << 24) >> 23);
                break;
            case ThumbKind.BT2: // B T2
                Set(Form.Branch, (cond << 28) | 0x0A00_0000u);
                t.Target = pc + 4 + (uint)((int)(op << 21) >> 20);
                break;

            // ---- 32-bit (hw1:hw2: S in 20 and Rn in 19:16 as in A32, Rd in 11:8) ----
            case ThumbKind.ModifiedImmediate: // data processing (modified immediate), A6.3.1
            {
                uint d = Reg(8), n = Reg(16);
                bool s = (op & (1u << 20)) != 0;
                if (opcode is OpTst or OpCmp or OpCmn or 9) d = 0; // TEQ is 9
                else if (d == 15) break;                           // UNPREDICTABLE
                if (opcode is OpMov or OpMvn) n = 0;
                var (value, keepsCarry) = ThumbExpandImmediate(op);
                Set(Form.DataImmediate, DataImmediate(cond, opcode, s, n, d));
                Immediate(value, keepsCarry);
                break;
            }
            case ThumbKind.PlainImmediate: // ADDW/SUBW (immediate) T4, ADR T2/T3: no flags
            {
                uint d = Reg(8), n = Reg(16);
                if (d == 15) break; // UNPREDICTABLE
                Set(Form.DataImmediate, DataImmediate(cond, opcode, false, n, d));
                Immediate(((op >> 15) & 0x800) | ((op >> 4) & 0x700) | (op & 0xFF));
                if (n == 15) t.ReadPc = (pc + 4) & ~3u;
                break;
            }
            case ThumbKind.MoveWide: // MOV (immediate) T3 (MOVW): imm4:i:imm3:imm8
            {
                uint d = Reg(8);
                if (d == 15) break; // UNPREDICTABLE
                Set(Form.DataImmediate, DataImmediate(cond, OpMov, false, 0, d));
                Immediate(((op >> 4) & 0xF000) | ((op >> 15) & 0x800) | ((op >> 4) & 0x700) | (op & 0xFF));
                break;
            }
            case ThumbKind.ShiftedRegister: // data processing (shifted register), A6.3.11
            {
                uint d = Reg(8), n = Reg(16), m = Reg(0);
                bool s = (op & (1u << 20)) != 0;
                if (opcode is OpTst or OpCmp or OpCmn or 9) d = 0;
                else if (d == 15) break;
                if (opcode is OpMov or OpMvn) n = 0;
                else if (n == 15) break;
                if (m == 15) break; // UNPREDICTABLE (R15 read as the handler reads it is not worth a form)
                Set(Form.DataShift, DataShift(cond, opcode, s, n, d, m, (op >> 4) & 3, ((op >> 10) & 0x1C) | ((op >> 6) & 3)));
                break;
            }
            case ThumbKind.LoadStoreImmediate12: // LDR/STR (immediate) T3, LDRB/STRB (immediate) T2: [Rn, #imm12]
            {
                uint t32 = Reg(12);
                if (t32 == 15) break;
                Set(Form.LoadStore, LoadStoreImmediate(cond, (opcode & 1) != 0, (opcode & 2) != 0, Reg(16), t32, op & 0xFFF));
                break;
            }
            case ThumbKind.LoadStoreImmediate8: // LDR/STR (immediate) T4, LDRB/STRB (immediate) T3: 1 P U W imm8
            {
                uint t32 = Reg(12), n = Reg(16);
                bool pre = (op & 0x400) != 0, add = (op & 0x200) != 0, writeBack = (op & 0x100) != 0;
                if (t32 == 15 || (writeBack && n == t32)) break;
                // A32's post-indexed form writes back by itself (W set there is the T form)
                Set(Form.LoadStore, LoadStoreImmediate(cond, (opcode & 1) != 0, (opcode & 2) != 0, n, t32, op & 0xFF, add, pre, pre && writeBack));
                break;
            }
            case ThumbKind.LoadStoreRegisterT2: // LDR/STR/LDRB/STRB (register) T2: [Rn, Rm, LSL #imm2]
            {
                uint t32 = Reg(12), m = Reg(0);
                if (t32 == 15 || m is 13 or 15) break;
                Set(Form.LoadStore, LoadStoreRegister(cond, (opcode & 1) != 0, (opcode & 2) != 0, Reg(16), t32, m, (op >> 4) & 3));
                break;
            }
            case ThumbKind.ExtraImmediate12: // LDRH/STRH (immediate) T2, LDRSB/LDRSH (immediate) T1: [Rn, #imm12]
            {
                uint t32 = Reg(12);
                if (t32 == 15) break; // PLD and the like decode elsewhere; STRH PC is UNPREDICTABLE
                Set(Form.LoadStoreExtra, ExtraWord(cond, opcode, Reg(16), t32));
                Immediate(op & 0xFFF);
                break;
            }
            case ThumbKind.ExtraImmediate8: // ... (immediate) T3/T2: 1 P U W imm8, as LDR's T4
            {
                uint t32 = Reg(12), n = Reg(16);
                bool pre = (op & 0x400) != 0, add = (op & 0x200) != 0, writeBack = (op & 0x100) != 0;
                if (t32 == 15 || (writeBack && n == t32)) break;
                Set(Form.LoadStoreExtra, ExtraWord(cond, opcode, n, t32, add: add, pre: pre, writeBack: pre && writeBack));
                Immediate(op & 0xFF);
                break;
            }
            case ThumbKind.ExtraRegisterT2: // ... (register) T2: [Rn, Rm, LSL #imm2]
            {
                uint t32 = Reg(12), m = Reg(0);
                if (t32 == 15 || m is 13 or 15) break;
                Set(Form.LoadStoreExtra, ExtraWord(cond, opcode, Reg(16), t32, (int)m));
                t.Shift = (op >> 4) & 3;
                break;
            }
            case ThumbKind.ExtraLiteral: // LDRH/LDRSB/LDRSH (literal) T1: [Align(PC, 4), #+/-imm12]
            {
                uint t32 = Reg(12);
                if (t32 == 15) break;
                Set(Form.LoadStoreExtra, ExtraWord(cond, opcode, 15, t32, add: (op & (1u << 23)) != 0));
                Immediate(op & 0xFFF);
                t.ReadPc = (pc + 4) & ~3u;
                break;
            }
            case ThumbKind.DualT1: // LDRD/STRD (immediate), LDRD (literal) T1: P U W L where A32 has them, [Rn, #+/-imm8 * 4], Rt, Rt2
            {
                uint t32 = Reg(12), t2 = Reg(8), n = Reg(16);
                bool load = (op & (1u << 20)) != 0, writeBack = (op & (1u << 21)) != 0;
                // UNPREDICTABLE (A8.8.72, A8.8.210): SP or PC as Rt/Rt2, LDRD's Rt = Rt2, a written-back Rn that is Rt/Rt2 or the PC
                if (t32 is 13 or 15 || t2 is 13 or 15 || (load && t32 == t2) || (writeBack && (n == 15 || n == t32 || n == t2))) break;
                Set(Form.LoadStoreDual, (cond << 28) | (op & 0x01B0_0000u) | (1u << 22) | (n << 16) | (t32 << 12) | (t2 << 8));
                Immediate((op & 0xFF) << 2);
                if (n == 15) t.ReadPc = (pc + 4) & ~3u;
                break;
            }
            case ThumbKind.LiteralT2: // LDR (literal) T2: [Align(PC, 4), #+/-imm12]
            {
                uint t32 = Reg(12);
                if (t32 == 15) break;
                Set(Form.LoadStore, LoadStoreImmediate(cond, true, false, 15, t32, op & 0xFFF, add: (op & (1u << 23)) != 0));
                t.ReadPc = (pc + 4) & ~3u;
                break;
            }
            case ThumbKind.LoadStoreMultiple: // LDM/STM/LDMDB/STMDB T1/T2: P U W L Rn where A32 has them
            {
                uint list = op & 0xFFFF, n = Reg(16);
                bool load = (op & (1u << 20)) != 0, writeBack = (op & (1u << 21)) != 0;
                // UNPREDICTABLE forms: SP listed, PC stored, PC and LR both loaded, a written-back base listed
                if ((list & 0x2000) != 0 || (!load && (list & 0x8000) != 0) || (list & 0xC000) == 0xC000 || (writeBack && (list & (1u << (int)n)) != 0)) break;
                Set(load ? Form.LoadMultiple : Form.StoreMultiple, (cond << 28) | (op & 0x0FFF_FFFF));
                break;
            }
            case ThumbKind.MultiplyT2: // MUL T2: Rd = Rn * Rm, no flags
            {
                uint d = Reg(8), n = Reg(16), m = Reg(0);
                if (d == 15 || n == 15 || m == 15) break;
                Set(Form.Multiply, (cond << 28) | (d << 16) | (m << 8) | 0x90 | n);
                break;
            }
            case ThumbKind.MultiplyAccumulateT1: // MLA T1: Rd = Rn * Rm + Ra
            {
                uint d = Reg(8), n = Reg(16), m = Reg(0), a = Reg(12);
                if (d == 15 || n == 15 || m == 15) break;
                Set(Form.MultiplyAccumulate, (cond << 28) | (1u << 21) | (d << 16) | (a << 12) | (m << 8) | 0x90 | n);
                break;
            }
            case ThumbKind.MultiplyLongT1: // UMULL/UMLAL/SMULL/SMLAL T1: RdHi:RdLo = Rn * Rm (+ RdHi:RdLo), no flags
            {
                uint lo = Reg(12), hi = Reg(8), n = Reg(16), m = Reg(0);
                if (lo == 15 || hi == 15 || n == 15 || m == 15) break;
                Set(Form.MultiplyLong, (cond << 28) | opcode | (hi << 16) | (lo << 12) | (m << 8) | n);
                break;
            }
            case ThumbKind.CountLeadingZerosT1: // CLZ T1 (the second halfword's Rm, as the interpreter reads it)
            {
                uint d = Reg(8), m = Reg(0);
                if (d == 15 || m == 15) break;
                Set(Form.CountLeadingZeros, (cond << 28) | 0x016F0F10u | (d << 12) | m);
                break;
            }
            case ThumbKind.ExtendT1: // SXTH/SXTB/UXTH/UXTB T1 (16-bit, low registers, no rotation); opcode: the A32 word's bits 22-20
                Set(Form.Extend, (cond << 28) | 0x068F_0070u | opcode | (Low(0) << 12) | Low(3));
                break;
            case ThumbKind.ExtendT2: // SXTH/UXTH/SXTB/UXTB T2: Rd, Rm, rotation in bits 5:4
            {
                uint d = Reg(8), m = Reg(0);
                if (d == 15 || m == 15) break;
                Set(Form.Extend, (cond << 28) | 0x068F_0070u | opcode | (d << 12) | (((op >> 4) & 3) << 10) | m);
                break;
            }
            case ThumbKind.MoveTopT1: // MOVT T1: imm16 = imm4:i:imm3:imm8
            {
                uint d = Reg(8);
                if (d == 15) break; // UNPREDICTABLE
                uint imm16 = ((op >> 4) & 0xF000) | ((op >> 15) & 0x800) | ((op >> 4) & 0x700) | (op & 0xFF);
                Set(Form.MoveWide, (cond << 28) | 0x0340_0000u | ((imm16 >> 12) << 16) | (d << 12) | (imm16 & 0xFFF));
                break;
            }
            case ThumbKind.BranchExchangeT1: // BX T1 outside an IT block (inside, the handler: ITSTATE must advance after it)
                if (inIT) break;
                Set(Form.BranchExchange, (cond << 28) | 0x012F_FF10u | Reg(3));
                break;
            case ThumbKind.Hint: // NOP, YIELD, SEV, DBG, PLD, PLI: nothing to do, in an IT block or not
                Set(Form.Hint, cond << 28);
                break;
            case ThumbKind.ShiftRegisterT2: // LSL/LSR/ASR/ROR (register) T2: MOV{S} Rd, Rn, <type> Rm (the S forms: the handler, as A32's)
            {
                uint d = Reg(8), n = Reg(16), m = Reg(0);
                if (d is 13 or 15 || n is 13 or 15 || m is 13 or 15) break; // UNPREDICTABLE
                Set(Form.DataShiftRegister, (cond << 28) | (OpMov << 21) | (op & (1u << 20)) | (d << 12) | (m << 8) | (((op >> 21) & 3) << 5) | 0x10 | n);
                break;
            }
            case ThumbKind.BranchLinkExchangeT1: // BLX (register) T1, as BX; BLX PC is UNPREDICTABLE (A8.8.26): the handler's
                if (inIT || Reg(3) == 15) break;
                Set(Form.BranchExchange, (cond << 28) | 0x012F_FF30u | Reg(3));
                break;
            case ThumbKind.BConditionalT3: // B T3: its own condition (UNPREDICTABLE in an IT block: the handler)
            {
                if (inIT) break;
                uint imm = (((op >> 26) & 1) << 20) | (((op >> 11) & 1) << 19) | (((op >> 13) & 1) << 18) | (((op >> 16) & 0x3F) << 12) | ((op & 0x7FF) << 1);
                Set(Form.Branch, (((op >> 22) & 15) << 28) | 0x0A00_0000u);
                t.Target = pc + 4 + (uint)((int)(imm << 11) >> 11);
                break;
            }
            case ThumbKind.TableBranchT1: // TBB/TBH T1: last (or outside) an IT block; in one, the handler (ITSTATE would advance after it)
            {
                uint n = Reg(16), m = Reg(0);
                if (inIT || n == 13 || m is 13 or 15) break; // UNPREDICTABLE (A8.8.411): SP as Rn, SP or PC as Rm
                Set(Form.TableBranch, (AL << 28) | (n << 16) | (op & 0x10) | m);
                break;
            }
            case ThumbKind.BlxT2: // BLX (immediate) T2: to ARM at Align(PC, 4) + imm32; H = 1 UNDEFINED, in an IT block the handler
            {
                if (inIT || (op & 1) != 0) break;
                uint s = (op >> 26) & 1, i1 = ~(((op >> 13) & 1) ^ s) & 1, i2 = ~(((op >> 11) & 1) ^ s) & 1;
                uint imm = (s << 24) | (i1 << 23) | (i2 << 22) | (((op >> 16) & 0x3FF) << 12) | ((op & 0x7FF) << 1);
                Set(Form.CallExchange, AL << 28);
                t.Target = ((pc + 4) & ~3u) + (uint)((int)(imm << 7) >> 7);
                break;
            }
            case ThumbKind.BitfieldExtractT1: // UBFX/SBFX T1: Rn, Rd, lsb = imm3:imm2, widthm1; opcode: the A32 word's U (22) and fixed bits
            {
                uint d = Reg(8), n = Reg(16);
                if (d is 13 or 15 || n is 13 or 15) break; // UNPREDICTABLE
                uint lsb = ((op >> 10) & 0x1C) | ((op >> 6) & 3);
                Set(Form.BitfieldExtract, (cond << 28) | opcode | ((op & 31) << 16) | (d << 12) | (lsb << 7) | n);
                break;
            }
            case ThumbKind.MultiplySubtractT1: // MLS T1: Rd = Ra - Rn * Rm
            {
                uint d = Reg(8), n = Reg(16), m = Reg(0), a = Reg(12);
                if (d is 13 or 15 || n is 13 or 15 || m is 13 or 15 || a is 13 or 15) break; // UNPREDICTABLE
                Set(Form.MultiplyAccumulate, (cond << 28) | 0x0060_0090u | (d << 16) | (a << 12) | (m << 8) | n);
                break;
            }
            case ThumbKind.ReverseT1: // REV/REV16/REVSH T1: low registers; opcode: the A32 word
                Set(Form.Reverse, (cond << 28) | opcode | (Low(0) << 12) | Low(3));
                break;
            case ThumbKind.ReverseT2: // REV/REV16/REVSH T2: Rd in 11:8, Rm in 3:0
            {
                uint d = Reg(8), m = Reg(0);
                if (d is 13 or 15 || m is 13 or 15) break; // UNPREDICTABLE
                Set(Form.Reverse, (cond << 28) | opcode | (d << 12) | m);
                break;
            }
            case ThumbKind.BT4:
            case ThumbKind.BlT1:
            {
                // SignExtend(S:I1:I2:imm10:imm11:'0'), I1 = NOT(J1 XOR S), I2 = NOT(J2 XOR S)
                uint s = (op >> 26) & 1, i1 = ~(((op >> 13) & 1) ^ s) & 1, i2 = ~(((op >> 11) & 1) ^ s) & 1;
                uint imm = (s << 24) | (i1 << 23) | (i2 << 22) | (((op >> 16) & 0x3FF) << 12) | ((op & 0x7FF) << 1);
                Set(kind == ThumbKind.BlT1 ? Form.BranchLink : Form.Branch, (cond << 28) | (kind == ThumbKind.BlT1 ? 0x0B00_0000u : 0x0A00_0000u));
                t.Target = pc + 4 + (uint)((int)(imm << 7) >> 7);
                break;
            }
        }
        return t;
    }

    private static Dictionary<nint, (ThumbKind, uint)> BuildThumbForms()
    {
        var forms = new Dictionary<nint, (ThumbKind, uint)>();
        void Add(delegate*<Cpu, uint, void> handler, ThumbKind kind, uint opcode = 0) => forms[(nint)handler] = (kind, opcode);

        // 16-bit (Thumb16Encodings)
        Add(&DataProcessing.Execute<Mov, T16ShiftImmediateOperand<ShiftLsl>>, ThumbKind.ShiftImmediate, 0);
        Add(&DataProcessing.Execute<Mov, T16ShiftImmediateOperand<ShiftLsr>>, ThumbKind.ShiftImmediate, 1);
        Add(&DataProcessing.Execute<Mov, T16ShiftImmediateOperand<ShiftAsr>>, ThumbKind.ShiftImmediate, 2);
        Add(&DataProcessing.Execute<Add, T16ThreeRegisterOperand>, ThumbKind.AddSub3, OpAdd);
        Add(&DataProcessing.Execute<Sub, T16ThreeRegisterOperand>, ThumbKind.AddSub3, OpSub);
        Add(&DataProcessing.Execute<Add, T16Immediate3Operand>, ThumbKind.AddSubImmediate3, OpAdd);
        Add(&DataProcessing.Execute<Sub, T16Immediate3Operand>, ThumbKind.AddSubImmediate3, OpSub);
        Add(&DataProcessing.Execute<Mov, T16Immediate8Operand>, ThumbKind.MoveCompareImmediate8, OpMov);
        Add(&DataProcessing.Execute<Cmp, T16Immediate8Operand>, ThumbKind.MoveCompareImmediate8, OpCmp);
        Add(&DataProcessing.Execute<Add, T16Immediate8Operand>, ThumbKind.AddSubImmediate8, OpAdd);
        Add(&DataProcessing.Execute<Sub, T16Immediate8Operand>, ThumbKind.AddSubImmediate8, OpSub);
        Add(&DataProcessing.Execute<And, T16TwoRegisterOperand>, ThumbKind.TwoRegister, OpAnd);
        Add(&DataProcessing.Execute<Eor, T16TwoRegisterOperand>, ThumbKind.TwoRegister, OpEor);
        Add(&DataProcessing.Execute<Adc, T16TwoRegisterOperand>, ThumbKind.TwoRegister, OpAdc);
        Add(&DataProcessing.Execute<Sbc, T16TwoRegisterOperand>, ThumbKind.TwoRegister, OpSbc);
        Add(&DataProcessing.Execute<Tst, T16TwoRegisterOperand>, ThumbKind.TwoRegister, OpTst);
        Add(&DataProcessing.Execute<Cmp, T16TwoRegisterOperand>, ThumbKind.TwoRegister, OpCmp);
        Add(&DataProcessing.Execute<Cmn, T16TwoRegisterOperand>, ThumbKind.TwoRegister, OpCmn);
        Add(&DataProcessing.Execute<Orr, T16TwoRegisterOperand>, ThumbKind.TwoRegister, OpOrr);
        Add(&DataProcessing.Execute<Bic, T16TwoRegisterOperand>, ThumbKind.TwoRegister, OpBic);
        Add(&DataProcessing.Execute<Mvn, T16TwoRegisterOperand>, ThumbKind.TwoRegister, OpMvn);
        Add(&DataProcessing.Execute<Rsb, T16NegateOperand>, ThumbKind.Negate);
        Add(&Multiply.MulT1, ThumbKind.MultiplyT1);
        Add(&DataProcessing.Execute<Add, T16HighRegisterOperand>, ThumbKind.HighRegister, OpAdd);
        Add(&DataProcessing.Execute<Cmp, T16HighRegisterOperand>, ThumbKind.HighRegister, OpCmp);
        Add(&DataProcessing.Execute<Mov, T16HighRegisterOperand>, ThumbKind.HighRegister, OpMov);
        Add(&LoadStore.LdrLiteralT1, ThumbKind.LiteralT1);
        Add(&LoadStore.StrRegisterT1, ThumbKind.LoadStoreRegisterT1, 0);
        Add(&LoadStore.LdrRegisterT1, ThumbKind.LoadStoreRegisterT1, 1);
        Add(&LoadStore.StrbRegisterT1, ThumbKind.LoadStoreRegisterT1, 2);
        Add(&LoadStore.LdrbRegisterT1, ThumbKind.LoadStoreRegisterT1, 3);
        Add(&LoadStore.StrImmediateT1, ThumbKind.LoadStoreImmediateT1, 0);
        Add(&LoadStore.LdrImmediateT1, ThumbKind.LoadStoreImmediateT1, 1);
        Add(&LoadStore.StrbImmediateT1, ThumbKind.LoadStoreImmediateT1, 2);
        Add(&LoadStore.LdrbImmediateT1, ThumbKind.LoadStoreImmediateT1, 3);
        Add(&LoadStore.StrSpRelativeT2, ThumbKind.LoadStoreSpT2);
        Add(&LoadStoreExtra.StrhRegisterT1, ThumbKind.ExtraRegisterT1, Strh);
        Add(&LoadStoreExtra.LdrhRegisterT1, ThumbKind.ExtraRegisterT1, Ldrh);
        Add(&LoadStoreExtra.LdrsbRegisterT1, ThumbKind.ExtraRegisterT1, Ldrsb);
        Add(&LoadStoreExtra.LdrshRegisterT1, ThumbKind.ExtraRegisterT1, Ldrsh);
        Add(&LoadStoreExtra.StrhImmediateT1, ThumbKind.ExtraImmediateT1, Strh);
        Add(&LoadStoreExtra.LdrhImmediateT1, ThumbKind.ExtraImmediateT1, Ldrh);
        Add(&LoadStore.LdrSpRelativeT2, ThumbKind.LoadStoreSpT2);
        Add(&Thumb16.Adr, ThumbKind.Adr);
        Add(&Thumb16.AddSpImmediate, ThumbKind.AddSpImmediate);
        Add(&Thumb16.IncrementSp, ThumbKind.AdjustSp, OpAdd);
        Add(&Thumb16.DecrementSp, ThumbKind.AdjustSp, OpSub);
        Add(&Thumb16.Push, ThumbKind.Push);
        Add(&Thumb16.Pop, ThumbKind.Pop);
        Add(&Thumb16.Stmia, ThumbKind.Stmia);
        Add(&Thumb16.Ldmia, ThumbKind.Ldmia);
        Add(&IfThen.ItT1, ThumbKind.It);
        Add(&Branch.CompareAndBranchT1, ThumbKind.CompareBranch);
        Add(&Thumb16.BConditional, ThumbKind.BConditionalT1);
        Add(&Thumb16.B, ThumbKind.BT2);

        // 32-bit (Thumb32Encodings)
        AddModified<And>(OpAnd); AddModified<Tst>(OpTst); AddModified<Bic>(OpBic); AddModified<Orr>(OpOrr);
        AddModified<Mov>(OpMov); AddModified<Mvn>(OpMvn); AddModified<Eor>(OpEor); AddModified<Teq>(9);
        AddModified<Add>(OpAdd); AddModified<Cmn>(OpCmn); AddModified<Adc>(OpAdc); AddModified<Sbc>(OpSbc);
        AddModified<Sub>(OpSub); AddModified<Cmp>(OpCmp); AddModified<Rsb>(OpRsb);
        Add(&DataProcessing.Execute<Add, T32PlainImmediateOperand>, ThumbKind.PlainImmediate, OpAdd);
        Add(&DataProcessing.Execute<Sub, T32PlainImmediateOperand>, ThumbKind.PlainImmediate, OpSub);
        Add(&MoveWide.MovwT3, ThumbKind.MoveWide);
        AddShifted<And>(OpAnd); AddShifted<Tst>(OpTst); AddShifted<Bic>(OpBic); AddShifted<Orr>(OpOrr);
        AddShifted<Mov>(OpMov); AddShifted<Mvn>(OpMvn); AddShifted<Eor>(OpEor); AddShifted<Teq>(9);
        AddShifted<Add>(OpAdd); AddShifted<Cmn>(OpCmn); AddShifted<Adc>(OpAdc); AddShifted<Sbc>(OpSbc);
        AddShifted<Sub>(OpSub); AddShifted<Cmp>(OpCmp); AddShifted<Rsb>(OpRsb);
        Add(&LoadStore.StrImmediate12T, ThumbKind.LoadStoreImmediate12, 0);
        Add(&LoadStore.LdrImmediate12T, ThumbKind.LoadStoreImmediate12, 1);
        Add(&LoadStore.StrbImmediate12T, ThumbKind.LoadStoreImmediate12, 2);
        Add(&LoadStore.LdrbImmediate12T, ThumbKind.LoadStoreImmediate12, 3);
        Add(&LoadStore.StrImmediate8T, ThumbKind.LoadStoreImmediate8, 0);
        Add(&LoadStore.LdrImmediate8T, ThumbKind.LoadStoreImmediate8, 1);
        Add(&LoadStore.StrbImmediate8T, ThumbKind.LoadStoreImmediate8, 2);
        Add(&LoadStore.LdrbImmediate8T, ThumbKind.LoadStoreImmediate8, 3);
        Add(&LoadStore.StrRegisterT, ThumbKind.LoadStoreRegisterT2, 0);
        Add(&LoadStore.LdrRegisterT, ThumbKind.LoadStoreRegisterT2, 1);
        Add(&LoadStore.StrbRegisterT, ThumbKind.LoadStoreRegisterT2, 2);
        Add(&LoadStore.LdrbRegisterT, ThumbKind.LoadStoreRegisterT2, 3);
        Add(&LoadStore.LdrLiteralT, ThumbKind.LiteralT2);
        Add(&LoadStoreExtra.StrhImmediate12T, ThumbKind.ExtraImmediate12, Strh);
        Add(&LoadStoreExtra.LdrhImmediate12T, ThumbKind.ExtraImmediate12, Ldrh);
        Add(&LoadStoreExtra.LdrsbImmediate12T, ThumbKind.ExtraImmediate12, Ldrsb);
        Add(&LoadStoreExtra.LdrshImmediate12T, ThumbKind.ExtraImmediate12, Ldrsh);
        Add(&LoadStoreExtra.StrhImmediate8T, ThumbKind.ExtraImmediate8, Strh);
        Add(&LoadStoreExtra.LdrhImmediate8T, ThumbKind.ExtraImmediate8, Ldrh);
        Add(&LoadStoreExtra.LdrsbImmediate8T, ThumbKind.ExtraImmediate8, Ldrsb);
        Add(&LoadStoreExtra.LdrshImmediate8T, ThumbKind.ExtraImmediate8, Ldrsh);
        Add(&LoadStoreExtra.StrhRegisterT, ThumbKind.ExtraRegisterT2, Strh);
        Add(&LoadStoreExtra.LdrhRegisterT, ThumbKind.ExtraRegisterT2, Ldrh);
        Add(&LoadStoreExtra.LdrsbRegisterT, ThumbKind.ExtraRegisterT2, Ldrsb);
        Add(&LoadStoreExtra.LdrshRegisterT, ThumbKind.ExtraRegisterT2, Ldrsh);
        Add(&LoadStoreExtra.LdrhLiteralT, ThumbKind.ExtraLiteral, Ldrh);
        Add(&LoadStoreExtra.LdrsbLiteralT, ThumbKind.ExtraLiteral, Ldrsb);
        Add(&LoadStoreExtra.LdrshLiteralT, ThumbKind.ExtraLiteral, Ldrsh);
        Add(&LoadStoreExtra.LdrdT1, ThumbKind.DualT1);
        Add(&LoadStoreExtra.StrdT1, ThumbKind.DualT1);
        Add(&LoadStoreMultiple.Ldm, ThumbKind.LoadStoreMultiple);
        Add(&LoadStoreMultiple.Stm, ThumbKind.LoadStoreMultiple);
        Add(&Multiply.Mul<Thumb32Fields.MulT2>, ThumbKind.MultiplyT2);
        Add(&Multiply.Mla<Thumb32Fields.MlaT1>, ThumbKind.MultiplyAccumulateT1);
        // the A32 word's bits 23-20 and 7-4: UMULL, UMLAL, SMULL, SMLAL (S clear)
        Add(&Multiply.Umull<Thumb32Fields.UmullT1>, ThumbKind.MultiplyLongT1, 0x0080_0090);
        Add(&Multiply.Umlal<Thumb32Fields.UmlalT1>, ThumbKind.MultiplyLongT1, 0x00A0_0090);
        Add(&Multiply.Smull<Thumb32Fields.SmullT1>, ThumbKind.MultiplyLongT1, 0x00C0_0090);
        Add(&Multiply.Smlal<Thumb32Fields.SmlalT1>, ThumbKind.MultiplyLongT1, 0x00E0_0090);
        Add(&DataProcessing.ClzT1, ThumbKind.CountLeadingZerosT1);
        // the A32 extend's bits 22-20: SXTB 010, SXTH 011, UXTB 110, UXTH 111
        Add(&Extend.Execute<SignedHalfword, Thumb16Fields.SxthT1>, ThumbKind.ExtendT1, 0x0030_0000);
        Add(&Extend.Execute<SignedByte, Thumb16Fields.SxtbT1>, ThumbKind.ExtendT1, 0x0020_0000);
        Add(&Extend.Execute<UnsignedHalfword, Thumb16Fields.UxthT1>, ThumbKind.ExtendT1, 0x0070_0000);
        Add(&Extend.Execute<UnsignedByte, Thumb16Fields.UxtbT1>, ThumbKind.ExtendT1, 0x0060_0000);
        Add(&Extend.Execute<SignedHalfword, Thumb32Fields.SxthT2>, ThumbKind.ExtendT2, 0x0030_0000);
        Add(&Extend.Execute<SignedByte, Thumb32Fields.SxtbT2>, ThumbKind.ExtendT2, 0x0020_0000);
        Add(&Extend.Execute<UnsignedHalfword, Thumb32Fields.UxthT2>, ThumbKind.ExtendT2, 0x0070_0000);
        Add(&Extend.Execute<UnsignedByte, Thumb32Fields.UxtbT2>, ThumbKind.ExtendT2, 0x0060_0000);
        Add(&MoveWide.MovtT1, ThumbKind.MoveTopT1);
        Add(&Thumb16.Bx, ThumbKind.BranchExchangeT1);
        Add(&Thumb16.BlxRegister, ThumbKind.BranchLinkExchangeT1);
        Add(&Hints.Nop, ThumbKind.Hint);
        Add(&Hints.Pld, ThumbKind.Hint);
        Add(&DataProcessing.Execute<Mov, T32RegisterShiftOperand>, ThumbKind.ShiftRegisterT2);
        Add(&Branch.BConditionalT3, ThumbKind.BConditionalT3);
        Add(&Branch.BT4, ThumbKind.BT4);
        Add(&Branch.BlT1, ThumbKind.BlT1);
        Add(&Branch.BlxT2, ThumbKind.BlxT2);
        Add(&Branch.TbbT1, ThumbKind.TableBranchT1);
        Add(&Branch.TbhT1, ThumbKind.TableBranchT1);
        Add(&Bitfield.Ubfx<Thumb32Fields.UbfxT1>, ThumbKind.BitfieldExtractT1, 0x07E0_0050);
        Add(&Bitfield.Sbfx<Thumb32Fields.SbfxT1>, ThumbKind.BitfieldExtractT1, 0x07A0_0050);
        Add(&Multiply.Mls<Thumb32Fields.MlsT1>, ThumbKind.MultiplySubtractT1);
        Add(&Reverse.RevT1, ThumbKind.ReverseT1, 0x06BF_0F30);
        Add(&Reverse.Rev16T1, ThumbKind.ReverseT1, 0x06BF_0FB0);
        Add(&Reverse.RevshT1, ThumbKind.ReverseT1, 0x06FF_0FB0);
        Add(&Reverse.RevT2, ThumbKind.ReverseT2, 0x06BF_0F30);
        Add(&Reverse.Rev16T2, ThumbKind.ReverseT2, 0x06BF_0FB0);
        Add(&Reverse.RevshT2, ThumbKind.ReverseT2, 0x06FF_0FB0);
        return forms;

        void AddModified<TOp>(uint opcode) where TOp : struct, IAluOperation =>
            Add(&DataProcessing.Execute<TOp, T32ModifiedImmediateOperand>, ThumbKind.ModifiedImmediate, opcode);

        void AddShifted<TOp>(uint opcode) where TOp : struct, IAluOperation =>
            Add(&DataProcessing.Execute<TOp, T32ShiftedRegisterOperand>, ThumbKind.ShiftedRegister, opcode);
    }
}
