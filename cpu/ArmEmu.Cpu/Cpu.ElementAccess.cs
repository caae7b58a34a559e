using System.Runtime.CompilerServices;
using ArmEmu.Memory;

namespace ArmEmu.Cpu;

// The element accesses of the Advanced SIMD loads and stores (DDI 0406C A7.7, A8.8.320-A8.8.329,
// A8.8.404-A8.8.411): MemU accesses of 1, 2, 4 or 8 bytes (unaligned allowed on v7 unless
// SCTLR.A; CPSR.E reverses each element) after the instruction's own alignment check, which
// faults whatever SCTLR.A says.
public sealed partial class Cpu
{
    /// <summary>The explicit alignment of a VLDn/VSTn (:64, :128, :256): an Alignment fault if <paramref name="address"/> misses it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void CheckAlignment(uint address, uint alignment, bool write)
    {
        if ((address & (alignment - 1)) != 0) ThrowAlignmentFault(address, write ? AccessKind.Write : AccessKind.Read);
    }

    /// <summary>MemU[address, bytes] for an element (1, 2, 4 or 8 bytes).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal ulong LoadElement(uint address, int bytes) => bytes switch
    {
        1 => Memory.Read8(address),
        2 => LoadHalfword(address),
        4 => LoadWord(address),
        _ => _bigEndianData == 0
            ? LoadWord(address) | ((ulong)LoadWord(address + 4) << 32)
            : ((ulong)LoadWord(address) << 32) | LoadWord(address + 4),
    };

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void StoreElement(uint address, int bytes, ulong value)
    {
        switch (bytes)
        {
            case 1: Memory.Write8(address, (uint)value & 0xFF); break;
            case 2: StoreHalfword(address, (uint)value & 0xFFFF); break;
            case 4: StoreWord(address, (uint)value); break;
            default:
                if (_bigEndianData == 0)
                {
                    StoreWord(address, (uint)value);
                    StoreWord(address + 4, (uint)(value >> 32));
                }
                else
                {
                    StoreWord(address, (uint)(value >> 32));
                    StoreWord(address + 4, (uint)value);
                }
                break;
        }
    }
}
