using ArmEmu.Cpu.Coprocessors;
using ArmEmu.Memory;
using ArmEmu.Memory.Mmu;

namespace ArmEmu.Cpu.Tests;

/// <summary>
/// CP14 on ARMv7 (<see cref="V7Cp14"/>): the debug ID as QEMU 7.2 reports it per model, the
/// breakpoint and watchpoint register pairs DBGDIDR announces (and no more), the PL0 rules
/// (DBGDIDR and DBGDSCRint readable, the rest PL1 only), the OS lock, and ThumbEE's TEEHBR with
/// TEECR.XED (ARM ARM DDI 0406C B6.1.2).
/// </summary>
public class V7Cp14Tests
{
    private static (Cpu Cpu, V7Cp14 Cp14, MemoryPort Port, PhysicalBus Bus) Rig(CpuModel model)
    {
        var bus = new PhysicalBus();
        bus.AddRam(0, 1 << 20);
        var port = new MemoryPort(bus, new ArmV7Mmu(bus));
        var cpu = new Cpu(model, port);
        var cp14 = new V7Cp14(model.V7Ids!.Dbgdidr, model.Has(CpuFeature.ThumbEE));
        cp14.Attach(cpu);
        return (cpu, cp14, port, bus);
    }

    [Theory]
    [InlineData("cortex-a8", 0x15141000u, 6, 2)]
    [InlineData("cortex-a9", 0x35141000u, 6, 4)]
    public void DebugIdAndTheComparatorsItAnnounces(string modelName, uint dbgdidr, int breakpoints, int watchpoints)
    {
        var (cpu, cp14, port, bus) = Rig(CpuModel.Find(modelName)!);
        using (port) using (bus)
        {
            Assert.Same(cp14, cpu.Coprocessors[14]);
            Assert.True(cp14.Mrc(cpu, 0, 0, 0, 0, out uint id));
            Assert.Equal(dbgdidr, id);
            for (int n = 0; n < 16; n++)
            {
                Assert.Equal(n < breakpoints, cp14.Mcr(cpu, 0, 0, n, 4, 0x8000_1003));   // DBGBVRn
                Assert.Equal(n < breakpoints, cp14.Mrc(cpu, 0, 0, n, 4, out uint bvr));
                if (n < breakpoints) Assert.Equal(0x8000_1000u, bvr);                      // bits [1:0] RES0
                Assert.Equal(n < watchpoints, cp14.Mcr(cpu, 0, 0, n, 7, 0x1f5));           // DBGWCRn
                Assert.Equal(n < watchpoints, cp14.Mrc(cpu, 0, 0, n, 7, out uint wcr));
                if (n < watchpoints) Assert.Equal(0x1f5u, wcr);
            }
            Assert.False(cp14.Mrc(cpu, 1, 0, 0, 0, out _));                                   // other opc1: UNDEFINED
        }
    }

    [Fact]
    public void Pl0ReadsOnlyTheIdAndDscrIntAndTheOsLockFollowsTheKey()
    {
        var (cpu, cp14, port, bus) = Rig(CpuModel.CortexA9);
        using (port) using (bus)
        {
            Assert.True(cp14.Mrc(cpu, 0, 1, 1, 4, out uint oslsr));
            Assert.Equal(0xAu, oslsr);                                                      // locked at reset, as QEMU
            Assert.True(cp14.Mcr(cpu, 0, 1, 0, 4, 0));                                      // DBGOSLAR: any other value unlocks
            Assert.True(cp14.Mrc(cpu, 0, 1, 1, 4, out oslsr));
            Assert.Equal(0x8u, oslsr);
            Assert.True(cp14.Mcr(cpu, 0, 0, 2, 2, 0xFFFF_FFFF));                            // DBGDSCRext
            Assert.True(cp14.Mrc(cpu, 0, 0, 1, 0, out uint dscr));
            Assert.Equal(0xE07F_C000u, dscr);

            cpu.SwitchMode(ProcessorMode.User);
            Assert.True(cp14.Mrc(cpu, 0, 0, 0, 0, out _));                                  // DBGDIDR
            Assert.True(cp14.Mrc(cpu, 0, 0, 1, 0, out _));                                  // DBGDSCRint
            Assert.False(cp14.Mrc(cpu, 0, 0, 2, 2, out _));                                 // DBGDSCRext
            Assert.False(cp14.Mrc(cpu, 0, 0, 0, 4, out _));                                 // DBGBVR0
            Assert.False(cp14.Mcr(cpu, 0, 0, 0, 4, 0));
        }
    }

    [Fact]
    public void TeehbrIsReachableFromPl0UntilTeecrXedIsSet()
    {
        var (cpu, cp14, port, bus) = Rig(CpuModel.CortexA9);
        using (port) using (bus)
        {
            Assert.True(cp14.Mcr(cpu, 6, 1, 0, 0, 0x1234_5678));                            // TEEHBR at PL1
            cpu.SwitchMode(ProcessorMode.User);
            Assert.True(cp14.Mrc(cpu, 6, 1, 0, 0, out uint hbr));
            Assert.Equal(0x1234_5678u, hbr);
            Assert.False(cp14.Mrc(cpu, 6, 0, 0, 0, out _));                                 // TEECR: PL1 only
            cpu.SwitchMode(ProcessorMode.Supervisor);
            Assert.True(cp14.Mcr(cpu, 6, 0, 0, 0, 0xFFFF_FFFF));
            Assert.True(cp14.Mrc(cpu, 6, 0, 0, 0, out uint teecr));
            Assert.Equal(1u, teecr);                                                        // XED alone
            cpu.SwitchMode(ProcessorMode.User);
            Assert.False(cp14.Mrc(cpu, 6, 1, 0, 0, out _));                                 // XED: PL0 access UNDEFINED
            Assert.False(new V7Cp14(0x15141000, thumbEE: false).Mrc(cpu, 6, 1, 0, 0, out _)); // no ThumbEE: UNDEFINED
        }
    }
}
