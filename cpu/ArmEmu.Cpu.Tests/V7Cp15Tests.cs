using ArmEmu.Cpu.Coprocessors;
using ArmEmu.Memory;
using ArmEmu.Memory.Mmu;

namespace ArmEmu.Cpu.Tests;

/// <summary>
/// The ARMv7 CP15 register table (<see cref="V7Cp15"/>): every register's access from PL1 and
/// PL0 against the ARM ARM's rules (B4.1, B4.2; PMU C12.8), the identification values of the
/// Cortex-A8 and A9 as QEMU 7.2 reports them, and the effects that must reach the core and the MMU.
/// </summary>
public class V7Cp15Tests
{
    private sealed class Rig : IDisposable
    {
        public Rig(CpuModel model)
        {
            Bus = new PhysicalBus();
            Bus.AddRam(0, 1 << 20);
            Mmu = new ArmV7Mmu(Bus);
            Port = new MemoryPort(Bus, Mmu);
            Cpu = new Cpu(model, Port);
            Cp15 = new V7Cp15(model, Mmu);
            Cp15.Attach(Cpu);
        }

        public PhysicalBus Bus { get; }
        public ArmV7Mmu Mmu { get; }
        public MemoryPort Port { get; }
        public Cpu Cpu { get; }
        public V7Cp15 Cp15 { get; }

        public bool Read(Cp15Register r, out uint value) => Cp15.Mrc(Cpu, r.Opc1, r.Crn, r.Crm, r.Opc2, out value);

        public bool Write(Cp15Register r, uint value) => Cp15.Mcr(Cpu, r.Opc1, r.Crn, r.Crm, r.Opc2, value);

        public uint Read(int crn, int opc1, int crm, int opc2)
        {
            Assert.True(Cp15.Mrc(Cpu, opc1, crn, crm, opc2, out uint v), $"MRC p15, {opc1}, c{crn}, c{crm}, {opc2} refused");
            return v;
        }

        public void Write(int crn, int opc1, int crm, int opc2, uint value) =>
            Assert.True(Cp15.Mcr(Cpu, opc1, crn, crm, opc2, value), $"MCR p15, {opc1}, c{crn}, c{crm}, {opc2} refused");

        public void Dispose()
        {
            Port.Dispose();
            Bus.Dispose();
        }
    }

    public static TheoryData<string> V7Models() => new() { "cortex-a8", "cortex-a9" };

    /// <summary>Operations that must not run in this test (WFI would stop the core; nothing else has effects beyond CP15).</summary>
    private static bool Harmless(Cp15Register r) => !r.Name.StartsWith("NOP (WFI", StringComparison.Ordinal);

    [Theory]
    [MemberData(nameof(V7Models))]
    public void EveryRegisterFollowsItsAccessRightsAtPl1AndPl0(string modelName)
    {
        using var rig = new Rig(CpuModel.Find(modelName)!);
        Assert.NotEmpty(rig.Cp15.Registers);
        foreach (var r in rig.Cp15.Registers.Where(Harmless))
        {
            rig.Cpu.SwitchMode(ProcessorMode.Supervisor);
            Assert.True(rig.Read(r, out _) == r.Access.HasFlag(Cp15Access.Pl1Read), $"{r}: PL1 read");
            if (r.Name != "SCTLR") Assert.True(rig.Write(r, 0) == r.Access.HasFlag(Cp15Access.Pl1Write), $"{r}: PL1 write");
            // PMU registers: PL0 only while PMUSERENR.EN is set; everything else by its rights alone.
            foreach (bool userEnable in new[] { false, true })
            {
                rig.Cpu.SwitchMode(ProcessorMode.Supervisor);
                rig.Write(9, 0, 14, 0, userEnable ? 1u : 0);
                rig.Cpu.SwitchMode(ProcessorMode.User);
                bool gate = r.Pl0Enabled is null || userEnable;
                Assert.True(rig.Read(r, out _) == (r.Access.HasFlag(Cp15Access.Pl0Read) && gate), $"{r}: PL0 read, PMUSERENR.EN {userEnable}");
                if (r.Name is not ("PMCR" or "PMUSERENR"))
                    Assert.True(rig.Write(r, 0) == (r.Access.HasFlag(Cp15Access.Pl0Write) && gate), $"{r}: PL0 write, PMUSERENR.EN {userEnable}");
            }
        }
    }

    /// <summary>The rights the ARM ARM gives a few registers, written out by hand (not read from the table).</summary>
    [Theory]
    [InlineData("MIDR", 0, 0, 0, 0, true, false, false, false)]
    [InlineData("CTR", 0, 0, 0, 1, true, false, false, false)]
    [InlineData("CCSIDR", 0, 1, 0, 0, true, false, false, false)]
    [InlineData("CSSELR", 0, 2, 0, 0, true, true, false, false)]
    [InlineData("SCTLR", 1, 0, 0, 0, true, true, false, false)]
    [InlineData("TTBR0", 2, 0, 0, 0, true, true, false, false)]
    [InlineData("DACR", 3, 0, 0, 0, true, true, false, false)]
    [InlineData("DFSR", 5, 0, 0, 0, true, true, false, false)]
    [InlineData("IFAR", 6, 0, 0, 2, true, true, false, false)]
    [InlineData("PAR", 7, 0, 4, 0, true, true, false, false)]
    [InlineData("ICIALLU", 7, 0, 5, 0, false, true, false, false)]
    [InlineData("CP15ISB", 7, 0, 5, 4, false, true, false, true)]
    [InlineData("DCCISW", 7, 0, 14, 2, false, true, false, false)]
    [InlineData("CP15DSB", 7, 0, 10, 4, false, true, false, true)]
    [InlineData("CP15DMB", 7, 0, 10, 5, false, true, false, true)]
    [InlineData("ATS1CUR", 7, 0, 8, 2, false, true, false, false)]
    [InlineData("TLBIALL", 8, 0, 7, 0, false, true, false, false)]
    [InlineData("PMCCNTR", 9, 0, 13, 0, true, true, false, false)]
    [InlineData("PMUSERENR", 9, 0, 14, 0, true, true, true, false)]
    [InlineData("VBAR", 12, 0, 0, 0, true, true, false, false)]
    [InlineData("ISR", 12, 0, 1, 0, true, false, false, false)]
    [InlineData("CONTEXTIDR", 13, 0, 0, 1, true, true, false, false)]
    [InlineData("TPIDRURW", 13, 0, 0, 2, true, true, true, true)]
    [InlineData("TPIDRURO", 13, 0, 0, 3, true, true, true, false)]
    [InlineData("TPIDRPRW", 13, 0, 0, 4, true, true, false, false)]
    [InlineData("CBAR", 15, 4, 0, 0, true, false, false, false)]
    [InlineData("TLB Lockdown", 10, 0, 0, 0, true, true, false, false)]
    // Encodings QEMU 7.2's cortex-a9 answers that neither the ARM ARM nor the A9 TRM allocates
    // (guest-tests/system/vexpress-a9/programs/cp15_access.c leaves them out of its comparison):
    [InlineData("(none: c3,c1,0, QEMU's DACR wildcard)", 3, 0, 1, 0, false, false, false, false)]
    [InlineData("(none: c3,opc1 1, QEMU's DACR wildcard)", 3, 1, 0, 0, false, false, false, false)]
    [InlineData("(none: c6,c0,1, ARMv6's WFAR)", 6, 0, 0, 1, false, false, false, false)]
    [InlineData("(none: c10,c0,1, QEMU's TLB lockdown wildcard)", 10, 0, 0, 1, false, false, false, false)]
    [InlineData("(none: c10,c4,0, QEMU's TLB lockdown wildcard)", 10, 0, 4, 0, false, false, false, false)]
    [InlineData("(none: c1,opc1 4,c0,1, HACTLR without Virtualization)", 1, 4, 0, 1, false, false, false, false)]
    [InlineData("(none: c5,opc1 6,c1,0, ARMv8's AFSR0_EL3)", 5, 6, 1, 0, false, false, false, false)]
    [InlineData("(none: c14,c8,0, ARMv8's PMEVCNTR0: c14 is UNDEFINED)", 14, 0, 8, 0, false, false, false, false)]
    [InlineData("(none: c14,c15,7, ARMv8's PMCCFILTR)", 14, 0, 15, 7, false, false, false, false)]
    [InlineData("(none: c1,c0,7)", 1, 0, 0, 7, false, false, false, false)]
    [InlineData("(none: c0,opc1 3)", 0, 3, 0, 0, false, false, false, false)]
    [InlineData("(none: c11)", 11, 0, 0, 0, false, false, false, false)]
    public void Cortexa9RightsAsTheArmArmGivesThem(string name, int crn, int opc1, int crm, int opc2,
        bool pl1Read, bool pl1Write, bool pl0Read, bool pl0Write)
    {
        using var rig = new Rig(CpuModel.CortexA9);
        rig.Cpu.SwitchMode(ProcessorMode.Supervisor);
        Assert.True(rig.Cp15.Mrc(rig.Cpu, opc1, crn, crm, opc2, out _) == pl1Read, $"{name}: PL1 read");
        uint keep = 0;
        if (name == "SCTLR") keep = rig.Cp15.Control; // write back what is there: the MMU stays off
        Assert.True(rig.Cp15.Mcr(rig.Cpu, opc1, crn, crm, opc2, keep) == pl1Write, $"{name}: PL1 write");
        rig.Cpu.SwitchMode(ProcessorMode.User);
        Assert.True(rig.Cp15.Mrc(rig.Cpu, opc1, crn, crm, opc2, out _) == pl0Read, $"{name}: PL0 read");
        Assert.True(rig.Cp15.Mcr(rig.Cpu, opc1, crn, crm, opc2, 0) == pl0Write, $"{name}: PL0 write");
    }

    [Fact]
    public void Cortexa9IdentificationIsQemus()
    {
        using var rig = new Rig(CpuModel.CortexA9);
        Assert.Equal(0x410fc090u, rig.Read(0, 0, 0, 0));
        Assert.Equal(0x80038003u, rig.Read(0, 0, 0, 1));
        Assert.Equal(0x80000000u, rig.Read(0, 0, 0, 5));
        Assert.Equal(0x410fc090u, rig.Read(0, 0, 0, 4)); // the unused opc2 values alias MIDR
        Assert.Equal(0x00001031u, rig.Read(0, 0, 1, 0));
        Assert.Equal(0x00100103u, rig.Read(0, 0, 1, 4));
        Assert.Equal(0x21232041u, rig.Read(0, 0, 2, 2));
        Assert.Equal(0x09000003u, rig.Read(0, 1, 0, 1));
        Assert.Equal(0x00c50078u, rig.Read(1, 0, 0, 0));
        Assert.Equal(0x41093000u, rig.Read(9, 0, 12, 0));
        rig.Write(0, 2, 0, 0, 1);
        Assert.Equal(0x200fe019u, rig.Read(0, 1, 0, 0)); // L1 I: 128 sets, 4 ways, 32-byte lines
        rig.Write(0, 2, 0, 0, 0);
        Assert.Equal(0xe00fe019u, rig.Read(0, 1, 0, 0)); // L1 D
        rig.Write(0, 2, 0, 0, 2);
        Assert.Equal(0u, rig.Read(0, 1, 0, 0));          // no L2 in CLIDR
    }

    [Fact]
    public void Cortexa8HasNoImplementationDefinedC15AndItsOwnIds()
    {
        using var rig = new Rig(CpuModel.CortexA8);
        Assert.Equal(0x410fc080u, rig.Read(0, 0, 0, 0));
        Assert.Equal(0x82048004u, rig.Read(0, 0, 0, 1));
        Assert.Equal(0x0a000003u, rig.Read(0, 1, 0, 1));
        Assert.Equal(2u, rig.Read(1, 0, 0, 1)); // ACTLR reset
        Assert.Equal(0u, rig.Read(15, 4, 0, 0)); // c15 reads as zero at PL1 (QEMU DUMMY_C15_REGS)
        rig.Cpu.SwitchMode(ProcessorMode.User);
        Assert.False(rig.Cp15.Mrc(rig.Cpu, 0, 15, 0, 0, out _));
    }

    [Fact]
    public void SctlrAndVbarReachTheCoreAndTheMmu()
    {
        using var rig = new Rig(CpuModel.CortexA9);
        rig.Write(12, 0, 0, 0, 0x6001_003F);
        Assert.Equal(0x6001_0020u, rig.Cpu.VectorBase);          // VBAR[4:0] reserved
        Assert.Equal(0x6001_0020u, rig.Read(12, 0, 0, 0));
        uint sctlr = rig.Read(1, 0, 0, 0);
        rig.Write(1, 0, 0, 0, sctlr | V7Cp15.ControlV | V7Cp15.ControlTe | V7Cp15.ControlA | V7Cp15.ControlAfe | V7Cp15.ControlTre);
        Assert.True(rig.Cpu.HighVectors);
        Assert.True(rig.Cpu.ThumbExceptions);
        Assert.True(rig.Cpu.AlignmentChecking);
        Assert.True(rig.Mmu.AccessFlagEnabled);
        Assert.True(rig.Mmu.TexRemap);
        Assert.False(rig.Mmu.Enabled);
        rig.Write(2, 0, 0, 2, 0xFFFF_FFFF);
        Assert.Equal(0x37u, rig.Read(2, 0, 0, 2));              // TTBCR: N, PD0, PD1 (no EAE without LPAE)
        rig.Write(13, 0, 0, 1, 0x1234_5642);
        Assert.Equal(0x42u, rig.Mmu.Asid);
        rig.Write(13, 0, 0, 0, 0x0200_0000);
        Assert.Equal(0u, rig.Read(13, 0, 0, 0));                // no FCSE: RAZ/WI
    }

    [Fact]
    public void AbortsAreRecordedInTheShortDescriptorFormat()
    {
        using var rig = new Rig(CpuModel.CortexA9);
        // A permission fault on a page in domain 5 on a write: FS 0b01111, domain 5, WnR.
        rig.Cp15.RecordAbort(new MemoryFault(0x1234, AccessKind.Write, FaultKind.Translation, ArmV7Mmu.FsrOf(ArmV7Mmu.StatusPermissionPage, 5)), prefetch: false);
        Assert.Equal(0x85Fu, rig.Read(5, 0, 0, 0));
        Assert.Equal(0x1234u, rig.Read(6, 0, 0, 0));
        // An access-flag fault has FS[4] = 0; a bus error is a synchronous external abort, 0b01000.
        rig.Cp15.RecordAbort(new MemoryFault(0x8000, AccessKind.Fetch, FaultKind.Unmapped), prefetch: true);
        Assert.Equal(0x008u, rig.Read(5, 0, 0, 1));
        Assert.Equal(0x8000u, rig.Read(6, 0, 0, 2));
        // BKPT: a debug event, IFAR 0.
        rig.Cp15.RecordAbort(null, prefetch: true);
        Assert.Equal(0x002u, rig.Read(5, 0, 0, 1));
        Assert.Equal(0u, rig.Read(6, 0, 0, 2));
        // An alignment fault on a read.
        rig.Cp15.RecordAbort(new MemoryFault(0x1001, AccessKind.Read, FaultKind.Alignment), prefetch: false);
        Assert.Equal(0x001u, rig.Read(5, 0, 0, 0));
    }

    [Fact]
    public void CycleCounterCountsOnTheClockOnlyWhileEnabled()
    {
        ulong now = 1000;
        var model = CpuModel.CortexA9;
        var bus = new PhysicalBus();
        var mmu = new ArmV7Mmu(bus);
        using var port = new MemoryPort(bus, mmu);
        var cpu = new Cpu(model, port);
        var cp15 = new V7Cp15(model, mmu, cycles: () => now);
        cp15.Attach(cpu);
        uint Read(int crm, int opc2) { Assert.True(cp15.Mrc(cpu, 0, 9, crm, opc2, out uint v)); return v; }
        void Write(int crm, int opc2, uint v) => Assert.True(cp15.Mcr(cpu, 0, 9, crm, opc2, v));
        now += 500;
        Assert.Equal(0u, Read(13, 0));                 // PMCR.E clear: stopped
        Write(12, 1, 1u << 31);                        // PMCNTENSET.C
        Write(12, 0, 1);                               // PMCR.E
        now += 300;
        Assert.Equal(300u, Read(13, 0));
        Write(12, 0, 1 | 8);                           // PMCR.D: every 64th cycle from here
        now += 640;
        Assert.Equal(310u, Read(13, 0));
        Write(12, 2, 1u << 31);                        // PMCNTENCLR.C: stops
        now += 1000;
        Assert.Equal(310u, Read(13, 0));
        Write(12, 0, 1 | 4);                           // PMCR.C resets it
        Assert.Equal(0u, Read(13, 0));
        Assert.Equal(0x41093001u, Read(12, 0));        // PMCR: N = 6, E set, C reads as zero
    }
}
