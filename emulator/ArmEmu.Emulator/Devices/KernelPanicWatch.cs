using System.Text;

namespace ArmEmu.Emulator.Devices;

/// <summary>
/// Watches a console for the last line Linux prints when it panics ("---[ end Kernel panic - not
/// syncing: REASON ]---", kernel/panic.c) and reports the reason once, so a board can end the run
/// with a clear line and status 1 instead of leaving the kernel spinning (QEMU keeps running, or
/// exits 0 when panic=N reboots it with -no-reboot). Everything written passes through unchanged.
/// </summary>
public sealed class KernelPanicWatch(Stream inner, Action<string> panicked) : Stream
{
    private const string Marker = "---[ end Kernel panic - not syncing: ";
    private const int LongestLine = 512;
    private readonly StringBuilder _line = new();
    private bool _reported;

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
        if (_reported) return;
        if (b != (byte)'\n')
        {
            if (b != (byte)'\r' && _line.Length < LongestLine) _line.Append((char)b);
            return;
        }
        string line = _line.ToString();
        _line.Clear();
        int at = line.IndexOf(Marker, StringComparison.Ordinal);
        if (at < 0) return;
        string reason = line[(at + Marker.Length)..];
        int end = reason.LastIndexOf(" ]---", StringComparison.Ordinal);
        _reported = true;
        panicked(end >= 0 ? reason[..end] : reason);
    }
}
