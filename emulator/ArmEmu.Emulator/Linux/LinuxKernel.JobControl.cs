using System.Buffers.Binary;

namespace ArmEmu.Emulator.Linux;

/// <summary>
/// Job control (kernel/signal.c): SIGSTOP, and SIGTSTP, SIGTTIN or SIGTTOU at their default
/// action, stop the whole process -- every thread, until a SIGCONT (do_signal_stop); SIGCONT
/// continues a stopped process whatever its disposition, and each discards the other's pending
/// signals (prepare_signal). The parent learns of both: SIGCHLD with CLD_STOPPED or
/// CLD_CONTINUED (none with SA_NOCLDSTOP), and wait4 with WUNTRACED or WCONTINUED, waitid with
/// WSTOPPED or WCONTINUED, report each once (do_notify_parent_cldstop, wait_task_stopped,
/// wait_task_continued).
/// <para>
/// A stop signal at its default action and not blocked stops the process when it is sent, not
/// when a thread would take it: a thread blocked in a call stays in it and goes on once
/// continued, as Linux restarts a call that a stop interrupted (no handler ran). SIGKILL ends a
/// stopped process at once; every other signal waits for the SIGCONT (wants_signal: a stopped
/// task wants none but SIGKILL -- so a SIGTERM at its default action does not end it either).
/// </para>
/// <para>
/// The first process has no guest parent: when it stops, <see cref="InitialProcessStopped"/>
/// tells the embedder (armemu stops its own host process, as qemu-arm does), and SIGCONT
/// forwarded from the host (<see cref="PostHostSignal"/>) continues it.
/// </para>
/// <para>
/// SIGTSTP, SIGTTIN and SIGTTOU at their default action are discarded when the receiving
/// process's group is orphaned (get_signal: "the job control signals do nothing in an orphaned
/// pgrp, but SIGSTOP always works"): no member has a parent in another group of the same
/// session, so no shell could continue it. The first process's parent is armemu's host parent,
/// and a group the guest shares with the host (armemu's own) counts the host's other members
/// too (<see cref="HostProcessGroups"/>) -- so armemu started under setsid, like qemu-arm there
/// (which leaves these signals to the host kernel), does not stop on a SIGTSTP.
/// </para>
/// </summary>
internal sealed partial class LinuxKernel
{
    private const int WContinued = 8;
    private const uint SaNoCldStop = 0x1;
    private const int CldStopped = 5, CldContinued = 6;

    private bool _initialStopAnnounced;

    /// <summary>
    /// Raised (on the emulation thread, with the stop signal) when the first guest process has
    /// stopped; the run goes on when it is continued -- by another guest process, or by SIGCONT
    /// posted with <see cref="PostHostSignal"/>.
    /// </summary>
    public event Action<int>? InitialProcessStopped;

    private static bool IsStopSignal(int signal) =>
        (Signal)signal is Signal.SIGSTOP or Signal.SIGTSTP or Signal.SIGTTIN or Signal.SIGTTOU;

    /// <summary>
    /// prepare_signal and complete_signal's job-control part, for <paramref name="signal"/>
    /// about to be queued to <paramref name="target"/>; true if it was consumed here (a stop).
    /// </summary>
    private bool JobControlOnSend(GuestThread target, int signal)
    {
        var process = target.Process;
        var handler = process.SignalActions[signal].Handler;
        if (IsStopSignal(signal))
        {
            foreach (var t in process.Threads) t.PendingSignals.RemoveAll(p => p.Signal == (int)Signal.SIGCONT);
            if (handler == SigDefault && (target.SignalMask & Bit(signal)) == 0 && SignalIntercept is null)
            {
                if (!DiscardedAsOrphaned(process, signal)) StopProcess(process, signal);
                return true;
            }
        }
        else if (signal == (int)Signal.SIGCONT)
        {
            foreach (var t in process.Threads) t.PendingSignals.RemoveAll(p => IsStopSignal(p.Signal));
            if (process.Stopped) ContinueProcess(process, notify: true);
        }
        else if (process.Stopped && signal == (int)Signal.SIGKILL)
        {
            ContinueProcess(process, notify: false); // it runs again only to die
        }
        return false;
    }

    /// <summary>Whether stop signal <paramref name="signal"/> at its default action does nothing to <paramref name="process"/> (a job-control signal in an orphaned group).</summary>
    private bool DiscardedAsOrphaned(GuestProcess process, int signal) =>
        signal != (int)Signal.SIGSTOP && IsOrphanedProcessGroup(process.ProcessGroup, process.Session);

    /// <summary>
    /// will_become_orphaned_pgrp(pgrp, NULL): true unless a live member of <paramref name="group"/>
    /// has a parent in another group of <paramref name="session"/> -- a guest parent, armemu's host
    /// parent for the first process, or for armemu's own host group its other host members'.
    /// A process whose guest parent ended was reparented to init, which does not count.
    /// </summary>
    private bool IsOrphanedProcessGroup(int group, int session)
    {
        foreach (var member in _processes.Values)
        {
            if (member.HasExited || member.ProcessGroup != group) continue;
            if (member.Parent is { } parent)
            {
                if (!parent.HasExited && parent.ProcessGroup != group && parent.Session == session) return false;
            }
            else if (ReferenceEquals(member, InitialProcess) && HostProcessGroups.ParentHoldsGroup(HostLibc.GetPPid(), group, session))
            {
                return false;
            }
        }
        return group != HostLibc.GetPGid(0) || !HostProcessGroups.OtherMemberHeld(group, session, HostLibc.GetPid());
    }

    /// <summary>do_signal_stop: every thread stops; the parent is told (CLD_STOPPED) and its wait may report it.</summary>
    private void StopProcess(GuestProcess process, int signal)
    {
        if (process.Stopped || process.HasExited) return;
        process.Stopped = true;
        process.StopSignal = signal;
        process.StopToReport = signal;
        process.ContinueToReport = false;
        if (ReferenceEquals(process, CurrentProcess)) Cpu.RequestStop();
        NotifyParentOfJobControl(process, CldStopped, signal);
    }

    /// <summary>The stopped process runs again; told to the parent (CLD_CONTINUED) unless the signal is about to end it.</summary>
    private void ContinueProcess(GuestProcess process, bool notify)
    {
        process.Stopped = false;
        process.StopToReport = 0;
        if (ReferenceEquals(process, InitialProcess)) _initialStopAnnounced = false;
        if (!notify) return;
        process.ContinueToReport = true;
        NotifyParentOfJobControl(process, CldContinued, (int)Signal.SIGCONT);
    }

    /// <summary>do_notify_parent_cldstop: SIGCHLD to the parent, unless it ignores SIGCHLD or set SA_NOCLDSTOP.</summary>
    private void NotifyParentOfJobControl(GuestProcess process, int code, int status)
    {
        if (process.Parent is not { } parent || parent.HasExited) return;
        var action = parent.SignalActions[(int)Signal.SIGCHLD];
        if (action.Handler == SigIgnore || (action.Flags & SaNoCldStop) != 0) return;
        var info = SigInfo((int)Signal.SIGCHLD, code);
        BinaryPrimitives.WriteInt32LittleEndian(info.AsSpan(12), process.Pid);
        BinaryPrimitives.WriteInt32LittleEndian(info.AsSpan(16), HostLibc.GetUid());
        BinaryPrimitives.WriteInt32LittleEndian(info.AsSpan(20), status);
        SendProcessSignal(parent, (int)Signal.SIGCHLD, info);
    }

    /// <summary>Tells the embedder, once a stop, that the first process has stopped.</summary>
    private void AnnounceInitialStop()
    {
        if (!InitialProcess.Stopped || _initialStopAnnounced || InitialProcess.HasExited) return;
        _initialStopAnnounced = true;
        InitialProcessStopped?.Invoke(InitialProcess.StopSignal);
    }

    /// <summary>What a wait with <paramref name="options"/> (wait4's or waitid's bits) may report of <paramref name="child"/>.</summary>
    private static bool Reportable(GuestProcess child, int options, bool exited) =>
        (exited && child.HasExited)
        || ((options & WUntraced) != 0 && child.StopToReport != 0 && !child.HasExited)
        || ((options & WContinued) != 0 && child.ContinueToReport && !child.HasExited);
}
