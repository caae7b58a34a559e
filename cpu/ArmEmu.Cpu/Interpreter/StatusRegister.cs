using System.Numerics;
using System.Runtime.CompilerServices;
using ArmEmu.Cpu.Decoding;

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
internal static class StatusRegister
{
    /// <summary>The PSR bits ARMv5TE defines: N Z C V Q, I F T, M[4:0].</summary>
    private const uint DefinedBits = 0xF800_00FF;

    /// <summary>The bits ARMv6 adds that MSR writes: GE[3:0] and E.</summary>
    private const uint V6Bits = 0x000F_0200;

    /// <summary>The bits MSR may write in User mode: the condition flags and Q (A4.1.39), GE and E from ARMv6.</summary>
    private const uint UserWritableBits = 0xF80F_0200;

    /// <summary>CPSR.T: execution state, which MSR never changes (A4.1.39: writing it is UNPREDICTABLE; QEMU masks it).</summary>
    private const uint ThumbBit = 1u << 5;

    /// <summary>CPSR.J (bit 24).</summary>
    private const uint JazelleBit = 1u << 24;

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

    // ---- Banked registers (Virtualization Extensions; DDI 0406C B9.2.3, B9.3.9, B9.3.10) ------
    // MRS <Rd>, <banked_reg> and MSR <banked_reg>, <Rn>: another mode's R8-R14 or SPSR, from a
    // privileged mode, named by SYSm = M:M1 and R (table B9-10). The cases the manual calls
    // UNPREDICTABLE are UNDEFINED as in QEMU 7.2 (msr_banked_access_decode at translation,
    // msr_mrs_banked_exc_checks at run time): an unallocated SYSm, the current mode's own bank,
    // R8-R12_usr from any mode but FIQ, SP_usr from System mode, LR_usr from System mode; and the
    // Monitor and Hyp registers, as ArmEmu models neither mode (QEMU without EL3 and EL2).

    public static void MrsBankedA1(Cpu cpu, uint op)
    {
        var f = new ArmFields.MrsBankedRegisterA1(op);
        MrsBanked(cpu, op, f.R, (f.M ? 0x10 : 0) | f.m, f.d);
    }

    public static void MsrBankedA1(Cpu cpu, uint op)
    {
        var f = new ArmFields.MsrBankedRegisterA1(op);
        MsrBanked(cpu, op, f.R, (f.M ? 0x10 : 0) | f.m, f.n);
    }

    public static void MrsBankedT1(Cpu cpu, uint op)
    {
        var f = new Thumb32Fields.MrsBankedRegisterT1(op);
        MrsBanked(cpu, op, f.R, (f.M ? 0x10 : 0) | f.m, f.d);
    }

    public static void MsrBankedT1(Cpu cpu, uint op)
    {
        var f = new Thumb32Fields.MsrBankedRegisterT1(op);
        MsrBanked(cpu, op, f.R, (f.M ? 0x10 : 0) | f.m, f.n);
    }

    /// <summary>MRS (Banked register): Rd = the banked register.</summary>
    public static void MrsBanked(Cpu cpu, uint op, bool spsr, int sysm, int d)
    {
        if (!BankedTarget(cpu, spsr, sysm, out var mode, out int r))
        {
            cpu.RaiseUndefined(op);
            return;
        }
        cpu.WriteRegister(d, r < 0 ? cpu.GetSpsr(mode) : cpu.GetBankedRegister(mode, r));
    }

    /// <summary>MSR (Banked register): the banked register = Rn (an SPSR is written whole, as QEMU does).</summary>
    public static void MsrBanked(Cpu cpu, uint op, bool spsr, int sysm, int n)
    {
        if (!BankedTarget(cpu, spsr, sysm, out var mode, out int r))
        {
            cpu.RaiseUndefined(op);
            return;
        }
        uint value = cpu.R[n];
        if (r < 0) cpu.SetSpsr(mode, value);
        else cpu.SetBankedRegister(mode, r, value);
    }

    /// <summary>The mode and register (8-14, or -1 for its SPSR) SYSm names, false where the access is UNDEFINED.</summary>
    private static bool BankedTarget(Cpu cpu, bool spsr, int sysm, out ProcessorMode mode, out int r)
    {
        mode = ProcessorMode.User;
        r = -1;
        if (cpu.Mode == ProcessorMode.User) return false;
        if (spsr)
        {
            mode = sysm switch
            {
                0b01110 => ProcessorMode.Fiq,
                0b10000 => ProcessorMode.Irq,
                0b10010 => ProcessorMode.Supervisor,
                0b10100 => ProcessorMode.Abort,
                0b10110 => ProcessorMode.Undefined,
                _ => ProcessorMode.User, // SPSR_mon, SPSR_hyp (no such modes here) and the unallocated values
            };
            if (mode == ProcessorMode.User) return false;
        }
        else if (sysm <= 0b00110)
        {
            (mode, r) = (ProcessorMode.User, 8 + sysm);
        }
        else if (sysm is >= 0b01000 and <= 0b01110)
        {
            (mode, r) = (ProcessorMode.Fiq, sysm);
        }
        else
        {
            // 0b10000-0b10111: LR, SP of IRQ, SVC, Abort, Undefined; LR/SP_mon, ELR/SP_hyp are not modelled.
            mode = (sysm & 0b11110) switch
            {
                0b10000 => ProcessorMode.Irq,
                0b10010 => ProcessorMode.Supervisor,
                0b10100 => ProcessorMode.Abort,
                0b10110 => ProcessorMode.Undefined,
                _ => ProcessorMode.User,
            };
            if (mode == ProcessorMode.User) return false;
            r = (sysm & 1) != 0 ? 13 : 14;
        }
        var current = cpu.Mode;
        if (mode == current) return false;
        if (mode == ProcessorMode.User)
        {
            if (r <= 12 && current != ProcessorMode.Fiq) return false;
            if (r >= 13 && current == ProcessorMode.System) return false;
        }
        return true;
    }

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
            // Every defined bit of an SPSR is writable, T, IT[7:0] and A included: it is the state an
            // exception return restores, and a kernel that returns to user mode through MSR SPSR_cxsf
            // and MOVS PC (Linux's restore_user_regs) must get back the IT state of the Thumb-2
            // instruction it interrupted, or a conditional instruction of the block runs whatever its
            // condition (DDI 0406C B1.3.3; QEMU's msr_mask masks CPSR_EXEC out of CPSR writes only).
            // J stays as before (not kept).
            mask |= FieldMask(fields) & cpu.ExecutionStateBits & ~JazelleBit;
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
