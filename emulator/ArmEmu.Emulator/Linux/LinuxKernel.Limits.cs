using System.Buffers.Binary;

namespace ArmEmu.Emulator.Linux;

/// <summary>getrlimit, setrlimit, prlimit64 on the guest's own limits (<see cref="ResourceLimits"/>).</summary>
internal sealed partial class LinuxKernel
{
    /// <summary>The guest process a prlimit64 pid names (0: the caller), or null (ESRCH): never a host process.</summary>
    private GuestProcess? LimitTarget(int pid) =>
        pid == 0 ? CurrentProcess : _processes.TryGetValue(pid, out var p) && !p.HasExited ? p : null;

    private long SysPrLimit64(int pid, int resource, uint newAddress, uint oldAddress)
    {
        if ((uint)resource >= ResourceLimits.Count) return -Errno.EINVAL;
        var target = LimitTarget(pid);
        if (target is null) return -Errno.ESRCH;
        ulong soft = 0, hard = 0;
        if (newAddress != 0)
        {
            Span<byte> b = stackalloc byte[16];
            if (!ReadUser(newAddress, b)) return -Errno.EFAULT;
            soft = BinaryPrimitives.ReadUInt64LittleEndian(b);
            hard = BinaryPrimitives.ReadUInt64LittleEndian(b[8..]);
        }
        var old = target.Limits.Get(resource);
        if (newAddress != 0)
        {
            long r = SetLimit(target, resource, soft, hard);
            if (r < 0) return r;
        }
        if (oldAddress != 0 && !(WriteUser64(oldAddress, old.Soft) && WriteUser64(oldAddress + 8, old.Hard))) return -Errno.EFAULT;
        return 0;
    }

    /// <summary>ugetrlimit: struct rlimit with 32-bit values, anything past them (RLIM_INFINITY included) as ~0UL.</summary>
    private long SysUGetRLimit(int resource, uint address)
    {
        if ((uint)resource >= ResourceLimits.Count) return -Errno.EINVAL;
        var (soft, hard) = CurrentProcess.Limits.Get(resource);
        static uint Clamp(ulong v) => v >= uint.MaxValue ? uint.MaxValue : (uint)v;
        return WriteUser32(address, Clamp(soft)) && WriteUser32(address + 4, Clamp(hard)) ? 0 : -Errno.EFAULT;
    }

    /// <summary>setrlimit: 32-bit values, ~0UL meaning RLIM_INFINITY (kernel/sys.c, compat rlimit rules).</summary>
    private long SysSetRLimit(int resource, uint address)
    {
        if ((uint)resource >= ResourceLimits.Count) return -Errno.EINVAL;
        if (!ReadUser32(address, out uint soft) || !ReadUser32(address + 4, out uint hard)) return -Errno.EFAULT;
        static ulong Widen(uint v) => v == uint.MaxValue ? ResourceLimits.Infinity : v;
        return SetLimit(CurrentProcess, resource, Widen(soft), Widen(hard));
    }

    private static long SetLimit(GuestProcess target, int resource, ulong soft, ulong hard)
    {
        long r = target.Limits.Set(resource, soft, hard, privileged: HostLibc.GetEUid() == 0);
        if (r == 0 && resource == ResourceLimits.NoFile) target.Files.Limit = (int)Math.Min(soft, FileTable.MaxLimit);
        return r;
    }
}
