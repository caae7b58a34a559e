using System.Runtime.InteropServices;
using ArmEmu.Emulator.Linux;

namespace ArmEmu.Cli;

/// <summary>
/// armemu run forwards the signals a user or a supervisor sends it to the guest, as qemu-arm
/// does (SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGUSR1, SIGUSR2): the .NET runtime's default
/// handling (ending armemu at once, losing --stats, --profile and --trace) is cancelled and the
/// signal posted to the kernel, which delivers it to the first guest process. If the guest
/// does not handle it, its default action ends the run; armemu then writes what it writes at
/// exit and dies of that signal (<see cref="ExitBySignal"/>).
/// </summary>
internal sealed class HostSignalForwarding : IDisposable
{
    private static readonly int[] Forwarded = [1, 2, 3, 10, 12, 15]; // SIGHUP SIGINT SIGQUIT SIGUSR1 SIGUSR2 SIGTERM

    private readonly List<PosixSignalRegistration> _registrations = [];

    public HostSignalForwarding(LinuxKernel kernel)
    {
        kernel.ForwardsHostSignals = true;
        foreach (int signal in Forwarded)
        {
            // The named values for the signals .NET names (its own negative numbers), raw numbers for the others.
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
                context.Cancel = true;
                kernel.PostHostSignal(signal);
            }));
        }
    }

    public void Dispose()
    {
        foreach (var r in _registrations) r.Dispose();
    }
}
