namespace ArmEmu.Emulator.Linux;

/// <summary>
/// POSIX record locks (fcntl F_GETLK/F_SETLK/F_SETLKW, fs/locks.c) among the guest's processes.
/// Every guest process lives in the one armemu host process, so the host's own POSIX locks
/// cannot tell them apart: the kernel keeps them here, as Linux does, per file (host device and
/// inode) and per owner. The owner is the descriptor table (Linux's fl_owner is current->files):
/// threads and CLONE_FILES children share locks, a forked child starts with none, and closing
/// any descriptor of a file releases all of the owner's locks on it (the POSIX rule), as does
/// exit. Ranges are inclusive; <see cref="long.MaxValue"/> stands for "to the end of the file,
/// however it grows" (l_len 0).
/// </summary>
internal sealed class RecordLocks
{
    /// <summary>One lock: its owner, the pid F_GETLK reports (the taker's tgid), its range and kind.</summary>
    internal readonly record struct Lock(FileTable Owner, int Pid, long Start, long End, bool Write);

    private readonly Dictionary<(ulong Dev, ulong Ino), List<Lock>> _files = new();

    /// <summary>Owners blocked in F_SETLKW, and the owner whose lock they wait on (for EDEADLK).</summary>
    // Made by the first blocked lock (a dictionary keyed by a class has its comparer made by
    // reflection when built: a start-up cost for programs that never lock).
    private Dictionary<FileTable, FileTable>? _waitingFor;

    /// <summary>True if <paramref name="owner"/> holds a lock on any file (closes need not look up the file otherwise).</summary>
    public bool HoldsAny(FileTable owner) => _files.Values.Any(list => list.Exists(l => l.Owner == owner));

    /// <summary>The first lock of another owner that a lock of this range and kind would conflict with.</summary>
    public Lock? FirstConflict((ulong, ulong) file, FileTable owner, long start, long end, bool write)
    {
        if (!_files.TryGetValue(file, out var list)) return null;
        foreach (var l in list)
            if (l.Owner != owner && l.Start <= end && start <= l.End && (write || l.Write)) return l;
        return null;
    }

    /// <summary>
    /// Sets (read or write) or clears (unlock) the range for <paramref name="owner"/>: its own locks
    /// in the range are replaced, split where they stick out, and adjacent or overlapping ones of the
    /// same kind merged (posix_lock_inode), so F_GETLK reports ranges as Linux does.
    /// </summary>
    public void Set((ulong, ulong) file, FileTable owner, int pid, long start, long end, bool? write)
    {
        if (!_files.TryGetValue(file, out var list)) _files[file] = list = [];
        var kept = new List<Lock>(list.Count + 2);
        foreach (var l in list)
        {
            bool touches = l.Owner == owner && l.Start <= (end == long.MaxValue ? end : end + 1) && (start == 0 ? 0 : start - 1) <= l.End;
            if (!touches)
            {
                kept.Add(l);
                continue;
            }
            if (write == l.Write)
            {
                // Same kind, overlapping or adjacent: one lock over both.
                start = Math.Min(start, l.Start);
                end = Math.Max(end, l.End);
                continue;
            }
            // Another kind (or an unlock): what lies outside the new range survives.
            if (l.Start < start) kept.Add(l with { End = start - 1 });
            if (l.End > end) kept.Add(l with { Start = end + 1 });
        }
        if (write is { } w) kept.Add(new Lock(owner, pid, start, end, w));
        kept.Sort((a, b) => a.Start.CompareTo(b.Start));
        if (kept.Count == 0) _files.Remove(file);
        else _files[file] = kept;
    }

    /// <summary>close (any descriptor of the file): the owner's locks on it go.</summary>
    public void ReleaseFile((ulong, ulong) file, FileTable owner)
    {
        if (!_files.TryGetValue(file, out var list)) return;
        list.RemoveAll(l => l.Owner == owner);
        if (list.Count == 0) _files.Remove(file);
    }

    /// <summary>
    /// Whether <paramref name="owner"/> waiting on <paramref name="blocker"/> would close a cycle of
    /// waiters (posix_locks_deadlock): then F_SETLKW fails with EDEADLK instead of waiting for ever.
    /// </summary>
    public bool WouldDeadlock(FileTable owner, FileTable blocker)
    {
        for (int steps = 0; steps < 64; steps++)
        {
            if (blocker == owner) return true;
            if (_waitingFor is null || !_waitingFor.TryGetValue(blocker, out var next)) return false;
            blocker = next;
        }
        return false;
    }

    /// <summary>F_SETLKW blocked: <paramref name="owner"/> waits on <paramref name="blocker"/>'s lock.</summary>
    public void Waiting(FileTable owner, FileTable blocker) => (_waitingFor ??= new())[owner] = blocker;

    /// <summary>The owner's wait ended (it runs its F_SETLKW again, or gave up).</summary>
    public void NotWaiting(FileTable owner) => _waitingFor?.Remove(owner);
}
