using System.Buffers.Binary;
using ArmEmu.Cpu;

namespace ArmEmu.Emulator.Linux;

/// <summary>
/// Signals: rt_sigaction, rt_sigprocmask, sigaltstack, kill/tgkill to self,
/// faults turned into SIGSEGV/SIGBUS/SIGILL/SIGTRAP, delivery on the Linux ARM
/// rt_sigframe (arch/arm/kernel/signal.c: siginfo, then ucontext with the
/// sigcontext of arch/arm/include/uapi/asm/sigcontext.h), rt_sigreturn, and
/// the default actions.
/// </summary>
public sealed partial class LinuxKernel
{
    private const uint SaSigInfo = 0x4, SaOnStack = 0x0800_0000, SaRestart = 0x1000_0000, SaNoDefer = 0x4000_0000,
        SaResetHand = 0x8000_0000, SaRestorer = 0x0400_0000;
    private const uint SigDefault = 0, SigIgnore = 1;
    // struct sigframe is { struct ucontext uc; unsigned long retcode[4]; } and struct rt_sigframe
    // is { struct siginfo info; struct sigframe sig; } (arch/arm/kernel/signal.h).
    private const int SigInfoSize = 128, UContextSize = 744, SigFrameSize = UContextSize + 16, MContextOffset = 20, SigMaskOffset = 104;

    /// <summary>Where signal handlers return when no SA_RESTORER is given: code in the vectors page (ARM, then Thumb).</summary>
    internal const uint SigreturnTrampoline = 0xFFFF_0500;

    private readonly (uint Handler, uint Flags, uint Restorer, ulong Mask)[] _actions = new (uint, uint, uint, ulong)[65];
    private readonly List<(int Signal, int Code, uint Address)> _pending = new();
    private ulong _blocked;
    private uint _altStack, _altStackSize, _altStackFlags = 2; // SS_DISABLE

    private static ulong Bit(int signal) => 1UL << (signal - 1);

    private static bool DefaultIgnores(int signal) =>
        (Signal)signal is Signal.SIGCHLD or Signal.SIGURG or Signal.SIGWINCH or Signal.SIGCONT
            or Signal.SIGSTOP or Signal.SIGTSTP or Signal.SIGTTIN or Signal.SIGTTOU;

    /// <summary>
    /// A signal caused by the instruction itself. As the kernel's force_sig does, a
    /// blocked or ignored synchronous signal is unblocked and reset to the default action.
    /// </summary>
    private void RaiseSynchronousSignal(Signal signal, int code, uint address, in CpuException exception)
    {
        int s = (int)signal;
        if ((_blocked & Bit(s)) != 0 || _actions[s].Handler == SigIgnore)
        {
            _blocked &= ~Bit(s);
            _actions[s] = default;
        }
        _faultException = exception;
        // A faulting instruction is re-executed when its handler returns; a signal the kernel
        // raises itself (branch through zero, breakpoint) resumes at the SVC.
        _resumeAfterSignal = exception.Fault is null && exception.Kind != ExceptionKind.Undefined
            ? Cpu.CurrentInstructionAddress
            : exception.InstructionAddress;
        _pending.Insert(0, (s, code, address));
    }

    private CpuException _faultException;
    private uint _resumeAfterSignal;

    /// <summary>Delivers every pending, unblocked signal (a handler frame each, or the default action).</summary>
    private void DeliverPendingSignals()
    {
        while (ExitStatus is null)
        {
            int index = _pending.FindIndex(p => (_blocked & Bit(p.Signal)) == 0);
            if (index < 0) return;
            var (signal, code, address) = _pending[index];
            _pending.RemoveAt(index);
            var action = _actions[signal];
            if (action.Handler == SigIgnore || (action.Handler == SigDefault && DefaultIgnores(signal))) continue;
            if (action.Handler == SigDefault)
            {
                Terminate(signal, address);
                return;
            }
            BuildSignalFrame(signal, code, address, action);
        }
    }

    /// <summary>The resume address saved in a signal frame: a faulting instruction re-executes; after a syscall, the next one.</summary>
    private uint ResumeAddress(int signal) =>
        _pendingIsSynchronousFault(signal) ? _resumeAfterSignal : Cpu.CurrentInstructionAddress + (Cpu.T ? 2u : 4u);

    private bool _pendingIsSynchronousFault(int signal) =>
        _faultException.Kind is ExceptionKind.Undefined or ExceptionKind.PrefetchAbort or ExceptionKind.DataAbort
        && (Signal)signal is Signal.SIGSEGV or Signal.SIGBUS or Signal.SIGILL or Signal.SIGTRAP;

    private void Terminate(int signal, uint address)
    {
        uint pc = _pendingIsSynchronousFault(signal) ? _resumeAfterSignal : Cpu.CurrentInstructionAddress;
        string word = "";
        Span<byte> insn = stackalloc byte[4];
        if (Memory.DebugRead(pc, insn[..(Cpu.T ? 2 : 4)]))
            word = Cpu.T ? $"0x{BinaryPrimitives.ReadUInt16LittleEndian(insn):x4}" : $"0x{BinaryPrimitives.ReadUInt32LittleEndian(insn):x8}";
        string fault = (Signal)signal is Signal.SIGSEGV or Signal.SIGBUS ? $", fault address 0x{address:x8}" : "";
        FatalSignalMessage = $"armemu: guest terminated by signal {signal} ({(Signal)signal}) at pc 0x{pc:x8}" +
                             (word.Length > 0 ? $", instruction {word}" : "") + fault;
        Exit(128 + signal);
    }

    private void BuildSignalFrame(int signal, int code, uint address, (uint Handler, uint Flags, uint Restorer, ulong Mask) action)
    {
        uint resume = ResumeAddress(signal);
        uint sp = Cpu.R[13];
        bool onAltStack = _altStackFlags == 1;
        if ((action.Flags & SaOnStack) != 0 && _altStackFlags == 0)
        {
            sp = _altStack + _altStackSize;
            _altStackFlags = 1; // SS_ONSTACK while the handler runs
        }
        // A handler with SA_SIGINFO gets an rt_sigframe (siginfo, then the sigframe) and
        // returns through rt_sigreturn; any other gets a plain sigframe and returns through
        // sigreturn, which finds the ucontext at sp (setup_frame vs setup_rt_frame).
        bool rt = (action.Flags & SaSigInfo) != 0;
        int size = rt ? SigInfoSize + SigFrameSize : SigFrameSize;
        uint frame = (sp - (uint)size) & ~7u; // ATPCS: 8-byte aligned

        Span<byte> f = stackalloc byte[SigInfoSize + SigFrameSize];
        f = f[..size];
        f.Clear();
        if (rt)
        {
            BinaryPrimitives.WriteInt32LittleEndian(f[0..], signal);
            BinaryPrimitives.WriteInt32LittleEndian(f[8..], code);
            if (code > 0) BinaryPrimitives.WriteUInt32LittleEndian(f[12..], address); // si_addr for faults
            else
            {
                BinaryPrimitives.WriteInt32LittleEndian(f[12..], HostLibc.GetPid());     // si_pid
                BinaryPrimitives.WriteInt32LittleEndian(f[16..], HostLibc.GetUid());     // si_uid
            }
        }
        // ucontext: uc_flags, uc_link, uc_stack (rt only; a plain frame marks uc_flags with a
        // value trap_no never has), then the sigcontext
        var uc = f[(rt ? SigInfoSize : 0)..];
        if (rt)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(uc[8..], _altStack);
            BinaryPrimitives.WriteUInt32LittleEndian(uc[12..], onAltStack ? 1u : _altStackFlags == 1 ? 0u : _altStackFlags);
            BinaryPrimitives.WriteUInt32LittleEndian(uc[16..], _altStackSize);
        }
        else
        {
            BinaryPrimitives.WriteUInt32LittleEndian(uc[0..], 0x5AC3_C35A);
        }
        var mc = uc[MContextOffset..];
        BinaryPrimitives.WriteUInt32LittleEndian(mc[0..], code > 0 ? 14u : 0u);  // trap_no
        BinaryPrimitives.WriteUInt32LittleEndian(mc[8..], (uint)_blocked);        // oldmask
        for (int r = 0; r < 15; r++) BinaryPrimitives.WriteUInt32LittleEndian(mc[(12 + 4 * r)..], Cpu.R[r]);
        BinaryPrimitives.WriteUInt32LittleEndian(mc[72..], resume);              // arm_pc
        BinaryPrimitives.WriteUInt32LittleEndian(mc[76..], Cpu.Cpsr);            // arm_cpsr
        BinaryPrimitives.WriteUInt32LittleEndian(mc[80..], code > 0 ? address : 0); // fault_address
        BinaryPrimitives.WriteUInt64LittleEndian(uc[SigMaskOffset..], _blocked);
        if (!WriteUser(frame, f))
        {
            Terminate((int)Signal.SIGSEGV, frame);
            return;
        }

        bool thumbHandler = (action.Handler & 1) != 0;
        // setup_return: index 2 * thumb (+ 3 for rt) into the sigreturn code, address + 1 for Thumb.
        uint index = (thumbHandler ? 2u : 0u) + (rt ? 3u : 0u);
        uint returnAddress = (action.Flags & SaRestorer) != 0 ? action.Restorer
            : SigreturnTrampoline + 4 * index + (thumbHandler ? 1u : 0u);
        Cpu.R[0] = (uint)signal;
        if (rt)
        {
            Cpu.R[1] = frame;
            Cpu.R[2] = frame + SigInfoSize;
        }
        Cpu.R[13] = frame;
        Cpu.R[14] = returnAddress;
        Cpu.T = thumbHandler;
        Cpu.PC = action.Handler & ~1u;

        _blocked |= action.Mask | ((action.Flags & SaNoDefer) != 0 ? 0 : Bit(signal));
        _blocked &= ~(Bit((int)Signal.SIGKILL) | Bit((int)Signal.SIGSTOP));
        if ((action.Flags & SaResetHand) != 0) _actions[signal] = default;
        _faultException = default;
    }

    private long SysRtSigreturn() => RestoreSignalFrame(Cpu.R[13] + SigInfoSize);

    private long SysSigreturn() => RestoreSignalFrame(Cpu.R[13]);

    private long RestoreSignalFrame(uint ucontext)
    {
        Span<byte> uc = stackalloc byte[SigMaskOffset + 8];
        if (!ReadUser(ucontext, uc))
        {
            RaiseSynchronousSignal(Signal.SIGSEGV, SignalCode.SEGV_MAPERR, ucontext, default);
            return NoResult;
        }
        var mc = uc[MContextOffset..];
        for (int r = 0; r < 15; r++) Cpu.R[r] = BinaryPrimitives.ReadUInt32LittleEndian(mc[(12 + 4 * r)..]);
        uint pc = BinaryPrimitives.ReadUInt32LittleEndian(mc[72..]);
        uint cpsr = BinaryPrimitives.ReadUInt32LittleEndian(mc[76..]);
        // Only the user-writable state comes back: flags, Q and the Thumb bit; the mode stays User.
        Cpu.WriteCpsr(cpsr & 0xF800_0000, 0xFF00_0000);
        Cpu.T = (cpsr & 0x20) != 0;
        Cpu.PC = pc;
        _blocked = BinaryPrimitives.ReadUInt64LittleEndian(uc[SigMaskOffset..]) & ~(Bit((int)Signal.SIGKILL) | Bit((int)Signal.SIGSTOP));
        if (_altStackFlags == 1) _altStackFlags = 0;
        return NoResult;
    }

    private long SysRtSigaction(int signal, uint actAddress, uint oldAddress)
    {
        if (signal is < 1 or > 64) return -Errno.EINVAL;
        if (actAddress != 0 && (Signal)signal is Signal.SIGKILL or Signal.SIGSTOP) return -Errno.EINVAL;
        var old = _actions[signal];
        if (actAddress != 0)
        {
            Span<byte> a = stackalloc byte[20];
            if (!ReadUser(actAddress, a)) return -Errno.EFAULT;
            _actions[signal] = (BinaryPrimitives.ReadUInt32LittleEndian(a), BinaryPrimitives.ReadUInt32LittleEndian(a[4..]),
                                BinaryPrimitives.ReadUInt32LittleEndian(a[8..]), BinaryPrimitives.ReadUInt64LittleEndian(a[12..]));
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

    private long SysRtSigprocmask(int how, uint setAddress, uint oldAddress)
    {
        ulong old = _blocked;
        if (setAddress != 0)
        {
            Span<byte> b = stackalloc byte[8];
            if (!ReadUser(setAddress, b)) return -Errno.EFAULT;
            ulong set = BinaryPrimitives.ReadUInt64LittleEndian(b);
            switch (how)
            {
                case 0: _blocked |= set; break;
                case 1: _blocked &= ~set; break;
                case 2: _blocked = set; break;
                default: return -Errno.EINVAL;
            }
            _blocked &= ~(Bit((int)Signal.SIGKILL) | Bit((int)Signal.SIGSTOP));
        }
        if (oldAddress != 0 && !WriteUser64(oldAddress, old)) return -Errno.EFAULT;
        return 0;
    }

    private long SysSigaltstack(uint newAddress, uint oldAddress)
    {
        if (oldAddress != 0)
        {
            Span<byte> o = stackalloc byte[12];
            BinaryPrimitives.WriteUInt32LittleEndian(o, _altStack);
            BinaryPrimitives.WriteUInt32LittleEndian(o[4..], _altStackFlags);
            BinaryPrimitives.WriteUInt32LittleEndian(o[8..], _altStackSize);
            if (!WriteUser(oldAddress, o)) return -Errno.EFAULT;
        }
        if (newAddress != 0)
        {
            if (_altStackFlags == 1) return -Errno.EPERM;
            Span<byte> n = stackalloc byte[12];
            if (!ReadUser(newAddress, n)) return -Errno.EFAULT;
            uint flags = BinaryPrimitives.ReadUInt32LittleEndian(n[4..]);
            if (flags != 0 && flags != 2) return -Errno.EINVAL;
            uint size = BinaryPrimitives.ReadUInt32LittleEndian(n[8..]);
            if (flags == 0 && size < 2048) return -Errno.ENOMEM; // MINSIGSTKSZ
            (_altStack, _altStackFlags, _altStackSize) = (BinaryPrimitives.ReadUInt32LittleEndian(n), flags, size);
        }
        return 0;
    }

    private long SysKill(int pid, int signal)
    {
        if (signal is < 0 or > 64) return -Errno.EINVAL;
        int self = HostLibc.GetPid();
        if (pid != self && pid != 0 && pid != -1) return HostLibc.Check(HostLibc.Kill(pid, signal));
        if (signal == 0) return 0;
        _pending.Add((signal, SignalCode.SI_USER, 0));
        return 0;
    }
}
