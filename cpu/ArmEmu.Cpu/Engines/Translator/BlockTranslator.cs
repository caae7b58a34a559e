using System.Numerics;
using System.Reflection;
using System.Reflection.Emit;
using ArmEmu.Cpu.Decoding;
using ArmEmu.Cpu.Interpreter;
using ArmEmu.Memory;

namespace ArmEmu.Cpu.Engines.Translator;

/// <summary>
/// Compiles one block of ARM instructions to a <see cref="DynamicMethod"/>. The instructions of
/// the hot families (data processing with an immediate or an immediately shifted register,
/// MUL/MLA, LDR/STR/LDRB/STRB with immediate or scaled register offsets, B, BL) become IL of
/// their own; every other instruction is a call to its interpreter handler with the state
/// written back first (so every A32 program runs, and coverage grows family by family).
/// </summary>
/// <remarks>
/// <para>Guest registers and NZCV live in IL locals inside the block: loaded from the
/// <see cref="Cpu"/> on first use, written back only where something outside the block can see
/// them (a memory access, which may fault or reach a device; an interpreted instruction; the
/// block's exits). Fields are constants (the word is known), R15 reads as the instruction's
/// address + 8, and a conditional instruction is a branch around its body.</para>
/// <para>Dead flags: a flag an instruction sets is computed only if it is read later in the
/// block before being set again, with no exit in between (every call-out may exit, so every
/// flag is live there).</para>
/// <para>Exactness: before every call-out the block stores the PC, the next PC, R15 and the
/// budget as the interpreter would have them before that instruction, so an abort, an SVC, an
/// undefined instruction or a device reading the clock sees the interpreter's state. After it,
/// the block returns if the next PC is not the following instruction, if the CPU wants
/// attention (an interrupt line, a stop request, an invalidation) or if the budget changed (a
/// device shortened the run), so the dispatcher takes them at the same instruction boundary as
/// the interpreter. A store into the block's own words makes it return too.</para>
/// </remarks>
internal sealed unsafe partial class BlockTranslator
{
    private const int MaxInstructions = 64;

    private enum Form : byte { Fallback, DataImmediate, DataShift, DataShiftRegister, Multiply, MultiplyAccumulate, MultiplyLong, CountLeadingZeros, Extend, MoveWide, BranchExchange, Branch, BranchLink, LoadStore, LoadStoreExtra, LoadStoreDual, LoadMultiple, StoreMultiple, IfThen, CompareBranch, Hint, CallExchange, BitfieldExtract, Reverse, TableBranch }

    private enum RegisterState : byte { InCpu, Clean, Dirty }

    private enum ExitKind : byte { Fixed, AfterCallOut, AfterMemory, Side }

    /// <summary>
    /// A load or store off the inline fast path leaves the block before it (a side exit) for the
    /// engine to interpret, instead of calling out: no call inside the block, so the .NET JIT
    /// keeps the guest's registers in host registers across the access (a call clobbers the
    /// caller-saved ones, and the values live across it were spilled). Not with the cache model
    /// (its misses are common) nor in a block that left by them often (the engine translates it
    /// again with the call-outs: <see cref="TranslatorEngine.SideExitLimit"/>).
    /// </summary>
    private bool SideExits => !_dataCacheHits && _sideExits;

    private bool _sideExits = true;

    private readonly record struct Exit(Label Label, ushort DirtyRegisters, byte DirtyFlags, ExitKind Kind, int Executed, uint Target, uint R15, byte ITState = 0, DeferredFlags Deferred = default, bool ChangesState = false);

    /// <summary>What exits share: the locals they write back, their kind and ITSTATE (the rest, their target, is in locals).</summary>
    private readonly record struct ExitTail(ushort DirtyRegisters, byte DirtyFlags, ExitKind Kind, byte ITState);

    // Flag indices (and bits in the masks).
    private const int FlagN = 0, FlagZ = 1, FlagC = 2, FlagV = 3;
    private const byte AllFlags = 0xF;

    private static readonly FieldInfo PcField = Field("_pc"), NextPcField = Field("_nextPc"), BudgetField = Field("_budget"),
                                      StopAddressField = Field("_stopAddress"),
                                      AttentionField = Field("_attention"), RegistersField = Field(nameof(Cpu.R));

    private static readonly FieldInfo[] FlagFields = [Field(nameof(Cpu.N)), Field(nameof(Cpu.Z)), Field(nameof(Cpu.C)), Field(nameof(Cpu.V))];

    private static readonly MethodInfo WordsChangedMethod = Method(typeof(TranslatedBlock), nameof(TranslatedBlock.WordsChanged)),
                                       RotateRightMethod = typeof(BitOperations).GetMethod(nameof(BitOperations.RotateRight), [typeof(uint), typeof(int)])!,
                                       LeadingZeroCountMethod = typeof(BitOperations).GetMethod(nameof(BitOperations.LeadingZeroCount), [typeof(uint)])!;

    private static readonly FieldInfo SoftwarePcWritesField = Field("_softwarePcWrites"), TField = Field(nameof(Cpu.T));

    private static readonly MethodInfo AluWritePCMethod = Method(typeof(Cpu), nameof(Cpu.ALUWritePC)),
                                       BranchWritePCMethod = Method(typeof(Cpu), nameof(Cpu.BranchWritePC)),
                                       ReverseEndiannessMethod = typeof(System.Buffers.Binary.BinaryPrimitives).GetMethod(
                                           nameof(System.Buffers.Binary.BinaryPrimitives.ReverseEndianness), [typeof(uint)])!;

    private static readonly FieldInfo LinksField = typeof(TranslatedBlock).GetField(nameof(TranslatedBlock.Links))!,
                                      CheckedAtField = typeof(TranslatedBlock).GetField(nameof(TranslatedBlock.CheckedAt))!,
                                      BusField = typeof(TranslatedBlock).GetField(nameof(TranslatedBlock.Bus))!,
                                      BodyField = typeof(TranslatedBlock).GetField(nameof(TranslatedBlock.Body))!,
                                      LastExitField = typeof(TranslatedBlock).GetField(nameof(TranslatedBlock.LastExit))!;

    private static readonly MethodInfo ChainedMethod = typeof(TranslatedBlock).GetMethod(nameof(TranslatedBlock.Chained))!,
                                       ChainedPredictedMethod = typeof(TranslatedBlock).GetMethod(nameof(TranslatedBlock.ChainedPredicted))!,
                                       InvokeMethod = typeof(Func<Cpu, TranslatedBlock?>).GetMethod("Invoke")!;

    private static readonly MethodInfo CodeWritesGetter = Getter(typeof(PhysicalBus), nameof(PhysicalBus.CodeWrites));

    private static readonly Dictionary<nint, Form> Forms = BuildForms();
    private static readonly nint UndefinedHandler = (nint)(delegate*<Cpu, uint, void>)&ExceptionGenerating.Undefined;

    private readonly TranslatedBlock _block;
    private readonly DecodedInstruction[] _decoded;
    private readonly ILGenerator _il;
    private readonly LocalBuilder[] _r = new LocalBuilder[15];
    private readonly RegisterState[] _rState = new RegisterState[15];
    private readonly LocalBuilder[] _f = new LocalBuilder[4];
    private readonly RegisterState[] _fState = new RegisterState[4];
    private readonly LocalBuilder _budget0, _a, _b, _result, _sum, _carry, _m, _address, _offsetAddress, _value, _host;
    private readonly LocalBuilder _exitExecuted, _exitTarget, _exitR15, _exitLink, _next; // an exit's parameters for the shared tails
    private readonly List<Exit> _exits = [];
    private readonly List<uint> _fixedTargets = []; // the fixed exits' targets: the block's link slots
    private byte[] _flagsLiveAfter = null!;
    private int[] _segmentEnd = null!;
    private int _inlined;
    private Label _top;
    private ushort _prologueRegisters;
    private byte _prologueFlags;

    private BlockTranslator(TranslatedBlock block, DecodedInstruction[] decoded, ILGenerator il)
    {
        _block = block;
        _decoded = decoded;
        _il = il;
        for (int i = 0; i < 15; i++) _r[i] = il.DeclareLocal(typeof(uint));
        // N, Z and V as QEMU keeps them (NF, ZF, VF): a word whose bit 31 is N or V, a word that is
        // zero when Z is set -- so a flag-setting instruction stores its result, or its overflow
        // word, as it is, and the flag is made a bool only where it is read or written back. C is a bool.
        for (int i = 0; i < 4; i++) _f[i] = il.DeclareLocal(i == FlagC ? typeof(bool) : typeof(uint));
        _budget0 = il.DeclareLocal(typeof(long));
        _a = il.DeclareLocal(typeof(uint));
        _b = il.DeclareLocal(typeof(uint));
        _result = il.DeclareLocal(typeof(uint));
        _sum = il.DeclareLocal(typeof(ulong));
        _carry = il.DeclareLocal(typeof(bool));
        _m = il.DeclareLocal(typeof(uint));
        _address = il.DeclareLocal(typeof(uint));
        _offsetAddress = il.DeclareLocal(typeof(uint));
        _value = il.DeclareLocal(typeof(uint));
        _host = il.DeclareLocal(typeof(nint));
        _exitExecuted = il.DeclareLocal(typeof(int));
        _exitTarget = il.DeclareLocal(typeof(uint));
        _exitR15 = il.DeclareLocal(typeof(uint));
        _exitLink = il.DeclareLocal(typeof(int));
        _next = il.DeclareLocal(typeof(TranslatedBlock));
    }

    /// <summary>
    /// Translates the block starting at <paramref name="start"/> on the host page <paramref name="host"/>,
    /// or, when <paramref name="host"/> is null, from the slots of <paramref name="page"/> that stand
    /// for resident I-cache lines (the block ends before the first that does not; null if the
    /// first does not): what runs is what the I-cache holds, stale or not.
    /// </summary>
    public static TranslatedBlock? Translate(Cpu cpu, uint start, byte* host, TranslatorStatistics statistics, TranslationPage page, bool sideExits = true)
    {
        var words = new List<uint>();
        var decoded = new List<DecodedInstruction>();
        uint pc = start;
        while (true)
        {
            uint word;
            if (host != null) word = *(uint*)(host + (pc & PhysicalBus.PageMask));
            else if (page.ArmValid[(pc >> 2) & 1023]) word = page.Arm[(pc >> 2) & 1023].Opcode;
            else break;
            var d = cpu.Code.Arm.Table.DecodeInstruction(word);
            words.Add(word);
            decoded.Add(d);
            if (EndsBlock(d, word)) break;
            pc += 4;
            if ((pc & PhysicalBus.PageMask) == 0 || words.Count == MaxInstructions) break;
        }

        if (words.Count == 0) return null;
        var block = new TranslatedBlock(start, [.. words]) { FromInstructionCache = host == null, Statistics = statistics };
        var armWords = new uint[words.Count];
        for (int k = 0; k < armWords.Length; k++) armWords[k] = ArmWordFor(decoded[k], words[k]);
        return Compile(block, $"arm_{start:x8}", statistics, (carried, il) => new BlockTranslator(block, [.. decoded], il)
        {
            _armWords = armWords,
            _dataCacheHits = cpu.Memory.Caches?.DataCache is not null,
            _sideExits = sideExits,
            _carried = carried,
        });
    }

    /// <summary>
    /// A block's method named <paramref name="name"/>, its IL emitted by a translator that
    /// <paramref name="newTranslator"/> makes for a new method's generator: once, and if flags
    /// were pending at its loop back, again carrying them into the next pass
    /// (BlockTranslator.DeferredFlags.cs). The block gets the method as its body, and its exits.
    /// </summary>
    private static TranslatedBlock Compile(TranslatedBlock block, string name, TranslatorStatistics statistics,
                                           Func<DeferredFlags, ILGenerator, BlockTranslator> newTranslator)
    {
        DynamicMethod NewMethod() => new(name, typeof(TranslatedBlock), [typeof(TranslatedBlock), typeof(Cpu)],
                                         typeof(TranslatedBlock).Module, skipVisibility: true);
        var method = NewMethod();
        var translator = newTranslator(default, method.GetILGenerator());
        block.HasSideExits = translator.SideExits;
        translator.Emit();
        if (translator.LoopCarry.Mask != 0)
        {
            method = NewMethod();
            translator = newTranslator(translator.LoopCarry, method.GetILGenerator());
            translator.Emit();
        }
        block.SetExits([.. translator._fixedTargets]);
        block.Body = (Func<Cpu, TranslatedBlock?>)method.CreateDelegate(typeof(Func<Cpu, TranslatedBlock?>), block);
        statistics.InstructionsInlined += translator._inlined;
        return block;
    }

    /// <summary>
    /// The block ends after an instruction that leaves it (<see cref="LeavesBlock"/>) unless the
    /// instruction is conditional: a conditional branch, return or PC write leaves only when its
    /// condition passes (a branch to a fixed exit, the others through the next-PC check after
    /// their call-out), so the block goes on past it -- a superblock over the branches not
    /// taken, in segments (<see cref="IsSeam"/>). SVC and undefined words always end one.
    /// </summary>
    private static bool EndsBlock(DecodedInstruction d, uint word) =>
        (nint)d.Handler == UndefinedHandler || (LeavesBlock(d, word) && !IsConditional(d, word));

    /// <summary>A conditional instruction that may leave the block: the block's next segment starts after it.</summary>
    private static bool IsSeam(DecodedInstruction d, uint word) => IsConditional(d, word) && LeavesBlock(d, word);

    private static bool IsConditional(DecodedInstruction d, uint word) =>
        word >> 28 < 14 && (d.Flags & EncodingFlags.SupervisorCall) == 0;

    /// <summary>
    /// The instruction may write the PC or raise an exception. For the compiled forms the word
    /// says (Rd = 15); for the others the word's flags do (a branch, a return, SVC). The row flag
    /// WritesPc is not enough on its own: it is set on every LDR and LDM row because some of
    /// their words are returns. An interpreted instruction that writes the PC without saying so
    /// still leaves the block (its next PC is checked).
    /// </summary>
    private static bool LeavesBlock(DecodedInstruction d, uint word)
    {
        int n = (int)(word >> 16) & 15, t = (int)(word >> 12) & 15;
        return FormOf(d, word) switch
        {
            Form.DataImmediate or Form.DataShift or Form.DataShiftRegister => WritesResult(word) && t == 15,
            Form.Multiply or Form.MultiplyAccumulate => n == 15,
            Form.MultiplyLong => n == 15 || t == 15,
            Form.CountLeadingZeros or Form.Extend or Form.MoveWide => t == 15,
            Form.LoadStore or Form.LoadStoreExtra => ((word & (1u << 20)) != 0 && t == 15) || (WritesBack(word) && n == 15),
            // the raw A32 word (LDRD: L clear, op2 10): Rt = 14 loads the PC as Rt2
            Form.LoadStoreDual => ((word & 0x60) == 0x40 && t >= 14) || (WritesBack(word) && n == 15),
            Form.Branch or Form.BranchLink or Form.BranchExchange or Form.CallExchange => true,
            Form.BitfieldExtract or Form.Reverse => t == 15,
            Form.LoadMultiple => (word & 0x8000) != 0,
            Form.StoreMultiple => false,
            _ => (d.Flags & (EncodingFlags.Branch | EncodingFlags.Return | EncodingFlags.SupervisorCall)) != 0,
        };
    }

    private static Form FormOf(DecodedInstruction d, uint word)
    {
        if (word >> 28 == 0xF)
            return (nint)d.Handler == PreloadHandler ? Form.Hint : (nint)d.Handler == BlxImmediateHandler ? Form.CallExchange : Form.Fallback;
        var form = Forms.GetValueOrDefault((nint)d.Handler, Form.Fallback);
        // LDRD/STRD with an odd Rt: UNDEFINED (as QEMU), the handler raises it
        return form == Form.LoadStoreDual && (word & 0x1000) != 0 ? Form.Fallback : form;
    }

    /// <summary>
    /// The word the emitters read for an ARM instruction: the instruction itself, but LDRD/STRD in
    /// the dual layout (<see cref="DualWord"/>) that their T32 forms share.
    /// </summary>
    private static uint ArmWordFor(DecodedInstruction d, uint word) =>
        FormOf(d, word) == Form.LoadStoreDual ? DualWord(word) : word;

    /// <summary>
    /// The translator's layout of LDRD/STRD, shared by A32 and T32: cond, 000, P U I W L in 24-20
    /// (I set: an immediate offset; L set: LDRD), Rn, Rt, Rt2 in 11:8, and imm8 in 7:0 or Rm in
    /// 3:0. From an A32 word (A5.2.8: L clear, op2 10 = LDRD, 11 = STRD; I in 22; Rt2 = Rt + 1;
    /// imm4H:imm4L). A T32 word's imm8 is scaled by 4: its offset is carried beside it.
    /// </summary>
    private static uint DualWord(uint word) =>
        (word & 0xF1EF_F000) | ((word & 0x60) == 0x40 ? 1u << 20 : 0) | ((((word >> 12) & 15) + 1) << 8)
        | ((word & (1u << 22)) != 0 ? ((word >> 4) & 0xF0) | (word & 0xF) : word & 0xF);

    // PLD, PLDW, PLI (A8.8.126-A8.8.132; unconditional, cond 1111): a hint the model does nothing for.
    private static readonly nint PreloadHandler = (nint)(delegate*<Cpu, uint, void>)&Hints.Pld;

    // BLX (immediate) A2 (A8.8.25; unconditional, cond 1111): a call into Thumb code.
    private static readonly nint BlxImmediateHandler = (nint)(delegate*<Cpu, uint, void>)&Interpreter.Branch.BlxImmediate;

    // ---- the whole block -------------------------------------------------------------------

    private uint PcOf(int i) => _thumb ? _block.Start + _offsets[i] : _block.Start + (uint)i * 4;

    /// <summary>The address after instruction <paramref name="i"/> (its fall-through).</summary>
    private uint NextPcOf(int i) => PcOf(i + 1);

    /// <summary>R15 as the engine sets it for instruction <paramref name="i"/>: its address + 8 (ARM) or + 4 (Thumb).</summary>
    private uint ReadPcOf(int i) => PcOf(i) + (_thumb ? 4u : 8u);

    /// <summary>The instruction's word in A32 form: the ARM word, or a Thumb instruction's A32 equivalent (BlockTranslator.Thumb.cs).</summary>
    private uint WordAt(int i) => _thumb ? _t[i].Word : _armWords[i];

    private uint[] _armWords = [];

    /// <summary>How instruction <paramref name="i"/> is emitted (before <see cref="CanInline"/>).</summary>
    private Form FormAt(int i) => _thumb ? _t[i].Form : FormOf(_decoded[i], _block.Words[i]);

    private void Emit()
    {
        _flagsLiveAfter = FlagLiveness(plainAccessesPass: false);
        // Only with side exits: with call-outs each access writes the flags back.
        _flagsReadAfter = FlagLiveness(plainAccessesPass: SideExits);
        ComputeSegments();
        // Called without a CPU (once, by the engine, so that the .NET JIT's compile is timed
        // apart from the run), the body returns at once.
        var run = _il.DefineLabel();
        _il.Emit(OpCodes.Ldarg_1);
        _il.Emit(OpCodes.Brtrue, run);
        _il.Emit(OpCodes.Ldnull);
        _il.Emit(OpCodes.Ret);
        _il.MarkLabel(run);

        _il.Emit(OpCodes.Ldarg_1);
        _il.Emit(OpCodes.Ldfld, BudgetField);
        _il.Emit(OpCodes.Stloc, _budget0);

        // Every register the compiled instructions use, and every flag they read, is loaded once,
        // before the top of the block, so that a block branching to its own start can loop
        // without returning. (A flag only written is not loaded: until written it is the CPU's.)
        bool loops = false;
        int loopBacks = 0;
        for (int i = 0; i < _decoded.Length; i++)
        {
            uint word = WordAt(i);
            var form = FormAt(i);
            if (!CanInline(form, word)) continue;
            bool conditional = word >> 28 < 14 && form != Form.Hint;
            _prologueRegisters |= RegistersUsed(form, word);
            _writtenRegisters |= RegistersWritten(form, word);
            _prologueFlags |= (byte)(FlagsRead(form, word) | (conditional ? FlagsWritten(form, word) : 0));
            _writtenFlags |= FlagsWritten(form, word);
            if (conditional) _prologueFlags |= ConditionFlags(word >> 28);
            if (form is Form.Branch or Form.BranchLink && BranchTarget(i) == _block.Start) loops = true;
            if (form is Form.Branch or Form.BranchLink or Form.CompareBranch && BranchTarget(i) == _block.Start && ITStateAt(i + 1) == 0)
            {
                loopBacks++;
                _passLength = i + 1;
            }
        }
        // One loop back whose pass cannot call out: its passes are counted from the budget where
        // something can look (EmitCountPasses). With call-outs in the pass, the base would be
        // reset in it, a local carried around the loop (Thumb-2 matmul with the cache model: +7%
        // CPU), so such a pass counts its branch as the others do.
        if (loopBacks == 1 && PassIsCallOutFree(_passLength - 1)) _passBase = _il.DeclareLocal(typeof(long));
        // A block that loops keeps the flags it writes in locals across the loop back too (else
        // each pass would write them back there).
        if (loops) _prologueFlags |= _writtenFlags;
        EnsureRegisters(_prologueRegisters);
        EnsureFlags(_prologueFlags);
        LoadHostTables();
        // At the top the prologue's locals that some instruction writes count as changed: a loop
        // back to it then needs no write-back for them; the others are clean, so an exit writes
        // back only what the block can have changed.
        MarkPrologueDirty();
        EnterCarried();
        if (_passBase is not null)
        {
            _il.Emit(OpCodes.Ldloc, _budget0);
            _il.Emit(OpCodes.Stloc, _passBase);
        }
        _top = _il.DefineLabel();
        _il.MarkLabel(_top);
        // At the top the carried flags are pending if the pass before left them so.
        if (_carried.Mask != 0) _deferred = _carried with { Guarded = true };

        bool ended = false;
        for (int i = 0; i < _decoded.Length && !ended; i++)
        {
            ended = EmitInstruction(i);
            if (!ended && i + 1 < _decoded.Length && _segmentEnd[i + 1] != _segmentEnd[i]) EmitSegmentEntry(i + 1);
        }
        if (!ended)
        {
            // Fell off the end: every instruction executed, on to the next.
            int n = _decoded.Length;
            SettleDeferred(n, Form.Fallback, 0);
            EmitFixedExit(CurrentDirtyRegisters(), CurrentDirtyFlags(), n, PcOf(n), ReadPcOf(n - 1));
        }
        _deferred = default; // the exits compute what was pending at each (Exit.Deferred)
        EmitExits();
    }

    /// <summary>
    /// Where each instruction's segment ends (exclusive): a segment runs to a seam, a conditional
    /// instruction that may leave the block. The dispatcher enters a block when the budget and the
    /// stop address allow its first segment (<see cref="TranslatedBlock.EntryLength"/>); the
    /// block goes on into each next segment under the same conditions, and leaves otherwise, so
    /// that a superblock runs exactly as far as the interpreter would.
    /// </summary>
    private void ComputeSegments()
    {
        int n = _decoded.Length, end = n;
        _segmentEnd = new int[n];
        for (int i = n - 1; i >= 0; i--)
        {
            _segmentEnd[i] = end;
            if (i > 0 && (_thumb ? _t[i - 1].Seam : IsSeam(_decoded[i - 1], _block.Words[i - 1]))) end = i;
        }
        _block.EntryLength = _segmentEnd[0];
        _block.EntryBytes = PcOf(_segmentEnd[0]) - _block.Start;
    }

    /// <summary>The entry to the segment starting at instruction <paramref name="i"/>: leave unless the budget covers it and the stop address is outside it.</summary>
    private void EmitSegmentEntry(int i)
    {
        var exit = NewExit(ExitKind.Fixed, i, PcOf(i), ReadPcOf(i - 1));
        _il.Emit(OpCodes.Ldloc, _budget0);
        _il.Emit(OpCodes.Ldc_I8, (long)_segmentEnd[i]);
        _il.Emit(OpCodes.Blt, exit);
        EmitStopAddressCheck(PcOf(i), PcOf(_segmentEnd[i]) - PcOf(i), exit);
    }

    /// <summary>Leaves by <paramref name="exit"/> when the stop address lies in the <paramref name="bytes"/> of code from <paramref name="start"/>.</summary>
    private void EmitStopAddressCheck(uint start, uint bytes, Label exit)
    {
        _il.Emit(OpCodes.Ldarg_1);
        _il.Emit(OpCodes.Ldfld, StopAddressField);
        _il.Emit(OpCodes.Ldc_I4, (int)start);
        _il.Emit(OpCodes.Sub);
        _il.Emit(OpCodes.Ldc_I4, (int)bytes);
        _il.Emit(OpCodes.Blt_Un, exit);
    }

    /// <summary>Emits instruction <paramref name="i"/>; true when control never falls through to the next.</summary>
    private bool EmitInstruction(int i)
    {
        var d = _decoded[i];
        uint word = WordAt(i);
        uint cond = word >> 28;
        var form = FormAt(i);
        bool conditional = cond < 14 && form != Form.Hint; // a hint does nothing, passed or not
        _current = i;
        if (!CanInline(form, word)) form = Form.Fallback;
        SettleDeferred(i, form, word);
        // An interpreted instruction calls out; a load or store only on its slow path, which
        // writes the locals back itself.
        if (form == Form.Fallback) FlushAll();
        if (form != Form.Fallback)
        {
            // Everything the instruction reads or writes is in a local before the condition
            // branches, so both paths leave the locals in the same state.
            EnsureRegisters(RegistersUsed(form, word));
            EnsureFlags((byte)(FlagsRead(form, word) | (conditional ? FlagsWritten(form, word) : 0)));
        }
        if (conditional) EnsureFlags(ConditionFlags(cond));

        Label skip = default;
        if (conditional)
        {
            skip = _il.DefineLabel();
            EmitCondition(cond);
            _il.Emit(OpCodes.Brfalse, skip);
        }

        uint pc = PcOf(i);
        switch (form)
        {
            case Form.DataImmediate:
            case Form.DataShift:
            case Form.DataShiftRegister:
                EmitDataProcessing(i, word, form);
                break;
            case Form.Multiply:
            case Form.MultiplyAccumulate:
                EmitMultiply(i, word, form == Form.MultiplyAccumulate);
                break;
            case Form.MultiplyLong:
                EmitMultiplyLong(i, word);
                break;
            case Form.CountLeadingZeros:
                EmitCountLeadingZeros(i, word);
                break;
            case Form.BranchExchange:
                EmitBranchExchange(i, word);
                break;
            case Form.Extend:
                EmitExtend(i, word);
                break;
            case Form.MoveWide:
                EmitMoveWide(word);
                break;
            case Form.LoadStore:
            case Form.LoadStoreExtra:
            case Form.LoadStoreDual:
                EmitLoadStore(i, word, form, d);
                break;
            case Form.LoadMultiple:
            case Form.StoreMultiple:
                EmitLoadStoreMultiple(i, word, d);
                break;
            case Form.Branch:
            case Form.BranchLink:
                uint target = BranchTarget(i);
                bool loopBack = target == _block.Start && ITStateAt(i + 1) == 0;
                if (!loopBack) EmitCountPcWrite(); // the loop back counts its own (EmitLoopBack)
                if (form == Form.BranchLink)
                {
                    // LR: the next instruction (in Thumb state with bit 0 set, BL T1)
                    _il.Emit(OpCodes.Ldc_I4, (int)(_thumb ? NextPcOf(i) | 1 : pc + 4));
                    StoreRegister(14);
                }
                if (loopBack) EmitLoopBack(i);
                else EmitFixedExit(CurrentDirtyRegisters(), CurrentDirtyFlags(), i + 1, target, ReadPcOf(i));
                break;
            case Form.IfThen:
                break; // ITSTATE is the translator's (ITStateAt): written where something outside the block sees it
            case Form.Hint:
                break; // NOP, YIELD, SEV, DBG, PLD, PLI: nothing the model holds changes (Hints.cs)
            case Form.CallExchange:
                EmitCallExchange(i);
                break;
            case Form.BitfieldExtract:
                EmitBitfieldExtract(i, word);
                break;
            case Form.Reverse:
                EmitReverse(i, word);
                break;
            case Form.TableBranch:
                EmitTableBranch(i, word, d);
                break;
            case Form.CompareBranch:
                EmitCompareAndBranch(i);
                break;
            default:
                EmitFallback(i, word, d);
                break;
        }
        if (form != Form.Fallback) _inlined++;

        if (conditional) _il.MarkLabel(skip);
        if (form == Form.Fallback)
        {
            // The handler may have changed any register (a mode switch banks them) or flag.
            Array.Fill(_rState, RegisterState.InCpu);
            Array.Fill(_fState, RegisterState.InCpu);
        }
        // An unconditional branch never falls through.
        return !conditional && (form is Form.Branch or Form.BranchLink or Form.BranchExchange or Form.CallExchange or Form.TableBranch || WritesPcByAlu(form, word)
                                || (form == Form.LoadStore && (word & (1u << 20)) != 0 && ((word >> 12) & 15) == 15));
    }

    /// <summary>A data-processing instruction without S whose result goes to the PC (ALUWritePC, compiled).</summary>
    private static bool WritesPcByAlu(Form form, uint word) =>
        form is Form.DataImmediate or Form.DataShift && WritesResult(word) && ((word >> 12) & 15) == 15;

    /// <summary>Where B or BL instruction <paramref name="i"/> goes.</summary>
    private uint BranchTarget(int i) => _thumb ? _t[i].Target : PcOf(i) + 8 + (uint)(((int)(WordAt(i) << 8)) >> 6);

    /// <summary>
    /// A taken B or BL: BranchWritePC's count (<see cref="Cpu.SoftwarePcWrites"/>, the performance
    /// monitors' events 0x0C and 0x12), which the interpreter's handlers make in Cpu.WritePC.cs.
    /// </summary>
    private void EmitCountPcWrite()
    {
        _il.Emit(OpCodes.Ldarg_1);
        _il.Emit(OpCodes.Dup);
        _il.Emit(OpCodes.Ldfld, SoftwarePcWritesField);
        _il.Emit(OpCodes.Ldc_I8, 1L);
        _il.Emit(OpCodes.Add);
        _il.Emit(OpCodes.Stfld, SoftwarePcWritesField);
    }

    /// <summary>
    /// The budget when the passes of the block's loop back were last counted (the budget at entry,
    /// then at each count); null when the block has no loop back, more than one, or a pass that
    /// can call out, whose passes are counted as they are taken (<see cref="EmitCountPcWrite"/>).
    /// </summary>
    private LocalBuilder? _passBase;

    /// <summary>The instructions one pass of the loop runs: what the loop back takes from _budget0.</summary>
    private int _passLength;

    private LocalBuilder? _passes; // EmitCountPasses's scratch

    /// <summary>
    /// A block with one loop back counts its taken branches (<see cref="Cpu.SoftwarePcWrites"/>)
    /// where something outside the block can look -- before each call-out (a PMU read, an abort:
    /// after the loop, or a compiled branch's that leaves) and at each exit -- instead of at every
    /// pass: _budget0 changes only at the loop back, by the pass's length, so the passes since the
    /// last count are (base - _budget0) / length, a multiply and a shift by the .NET JIT off the
    /// loop's path; <paramref name="rebase"/> when the block goes on after.
    /// </summary>
    private void EmitCountPasses(bool rebase)
    {
        if (_passBase is null) return;
        _passes ??= _il.DeclareLocal(typeof(long));
        _il.Emit(OpCodes.Ldloc, _passBase);
        _il.Emit(OpCodes.Ldloc, _budget0);
        _il.Emit(OpCodes.Sub);
        _il.Emit(OpCodes.Stloc, _passes); // never negative: the budget only falls
        if (_passLength != 1)
        {
            // Instructions run since the count: under 2^32 but in runs of billions, divided
            // as a uint (a multiply and a shift; the ulong's multiply-high the .NET JIT spills).
            Label wide = _il.DefineLabel(), divided = _il.DefineLabel();
            _il.Emit(OpCodes.Ldloc, _passes);
            _il.Emit(OpCodes.Ldc_I8, (long)uint.MaxValue);
            _il.Emit(OpCodes.Bgt_Un, wide);
            _il.Emit(OpCodes.Ldloc, _passes);
            _il.Emit(OpCodes.Conv_U4);
            _il.Emit(OpCodes.Ldc_I4, _passLength);
            _il.Emit(OpCodes.Div_Un);
            _il.Emit(OpCodes.Conv_U8);
            _il.Emit(OpCodes.Stloc, _passes);
            _il.Emit(OpCodes.Br, divided);
            _il.MarkLabel(wide);
            _il.Emit(OpCodes.Ldloc, _passes);
            _il.Emit(OpCodes.Ldc_I8, (long)_passLength);
            _il.Emit(OpCodes.Div_Un);
            _il.Emit(OpCodes.Stloc, _passes);
            _il.MarkLabel(divided);
        }
        _il.Emit(OpCodes.Ldarg_1);
        _il.Emit(OpCodes.Dup);
        _il.Emit(OpCodes.Ldfld, SoftwarePcWritesField);
        _il.Emit(OpCodes.Ldloc, _passes);
        _il.Emit(OpCodes.Add);
        _il.Emit(OpCodes.Stfld, SoftwarePcWritesField);
        if (!rebase) return;
        _il.Emit(OpCodes.Ldloc, _budget0);
        _il.Emit(OpCodes.Stloc, _passBase);
    }

    private static bool CanInline(Form form, uint word)
    {
        switch (form)
        {
            case Form.DataImmediate:
            case Form.DataShift:
                // with S, a write to the PC is an exception return: the handler's (ALUWritePC without it is compiled)
                return !(WritesResult(word) && ((word >> 12) & 15) == 15 && (word & (1u << 20)) != 0);
            case Form.DataShiftRegister:
                // R15 in any field is UNPREDICTABLE (A5.2.1); a logical S form takes the shifter's
                // carry, which is the handler's.
                return (word & 0xF) != 15 && ((word >> 8) & 15) != 15 && ((word >> 12) & 15) != 15 && ((word >> 16) & 15) != 15;
            case Form.Multiply:
            case Form.MultiplyAccumulate:
                return ((word >> 16) & 15) != 15;
            case Form.MultiplyLong:
                // R15 in any field is UNPREDICTABLE (A8.8.257): the handler's.
                return ((word >> 16) & 15) != 15 && ((word >> 12) & 15) != 15 && ((word >> 8) & 15) != 15 && (word & 15) != 15;
            case Form.CountLeadingZeros:
            case Form.Extend:
                return ((word >> 12) & 15) != 15 && (word & 15) != 15;
            case Form.MoveWide:
                return ((word >> 12) & 15) != 15;
            case Form.BitfieldExtract:
                // R15 as Rd or Rn, or lsb + width past bit 31: UNPREDICTABLE (A8.8.164), the handler's
                return ((word >> 12) & 15) != 15 && (word & 15) != 15 && ((word >> 7) & 31) + ((word >> 16) & 31) <= 31;
            case Form.Reverse:
                return ((word >> 12) & 15) != 15 && (word & 15) != 15;
            case Form.BranchExchange:
                return (word & 0x20) == 0 || (word & 15) != 15; // BLX PC is UNPREDICTABLE (A8.8.26): the handler's
            case Form.LoadMultiple:
            case Form.StoreMultiple:
                return (word & 0xFFFF) != 0 && ((word >> 16) & 15) != 15; // else UNDEFINED: the handler raises it
            case Form.LoadStore:
            {
                int n = (int)(word >> 16) & 15, t = (int)(word >> 12) & 15;
                bool load = (word & (1u << 20)) != 0;
                // LDR PC: LoadWritePC, compiled (LDRB to the PC, and a written-back base that is the PC or Rt, are UNPREDICTABLE: the handler's)
                if (load && t == 15 && ((word & (1u << 22)) != 0 || (WritesBack(word) && n == 15))) return false;
                if (WritesBack(word) && n == 15) return false;
                return true;
            }
            case Form.LoadStoreExtra:
            {
                // PC as Rt, Rm or a written-back Rn, and a written-back Rn = Rt: UNPREDICTABLE (A8.8.80 and
                // the others), the handler's whatever it does
                int n = (int)(word >> 16) & 15, t = (int)(word >> 12) & 15;
                if (t == 15 || (WritesBack(word) && (n == 15 || n == t))) return false;
                return (word & (1u << 22)) != 0 || (word & 15) != 15;
            }
            case Form.LoadStoreDual:
            {
                // the dual layout (DualWord). PC or SP as Rt/Rt2 (A32: Rt = 14 makes Rt2 the PC), a written-back
                // Rn that is Rt, Rt2 or the PC, Rm = PC, LDRD's Rt = Rt2 or Rm = Rt/Rt2: UNPREDICTABLE, the handler's
                int n = (int)(word >> 16) & 15, t = (int)(word >> 12) & 15, t2 = (int)(word >> 8) & 15, m = (int)word & 15;
                bool load = (word & (1u << 20)) != 0, register = (word & (1u << 22)) == 0;
                if (t == 15 || t2 == 15 || (load && t == t2)) return false;
                if (WritesBack(word) && (n == 15 || n == t || n == t2)) return false;
                return !register || (m != 15 && !(load && (m == t || m == t2)));
            }
            default:
                return form != Form.Fallback;
        }
    }

    // ---- analysis -----------------------------------------------------------------------------

    /// <summary>
    /// A load of the single or multiple register classes or a coprocessor load (A5.3, A5.5, A5.6:
    /// bits 27-25 = 010, 011, 100 or 110 with L set): it cannot have stored into the block.
    /// </summary>
    private static bool IsLoad(uint word) => (word & (1u << 20)) != 0 && ((word >> 25) & 7) is 2 or 3 or 4 or 6 && word >> 28 != 0xF;

    private static bool WritesResult(uint word) => ((word >> 21) & 15) is < 8 or > 11; // not TST/TEQ/CMP/CMN

    private static bool IsLogical(uint opcode) => opcode is 0 or 1 or 8 or 9 or 12 or 13 or 14 or 15;

    private static bool WritesBack(uint word) => (word & (1u << 24)) == 0 || (word & (1u << 21)) != 0;

    private static bool IsRrx(uint word) => ((word >> 5) & 3) == 3 && ((word >> 7) & 31) == 0;

    /// <summary>Registers (bit per register, R15 excluded) an inlined instruction reads or writes.</summary>
    private static ushort RegistersUsed(Form form, uint word)
    {
        int mask = 0;
        int n = (int)(word >> 16) & 15, d = (int)(word >> 12) & 15, s = (int)(word >> 8) & 15, m = (int)word & 15;
        switch (form)
        {
            case Form.DataImmediate:
            case Form.DataShift:
            case Form.DataShiftRegister:
                uint opcode = (word >> 21) & 15;
                if (opcode is not (13 or 15)) mask |= 1 << n;
                if (WritesResult(word)) mask |= 1 << d;
                if (form != Form.DataImmediate) mask |= 1 << m;
                if (form == Form.DataShiftRegister) mask |= 1 << s;
                break;
            case Form.Multiply:
            case Form.MultiplyAccumulate:
                mask |= (1 << n) | (1 << m) | (1 << s); // n is Rd here
                if (form == Form.MultiplyAccumulate) mask |= 1 << d; // Ra
                break;
            case Form.MultiplyLong:
                mask |= (1 << n) | (1 << d) | (1 << s) | (1 << m); // RdHi, RdLo, Rm, Rn
                break;
            case Form.CountLeadingZeros:
            case Form.Extend:
            case Form.BitfieldExtract:
            case Form.Reverse:
                mask |= (1 << d) | (1 << m);
                break;
            case Form.CallExchange:
                mask |= 1 << 14;
                break;
            case Form.TableBranch:
                mask |= (1 << n) | (1 << m);
                break;
            case Form.MoveWide:
                mask |= 1 << d;
                break;
            case Form.BranchExchange:
                mask |= 1 << m;
                if ((word & 0x20) != 0) mask |= 1 << 14; // BLX: LR
                break;
            case Form.LoadStore:
                mask |= (1 << n) | (1 << d);
                if ((word & (1u << 25)) != 0) mask |= 1 << m;
                break;
            case Form.LoadStoreExtra:
                mask |= (1 << n) | (1 << d);
                if ((word & (1u << 22)) == 0) mask |= 1 << m;
                break;
            case Form.LoadStoreDual:
                mask |= (1 << n) | (1 << d) | (1 << s); // s: Rt2
                if ((word & (1u << 22)) == 0) mask |= 1 << m;
                break;
            case Form.BranchLink:
                mask |= 1 << 14;
                break;
            case Form.LoadMultiple:
            case Form.StoreMultiple:
                mask |= (1 << n) | (int)(word & 0x7FFF);
                break;
        }
        return (ushort)(mask & 0x7FFF);
    }

    private static byte FlagsRead(Form form, uint word)
    {
        switch (form)
        {
            case Form.DataImmediate:
            case Form.DataShift:
            case Form.DataShiftRegister:
                uint opcode = (word >> 21) & 15;
                bool setFlags = (word & (1u << 20)) != 0;
                if (opcode is 5 or 6 or 7) return 1 << FlagC; // ADC, SBC, RSC
                if (form == Form.DataShift && IsRrx(word)) return 1 << FlagC;
                if (setFlags && IsLogical(opcode)) return 1 << FlagC; // the shifter may pass C through
                return 0;
            case Form.LoadStore:
                return (word & (1u << 25)) != 0 && IsRrx(word) ? (byte)(1 << FlagC) : (byte)0;
            default:
                return 0;
        }
    }

    /// <summary>
    /// <see cref="FlagsRead"/> for the liveness of instruction <paramref name="i"/>: a logical
    /// S form with an immediate or an immediately shifted register (not RRX) does not read C.
    /// Either its shifter sets C, so a C set before it is dead there (Thumb's ADDS then LSLS #16:
    /// the ADDS's C is never read, and need not be computed or kept), or it passes C through
    /// (<see cref="KeepsCarry"/>), leaving it as it was: neither read nor written
    /// (<see cref="FlagsWrittenAt"/>), so C is live before it only if it is live after it
    /// (Thumb-2 integer's EORS before a CMP at the top of its loop: the CMP's C, carried over
    /// the loop back, was computed on every pass as if the EORS read it).
    /// </summary>
    private byte FlagsReadAt(int i, Form form, uint word)
    {
        byte read = FlagsRead(form, word);
        if (IsLogicalShifterS(form, word)) read = (byte)(read & ~(1 << FlagC));
        return read;
    }

    /// <summary><see cref="FlagsWritten"/> for the liveness of instruction <paramref name="i"/>: a logical S form that passes C through (<see cref="KeepsCarry"/>) does not write it.</summary>
    private byte FlagsWrittenAt(int i, Form form, uint word)
    {
        byte written = FlagsWritten(form, word);
        if (IsLogicalShifterS(form, word) && KeepsCarry(i, form, word)) written = (byte)(written & ~(1 << FlagC));
        return written;
    }

    /// <summary>A logical S form with an immediate or an immediately shifted register other than RRX: its C is the shifter's, or C unchanged.</summary>
    private static bool IsLogicalShifterS(Form form, uint word) =>
        form is Form.DataImmediate or Form.DataShift && (word & (1u << 20)) != 0 && IsLogical((word >> 21) & 15)
        && !(form == Form.DataShift && IsRrx(word));

    private static byte FlagsWritten(Form form, uint word)
    {
        if ((word & (1u << 20)) == 0 || form is not (Form.DataImmediate or Form.DataShift or Form.DataShiftRegister or Form.Multiply or Form.MultiplyAccumulate or Form.MultiplyLong)) return 0;
        if (form is Form.Multiply or Form.MultiplyAccumulate or Form.MultiplyLong) return (1 << FlagN) | (1 << FlagZ);
        return IsLogical((word >> 21) & 15) ? (byte)((1 << FlagN) | (1 << FlagZ) | (1 << FlagC)) : AllFlags;
    }

    private static byte ConditionFlags(uint cond) => cond switch
    {
        0 or 1 => 1 << FlagZ,
        2 or 3 => 1 << FlagC,
        4 or 5 => 1 << FlagN,
        6 or 7 => 1 << FlagV,
        8 or 9 => (1 << FlagC) | (1 << FlagZ),
        10 or 11 => (1 << FlagN) | (1 << FlagV),
        12 or 13 => (1 << FlagZ) | (1 << FlagN) | (1 << FlagV),
        _ => 0,
    };

    /// <summary>
    /// An instruction (its form as compiled) after which anything may read the flags: a call-out,
    /// an access whose slow path calls out or leaves, a branch, a write to the PC -- each writes
    /// them back or leaves with them.
    /// </summary>
    private static bool MayReadAllFlags(Form form, uint word) =>
        form is Form.Fallback or Form.LoadStore or Form.LoadStoreExtra or Form.LoadStoreDual or Form.LoadMultiple or Form.StoreMultiple
            or Form.Branch or Form.BranchLink or Form.BranchExchange or Form.CompareBranch or Form.CallExchange or Form.TableBranch
        || WritesPcByAlu(form, word);

    /// <summary>
    /// Which flags each instruction must compute: those read later in the block before being
    /// set again. Every call-out and every exit reads all four (they are written back there) --
    /// except, when <paramref name="plainAccessesPass"/>, an unconditional load or store that does
    /// not write the PC (<see cref="IsPlainAccess"/>): its only exit is a side exit, which computes
    /// deferred flags itself, so it reads only what its own operands read.
    /// </summary>
    private byte[] FlagLiveness(bool plainAccessesPass)
    {
        int n = _decoded.Length;
        var liveAfter = new byte[n];
        byte live = AllFlags; // the block's end
        for (int i = n - 1; i >= 0; i--)
        {
            liveAfter[i] = live;
            uint word = WordAt(i);
            var form = FormAt(i);
            if (form is Form.IfThen or Form.Hint) continue;
            if (!CanInline(form, word)) form = Form.Fallback;
            uint cond = word >> 28;
            bool conditional = cond < 14;
            if (plainAccessesPass && !conditional && IsPlainAccess(form, word))
            {
                live |= FlagsRead(form, word); // an RRX offset reads C
                continue;
            }
            if (plainAccessesPass && form == Form.Branch && IsLoopBack(i))
            {
                // What the next pass reads from the top (the flags pending here are carried or
                // computed there, DeferredFlags.cs). Not what the path not taken reads: it leaves
                // the loop, once, and whatever reads pending flags there computes them first.
                live = (byte)(ConditionFlags(cond) | FlagsReadFromTop(i));
                continue;
            }
            if (MayReadAllFlags(form, word))
            {
                live = AllFlags;
                continue;
            }
            byte written = FlagsWrittenAt(i, form, word);
            if (!conditional) live = (byte)(live & ~written);
            else live |= written;
            live |= FlagsReadAt(i, form, word);
            if (conditional) live |= ConditionFlags(cond);
        }
        return liveAfter;
    }

    // ---- locals and the CPU's state -------------------------------------------------------------

    private void LoadRegisterAddress(int r)
    {
        _il.Emit(OpCodes.Ldarg_1);
        _il.Emit(OpCodes.Ldflda, RegistersField);
        if (r != 0)
        {
            _il.Emit(OpCodes.Ldc_I4, r * 4);
            _il.Emit(OpCodes.Add);
        }
    }

    private void EnsureRegisters(ushort mask)
    {
        for (int r = 0; r < 15; r++)
            if ((mask & (1 << r)) != 0) EnsureRegister(r);
    }

    private void EnsureRegister(int r)
    {
        if (_rState[r] != RegisterState.InCpu) return;
        LoadRegisterAddress(r);
        _il.Emit(OpCodes.Ldind_U4);
        _il.Emit(OpCodes.Stloc, _r[r]);
        _rState[r] = RegisterState.Clean;
    }

    private void EnsureFlags(byte mask)
    {
        for (int f = 0; f < 4; f++)
        {
            if ((mask & (1 << f)) == 0 || _fState[f] != RegisterState.InCpu) continue;
            _il.Emit(OpCodes.Ldarg_1);
            _il.Emit(OpCodes.Ldfld, FlagFields[f]);
            // the CPU's bool (0 or 1) into the local's form
            if (f == FlagZ)
            {
                _il.Emit(OpCodes.Ldc_I4_1);
                _il.Emit(OpCodes.Xor);
            }
            else if (f != FlagC)
            {
                _il.Emit(OpCodes.Ldc_I4, 31);
                _il.Emit(OpCodes.Shl);
            }
            _il.Emit(OpCodes.Stloc, _f[f]);
            _fState[f] = RegisterState.Clean;
        }
    }

    /// <summary>Pushes Rr as the instruction at <paramref name="pc"/> reads it (R15: the address + 8).</summary>
    private void LoadRegister(int r, uint pc)
    {
        if (r == 15)
        {
            // Thumb: PC + 4, or Align(PC, 4) for the literal and ADR forms (the instruction's own value)
            _il.Emit(OpCodes.Ldc_I4, (int)(_thumb ? _t[_current].ReadPc : pc + 8));
            return;
        }
        EnsureRegister(r);
        _il.Emit(OpCodes.Ldloc, _r[r]);
    }

    private void StoreRegister(int r)
    {
        _il.Emit(OpCodes.Stloc, _r[r]);
        _rState[r] = RegisterState.Dirty;
    }

    /// <summary>Pushes flag <paramref name="f"/> as a bool (0 or 1) from its local's form.</summary>
    private void LoadFlag(int f)
    {
        LoadFlagWord(f);
        if (f == FlagC) return;
        _il.Emit(OpCodes.Ldc_I4_0);
        _il.Emit(f == FlagZ ? OpCodes.Ceq : OpCodes.Clt); // Z: the word is zero; N, V: bit 31, the word negative
    }

    /// <summary>Pushes flag <paramref name="f"/>'s local as it is (its form: see <see cref="StoreFlag"/>).</summary>
    private void LoadFlagWord(int f)
    {
        if (_fState[f] == RegisterState.InCpu)
            throw new InvalidOperationException("translator: a flag read before it was loaded");
        _il.Emit(OpCodes.Ldloc, _f[f]);
    }

    /// <summary>
    /// Stores the stack's top as flag <paramref name="f"/> in its local's form: C a bool; N and V
    /// a word whose bit 31 is the flag; Z a word that is zero when Z is set.
    /// </summary>
    private void StoreFlag(int f)
    {
        _il.Emit(OpCodes.Stloc, _f[f]);
        _fState[f] = RegisterState.Dirty;
    }

    private ushort CurrentDirtyRegisters()
    {
        int mask = 0;
        for (int r = 0; r < 15; r++)
            if (_rState[r] == RegisterState.Dirty) mask |= 1 << r;
        return (ushort)mask;
    }

    private byte CurrentDirtyFlags()
    {
        int mask = 0;
        for (int f = 0; f < 4; f++)
            if (_fState[f] == RegisterState.Dirty) mask |= 1 << f;
        return (byte)mask;
    }

    private void EmitWriteBack(ushort registers, byte flags)
    {
        // Deferred flags written back on this path: computed here (they stay pending for the others).
        if ((flags & _deferred.Mask) != 0) EmitDeferredFlags(_deferred);
        for (int r = 0; r < 15; r++)
        {
            if ((registers & (1 << r)) == 0) continue;
            LoadRegisterAddress(r);
            _il.Emit(OpCodes.Ldloc, _r[r]);
            _il.Emit(OpCodes.Stind_I4);
        }
        for (int f = 0; f < 4; f++)
        {
            if ((flags & (1 << f)) == 0) continue;
            _il.Emit(OpCodes.Ldarg_1);
            _il.Emit(OpCodes.Ldloc, _f[f]);
            // the local's form back into the CPU's bool
            if (f == FlagZ)
            {
                _il.Emit(OpCodes.Ldc_I4_0);
                _il.Emit(OpCodes.Ceq);
            }
            else if (f != FlagC)
            {
                _il.Emit(OpCodes.Ldc_I4, 31);
                _il.Emit(OpCodes.Shr_Un);
            }
            _il.Emit(OpCodes.Stfld, FlagFields[f]);
        }
    }

    /// <summary>The states the top of the block has: the prologue's locals loaded, those an instruction may write changed.</summary>
    private void MarkPrologueDirty()
    {
        for (int r = 0; r < 15; r++)
            if ((_prologueRegisters & (1 << r)) != 0) _rState[r] = (_writtenRegisters & (1 << r)) != 0 ? RegisterState.Dirty : RegisterState.Clean;
        for (int f = 0; f < 4; f++)
            if ((_prologueFlags & (1 << f)) != 0) _fState[f] = (_writtenFlags & (1 << f)) != 0 ? RegisterState.Dirty : RegisterState.Clean;
    }

    /// <summary>
    /// Registers an inlined instruction may write (a superset; at a loop back any other changed
    /// local is written back, so a register missing here costs a store, never a lost write).
    /// </summary>
    private static ushort RegistersWritten(Form form, uint word)
    {
        int n = (int)(word >> 16) & 15, d = (int)(word >> 12) & 15;
        int mask = form switch
        {
            Form.DataImmediate or Form.DataShift or Form.DataShiftRegister => WritesResult(word) ? 1 << d : 0,
            Form.Multiply or Form.MultiplyAccumulate => 1 << n, // n is Rd here
            Form.MultiplyLong => (1 << n) | (1 << d),
            Form.CountLeadingZeros or Form.Extend or Form.MoveWide or Form.BitfieldExtract or Form.Reverse => 1 << d,
            Form.CallExchange => 1 << 14,
            Form.TableBranch => 0,
            Form.BranchExchange => (word & 0x20) != 0 ? 1 << 14 : 0,
            Form.BranchLink => 1 << 14,
            Form.Branch or Form.IfThen or Form.CompareBranch or Form.Hint => 0,
            Form.LoadStore or Form.LoadStoreExtra => ((word & (1u << 20)) != 0 ? 1 << d : 0) | (WritesBack(word) ? 1 << n : 0),
            Form.LoadStoreDual => ((word & (1u << 20)) != 0 ? (1 << d) | (1 << (int)((word >> 8) & 15)) : 0) | (WritesBack(word) ? 1 << n : 0),
            Form.LoadMultiple => (1 << n) | (int)(word & 0x7FFF),
            Form.StoreMultiple => 1 << n,
            _ => RegistersUsed(form, word),
        };
        return (ushort)(mask & 0x7FFF);
    }

    private ushort _writtenRegisters;
    private byte _writtenFlags;

    /// <summary>Writes every changed local back to the CPU: they become clean.</summary>
    private void FlushAll()
    {
        EmitWriteBack(CurrentDirtyRegisters(), CurrentDirtyFlags());
        for (int r = 0; r < 15; r++)
            if (_rState[r] == RegisterState.Dirty) _rState[r] = RegisterState.Clean;
        for (int f = 0; f < 4; f++)
            if (_fState[f] == RegisterState.Dirty) _fState[f] = RegisterState.Clean;
    }

    private void StoreCpuField(FieldInfo field, int value)
    {
        _il.Emit(OpCodes.Ldarg_1);
        _il.Emit(OpCodes.Ldc_I4, value);
        _il.Emit(OpCodes.Stfld, field);
    }

    /// <summary>
    /// The CPU as the interpreter has it before instruction <paramref name="i"/>: PC and budget
    /// (what the memory system and devices read: the coherence monitor names the PC, a timer
    /// reads the instruction count), and for an interpreted instruction also the next PC and R15.
    /// An abort in a compiled access gets those two from the engine (PC + 4, PC + 8).
    /// </summary>
    private void EmitInstructionState(int i, bool full = true)
    {
        EmitCountPasses(rebase: true);
        uint pc = PcOf(i);
        StoreCpuField(PcField, (int)pc);
        // A Thumb access that aborts leaves the next PC and R15 to the exception as the interpreter has them.
        if (full || _thumb)
        {
            StoreCpuField(NextPcField, (int)NextPcOf(i));
            LoadRegisterAddress(15);
            _il.Emit(OpCodes.Ldc_I4, (int)ReadPcOf(i));
            _il.Emit(OpCodes.Stind_I4);
        }
        if (_hasIT) StoreITState(ITStateAt(i));
        _il.Emit(OpCodes.Ldarg_1);
        _il.Emit(OpCodes.Ldloc, _budget0);
        if (i != 0)
        {
            _il.Emit(OpCodes.Ldc_I8, (long)i);
            _il.Emit(OpCodes.Sub);
        }
        _il.Emit(OpCodes.Stfld, BudgetField);
    }

    /// <summary>After a call-out from instruction <paramref name="i"/>: return if the CPU wants attention or the budget moved.</summary>
    private void EmitCallOutChecks(int i, Label exit)
    {
        _il.Emit(OpCodes.Ldarg_1);
        _il.Emit(OpCodes.Volatile);
        _il.Emit(OpCodes.Ldfld, AttentionField);
        _il.Emit(OpCodes.Brtrue, exit);
        _il.Emit(OpCodes.Ldarg_1);
        _il.Emit(OpCodes.Ldfld, BudgetField);
        _il.Emit(OpCodes.Ldloc, _budget0);
        if (i != 0)
        {
            _il.Emit(OpCodes.Ldc_I8, (long)i);
            _il.Emit(OpCodes.Sub);
        }
        _il.Emit(OpCodes.Bne_Un, exit);
    }

    private Label NewExit(ExitKind kind, int executed = 0, uint target = 0, uint r15 = 0)
    {
        var label = _il.DefineLabel();
        // A fixed exit has run the instructions before index `executed`; the others, the current one.
        byte it = ITStateAt(kind is ExitKind.Fixed or ExitKind.Side ? executed : _current + 1);
        _exits.Add(new Exit(label, CurrentDirtyRegisters(), CurrentDirtyFlags(), kind, executed, target, r15, it, _deferred));
        return label;
    }

    private void EmitFixedExit(ushort dirtyRegisters, byte dirtyFlags, int executed, uint target, uint r15, bool changesState = false)
    {
        var label = _il.DefineLabel();
        _exits.Add(new Exit(label, dirtyRegisters, dirtyFlags, ExitKind.Fixed, executed, target, r15, ITStateAt(executed), _deferred, changesState));
        _il.Emit(OpCodes.Br, label);
    }

    /// <summary>
    /// The exits. Each sets its parameters (instructions executed, target, R15, link slot) in
    /// locals and branches to a tail it shares with every exit that writes back the same locals
    /// and is of the same kind: one write-back per tail instead of one per exit keeps the IL, and
    /// so the .NET JIT's time, small.
    /// </summary>
    private void EmitExits()
    {
        var tails = new Dictionary<ExitTail, Label>();
        foreach (var exit in _exits)
        {
            _il.MarkLabel(exit.Label);
            if (exit.Deferred.Mask != 0) EmitDeferredFlags(exit.Deferred); // the flags pending where it leaves
            var key = new ExitTail(exit.DirtyRegisters, exit.DirtyFlags, exit.Kind, exit.Kind == ExitKind.AfterCallOut ? (byte)0 : exit.ITState);
            if (!tails.TryGetValue(key, out var tail)) tails[key] = tail = _il.DefineLabel();
            if (exit.Kind == ExitKind.Side)
            {
                _il.Emit(OpCodes.Ldc_I4, exit.Executed);
                _il.Emit(OpCodes.Stloc, _exitExecuted);
            }
            if (exit.Kind == ExitKind.Fixed)
            {
                _il.Emit(OpCodes.Ldc_I4, exit.Executed);
                _il.Emit(OpCodes.Stloc, _exitExecuted);
                // Inside an IT block the next instruction is the dispatcher's (a Thumb block starts with ITSTATE zero): no link.
                _il.Emit(OpCodes.Ldc_I4, exit.ITState == 0 ? LinkSlot(exit.ChangesState ? exit.Target | TranslatedBlock.OtherState : exit.Target) : -1);
                _il.Emit(OpCodes.Stloc, _exitLink);
            }
            if (exit.Kind != ExitKind.AfterCallOut)
            {
                _il.Emit(OpCodes.Ldc_I4, (int)exit.Target);
                _il.Emit(OpCodes.Stloc, _exitTarget);
                _il.Emit(OpCodes.Ldc_I4, (int)exit.R15);
                _il.Emit(OpCodes.Stloc, _exitR15);
            }
            _il.Emit(OpCodes.Br, tail);
        }
        foreach (var (key, label) in tails) EmitExitTail(key, label);
    }

    /// <summary>The link slot of a fixed exit's target (one per distinct target).</summary>
    private int LinkSlot(uint target)
    {
        int link = _fixedTargets.IndexOf(target);
        if (link >= 0) return link;
        _fixedTargets.Add(target);
        return _fixedTargets.Count - 1;
    }

    /// <summary>
    /// An exit tail: the dirty locals written back, the budget counted, the PC where the block
    /// leaves it. A fixed exit (a branch, the block's end) whose target has a linked block that
    /// can be entered (<see cref="TranslatedBlock.Chained"/>) tail-calls that block's body:
    /// direct chaining, without returning to the engine. Otherwise the body returns itself, with
    /// the link slot of the exit it took in <see cref="TranslatedBlock.LastExit"/> (-1 for the
    /// others), for the engine to link or predict.
    /// </summary>
    private void EmitExitTail(ExitTail exit, Label label)
    {
        _il.MarkLabel(label);
        EmitCountPasses(rebase: false);
        EmitWriteBack(exit.DirtyRegisters, exit.DirtyFlags);
        if (exit.Kind == ExitKind.Side)
        {
            EmitSideExitTail(exit);
            return;
        }
        _il.Emit(OpCodes.Ldarg_1);
        if (exit.Kind == ExitKind.Fixed)
        {
            // Every instruction up to the exit has executed: the budget at entry less their number.
            _il.Emit(OpCodes.Ldloc, _budget0);
            _il.Emit(OpCodes.Ldloc, _exitExecuted);
            _il.Emit(OpCodes.Conv_I8);
        }
        else
        {
            // The instruction that called out has completed: count it from the CPU's budget, which a device may have cut.
            _il.Emit(OpCodes.Ldarg_1);
            _il.Emit(OpCodes.Ldfld, BudgetField);
            _il.Emit(OpCodes.Ldc_I8, 1L);
        }
        _il.Emit(OpCodes.Sub);
        _il.Emit(OpCodes.Stfld, BudgetField);

        if (exit.Kind == ExitKind.AfterCallOut)
        {
            // Go where the interpreted instruction said.
            _il.Emit(OpCodes.Ldarg_1);
            _il.Emit(OpCodes.Ldarg_1);
            _il.Emit(OpCodes.Ldfld, NextPcField);
            _il.Emit(OpCodes.Stfld, PcField);
        }
        bool linked = exit.Kind == ExitKind.Fixed && exit.ITState == 0;
        if (exit.Kind != ExitKind.AfterCallOut)
        {
            // A fixed exit that may chain leaves the PC, the next PC and R15 to the path that
            // returns: a block entered through a link stores them itself before anything outside
            // it can look (each call-out, each exit), so on a chain they are dead stores.
            if (!linked) EmitExitPc();
            if (_hasIT) StoreITState(exit.ITState);
        }
        if (linked || exit.Kind == ExitKind.AfterCallOut)
        {
            // A fixed exit's link, or a computed exit's prediction.
            var leave = _il.DefineLabel();
            _il.Emit(OpCodes.Ldarg_0);
            _il.Emit(OpCodes.Ldarg_1);
            if (exit.Kind == ExitKind.Fixed)
            {
                _il.Emit(OpCodes.Ldloc, _exitLink);
                _il.Emit(OpCodes.Call, ChainedMethod);
            }
            else
            {
                _il.Emit(OpCodes.Call, ChainedPredictedMethod);
            }
            _il.Emit(OpCodes.Stloc, _next);
            _il.Emit(OpCodes.Ldloc, _next);
            _il.Emit(OpCodes.Brfalse, leave);
            _il.Emit(OpCodes.Ldloc, _next);
            _il.Emit(OpCodes.Ldfld, BodyField);
            _il.Emit(OpCodes.Ldarg_1);
            _il.Emit(OpCodes.Tailcall);
            _il.Emit(OpCodes.Callvirt, InvokeMethod);
            _il.Emit(OpCodes.Ret);
            _il.MarkLabel(leave);
        }
        if (linked) EmitExitPc();
        _il.Emit(OpCodes.Ldarg_0);
        if (linked)
        {
            _il.Emit(OpCodes.Ldloc, _exitLink);
        }
        else
        {
            _il.Emit(OpCodes.Ldc_I4_M1);
        }
        _il.Emit(OpCodes.Stfld, LastExitField);
        _il.Emit(OpCodes.Ldarg_0);
        _il.Emit(OpCodes.Ret);
    }

    /// <summary>
    /// A side exit's tail: the instructions before the one that left have executed (the budget,
    /// the PC at that one, R15 as the one before read it -- left as it was when none has), and
    /// the body returns with <see cref="TranslatedBlock.SideExit"/>, for the engine to interpret it.
    /// </summary>
    private void EmitSideExitTail(ExitTail exit)
    {
        _il.Emit(OpCodes.Ldarg_1);
        _il.Emit(OpCodes.Ldloc, _budget0);
        _il.Emit(OpCodes.Ldloc, _exitExecuted);
        _il.Emit(OpCodes.Conv_I8);
        _il.Emit(OpCodes.Sub);
        _il.Emit(OpCodes.Stfld, BudgetField);
        var noR15 = _il.DefineLabel();
        _il.Emit(OpCodes.Ldarg_1);
        _il.Emit(OpCodes.Ldloc, _exitTarget);
        _il.Emit(OpCodes.Stfld, PcField);
        _il.Emit(OpCodes.Ldarg_1);
        _il.Emit(OpCodes.Ldloc, _exitTarget);
        _il.Emit(OpCodes.Stfld, NextPcField);
        _il.Emit(OpCodes.Ldloc, _exitR15);
        _il.Emit(OpCodes.Brfalse, noR15);
        LoadRegisterAddress(15);
        _il.Emit(OpCodes.Ldloc, _exitR15);
        _il.Emit(OpCodes.Stind_I4);
        _il.MarkLabel(noR15);
        if (_hasIT) StoreITState(exit.ITState);
        _il.Emit(OpCodes.Ldarg_0);
        _il.Emit(OpCodes.Ldc_I4, TranslatedBlock.SideExit);
        _il.Emit(OpCodes.Stfld, LastExitField);
        _il.Emit(OpCodes.Ldarg_0);
        _il.Emit(OpCodes.Ret);
    }

    /// <summary>A fixed or after-memory exit's PC: the target in _pc and _nextPc, R15 as the last instruction run read it.</summary>
    private void EmitExitPc()
    {
        _il.Emit(OpCodes.Ldarg_1);
        _il.Emit(OpCodes.Ldloc, _exitTarget);
        _il.Emit(OpCodes.Stfld, PcField);
        _il.Emit(OpCodes.Ldarg_1);
        _il.Emit(OpCodes.Ldloc, _exitTarget);
        _il.Emit(OpCodes.Stfld, NextPcField);
        LoadRegisterAddress(15);
        _il.Emit(OpCodes.Ldloc, _exitR15);
        _il.Emit(OpCodes.Stind_I4);
    }

    /// <summary>
    /// Instruction <paramref name="i"/> branches to the block's start: run it again without returning, when
    /// the dispatcher would enter it again -- the budget covers another pass, nothing wants
    /// attention, the stop address is not inside it and its words are unchanged (a store through
    /// another mapping) -- and return as the branch's exit otherwise. The last two are tested
    /// only where a pass can change them: after a call-out (and the words only for a block
    /// translated from memory, not from the I-cache).
    /// </summary>
    private void EmitLoopBack(int i)
    {
        uint pc = PcOf(i);
        int executed = i + 1;
        // The branch's count (EmitCountPcWrite), unless the block counts its passes from the budget (EmitCountPasses).
        if (_passBase is null) EmitCountPcWrite();
        // This path's changes to the locals' states are its own: the branch not taken goes on with the states before it.
        var registers = (RegisterState[])_rState.Clone();
        var flags = (RegisterState[])_fState.Clone();
        // The states the top expects: the prologue's locals loaded (and counted as changed),
        // every other register and flag in the CPU.
        ushort others = (ushort)(CurrentDirtyRegisters() & ~(_prologueRegisters & _writtenRegisters));
        byte otherFlags = (byte)(CurrentDirtyFlags() & ~(_prologueFlags & _writtenFlags));
        EmitWriteBack(others, otherFlags);
        for (int r = 0; r < 15; r++)
            if ((others & (1 << r)) != 0) _rState[r] = RegisterState.InCpu;
        for (int f = 0; f < 4; f++)
            if ((otherFlags & (1 << f)) != 0) _fState[f] = RegisterState.InCpu;
        EnsureRegisters(_prologueRegisters);
        EnsureFlags(_prologueFlags);
        MarkPrologueDirty();
        // This pass is counted in _budget0 first (an exit from here has executed none of the
        // next), so that with one loop back the passes counted from the budget (EmitCountPasses)
        // include the pass whose branch leaves here.
        _il.Emit(OpCodes.Ldloc, _budget0);
        _il.Emit(OpCodes.Ldc_I8, (long)executed);
        _il.Emit(OpCodes.Sub);
        _il.Emit(OpCodes.Stloc, _budget0);
        var exit = NewExit(ExitKind.Fixed, 0, _block.Start, ReadPcOf(i));
        // the budget after this pass must cover the first segment again
        _il.Emit(OpCodes.Ldloc, _budget0);
        _il.Emit(OpCodes.Ldc_I8, (long)_block.EntryLength);
        _il.Emit(OpCodes.Blt, exit);
        _il.Emit(OpCodes.Ldarg_1);
        _il.Emit(OpCodes.Volatile);
        _il.Emit(OpCodes.Ldfld, AttentionField);
        _il.Emit(OpCodes.Brtrue, exit);
        // A pass that cannot call out (every instruction up to here compiled, loads and stores
        // leaving by side exits off their fast path) runs nothing but the block's own code, on
        // the one thread that runs the CPU: nothing can have moved the stop address (a run's
        // start sets it; the block was entered with it outside its first segment, as the check
        // below asks) nor counted a code write (stores to watched pages take the slow path).
        bool callOutFree = PassIsCallOutFree(i);
        if (!callOutFree) EmitStopAddressCheck(_block.Start, _block.EntryBytes, exit);
        // The words: compared only when a code write was counted since they last matched.
        // (A count that moved leaves by the exit, for the engine to compare them: no call in the
        // loop, which would have the .NET JIT spill the registers live across it.) A block
        // translated through the I-cache runs what the I-cache holds, whatever memory does: a
        // line of it removed in a call-out raises the attention flag (TranslatorEngine.InstructionCache.cs),
        // and its CheckedAt never matches (the engine checks it by Resident), so with this
        // check such a loop left at every pass and was entered again through its link.
        if (!callOutFree && !_block.FromInstructionCache)
        {
            _il.Emit(OpCodes.Ldarg_0);
            _il.Emit(OpCodes.Ldfld, CheckedAtField);
            _il.Emit(OpCodes.Ldarg_0);
            _il.Emit(OpCodes.Ldfld, BusField);
            _il.Emit(OpCodes.Call, CodeWritesGetter);
            _il.Emit(OpCodes.Bne_Un, exit);
        }
        EmitLoopCarry();
        _il.Emit(OpCodes.Br, _top);
        registers.CopyTo(_rState, 0);
        flags.CopyTo(_fState, 0);
    }

    /// <summary>
    /// A pass up to loop back <paramref name="i"/> cannot call out: every instruction compiled,
    /// loads and stores leaving by side exits off their fast path.
    /// </summary>
    private bool PassIsCallOutFree(int i)
    {
        bool free = SideExits;
        for (int k = 0; k <= i && free; k++)
            free = CanInline(FormAt(k), WordAt(k)) && FormAt(k) != Form.Fallback;
        return free;
    }

    // ---- conditions ------------------------------------------------------------------------------

    /// <summary>Pushes ConditionPassed(cond) (ARM ARM A3.2) from the flag locals.</summary>
    private void EmitCondition(uint cond)
    {
        switch (cond >> 1)
        {
            case 0: LoadFlag(FlagZ); break;
            case 1: LoadFlag(FlagC); break;
            case 2: LoadFlag(FlagN); break;
            case 3: LoadFlag(FlagV); break;
            case 4: // HI: C && !Z
                LoadFlag(FlagC);
                LoadNotZ();
                _il.Emit(OpCodes.And);
                break;
            case 5: // GE: N == V
                LoadNEqualsV();
                break;
            case 6: // GT: !Z && N == V
                LoadNotZ();
                LoadNEqualsV();
                _il.Emit(OpCodes.And);
                break;
        }
        if ((cond & 1) != 0)
        {
            _il.Emit(OpCodes.Ldc_I4_0);
            _il.Emit(OpCodes.Ceq);
        }
    }

    /// <summary>Pushes !Z as a bool: the Z local's word is not zero.</summary>
    private void LoadNotZ()
    {
        LoadFlagWord(FlagZ);
        _il.Emit(OpCodes.Ldc_I4_0);
        _il.Emit(OpCodes.Cgt_Un);
    }

    /// <summary>Pushes N == V as a bool: the N and V words agree in bit 31 (their XOR is not negative).</summary>
    private void LoadNEqualsV()
    {
        LoadFlagWord(FlagN);
        LoadFlagWord(FlagV);
        _il.Emit(OpCodes.Xor);
        _il.Emit(OpCodes.Ldc_I4_0);
        _il.Emit(OpCodes.Clt);
        _il.Emit(OpCodes.Ldc_I4_0);
        _il.Emit(OpCodes.Ceq);
    }

    // ---- data processing (A3.4, A5.1) -------------------------------------------------------------

    private void EmitDataProcessing(int i, uint word, Form form)
    {
        bool immediate = form == Form.DataImmediate;
        uint pc = PcOf(i);
        uint opcode = (word >> 21) & 15;
        bool setFlags = (word & (1u << 20)) != 0;
        int n = (int)(word >> 16) & 15, d = (int)(word >> 12) & 15;
        byte needed = (byte)(FlagsWritten(Form.DataImmediate, word) & _flagsLiveAfter[i]);
        if ((word >> 28) < 14) needed = FlagsWritten(Form.DataImmediate, word); // a conditional write must land (liveness kept it live)
        bool logical = IsLogical(opcode);
        bool wantCarry = setFlags && logical && (needed & (1 << FlagC)) != 0;

        // b: the shifter operand, and its carry when a logical S form keeps it.
        bool carryUnchanged;
        uint value = 0;
        if (immediate)
        {
            int rotate = (int)((word >> 7) & 0x1E);
            value = System.Numerics.BitOperations.RotateRight(word & 0xFF, rotate);
            carryUnchanged = rotate == 0;
            // A T32 immediate A32 cannot encode (ThumbExpandImm, imm12, imm16): the Thumb lowering's own value
            if (_thumb && _t[i].HasImmediate) (value, carryUnchanged) = (_t[i].Immediate, _t[i].KeepsCarry);
            _il.Emit(OpCodes.Ldc_I4, (int)value);
            _il.Emit(OpCodes.Stloc, _b);
            if (wantCarry && !carryUnchanged)
            {
                _il.Emit(value >> 31 != 0 ? OpCodes.Ldc_I4_1 : OpCodes.Ldc_I4_0);
                _il.Emit(OpCodes.Stloc, _carry);
            }
        }
        else if (form == Form.DataShift)
        {
            carryUnchanged = EmitShiftImmediate(word, pc, wantCarry);
        }
        else
        {
            EmitShiftRegister(word);
            carryUnchanged = !wantCarry;
            if (wantCarry) EmitShiftRegisterCarry(word);
        }
        // Flags only an exit can read before they are set again: left to the exits (DeferredFlags).
        byte deferred = setFlags ? DeferrableFlags(i, word, form, needed, carryUnchanged) : (byte)0;
        needed = (byte)(needed & ~deferred);

        // a: Rn.
        if (opcode is not (13 or 15))
        {
            LoadRegister(n, pc);
            _il.Emit(OpCodes.Stloc, _a);
        }

        switch (opcode)
        {
            case 0: case 8: EmitLogical(OpCodes.And, false); break;   // AND, TST
            case 1: case 9: EmitLogical(OpCodes.Xor, false); break;   // EOR, TEQ
            case 12: EmitLogical(OpCodes.Or, false); break;           // ORR
            case 14: EmitLogical(OpCodes.And, true); break;           // BIC
            case 13: // MOV
                _il.Emit(OpCodes.Ldloc, _b);
                _il.Emit(OpCodes.Stloc, _result);
                break;
            case 15: // MVN
                _il.Emit(OpCodes.Ldloc, _b);
                _il.Emit(OpCodes.Not);
                _il.Emit(OpCodes.Stloc, _result);
                break;
            case 2: case 10: EmitAddWithCarry(_a, _b, invertSecond: true, CarryIn.One, setFlags ? needed : (byte)0); break; // SUB, CMP
            case 3: EmitAddWithCarry(_b, _a, invertSecond: true, CarryIn.One, setFlags ? needed : (byte)0); break;          // RSB
            case 4: case 11: EmitAddWithCarry(_a, _b, invertSecond: false, CarryIn.Zero, setFlags ? needed : (byte)0); break; // ADD, CMN
            case 5: EmitAddWithCarry(_a, _b, invertSecond: false, CarryIn.Flag, setFlags ? needed : (byte)0); break;        // ADC
            case 6: EmitAddWithCarry(_a, _b, invertSecond: true, CarryIn.Flag, setFlags ? needed : (byte)0); break;         // SBC
            case 7: EmitAddWithCarry(_b, _a, invertSecond: true, CarryIn.Flag, setFlags ? needed : (byte)0); break;         // RSC
        }

        if (WritesResult(word) && d == 15)
        {
            // ALUWritePC (A2.3.1; S clear, CanInline): the CPU's rule for the model and state --
            // BXWritePC in ARM state from ARMv7, BranchWritePC otherwise -- then a computed exit
            // as BX's, the CPU's next PC its target.
            EmitInstructionState(i);
            _il.Emit(OpCodes.Ldarg_1);
            _il.Emit(OpCodes.Ldloc, _result);
            _il.Emit(OpCodes.Call, AluWritePCMethod);
            _il.Emit(OpCodes.Br, NewExit(ExitKind.AfterCallOut));
            return;
        }
        if (WritesResult(word))
        {
            _il.Emit(OpCodes.Ldloc, _result);
            StoreRegister(d);
        }
        if (setFlags)
        {
            EmitNZ(needed);
            if (logical && (needed & (1 << FlagC)) != 0 && !carryUnchanged)
            {
                _il.Emit(OpCodes.Ldloc, _carry);
                StoreFlag(FlagC);
            }
            if (deferred != 0) DeferFlags(word, form, value, deferred);
        }
    }

    private void EmitLogical(OpCode op, bool invertSecond)
    {
        _il.Emit(OpCodes.Ldloc, _a);
        _il.Emit(OpCodes.Ldloc, _b);
        if (invertSecond) _il.Emit(OpCodes.Not);
        _il.Emit(op);
        _il.Emit(OpCodes.Stloc, _result);
    }

    private enum CarryIn : byte { Zero, One, Flag }

    /// <summary>AddWithCarry(x, y or NOT y, carry) into the result local, C and V into their locals when <paramref name="flags"/> asks.</summary>
    private void EmitAddWithCarry(LocalBuilder x, LocalBuilder y, bool invertSecond, CarryIn carryIn, byte flags)
    {
        bool wantC = (flags & (1 << FlagC)) != 0, wantV = (flags & (1 << FlagV)) != 0;
        if (invertSecond == (carryIn == CarryIn.One) && carryIn != CarryIn.Flag)
        {
            EmitAddOrSubtract(x, y, subtract: invertSecond, wantC, wantV);
            return;
        }
        if (invertSecond)
        {
            _il.Emit(OpCodes.Ldloc, y);
            _il.Emit(OpCodes.Not);
            _il.Emit(OpCodes.Stloc, _m);
            y = _m;
        }
        if (!wantC)
        {
            _il.Emit(OpCodes.Ldloc, x);
            _il.Emit(OpCodes.Ldloc, y);
            _il.Emit(OpCodes.Add);
            EmitCarryIn(carryIn, wide: false);
            _il.Emit(OpCodes.Stloc, _result);
        }
        else
        {
            _il.Emit(OpCodes.Ldloc, x);
            _il.Emit(OpCodes.Conv_U8);
            _il.Emit(OpCodes.Ldloc, y);
            _il.Emit(OpCodes.Conv_U8);
            _il.Emit(OpCodes.Add);
            EmitCarryIn(carryIn, wide: true);
            _il.Emit(OpCodes.Stloc, _sum);
            _il.Emit(OpCodes.Ldloc, _sum);
            _il.Emit(OpCodes.Conv_U4);
            _il.Emit(OpCodes.Stloc, _result);
        }
        if (wantV) EmitOverflow(x, _result, y, _result); // V = ((x ^ result) & (y ^ result))[31]
        if (wantC)
        {
            _il.Emit(OpCodes.Ldloc, _sum);
            _il.Emit(OpCodes.Ldc_I4, 32);
            _il.Emit(OpCodes.Shr_Un);
            _il.Emit(OpCodes.Conv_U4);
            StoreFlag(FlagC);
        }
    }

    /// <summary>V = ((a ^ b) AND (c ^ d))[31], stored as the whole word (the V local's form: bit 31).</summary>
    private void EmitOverflow(LocalBuilder a, LocalBuilder b, LocalBuilder c, LocalBuilder d)
    {
        _il.Emit(OpCodes.Ldloc, a);
        _il.Emit(OpCodes.Ldloc, b);
        _il.Emit(OpCodes.Xor);
        _il.Emit(OpCodes.Ldloc, c);
        _il.Emit(OpCodes.Ldloc, d);
        _il.Emit(OpCodes.Xor);
        _il.Emit(OpCodes.And);
        StoreFlag(FlagV);
    }

    /// <summary>
    /// AddWithCarry(x, y, 0) or AddWithCarry(x, NOT y, 1) -- ADD/CMN, SUB/CMP/RSB -- in 32 bits:
    /// the carry of x + y is result &lt; x (unsigned), that of x + NOT y + 1 = x - y is x &gt;= y
    /// (no borrow); V is ((x ^ result) AND (y' ^ result))[31] with y' the addend (NOT y for a
    /// subtraction: (x ^ y) AND (x ^ result)). A host compare each, not the 64-bit sum's top.
    /// </summary>
    private void EmitAddOrSubtract(LocalBuilder x, LocalBuilder y, bool subtract, bool wantC, bool wantV)
    {
        _il.Emit(OpCodes.Ldloc, x);
        _il.Emit(OpCodes.Ldloc, y);
        _il.Emit(subtract ? OpCodes.Sub : OpCodes.Add);
        _il.Emit(OpCodes.Stloc, _result);
        if (wantV)
        {
            if (subtract) EmitOverflow(x, y, x, _result);
            else EmitOverflow(x, _result, y, _result);
        }
        if (wantC)
        {
            if (subtract)
            {
                // x >= y, unsigned: NOT (x < y)
                _il.Emit(OpCodes.Ldloc, x);
                _il.Emit(OpCodes.Ldloc, y);
                _il.Emit(OpCodes.Clt_Un);
                _il.Emit(OpCodes.Ldc_I4_0);
                _il.Emit(OpCodes.Ceq);
            }
            else
            {
                _il.Emit(OpCodes.Ldloc, _result);
                _il.Emit(OpCodes.Ldloc, x);
                _il.Emit(OpCodes.Clt_Un);
            }
            StoreFlag(FlagC);
        }
    }

    private void EmitCarryIn(CarryIn carryIn, bool wide)
    {
        switch (carryIn)
        {
            case CarryIn.Zero:
                return;
            case CarryIn.One:
                if (wide) _il.Emit(OpCodes.Ldc_I8, 1L);
                else _il.Emit(OpCodes.Ldc_I4_1);
                break;
            default:
                LoadFlag(FlagC);
                if (wide) _il.Emit(OpCodes.Conv_U8);
                break;
        }
        _il.Emit(OpCodes.Add);
    }

    /// <summary>N and Z of the result local: the result itself is both locals' form.</summary>
    private void EmitNZ(byte needed)
    {
        if ((needed & (1 << FlagN)) != 0)
        {
            _il.Emit(OpCodes.Ldloc, _result);
            StoreFlag(FlagN);
        }
        if ((needed & (1 << FlagZ)) != 0)
        {
            _il.Emit(OpCodes.Ldloc, _result);
            StoreFlag(FlagZ);
        }
    }

    /// <summary>
    /// Rm shifted by an immediate (A5.1.4-A5.1.13, as <see cref="Shifter.ShiftImmediate(uint, uint, int, bool, out bool)"/>)
    /// into the b local; with <paramref name="wantCarry"/> the carry-out into the carry local.
    /// True when the carry-out is the old C (LSL #0).
    /// </summary>
    private bool EmitShiftImmediate(uint word, uint pc, bool wantCarry)
    {
        int m = (int)word & 15;
        uint type = (word >> 5) & 3;
        int amount = (int)(word >> 7) & 31;
        LoadRegister(m, pc);
        _il.Emit(OpCodes.Stloc, _m);

        void CarryFromBit(int bit)
        {
            if (!wantCarry) return;
            _il.Emit(OpCodes.Ldloc, _m);
            if (bit != 0)
            {
                _il.Emit(OpCodes.Ldc_I4, bit);
                _il.Emit(OpCodes.Shr_Un);
            }
            _il.Emit(OpCodes.Ldc_I4_1);
            _il.Emit(OpCodes.And);
            _il.Emit(OpCodes.Stloc, _carry);
        }

        switch (type)
        {
            case 0: // LSL
                if (amount == 0)
                {
                    _il.Emit(OpCodes.Ldloc, _m);
                    _il.Emit(OpCodes.Stloc, _b);
                    return true;
                }
                CarryFromBit(32 - amount);
                _il.Emit(OpCodes.Ldloc, _m);
                _il.Emit(OpCodes.Ldc_I4, amount);
                _il.Emit(OpCodes.Shl);
                _il.Emit(OpCodes.Stloc, _b);
                return false;
            case 1: // LSR (#0 means #32)
                CarryFromBit(amount == 0 ? 31 : amount - 1);
                if (amount == 0) _il.Emit(OpCodes.Ldc_I4_0);
                else
                {
                    _il.Emit(OpCodes.Ldloc, _m);
                    _il.Emit(OpCodes.Ldc_I4, amount);
                    _il.Emit(OpCodes.Shr_Un);
                }
                _il.Emit(OpCodes.Stloc, _b);
                return false;
            case 2: // ASR (#0 means #32)
                CarryFromBit(amount == 0 ? 31 : amount - 1);
                _il.Emit(OpCodes.Ldloc, _m);
                _il.Emit(OpCodes.Ldc_I4, amount == 0 ? 31 : amount);
                _il.Emit(OpCodes.Shr);
                _il.Emit(OpCodes.Stloc, _b);
                return false;
            default: // ROR, RRX for #0
                if (amount == 0)
                {
                    CarryFromBit(0);
                    LoadFlag(FlagC);
                    _il.Emit(OpCodes.Ldc_I4, 31);
                    _il.Emit(OpCodes.Shl);
                    _il.Emit(OpCodes.Ldloc, _m);
                    _il.Emit(OpCodes.Ldc_I4_1);
                    _il.Emit(OpCodes.Shr_Un);
                    _il.Emit(OpCodes.Or);
                    _il.Emit(OpCodes.Stloc, _b);
                    return false;
                }
                CarryFromBit(amount - 1);
                _il.Emit(OpCodes.Ldloc, _m);
                _il.Emit(OpCodes.Ldc_I4, amount);
                _il.Emit(OpCodes.Shr_Un);
                _il.Emit(OpCodes.Ldloc, _m);
                _il.Emit(OpCodes.Ldc_I4, 32 - amount);
                _il.Emit(OpCodes.Shl);
                _il.Emit(OpCodes.Or);
                _il.Emit(OpCodes.Stloc, _b);
                return false;
        }
    }

    /// <summary>
    /// Rm shifted by the bottom byte of Rs (A5.1.5-A5.1.13 register forms, as
    /// <see cref="Shifter.ShiftRegister"/> without the carry) into the b local. The type is known:
    /// LSL and LSR by 32 or more give 0, ASR by 32 or more the sign, ROR rotates by the amount mod 32.
    /// </summary>
    private void EmitShiftRegister(uint word)
    {
        int m = (int)word & 15, s = (int)(word >> 8) & 15;
        uint type = (word >> 5) & 3;
        LoadRegister(m, 0);
        _il.Emit(OpCodes.Stloc, _m);
        LoadRegister(s, 0);
        _il.Emit(OpCodes.Ldc_I4, 0xFF);
        _il.Emit(OpCodes.And);
        _il.Emit(OpCodes.Stloc, _value); // the amount (the value local is free outside loads and stores)
        if (type == 3)
        {
            _il.Emit(OpCodes.Ldloc, _m);
            _il.Emit(OpCodes.Ldloc, _value);
            _il.Emit(OpCodes.Call, RotateRightMethod); // by amount & 31: ROR by a multiple of 32 leaves the value
            _il.Emit(OpCodes.Stloc, _b);
            return;
        }
        Label small = _il.DefineLabel(), done = _il.DefineLabel();
        _il.Emit(OpCodes.Ldloc, _value);
        _il.Emit(OpCodes.Ldc_I4, 32);
        _il.Emit(OpCodes.Blt_Un, small);
        if (type == 2)
        {
            _il.Emit(OpCodes.Ldloc, _m);
            _il.Emit(OpCodes.Ldc_I4, 31);
            _il.Emit(OpCodes.Shr);
        }
        else
        {
            _il.Emit(OpCodes.Ldc_I4_0);
        }
        _il.Emit(OpCodes.Stloc, _b);
        _il.Emit(OpCodes.Br, done);
        _il.MarkLabel(small);
        _il.Emit(OpCodes.Ldloc, _m);
        _il.Emit(OpCodes.Ldloc, _value);
        _il.Emit(type switch { 0 => OpCodes.Shl, 1 => OpCodes.Shr_Un, _ => OpCodes.Shr });
        _il.Emit(OpCodes.Stloc, _b);
        _il.MarkLabel(done);
    }

    /// <summary>
    /// The shifter's carry of a register shift (A8.4.3, Shift_C) into _carry, for a logical S
    /// form: C unchanged by an amount of 0; LSL by 1-32 the last bit out (0 beyond); LSR likewise
    /// from the bottom; ASR by 32 or more bit 31; ROR bit 31 of the result. After
    /// <see cref="EmitShiftRegister"/>: Rm in _m, the amount in _value, the result in _b.
    /// </summary>
    private void EmitShiftRegisterCarry(uint word)
    {
        uint type = (word >> 5) & 3;
        Label zero = _il.DefineLabel(), beyond = _il.DefineLabel(), end = _il.DefineLabel();
        _il.Emit(OpCodes.Ldloc, _value);
        _il.Emit(OpCodes.Brfalse, zero);
        if (type == 3)
        {
            _il.Emit(OpCodes.Ldloc, _b);
            _il.Emit(OpCodes.Ldc_I4, 31);
            _il.Emit(OpCodes.Shr_Un);
        }
        else
        {
            _il.Emit(OpCodes.Ldloc, _value);
            _il.Emit(OpCodes.Ldc_I4, 33);
            _il.Emit(OpCodes.Bge_Un, beyond);
            if (type == 0)
            {
                // ((ulong)Rm << amount) >> 32, bit 0 (amount 1-32)
                _il.Emit(OpCodes.Ldloc, _m);
                _il.Emit(OpCodes.Conv_U8);
                _il.Emit(OpCodes.Ldloc, _value);
                _il.Emit(OpCodes.Shl);
                _il.Emit(OpCodes.Ldc_I4, 32);
                _il.Emit(OpCodes.Shr_Un);
                _il.Emit(OpCodes.Conv_U4);
            }
            else
            {
                // Rm >> (amount - 1), bit 0 (amount 1-32; ASR's at 32 is bit 31, as beyond)
                _il.Emit(OpCodes.Ldloc, _m);
                _il.Emit(OpCodes.Ldloc, _value);
                _il.Emit(OpCodes.Ldc_I4_1);
                _il.Emit(OpCodes.Sub);
                _il.Emit(type == 1 ? OpCodes.Shr_Un : OpCodes.Shr);
            }
            _il.Emit(OpCodes.Ldc_I4_1);
            _il.Emit(OpCodes.And);
            _il.Emit(OpCodes.Stloc, _carry);
            _il.Emit(OpCodes.Br, end);
            _il.MarkLabel(beyond);
            if (type == 2)
            {
                _il.Emit(OpCodes.Ldloc, _m);
                _il.Emit(OpCodes.Ldc_I4, 31);
                _il.Emit(OpCodes.Shr_Un);
            }
            else _il.Emit(OpCodes.Ldc_I4_0);
        }
        _il.Emit(OpCodes.Stloc, _carry);
        _il.Emit(OpCodes.Br, end);
        _il.MarkLabel(zero);
        LoadFlag(FlagC);
        _il.Emit(OpCodes.Stloc, _carry);
        _il.MarkLabel(end);
    }

    // ---- multiply (A3.5) ------------------------------------------------------------------------

    private void EmitMultiply(int i, uint word, bool accumulate)
    {
        uint pc = PcOf(i);
        int d = (int)(word >> 16) & 15, a = (int)(word >> 12) & 15, s = (int)(word >> 8) & 15, m = (int)word & 15;
        if (accumulate && (word & (1u << 22)) != 0)
        {
            // MLS (A8.8.101): Ra - Rn * Rm (bits 23-20 0110; MLA's are 001S)
            LoadRegister(a, pc);
            LoadRegister(m, pc);
            LoadRegister(s, pc);
            _il.Emit(OpCodes.Mul);
            _il.Emit(OpCodes.Sub);
            _il.Emit(OpCodes.Stloc, _result);
            _il.Emit(OpCodes.Ldloc, _result);
            StoreRegister(d);
            return;
        }
        LoadRegister(m, pc);
        LoadRegister(s, pc);
        _il.Emit(OpCodes.Mul);
        if (accumulate)
        {
            LoadRegister(a, pc);
            _il.Emit(OpCodes.Add);
        }
        _il.Emit(OpCodes.Stloc, _result);
        if ((word & (1u << 20)) != 0)
        {
            byte needed = (word >> 28) < 14 ? (byte)0x3 : (byte)(_flagsLiveAfter[i] & 0x3);
            EmitNZ(needed);
        }
        _il.Emit(OpCodes.Ldloc, _result);
        StoreRegister(d);
    }

    /// <summary>
    /// UMULL/UMLAL/SMULL/SMLAL (A8.8.257, A8.8.256, A8.8.189, A8.8.178): RdHi:RdLo = Rn * Rm
    /// (+ RdHi:RdLo), 64 bits, signed or not; with S, N = bit 63 and Z = all 64 bits zero (C and V
    /// unchanged, as ARMv5TE onwards). Both sources are read before either destination is
    /// written, RdLo before RdHi, as the interpreter's <see cref="Multiply.MultiplyLong"/> does
    /// (the same register twice is UNPREDICTABLE; this keeps the interpreter's outcome).
    /// </summary>
    private void EmitMultiplyLong(int i, uint word)
    {
        uint pc = PcOf(i);
        int hi = (int)(word >> 16) & 15, lo = (int)(word >> 12) & 15, m = (int)(word >> 8) & 15, n = (int)word & 15;
        bool signed = (word & (1u << 22)) != 0, accumulate = (word & (1u << 21)) != 0;
        LoadRegister(n, pc);
        _il.Emit(signed ? OpCodes.Conv_I8 : OpCodes.Conv_U8);
        LoadRegister(m, pc);
        _il.Emit(signed ? OpCodes.Conv_I8 : OpCodes.Conv_U8);
        _il.Emit(OpCodes.Mul);
        if (accumulate)
        {
            LoadRegister(hi, pc);
            _il.Emit(OpCodes.Conv_U8);
            _il.Emit(OpCodes.Ldc_I4, 32);
            _il.Emit(OpCodes.Shl);
            LoadRegister(lo, pc);
            _il.Emit(OpCodes.Conv_U8);
            _il.Emit(OpCodes.Or);
            _il.Emit(OpCodes.Add);
        }
        _il.Emit(OpCodes.Stloc, _sum);
        if ((word & (1u << 20)) != 0)
        {
            byte needed = (word >> 28) < 14 ? (byte)0x3 : (byte)(_flagsLiveAfter[i] & 0x3);
            if ((needed & (1 << FlagN)) != 0)
            {
                // N: bit 63, the high word's bit 31
                _il.Emit(OpCodes.Ldloc, _sum);
                _il.Emit(OpCodes.Ldc_I4, 32);
                _il.Emit(OpCodes.Shr_Un);
                _il.Emit(OpCodes.Conv_U4);
                StoreFlag(FlagN);
            }
            if ((needed & (1 << FlagZ)) != 0)
            {
                // Z: zero when the 64-bit result is
                _il.Emit(OpCodes.Ldloc, _sum);
                _il.Emit(OpCodes.Ldc_I8, 0L);
                _il.Emit(OpCodes.Cgt_Un);
                StoreFlag(FlagZ);
            }
        }
        _il.Emit(OpCodes.Ldloc, _sum);
        _il.Emit(OpCodes.Conv_U4);
        StoreRegister(lo);
        _il.Emit(OpCodes.Ldloc, _sum);
        _il.Emit(OpCodes.Ldc_I4, 32);
        _il.Emit(OpCodes.Shr_Un);
        _il.Emit(OpCodes.Conv_U4);
        StoreRegister(hi);
    }

    /// <summary>
    /// BX Rm (A8.8.27), the common return, and BLX Rm (A8.8.26, bit 5 of the A32 word), the call
    /// through a pointer: BXWritePC (Cpu.WritePC.cs) inline -- the PC-write count, T from bit 0,
    /// the target with bit 0 (Thumb) or bits 1:0 (ARM) cleared -- and the block leaves by a
    /// computed exit, as after an interpreted branch (the PC, R15 and the budget as the
    /// interpreter has them; the exit's tail writes the locals back and takes the prediction).
    /// BLX reads the target before it writes LR (BLX LR works), LR the next instruction (in
    /// Thumb state with bit 0 set). Without the call to the handler, the locals need not be
    /// written back before it.
    /// </summary>
    private void EmitBranchExchange(int i, uint word)
    {
        EmitInstructionState(i);
        LoadRegister((int)word & 15, PcOf(i));
        _il.Emit(OpCodes.Stloc, _value);
        if ((word & 0x20) != 0)
        {
            _il.Emit(OpCodes.Ldc_I4, (int)(_thumb ? NextPcOf(i) | 1 : PcOf(i) + 4));
            StoreRegister(14);
        }
        EmitCountPcWrite();
        _il.Emit(OpCodes.Ldarg_1);
        _il.Emit(OpCodes.Ldloc, _value);
        _il.Emit(OpCodes.Ldc_I4_1);
        _il.Emit(OpCodes.And);
        _il.Emit(OpCodes.Stfld, TField);
        // next PC = target & ~(1 | (bit 0 clear ? 2 : 0))
        _il.Emit(OpCodes.Ldarg_1);
        _il.Emit(OpCodes.Ldloc, _value);
        _il.Emit(OpCodes.Ldloc, _value);
        _il.Emit(OpCodes.Ldc_I4_1);
        _il.Emit(OpCodes.And);
        _il.Emit(OpCodes.Ldc_I4_1);
        _il.Emit(OpCodes.Xor);
        _il.Emit(OpCodes.Ldc_I4_1);
        _il.Emit(OpCodes.Shl);
        _il.Emit(OpCodes.Ldc_I4_1);
        _il.Emit(OpCodes.Or);
        _il.Emit(OpCodes.Not);
        _il.Emit(OpCodes.And);
        _il.Emit(OpCodes.Stfld, NextPcField);
        _il.Emit(OpCodes.Br, NewExit(ExitKind.AfterCallOut));
    }

    /// <summary>
    /// SXTB/SXTH/UXTB/UXTH (A8.8.223, A8.8.225, A8.8.274, A8.8.276; the forms without an
    /// accumulator): Rd = Rm rotated right by 0, 8, 16 or 24, its low byte or halfword sign- or
    /// zero-extended. The A32 word's bit 22 says unsigned, bit 20 halfword, bits 11:10 the rotation.
    /// </summary>
    private void EmitExtend(int i, uint word)
    {
        int rotation = (int)((word >> 10) & 3) * 8;
        bool unsigned = (word & (1u << 22)) != 0, halfword = (word & (1u << 20)) != 0;
        LoadRegister((int)word & 15, PcOf(i));
        if (rotation != 0)
        {
            _il.Emit(OpCodes.Ldc_I4, rotation);
            _il.Emit(OpCodes.Call, RotateRightMethod);
        }
        _il.Emit((unsigned, halfword) switch
        {
            (true, false) => OpCodes.Conv_U1,
            (true, true) => OpCodes.Conv_U2,
            (false, false) => OpCodes.Conv_I1,
            _ => OpCodes.Conv_I2,
        });
        StoreRegister((int)(word >> 12) & 15);
    }

    /// <summary>
    /// MOVW (A8.8.102, A2): Rd = imm16; MOVT (A8.8.106, bit 22 set): Rd[31:16] = imm16, Rd[15:0]
    /// unchanged. imm16 is the A32 word's imm4:imm12.
    /// </summary>
    private void EmitMoveWide(uint word)
    {
        int d = (int)(word >> 12) & 15;
        uint imm16 = ((word >> 4) & 0xF000) | (word & 0xFFF);
        if ((word & (1u << 22)) == 0)
        {
            _il.Emit(OpCodes.Ldc_I4, (int)imm16);
            StoreRegister(d);
            return;
        }
        LoadRegister(d, 0);
        _il.Emit(OpCodes.Ldc_I4, 0xFFFF);
        _il.Emit(OpCodes.And);
        _il.Emit(OpCodes.Ldc_I4, (int)(imm16 << 16));
        _il.Emit(OpCodes.Or);
        StoreRegister(d);
    }

    /// <summary>
    /// BLX (immediate) (A8.8.25): LR = the next instruction (with bit 0 set in Thumb state), then
    /// BXWritePC to the other instruction set -- the A32 form to Thumb at PC + 8 + imm (H its bit
    /// 1), the T32 form to ARM at Align(PC, 4) + imm -- as a computed exit (blocks link only to
    /// blocks of their own state); counted as BXWritePC counts.
    /// </summary>
    private void EmitCallExchange(int i)
    {
        uint word = WordAt(i);
        uint target = _thumb ? _t[i].Target : PcOf(i) + 8 + (uint)(((int)(word << 8)) >> 6) + ((word >> 23) & 2);
        _il.Emit(OpCodes.Ldc_I4, (int)(_thumb ? NextPcOf(i) | 1 : PcOf(i) + 4));
        StoreRegister(14);
        EmitCountPcWrite();
        _il.Emit(OpCodes.Ldarg_1);
        _il.Emit(_thumb ? OpCodes.Ldc_I4_0 : OpCodes.Ldc_I4_1);
        _il.Emit(OpCodes.Stfld, TField);
        // A fixed exit into the other state, linked as BL's is (TranslatedBlock.OtherState): the
        // C library's and libgcc's ARM routines a Thumb program calls chain without the
        // call-out exit's stores and prediction check.
        EmitFixedExit(CurrentDirtyRegisters(), CurrentDirtyFlags(), i + 1, _thumb ? target & ~3u : target & ~1u, ReadPcOf(i), changesState: true);
    }

    /// <summary>
    /// UBFX, SBFX (A8.8.246, A8.8.164): Rd = the width bits of Rn from lsb, zero- or
    /// sign-extended. The A32 word: U in 22, widthminus1 in 20:16, Rd, lsb in 11:7, Rn in 3:0.
    /// </summary>
    private void EmitBitfieldExtract(int i, uint word)
    {
        int lsb = (int)(word >> 7) & 31, width = (int)((word >> 16) & 31) + 1;
        bool unsigned = (word & (1u << 22)) != 0;
        LoadRegister((int)word & 15, PcOf(i));
        if (unsigned)
        {
            if (lsb != 0)
            {
                _il.Emit(OpCodes.Ldc_I4, lsb);
                _il.Emit(OpCodes.Shr_Un);
            }
            if (width < 32)
            {
                _il.Emit(OpCodes.Ldc_I4, (int)((1u << width) - 1));
                _il.Emit(OpCodes.And);
            }
        }
        else
        {
            int up = 32 - lsb - width;
            if (up != 0)
            {
                _il.Emit(OpCodes.Ldc_I4, up);
                _il.Emit(OpCodes.Shl);
            }
            if (width < 32)
            {
                _il.Emit(OpCodes.Ldc_I4, 32 - width);
                _il.Emit(OpCodes.Shr);
            }
        }
        StoreRegister((int)(word >> 12) & 15);
    }

    /// <summary>
    /// REV, REV16, REVSH (A8.8.145-A8.8.147): the bytes of Rm reversed, in each halfword, or in the
    /// low halfword sign-extended. The A32 word: bit 22 REVSH, else bit 7 REV16.
    /// </summary>
    private void EmitReverse(int i, uint word)
    {
        LoadRegister((int)word & 15, PcOf(i));
        if ((word & (1u << 22)) != 0)
        {
            // REVSH: SignExtend(Rm<7:0>:Rm<15:8>)
            _il.Emit(OpCodes.Stloc, _value);
            _il.Emit(OpCodes.Ldloc, _value);
            _il.Emit(OpCodes.Ldc_I4_8);
            _il.Emit(OpCodes.Shl);
            _il.Emit(OpCodes.Ldloc, _value);
            _il.Emit(OpCodes.Ldc_I4_8);
            _il.Emit(OpCodes.Shr_Un);
            _il.Emit(OpCodes.Ldc_I4, 0xFF);
            _il.Emit(OpCodes.And);
            _il.Emit(OpCodes.Or);
            _il.Emit(OpCodes.Conv_I2);
        }
        else if ((word & 0x80) != 0)
        {
            // REV16: the bytes of each halfword swapped
            _il.Emit(OpCodes.Stloc, _value);
            _il.Emit(OpCodes.Ldloc, _value);
            _il.Emit(OpCodes.Ldc_I4_8);
            _il.Emit(OpCodes.Shr_Un);
            _il.Emit(OpCodes.Ldc_I4, 0x00FF00FF);
            _il.Emit(OpCodes.And);
            _il.Emit(OpCodes.Ldloc, _value);
            _il.Emit(OpCodes.Ldc_I4_8);
            _il.Emit(OpCodes.Shl);
            _il.Emit(OpCodes.Ldc_I4, unchecked((int)0xFF00FF00));
            _il.Emit(OpCodes.And);
            _il.Emit(OpCodes.Or);
        }
        else
        {
            _il.Emit(OpCodes.Call, ReverseEndiannessMethod);
        }
        StoreRegister((int)(word >> 12) & 15);
    }

    /// <summary>
    /// TBB, TBH (A8.8.411; T32 only, outside IT blocks): BranchWritePC(PC + 2 * the byte at Rn + Rm,
    /// or the halfword at Rn + Rm * 2), then a computed exit. The entry is read inline from plain RAM
    /// (a halfword aligned and little-endian); anything else -- and every read with the cache model,
    /// which the handler counts -- is the interpreter's handler, the locals written back first.
    /// The A32 form: Rn in 19:16, H in 4, Rm in 3:0.
    /// </summary>
    private void EmitTableBranch(int i, uint word, DecodedInstruction d)
    {
        uint pc = PcOf(i);
        bool half = (word & 0x10) != 0;
        Label slow = _il.DefineLabel();
        if (!_dataCacheHits)
        {
            LoadRegister((int)(word >> 16) & 15, pc);
            LoadRegister((int)word & 15, pc);
            if (half)
            {
                _il.Emit(OpCodes.Ldc_I4_1);
                _il.Emit(OpCodes.Shl);
            }
            _il.Emit(OpCodes.Add);
            _il.Emit(OpCodes.Stloc, _address);
            if (half) EmitSlowUnlessAlignedLittleEndian(1, slow);
            EmitHostAddress(load: true, slow);
            _il.Emit(half ? OpCodes.Ldind_U2 : OpCodes.Ldind_U1);
            _il.Emit(OpCodes.Stloc, _value);
            EmitInstructionState(i);
            _il.Emit(OpCodes.Ldarg_1);
            _il.Emit(OpCodes.Ldc_I4, (int)ReadPcOf(i));
            _il.Emit(OpCodes.Ldloc, _value);
            _il.Emit(OpCodes.Ldc_I4_1);
            _il.Emit(OpCodes.Shl);
            _il.Emit(OpCodes.Add);
            _il.Emit(OpCodes.Call, BranchWritePCMethod);
            _il.Emit(OpCodes.Br, NewExit(ExitKind.AfterCallOut));
        }
        _il.MarkLabel(slow);
        EmitWriteBack(CurrentDirtyRegisters(), CurrentDirtyFlags());
        EmitInstructionState(i);
        EmitHandlerCall(i, word, d);
        _il.Emit(OpCodes.Br, CleanExit(ExitKind.AfterCallOut));
    }

    /// <summary>CLZ (A8.8.33): Rd = the number of leading zero bits of Rm (32 for zero).</summary>
    private void EmitCountLeadingZeros(int i, uint word)
    {
        LoadRegister((int)word & 15, PcOf(i));
        _il.Emit(OpCodes.Call, LeadingZeroCountMethod);
        StoreRegister((int)(word >> 12) & 15);
    }

    /// <summary>An exit that writes no local back (the CPU has them all already).</summary>
    private Label CleanExit(ExitKind kind)
    {
        var label = _il.DefineLabel();
        _exits.Add(new Exit(label, 0, 0, kind, 0, 0, 0));
        return label;
    }

    // ---- everything else: the interpreter's handler ----------------------------------------------

    private void EmitFallback(int i, uint word, DecodedInstruction d)
    {
        EmitInstructionState(i);
        EmitHandlerCall(i, word, d);
        if (_thumb) EmitITAdvance(i);

        var exit = NewExit(ExitKind.AfterCallOut);
        _il.Emit(OpCodes.Ldarg_1);
        _il.Emit(OpCodes.Ldfld, NextPcField);
        _il.Emit(OpCodes.Ldc_I4, (int)NextPcOf(i));
        _il.Emit(OpCodes.Bne_Un, exit);
        EmitCallOutChecks(i, exit);
        if ((d.Flags & EncodingFlags.MayFault) != 0 && !IsLoad(word))
        {
            _il.Emit(OpCodes.Ldarg_0);
            _il.Emit(OpCodes.Call, WordsChangedMethod);
            _il.Emit(OpCodes.Brtrue, exit);
        }
    }

    /// <summary>
    /// Calls the interpreter's handler of instruction <paramref name="i"/> with its word (a Thumb
    /// instruction's own handler and halfwords, not its A32 form).
    /// </summary>
    private void EmitHandlerCall(int i, uint word, DecodedInstruction d)
    {
        // (an ARM instruction's own word: the emitters' may be rearranged, ArmWordFor)
        (word, d) = (_thumb ? _t[i].Op : _block.Words[i], _decoded[i]);
        _il.Emit(OpCodes.Ldarg_1);
        _il.Emit(OpCodes.Ldc_I4, (int)word);
        _il.Emit(OpCodes.Ldc_I8, (long)(nint)d.Handler);
        _il.Emit(OpCodes.Conv_I);
        _il.EmitCalli(OpCodes.Calli, CallingConventions.Standard, typeof(void), [typeof(Cpu), typeof(uint)], null);
        // A handler may change the mode, and so the privilege whose tables the port uses.
        LoadHostTables();
    }

    /// <summary>
    /// The memory port's read and write tables (<see cref="MemoryPort.ReadTable"/>, WriteTable)
    /// in locals, for the inline loads and stores: loaded in the prologue and again after every
    /// interpreted instruction, the only code inside a block that can change the privilege (and
    /// so the tables: each privilege has its own, allocated once for the port's life; their
    /// entries are read at each access). Without them each access made three dependent loads
    /// (the CPU's port, its current tables, the table) before the entry itself.
    /// Not in blocks without an inline access. With the cache model the same locals hold the
    /// current privilege's remembered D-cache lines instead (<see cref="LoadRememberedLineTables"/>).
    /// </summary>
    private void LoadHostTables()
    {
        if (_noInlineAccess) return;
        if (_readTable is null)
        {
            bool any = false;
            for (int k = 0; k < _decoded.Length && !any; k++)
                any = FormAt(k) is Form.LoadStore or Form.LoadStoreExtra or Form.LoadStoreDual or Form.TableBranch or Form.LoadMultiple or Form.StoreMultiple && CanInline(FormAt(k), WordAt(k));
            _noInlineAccess = !any;
            if (!any) return;
            _readTable = _il.DeclareLocal(typeof(nint));
            _writeTable = _il.DeclareLocal(typeof(nint));
        }
        if (_dataCacheHits)
        {
            LoadRememberedLineTables();
            return;
        }
        _il.Emit(OpCodes.Ldarg_1);
        _il.Emit(OpCodes.Call, MemoryGetter);
        _il.Emit(OpCodes.Dup);
        _il.Emit(OpCodes.Call, ReadTableGetter);
        _il.Emit(OpCodes.Stloc, _readTable);
        _il.Emit(OpCodes.Call, WriteTableGetter);
        _il.Emit(OpCodes.Stloc, _writeTable!);
    }

    private LocalBuilder? _readTable, _writeTable;
    private bool _noInlineAccess;

    // ---- the forms the translator compiles, by handler ---------------------------------------------

    private static Dictionary<nint, Form> BuildForms()
    {
        var forms = new Dictionary<nint, Form>();
        AddData<And>(forms); AddData<Eor>(forms); AddData<Sub>(forms); AddData<Rsb>(forms);
        AddData<Add>(forms); AddData<Adc>(forms); AddData<Sbc>(forms); AddData<Rsc>(forms);
        AddData<Tst>(forms); AddData<Teq>(forms); AddData<Cmp>(forms); AddData<Cmn>(forms);
        AddData<Orr>(forms); AddData<Mov>(forms); AddData<Bic>(forms); AddData<Mvn>(forms);
        forms[(nint)(delegate*<Cpu, uint, void>)&Multiply.Mul<ArmFields.MulA1>] = Form.Multiply;
        forms[(nint)(delegate*<Cpu, uint, void>)&Multiply.Mla<ArmFields.MlaA1>] = Form.MultiplyAccumulate;
        forms[(nint)(delegate*<Cpu, uint, void>)&Multiply.Umull<ArmFields.UmullA1>] = Form.MultiplyLong;
        forms[(nint)(delegate*<Cpu, uint, void>)&Multiply.Umlal<ArmFields.UmlalA1>] = Form.MultiplyLong;
        forms[(nint)(delegate*<Cpu, uint, void>)&Multiply.Smull<ArmFields.SmullA1>] = Form.MultiplyLong;
        forms[(nint)(delegate*<Cpu, uint, void>)&Multiply.Smlal<ArmFields.SmlalA1>] = Form.MultiplyLong;
        forms[(nint)(delegate*<Cpu, uint, void>)&DataProcessing.Clz] = Form.CountLeadingZeros;
        forms[(nint)(delegate*<Cpu, uint, void>)&Interpreter.Extend.Execute<SignedByte, ArmFields.SxtbA1>] = Form.Extend;
        forms[(nint)(delegate*<Cpu, uint, void>)&Interpreter.Extend.Execute<SignedHalfword, ArmFields.SxthA1>] = Form.Extend;
        forms[(nint)(delegate*<Cpu, uint, void>)&Interpreter.Extend.Execute<UnsignedByte, ArmFields.UxtbA1>] = Form.Extend;
        forms[(nint)(delegate*<Cpu, uint, void>)&Interpreter.Extend.Execute<UnsignedHalfword, ArmFields.UxthA1>] = Form.Extend;
        forms[(nint)(delegate*<Cpu, uint, void>)&MoveWide.MovtA1] = Form.MoveWide;
        forms[(nint)(delegate*<Cpu, uint, void>)&Multiply.Mls<ArmFields.MlsA1>] = Form.MultiplyAccumulate;
        forms[(nint)(delegate*<Cpu, uint, void>)&Bitfield.Ubfx<ArmFields.UbfxA1>] = Form.BitfieldExtract;
        forms[(nint)(delegate*<Cpu, uint, void>)&Bitfield.Sbfx<ArmFields.SbfxA1>] = Form.BitfieldExtract;
        forms[(nint)(delegate*<Cpu, uint, void>)&Reverse.RevA1] = Form.Reverse;
        forms[(nint)(delegate*<Cpu, uint, void>)&Reverse.Rev16A1] = Form.Reverse;
        forms[(nint)(delegate*<Cpu, uint, void>)&Reverse.RevshA1] = Form.Reverse;
        forms[(nint)(delegate*<Cpu, uint, void>)&MoveWide.MovwA2] = Form.MoveWide;
        forms[(nint)(delegate*<Cpu, uint, void>)&Interpreter.Branch.B] = Form.Branch;
        forms[(nint)(delegate*<Cpu, uint, void>)&Interpreter.Branch.Bl] = Form.BranchLink;
        forms[(nint)(delegate*<Cpu, uint, void>)&Hints.Nop] = Form.Hint;
        forms[(nint)(delegate*<Cpu, uint, void>)&Interpreter.Branch.Bx] = Form.BranchExchange;
        forms[(nint)(delegate*<Cpu, uint, void>)&Interpreter.Branch.BlxRegister] = Form.BranchExchange;
        foreach (var handler in (ReadOnlySpan<nint>)
                 [
                     (nint)(delegate*<Cpu, uint, void>)&LoadStore.StrImmediate, (nint)(delegate*<Cpu, uint, void>)&LoadStore.StrImmediatePost,
                     (nint)(delegate*<Cpu, uint, void>)&LoadStore.StrRegister, (nint)(delegate*<Cpu, uint, void>)&LoadStore.StrRegisterPost,
                     (nint)(delegate*<Cpu, uint, void>)&LoadStore.StrbImmediate, (nint)(delegate*<Cpu, uint, void>)&LoadStore.StrbImmediatePost,
                     (nint)(delegate*<Cpu, uint, void>)&LoadStore.StrbRegister, (nint)(delegate*<Cpu, uint, void>)&LoadStore.StrbRegisterPost,
                     (nint)(delegate*<Cpu, uint, void>)&LoadStore.LdrImmediate, (nint)(delegate*<Cpu, uint, void>)&LoadStore.LdrImmediatePost,
                     (nint)(delegate*<Cpu, uint, void>)&LoadStore.LdrRegister, (nint)(delegate*<Cpu, uint, void>)&LoadStore.LdrRegisterPost,
                     (nint)(delegate*<Cpu, uint, void>)&LoadStore.LdrbImmediate, (nint)(delegate*<Cpu, uint, void>)&LoadStore.LdrbImmediatePost,
                     (nint)(delegate*<Cpu, uint, void>)&LoadStore.LdrbRegister, (nint)(delegate*<Cpu, uint, void>)&LoadStore.LdrbRegisterPost,
                 ])
            forms[handler] = Form.LoadStore;
        foreach (var handler in (ReadOnlySpan<nint>)
                 [
                     (nint)(delegate*<Cpu, uint, void>)&LoadStoreExtra.StrhImmediate, (nint)(delegate*<Cpu, uint, void>)&LoadStoreExtra.StrhImmediatePost,
                     (nint)(delegate*<Cpu, uint, void>)&LoadStoreExtra.StrhRegister, (nint)(delegate*<Cpu, uint, void>)&LoadStoreExtra.StrhRegisterPost,
                     (nint)(delegate*<Cpu, uint, void>)&LoadStoreExtra.LdrhImmediate, (nint)(delegate*<Cpu, uint, void>)&LoadStoreExtra.LdrhImmediatePost,
                     (nint)(delegate*<Cpu, uint, void>)&LoadStoreExtra.LdrhRegister, (nint)(delegate*<Cpu, uint, void>)&LoadStoreExtra.LdrhRegisterPost,
                     (nint)(delegate*<Cpu, uint, void>)&LoadStoreExtra.LdrsbImmediate, (nint)(delegate*<Cpu, uint, void>)&LoadStoreExtra.LdrsbImmediatePost,
                     (nint)(delegate*<Cpu, uint, void>)&LoadStoreExtra.LdrsbRegister, (nint)(delegate*<Cpu, uint, void>)&LoadStoreExtra.LdrsbRegisterPost,
                     (nint)(delegate*<Cpu, uint, void>)&LoadStoreExtra.LdrshImmediate, (nint)(delegate*<Cpu, uint, void>)&LoadStoreExtra.LdrshImmediatePost,
                     (nint)(delegate*<Cpu, uint, void>)&LoadStoreExtra.LdrshRegister, (nint)(delegate*<Cpu, uint, void>)&LoadStoreExtra.LdrshRegisterPost,
                 ])
            forms[handler] = Form.LoadStoreExtra;
        foreach (var handler in (ReadOnlySpan<nint>)
                 [
                     (nint)(delegate*<Cpu, uint, void>)&LoadStoreExtra.LdrdImmediate, (nint)(delegate*<Cpu, uint, void>)&LoadStoreExtra.LdrdImmediatePost,
                     (nint)(delegate*<Cpu, uint, void>)&LoadStoreExtra.LdrdRegister, (nint)(delegate*<Cpu, uint, void>)&LoadStoreExtra.LdrdRegisterPost,
                     (nint)(delegate*<Cpu, uint, void>)&LoadStoreExtra.StrdImmediate, (nint)(delegate*<Cpu, uint, void>)&LoadStoreExtra.StrdImmediatePost,
                     (nint)(delegate*<Cpu, uint, void>)&LoadStoreExtra.StrdRegister, (nint)(delegate*<Cpu, uint, void>)&LoadStoreExtra.StrdRegisterPost,
                 ])
            forms[handler] = Form.LoadStoreDual;
        forms[(nint)(delegate*<Cpu, uint, void>)&LoadStoreMultiple.Ldm] = Form.LoadMultiple;
        forms[(nint)(delegate*<Cpu, uint, void>)&LoadStoreMultiple.Stm] = Form.StoreMultiple;
        return forms;
    }

    private static void AddData<TOp>(Dictionary<nint, Form> forms) where TOp : struct, IAluOperation
    {
        forms[(nint)(delegate*<Cpu, uint, void>)&DataProcessing.Execute<TOp, ImmediateOperand>] = Form.DataImmediate;
        forms[(nint)(delegate*<Cpu, uint, void>)&DataProcessing.Execute<TOp, ImmediateShiftOperand>] = Form.DataShift;
        forms[(nint)(delegate*<Cpu, uint, void>)&DataProcessing.Execute<TOp, RegisterShiftOperand>] = Form.DataShiftRegister;
    }

    private static FieldInfo Field(string name) =>
        typeof(Cpu).GetField(name, BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic)
        ?? throw new MissingFieldException(nameof(Cpu), name);

    private static MethodInfo Getter(Type type, string name) =>
        type.GetProperty(name, BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic)?.GetMethod
        ?? throw new MissingMethodException(type.Name, "get_" + name);

    private static MethodInfo Method(Type type, string name) =>
        type.GetMethod(name, BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic)
        ?? throw new MissingMethodException(type.Name, name);
}
