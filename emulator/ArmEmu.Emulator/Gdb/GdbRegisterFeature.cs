using System.Buffers.Binary;
using System.Text;

namespace ArmEmu.Emulator.Gdb;

/// <summary>
/// One feature of the target description (GDB manual, "Target Descriptions" and "ARM
/// Features"): the XML gdb reads through qXfer:features:read, and the registers it names, by
/// gdb register number. The ARM core feature is always there; the VFP and NEON features
/// (org.gnu.gdb.arm.vfp, org.gnu.gdb.arm.neon) join per CPU model once the processor has
/// the register file, each as another implementation of this interface.
/// </summary>
internal interface IGdbRegisterFeature
{
    /// <summary>The &lt;feature&gt; element, registers numbered from <see cref="FirstRegister"/>.</summary>
    string Xml { get; }

    /// <summary>gdb number of the feature's first register.</summary>
    int FirstRegister { get; }

    /// <summary>gdb numbers of the registers, in the order of the 'g' packet.</summary>
    IReadOnlyList<int> Registers { get; }

    /// <summary>
    /// Whether the registers travel in the 'g' and 'G' packets (the core ones); gdb reads the
    /// others one by one with 'p', as QEMU serves its coprocessor registers.
    /// </summary>
    bool InGPacket { get; }

    /// <summary>Size in bytes of register <paramref name="regnum"/>; 0 if not in this feature.</summary>
    int SizeOf(int regnum);

    /// <summary>Writes the register's target-endian bytes; false if not in this feature.</summary>
    bool TryRead(int regnum, Span<byte> value);

    bool TryWrite(int regnum, ReadOnlySpan<byte> value);
}

/// <summary>
/// org.gnu.gdb.arm.core: r0-r12, sp, lr, pc and cpsr, as the registers of the current mode.
/// cpsr is gdb register 25, not 16: gdb's ARM numbering keeps 16-24 for the FPA registers
/// of old targets (gdb/arm-tdep.h, ARM_PS_REGNUM), and the 'g' packet holds the registers the
/// description names, in number order, so it is r0..pc then cpsr. The registers are those of
/// the thread gdb selected (<paramref name="context"/> is asked at every access).
/// </summary>
internal sealed class ArmCoreRegisters(Func<IGdbRegisterContext> context) : IGdbRegisterFeature
{
    public const int PcRegister = 15, CpsrRegister = 25;

    /// <summary>gdb's number of the first register after the core ones (the VFP feature starts there).</summary>
    public const int NextRegister = CpsrRegister + 1;

    private static readonly int[] Numbers = [.. Enumerable.Range(0, 16), CpsrRegister];

    public ArmCoreRegisters(Cpu.Cpu cpu) : this(new CpuRegisterContext(cpu))
    {
    }

    private ArmCoreRegisters(CpuRegisterContext fixedContext) : this(() => fixedContext)
    {
    }

    public string Xml { get; } = BuildXml();

    public int FirstRegister => 0;

    public IReadOnlyList<int> Registers => Numbers;

    public bool InGPacket => true;

    public int SizeOf(int regnum) => regnum is >= 0 and < 16 or CpsrRegister ? 4 : 0;

    public bool TryRead(int regnum, Span<byte> value)
    {
        if (SizeOf(regnum) == 0) return false;
        BinaryPrimitives.WriteUInt32LittleEndian(value, context().ReadCore(regnum == CpsrRegister ? CpuRegisterContext.Cpsr : regnum));
        return true;
    }

    public bool TryWrite(int regnum, ReadOnlySpan<byte> value)
    {
        if (SizeOf(regnum) == 0 || value.Length < 4) return false;
        context().WriteCore(regnum == CpsrRegister ? CpuRegisterContext.Cpsr : regnum, BinaryPrimitives.ReadUInt32LittleEndian(value));
        return true;
    }

    private static string BuildXml()
    {
        var xml = new StringBuilder("<feature name=\"org.gnu.gdb.arm.core\">\n");
        for (int r = 0; r < 13; r++) xml.Append($"  <reg name=\"r{r}\" bitsize=\"32\" type=\"uint32\"/>\n");
        xml.Append("  <reg name=\"sp\" bitsize=\"32\" type=\"data_ptr\"/>\n");
        xml.Append("  <reg name=\"lr\" bitsize=\"32\"/>\n");
        xml.Append("  <reg name=\"pc\" bitsize=\"32\" type=\"code_ptr\"/>\n");
        xml.Append($"  <reg name=\"cpsr\" bitsize=\"32\" regnum=\"{CpsrRegister}\"/>\n");
        xml.Append("</feature>\n");
        return xml.ToString();
    }
}

/// <summary>The whole target description: the architecture and every feature the model has.</summary>
internal sealed class GdbTargetDescription
{
    private readonly IReadOnlyList<IGdbRegisterFeature> _features;

    public GdbTargetDescription(IReadOnlyList<IGdbRegisterFeature> features)
    {
        _features = features;
        var xml = new StringBuilder("<?xml version=\"1.0\"?>\n<!DOCTYPE target SYSTEM \"gdb-target.dtd\">\n<target>\n  <architecture>arm</architecture>\n");
        foreach (var f in features) xml.Append(f.Xml);
        xml.Append("</target>\n");
        Xml = Encoding.UTF8.GetBytes(xml.ToString());
        GPacketRegisters = [.. features.Where(f => f.InGPacket).SelectMany(f => f.Registers).Order()];
    }

    /// <summary>target.xml.</summary>
    public byte[] Xml { get; }

    /// <summary>The registers of the 'g' and 'G' packets, in order.</summary>
    public IReadOnlyList<int> GPacketRegisters { get; }

    public IGdbRegisterFeature? FeatureOf(int regnum) => _features.FirstOrDefault(f => f.SizeOf(regnum) > 0);
}
