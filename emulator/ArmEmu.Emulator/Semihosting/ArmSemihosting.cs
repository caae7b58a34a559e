using System.Buffers.Binary;
using System.Text;
using ArmEmu.Cpu;
using ArmEmu.Memory;

namespace ArmEmu.Emulator.Semihosting;

/// <summary>Where semihosting talks to the outside world.</summary>
public sealed class SemihostingOptions
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
public sealed class ArmSemihosting
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
    private int _nextHandle = 1;
    private int _errno;

    public ArmSemihosting(Cpu.Cpu cpu, MemoryPort memory, SemihostingOptions options)
    {
        _cpu = cpu;
        _memory = memory;
        _options = options;
    }

    /// <summary>Set once the guest called SYS_EXIT or SYS_EXIT_EXTENDED.</summary>
    public int? ExitStatus { get; private set; }

    /// <summary>True if <paramref name="opcode"/>, raised as an SVC in the current state, is a semihosting call.</summary>
    public static bool IsSemihostingCall(uint opcode, bool thumb) =>
        thumb ? (opcode & 0xFF) == 0xAB && (opcode & 0xFF00) == 0xDF00 : (opcode & 0x00FF_FFFF) == 0x12_3456;

    /// <summary>Performs the call in r0/r1 and writes its result to r0.</summary>
    public void Handle()
    {
        uint op = _cpu.R[0], arg = _cpu.R[1];
        long result = op switch
        {
            SysOpen => Open(arg),
            SysClose => Close(Word(arg, 0)),
            SysWriteC => WriteConsole(ReadBytes(arg, 1)),
            SysWrite0 => WriteConsole(ReadCString(arg)),
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
        _cpu.R[0] = (uint)result;
    }

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

    private byte[] ReadCString(uint address)
    {
        var bytes = new List<byte>();
        Span<byte> one = stackalloc byte[1];
        for (uint a = address; ; a++)
        {
            if (!_memory.DebugRead(a, one)) throw new SemihostingFault(a);
            if (one[0] == 0) return [.. bytes];
            bytes.Add(one[0]);
        }
    }

    private long WriteConsole(byte[] data)
    {
        _options.Console.Write(data);
        _options.Console.Flush();
        return 0;
    }

    // ---- files ---------------------------------------------------------------------------

    private string? HostPath(string guestPath)
    {
        string root = Path.GetFullPath(_options.Root);
        string full = Path.GetFullPath(Path.Combine(root, guestPath));
        return full == root || full.StartsWith(root.TrimEnd('/') + "/", StringComparison.Ordinal) ? full : null;
    }

    private long Open(uint block)
    {
        string name = Encoding.UTF8.GetString(ReadBytes(Word(block, 0), Word(block, 2)));
        uint mode = Word(block, 1);
        if (mode >= FopenModes.Length) return Fail(22);
        if (name == ":tt")
        {
            int handle = _nextHandle++;
            _files[handle] = null;
            return handle;
        }
        string? path = HostPath(name);
        if (path is null) return Fail(13); // EACCES: outside the semihosting root
        string m = FopenModes[mode];
        try
        {
            var (fileMode, access) = m[0] switch
            {
                'r' => (FileMode.Open, m.Contains('+') ? FileAccess.ReadWrite : FileAccess.Read),
                'w' => (FileMode.Create, m.Contains('+') ? FileAccess.ReadWrite : FileAccess.Write),
                _ => (FileMode.Append, FileAccess.Write),
            };
            if (m[0] == 'a' && m.Contains('+')) (fileMode, access) = (FileMode.OpenOrCreate, FileAccess.ReadWrite);
            var stream = new FileStream(path, fileMode, access, FileShare.ReadWrite);
            if (m[0] == 'a') stream.Seek(0, SeekOrigin.End);
            int handle = _nextHandle++;
            _files[handle] = stream;
            return handle;
        }
        catch (FileNotFoundException) { return Fail(2); }
        catch (DirectoryNotFoundException) { return Fail(2); }
        catch (UnauthorizedAccessException) { return Fail(13); }
        catch (IOException) { return Fail(5); }
    }

    private long Fail(int errno)
    {
        _errno = errno;
        return -1;
    }

    private long Close(uint handle)
    {
        if (!_files.Remove((int)handle, out var stream)) return Fail(9);
        stream?.Dispose();
        return 0;
    }

    private long Write(uint block)
    {
        uint handle = Word(block, 0), length = Word(block, 2);
        if (!_files.TryGetValue((int)handle, out var stream))
        {
            _errno = 9;
            return length;
        }
        byte[] data = ReadBytes(Word(block, 1), length);
        try
        {
            if (stream is null) WriteConsole(data);
            else stream.Write(data);
            return 0; // bytes NOT written
        }
        catch (Exception e) when (e is IOException or NotSupportedException)
        {
            _errno = 5;
            return length;
        }
    }

    private long Read(uint block)
    {
        uint handle = Word(block, 0), buffer = Word(block, 1), length = Word(block, 2);
        if (!_files.TryGetValue((int)handle, out var stream))
        {
            _errno = 9;
            return length;
        }
        var data = new byte[length];
        int got = 0;
        try
        {
            var source = stream ?? _options.ConsoleInput;
            while (got < length)
            {
                int n = source.Read(data, got, (int)length - got);
                if (n == 0) break;
                got += n;
                if (stream is null) break; // the console returns what a line gives
            }
        }
        catch (Exception e) when (e is IOException or NotSupportedException)
        {
            _errno = 5;
            return length;
        }
        if (!_memory.DebugWrite(buffer, data.AsSpan(0, got))) throw new SemihostingFault(buffer);
        return length - got; // bytes NOT read
    }

    private long IsTty(uint handle) =>
        _files.TryGetValue((int)handle, out var stream) ? (stream is null && _options.ConsoleIsTerminal ? 1 : 0) : Fail(9);

    private long Seek(uint handle, uint position)
    {
        if (!_files.TryGetValue((int)handle, out var stream) || stream is null || !stream.CanSeek) return Fail(9);
        stream.Seek(position, SeekOrigin.Begin);
        return 0;
    }

    private long Flen(uint handle)
    {
        if (!_files.TryGetValue((int)handle, out var stream) || stream is null || !stream.CanSeek) return Fail(9);
        return stream.Length;
    }

    private long Remove(uint block)
    {
        string? path = HostPath(Encoding.UTF8.GetString(ReadBytes(Word(block, 0), Word(block, 1))));
        if (path is null) return Fail(13);
        if (!File.Exists(path)) return Fail(2);
        File.Delete(path);
        return 0;
    }

    private long Rename(uint block)
    {
        string? from = HostPath(Encoding.UTF8.GetString(ReadBytes(Word(block, 0), Word(block, 1))));
        string? to = HostPath(Encoding.UTF8.GetString(ReadBytes(Word(block, 2), Word(block, 3))));
        if (from is null || to is null) return Fail(13);
        try
        {
            File.Move(from, to, overwrite: true);
            return 0;
        }
        catch (IOException)
        {
            return Fail(2);
        }
    }

    private long GetCommandLine(uint block)
    {
        uint buffer = Word(block, 0), size = Word(block, 1);
        byte[] text = Encoding.UTF8.GetBytes(_options.CommandLine);
        if (text.Length + 1 > size) return -1;
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
public sealed class SemihostingFault(uint address) : Exception($"semihosting call read unmapped memory at 0x{address:x8}")
{
    public uint Address { get; } = address;
}
