using System.Runtime.CompilerServices;
using ArmEmu.Cpu;
using ArmEmu.Cpu.Coprocessors;
using ArmEmu.Memory;
using ArmEmu.Memory.Caches;

namespace ArmEmu.Emulator;

/// <summary>
/// The embedding API written once for every <see cref="IMachine"/>: hooks, stopping from any
/// thread, registers by name (banked, CP15, VFP), contexts, debug memory access and the cache
/// model's lines.
/// </summary>
public static class MachineExtensions
{
    private static readonly ConditionalWeakTable<IMachine, MachineHooks> HookTables = new();

    /// <summary>The machine's hooks (one set per machine).</summary>
    public static MachineHooks Hooks(this IMachine machine) => HookTables.GetValue(machine, m => new MachineHooks(m));

    /// <summary>
    /// Ends the run in progress: from a hook, before the hooked instruction (a code or block
    /// hook) or after the current one (a memory hook); from any other thread, within an
    /// instruction. Outside a run it does nothing.
    /// </summary>
    public static void Stop(this IMachine machine)
    {
        machine.Cpu.HaltRequested = true; // the Linux and board loops return between slices
        machine.Cpu.RequestStop();
    }

    /// <summary>
    /// Stops the machine's run once <paramref name="timeout"/> of host time has passed (Unicorn's
    /// timeout, for any machine's Run); dispose the result to cancel it.
    /// </summary>
    public static IDisposable StopAfter(this IMachine machine, TimeSpan timeout) =>
        new Timer(_ => machine.Stop(), null, timeout, Timeout.InfiniteTimeSpan);

    // ---- memory as a debugger sees it --------------------------------------------------------

    /// <summary>Reads guest memory by virtual address as a load would see it now (through the caches), changing nothing.</summary>
    public static byte[] ReadMemory(this IMachine machine, uint address, int length)
    {
        var data = new byte[length];
        if (!machine.Cpu.Memory.DebugRead(address, data))
            throw new ArgumentException($"memory 0x{address:x8}+0x{length:x} is not all mapped");
        return data;
    }

    /// <summary>Writes guest memory by virtual address; cached copies follow, and code written runs.</summary>
    public static void WriteMemory(this IMachine machine, uint address, ReadOnlySpan<byte> data)
    {
        if (!machine.Cpu.Memory.DebugWrite(address, data))
            throw new ArgumentException($"memory 0x{address:x8}+0x{data.Length:x} is not all mapped RAM");
    }

    // ---- registers by name -------------------------------------------------------------------

    /// <summary>
    /// Reads a register by name, case-insensitively: r0-r15, sp, lr, pc, cpsr, spsr; banked ones
    /// as r8_fiq-r12_fiq, sp_MODE/r13_MODE, lr_MODE/r14_MODE, spsr_MODE (MODE: usr, fiq, irq, svc,
    /// abt, und); VFP s0-s31, d0-d31, fpscr, fpexc; CP15 by its ARM ARM name (sctlr, ttbr0, dacr,
    /// dfsr, dfar, ifsr, midr, ctr, contextidr, tpidruro...). Throws for a name the machine lacks.
    /// </summary>
    public static ulong ReadRegister(this IMachine machine, string name)
    {
        var cpu = machine.Cpu;
        string n = name.Trim().ToLowerInvariant();
        if (TryCore(n, out int r, out ProcessorMode? mode, out bool spsr))
        {
            if (spsr) return mode is { } m ? cpu.GetSpsr(m) : cpu.Spsr;
            if (r == 16) return cpu.Cpsr;
            if (r == 15) return cpu.PC;
            return mode is { } bank ? cpu.GetBankedRegister(bank, r) : cpu.R[r];
        }
        if (TryVfp(cpu, n, out char kind, out int index))
        {
            return kind switch
            {
                's' => cpu.Fpu.GetS(index),
                'd' => cpu.Fpu.D[index],
                'f' => cpu.Fpu.Fpscr,
                _ => cpu.Fpu.Fpexc,
            };
        }
        var (cp, opc1, crn, crm, opc2) = Cp15(cpu, n, name);
        if (!cp.Mrc(cpu, opc1, crn, crm, opc2, out uint value))
            throw new ArgumentException($"CP15 register '{name}' cannot be read in the processor's current mode");
        return value;
    }

    /// <summary>Writes a register by name (the names of <see cref="ReadRegister(IMachine, string)"/>).</summary>
    public static void WriteRegister(this IMachine machine, string name, ulong value)
    {
        var cpu = machine.Cpu;
        string n = name.Trim().ToLowerInvariant();
        uint word = (uint)value;
        if (TryCore(n, out int r, out ProcessorMode? mode, out bool spsr))
        {
            if (spsr)
            {
                if (mode is { } m) cpu.SetSpsr(m, word);
                else cpu.Spsr = word;
            }
            else if (r == 16) cpu.Cpsr = word;
            else if (r == 15) cpu.PC = word;
            else if (mode is { } bank) cpu.SetBankedRegister(bank, r, word);
            else cpu.R[r] = word;
            return;
        }
        if (TryVfp(cpu, n, out char kind, out int index))
        {
            switch (kind)
            {
                case 's': cpu.Fpu.SetS(index, word); break;
                case 'd': cpu.Fpu.D[index] = value; break;
                case 'f': cpu.Fpu.Fpscr = word; break;
                default: cpu.Fpu.Fpexc = word; break;
            }
            return;
        }
        var (cp, opc1, crn, crm, opc2) = Cp15(cpu, n, name);
        if (!cp.Mcr(cpu, opc1, crn, crm, opc2, word))
            throw new ArgumentException($"CP15 register '{name}' cannot be written in the processor's current mode");
    }

    private static readonly Dictionary<string, ProcessorMode> Modes = new()
    {
        ["usr"] = ProcessorMode.User, ["fiq"] = ProcessorMode.Fiq, ["irq"] = ProcessorMode.Irq,
        ["svc"] = ProcessorMode.Supervisor, ["abt"] = ProcessorMode.Abort, ["und"] = ProcessorMode.Undefined,
    };

    /// <summary>A core register name: r = 0-15 or 16 for the CPSR; a bank when the name gives one.</summary>
    private static bool TryCore(string n, out int r, out ProcessorMode? mode, out bool spsr)
    {
        r = -1;
        mode = null;
        spsr = false;
        string baseName = n;
        int underscore = n.IndexOf('_');
        if (underscore > 0)
        {
            if (!Modes.TryGetValue(n[(underscore + 1)..], out var m)) return false;
            mode = m;
            baseName = n[..underscore];
        }
        switch (baseName)
        {
            case "sp": r = 13; break;
            case "lr": r = 14; break;
            case "pc": r = 15; break;
            case "cpsr": r = 16; break;
            case "spsr": spsr = true; return mode != ProcessorMode.User;
            default:
                if (baseName.Length < 2 || baseName[0] != 'r' || !int.TryParse(baseName.AsSpan(1), out r) || r > 15) return false;
                break;
        }
        if (mode is null) return true;
        // Banked names: R8-R12 only for FIQ, R13 and R14 for every mode.
        return r is 13 or 14 || (r is >= 8 and <= 12 && mode == ProcessorMode.Fiq);
    }

    private static bool TryVfp(Cpu.Cpu cpu, string n, out char kind, out int index)
    {
        kind = '\0';
        index = 0;
        if (n == "fpscr") kind = 'f';
        else if (n == "fpexc") kind = 'e';
        else if (n.Length >= 2 && n[0] is 's' or 'd' && int.TryParse(n.AsSpan(1), out index))
        {
            kind = n[0];
            int count = kind == 's' ? 32 : cpu.Fpu.RegisterCount;
            if (index < 0 || index >= count) return false;
        }
        else return false;
        if (!cpu.Fpu.Present) throw new ArgumentException($"{cpu.Model.Name} has no VFP: no register '{n}'");
        return true;
    }

    // ARMv5 CP15 registers by their ARM ARM (DDI 0100) and ARM926EJ-S TRM names; the v7 CP15 names its own rows.
    private static readonly Dictionary<string, (int Opc1, int Crn, int Crm, int Opc2)> Armv5Cp15 = new()
    {
        ["midr"] = (0, 0, 0, 0), ["ctr"] = (0, 0, 0, 1), ["tcmtr"] = (0, 0, 0, 2), ["sctlr"] = (0, 1, 0, 0),
        ["ttbr0"] = (0, 2, 0, 0), ["dacr"] = (0, 3, 0, 0), ["dfsr"] = (0, 5, 0, 0), ["ifsr"] = (0, 5, 0, 1),
        ["dfar"] = (0, 6, 0, 0), ["fcseidr"] = (0, 13, 0, 0), ["contextidr"] = (0, 13, 0, 1),
    };

    private static (ICoprocessor Cp, int Opc1, int Crn, int Crm, int Opc2) Cp15(Cpu.Cpu cpu, string n, string original)
    {
        var cp = cpu.Coprocessors[15] ?? throw new ArgumentException($"unknown register '{original}' (this machine has no CP15)");
        if (cp is V7Cp15 v7)
        {
            foreach (var row in v7.Registers)
                if (string.Equals(row.Name, n, StringComparison.OrdinalIgnoreCase))
                    return (cp, row.Opc1, row.Crn, row.Crm, row.Opc2);
        }
        else if (Armv5Cp15.TryGetValue(n, out var at))
        {
            return (cp, at.Opc1, at.Crn, at.Crm, at.Opc2);
        }
        throw new ArgumentException($"unknown register '{original}'");
    }

    // ---- contexts ----------------------------------------------------------------------------

    /// <summary>
    /// Saves the processor's state (every register of every mode, the CPSR and SPSRs, VFP) and,
    /// when asked, a copy of every RAM region and the cache model's lines (uc_context_save).
    /// </summary>
    public static MachineContext SaveContext(this IMachine machine, ContextParts parts = ContextParts.Registers) =>
        MachineContext.Save(machine, parts);

    /// <summary>Restores what <see cref="SaveContext"/> saved (uc_context_restore).</summary>
    public static void RestoreContext(this IMachine machine, MachineContext context) => context.Restore(machine);

    // ---- the cache model ---------------------------------------------------------------------

    /// <summary>
    /// Every valid line of every cache, level by level (L1 I, L1 D, L2): where it is (set, way),
    /// what it holds, whether it is dirty and whether its data differs from memory.
    /// Empty without the cache model.
    /// </summary>
    public static IReadOnlyList<CacheLineState> CacheLines(this IMachine machine)
    {
        var lines = new List<CacheLineState>();
        foreach (var cache in MachineHooks.CachesOf(machine.Caches))
            for (int line = 0; line < cache.LineCount; line++)
                if (cache.IsValid(line)) lines.Add(CacheLineState.Of(machine.Bus, cache, line));
        return lines;
    }

    /// <summary>The line at <paramref name="set"/>/<paramref name="way"/> of a cache (<see cref="CacheLevel"/>), valid or not.</summary>
    public static CacheLineState CacheLine(this IMachine machine, CacheLevel level, int set, int way)
    {
        var cache = CacheAt(machine, level);
        if (set < 0 || set >= cache.Sets || way < 0 || way >= cache.Ways)
            throw new ArgumentOutOfRangeException(nameof(set), $"{cache.Name} has {cache.Sets} sets of {cache.Ways} ways");
        return CacheLineState.Of(machine.Bus, cache, cache.LineAt(set, way));
    }

    /// <summary>The line of a cache holding <paramref name="address"/> (virtual for the L1s, physical for the L2), or null.</summary>
    public static CacheLineState? FindCacheLine(this IMachine machine, CacheLevel level, uint address)
    {
        var cache = CacheAt(machine, level);
        uint pa = address;
        if (level != CacheLevel.L2 && !machine.Cpu.Memory.TryTranslateDebug(address, out pa)) return null;
        int line = level == CacheLevel.L2 ? cache.Find(pa, pa) : machine.Caches!.FindLine(cache, address, pa);
        return line < 0 ? null : CacheLineState.Of(machine.Bus, cache, line);
    }

    /// <summary>The geometry and counters of one cache.</summary>
    public static Cache Cache(this IMachine machine, CacheLevel level) => CacheAt(machine, level);

    /// <summary>
    /// Puts the cache model back to its power-on state: the write buffer drains (its stores reach
    /// memory, as they would), every line of every level is dropped without writing back, the
    /// counters return to zero and decoded code is forgotten.
    /// </summary>
    public static void ResetCaches(this IMachine machine)
    {
        if (machine.Caches is not { } caches) return;
        caches.WriteBuffer.Drain();
        foreach (var cache in MachineHooks.CachesOf(caches))
        {
            var events = cache.Events;
            cache.Events = null; // a reset is not maintenance the guest did
            for (int line = 0; line < cache.LineCount; line++) cache.Invalidate(line);
            cache.Events = events;
            var c = cache.Counters;
            (c.Reads, c.Writes, c.ReadHits, c.ReadMisses, c.WriteHits, c.WriteMisses) = (0, 0, 0, 0, 0, 0);
            (c.LineFills, c.WriteBacks, c.Evictions, c.Maintenance) = (0, 0, 0, 0);
        }
        machine.Cpu.FlushDecodedInstructions();
    }

    private static Cache CacheAt(IMachine machine, CacheLevel level)
    {
        var caches = machine.Caches ?? throw new InvalidOperationException("the cache model is off");
        return level switch
        {
            CacheLevel.L1Instruction => caches.InstructionCache,
            CacheLevel.L1Data => caches.DataCache,
            _ => caches.OuterCache?.Cache,
        } ?? throw new InvalidOperationException($"this machine has no {level} cache");
    }
}

/// <summary>A cache of the hierarchy.</summary>
public enum CacheLevel
{
    /// <summary>The level 1 instruction cache.</summary>
    L1Instruction,
    /// <summary>The level 1 data cache.</summary>
    L1Data,
    /// <summary>The outer (unified) cache, the PL310 on vexpress-a9.</summary>
    L2,
}

/// <summary>One cache line as the API shows it.</summary>
/// <param name="Cache">The cache's name ("I-cache", "D-cache", "L2-cache").</param>
/// <param name="Level">1 or 2.</param>
/// <param name="Set">The set.</param>
/// <param name="Way">The way.</param>
/// <param name="Valid">Whether the line holds anything.</param>
/// <param name="DirtyHalves">Dirty halves: bit 0 the low half, bit 1 the high half (both with one dirty bit per line).</param>
/// <param name="IndexAddress">The address the line was indexed by (virtual for VIVT/VIPT).</param>
/// <param name="PhysicalAddress">The physical address the line was filled from.</param>
/// <param name="Data">The bytes the line holds.</param>
/// <param name="Memory">The bytes RAM holds at <paramref name="PhysicalAddress"/> now.</param>
public sealed record CacheLineState(string Cache, int Level, int Set, int Way, bool Valid, int DirtyHalves,
                                    uint IndexAddress, uint PhysicalAddress, byte[] Data, byte[] Memory)
{
    /// <summary>True when any half of the line is dirty: it holds data RAM does not have yet.</summary>
    public bool Dirty => DirtyHalves != 0;

    /// <summary>The line's data differs from what RAM holds (a dirty line not yet written back, or RAM changed under it).</summary>
    public bool DiffersFromMemory => Valid && !Data.AsSpan().SequenceEqual(Memory);

    internal static CacheLineState Of(PhysicalBus bus, Cache cache, int line)
    {
        var memory = new byte[cache.LineBytes];
        bool valid = cache.IsValid(line);
        if (valid) bus.ReadRam(cache.PhysicalAddress(line), memory);
        return new CacheLineState(cache.Name, cache.Level, cache.SetOfLine(line), cache.WayOfLine(line), valid,
            valid ? cache.DirtyHalves(line) : 0, cache.IndexAddress(line), cache.PhysicalAddress(line),
            cache.Data(line).ToArray(), memory);
    }
}
