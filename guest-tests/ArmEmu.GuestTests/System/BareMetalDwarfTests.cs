using ArmEmu.Emulator.Loaders;
using ArmEmu.TestSupport;

namespace ArmEmu.GuestTests.BareMetal;

/// <summary>
/// The DWARF .debug_line reader (<see cref="DwarfLineTable"/>) against binutils on every
/// bare-metal program of guest-tests/system, both boards (their build.sh compile with -g; C and
/// assembly, the common start-up code and runtime): every row equals what
/// <c>arm-none-eabi-readelf --debug-dump=decodedline</c> prints. The images are the runs' own.
/// </summary>
public class BareMetalDwarfTests
{
    public static TheoryData<string, string> Programs() => BareMetalTests.Programs();

    [Theory]
    [MemberData(nameof(Programs))]
    public void DwarfLineRowsEqualReadelfs(string board, string name)
    {
        string elf = BareMetalTests.Build(board, name);
        var expected = Readelf.DecodedLines(elf);
        Assert.True(expected.Count > 0, $"{board}/{name}: readelf found no line rows (built without -g?)");
        var table = DwarfLineTable.Of(ElfFile.Load(elf));
        Assert.NotNull(table);
        var actual = table.Rows.Select(r => (Path.GetFileName(r.File), r.EndSequence ? -1 : r.Line, r.Address, !r.EndSequence && r.IsStatement)).ToList();
        // The first row that differs, then the counts (a row too many or too few shows where).
        for (int i = 0; i < Math.Min(expected.Count, actual.Count); i++)
            Assert.True(expected[i] == actual[i], $"{board}/{name} row {i}: readelf {expected[i]}, ours {actual[i]}");
        Assert.Equal(expected.Count, actual.Count);
    }
}
