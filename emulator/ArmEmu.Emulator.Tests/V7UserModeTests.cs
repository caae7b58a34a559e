using ArmEmu.Cpu;
using ArmEmu.Emulator.Linux;
using ArmEmu.Emulator.Loaders;
using ArmEmu.TestSupport;

namespace ArmEmu.Emulator.Tests;

/// <summary>
/// Linux user mode on ARMv6/v7 models: the model chosen from the ELF attributes, AT_HWCAP
/// per model, TPIDRURO/TPIDRURW and the kuser TLS helper, --cpu help.
/// </summary>
public sealed class V7UserModeTests
{
    private const string Probe = """
        #include <stdio.h>
        #include <sys/auxv.h>
        typedef unsigned (*get_tls_t)(void);
        int main(void)
        {
            unsigned ro, rw = 0x5a5a1234, back;
            __asm__ volatile("mrc p15, 0, %0, c13, c0, 3" : "=r"(ro));
            __asm__ volatile("mcr p15, 0, %1, c13, c0, 2\n\tmrc p15, 0, %0, c13, c0, 2" : "=r"(back) : "r"(rw));
            unsigned kuser = ((get_tls_t)0xffff0fe0)();
            printf("hwcap=%#lx platform=%s tls=%d kuser=%d rw=%#x\n", getauxval(AT_HWCAP), (char *)getauxval(AT_PLATFORM),
                   ro == (unsigned)__builtin_thread_pointer(), kuser == ro, back);
            return 0;
        }
        """;

    private static string Build(string name, string flags, string source)
    {
        string dir = Path.Combine(Environment.GetEnvironmentVariable("ARMEMU_BUILD_CACHE") ?? Path.Combine(Path.GetTempPath(), "armemu-build-cache"),
                                  "v7-" + GnuToolchain.Hash($"{flags}|{source}"));
        string binary = Path.Combine(dir, name);
        if (File.Exists(binary)) return binary;
        Directory.CreateDirectory(dir);
        string c = Path.Combine(dir, name + ".c"), partial = $"{binary}.{Environment.ProcessId}.tmp";
        File.WriteAllText(c, source + "\n");
        GnuToolchain.Run("arm-linux-gnueabi-gcc", $"-O1 -static {flags} -o {partial} {c}", "gcc-arm-linux-gnueabi");
        File.Move(partial, binary, overwrite: true);
        return binary;
    }

    [Theory]
    [InlineData("-march=armv5te", 4, "arm926")]
    [InlineData("-march=armv6k -marm", 9, "arm1176")]
    [InlineData("-march=armv7-a -marm", 10, "cortex-a9")]
    public void TheModelComesFromTagCpuArch(string flags, int tag, string model)
    {
        string binary = Build("hello", flags, "int main(void) { return 0; }");
        Assert.Equal(tag, ArmAttributes.CpuArch(File.ReadAllBytes(binary)));
        Assert.Equal(model, ArmAttributes.ModelFor(binary).Name);
    }

    [Fact]
    public void FilesWithoutAttributesGetTheArm926()
    {
        Assert.Null(ArmAttributes.CpuArch("not an ELF file"u8));
        Assert.Null(ArmAttributes.CpuArch(new byte[3]));
        Assert.Equal("arm926", ArmAttributes.ModelFor("/nonexistent/program").Name);
        Assert.Equal("cortex-a15", ArmAttributes.ModelFor(14).Name); // ARMv8 in AArch32
    }

    [Theory]
    [InlineData("arm926", 0x97u)]       // qemu-arm: 0xd7 (with VFP)
    [InlineData("arm1176", 0x8097u)]    // qemu-arm: 0x80d7
    [InlineData("cortex-a9", 0x8097u)]  // qemu-arm: 0x8b8d7 (VFP, VFPv3, VFPD32, NEON, ThumbEE)
    [InlineData("cortex-a15", 0x168097u)] // qemu-arm: 0x1fb8d7 (also VFPv4; IDIVT included)
    public void HwcapIsQemusWithoutWhatIsNotImplementedYet(string model, uint hwcapWithoutFloatingPoint)
    {
        var m = CpuModel.Find(model)!;
        Assert.Equal(hwcapWithoutFloatingPoint | ArmEmu.Cpu.Vfp.FloatingPointUnit.HwCap(m), ExecImage.HwCap(m));
    }

    [Fact]
    public void V7ProgramSeesTpidruroHwcapAndTheKuserHelper()
    {
        string binary = Build("probe", "-march=armv7-a -marm", Probe);
        var r = ArmEmuCli.Run(["run", binary], TimeSpan.FromSeconds(60));
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal($"hwcap={ExecImage.HwCap(CpuModel.CortexA9):x} platform=v7l tls=1 kuser=1 rw=0x5a5a1234\n", r.StdoutText.Replace("hwcap=0x", "hwcap="));
    }

    /// <summary>
    /// A program starts in User mode, ARM state, with the interrupt and asynchronous-abort masks
    /// clear: Linux's start_thread sets the CPSR to USR_MODE alone, and qemu-arm 7.2 does the same
    /// (the A bit, set by the reset of an ARMv6+ core, must not leak into user mode).
    /// </summary>
    [Theory]
    [InlineData("cortex-a9", "-march=armv7-a -marm")]
    [InlineData("cortex-a15", "-march=armv7-a -marm")]
    [InlineData("arm1176", "-march=armv6k -marm")]
    public void CpsrAtStartIsQemuArms(string model, string flags)
    {
        string binary = Build("cpsr-start", flags, """
            #include <stdio.h>
            int main(void)
            {
                unsigned cpsr;
                __asm__ volatile("mrs %0, cpsr" : "=r"(cpsr));
                printf("%#x\n", cpsr & 0x1ff); /* A, I, F, T and the mode */
                return 0;
            }
            """);
        var r = ArmEmuCli.Run(["run", "--cpu", model, binary], TimeSpan.FromSeconds(60));
        Assert.True(r.ExitCode == 0, r.ToString());
        var qemu = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("qemu-arm", ["-cpu", model, binary])
        {
            RedirectStandardOutput = true,
        })!;
        string expected = qemu.StandardOutput.ReadToEnd();
        qemu.WaitForExit();
        Assert.Equal("0x10\n", expected);
        Assert.Equal(expected, r.StdoutText);
    }

    [Fact]
    public void TpidruroIsReadOnlyInUserMode()
    {
        string binary = Build("tpidruro-write", "-march=armv7-a -marm",
            "int main(void) { __asm__ volatile(\"mcr p15, 0, %0, c13, c0, 3\" :: \"r\"(1)); return 0; }");
        var r = ArmEmuCli.Run(["run", binary], TimeSpan.FromSeconds(60));
        Assert.Equal(128 + 4, r.ExitCode); // SIGILL, as on a kernel
    }

    [Fact]
    public void StatsJsonHasEachCachesHitsMissesAndWritebacks()
    {
        string binary = Build("probe", "-march=armv7-a -marm", Probe);
        string json = Path.Combine(Path.GetTempPath(), $"armemu-stats-{Guid.NewGuid():N}.json");
        try
        {
            var r = ArmEmuCli.Run(["run", "--stats-json", json, binary], TimeSpan.FromSeconds(60));
            Assert.True(r.ExitCode == 0, r.ToString());
            using var doc = System.Text.Json.JsonDocument.Parse(File.ReadAllText(json));
            foreach (string cache in new[] { "icache", "dcache" })
            {
                var c = doc.RootElement.GetProperty("caches").GetProperty(cache);
                ulong hits = c.GetProperty("hits").GetUInt64(), misses = c.GetProperty("misses").GetUInt64();
                Assert.True(hits > 0 && misses > 0);
                Assert.Equal(c.GetProperty("readHits").GetUInt64() + c.GetProperty("writeHits").GetUInt64(), hits);
                Assert.Equal(c.GetProperty("readMisses").GetUInt64() + c.GetProperty("writeMisses").GetUInt64(), misses);
                Assert.Equal(c.GetProperty("writeBacks").GetUInt64(), c.GetProperty("writebacks").GetUInt64());
            }
        }
        finally
        {
            File.Delete(json);
        }
    }

    [Fact]
    public void CpuHelpListsTheModelsAndNeedsNoProgram()
    {
        var r = ArmEmuCli.Run(["run", "--cpu", "help"], TimeSpan.FromSeconds(30));
        Assert.Equal(0, r.ExitCode);
        foreach (var m in CpuModel.All) Assert.Contains(m.Name, r.StdoutText);
    }
}
