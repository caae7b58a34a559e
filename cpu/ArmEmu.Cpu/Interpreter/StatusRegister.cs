using System.Numerics;
using System.Runtime.CompilerServices;

namespace ArmEmu.Cpu.Interpreter;

/// <summary>
/// MRS and MSR (ARM ARM A3.10, A4.1.38/39). Bit 22 (R) selects the SPSR.
/// </summary>
/// <remarks>
/// The bits kept are N Z C V Q (31:27) and I F T M (7:0), plus from ARMv6 GE[3:0] (19:16)
/// and E (9), both writable in User mode (DDI 0406C B1.3.3: APSR.GE, and CPSR.E "writable at
/// any privilege level"; QEMU's CPSR_USER has both). ARMv5TEJ's J bit is not modelled.
/// UNPREDICTABLE cases follow QEMU (target/arm/tcg/translate.c, trans_MRS_reg,
/// msr_mask, gen_set_psr): the SPSR in User mode is UNDEFINED for both MRS and MSR;
/// in System mode, which has no SPSR, they read and write the slot User and System
/// mode share in QEMU's bank, the one <see cref="Cpu.GetSpsr"/> keeps for them.
/// </remarks>
public static class StatusRegister
{
    /// <summary>The PSR bits ARMv5TE defines: N Z C V Q, I F T, M[4:0].</summary>
    private const uint DefinedBits = 0xF800_00FF;

    /// <summary>The bits ARMv6 adds that MSR writes: GE[3:0] and E.</summary>
    private const uint V6Bits = 0x000F_0200;

    /// <summary>The bits MSR may write in User mode: the condition flags and Q (A4.1.39), GE and E from ARMv6.</summary>
    private const uint UserWritableBits = 0xF80F_0200;

    /// <summary>CPSR.T: execution state, which MSR never changes (A4.1.39: writing it is UNPREDICTABLE; QEMU masks it).</summary>
    private const uint ThumbBit = 1u << 5;

    // MRS<c> <Rd>, CPSR
    // MRS<c> <Rd>, SPSR  (A4.1.38)
    public static void Mrs(Cpu cpu, uint op) => Mrs(cpu, op, (op & (1u << 22)) != 0, (int)(op >> 12) & 15);

    /// <summary>MRS: Rd = CPSR, or the SPSR with <paramref name="spsr"/>.</summary>
    public static void Mrs(Cpu cpu, uint op, bool spsr, int d)
    {
        uint value;
        if (spsr)
        {
            if (cpu.Mode == ProcessorMode.User)
            {
                cpu.RaiseUndefined(op); // no SPSR in User mode: UNPREDICTABLE, UNDEFINED in QEMU
                return;
            }
            value = cpu.GetSpsr(cpu.Mode);
        }
        else
        {
            // The execution-state bits (IT, J, T) read as zero (DDI 0406C B9.3.8: CPSR AND 0xF8FF03DF),
            // as QEMU masks CPSR_EXEC: an MRS in Thumb state or inside an IT block reads the same.
            value = cpu.Cpsr & 0xF8FF_03DF;
        }

        cpu.WriteRegister(d, value); // Rd = PC: UNPREDICTABLE; QEMU branches
    }

    // MSR<c> CPSR_<fields>, <Rm>
    // MSR<c> SPSR_<fields>, <Rm>  (A4.1.39)
    public static void MsrRegister(Cpu cpu, uint op) => Write(cpu, op, cpu.R[(int)op & 15], (op & (1u << 22)) != 0, (op >> 16) & 15);

    // MSR<c> CPSR_<fields>, #<immediate>
    // MSR<c> SPSR_<fields>, #<immediate>  (A4.1.39): an 8-bit value rotated right by twice the rotate field.
    public static void MsrImmediate(Cpu cpu, uint op) =>
        Write(cpu, op, BitOperations.RotateRight(op & 0xFF, (int)((op >> 7) & 0x1E)), (op & (1u << 22)) != 0, (op >> 16) & 15);

    // MRS T1: 11110 0 1111 1 R 1111 | 10 0 0 Rd 0000 0000
    public static void MrsT1(Cpu cpu, uint op) => Mrs(cpu, op, (op & (1u << 20)) != 0, (int)(op >> 8) & 15);

    // MSR (register) T1: 11110 0 1110 0 R Rn | 10 0 0 mask 0000 0000
    public static void MsrT1(Cpu cpu, uint op) => Write(cpu, op, cpu.R[(int)(op >> 16) & 15], (op & (1u << 20)) != 0, (op >> 8) & 15);

    /// <summary>
    /// The common part of MSR: the field mask (bits 19:16 = f s x c) selects bytes 3..0,
    /// reduced to the bits that exist and that the current mode may write.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Write(Cpu cpu, uint op, uint value, bool spsr, uint fields)
    {
        uint mask = FieldMask(fields) & (cpu.Model.Arch >= ArchVersion.V6 ? DefinedBits | V6Bits : DefinedBits);
        if (spsr)
        {
            if (cpu.Mode == ProcessorMode.User)
            {
                cpu.RaiseUndefined(op); // no SPSR in User mode: UNPREDICTABLE, UNDEFINED in QEMU
                return;
            }
            // Every defined bit of an SPSR is writable, T included: it is the state an exception return restores.
            uint saved = cpu.GetSpsr(cpu.Mode);
            cpu.SetSpsr(cpu.Mode, (saved & ~mask) | (value & mask));
            return;
        }

        // User mode may change only the flags and Q; the control byte (mode, I, F) needs privilege.
        if (!cpu.IsPrivileged) mask &= UserWritableBits;
        cpu.WriteCpsr(value, mask & ~ThumbBit);
    }

    /// <summary>The mask field's bits 0..3 (c, x, s, f) each enable one byte of the PSR, c the lowest.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint FieldMask(uint fields) =>
        ((fields & 1) != 0 ? 0x0000_00FFu : 0)
        | ((fields & 2) != 0 ? 0x0000_FF00u : 0)
        | ((fields & 4) != 0 ? 0x00FF_0000u : 0)
        | ((fields & 8) != 0 ? 0xFF00_0000u : 0);
}
