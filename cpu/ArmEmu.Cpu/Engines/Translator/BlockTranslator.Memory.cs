using System.Numerics;
using System.Reflection;
using System.Reflection.Emit;
using ArmEmu.Cpu.Decoding;
using ArmEmu.Memory;

namespace ArmEmu.Cpu.Engines.Translator;

/// <summary>
/// The translator's memory instructions: LDR/STR/LDRB/STRB (A3.11) and LDM/STM (A3.12), the
/// inline host-page fast path and the call-out to the CPU's memory port behind it.
/// </summary>
internal sealed unsafe partial class BlockTranslator
{
    private static readonly MethodInfo LoadWordMethod = Method(typeof(Cpu), nameof(Cpu.LoadWord)),
                                       StoreWordMethod = Method(typeof(Cpu), nameof(Cpu.StoreWord)),
                                       MemoryGetter = Getter(typeof(Cpu), nameof(Cpu.Memory)),
                                       Read8Method = Method(typeof(MemoryPort), nameof(MemoryPort.Read8)),
                                       Write8Method = Method(typeof(MemoryPort), nameof(MemoryPort.Write8)),
                                       ReadTableGetter = Getter(typeof(MemoryPort), nameof(MemoryPort.ReadTable)),
                                       WriteTableGetter = Getter(typeof(MemoryPort), nameof(MemoryPort.WriteTable)),
                                       LoadWritePCMethod = Method(typeof(Cpu), nameof(Cpu.LoadWritePC)),
                                       LoadHalfwordMethod = Method(typeof(Cpu), nameof(Cpu.LoadHalfword)),
                                       StoreHalfwordMethod = Method(typeof(Cpu), nameof(Cpu.StoreHalfword));

    private static readonly FieldInfo BigEndianDataField = Field("_bigEndianData");

    /// <summary>
    /// Branches to <paramref name="slow"/> unless <c>_address</c> has none of <paramref name="mask"/>'s
    /// bits set and data is little-endian: what every inline host access needs (the rest is the
    /// CPU's alignment and endianness rules, off the inline path).
    /// </summary>
    private void EmitSlowUnlessAlignedLittleEndian(int mask, Label slow)
    {
        _il.Emit(OpCodes.Ldloc, _address);
        _il.Emit(OpCodes.Ldc_I4, mask);
        _il.Emit(OpCodes.And);
        _il.Emit(OpCodes.Ldarg_1);
        _il.Emit(OpCodes.Volatile);
        _il.Emit(OpCodes.Ldfld, BigEndianDataField);
        _il.Emit(OpCodes.Or);
        _il.Emit(OpCodes.Brtrue, slow);
    }

    private static readonly MethodInfo TryReadHitsMethod = StaticMethod(typeof(MemoryPort), nameof(MemoryPort.TryReadHits)),
                                       TryWriteHitsMethod = StaticMethod(typeof(MemoryPort), nameof(MemoryPort.TryWriteHits)),
                                       LoadWordRememberedMethod = Method(typeof(Cpu), nameof(Cpu.LoadWordRemembered)),
                                       StoreWordRememberedMethod = Method(typeof(Cpu), nameof(Cpu.StoreWordRemembered)),
                                       LoadHalfwordRememberedMethod = Method(typeof(Cpu), nameof(Cpu.LoadHalfwordRemembered)),
                                       StoreHalfwordRememberedMethod = Method(typeof(Cpu), nameof(Cpu.StoreHalfwordRemembered)),
                                       Read8RememberedMethod = Method(typeof(MemoryPort), nameof(MemoryPort.Read8Remembered)),
                                       Write8RememberedMethod = Method(typeof(MemoryPort), nameof(MemoryPort.Write8Remembered)),
                                       TryReadMultipleMethod = StaticMethod(typeof(MemoryPort), nameof(MemoryPort.TryReadMultiple)),
                                       TryWriteMultipleMethod = StaticMethod(typeof(MemoryPort), nameof(MemoryPort.TryWriteMultiple)),
                                       MultipleScratchGetter = Getter(typeof(MemoryPort), nameof(MemoryPort.MultipleScratch));

    private static readonly MethodInfo HitPathGetter = Getter(typeof(MemoryPort), nameof(MemoryPort.HitPath));

    private static FieldInfo HitPathField(string name) => typeof(DataHitPath).GetField(name) ?? throw new MissingFieldException(nameof(DataHitPath), name);

    private static FieldInfo LineField(string name) => typeof(RememberedLine).GetField(name) ?? throw new MissingFieldException(nameof(RememberedLine), name);

    private static readonly FieldInfo ReadLinesField = HitPathField(nameof(DataHitPath.ReadLines)),
                                      WriteLinesField = HitPathField(nameof(DataHitPath.WriteLines)),
                                      LineMaskField = HitPathField(nameof(DataHitPath.LineMask)),
                                      LineShiftField = HitPathField(nameof(DataHitPath.LineShift)),
                                      DirtyBitsField = HitPathField(nameof(DataHitPath.DirtyBits)),
                                      DirtyHalfShiftField = HitPathField(nameof(DataHitPath.DirtyHalfShift)),
                                      ReadsField = HitPathField(nameof(DataHitPath.Reads)),
                                      ReadHitsField = HitPathField(nameof(DataHitPath.ReadHits)),
                                      WritesField = HitPathField(nameof(DataHitPath.Writes)),
                                      WriteHitsField = HitPathField(nameof(DataHitPath.WriteHits)),
                                      LineVaField = LineField(nameof(RememberedLine.LineVa)),
                                      KeyField = LineField(nameof(RememberedLine.Key)),
                                      KeyAtField = LineField(nameof(RememberedLine.KeyAt)),
                                      DataField = LineField(nameof(RememberedLine.Data)),
                                      StateField = LineField(nameof(RememberedLine.State));

    private static MethodInfo StaticMethod(Type type, string name) =>
        type.GetMethod(name, BindingFlags.Static | BindingFlags.Public) ?? throw new MissingMethodException(type.Name, name);

    /// <summary>
    /// The CPU had a D-cache when the block was translated: its loads and stores check the
    /// remembered D-cache line inline (<see cref="MemoryPort.HitPath"/>) where the host page table
    /// has no entry, before the slow path. Without one the IL is as it was (no cost to runs
    /// without the cache model).
    /// </summary>
    private bool _dataCacheHits;

    // The inline hit path's locals (DataHitPath*, RememberedLine*), declared by the first access that needs them.
    private LocalBuilder? _hitPathLocal, _lineLocal;

    /// <summary>
    /// The remembered-line check, inline (<see cref="DataHitPath"/>): the entry for _address's
    /// virtual line in the current privilege's read (or write) table; when it holds that line and
    /// the cache line's key is unchanged, the host address of _address inside the cache line's
    /// data is left on the stack; otherwise to <paramref name="miss"/> (the slow path, whose port
    /// looks the line up and remembers it). The hit path's pointer is in _hitPathLocal for the counters.
    /// </summary>
    private void EmitRememberedLineAddress(bool load, Label miss)
    {
        _lineLocal ??= _il.DeclareLocal(typeof(RememberedLine*));
        if (_readTable is not null)
        {
            // The prologue's (LoadRememberedLineTables): no loads of the port, its hit path, the table.
            _il.Emit(OpCodes.Ldloc, load ? _readTable : _writeTable!);
        }
        else
        {
            EmitLoadHitPath();
            _il.Emit(OpCodes.Ldloc, _hitPathLocal!);
            _il.Emit(OpCodes.Ldfld, load ? ReadLinesField : WriteLinesField);
        }
        _il.Emit(OpCodes.Ldloc, _address);
        _il.Emit(OpCodes.Ldloc, _hitPathLocal!);
        _il.Emit(OpCodes.Ldfld, LineShiftField);
        _il.Emit(OpCodes.Shr_Un);
        _il.Emit(OpCodes.Ldc_I4, DataHitPath.Entries - 1);
        _il.Emit(OpCodes.And);
        _il.Emit(OpCodes.Conv_U);
        _il.Emit(OpCodes.Sizeof, typeof(RememberedLine));
        _il.Emit(OpCodes.Mul);
        _il.Emit(OpCodes.Add);
        _il.Emit(OpCodes.Stloc, _lineLocal);
        // the same virtual line ...
        _il.Emit(OpCodes.Ldloc, _lineLocal);
        _il.Emit(OpCodes.Ldfld, LineVaField);
        _il.Emit(OpCodes.Ldloc, _address);
        _il.Emit(OpCodes.Ldloc, _hitPathLocal!);
        _il.Emit(OpCodes.Ldfld, LineMaskField);
        _il.Emit(OpCodes.And);
        _il.Emit(OpCodes.Bne_Un, miss);
        // ... and the cache line still holds it (valid, not refilled)
        _il.Emit(OpCodes.Ldloc, _lineLocal);
        _il.Emit(OpCodes.Ldfld, KeyAtField);
        _il.Emit(OpCodes.Ldind_U4);
        _il.Emit(OpCodes.Ldloc, _lineLocal);
        _il.Emit(OpCodes.Ldfld, KeyField);
        _il.Emit(OpCodes.Bne_Un, miss);
        _il.Emit(OpCodes.Ldloc, _lineLocal);
        _il.Emit(OpCodes.Ldfld, DataField);
        EmitOffsetInLine(0);
        _il.Emit(OpCodes.Add);
    }

    /// <summary>_hitPathLocal = the memory port's <see cref="MemoryPort.HitPath"/> (it never moves).</summary>
    private void EmitLoadHitPath()
    {
        _hitPathLocal ??= _il.DeclareLocal(typeof(DataHitPath*));
        _il.Emit(OpCodes.Ldarg_1);
        _il.Emit(OpCodes.Call, MemoryGetter);
        _il.Emit(OpCodes.Call, HitPathGetter);
        _il.Emit(OpCodes.Stloc, _hitPathLocal);
    }

    /// <summary>
    /// The cache model's side of <see cref="LoadHostTables"/>: in the prologue and after every
    /// interpreted instruction (which may change the privilege), the port's hit path into
    /// _hitPathLocal and the current privilege's remembered read and write lines into the table
    /// locals, so an access's inline check starts from its table entry (each access made three
    /// dependent loads -- the port, its hit path, the table -- before it; matmul makes half a
    /// billion). The hit path never moves and the tables of each privilege are allocated once
    /// for the port's life (<see cref="DataHitPath"/>).
    /// </summary>
    private void LoadRememberedLineTables()
    {
        EmitLoadHitPath();
        _il.Emit(OpCodes.Ldloc, _hitPathLocal!);
        _il.Emit(OpCodes.Ldfld, ReadLinesField);
        _il.Emit(OpCodes.Stloc, _readTable!);
        _il.Emit(OpCodes.Ldloc, _hitPathLocal!);
        _il.Emit(OpCodes.Ldfld, WriteLinesField);
        _il.Emit(OpCodes.Stloc, _writeTable!);
    }

    /// <summary>(_address + <paramref name="plus"/>) &amp; ~LineMask, as a native unsigned integer.</summary>
    private void EmitOffsetInLine(int plus)
    {
        _il.Emit(OpCodes.Ldloc, _address);
        if (plus != 0)
        {
            _il.Emit(OpCodes.Ldc_I4, plus);
            _il.Emit(OpCodes.Add);
        }
        _il.Emit(OpCodes.Ldloc, _hitPathLocal!);
        _il.Emit(OpCodes.Ldfld, LineMaskField);
        _il.Emit(OpCodes.Not);
        _il.Emit(OpCodes.And);
        _il.Emit(OpCodes.Conv_U);
    }

    /// <summary>A D-cache hit counted <paramref name="count"/> times (reads or writes, and their hits), as the model counts one.</summary>
    private void EmitHitCounters(bool load, int count)
    {
        foreach (var counter in load ? new[] { ReadsField, ReadHitsField } : [WritesField, WriteHitsField])
        {
            _il.Emit(OpCodes.Ldloc, _hitPathLocal!);
            _il.Emit(OpCodes.Ldfld, counter);
            _il.Emit(OpCodes.Dup);
            _il.Emit(OpCodes.Ldind_I8);
            _il.Emit(OpCodes.Ldc_I4, count);
            _il.Emit(OpCodes.Conv_U8);
            _il.Emit(OpCodes.Add);
            _il.Emit(OpCodes.Stind_I8);
        }
    }

    /// <summary>
    /// A store hit's dirty bits in the remembered line's state, as <see cref="Memory.Caches.Cache.MarkDirty"/>
    /// sets them: the half holding the first byte stored and the half holding the last word's
    /// (<paramref name="lastWord"/> bytes on: 0 for a single access, which lies in one half).
    /// </summary>
    private void EmitMarkDirty(int lastWord)
    {
        _il.Emit(OpCodes.Ldloc, _lineLocal!);
        _il.Emit(OpCodes.Ldfld, StateField);
        _il.Emit(OpCodes.Dup);
        _il.Emit(OpCodes.Ldind_U1);
        EmitDirtyBitsAt(0);
        if (lastWord != 0)
        {
            EmitDirtyBitsAt(lastWord);
            _il.Emit(OpCodes.Or);
        }
        _il.Emit(OpCodes.Or);
        _il.Emit(OpCodes.Stind_I1);

        void EmitDirtyBitsAt(int plus)
        {
            _il.Emit(OpCodes.Ldloc, _hitPathLocal!);
            _il.Emit(OpCodes.Ldfld, DirtyBitsField);
            EmitOffsetInLine(plus);
            _il.Emit(OpCodes.Conv_U4);
            _il.Emit(OpCodes.Ldloc, _hitPathLocal!);
            _il.Emit(OpCodes.Ldfld, DirtyHalfShiftField);
            _il.Emit(OpCodes.Shr_Un);
            _il.Emit(OpCodes.Ldc_I4_1);
            _il.Emit(OpCodes.And);
            _il.Emit(OpCodes.Shl);
        }
    }

    private (RegisterState[], RegisterState[]) SaveStates() => ((RegisterState[])_rState.Clone(), (RegisterState[])_fState.Clone());

    private void RestoreStates((RegisterState[] Registers, RegisterState[] Flags) states)
    {
        states.Registers.CopyTo(_rState, 0);
        states.Flags.CopyTo(_fState, 0);
    }

    /// <summary>
    /// Off the fast path the block leaves before instruction <paramref name="i"/>
    /// (<see cref="SideExits"/>); what follows <paramref name="done"/> goes on from the fast
    /// path's states.
    /// </summary>
    private void EmitSideExit(int i, (RegisterState[], RegisterState[]) fastPathStates, Label done)
    {
        _il.Emit(OpCodes.Br, NewExit(ExitKind.Side, i, PcOf(i), i > 0 ? ReadPcOf(i - 1) : 0));
        RestoreStates(fastPathStates);
        _il.MarkLabel(done);
    }

    private void AssertStates((RegisterState[] Registers, RegisterState[] Flags) states)
    {
        if (!states.Registers.AsSpan().SequenceEqual(_rState) || !states.Flags.AsSpan().SequenceEqual(_fState))
            throw new InvalidOperationException("translator: two paths join with different local states");
    }

    /// <summary>
    /// _host = the memory port's read (or write) table entry for _address's page: the host page
    /// pointer of plain RAM, or null (then to <paramref name="slow"/>, the call-out); on the fast
    /// path the host address of _address itself is left on the stack.
    /// </summary>
    private void EmitHostAddress(bool load, Label slow)
    {
        _il.Emit(OpCodes.Ldloc, (load ? _readTable : _writeTable)!); // BlockTranslator.LoadHostTables
        _il.Emit(OpCodes.Ldloc, _address);
        _il.Emit(OpCodes.Ldc_I4, PhysicalBus.PageBits);
        _il.Emit(OpCodes.Shr_Un);
        _il.Emit(OpCodes.Conv_U);
        _il.Emit(OpCodes.Sizeof, typeof(nint));
        _il.Emit(OpCodes.Mul);
        _il.Emit(OpCodes.Add);
        _il.Emit(OpCodes.Ldind_I);
        _il.Emit(OpCodes.Stloc, _host);
        _il.Emit(OpCodes.Ldloc, _host);
        _il.Emit(OpCodes.Brfalse, slow);
        EmitHostPageAddress();
    }

    /// <summary>Pushes the host address of _address in the host page _host: _host + (_address &amp; PageMask).</summary>
    private void EmitHostPageAddress()
    {
        _il.Emit(OpCodes.Ldloc, _host);
        _il.Emit(OpCodes.Ldloc, _address);
        _il.Emit(OpCodes.Ldc_I4, (int)PhysicalBus.PageMask);
        _il.Emit(OpCodes.And);
        _il.Emit(OpCodes.Conv_U);
        _il.Emit(OpCodes.Add);
    }

    /// <summary>Pushes the word at _address + <paramref name="offset"/> in the host page _host (EmitHostAddress's).</summary>
    private void EmitHostPageWord(int offset)
    {
        EmitHostPageAddress();
        if (offset != 0)
        {
            _il.Emit(OpCodes.Ldc_I4, offset);
            _il.Emit(OpCodes.Add);
        }
        _il.Emit(OpCodes.Ldind_U4);
    }

    /// <summary>The host address of an LDM/STM's <paramref name="k"/>th word: _host holds the lowest one's.</summary>
    private void EmitListWordAddress(int k)
    {
        _il.Emit(OpCodes.Ldloc, _host);
        if (k == 0) return;
        _il.Emit(OpCodes.Ldc_I4, 4 * k);
        _il.Emit(OpCodes.Add);
    }

    // ---- single and dual loads and stores (A3.11, A5.2; extra forms A5.2.8) -------------------

    /// <summary>What a single or dual load or store moves.</summary>
    private enum Access : byte { Word, Byte, Halfword, SignedByte, SignedHalfword, Dual }

    /// <summary>The access of a <see cref="Form.LoadStore"/> (B in 22), <see cref="Form.LoadStoreExtra"/> (op2 in 6:5) or dual word.</summary>
    private static Access AccessOf(Form form, uint word) => form switch
    {
        Form.LoadStore => (word & (1u << 22)) != 0 ? Access.Byte : Access.Word,
        Form.LoadStoreDual => Access.Dual,
        _ => ((word >> 5) & 3) switch { 1 => Access.Halfword, 2 => Access.SignedByte, _ => Access.SignedHalfword },
    };

    /// <summary>
    /// The offset into _b: LDR/STR's imm12 or shifted register (A5.3); the extra forms' imm4H:imm4L
    /// or Rm; the dual layout's imm8 or Rm (<see cref="DualWord"/>). A Thumb instruction may carry
    /// its offset beside the word (T32's imm12, LDRD's imm8 * 4) and a shift of Rm (LSL #imm2).
    /// </summary>
    private void EmitOffset(int i, uint word, Form form)
    {
        uint pc = PcOf(i);
        bool register = form == Form.LoadStore ? (word & (1u << 25)) != 0 : (word & (1u << 22)) == 0;
        if (register && form == Form.LoadStore)
        {
            EmitShiftImmediate(word, pc, wantCarry: false);
            return;
        }
        if (register)
        {
            LoadRegister((int)word & 15, pc);
            if (_thumb && _t[i].Shift != 0)
            {
                _il.Emit(OpCodes.Ldc_I4, (int)_t[i].Shift);
                _il.Emit(OpCodes.Shl);
            }
            _il.Emit(OpCodes.Stloc, _b);
            return;
        }
        uint offset = _thumb && _t[i].HasImmediate ? _t[i].Immediate : form switch
        {
            Form.LoadStore => word & 0xFFF,
            Form.LoadStoreExtra => ((word >> 4) & 0xF0) | (word & 0xF),
            _ => word & 0xFF,
        };
        _il.Emit(OpCodes.Ldc_I4, (int)offset);
        _il.Emit(OpCodes.Stloc, _b);
    }

    /// <summary>
    /// LDR/STR/LDRB/STRB (A8.8.63 and the others), LDRH/STRH/LDRSB/LDRSH (A8.8.80-A8.8.90,
    /// A8.8.207), LDRD/STRD (A8.8.72, A8.8.210), every addressing form, A32 and T32: one emitter,
    /// one inline fast path (plain RAM or a remembered D-cache line), the slow path behind it.
    /// </summary>
    private void EmitLoadStore(int i, uint word, Form form, DecodedInstruction d)
    {
        uint pc = PcOf(i);
        int n = (int)(word >> 16) & 15, t = (int)(word >> 12) & 15, t2 = (int)(word >> 8) & 15;
        var access = AccessOf(form, word);
        // the dual layout has L in 20 as the others
        bool load = (word & (1u << 20)) != 0;
        bool preIndexed = (word & (1u << 24)) != 0, add = (word & (1u << 23)) != 0;

        // The offset into b, the offset address, the access address.
        EmitOffset(i, word, form);
        LoadRegister(n, pc);
        _il.Emit(OpCodes.Stloc, _a);
        _il.Emit(OpCodes.Ldloc, _a);
        _il.Emit(OpCodes.Ldloc, _b);
        _il.Emit(add ? OpCodes.Add : OpCodes.Sub);
        _il.Emit(OpCodes.Stloc, _offsetAddress);
        _il.Emit(OpCodes.Ldloc, preIndexed ? _offsetAddress : _a);
        _il.Emit(OpCodes.Stloc, _address);

        // The fast path, inline: the memory port's table gives the host page of plain RAM (no
        // observer, no cache model, not a watched code page), where the access can neither
        // fault nor reach a device, so nothing outside the block sees it. A word, halfword or
        // doubleword access takes it when aligned (to 4, 2, 4: LDRD's two words are MemA
        // accesses, which only SCTLR.A/U could fault, and only when not word-aligned) and
        // little-endian (as Cpu.LoadWord/LoadHalfword/AlignedWordAddress), a doubleword when its
        // second word is in the same page (and, with the cache model, the same line); anything
        // else, the slow path.
        // With the cache model on, a page without a host pointer may still be served by a D-cache
        // hit: counted and done by the model's hit path, with no call-out's cost (nothing else can
        // see a hit: it cannot fault, reach a device or change memory).
        Label slow = _il.DefineLabel(), done = _il.DefineLabel();
        int alignment = access switch { Access.Word or Access.Dual => 3, Access.Halfword or Access.SignedHalfword => 1, _ => 0 };
        if (alignment != 0) EmitSlowUnlessAlignedLittleEndian(alignment, slow);
        if (access == Access.Dual)
        {
            _il.Emit(OpCodes.Ldloc, _address);
            _il.Emit(OpCodes.Ldc_I4, (int)PhysicalBus.PageMask);
            _il.Emit(OpCodes.And);
            _il.Emit(OpCodes.Ldc_I4, (int)PhysicalBus.PageSize - 8);
            _il.Emit(OpCodes.Bgt_Un, slow);
            if (_dataCacheHits)
            {
                if (_readTable is null) EmitLoadHitPath(); // else the prologue's
                _il.Emit(OpCodes.Ldloc, _address);
                _il.Emit(OpCodes.Ldc_I4_4);
                _il.Emit(OpCodes.Add);
                _il.Emit(OpCodes.Ldloc, _address);
                _il.Emit(OpCodes.Xor);
                _il.Emit(OpCodes.Ldloc, _hitPathLocal!);
                _il.Emit(OpCodes.Ldfld, LineMaskField);
                _il.Emit(OpCodes.And);
                _il.Emit(OpCodes.Brtrue, slow);
            }
        }
        // With the cache model the memory port's host table is never filled (every access goes
        // through the model): the remembered D-cache line instead, inline, counted as the model
        // counts. Anything else is the slow path, whose port remembers the line it hits or fills
        // (a call that only looked for a hit first declined 97-99% of the time once misses were
        // remembered too: chase, matmul, sort).
        if (_dataCacheHits) EmitRememberedLineAddress(load, slow);
        else EmitHostAddress(load, slow);
        if (access == Access.Dual && load && !_dataCacheHits)
        {
            // Each word read from the page pointer (_host) plus the offset in the page, without
            // the sum in a local: the .NET JIT then folds it into both loads' addressing, where
            // a sum kept for the two would be an add on the latency chain of a pointer chase
            // (the next address loaded by this load: chase's LDRD r3, r1, [r3]).
            _il.Emit(OpCodes.Pop);
            EmitHostPageWord(0);
            _il.Emit(OpCodes.Stloc, _value);
            EmitHostPageWord(4);
            _il.Emit(OpCodes.Stloc, _m);
        }
        else if (access == Access.Dual)
        {
            _il.Emit(OpCodes.Stloc, _host);
            if (load)
            {
                _il.Emit(OpCodes.Ldloc, _host);
                _il.Emit(OpCodes.Ldind_U4);
                _il.Emit(OpCodes.Stloc, _value);
                _il.Emit(OpCodes.Ldloc, _host);
                _il.Emit(OpCodes.Ldc_I4_4);
                _il.Emit(OpCodes.Add);
                _il.Emit(OpCodes.Ldind_U4);
                _il.Emit(OpCodes.Stloc, _m);
            }
            else
            {
                _il.Emit(OpCodes.Ldloc, _host);
                LoadRegister(t, pc);
                _il.Emit(OpCodes.Stind_I4);
                _il.Emit(OpCodes.Ldloc, _host);
                _il.Emit(OpCodes.Ldc_I4_4);
                _il.Emit(OpCodes.Add);
                LoadRegister(t2, pc);
                _il.Emit(OpCodes.Stind_I4);
            }
        }
        else if (load)
        {
            _il.Emit(access switch
            {
                Access.Word => OpCodes.Ldind_U4,
                Access.Byte => OpCodes.Ldind_U1,
                Access.Halfword => OpCodes.Ldind_U2,
                Access.SignedByte => OpCodes.Ldind_I1,
                _ => OpCodes.Ldind_I2,
            });
            _il.Emit(OpCodes.Stloc, _value);
        }
        else
        {
            LoadRegister(t, pc); // read before the write-back: with Rn == Rt the old base is stored
            _il.Emit(access switch { Access.Word => OpCodes.Stind_I4, Access.Byte => OpCodes.Stind_I1, _ => OpCodes.Stind_I2 });
        }
        if (_dataCacheHits)
        {
            if (!load) EmitMarkDirty(access == Access.Dual ? 4 : 0);
            EmitHitCounters(load, access == Access.Dual ? 2 : 1);
        }
        // Both paths leave the locals in the same states: the slow path's write-back does not
        // mark them clean (the write-back of the base and the load's result follow).
        var before = SaveStates();
        EmitLoadStoreResults(word, n, t, load, access == Access.Dual ? t2 : -1);
        var after = SaveStates();
        bool loadsPc = load && t == 15; // LDR PC (CanInline: a word): LoadWritePC after the base's write-back
        if (loadsPc) EmitLoadWritePC(i);
        else _il.Emit(OpCodes.Br, done);

        _il.MarkLabel(slow);
        RestoreStates(before);
        if (SideExits)
        {
            EmitSideExit(i, after, done);
            return;
        }
        if (access == Access.Dual)
        {
            // Two accesses, either of which may fault (and an abort on the second leaves the
            // registers as they were): the interpreter's handler, as an LDM/STM's slow path.
            EmitHandlerSlowPath(i, word, d, load, after, done);
            return;
        }
        // The slow path calls out: the state an abort or a device sees, the interpreter's before
        // this instruction (the locals written back, the PC and the budget).
        EmitWriteBack(CurrentDirtyRegisters(), CurrentDirtyFlags());
        EmitInstructionState(i, full: false);
        // With the cache model, the port's remembered-page path first (MemoryPort.ReadRemembered:
        // a page remembered as cacheable needs no translation, a miss goes to the model directly).
        if (load)
        {
            _il.Emit(OpCodes.Ldarg_1);
            switch (access)
            {
                case Access.Byte:
                case Access.SignedByte:
                    _il.Emit(OpCodes.Call, MemoryGetter);
                    _il.Emit(OpCodes.Ldloc, _address);
                    _il.Emit(OpCodes.Callvirt, _dataCacheHits ? Read8RememberedMethod : Read8Method);
                    if (access == Access.SignedByte) _il.Emit(OpCodes.Conv_I1);
                    break;
                default:
                    _il.Emit(OpCodes.Ldloc, _address);
                    _il.Emit(OpCodes.Call, access == Access.Word ? (_dataCacheHits ? LoadWordRememberedMethod : LoadWordMethod)
                                                                 : _dataCacheHits ? LoadHalfwordRememberedMethod : LoadHalfwordMethod);
                    if (access == Access.SignedHalfword) _il.Emit(OpCodes.Conv_I2);
                    break;
            }
            _il.Emit(OpCodes.Stloc, _value);
        }
        else
        {
            _il.Emit(OpCodes.Ldarg_1);
            if (access == Access.Byte) _il.Emit(OpCodes.Call, MemoryGetter);
            _il.Emit(OpCodes.Ldloc, _address);
            LoadRegister(t, pc);
            _il.Emit(access == Access.Byte ? OpCodes.Callvirt : OpCodes.Call, access switch
            {
                Access.Byte => _dataCacheHits ? Write8RememberedMethod : Write8Method,
                Access.Word => _dataCacheHits ? StoreWordRememberedMethod : StoreWordMethod,
                _ => _dataCacheHits ? StoreHalfwordRememberedMethod : StoreHalfwordMethod,
            });
        }
        EmitLoadStoreResults(word, n, t, load);
        if (loadsPc) EmitLoadWritePC(i);
        else EmitChecksAfterCallOut(i, load);
        _il.MarkLabel(done);
    }

    /// <summary>
    /// LDR PC (A8.8.63 and the others, t = 15): the loaded word in _value goes to LoadWritePC (the
    /// CPU's rule: interworking from ARMv5T), and the block leaves by a computed exit, as BX.
    /// </summary>
    private void EmitLoadWritePC(int i)
    {
        EmitInstructionState(i);
        _il.Emit(OpCodes.Ldarg_1);
        _il.Emit(OpCodes.Ldloc, _value);
        _il.Emit(OpCodes.Call, LoadWritePCMethod);
        _il.Emit(OpCodes.Br, NewExit(ExitKind.AfterCallOut));
    }

    /// <summary>After a single load's or store's call-out (the instruction completed): return if the CPU wants attention or the budget moved, or a store wrote the block's own words.</summary>
    private void EmitChecksAfterCallOut(int i, bool load)
    {
        var exit = NewExit(ExitKind.AfterMemory, target: NextPcOf(i), r15: ReadPcOf(i));
        EmitCallOutChecks(i, exit);
        if (!load)
        {
            // A store into this block's own words (a watched page: only the slow path reaches
            // it): return, so the dispatcher sees the new code.
            _il.Emit(OpCodes.Ldloc, _address);
            _il.Emit(OpCodes.Ldc_I4, (int)(_block.Start - 3));
            _il.Emit(OpCodes.Sub);
            _il.Emit(OpCodes.Ldc_I4, _block.ByteLength + 3);
            _il.Emit(OpCodes.Blt_Un, exit);
        }
    }

    /// <summary>
    /// The write-back of the base, then the loaded register (LoadStore's order of effects); a
    /// dual load's second register (<paramref name="t2"/>, loaded into _m) after it. (LoadDual
    /// writes the base last: the forms where the order shows are the handler's, CanInline.)
    /// </summary>
    private void EmitLoadStoreResults(uint word, int n, int t, bool load, int t2 = -1)
    {
        if (WritesBack(word))
        {
            _il.Emit(OpCodes.Ldloc, _offsetAddress);
            StoreRegister(n);
        }
        if (load && t != 15)
        {
            _il.Emit(OpCodes.Ldloc, _value);
            StoreRegister(t);
            if (t2 >= 0)
            {
                _il.Emit(OpCodes.Ldloc, _m);
                StoreRegister(t2);
            }
        }
    }

    // ---- load and store multiple (A3.12, A5.4) ------------------------------------------------

    /// <summary>
    /// LDM/STM (not the ^ forms). The fast path, inline: the whole block of words in one page of
    /// the memory port's table, aligned and little-endian, so no word can fault or reach a device
    /// (LoadStoreMultiple's order of effects then needs no care: loads, base write-back, then the
    /// listed registers; a PC in the list is written last, by LoadWritePC). Anything else calls the
    /// interpreter's handler, with every local written back before and read again after.
    /// </summary>
    private void EmitLoadStoreMultiple(int i, uint word, DecodedInstruction d)
    {
        uint pc = PcOf(i);
        bool load = (word & (1u << 20)) != 0, up = (word & (1u << 23)) != 0, before = (word & (1u << 24)) != 0;
        bool writeBack = (word & (1u << 21)) != 0, loadsPc = load && (word & 0x8000) != 0;
        int n = (int)(word >> 16) & 15;
        uint list = word & 0xFFFF;
        int count = BitOperations.PopCount(list);
        int lowestOffset = (up ? 0 : -4 * count) + (before == up ? 4 : 0);

        // The lowest address into the address local; the host page into the host local.
        Label slow = _il.DefineLabel(), done = _il.DefineLabel();
        LoadRegister(n, pc);
        if (lowestOffset != 0)
        {
            _il.Emit(OpCodes.Ldc_I4, lowestOffset);
            _il.Emit(OpCodes.Add);
        }
        _il.Emit(OpCodes.Stloc, _address);
        // aligned, little-endian, and the last word in the same page
        Label cached = _il.DefineLabel();
        EmitSlowUnlessAlignedLittleEndian(3, slow);
        _il.Emit(OpCodes.Ldloc, _address);
        _il.Emit(OpCodes.Ldc_I4, (int)PhysicalBus.PageMask);
        _il.Emit(OpCodes.And);
        _il.Emit(OpCodes.Ldc_I4, (int)PhysicalBus.PageSize - 4 * count);
        _il.Emit(OpCodes.Bgt_Un, slow);
        if (_dataCacheHits && count == 0)
        {
            _il.Emit(OpCodes.Br, cached); // no words (UNPREDICTABLE): as the handler does it
            _il.Emit(OpCodes.Ldc_I4_0);
            _il.Emit(OpCodes.Conv_U);
            _il.Emit(OpCodes.Stloc, _host);
        }
        else if (_dataCacheHits)
        {
            // With the cache model: all the words in one remembered D-cache line, inline (counted
            // and marked dirty as the model does each word); otherwise, when every word is a
            // D-cache hit, done by the port and read from (or written to) its scratch words.
            if (_readTable is null) EmitLoadHitPath(); // else the prologue's
            _il.Emit(OpCodes.Ldloc, _address);
            _il.Emit(OpCodes.Ldc_I4, 4 * count - 4);
            _il.Emit(OpCodes.Add);
            _il.Emit(OpCodes.Ldloc, _address);
            _il.Emit(OpCodes.Xor);
            _il.Emit(OpCodes.Ldloc, _hitPathLocal!);
            _il.Emit(OpCodes.Ldfld, LineMaskField);
            _il.Emit(OpCodes.And);
            _il.Emit(OpCodes.Brtrue, cached);
            EmitRememberedLineAddress(load, cached);
            _il.Emit(OpCodes.Stloc, _host); // the lowest word's address in the line's data
            if (!load) EmitMarkDirty(4 * count - 4);
            EmitHitCounters(load, count);
        }
        else
        {
            EmitHostAddress(load, slow);
            _il.Emit(OpCodes.Stloc, _host); // now the lowest word's host address
        }

        var statesBefore = SaveStates();
        EmitBody(cachedStore: false);
        var statesAfter = SaveStates();
        if (_dataCacheHits)
        {
            _il.MarkLabel(cached);
            RestoreStates(statesBefore);
            if (load)
            {
                // Every word a hit: no state to store. Else the words' misses in one call
                // (MemoryPort.TryReadMultiple) on a page remembered as cacheable, the handler otherwise.
                Label hits = _il.DefineLabel();
                EmitMultipleCall(TryReadHitsMethod, count);
                _il.Emit(OpCodes.Brtrue, hits);
                EmitMultipleMisses(TryReadMultipleMethod);
                EmitLoadScratch();
                EmitBody(cachedStore: false, afterMisses: true);
                AssertStates(statesAfter);
                _il.MarkLabel(hits);
                RestoreStates(statesBefore);
            }
            EmitLoadScratch();
            EmitBody(cachedStore: !load);
            AssertStates(statesAfter);
        }

        void EmitMultipleCall(MethodInfo method, int words)
        {
            _il.Emit(OpCodes.Ldarg_1);
            _il.Emit(OpCodes.Call, MemoryGetter);
            _il.Emit(OpCodes.Ldloc, _address);
            _il.Emit(OpCodes.Ldc_I4, words);
            _il.Emit(OpCodes.Call, method);
        }

        // A call that may miss (fill, write back, drain the write buffer to a device): the state a
        // device or the clock sees, as the handler's call-out has it; false: the handler.
        void EmitMultipleMisses(MethodInfo method)
        {
            EmitInstructionState(i, full: false);
            EmitMultipleCall(method, count);
            _il.Emit(OpCodes.Brfalse, slow);
        }

        void EmitLoadScratch()
        {
            _il.Emit(OpCodes.Ldarg_1);
            _il.Emit(OpCodes.Call, MemoryGetter);
            _il.Emit(OpCodes.Call, MultipleScratchGetter);
            _il.Emit(OpCodes.Stloc, _host);
        }

        // After the misses' call, once the instruction has completed: return if the CPU wants
        // attention or the budget moved (a drained store reached a device); after a store, if
        // the block's own words changed (as after the handler).
        void EmitChecksAfterMisses()
        {
            var exit = NewExit(ExitKind.AfterMemory, target: NextPcOf(i), r15: ReadPcOf(i));
            EmitCallOutChecks(i, exit);
            if (!load)
            {
                _il.Emit(OpCodes.Ldarg_0);
                _il.Emit(OpCodes.Call, WordsChangedMethod);
                _il.Emit(OpCodes.Brtrue, exit);
            }
        }

        // The fast path's body: the base, the words to or from _host, the write-back, a loaded PC.
        void EmitBody(bool cachedStore, bool afterMisses = false)
        {
            if (writeBack)
            {
                // The base as it was (a stored base in the list is the original one).
                LoadRegister(n, pc);
                _il.Emit(OpCodes.Stloc, _a);
            }
            if (!load)
            {
                int k = 0;
                for (uint l = list; l != 0; l &= l - 1, k++)
                {
                    int r = BitOperations.TrailingZeroCount(l);
                    EmitListWordAddress(k);
                    if (r == 15) _il.Emit(OpCodes.Ldc_I4, (int)ReadPcOf(i)); // STM's stored PC: the address + 8 (QEMU)
                    else LoadRegister(r, pc);
                    _il.Emit(OpCodes.Stind_I4);
                }
                if (cachedStore)
                {
                    // The words are in the scratch: stored now if every one is a write-back hit;
                    // else, on a page remembered as cacheable, with their misses in one call
                    // (MemoryPort.TryWriteMultiple); else the handler.
                    Label hits = _il.DefineLabel();
                    EmitMultipleCall(TryWriteHitsMethod, count);
                    _il.Emit(OpCodes.Brtrue, hits);
                    EmitMultipleMisses(TryWriteMultipleMethod);
                    var stored = SaveStates();
                    if (writeBack) EmitWrittenBackBase(n, up, count);
                    EmitChecksAfterMisses();
                    _il.Emit(OpCodes.Br, done);
                    _il.MarkLabel(hits);
                    RestoreStates(stored);
                }
                if (writeBack) EmitWrittenBackBase(n, up, count);
            }
            else
            {
                if (writeBack) EmitWrittenBackBase(n, up, count);
                int k = 0;
                for (uint l = list; l != 0; l &= l - 1, k++)
                {
                    int r = BitOperations.TrailingZeroCount(l);
                    EmitListWordAddress(k);
                    _il.Emit(OpCodes.Ldind_U4);
                    if (r == 15) _il.Emit(OpCodes.Stloc, _value);
                    else StoreRegister(r);
                }
                if (afterMisses && !loadsPc) EmitChecksAfterMisses();
            }
            if (loadsPc)
            {
                // LoadWritePC (interworking from ARMv5T) is the CPU's: everything written back, then
                // the block leaves where it says.
                EmitWriteBack(CurrentDirtyRegisters(), CurrentDirtyFlags());
                EmitInstructionState(i);
                _il.Emit(OpCodes.Ldarg_1);
                _il.Emit(OpCodes.Ldloc, _value);
                _il.Emit(OpCodes.Call, LoadWritePCMethod);
                _il.Emit(OpCodes.Br, CleanExit(ExitKind.AfterCallOut));
            }
            else
            {
                _il.Emit(OpCodes.Br, done);
            }
        }

        // The slow path: the handler, as an interpreted instruction, with the locals kept.
        _il.MarkLabel(slow);
        RestoreStates(statesBefore);
        if (SideExits)
        {
            // Or a side exit before it, as a single load or store's.
            EmitSideExit(i, statesAfter, done);
            return;
        }
        EmitHandlerSlowPath(i, word, d, load, statesAfter, done, loadsPc);
    }

    /// <summary>
    /// A memory instruction's slow path that calls its interpreter handler (LDM/STM, LDRD/STRD):
    /// every local written back before and those the fast path left in use read again after;
    /// then on at <paramref name="done"/> in the fast path's states.
    /// </summary>
    private void EmitHandlerSlowPath(int i, uint word, DecodedInstruction d, bool load, (RegisterState[], RegisterState[]) statesAfter, Label done, bool loadsPc = false)
    {
        EmitWriteBack(CurrentDirtyRegisters(), CurrentDirtyFlags());
        EmitInstructionState(i);
        EmitHandlerCall(i, word, d);
        // Every local was written back, and the handler may have changed registers: an exit
        // from here writes nothing back.
        var exit = CleanExit(ExitKind.AfterCallOut);
        if (loadsPc)
        {
            _il.Emit(OpCodes.Br, exit);
            RestoreStates(statesAfter);
            return;
        }
        _il.Emit(OpCodes.Ldarg_1);
        _il.Emit(OpCodes.Ldfld, NextPcField);
        _il.Emit(OpCodes.Ldc_I4, (int)NextPcOf(i));
        _il.Emit(OpCodes.Bne_Un, exit);
        EmitCallOutChecks(i, exit);
        if (!load)
        {
            _il.Emit(OpCodes.Ldarg_0);
            _il.Emit(OpCodes.Call, WordsChangedMethod);
            _il.Emit(OpCodes.Brtrue, exit);
        }
        // Read back what the handler may have written: the locals the fast path left in use.
        RestoreStates(statesAfter);
        for (int r = 0; r < 15; r++)
        {
            if (_rState[r] == RegisterState.InCpu) continue;
            LoadRegisterAddress(r);
            _il.Emit(OpCodes.Ldind_U4);
            _il.Emit(OpCodes.Stloc, _r[r]);
        }
        _il.MarkLabel(done);
    }

    /// <summary>Rn = the base in the a local plus or minus four bytes per register.</summary>
    private void EmitWrittenBackBase(int n, bool up, int count)
    {
        _il.Emit(OpCodes.Ldloc, _a);
        _il.Emit(OpCodes.Ldc_I4, 4 * count);
        _il.Emit(up ? OpCodes.Add : OpCodes.Sub);
        StoreRegister(n);
    }
}
