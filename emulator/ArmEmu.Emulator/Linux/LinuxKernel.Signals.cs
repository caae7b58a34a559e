using System.Buffers.Binary;
using ArmEmu.Cpu;
using ArmEmu.Memory;

namespace ArmEmu.Emulator.Linux;

/// <summary>
/// Signals: rt_sigaction, rt_sigprocmask, rt_sigpending, sigaltstack, kill/tgkill/tkill
/// and rt_sigqueueinfo to self, faults turned into SIGSEGV/SIGBUS/SIGILL/SIGTRAP,
/// delivery on the Linux ARM signal frames (arch/arm/kernel/signal.c: struct sigframe
/// for plain handlers, struct rt_sigframe = siginfo + sigframe for SA_SIGINFO ones;
/// the sigcontext of arch/arm/include/uapi/asm/sigcontext.h), sigreturn and
/// rt_sigreturn, and the default actions.
/// <para>
/// The interrupted context of a frame is the CPU state at delivery: the kernel's exception
/// hook leaves the PC where the process resumes (after an SVC, or at a faulting
/// instruction) before any signal is delivered, so a second signal delivered at the same
/// time stacks its frame on top of the first handler's entry state, as Linux does when it
/// finds another signal pending on the way back to user mode.
/// </para>
/// </summary>
internal sealed partial class LinuxKernel
{
    private const uint SaSigInfo = 0x4, SaOnStack = 0x0800_0000, SaRestart = 0x1000_0000, SaNoDefer = 0x4000_0000,
        SaResetHand = 0x8000_0000, SaRestorer = 0x0400_0000;
    private const uint SigDefault = 0, SigIgnore = 1;
    private const int SigRtMin = 32; // signals below it are the standard ones, which do not queue
    private const uint SsOnStack = 1, SsDisable = 2, SsAutoDisarm = 0x8000_0000, MinSigStackSize = 2048;

    // Frame layout (arch/arm/kernel/signal.h, arch/arm/include/asm/ucontext.h): struct ucontext is
    // uc_flags, uc_link, uc_stack (12 bytes), the sigcontext (21 words), uc_sigmask padded to 128
    // bytes, and uc_regspace[128] aligned to 8: 744 bytes; struct sigframe adds retcode[4].
    private const int SigInfoSize = 128, UContextSize = 744, RetcodeSize = 16, MContextOffset = 20, SigMaskOffset = 104;

    // uc_regspace (offset 232) holds the coprocessor frames, then a zero word. With a VFP, the
    // first is struct vfp_sigframe (arch/arm/include/asm/ucontext.h): magic VFP_MAGIC, size
    // VFP_STORAGE_SIZE, user_vfp (fpregs[32], fpscr; padded to 264 bytes), user_vfp_exc (fpexc,
    // fpinst, fpinst2), aligned to 8: 288 bytes. QEMU's setup_sigframe_vfp writes the same.
    private const int RegSpaceOffset = 232, VfpFrameSize = 288;
    private const uint VfpMagic = 0x5646_5001;

    /// <summary>
    /// Where handlers return when no SA_RESTORER is given: sigreturn and rt_sigreturn code in the
    /// vectors page, each in ARM then Thumb (Linux puts the same code on its signal page).
    /// </summary>
    internal const uint SigreturnTrampoline = 0xFFFF_0500, RtSigreturnTrampoline = SigreturnTrampoline + 12;

    private static ulong Bit(int signal) => 1UL << (signal - 1);

    private static readonly ulong Unblockable = Bit((int)Signal.SIGKILL) | Bit((int)Signal.SIGSTOP);

    /// <summary>SYNCHRONOUS_MASK of kernel/signal.c: delivered before any other pending signal.</summary>
    private static readonly ulong SynchronousSignals = Bit((int)Signal.SIGSEGV) | Bit((int)Signal.SIGBUS) | Bit((int)Signal.SIGILL)
                                                       | Bit((int)Signal.SIGTRAP) | Bit((int)Signal.SIGFPE) | Bit((int)Signal.SIGSYS);

    private static bool DefaultIgnores(int signal) =>
        (Signal)signal is Signal.SIGCHLD or Signal.SIGURG or Signal.SIGWINCH or Signal.SIGCONT;

    private bool IsIgnored(int signal) => IsIgnored(CurrentProcess, signal);

    private static bool IsIgnored(GuestProcess process, int signal) =>
        process.SignalActions[signal].Handler == SigIgnore || (process.SignalActions[signal].Handler == SigDefault && DefaultIgnores(signal));

    /// <summary>A siginfo: si_signo, si_errno, si_code, then the union (si_pid/si_uid or si_addr at offset 12).</summary>
    private static byte[] SigInfo(int signal, int code)
    {
        var info = new byte[SigInfoSize];
        BinaryPrimitives.WriteInt32LittleEndian(info, signal);
        BinaryPrimitives.WriteInt32LittleEndian(info.AsSpan(8), code);
        return info;
    }

    /// <summary>The siginfo of a signal sent by this process to itself (kill, tgkill): si_pid and si_uid are its own.</summary>
    private byte[] SenderSigInfo(int signal, int code)
    {
        var info = SigInfo(signal, code);
        BinaryPrimitives.WriteInt32LittleEndian(info.AsSpan(12), CurrentProcess.Pid);
        BinaryPrimitives.WriteInt32LittleEndian(info.AsSpan(16), HostLibc.GetUid());
        return info;
    }

    /// <summary>
    /// Queues an asynchronous signal, as send_signal in kernel/signal.c: one that would be
    /// ignored (and is not blocked) is discarded at once, and a standard signal that is
    /// already pending is not queued a second time.
    /// </summary>
    private void SendSignal(int signal, byte[] info) => SendSignal(CurrentThread, signal, info);

    private void SendSignal(GuestThread target, int signal, byte[] info) => QueueSignal(target, new PendingSignal(signal, info));

    /// <summary>
    /// send_signal for <paramref name="pending"/>: false if it was not queued (discarded as
    /// ignored, a standard signal already pending, or a real-time one past RLIMIT_SIGPENDING --
    /// one sent by kill is then pending once, as a standard one).
    /// </summary>
    private bool QueueSignal(GuestThread target, PendingSignal pending)
    {
        int signal = pending.Signal;
        if (target.HasExited) return false;
        if (JobControlOnSend(target, signal)) return true; // a stop, or a SIGCONT's continue before it is discarded as ignored
        if ((target.SignalMask & Bit(signal)) == 0 && IsIgnored(target.Process, signal)) return false;
        bool once = signal < SigRtMin;
        if (!once && (ulong)QueuedSignals() >= PendingSignalLimit(target.Process))
        {
            if (BinaryPrimitives.ReadInt32LittleEndian(pending.Info.AsSpan(8)) != SignalCode.SI_USER) return false;
            once = true;
        }
        if (once && target.PendingSignals.Exists(p => p.Signal == signal)) return false;
        target.PendingSignals.Add(pending);
        return true;
    }

    /// <summary>Signals queued in every thread (Linux counts them per user: every guest process is the one user's).</summary>
    private int QueuedSignals()
    {
        int n = 0;
        foreach (var t in _threads) n += t.PendingSignals.Count;
        return n;
    }

    /// <summary>
    /// RLIMIT_SIGPENDING's soft limit of the receiving process (__sigqueue_alloc checks the
    /// target's): the guest's own copy (<see cref="ResourceLimits"/>), which started as the host's.
    /// </summary>
    private static ulong PendingSignalLimit(GuestProcess process) => process.Limits.Get(ResourceLimits.SigPending).Soft;

    /// <summary>
    /// A signal for a whole process (kill, SIGCHLD): the first of its threads that does not
    /// block it takes it, else the first thread (complete_signal's choice, made at once).
    /// </summary>
    private void SendProcessSignal(GuestProcess process, int signal, byte[] info) => QueueProcessSignal(process, new PendingSignal(signal, info));

    private bool QueueProcessSignal(GuestProcess process, PendingSignal pending)
    {
        var live = process.Threads.Where(t => !t.HasExited).ToList();
        if (live.Count == 0) return false;
        return QueueSignal(live.FirstOrDefault(t => (t.SignalMask & Bit(pending.Signal)) == 0) ?? live[0], pending);
    }

    /// <summary>True if <paramref name="thread"/> has a pending signal its mask lets through.</summary>
    private static bool HasDeliverableSignal(GuestThread thread) =>
        thread.PendingSignals.Exists(p => (thread.SignalMask & Bit(p.Signal)) == 0);

    /// <summary>
    /// A signal caused by the instruction itself (force_sig_fault): if it is blocked or
    /// ignored, it is unblocked and reset to the default action, so it cannot be lost.
    /// </summary>
    private void RaiseSynchronousSignal(Signal signal, int code, uint address)
    {
        int s = (int)signal;
        if ((CurrentThread.SignalMask & Bit(s)) != 0 || CurrentProcess.SignalActions[s].Handler == SigIgnore)
        {
            CurrentThread.SignalMask &= ~Bit(s);
            CurrentProcess.SignalActions[s] = default;
        }
        var info = SigInfo(s, code);
        BinaryPrimitives.WriteUInt32LittleEndian(info.AsSpan(12), address); // si_addr
        CurrentThread.FaultAddress = address;
        CurrentThread.TrapNumber = signal == Signal.SIGILL ? 6u : 14u; // thread.trap_no: undefined instruction, or abort
        CurrentThread.PendingSignals.Add(new PendingSignal(s, info));
    }

    /// <summary>
    /// The next signal to deliver, as next_signal in kernel/signal.c: an unblocked synchronous
    /// signal first, else the lowest-numbered unblocked one; the oldest of equals.
    /// </summary>
    private int NextDeliverable()
    {
        int best = -1;
        for (int i = 0; i < CurrentThread.PendingSignals.Count; i++)
        {
            int s = CurrentThread.PendingSignals[i].Signal;
            if ((CurrentThread.SignalMask & Bit(s)) != 0) continue;
            if (best < 0 || Rank(s) < Rank(CurrentThread.PendingSignals[best].Signal)) best = i;
        }
        return best;

        static int Rank(int signal) => (SynchronousSignals & Bit(signal)) != 0 ? signal : 100 + signal;
    }

    /// <summary>Delivers every pending, unblocked signal: a handler frame each, or the default action.</summary>
    private void DeliverPendingSignals()
    {
        while (CurrentProcess.ExitStatus is null && !CurrentProcess.Stopped)
        {
            int index = NextDeliverable();
            if (index < 0) return;
            var pending = CurrentThread.PendingSignals[index];
            if (SignalIntercept is { } intercept && !pending.PassedByDebugger && !IsIgnored(pending.Signal) && intercept(pending.Signal))
            {
                // A debugger saw it first (gdb's "Program received signal"): it stays pending until
                // ReleaseHeldSignal says whether to deliver it, as qemu-user's gdb_handlesig.
                _heldSignal = pending;
                return;
            }
            CurrentThread.PendingSignals.RemoveAt(index);
            SignalTaken(pending);
            int signal = pending.Signal;
            var action = CurrentProcess.SignalActions[signal];
            if (IsIgnored(signal)) continue;
            if (action.Handler == SigDefault)
            {
                // A stop signal taken at its default action (it was blocked when sent, or a debugger saw it first).
                if (!IsStopSignal(signal)) Terminate(signal, pending.Info);
                else if (DiscardedAsOrphaned(CurrentProcess, signal)) continue;
                else StopProcess(CurrentProcess, signal);
                return;
            }
            BuildSignalFrame(signal, pending.Info, action);
        }
    }

    /// <summary>
    /// Asked before each signal is delivered (a debugger's stop on a signal); returning true holds
    /// the signal pending, undelivered, until <see cref="ReleaseHeldSignal"/>. Null: no debugger.
    /// </summary>
    public Func<int, bool>? SignalIntercept { get; set; }

    private PendingSignal? _heldSignal;

    /// <summary>The signal a debugger holds (0: none).</summary>
    public int HeldSignal => _heldSignal?.Signal ?? 0;

    /// <summary>The held signal's siginfo as the guest would get it (gdb's $_siginfo); null when none is held.</summary>
    public byte[]? HeldSignalInfo => _heldSignal?.Info;

    /// <summary>
    /// The debugger resumes the current thread with <paramref name="signal"/> (gdb's C/S packets,
    /// 0 for c/s): the held signal is discarded, and a non-zero signal is delivered now -- the
    /// held one with its own siginfo, another as if sent by kill.
    /// </summary>
    public void ReleaseHeldSignal(int signal)
    {
        byte[]? info = null;
        if (_heldSignal is { } held)
        {
            CurrentThread.PendingSignals.Remove(held);
            if (held.Signal == signal) info = held.Info;
            _heldSignal = null;
        }
        if (signal is <= 0 or > 64) return;
        CurrentThread.PendingSignals.Insert(0, new PendingSignal(signal, info ?? SenderSigInfo(signal, 0), PassedByDebugger: true));
        DeliverPendingSignals();
    }

    /// <summary>The default action of a fatal signal: the process ends with status 128 + signal and a one-line message.</summary>
    private void Terminate(int signal, byte[] info)
    {
        uint pc = CurrentThread.TrapAddress;
        string word = "";
        Span<byte> insn = stackalloc byte[4];
        if (Memory.DebugRead(pc, insn[..(Cpu.T ? 2 : 4)]))
            word = Cpu.T ? $"0x{BinaryPrimitives.ReadUInt16LittleEndian(insn):x4}" : $"0x{BinaryPrimitives.ReadUInt32LittleEndian(insn):x8}";
        bool fault = (Signal)signal is Signal.SIGSEGV or Signal.SIGBUS && BinaryPrimitives.ReadInt32LittleEndian(info.AsSpan(8)) > 0;
        string address = fault ? $", fault address 0x{BinaryPrimitives.ReadUInt32LittleEndian(info.AsSpan(12)):x8}" : "";
        CurrentProcess.FatalSignalMessage = $"armemu: guest terminated by signal {signal} ({(Signal)signal}) at pc 0x{pc:x8}" +
                             (word.Length > 0 ? $", instruction {word}" : "") + address;
        CurrentProcess.TerminatingSignal ??= signal;
        ExitProcess(CurrentProcess, waitStatus: signal, exitStatus: 128 + signal);
    }

    /// <summary>sas_ss_flags of the kernel: SS_DISABLE, or SS_ONSTACK when <paramref name="sp"/> is on the alternate stack.</summary>
    private uint AltStackFlags(uint sp) =>
        CurrentThread.AltStackSize == 0 ? SsDisable : sp > CurrentThread.AltStack && sp - CurrentThread.AltStack <= CurrentThread.AltStackSize ? SsOnStack : 0;

    /// <summary>
    /// setup_frame / setup_rt_frame and setup_return of arch/arm/kernel/signal.c: the frame
    /// below the interrupted SP (or at the top of the alternate stack for SA_ONSTACK), 8-byte
    /// aligned; the handler entered with r0 = signal (and r1 = &amp;info, r2 = &amp;uc for SA_SIGINFO),
    /// LR at the restorer, the condition flags cleared and the state chosen by the handler's bit 0.
    /// </summary>
    private void BuildSignalFrame(int signal, byte[] info, (uint Handler, uint Flags, uint Restorer, ulong Mask) action)
    {
        bool rt = (action.Flags & SaSigInfo) != 0;
        uint interruptedSp = Cpu.R[13];
        uint sp = interruptedSp;
        if ((action.Flags & SaOnStack) != 0 && AltStackFlags(sp) == 0) sp = CurrentThread.AltStack + CurrentThread.AltStackSize;
        int size = (rt ? SigInfoSize : 0) + UContextSize + RetcodeSize;
        uint frame = (sp - (uint)size) & ~7u;

        Span<byte> f = stackalloc byte[SigInfoSize + UContextSize + RetcodeSize];
        f = f[..size];
        if (rt) info.CopyTo(f);
        var uc = f[(rt ? SigInfoSize : 0)..];
        // uc_flags: 0 in an rt frame; a value sc.trap_no never has in a plain one.
        BinaryPrimitives.WriteUInt32LittleEndian(uc, rt ? 0 : 0x5AC3_C35Au);
        if (rt)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(uc[8..], CurrentThread.AltStack);
            BinaryPrimitives.WriteUInt32LittleEndian(uc[12..], AltStackFlags(interruptedSp));
            BinaryPrimitives.WriteUInt32LittleEndian(uc[16..], CurrentThread.AltStackSize);
        }
        var mc = uc[MContextOffset..];
        // The mask sigreturn restores: the one before rt_sigsuspend, if the thread is in it (restore_saved_sigmask).
        ulong savedMask = CurrentThread.MaskBeforeSuspend ?? CurrentThread.SignalMask;
        CurrentThread.MaskBeforeSuspend = null;
        BinaryPrimitives.WriteUInt32LittleEndian(mc[0..], CurrentThread.TrapNumber);
        BinaryPrimitives.WriteUInt32LittleEndian(mc[8..], (uint)savedMask);       // oldmask
        for (int r = 0; r < 15; r++) BinaryPrimitives.WriteUInt32LittleEndian(mc[(12 + 4 * r)..], Cpu.R[r]);
        BinaryPrimitives.WriteUInt32LittleEndian(mc[72..], Cpu.PC);              // arm_pc: where the process resumes
        BinaryPrimitives.WriteUInt32LittleEndian(mc[76..], Cpu.Cpsr);            // arm_cpsr
        BinaryPrimitives.WriteUInt32LittleEndian(mc[80..], CurrentThread.FaultAddress);       // fault_address
        BinaryPrimitives.WriteUInt64LittleEndian(uc[SigMaskOffset..], savedMask);
        if (Cpu.Fpu.Present) WriteVfpFrame(uc[RegSpaceOffset..]);
        if (!UserRange(frame, (uint)size, Permission.Write))
        {
            // force_sigsegv: a frame that cannot be written kills the process.
            Terminate((int)Signal.SIGSEGV, SigInfo((int)Signal.SIGSEGV, SignalCode.SI_KERNEL));
            return;
        }
        // Only the fields setup_frame/setup_rt_frame store (arch/arm/kernel/signal.c), so the
        // cache model sees the kernel's stores and no others: siginfo; uc_flags (and uc_link,
        // uc_stack in an rt frame); the sigcontext and the 8-byte sigset (not uc_sigmask's
        // padding); the VFP frame if any and the zero word after it (not the rest of
        // uc_regspace); the return code's two words only without SA_RESTORER (zeros here: Linux
        // stores its sigreturn instructions, never run, since the return goes through the sigpage).
        uint ucAddress = frame + (uint)(rt ? SigInfoSize : 0);
        if (rt) CopyToUser(frame, f[..SigInfoSize]);
        CopyToUser(ucAddress, uc[..(rt ? MContextOffset : 4)]);
        CopyToUser(ucAddress + MContextOffset, uc[MContextOffset..(SigMaskOffset + 8)]);
        int auxEnd = RegSpaceOffset + (Cpu.Fpu.Present ? VfpFrameSize : 0) + 4;
        CopyToUser(ucAddress + RegSpaceOffset, uc[RegSpaceOffset..auxEnd]);
        if ((action.Flags & SaRestorer) == 0) CopyToUser(ucAddress + UContextSize, uc.Slice(UContextSize, 8));
        if (rt && (CurrentThread.AltStackFlags & SsAutoDisarm) != 0) (CurrentThread.AltStack, CurrentThread.AltStackSize, CurrentThread.AltStackFlags) = (0, 0, SsDisable);

        bool thumbHandler = (action.Handler & 1) != 0;
        uint trampoline = rt ? RtSigreturnTrampoline : SigreturnTrampoline;
        uint returnAddress = (action.Flags & SaRestorer) != 0 ? action.Restorer
            : thumbHandler ? (trampoline + 8) | 1 : trampoline;
        Cpu.R[0] = (uint)signal;
        if (rt)
        {
            Cpu.R[1] = frame;
            Cpu.R[2] = frame + SigInfoSize;
        }
        Cpu.R[13] = frame;
        Cpu.R[14] = returnAddress;
        Cpu.WriteCpsr(0, 0xF800_0000); // NZCVQ cleared: cpsr & ~PSR_f
        Cpu.T = thumbHandler;
        Cpu.PC = action.Handler & ~1u;

        CurrentThread.SignalMask |= action.Mask | ((action.Flags & SaNoDefer) != 0 ? 0 : Bit(signal));
        CurrentThread.SignalMask &= ~Unblockable;
        if ((action.Flags & SaResetHand) != 0) CurrentProcess.SignalActions[signal] = default;
    }

    /// <summary>preserve_vfp_context: the VFP registers, FPSCR and FPEXC into a vfp_sigframe (the end marker after it stays 0).</summary>
    private void WriteVfpFrame(Span<byte> regspace)
    {
        var fpu = Cpu.Fpu;
        BinaryPrimitives.WriteUInt32LittleEndian(regspace, VfpMagic);
        BinaryPrimitives.WriteUInt32LittleEndian(regspace[4..], VfpFrameSize);
        for (int d = 0; d < 32; d++) BinaryPrimitives.WriteUInt64LittleEndian(regspace[(8 + 8 * d)..], fpu.D[d]);
        BinaryPrimitives.WriteUInt32LittleEndian(regspace[264..], fpu.Fpscr);
        BinaryPrimitives.WriteUInt32LittleEndian(regspace[272..], fpu.Fpexc);   // fpinst and fpinst2 stay 0
    }

    /// <summary>
    /// restore_vfp_context: a vfp_sigframe at the start of uc_regspace gives back the registers
    /// and FPSCR (FPEXC stays: a user thread keeps the unit enabled). A wrong size is a bad
    /// frame (false: SIGSEGV); no VFP magic there restores nothing, as Linux's parse loop does.
    /// </summary>
    private bool ReadVfpFrame(ReadOnlySpan<byte> regspace)
    {
        if (BinaryPrimitives.ReadUInt32LittleEndian(regspace) != VfpMagic) return true;
        if (BinaryPrimitives.ReadUInt32LittleEndian(regspace[4..]) != VfpFrameSize) return false;
        var fpu = Cpu.Fpu;
        for (int d = 0; d < 32; d++) fpu.D[d] = BinaryPrimitives.ReadUInt64LittleEndian(regspace[(8 + 8 * d)..]);
        fpu.Fpscr = BinaryPrimitives.ReadUInt32LittleEndian(regspace[264..]) & ArmEmu.Cpu.Vfp.Fpscr.WritableMask;
        return true;
    }

    private long SysRtSigreturn() => RestoreSignalFrame(Cpu.R[13] + SigInfoSize, rt: true);

    private long SysSigreturn() => RestoreSignalFrame(Cpu.R[13], rt: false);

    /// <summary>
    /// sys_sigreturn / sys_rt_sigreturn: registers, PC, the user-writable CPSR bits, the VFP
    /// registers and FPSCR, and the signal mask come back from the frame at SP; a misaligned or
    /// unreadable frame (or a VFP frame of the wrong size) is SIGSEGV.
    /// </summary>
    private long RestoreSignalFrame(uint ucontext, bool rt)
    {
        // restore_sigframe's loads: the sigset and the sigcontext (with uc_stack for an rt frame,
        // read by restore_altstack), then the VFP frame's magic and size and, if it is one, the
        // frame -- not the padding or the rest of uc_regspace.
        Span<byte> uc = stackalloc byte[RegSpaceOffset + VfpFrameSize];
        int first = rt ? 8 : MContextOffset;
        bool ok = (Cpu.R[13] & 7) == 0 && ReadUser(ucontext + (uint)first, uc[first..(SigMaskOffset + 8)]);
        if (ok && Cpu.Fpu.Present)
        {
            ok = ReadUser(ucontext + RegSpaceOffset, uc.Slice(RegSpaceOffset, 8));
            if (ok && BinaryPrimitives.ReadUInt32LittleEndian(uc[RegSpaceOffset..]) == VfpMagic)
                ok = ReadUser(ucontext + RegSpaceOffset + 8, uc.Slice(RegSpaceOffset + 8, VfpFrameSize - 8));
        }
        if (!ok || (Cpu.Fpu.Present && !ReadVfpFrame(uc[RegSpaceOffset..])))
        {
            Terminate((int)Signal.SIGSEGV, SigInfo((int)Signal.SIGSEGV, SignalCode.SI_KERNEL));
            return NoResult;
        }
        var mc = uc[MContextOffset..];
        for (int r = 0; r < 15; r++) Cpu.R[r] = BinaryPrimitives.ReadUInt32LittleEndian(mc[(12 + 4 * r)..]);
        uint pc = BinaryPrimitives.ReadUInt32LittleEndian(mc[72..]);
        uint cpsr = BinaryPrimitives.ReadUInt32LittleEndian(mc[76..]);
        // Only the user-writable state comes back: flags, Q and the Thumb bit; the mode stays User.
        Cpu.WriteCpsr(cpsr & 0xF800_0000, 0xF800_0000);
        Cpu.T = (cpsr & 0x20) != 0;
        Cpu.PC = pc;
        CurrentThread.SignalMask = BinaryPrimitives.ReadUInt64LittleEndian(uc[SigMaskOffset..]) & ~Unblockable;
        // restore_altstack (rt frames only): errors other than EFAULT are ignored.
        if (rt) SetAltStack(BinaryPrimitives.ReadUInt32LittleEndian(uc[8..]), BinaryPrimitives.ReadUInt32LittleEndian(uc[12..]),
                            BinaryPrimitives.ReadUInt32LittleEndian(uc[16..]));
        return NoResult;
    }

    private long SysRtSigaction(int signal, uint actAddress, uint oldAddress, uint setSize)
    {
        if (setSize != 8) return -Errno.EINVAL;
        if (signal is < 1 or > 64) return -Errno.EINVAL;
        if (actAddress != 0 && (Signal)signal is Signal.SIGKILL or Signal.SIGSTOP) return -Errno.EINVAL;
        var old = CurrentProcess.SignalActions[signal];
        if (actAddress != 0)
        {
            Span<byte> a = stackalloc byte[20];
            if (!ReadUser(actAddress, a)) return -Errno.EFAULT;
            CurrentProcess.SignalActions[signal] = (BinaryPrimitives.ReadUInt32LittleEndian(a), BinaryPrimitives.ReadUInt32LittleEndian(a[4..]),
                                BinaryPrimitives.ReadUInt32LittleEndian(a[8..]), BinaryPrimitives.ReadUInt64LittleEndian(a[12..]) & ~Unblockable);
            // POSIX: setting a pending signal to be ignored discards it (do_sigaction).
            if (IsIgnored(signal)) CurrentThread.PendingSignals.RemoveAll(p => p.Signal == signal);
        }
        if (oldAddress != 0)
        {
            Span<byte> a = stackalloc byte[20];
            BinaryPrimitives.WriteUInt32LittleEndian(a, old.Handler);
            BinaryPrimitives.WriteUInt32LittleEndian(a[4..], old.Flags);
            BinaryPrimitives.WriteUInt32LittleEndian(a[8..], old.Restorer);
            BinaryPrimitives.WriteUInt64LittleEndian(a[12..], old.Mask);
            if (!WriteUser(oldAddress, a)) return -Errno.EFAULT;
        }
        return 0;
    }

    private long SysRtSigprocmask(int how, uint setAddress, uint oldAddress, uint setSize)
    {
        if (setSize != 8) return -Errno.EINVAL;
        ulong old = CurrentThread.SignalMask;
        if (setAddress != 0)
        {
            Span<byte> b = stackalloc byte[8];
            if (!ReadUser(setAddress, b)) return -Errno.EFAULT;
            ulong set = BinaryPrimitives.ReadUInt64LittleEndian(b);
            switch (how)
            {
                case 0: CurrentThread.SignalMask |= set; break;
                case 1: CurrentThread.SignalMask &= ~set; break;
                case 2: CurrentThread.SignalMask = set; break;
                default: return -Errno.EINVAL;
            }
            CurrentThread.SignalMask &= ~Unblockable;
        }
        if (oldAddress != 0 && !WriteUser64(oldAddress, old)) return -Errno.EFAULT;
        return 0;
    }

    /// <summary>
    /// rt_sigsuspend(mask, size): the thread waits with <paramref name="maskAddress"/>'s mask
    /// until a signal is delivered, then returns EINTR; the handler's frame keeps the mask from
    /// before, which sigreturn puts back. pause is the same with the mask unchanged.
    /// </summary>
    private long SysRtSigsuspend(uint maskAddress, uint setSize)
    {
        if (setSize != 8) return -Errno.EINVAL;
        Span<byte> b = stackalloc byte[8];
        if (!ReadUser(maskAddress, b)) return -Errno.EFAULT;
        return Suspend(BinaryPrimitives.ReadUInt64LittleEndian(b) & ~Unblockable);
    }

    private long SysPause() => Suspend(CurrentThread.SignalMask);

    private long Suspend(ulong mask)
    {
        var thread = CurrentThread;
        thread.MaskBeforeSuspend = thread.SignalMask;
        thread.SignalMask = mask;
        Cpu.R[0] = unchecked((uint)-Errno.EINTR);
        return BlockCurrent(new ThreadBlock(() => false) { WaitsForSignal = true }, restart: false);
    }

    /// <summary>rt_sigpending: the pending signals that are blocked (do_sigpending), at most <paramref name="setSize"/> bytes.</summary>
    private long SysRtSigpending(uint setAddress, uint setSize)
    {
        if (setSize > 8) return -Errno.EINVAL;
        ulong set = 0;
        foreach (var p in CurrentThread.PendingSignals) set |= Bit(p.Signal);
        set &= CurrentThread.SignalMask;
        Span<byte> b = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(b, set);
        return WriteUser(setAddress, b[..(int)setSize]) ? 0 : -Errno.EFAULT;
    }

    /// <summary>
    /// sigaltstack(ss, old_ss), as do_sigaltstack: old_ss reports SS_ONSTACK while the SP is on
    /// the alternate stack; it cannot be changed then (EPERM); SS_DISABLE clears it; a stack
    /// smaller than MINSIGSTKSZ is ENOMEM.
    /// </summary>
    private long SysSigaltstack(uint newAddress, uint oldAddress)
    {
        Span<byte> o = stackalloc byte[12];
        BinaryPrimitives.WriteUInt32LittleEndian(o, CurrentThread.AltStack);
        BinaryPrimitives.WriteUInt32LittleEndian(o[4..], AltStackFlags(Cpu.R[13]) | (CurrentThread.AltStackFlags & SsAutoDisarm));
        BinaryPrimitives.WriteUInt32LittleEndian(o[8..], CurrentThread.AltStackSize);
        if (newAddress != 0)
        {
            Span<byte> n = stackalloc byte[12];
            if (!ReadUser(newAddress, n)) return -Errno.EFAULT;
            long r = SetAltStack(BinaryPrimitives.ReadUInt32LittleEndian(n), BinaryPrimitives.ReadUInt32LittleEndian(n[4..]),
                                 BinaryPrimitives.ReadUInt32LittleEndian(n[8..]));
            if (r < 0) return r;
        }
        if (oldAddress != 0 && !WriteUser(oldAddress, o)) return -Errno.EFAULT;
        return 0;
    }

    private long SetAltStack(uint stack, uint flags, uint size)
    {
        if (AltStackFlags(Cpu.R[13]) == SsOnStack) return -Errno.EPERM;
        uint mode = flags & ~SsAutoDisarm;
        if (mode is not (0 or SsOnStack or SsDisable)) return -Errno.EINVAL;
        if (mode == SsDisable)
        {
            (CurrentThread.AltStack, CurrentThread.AltStackSize, CurrentThread.AltStackFlags) = (0, 0, SsDisable);
            return 0;
        }
        if (size < MinSigStackSize) return -Errno.ENOMEM;
        (CurrentThread.AltStack, CurrentThread.AltStackSize, CurrentThread.AltStackFlags) = (stack, size, flags & SsAutoDisarm);
        return 0;
    }

    /// <summary>
    /// kill(pid, sig) as kill_something_info: a pid of one of the emulated processes, 0 (the
    /// caller's process group), -1 (every emulated process but the caller) or -pgid, with
    /// SI_USER; a pid the kernel does not know is passed to the host.
    /// </summary>
    private long SysKill(int pid, int signal)
    {
        if (signal is < 0 or > 64) return -Errno.EINVAL;
        IEnumerable<GuestProcess> targets;
        if (pid > 0)
        {
            if (!_processes.TryGetValue(pid, out var process) || process.HasExited)
                return _processes.ContainsKey(pid) ? 0 : HostLibc.Check(HostLibc.Kill(pid, signal));
            targets = [process];
        }
        else
        {
            int group = pid == 0 ? CurrentProcess.ProcessGroup : -pid;
            targets = _processes.Values.Where(p => !p.HasExited && (pid == -1 ? !ReferenceEquals(p, CurrentProcess) : p.ProcessGroup == group)).ToList();
            if (!targets.Any()) return -Errno.ESRCH;
        }
        if (signal != 0)
            foreach (var process in targets)
                if (process.HostPid != 0) HostLibc.Kill(process.HostPid, signal);
                else SendProcessSignal(process, signal, SenderSigInfo(signal, SignalCode.SI_USER));
        return 0;
    }

    /// <summary>tgkill/tkill to one thread (tgid null for tkill: any process): si_code SI_TKILL (do_tkill).</summary>
    private long SysTgkill(int? tgid, int tid, int signal)
    {
        if (signal is < 0 or > 64 || tid <= 0 || tgid <= 0) return -Errno.EINVAL;
        var thread = _threads.Find(t => t.Tid == tid && !t.HasExited);
        if (thread is null || (tgid is { } group && thread.Process.Pid != group)) return -Errno.ESRCH;
        if (signal != 0) SendSignal(thread, signal, SenderSigInfo(signal, SignalCode.SI_TKILL));
        return 0;
    }

    /// <summary>
    /// rt_sigqueueinfo(pid, sig, info) to this process: the caller's siginfo is queued as
    /// given, with si_signo set (do_rt_sigqueueinfo). Other processes are not reachable.
    /// </summary>
    private long SysRtSigqueueinfo(int pid, int signal, uint infoAddress) => SigqueueInfo(pid, -1, signal, infoAddress);

    /// <summary>
    /// rt_sigqueueinfo(pid, sig, info) and rt_tgsigqueueinfo(tgid, tid, sig, info): the caller's
    /// siginfo queued as given, with si_signo set (do_rt_sigqueueinfo); to another process only
    /// with a negative si_code other than SI_TKILL (EPERM); a real-time signal past
    /// RLIMIT_SIGPENDING is EAGAIN.
    /// </summary>
    private long SigqueueInfo(int pid, int tid, int signal, uint infoAddress)
    {
        var info = new byte[SigInfoSize];
        if (!ReadUser(infoAddress, info)) return -Errno.EFAULT;
        if (signal is < 0 or > 64) return -Errno.EINVAL;
        int code = BinaryPrimitives.ReadInt32LittleEndian(info.AsSpan(8));
        if (!IsSelf(pid) && (code >= 0 || code == SignalCode.SI_TKILL)) return -Errno.EPERM;
        if (!_processes.TryGetValue(pid, out var process) || process.HasExited) return -Errno.ESRCH;
        GuestThread? thread = null;
        if (tid >= 0 && (thread = process.Threads.Find(t => t.Tid == tid && !t.HasExited)) is null) return -Errno.ESRCH;
        if (signal == 0) return 0;
        BinaryPrimitives.WriteInt32LittleEndian(info, signal);
        if (signal >= SigRtMin && (ulong)QueuedSignals() >= PendingSignalLimit(process)) return -Errno.EAGAIN;
        var pending = new PendingSignal(signal, info);
        if (thread is not null) QueueSignal(thread, pending);
        else QueueProcessSignal(process, pending);
        return 0;
    }

    private bool IsSelf(int pid) => pid == CurrentProcess.Pid;
}
