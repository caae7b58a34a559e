using System.Globalization;
using System.Text.RegularExpressions;
using ArmEmu.TestSupport;

namespace ArmEmu.Emulator.Tests;

/// <summary>
/// Real ARM executables for the ELF reader tests, built once per process with
/// Debian's cross compiler and cached on disk by a hash of source and flags.
/// </summary>
public static partial class ElfTestBinaries
{
    // A program with code in both instruction sets (explicit target attributes, so
    // the -mthumb build still has an ARM function), data, bss and TLS.
    public const string ProgramSource = """
        #include <stdio.h>
        __thread int tls_counter = 3;
        __thread int tls_zero;
        int global_data = 42;
        static int bss_data[64];
        __attribute__((noinline, target("arm"))) int add_arm(int a, int b) { return a + b + bss_data[a & 63]; }
        __attribute__((noinline, target("thumb"))) int add_thumb(int a, int b) { return a * b + global_data; }
        int main(int argc, char **argv)
        {
            tls_zero = argc;
            printf("%d %s\n", add_arm(argc, 2) + add_thumb(argc, 3) + tls_counter + tls_zero, argv[0]);
            return 0;
        }
        """;

    // Debian's armel glibc has no rcrt1.o, so a static-pie with libc cannot be linked;
    // this one has its own _start and makes the exit system call itself.
    public const string FreestandingSource = """
        int value = 7;
        __attribute__((noinline, target("thumb"))) int add_thumb(int a, int b) { return a * b + value; }
        void _start(void)
        {
            register int r0 __asm__("r0") = add_thumb(value, 6);
            register int r7 __asm__("r7") = 1;
            __asm__ volatile("svc 0" :: "r"(r0), "r"(r7));
            for (;;) { }
        }
        """;

    // A bare-metal image as `armemu system` will see them: fixed addresses, Thumb entry.
    public const string BareMetalSource = """
        .syntax unified
        .arch armv5te
        .text
        .global _start
        .thumb
        .thumb_func
        _start:
            movs r0, #1
            bl arm_func
            b _start
        .arm
        .global arm_func
        .type arm_func, %function
        arm_func:
            bx lr
        .size arm_func, . - arm_func
        .data
        .word 0x12345678
        """;

    /// <summary>Name, compiler flags and source of each C binary; the name is what tests pass around.</summary>
    public static readonly IReadOnlyDictionary<string, (string Flags, string Source)> Kinds = new Dictionary<string, (string, string)>
    {
        ["static"] = ("-O1 -static", ProgramSource),
        ["static-thumb"] = ("-O1 -static -mthumb", ProgramSource),
        ["dynamic-pie"] = ("-O1", ProgramSource),
        ["dynamic-nopie"] = ("-O1 -no-pie", ProgramSource),
        ["static-pie"] = ("-O1 -fPIE -static-pie -nostdlib -Wl,--no-dynamic-linker", FreestandingSource),
        ["object"] = ("-O1 -c", ProgramSource),
    };

    public static IEnumerable<object[]> ExecutableKinds() =>
        Kinds.Keys.Where(k => k != "object").Append("bare-metal").Select(k => new object[] { k });

    private static readonly string CacheDir = Path.Combine(
        Environment.GetEnvironmentVariable("ARMEMU_BUILD_CACHE") ?? Path.Combine(Path.GetTempPath(), "armemu-build-cache"), "elf");

    private static readonly Dictionary<string, Lazy<string>> Paths = Kinds.Keys.Append("bare-metal")
        .ToDictionary(k => k, k => new Lazy<string>(() => Build(k)));

    /// <summary>Path of the built file for <paramref name="kind"/>.</summary>
    public static string PathOf(string kind) => Paths[kind].Value;

    public static byte[] Bytes(string kind) => File.ReadAllBytes(PathOf(kind));

    private static string Build(string kind)
    {
        bool bare = kind == "bare-metal";
        (string flags, string source) = bare ? ("-Ttext=0x8000 -e _start", BareMetalSource) : Kinds[kind];
        string output = Path.Combine(CacheDir, GnuToolchain.Hash($"{kind}|{flags}|{source}") + ".elf");
        if (File.Exists(output)) return output;

        Directory.CreateDirectory(CacheDir);
        string work = Path.Combine(CacheDir, $"{Path.GetFileNameWithoutExtension(output)}-{Environment.ProcessId}");
        Directory.CreateDirectory(work);
        try
        {
            string result = Path.Combine(work, "out.elf");
            if (bare)
            {
                string s = Path.Combine(work, "t.s"), o = Path.Combine(work, "t.o");
                File.WriteAllText(s, source + "\n");
                GnuToolchain.Run("arm-none-eabi-as", $"-o {o} {s}", "binutils-arm-none-eabi");
                GnuToolchain.Run("arm-none-eabi-ld", $"{flags} -o {result} {o}", "binutils-arm-none-eabi");
            }
            else
            {
                string c = Path.Combine(work, "t.c");
                File.WriteAllText(c, source + "\n");
                GnuToolchain.Run("arm-linux-gnueabi-gcc", $"{flags} -o {result} {c}", "gcc-arm-linux-gnueabi");
            }
            File.Move(result, output, overwrite: true);
            return output;
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    // ------------------------------------------------------------ readelf

    public sealed record ReSegment(string Type, uint Offset, uint VirtAddr, uint PhysAddr, uint FileSize, uint MemSize, string Flags, uint Align);
    public sealed record ReSection(int Index, string Name, string Type, uint Address, uint Offset, uint Size, uint EntSize, uint Link, uint Info, uint Align);
    public sealed record ReSymbol(string Table, int Index, uint Value, uint Size, string Type, string Bind, string Vis, string Ndx, string Name);

    /// <summary>What `arm-none-eabi-readelf -h -l -S -s -W` says about a file.</summary>
    public sealed class ReadElf
    {
        public string Type = "";
        public uint Entry;
        public uint Flags;
        public string? Interpreter;
        public List<ReSegment> Segments = [];
        public List<ReSection> Sections = [];
        public List<ReSymbol> Symbols = [];
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, Lazy<ReadElf>> ReadElfCache = new();

    /// <summary>readelf's view of a file, run once per path.</summary>
    public static ReadElf RunReadElf(string path) =>
        ReadElfCache.GetOrAdd(path, p => new Lazy<ReadElf>(() => ParseReadElf(p))).Value;

    private static ReadElf ParseReadElf(string path)
    {
        string text = GnuToolchain.Run("arm-none-eabi-readelf", $"-h -l -S -s -W {path}", "binutils-arm-none-eabi");
        var r = new ReadElf();
        string? table = null;
        bool inSegments = false;
        foreach (string line in text.Split('\n'))
        {
            Match m;
            if ((m = HeaderField().Match(line)).Success)
            {
                string value = m.Groups[2].Value;
                switch (m.Groups[1].Value)
                {
                    case "Type" when r.Type == "": r.Type = value.Split(' ')[0]; break;
                    case "Entry point address": r.Entry = Hex(value); break;
                    case "Flags": r.Flags = Hex(value.Split(',')[0]); break;
                }
            }
            if (line.StartsWith("Program Headers:")) inSegments = true;
            else if (line.Length == 0) inSegments = false;
            else if (inSegments && (m = SegmentLine().Match(line)).Success)
                r.Segments.Add(new ReSegment(m.Groups[1].Value, Hex(m.Groups[2].Value), Hex(m.Groups[3].Value), Hex(m.Groups[4].Value),
                    Hex(m.Groups[5].Value), Hex(m.Groups[6].Value), m.Groups[7].Value.Trim(), Hex(m.Groups[8].Value)));
            else if ((m = InterpLine().Match(line)).Success)
                r.Interpreter = m.Groups[1].Value;
            else if ((m = SectionLine().Match(line)).Success)
                r.Sections.Add(new ReSection(int.Parse(m.Groups[1].Value), m.Groups[2].Value, m.Groups[3].Value, Hex(m.Groups[4].Value),
                    Hex(m.Groups[5].Value), Hex(m.Groups[6].Value), Hex(m.Groups[7].Value), uint.Parse(m.Groups[9].Value),
                    uint.Parse(m.Groups[10].Value), uint.Parse(m.Groups[11].Value)));
            else if ((m = SymbolTableLine().Match(line)).Success)
                table = m.Groups[1].Value;
            else if (table is not null && (m = SymbolLine().Match(line)).Success)
            {
                string name = m.Groups[8].Value;
                // readelf decorates .dynsym names with their version from .gnu.version: "printf@GLIBC_2.4 (3)".
                if (table == ".dynsym") name = VersionSuffix().Replace(name, "");
                string size = m.Groups[3].Value;
                r.Symbols.Add(new ReSymbol(table, int.Parse(m.Groups[1].Value), Hex(m.Groups[2].Value),
                    size.StartsWith("0x") ? Hex(size) : uint.Parse(size), m.Groups[4].Value, m.Groups[5].Value,
                    m.Groups[6].Value, m.Groups[7].Value, name));
            }
        }
        return r;
    }

    private static uint Hex(string s) =>
        uint.Parse(s.Trim().Replace("0x", ""), NumberStyles.HexNumber, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^  ([A-Za-z ]+):\s+(.*)$")]
    private static partial Regex HeaderField();
    [GeneratedRegex(@"^  (\S+)\s+0x([0-9a-f]+) 0x([0-9a-f]+) 0x([0-9a-f]+) 0x([0-9a-f]+) 0x([0-9a-f]+) (.{3}) 0x([0-9a-f]+)$")]
    private static partial Regex SegmentLine();
    [GeneratedRegex(@"^\s+\[Requesting program interpreter: (.*)\]$")]
    private static partial Regex InterpLine();
    [GeneratedRegex(@"^  \[\s*(\d+)\] (.{17}|\S+) (\S+)\s+([0-9a-f]{8}) ([0-9a-f]{6,}) ([0-9a-f]{6,}) ([0-9a-f]{2,}) (.{3})\s*(\d+)\s+(\d+)\s+(\d+)$")]
    private static partial Regex SectionLine();
    [GeneratedRegex(@"^Symbol table '(\S+)' contains \d+ entries:$")]
    private static partial Regex SymbolTableLine();
    [GeneratedRegex(@"^\s*(\d+): ([0-9a-f]{8})\s+(\S+) (\S+)\s+(\S+)\s+(\S+)\s+(\S+) ?(.*)$")]
    private static partial Regex SymbolLine();
    [GeneratedRegex(@"@\S+ \(\d+\)$")]
    private static partial Regex VersionSuffix();
}
