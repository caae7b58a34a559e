namespace ArmEmu.Emulator.Linux;

/// <summary>
/// Robust futexes (kernel/futex/core.c, exit_robust_list and handle_futex_death): when a
/// thread exits or execs, the kernel walks the list of robust mutexes it holds, which the
/// C library keeps in user memory and registered with set_robust_list, and marks each one
/// still owned by the thread FUTEX_OWNER_DIED, waking a waiter; the next locker then gets
/// EOWNERDEAD from pthread_mutex_lock. (qemu-arm 7.2 answers set_robust_list with ENOSYS, so
/// under it such a locker waits for ever; Linux and armemu give EOWNERDEAD.)
/// </summary>
internal sealed partial class LinuxKernel
{
    /// <summary>ROBUST_LIST_LIMIT: at most this many entries are walked (a list made circular by a bug ends).</summary>
    private const int RobustListLimit = 2048;

    /// <summary>
    /// exit_robust_list for <paramref name="thread"/>, whose process's address space must be the
    /// one in place. struct robust_list_head is { next; long futex_offset; list_op_pending },
    /// each pointer with bit 0 set for a PI futex; the futex word of an entry is at
    /// entry + futex_offset. The entry being locked or unlocked (list_op_pending) is done last.
    /// </summary>
    private void ExitRobustList(GuestThread thread)
    {
        uint head = thread.RobustListHead;
        thread.RobustListHead = thread.RobustListLength = 0;
        if (head == 0 || !ReferenceEquals(thread.Process.AddressSpace, Memory.Translator)) return;
        if (!ReadUser32(head, out uint next) || !ReadUser32(head + 4, out uint offset) || !ReadUser32(head + 8, out uint pending)) return;
        uint entry = next & ~1u, pendingEntry = pending & ~1u;
        bool pi = (next & 1) != 0, pendingPi = (pending & 1) != 0;
        for (int limit = RobustListLimit; entry != head; )
        {
            bool more = ReadUser32(entry, out uint following);
            if (entry != pendingEntry) HandleFutexDeath(thread, entry + offset, pi, pendingOperation: false);
            if (!more) return;
            entry = following & ~1u;
            pi = (following & 1) != 0;
            if (--limit == 0) break;
        }
        if (pendingEntry != 0) HandleFutexDeath(thread, pendingEntry + offset, pendingPi, pendingOperation: true);
    }

    /// <summary>
    /// handle_futex_death: a word the thread owns becomes FUTEX_OWNER_DIED (keeping FUTEX_WAITERS)
    /// and, with waiters, one is woken (every PI waiter, which then takes the lock with the bit
    /// set); a pending plain futex that is free wakes a waiter, which may have missed the unlock.
    /// </summary>
    private void HandleFutexDeath(GuestThread thread, uint address, bool pi, bool pendingOperation)
    {
        if ((address & 3) != 0 || !ReadUser32(address, out uint value)) return;
        if (pendingOperation && !pi && value == 0)
        {
            FutexWakeWord(thread.Process, address, 1, FutexBitsetMatchAny);
            return;
        }
        if ((value & FutexTidMask) != (uint)thread.Tid) return;
        if (!WriteUser32(address, (value & FutexWaiters) | FutexOwnerDied)) return;
        if ((value & FutexWaiters) == 0) return;
        if (!pi)
        {
            FutexWakeWord(thread.Process, address, 1, FutexBitsetMatchAny);
            return;
        }
        // PI waiters wait to be taken off the queue, then try FUTEX_LOCK_PI again (as after FUTEX_UNLOCK_PI).
        if (FutexKey(thread.Process, address) is not uint key) return;
        var queue = Queue(key);
        foreach (var w in queue) PendingFutexWaits.Remove(w.Thread);
        queue.Clear();
    }
}
