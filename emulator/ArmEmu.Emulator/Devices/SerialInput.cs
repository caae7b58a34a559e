using System.Collections.Concurrent;
using Microsoft.Win32.SafeHandles;

namespace ArmEmu.Emulator.Devices;

/// <summary>
/// Bytes arriving on a serial line, for a UART's receiver. The emulation thread takes bytes
/// with <see cref="TryRead"/> and never blocks. A file (or any fixed bytes) is read whole
/// up front, so a run with redirected input is deterministic; a terminal or pipe is read by
/// a background thread into a queue, and <see cref="Arrived"/> tells the board (for example
/// one idling in WFI) that something came.
///
/// From a terminal, as qemu-system-arm -nographic: the terminal goes into raw mode
/// (<see cref="TerminalRawMode"/>) and Ctrl-A is an escape: Ctrl-A x ends the run
/// (<see cref="QuitRequested"/>), Ctrl-A h lists the keys, Ctrl-A Ctrl-A sends one Ctrl-A to the
/// guest; any other key after Ctrl-A is sent as it is.
/// </summary>
public sealed class SerialInput : IDisposable
{
    private readonly ConcurrentQueue<byte> _queue = new();
    private volatile bool _ended;
    private readonly Stream? _stream;
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

    /// <summary>A line on which nothing ever arrives.</summary>
    public static SerialInput None() => new([]);

    /// <summary>These bytes, all available at once.</summary>
    public static SerialInput FromBytes(ReadOnlySpan<byte> bytes) => new(bytes);

    /// <summary>
    /// The rest of <paramref name="stream"/>: read whole now if it is seekable (a file:
    /// deterministic), else by a background thread as it comes (a terminal, a pipe).
    /// </summary>
    public static SerialInput FromStream(Stream stream)
    {
        if (!stream.CanSeek) return new SerialInput(stream);
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return new SerialInput(copy.ToArray());
    }

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
    public bool Exhausted => _ended && _queue.IsEmpty;

    /// <summary>Takes the next byte if one has arrived; never blocks.</summary>
    public bool TryRead(out byte value) => _queue.TryDequeue(out value);

    /// <summary>Whether a byte is waiting.</summary>
    public bool HasData => !_queue.IsEmpty;

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
