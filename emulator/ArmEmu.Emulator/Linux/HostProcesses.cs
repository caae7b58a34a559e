using System.Runtime.InteropServices;
using System.Text;

namespace ArmEmu.Emulator.Linux;

/// <summary>
/// The host calls the process layer needs: a directory descriptor for a process's working
/// directory, reaping host children, and starting a host program (execve of an executable
/// that is not an ARM ELF, which runs on the host as qemu-arm would run it) with the guest's
/// descriptors at the guest's numbers.
/// </summary>
internal static unsafe partial class HostLibc
{
    [LibraryImport(Libc, EntryPoint = "waitpid", SetLastError = true)]
    public static partial int WaitPid(int pid, int* status, int options);

    [LibraryImport(Libc, EntryPoint = "posix_spawn", SetLastError = true)]
    private static partial int PosixSpawn(int* pid, byte* path, byte* fileActions, byte* attributes, byte** argv, byte** envp);

    [LibraryImport(Libc, EntryPoint = "posix_spawn_file_actions_init")]
    private static partial int FileActionsInit(byte* actions);

    [LibraryImport(Libc, EntryPoint = "posix_spawn_file_actions_destroy")]
    private static partial int FileActionsDestroy(byte* actions);

    [LibraryImport(Libc, EntryPoint = "posix_spawn_file_actions_adddup2")]
    private static partial int FileActionsAddDup2(byte* actions, int fd, int newFd);

    [LibraryImport(Libc, EntryPoint = "posix_spawn_file_actions_addclose")]
    private static partial int FileActionsAddClose(byte* actions, int fd);

    [LibraryImport(Libc, EntryPoint = "posix_spawnattr_init")]
    private static partial int AttributesInit(byte* attributes);

    [LibraryImport(Libc, EntryPoint = "posix_spawnattr_destroy")]
    private static partial int AttributesDestroy(byte* attributes);

    [LibraryImport(Libc, EntryPoint = "posix_spawnattr_setflags")]
    private static partial int AttributesSetFlags(byte* attributes, short flags);

    [LibraryImport(Libc, EntryPoint = "posix_spawnattr_setsigmask")]
    private static partial int AttributesSetSignalMask(byte* attributes, byte* mask);

    [LibraryImport(Libc, EntryPoint = "posix_spawnattr_setsigdefault")]
    private static partial int AttributesSetSignalDefault(byte* attributes, byte* set);

    [LibraryImport(Libc, EntryPoint = "sigemptyset")]
    private static partial int SigEmptySet(byte* set);

    [LibraryImport(Libc, EntryPoint = "sigfillset")]
    private static partial int SigFillSet(byte* set);

    /// <summary>A close-on-exec O_PATH descriptor of a directory, or -1.</summary>
    public static int OpenDirectory(string path)
    {
        const int ODirectory = 0x1_0000, OPath = 0x20_0000, OCloExec = 0x8_0000;
        byte[] bytes = Encoding.UTF8.GetBytes(path + "\0");
        fixed (byte* p = bytes) return OpenAt(AtFdCwd, p, ODirectory | OPath | OCloExec, 0);
    }

    /// <summary>
    /// Starts <paramref name="path"/> on the host with <paramref name="arguments"/> and
    /// <paramref name="environment"/>; each (guest number, host descriptor) pair becomes that
    /// number in the new process, nothing else is inherited; the signal mask is empty and
    /// every disposition the default (the emulator's own handlers and ignored signals are not
    /// the guest's). Returns the host pid, or -errno (the exec's error: ENOENT, EACCES, ENOEXEC).
    /// </summary>
    public static long Spawn(string path, IReadOnlyList<string> arguments, IReadOnlyList<string> environment,
        IReadOnlyList<(int Guest, int Host)> descriptors)
    {
        const short SetSignalDefault = 0x04, SetSignalMask = 0x08; // POSIX_SPAWN_SETSIGDEF, POSIX_SPAWN_SETSIGMASK
        const int Parking = 600; // descriptors are moved up here first, so no move overwrites a source still needed
        // Opaque glibc structures, with room to spare (80, 336 and 128 bytes on x86-64 and AArch64).
        byte* actions = stackalloc byte[512], attributes = stackalloc byte[1024], empty = stackalloc byte[256], full = stackalloc byte[256];
        var strings = new List<nint>();
        nint Utf8(string s)
        {
            nint p = Marshal.StringToCoTaskMemUTF8(s);
            strings.Add(p);
            return p;
        }
        byte** argv = (byte**)NativeMemory.AllocZeroed((nuint)(arguments.Count + 1), (nuint)sizeof(nint));
        byte** envp = (byte**)NativeMemory.AllocZeroed((nuint)(environment.Count + 1), (nuint)sizeof(nint));
        FileActionsInit(actions);
        AttributesInit(attributes);
        try
        {
            for (int i = 0; i < arguments.Count; i++) argv[i] = (byte*)Utf8(arguments[i]);
            for (int i = 0; i < environment.Count; i++) envp[i] = (byte*)Utf8(environment[i]);
            foreach (var (guest, host) in descriptors) FileActionsAddDup2(actions, host, Parking + guest);
            foreach (var (guest, _) in descriptors)
            {
                FileActionsAddDup2(actions, Parking + guest, guest);
                FileActionsAddClose(actions, Parking + guest);
            }
            SigEmptySet(empty);
            SigFillSet(full);
            AttributesSetSignalMask(attributes, empty);
            AttributesSetSignalDefault(attributes, full);
            AttributesSetFlags(attributes, SetSignalDefault | SetSignalMask);
            int pid;
            byte* file = (byte*)Utf8(path);
            int error = PosixSpawn(&pid, file, actions, attributes, argv, envp);
            return error != 0 ? -error : pid;
        }
        finally
        {
            FileActionsDestroy(actions);
            AttributesDestroy(attributes);
            foreach (nint p in strings) Marshal.FreeCoTaskMem(p);
            NativeMemory.Free(argv);
            NativeMemory.Free(envp);
        }
    }
}
