using System.Runtime.CompilerServices;

namespace ArmEmu.Cpu;

/// <summary>
/// Writing the PC, once for every instruction, by architecture: the rules of ARM ARM DDI 0406C
/// A2.3.1 ("Pseudocode details of operations on ARM core registers") under their pseudocode names.
/// What a write to the PC does depends on the instruction class and the architecture version:
/// <list type="bullet">
/// <item>BranchWritePC: branches that stay in the current state (B, BL; ALU writes before ARMv7).</item>
/// <item>BXWritePC: interworking branches (BX, BLX); bit 0 selects Thumb.</item>
/// <item>LoadWritePC: loads to the PC (LDR, LDM, POP): interworking from ARMv5T.</item>
/// <item>ALUWritePC: data processing to the PC: interworking from ARMv7 in ARM state only.</item>
/// </list>
/// Handlers write a destination register through <see cref="WriteRegister"/>,
/// <see cref="AluWriteRegister"/> or <see cref="LoadWriteRegister"/>, which pick the rule when
/// the register is the PC; no handler tests for R15 itself.
///
/// Every rule counts the write (<see cref="SoftwarePcWrites"/>, the performance monitors' event
/// 0x0C): one increment per instruction that writes the PC, none for the others, so the count
/// costs nothing on the straight-line path.
/// </summary>
public sealed partial class Cpu
{
    // Chosen once from the model: the two rules that changed between versions.
    private readonly bool _loadWritePCInterworks; // ArchVersion() >= 5 (v5T: the T variant is what matters)
    private readonly bool _aluWritePCInterworks;  // ArchVersion() >= 7

    // Instructions that wrote the PC, and those of them that were exception returns (the PMU's 0x0C, 0x12).
    // _softwarePcWrites is internal for the interpreter's inline Thumb branches.
    internal ulong _softwarePcWrites;
    private ulong _exceptionReturns;

    /// <summary>
    /// Software changes of the PC so far (PMU event 0x0C, ARM ARM C12.8.2: "instruction
    /// architecturally executed, condition code check pass, software change of the PC"): branches,
    /// loads and data-processing results to the PC, exception returns; exceptions taken are not
    /// (they are event 0x09). Counted by the interpreter's handlers, and by the translator's
    /// compiled B and BL (the same count in both engines: TranslatorLockstepTests).
    /// </summary>
    internal ulong SoftwarePcWrites => _softwarePcWrites;

    /// <summary>The exception returns among <see cref="SoftwarePcWrites"/> (MOVS/SUBS PC, LDM with ^, RFE, ERET).</summary>
    internal ulong ExceptionReturns => _exceptionReturns;

    /// <summary>Counts the executing instruction's PC write as an exception return too (RFE, <see cref="ExceptionReturn"/>).</summary>
    internal void CountExceptionReturn() => _exceptionReturns++;

    /// <summary>BranchWritePC: a branch that stays in the current state; bits [1:0] (ARM) or [0] (Thumb) are cleared.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void BranchWritePC(uint address)
    {
        _softwarePcWrites++;
        _nextPc = address & (T ? ~1u : ~3u);
    }

    /// <summary>
    /// BXWritePC: an interworking branch; bit 0 selects Thumb. An ARM target with bit 1 set is
    /// UNPREDICTABLE; the bit is cleared here.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void BXWritePC(uint address)
    {
        _softwarePcWrites++;
        T = (address & 1) != 0;
        _nextPc = address & (T ? ~1u : ~3u);
    }

    /// <summary>LoadWritePC: a load to the PC interworks from ARMv5T, and is a plain branch before.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void LoadWritePC(uint address)
    {
        if (_loadWritePCInterworks) BXWritePC(address);
        else BranchWritePC(address);
    }

    /// <summary>
    /// ALUWritePC: a data-processing result written to the PC interworks from ARMv7 in ARM state
    /// (so <c>MOV PC, LR</c> returns to Thumb code there); in Thumb state and before ARMv7 it is a
    /// plain branch.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void ALUWritePC(uint address)
    {
        if (_aluWritePCInterworks && !T) BXWritePC(address);
        else BranchWritePC(address);
    }

    /// <summary>
    /// <c>R[d] = value</c> for an instruction where d = 15 is UNPREDICTABLE (multiplies, saturates,
    /// MRS, SWP, MRC, base write-back, the second register of LDRD). QEMU writes the PC as a
    /// plain branch there (store_reg: BranchWritePC), and so do we.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void WriteRegister(int d, uint value)
    {
        if (d == 15) BranchWritePC(value);
        else R[d] = value;
    }

    /// <summary><c>R[d] = value</c> for a data-processing result: d = 15 is <see cref="ALUWritePC"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void AluWriteRegister(int d, uint value)
    {
        if (d == 15) ALUWritePC(value);
        else R[d] = value;
    }

    /// <summary>
    /// <c>R[t] = value</c> for a loaded value: t = 15 is <see cref="LoadWritePC"/>. QEMU does so for
    /// every load form (store_reg_from_load), the UNPREDICTABLE LDRB/LDRH/LDRSB/LDRSH to the PC
    /// included, and so do we.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void LoadWriteRegister(int t, uint value)
    {
        if (t == 15) LoadWritePC(value);
        else R[t] = value;
    }

    /// <summary>N and Z from a result (the flag update every S form shares; C and V are the caller's).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void SetNZ(uint result)
    {
        N = (int)result < 0;
        Z = result == 0;
    }
}
