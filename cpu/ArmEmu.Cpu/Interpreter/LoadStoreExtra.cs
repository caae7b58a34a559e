using System.Runtime.CompilerServices;
using ArmEmu.Memory;

namespace ArmEmu.Cpu.Interpreter;

/// <summary>
/// Load and store halfword, signed byte and doubleword (ARM ARM A3.13, A4.1; addressing
/// mode 3, A5.3). The single transfers reuse <see cref="LoadStore"/>'s generic bodies with
/// the mode 3 offsets (a split 8-bit immediate, or an unshifted Rm); LDRD and STRD, which
/// move two registers, have their own.
/// </summary>
internal static class LoadStoreExtra
{
    // STRH<c> <Rt>, [<Rn>{, #+/-<imm8>}]{!}
    public static void StrhImmediate(Cpu cpu, uint op) => LoadStore.Store<HalfwordAccess, Immediate8Offset>(cpu, op);

    // STRH<c> <Rt>, [<Rn>], #+/-<imm8>
    public static void StrhImmediatePost(Cpu cpu, uint op) => LoadStore.Store<HalfwordAccess, Immediate8Offset>(cpu, op);

    // STRH<c> <Rt>, [<Rn>, +/-<Rm>]{!}
    public static void StrhRegister(Cpu cpu, uint op) => LoadStore.Store<HalfwordAccess, RegisterOffset>(cpu, op);

    // STRH<c> <Rt>, [<Rn>], +/-<Rm>
    public static void StrhRegisterPost(Cpu cpu, uint op) => LoadStore.Store<HalfwordAccess, RegisterOffset>(cpu, op);

    // LDRH<c> <Rt>, [<Rn>{, #+/-<imm8>}]{!}
    public static void LdrhImmediate(Cpu cpu, uint op) => LoadStore.Load<HalfwordAccess, Immediate8Offset>(cpu, op);

    // LDRH<c> <Rt>, [<Rn>], #+/-<imm8>
    public static void LdrhImmediatePost(Cpu cpu, uint op) => LoadStore.Load<HalfwordAccess, Immediate8Offset>(cpu, op);

    // LDRH<c> <Rt>, [<Rn>, +/-<Rm>]{!}
    public static void LdrhRegister(Cpu cpu, uint op) => LoadStore.Load<HalfwordAccess, RegisterOffset>(cpu, op);

    // LDRH<c> <Rt>, [<Rn>], +/-<Rm>
    public static void LdrhRegisterPost(Cpu cpu, uint op) => LoadStore.Load<HalfwordAccess, RegisterOffset>(cpu, op);

    // LDRSB<c> <Rt>, [<Rn>{, #+/-<imm8>}]{!}
    public static void LdrsbImmediate(Cpu cpu, uint op) => LoadStore.Load<SignedByteAccess, Immediate8Offset>(cpu, op);

    // LDRSB<c> <Rt>, [<Rn>], #+/-<imm8>
    public static void LdrsbImmediatePost(Cpu cpu, uint op) => LoadStore.Load<SignedByteAccess, Immediate8Offset>(cpu, op);

    // LDRSB<c> <Rt>, [<Rn>, +/-<Rm>]{!}
    public static void LdrsbRegister(Cpu cpu, uint op) => LoadStore.Load<SignedByteAccess, RegisterOffset>(cpu, op);

    // LDRSB<c> <Rt>, [<Rn>], +/-<Rm>
    public static void LdrsbRegisterPost(Cpu cpu, uint op) => LoadStore.Load<SignedByteAccess, RegisterOffset>(cpu, op);

    // LDRSH<c> <Rt>, [<Rn>{, #+/-<imm8>}]{!}
    public static void LdrshImmediate(Cpu cpu, uint op) => LoadStore.Load<SignedHalfwordAccess, Immediate8Offset>(cpu, op);

    // LDRSH<c> <Rt>, [<Rn>], #+/-<imm8>
    public static void LdrshImmediatePost(Cpu cpu, uint op) => LoadStore.Load<SignedHalfwordAccess, Immediate8Offset>(cpu, op);

    // LDRSH<c> <Rt>, [<Rn>, +/-<Rm>]{!}
    public static void LdrshRegister(Cpu cpu, uint op) => LoadStore.Load<SignedHalfwordAccess, RegisterOffset>(cpu, op);

    // LDRSH<c> <Rt>, [<Rn>], +/-<Rm>
    public static void LdrshRegisterPost(Cpu cpu, uint op) => LoadStore.Load<SignedHalfwordAccess, RegisterOffset>(cpu, op);

    // LDRD<c> <Rt>, <Rt2>, [<Rn>{, #+/-<imm8>}]{!}
    public static void LdrdImmediate(Cpu cpu, uint op) => LoadDual<Immediate8Offset>(cpu, op);

    // LDRD<c> <Rt>, <Rt2>, [<Rn>], #+/-<imm8>
    public static void LdrdImmediatePost(Cpu cpu, uint op) => LoadDual<Immediate8Offset>(cpu, op);

    // LDRD<c> <Rt>, <Rt2>, [<Rn>, +/-<Rm>]{!}
    public static void LdrdRegister(Cpu cpu, uint op) => LoadDual<RegisterOffset>(cpu, op);

    // LDRD<c> <Rt>, <Rt2>, [<Rn>], +/-<Rm>
    public static void LdrdRegisterPost(Cpu cpu, uint op) => LoadDual<RegisterOffset>(cpu, op);

    // STRD<c> <Rt>, <Rt2>, [<Rn>{, #+/-<imm8>}]{!}
    public static void StrdImmediate(Cpu cpu, uint op) => StoreDual<Immediate8Offset>(cpu, op);

    // STRD<c> <Rt>, <Rt2>, [<Rn>], #+/-<imm8>
    public static void StrdImmediatePost(Cpu cpu, uint op) => StoreDual<Immediate8Offset>(cpu, op);

    // STRD<c> <Rt>, <Rt2>, [<Rn>, +/-<Rm>]{!}
    public static void StrdRegister(Cpu cpu, uint op) => StoreDual<RegisterOffset>(cpu, op);

    // STRD<c> <Rt>, <Rt2>, [<Rn>], +/-<Rm>
    public static void StrdRegisterPost(Cpu cpu, uint op) => StoreDual<RegisterOffset>(cpu, op);

    // STRHT<c> <Rt>, [<Rn>] {, #+/-<imm8>}  (ARMv6T2, A8.8.219 A1)
    public static void StrhtImmediate(Cpu cpu, uint op) => LoadStore.Store<UserHalfwordAccess, Immediate8Offset>(cpu, op);

    // STRHT<c> <Rt>, [<Rn>], +/-<Rm>  (A2)
    public static void StrhtRegister(Cpu cpu, uint op) => LoadStore.Store<UserHalfwordAccess, RegisterOffset>(cpu, op);

    // LDRHT<c> <Rt>, [<Rn>] {, #+/-<imm8>}  (A8.8.81 A1)
    public static void LdrhtImmediate(Cpu cpu, uint op) => LoadStore.Load<UserHalfwordAccess, Immediate8Offset>(cpu, op);

    // LDRHT<c> <Rt>, [<Rn>], +/-<Rm>  (A2)
    public static void LdrhtRegister(Cpu cpu, uint op) => LoadStore.Load<UserHalfwordAccess, RegisterOffset>(cpu, op);

    // LDRSBT<c> <Rt>, [<Rn>] {, #+/-<imm8>}  (A8.8.85 A1)
    public static void LdrsbtImmediate(Cpu cpu, uint op) => LoadStore.Load<UserSignedByteAccess, Immediate8Offset>(cpu, op);

    // LDRSBT<c> <Rt>, [<Rn>], +/-<Rm>  (A2)
    public static void LdrsbtRegister(Cpu cpu, uint op) => LoadStore.Load<UserSignedByteAccess, RegisterOffset>(cpu, op);

    // LDRSHT<c> <Rt>, [<Rn>] {, #+/-<imm8>}  (A8.8.89 A1)
    public static void LdrshtImmediate(Cpu cpu, uint op) => LoadStore.Load<UserSignedHalfwordAccess, Immediate8Offset>(cpu, op);

    // LDRSHT<c> <Rt>, [<Rn>], +/-<Rm>  (A2)
    public static void LdrshtRegister(Cpu cpu, uint op) => LoadStore.Load<UserSignedHalfwordAccess, RegisterOffset>(cpu, op);

    /// <summary>
    /// LDRD: Rt from the lower word, Rt2 = Rt + 1 from the upper. Both words are read
    /// before any register changes, so an abort on the second leaves Rt (and the base)
    /// intact. Then, as in QEMU (do_ldrd_load, op_addr_ri_post), Rt, Rt2 and last the
    /// base: if the base overlaps Rt or Rt2 (UNPREDICTABLE) the written-back address wins.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void LoadDual<TOffset>(Cpu cpu, uint op) where TOffset : struct, IDualOffset
    {
        int t = TOffset.Rt(op), t2 = TOffset.Rt2(op);
        if (TOffset.EvenPair && (t & 1) != 0)
        {
            // An odd Rt is UNPREDICTABLE in ARMv5TE; QEMU makes it UNDEFINED.
            cpu.RaiseUndefined(op);
            return;
        }
        int n = TOffset.Rn(op);
        uint baseAddress = TOffset.Base(cpu, op);
        uint offsetAddress = LoadStore.OffsetAddress<TOffset>(cpu, op, baseAddress);
        // ARMv5TE wants a doubleword-aligned address; the ARM926 (and this emulator) takes any
        // word-aligned one and, like every word access here, ignores bits [1:0]. With SCTLR.A
        // set, or from ARMv6 with SCTLR.U (MemA in DDI 0406C), an address that is not
        // word-aligned faults (as QEMU's MO_ALIGN_4 does).
        uint address = cpu.AlignedWordAddress(TOffset.PreIndexed(op) ? offsetAddress : baseAddress, AccessKind.Read);
        uint low = cpu.DataWord(cpu.Memory.Read32(address));
        uint high = cpu.DataWord(cpu.Memory.Read32(address + 4));
        cpu.WriteRegister(t, low);
        // Rt = R14 makes Rt2 the PC: UNPREDICTABLE, a plain branch as in QEMU (Cpu.WriteRegister).
        cpu.WriteRegister(t2, high);
        if (TOffset.WritesBack(op)) LoadStore.WriteBase(cpu, n, offsetAddress);
    }

    /// <summary>
    /// STRD: Rt to the lower word, Rt2 = Rt + 1 to the upper. With Rt = R14, Rt2 is the PC and
    /// stores the instruction's address + 8, as QEMU does (UNPREDICTABLE in the ARM ARM).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void StoreDual<TOffset>(Cpu cpu, uint op) where TOffset : struct, IDualOffset
    {
        int t = TOffset.Rt(op), t2 = TOffset.Rt2(op);
        if (TOffset.EvenPair && (t & 1) != 0)
        {
            // An odd Rt is UNPREDICTABLE in ARMv5TE; QEMU makes it UNDEFINED.
            cpu.RaiseUndefined(op);
            return;
        }
        int n = TOffset.Rn(op);
        uint baseAddress = TOffset.Base(cpu, op);
        uint offsetAddress = LoadStore.OffsetAddress<TOffset>(cpu, op, baseAddress);
        uint address = cpu.AlignedWordAddress(TOffset.PreIndexed(op) ? offsetAddress : baseAddress, AccessKind.Write);
        cpu.Memory.Write32(address, cpu.DataWord(cpu.R[t]));
        cpu.Memory.Write32(address + 4, cpu.DataWord(cpu.R[t2]));
        if (TOffset.WritesBack(op)) LoadStore.WriteBase(cpu, n, offsetAddress);
    }

    // ---- T32 (DDI 0406C A6.3.6-A6.3.10): the same bodies with the T32 offset views (LoadStore.Thumb.cs) ----

    public static void StrhImmediate12T(Cpu cpu, uint op) => LoadStore.Store<HalfwordAccess, T32Immediate12Offset>(cpu, op);

    public static void StrhImmediate8T(Cpu cpu, uint op) => LoadStore.Store<HalfwordAccess, T32Immediate8Offset>(cpu, op);

    public static void StrhtT1(Cpu cpu, uint op) => LoadStore.Store<UserHalfwordAccess, T32Immediate8Offset>(cpu, op);

    public static void StrhRegisterT(Cpu cpu, uint op) => LoadStore.Store<HalfwordAccess, T32RegisterOffset>(cpu, op);

    public static void LdrhImmediate12T(Cpu cpu, uint op) => LoadStore.Load<HalfwordAccess, T32Immediate12Offset>(cpu, op);

    public static void LdrhImmediate8T(Cpu cpu, uint op) => LoadStore.Load<HalfwordAccess, T32Immediate8Offset>(cpu, op);

    public static void LdrhtT1(Cpu cpu, uint op) => LoadStore.Load<UserHalfwordAccess, T32Immediate8Offset>(cpu, op);

    public static void LdrhRegisterT(Cpu cpu, uint op) => LoadStore.Load<HalfwordAccess, T32RegisterOffset>(cpu, op);

    public static void LdrhLiteralT(Cpu cpu, uint op) => LoadStore.Load<HalfwordAccess, T32LiteralOffset>(cpu, op);

    public static void LdrsbImmediate12T(Cpu cpu, uint op) => LoadStore.Load<SignedByteAccess, T32Immediate12Offset>(cpu, op);

    public static void LdrsbImmediate8T(Cpu cpu, uint op) => LoadStore.Load<SignedByteAccess, T32Immediate8Offset>(cpu, op);

    public static void LdrsbtT1(Cpu cpu, uint op) => LoadStore.Load<UserSignedByteAccess, T32Immediate8Offset>(cpu, op);

    public static void LdrsbRegisterT(Cpu cpu, uint op) => LoadStore.Load<SignedByteAccess, T32RegisterOffset>(cpu, op);

    public static void LdrsbLiteralT(Cpu cpu, uint op) => LoadStore.Load<SignedByteAccess, T32LiteralOffset>(cpu, op);

    public static void LdrshImmediate12T(Cpu cpu, uint op) => LoadStore.Load<SignedHalfwordAccess, T32Immediate12Offset>(cpu, op);

    public static void LdrshImmediate8T(Cpu cpu, uint op) => LoadStore.Load<SignedHalfwordAccess, T32Immediate8Offset>(cpu, op);

    public static void LdrshtT1(Cpu cpu, uint op) => LoadStore.Load<UserSignedHalfwordAccess, T32Immediate8Offset>(cpu, op);

    public static void LdrshRegisterT(Cpu cpu, uint op) => LoadStore.Load<SignedHalfwordAccess, T32RegisterOffset>(cpu, op);

    public static void LdrshLiteralT(Cpu cpu, uint op) => LoadStore.Load<SignedHalfwordAccess, T32LiteralOffset>(cpu, op);

    // LDRD/STRD (immediate) T1 and LDRD (literal) T1: 11101 00 P U 1 W L Rn | Rt Rt2 imm8
    // The offset form (P = 1, W = 0) with Rn, Rt and Rt2 not the PC reads both words with one
    // page look-up when they are on one page with a host pointer (Cpu.TryReadDoubleword): the same
    // two words the two MemA reads below return, with half the look-ups -- a Thumb-2 program's
    // LDRD does what an ARMv5 one's two LDRs do, and should not cost more than they do.
    public static void LdrdT1(Cpu cpu, uint op)
    {
        int n = (int)(op >> 16) & 15, t = (int)(op >> 12) & 15, t2 = (int)(op >> 8) & 15;
        if ((op & 0x0120_0000) == 0x0100_0000 && n != 15 && t != 15 && t2 != 15)
        {
            uint offset = (op & 0xFF) << 2;
            uint address = (op & (1u << 23)) != 0 ? cpu.R[n] + offset : cpu.R[n] - offset;
            if (cpu.TryReadDoubleword(address, out ulong words))
            {
                cpu.R[t] = (uint)words;
                cpu.R[t2] = (uint)(words >> 32);
                return;
            }
        }
        LdrdT1Slowly(cpu, op);
    }

    // Off LdrdT1's fast path, so that its callee-saved registers and spills stay out of it.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void LdrdT1Slowly(Cpu cpu, uint op) => LoadDual<T32DualOffset>(cpu, op);

    public static void StrdT1(Cpu cpu, uint op) => StoreDual<T32DualOffset>(cpu, op);

    // ---- 16-bit Thumb (A6.2.4) -----------------------------------------------------------------------

    public static void StrhRegisterT1(Cpu cpu, uint op) => LoadStore.Store<HalfwordAccess, T16RegisterOffset>(cpu, op);

    public static void LdrhRegisterT1(Cpu cpu, uint op) => LoadStore.Load<HalfwordAccess, T16RegisterOffset>(cpu, op);

    public static void LdrsbRegisterT1(Cpu cpu, uint op) => LoadStore.Load<SignedByteAccess, T16RegisterOffset>(cpu, op);

    public static void LdrshRegisterT1(Cpu cpu, uint op) => LoadStore.Load<SignedHalfwordAccess, T16RegisterOffset>(cpu, op);

    public static void StrhImmediateT1(Cpu cpu, uint op) => LoadStore.Store<HalfwordAccess, T16Immediate5Offset<HalfwordSize>>(cpu, op);

    public static void LdrhImmediateT1(Cpu cpu, uint op) => LoadStore.Load<HalfwordAccess, T16Immediate5Offset<HalfwordSize>>(cpu, op);
}

/// <summary>
/// LDRH/STRH: MemU[address, 2]. ARMv5 without SCTLR.U ignores address bit 0 (the ARM926 does; the ARM ARM
/// calls it UNPREDICTABLE); from ARMv6 with SCTLR.U the access is unaligned; with SCTLR.A an odd address is an
/// alignment fault. CPSR.E swaps the bytes.
/// </summary>
internal struct HalfwordAccess : ILoadAccess, IStoreAccess
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Load(Cpu cpu, uint address) => cpu.LoadHalfword(address);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Cpu cpu, uint address, uint value) => cpu.StoreHalfword(address, value);
}

/// <summary>LDRSB: a byte, sign-extended.</summary>
internal struct SignedByteAccess : ILoadAccess
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Load(Cpu cpu, uint address) => (uint)(sbyte)cpu.Memory.Read8(address);
}

/// <summary>LDRSH: a halfword, sign-extended; alignment and endianness as LDRH.</summary>
internal struct SignedHalfwordAccess : ILoadAccess
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Load(Cpu cpu, uint address) => (uint)(short)cpu.LoadHalfword(address);
}

/// <summary>LDRHT/STRHT (ARMv6T2): a halfword accessed as if from User mode.</summary>
internal struct UserHalfwordAccess : ILoadAccess, IStoreAccess
{
    public static uint Load(Cpu cpu, uint address) => cpu.LoadUnprivileged(address, 2);

    public static void Store(Cpu cpu, uint address, uint value) => cpu.StoreUnprivileged(address, 2, value);
}

/// <summary>LDRSBT (ARMv6T2): a byte accessed as if from User mode, sign-extended.</summary>
internal struct UserSignedByteAccess : ILoadAccess
{
    public static uint Load(Cpu cpu, uint address) => (uint)(sbyte)cpu.LoadUnprivileged(address, 1);
}

/// <summary>LDRSHT (ARMv6T2): a halfword accessed as if from User mode, sign-extended.</summary>
internal struct UserSignedHalfwordAccess : ILoadAccess
{
    public static uint Load(Cpu cpu, uint address) => (uint)(short)cpu.LoadUnprivileged(address, 2);
}

/// <summary>#+/-&lt;offset_8&gt; of addressing mode 3 (A5.3): immedH in bits [11:8], immedL in [3:0].</summary>
internal struct Immediate8Offset : IDualOffset
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Value(Cpu cpu, uint op) => ((op >> 4) & 0xF0) | (op & 0xF);

    public static int Rn(uint op) => A32AddressFields.Rn(op);

    public static int Rt(uint op) => A32AddressFields.Rt(op);

    public static uint Base(Cpu cpu, uint op) => A32AddressFields.Base(cpu, op);

    public static bool Adds(uint op) => A32AddressFields.U(op);

    public static bool PreIndexed(uint op) => A32AddressFields.P(op);

    public static bool WritesBack(uint op) => A32AddressFields.WritesBack(op);

    public static int Rt2(uint op) => A32AddressFields.Rt(op) + 1;

    public static bool EvenPair => true;
}

/// <summary>+/-&lt;Rm&gt; of addressing mode 3 (A5.3): the register, unshifted.</summary>
internal struct RegisterOffset : IDualOffset
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Value(Cpu cpu, uint op) => cpu.R[(int)op & 15];

    public static int Rn(uint op) => A32AddressFields.Rn(op);

    public static int Rt(uint op) => A32AddressFields.Rt(op);

    public static uint Base(Cpu cpu, uint op) => A32AddressFields.Base(cpu, op);

    public static bool Adds(uint op) => A32AddressFields.U(op);

    public static bool PreIndexed(uint op) => A32AddressFields.P(op);

    public static bool WritesBack(uint op) => A32AddressFields.WritesBack(op);

    public static int Rt2(uint op) => A32AddressFields.Rt(op) + 1;

    public static bool EvenPair => true;
}

/// <summary>
/// The addressing of LDRD/STRD: that of a single transfer plus the second register. A32 uses the
/// even/odd pair Rt, Rt + 1 (an odd Rt UNDEFINED as in QEMU); T32 names Rt2 (11:8) freely.
/// </summary>
internal interface IDualOffset : IAddressOffset
{
    /// <summary>The second transferred register (A32: Rt + 1).</summary>
    static abstract int Rt2(uint op);

    /// <summary>Whether Rt must be even (A32) or Rt2 is named freely (T32).</summary>
    static abstract bool EvenPair { get; }
}
