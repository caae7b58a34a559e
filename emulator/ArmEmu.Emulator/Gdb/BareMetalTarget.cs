using ArmEmu.Emulator.Boards;

namespace ArmEmu.Emulator.Gdb;

/// <summary>A bare-metal board (<c>armemu system</c>) under gdb, as <c>qemu-system-arm -s -S</c>: one CPU, thread 1.</summary>
public sealed class BareMetalTarget(IBareMetalBoard board) : GdbTarget(board.Cpu, board.Caches)
{
    public override IGdbThreads Threads { get; } = new SingleThread("cpu0", board.Cpu);

    public IBareMetalBoard Board => board;

    /// <summary>Why the board's last run returned.</summary>
    public MachineStop LastStop { get; private set; } = MachineStop.InstructionLimit;

    public override IEnumerable<string> DescribeTlb()
    {
        if (board is not VersatilePb { Mmu: var mmu })
        {
            yield return "monitor tlb shows the ARMv5 MMU's TLB (versatilepb); this board's MMU has no view yet";
            yield break;
        }
        yield return $"MMU {(mmu.Enabled ? "on" : "off")}, TTB 0x{mmu.TranslationTableBase:x8}, DACR 0x{mmu.DomainAccessControl:x8}, FCSE PID 0x{mmu.FcsePid:x8}, {mmu.TlbEntryCount} TLB entries";
        foreach (var e in mmu.TlbEntries())
        {
            string size = e.Size >= 1u << 20 ? $"{e.Size >> 20}M" : $"{e.Size >> 10}K";
            yield return $"  mva 0x{e.ModifiedVirtualBase:x8} -> pa 0x{e.PhysicalBase:x8} {size,4} domain {e.Domain,2} {(e.Cacheable ? 'C' : '-')}{(e.Bufferable ? 'B' : '-')}";
        }
    }

    protected override GdbRunEnd? RunMachine(long maxInstructions)
    {
        if (board.Semihosting.ExitStatus is { } done) return new GdbRunEnd(GdbRunEndKind.Exited, done);
        // VersatilePb.Run takes a limit on the instructions executed since reset.
        long limit = (long)Math.Min(board.Cpu.InstructionsExecuted + (ulong)maxInstructions, long.MaxValue);
        LastStop = board.Run(limit);
        return LastStop switch
        {
            MachineStop.Exited => new GdbRunEnd(GdbRunEndKind.Exited, board.Semihosting.ExitStatus!.Value),
            MachineStop.InstructionLimit => null,
            _ => new GdbRunEnd(GdbRunEndKind.Halted, 0),
        };
    }
}
