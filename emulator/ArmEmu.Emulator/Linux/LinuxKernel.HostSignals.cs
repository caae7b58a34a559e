namespace ArmEmu.Emulator.Linux;

/// <summary>
/// Signals sent to the armemu process itself (Ctrl-C at a terminal, kill from a shell or a
/// supervisor), forwarded to the guest as qemu-arm does: the embedder registers for them
/// (armemu's CLI: SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGUSR1, SIGUSR2) and posts each with
/// <see cref="PostHostSignal"/> from whatever thread the host delivered it on. The kernel sends
/// it to the first process as kill(2) would (si_code SI_USER) between two slices, so its
/// handler runs, or its default action ends the run -- the embedder then writes what it
/// writes at exit (stats, profile, trace) and may die of the same signal.
/// </summary>
internal sealed partial class LinuxKernel
{
    // In arrival order, under a lock of its own. Not a ConcurrentQueue: that loaded the
    // System.Collections.Concurrent assembly and its types at every start-up, for a queue that is
    // almost always empty. The scheduler tests HasHostSignals (a volatile read) between slices.
    private readonly List<int> _hostSignals = [];
    private volatile bool _hostSignalsPending;

    private bool HasHostSignals => _hostSignalsPending;

    /// <summary>
    /// Set when the embedder forwards host signals: a thread alone then waits for a descriptor in
    /// the scheduler (which notices a forwarded signal within 50 ms) rather than in the host call.
    /// </summary>
    public bool ForwardsHostSignals { get; set; }

    /// <summary>Queues host signal <paramref name="signal"/> for the first guest process. Safe from any thread.</summary>
    public void PostHostSignal(int signal)
    {
        if (signal is < 1 or > 64) throw new ArgumentOutOfRangeException(nameof(signal));
        lock (_hostSignals)
        {
            _hostSignals.Add(signal);
            _hostSignalsPending = true;
        }
        Cpu.RequestStop();
    }

    private void TakeHostSignals()
    {
        while (true)
        {
            int signal;
            lock (_hostSignals)
            {
                if (_hostSignals.Count == 0)
                {
                    _hostSignalsPending = false;
                    return;
                }
                signal = _hostSignals[0];
                _hostSignals.RemoveAt(0);
            }
            if (!InitialProcess.HasExited) SendProcessSignal(InitialProcess, signal, SigInfo(signal, SignalCode.SI_USER));
        }
    }
}
