using ArmEmu.Emulator.Loaders;
using ArmEmu.TestSupport;

namespace ArmEmu.Emulator.Tests;

/// <summary>
/// The .debug_line reader against binutils: for programs gcc 12 builds with every DWARF version
/// from 2 to 5, Linux and bare-metal toolchains, ARM and Thumb, each row (file, line, address,
/// is_stmt, end of sequence) equals what <c>arm-none-eabi-readelf --debug-dump=decodedline</c>
/// prints. Malformed tables are one-line errors.
/// </summary>
public sealed class DwarfLineTableTests
{
    private const string Source = """
        #include <stdint.h>
        struct pair { int a, b; };
        int __attribute__((noinline)) sum(const struct pair *p, int n)
        {
            int s = 0;
            for (int i = 0; i < n; i++)
                s += p[i].a * p[i].b;
            return s;
        }
        int table[64];
        int main(void)
        {
            struct pair p[8];
            for (int i = 0; i < 8; i++) { p[i].a = i; p[i].b = table[i] + 1; }
            return sum(p, 8) & 0x7f;
        }
        """;

    public static TheoryData<string, string> Builds => new()
    {
        { "arm-linux-gnueabi-gcc", "-O2 -gdwarf-2 -static" },
        { "arm-linux-gnueabi-gcc", "-O1 -gdwarf-3 -static -mthumb" },
        { "arm-linux-gnueabi-gcc", "-O2 -gdwarf-4 -static" },
        { "arm-linux-gnueabi-gcc", "-O2 -gdwarf-5 -static" },
        { "arm-linux-gnueabi-gcc", "-O0 -g -static" },
        { "arm-none-eabi-gcc", "-O2 -gdwarf-5 -mthumb -nostdlib -nostartfiles -Wl,-e,main" },
        { "arm-none-eabi-gcc", "-Os -gdwarf-4 -nostdlib -nostartfiles -Wl,-e,main" },
    };

    [Theory]
    [MemberData(nameof(Builds))]
    public void RowsEqualReadelfs(string compiler, string flags)
    {
        string binary = Build(compiler, flags);
        var table = DwarfLineTable.Of(ElfFile.Load(binary));
        Assert.NotNull(table);
        var expected = Readelf.DecodedLines(binary);
        var actual = table.Rows.Select(r => (Path.GetFileName(r.File), r.EndSequence ? -1 : r.Line, r.Address, r.EndSequence ? false : r.IsStatement)).ToList();
        Assert.True(expected.Count > 10, $"readelf printed only {expected.Count} rows");
        Assert.Equal(expected.Count, actual.Count);
        for (int i = 0; i < expected.Count; i++)
            Assert.True(expected[i] == actual[i], $"row {i}: readelf {expected[i]}, ours {actual[i]}");
    }

    [Fact]
    public void LookupNamesTheSourceLineOfAnInstruction()
    {
        string binary = Build("arm-linux-gnueabi-gcc", "-O2 -gdwarf-5 -static");
        var elf = ElfFile.Load(binary);
        var table = DwarfLineTable.Of(elf)!;
        uint sum = elf.FindSymbol("sum")!.Address;
        var (file, line) = table.Lookup(sum)!.Value;
        Assert.Equal("dwarf-test.c", Path.GetFileName(file));
        Assert.InRange(line, 3, 8); // the function's opening lines
        Assert.Null(table.Lookup(0x10)); // nothing below the program
    }

    [Fact]
    public void MalformedTablesAreOneLineErrors()
    {
        byte[] section = File.ReadAllBytes(Build("arm-linux-gnueabi-gcc", "-O2 -gdwarf-5 -static")) is var bytes
            ? ElfFile.Parse(bytes) is var elf ? elf.SectionData(elf.FindSection(".debug_line")!).ToArray() : []
            : [];
        var random = new Random(12345);
        for (int trial = 0; trial < 2000; trial++)
        {
            byte[] mutated = (byte[])section.Clone();
            int cut = trial % 4 == 0 ? random.Next(mutated.Length) : mutated.Length;
            for (int k = 0; k < 4; k++) mutated[random.Next(mutated.Length)] = (byte)random.Next(256);
            try
            {
                DwarfLineTable.Parse(mutated.AsSpan(0, cut), default, default);
            }
            catch (InvalidDataException e)
            {
                Assert.DoesNotContain('\n', e.Message);
                Assert.StartsWith(".debug_line: ", e.Message);
            }
        }
    }

    private static string Build(string compiler, string flags)
    {
        string package = compiler.StartsWith("arm-none-eabi", StringComparison.Ordinal) ? "gcc-arm-none-eabi" : "gcc-arm-linux-gnueabi";
        string key = GnuToolchain.Hash($"{compiler}|{flags}|{Source}");
        string directory = Path.Combine(Path.GetTempPath(), "armemu-build-cache", $"dwarf-{key}");
        string binary = Path.Combine(directory, "dwarf-test");
        if (File.Exists(binary)) return binary;
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "dwarf-test.c"), Source);
        string partial = $"{binary}.{Environment.ProcessId}.tmp";
        GnuToolchain.Run(compiler, $"{flags} -o {partial} dwarf-test.c", package, directory);
        File.Move(partial, binary, overwrite: true);
        return binary;
    }
}
