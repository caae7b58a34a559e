using System.Reflection.Emit;

namespace ArmEmu.Cpu.Engines.Translator;

/// <summary>
/// Deferred flags. Outside IT blocks nearly every 16-bit Thumb data-processing instruction sets
/// the flags (ADDS, SUBS, MOVS, LSLS, ANDS...), where the A32 code of the same loop mostly does
/// not; those flags are usually set again before anything reads them, but a load or store in
/// between may leave the block by its side exit, where the flags are written back, so the
/// liveness of <see cref="FlagLiveness"/> keeps them all (matmul's Thumb loop: an ADDS
/// before an LDR, its NZCV about 15 host instructions a pass). Here such an instruction saves
/// its operands in locals instead (<see cref="DeferredFlags"/>) and the flags are computed from
/// them only where something can read them: on the exits taken while they are pending (each
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
    /// Flags an instruction set but left to be computed (Mask), and its data-processing opcode;
    /// Guarded: carried over a loop back, pending only if the runtime local _loopPending says so.
    /// </summary>
    private readonly record struct DeferredFlags(byte Mask, byte Opcode, bool Guarded = false);

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
        if (_deferred.Guarded) return; // neither computed nor set again in this pass: as it came
        bool carry = _deferred.Mask == _carried.Mask && _deferred.Opcode == _carried.Opcode;
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
            if (form is Form.Fallback or Form.LoadStore or Form.LoadStoreExtra or Form.LoadStoreDual or Form.LoadMultiple or Form.StoreMultiple or Form.Branch or Form.BranchLink or Form.BranchExchange or Form.CompareBranch or Form.CallExchange or Form.TableBranch || WritesPcByAlu(form, word))
                return (byte)(read | (AllFlags & ~written));
            read |= (byte)((FlagsRead(form, word) | (conditional ? ConditionFlags(cond) : 0)) & ~written);
            if (!conditional) written |= FlagsWritten(form, word);
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
        else _deferred = _deferred with { Mask = (byte)(_deferred.Mask & ~written) };
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

    /// <summary>After a data-processing instruction's operation (its A32 <paramref name="word"/>): its operands (and shifter carry) kept, <paramref name="mask"/> pending.</summary>
    private void DeferFlags(uint word, byte mask)
    {
        byte opcode = (byte)((word >> 21) & 15);
        DeclareDeferredLocals();
        if (opcode is not (13 or 15))
        {
            _il.Emit(OpCodes.Ldloc, _a);
            _il.Emit(OpCodes.Stloc, _deferredA!);
        }
        _il.Emit(OpCodes.Ldloc, _b);
        _il.Emit(OpCodes.Stloc, _deferredB!);
        if (IsLogical(opcode) && (mask & (1 << FlagC)) != 0)
        {
            _il.Emit(OpCodes.Ldloc, _carry);
            _il.Emit(OpCodes.Stloc, _deferredCarry!);
        }
        // Changed: every exit from here writes them back (after computing them).
        for (int f = 0; f < 4; f++)
            if ((mask & (1 << f)) != 0) _fState[f] = RegisterState.Dirty;
        _deferred = new DeferredFlags(mask, opcode);
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
        switch (opcode)
        {
            case 13: _il.Emit(OpCodes.Ldloc, b); break;
            case 15: _il.Emit(OpCodes.Ldloc, b); _il.Emit(OpCodes.Not); break;
            default:
                _il.Emit(OpCodes.Ldloc, x);
                _il.Emit(OpCodes.Ldloc, y);
                if (opcode == 14) _il.Emit(OpCodes.Not);
                _il.Emit(opcode switch
                {
                    0 or 8 or 14 => OpCodes.And,
                    1 or 9 => OpCodes.Xor,
                    12 => OpCodes.Or,
                    4 or 11 => OpCodes.Add,
                    _ => OpCodes.Sub, // SUB, CMP, RSB
                });
                break;
        }
        _il.Emit(OpCodes.Stloc, r);
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
            if (logical) _il.Emit(OpCodes.Ldloc, _deferredCarry!);
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
