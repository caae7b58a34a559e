using System.Buffers.Binary;
using System.Text;
using ArmEmu.Emulator.Semihosting;
using ArmEmu.Memory;

namespace ArmEmu.Emulator.Tests.Semihosting;

/// <summary>
/// Semihosting calls with arguments a careless or hostile guest passes: names without their
/// terminator or longer than PATH_MAX, more handles than the host allows, transfers of 2^31
/// bytes and more. Each gets QEMU's answer (-1 and an errno, or the count not transferred),
/// never a host exception.
/// </summary>
public sealed class ArmSemihostingLimitsTests : IDisposable
{
    private const uint SysOpen = 0x01, SysWrite = 0x05, SysRead = 0x06, SysRemove = 0x0E, SysErrno = 0x13;
    private const uint Block = 0x1000, Name = 0x2000, Buffer = 0x3000;

    private readonly string _root = Directory.CreateTempSubdirectory("armemu-semihost-").FullName;
    private readonly PhysicalBus _bus = new();
    private readonly MemoryPort _port;
    private readonly Cpu.Cpu _cpu;
    private readonly ArmSemihosting _semihosting;

    public ArmSemihostingLimitsTests()
    {
        _bus.AddRam(0, 0x10000);
        var flat = new FlatTranslation();
        flat.Map(0, 0x10000, Permission.All);
        _port = new MemoryPort(_bus, flat);
        _cpu = new Cpu.Cpu(Cpu.CpuModel.Arm926, _port);
        _semihosting = new ArmSemihosting(_cpu, _port, new SemihostingOptions { Root = _root, Console = Stream.Null });
    }

    public void Dispose()
    {
        _port.Dispose();
        Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public void ANameWhoseLengthDoesNotEndAtItsTerminatorIsEinval()
    {
        WriteString(Name, "file.txt");
        Assert.Equal(-1, Call(SysOpen, Name, 4, 3)); // "file" is followed by '.', not NUL
        Assert.Equal(22, Call(SysErrno));
        Assert.Empty(Directory.GetFileSystemEntries(_root));
    }

    [Fact]
    public void ANameLongerThanPathMaxIsEnametoolong()
    {
        Assert.Equal(-1, Call(SysOpen, Name, 4, 0x8000_0000));
        Assert.Equal(36, Call(SysErrno));
        Assert.Equal(-1, Call(SysRemove, Name, 5000));
        Assert.Equal(36, Call(SysErrno));
    }

    [Fact]
    public void ANameWithANulInsideEndsThere()
    {
        WriteBytes(Name, "a.txt\0b.txt\0"u8);
        int handle = Call(SysOpen, Name, 4, 11);
        Assert.True(handle > 0);
        Assert.True(File.Exists(Path.Combine(_root, "a.txt")));
        Assert.False(File.Exists(Path.Combine(_root, "a.txt\0b.txt")));
    }

    [Fact]
    public void HandlesAreBoundedAndThenEmfile()
    {
        WriteString(Name, ":tt");
        for (int i = 0; i < ArmSemihosting.MaxOpenHandles; i++)
            Assert.True(Call(SysOpen, Name, 0, 3) > 0);
        Assert.Equal(-1, Call(SysOpen, Name, 0, 3));
        Assert.Equal(24, Call(SysErrno));
    }

    [Fact]
    public void HugeTransfersStopAtUnmappedMemoryOrEndOfFileWithoutHostAllocation()
    {
        File.WriteAllText(Path.Combine(_root, "small.txt"), "12345");
        WriteString(Name, "small.txt");
        int handle = Call(SysOpen, Name, 0, 9);
        Assert.True(handle > 0);
        // SYS_READ of 3 GiB: five bytes come, the rest is "not read".
        Assert.Equal(unchecked((int)(0xC000_0000u - 5)), Call(SysRead, (uint)handle, Buffer, 0xC000_0000));
        Assert.Equal("12345", Encoding.ASCII.GetString(ReadBytes(Buffer, 5)));
        // SYS_WRITE of 2 GiB from a 64 KiB guest: the guest memory runs out; what it could not
        // reach counts as not written (QEMU writes nothing of a buffer it cannot lock).
        WriteString(Name, ":tt");
        int console = Call(SysOpen, Name, 4, 3);
        uint notWritten = (uint)Call(SysWrite, (uint)console, Buffer, 0x8000_0000);
        Assert.InRange(notWritten, 0x8000_0000u - 0x1_0000u, 0x8000_0000u);
    }

    private int Call(uint op, params uint[] args)
    {
        for (int i = 0; i < args.Length; i++) WriteWord(Block + 4 * (uint)i, args[i]);
        _cpu.R[0] = op;
        _cpu.R[1] = Block;
        _semihosting.Handle();
        return (int)_cpu.R[0];
    }

    private void WriteWord(uint address, uint value)
    {
        Span<byte> b = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(b, value);
        Assert.True(_port.DebugWrite(address, b));
    }

    private void WriteString(uint address, string s) => WriteBytes(address, [.. Encoding.UTF8.GetBytes(s), 0]);

    private void WriteBytes(uint address, ReadOnlySpan<byte> bytes) => Assert.True(_port.DebugWrite(address, bytes));

    private byte[] ReadBytes(uint address, int n)
    {
        var b = new byte[n];
        Assert.True(_port.DebugRead(address, b));
        return b;
    }
}
