using ArmEmu.TestSupport;

namespace ArmEmu.Emulator.Tests;

/// <summary>
/// The errors of armemu system's boot options (--serial, --dtb, --initrd, --semihosting-config and
/// their qemu-system-arm spellings) and of images and programs that are evidently not code (for
/// system and run): one line in armemu's words, the right status, nothing started.
/// </summary>
public sealed class SystemBootCliErrorTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("armemu-bootcli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, byte[] bytes)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private string Image => Write("image.bin", [0xFE, 0xFF, 0xFF, 0xEA]); // b .

    private static string Fails(int expectedExit, params string[] args)
    {
        var r = ArmEmuCli.Run(args, TimeSpan.FromSeconds(30));
        Assert.True(expectedExit == r.ExitCode, $"armemu {string.Join(' ', args)}: expected exit {expectedExit}, got {r}");
        Assert.DoesNotContain("   at ", r.StderrText);
        Assert.DoesNotContain("Exception", r.StderrText);
        string line = Assert.Single(r.StderrText.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("armemu: ", line);
        return line;
    }

    [Theory]
    [InlineData("tcp:localhost:4444")]
    [InlineData("pty")]
    [InlineData("chardev:console")]
    public void An_unsupported_serial_device_is_named(string device)
    {
        Assert.Equal($"armemu: --serial: '{device}' is not a device armemu has (stdio, mon:stdio, null, none, file:PATH)",
            Fails(2, "system", "-serial", device, "-kernel", Image));
    }

    [Fact]
    public void A_serial_file_that_cannot_be_written_is_refused_before_the_guest_starts()
    {
        string line = Fails(2, "system", "-serial", $"file:{_dir}", Image);
        Assert.Contains("--serial file:", line);
        Assert.Contains("is a directory", line);
        Assert.Contains("no directory", Fails(2, "system", "--serial", $"file:{_dir}/missing/out.txt", Image));
    }

    [Fact]
    public void Missing_dtb_and_initrd_files_are_named()
    {
        Assert.StartsWith($"armemu: --dtb: cannot read {_dir}/none.dtb", Fails(2, "system", "-dtb", $"{_dir}/none.dtb", Image));
        Assert.StartsWith($"armemu: --initrd: cannot read {_dir}/none.img", Fails(2, "system", "-initrd", $"{_dir}/none.img", Image));
    }

    [Fact]
    public void A_corrupt_dtb_is_a_load_failure_in_one_line()
    {
        string dtb = Write("bad.dtb", [0xd0, 0x0d, 0xfe, 0xed, 0, 0, 0x10, 0]);
        Assert.Contains("device tree header", Fails(1, "system", "-dtb", dtb, Image));
        string text = Write("text.dtb", "not a tree at all, just words in a file\n"u8.ToArray());
        Assert.Contains("not a device tree blob", Fails(1, "system", "-dtb", text, Image));
    }

    [Fact]
    public void Dtb_with_load_addr_is_refused()
    {
        Assert.Contains("--load-addr", Fails(2, "system", "--load-addr", "0x1000", "-dtb", Write("x.dtb", [1]), Image));
    }

    [Theory]
    [InlineData("enable=on,target=gdb", "target=gdb is not supported")]
    [InlineData("enable=maybe", "'enable=maybe' is not understood")]
    [InlineData("enable=on,chardev=console", "chardev= is not supported")]
    [InlineData("enable=on,colour=blue", "'colour=blue' is not understood")]
    public void Bad_semihosting_config_is_named(string config, string expected)
    {
        string line = Fails(2, "system", "-semihosting-config", config, Image);
        Assert.StartsWith("armemu: --semihosting-config: ", line);
        Assert.Contains(expected, line);
    }

    [Theory]
    [InlineData("#!/bin/sh\necho hello\n", "a script")]
    [InlineData("console=ttyAMA0 root=/dev/ram\nsecond line\n", "a text file")]
    public void A_text_file_as_image_says_so(string content, string kind)
    {
        string path = Write("kernel", System.Text.Encoding.ASCII.GetBytes(content));
        Assert.Equal($"armemu: {path} is {kind}, not an ELF image or a raw binary to boot", Fails(1, "system", "-kernel", path));
    }

    [Theory]
    [InlineData("#!/bin/sh\necho hello\n", "a script")]
    [InlineData("hello world\n", "a text file")]
    public void A_text_file_as_program_says_so(string content, string kind)
    {
        string path = Write("prog", System.Text.Encoding.ASCII.GetBytes(content));
        Assert.Equal($"armemu: {path} is {kind}, not an ARM ELF program", Fails(1, "run", path));
        Assert.Equal($"armemu: {path} is {kind}, not an ARM ELF program", Fails(1, path));
    }
}
