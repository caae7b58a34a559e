namespace ArmEmu.Emulator.Linux;

/// <summary>
/// A process's resource limits (signal_struct's rlim[]): the guest reads and sets its own
/// copy, never the host's. A guest that lowered RLIMIT_AS, RLIMIT_NOFILE or RLIMIT_STACK on
/// the host would starve the emulator (the .NET runtime maps, opens and grows stacks on the
/// guest's behalf), and one that named another pid would reach a host process. The values
/// start as the host's, except RLIMIT_NOFILE's soft value: the .NET runtime raises its own
/// to the hard limit at start-up, so the one armemu was started with cannot be seen; the
/// guest gets Linux's default (INR_OPEN_CUR, 1024) under the host's hard limit. fork copies
/// the limits; execve keeps them.
/// </summary>
internal sealed class ResourceLimits
{
    /// <summary>RLIM_NLIMITS.</summary>
    public const int Count = 16;
    public const int NoFile = 7;
    public const int SigPending = 11;
    /// <summary>RLIM_INFINITY as a 64-bit value (prlimit64's).</summary>
    public const ulong Infinity = ulong.MaxValue;

    private readonly ulong[] _soft = new ulong[Count], _hard = new ulong[Count];

    private ResourceLimits()
    {
    }

    /// <summary>The host's limits, with RLIMIT_NOFILE's soft value at Linux's default.</summary>
    internal static unsafe ResourceLimits FromHost()
    {
        var limits = new ResourceLimits();
        ulong* pair = stackalloc ulong[2];
        for (int r = 0; r < Count; r++)
        {
            if (HostLibc.PrLimit(0, r, null, pair) != 0) pair[0] = pair[1] = Infinity;
            limits._soft[r] = pair[0];
            limits._hard[r] = pair[1];
        }
        limits._hard[NoFile] = Math.Min(limits._hard[NoFile], FileTable.MaxLimit);
        limits._soft[NoFile] = Math.Min((ulong)FileTable.DefaultLimit, limits._hard[NoFile]);
        return limits;
    }

    public ResourceLimits Copy()
    {
        var copy = new ResourceLimits();
        _soft.CopyTo(copy._soft, 0);
        _hard.CopyTo(copy._hard, 0);
        return copy;
    }

    public (ulong Soft, ulong Hard) Get(int resource) => (_soft[resource], _hard[resource]);

    /// <summary>
    /// setrlimit/prlimit64's checks (kernel/sys.c, do_prlimit): the soft value at most the hard
    /// one (EINVAL), RLIMIT_NOFILE at most fs.nr_open (EPERM), and the hard value raised only
    /// with CAP_SYS_RESOURCE, which the guest has when the host process is root (EPERM).
    /// </summary>
    /// <returns>0 or -errno.</returns>
    public long Set(int resource, ulong soft, ulong hard, bool privileged)
    {
        if (soft > hard) return -Errno.EINVAL;
        if (resource == NoFile && hard > FileTable.MaxLimit) return -Errno.EPERM;
        if (hard > _hard[resource] && !privileged) return -Errno.EPERM;
        _soft[resource] = soft;
        _hard[resource] = hard;
        return 0;
    }
}
