namespace ArmEmu.Emulator.Linux;

/// <summary>
/// A process's file descriptors (Linux's files_struct): guest numbers mapped to host
/// descriptors, each with its close-on-exec flag. Processes live in one host process, so
/// each needs a table of its own: a child's dup2 onto 1 must not redirect its parent's
/// standard output. fork gives the child a copy whose host descriptors are dup'ed (so the
/// two share each open file description, offset and status flags, as after fork(2)); a
/// descriptor closed in one stays open in the other. Host descriptors the table owns are
/// close-on-exec on the host, so a program execve runs on the host sees only the
/// descriptors the guest passes it. The first process's table starts with 0, 1 and 2 as the
/// host's own standard streams.
/// </summary>
internal sealed class FileTable
{
    private const int FDupFdCloseOnExec = 1030;
    private const int FdCloseOnExecHost = 1; // FD_CLOEXEC
    /// <summary>RLIMIT_NOFILE's default soft limit (INR_OPEN_CUR): where a new process's table ends.</summary>
    public const int DefaultLimit = 1024;
    /// <summary>Linux's fs.nr_open default: no table grows past it, whatever the limit says.</summary>
    public const int MaxLimit = 1 << 20;

    /// <summary>
    /// RLIMIT_NOFILE's soft value for this table: new descriptors are numbered below it (open
    /// gives EMFILE, dup2 EBADF, F_DUPFD EINVAL past it, as fs/file.c does). Lowering it keeps
    /// the descriptors already above it open, as on Linux.
    /// </summary>
    public int Limit { get; set; } = DefaultLimit;

    /// <summary>
    /// Indexed by guest number, null where free (Linux's fdtable is an array too): the lookup on
    /// every system call is an index, and the lowest free number a scan. Grows by doubling.
    /// </summary>
    private Entry?[] _entries = new Entry?[16];

    /// <summary>
    /// Called with the host descriptor before a guest descriptor is closed (close, dup2 over it,
    /// execve's close-on-exec, exit): the kernel releases the table's record locks on the file.
    /// </summary>
    public Action<int>? Closing { get; set; }

    private sealed class Entry(int host, bool closeOnExec)
    {
        public int Host { get; } = host;
        public bool CloseOnExec { get; set; } = closeOnExec;
    }

    /// <summary>The first process's table: 0, 1 and 2 are the host's own (when open).</summary>
    public static FileTable ForFirstProcess()
    {
        var table = new FileTable();
        for (int fd = 0; fd < 3; fd++)
            if (HostLibc.FCntl(fd, 1 /* F_GETFD */, 0) >= 0) table.Set(fd, new Entry(fd, false));
        return table;
    }

    private Entry? Get(int fd) => (uint)fd < (uint)_entries.Length ? _entries[fd] : null;

    private void Set(int fd, Entry? entry)
    {
        if (fd >= _entries.Length)
        {
            if (entry is null) return;
            Array.Resize(ref _entries, Math.Max(_entries.Length * 2, fd + 1));
        }
        _entries[fd] = entry;
    }

    /// <summary>The host descriptor behind guest <paramref name="fd"/>, or -1 (the host then answers EBADF).</summary>
    public int Host(int fd) => Get(fd) is { } e ? e.Host : -1;

    /// <summary>A dirfd argument: AT_FDCWD passes as it is (the host's cwd is the running process's).</summary>
    public int HostDirectory(int dirfd) => dirfd == HostLibc.AtFdCwd ? dirfd : Host(dirfd);

    public bool IsOpen(int fd) => Get(fd) is not null;

    /// <summary>The guest numbers in use, in order.</summary>
    public IEnumerable<int> Descriptors
    {
        get
        {
            for (int fd = 0; fd < _entries.Length; fd++)
                if (_entries[fd] is not null) yield return fd;
        }
    }

    public bool CloseOnExec(int fd) => Get(fd) is { CloseOnExec: true };

    public void SetCloseOnExec(int fd, bool value)
    {
        if (Get(fd) is { } e) e.CloseOnExec = value;
    }

    /// <summary>
    /// Takes a host descriptor the kernel just opened (it becomes close-on-exec on the host)
    /// under the lowest free guest number at or above <paramref name="lowest"/>; -EMFILE if none.
    /// </summary>
    public long Install(int host, bool closeOnExec, int lowest = 0)
    {
        int fd = Math.Max(0, lowest);
        while (Get(fd) is not null) fd++;
        if (fd >= Limit)
        {
            HostLibc.Close(host);
            return -24; // EMFILE
        }
        MarkHostCloseOnExec(host);
        Set(fd, new Entry(host, closeOnExec));
        return fd;
    }

    /// <summary>Puts <paramref name="host"/> at guest number <paramref name="fd"/>, closing what was there (dup2).</summary>
    public void InstallAt(int fd, int host, bool closeOnExec)
    {
        if (Get(fd) is { } replaced)
        {
            Closing?.Invoke(replaced.Host);
            Set(fd, null);
            if (!HostStillNamed(replaced.Host)) HostLibc.Close(replaced.Host);
        }
        MarkHostCloseOnExec(host);
        Set(fd, new Entry(host, closeOnExec));
    }

    /// <summary>close: 0, or -EBADF.</summary>
    public long Close(int fd)
    {
        if (Get(fd) is not { } e) return -Errno.EBADF;
        Closing?.Invoke(e.Host);
        Set(fd, null);
        if (!HostStillNamed(e.Host)) HostLibc.Close(e.Host);
        return 0;
    }

    /// <summary>fork: a table naming the same open files through new host descriptors.</summary>
    public FileTable Fork()
    {
        var copy = new FileTable { Limit = Limit };
        for (int fd = 0; fd < _entries.Length; fd++)
        {
            if (_entries[fd] is not { } e) continue;
            int host = HostLibc.FCntl(e.Host, FDupFdCloseOnExec, 3);
            if (host >= 0) copy.Set(fd, new Entry(host, e.CloseOnExec));
        }
        return copy;
    }

    /// <summary>execve: the close-on-exec descriptors are closed.</summary>
    public void CloseOnExecDescriptors()
    {
        for (int fd = 0; fd < _entries.Length; fd++)
            if (_entries[fd] is { CloseOnExec: true }) Close(fd);
    }

    /// <summary>Exit: every descriptor is closed.</summary>
    public void CloseAll()
    {
        for (int fd = 0; fd < _entries.Length; fd++)
            if (_entries[fd] is not null) Close(fd);
    }

    private bool HostStillNamed(int host)
    {
        foreach (var e in _entries)
            if (e is not null && e.Host == host) return true;
        return false;
    }

    private static void MarkHostCloseOnExec(int host)
    {
        if (host > 2) HostLibc.FCntl(host, 2 /* F_SETFD */, FdCloseOnExecHost);
    }
}
