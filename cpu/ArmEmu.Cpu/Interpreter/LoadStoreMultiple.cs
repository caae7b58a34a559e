using System.Numerics;
using System.Runtime.CompilerServices;
using ArmEmu.Memory;

namespace ArmEmu.Cpu.Interpreter;

/// <summary>
/// Load and store multiple (ARM ARM A3.12, A4.1 LDM (1)-(3), STM (1)-(2); addressing
/// mode 4, A5.4). Registers move lowest-numbered to lowest address; the four modes only
/// choose where that block starts and what the base becomes:
/// <code>
///   mode  P U   lowest address        written-back base
///   IA    0 1   Rn                    Rn + 4n
///   IB    1 1   Rn + 4                Rn + 4n
///   DA    0 0   Rn - 4n + 4           Rn - 4n
///   DB    1 0   Rn - 4n               Rn - 4n
/// </code>
/// Bits [1:0] of the address are ignored (ARMv5 without SCTLR.U; QEMU instead raises an
/// alignment fault), unless SCTLR.A is set: then they make an alignment fault. Every load
/// happens before any register is written, so an abort leaves
/// the base and all other registers unchanged; a store multiple that aborts part-way has
/// written some words but leaves the base as it was.
///
/// UNPREDICTABLE cases, all as QEMU (op_stm, do_ldm) does them: an empty register list or
/// Rn = PC is UNDEFINED; the ^ forms are UNDEFINED in User mode, and LDM (2) (user
/// registers) with write-back is UNDEFINED; STM with the base in the list and write-back
/// stores the original base wherever it falls in the list; LDM with the base in the list
/// leaves the base holding the loaded value, write-back or not.
/// </summary>
[SkipLocalsInit]
internal static class LoadStoreMultiple
{
    private const uint PBit = 1u << 24, UBit = 1u << 23, WBit = 1u << 21;

    // STM<c><mode> <Rn>{!}, <registers>
    // A PC in the list stores the instruction's address + 8 (IMPLEMENTATION DEFINED +8 or +12; QEMU: +8).
    public static void Stm(Cpu cpu, uint op)
    {
        uint list = op & 0xFFFF;
        int n = (int)(op >> 16) & 15;
        if (list == 0 || n == 15)
        {
            cpu.RaiseUndefined(op);
            return;
        }
        uint baseAddress = cpu.R[n];
        int count = BitOperations.PopCount(list);
        uint address = LowestAddress(cpu, op, baseAddress, count, AccessKind.Write);
        do
        {
            cpu.Memory.Write32(address, cpu.DataWord(cpu.R[BitOperations.TrailingZeroCount(list)]));
            address += 4;
            list &= list - 1;
        }
        while (list != 0);
        if ((op & WBit) != 0) cpu.R[n] = WrittenBackBase(op, baseAddress, count);
    }

    /// <summary>
    /// The loads of LDM: every word first (an abort leaves all registers as they were), then
    /// the base write-back, then R0-R14 from the list, so a base in the list keeps its loaded
    /// value. Returns the word loaded for the PC (meaningful only when bit 15 is listed).
    /// </summary>
    private static uint LoadRegisters(Cpu cpu, uint op, uint list, int n)
    {
        uint baseAddress = cpu.R[n];
        int count = BitOperations.PopCount(list);
        Unsafe.SkipInit(out RegisterFile loaded); // only the listed registers are read back
        LoadAll(cpu, list, LowestAddress(cpu, op, baseAddress, count, AccessKind.Read), ref loaded);
        if ((op & WBit) != 0) cpu.R[n] = WrittenBackBase(op, baseAddress, count);
        for (uint l = list & 0x7FFF; l != 0; l &= l - 1)
        {
            int r = BitOperations.TrailingZeroCount(l);
            cpu.R[r] = loaded[r];
        }
        return loaded[15];
    }

    // LDM<c><mode> <Rn>{!}, <registers>
    // A PC in the list interworks: bit 0 of the loaded value selects Thumb state (ARMv5T).
    public static void Ldm(Cpu cpu, uint op)
    {
        uint list = op & 0xFFFF;
        int n = (int)(op >> 16) & 15;
        if (list == 0 || n == 15)
        {
            cpu.RaiseUndefined(op);
            return;
        }
        uint pc = LoadRegisters(cpu, op, list, n);
        if ((list & 0x8000) != 0) cpu.LoadWritePC(pc);
    }

    // STM<c><mode> <Rn>{!}, <registers>^
    // The User mode registers are stored (R8-R14 of the User bank from FIQ, R13-R14 from the others).
    // Write-back is UNPREDICTABLE; QEMU writes the current mode's Rn, and so do we.
    public static void StmUser(Cpu cpu, uint op)
    {
        uint list = op & 0xFFFF;
        int n = (int)(op >> 16) & 15;
        if (list == 0 || n == 15 || cpu.Mode == ProcessorMode.User)
        {
            cpu.RaiseUndefined(op);
            return;
        }
        uint baseAddress = cpu.R[n];
        int count = BitOperations.PopCount(list);
        uint address = LowestAddress(cpu, op, baseAddress, count, AccessKind.Write);
        for (; list != 0; list &= list - 1)
        {
            cpu.Memory.Write32(address, cpu.DataWord(cpu.GetBankedRegister(ProcessorMode.User, BitOperations.TrailingZeroCount(list))));
            address += 4;
        }
        if ((op & WBit) != 0) cpu.R[n] = WrittenBackBase(op, baseAddress, count);
    }

    // LDM<c><mode> <Rn>, <registers_without_pc>^
    // Loads the User mode registers. Write-back is UNPREDICTABLE and QEMU makes it UNDEFINED.
    public static void LdmUser(Cpu cpu, uint op)
    {
        uint list = op & 0xFFFF;
        int n = (int)(op >> 16) & 15;
        if (list == 0 || n == 15 || (op & WBit) != 0 || cpu.Mode == ProcessorMode.User)
        {
            cpu.RaiseUndefined(op);
            return;
        }
        uint baseAddress = cpu.R[n];
        Unsafe.SkipInit(out RegisterFile loaded); // only the listed registers are read back
        LoadAll(cpu, list, LowestAddress(cpu, op, baseAddress, BitOperations.PopCount(list), AccessKind.Read), ref loaded);
        for (; list != 0; list &= list - 1)
        {
            int r = BitOperations.TrailingZeroCount(list);
            cpu.SetBankedRegister(ProcessorMode.User, r, loaded[r]);
        }
    }

    // LDM<c><mode> <Rn>{!}, <registers_and_pc>^
    // Exception return: the registers (current mode, base write-back included) are written
    // first, then CPSR = SPSR and the PC is written for the restored state.
    public static void LdmExceptionReturn(Cpu cpu, uint op)
    {
        uint list = op & 0xFFFF;
        int n = (int)(op >> 16) & 15;
        if (n == 15 || cpu.Mode == ProcessorMode.User)
        {
            cpu.RaiseUndefined(op);
            return;
        }
        cpu.ExceptionReturn(LoadRegisters(cpu, op, list, n));
    }

    /// <summary>Reads the block into <paramref name="loaded"/>, indexed by register number; nothing else changes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void LoadAll(Cpu cpu, uint list, uint address, ref RegisterFile loaded)
    {
        do
        {
            loaded[BitOperations.TrailingZeroCount(list)] = cpu.DataWord(cpu.Memory.Read32(address));
            address += 4;
            list &= list - 1;
        }
        while (list != 0);
    }

    /// <summary>
    /// The start address of the block (A5.4.2-A5.4.5), word-aligned; with SCTLR.A set, or
    /// SCTLR.U (ARMv6+, MemA), an address with bits [1:0] != 0 is an alignment fault (A5.4 "Alignment").
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint LowestAddress(Cpu cpu, uint op, uint baseAddress, int count, AccessKind access)
    {
        uint lowest = (op & UBit) != 0 ? baseAddress : baseAddress - 4 * (uint)count;
        // IB and DB (P == U) start one word further up than IA and DA.
        if (((op & PBit) != 0) == ((op & UBit) != 0)) lowest += 4;
        return cpu.AlignedWordAddress(lowest, access);
    }

    /// <summary>Rn plus or minus four bytes per register: the same for the before and after modes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint WrittenBackBase(uint op, uint baseAddress, int count) =>
        (op & UBit) != 0 ? baseAddress + 4 * (uint)count : baseAddress - 4 * (uint)count;
}
