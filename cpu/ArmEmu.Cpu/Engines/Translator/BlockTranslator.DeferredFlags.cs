using System.Reflection.Emit;

namespace ArmEmu.Cpu.Engines.Translator;

/// <summary>
/// Deferred flags. Outside IT blocks nearly every 16-bit Thumb data-processing instruction sets
/// the flags (ADDS, SUBS, MOVS, LSLS, ANDS...), where the A32 code of the same loop mostly does
/// not; those flags are usually set again before anything reads them, but a load or store in
/// between may leave the block by its side exit, where the flags are written back, so the
/// liveness of <see cref="FlagLiveness"/> keeps them all (matmul's Thumb loop: an ADDS
/// before an LDR, its NZCV about 15 host instructions a pass). Here such an instruction records
/// where its values are instead (<see cref="DeferredFlags"/>, <see cref="Source"/>: its result or
/// operand still in a register, an immediate, a copy only where needed) and the flags are computed
/// from them only where something can read them: on the exits taken while they are pending (each
/// such exit computes them before its write-back), before an instruction the deferral does not
/// pass (<see cref="PassesDeferred"/>: it reads or partly rewrites them, calls out, branches or
/// is conditional), before a write-back of them, and at the block's end. The flags an exit
/// or a handler sees are the same values, so the result is exact; only the cost moves off the
/// fast path.
/// <para>Across a loop back (<see cref="EmitLoopBack"/>): a block that branches to its own start
/// with flags pending (chase's and matmul's SUBS before BNE: N, C and V read by no instruction
/// of the next pass before it sets them again, only by its exits) keeps them pending into the
/// next pass, with a runtime local (_loopPending) saying whether they are: the code from the
/// top until they are computed or set again tests it where it would compute them (its exits,
/// the first instruction that does not pass them). Which flags and opcode a block carries is
/// found by translating it once without (<see cref="LoopCarry"/>), then again with them
/// (<see cref="Compile"/>).</para>
/// </summary>
internal sealed unsafe partial class BlockTranslator
{
    /// <summary>
    /// Flags an instruction set but left to be computed (Mask), its data-processing opcode, and
    /// where its values are: First, the result when KeepsResult (an instruction that writes Rd:
    /// an ADD's operand is the result less the second, a logical one's flags are the result's)
    /// or else the first operand (CMP, CMN, TST, TEQ); Second, the second operand, when a value
    /// needs it; Carry, a logical S form's shifter carry. Guarded: carried over a loop back,
    /// pending only if the runtime local _loopPending says so.
    /// </summary>
    private readonly record struct DeferredFlags(byte Mask, byte Opcode, bool Guarded = false, bool KeepsResult = false,
                                                 Source First = default, Source Second = default, Source Carry = default);

    private enum SourceKind : byte { Local, Register, Constant }

    /// <summary>
    /// Where a deferral finds one of its values: in a local of its own (a copy; the default), in
    /// guest register Value's local as long as nothing writes it (<see cref="KeepSources"/>), or
    /// the constant Value (an immediate operand, an immediate's carry). A register or a constant
    /// costs the pass nothing: a copy kept for the exits is a move, and across a loop back a
    /// local live through the whole pass, which the .NET JIT keeps on the stack (matmul: a copy,
    /// a spill and the immediate's store on every pass; Thumb-2's ADDS kept the old counter
    /// alive beside the new one, two more moves at the loop back).
    /// </summary>
    private readonly record struct Source(SourceKind Kind, uint Value)
    {
        public static Source Register(int r) => new(SourceKind.Register, (uint)r);

        public static Source Constant(uint value) => new(SourceKind.Constant, value);
    }

    private DeferredFlags _deferred;
    private LocalBuilder? _deferredA, _deferredB, _deferredResult, _deferredCarry;

    /// <summary>The deferral this translation carries over its loop back (none on the first translation).</summary>
    private DeferredFlags _carried;

    /// <summary>What the first translation found pending at its loop back: translated again carrying it.</summary>
    private DeferredFlags LoopCarry { get; set; }

    /// <summary>Whether the carried deferral's flags are pending at run time (set at the loop back, clear on entry).</summary>
    private LocalBuilder? _loopPending;

    /// <summary>Instruction <paramref name="i"/> is a B to the block's start that loops inside the block (<see cref="EmitLoopBack"/>).</summary>
    private bool IsLoopBack(int i) =>
        FormAt(i) == Form.Branch && BranchTarget(i) == _block.Start && ITStateAt(i + 1) == 0;

    /// <summary>Declares the deferral's locals (before the top when a deferral is carried into it).</summary>
    private void DeclareDeferredLocals()
    {
        _deferredA ??= _il.DeclareLocal(typeof(uint));
        _deferredB ??= _il.DeclareLocal(typeof(uint));
        _deferredResult ??= _il.DeclareLocal(typeof(uint));
        _deferredCarry ??= _il.DeclareLocal(typeof(bool));
    }

    /// <summary>
    /// Before the top of a translation that carries a deferral: the runtime local clear (on entry
    /// the flags are the CPU's, in their locals) and the deferral pending, guarded by it.
    /// </summary>
    private void EnterCarried()
    {
        if (_carried.Mask == 0) return;
        DeclareDeferredLocals();
        _loopPending = _il.DeclareLocal(typeof(bool));
        _il.Emit(OpCodes.Ldc_I4_0);
        _il.Emit(OpCodes.Stloc, _loopPending);
    }

    /// <summary>
    /// At the loop back, on the path that goes to the top: the flags pending here either carried
    /// (the deferral this translation carries: _loopPending set; or the carried one itself, still
    /// pending as it came) or computed (_loopPending cleared); the first translation records
    /// them for the second.
    /// </summary>
    private void EmitLoopCarry()
    {
        if (_carried.Mask == 0)
        {
            if (_deferred.Mask == 0) return;
            LoopCarry = _deferred;
            EmitDeferredFlags(_deferred);
            return;
        }
        if (_deferred == (_carried with { Guarded = true })) return; // neither computed nor set again in this pass: as it came
        // The same flags, opcode and sources as the top expects (a guarded one whose register
        // was copied in this pass is not: computed if pending, and then not pending).
        bool carry = _deferred == _carried;
        if (!carry && _deferred.Mask != 0) EmitDeferredFlags(_deferred);
        _il.Emit(carry ? OpCodes.Ldc_I4_1 : OpCodes.Ldc_I4_0);
        _il.Emit(OpCodes.Stloc, _loopPending!);
    }

    /// <summary>
    /// The flags read, before they are set, from the block's top to its loop back at
    /// <paramref name="loopBack"/> (or to the first instruction after which anything may read
    /// them), as <see cref="FlagLiveness"/> with plain accesses passing: what a pass leaves for the next.
    /// </summary>
    private byte FlagsReadFromTop(int loopBack)
    {
        byte read = 0, written = 0;
        for (int k = 0; k < loopBack; k++)
        {
            uint word = WordAt(k);
            var form = FormAt(k);
            if (form is Form.IfThen or Form.Hint) continue;
            if (!CanInline(form, word)) form = Form.Fallback;
            uint cond = word >> 28;
            bool conditional = cond < 14;
            if (!conditional && IsPlainAccess(form, word))
            {
                read |= (byte)(FlagsRead(form, word) & ~written);
                continue;
            }
            if (MayReadAllFlags(form, word))
                return (byte)(read | (AllFlags & ~written));
            read |= (byte)((FlagsReadAt(k, form, word) | (conditional ? ConditionFlags(cond) : 0)) & ~written);
            if (!conditional) written |= FlagsWrittenAt(k, form, word);
        }
        return (byte)(read | (AllFlags & ~written));
    }

    /// <summary>
    /// The flags read after each instruction by something other than an exit: as
    /// <see cref="FlagLiveness"/>, but an unconditional load or store that does not write
    /// the PC neither reads nor writes them (its only exit is a side exit, which computes deferred
    /// flags itself). Only with side exits: with call-outs each access writes the flags back.
    /// </summary>
    private byte[] _flagsReadAfter = null!;

    /// <summary>A compiled load or store that leaves the block only by a side exit (not one that loads the PC).</summary>
    private static bool IsPlainAccess(Form form, uint word) => form switch
    {
        Form.LoadStore or Form.LoadStoreExtra => !((word & (1u << 20)) != 0 && ((word >> 12) & 15) == 15),
        Form.LoadStoreDual or Form.StoreMultiple => true,
        Form.LoadMultiple => (word & 0x8000) == 0,
        _ => false,
    };

    /// <summary>
    /// Before instruction <paramref name="i"/> (its form as compiled): the pending flags computed
    /// now unless the instruction passes them; those it sets again itself are dropped, the
    /// others stay pending (Thumb's ADDS then LSLS: the LSLS sets N, Z and C, and only the
    /// ADDS's V is left for the exits, where before all four were computed at the LSLS).
    /// </summary>
    private void SettleDeferred(int i, Form form, uint word)
    {
        if (_deferred.Mask == 0) return;
        if (!PassesDeferred(i, form, word, out byte written))
        {
            EmitDeferredFlags(_deferred);
            _deferred = default;
        }
        else if ((_deferred.Mask & ~written) == 0) _deferred = default; // all set again by this instruction
        else
        {
            _deferred = _deferred with { Mask = (byte)(_deferred.Mask & ~written) };
            KeepSources(RegistersWritten(form, word));
        }
    }

    /// <summary>
    /// Before an instruction that may write the <paramref name="written"/> registers while flags
    /// are pending: a value the deferral still finds in one of them is copied into its own local
    /// first (chase's SUBS carried over the loop back reads R2 until the next pass's SUBS; matmul's
    /// CMP reads R3 until the ADD before the next CMP, and the copy there is dead by that CMP).
    /// </summary>
    private void KeepSources(ushort written)
    {
        var deferred = _deferred;
        if (deferred.First.Kind == SourceKind.Register && (written & (1 << (int)deferred.First.Value)) != 0)
        {
            Materialize(deferred.First, deferred.KeepsResult ? _deferredResult! : _deferredA!);
            deferred = deferred with { First = default };
        }
        if (deferred.Second.Kind == SourceKind.Register && (written & (1 << (int)deferred.Second.Value)) != 0)
        {
            Materialize(deferred.Second, _deferredB!);
            deferred = deferred with { Second = default };
        }
        _deferred = deferred;
    }

    /// <summary>A value of the deferral's from a register or a constant stored into <paramref name="local"/> (one in its local is there already).</summary>
    private void Materialize(Source source, LocalBuilder local)
    {
        if (source.Kind == SourceKind.Local) return;
        if (source.Kind == SourceKind.Register) _il.Emit(OpCodes.Ldloc, _r[source.Value]);
        else _il.Emit(OpCodes.Ldc_I4, (int)source.Value);
        _il.Emit(OpCodes.Stloc, local);
    }

    /// <summary>
    /// Whether instruction <paramref name="i"/> leaves the pending flags pending: unconditional,
    /// no call-out and no exit but a load's or store's side exit, and reading none of them
    /// (<paramref name="written"/>: the flags it sets, which are no longer pending after it: it
    /// sets them with no exit in between, unconditionally, and reads none of the pending ones).
    /// </summary>
    private bool PassesDeferred(int i, Form form, uint word, out byte written)
    {
        written = 0;
        byte pending = _deferred.Mask;
        // The loop back, reading none of them: pending on both its paths (the top's, carried or
        // computed by EmitLoopCarry; the next instruction's, or the exit that falls off the end).
        if (SideExits && form == Form.Branch && IsLoopBack(i)) return (ConditionFlags(word >> 28) & pending) == 0;
        if (!SideExits || word >> 28 < 14) return false;
        switch (form)
        {
            case Form.LoadStore or Form.LoadStoreExtra or Form.LoadStoreDual or Form.LoadMultiple or Form.StoreMultiple:
                return IsPlainAccess(form, word) && (FlagsRead(form, word) & pending) == 0;
            case Form.DataImmediate or Form.DataShift:
                if (WritesPcByAlu(form, word)) return false;
                uint opcode = (word >> 21) & 15;
                // C is read by ADC/SBC/RSC and RRX; a logical S form that keeps C only sets N and Z.
                if ((pending & (1 << FlagC)) != 0 && (opcode is 5 or 6 or 7 || (form == Form.DataShift && IsRrx(word)))) return false;
                written = FlagsWritten(form, word);
                if (IsLogical(opcode) && KeepsCarry(i, form, word)) written = (byte)(written & ~(1 << FlagC));
                return true;
            case Form.DataShiftRegister:
                return (word & (1u << 20)) == 0; // its S forms read C (a shift by 0 keeps it)
            case Form.Multiply or Form.MultiplyAccumulate or Form.MultiplyLong:
                written = FlagsWritten(form, word);
                return true;
            case Form.Extend or Form.MoveWide or Form.BitfieldExtract or Form.Reverse or Form.CountLeadingZeros:
                return true;
            default:
                return false;
        }
    }

    /// <summary>Whether a logical S form's shifter passes C through (LSL #0, an unrotated immediate, a T32 immediate that keeps it).</summary>
    private bool KeepsCarry(int i, Form form, uint word)
    {
        if (form == Form.DataImmediate)
            return _thumb && _t[i].HasImmediate ? _t[i].KeepsCarry : ((word >> 7) & 0x1E) == 0;
        return ((word >> 5) & 3) == 0 && ((word >> 7) & 31) == 0;
    }

    /// <summary>
    /// The flags of <paramref name="needed"/> that data-processing instruction <paramref name="i"/>
    /// may defer: those only an exit can read before they are set again, when nothing else is
    /// pending and the instruction is an unconditional ADD/SUB/RSB/CMP/CMN or logical S form.
    /// </summary>
    private byte DeferrableFlags(int i, uint word, Form form, byte needed, bool carryUnchanged)
    {
        if (!SideExits || _deferred.Mask != 0 || word >> 28 < 14 || form is not (Form.DataImmediate or Form.DataShift)) return 0;
        uint opcode = (word >> 21) & 15;
        if (opcode is 5 or 6 or 7) return 0; // ADC, SBC, RSC: their carry-in would have to be kept too
        byte actual = IsLogical(opcode) ? (byte)((1 << FlagN) | (1 << FlagZ) | (carryUnchanged ? 0 : 1 << FlagC)) : AllFlags;
        return (byte)(needed & actual & ~_flagsReadAfter[i]);
    }

    /// <summary>
    /// After a data-processing instruction's operation (its A32 <paramref name="word"/>, its
    /// immediate operand <paramref name="immediate"/> when <paramref name="form"/> has one):
    /// <paramref name="mask"/> pending, with where its values are (<see cref="Source"/>): the
    /// result in Rd, or Rn; an immediate, or an unshifted Rm other than Rd; else copies.
    /// </summary>
    private void DeferFlags(uint word, Form form, uint immediate, byte mask)
    {
        byte opcode = (byte)((word >> 21) & 15);
        int n = (int)(word >> 16) & 15, d = (int)(word >> 12) & 15, m = (int)(word & 15);
        bool logical = IsLogical(opcode);
        DeclareDeferredLocals();
        bool keepsResult = WritesResult(word); // Rd is not the PC: that write leaves the block
        Source first = keepsResult ? Source.Register(d) : n != 15 ? Source.Register(n) : Copy(_a, _deferredA!);
        // The second operand: for a compare's or test's result, an arithmetic result's C and V.
        Source second = default;
        if (!keepsResult || (!logical && (mask & ((1 << FlagC) | (1 << FlagV))) != 0))
        {
            if (form == Form.DataImmediate) second = Source.Constant(immediate);
            else if ((word & 0xFF0) == 0 && m != 15 && !(keepsResult && m == d)) second = Source.Register(m); // LSL #0
            else second = Copy(_b, _deferredB!);
        }
        Source carry = default;
        if (logical && (mask & (1 << FlagC)) != 0)
            carry = form == Form.DataImmediate ? Source.Constant(immediate >> 31) : Copy(_carry, _deferredCarry!);
        // Changed: every exit from here writes them back (after computing them).
        for (int f = 0; f < 4; f++)
            if ((mask & (1 << f)) != 0) _fState[f] = RegisterState.Dirty;
        _deferred = new DeferredFlags(mask, opcode, KeepsResult: keepsResult, First: first, Second: second, Carry: carry);
    }

    /// <summary>A copy of <paramref name="from"/> into the deferral's <paramref name="local"/>.</summary>
    private Source Copy(LocalBuilder from, LocalBuilder local)
    {
        _il.Emit(OpCodes.Ldloc, from);
        _il.Emit(OpCodes.Stloc, local);
        return default;
    }

    /// <summary>The deferred flags computed into their locals from the kept operands (the same rules as <see cref="EmitDataProcessing"/>'s).</summary>
    private void EmitDeferredFlags(DeferredFlags deferred)
    {
        Label notPending = default;
        if (deferred.Guarded)
        {
            // carried over the loop back: pending only after one
            notPending = _il.DefineLabel();
            _il.Emit(OpCodes.Ldloc, _loopPending!);
            _il.Emit(OpCodes.Brfalse, notPending);
        }
        EmitDeferredFlagsComputed(deferred);
        if (deferred.Guarded) _il.MarkLabel(notPending);
    }

    private void EmitDeferredFlagsComputed(DeferredFlags deferred)
    {
        LocalBuilder a = _deferredA!, b = _deferredB!, r = _deferredResult!;
        byte mask = deferred.Mask;
        uint opcode = deferred.Opcode;
        bool logical = IsLogical(opcode);
        // x op y for ADD/SUB (RSB: the operands swapped)
        LocalBuilder x = opcode == 3 ? b : a, y = opcode == 3 ? a : b;
        // The values into the locals (those from a register or a constant: their own locals are
        // no source of this deferral's, so the paths it stays pending on lose nothing).
        bool operands = !logical && (mask & ((1 << FlagC) | (1 << FlagV))) != 0;
        if (!deferred.KeepsResult || operands) Materialize(deferred.Second, b);
        if (deferred.KeepsResult)
        {
            Materialize(deferred.First, r);
            if (operands)
            {
                // the first operand from the result: ADD r - b, SUB r + b, RSB (r = b - a) b - r
                _il.Emit(OpCodes.Ldloc, opcode == 3 ? b : r);
                _il.Emit(OpCodes.Ldloc, opcode == 3 ? r : b);
                _il.Emit(opcode is 2 ? OpCodes.Add : OpCodes.Sub);
                _il.Emit(OpCodes.Stloc, a);
            }
        }
        else
        {
            Materialize(deferred.First, a);
            _il.Emit(OpCodes.Ldloc, x);
            _il.Emit(OpCodes.Ldloc, y);
            _il.Emit(opcode switch
            {
                8 => OpCodes.And, // TST
                9 => OpCodes.Xor, // TEQ
                11 => OpCodes.Add, // CMN
                _ => OpCodes.Sub, // CMP
            });
            _il.Emit(OpCodes.Stloc, r);
        }
        // N and Z: the result is both locals' form (StoreFlag)
        if ((mask & (1 << FlagN)) != 0)
        {
            _il.Emit(OpCodes.Ldloc, r);
            StoreFlag(FlagN);
        }
        if ((mask & (1 << FlagZ)) != 0)
        {
            _il.Emit(OpCodes.Ldloc, r);
            StoreFlag(FlagZ);
        }
        bool add = opcode is 4 or 11;
        if ((mask & (1 << FlagC)) != 0)
        {
            if (logical)
            {
                if (deferred.Carry.Kind == SourceKind.Constant) _il.Emit(deferred.Carry.Value != 0 ? OpCodes.Ldc_I4_1 : OpCodes.Ldc_I4_0);
                else _il.Emit(OpCodes.Ldloc, _deferredCarry!);
            }
            else if (add)
            {
                // the carry of x + y: result < x, unsigned
                _il.Emit(OpCodes.Ldloc, r);
                _il.Emit(OpCodes.Ldloc, x);
                _il.Emit(OpCodes.Clt_Un);
            }
            else
            {
                // x - y borrows nothing: x >= y, unsigned
                _il.Emit(OpCodes.Ldloc, x);
                _il.Emit(OpCodes.Ldloc, y);
                _il.Emit(OpCodes.Clt_Un);
                _il.Emit(OpCodes.Ldc_I4_0);
                _il.Emit(OpCodes.Ceq);
            }
            StoreFlag(FlagC);
        }
        if ((mask & (1 << FlagV)) != 0)
        {
            // add: ((x ^ r) & (y ^ r)), subtract: ((x ^ y) & (x ^ r)), V in bit 31 (the V local's form)
            if (add) EmitOverflow(x, r, y, r);
            else EmitOverflow(x, y, x, r);
        }
    }
}
