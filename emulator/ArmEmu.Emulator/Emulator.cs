using ArmEmu.Cpu;
using ArmEmu.Memory;

namespace ArmEmu.Emulator;

/// <summary>How exceptions raised by guest code are treated by <see cref="Emulator.Run"/>.</summary>
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
    None,
    InvalidInstruction,
    ReadUnmapped,
    WriteUnmapped,
    FetchUnmapped,
    ReadProtected,
    WriteProtected,
    FetchProtected,
    /// <summary>A fault an MMU produced (its FSR is in the fault).</summary>
    Translation,
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
    public bool Ok => Error == EmulatorError.None;
}

/// <summary>One memory access seen by a memory hook.</summary>
public readonly record struct MemoryAccess(uint Address, int Size, bool IsWrite, bool IsFetch, uint Value);

/// <summary>A registered hook; dispose it to remove the hook.</summary>
public sealed class HookHandle : IDisposable
{
    private Action? _remove;

    internal HookHandle(Action remove) => _remove = remove;

    public void Dispose()
    {
        _remove?.Invoke();
        _remove = null;
    }
}

/// <summary>
/// The embeddable ARM machine with the reach Unicorn users expect: create it
/// for a CPU model, map memory, read and write registers and memory, run until
/// an address or an instruction count, and hook instructions, memory accesses
/// and exceptions. No MMU: virtual addresses are physical, with per-page rights.
/// </summary>
public sealed class Emulator : IDisposable
{
    private readonly FlatTranslation _flat = new();
    private readonly List<(uint Begin, uint End, Action<Emulator, uint, bool> Callback)> _codeHooks = new();
    private readonly List<(uint Begin, uint End, Action<Emulator, MemoryAccess> Callback)> _memoryHooks = new();
    private readonly List<Action<Emulator, ExceptionKind, uint>> _interruptHooks = new();
    private readonly MemoryHookObserver _observer;
    private readonly Dictionary<uint, RamRegion> _regions = new();
    private EmulatorError _error;
    private uint _faultAddress;

    public Emulator(CpuModel model)
    {
        Bus = new PhysicalBus();
        Memory = new MemoryPort(Bus, _flat);
        Cpu = new Cpu.Cpu(model, Memory) { ExceptionHandler = OnException };
        _observer = new MemoryHookObserver(this);
    }

    /// <summary>Creates an emulator for a CPU model by name ("arm926").</summary>
    public static Emulator Create(string cpuModel = "arm926") =>
        new(CpuModel.Find(cpuModel) ?? throw new ArgumentException($"unknown CPU model '{cpuModel}' (known: {string.Join(", ", CpuModel.All.Select(m => m.Name))})"));

    public Cpu.Cpu Cpu { get; }

    public PhysicalBus Bus { get; }

    public MemoryPort Memory { get; }

    public ExceptionPolicy ExceptionPolicy { get; set; } = ExceptionPolicy.StopOnFault;

    /// <summary>
    /// Assembles <paramref name="source"/> (GNU as, unified syntax) for this emulator's CPU model,
    /// linked at <paramref name="origin"/>, e.g. <c>emu.Assemble("ldr r0, [r1]")</c>; cached by content
    /// (<see cref="GnuAssembler"/>). Throws <see cref="AssemblerException"/> with the assembler's lines.
    /// </summary>
    public byte[] Assemble(string source, uint origin = 0, bool thumb = false) =>
        GnuAssembler.Assemble(source, Cpu.Model, origin, thumb);

    // ---- memory --------------------------------------------------------------------------------

    /// <summary>Maps zeroed RAM at a page-aligned address, as uc_mem_map.</summary>
    public void MapMemory(uint address, uint size, Permission rights = Permission.All)
    {
        var region = Bus.AddRam(address, size, $"ram@{address:x8}");
        _regions[address] = region;
        _flat.Map(address, size, rights);
    }

    /// <summary>Unmaps a region mapped by <see cref="MapMemory"/> (whole regions only).</summary>
    public void UnmapMemory(uint address, uint size)
    {
        if (!_regions.Remove(address, out var region) || region.Size != size)
            throw new ArgumentException($"no mapping of exactly 0x{size:x} bytes at 0x{address:x8}");
        _flat.Unmap(address, size);
        Bus.RemoveRam(region);
    }

    /// <summary>Changes the rights of mapped pages, as uc_mem_protect.</summary>
    public void ProtectMemory(uint address, uint size, Permission rights) => _flat.Protect(address, size, rights);

    /// <summary>Puts a device on the bus; its range is mapped read/write.</summary>
    public void MapDevice(uint address, IMmioDevice device)
    {
        Bus.AddDevice(address, device);
        uint start = address & ~PhysicalBus.PageMask;
        uint end = (uint)Math.Min(0xFFFF_F000UL, ((ulong)address + device.Size + PhysicalBus.PageMask) & ~(ulong)PhysicalBus.PageMask);
        _flat.Map(start, end - start, Permission.Read | Permission.Write);
    }

    public byte[] ReadMemory(uint address, int length)
    {
        var data = new byte[length];
        if (!Memory.DebugRead(address, data))
            throw new ArgumentException($"memory 0x{address:x8}+0x{length:x} is not all mapped");
        return data;
    }

    public void WriteMemory(uint address, ReadOnlySpan<byte> data)
    {
        if (!Memory.DebugWrite(address, data))
            throw new ArgumentException($"memory 0x{address:x8}+0x{data.Length:x} is not all mapped");
    }

    public uint ReadWord(uint address) => BitConverter.ToUInt32(ReadMemory(address, 4));

    public void WriteWord(uint address, uint value) => WriteMemory(address, BitConverter.GetBytes(value));

    // ---- registers -----------------------------------------------------------------------------

    public uint ReadRegister(ArmRegister register) => register switch
    {
        ArmRegister.PC => Cpu.PC,
        ArmRegister.Cpsr => Cpu.Cpsr,
        ArmRegister.Spsr => Cpu.Spsr,
        _ => Cpu.R[(int)register],
    };

    public void WriteRegister(ArmRegister register, uint value)
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
    /// <paramref name="until"/>, <paramref name="count"/> instructions have run, a hook calls
    /// <see cref="Stop"/>, or (with <see cref="ExceptionPolicy.StopOnFault"/>) a fault.
    /// </summary>
    public RunResult Run(uint begin, uint? until = null, long count = long.MaxValue)
    {
        Cpu.T = (begin & 1) != 0;
        Cpu.PC = begin;
        return Continue(until, count);
    }

    /// <summary>Runs on from the current PC and state.</summary>
    public RunResult Continue(uint? until = null, long count = long.MaxValue)
    {
        _error = EmulatorError.None;
        _faultAddress = 0;
        ulong before = Cpu.InstructionsExecuted;
        var reason = Cpu.Run(count, until);
        return new RunResult(reason, _error, Cpu.PC, Cpu.InstructionsExecuted - before, _faultAddress);
    }

    /// <summary>Stops a run in progress after the current instruction (from a hook).</summary>
    public void Stop() => Cpu.RequestStop();

    // ---- hooks ---------------------------------------------------------------------------------

    /// <summary>Calls <paramref name="callback"/>(emulator, address, thumb) before each instruction in [begin, end].</summary>
    public HookHandle HookCode(Action<Emulator, uint, bool> callback, uint begin = 0, uint end = uint.MaxValue)
    {
        var entry = (begin, end, callback);
        _codeHooks.Add(entry);
        Cpu.InstructionHook = OnInstruction;
        return new HookHandle(() =>
        {
            _codeHooks.Remove(entry);
            if (_codeHooks.Count == 0) Cpu.InstructionHook = null;
        });
    }

    /// <summary>Calls <paramref name="callback"/> for each guest data access (and fetch) in [begin, end].</summary>
    public HookHandle HookMemory(Action<Emulator, MemoryAccess> callback, uint begin = 0, uint end = uint.MaxValue)
    {
        var entry = (begin, end, callback);
        _memoryHooks.Add(entry);
        Memory.Observer = _observer;
        return new HookHandle(() =>
        {
            _memoryHooks.Remove(entry);
            if (_memoryHooks.Count == 0) Memory.Observer = null;
        });
    }

    /// <summary>Calls <paramref name="callback"/>(emulator, kind, instruction word) for SVC and BKPT, as UC_HOOK_INTR.</summary>
    public HookHandle HookInterrupt(Action<Emulator, ExceptionKind, uint> callback)
    {
        _interruptHooks.Add(callback);
        return new HookHandle(() => _interruptHooks.Remove(callback));
    }

    private void OnInstruction(Cpu.Cpu cpu, uint address, bool thumb)
    {
        foreach (var (begin, end, callback) in _codeHooks)
            if (address >= begin && address <= end) callback(this, address, thumb);
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

    public void Dispose()
    {
        Memory.Dispose();
        Bus.Dispose();
    }

    private sealed class MemoryHookObserver(Emulator owner) : IMemoryObserver
    {
        public void OnAccess(uint va, uint pa, int size, AccessKind access, uint value)
        {
            if ((access & AccessKind.Debug) != 0) return;
            var a = new MemoryAccess(va, size, (access & AccessKind.Write) != 0, (access & AccessKind.Fetch) != 0, value);
            foreach (var (begin, end, callback) in owner._memoryHooks)
                if (va >= begin && va <= end) callback(owner, a);
        }
    }
}
