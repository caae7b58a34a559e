using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using ArmEmu.Cpu;

namespace ArmEmu.Emulator;

/// <summary>The assembler refused the source; <see cref="Exception.Message"/> holds its diagnostics.</summary>
internal sealed class AssemblerException(string message) : Exception(message);

/// <summary>
/// Assembles ARM and Thumb source for test suites, with the GNU assembler Debian packages as
/// <c>binutils-arm-none-eabi</c> (the design named Keystone, which no registry reachable here
/// serves). The result is the bytes of <c>.text</c> linked at an origin, so PC-relative
/// literals and branches to labels come out right. Outputs are cached by a hash of everything
/// that shapes them (source, origin, architecture, instruction set), so a test suite assembles
/// each snippet once per machine, not once per run.
/// </summary>
internal static class GnuAssembler
{
    private const string Package = "binutils-arm-none-eabi";

    /// <summary>
    /// Where assembled snippets are kept: <c>ARMEMU_ASM_CACHE</c>, else
    /// <c>$XDG_CACHE_HOME/armemu/asm</c>, else <c>~/.cache/armemu/asm</c>.
    /// </summary>
    public static string CacheDirectory { get; set; } = DefaultCacheDirectory();

    /// <summary>
    /// The <c>-march</c> for a model (and <c>-mfpu</c> where it has a floating-point unit), so an
    /// instruction the model lacks is an assembler error rather than an UNDEFINED surprise.
    /// </summary>
    public static string ArchitectureFlags(CpuModel model) => model switch
    {
        { Arch: ArchVersion.V7 } when model.Has(CpuFeature.Vfp4 | CpuFeature.Neon) => "-march=armv7ve -mfpu=neon-vfpv4",
        { Arch: ArchVersion.V7 } when model.Has(CpuFeature.Neon) => "-march=armv7-a -mfpu=neon",
        { Arch: ArchVersion.V7 } => "-march=armv7-a",
        { Arch: ArchVersion.V6K or ArchVersion.V6T2 } => model.Has(CpuFeature.Vfp2) ? "-march=armv6kz -mfpu=vfpv2" : "-march=armv6kz",
        { Arch: ArchVersion.V6 } => "-march=armv6",
        _ => model.Has(CpuFeature.Vfp2) ? "-march=armv5te -mfpu=vfpv2" : "-march=armv5te",
    };

    /// <summary>
    /// Assembles <paramref name="source"/> (GNU as syntax, unified) for <paramref name="model"/> and
    /// returns the bytes of its <c>.text</c> linked at <paramref name="origin"/>.
    /// <paramref name="thumb"/> starts in Thumb state (the source may switch with <c>.arm</c>/<c>.thumb</c>).
    /// </summary>
    /// <exception cref="AssemblerException">The source does not assemble; the message has the assembler's lines.</exception>
    public static byte[] Assemble(string source, CpuModel model, uint origin = 0, bool thumb = false)
    {
        string flags = ArchitectureFlags(model);
        string prologue = $".syntax unified\n{(thumb ? ".thumb" : ".arm")}\n";
        string key = Hash($"{flags}|{origin:x8}|{prologue}{source}");
        string cached = Path.Combine(CacheDirectory, key + ".bin");
        if (File.Exists(cached)) return File.ReadAllBytes(cached);

        string work = Directory.CreateTempSubdirectory("armemu-asm-").FullName;
        try
        {
            string s = Path.Combine(work, "snippet.s"), o = Path.Combine(work, "snippet.o"),
                elf = Path.Combine(work, "snippet.elf"), bin = Path.Combine(work, "snippet.bin");
            File.WriteAllText(s, prologue + source + "\n");
            Run("arm-none-eabi-as", ["-mfloat-abi=softfp", .. flags.Split(' '), "-o", o, "snippet.s"], work, "snippet.s", prologue);
            Run("arm-none-eabi-ld", [$"-Ttext=0x{origin:x}", "-e", $"0x{origin:x}", "--no-warn-rwx-segments", "-o", elf, o], work, null, null);
            Run("arm-none-eabi-objcopy", ["-O", "binary", "-j", ".text", elf, bin], work, null, null);
            byte[] bytes = File.ReadAllBytes(bin);
            try
            {
                Directory.CreateDirectory(CacheDirectory);
                string partial = $"{cached}.{Environment.ProcessId}.tmp";
                File.WriteAllBytes(partial, bytes);
                File.Move(partial, cached, overwrite: true);
            }
            catch (IOException) { } // a cache that cannot be written only costs time
            catch (UnauthorizedAccessException) { }
            return bytes;
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static void Run(string tool, string[] arguments, string workingDirectory, string? sourceName, string? prologue)
    {
        var psi = new ProcessStartInfo(tool)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        foreach (string a in arguments) psi.ArgumentList.Add(a);
        Process process;
        try
        {
            process = Process.Start(psi)!;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            throw new AssemblerException($"{tool} not found: install the Debian package {Package}");
        }
        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            string stderr = process.StandardError.ReadToEnd();
            process.WaitForExit();
            _ = stdout.Result;
            if (process.ExitCode == 0) return;
            throw new AssemblerException(Diagnostics(stderr, sourceName, prologue) is { Length: > 0 } d ? d : $"{tool} failed ({process.ExitCode})");
        }
    }

    /// <summary>
    /// The assembler's error lines, with line numbers counted in the caller's source (the
    /// prologue's lines taken off) and the temporary file's name left out.
    /// </summary>
    private static string Diagnostics(string stderr, string? sourceName, string? prologue)
    {
        int shift = prologue?.Count(c => c == '\n') ?? 0;
        var lines = new List<string>();
        foreach (string raw in stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (raw.Contains("Assembler messages:", StringComparison.Ordinal)) continue;
            string line = raw;
            if (sourceName is not null && line.StartsWith(sourceName + ":", StringComparison.Ordinal))
            {
                string rest = line[(sourceName.Length + 1)..];
                int colon = rest.IndexOf(':');
                if (colon > 0 && int.TryParse(rest[..colon], out int n)) line = $"line {n - shift}:{rest[(colon + 1)..]}";
            }
            lines.Add(line.Trim());
        }
        return string.Join("\n", lines);
    }

    private static string Hash(string text) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..24].ToLowerInvariant();

    private static string DefaultCacheDirectory()
    {
        if (Environment.GetEnvironmentVariable("ARMEMU_ASM_CACHE") is { Length: > 0 } explicitDir) return explicitDir;
        string? xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        string home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        string baseDir = xdg is { Length: > 0 } ? xdg : home.Length > 0 ? Path.Combine(home, ".cache") : Path.GetTempPath();
        return Path.Combine(baseDir, "armemu", "asm");
    }
}
