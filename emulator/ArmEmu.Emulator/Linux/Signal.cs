namespace ArmEmu.Emulator.Linux;

/// <summary>Linux signal numbers (asm-generic, as ARM uses).</summary>
internal enum Signal
{
    SIGHUP = 1, SIGINT, SIGQUIT, SIGILL, SIGTRAP, SIGABRT, SIGBUS, SIGFPE, SIGKILL, SIGUSR1, SIGSEGV, SIGUSR2,
    SIGPIPE, SIGALRM, SIGTERM, SIGSTKFLT, SIGCHLD, SIGCONT, SIGSTOP, SIGTSTP, SIGTTIN, SIGTTOU, SIGURG,
    SIGXCPU, SIGXFSZ, SIGVTALRM, SIGPROF, SIGWINCH, SIGIO, SIGPWR, SIGSYS,
}

/// <summary>si_code values (asm-generic/siginfo.h).</summary>
internal static class SignalCode
{
    public const int SI_USER = 0, SI_KERNEL = 0x80, SI_QUEUE = -1, SI_TKILL = -6;
    public const int ILL_ILLOPC = 1, ILL_ILLTRP = 4;
    public const int SEGV_MAPERR = 1, SEGV_ACCERR = 2;
    public const int BUS_ADRALN = 1, BUS_ADRERR = 2;
    public const int TRAP_BRKPT = 1;
}
