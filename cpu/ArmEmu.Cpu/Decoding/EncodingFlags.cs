namespace ArmEmu.Cpu.Decoding;

/// <summary>
/// What an encoding does to the flow of control, as every consumer of the tables needs to know
/// it (the interpreter's profiler, a translator's block ends, a disassembler): LightningJit's
/// InstFlags idea. Set on the rows (<see cref="EncodingRow.Flags"/>), partly derived; refined
/// per word when an instruction is decoded (<see cref="EncodingRow.FlagsFor"/>).
/// </summary>
[Flags]
internal enum EncodingFlags : ushort
{
    None = 0,
    /// <summary>A branch instruction (B, B&lt;c&gt;, BL, BX, BLX): it exists to transfer control.</summary>
    Branch = 1 << 0,
    /// <summary>A call: writes LR with the return address and branches (BL, BLX).</summary>
    Call = 1 << 1,
    /// <summary>
    /// A return. On a row: some of its words are returns (BX LR, MOV PC, LR, a load of the PC,
    /// LDM or POP with the PC); on a decoded word: this word is one.
    /// </summary>
    Return = 1 << 2,
    /// <summary>
    /// May write the PC: derived for branches and for the rows with returns (MOV, LDR, LDM, POP).
    /// Not yet derived for the other data-processing rows whose Rd can be R15.
    /// </summary>
    WritesPc = 1 << 3,
    /// <summary>May take a memory abort (loads, stores, preloads excepted) or raise an exception.</summary>
    MayFault = 1 << 4,
    /// <summary>A straight-line block ends after it: it may write the PC or raise an exception.</summary>
    EndsBlock = 1 << 5,
    /// <summary>SVC: a supervisor call (the system call of Linux user mode).</summary>
    SupervisorCall = 1 << 6,
}
