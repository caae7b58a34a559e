using ArmEmu.Emulator.Linux;
using ArmEmu.Emulator.Loaders;
using ArmEmu.Emulator.Profiling;
using ArmEmu.TestSupport;

namespace ArmEmu.GuestTests.Profiling;

/// <summary>
/// A stripped program is named from its separate debug file, found the two ways gdb finds one:
/// by build ID under a debug directory, and by .gnu_debuglink beside the program. The files are
/// made as Debian's dh_strip makes them (objcopy --only-keep-debug, strip, --add-gnu-debuglink).
/// </summary>
public sealed class SeparateDebugFileTests : IDisposable
{
    private const string Source = """
        volatile int sink;
        __attribute__((noinline)) int triple(int x) { return 3 * x; }
        int main(void) { for (int i = 0; i < 100; i++) sink += triple(i); return 0; }
        """;

    private readonly string _work = Directory.CreateTempSubdirectory("armemu-debugfile-").FullName;
    private readonly IReadOnlyList<string> _savedDirectories = SeparateDebugFile.DebugDirectories;

    public void Dispose()
    {
        SeparateDebugFile.DebugDirectories = _savedDirectories;
        Directory.Delete(_work, recursive: true);
    }

    /// <summary>Builds the program with -g and a build ID; returns it and where main and triple are.</summary>
    private (string Full, uint Main, uint Triple) Build()
    {
        string c = Path.Combine(_work, "prog.c"), full = Path.Combine(_work, "prog.full");
        File.WriteAllText(c, Source);
        GnuToolchain.Run("arm-linux-gnueabi-gcc", $"-O1 -g -static -Wl,--build-id=sha1 -o {full} {c}", "gcc-arm-linux-gnueabi");
        var elf = ElfFile.Load(full);
        return (full, elf.FindSymbol("main")!.Address, elf.FindSymbol("triple")!.Address);
    }

    private string Strip(string full, string output)
    {
        GnuToolchain.Run("arm-linux-gnueabi-strip", $"-o {output} {full}", "binutils-arm-linux-gnueabi");
        Assert.Null(ElfFile.Load(output).FindSection(".symtab"));
        return output;
    }

    private static void AssertNamed(string program, uint main, uint triple)
    {
        var code = CodeObject.FromElf(program, ElfFile.Load(program), 0);
        Assert.Equal("main", code.FunctionAt(main).Name);
        Assert.Equal("triple", code.FunctionAt(triple + 4).Name);
        Assert.Equal("prog.c", Path.GetFileName(code.SourceAt(triple)?.File));
    }

    [Fact]
    public void ABuildIdFindsTheDebugFileUnderTheDebugDirectory()
    {
        var (full, main, triple) = Build();
        string stripped = Strip(full, Path.Combine(_work, "prog"));
        byte[] id = SeparateDebugFile.BuildId(ElfFile.Load(stripped))!;
        Assert.Equal(20, id.Length); // sha1
        string hex = Convert.ToHexStringLower(id);
        string root = Path.Combine(_work, "debug");
        Directory.CreateDirectory(Path.Combine(root, ".build-id", hex[..2]));
        GnuToolchain.Run("arm-linux-gnueabi-objcopy", $"--only-keep-debug {full} {Path.Combine(root, ".build-id", hex[..2], hex[2..] + ".debug")}", "binutils-arm-linux-gnueabi");

        SeparateDebugFile.DebugDirectories = [Path.Combine(_work, "elsewhere")];
        var unnamed = CodeObject.FromElf(stripped, ElfFile.Load(stripped), 0);
        Assert.StartsWith("0x", unnamed.FunctionAt(main).Name); // nothing names it without the debug file

        SeparateDebugFile.DebugDirectories = [root];
        AssertNamed(stripped, main, triple);
    }

    [Fact]
    public void AGnuDebuglinkFindsTheDebugFileBesideTheProgramWhenItsCrcMatches()
    {
        var (full, main, triple) = Build();
        SeparateDebugFile.DebugDirectories = [Path.Combine(_work, "no-debug-directory")];
        string debug = Path.Combine(_work, "prog.debug"), stripped = Strip(full, Path.Combine(_work, "prog.stripped"));
        GnuToolchain.Run("arm-linux-gnueabi-objcopy", $"--only-keep-debug {full} {debug}", "binutils-arm-linux-gnueabi");
        string linked = Path.Combine(_work, "prog");
        GnuToolchain.Run("arm-linux-gnueabi-objcopy", $"--remove-section=.note.gnu.build-id --add-gnu-debuglink={debug} {stripped} {linked}", "binutils-arm-linux-gnueabi");
        Assert.Equal("prog.debug", SeparateDebugFile.DebugLink(ElfFile.Load(linked))?.Name);
        AssertNamed(linked, main, triple);

        // A debug file whose CRC is not the one recorded is another build's: not used.
        File.AppendAllText(debug, "x");
        Assert.StartsWith("0x", CodeObject.FromElf(linked, ElfFile.Load(linked), 0).FunctionAt(main).Name);
    }

    [Fact]
    public void AProfileOfTheStrippedProgramNamesItsFunctions()
    {
        var (full, _, _) = Build();
        string stripped = Strip(full, Path.Combine(_work, "prog"));
        GnuToolchain.Run("arm-linux-gnueabi-objcopy", $"--only-keep-debug {full} {Path.Combine(_work, "prog.debug")}", "binutils-arm-linux-gnueabi");
        string linked = Path.Combine(_work, "prog.linked");
        GnuToolchain.Run("arm-linux-gnueabi-objcopy", $"--add-gnu-debuglink={Path.Combine(_work, "prog.debug")} {stripped} {linked}", "binutils-arm-linux-gnueabi");
        SeparateDebugFile.DebugDirectories = [Path.Combine(_work, "none")];
        using var process = new LinuxProcess(linked, new LinuxProcessOptions { Arguments = [linked] });
        var session = ProfilingSession.ForLinux(process);
        Assert.Equal(0, process.Run(10_000_000));
        var triple = session.Report()["triple"];
        Assert.NotNull(triple);
        Assert.Equal(100ul, triple.Calls);
    }
}
