using System.Buffers.Binary;
using System.Text;
using ArmEmu.Cpu;
using ArmEmu.Cpu.Vfp;

namespace ArmEmu.Emulator.Gdb;

/// <summary>
/// org.gnu.gdb.arm.vfp (GDB manual, "ARM Features"): d0-d15 on a VFPv2 or VFPv3-D16 unit,
/// d0-d31 on a VFPv3-D32 one, then fpscr; gdb makes s0-s31 from the halves of d0-d15 itself.
/// Where the model has Advanced SIMD, an empty org.gnu.gdb.arm.neon follows: gdb then shows
/// the d registers as vectors and makes q0-q15 from pairs of them.
/// <para>
/// QEMU 7.2 describes its NEON cores with q0-q15 as registers of their own inside the VFP
/// feature (gdb-xml/arm-neon.xml, which names q10 twice and has no q11); here gdb's own
/// quad registers take their place, so every one of q0-q15 is there, with the same layout.
/// QEMU 7.2 gives the arm926 no VFP registers at all: it chooses the description from
/// MVFR0.SIMDReg (target/arm/gdbstub.c), an ID register the ARMv5 core does not have and
/// which reads as a VFPv2 without registers there. The ARM926EJ-S with its VFP9-S has VFPv2's
/// sixteen double registers (DDI 0100I C1.1, VFP9-S TRM 1.2), which its programs use, so
/// they are described here.
/// </para>
/// </summary>
public sealed class VfpRegisters : IGdbRegisterFeature
{
    private readonly Func<IGdbRegisterContext> _context;
    private readonly int _count;
    private readonly uint _fpscrMask;
    private readonly int[] _numbers;

    public VfpRegisters(CpuModel model, int firstRegister, Func<IGdbRegisterContext> context)
    {
        _context = context;
        FirstRegister = firstRegister;
        _count = model.Has(CpuFeature.VfpD32) ? 32 : 16;
        HasNeon = model.Has(CpuFeature.Neon);
        // As VMSR FPSCR keeps them (QC only where there is Advanced SIMD).
        _fpscrMask = Fpscr.WritableMask & (HasNeon ? ~0u : ~Fpscr.QC);
        _numbers = [.. Enumerable.Range(firstRegister, _count + 1)];
        Xml = BuildXml();
    }

    /// <summary>True if the description has the org.gnu.gdb.arm.neon marker.</summary>
    public bool HasNeon { get; }

    /// <summary>gdb's number of fpscr.</summary>
    public int FpscrRegister => FirstRegister + _count;

    public string Xml { get; }

    public int FirstRegister { get; }

    public IReadOnlyList<int> Registers => _numbers;

    public bool InGPacket => false;

    public int SizeOf(int regnum) => regnum < FirstRegister || regnum > FpscrRegister ? 0 : regnum == FpscrRegister ? 4 : 8;

    public bool TryRead(int regnum, Span<byte> value)
    {
        if (SizeOf(regnum) == 0) return false;
        var fpu = _context().Fpu;
        if (regnum == FpscrRegister) BinaryPrimitives.WriteUInt32LittleEndian(value, fpu.Fpscr);
        else BinaryPrimitives.WriteUInt64LittleEndian(value, fpu.D[regnum - FirstRegister]);
        return true;
    }

    public bool TryWrite(int regnum, ReadOnlySpan<byte> value)
    {
        int size = SizeOf(regnum);
        if (size == 0 || value.Length < size) return false;
        var fpu = _context().Fpu;
        if (regnum == FpscrRegister) fpu.Fpscr = BinaryPrimitives.ReadUInt32LittleEndian(value) & _fpscrMask;
        else fpu.D[regnum - FirstRegister] = BinaryPrimitives.ReadUInt64LittleEndian(value);
        return true;
    }

    private string BuildXml()
    {
        var xml = new StringBuilder("<feature name=\"org.gnu.gdb.arm.vfp\">\n");
        for (int d = 0; d < _count; d++)
            xml.Append($"  <reg name=\"d{d}\" bitsize=\"64\" type=\"ieee_double\" regnum=\"{FirstRegister + d}\"/>\n");
        xml.Append($"  <reg name=\"fpscr\" bitsize=\"32\" type=\"int\" group=\"float\" regnum=\"{FpscrRegister}\"/>\n");
        xml.Append("</feature>\n");
        if (HasNeon) xml.Append("<feature name=\"org.gnu.gdb.arm.neon\"/>\n");
        return xml.ToString();
    }
}

/// <summary>
/// fpsid and fpexc, in the feature QEMU 7.2 puts them in (org.qemu.gdb.arm.vfp-sysregs,
/// gdb-xml/arm-vfp-sysregs.xml), so that a script written against QEMU finds them under the
/// same names. fpsid is the model's and ignores writes, as the VMSR to it does; fpexc is
/// written whole, as a privileged VMSR writes it.
/// </summary>
public sealed class VfpSystemRegisters(CpuModel model, int firstRegister, Func<IGdbRegisterContext> context) : IGdbRegisterFeature
{
    public string Xml { get; } =
        "<feature name=\"org.qemu.gdb.arm.vfp-sysregs\">\n"
        + $"  <reg name=\"fpsid\" bitsize=\"32\" type=\"int\" group=\"float\" regnum=\"{firstRegister}\"/>\n"
        + $"  <reg name=\"fpexc\" bitsize=\"32\" type=\"int\" group=\"float\" regnum=\"{firstRegister + 1}\"/>\n"
        + "</feature>\n";

    public int FirstRegister => firstRegister;

    public IReadOnlyList<int> Registers { get; } = [firstRegister, firstRegister + 1];

    public bool InGPacket => false;

    public int SizeOf(int regnum) => regnum == firstRegister || regnum == firstRegister + 1 ? 4 : 0;

    public bool TryRead(int regnum, Span<byte> value)
    {
        if (SizeOf(regnum) == 0) return false;
        BinaryPrimitives.WriteUInt32LittleEndian(value, regnum == firstRegister ? model.Fpsid : context().Fpu.Fpexc);
        return true;
    }

    public bool TryWrite(int regnum, ReadOnlySpan<byte> value)
    {
        if (SizeOf(regnum) == 0 || value.Length < 4) return false;
        if (regnum == firstRegister + 1) context().Fpu.Fpexc = BinaryPrimitives.ReadUInt32LittleEndian(value);
        return true;
    }
}
