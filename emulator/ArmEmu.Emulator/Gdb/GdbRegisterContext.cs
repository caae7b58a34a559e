using ArmEmu.Cpu.Vfp;

namespace ArmEmu.Emulator.Gdb;

/// <summary>
/// The registers of one thread as gdb reads and writes them (g/G, p/P after an H packet): the
/// running thread's are the processor's; a thread switched out keeps its own until it runs
/// again (<see cref="IGdbThreads.RegistersOf"/>).
/// </summary>
internal interface IGdbRegisterContext
{
    /// <summary>Core register <paramref name="index"/>: r0-r14, 15 the address of the next instruction, 16 the CPSR.</summary>
    uint ReadCore(int index);

    void WriteCore(int index, uint value);

    /// <summary>The floating-point register file the thread sees (D0-D31, FPSCR, FPEXC).</summary>
    FloatingPointUnit Fpu { get; }
}

/// <summary>The processor's own registers: the running thread, or a board's only CPU.</summary>
internal sealed class CpuRegisterContext(Cpu.Cpu cpu) : IGdbRegisterContext
{
    public const int Pc = 15, Cpsr = 16;

    public uint ReadCore(int index) => index switch
    {
        < Pc => cpu.R[index],
        Pc => cpu.PC, // the next instruction, not R[15]'s "address + 8"
        _ => cpu.Cpsr,
    };

    public void WriteCore(int index, uint value)
    {
        if (index < Pc) cpu.R[index] = value;
        else if (index == Pc) cpu.PC = value; // gdb resumes in Thumb state only through cpsr.T; the PC itself is as given
        else cpu.Cpsr = value;
    }

    public FloatingPointUnit Fpu => cpu.Fpu;
}
