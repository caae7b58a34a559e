using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;

namespace ArmEmu.TestSupport;

/// <summary>
/// Drives Debian's GNU toolchain for ARM (binutils-arm-none-eabi,
/// gcc-arm-linux-gnueabi) from the tests. Outputs are cached by a hash of
/// their inputs, so a second run assembles nothing. A missing tool is a test
/// failure that names the Debian package, never a skip.
/// </summary>
public static class GnuToolchain
{
    private static readonly string CacheDir = Path.Combine(
        Environment.GetEnvironmentVariable("ARMEMU_BUILD_CACHE") ?? Path.Combine(Path.GetTempPath(), "armemu-build-cache"));

    /// <summary>
    /// Assembles <paramref name="source"/> (GNU as syntax) for the ARM926EJ-S and
    /// returns the raw bytes of its .text section, linked at <paramref name="origin"/>.
    /// Start the source with ".thumb" or ".syntax unified" as needed.
    /// </summary>
    public static byte[] Assemble(string source, uint origin = 0x1000, string march = "armv5te")
    {
        string key = Hash($"{march}|{origin:x8}|{source}");
        string bin = Path.Combine(CacheDir, key + ".bin");
        if (File.Exists(bin)) return File.ReadAllBytes(bin);

        Directory.CreateDirectory(CacheDir);
        string work = Path.Combine(CacheDir, key + "-" + Environment.ProcessId);
        Directory.CreateDirectory(work);
        try
        {
            string s = Path.Combine(work, "t.s"), o = Path.Combine(work, "t.o"), elf = Path.Combine(work, "t.elf");
            File.WriteAllText(s, source + "\n");
            Run("arm-none-eabi-as", $"-march={march} -mfloat-abi=soft -o {o} {s}", "binutils-arm-none-eabi");
            Run("arm-none-eabi-ld", $"-Ttext=0x{origin:x} -e 0x{origin:x} -o {elf} {o}", "binutils-arm-none-eabi");
            Run("arm-none-eabi-objcopy", $"-O binary -j .text {elf} {Path.Combine(work, "t.bin")}", "binutils-arm-none-eabi");
            File.Move(Path.Combine(work, "t.bin"), bin, overwrite: true);
            return File.ReadAllBytes(bin);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>Runs a tool; throws with its stderr (or the package to install) on failure.</summary>
    public static string Run(string tool, string arguments, string debianPackage, string? workingDirectory = null)
    {
        var psi = new ProcessStartInfo(tool, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        Process p;
        try
        {
            p = Process.Start(psi)!;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            throw new InvalidOperationException(
                $"{tool} not found: install the Debian package {debianPackage} (the README's test command does this when run as root)");
        }
        var stdout = p.StandardOutput.ReadToEndAsync();
        string stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0)
            throw new InvalidOperationException($"{tool} {arguments} failed ({p.ExitCode}):\n{stderr}");
        return stdout.Result;
    }

    /// <summary>
    /// Compiles the C program <paramref name="source"/> with arm-linux-gnueabi-gcc and
    /// <paramref name="flags"/> into the build cache (keyed by the flags and the source) and
    /// returns the binary's path, named <paramref name="name"/>. Concurrent test processes each
    /// write their own temporary file and move it into place.
    /// </summary>
    public static string CompileCached(string source, string name, string flags)
    {
        string key = Hash($"arm-linux-gnueabi-gcc|{flags}|{File.ReadAllText(source)}");
        string directory = Path.Combine(CacheDir, $"{name}-{key}");
        string binary = Path.Combine(directory, name);
        if (File.Exists(binary)) return binary;
        Directory.CreateDirectory(directory);
        string temporary = $"{binary}.{Environment.ProcessId}.tmp";
        Run("arm-linux-gnueabi-gcc", $"{flags} -o {temporary} {source}", "gcc-arm-linux-gnueabi");
        File.Move(temporary, binary, overwrite: true);
        return binary;
    }

    public static string Hash(string text) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..24].ToLowerInvariant();
}
