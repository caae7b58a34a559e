using System.Text.RegularExpressions;
using ArmEmu.Emulator.Devices;
using ArmEmu.Memory;
using ArmEmu.Memory.Caches;
using ArmEmu.TestSupport;

namespace ArmEmu.GuestTests.Differential;

/// <summary>
/// The PL310's registers at reset against the oracle: qemu-system-arm -M vexpress-a9 (QEMU's
/// arm_l2x0 at 0x1e00a000), read through its monitor's <c>xp</c> before the CPU starts. Every
/// offset QEMU implements, plus the operation block Linux polls, must read the same here.
/// </summary>
public class Pl310QemuTests
{
    private const uint Base = 0x1E00_A000;

    private static readonly uint[] Offsets =
    [
        0x000, 0x004, 0x100, 0x104, 0x108, 0x10C,
        0x730, 0x770, 0x77C, 0x7B0, 0x7B8, 0x7BC, 0x7F0, 0x7F8, 0x7FC,
        0xC00, 0xC04, 0xF40, 0xF60, 0xF80,
    ];

    [Fact]
    public void ResetValues_AreQemus()
    {
        var qemu = ReadWithQemuMonitor();
        using var bus = new PhysicalBus();
        var pl310 = new Pl310L2Cache(CacheModelOptions.CortexA9.Build(bus, () => 0)!.OuterCache);

        Assert.Equal(Offsets.Length, qemu.Count);
        foreach (uint offset in Offsets)
            Assert.True(qemu[offset] == pl310.Read(offset, 4),
                $"offset 0x{offset:x3}: QEMU reads 0x{qemu[offset]:x8}, armemu 0x{pl310.Read(offset, 4):x8}");
    }

    private static Dictionary<uint, uint> ReadWithQemuMonitor()
    {
        string commands = string.Concat(Offsets.Select(o => $"xp /1wx 0x{Base + o:x8}\\n")) + "quit\\n";
        string script = Path.Combine(Path.GetTempPath(), $"armemu-pl310-{Guid.NewGuid():N}.sh");
        File.WriteAllText(script,
            "command -v qemu-system-arm >/dev/null || { echo 'qemu-system-arm not found: install the Debian package qemu-system-arm' >&2; exit 127; }\n" +
            $"printf '{commands}' | QEMU_AUDIO_DRV=none qemu-system-arm -M vexpress-a9 -cpu cortex-a9 -nographic -monitor stdio -serial none -S\n");
        string output;
        try
        {
            output = GnuToolchain.Run("bash", script, "qemu-system-arm");
        }
        finally
        {
            File.Delete(script);
        }
        return Regex.Matches(output, @"^([0-9a-f]{8,16}): 0x([0-9a-f]{8})", RegexOptions.Multiline)
            .ToDictionary(m => (uint)(Convert.ToUInt64(m.Groups[1].Value, 16) - Base), m => Convert.ToUInt32(m.Groups[2].Value, 16));
    }
}
