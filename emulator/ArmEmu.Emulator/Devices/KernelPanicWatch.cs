using System.Text;

namespace ArmEmu.Emulator.Devices;

/// <summary>
/// Watches a console for Linux's panic (kernel/panic.c): the line "Kernel panic - not syncing:
/// REASON" gives the reason (<paramref name="panicked"/>, once); the trailer "---[ end Kernel
/// panic - not syncing: ... ]---", printed when the kernel will spin for ever rather than reboot
/// (panic=0, the default), says it is over (<paramref name="ended"/>). A board ends the run with a
/// clear line and status 1 then, or when the panicking kernel reboots (panic=N): QEMU keeps
/// spinning, or exits 0 on the reboot with -no-reboot. Everything written passes through unchanged.
/// </summary>
internal sealed class KernelPanicWatch(Stream inner, Action<string> panicked, Action ended) : Stream
{
    private const string Start = "Kernel panic - not syncing: ";
    private const string Marker = "---[ end Kernel panic - not syncing: ";
    private const int LongestLine = 512;
    private readonly StringBuilder _line = new();
    private bool _reported, _ended;

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Flush() => inner.Flush();

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count)
    {
        inner.Write(buffer, offset, count);
        for (int i = 0; i < count; i++) Watch(buffer[offset + i]);
    }

    public override void WriteByte(byte value)
    {
        inner.WriteByte(value);
        Watch(value);
    }

    private void Watch(byte b)
    {
        if (_ended) return;
        if (b != (byte)'\n')
        {
            if (b != (byte)'\r' && _line.Length < LongestLine) _line.Append((char)b);
            return;
        }
        string line = _line.ToString();
        _line.Clear();
        int at = line.IndexOf(Marker, StringComparison.Ordinal);
        if (at >= 0)
        {
            if (!_reported) Report(line[(at + Marker.Length)..]);
            _ended = true;
            ended();
            return;
        }
        at = line.IndexOf(Start, StringComparison.Ordinal);
        if (at >= 0 && !_reported) Report(line[(at + Start.Length)..]);
    }

    private void Report(string reason)
    {
        int end = reason.LastIndexOf(" ]---", StringComparison.Ordinal);
        _reported = true;
        panicked(end >= 0 ? reason[..end] : reason);
    }
}
