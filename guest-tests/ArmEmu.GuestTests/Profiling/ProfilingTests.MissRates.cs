using System.Globalization;
using System.Text.RegularExpressions;
using ArmEmu.TestSupport;

namespace ArmEmu.GuestTests.Profiling;

/// <summary>The README's annotated source with miss rates: guest-tests/examples/stride.c.</summary>
public sealed partial class ProfilingTests
{
    /// <summary>
    /// stride.c built with -g: callgrind_annotate --auto=yes shows the two summing lines with
    /// 16,384 loads each; along the rows one in eight misses the D-cache (a 32-byte line holds
    /// eight ints), down the columns nearly every one does (README, "Profiling and tracing").
    /// </summary>
    [Fact]
    public void AnnotatedSourceShowsTheMissRatesOfRowsAndColumns()
    {
        string source = Path.Combine(RepositoryRoot.Path, "guest-tests", "examples", "stride.c");
        string binary = Compile(source, "-g -O1 -static");
        string profile = Path.Combine(Path.GetTempPath(), $"armemu-profile-{Environment.ProcessId}-stride.out");
        try
        {
            var (status, stdout, stderr) = RunArmEmu(["run", "--profile", profile, binary]);
            Assert.True(status == 0, stderr);
            Assert.Equal("rows 1040384, columns 1040384\n", stdout);
            string annotated = GnuToolchain.Run("callgrind_annotate", $"--auto=yes --show=Ir,Dr,D1mr,Dw,D1mw {profile}", "valgrind");
            var sums = annotated.Split('\n').Where(l => l.Contains("sum += matrix[i][j];", StringComparison.Ordinal)).ToList();
            Assert.Equal(2, sums.Count);
            (ulong Dr, ulong D1mr) Of(string line)
            {
                var n = Regex.Matches(Regex.Replace(line, @"\([^)]*\)", ""), @"[\d,]+").Select(m => ulong.Parse(m.Value.Replace(",", ""), CultureInfo.InvariantCulture)).ToList();
                return (n[1], n[2]); // Ir Dr D1mr ...
            }
            var rows = Of(sums[0]);
            var columns = Of(sums[1]);
            Assert.Equal((16_384UL, 16_384UL), (rows.Dr, columns.Dr));
            Assert.InRange(rows.D1mr, 2_048UL, 2_060UL);         // 12.5%: a miss per 32-byte line
            Assert.InRange(columns.D1mr, 16_000UL, 16_384UL);    // nearly 100%
        }
        finally
        {
            File.Delete(profile);
        }
    }
}
