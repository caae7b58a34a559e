using System.Runtime.InteropServices;
using ArmEmu.Emulator.Linux;

namespace ArmEmu.Cli;

/// <summary>
/// armemu run forwards the signals a user or a supervisor sends it to the guest, as qemu-arm
/// does (SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGUSR1, SIGUSR2, and the job-control ones SIGTSTP,
/// SIGTTIN, SIGTTOU and SIGCONT): the .NET runtime's default handling (ending armemu at once,
/// losing --stats, --profile and --trace; or stopping it behind the guest's back) is cancelled
/// and the signal posted to the kernel, which delivers it to the first guest process. If the
/// guest does not handle it, its default action applies: a fatal one ends the run, and armemu
/// then writes what it writes at exit and dies of that signal (<see cref="ExitBySignal"/>); a
/// stop stops the guest, and armemu stops itself with SIGSTOP (qemu-arm's kill(getpid(),
/// SIGSTOP) in handle_pending_signal), so the shell sees the job stopped; the SIGCONT that
/// continues armemu (fg, kill -CONT) continues the guest. In an orphaned process group (armemu
/// under setsid, or its shell gone) the kernel discards SIGTSTP, SIGTTIN and SIGTTOU at their
/// default action, as Linux does, so armemu does not stop on them there.
/// </summary>
internal sealed partial class HostSignalForwarding : IDisposable
{
    // SIGHUP SIGINT SIGQUIT SIGUSR1 SIGUSR2 SIGTERM SIGCONT SIGTSTP SIGTTIN SIGTTOU
    private static readonly int[] Forwarded = [1, 2, 3, 10, 12, 15, 18, 20, 21, 22];
    private const int SigStop = 19, SigCont = 18;

    private readonly List<PosixSignalRegistration> _registrations = [];
    private readonly LinuxKernel _kernel;

    public HostSignalForwarding(LinuxKernel kernel)
    {
        _kernel = kernel;
        kernel.ForwardsHostSignals = true;
        kernel.InitialProcessStopped += StopArmemu;
        foreach (int signal in Forwarded)
        {
            // The named values for the four signals .NET names on every platform (its own negative
            // numbers), raw numbers for the others (the job-control names are Unix-only).
            var posix = signal switch
            {
                1 => PosixSignal.SIGHUP,
                2 => PosixSignal.SIGINT,
                3 => PosixSignal.SIGQUIT,
                15 => PosixSignal.SIGTERM,
                _ => (PosixSignal)signal,
            };
            _registrations.Add(PosixSignalRegistration.Create(posix, context =>
            {
                // SIGCONT keeps the runtime's own handling too (it puts the terminal back as it was).
                context.Cancel = signal != SigCont;
                kernel.PostHostSignal(signal);
            }));
        }
    }

    /// <summary>The first guest process stopped: armemu stops with it until a SIGCONT (which is forwarded to the guest).</summary>
    private static void StopArmemu(int signal)
    {
        _ = signal;
        Console.Out.Flush();
        Console.Error.Flush();
        Kill(Environment.ProcessId, SigStop);
    }

    public void Dispose()
    {
        _kernel.InitialProcessStopped -= StopArmemu;
        foreach (var r in _registrations) r.Dispose();
    }

    [LibraryImport(HostLibc.Libc, EntryPoint = "kill")]
    private static partial int Kill(int pid, int signal);
}
