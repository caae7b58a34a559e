using System.Runtime.InteropServices;
using System.Text;

namespace ArmEmu.Cli;

/// <summary>
/// armemu's own messages (errors, --stats, the fatal-signal line, diagnostics) go to a
/// private duplicate of the standard error armemu was started with, not to descriptor 2:
/// descriptor 2 is also the guest's, and a guest may close it, dup2 something else onto it
/// or leave it as a pipe nobody reads. The duplicate is close-on-exec (programs the guest
/// runs on the host never see it), and a write that fails is dropped rather than thrown:
/// armemu's last words never turn into an internal error. Standard output (help, -cpu help,
/// the guest-independent lines armemu prints) goes through the same kind of private duplicate.
/// </summary>
internal static partial class PrivateStandardError
{
    private const int FDupFdCloseOnExec = 1030;

    /// <summary>
    /// Points <see cref="Console.Error"/> at the duplicate (nothing changes if there was no
    /// standard error to copy), and <see cref="Console.Out"/> at a duplicate of standard output.
    /// </summary>
    public static void Install()
    {
        // Console.Out is made now, while descriptor 1 is still the one armemu was given: made
        // lazily (by a flush at exit) after the guest closed it, it would throw. It is made here
        // as .NET makes it (a writer on a duplicate of descriptor 1, UTF-8, flushed at each
        // write) but without .NET's console initialisation, which was 8 ms of CPU at every
        // start-up (a tenth of a static hello's run; ARMEMU_STARTUP_TIMES) for nothing armemu uses.
        int stdout = FCntl(1, FDupFdCloseOnExec, 3);
        Console.SetOut(stdout < 0 ? TextWriter.Null : new WriterOnFirstUse(stdout));
        int fd = FCntl(2, FDupFdCloseOnExec, 3);
        if (fd < 0) return;
        Console.SetError(new WriterOnFirstUse(fd));
    }

    private static StreamWriter Writer(int fd) => new(new DescriptorStream(fd), new UTF8Encoding(false), 256) { AutoFlush = true };

    /// <summary>
    /// The writer on a duplicated descriptor, made when something is first written: most runs
    /// write nothing of armemu's own, and making a StreamWriter (its encoder, the flush that
    /// AutoFlush does at once) was a millisecond of every start-up. Everything a TextWriter
    /// writes arrives at one of the overrides here, each passed on as is.
    /// </summary>
    private sealed class WriterOnFirstUse(int fd) : TextWriter
    {
        private StreamWriter? _writer;

        private StreamWriter Inner => _writer ??= Writer(fd);

        public override Encoding Encoding => Inner.Encoding;
        public override void Write(char value) => Inner.Write(value);
        public override void Write(char[] buffer, int index, int count) => Inner.Write(buffer, index, count);
        public override void Write(ReadOnlySpan<char> buffer) => Inner.Write(buffer);
        public override void Write(string? value) => Inner.Write(value);
        public override void WriteLine() => Inner.WriteLine();
        public override void WriteLine(ReadOnlySpan<char> buffer) => Inner.WriteLine(buffer);
        public override void WriteLine(string? value) => Inner.WriteLine(value);
        public override void Flush() => _writer?.Flush();
    }

    /// <summary>A write-only stream on a descriptor that drops what it cannot write.</summary>
    private sealed class DescriptorStream(int fd) : Stream
    {
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override unsafe void Write(ReadOnlySpan<byte> buffer)
        {
            const int EIntr = 4;
            fixed (byte* p = buffer)
            {
                int done = 0;
                while (done < buffer.Length)
                {
                    nint n = WriteBytes(fd, p + done, (nuint)(buffer.Length - done));
                    if (n > 0) done += (int)n;
                    else if (n < 0 && Marshal.GetLastPInvokeError() == EIntr) continue;
                    else return; // closed, full or broken: the message is lost, armemu goes on
                }
            }
        }
    }

    [LibraryImport(ArmEmu.Emulator.Linux.HostLibc.Libc, EntryPoint = "fcntl", SetLastError = true)]
    private static partial int FCntl(int fd, int command, int argument);

    [LibraryImport(ArmEmu.Emulator.Linux.HostLibc.Libc, EntryPoint = "write", SetLastError = true)]
    private static unsafe partial nint WriteBytes(int fd, byte* buffer, nuint count);
}
