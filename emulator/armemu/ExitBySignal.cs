using System.Runtime.InteropServices;

namespace ArmEmu.Cli;

/// <summary>
/// Ends armemu the way the guest ended: killed by the same signal, as qemu-arm does
/// (linux-user/signal.c, dump_core_and_abort), so that waitpid in the parent sees
/// WIFSIGNALED, a shell prints "Segmentation fault" and make reports the signal rather
/// than "Error 139". Like qemu-arm it dumps no core of itself: RLIMIT_CORE goes to 0 first
/// (a core of the .NET host would describe the emulator, not the guest).
/// </summary>
internal static partial class ExitBySignal
{
    private const int RlimitCore = 4, SigUnblock = 1;
    private static readonly nint SigDfl = 0;

    /// <summary>
    /// Kills the process with <paramref name="signal"/> after flushing the console. Returns
    /// only if the signal did not end the process (a signal whose default action is not to
    /// terminate, or a host refusal); the caller then exits with 128 + signal.
    /// </summary>
    public static void Die(int signal)
    {
        if (signal <= 0 || signal > 64) return;
        Console.Out.Flush();
        Console.Error.Flush();
        Span<ulong> noCore = [0, 0];
        SetRLimit(RlimitCore, ref MemoryMarshal.GetReference(noCore));
        // The .NET runtime handles SIGSEGV, SIGINT, SIGTERM and others itself: back to the default action.
        Signal(signal, SigDfl);
        Span<byte> set = stackalloc byte[128];
        SigEmptySet(ref MemoryMarshal.GetReference(set));
        SigAddSet(ref MemoryMarshal.GetReference(set), signal);
        PthreadSigmask(SigUnblock, ref MemoryMarshal.GetReference(set), 0);
        Raise(signal);
    }

    [LibraryImport(ArmEmu.Emulator.Linux.HostLibc.Libc, EntryPoint = "setrlimit")]
    private static partial int SetRLimit(int resource, ref ulong limits);

    [LibraryImport(ArmEmu.Emulator.Linux.HostLibc.Libc, EntryPoint = "signal")]
    private static partial nint Signal(int signal, nint handler);

    [LibraryImport(ArmEmu.Emulator.Linux.HostLibc.Libc, EntryPoint = "sigemptyset")]
    private static partial int SigEmptySet(ref byte set);

    [LibraryImport(ArmEmu.Emulator.Linux.HostLibc.Libc, EntryPoint = "sigaddset")]
    private static partial int SigAddSet(ref byte set, int signal);

    [LibraryImport(ArmEmu.Emulator.Linux.HostLibc.Libc, EntryPoint = "pthread_sigmask")]
    private static partial int PthreadSigmask(int how, ref byte set, nint oldSet);

    [LibraryImport(ArmEmu.Emulator.Linux.HostLibc.Libc, EntryPoint = "raise")]
    private static partial int Raise(int signal);
}
