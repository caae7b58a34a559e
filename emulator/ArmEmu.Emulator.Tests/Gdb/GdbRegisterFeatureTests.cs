using System.Text;
using ArmEmu.Cpu;
using ArmEmu.Cpu.Vfp;
using ArmEmu.Emulator.Gdb;

namespace ArmEmu.Emulator.Tests.Gdb;

/// <summary>
/// The target description per model and the floating-point registers read and written through
/// it: the arm926's VFPv2 (d0-d15, fpscr), the Cortex-A9's VFPv3-D32 with NEON (d0-d31 as
/// vectors, q0-q15, fpscr), fpsid and fpexc; a model without a VFP has only the core.
/// </summary>
public sealed class GdbRegisterFeatureTests
{
    private sealed class Registers(CpuModel model) : IGdbRegisterContext
    {
        public uint[] Core { get; } = new uint[17];

        public uint ReadCore(int index) => Core[index];

        public void WriteCore(int index, uint value) => Core[index] = value;

        public FloatingPointUnit Fpu { get; } = new(model);
    }

    private static (GdbTargetDescription Description, Registers Context, string Xml) Describe(CpuModel model)
    {
        var context = new Registers(model);
        var description = new GdbTargetDescription(GdbTarget.RegisterFeatures(model, () => context));
        return (description, context, Encoding.UTF8.GetString(description.Xml));
    }

    private static byte[] Read(GdbTargetDescription description, int regnum)
    {
        var feature = description.FeatureOf(regnum)!;
        var value = new byte[feature.SizeOf(regnum)];
        Assert.True(feature.TryRead(regnum, value));
        return value;
    }

    [Fact]
    public void Arm926HasVfpv2WithSixteenDoublesAndNoNeon()
    {
        var (description, context, xml) = Describe(CpuModel.Arm926);
        Assert.Contains("<feature name=\"org.gnu.gdb.arm.vfp\">", xml);
        Assert.Contains("<reg name=\"d15\" bitsize=\"64\" type=\"ieee_double\" regnum=\"41\"/>", xml);
        Assert.DoesNotContain("name=\"d16\"", xml);
        Assert.DoesNotContain("name=\"q0\"", xml);
        Assert.Contains("<reg name=\"fpscr\" bitsize=\"32\" type=\"int\" group=\"float\" regnum=\"42\"/>", xml);
        Assert.Contains("<reg name=\"fpsid\" bitsize=\"32\" type=\"int\" group=\"float\" regnum=\"43\"/>", xml);
        Assert.Contains("<reg name=\"fpexc\" bitsize=\"32\" type=\"int\" group=\"float\" regnum=\"44\"/>", xml);
        Assert.Equal([.. Enumerable.Range(0, 16), 25], description.GPacketRegisters); // only the core travels in g

        context.Fpu.D[3] = 0x4004_0000_0000_0000;
        Assert.Equal(BitConverter.GetBytes(0x4004_0000_0000_0000UL), Read(description, 26 + 3));
        Assert.Equal(BitConverter.GetBytes(0x41011090u), Read(description, 43)); // fpsid: the model's
        Assert.True(description.FeatureOf(42)!.TryWrite(42, BitConverter.GetBytes(0xFFFF_FFFFu)));
        Assert.Equal(Fpscr.WritableMask & ~Fpscr.QC, context.Fpu.Fpscr);     // as VMSR keeps it: no QC without NEON
        Assert.True(description.FeatureOf(43)!.TryWrite(43, BitConverter.GetBytes(0u)));
        Assert.Equal(BitConverter.GetBytes(0x41011090u), Read(description, 43)); // fpsid ignores writes
        Assert.True(description.FeatureOf(44)!.TryWrite(44, BitConverter.GetBytes(FloatingPointUnit.FpexcEn)));
        Assert.Equal(FloatingPointUnit.FpexcEn, context.Fpu.Fpexc);
        Assert.Null(description.FeatureOf(45));
    }

    [Fact]
    public void CortexA9HasThirtyTwoDoublesAsVectorsAndSixteenQuads()
    {
        var (description, context, xml) = Describe(CpuModel.CortexA9);
        Assert.Contains("<reg name=\"d31\" bitsize=\"64\" type=\"neon_d\" regnum=\"57\"/>", xml);
        Assert.Contains("<reg name=\"q0\" bitsize=\"128\" type=\"neon_q\" regnum=\"58\"/>", xml);
        Assert.Contains("<reg name=\"q11\" bitsize=\"128\" type=\"neon_q\" regnum=\"69\"/>", xml);
        Assert.Contains("<reg name=\"fpscr\" bitsize=\"32\" type=\"int\" group=\"float\" regnum=\"74\"/>", xml);
        Assert.Contains("<union id=\"neon_d\">", xml);

        // q8 is d17:d16, low half first (DDI 0406C A2.6.1).
        context.Fpu.D[16] = 0x4013_8000_0000_0000;
        context.Fpu.D[17] = 0x3FE0_0000_0000_0000;
        byte[] q8 = Read(description, 58 + 8);
        Assert.Equal(BitConverter.GetBytes(0x4013_8000_0000_0000UL).Concat(BitConverter.GetBytes(0x3FE0_0000_0000_0000UL)), q8);
        // P on q3 writes d6 and d7.
        byte[] value = [.. BitConverter.GetBytes(0x1111_2222_3333_4444UL), .. BitConverter.GetBytes(0x5555_6666_7777_8888UL)];
        Assert.True(description.FeatureOf(58 + 3)!.TryWrite(58 + 3, value));
        Assert.Equal(0x1111_2222_3333_4444UL, context.Fpu.D[6]);
        Assert.Equal(0x5555_6666_7777_8888UL, context.Fpu.D[7]);
        Assert.False(description.FeatureOf(58 + 3)!.TryWrite(58 + 3, value.AsSpan(0, 8))); // a short value is refused
        Assert.True(description.FeatureOf(74)!.TryWrite(74, BitConverter.GetBytes(Fpscr.QC)));
        Assert.Equal(Fpscr.QC, context.Fpu.Fpscr);                             // QC exists with NEON
        Assert.Equal(BitConverter.GetBytes(CpuModel.CortexA9.Fpsid), Read(description, 75));
    }

    [Fact]
    public void AModelWithoutVfpHasOnlyTheCore()
    {
        var model = CpuModel.Arm926 with { Name = "arm926-novfp", Features = CpuModel.Arm926.Features & ~CpuFeature.Vfp2 };
        var (description, _, xml) = Describe(model);
        Assert.DoesNotContain("org.gnu.gdb.arm.vfp", xml);
        Assert.DoesNotContain("fpsid", xml);
        Assert.Null(description.FeatureOf(26));
    }
}
