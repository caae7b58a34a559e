using System.Buffers.Binary;
using System.Text;

namespace ArmEmu.Emulator.Linux;

/// <summary>Identity, limits, randomness and the ARM private calls.</summary>
internal sealed unsafe partial class LinuxKernel
{
    private long SysGetResId(uint real, uint effective, uint saved, int r, int e) =>
        WriteUser32(real, (uint)r) && WriteUser32(effective, (uint)e) && WriteUser32(saved, (uint)e) ? 0 : -Errno.EFAULT;

    private long SysGetGroups(int size, uint list)
    {
        if (size < 0) return -Errno.EINVAL;
        uint* groups = stackalloc uint[256];
        long n = HostLibc.Check(HostLibc.GetGroups(Math.Min(size, 256), size == 0 ? null : groups));
        if (n <= 0 || size == 0) return n;
        for (int i = 0; i < n; i++)
            if (!WriteUser32(list + (uint)(4 * i), groups[i])) return -Errno.EFAULT;
        return n;
    }

    /// <summary>uname: the host's names, with the machine field of the emulated CPU (e.g. "armv5tel", as qemu-arm reports).</summary>
    private long SysUname(uint buffer)
    {
        byte* host = stackalloc byte[390];
        if (HostLibc.UName(host) != 0) return -Errno.EFAULT;
        var u = new Span<byte>(host, 390);
        var machine = u.Slice(4 * 65, 65);
        machine.Clear();
        Encoding.ASCII.GetBytes(ExecImage.UnameMachine(Cpu.Model)).CopyTo(machine);
        if (UnameRelease is { } release)
        {
            // qemu-arm -r: the release field (the third of six 65-byte fields), cut to fit.
            var field = u.Slice(2 * 65, 65);
            field.Clear();
            var bytes = Encoding.UTF8.GetBytes(release);
            bytes.AsSpan(0, Math.Min(bytes.Length, 64)).CopyTo(field);
        }
        return WriteUser(buffer, u) ? 0 : -Errno.EFAULT;
    }

    /// <summary>
    /// sched_getaffinity: the host's mask, and its size in bytes as the result. The guest's
    /// size must be a multiple of its 4-byte long (kernel/sched/core.c); the host call gets it
    /// rounded up to the host's long (capped at 8 KiB, a mask for 65536 CPUs), and a result
    /// past the guest's size is cut back to it when the extra bytes hold no CPU (else EINVAL).
    /// </summary>
    private long SysSchedGetAffinity(int pid, uint size, uint mask)
    {
        const uint MaxHostMask = 8192;
        if ((size & 3) != 0) return -Errno.EINVAL;
        uint hostSize = Math.Min((size + 7) & ~7u, MaxHostMask);
        byte* m = stackalloc byte[(int)MaxHostMask];
        new Span<byte>(m, (int)MaxHostMask).Clear();
        long r = HostLibc.Check(HostLibc.SchedGetAffinity(pid, hostSize, m));
        if (r < 0) return r;
        if (r > size)
        {
            if (new ReadOnlySpan<byte>(m + size, (int)(r - size)).ContainsAnyExcept((byte)0)) return -Errno.EINVAL;
            r = size;
        }
        return WriteUser(mask, new ReadOnlySpan<byte>(m, (int)r)) ? r : -Errno.EFAULT;
    }

    /// <summary>sysinfo: ARM's struct sysinfo (64 bytes), with the machine's RAM as total memory.</summary>
    private long SysSysinfo(uint address)
    {
        Span<byte> b = stackalloc byte[64];
        b.Clear();
        BinaryPrimitives.WriteUInt32LittleEndian(b[0..], (uint)(ClockNanoseconds(ClockMonotonic)!.Value / NanosecondsPerSecond)); // uptime
        BinaryPrimitives.WriteUInt32LittleEndian(b[16..], Machine.RamSize);
        BinaryPrimitives.WriteUInt32LittleEndian(b[20..], Machine.RamSize - Machine.Frames.FramesInUse * ProcessAddressSpace.PageSize);
        BinaryPrimitives.WriteUInt16LittleEndian(b[40..], 1);
        BinaryPrimitives.WriteUInt32LittleEndian(b[52..], 1);
        return WriteUser(address, b) ? 0 : -Errno.EFAULT;
    }

    private long SysGetRandom(uint buffer, uint length, uint flags)
    {
        const uint GrndNonBlock = 1, GrndRandom = 2, GrndInsecure = 4;
        // drivers/char/random.c: unknown bits, or GRND_INSECURE with GRND_RANDOM: EINVAL.
        if ((flags & ~(GrndNonBlock | GrndRandom | GrndInsecure)) != 0 || (flags & (GrndRandom | GrndInsecure)) == (GrndRandom | GrndInsecure))
            return -Errno.EINVAL;
        int n = (int)Math.Min(length, 33_554_431u);
        byte[] tmp = Rent(n);
        try
        {
            Random.Fill(tmp.AsSpan(0, n));
            return WriteUser(buffer, tmp.AsSpan(0, n)) ? n : -Errno.EFAULT;
        }
        finally
        {
            Return(tmp);
        }
    }

    /// <summary>
    /// prctl's process-name options (busybox asks for its name at start-up): PR_SET_NAME keeps
    /// up to 15 bytes, PR_GET_NAME gives them back NUL-padded to 16 (kernel/sys.c), starting
    /// from the executable's base name as exec sets it. Other options Linux has are named as
    /// missing (ENOSYS); one Linux does not have is EINVAL, as Linux answers.
    /// </summary>
    private long SysPrctl(int option, uint argument)
    {
        const int PrSetName = 15, PrGetName = 16;
        var comm = CurrentThread.Comm ??= GuestThread.CommFrom(CurrentProcess.Image.ExecutablePath);
        switch (option)
        {
            case PrSetName:
                var next = new byte[GuestThread.CommLength];
                Span<byte> one = stackalloc byte[1];
                for (int i = 0; i < GuestThread.CommLength - 1; i++)
                {
                    if (!ReadUser(argument + (uint)i, one)) return -Errno.EFAULT;
                    if (one[0] == 0) break;
                    next[i] = one[0];
                }
                CurrentThread.Comm = next;
                return 0;
            case PrGetName:
                return WriteUser(argument, comm) ? 0 : -Errno.EFAULT;
            default:
                // Options Linux 6.1 has (1 to 64, and PR_SET_PTRACER) are named as missing; any
                // other is unknown to Linux too, which answers EINVAL.
                const int PrSetPtracer = 0x59616d61;
                return option is (>= 1 and <= 64) or PrSetPtracer ? NotImplemented("prctl", $"option {option}") : -Errno.EINVAL;
        }
    }

    // ---- ARM private calls --------------------------------------------------------------

    private long SysBreakpoint()
    {
        // The kernel rewinds the PC to the SVC itself before raising SIGTRAP.
        Cpu.PC = CurrentThread.TrapAddress;
        RaiseSynchronousSignal(Signal.SIGTRAP, SignalCode.TRAP_BRKPT, CurrentThread.TrapAddress);
        return NoResult;
    }

    /// <summary>
    /// cacheflush(start, end, flags), as do_cache_op in arch/arm/kernel/traps.c:
    /// end below start or non-zero flags is EINVAL; a range outside user space is
    /// EFAULT; otherwise the D-cache is cleaned and the I-cache invalidated over
    /// [start, end) so newly written code becomes visible.
    /// </summary>
    private long SysCacheflush(uint start, uint end, uint flags)
    {
        if (end < start || flags != 0) return -Errno.EINVAL;
        if (end > TaskSize) return -Errno.EFAULT;
        Machine.CoherentUserRange(start, end);
        return 0;
    }

    /// <summary>
    /// set_tls: on ARMv6K and later the value goes to TPIDRURO (arch/arm/kernel/traps.c, set_tls),
    /// which user code and __kuser_get_tls read; ARMv5 has no such register, so the value lives in
    /// the kuser page where __kuser_get_tls reads it. The page slot is kept on both.
    /// </summary>
    private long SysSetTls(uint value)
    {
        CurrentThread.Tls = value;
        WriteTlsSlot(value);
        if (Machine.UserCp15 is { } cp15) cp15.Tpidruro = value;
        return 0;
    }

    /// <summary>The kuser page's TLS word, which __kuser_get_tls reads: the running thread's value.</summary>
    private void WriteTlsSlot(uint value) => Memory.DebugWrite(KuserHelpers.TlsSlot, BitConverter.GetBytes(value));
}
