namespace ArmEmu.Cpu.Interpreter;

/// <summary>Hint instructions: they change no architectural state.</summary>
public static class Hints
{
    // PLD [<Rn>, #+/-<imm12>] and PLD [<Rn>, +/-<Rm>{, <shift>}] (A4.1.45): a preload hint, never faults.
    public static void Pld(Cpu cpu, uint op)
    {
    }
}
