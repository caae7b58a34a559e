namespace ArmEmu.Cpu.Engines;

/// <summary>
/// Something that executes a <see cref="Cpu"/>'s instructions: the interpreter today, a block
/// translator later, with identical results. The architectural state, the run budget, interrupts
/// and exceptions stay in the <see cref="Cpu"/>; an engine only decides how instructions are
/// fetched, decoded and run. <see cref="Cpu.Run"/> and <see cref="Cpu.Step"/> go through
/// <see cref="Cpu.Engine"/>.
/// </summary>
internal interface IExecutionEngine
{
    /// <summary>
    /// Runs <paramref name="cpu"/> until <paramref name="budget"/> instructions have executed, the PC
    /// reaches <paramref name="stopAddress"/> (that instruction not executed), or something asks to stop.
    /// </summary>
    StopReason Run(Cpu cpu, long budget, uint? stopAddress);

    /// <summary>
    /// Forgets any view of code the engine keeps between instructions (the fetch page, translated
    /// blocks): the memory map changed, the decoded code was flushed, or profiling was switched.
    /// </summary>
    void Invalidate();
}
