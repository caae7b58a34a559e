using ArmEmu.Cpu.Decoding;
using ArmEmu.Memory;

namespace ArmEmu.Emulator.Linux;

/// <summary>
/// How many of the machine's address spaces map each virtual page executable, so that the
/// decoded-instruction store (one per machine, keyed by virtual page: every process runs on the
/// one CPU) gives a page's slots back when the last executable mapping of it goes: munmap,
/// mprotect without PROT_EXEC, execve dropping the old image, exit. A page a forked child
/// releases while its parent still runs the same code there keeps its decoded instructions.
/// </summary>
/// <remarks>
/// Only speed and memory depend on this: a decoded slot is used only when its word equals the
/// fetched one, so a page kept too long runs correct code and a page forgotten too early is
/// decoded again.
/// </remarks>
internal sealed class ExecutableMappings(CodeCache code)
{
    // In chunks made as pages become executable (a flat array was 2 MiB on the large object heap: PageMap).
    private readonly PageMap<ushort> _count = new();

    /// <summary>The store the pages are forgotten from.</summary>
    public CodeCache Code { get; } = code;

    /// <summary>Address spaces mapping <paramref name="vpn"/> executable now.</summary>
    public int CountOf(uint vpn) => _count[vpn];

    /// <summary>An address space mapped page <paramref name="vpn"/> executable.</summary>
    public void Added(uint vpn)
    {
        // More sharers than a ushort counts cannot happen (each needs a process); saturate anyway.
        if (_count[vpn] != ushort.MaxValue) _count[vpn]++;
    }

    /// <summary>An address space stopped mapping page <paramref name="vpn"/> executable.</summary>
    public void Removed(uint vpn)
    {
        if (_count[vpn] == 0 || _count[vpn] == ushort.MaxValue) return;
        if (--_count[vpn] == 0) Code.Forget(vpn << PhysicalBus.PageBits, PhysicalBus.PageSize);
    }
}
