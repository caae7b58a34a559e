using ArmEmu.Emulator.Boards;
using ArmEmu.Memory.Mmu;

namespace ArmEmu.Emulator.Gdb;

/// <summary>A bare-metal board (<c>armemu system</c>) under gdb, as <c>qemu-system-arm -s -S</c>: one CPU, thread 1.</summary>
internal sealed class BareMetalTarget(IBareMetalBoard board) : GdbTarget(board.Cpu, board.Caches)
{
    public override IGdbThreads Threads { get; } = new SingleThread("cpu0", board.Cpu);

    public IBareMetalBoard Board => board;

    /// <summary>Why the board's last run returned.</summary>
    public MachineStop LastStop { get; private set; } = MachineStop.InstructionLimit;

    public override IEnumerable<string> DescribeTlb()
    {
        if (board is VexpressA9 { Mmu: var v7 }) return DescribeTlb(v7);
        if (board is VersatilePb { Mmu: var v5 }) return DescribeTlb(v5);
        return ["this board's MMU has no TLB view"];
    }

    private static string SizeText(uint size) => size >= 1u << 20 ? $"{size >> 20}M" : $"{size >> 10}K";

    /// <summary>The ARMv5 MMU (versatilepb): modified virtual address, domain, C and B.</summary>
    private static IEnumerable<string> DescribeTlb(ArmV5Mmu mmu)
    {
        yield return $"MMU {(mmu.Enabled ? "on" : "off")}, TTB 0x{mmu.TranslationTableBase:x8}, DACR 0x{mmu.DomainAccessControl:x8}, FCSE PID 0x{mmu.FcsePid:x8}, {mmu.TlbEntryCount} TLB entries";
        foreach (var e in mmu.TlbEntries())
        {
            yield return $"  mva 0x{e.ModifiedVirtualBase:x8} -> pa 0x{e.PhysicalBase:x8} {SizeText(e.Size),4} domain {e.Domain,2} {(e.Cacheable ? 'C' : '-')}{(e.Bufferable ? 'B' : '-')}";
        }
    }

    /// <summary>
    /// VMSAv7 (vexpress-a9): the translation registers, then every entry with its ASID (or
    /// global, nG = 0), domain, AP[2:0], TEX/C/B/S as the descriptor gave them, XN and PXN
    /// (ARM ARM B3.6, B3.7, B3.8).
    /// </summary>
    private static IEnumerable<string> DescribeTlb(ArmV7Mmu mmu)
    {
        yield return $"MMU {(mmu.Enabled ? "on" : "off")}, TTBR0 0x{mmu.Ttbr0:x8}, TTBR1 0x{mmu.Ttbr1:x8}, TTBCR 0x{mmu.Ttbcr:x}, "
                     + $"DACR 0x{mmu.Dacr:x8}, ASID {mmu.Asid}, {mmu.TlbEntryCount} TLB entries";
        foreach (var e in mmu.TlbEntries())
        {
            string tag = e.Global ? "global" : $"asid {e.Asid}";
            string cbs = $"{(e.C ? 'C' : '-')}{(e.B ? 'B' : '-')}{(e.S ? 'S' : '-')}";
            string xn = (e.ExecuteNever ? " XN" : "") + (e.PrivilegedExecuteNever ? " PXN" : "");
            yield return $"  va 0x{e.VirtualBase:x8} -> pa 0x{e.PhysicalBase:x8} {SizeText(e.Size),4} {tag,-8} domain {e.Domain,2} "
                         + $"AP {Convert.ToString(e.Ap, 2).PadLeft(3, '0')} TEX {Convert.ToString(e.Tex, 2).PadLeft(3, '0')} {cbs}{xn}";
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
