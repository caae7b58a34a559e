using System.Buffers.Binary;
using System.Text;
using ArmEmu.Cpu;
using ArmEmu.Memory;

namespace ArmEmu.Emulator.Semihosting;

/// <summary>Where semihosting talks to the outside world.</summary>
internal sealed class SemihostingOptions
{
    public Stream Console { get; init; } = Stream.Null;

    public Stream ConsoleInput { get; init; } = Stream.Null;

    /// <summary>Directory file operations are confined to (the working directory by default).</summary>
    public string Root { get; init; } = Environment.CurrentDirectory;

    /// <summary>Whether the console is a terminal: SYS_ISTTY on ":tt" says so, as QEMU answers for its own stdout.</summary>
    public bool ConsoleIsTerminal { get; init; }

    /// <summary>What SYS_GET_CMDLINE returns.</summary>
    public string CommandLine { get; init; } = "";

    /// <summary>Heap and stack for SYS_HEAPINFO: base, limit, stack base, stack limit.</summary>
    public (uint HeapBase, uint HeapLimit, uint StackBase, uint StackLimit) HeapInfo { get; init; }

    /// <summary>Centiseconds since start, for SYS_CLOCK (the machine derives it from its virtual clock).</summary>
    public Func<ulong> Centiseconds { get; init; } = () => 0;
}

/// <summary>
/// ARM semihosting for AArch32 as QEMU implements it (the "Semihosting for
/// AArch32 and AArch64" specification, ARM DUI 0058 / IHI 0074): SVC 0x123456
/// in ARM state, SVC 0xAB in Thumb state, operation in r0, parameter block
/// address (or value) in r1, result in r0. Guest addresses are virtual, read
/// through the CPU's memory port as the guest would see them.
/// </summary>
internal sealed class ArmSemihosting
{
    private const int SysOpen = 0x01, SysClose = 0x02, SysWriteC = 0x03, SysWrite0 = 0x04, SysWrite = 0x05, SysRead = 0x06,
        SysReadC = 0x07, SysIsError = 0x08, SysIsTty = 0x09, SysSeek = 0x0A, SysFlen = 0x0C, SysRemove = 0x0E,
        SysRename = 0x0F, SysClock = 0x10, SysTime = 0x11, SysErrno = 0x13, SysGetCmdline = 0x15, SysHeapInfo = 0x16,
        SysExit = 0x18, SysExitExtended = 0x20, SysElapsed = 0x30, SysTickFreq = 0x31;

    /// <summary>ADP_Stopped_ApplicationExit: the only SYS_EXIT reason that means success.</summary>
    public const uint ApplicationExit = 0x20026;

    private static readonly string[] FopenModes = ["r", "rb", "r+", "r+b", "w", "wb", "w+", "w+b", "a", "ab", "a+", "a+b"];

    private readonly Cpu.Cpu _cpu;
    private readonly MemoryPort _memory;
    private readonly SemihostingOptions _options;
    private readonly Dictionary<int, Stream?> _files = new(); // null value: the console (":tt")
    private ConfinedDirectory? _root;
    private int _nextHandle = 1;
    private int _errno;

    /// <summary>At most this many handles are open at once; past it SYS_OPEN fails with EMFILE, as the host's fd limit makes QEMU's.</summary>
    public const int MaxOpenHandles = 1024;

    /// <summary>The longest name SYS_OPEN, SYS_REMOVE and SYS_RENAME accept (Linux's PATH_MAX, terminator included).</summary>
    public const int MaxNameBytes = 4096;

    // Guest buffers are copied in pieces of this size, so a length of 2^31 or more costs no more host memory than this.
    private const int CopyChunk = 64 * 1024;

    private const int E2big = 7, Ebadf = 9, Eacces = 13, Efault = 14, Einval = 22, Emfile = 24, Enametoolong = 36;

    public ArmSemihosting(Cpu.Cpu cpu, MemoryPort memory, SemihostingOptions options)
    {
        _cpu = cpu;
        _memory = memory;
        _options = options;
    }

    /// <summary>
    /// The root, opened at the first file operation (a guest that never touches files needs none).
    /// The command line checks it exists before the guest starts; if it vanished since, file
    /// operations fail with EACCES.
    /// </summary>
    private ConfinedDirectory? Root()
    {
        if (_root is null)
        {
            try { _root = new ConfinedDirectory(_options.Root); }
            catch (DirectoryNotFoundException) { return null; }
        }
        return _root;
    }

    /// <summary>Set once the guest called SYS_EXIT or SYS_EXIT_EXTENDED.</summary>
    public int? ExitStatus { get; private set; }

    /// <summary>True if <paramref name="opcode"/>, raised as an SVC in the current state, is a semihosting call.</summary>
    public static bool IsSemihostingCall(uint opcode, bool thumb) =>
        thumb ? (opcode & 0xFF) == 0xAB && (opcode & 0xFF00) == 0xDF00 : (opcode & 0x00FF_FFFF) == 0x12_3456;

    /// <summary>
    /// Performs the call in r0/r1 and writes its result to r0. Memory the guest cannot reach
    /// fails the call as QEMU's do_fault does (arm-compat-semi.c): r0 = -1 and SYS_ERRNO EFAULT
    /// for a parameter block, name or result buffer; 0xdeadbeef (its common_semi_dead_cb) and
    /// the errno unchanged for SYS_WRITEC and SYS_WRITE0, which have no result; SYS_READ and
    /// SYS_WRITE count the bytes they did not move.
    /// </summary>
    public void Handle()
    {
        uint op = _cpu.R[0], arg = _cpu.R[1];
        long result;
        try
        {
            result = Dispatch(op, arg);
        }
        catch (SemihostingFault)
        {
            result = op is SysWriteC or SysWrite0 ? 0xDEAD_BEEF : Fail(Efault);
        }
        _cpu.R[0] = (uint)result;
    }

    private long Dispatch(uint op, uint arg) =>
        op switch
        {
            SysOpen => Open(arg),
            SysClose => Close(Word(arg, 0)),
            SysWriteC => WriteConsole(ReadBytes(arg, 1)),
            SysWrite0 => WriteConsoleString(arg),
            SysWrite => Write(arg),
            SysRead => Read(arg),
            SysReadC => _options.ConsoleInput.ReadByte() is var c && c >= 0 ? c : -1,
            SysIsError => (int)Word(arg, 0) < 0 ? 1 : 0,
            SysIsTty => IsTty(Word(arg, 0)),
            SysSeek => Seek(Word(arg, 0), Word(arg, 1)),
            SysFlen => Flen(Word(arg, 0)),
            SysRemove => Remove(arg),
            SysRename => Rename(arg),
            SysClock => (long)_options.Centiseconds(),
            SysTime => DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            SysErrno => _errno,
            SysGetCmdline => GetCommandLine(arg),
            SysHeapInfo => HeapInfo(arg),
            SysExit => Exit(arg == ApplicationExit ? 0 : 1),
            SysExitExtended => Exit(Word(arg, 0) == ApplicationExit ? (int)Word(arg, 1) : 1),
            SysElapsed => Elapsed(arg),
            SysTickFreq => 100,
            _ => -1,
        };

    private long Exit(int status)
    {
        ExitStatus ??= status;
        _cpu.RequestStop();
        return 0;
    }

    // ---- guest memory ---------------------------------------------------------------------

    private uint Word(uint block, int index)
    {
        Span<byte> b = stackalloc byte[4];
        if (!_memory.DebugRead(block + (uint)(4 * index), b)) throw new SemihostingFault(block + (uint)(4 * index));
        return BinaryPrimitives.ReadUInt32LittleEndian(b);
    }

    private byte[] ReadBytes(uint address, uint length)
    {
        var data = new byte[length];
        if (!_memory.DebugRead(address, data)) throw new SemihostingFault(address);
        return data;
    }

    /// <summary>SYS_WRITE0: the string is copied to the console a piece at a time, however long it is.</summary>
    private long WriteConsoleString(uint address)
    {
        Span<byte> piece = stackalloc byte[256];
        for (uint a = address; ; a += (uint)piece.Length)
        {
            int n = 0;
            for (; n < piece.Length; n++)
                if (!_memory.DebugRead(a + (uint)n, piece.Slice(n, 1))) throw new SemihostingFault(a + (uint)n);
                else if (piece[n] == 0) break;
            WriteConsole(piece[..n]);
            if (n < piece.Length) return 0;
        }
    }

    private long WriteConsole(ReadOnlySpan<byte> data)
    {
        _options.Console.Write(data);
        _options.Console.Flush();
        return 0;
    }

    // ---- files ---------------------------------------------------------------------------

    /// <summary>
    /// The name a SYS_OPEN/REMOVE/RENAME block gives, read as QEMU's validate_strlen does: the
    /// byte after <paramref name="length"/> must be the terminator (else EINVAL) and names past
    /// PATH_MAX are refused (ENAMETOOLONG). The name ends at its first NUL, as the host sees it.
    /// </summary>
    private string? GuestName(uint address, uint length, out int errno)
    {
        errno = 0;
        if (length >= MaxNameBytes)
        {
            errno = Enametoolong;
            return null;
        }
        byte[] bytes = ReadBytes(address, length + 1);
        if (bytes[length] != 0)
        {
            errno = Einval;
            return null;
        }
        int end = Array.IndexOf(bytes, (byte)0);
        return Encoding.UTF8.GetString(bytes, 0, end);
    }

    private long Open(uint block)
    {
        uint mode = Word(block, 1);
        string? name = GuestName(Word(block, 0), Word(block, 2), out int errno);
        if (name is null) return Fail(errno);
        if (mode >= FopenModes.Length) return Fail(Einval);
        if (_files.Count >= MaxOpenHandles) return Fail(Emfile);
        if (name == ":tt")
        {
            int handle = _nextHandle++;
            _files[handle] = null;
            return handle;
        }
        // fopen's modes as QEMU maps them (gdb_open_modeflags), always created 0644; "a" is opened
        // without O_APPEND and positioned at the end, as before.
        string m = FopenModes[mode];
        const int ORdonly = 0, OWronly = 1, ORdwr = 2, OCreat = 0x40, OTrunc = 0x200;
        bool plus = m.Contains('+');
        int flags = m[0] switch
        {
            'r' => plus ? ORdwr : ORdonly,
            'w' => (plus ? ORdwr : OWronly) | OCreat | OTrunc,
            _ => (plus ? ORdwr : OWronly) | OCreat,
        };
        if (Root() is not { } root) return Fail(Eacces);
        var file = root.OpenFile(name, flags, out errno);
        if (file is null) return Fail(errno);
        var access = m[0] == 'r' && !plus ? FileAccess.Read : plus ? FileAccess.ReadWrite : FileAccess.Write;
        var stream = new FileStream(file, access, bufferSize: 0);
        if (m[0] == 'a' && stream.CanSeek) stream.Seek(0, SeekOrigin.End);
        int h = _nextHandle++;
        _files[h] = stream;
        return h;
    }

    private long Fail(int errno)
    {
        _errno = errno;
        return -1;
    }

    private long Close(uint handle)
    {
        if (!_files.Remove((int)handle, out var stream)) return Fail(Ebadf);
        stream?.Dispose();
        return 0;
    }

    private long Write(uint block)
    {
        // SYS_WRITE and SYS_READ have no error but the count of bytes not moved; QEMU's
        // common_semi_rw_cb leaves SYS_ERRNO as it was (a handle not open, unreachable memory,
        // a host error alike).
        uint handle = Word(block, 0), buffer = Word(block, 1), length = Word(block, 2);
        if (!_files.TryGetValue((int)handle, out var stream)) return length;
        var chunk = new byte[Math.Min(length, CopyChunk)];
        for (uint done = 0; done < length;)
        {
            int n = (int)Math.Min(length - done, (uint)chunk.Length);
            if (!_memory.DebugRead(buffer + done, chunk.AsSpan(0, n))) return length - done;
            try
            {
                if (stream is null) WriteConsole(chunk.AsSpan(0, n));
                else stream.Write(chunk, 0, n);
            }
            catch (Exception e) when (e is IOException or NotSupportedException)
            {
                return length - done;
            }
            done += (uint)n;
        }
        return 0; // bytes NOT written
    }

    private long Read(uint block)
    {
        uint handle = Word(block, 0), buffer = Word(block, 1), length = Word(block, 2);
        if (!_files.TryGetValue((int)handle, out var stream)) return length;
        var source = stream ?? _options.ConsoleInput;
        var chunk = new byte[Math.Min(length, CopyChunk)];
        uint got = 0;
        try
        {
            while (got < length)
            {
                int n = source.Read(chunk, 0, (int)Math.Min(length - got, (uint)chunk.Length));
                if (n == 0) break;
                if (!_memory.DebugWrite(buffer + got, chunk.AsSpan(0, n))) break;
                got += (uint)n;
                if (stream is null) break; // the console returns what a line gives
            }
        }
        catch (Exception e) when (e is IOException or NotSupportedException)
        {
            return length - got;
        }
        return length - got; // bytes NOT read
    }

    private long IsTty(uint handle) =>
        _files.TryGetValue((int)handle, out var stream) ? (stream is null && _options.ConsoleIsTerminal ? 1 : 0) : Fail(Ebadf);

    private long Seek(uint handle, uint position)
    {
        if (!_files.TryGetValue((int)handle, out var stream) || stream is null || !stream.CanSeek) return Fail(Ebadf);
        stream.Seek(position, SeekOrigin.Begin);
        return 0;
    }

    private long Flen(uint handle)
    {
        if (!_files.TryGetValue((int)handle, out var stream) || stream is null || !stream.CanSeek) return Fail(Ebadf);
        return stream.Length;
    }

    private long Remove(uint block)
    {
        string? name = GuestName(Word(block, 0), Word(block, 1), out int errno);
        if (name is null) return Fail(errno);
        errno = Root()?.Remove(name) ?? Eacces;
        return errno == 0 ? 0 : Fail(errno);
    }

    private long Rename(uint block)
    {
        string? from = GuestName(Word(block, 0), Word(block, 1), out int errno);
        if (from is null) return Fail(errno);
        string? to = GuestName(Word(block, 2), Word(block, 3), out errno);
        if (to is null) return Fail(errno);
        errno = Root()?.Rename(from, to) ?? Eacces;
        return errno == 0 ? 0 : Fail(errno);
    }

    private long GetCommandLine(uint block)
    {
        uint buffer = Word(block, 0), size = Word(block, 1);
        byte[] text = Encoding.UTF8.GetBytes(_options.CommandLine);
        if (text.Length + 1 > size) return Fail(E2big);
        if (!_memory.DebugWrite(buffer, [.. text, 0]) || !_memory.DebugWrite(block + 4, BitConverter.GetBytes((uint)text.Length)))
            throw new SemihostingFault(buffer);
        return 0;
    }

    private long HeapInfo(uint block)
    {
        uint pointer = Word(block, 0);
        var (heapBase, heapLimit, stackBase, stackLimit) = _options.HeapInfo;
        var data = new byte[16];
        BinaryPrimitives.WriteUInt32LittleEndian(data, heapBase);
        BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan(4), heapLimit);
        BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan(8), stackBase);
        BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan(12), stackLimit);
        if (!_memory.DebugWrite(pointer, data)) throw new SemihostingFault(pointer);
        return 0;
    }

    private long Elapsed(uint block)
    {
        ulong ticks = _options.Centiseconds();
        if (!_memory.DebugWrite(block, BitConverter.GetBytes(ticks))) throw new SemihostingFault(block);
        return 0;
    }
}

/// <summary>A semihosting call named guest memory that is not mapped.</summary>
internal sealed class SemihostingFault(uint address) : Exception($"semihosting call read unmapped memory at 0x{address:x8}")
{
    public uint Address { get; } = address;
}
