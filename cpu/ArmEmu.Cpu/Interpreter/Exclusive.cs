using ArmEmu.Cpu.Decoding;
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

    // ---- the handlers: one per instruction, for its A1 and T1 encodings alike, reading the fields
    // through the encoding's view (Decoding/FieldView.Exclusive.cs maps the letters).

    public static void Ldrex<TFields>(Cpu cpu, uint op) where TFields : struct, IExclusiveLoadFields<TFields> => Load<TFields>(cpu, op, 4);

    public static void Ldrexb<TFields>(Cpu cpu, uint op) where TFields : struct, IExclusiveLoadFields<TFields> => Load<TFields>(cpu, op, 1);

    public static void Ldrexh<TFields>(Cpu cpu, uint op) where TFields : struct, IExclusiveLoadFields<TFields> => Load<TFields>(cpu, op, 2);

    private static void Load<TFields>(Cpu cpu, uint op, int size) where TFields : struct, IExclusiveLoadFields<TFields>
    {
        var f = TFields.Of(op);
        Load(cpu, op, f.Rt, f.Rn, size, f.Offset);
    }

    public static void Strex<TFields>(Cpu cpu, uint op) where TFields : struct, IExclusiveStoreFields<TFields> => Store<TFields>(cpu, op, 4);

    public static void Strexb<TFields>(Cpu cpu, uint op) where TFields : struct, IExclusiveStoreFields<TFields> => Store<TFields>(cpu, op, 1);

    public static void Strexh<TFields>(Cpu cpu, uint op) where TFields : struct, IExclusiveStoreFields<TFields> => Store<TFields>(cpu, op, 2);

    private static void Store<TFields>(Cpu cpu, uint op, int size) where TFields : struct, IExclusiveStoreFields<TFields>
    {
        var f = TFields.Of(op);
        Store(cpu, op, f.Rd, f.Rt, f.Rn, size, f.Offset);
    }

    /// <summary>LDREXD A1 (Rt2 = Rt + 1; an odd Rt is UNDEFINED), T1 (Rt2 its own field).</summary>
    public static void Ldrexd<TFields>(Cpu cpu, uint op) where TFields : struct, IExclusiveDualFields<TFields>
    {
        var f = TFields.Of(op);
        if (f.Rt2 < 0)
        {
            cpu.RaiseUndefined(op);
            return;
        }
        LoadDual(cpu, op, f.Rt, f.Rt2, f.Rn);
    }

    /// <summary>STREXD A1 (Rt2 = Rt + 1; an odd Rt is UNDEFINED), T1 (Rt2 its own field).</summary>
    public static void Strexd<TFields>(Cpu cpu, uint op) where TFields : struct, IExclusiveDualFields<TFields>
    {
        var f = TFields.Of(op);
        if (f.Rt2 < 0)
        {
            cpu.RaiseUndefined(op);
            return;
        }
        StoreDual(cpu, op, f.Rd, f.Rt, f.Rt2, f.Rn);
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
}

/// <summary>LDREX, LDREXB, LDREXH: t, n and the offset (imm8:'00' in LDREX T1, 0 elsewhere).</summary>
internal interface IExclusiveLoadFields<TSelf> : IFieldView<TSelf> where TSelf : struct, IExclusiveLoadFields<TSelf>
{
    int Rt { get; }

    int Rn { get; }

    uint Offset { get; }
}

/// <summary>STREX, STREXB, STREXH: d (the status), t, n and the offset (imm8:'00' in STREX T1, 0 elsewhere).</summary>
internal interface IExclusiveStoreFields<TSelf> : IFieldView<TSelf> where TSelf : struct, IExclusiveStoreFields<TSelf>
{
    int Rd { get; }

    int Rt { get; }

    int Rn { get; }

    uint Offset { get; }
}

/// <summary>
/// LDREXD and STREXD: d (STREXD's status; unused by LDREXD), t, t2, n. Rt2 is -1 where the encoding
/// makes the pair UNDEFINED here (A1 with an odd Rt: UNPREDICTABLE, UNDEFINED as in QEMU).
/// </summary>
internal interface IExclusiveDualFields<TSelf> : IFieldView<TSelf> where TSelf : struct, IExclusiveDualFields<TSelf>
{
    int Rd { get; }

    int Rt { get; }

    int Rt2 { get; }

    int Rn { get; }
}
