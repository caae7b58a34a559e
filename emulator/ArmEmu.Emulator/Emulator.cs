using System.Runtime.InteropServices;
using ArmEmu.Cpu;
using ArmEmu.Cpu.Coprocessors;
using ArmEmu.Memory;
using ArmEmu.Memory.Caches;
using ArmEmu.Memory.Mmu;

namespace ArmEmu.Emulator;

/// <summary>How exceptions raised by guest code are treated by <see cref="Emulator.Run(uint, uint?, long, TimeSpan?)"/>.</summary>
public enum ExceptionPolicy
{
    /// <summary>
    /// As Unicorn does: SVC and BKPT call the interrupt hooks and execution
    /// goes on after the instruction; an undefined instruction or a memory fault
    /// stops the run with an error. Nothing is banked, no vector is taken.
    /// </summary>
    StopOnFault,
    /// <summary>Every exception is taken as the ARM ARM says: mode, SPSR, LR, vector.</summary>
    Architectural,
}

/// <summary>Why a run ended with an error.</summary>
public enum EmulatorError
{
    /// <summary>The run ended without an error.</summary>
    None,
    /// <summary>An undefined instruction that no hook emulated.</summary>
    InvalidInstruction,
    /// <summary>A load from an address no region maps.</summary>
    ReadUnmapped,
    /// <summary>A store to an address no region maps.</summary>
    WriteUnmapped,
    /// <summary>An instruction fetch from an address no region maps.</summary>
    FetchUnmapped,
    /// <summary>A load from a mapped page without read permission.</summary>
    ReadProtected,
    /// <summary>A store to a mapped page without write permission.</summary>
    WriteProtected,
    /// <summary>An instruction fetch from a mapped page without execute permission.</summary>
    FetchProtected,
    /// <summary>A fault an MMU produced (its FSR is in the fault).</summary>
    Translation,
    /// <summary>An unaligned access where the architecture (or SCTLR.A) requires alignment.</summary>
    Alignment,
}

/// <summary>How a run ended.</summary>
/// <param name="Reason">Instruction count, stop address, stop request or WFI.</param>
/// <param name="Error">Set when the run stopped on a fault (<see cref="ExceptionPolicy.StopOnFault"/>).</param>
/// <param name="Pc">The PC where it stopped: for an error, the faulting instruction.</param>
/// <param name="Instructions">Instructions executed in this run.</param>
/// <param name="FaultAddress">For memory errors, the address accessed.</param>
public readonly record struct RunResult(StopReason Reason, EmulatorError Error, uint Pc, ulong Instructions, uint FaultAddress)
{
    /// <summary>True when the run ended without an error.</summary>
    public bool Ok => Error == EmulatorError.None;

    /// <summary>The run ended because its timeout passed.</summary>
    public bool TimedOut { get; init; }
}

/// <summary>One memory access seen by a memory hook.</summary>
/// <param name="Address">The virtual address.</param>
/// <param name="Size">1, 2 or 4 bytes.</param>
/// <param name="IsWrite">A write (else a read or a fetch).</param>
/// <param name="IsFetch">An instruction fetch.</param>
/// <param name="Value">The value read or written (0 for a read or fetch seen before it is made).</param>
public readonly record struct MemoryAccess(uint Address, int Size, bool IsWrite, bool IsFetch, uint Value)
{
    /// <summary>Seen after the access was made (else before).</summary>
    public bool After { get; init; }
}

/// <summary>A run of mapped memory (<see cref="Emulator.Regions"/>, uc_mem_regions).</summary>
public readonly record struct MemoryRegion(uint Begin, uint Size, Permission Rights)
{
    /// <summary>The last address of the region.</summary>
    public uint End => Begin + Size - 1;
}

/// <summary>A registered hook; dispose it to remove the hook.</summary>
public sealed class HookHandle : IDisposable
{
    private Action? _remove;

    internal HookHandle(Action remove) => _remove = remove;

    /// <summary>Removes the hook; disposing it again does nothing.</summary>
    public void Dispose()
    {
        _remove?.Invoke();
        _remove = null;
    }
}

/// <summary>
/// The embeddable ARM machine with the reach Unicorn users expect: create it for a CPU model,
/// map memory (whole or partial ranges, the caller's own buffers), read and write registers and
/// memory, run until one of several addresses, an instruction count or a timeout, and hook
/// through <see cref="MachineExtensions.Hooks"/> (code, blocks, memory, faults that map memory
/// and resume, exceptions, cache events). No MMU: virtual addresses are physical, with
/// per-page rights. With <see cref="EnableCaches"/> the cache model sits between the CPU and
/// RAM, as on the boards. Everything on <see cref="IMachine"/> works here as on the Linux and
/// board machines.
/// </summary>
public sealed unsafe class Emulator : IMachine, IDisposable
{
    private readonly FlatTranslation _flat = new();
    private readonly List<Action<Emulator, ExceptionKind, uint>> _interruptHooks = new();
    private readonly List<(RamRegion Region, GCHandle? Pinned)> _ram = new();
    private EmulatorError _error;
    private uint _faultAddress;
    private volatile bool _timedOut;

    internal Emulator(CpuModel model)
    {
        Bus = new PhysicalBus();
        Memory = new MemoryPort(Bus, _flat);
        Cpu = new Cpu.Cpu(model, Memory) { ExceptionHandler = OnException };
    }

    /// <summary>Creates an emulator for a CPU model by name ("arm926").</summary>
    public static Emulator Create(string cpuModel = "arm926") =>
        new(CpuModel.Find(cpuModel) ?? throw new ArgumentException($"unknown CPU model '{cpuModel}' (known: {string.Join(", ", CpuModel.All.Select(m => m.Name))})"));

    /// <summary>The processor: its registers, mode and counters.</summary>
    public Cpu.Cpu Cpu { get; }

    /// <summary>The physical bus: mapped memory and the devices added with <see cref="MapDevice"/>.</summary>
    public PhysicalBus Bus { get; }

    internal MemoryPort Memory { get; }

    /// <summary>The cache model (<see cref="EnableCaches"/>), or null while it is off.</summary>
    public CacheSystem? Caches { get; private set; }

    /// <summary>What exceptions do: Unicorn's behaviour (the default: SVC and BKPT go to the hooks, an undefined instruction or a fault stops the run) or the hardware's (every exception taken through its vector).</summary>
    public ExceptionPolicy ExceptionPolicy { get; set; } = ExceptionPolicy.StopOnFault;

    /// <summary>
    /// Assembles <paramref name="source"/> (GNU as, unified syntax) for this emulator's CPU model,
    /// linked at <paramref name="origin"/>, e.g. <c>emu.Assemble("ldr r0, [r1]")</c>; cached by content
    /// (<see cref="GnuAssembler"/>). Throws <see cref="AssemblerException"/> with the assembler's lines.
    /// </summary>
    public byte[] Assemble(string source, uint origin = 0, bool thumb = false) =>
        GnuAssembler.Assemble(source, Cpu.Model, origin, thumb);

    // ---- the cache model -----------------------------------------------------------------------

    /// <summary>
    /// Puts the cache model between the CPU and RAM (default: the model's own caches, the
    /// ARM926's 16+16 KiB or the Cortex-A9's L1s) with a CP15 so guest code can maintain them.
    /// Without an MMU every mapped page is normal write-back memory and the caches stay on
    /// whatever SCTLR.C/I say; the CP15's MMU registers are kept but translate nothing.
    /// </summary>
    public CacheSystem EnableCaches(CacheModelOptions? options = null)
    {
        if (Caches is not null) throw new InvalidOperationException("the cache model is already on");
        options ??= Cpu.Model.V7Ids is not null ? CacheModelOptions.CortexA9 with { OuterCache = null } : CacheModelOptions.Arm926;
        if (!options.Enabled) throw new ArgumentException("the options say the cache model is off");
        Caches = options.Build(Bus, () => Cpu.InstructionsExecuted)!;
        if (Cpu.Model.V7Ids is not null)
            new V7Cp15(Cpu.Model, new ArmV7Mmu(Bus), Caches).Attach(Cpu);
        else
            new Arm926Cp15(new ArmV5Mmu(Bus), Caches, new CacheGeometry(options.InstructionCache.SizeBytes,
                options.DataCache.SizeBytes, options.DataCache.Ways, options.DataCache.LineBytes)).Attach(Cpu);
        Memory.Caches = Caches;
        Cpu.FlushDecodedInstructions();
        return Caches;
    }

    /// <summary>
    /// Reads RAM as another bus master (a DMA controller) would: behind the caches, announced to
    /// the coherence monitor, which reports a read of data still dirty in a cache.
    /// </summary>
    public byte[] ReadAsBusMaster(uint physicalAddress, int length)
    {
        Bus.AnnounceMasterAccess(physicalAddress, length, write: false);
        var data = new byte[length];
        if (!Bus.ReadRam(physicalAddress, data)) throw new ArgumentException($"0x{physicalAddress:x8}+0x{length:x} is not all RAM");
        return data;
    }

    /// <summary>Writes RAM as another bus master would (behind the caches, announced to the coherence monitor).</summary>
    public void WriteAsBusMaster(uint physicalAddress, ReadOnlySpan<byte> data)
    {
        Bus.AnnounceMasterAccess(physicalAddress, data.Length, write: true);
        if (!Bus.WriteRam(physicalAddress, data)) throw new ArgumentException($"0x{physicalAddress:x8}+0x{data.Length:x} is not all RAM");
    }

    // ---- memory --------------------------------------------------------------------------------

    /// <summary>Maps zeroed RAM at a page-aligned address, as uc_mem_map. Mapped pages may not be mapped again.</summary>
    public void MapMemory(uint address, uint size, Permission rights = Permission.All)
    {
        CheckUnmapped(address, size);
        // Pages left on the bus by a partial unmap are reused (zeroed); the others get new RAM.
        ulong a = address, limit = (ulong)address + size;
        while (a < limit)
        {
            if (Bus.FindRam((uint)a) is { } left)
            {
                left.Bytes.Slice((int)((uint)a - left.Base), (int)PhysicalBus.PageSize).Clear();
                PhysicalMemoryMap.DropCachedLines(Caches, (uint)a, PhysicalBus.PageSize);
                a += PhysicalBus.PageSize;
                continue;
            }
            uint runStart = (uint)a;
            while (a < limit && Bus.RamPage((uint)a) == null) a += PhysicalBus.PageSize;
            _ram.Add((Bus.AddRam(runStart, (uint)(a - runStart), $"ram@{runStart:x8}"), null));
        }
        _flat.Map(address, size, rights);
    }

    /// <summary>
    /// Maps the caller's buffer as RAM at <paramref name="address"/> (uc_mem_map_ptr): the buffer
    /// is pinned until unmapped, and what the guest stores is in it (behind the caches, when the
    /// cache model is on). Its length must be a multiple of 4 KiB.
    /// </summary>
    public unsafe void MapMemory(uint address, byte[] buffer, Permission rights = Permission.All)
    {
        CheckUnmapped(address, (uint)buffer.Length);
        var pinned = GCHandle.Alloc(buffer, GCHandleType.Pinned);
        try
        {
            _ram.Add((Bus.AddRam(address, (uint)buffer.Length, (byte*)pinned.AddrOfPinnedObject(), $"buffer@{address:x8}"), pinned));
        }
        catch
        {
            pinned.Free();
            throw;
        }
        _flat.Map(address, (uint)buffer.Length, rights);
    }

    /// <summary>
    /// Unmaps whole pages, as uc_mem_unmap: any page-aligned range of mapped pages, part of a
    /// mapping or several. A mapping's storage is released once none of its pages is mapped.
    /// </summary>
    public void UnmapMemory(uint address, uint size)
    {
        PhysicalMemoryMap.CheckPages(address, size);
        for (ulong a = address; a < (ulong)address + size; a += PhysicalBus.PageSize)
            if (!_flat.IsMapped((uint)a)) throw new ArgumentException($"page 0x{a:x8} is not mapped");
        _flat.Unmap(address, size);
        Caches?.WriteBuffer.Drain(); // stores already made reach memory before it goes
        PhysicalMemoryMap.DropCachedLines(Caches, address, size);
        Cpu.Code.Forget(address, size); // virtual is physical here: the decoded pages of the range
        foreach (var entry in _ram.ToArray())
        {
            var region = entry.Region;
            bool anyMapped = false;
            for (uint off = 0; off < region.Size && !anyMapped; off += PhysicalBus.PageSize) anyMapped = _flat.IsMapped(region.Base + off);
            if (anyMapped) continue;
            _ram.Remove(entry);
            Bus.RemoveRam(region);
            entry.Pinned?.Free();
        }
    }

    /// <summary>Changes the rights of mapped pages, as uc_mem_protect (any page-aligned part of a mapping).</summary>
    public void ProtectMemory(uint address, uint size, Permission rights)
    {
        PhysicalMemoryMap.CheckPages(address, size);
        for (ulong a = address; a < (ulong)address + size; a += PhysicalBus.PageSize)
            if (!_flat.IsMapped((uint)a)) throw new ArgumentException($"page 0x{a:x8} is not mapped");
        _flat.Protect(address, size, rights);
        if ((rights & Permission.Execute) == 0) Cpu.Code.Forget(address, size);
    }

    /// <summary>The mapped memory, as runs of pages with the same rights in address order (uc_mem_regions).</summary>
    public IReadOnlyList<MemoryRegion> Regions
    {
        get
        {
            var pages = new SortedSet<uint>();
            foreach (var (region, _) in _ram)
                for (uint off = 0; off < region.Size; off += PhysicalBus.PageSize)
                    if (_flat.IsMapped(region.Base + off)) pages.Add(region.Base + off);
            foreach (var device in Bus.Devices)
                for (ulong a = device.Base & ~PhysicalBus.PageMask; a < (ulong)device.Base + device.Device.Size; a += PhysicalBus.PageSize)
                    if (_flat.IsMapped((uint)a)) pages.Add((uint)a);
            return PhysicalMemoryMap.MergeRegions(pages.Select(page => (page, _flat.RightsOf(page))));
        }
    }

    private void CheckUnmapped(uint address, uint size)
    {
        PhysicalMemoryMap.CheckPages(address, size);
        for (ulong a = address; a < (ulong)address + size; a += PhysicalBus.PageSize)
            if (_flat.IsMapped((uint)a)) throw new ArgumentException($"0x{address:x8}+0x{size:x} overlaps mapped memory at 0x{a:x8}");
    }

    /// <summary>Puts a device on the bus; its range is mapped read/write.</summary>
    public void MapDevice(uint address, IMmioDevice device)
    {
        Bus.AddDevice(address, device);
        uint start = address & ~PhysicalBus.PageMask;
        uint end = (uint)Math.Min(0xFFFF_F000UL, ((ulong)address + device.Size + PhysicalBus.PageMask) & ~(ulong)PhysicalBus.PageMask);
        _flat.Map(start, end - start, Permission.Read | Permission.Write);
        _flat.MarkDevice(start, end - start);
    }

    /// <summary>Reads <paramref name="length"/> bytes at <paramref name="address"/> as the CPU sees them (through the caches); throws if any byte is unmapped.</summary>
    public byte[] ReadMemory(uint address, int length) => MachineExtensions.ReadMemory(this, address, length);

    /// <summary>Writes <paramref name="data"/> at <paramref name="address"/> as the CPU would (through the caches); throws if any byte is unmapped.</summary>
    public void WriteMemory(uint address, ReadOnlySpan<byte> data) => MachineExtensions.WriteMemory(this, address, data);

    /// <summary>Reads the little-endian word at <paramref name="address"/>.</summary>
    public uint ReadWord(uint address) => BitConverter.ToUInt32(ReadMemory(address, 4));

    /// <summary>Writes <paramref name="value"/> as a little-endian word at <paramref name="address"/>.</summary>
    public void WriteWord(uint address, uint value) => WriteMemory(address, BitConverter.GetBytes(value));

    // ---- registers -----------------------------------------------------------------------------

    internal uint ReadRegister(ArmRegister register) => register switch
    {
        ArmRegister.PC => Cpu.PC,
        ArmRegister.Cpsr => Cpu.Cpsr,
        ArmRegister.Spsr => Cpu.Spsr,
        _ => Cpu.R[(int)register],
    };

    internal void WriteRegister(ArmRegister register, uint value)
    {
        switch (register)
        {
            case ArmRegister.PC: Cpu.PC = value; break;
            case ArmRegister.Cpsr: Cpu.Cpsr = value; break;
            case ArmRegister.Spsr: Cpu.Spsr = value; break;
            default: Cpu.R[(int)register] = value; break;
        }
    }

    // ---- running -------------------------------------------------------------------------------

    /// <summary>
    /// Runs from <paramref name="begin"/> (bit 0 set: Thumb, as in Unicorn) until the PC reaches
    /// <paramref name="until"/>, <paramref name="count"/> instructions have run, <paramref name="timeout"/>
    /// has passed (host time), something calls <see cref="Stop"/>, or (with
    /// <see cref="ExceptionPolicy.StopOnFault"/>) a fault.
    /// </summary>
    public RunResult Run(uint begin, uint? until = null, long count = long.MaxValue, TimeSpan? timeout = null)
    {
        Cpu.T = (begin & 1) != 0;
        Cpu.PC = begin;
        return Continue(until, count, timeout);
    }

    /// <summary>As <see cref="Run(uint, uint?, long, TimeSpan?)"/>, stopping at whichever of <paramref name="exits"/> comes first.</summary>
    public RunResult Run(uint begin, uint[] exits, long count = long.MaxValue, TimeSpan? timeout = null)
    {
        Cpu.T = (begin & 1) != 0;
        Cpu.PC = begin;
        return Continue(exits, count, timeout);
    }

    /// <summary>Runs on from the current PC and state.</summary>
    public RunResult Continue(uint? until = null, long count = long.MaxValue, TimeSpan? timeout = null) =>
        RunCore(until, null, count, timeout);

    /// <summary>Runs on from the current PC and state until one of <paramref name="exits"/>.</summary>
    public RunResult Continue(uint[] exits, long count = long.MaxValue, TimeSpan? timeout = null) =>
        RunCore(null, exits, count, timeout);

    private RunResult RunCore(uint? until, uint[]? exits, long count, TimeSpan? timeout)
    {
        _error = EmulatorError.None;
        _faultAddress = 0;
        _timedOut = false;
        Cpu.HaltRequested = false;
        var hooks = this.Hooks();
        hooks.StartNewBlock();
        if (exits is { Length: 1 }) until = exits[0];
        else if (exits is { Length: > 1 }) hooks.SetExitAddresses(exits);
        hooks.RunUntil = until;
        ulong before = Cpu.InstructionsExecuted;
        StopReason reason;
        using (var timer = timeout is { } t ? new Timer(_ => { _timedOut = true; Cpu.RequestStop(); }, null, t, Timeout.InfiniteTimeSpan) : null)
        {
            try
            {
                reason = Cpu.Run(count, until);
            }
            finally
            {
                if (exits is { Length: > 1 }) hooks.SetExitAddresses([]);
                hooks.RunUntil = null;
            }
        }
        bool atExit = exits is { Length: > 1 } && Array.IndexOf(exits, Cpu.PC) >= 0 && reason == StopReason.Requested && _error == EmulatorError.None;
        if (atExit) reason = StopReason.Address;
        return new RunResult(reason, _error, Cpu.PC, Cpu.InstructionsExecuted - before, _faultAddress)
        {
            TimedOut = _timedOut && reason == StopReason.Requested && _error == EmulatorError.None,
        };
    }

    /// <summary>
    /// Stops a run in progress: from a code or block hook before the hooked instruction, from
    /// another hook after the current instruction, from another thread within an instruction.
    /// </summary>
    public void Stop() => MachineExtensions.Stop(this);

    // ---- hooks (the Unicorn-shaped ones; every hook is on Hooks()) -------------------------------

    /// <summary>Calls <paramref name="callback"/>(emulator, address, thumb) before each instruction in [begin, end].</summary>
    public HookHandle HookCode(Action<Emulator, uint, bool> callback, uint begin = 0, uint end = uint.MaxValue) =>
        this.Hooks().Code((_, address, _) => callback(this, address, Cpu.T), begin, end);

    /// <summary>Calls <paramref name="callback"/> for each guest data access (and fetch) in [begin, end]: reads and fetches after, writes before.</summary>
    public HookHandle HookMemory(Action<Emulator, MemoryAccess> callback, uint begin = 0, uint end = uint.MaxValue) =>
        this.Hooks().Memory((_, access) => callback(this, access), MemoryHookKinds.Default, begin, end);

    /// <summary>Calls <paramref name="callback"/>(emulator, kind, instruction word) for SVC and BKPT, as UC_HOOK_INTR.</summary>
    public HookHandle HookInterrupt(Action<Emulator, ExceptionKind, uint> callback)
    {
        _interruptHooks.Add(callback);
        return new HookHandle(() => _interruptHooks.Remove(callback));
    }

    private ExceptionDisposition OnException(Cpu.Cpu cpu, in CpuException exception)
    {
        bool software = exception.Kind == ExceptionKind.SupervisorCall
                        || (exception.Kind == ExceptionKind.PrefetchAbort && exception.Fault is null);
        if (software)
            foreach (var hook in _interruptHooks.ToArray()) hook(this, exception.Kind, exception.Opcode);
        if (ExceptionPolicy == ExceptionPolicy.Architectural) return ExceptionDisposition.Enter;
        if (software) return ExceptionDisposition.Resume;
        if (exception.Kind is ExceptionKind.Irq or ExceptionKind.Fiq) return ExceptionDisposition.Enter;

        _faultAddress = exception.Fault?.Address ?? exception.InstructionAddress;
        _error = exception.Fault is not { } fault ? EmulatorError.InvalidInstruction : ErrorOf(fault);
        return ExceptionDisposition.Stop;
    }

    private static EmulatorError ErrorOf(MemoryFault fault)
    {
        bool fetch = (fault.Access & AccessKind.Fetch) != 0, write = (fault.Access & AccessKind.Write) != 0;
        return fault.Kind switch
        {
            FaultKind.Unmapped => fetch ? EmulatorError.FetchUnmapped : write ? EmulatorError.WriteUnmapped : EmulatorError.ReadUnmapped,
            FaultKind.Permission => fetch ? EmulatorError.FetchProtected : write ? EmulatorError.WriteProtected : EmulatorError.ReadProtected,
            FaultKind.Alignment => EmulatorError.Alignment,
            _ => EmulatorError.Translation,
        };
    }

    /// <summary>Frees the emulator's memory and unpins any buffer of the caller's that was mapped as RAM (the buffer itself stays the caller's).</summary>
    public void Dispose()
    {
        Memory.Dispose();
        Bus.Dispose();
        foreach (var (_, pinned) in _ram) pinned?.Free();
        _ram.Clear();
    }
}
