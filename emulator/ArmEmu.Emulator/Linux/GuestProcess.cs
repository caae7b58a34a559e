using ArmEmu.Memory;

namespace ArmEmu.Emulator.Linux;

/// <summary>
/// One emulated Linux process (a thread group): its address space, the program it runs
/// (<see cref="ExecImage"/>), brk, the signal dispositions its threads share, the state its
/// file descriptors carry in the emulated kernel, its threads, and what its parent may reap.
/// Linux keeps the same split: mm_struct, signal_struct/sighand_struct and files_struct
/// belong to the thread group, the rest to each task (<see cref="GuestThread"/>).
/// </summary>
internal sealed class GuestProcess
{
    internal GuestProcess(int pid, GuestProcess? parent, ProcessAddressSpace addressSpace, ExecImage image)
    {
        Pid = pid;
        Parent = parent;
        AddressSpace = addressSpace;
        Image = image;
        Brk = image.BrkStart;
    }

    /// <summary>The process id (the thread-group id: its first thread's tid).</summary>
    public int Pid { get; }

    public GuestProcess? Parent { get; internal set; }

    /// <summary>The process's pages (shared by its threads).</summary>
    public ProcessAddressSpace AddressSpace { get; internal set; }

    /// <summary>The program the process runs (replaced by execve).</summary>
    public ExecImage Image { get; internal set; }

    public uint Brk { get; internal set; }

    /// <summary>Instructions run by threads no longer in <see cref="Threads"/> (ended before an execve).</summary>
    internal ulong InstructionsOfEndedThreads { get; set; }

    /// <summary>The process's threads, the first (whose tid is the pid) first.</summary>
    internal List<GuestThread> Threads { get; } = [];

    /// <summary>sigaction per signal 1..64 (index 0 unused), shared by the threads (sighand_struct).</summary>
    internal (uint Handler, uint Flags, uint Restorer, ulong Mask)[] SignalActions { get; } = new (uint, uint, uint, ulong)[65];

    /// <summary>Descriptors open on the emulated /dev/mem, and whether each was opened with O_SYNC.</summary>
    internal Dictionary<int, bool> DevMemDescriptors { get; } = new();

    /// <summary>
    /// Descriptors open on /dev/urandom or /dev/random while the randomness is seeded: their
    /// reads come from the kernel's seeded source (<see cref="LinuxKernel.Random"/>).
    /// </summary>
    internal HashSet<int> SeededRandomDescriptors { get; } = [];

    /// <summary>
    /// Pages of file mappings that lie wholly past the end of the file: touching one is SIGBUS
    /// (BUS_ADRERR), not SIGSEGV (mm/filemap.c, filemap_fault). They stay mapped, without rights.
    /// </summary>
    internal HashSet<uint> PagesBeyondEndOfFile { get; } = [];

    /// <summary>The process's resource limits (the guest's own; the host's are never changed).</summary>
    public ResourceLimits Limits { get; internal set; } = null!;

    /// <summary>The process's descriptors (files_struct).</summary>
    public FileTable Files { get; internal set; } = null!;

    /// <summary>Process group and session ids (the first process takes the host's).</summary>
    public int ProcessGroup { get; internal set; }

    public int Session { get; internal set; }

    /// <summary>The children not yet reaped (running or zombies), in the order they were made.</summary>
    internal List<GuestProcess> Children { get; } = [];

    /// <summary>The signal the parent gets when this process ends (clone's low byte: SIGCHLD for fork), 0 for none.</summary>
    internal int ExitSignal { get; set; } = (int)Signal.SIGCHLD;

    /// <summary>The wait status its parent reaps: (code &lt;&lt; 8) for exit, the signal number for a fatal signal.</summary>
    internal int WaitStatus { get; set; }

    /// <summary>True once every thread has gone (a zombie until its parent reaps it).</summary>
    public bool HasExited => ExitStatus is not null;

    /// <summary>Stopped by a stop signal (SIGNAL_STOP_STOPPED): no thread runs until a SIGCONT.</summary>
    public bool Stopped { get; internal set; }

    /// <summary>The signal that stopped the process last.</summary>
    internal int StopSignal { get; set; }

    /// <summary>The stop signal a wait with WUNTRACED/WSTOPPED has yet to report (0: none; group_exit_code).</summary>
    internal int StopToReport { get; set; }

    /// <summary>Continued since the last wait with WCONTINUED (SIGNAL_STOP_CONTINUED).</summary>
    internal bool ContinueToReport { get; set; }

    /// <summary>A child made with CLONE_VFORK whose parent waits until it execs or exits.</summary>
    internal bool VforkPending { get; set; }

    /// <summary>The host process running the program this process execve'd when it was not an ARM ELF (0: none).</summary>
    internal int HostPid { get; set; }

    /// <summary>A host descriptor of the working directory (the host has one cwd; it follows the running process).</summary>
    internal int WorkingDirectory { get; set; } = -1;

    /// <summary>Takes the host's current working directory as the process's (after chdir, fchdir, or at start).</summary>
    internal void RememberWorkingDirectory()
    {
        if (WorkingDirectory >= 0) HostLibc.Close(WorkingDirectory);
        WorkingDirectory = HostLibc.OpenDirectory(".");
    }

    /// <summary>The exit status (exit code, or 128 + the signal that ended it) once the process has exited.</summary>
    public int? ExitStatus { get; internal set; }

    /// <summary>For a process ended by a fatal signal: the one-line description printed at exit.</summary>
    public string? FatalSignalMessage { get; internal set; }

    /// <summary>The signal that ended the process, when one did (armemu then dies of it too).</summary>
    public int? TerminatingSignal { get; internal set; }
}
