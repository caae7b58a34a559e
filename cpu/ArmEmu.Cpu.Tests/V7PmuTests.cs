using ArmEmu.Cpu.Coprocessors;
using ArmEmu.Memory;
using ArmEmu.Memory.Mmu;

namespace ArmEmu.Cpu.Tests;

/// <summary>
/// The ARMv7 performance monitors (<see cref="V7Pmu"/>, ARM ARM C12; Cortex-A9 TRM chapter 11)
/// through the CP15 c9 rows: event counters following their sources only while PMCR.E and their
/// enable bit are set, PMSWINC, overflow flags and the interrupt request, the PMUv1 register
/// masks, with the counts written out by hand.
/// </summary>
public sealed class V7PmuTests : IDisposable
{
    private ulong _cycles = 1000, _dAccesses, _dRefills, _iRefills;
    private readonly PhysicalBus _bus = new();
    private readonly MemoryPort _port;
    private readonly Cpu _cpu;
    private readonly V7Cp15 _cp15;
    private readonly List<bool> _interrupts = [];
    private readonly List<ulong> _checks = [];

    public V7PmuTests()
    {
        var mmu = new ArmV7Mmu(_bus);
        _port = new MemoryPort(_bus, mmu);
        _cpu = new Cpu(CpuModel.CortexA9, _port);
        _cp15 = new V7Cp15(CpuModel.CortexA9, mmu, cycles: () => _cycles);
        _cp15.Attach(_cpu);
        _cp15.Pmu.Sources.L1DataAccesses = () => _dAccesses;
        _cp15.Pmu.Sources.L1DataRefills = () => _dRefills;
        _cp15.Pmu.Sources.L1InstructionRefills = () => _iRefills;
        _cp15.Pmu.InterruptChanged = level => _interrupts.Add(level);
        _cp15.Pmu.ScheduleCheck = time => _checks.Add(time);
        _cpu.SwitchMode(ProcessorMode.Supervisor);
    }

    public void Dispose() => _port.Dispose();

    private uint Read(int crm, int opc2)
    {
        Assert.True(_cp15.Mrc(_cpu, 0, 9, crm, opc2, out uint v), $"MRC p15, 0, c9, c{crm}, {opc2} refused");
        return v;
    }

    private void Write(int crm, int opc2, uint v) => Assert.True(_cp15.Mcr(_cpu, 0, 9, crm, opc2, v), $"MCR p15, 0, c9, c{crm}, {opc2} refused");

    private void Program(int counter, int evt)
    {
        Write(12, 5, (uint)counter);   // PMSELR
        Write(13, 1, (uint)evt);       // PMXEVTYPER
    }

    private uint Count(int counter)
    {
        Write(12, 5, (uint)counter);
        return Read(13, 2);            // PMXEVCNTR
    }

    [Fact]
    public void EventCountersFollowTheCacheModelOnlyWhileEnabled()
    {
        Program(0, PmuEvent.L1DataAccess);
        Program(1, PmuEvent.L1DataRefill);
        Program(2, PmuEvent.L1InstructionRefill);
        Program(3, PmuEvent.Cycles);
        _dAccesses = 50; _dRefills = 5; _iRefills = 2; _cycles += 100;
        Assert.Equal(0u, Count(0));                       // nothing enabled yet
        Write(12, 1, 0xF);                                // PMCNTENSET: counters 0-3
        _dAccesses += 7; _cycles += 10;
        Assert.Equal(0u, Count(0));                       // PMCR.E still clear
        Write(12, 0, 1);                                  // PMCR.E
        _dAccesses += 40; _dRefills += 3; _iRefills += 1; _cycles += 250;
        Assert.Equal(40u, Count(0));
        Assert.Equal(3u, Count(1));
        Assert.Equal(1u, Count(2));
        Assert.Equal(250u, Count(3));
        Write(12, 2, 1u << 1);                            // PMCNTENCLR: counter 1 stops
        _dAccesses += 2; _dRefills += 9;
        Assert.Equal(42u, Count(0));
        Assert.Equal(3u, Count(1));
        Write(12, 0, 1 | 2);                              // PMCR.P: event counters to zero, E stays
        _dAccesses += 5;
        Assert.Equal(5u, Count(0));
        Assert.Equal(0u, Count(1));
        Write(12, 0, 0);                                  // PMCR.E clear: all stop
        _dAccesses += 5;
        Assert.Equal(5u, Count(0));
    }

    [Fact]
    public void InstructionsExceptionsAndContextIdWritesAreCounted()
    {
        Program(0, PmuEvent.InstructionExecuted);
        Program(1, PmuEvent.A9InstructionsRenamed);
        Program(2, PmuEvent.ExceptionTaken);
        Program(3, PmuEvent.ContextIdWrite);
        Write(12, 1, 0xF);
        Write(12, 0, 1);
        _cpu.EnterException(ExceptionKind.Undefined, 0x104);
        _cpu.EnterException(ExceptionKind.Irq, 0x204);
        _cpu.SwitchMode(ProcessorMode.Supervisor);
        Assert.True(_cp15.Mcr(_cpu, 0, 13, 0, 1, 5)); // CONTEXTIDR
        Assert.True(_cp15.Mcr(_cpu, 0, 13, 0, 1, 6));
        Assert.True(_cp15.Mcr(_cpu, 0, 13, 0, 1, 7));
        Assert.Equal(2u, Count(2));
        Assert.Equal(3u, Count(3));
        Assert.Equal(0u, Count(0)); // no instruction ran
        Assert.Equal(Count(0), Count(1));
    }

    [Fact]
    public void SoftwareIncrementCountsOnlyEnabledCountersProgrammedForIt()
    {
        Program(0, PmuEvent.SoftwareIncrement);
        Program(1, PmuEvent.SoftwareIncrement);
        Program(2, PmuEvent.L1DataAccess);
        Write(12, 1, 0b101);   // counters 0 and 2 enabled, 1 not
        Write(12, 4, 0b111);   // PMSWINC with PMCR.E clear: nothing
        Assert.Equal(0u, Count(0));
        Write(12, 0, 1);
        Write(12, 4, 0b111);
        Write(12, 4, 0b001);
        Assert.Equal(2u, Count(0));
        Assert.Equal(0u, Count(1));   // not enabled
        Assert.Equal(0u, Count(2));   // counts another event
    }

    [Fact]
    public void AnOverflowSetsItsFlagAndRaisesTheInterruptWhenEnabled()
    {
        Program(0, PmuEvent.L1DataRefill);
        Write(12, 5, 0);
        Write(13, 2, 0xFFFF_FFFE);                        // two refills from overflowing
        Write(13, 0, 0xFFFF_FF00);                        // the cycle counter 256 cycles from it
        Write(12, 1, 1u << 31 | 1);
        Write(14, 1, 1u << 31);                           // PMINTENSET: the cycle counter only
        Write(12, 0, 1);
        Assert.Equal(new[] { _cycles + 256 }, _checks);           // the exact cycle the cycle counter wraps
        _dRefills += 3;
        Assert.Equal(1u, Read(12, 3));                    // PMOVSR: counter 0 wrapped
        Assert.Equal(1u, Count(0));
        Assert.Empty(_interrupts);                        // its interrupt is not enabled
        _cycles += 255;
        _cp15.Pmu.Check();
        Assert.Empty(_interrupts);
        _cycles += 1;
        _cp15.Pmu.Check();
        Assert.Equal(new[] { true }, _interrupts);
        Assert.Equal(0x8000_0001u, Read(12, 3));
        Assert.Equal(0u, Read(13, 0));
        Write(12, 3, 1u << 31);                           // PMOVSR: write 1 to clear
        Assert.Equal(new[] { true, false }, _interrupts);
        Assert.Equal(1u, Read(12, 3));
        Write(14, 2, ~0u);                                // PMINTENCLR
        Assert.Equal(0u, Read(14, 1));
    }

    [Fact]
    public void CacheEventChecksApproachTheOverflowWithoutPassingIt()
    {
        Program(0, PmuEvent.L1DataAccess);
        Write(12, 5, 0);
        Write(13, 2, 0xFFFF_0000);                        // 65536 accesses from overflowing
        Write(12, 1, 1);
        Write(14, 1, 1);
        Write(12, 0, 1);
        // At most 64 lookups a cycle: no overflow can come before 1024 cycles from now.
        Assert.Equal(_cycles + 1024, _checks[^1]);
        _cycles += 1024;
        _dAccesses += 65_000;
        _cp15.Pmu.Check();
        Assert.Empty(_interrupts);
        Assert.Equal(_cycles + 536 / 64, _checks[^1]);
        _dAccesses += 536;
        _cp15.Pmu.Check();
        Assert.Equal(new[] { true }, _interrupts);
    }

    /// <summary>
    /// Events 0x0C (software change of the PC) and 0x12 (predictable branch), programmed and read by
    /// the guest through MCR/MRC around real code: B, a BNE that fails its condition (not counted),
    /// BL, BX LR, MOV PC, a pop into the PC, and MOVS PC, LR -- an exception return, which 0x0C
    /// counts and 0x12 does not (Cortex-A9 TRM 7.3.2 leaves exception returns unpredicted).
    /// Hand count: 0x0C = 7, 0x12 = 6.
    /// </summary>
    [Fact]
    public void BranchEventsCountPcWritesAndLeaveExceptionReturnsOutOfThePredictable()
    {
        using var h = CpuHarness.Run(CpuModel.CortexA9, """
              mov r0, #0
              mcr p15, 0, r0, c9, c12, 5      @ PMSELR = 0
              mov r1, #0x0c
              mcr p15, 0, r1, c9, c13, 1      @ PMXEVTYPER: software change of the PC
              mov r0, #1
              mcr p15, 0, r0, c9, c12, 5      @ PMSELR = 1
              mov r1, #0x12
              mcr p15, 0, r1, c9, c13, 1      @ PMXEVTYPER: branch predictable
              mov r0, #3
              mcr p15, 0, r0, c9, c12, 1      @ PMCNTENSET: counters 0 and 1
              mov r0, #1
              mcr p15, 0, r0, c9, c12, 0      @ PMCR.E
              b 1f                            @ 1
          1:  cmp r0, #1
              bne 9f                          @ condition fails: not counted
              bl 2f                           @ 2
              b 3f                            @ 4
          2:  bx lr                           @ 3
          3:  adr r2, 4f
              mov pc, r2                      @ 5
          4:  adr r2, 5f
              str r2, [sp, #-4]!
              ldr pc, [sp], #4                @ 6
          5:  mrs r4, cpsr
              msr spsr_cxsf, r4
              adr lr, 6f
              movs pc, lr                     @ 7: an exception return
          6:  mov r0, #0
              mcr p15, 0, r0, c9, c12, 5
              mrc p15, 0, r5, c9, c13, 2      @ counter 0
              mov r0, #1
              mcr p15, 0, r0, c9, c12, 5
              mrc p15, 0, r6, c9, c13, 2      @ counter 1
          9:
          """, h =>
        {
            var cp15 = new V7Cp15(CpuModel.CortexA9, new ArmV7Mmu(h.Bus));
            cp15.Attach(h.Cpu);
            h.Cpu.SwitchMode(ProcessorMode.Supervisor);
            h.Cpu.R[13] = CpuHarness.DataBase + 0x1000;
        });
        Assert.Equal(StopReason.Address, h.LastStop);
        Assert.Equal(7u, h[5]);
        Assert.Equal(6u, h[6]);
    }

    [Fact]
    public void Pmuv1RegistersHoldOnlyTheirDefinedBits()
    {
        Assert.Equal(0x4109_3000u, Read(12, 0));          // PMCR at reset: N = 6
        Write(12, 0, ~0u & ~6u);
        Assert.Equal(0x4109_3039u, Read(12, 0));          // E, D, X, DP; [10:6] reserved (QEMU: 0x410930f9)
        Write(12, 0, 0);
        Write(12, 1, ~0u);
        Assert.Equal(0x8000_003Fu, Read(12, 1));          // C and six event counters
        Write(12, 5, 2);
        Write(13, 1, ~0u);
        Assert.Equal(0xFFu, Read(13, 1));                 // evtCount [7:0] (QEMU: 0xfe00ffff)
        Write(12, 5, 6);                                  // no counter 6: reads zero, ignores writes
        Write(13, 2, 5);
        Assert.Equal(0u, Read(13, 2));
        Assert.False(_cp15.Mrc(_cpu, 0, 9, 12, 6, out _)); // PMCEID0: PMUv2 only, UNDEFINED here as in QEMU
        Assert.False(_cp15.Mrc(_cpu, 0, 9, 12, 7, out _));
    }
}
