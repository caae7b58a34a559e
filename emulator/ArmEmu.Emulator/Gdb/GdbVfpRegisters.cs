using System.Buffers.Binary;
using System.Text;
using ArmEmu.Cpu;
using ArmEmu.Cpu.Vfp;

namespace ArmEmu.Emulator.Gdb;

/// <summary>
/// org.gnu.gdb.arm.vfp (GDB manual, "ARM Features"): d0-d15 on a VFPv2 or VFPv3-D16 unit,
/// d0-d31 on a VFPv3-D32 one, then fpscr; gdb makes s0-s31 from the halves of d0-d15 itself.
/// <para>
/// Where the model has Advanced SIMD the feature is laid out as QEMU 7.2 lays it out
/// (gdb-xml/arm-neon.xml): d0-d31 typed as unions of vectors (u8, u16, u32, u64, f32, f64),
/// q0-q15 as registers of their own, then fpscr. The GDB manual's alternative -- d0-d31 as
/// doubles and an empty org.gnu.gdb.arm.neon feature, from which gdb makes the vector types
/// and q0-q15 -- gives no q registers at all in gdb-multiarch 13.1 (measured: `p $q0` is
/// void, `ptype $d0` a double), so QEMU's layout is the one that shows the NEON view.
/// QEMU's file names q10 twice and has no q11; here q11 is q11.
/// </para>
/// <para>
/// QEMU 7.2 gives the arm926 no VFP registers at all: it chooses the description from
/// MVFR0.SIMDReg (target/arm/gdbstub.c), an ID register the ARMv5 core does not have, which
/// reads as a VFPv2 without registers there. The ARM926EJ-S with its VFP9-S has VFPv2's
/// sixteen double registers (DDI 0100I C1.1, VFP9-S TRM 1.2), which its programs use, so they
/// are described here.
/// </para>
/// </summary>
internal sealed class VfpRegisters : IGdbRegisterFeature
{
    private readonly Func<IGdbRegisterContext> _context;
    private readonly int _doubles, _quads;
    private readonly uint _fpscrMask;
    private readonly int[] _numbers;

    public VfpRegisters(CpuModel model, int firstRegister, Func<IGdbRegisterContext> context)
    {
        _context = context;
        FirstRegister = firstRegister;
        _doubles = model.Has(CpuFeature.VfpD32) ? 32 : 16;
        HasNeon = model.Has(CpuFeature.Neon);
        _quads = HasNeon ? 16 : 0;
        // As VMSR FPSCR keeps them (QC only where there is Advanced SIMD).
        _fpscrMask = Fpscr.WritableMask & (HasNeon ? ~0u : ~Fpscr.QC);
        _numbers = [.. Enumerable.Range(firstRegister, _doubles + _quads + 1)];
        Xml = BuildXml();
    }

    /// <summary>True if the description has the NEON view (vector-typed d registers, q0-q15).</summary>
    public bool HasNeon { get; }

    private int FirstQuad => FirstRegister + _doubles;

    /// <summary>gdb's number of fpscr.</summary>
    public int FpscrRegister => FirstRegister + _doubles + _quads;

    public string Xml { get; }

    public int FirstRegister { get; }

    public IReadOnlyList<int> Registers => _numbers;

    public bool InGPacket => false;

    public int SizeOf(int regnum)
    {
        if (regnum < FirstRegister || regnum > FpscrRegister) return 0;
        if (regnum == FpscrRegister) return 4;
        return regnum < FirstQuad ? 8 : 16;
    }

    public bool TryRead(int regnum, Span<byte> value)
    {
        int size = SizeOf(regnum);
        if (size == 0) return false;
        var fpu = _context().Fpu;
        if (size == 4) BinaryPrimitives.WriteUInt32LittleEndian(value, fpu.Fpscr);
        else if (size == 8) BinaryPrimitives.WriteUInt64LittleEndian(value, fpu.D[regnum - FirstRegister]);
        else BinaryPrimitives.WriteUInt128LittleEndian(value, fpu.GetQ(regnum - FirstQuad));
        return true;
    }

    public bool TryWrite(int regnum, ReadOnlySpan<byte> value)
    {
        int size = SizeOf(regnum);
        if (size == 0 || value.Length < size) return false;
        var fpu = _context().Fpu;
        if (size == 4) fpu.Fpscr = BinaryPrimitives.ReadUInt32LittleEndian(value) & _fpscrMask;
        else if (size == 8) fpu.D[regnum - FirstRegister] = BinaryPrimitives.ReadUInt64LittleEndian(value);
        else fpu.SetQ(regnum - FirstQuad, BinaryPrimitives.ReadUInt128LittleEndian(value));
        return true;
    }

    private string BuildXml()
    {
        var xml = new StringBuilder("<feature name=\"org.gnu.gdb.arm.vfp\">\n");
        string doubleType = "ieee_double";
        if (HasNeon)
        {
            // The vector views of a d and a q register, with the field names gdb's own NEON types use.
            foreach (var (width, lanes) in new[] { (64, 1), (128, 2) })
            {
                string suffix = width == 64 ? "d" : "q";
                int bytes = width / 8;
                xml.Append($"  <vector id=\"v{suffix}u8\" type=\"uint8\" count=\"{bytes}\"/>\n");
                xml.Append($"  <vector id=\"v{suffix}u16\" type=\"uint16\" count=\"{bytes / 2}\"/>\n");
                xml.Append($"  <vector id=\"v{suffix}u32\" type=\"uint32\" count=\"{bytes / 4}\"/>\n");
                xml.Append($"  <vector id=\"v{suffix}f32\" type=\"ieee_single\" count=\"{bytes / 4}\"/>\n");
                if (lanes > 1)
                {
                    xml.Append($"  <vector id=\"v{suffix}u64\" type=\"uint64\" count=\"{lanes}\"/>\n");
                    xml.Append($"  <vector id=\"v{suffix}f64\" type=\"ieee_double\" count=\"{lanes}\"/>\n");
                }
                xml.Append($"  <union id=\"neon_{suffix}\">\n");
                xml.Append($"    <field name=\"u8\" type=\"v{suffix}u8\"/>\n");
                xml.Append($"    <field name=\"u16\" type=\"v{suffix}u16\"/>\n");
                xml.Append($"    <field name=\"u32\" type=\"v{suffix}u32\"/>\n");
                xml.Append($"    <field name=\"u64\" type=\"{(lanes > 1 ? $"v{suffix}u64" : "uint64")}\"/>\n");
                xml.Append($"    <field name=\"f32\" type=\"v{suffix}f32\"/>\n");
                xml.Append($"    <field name=\"f64\" type=\"{(lanes > 1 ? $"v{suffix}f64" : "ieee_double")}\"/>\n");
                xml.Append("  </union>\n");
            }
            doubleType = "neon_d";
        }
        for (int d = 0; d < _doubles; d++)
            xml.Append($"  <reg name=\"d{d}\" bitsize=\"64\" type=\"{doubleType}\" regnum=\"{FirstRegister + d}\"/>\n");
        for (int q = 0; q < _quads; q++)
            xml.Append($"  <reg name=\"q{q}\" bitsize=\"128\" type=\"neon_q\" regnum=\"{FirstQuad + q}\"/>\n");
        xml.Append($"  <reg name=\"fpscr\" bitsize=\"32\" type=\"int\" group=\"float\" regnum=\"{FpscrRegister}\"/>\n");
        xml.Append("</feature>\n");
        return xml.ToString();
    }
}

/// <summary>
/// fpsid and fpexc, in the feature QEMU 7.2 puts them in (org.qemu.gdb.arm.vfp-sysregs,
/// gdb-xml/arm-vfp-sysregs.xml), so that a script written against QEMU finds them under the
/// same names. fpsid is the model's and ignores writes, as the VMSR to it does; fpexc is
/// written whole, as a privileged VMSR writes it.
/// </summary>
internal sealed class VfpSystemRegisters(CpuModel model, int firstRegister, Func<IGdbRegisterContext> context) : IGdbRegisterFeature
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
