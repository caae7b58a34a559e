using System.Buffers.Binary;
using ArmEmu.Memory;

namespace ArmEmu.Cpu.Interpreter;

/// <summary>
/// Load and store exclusive (DDI 0406C A5.2.10 "Synchronization primitives": LDREX/STREX
/// A8.8.75/212 from ARMv6; the B, H and D forms and CLREX A8.8.32 from ARMv6K), with the
/// processor's local monitor (<see cref="Cpu.ClearExclusiveMonitor"/>). Every access is MemA:
/// an address not aligned to the access size is an Alignment fault, whatever SCTLR.A says.
/// CPSR.E reverses the bytes of each element. The UNPREDICTABLE register choices (Rt or Rn =
/// PC, Rd = Rn or Rt, LDREXD/STREXD with an odd Rt or Rt = R14) are UNDEFINED here as in QEMU
/// (op_ldrex, op_strex, trans_LDREXD_a32).
/// </summary>
internal static class Exclusive
{
    /// <summary>LDREX{B,H}: Rt = the zero-extended value at [Rn]; marks the address.</summary>
    public static void Load(Cpu cpu, uint op, int t, int n, int size, uint offset = 0)
    {
        if (t == 15 || n == 15)
        {
            cpu.RaiseUndefined(op);
            return;
        }
        uint address = cpu.R[n] + offset;
        uint value = Read(cpu, address, size);
        cpu.MarkExclusive(address, size, value);
        cpu.R[t] = value;
    }

    /// <summary>LDREXD: Rt = [Rn], Rt2 = [Rn + 4]; marks the doubleword.</summary>
    public static void LoadDual(Cpu cpu, uint op, int t, int t2, int n)
    {
        if (t2 == 15 || t == 15 || n == 15 || t == t2)
        {
            cpu.RaiseUndefined(op);
            return;
        }
        uint address = cpu.R[n];
        CheckAlignment(cpu, address, 8, AccessKind.Read);
        uint low = cpu.DataWord(cpu.Memory.Read32(address)), high = cpu.DataWord(cpu.Memory.Read32(address + 4));
        cpu.MarkExclusive(address, 8, Doubleword(cpu, low, high));
        cpu.R[t] = low;
        cpu.R[t2] = high;
    }

    /// <summary>STREX{B,H}: if the monitor passes, [Rn] = Rt and Rd = 0, else Rd = 1; the mark is cleared either way.</summary>
    public static void Store(Cpu cpu, uint op, int d, int t, int n, int size, uint offset = 0)
    {
        if (d == 15 || t == 15 || n == 15 || d == n || d == t)
        {
            cpu.RaiseUndefined(op);
            return;
        }
        uint address = cpu.R[n] + offset;
        CheckAlignment(cpu, address, size, AccessKind.Write);
        ulong sizeMask = (1ul << (8 * size)) - 1;
        bool marked = cpu.ExclusiveMarked(address);
        ulong current = marked ? Read(cpu, address, size) : 0;
        // Sizes that differ from the LDREX's are UNPREDICTABLE. As QEMU's 32-bit cmpxchg (and
        // Unicorn) does: the store compares at the STREX's size, the status with the low word
        // of the loaded value (all of it after LDREX/B/H, the first word after LDREXD).
        if (marked && current == (cpu.ExclusiveValue & sizeMask)) Write(cpu, address, size, cpu.R[t]);
        cpu.ClearExclusiveMonitor();
        cpu.R[d] = marked && current == (uint)cpu.ExclusiveValue ? 0u : 1u;
    }

    /// <summary>STREXD: Rt to [Rn] and Rt2 to [Rn + 4] if the monitor passes.</summary>
    public static void StoreDual(Cpu cpu, uint op, int d, int t, int t2, int n)
    {
        if (d == 15 || t2 == 15 || n == 15 || d == n || d == t || d == t2)
        {
            cpu.RaiseUndefined(op);
            return;
        }
        uint address = cpu.R[n];
        CheckAlignment(cpu, address, 8, AccessKind.Write);
        bool pass = false;
        if (cpu.ExclusiveMarked(address))
        {
            ulong current = Doubleword(cpu, cpu.DataWord(cpu.Memory.Read32(address)), cpu.DataWord(cpu.Memory.Read32(address + 4)));
            pass = current == cpu.ExclusiveValue;
        }
        if (pass)
        {
            cpu.Memory.Write32(address, cpu.DataWord(cpu.R[t]));
            cpu.Memory.Write32(address + 4, cpu.DataWord(cpu.R[t2]));
        }
        cpu.ClearExclusiveMonitor();
        cpu.R[d] = pass ? 0u : 1u;
    }

    /// <summary>CLREX.</summary>
    public static void Clrex(Cpu cpu, uint op) => cpu.ClearExclusiveMonitor();

    // LDREX A1 (and B, H): cccc 0001 1ss1 Rn Rt 1111 1001 1111
    public static void LdrexA1(Cpu cpu, uint op) => Load(cpu, op, (int)(op >> 12) & 15, (int)(op >> 16) & 15, 4);

    public static void LdrexbA1(Cpu cpu, uint op) => Load(cpu, op, (int)(op >> 12) & 15, (int)(op >> 16) & 15, 1);

    public static void LdrexhA1(Cpu cpu, uint op) => Load(cpu, op, (int)(op >> 12) & 15, (int)(op >> 16) & 15, 2);

    // LDREXD A1: cccc 0001 1011 Rn Rt 1111 1001 1111 (Rt even; Rt2 = Rt + 1)
    public static void LdrexdA1(Cpu cpu, uint op)
    {
        int t = (int)(op >> 12) & 15;
        if ((t & 1) != 0)
        {
            cpu.RaiseUndefined(op);
            return;
        }
        LoadDual(cpu, op, t, t + 1, (int)(op >> 16) & 15);
    }

    // STREX A1 (and B, H): cccc 0001 1ss0 Rn Rd 1111 1001 Rt
    public static void StrexA1(Cpu cpu, uint op) => Store(cpu, op, (int)(op >> 12) & 15, (int)op & 15, (int)(op >> 16) & 15, 4);

    public static void StrexbA1(Cpu cpu, uint op) => Store(cpu, op, (int)(op >> 12) & 15, (int)op & 15, (int)(op >> 16) & 15, 1);

    public static void StrexhA1(Cpu cpu, uint op) => Store(cpu, op, (int)(op >> 12) & 15, (int)op & 15, (int)(op >> 16) & 15, 2);

    // STREXD A1: cccc 0001 1010 Rn Rd 1111 1001 Rt (Rt even; Rt2 = Rt + 1)
    public static void StrexdA1(Cpu cpu, uint op)
    {
        int t = (int)op & 15;
        if ((t & 1) != 0)
        {
            cpu.RaiseUndefined(op);
            return;
        }
        StoreDual(cpu, op, (int)(op >> 12) & 15, t, t + 1, (int)(op >> 16) & 15);
    }

    // ---- helpers ----------------------------------------------------------------------------

    /// <summary>
    /// The monitored value of a doubleword: as QEMU reads it, one 64-bit access in the data
    /// endianness, so with CPSR.E set the word at the lower address is the high half. That
    /// only shows when a STREX of another size follows (UNPREDICTABLE; see <see cref="Store"/>).
    /// </summary>
    private static ulong Doubleword(Cpu cpu, uint lowAddressWord, uint highAddressWord) =>
        cpu.E ? ((ulong)lowAddressWord << 32) | highAddressWord : ((ulong)highAddressWord << 32) | lowAddressWord;

    private static void CheckAlignment(Cpu cpu, uint address, int size, AccessKind access)
    {
        // MemA: LDREXD/STREXD need doubleword alignment (DDI 0406C A3.2.1, table A3-1).
        if ((address & (uint)(size - 1)) != 0)
            throw new MemoryFault(address, access | (cpu.IsPrivileged ? AccessKind.Privileged : 0), FaultKind.Alignment, status: 0b0001);
    }

    private static uint Read(Cpu cpu, uint address, int size)
    {
        CheckAlignment(cpu, address, size, AccessKind.Read);
        return size switch
        {
            4 => cpu.DataWord(cpu.Memory.Read32(address)),
            2 => cpu.E ? BinaryPrimitives.ReverseEndianness((ushort)cpu.Memory.Read16(address)) : cpu.Memory.Read16(address),
            _ => cpu.Memory.Read8(address),
        };
    }

    private static void Write(Cpu cpu, uint address, int size, uint value)
    {
        switch (size)
        {
            case 4: cpu.Memory.Write32(address, cpu.DataWord(value)); break;
            case 2: cpu.Memory.Write16(address, cpu.E ? BinaryPrimitives.ReverseEndianness((ushort)value) : value); break;
            default: cpu.Memory.Write8(address, value); break;
        }
    }

    // ---- T32 (DDI 0406C A6.3.6; a T32 word is hw1:hw2) ----

    // LDREX T1: 11101 00 0 0 1 0 1 Rn | Rt 1111 imm8 -- [Rn, #imm8 * 4]
    public static void LdrexT1(Cpu cpu, uint op) => Load(cpu, op, (int)(op >> 12) & 15, (int)(op >> 16) & 15, 4, (op & 0xFF) << 2);

    // STREX T1: 11101 00 0 0 1 0 0 Rn | Rt Rd imm8
    public static void StrexT1(Cpu cpu, uint op) =>
        Store(cpu, op, (int)(op >> 8) & 15, (int)(op >> 12) & 15, (int)(op >> 16) & 15, 4, (op & 0xFF) << 2);

    // LDREXB/LDREXH T1: 11101 00 0 1 1 0 1 Rn | Rt 1111 010x 1111
    public static void LdrexbT1(Cpu cpu, uint op) => Load(cpu, op, (int)(op >> 12) & 15, (int)(op >> 16) & 15, 1);

    public static void LdrexhT1(Cpu cpu, uint op) => Load(cpu, op, (int)(op >> 12) & 15, (int)(op >> 16) & 15, 2);

    // STREXB/STREXH T1: 11101 00 0 1 1 0 0 Rn | Rt 1111 010x Rd
    public static void StrexbT1(Cpu cpu, uint op) => Store(cpu, op, (int)op & 15, (int)(op >> 12) & 15, (int)(op >> 16) & 15, 1);

    public static void StrexhT1(Cpu cpu, uint op) => Store(cpu, op, (int)op & 15, (int)(op >> 12) & 15, (int)(op >> 16) & 15, 2);

    // LDREXD T1: 11101 00 0 1 1 0 1 Rn | Rt Rt2 0111 1111
    public static void LdrexdT1(Cpu cpu, uint op) => LoadDual(cpu, op, (int)(op >> 12) & 15, (int)(op >> 8) & 15, (int)(op >> 16) & 15);

    // STREXD T1: 11101 00 0 1 1 0 0 Rn | Rt Rt2 0111 Rd
    public static void StrexdT1(Cpu cpu, uint op) =>
        StoreDual(cpu, op, (int)op & 15, (int)(op >> 12) & 15, (int)(op >> 8) & 15, (int)(op >> 16) & 15);
}
