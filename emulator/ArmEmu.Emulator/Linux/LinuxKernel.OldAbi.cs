namespace ArmEmu.Emulator.Linux;

/// <summary>
/// Old-ABI system calls, as a kernel with CONFIG_OABI_COMPAT and qemu-arm take them: in ARM
/// state an SWI with a non-zero immediate is an old-ABI call whose number is the immediate
/// XOR 0x900000 (so 0x900000-0x9fffff are the calls 0-0xfffff and every other immediate lands
/// past the ARM private calls: SIGILL); an immediate of 0, and every Thumb SVC, is an EABI call
/// with the number in r7. The arguments are in r0-r5 either way; the old ABI does not move a
/// 64-bit argument to an even register pair, so pread64, pwrite64, truncate64 and ftruncate64
/// find theirs one register earlier (arch/arm/kernel/sys_oabi-compat.c; qemu-arm's
/// regpairs_aligned). Departure from both: the structures whose old-ABI layout differs
/// (stat64, epoll_event, sembuf, sockaddr_un, ...) are read and written in the EABI layout.
/// </summary>
internal sealed partial class LinuxKernel
{
    /// <summary>__NR_OABI_SYSCALL_BASE.</summary>
    private const uint OldAbiBase = 0x90_0000;

    private static (uint, uint, uint, uint, uint, uint) OldAbiArguments(SyscallNumber nr, uint a0, uint a1, uint a2, uint a3, uint a4, uint a5) => nr switch
    {
        // (fd, buffer, count, offset low, offset high): the EABI form has a pad register before the pair.
        SyscallNumber.pread64 or SyscallNumber.pwrite64 => (a0, a1, a2, 0, a3, a4),
        // (path or fd, length low, length high).
        SyscallNumber.truncate64 or SyscallNumber.ftruncate64 => (a0, 0, a1, a2, a3, a4),
        _ => (a0, a1, a2, a3, a4, a5),
    };
}
