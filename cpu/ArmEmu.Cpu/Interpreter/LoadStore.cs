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
public static class LoadStore
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

    private const uint PBit = 1u << 24, UBit = 1u << 23, WBit = 1u << 21;

    /// <summary>A load in any addressing mode 2 or 3 form; the loaded register gets <typeparamref name="TAccess"/>'s value.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Load<TAccess, TOffset>(Cpu cpu, uint op)
        where TAccess : struct, ILoadAccess
        where TOffset : struct, IAddressOffset
    {
        int n = (int)(op >> 16) & 15;
        uint baseAddress = cpu.R[n];
        uint offsetAddress = OffsetAddress<TOffset>(cpu, op, baseAddress);
        uint value = TAccess.Load(cpu, IsPreIndexed(op) ? offsetAddress : baseAddress);
        if (WritesBack(op)) WriteBase(cpu, n, offsetAddress);
        WriteLoadedRegister(cpu, (int)(op >> 12) & 15, value);
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
        int n = (int)(op >> 16) & 15;
        uint baseAddress = cpu.R[n];
        uint offsetAddress = OffsetAddress<TOffset>(cpu, op, baseAddress);
        TAccess.Store(cpu, IsPreIndexed(op) ? offsetAddress : baseAddress, cpu.R[(int)(op >> 12) & 15]);
        if (WritesBack(op)) WriteBase(cpu, n, offsetAddress);
    }

    /// <summary>Rn plus or minus the offset (U bit): the address for P=1, the written-back base for P=0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static uint OffsetAddress<TOffset>(Cpu cpu, uint op, uint baseAddress)
        where TOffset : struct, IAddressOffset
    {
        uint offset = TOffset.Value(cpu, op);
        return (op & UBit) != 0 ? baseAddress + offset : baseAddress - offset;
    }

    /// <summary>P=1: the access uses the offset address (offset and pre-indexed forms).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static bool IsPreIndexed(uint op) => (op & PBit) != 0;

    /// <summary>Post-indexed forms always write back; offset forms only with W (pre-indexed).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static bool WritesBack(uint op) => (op & (PBit | WBit)) != PBit;

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
}

/// <summary>How a load reads memory and what it makes of the value.</summary>
public interface ILoadAccess
{
    static abstract uint Load(Cpu cpu, uint address);
}

/// <summary>How a store writes memory.</summary>
public interface IStoreAccess
{
    static abstract void Store(Cpu cpu, uint address, uint value);
}

/// <summary>
/// LDR/STR: MemU[address, 4] (<see cref="Cpu.LoadWord"/>): on ARMv5 an unaligned load rotates the aligned word
/// (A4.1.23) and a store ignores bits [1:0]; from ARMv6 with SCTLR.U (always on ARMv7) the access is unaligned;
/// with SCTLR.A an unaligned address is an alignment fault (<see cref="Cpu.AlignmentChecking"/>). CPSR.E swaps bytes.
/// </summary>
public struct WordAccess : ILoadAccess, IStoreAccess
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Load(Cpu cpu, uint address) => cpu.LoadWord(address);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Cpu cpu, uint address, uint value) => cpu.StoreWord(address, value);
}

/// <summary>LDRB/STRB: an unsigned byte.</summary>
public struct ByteAccess : ILoadAccess, IStoreAccess
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Load(Cpu cpu, uint address) => cpu.Memory.Read8(address);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Cpu cpu, uint address, uint value) => cpu.Memory.Write8(address, value);
}

/// <summary>LDRT/STRT: a word accessed as if from User mode whatever the current mode (A4.1 LDRT, STRT), alignment as LDR/STR.</summary>
public struct UserWordAccess : ILoadAccess, IStoreAccess
{
    public static uint Load(Cpu cpu, uint address) => cpu.LoadUnprivileged(address, 4);

    public static void Store(Cpu cpu, uint address, uint value) => cpu.StoreUnprivileged(address, 4, value);
}

/// <summary>LDRBT/STRBT: a byte accessed as if from User mode (A4.1 LDRBT, STRBT).</summary>
public struct UserByteAccess : ILoadAccess, IStoreAccess
{
    public static uint Load(Cpu cpu, uint address) => cpu.Memory.Access(address, 1, AccessKind.Read);

    public static void Store(Cpu cpu, uint address, uint value) => cpu.Memory.Access(address, 1, AccessKind.Write, value);
}

/// <summary>The unsigned offset a single load or store adds to or subtracts from its base.</summary>
public interface IAddressOffset
{
    static abstract uint Value(Cpu cpu, uint op);
}

/// <summary>#+/-&lt;offset_12&gt; (A5.2: immediate offset, pre- and post-indexed).</summary>
public struct Immediate12Offset : IAddressOffset
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Value(Cpu cpu, uint op) => op & 0xFFF;
}

/// <summary>
/// +/-&lt;Rm&gt;{, &lt;shift&gt; #&lt;shift_imm&gt;} (A5.2: register and scaled register forms): Rm through the barrel
/// shifter's immediate forms, LSR/ASR #32 and RRX (which reads C) included. The plain
/// register offset is LSL #0.
/// </summary>
public struct ScaledRegisterOffset : IAddressOffset
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
}
