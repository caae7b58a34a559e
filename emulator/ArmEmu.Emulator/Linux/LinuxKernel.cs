using System.Buffers;
using System.Text;
using ArmEmu.Cpu;
using ArmEmu.Emulator.Machine;
using ArmEmu.Memory;

namespace ArmEmu.Emulator.Linux;

/// <summary>
/// The emulated Linux kernel: system calls (svc #0, number in r7, arguments in r0-r6,
/// result or -errno in r0), the ARM private calls, and signals, for the processes
/// (<see cref="GuestProcess"/>) and threads (<see cref="GuestThread"/>) it runs on one
/// <see cref="LinuxMachine"/>. Calls that touch the outside world pass through to the host
/// C library, as qemu-arm does; everything about the guest's memory and CPU state is done
/// here. A call acts for the thread that holds the CPU (<see cref="CurrentThread"/>) and
/// reads and writes user memory through the CPU's memory port, so it sees exactly what
/// that process sees. Kernel-wide state lives here: the process table and the page cache
/// of MAP_SHARED file pages.
/// </summary>
internal sealed unsafe partial class LinuxKernel
{
    private readonly bool _makeCoherent;

    internal LinuxKernel(LinuxMachine machine, string? sysRoot, bool makeCoherent)
    {
        Machine = machine;
        SysRoot = sysRoot;
        _makeCoherent = makeCoherent;
    }

    public LinuxMachine Machine { get; }

    private Cpu.Cpu Cpu => Machine.Cpu;

    private MemoryPort Memory => Machine.Memory;

    private ProcessAddressSpace Space => CurrentProcess.AddressSpace;

    /// <summary>The -L prefix for absolute guest paths, without a trailing slash; null if none.</summary>
    public string? SysRoot { get; }

    /// <summary>Where --strace output goes (null: off).</summary>
    public TextWriter? Strace { get; set; }

    /// <summary>The thread that holds the CPU: the one system calls and faults act for.</summary>
    public GuestThread CurrentThread { get; private set; } = null!;

    /// <summary>The process of <see cref="CurrentThread"/>.</summary>
    public GuestProcess CurrentProcess => CurrentThread.Process;

    /// <summary>The process the run started with; its exit ends the run.</summary>
    public GuestProcess InitialProcess { get; private set; } = null!;

    /// <summary>Set when the first process has exited (exit, exit_group, or a fatal signal).</summary>
    public int? ExitStatus => InitialProcess.ExitStatus;

    /// <summary>For a fatal signal that ended the first process: the one-line description printed at exit.</summary>
    public string? FatalSignalMessage => InitialProcess.FatalSignalMessage;

    /// <summary>The signal that ended the first process, when one did (its exit status is then 128 + it).</summary>
    public int? TerminatingSignal => InitialProcess.TerminatingSignal;

    /// <summary>Where unimplemented calls are named, once each (null: silent).</summary>
    public TextWriter? Diagnostics { get; set; }

    /// <summary>The source of AT_RANDOM, getrandom and /dev/urandom reads (seeded by default).</summary>
    public GuestRandom Random { get; init; } = new(GuestRandom.DefaultSeed);

    /// <summary>The main thread's stack size for programs this kernel starts (qemu-arm's -s).</summary>
    public uint StackSize { get; init; } = ExecImage.DefaultStackSize;

    /// <summary>The release uname reports instead of the host's (qemu-arm's -r); null: the host's.</summary>
    public string? UnameRelease { get; init; }

    /// <summary>
    /// Starts the first process: <paramref name="path"/> loaded into the machine's initial
    /// address space, one thread at its entry. Its pid is the host's (what qemu-arm's guest
    /// sees, and what host tools such as kill name it by).
    /// </summary>
    internal void Start(string path, IReadOnlyList<string> arguments, IReadOnlyList<string> environment)
    {
        var space = Machine.InitialAddressSpace;
        var image = ExecImage.Load(Machine, space, path, arguments, environment, SysRoot, Random, StackSize);
        var process = new GuestProcess(HostLibc.GetPid(), null, space, image)
        {
            Files = FileTable.ForFirstProcess(),
            Limits = ResourceLimits.FromHost(),
            ProcessGroup = HostLibc.GetPGid(0),
            Session = HostLibc.GetSid(0),
        };
        process.RememberWorkingDirectory();
        var thread = new GuestThread(process.Pid, process);
        process.Threads.Add(thread);
        _processes[process.Pid] = process;
        _threads.Add(thread);
        _lastId = process.Pid;
        InitialProcess = process;
        CurrentThread = thread;
        Cpu.ExceptionHandler = OnException;
        image.Enter(Cpu);
    }

    /// <summary>The core's exception hook: system calls, and faults turned into signals.</summary>
    internal ExceptionDisposition OnException(Cpu.Cpu cpu, in CpuException e)
    {
        CurrentThread.TrapAddress = e.InstructionAddress;
        switch (e.Kind)
        {
            case ExceptionKind.SupervisorCall:
                // A system call returns to the next instruction unless it moves the PC itself
                // (sigreturn, breakpoint); signals delivered on the way out save that PC.
                cpu.PC = e.InstructionAddress + (cpu.T ? 2u : 4u);
                if (Semihosting.ArmSemihosting.IsSemihostingCall(e.Opcode, cpu.T)) HandleSemihosting();
                else if (!cpu.T && (e.Opcode & 0xFF_FFFF) != 0) HandleSyscall((e.Opcode & 0xFF_FFFF) ^ OldAbiBase, oldAbi: true);
                else HandleSyscall(cpu.R[7]);
                break;
            case ExceptionKind.Undefined:
                // do_undefinstr: the saved PC is the undefined instruction itself.
                cpu.PC = e.InstructionAddress;
                RaiseSynchronousSignal(Signal.SIGILL, SignalCode.ILL_ILLOPC, e.InstructionAddress);
                break;
            case ExceptionKind.PrefetchAbort when e.Fault is null: // BKPT
                cpu.PC = e.InstructionAddress;
                RaiseSynchronousSignal(Signal.SIGTRAP, SignalCode.TRAP_BRKPT, e.InstructionAddress);
                break;
            case ExceptionKind.PrefetchAbort or ExceptionKind.DataAbort:
                // A faulting instruction is re-executed when its handler returns.
                cpu.PC = e.InstructionAddress;
                var fault = e.Fault!;
                if (fault.Kind == FaultKind.Permission && (fault.Access & AccessKind.Write) != 0 && BreakCopyOnWrite(fault.Address))
                    return ExceptionDisposition.Resume; // the store runs again, on the process's own copy
                if (fault.Kind == FaultKind.Alignment)
                    RaiseSynchronousSignal(Signal.SIGBUS, SignalCode.BUS_ADRALN, fault.Address);
                else if (IsBeyondEndOfFile(fault.Address))
                    RaiseSynchronousSignal(Signal.SIGBUS, SignalCode.BUS_ADRERR, fault.Address);
                else
                    RaiseSynchronousSignal(Signal.SIGSEGV,
                        fault.Kind == FaultKind.Permission ? SignalCode.SEGV_ACCERR : SignalCode.SEGV_MAPERR, fault.Address);
                break;
            default:
                return ExceptionDisposition.Enter;
        }
        if (CurrentProcess.ExitStatus is not null)
        {
            cpu.RequestStop();
            return ExceptionDisposition.Stop;
        }
        DeliverPendingSignals();
        return ExceptionDisposition.Resume;
    }

    /// <summary>exit_group: ends the current process with <paramref name="status"/> (the CPU stops after the current instruction).</summary>
    private void Exit(int status) => ExitProcess(CurrentProcess, waitStatus: (status & 0xFF) << 8, exitStatus: status & 0xFF);

    // ---- user memory ---------------------------------------------------------------------

    /// <summary>copy_from_user: false (EFAULT) if any byte is unmapped or not readable by the process.</summary>
    internal bool ReadUser(uint address, Span<byte> destination)
    {
        if (!UserRange(address, (uint)destination.Length, Permission.Read)) return false;
        if (Machine.Caches is null) return Memory.DebugRead(address, destination);
        // With caches, the kernel's loads go through the same D-cache the process uses.
        Memory.ReadBlock(address, destination);
        return true;
    }

    /// <summary>copy_to_user: false (EFAULT) if any byte is unmapped or not writable by the process.</summary>
    internal bool WriteUser(uint address, ReadOnlySpan<byte> source)
    {
        if (!UserRange(address, (uint)source.Length, Permission.Write)) return false;
        if (Machine.Caches is null) return Memory.DebugWrite(address, source);
        Memory.WriteBlock(address, source);
        return true;
    }

    /// <summary>__copy_to_user after the range was checked (<see cref="UserRange"/>): the stores go through the caches when they are on.</summary>
    private void CopyToUser(uint address, ReadOnlySpan<byte> source)
    {
        if (Machine.Caches is null) Memory.DebugWrite(address, source);
        else Memory.WriteBlock(address, source);
    }

    private bool UserRange(uint address, uint length, Permission need)
    {
        if (length == 0) return true;
        if ((ulong)address + length > 1UL << 32) return false;
        for (ulong page = address & ~(ulong)PhysicalBus.PageMask; page < (ulong)address + length; page += PhysicalBus.PageSize)
            if (!Space.IsMapped((uint)page) || (Space.RightsOf((uint)page) & need) == 0) return false;
        // copy_to_user faults on a copy-on-write page like a store and gets a private copy.
        if (need == Permission.Write)
            for (ulong page = address & ~(ulong)PhysicalBus.PageMask; page < (ulong)address + length; page += PhysicalBus.PageSize)
                BreakCopyOnWrite((uint)page);
        return true;
    }

    internal bool ReadUser32(uint address, out uint value)
    {
        Span<byte> b = stackalloc byte[4];
        bool ok = ReadUser(address, b);
        value = BitConverter.ToUInt32(b);
        return ok;
    }

    internal bool WriteUser32(uint address, uint value)
    {
        Span<byte> b = stackalloc byte[4];
        BitConverter.TryWriteBytes(b, value);
        return WriteUser(address, b);
    }

    internal bool WriteUser64(uint address, ulong value)
    {
        Span<byte> b = stackalloc byte[8];
        BitConverter.TryWriteBytes(b, value);
        return WriteUser(address, b);
    }

    /// <summary>strncpy_from_user: a NUL-terminated string of at most <paramref name="max"/> bytes, or null (EFAULT/ENAMETOOLONG).</summary>
    internal byte[]? ReadUserString(uint address, int max = 4096)
    {
        var bytes = new List<byte>(64);
        Span<byte> one = stackalloc byte[1];
        for (int i = 0; i < max; i++)
        {
            if (!ReadUser(address + (uint)i, one)) return null;
            if (one[0] == 0) return [.. bytes, 0];
            bytes.Add(one[0]);
        }
        return null;
    }

    private static string Printable(byte[]? cString) =>
        cString is null ? "<bad>" : "\"" + Encoding.UTF8.GetString(cString, 0, cString.Length - 1) + "\"";

    /// <summary>A pooled buffer for copying between guest memory and host calls.</summary>
    private static byte[] Rent(int size) => ArrayPool<byte>.Shared.Rent(Math.Max(size, 1));

    private static void Return(byte[] buffer) => ArrayPool<byte>.Shared.Return(buffer);
}
