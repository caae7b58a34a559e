using ArmEmu.Memory;

namespace ArmEmu.Emulator.Linux;

/// <summary>
/// futex (kernel/futex/): wait queues keyed by the physical address of the futex word, so a
/// word in MAP_SHARED memory is one futex for every process that maps it and a private word
/// is its process's own. A waiter blocks until woken (its call then returns 0), its timeout
/// passes (ETIMEDOUT) or a signal interrupts it (EINTR). The priority-inheritance operations
/// glibc's PI mutexes use keep the owner's tid in the word with FUTEX_WAITERS set by waiters,
/// without boosting priorities (there are none to boost: one CPU, round robin).
/// </summary>
internal sealed partial class LinuxKernel
{
    private const int FutexWait = 0, FutexWake = 1, FutexRequeue = 3, FutexCmpRequeue = 4, FutexWakeOp = 5,
        FutexLockPi = 6, FutexUnlockPi = 7, FutexTrylockPi = 8, FutexWaitBitset = 9, FutexWakeBitset = 10, FutexLockPi2 = 13;
    private const uint FutexWaiters = 0x8000_0000, FutexOwnerDied = 0x4000_0000, FutexTidMask = 0x3FFF_FFFF;
    private const uint FutexBitsetMatchAny = 0xFFFF_FFFF;

    private sealed class FutexWaiter(GuestThread thread, uint bitset)
    {
        public GuestThread Thread { get; } = thread;
        public uint Bitset { get; } = bitset;
    }

    // Waiters per futex word (physical address), oldest first.
    private readonly Dictionary<uint, List<FutexWaiter>> _futexQueues = new();

    /// <summary>The physical address of a futex word of <paramref name="process"/>, or null if it is not mapped.</summary>
    private static uint? FutexKey(GuestProcess process, uint address)
    {
        var space = process.AddressSpace;
        if ((address & 3) != 0 || !space.IsMapped(address)) return null;
        return space.FrameOf(address) | (address & PhysicalBus.PageMask);
    }

    private long SysFutex(uint address, int op, uint value, uint timeoutOrValue2, uint address2, uint value3, bool wideTime)
    {
        int command = op & 0x7F; // FUTEX_PRIVATE_FLAG (128) and FUTEX_CLOCK_REALTIME (256) change nothing here
        if (FutexKey(CurrentProcess, address) is not uint key) return -Errno.EFAULT;
        switch (command)
        {
            case FutexWait or FutexWaitBitset:
            {
                uint bitset = command == FutexWait ? FutexBitsetMatchAny : value3;
                if (bitset == 0) return -Errno.EINVAL;
                if (!ReadUser32(address, out uint current)) return -Errno.EFAULT;
                if (current != value) return -Errno.EAGAIN;
                ulong deadline = ulong.MaxValue;
                if (timeoutOrValue2 != 0)
                {
                    // FUTEX_WAIT's timeout is relative; FUTEX_WAIT_BITSET's absolute, on CLOCK_MONOTONIC or
                    // (FUTEX_CLOCK_REALTIME) CLOCK_REALTIME -- both the guest's clocks.
                    long span = ReadTimespecNanoseconds(timeoutOrValue2, wideTime);
                    if (span < 0) return span;
                    if (command == FutexWaitBitset) span = Math.Max(0, span - ClockNanoseconds((op & 256) != 0 ? ClockRealtime : ClockMonotonic)!.Value);
                    deadline = DeadlineAfter(span);
                }
                var waiter = new FutexWaiter(CurrentThread, bitset);
                Queue(key).Add(waiter);
                // Woken: r0 = 0 from the waker. Timed out or interrupted: off the queue, ETIMEDOUT or EINTR.
                Cpu.R[0] = unchecked((uint)-Errno.ETIMEDOUT);
                long r = BlockCurrent(new ThreadBlock(() => false, deadline: deadline), restart: false);
                if (r != Blocked) Queue(key).Remove(waiter);
                else PendingFutexWaits[CurrentThread] = (key, waiter);
                return r;
            }
            case FutexWake or FutexWakeBitset:
                return FutexWakeKey(key, (int)Math.Min(value, int.MaxValue), command == FutexWake ? FutexBitsetMatchAny : value3);
            case FutexRequeue or FutexCmpRequeue:
            {
                if (command == FutexCmpRequeue)
                {
                    if (!ReadUser32(address, out uint current)) return -Errno.EFAULT;
                    if (current != value3) return -Errno.EAGAIN;
                }
                if (FutexKey(CurrentProcess, address2) is not uint key2) return -Errno.EFAULT;
                long woken = FutexWakeKey(key, (int)Math.Min(value, int.MaxValue), FutexBitsetMatchAny);
                var from = Queue(key);
                int move = (int)Math.Min(timeoutOrValue2, (uint)from.Count);
                var moved = from.Take(move).ToList();
                from.RemoveRange(0, move);
                Queue(key2).AddRange(moved);
                foreach (var w in moved) PendingFutexWaits[w.Thread] = (key2, w);
                return woken + moved.Count;
            }
            case FutexWakeOp:
                return FutexWakeOperation(key, address2, value, timeoutOrValue2, value3);
            case FutexLockPi or FutexLockPi2 or FutexTrylockPi:
            {
                if (!ReadUser32(address, out uint word)) return -Errno.EFAULT;
                uint tid = (uint)CurrentThread.Tid;
                if ((word & FutexTidMask) == tid) return -Errno.EDEADLK;
                if ((word & FutexTidMask) == 0)
                {
                    // Free (or its owner died): the caller takes it, keeping the waiters and owner-died bits
                    // (futex_lock_pi_atomic), so a robust mutex's next owner sees EOWNERDEAD.
                    return WriteUser32(address, tid | (word & (FutexWaiters | FutexOwnerDied))) ? 0 : -Errno.EFAULT;
                }
                if (command == FutexTrylockPi) return -Errno.EAGAIN;
                if (!WriteUser32(address, word | FutexWaiters)) return -Errno.EFAULT;
                // Made again when the owner unlocks (or the timeout passes: then ETIMEDOUT would be due; not modelled).
                var waiter = new FutexWaiter(CurrentThread, FutexBitsetMatchAny);
                Queue(key).Add(waiter);
                PendingFutexWaits[CurrentThread] = (key, waiter);
                return BlockCurrent(new ThreadBlock(() => !Queue(key).Contains(waiter)), restart: true);
            }
            case FutexUnlockPi:
            {
                if (!ReadUser32(address, out uint word)) return -Errno.EFAULT;
                if ((word & FutexTidMask) != (uint)CurrentThread.Tid) return -Errno.EPERM;
                // Free the word; every waiter tries LOCK_PI again and one of them takes it (in queue order).
                if (!WriteUser32(address, 0)) return -Errno.EFAULT;
                var queue = Queue(key);
                foreach (var w in queue) PendingFutexWaits.Remove(w.Thread);
                queue.Clear();
                return 0;
            }
            default:
                return NotSupportedCall($"futex op {command}");
        }
    }

    // The queue each blocked waiter sits in (for timeouts, signals and exits, which take it off).
    // Made by the first wait: a dictionary keyed by a class has the key's default comparer made by
    // reflection when it is built, a start-up cost (1% of a static hello's) for programs that never wait.
    private Dictionary<GuestThread, (uint Key, FutexWaiter Waiter)>? _pendingFutexWaitsMade;

    private Dictionary<GuestThread, (uint Key, FutexWaiter Waiter)> PendingFutexWaits => _pendingFutexWaitsMade ??= new();

    private List<FutexWaiter> Queue(uint key)
    {
        if (!_futexQueues.TryGetValue(key, out var queue)) _futexQueues[key] = queue = [];
        return queue;
    }

    /// <summary>Wakes up to <paramref name="count"/> waiters on the word at <paramref name="key"/> whose bitset matches: their calls return 0.</summary>
    private int FutexWakeKey(uint key, int count, uint bitset)
    {
        if (bitset == 0 || !_futexQueues.TryGetValue(key, out var queue)) return 0;
        int woken = 0;
        for (int i = 0; i < queue.Count && woken < count;)
        {
            var w = queue[i];
            if ((w.Bitset & bitset) == 0)
            {
                i++;
                continue;
            }
            queue.RemoveAt(i);
            PendingFutexWaits.Remove(w.Thread);
            if (w.Thread.Block is { Restarts: false })
            {
                w.Thread.SetSavedRegister(0, 0);
                w.Thread.Block = null;
            }
            woken++;
        }
        return woken;
    }

    /// <summary>FUTEX_WAKE for a word of <paramref name="process"/> (the CLONE_CHILD_CLEARTID wake at thread exit).</summary>
    private void FutexWakeWord(GuestProcess process, uint address, int count, uint bitset)
    {
        if (FutexKey(process, address) is uint key) FutexWakeKey(key, count, bitset);
    }

    /// <summary>
    /// FUTEX_WAKE_OP: *uaddr2 = *uaddr2 OP oparg (atomically: nothing else runs), wake up to
    /// val on uaddr, and if the old value of *uaddr2 CMP cmparg holds, up to val2 on uaddr2.
    /// </summary>
    private long FutexWakeOperation(uint key, uint address2, uint count, uint count2, uint encoded)
    {
        if (FutexKey(CurrentProcess, address2) is not uint key2) return -Errno.EFAULT;
        int operation = (int)(encoded >> 28) & 7;
        bool shift = (encoded & 0x8000_0000) != 0;
        int comparison = (int)(encoded >> 24) & 15;
        uint operand = (encoded >> 12) & 0xFFF, compareWith = encoded & 0xFFF;
        if (shift) operand = 1u << (int)(operand & 31);
        if (!ReadUser32(address2, out uint old)) return -Errno.EFAULT;
        uint updated = operation switch
        {
            0 => operand,           // FUTEX_OP_SET
            1 => old + operand,     // FUTEX_OP_ADD
            2 => old | operand,     // FUTEX_OP_OR
            3 => old & ~operand,    // FUTEX_OP_ANDN
            4 => old ^ operand,     // FUTEX_OP_XOR
            _ => old,
        };
        if (operation > 4) return -Errno.ENOSYS;
        if (!WriteUser32(address2, updated)) return -Errno.EFAULT;
        int oldSigned = (int)old, cmp = (int)compareWith;
        bool condition = comparison switch
        {
            0 => oldSigned == cmp, 1 => oldSigned != cmp, 2 => oldSigned < cmp,
            3 => oldSigned <= cmp, 4 => oldSigned > cmp, 5 => oldSigned >= cmp,
            _ => false,
        };
        long woken = FutexWakeKey(key, (int)Math.Min(count, int.MaxValue), FutexBitsetMatchAny);
        if (condition) woken += FutexWakeKey(key2, (int)Math.Min(count2, int.MaxValue), FutexBitsetMatchAny);
        return woken;
    }

    /// <summary>A thread stops waiting without a wake (timeout, signal, exit): it leaves its futex queue.</summary>
    private void LeaveFutexQueue(GuestThread thread)
    {
        if (_pendingFutexWaitsMade is { } waits && waits.Remove(thread, out var entry) && _futexQueues.TryGetValue(entry.Key, out var queue)) queue.Remove(entry.Waiter);
    }

    /// <summary>set_robust_list: remembered; the list is walked when the thread exits or execs (<see cref="ExitRobustList"/>).</summary>
    private long SysSetRobustList(uint head, uint length)
    {
        if (length != 12) return -Errno.EINVAL;
        CurrentThread.RobustListHead = head;
        CurrentThread.RobustListLength = length;
        return 0;
    }

    /// <summary>get_robust_list(pid, head_ptr, len_ptr) for a thread of the caller's process (0: itself).</summary>
    private long SysGetRobustList(int tid, uint headAddress, uint lengthAddress)
    {
        var thread = tid == 0 ? CurrentThread : _threads.Find(t => t.Tid == tid);
        if (thread is null) return -Errno.ESRCH;
        return WriteUser32(headAddress, thread.RobustListHead) && WriteUser32(lengthAddress, thread.RobustListLength) ? 0 : -Errno.EFAULT;
    }
}
