using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Numerics;
using System.Runtime.CompilerServices;
using ArmEmu.Memory;

namespace ArmEmu.Cpu;

/// <summary>
/// The data-access rules of ARM ARM A3.2 (alignment) and A3.3 (endianness): MemA (accesses
/// that must be aligned: LDM/STM, LDRD/STRD, LDREX/STREX, SWP) and MemU (LDR/STR, LDRH/STRH
/// and their T forms, which ARMv6 and later may make unaligned), and CPSR.E (big-endian data).
/// </summary>
/// <remarks>
/// The common case -- an aligned access with CPSR.E = 0 -- is one test on the hot path; every
/// other case goes to a slow path that is not inlined. The three regimes, in DDI 0406C
/// terms: SCTLR.A = 1 makes every unaligned access an Alignment fault; SCTLR.U = 1 (ARMv6
/// when software sets it; always on ARMv7) lets MemU accesses be unaligned and faults
/// unaligned MemA accesses; SCTLR.U = 0 and A = 0 is the legacy ARMv5 behaviour: an LDR
/// rotates the aligned word, every other access ignores the low address bits.
/// </remarks>
public sealed unsafe partial class Cpu
{
    // 3 while SCTLR.A is set, else 0: one AND and one (almost never taken) branch per access.
    private uint _alignmentMask;

    // 3 while SCTLR.A or SCTLR.U is set: the alignment MemA accesses must have.
    private uint _strictAlignmentMask;

    private bool _unalignedSupport;

    // 4 while CPSR.E is set, else 0: or-ed into the alignment test so that one test sends
    // both unaligned and big-endian accesses to the slow path.
    private uint _bigEndianData;

    /// <summary>
    /// SCTLR.A (ARM ARM B2.4.3, B4.6): a word, halfword or doubleword data access, or a load or
    /// store multiple, to an address that is not aligned to its size takes a Data Abort with
    /// FSR status 0b0001 and FAR = the address, before any memory is touched. Off, ARMv5
    /// without SCTLR.U ignores the low address bits (and LDR rotates).
    /// </summary>
    internal bool AlignmentChecking
    {
        get => _alignmentMask != 0;
        set
        {
            _alignmentMask = value ? 3u : 0u;
            _strictAlignmentMask = value || _unalignedSupport ? 3u : 0u;
        }
    }

    /// <summary>
    /// SCTLR.U (ARMv6, A3.2.1): LDR/STR/LDRH/STRH (and T forms) may be unaligned, and the
    /// MemA accesses fault when unaligned. ARMv7 fixes it at 1; on ARMv6 it is a control bit
    /// (Linux sets it); ARMv5 does not have it. Set from the model at reset.
    /// </summary>
    internal bool UnalignedSupport
    {
        get => _unalignedSupport;
        set
        {
            _unalignedSupport = value;
            _strictAlignmentMask = value || _alignmentMask != 0 ? 3u : 0u;
        }
    }

    /// <summary>CPSR.E (ARMv6, A2.5.2/A3.3): data accesses are big-endian (BE-8: bytes reversed within each access).</summary>
    internal bool E
    {
        get => _bigEndianData != 0;
        set => _bigEndianData = value ? 4u : 0u;
    }

    /// <summary>The word address of a legacy ARMv5 word access (bits [1:0] cleared), after the SCTLR.A check.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal uint WordAddress(uint address, AccessKind access)
    {
        if ((address & _alignmentMask) != 0) ThrowAlignmentFault(address, access);
        return address & ~3u;
    }

    /// <summary>The halfword address of a legacy ARMv5 halfword access (bit 0 cleared), after the SCTLR.A check.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal uint HalfwordAddress(uint address, AccessKind access)
    {
        if ((address & _alignmentMask & 1) != 0) ThrowAlignmentFault(address, access);
        return address & ~1u;
    }

    /// <summary>
    /// The address of a MemA word access (LDM/STM, LDRD/STRD, SWP): with SCTLR.A or SCTLR.U set an
    /// unaligned address is an Alignment fault; otherwise (ARMv5) bits [1:0] are ignored.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal uint AlignedWordAddress(uint address, AccessKind access)
    {
        if ((address & _strictAlignmentMask) != 0) ThrowAlignmentFault(address, access);
        return address & ~3u;
    }

    /// <summary>
    /// The two words of a MemA doubleword read (LDRD) at <paramref name="address"/> in one load, low
    /// word first, when that is what the two word reads would return without side effects: the
    /// address word-aligned (no alignment fault, no bits ignored), data little-endian and both words
    /// on one page of the read fast path (<see cref="MemoryPort.ReadTable"/>, the look-up
    /// <see cref="MemoryPort.Read32"/> makes first). False: nothing read, take the general path.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal bool TryReadDoubleword(uint address, out ulong words)
    {
        nint page = Memory.ReadTable[address >> PhysicalBus.PageBits];
        if (page != 0 && ((address & 3) | _bigEndianData) == 0 && (address & PhysicalBus.PageMask) <= PhysicalBus.PageSize - 8)
        {
            words = Unsafe.ReadUnaligned<ulong>((byte*)page + (address & PhysicalBus.PageMask));
            return true;
        }
        words = 0;
        return false;
    }

    /// <summary>Bytes reversed when CPSR.E is set (a word of MemA data after <see cref="AlignedWordAddress"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal uint DataWord(uint value) => _bigEndianData == 0 ? value : BinaryPrimitives.ReverseEndianness(value);

    // ---- MemU: LDR/STR, LDRH/STRH/LDRSH -------------------------------------------------------

    /// <summary>MemU[address, 4] for a load at the current privilege.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal uint LoadWord(uint address)
    {
        if (((address & 3) | _bigEndianData) == 0) return Memory.Read32(address);
        return LoadSlow(address, 4, AccessKind.Read | Level);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void StoreWord(uint address, uint value)
    {
        if (((address & 3) | _bigEndianData) == 0) Memory.Write32(address, value);
        else StoreSlow(address, 4, AccessKind.Write | Level, value);
    }

    /// <summary>
    /// <see cref="LoadWord"/> for translated code with the cache model, off its inline D-cache
    /// hit path: an aligned little-endian word through the memory port's remembered pages
    /// (<see cref="MemoryPort.ReadRemembered"/>), anything else as <see cref="LoadWord"/>.
    /// </summary>
    internal uint LoadWordRemembered(uint address)
    {
        if (((address & 3) | _bigEndianData) == 0) return Memory.ReadRemembered(address, 4);
        return LoadSlow(address, 4, AccessKind.Read | Level);
    }

    /// <summary><see cref="StoreWord"/> for translated code with the cache model, off its inline path (see <see cref="LoadWordRemembered"/>).</summary>
    internal void StoreWordRemembered(uint address, uint value)
    {
        if (((address & 3) | _bigEndianData) == 0) Memory.WriteRemembered(address, 4, value);
        else StoreSlow(address, 4, AccessKind.Write | Level, value);
    }

    /// <summary><see cref="LoadHalfword"/> for translated code with the cache model, off its inline path (see <see cref="LoadWordRemembered"/>).</summary>
    internal uint LoadHalfwordRemembered(uint address)
    {
        if (((address & 1) | _bigEndianData) == 0) return Memory.ReadRemembered(address, 2);
        return LoadSlow(address, 2, AccessKind.Read | Level);
    }

    /// <summary><see cref="StoreHalfword"/> for translated code with the cache model, off its inline path (see <see cref="LoadWordRemembered"/>).</summary>
    internal void StoreHalfwordRemembered(uint address, uint value)
    {
        if (((address & 1) | _bigEndianData) == 0) Memory.WriteRemembered(address, 2, value);
        else StoreSlow(address, 2, AccessKind.Write | Level, value);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal uint LoadHalfword(uint address)
    {
        if (((address & 1) | _bigEndianData) == 0) return Memory.Read16(address);
        return LoadSlow(address, 2, AccessKind.Read | Level);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void StoreHalfword(uint address, uint value)
    {
        if (((address & 1) | _bigEndianData) == 0) Memory.Write16(address, value);
        else StoreSlow(address, 2, AccessKind.Write | Level, value);
    }

    /// <summary>The T forms (LDRT, LDRHT...): as User mode whatever the current mode; never inlined (rare).</summary>
    internal uint LoadUnprivileged(uint address, int size) => LoadSlow(address, size, AccessKind.Read);

    internal void StoreUnprivileged(uint address, int size, uint value) => StoreSlow(address, size, AccessKind.Write, value);

    private AccessKind Level => IsPrivileged ? AccessKind.Privileged : 0;

    [MethodImpl(MethodImplOptions.NoInlining)]
    private uint LoadSlow(uint address, int size, AccessKind access)
    {
        uint value;
        uint misaligned = address & (uint)(size - 1);
        if (misaligned != 0 && (_alignmentMask != 0 || !_unalignedSupport))
        {
            if (_alignmentMask != 0) ThrowAlignmentFault(address, access);
            // Legacy ARMv5 (A4.1.23): LDR reads the aligned word and rotates it; LDRH ignores bit 0.
            uint aligned = address & ~(uint)(size - 1);
            value = size == 4
                ? BitOperations.RotateRight(Read(aligned, 4, access), (int)misaligned * 8)
                : Read(aligned, 2, access);
        }
        else
        {
            value = Read(address, size, access);
        }
        if (_bigEndianData != 0 && size > 1)
            value = size == 4 ? BinaryPrimitives.ReverseEndianness(value) : BinaryPrimitives.ReverseEndianness((ushort)value);
        return value;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void StoreSlow(uint address, int size, AccessKind access, uint value)
    {
        if ((address & (uint)(size - 1)) != 0 && (_alignmentMask != 0 || !_unalignedSupport))
        {
            if (_alignmentMask != 0) ThrowAlignmentFault(address, access);
            address &= ~(uint)(size - 1); // legacy ARMv5: the low bits are ignored
        }
        if (_bigEndianData != 0 && size > 1)
            value = size == 4 ? BinaryPrimitives.ReverseEndianness(value) : BinaryPrimitives.ReverseEndianness((ushort)value);
        if ((access & AccessKind.Privileged) == 0 && IsPrivileged) Memory.Access(address, size, access, value);
        else if (size == 4) Memory.Write32(address, value);
        else if (size == 2) Memory.Write16(address, value);
        else Memory.Write8(address, value);
    }

    private uint Read(uint address, int size, AccessKind access)
    {
        if ((access & AccessKind.Privileged) == 0 && IsPrivileged) return Memory.Access(address, size, access);
        return size == 4 ? Memory.Read32(address) : size == 2 ? Memory.Read16(address) : Memory.Read8(address);
    }

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ThrowAlignmentFault(uint address, AccessKind access) =>
        throw new MemoryFault(address, access | (IsPrivileged ? AccessKind.Privileged : 0), FaultKind.Alignment,
                              status: 0b0001);
}
