namespace ArmEmu.Cpu.Interpreter;

/// <summary>
/// Hint instructions: they change no architectural state (DDI 0406C A5.2.11, A8.8.* for each).
/// </summary>
internal static class Hints
{
    // PLD [<Rn>, #+/-<imm12>] and PLD [<Rn>, +/-<Rm>{, <shift>}] (A4.1.45): a preload hint, never faults.
    // PLDW (ARMv7 with the Multiprocessing Extensions) and PLI (ARMv7) come here too.
    public static void Pld(Cpu cpu, uint op)
    {
    }

    // NOP, YIELD, SEV, DBG #<option>, and the unallocated hints of the MSR (immediate) space with
    // mask 0, which the ARM ARM says execute as NOP (A5.2.11; QEMU's a32.decode does the same).
    // With one processor, YIELD and SEV have nothing to signal.
    public static void Nop(Cpu cpu, uint op)
    {
    }

    // WFE: with no other processor to send an event, and the event register never set, it waits
    // like WFI would on hardware; QEMU's user mode treats it as a yield, so it is a NOP here too.
    public static void Wfe(Cpu cpu, uint op)
    {
    }

    // WFI: wait for an interrupt (the machine decides: skip to the next timer event, or stop).
    public static void Wfi(Cpu cpu, uint op) => cpu.WaitForInterrupt();
}
