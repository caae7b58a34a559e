using ArmEmu.Cpu;
using ArmEmu.Cpu.Vfp;
using ArmEmu.Memory;
using ArmEmu.Memory.Caches;

namespace ArmEmu.Emulator;

/// <summary>What a <see cref="MachineContext"/> holds besides the registers.</summary>
[Flags]
public enum ContextParts
{
    /// <summary>Every core register of every mode, the CPSR and SPSRs, the VFP registers, FPSCR and FPEXC.</summary>
    Registers = 0,
    /// <summary>A copy of every RAM region of the bus (pages that hold only zeros are not stored).</summary>
    Memory = 1,
    /// <summary>The lines of every cache level and their replacement state (the write buffer is drained first).</summary>
    Caches = 2,
    /// <summary>Registers, memory and caches: everything a context can hold.</summary>
    All = Memory | Caches,
}

/// <summary>
/// A saved machine state (uc_context_save / uc_context_restore, plus optional memory and cache
/// state), made by <see cref="MachineExtensions.SaveContext"/>. It restores into the machine it
/// came from, or one built the same way (the same RAM regions and cache geometry).
/// </summary>
/// <remarks>
/// The memory part is the physical RAM of the bus. On a <see cref="Linux.LinuxProcess"/> that is
/// every process's pages, but not the kernel's own state: the address spaces' mappings, file
/// descriptors, threads and signals are not saved, so a restore is exact only when the guest made
/// no system call that changed them in between (the Unicorn-style use: registers and memory
/// around a stretch of computation). A caller's buffer mapped or unmapped in between changes the
/// RAM regions, and the restore refuses with an <see cref="InvalidOperationException"/>.
/// </remarks>
public sealed class MachineContext
{
    private static readonly ProcessorMode[] BankedModes =
        [ProcessorMode.User, ProcessorMode.Fiq, ProcessorMode.Irq, ProcessorMode.Supervisor, ProcessorMode.Abort, ProcessorMode.Undefined];

    private readonly uint[] _r = new uint[16];
    private readonly uint[,] _banked = new uint[BankedModes.Length, 7]; // R8-R14 per mode
    private readonly uint[] _spsr = new uint[BankedModes.Length];
    private uint _cpsr;
    private ExtensionRegisters _d;
    private uint _fpscr, _fpexc;
    private List<(uint Base, Dictionary<uint, byte[]> Pages)>? _memory;
    private List<CacheState>? _caches;

    private MachineContext(ContextParts parts) => Parts = parts;

    /// <summary>What this context holds (the registers always).</summary>
    public ContextParts Parts { get; }

    internal static MachineContext Save(IMachine machine, ContextParts parts)
    {
        var cpu = machine.Cpu;
        var c = new MachineContext(parts) { _cpsr = cpu.Cpsr };
        for (int r = 0; r < 15; r++) c._r[r] = cpu.R[r];
        c._r[15] = cpu.PC;
        for (int m = 0; m < BankedModes.Length; m++)
        {
            for (int r = 8; r <= 14; r++) c._banked[m, r - 8] = cpu.GetBankedRegister(BankedModes[m], r);
            if (BankedModes[m] != ProcessorMode.User) c._spsr[m] = cpu.GetSpsr(BankedModes[m]);
        }
        c._d = cpu.Fpu.D;
        (c._fpscr, c._fpexc) = (cpu.Fpu.Fpscr, cpu.Fpu.Fpexc);
        if ((parts & ContextParts.Caches) != 0 && machine.Caches is { } caches)
        {
            caches.WriteBuffer.Drain(); // buffered stores are in RAM, so the memory copy has them
            c._caches = MachineHooks.CachesOf(caches).Select(cache => cache.SaveState()).ToList();
        }
        if ((parts & ContextParts.Memory) != 0)
        {
            c._memory = new();
            foreach (var region in machine.Bus.RamRegions)
            {
                var pages = new Dictionary<uint, byte[]>();
                var bytes = region.Bytes;
                for (int off = 0; off < bytes.Length; off += (int)PhysicalBus.PageSize)
                {
                    var page = bytes.Slice(off, (int)Math.Min(PhysicalBus.PageSize, (uint)(bytes.Length - off)));
                    if (page.ContainsAnyExcept((byte)0)) pages[(uint)off] = page.ToArray();
                }
                c._memory.Add((region.Base, pages));
            }
        }
        return c;
    }

    internal void Restore(IMachine machine)
    {
        var cpu = machine.Cpu;
        cpu.Cpsr = _cpsr; // the mode first, so the banks below land where they belong
        for (int m = 0; m < BankedModes.Length; m++)
        {
            for (int r = 8; r <= 14; r++) cpu.SetBankedRegister(BankedModes[m], r, _banked[m, r - 8]);
            if (BankedModes[m] != ProcessorMode.User) cpu.SetSpsr(BankedModes[m], _spsr[m]);
        }
        for (int r = 0; r < 15; r++)
            if (r < 8 || (r < 13 && cpu.Mode != ProcessorMode.Fiq)) cpu.R[r] = _r[r];
        cpu.PC = _r[15];
        cpu.Fpu.D = _d;
        (cpu.Fpu.Fpscr, cpu.Fpu.Fpexc) = (_fpscr, _fpexc);
        cpu.ClearExclusiveMonitor();

        if (_memory is not null)
        {
            var regions = machine.Bus.RamRegions;
            if (regions.Count != _memory.Count || regions.Where((r, i) => r.Base != _memory[i].Base).Any())
                throw new InvalidOperationException("the machine's RAM regions are not those the context was saved from");
            for (int i = 0; i < regions.Count; i++)
            {
                var bytes = regions[i].Bytes;
                var pages = _memory[i].Pages;
                for (int off = 0; off < bytes.Length; off += (int)PhysicalBus.PageSize)
                {
                    var page = bytes.Slice(off, (int)Math.Min(PhysicalBus.PageSize, (uint)(bytes.Length - off)));
                    if (pages.TryGetValue((uint)off, out var saved)) saved.CopyTo(page);
                    else page.Clear();
                }
            }
        }
        if (_caches is not null && machine.Caches is { } caches)
        {
            caches.WriteBuffer.Drain();
            var all = MachineHooks.CachesOf(caches).ToList();
            if (all.Count != _caches.Count) throw new InvalidOperationException("the machine's caches are not those the context was saved from");
            for (int i = 0; i < all.Count; i++) all[i].RestoreState(_caches[i]);
        }
        else if (_memory is not null && machine.Caches is { } live)
        {
            // Memory went back but the caches did not: their lines no longer match RAM. Drop
            // them, as a snapshot restore without cache state can only mean a cold cache.
            foreach (var cache in MachineHooks.CachesOf(live))
                for (int line = 0; line < cache.LineCount; line++) cache.Invalidate(line);
        }
        // Code in memory or in the I-cache may have changed under decoded instructions.
        if (_memory is not null || _caches is not null) cpu.FlushDecodedInstructions();
    }
}
