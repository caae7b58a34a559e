using System.Buffers.Binary;
using ArmEmu.TestSupport;

namespace ArmEmu.Emulator.Tests;

/// <summary>
/// The real armemu binary fed bad programs and bad options. Every failure must be exactly
/// one line on stderr that names the problem (never a .NET stack trace), a defined exit
/// status (1 load failure, 2 usage, 124 --max-insns, 128 + signo for a fatal signal), and
/// must finish within the test's time limit.
/// </summary>
public sealed class CliBadInputTests : IDisposable
{
    private const uint Base = 0x0001_0000, Entry = Base + 0x54; // code right after the ELF and program headers

    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"armemu-cli-{Guid.NewGuid():N}");

    public CliBadInputTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>
    /// A minimal static ARM EABI executable: ELF header, one PT_LOAD (R+X) at 0x10000 that
    /// maps the file, and <paramref name="code"/> at the entry point 0x10054.
    /// </summary>
    private static byte[] TinyElf(params uint[] code)
    {
        int size = 0x54 + 4 * code.Length;
        var f = new byte[size];
        "\x7f"u8.CopyTo(f);
        "ELF"u8.CopyTo(f.AsSpan(1));
        f[4] = 1; // ELFCLASS32
        f[5] = 1; // ELFDATA2LSB
        f[6] = 1; // EV_CURRENT
        var h = f.AsSpan();
        BinaryPrimitives.WriteUInt16LittleEndian(h[16..], 2);           // e_type ET_EXEC
        BinaryPrimitives.WriteUInt16LittleEndian(h[18..], 40);          // e_machine EM_ARM
        BinaryPrimitives.WriteUInt32LittleEndian(h[20..], 1);           // e_version
        BinaryPrimitives.WriteUInt32LittleEndian(h[24..], Entry);       // e_entry
        BinaryPrimitives.WriteUInt32LittleEndian(h[28..], 52);          // e_phoff
        BinaryPrimitives.WriteUInt32LittleEndian(h[36..], 0x0500_0200); // e_flags: EABI5, soft float
        BinaryPrimitives.WriteUInt16LittleEndian(h[40..], 52);          // e_ehsize
        BinaryPrimitives.WriteUInt16LittleEndian(h[42..], 32);          // e_phentsize
        BinaryPrimitives.WriteUInt16LittleEndian(h[44..], 1);           // e_phnum
        var p = h[52..];
        BinaryPrimitives.WriteUInt32LittleEndian(p[0..], 1);            // PT_LOAD
        BinaryPrimitives.WriteUInt32LittleEndian(p[4..], 0);            // p_offset
        BinaryPrimitives.WriteUInt32LittleEndian(p[8..], Base);         // p_vaddr
        BinaryPrimitives.WriteUInt32LittleEndian(p[12..], Base);        // p_paddr
        BinaryPrimitives.WriteUInt32LittleEndian(p[16..], (uint)size);  // p_filesz
        BinaryPrimitives.WriteUInt32LittleEndian(p[20..], (uint)size);  // p_memsz
        BinaryPrimitives.WriteUInt32LittleEndian(p[24..], 5);           // PF_R | PF_X
        BinaryPrimitives.WriteUInt32LittleEndian(p[28..], 0x1000);      // p_align
        for (int i = 0; i < code.Length; i++) BinaryPrimitives.WriteUInt32LittleEndian(h[(0x54 + 4 * i)..], code[i]);
        return f;
    }

    private string Write(string name, byte[] bytes)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>Runs armemu; asserts the exit status and that stderr is one line with no stack trace; returns that line.</summary>
    private static string Fails(int expectedExit, params string[] args)
    {
        var r = ArmEmuCli.Run(args, TimeSpan.FromSeconds(30));
        Assert.True(expectedExit == r.ExitCode, $"armemu {string.Join(' ', args)}: expected exit {expectedExit}, got {r}");
        Assert.DoesNotContain("   at ", r.StderrText);
        Assert.DoesNotContain("Unhandled exception", r.StderrText);
        Assert.EndsWith("\n", r.StderrText);
        string line = Assert.Single(r.StderrText.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("armemu: ", line);
        return line;
    }

    // ---- fatal signals: 128 + signo, and a line naming the signal, the pc and the fault address

    [Fact]
    public void Undefined_instruction_is_SIGILL_with_the_pc()
    {
        string program = Write("undef", TinyElf(0xE7F0_00F0)); // udf: permanently undefined
        string line = Fails(128 + 4, "run", program);
        Assert.Contains("SIGILL", line);
        Assert.Contains($"pc 0x{Entry:x8}", line);
        Assert.Contains("0xe7f000f0", line);
    }

    [Fact]
    public void Load_from_an_unmapped_address_is_SIGSEGV_with_pc_and_fault_address()
    {
        string program = Write("load", TinyElf(
            0xE3A0_0601,   // mov r0, #0x100000
            0xE590_1000)); // ldr r1, [r0]
        string line = Fails(128 + 11, "run", program);
        Assert.Contains("SIGSEGV", line);
        Assert.Contains($"pc 0x{Entry + 4:x8}", line);
        Assert.Contains("fault address 0x00100000", line);
    }

    [Fact]
    public void Jump_to_an_unmapped_page_is_SIGSEGV_at_that_address()
    {
        string program = Write("jump", TinyElf(
            0xE3A0_0601,   // mov r0, #0x100000
            0xE12F_FF10)); // bx r0
        string line = Fails(128 + 11, "run", program);
        Assert.Contains("SIGSEGV", line);
        Assert.Contains("pc 0x00100000", line);
        Assert.Contains("fault address 0x00100000", line);
    }

    [Fact]
    public void Runaway_loop_stops_at_max_insns_with_status_124()
    {
        string program = Write("loop", TinyElf(0xEAFF_FFFE)); // b .
        string line = Fails(124, "run", "--max-insns", "100000", program);
        Assert.Contains("100000 instructions", line);
        Assert.Contains("--max-insns", line);
        Assert.Contains($"pc 0x{Entry:x8}", line);
    }

    // ---- programs that cannot be loaded: status 1

    [Fact]
    public void Truncated_elf_header()
    {
        string program = Write("trunc-header", TinyElf(0xEAFF_FFFE)[..30]);
        string line = Fails(1, "run", program);
        Assert.Contains(program, line);
        Assert.Contains("truncated", line);
    }

    [Fact]
    public void Truncated_elf_segment()
    {
        // The program header promises more bytes than the file holds.
        string program = Write("trunc-segment", TinyElf(0xE3A0_0601, 0xE590_1000, 0xEAFF_FFFE)[..0x58]);
        string line = Fails(1, "run", program);
        Assert.Contains(program, line);
        Assert.Contains("past end of file", line);
    }

    [Fact]
    public void Non_arm_elf_is_refused()
    {
        string line = Fails(1, "run", "/bin/true");
        Assert.Contains("/bin/true", line);
        Assert.Contains("not an ARM executable", line);
    }

    [Fact]
    public void Not_an_elf_file()
    {
        string program = Write("script", "#!/bin/sh\necho hi\n"u8.ToArray());
        Assert.Equal($"armemu: {program} is a script, not an ARM ELF program", Fails(1, "run", program));
        string binary = Write("binary", [0x00, 0x01, 0x02, 0x03, 0xff, 0xfe, 0x00, 0x00]);
        Assert.Contains("not an ELF file", Fails(1, "run", binary));
    }

    [Fact]
    public void Missing_file()
    {
        string missing = Path.Combine(_dir, "no-such-program");
        string line = Fails(1, "run", missing);
        Assert.Contains(missing, line);
        Assert.Contains("no such file", line);
    }

    [Fact]
    public void Directory_as_program()
    {
        string line = Fails(1, "run", _dir);
        Assert.Contains(_dir, line);
        Assert.Contains("is a directory", line);
    }

    // ---- bad options: status 2

    [Theory]
    [InlineData("abc")]
    [InlineData("-5")]
    [InlineData("0")]
    [InlineData("12x")]
    public void Max_insns_must_be_a_positive_number(string value)
    {
        string line = Fails(2, "run", "--max-insns", value, "/bin/true");
        Assert.Contains("--max-insns", line);
        Assert.Contains($"'{value}'", line);
    }

    [Theory]
    [InlineData("64K,4,32", "8 or 16 ways")]       // the PL310 has no 4-way form
    [InlineData("128K,8,64", "32-byte lines")]
    [InlineData("128K,8,32,lru", "not lru")]
    [InlineData("128K", "SIZE,WAYS,LINE")]
    public void L2cache_must_be_a_geometry_the_pl310_can_have(string spec, string expected)
    {
        string line = Fails(2, "run", "--l2cache", spec, "/bin/true");
        Assert.Contains(expected, line);
    }

    [Theory]
    [InlineData(new[] { "-M", "vexpress-a9", "--l2-reset", "garbage" }, "--l2-reset: 'garbage' is not invalid or unknown")]
    [InlineData(new[] { "--l2-reset", "unknown" }, "--l2-reset needs -M vexpress-a9")]
    [InlineData(new[] { "-M", "vexpress-a9", "--no-cache", "--l2-reset", "unknown" }, "--l2-reset needs -M vexpress-a9 with the cache model on")]
    [InlineData(new[] { "-M", "vexpress-a9", "--inject", "ignore-l1-maintenance" }, "--inject: 'ignore-l1-maintenance' is not a fault armemu can inject (known: ignore-l2-maintenance)")]
    [InlineData(new[] { "--inject", "ignore-l2-maintenance" }, "--inject ignore-l2-maintenance needs -M vexpress-a9")]
    public void L2_reset_and_fault_injection_need_a_pl310_and_a_known_value(string[] options, string expected)
    {
        string image = Write("image.bin", [0xFE, 0xFF, 0xFF, 0xEA]); // b .
        string line = Fails(2, ["system", .. options, image]);
        Assert.Contains(expected, line);
    }

    [Fact]
    public void L2cache_reaches_the_cache_model_and_its_counters_are_reported()
    {
        // mov r0, #0; mov r7, #1 (exit); svc 0
        string program = Write("exit0", TinyElf(0xE3A0_0000, 0xE3A0_7001, 0xEF00_0000));
        string json = Path.Combine(_dir, "stats.json");

        var r = ArmEmuCli.Run(["run", "--l2cache", "256K,16,32", "--stats", "--stats-json", json, program], TimeSpan.FromSeconds(30));

        Assert.Equal(0, r.ExitCode);
        // In user mode the kernel has long enabled the L2: the three instructions' one I-cache line
        // misses in the L1 and in the L2, the last level.
        Assert.Contains("armemu: L2-cache: 1 reads (0 hits, 1 misses), 0 writes (0 hits, 0 misses), 1 fills", r.StderrText);
        Assert.Contains("armemu: last level (L2-cache while on, else L1): 1 ILmr, 0 DLmr, 0 DLmw", r.StderrText);
        using var stats = System.Text.Json.JsonDocument.Parse(File.ReadAllText(json));
        var l2 = stats.RootElement.GetProperty("caches").GetProperty("l2cache");
        Assert.Equal(1ul, l2.GetProperty("reads").GetUInt64());
        Assert.Equal(1ul, stats.RootElement.GetProperty("caches").GetProperty("lastLevel").GetProperty("ilmr").GetUInt64());
        Assert.Equal(System.Text.Json.JsonValueKind.Object, stats.RootElement.GetProperty("caches").GetProperty("dcache").ValueKind);
    }

    [Fact]
    public void Unknown_cpu_model()
    {
        string line = Fails(2, "run", "--cpu", "pentium", "/bin/true");
        Assert.Contains("'pentium'", line);
        Assert.Contains("arm926", line);
    }

    [Fact]
    public void Set_environment_without_equals_sign()
    {
        string line = Fails(2, "run", "-E", "FOO", "/bin/true");
        Assert.Contains("-E", line);
        Assert.Contains("'FOO'", line);
    }

    [Theory]
    [InlineData("--bogus")]
    [InlineData("-x")]
    public void Unknown_option(string option)
    {
        string line = Fails(2, "run", option, "/bin/true");
        Assert.Contains($"'{option}'", line);
    }

    [Fact]
    public void Option_without_its_value()
    {
        string line = Fails(2, "run", "--cpu");
        Assert.Contains("--cpu", line);
    }

    [Fact]
    public void Run_without_a_program()
    {
        string line = Fails(2, "run");
        Assert.Contains("PROGRAM", line);
    }

    [Fact]
    public void Unknown_command()
    {
        string line = Fails(2, "frobnicate");
        Assert.Contains("'frobnicate'", line);
    }

    [Fact]
    public void No_arguments_print_usage_on_stderr_and_exit_2()
    {
        var r = ArmEmuCli.Run([], TimeSpan.FromSeconds(30));
        Assert.Equal(2, r.ExitCode);
        Assert.Equal("", r.StdoutText);
        Assert.Contains("Usage:", r.StderrText);
        Assert.Contains("run", r.StderrText);
        Assert.DoesNotContain("   at ", r.StderrText);
    }

    [Fact]
    public void Options_after_the_program_belong_to_the_guest()
    {
        // Were "--cpu pentium" parsed by armemu, this would be a usage error (2); the guest
        // never runs past its undefined instruction, so the status shows who got them.
        string program = Write("undef-args", TinyElf(0xE7F0_00F0));
        string line = Fails(128 + 4, "run", program, "--cpu", "pentium", "--bogus", "@file");
        Assert.Contains("SIGILL", line);
    }

    // ---- errors in armemu's words: no .NET type names, the right --help

    [Theory]
    [InlineData("system", "--max-insns", "abc")]
    [InlineData("system", "--cpu-mhz", "fast")]
    [InlineData("run", "--profile-top", "many")]
    public void A_bad_number_names_the_option_and_no_dotnet_type(string command, string option, string value)
    {
        string line = Fails(2, command, option, value, "/bin/true");
        Assert.Equal($"armemu: {option}: '{value}' is not a whole number (see armemu {command} --help)", line);
        Assert.DoesNotContain("System.", line);
    }

    [Fact]
    public void A_missing_image_points_at_system_help()
    {
        string system = Fails(2, "system");
        Assert.Contains("IMAGE", system);
        Assert.EndsWith("(see armemu system --help)", system);
        Assert.Equal("armemu: missing PROGRAM (see armemu run --help)", Fails(2, "run"));
    }

    [Theory]
    [InlineData("--profile")]
    [InlineData("--stats-json")]
    [InlineData("--trace")]
    [InlineData("--screenshot")]
    [InlineData("-D")]
    public void An_output_file_in_a_missing_directory_is_refused_before_the_guest_starts(string option)
    {
        // The guest would loop for ever: only a check before it starts can answer at once.
        string program = Write("loop-out", TinyElf(0xEAFF_FFFE));
        string missing = Path.Combine(_dir, "no-such-dir", "out");
        string line = Fails(2, "run", option, missing, program);
        Assert.Contains(option, line);
        Assert.Contains(missing, line);
    }

    [Fact]
    public void An_output_file_that_is_a_directory_is_refused()
    {
        string program = Write("loop-dir", TinyElf(0xEAFF_FFFE));
        Assert.Equal($"armemu: --profile: {_dir} is a directory", Fails(2, "run", "--profile", _dir, program));
        Assert.Equal($"armemu: --stats-json: {_dir} is a directory", Fails(2, "system", "--stats-json", _dir, program));
    }

    [Fact]
    public void Trace_dash_writes_the_trace_to_stdout()
    {
        string program = Write("exit0", TinyElf(
            0xE3A0_0000,   // mov r0, #0
            0xE3A0_7001,   // mov r7, #1 (exit)
            0xEF00_0000)); // svc #0
        var r = ArmEmuCli.Run(["run", "--trace", "-", program], TimeSpan.FromSeconds(30));
        Assert.Equal(0, r.ExitCode);
        Assert.Contains($"{Entry:x8}", r.StdoutText);
        Assert.Equal("", r.StderrText);
    }

    [Theory]
    [InlineData("-s", "12X")]
    [InlineData("-s", "0")]
    [InlineData("-seed", "lots")]
    [InlineData("-U", "A=1")]
    [InlineData("-E", "A=1,B")]
    public void Bad_qemu_arm_values_are_one_line(string option, string value)
    {
        string line = Fails(2, "run", option, value, "/bin/true");
        Assert.Contains(option, line);
    }

    [Fact]
    public void Seed_and_real_random_contradict()
    {
        Assert.Contains("--real-random", Fails(2, "run", "-seed", "1", "--real-random", "/bin/true"));
    }

    [Fact]
    public void Help_command_shows_a_commands_help()
    {
        var r = ArmEmuCli.Run(["help", "run"], TimeSpan.FromSeconds(30));
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("armemu run", r.StdoutText);
        Assert.Contains("-L <SYSROOT>", r.StdoutText);
        Assert.Contains("--profile <FILE>", r.StdoutText);
    }

    [Fact]
    public void An_unimplemented_system_call_is_named_once()
    {
        string program = Write("nosys", TinyElf(
            0xE3A0_7F7F,   // mov r7, #0x1fc (508: no such call)
            0xEF00_0000,   // svc #0
            0xEF00_0000,   // svc #0 again: named once only
            0xE3A0_0000,   // mov r0, #0
            0xE3A0_7001,   // mov r7, #1 (exit)
            0xEF00_0000)); // svc #0
        var r = ArmEmuCli.Run(["run", program], TimeSpan.FromSeconds(30));
        Assert.Equal(0, r.ExitCode);
        Assert.Equal("armemu: system call 508() is not implemented; returning ENOSYS\n", r.StderrText);
    }

    [Fact]
    public void A_call_libc_probes_for_is_named_only_on_request()
    {
        // rseq, which glibc registers at every start-up and does without on ENOSYS.
        string program = Write("rseq", TinyElf(
            0xE3A0_7D06,   // mov r7, #0x180
            0xE287_700E,   // add r7, r7, #14 (398: rseq)
            0xEF00_0000,   // svc #0
            0xE3A0_0000,   // mov r0, #0
            0xE3A0_7001,   // mov r7, #1 (exit)
            0xEF00_0000)); // svc #0
        var quiet = ArmEmuCli.Run(["run", program], TimeSpan.FromSeconds(30));
        Assert.Equal((0, ""), (quiet.ExitCode, quiet.StderrText));
        var named = ArmEmuCli.Run(["run", "-d", "unimp", program], TimeSpan.FromSeconds(30));
        Assert.Equal((0, "armemu: rseq() is not implemented; returning ENOSYS\n"), (named.ExitCode, named.StderrText));
    }

    /// <summary>
    /// A program that is not a regular file is refused with one line at once, as execve refuses
    /// it: /dev/zero is never read (the CPU pick from Tag_CPU_arch read it whole, 2 GiB), and a
    /// FIFO with no writer is never opened (its open would wait for ever).
    /// </summary>
    [Fact]
    public void A_device_or_a_fifo_as_the_program_is_refused_at_once()
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        Assert.Contains("not a regular file", Fails(1, "run", "/dev/zero"));
        string fifo = Path.Combine(_dir, "fifo");
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", [fifo])!) mkfifo.WaitForExit();
        Assert.Contains("not a regular file", Fails(1, "run", fifo));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), $"took {watch.Elapsed}");
    }

    [Fact]
    public void Semihosting_root_that_is_a_file_or_missing_is_refused_before_the_guest_starts()
    {
        string file = Write("not-a-directory", [1, 2, 3]);
        string image = Write("image.bin", [0xFE, 0xFF, 0xFF, 0xEA]); // b .
        Assert.Contains("--semihosting-root", Fails(2, "system", "--semihosting-root", file, image));
        Assert.Contains("--semihosting-root", Fails(2, "system", "--semihosting-root", Path.Combine(_dir, "missing"), image));
        Assert.Equal([1, 2, 3], File.ReadAllBytes(file));
    }
}
