using System.Numerics;
using System.Runtime.CompilerServices;
using ArmEmu.Memory;

namespace ArmEmu.Cpu.Interpreter;

/// <summary>
/// Load and store word or unsigned byte (ARM ARM A3.11, A4.1; addressing mode 2, A5.2).
/// Every encoding is one of two generic bodies, <see cref="Load{TAccess, TOffset}"/> and
/// <see cref="Store{TAccess, TOffset}"/>, specialised by the JIT for the access (word,
/// byte, their user-mode T forms) and the offset form (immediate or scaled register).
/// The halfword, signed and doubleword transfers of <see cref="LoadStoreExtra"/> (addressing
/// mode 3) share the same bodies.
///
/// The bits the bodies read (A5.2.1): P (24) 1 = offset or pre-indexed, 0 = post-indexed;
/// U (23) add or subtract the offset; W (21) with P=1 write the address back; with P=0 the
/// base is always written back, and W=1 selects the T forms, which the decoder routes to
/// handlers with an unprivileged access type.
///
/// Order of effects, everywhere: every memory access first, then the base write-back, then
/// the loaded register. A faulting access therefore leaves every register as it was (the
/// "base restored" abort model), and with Rn == Rt a load ends with the loaded value, as
/// QEMU (op_load_ri/op_load_rr) does for this UNPREDICTABLE case.
/// </summary>
internal static class LoadStore
{
    // STR<c> <Rt>, [<Rn>{, #+/-<imm12>}]{!}
    public static void StrImmediate(Cpu cpu, uint op) => Store<WordAccess, Immediate12Offset>(cpu, op);

    // STR<c> <Rt>, [<Rn>], #+/-<imm12>
    public static void StrImmediatePost(Cpu cpu, uint op) => Store<WordAccess, Immediate12Offset>(cpu, op);

    // STRT<c> <Rt>, [<Rn>], #+/-<imm12>
    public static void StrtImmediate(Cpu cpu, uint op) => Store<UserWordAccess, Immediate12Offset>(cpu, op);

    // STR<c> <Rt>, [<Rn>, +/-<Rm>{, <shift>}]{!}
    public static void StrRegister(Cpu cpu, uint op) => Store<WordAccess, ScaledRegisterOffset>(cpu, op);

    // STR<c> <Rt>, [<Rn>], +/-<Rm>{, <shift>}
    public static void StrRegisterPost(Cpu cpu, uint op) => Store<WordAccess, ScaledRegisterOffset>(cpu, op);

    // STRT<c> <Rt>, [<Rn>], +/-<Rm>{, <shift>}
    public static void StrtRegister(Cpu cpu, uint op) => Store<UserWordAccess, ScaledRegisterOffset>(cpu, op);

    // STRB<c> <Rt>, [<Rn>{, #+/-<imm12>}]{!}
    public static void StrbImmediate(Cpu cpu, uint op) => Store<ByteAccess, Immediate12Offset>(cpu, op);

    // STRB<c> <Rt>, [<Rn>], #+/-<imm12>
    public static void StrbImmediatePost(Cpu cpu, uint op) => Store<ByteAccess, Immediate12Offset>(cpu, op);

    // STRBT<c> <Rt>, [<Rn>], #+/-<imm12>
    public static void StrbtImmediate(Cpu cpu, uint op) => Store<UserByteAccess, Immediate12Offset>(cpu, op);

    // STRB<c> <Rt>, [<Rn>, +/-<Rm>{, <shift>}]{!}
    public static void StrbRegister(Cpu cpu, uint op) => Store<ByteAccess, ScaledRegisterOffset>(cpu, op);

    // STRB<c> <Rt>, [<Rn>], +/-<Rm>{, <shift>}
    public static void StrbRegisterPost(Cpu cpu, uint op) => Store<ByteAccess, ScaledRegisterOffset>(cpu, op);

    // STRBT<c> <Rt>, [<Rn>], +/-<Rm>{, <shift>}
    public static void StrbtRegister(Cpu cpu, uint op) => Store<UserByteAccess, ScaledRegisterOffset>(cpu, op);

    // LDR<c> <Rt>, [<Rn>{, #+/-<imm12>}]{!}
    public static void LdrImmediate(Cpu cpu, uint op) => Load<WordAccess, Immediate12Offset>(cpu, op);

    // LDR<c> <Rt>, [<Rn>], #+/-<imm12>
    public static void LdrImmediatePost(Cpu cpu, uint op) => Load<WordAccess, Immediate12Offset>(cpu, op);

    // LDRT<c> <Rt>, [<Rn>], #+/-<imm12>
    public static void LdrtImmediate(Cpu cpu, uint op) => Load<UserWordAccess, Immediate12Offset>(cpu, op);

    // LDR<c> <Rt>, [<Rn>, +/-<Rm>{, <shift>}]{!}
    public static void LdrRegister(Cpu cpu, uint op) => Load<WordAccess, ScaledRegisterOffset>(cpu, op);

    // LDR<c> <Rt>, [<Rn>], +/-<Rm>{, <shift>}
    public static void LdrRegisterPost(Cpu cpu, uint op) => Load<WordAccess, ScaledRegisterOffset>(cpu, op);

    // LDRT<c> <Rt>, [<Rn>], +/-<Rm>{, <shift>}
    public static void LdrtRegister(Cpu cpu, uint op) => Load<UserWordAccess, ScaledRegisterOffset>(cpu, op);

    // LDRB<c> <Rt>, [<Rn>{, #+/-<imm12>}]{!}
    public static void LdrbImmediate(Cpu cpu, uint op) => Load<ByteAccess, Immediate12Offset>(cpu, op);

    // LDRB<c> <Rt>, [<Rn>], #+/-<imm12>
    public static void LdrbImmediatePost(Cpu cpu, uint op) => Load<ByteAccess, Immediate12Offset>(cpu, op);

    // LDRBT<c> <Rt>, [<Rn>], #+/-<imm12>
    public static void LdrbtImmediate(Cpu cpu, uint op) => Load<UserByteAccess, Immediate12Offset>(cpu, op);

    // LDRB<c> <Rt>, [<Rn>, +/-<Rm>{, <shift>}]{!}
    public static void LdrbRegister(Cpu cpu, uint op) => Load<ByteAccess, ScaledRegisterOffset>(cpu, op);

    // LDRB<c> <Rt>, [<Rn>], +/-<Rm>{, <shift>}
    public static void LdrbRegisterPost(Cpu cpu, uint op) => Load<ByteAccess, ScaledRegisterOffset>(cpu, op);

    // LDRBT<c> <Rt>, [<Rn>], +/-<Rm>{, <shift>}
    public static void LdrbtRegister(Cpu cpu, uint op) => Load<UserByteAccess, ScaledRegisterOffset>(cpu, op);

    // ---- the shared bodies (addressing modes 2 and 3) ----------------------------------------

    internal const uint PBit = 1u << 24, UBit = 1u << 23, WBit = 1u << 21;

    /// <summary>A load in any addressing mode 2 or 3 form; the loaded register gets <typeparamref name="TAccess"/>'s value.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Load<TAccess, TOffset>(Cpu cpu, uint op)
        where TAccess : struct, ILoadAccess
        where TOffset : struct, IAddressOffset
    {
        uint baseAddress = TOffset.Base(cpu, op);
        uint offsetAddress = OffsetAddress<TOffset>(cpu, op, baseAddress);
        uint value = TAccess.Load(cpu, TOffset.PreIndexed(op) ? offsetAddress : baseAddress);
        if (TOffset.WritesBack(op)) WriteBase(cpu, TOffset.Rn(op), offsetAddress);
        WriteLoadedRegister(cpu, TOffset.Rt(op), value);
    }

    /// <summary>
    /// A store in any addressing mode 2 or 3 form. Rt is read before the write-back, so
    /// with Rn == Rt the old base is stored. Rt = PC stores the instruction's address + 8:
    /// the ARM ARM (A2.4.3) leaves +8 or +12 IMPLEMENTATION DEFINED, and QEMU stores +8.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Store<TAccess, TOffset>(Cpu cpu, uint op)
        where TAccess : struct, IStoreAccess
        where TOffset : struct, IAddressOffset
    {
        uint baseAddress = TOffset.Base(cpu, op);
        uint offsetAddress = OffsetAddress<TOffset>(cpu, op, baseAddress);
        TAccess.Store(cpu, TOffset.PreIndexed(op) ? offsetAddress : baseAddress, cpu.R[TOffset.Rt(op)]);
        if (TOffset.WritesBack(op)) WriteBase(cpu, TOffset.Rn(op), offsetAddress);
    }

    /// <summary>Rn plus or minus the offset (U bit): the address for P=1, the written-back base for P=0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static uint OffsetAddress<TOffset>(Cpu cpu, uint op, uint baseAddress)
        where TOffset : struct, IAddressOffset
    {
        uint offset = TOffset.Value(cpu, op);
        return TOffset.Adds(op) ? baseAddress + offset : baseAddress - offset;
    }

    /// <summary>
    /// Base write-back. Rn = PC with write-back is UNPREDICTABLE; QEMU writes the PC as an
    /// ordinary branch (store_reg: bits [1:0] cleared, no change of state), and so do we.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void WriteBase(Cpu cpu, int n, uint address)
    {
        cpu.WriteRegister(n, address);
    }

    /// <summary>The destination of a single load: a load to the PC is LoadWritePC (<see cref="Cpu.LoadWriteRegister"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void WriteLoadedRegister(Cpu cpu, int t, uint value) => cpu.LoadWriteRegister(t, value);

    /// <summary>
    /// A word load as ARMv5 does it without SCTLR.U (A4.1.23): the aligned word holding
    /// the address, rotated right so that the addressed byte lands in bits [7:0].
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint RotateUnaligned(uint alignedWord, uint address) =>
        BitOperations.RotateRight(alignedWord, (int)(address & 3) * 8);

    // ---- T32 (DDI 0406C A6.3.7-A6.3.10): the same bodies with the T32 offset views (LoadStore.Thumb.cs) ----

    public static void StrImmediate12T(Cpu cpu, uint op) => Store<WordAccess, T32Immediate12Offset>(cpu, op);

    public static void StrImmediate8T(Cpu cpu, uint op) => Store<WordAccess, T32Immediate8Offset>(cpu, op);

    public static void StrtT1(Cpu cpu, uint op) => Store<UserWordAccess, T32Immediate8Offset>(cpu, op);

    public static void StrRegisterT(Cpu cpu, uint op) => Store<WordAccess, T32RegisterOffset>(cpu, op);

    public static void StrbImmediate12T(Cpu cpu, uint op) => Store<ByteAccess, T32Immediate12Offset>(cpu, op);

    public static void StrbImmediate8T(Cpu cpu, uint op) => Store<ByteAccess, T32Immediate8Offset>(cpu, op);

    public static void StrbtT1(Cpu cpu, uint op) => Store<UserByteAccess, T32Immediate8Offset>(cpu, op);

    public static void StrbRegisterT(Cpu cpu, uint op) => Store<ByteAccess, T32RegisterOffset>(cpu, op);

    public static void LdrImmediate12T(Cpu cpu, uint op) => Load<WordAccess, T32Immediate12Offset>(cpu, op);

    public static void LdrImmediate8T(Cpu cpu, uint op) => Load<WordAccess, T32Immediate8Offset>(cpu, op);

    public static void LdrtT1(Cpu cpu, uint op) => Load<UserWordAccess, T32Immediate8Offset>(cpu, op);

    public static void LdrRegisterT(Cpu cpu, uint op) => Load<WordAccess, T32RegisterOffset>(cpu, op);

    public static void LdrLiteralT(Cpu cpu, uint op) => Load<WordAccess, T32LiteralOffset>(cpu, op);

    public static void LdrbImmediate12T(Cpu cpu, uint op) => Load<ByteAccess, T32Immediate12Offset>(cpu, op);

    public static void LdrbImmediate8T(Cpu cpu, uint op) => Load<ByteAccess, T32Immediate8Offset>(cpu, op);

    public static void LdrbtT1(Cpu cpu, uint op) => Load<UserByteAccess, T32Immediate8Offset>(cpu, op);

    public static void LdrbRegisterT(Cpu cpu, uint op) => Load<ByteAccess, T32RegisterOffset>(cpu, op);

    public static void LdrbLiteralT(Cpu cpu, uint op) => Load<ByteAccess, T32LiteralOffset>(cpu, op);

    // ---- 16-bit Thumb (A6.2.4) -----------------------------------------------------------------------

    public static void StrRegisterT1(Cpu cpu, uint op) => Store<WordAccess, T16RegisterOffset>(cpu, op);

    public static void StrbRegisterT1(Cpu cpu, uint op) => Store<ByteAccess, T16RegisterOffset>(cpu, op);

    public static void LdrRegisterT1(Cpu cpu, uint op) => Load<WordAccess, T16RegisterOffset>(cpu, op);

    public static void LdrbRegisterT1(Cpu cpu, uint op) => Load<ByteAccess, T16RegisterOffset>(cpu, op);

    public static void StrImmediateT1(Cpu cpu, uint op) => Store<WordAccess, T16Immediate5Offset<WordSize>>(cpu, op);

    public static void LdrImmediateT1(Cpu cpu, uint op) => Load<WordAccess, T16Immediate5Offset<WordSize>>(cpu, op);

    public static void StrbImmediateT1(Cpu cpu, uint op) => Store<ByteAccess, T16Immediate5Offset<ByteSize>>(cpu, op);

    public static void LdrbImmediateT1(Cpu cpu, uint op) => Load<ByteAccess, T16Immediate5Offset<ByteSize>>(cpu, op);

    public static void StrSpRelativeT2(Cpu cpu, uint op) => Store<WordAccess, T16SpRelativeOffset>(cpu, op);

    public static void LdrSpRelativeT2(Cpu cpu, uint op) => Load<WordAccess, T16SpRelativeOffset>(cpu, op);

    public static void LdrLiteralT1(Cpu cpu, uint op) => Load<WordAccess, T16LiteralOffset>(cpu, op);
}

/// <summary>How a load reads memory and what it makes of the value.</summary>
internal interface ILoadAccess
{
    static abstract uint Load(Cpu cpu, uint address);
}

/// <summary>How a store writes memory.</summary>
internal interface IStoreAccess
{
    static abstract void Store(Cpu cpu, uint address, uint value);
}

/// <summary>
/// LDR/STR: MemU[address, 4] (<see cref="Cpu.LoadWord"/>): on ARMv5 an unaligned load rotates the aligned word
/// (A4.1.23) and a store ignores bits [1:0]; from ARMv6 with SCTLR.U (always on ARMv7) the access is unaligned;
/// with SCTLR.A an unaligned address is an alignment fault (<see cref="Cpu.AlignmentChecking"/>). CPSR.E swaps bytes.
/// </summary>
internal struct WordAccess : ILoadAccess, IStoreAccess
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Load(Cpu cpu, uint address) => cpu.LoadWord(address);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Cpu cpu, uint address, uint value) => cpu.StoreWord(address, value);
}

/// <summary>LDRB/STRB: an unsigned byte.</summary>
internal struct ByteAccess : ILoadAccess, IStoreAccess
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Load(Cpu cpu, uint address) => cpu.Memory.Read8(address);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Cpu cpu, uint address, uint value) => cpu.Memory.Write8(address, value);
}

/// <summary>LDRT/STRT: a word accessed as if from User mode whatever the current mode (A4.1 LDRT, STRT), alignment as LDR/STR.</summary>
internal struct UserWordAccess : ILoadAccess, IStoreAccess
{
    public static uint Load(Cpu cpu, uint address) => cpu.LoadUnprivileged(address, 4);

    public static void Store(Cpu cpu, uint address, uint value) => cpu.StoreUnprivileged(address, 4, value);
}

/// <summary>LDRBT/STRBT: a byte accessed as if from User mode (A4.1 LDRBT, STRBT).</summary>
internal struct UserByteAccess : ILoadAccess, IStoreAccess
{
    public static uint Load(Cpu cpu, uint address) => cpu.Memory.Access(address, 1, AccessKind.Read);

    public static void Store(Cpu cpu, uint address, uint value) => cpu.Memory.Access(address, 1, AccessKind.Write, value);
}

/// <summary>
/// The addressing of a single load or store: the unsigned offset it adds to or subtracts from
/// its base, and the field view around it -- where Rt and Rn are, and the P, U and W bits. The
/// A32 forms read the A32 positions (<see cref="A32AddressFields"/>); the T32 and 16-bit Thumb
/// forms (LoadStore.Thumb.cs) read theirs, so every instruction set runs the same
/// <see cref="LoadStore.Load{TAccess, TOffset}"/> and <see cref="LoadStore.Store{TAccess, TOffset}"/>.
/// </summary>
/// <remarks>
/// Every member is abstract, never a default implementation: crossgen2 (.NET 10) does not
/// precompile a generic core that calls a static virtual member's default body, so the cores
/// would be compiled by the JIT at every start (see <see cref="IShifterOperand"/>).
/// </remarks>
internal interface IAddressOffset
{
    static abstract uint Value(Cpu cpu, uint op);

    /// <summary>The base register.</summary>
    static abstract int Rn(uint op);

    /// <summary>The transferred register.</summary>
    static abstract int Rt(uint op);

    /// <summary>The base address (R[Rn]; literal forms align the PC).</summary>
    static abstract uint Base(Cpu cpu, uint op);

    /// <summary>U: the offset is added.</summary>
    static abstract bool Adds(uint op);

    /// <summary>P=1: the access uses the offset address (offset and pre-indexed forms).</summary>
    static abstract bool PreIndexed(uint op);

    /// <summary>Post-indexed forms always write back; offset forms only with W (pre-indexed).</summary>
    static abstract bool WritesBack(uint op);
}

/// <summary>Where the A32 single and dual loads and stores keep their fields: Rn 19:16, Rt 15:12, P 24, U 23, W 21 (A5.2, A5.3).</summary>
internal static class A32AddressFields
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Rn(uint op) => (int)(op >> 16) & 15;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Rt(uint op) => (int)(op >> 12) & 15;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Base(Cpu cpu, uint op) => cpu.R[(int)(op >> 16) & 15];

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool U(uint op) => (op & LoadStore.UBit) != 0;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool P(uint op) => (op & LoadStore.PBit) != 0;

    /// <summary>Post-indexed forms (P=0) always write back; offset forms only with W (pre-indexed).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool WritesBack(uint op) => (op & (LoadStore.PBit | LoadStore.WBit)) != LoadStore.PBit;
}

/// <summary>#+/-&lt;offset_12&gt; (A5.2: immediate offset, pre- and post-indexed).</summary>
internal struct Immediate12Offset : IAddressOffset
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Value(Cpu cpu, uint op) => op & 0xFFF;

    public static int Rn(uint op) => A32AddressFields.Rn(op);

    public static int Rt(uint op) => A32AddressFields.Rt(op);

    public static uint Base(Cpu cpu, uint op) => A32AddressFields.Base(cpu, op);

    public static bool Adds(uint op) => A32AddressFields.U(op);

    public static bool PreIndexed(uint op) => A32AddressFields.P(op);

    public static bool WritesBack(uint op) => A32AddressFields.WritesBack(op);
}

/// <summary>
/// +/-&lt;Rm&gt;{, &lt;shift&gt; #&lt;shift_imm&gt;} (A5.2: register and scaled register forms): Rm through the barrel
/// shifter's immediate forms, LSR/ASR #32 and RRX (which reads C) included. The plain
/// register offset is LSL #0.
/// </summary>
internal struct ScaledRegisterOffset : IAddressOffset
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Value(Cpu cpu, uint op)
    {
        uint rm = cpu.R[(int)op & 15];
        uint type = (op >> 5) & 3;
        int amount = (int)(op >> 7) & 31;
        if (type == 0) return rm << amount; // LSL (and the unshifted register), by far the commonest
        return Shifter.ShiftImmediate(rm, type, amount, cpu.C);
    }

    public static int Rn(uint op) => A32AddressFields.Rn(op);

    public static int Rt(uint op) => A32AddressFields.Rt(op);

    public static uint Base(Cpu cpu, uint op) => A32AddressFields.Base(cpu, op);

    public static bool Adds(uint op) => A32AddressFields.U(op);

    public static bool PreIndexed(uint op) => A32AddressFields.P(op);

    public static bool WritesBack(uint op) => A32AddressFields.WritesBack(op);
}
