using ArmEmu.Emulator.Loaders;
using ArmEmu.TestSupport;

namespace ArmEmu.GuestTests.Linux;

/// <summary>
/// The DWARF .debug_line reader (<see cref="DwarfLineTable"/>) against binutils on every Linux
/// program the suite builds, in each of the three builds the runs use (ARMv5TE, ARMv7-A ARM,
/// ARMv7-A Thumb-2; C and C++, static and dynamic, armel and armhf): every row (file, line,
/// address, is_stmt, end of sequence) equals what <c>arm-none-eabi-readelf
/// --debug-dump=decodedline</c> prints. The builds are the runs' own (cached by content), so
/// this costs a readelf and a parse per program.
/// </summary>
public sealed partial class LinuxProgramTests
{
    public static TheoryData<string, string> EveryBuild
    {
        get
        {
            var builds = new TheoryData<string, string>();
            foreach (string name in ProgramNames) builds.Add(name, "");
            foreach (string name in V7ProgramNames) builds.Add(name, "-march=armv7-a -marm");
            foreach (string name in ThumbV7ProgramNames) builds.Add(name, "-march=armv7-a -mthumb");
            return builds;
        }
    }

    [Theory]
    [MemberData(nameof(EveryBuild))]
    public void DwarfLineRowsEqualReadelfs(string name, string archFlags)
    {
        var program = Programs.Single(p => p.Name == name);
        if (archFlags.Length > 0) program = program with { ExtraFlags = $"{program.ExtraFlags} {archFlags}".Trim() };
        string binary = Build(program);
        var expected = Readelf.DecodedLines(binary);
        Assert.True(expected.Count > 0, $"{name}: readelf found no line rows (built without -g?)");
        var table = DwarfLineTable.Of(ElfFile.Load(binary));
        Assert.NotNull(table);
        var actual = table.Rows.Select(r => (Path.GetFileName(r.File), r.EndSequence ? -1 : r.Line, r.Address, !r.EndSequence && r.IsStatement)).ToList();
        // The first row that differs, then the counts (a row too many or too few shows where).
        for (int i = 0; i < Math.Min(expected.Count, actual.Count); i++)
            Assert.True(expected[i] == actual[i], $"{name} row {i}: readelf {expected[i]}, ours {actual[i]}");
        Assert.Equal(expected.Count, actual.Count);
    }
}
