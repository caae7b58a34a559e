using ArmEmu.Emulator.Boards;
using ArmEmu.TestSupport;

namespace ArmEmu.GuestTests.BareMetal;

/// <summary>
/// qemu-system-arm's boot spellings on <c>armemu system</c>, each run on both with the same
/// arguments in fresh directories: QEMU-style kernel loading of a raw image (the boot stub's
/// r0 = 0, r1 = machine number, r2 = ATAGs or device tree), -append, -initrd, -dtb,
/// -semihosting-config arg=, and -serial in its forms. The guest is guest-tests/system/boot's
/// probe, which prints what it was handed over UART0; stdout, exit status and every file left
/// in the directory must be identical.
/// </summary>
public sealed class KernelBootTests : IClassFixture<KernelBootTests.Images>
{
    private static readonly string BootDir = Path.Combine(RepositoryRoot.Path, "guest-tests", "system", "boot");

    /// <summary>The probe built once for both boards (raw and ELF) and the test device tree.</summary>
    public sealed class Images : IDisposable
    {
        public string Dir { get; } = Directory.CreateTempSubdirectory("armemu-boot-").FullName;

        public Images()
        {
            var build = ArmEmuCli.RunTool("bash", [Path.Combine(BootDir, "build.sh"), Dir], RepositoryRoot.Path, null, null, TimeSpan.FromMinutes(2));
            if (build.ExitCode != 0) throw new InvalidOperationException("guest-tests/system/boot/build.sh failed: " + build);
        }

        public void Dispose() => Directory.Delete(Dir, recursive: true);
    }

    private readonly Images _images;

    public KernelBootTests(Images images) => _images = images;

    private sealed record Outcome(int Status, string Stdout, string Stderr, Dictionary<string, string> Files);

    private Outcome Run(bool qemu, string board, string[] args)
    {
        string dir = Directory.CreateTempSubdirectory("armemu-boot-run-").FullName;
        try
        {
            foreach (string f in Directory.GetFiles(_images.Dir)) File.Copy(f, Path.Combine(dir, Path.GetFileName(f)));
            File.Copy(Path.Combine(BootDir, "test.dts"), Path.Combine(dir, "initrd.img"));
            var inputs = Directory.GetFiles(dir).Select(Path.GetFileName).ToHashSet();
            string cpu = board == "vexpress-a9" ? "cortex-a9" : "arm926";
            string[] common = ["-M", board, "-cpu", cpu, "-m", "128M", "-nographic", "-monitor", "none"];
            var env = new List<KeyValuePair<string, string>> { new("PATH", Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin"), new("QEMU_AUDIO_DRV", "none") };
            var r = qemu
                ? ArmEmuCli.RunTool("qemu-system-arm", [.. common, .. args], dir, env, null, TimeSpan.FromSeconds(60))
                : ArmEmuCli.RunTool(ArmEmuCli.Path, ["system", .. common, .. args], dir, null, null, TimeSpan.FromSeconds(60));
            var files = Directory.GetFiles(dir).Where(f => !inputs.Contains(Path.GetFileName(f)))
                .ToDictionary(f => Path.GetFileName(f)!, File.ReadAllText);
            return new Outcome(r.ExitCode, r.StdoutText, r.StderrText, files);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>Runs both, asserts they agree, and returns armemu's outcome for further checks.</summary>
    private Outcome SameAsQemu(string board, params string[] args)
    {
        var q = Run(qemu: true, board, args);
        var a = Run(qemu: false, board, args);
        Assert.True(q.Status == a.Status, $"exit status: qemu {q.Status}, armemu {a.Status}\nqemu stderr: {q.Stderr}\narmemu stderr: {a.Stderr}");
        Assert.True(q.Stdout == a.Stdout, $"stdout differs\n--- qemu ---\n{q.Stdout}\n--- armemu ---\n{a.Stdout}\n--- armemu stderr ---\n{a.Stderr}");
        Assert.Equal(q.Files.Keys.Order(), a.Files.Keys.Order());
        foreach (var (name, text) in q.Files) Assert.True(text == a.Files[name], $"{name} differs\n--- qemu ---\n{text}\n--- armemu ---\n{a.Files[name]}");
        return a;
    }

    private static readonly string[] Semihosting = ["-semihosting-config", "enable=on,target=native"];

    [Theory]
    [InlineData("versatilepb", "r1=00000183 r2=00000100")]
    [InlineData("vexpress-a9", "r1=000008e0 r2=60000100")]
    public void A_raw_image_boots_through_the_stub_with_ATAGs(string board, string registers)
    {
        var a = SameAsQemu(board, [.. Semihosting, "-kernel", $"bootinfo-{board}.bin"]);
        Assert.Contains("r0=00000000 " + registers, a.Stdout);
        Assert.Contains("atag 54410002", a.Stdout); // ATAG_MEM
        Assert.Contains($"cmdline rc=00000000 \"bootinfo-{board}.bin\"", a.Stdout); // the image's name, as QEMU's fallback
        Assert.Contains("bye", a.Stdout);
        // The note says once where the image went and how it starts.
        string note = Assert.Single(a.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("is not ELF: booted as qemu-system-arm boots a kernel image", note);
    }

    [Theory]
    [InlineData("versatilepb")]
    [InlineData("vexpress-a9")]
    public void Append_and_initrd_become_ATAG_CMDLINE_and_ATAG_INITRD2(string board)
    {
        var a = SameAsQemu(board, [.. Semihosting, "-append", "console=ttyAMA0  root=/dev/ram", "-initrd", "initrd.img", "-kernel", $"bootinfo-{board}.bin"]);
        Assert.Contains("atag 54420005", a.Stdout);
        Assert.Contains("\"console=ttyAMA0  root=/dev/ram\"", a.Stdout);
        // SYS_GET_CMDLINE: the image, then -append split at spaces (QEMU's semihosting_arg_fallback).
        Assert.Contains($"cmdline rc=00000000 \"bootinfo-{board}.bin console=ttyAMA0 root=/dev/ram\"", a.Stdout);
    }

    [Theory]
    [InlineData("versatilepb")]
    [InlineData("vexpress-a9")]
    public void Dtb_is_edited_as_QEMU_edits_it_and_passed_in_r2(string board)
    {
        var a = SameAsQemu(board, [.. Semihosting, "-dtb", "test.dtb", "-append", "console=ttyAMA0", "-initrd", "initrd.img", "-kernel", $"bootinfo-{board}.bin"]);
        Assert.Contains("bootargs = \"console=ttyAMA0\"", a.Stdout);
        Assert.Contains("linux,initrd-start", a.Stdout);
        Assert.Contains(board == "vexpress-a9" ? "memory@60000000 {" : "memory@0 {", a.Stdout);
        Assert.Contains("fdt size 000051f6", a.Stdout); // the blob's layout, as libfdt leaves it in QEMU
        SameAsQemu(board, [.. Semihosting, "-dtb", "test.dtb", "-kernel", $"bootinfo-{board}.bin"]);
    }

    [Fact]
    public void An_ELF_kernel_starts_at_its_entry_and_gets_the_device_tree_at_the_start_of_RAM()
    {
        var a = SameAsQemu("vexpress-a9", [.. Semihosting, "-kernel", "bootinfo-vexpress-a9.elf"]);
        Assert.Contains("r0=00000000 r1=00000000 r2=00000000", a.Stdout);
        Assert.Equal("", a.Stderr);
        a = SameAsQemu("vexpress-a9", [.. Semihosting, "-dtb", "test.dtb", "-append", "x y", "-kernel", "bootinfo-vexpress-a9.elf"]);
        Assert.Contains("ram: edfe0dd0", a.Stdout); // the blob's magic, big-endian, read as little-endian words
    }

    [Fact]
    public void Semihosting_config_args_are_the_command_line()
    {
        var a = SameAsQemu("versatilepb", ["-semihosting-config", "enable=on,target=native,arg=prog,arg=one two,arg=x,,y", "-append", "ignored", "-kernel", "bootinfo-versatilepb.bin"]);
        Assert.Contains("cmdline rc=00000000 \"prog one two x,y\"", a.Stdout);
    }

    [Fact]
    public void Serial_devices_go_to_the_UARTs_in_order()
    {
        var a = SameAsQemu("versatilepb", [.. Semihosting, "-serial", "file:uart0.txt", "-serial", "stdio", "-serial", "null", "-kernel", "bootinfo-versatilepb.elf"]);
        Assert.Equal("uart1 says hello\n", a.Stdout);
        Assert.Contains("bye", a.Files["uart0.txt"]);
        a = SameAsQemu("vexpress-a9", [.. Semihosting, "-serial", "null", "-serial", "null", "-serial", "mon:stdio", "-kernel", "bootinfo-vexpress-a9.elf"]);
        Assert.Equal("uart2 says hello\n", a.Stdout);
        a = SameAsQemu("versatilepb", [.. Semihosting, "-serial", "none", "-kernel", "bootinfo-versatilepb.elf"]);
        Assert.Equal("", a.Stdout);
    }

    [Fact]
    public void Stdio_for_two_UARTs_is_refused_as_QEMU_refuses_it()
    {
        var q = Run(qemu: true, "versatilepb", ["-serial", "stdio", "-serial", "stdio", "-kernel", "bootinfo-versatilepb.elf"]);
        var a = Run(qemu: false, "versatilepb", ["-serial", "stdio", "-serial", "stdio", "-kernel", "bootinfo-versatilepb.elf"]);
        Assert.NotEqual(0, q.Status);
        Assert.Equal(2, a.Status);
        Assert.Equal("armemu: --serial: stdio can back only one UART (stdin and stdout are one device)\n", a.Stderr);
    }

    /// <summary>
    /// The blob with the padding after each property value zeroed: libfdt splices in place and
    /// leaves whatever bytes were there (meaningless, and not worth imitating); ours writes zeros.
    /// </summary>
    private static byte[] ZeroPropertyPadding(byte[] blob)
    {
        static int Be(byte[] b, int at) => System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(b.AsSpan(at));
        int pos = Be(blob, 8), end = pos + Be(blob, 36);
        while (pos < end)
        {
            int tag = Be(blob, pos);
            pos += 4;
            if (tag == 1) pos = (Array.IndexOf(blob, (byte)0, pos) + 1 + 3) & ~3;
            else if (tag == 3)
            {
                int length = Be(blob, pos), value = pos + 8, next = (value + length + 3) & ~3;
                Array.Clear(blob, value + length, next - value - length);
                pos = next;
            }
            else if (tag == 9) break;
        }
        return blob;
    }

    [Fact]
    public void The_device_tree_is_byte_for_byte_QEMUs()
    {
        // qemu-system-arm -machine dumpdtb=FILE writes the tree as arm_load_dtb leaves it, and stops.
        foreach (var (board, ramBase) in new[] { ("versatilepb", 0u), ("vexpress-a9", 0x6000_0000u) })
        {
            string dumped = Path.Combine(_images.Dir, $"qemu-{board}.dtb");
            string cpu = board == "vexpress-a9" ? "cortex-a9" : "arm926";
            var q = ArmEmuCli.RunTool("qemu-system-arm", ["-M", $"{board},dumpdtb={dumped}", "-cpu", cpu, "-m", "128M", "-nographic", "-monitor", "none",
                "-dtb", Path.Combine(_images.Dir, "test.dtb"), "-append", "root=/dev/ram rw", "-initrd", Path.Combine(BootDir, "test.dts"),
                "-kernel", Path.Combine(_images.Dir, $"bootinfo-{board}.bin")], _images.Dir, null, null, TimeSpan.FromSeconds(60));
            Assert.True(File.Exists(dumped), q.ToString());
            uint initrdStart = ramBase + (64u << 20), initrdSize = (uint)new FileInfo(Path.Combine(BootDir, "test.dts")).Length;
            byte[] ours = LinuxKernelBoot.EditDeviceTree(File.ReadAllBytes(Path.Combine(_images.Dir, "test.dtb")), ramBase, 128u << 20, "root=/dev/ram rw", initrdStart, initrdSize);
            Assert.Equal(ZeroPropertyPadding(File.ReadAllBytes(dumped)), ours);
            File.Delete(dumped);
        }
    }
}
