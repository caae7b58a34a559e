using System.Diagnostics;
using ArmEmu.Emulator.Semihosting;

namespace ArmEmu.Emulator.Linux;

/// <summary>
/// ARM semihosting from user mode, as qemu-arm serves it: SVC 0x123456 in ARM state and SVC
/// 0xAB in Thumb state are semihosting calls, not system calls (qemu's translator takes them
/// before the kernel would). The calls are <see cref="ArmSemihosting"/>'s: SYS_WRITEC and
/// SYS_WRITE0 write to the guest's descriptor 2 (qemu-arm writes its semihosting console to
/// stderr), SYS_READC reads descriptor 0, SYS_GET_CMDLINE is argv joined by spaces, SYS_EXIT
/// ends the process (status 0 for ADP_Stopped_ApplicationExit, else 1). Memory the guest
/// cannot reach fails the call as in qemu-arm (-1 and SYS_ERRNO EFAULT; no signal), checked by
/// guest-tests/linux/semihosting_bad.c. Departures from qemu-arm 7.2: file names are
/// confined beneath the directory armemu started in (qemu-arm opens any host path, but the
/// rules here are the same as for armemu system); ":tt" handles write to the same console as
/// SYS_WRITE0 (qemu-arm: stdout for a ":tt" opened for writing); an unknown operation returns
/// -1 (qemu-arm aborts).
/// </summary>
internal sealed partial class LinuxKernel
{
    private ArmSemihosting? _semihosting;
    private readonly string _semihostingRoot = Environment.CurrentDirectory;
    private readonly long _semihostingStart = Stopwatch.GetTimestamp();

    private void HandleSemihosting()
    {
        _semihosting ??= new ArmSemihosting(Cpu, Memory, new SemihostingOptions
        {
            Console = new GuestDescriptorStream(this, 2),
            ConsoleInput = new GuestDescriptorStream(this, 0),
            Root = _semihostingRoot,
            CommandLine = string.Join(' ', CurrentProcess.Image.Arguments),
            Centiseconds = () => (ulong)(Stopwatch.GetElapsedTime(_semihostingStart).Ticks / (TimeSpan.TicksPerMillisecond * 10)),
        });
        _semihosting.Handle();
        if (_semihosting.ExitStatus is int status) Exit(status);
    }

    /// <summary>A guest descriptor of the current process as a stream (the semihosting console): failures are lost, never thrown.</summary>
    private sealed unsafe class GuestDescriptorStream(LinuxKernel kernel, int guestFd) : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();

        public override int Read(byte[] buffer, int offset, int count)
        {
            int host = kernel.CurrentProcess.Files.Host(guestFd);
            if (host < 0 || count == 0) return 0;
            fixed (byte* p = &buffer[offset])
            {
                nint n = HostLibc.Read(host, p, (nuint)count);
                return n > 0 ? (int)n : 0;
            }
        }

        public override void Write(byte[] buffer, int offset, int count)
        {
            int host = kernel.CurrentProcess.Files.Host(guestFd);
            if (host < 0) return;
            fixed (byte* p = buffer)
            {
                int done = 0;
                while (done < count)
                {
                    nint n = HostLibc.Write(host, p + offset + done, (nuint)(count - done));
                    if (n <= 0) return;
                    done += (int)n;
                }
            }
        }
    }
}
