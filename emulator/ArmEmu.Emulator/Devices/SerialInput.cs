using System.Collections.Concurrent;
using Microsoft.Win32.SafeHandles;

namespace ArmEmu.Emulator.Devices;

/// <summary>
/// Bytes arriving on a serial line, for a UART's receiver. The emulation thread takes bytes
/// with <see cref="TryRead"/> and never blocks. A file is read as the UART takes its bytes,
/// a piece at a time on the emulation thread (all of it is "there" at once, so a run with
/// redirected input is deterministic, and a huge file costs no more memory than a piece);
/// a terminal or pipe is read by a background thread into a queue, and <see cref="Arrived"/>
/// tells the board (for example one idling in WFI) that something came.
///
/// From a terminal, as qemu-system-arm -nographic: the terminal goes into raw mode
/// (<see cref="TerminalRawMode"/>) and Ctrl-A is an escape: Ctrl-A x ends the run
/// (<see cref="QuitRequested"/>), Ctrl-A h lists the keys, Ctrl-A Ctrl-A sends one Ctrl-A to the
/// guest; any other key after Ctrl-A is sent as it is.
/// </summary>
internal sealed class SerialInput : IDisposable
{
    private readonly ConcurrentQueue<byte> _queue = new();
    private volatile bool _ended;
    private readonly Stream? _stream;
    // A seekable input read on demand, and the piece of it not yet taken.
    private readonly Stream? _file;
    private readonly byte[] _piece = new byte[4096];
    private int _pieceAt, _pieceEnd;
    private readonly TerminalRawMode? _rawMode;
    private bool _escape;

    private const byte CtrlA = 0x01;

    private SerialInput(ReadOnlySpan<byte> bytes)
    {
        foreach (byte b in bytes) _queue.Enqueue(b);
        _ended = true;
    }

    private SerialInput(Stream stream, TerminalRawMode? rawMode = null)
    {
        _stream = stream;
        _rawMode = rawMode;
        var reader = new Thread(ReadLoop) { IsBackground = true, Name = "serial input" };
        reader.Start();
    }

    private SerialInput(Stream file, bool onDemand)
    {
        _ = onDemand;
        _file = file;
    }

    /// <summary>A line on which nothing ever arrives.</summary>
    public static SerialInput None() => new([]);

    /// <summary>These bytes, all available at once.</summary>
    public static SerialInput FromBytes(ReadOnlySpan<byte> bytes) => new(bytes);

    /// <summary>
    /// The rest of <paramref name="stream"/>: read as the UART takes it if it is seekable (a
    /// file: deterministic), else by a background thread as it comes (a terminal, a pipe).
    /// </summary>
    public static SerialInput FromStream(Stream stream) => stream.CanSeek ? new SerialInput(stream, onDemand: true) : new SerialInput(stream);

    /// <summary>The process's standard input (file descriptor 0 on Unix), as <see cref="FromStream"/> reads it.</summary>
    public static SerialInput FromStandardInput()
    {
        Stream stream;
        try
        {
            // A FileStream on the descriptor says whether it is a regular file (CanSeek);
            // Console.OpenStandardInput never does.
            stream = OperatingSystem.IsWindows()
                ? Console.OpenStandardInput()
                : new FileStream(new SafeFileHandle(0, ownsHandle: false), FileAccess.Read, bufferSize: 1);
        }
        catch (Exception e) when (e is IOException or ArgumentException or UnauthorizedAccessException)
        {
            return None();
        }
        if (!stream.CanSeek && TerminalRawMode.EnterOnStandardInput() is { } raw) return new SerialInput(stream, raw);
        return FromStream(stream);
    }

    /// <summary>Raised on the reader thread when the user typed Ctrl-A x at the terminal.</summary>
    public event Action? QuitRequested;

    /// <summary>True when standard input is a terminal in raw mode with the Ctrl-A keys.</summary>
    public bool IsTerminal => _rawMode is not null;

    /// <summary>Raised on the reader thread when bytes were queued or the input ended.</summary>
    public event Action? Arrived;

    /// <summary>True once every byte has been taken and no more will come.</summary>
    public bool Exhausted => _file is not null ? !FilePieceReady() : _ended && _queue.IsEmpty;

    /// <summary>Takes the next byte if one has arrived; never blocks.</summary>
    public bool TryRead(out byte value)
    {
        if (_file is null) return _queue.TryDequeue(out value);
        value = 0;
        if (!FilePieceReady()) return false;
        value = _piece[_pieceAt++];
        return true;
    }

    /// <summary>Whether a byte is waiting.</summary>
    public bool HasData => _file is not null ? FilePieceReady() : !_queue.IsEmpty;

    /// <summary>For a file: a byte is in the piece, reading the next piece if the last one is used up.</summary>
    private bool FilePieceReady()
    {
        if (_pieceAt < _pieceEnd) return true;
        if (_ended) return false;
        try
        {
            _pieceEnd = _file!.Read(_piece);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or UnauthorizedAccessException)
        {
            _pieceEnd = 0;
        }
        _pieceAt = 0;
        if (_pieceEnd <= 0)
        {
            _pieceEnd = 0;
            _ended = true;
            return false;
        }
        return true;
    }

    private void ReadLoop()
    {
        var buffer = new byte[256];
        try
        {
            while (true)
            {
                int n = _stream!.Read(buffer);
                if (n <= 0) break;
                for (int i = 0; i < n; i++)
                {
                    if (_rawMode is null) _queue.Enqueue(buffer[i]);
                    else if (!Escape(buffer[i])) return;
                }
                Arrived?.Invoke();
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
        }
        _ended = true;
        Arrived?.Invoke();
    }

    /// <summary>The Ctrl-A keys of a terminal; false once the user asked to quit.</summary>
    private bool Escape(byte b)
    {
        if (!_escape)
        {
            if (b == CtrlA) _escape = true;
            else _queue.Enqueue(b);
            return true;
        }
        _escape = false;
        switch (b)
        {
            case (byte)'x' or (byte)'X':
                _rawMode!.Dispose();
                Console.Error.Write("armemu: terminated (Ctrl-A x)\n");
                _ended = true;
                QuitRequested?.Invoke();
                return false;
            case (byte)'h' or (byte)'H' or (byte)'?':
                Console.Error.Write("\r\nC-a h    print this help\r\nC-a x    exit emulator\r\nC-a C-a  sends C-a\r\n");
                return true;
            default:
                _queue.Enqueue(b); // C-a C-a sends one C-a; an unknown key goes through as it is
                return true;
        }
    }

    /// <summary>Stops waiting for more input (a reader blocked in the host's read stays blocked until that returns) and restores the terminal.</summary>
    public void Dispose()
    {
        _ended = true;
        _rawMode?.Dispose();
    }
}
