using ArmEmu.Memory;

namespace ArmEmu.Cpu.Tests.Vfp;

/// <summary>
/// VLDR, VSTR, VLDM, VSTM, VPUSH and VPOP are MemA word accesses (DDI 0406C A3.2.1, table
/// A3-1): on ARMv7 an address that is not word-aligned is an Alignment fault before anything
/// is transferred or written back, whatever SCTLR.A says; on the arm926 (ARMv5, VFPv2) without
/// SCTLR.A the low two bits are ignored. QEMU 7.2 faults on v7 as well.
/// </summary>
public class VfpAlignmentTests
{
    private const string Prologue = ".fpu vfpv2\n.syntax unified\n";

    private static (CpuHarness Harness, ExceptionKind? Kind, MemoryFault? Fault) Run(CpuModel model, string code, uint address)
    {
        ExceptionKind? kind = null;
        MemoryFault? fault = null;
        var h = CpuHarness.Run(Prologue + code, s =>
        {
            s.Cpu.Fpu.EnableForUserMode();
            s.Cpu.R[0] = address;
            s.Cpu.Fpu.D[1] = 0x1122334455667788;
            for (uint i = 0; i < 32; i++) s.Bus.WriteRam(CpuHarness.DataBase + i, [(byte)(0xA0 + i)]);
            s.Cpu.ExceptionHandler = (Cpu c, in CpuException e) =>
            {
                kind = e.Kind;
                fault = e.Fault;
                return ExceptionDisposition.Stop;
            };
        }, model: model);
        return (h, kind, fault);
    }

    [Theory]
    [InlineData("vldr d0, [r0]")]
    [InlineData("vldr s0, [r0, #4]")]
    [InlineData("vstr d1, [r0]")]
    [InlineData("vldmia r0!, {d0-d1}")]
    [InlineData("vstmdb r0!, {s2-s3}")]
    public void UnalignedIsAnAlignmentFaultOnV7(string instruction)
    {
        uint address = CpuHarness.DataBase + 0x10 + 2;
        var (h, kind, fault) = Run(CpuModel.CortexA9, instruction, address);
        using (h)
        {
            Assert.Equal(ExceptionKind.DataAbort, kind);
            Assert.Equal(FaultKind.Alignment, fault?.Kind);
            Assert.Equal(address, h.Cpu.R[0]);                                // no write-back
            var memory = new byte[32];
            h.Bus.ReadRam(CpuHarness.DataBase, memory);
            Assert.Equal(Enumerable.Range(0, 32).Select(i => (byte)(0xA0 + i)), memory);   // nothing stored
        }
    }

    [Fact]
    public void TheArm926IgnoresTheLowBits()
    {
        var (h, kind, _) = Run(CpuModel.Arm926, "vldr d0, [r0]", CpuHarness.DataBase + 2);
        using (h)
        {
            Assert.Null(kind);
            Assert.Equal(0xA7A6A5A4_A3A2A1A0UL, h.Cpu.Fpu.D[0]);
        }
    }

    [Fact]
    public void AlignedIsFineOnV7()
    {
        var (h, kind, _) = Run(CpuModel.CortexA9, "vldr d0, [r0]", CpuHarness.DataBase + 4);
        using (h)
        {
            Assert.Null(kind);
            Assert.Equal(0xABAAA9A8_A7A6A5A4UL, h.Cpu.Fpu.D[0]);
        }
    }
}
