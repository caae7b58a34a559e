using ArmEmu.Cpu.Coprocessors;
using ArmEmu.Memory;
using ArmEmu.Memory.Mmu;

namespace ArmEmu.Cpu.Tests;

/// <summary>
/// The ARM926EJ-S system control coprocessor (ARM926EJ-S TRM chapter 2) driven by MRC/MCR
/// from assembled code: ID registers, the control register and what it drives (MMU, high
/// vectors, alignment checking), the fault registers, cache and TLB operations, WFI, and
/// the accesses that must be UNDEFINED.
/// </summary>
public class Arm926Cp15Tests
{
    // Vectors: an undefined instruction sets r12 = 2 and is skipped; a data abort sets r12 = 5,
    // copies the data FSR and FAR to r10 and r11 and skips the aborting instruction.
    private const string Vectors = """
        b reset
        b undef
        b svc
        b pabt
        b dabt
        nop
        b irq
        fiq:   subs pc, lr, #4
        reset: b reset
        undef: mov r12, #2
               movs pc, lr
        svc:   mov r12, #3
               movs pc, lr
        pabt:  mov r12, #4
               subs pc, lr, #4
        dabt:  mov r12, #5
               mrc p15, 0, r10, c5, c0, 0
               mrc p15, 0, r11, c6, c0, 0
               subs pc, lr, #4
        irq:   subs pc, lr, #4
        """;

    private sealed record Machine(CpuHarness H, Arm926Cp15 Cp15, ArmV5Mmu Mmu) : IDisposable
    {
        public uint this[int r] => H[r];
        public void Dispose() => H.Dispose();
    }

    /// <summary>A Versatile-like wiring: the MMU as the port's translator, CP15 attached, aborts recorded.</summary>
    private static Machine Boot(string code, ICacheMaintenance? caches = null, CacheGeometry? geometry = null,
                                Action<Machine>? setup = null)
    {
        var h = new CpuHarness();
        var mmu = new ArmV5Mmu(h.Bus);
        h.Port.Translator = mmu;
        var cp15 = new Arm926Cp15(mmu, caches, geometry);
        cp15.Attach(h.Cpu);
        h.Cpu.ExceptionHandler = (Cpu cpu, in CpuException e) =>
        {
            if (e.Fault is { } fault) cp15.RecordAbort(fault, e.Kind == ExceptionKind.PrefetchAbort);
            return ExceptionDisposition.Enter;
        };
        h.Load(Vectors, 0);
        h.Load(code);
        h.Cpu.PC = CpuHarness.CodeBase;
        var m = new Machine(h, cp15, mmu);
        setup?.Invoke(m);
        return m;
    }

    private static Machine Run(string code, ICacheMaintenance? caches = null, CacheGeometry? geometry = null,
                               Action<Machine>? setup = null)
    {
        var m = Boot(code, caches, geometry, setup);
        Assert.Equal(StopReason.Address, m.H.Cpu.Run(10_000, m.H.End));
        return m;
    }

    // ---- c0: ID registers ----------------------------------------------------------------------

    [Fact]
    public void MainIdMatchesLinuxsArm926ProcInfo()
    {
        // arch/arm/mm/proc-arm926.S: __arm926_proc_info matches 0x41069260 under mask 0xff0ffff0.
        using var m = Run("""
            mrc p15, 0, r0, c0, c0, 0
            ldr r2, =0xff0ffff0
            and r1, r0, r2
            ldr r3, =0x41069260
            teq r1, r3
            moveq r4, #1
            movne r4, #0
            b 1f
            .ltorg
            1:
            """);
        Assert.Equal(0x4106_9265u, m[0]);
        Assert.Equal(1u, m[4]);
    }

    [Theory]
    [InlineData(16 * 1024, 16 * 1024, 0x1D15_2152u)] // the default geometry
    [InlineData(16 * 1024, 8 * 1024, 0x1D11_2152u)]  // the TRM's example: 16 KB I, 8 KB D
    [InlineData(8 * 1024, 32 * 1024, 0x1D19_2112u)]
    [InlineData(4 * 1024, 128 * 1024, 0x1D21_20D2u)]
    public void CacheTypeRegisterEncodesTheGeometry(int icache, int dcache, uint expected)
    {
        using var m = Run("mrc p15, 0, r0, c0, c0, 1", geometry: new CacheGeometry(icache, dcache));
        Assert.Equal(expected, m[0]);
    }

    [Fact]
    public void TcmStatusIsZeroAndUnimplementedIdRegistersReadTheMainId()
    {
        using var m = Run("""
            mrc p15, 0, r0, c0, c0, 2
            mrc p15, 0, r1, c0, c0, 3
            mrc p15, 0, r2, c0, c0, 7
            """);
        Assert.Equal((0u, 0x4106_9265u, 0x4106_9265u), (m[0], m[1], m[2]));
    }

    // ---- c1: control register --------------------------------------------------------------------

    [Fact]
    public void ControlRegisterResetValueAndWritableBits()
    {
        // Everything but M (which would turn on an MMU with no tables): A, C, S, R, I, V, RR, L4
        // stick; B and the SBZ bits do not; W, [6:4], 16 and 18 always read as one.
        using var m = Run("""
            mrc p15, 0, r0, c1, c0, 0
            mvn r1, #1
            mcr p15, 0, r1, c1, c0, 0
            mrc p15, 0, r2, c1, c0, 0
            """);
        Assert.Equal(0x0005_0078u, m[0]);
        Assert.Equal(0x0005_F37Eu, m[2]);
        Assert.True(m.H.Cpu.HighVectors);
        Assert.True(m.H.Cpu.AlignmentChecking);
        Assert.True(m.Mmu.SystemProtection);
        Assert.True(m.Mmu.RomProtection);
        Assert.False(m.Mmu.Enabled);

        using var cleared = Run("""
            mov r1, #0
            mcr p15, 0, r1, c1, c0, 0
            mrc p15, 0, r2, c1, c0, 0
            """, setup: s => s.H.Cpu.AlignmentChecking = true);
        Assert.Equal(0x0005_0078u, cleared[2]);
        Assert.False(cleared.H.Cpu.AlignmentChecking);
    }

    [Fact]
    public void SctlrVMovesTheVectorsToFFFF0000()
    {
        using var m = Boot("""
            mrc p15, 0, r0, c1, c0, 0
            orr r0, r0, #0x2000
            mcr p15, 0, r0, c1, c0, 0
            svc #0
            """);
        m.H.Cpu.Run(4);
        Assert.Equal(0xFFFF_0008u, m.H.Cpu.PC);
        Assert.Equal(ProcessorMode.Supervisor, m.H.Cpu.Mode);
        Assert.Equal(CpuHarness.CodeBase + 16, m[14]);
    }

    [Fact]
    public void EnablingTheMmuTranslatesAndTlbOperationsReachIt()
    {
        const uint ttb = 0x4_0000;
        using var m = Run("""
            ldr r0, =0x40000
            mcr p15, 0, r0, c2, c0, 0      @ TTBR
            mov r1, #1                     @ domain 0: client
            mcr p15, 0, r1, c3, c0, 0      @ DACR
            mrc p15, 0, r2, c1, c0, 0
            orr r2, r2, #1
            mcr p15, 0, r2, c1, c0, 0      @ MMU on
            ldr r3, =0x00180000            @ VA of the section aliasing physical 0
            ldr r4, [r3]
            mov r5, #0
            str r5, [r0, #4]               @ unmap that section ...
            ldr r6, [r3]                   @ ... but the TLB still has it
            mov r8, #0x77
            mcr p15, 0, r3, c8, c7, 1      @ invalidate the entry by MVA
            ldr r8, [r3]                   @ section translation fault
            mrc p15, 0, r7, c2, c0, 0
            b 1f
            .ltorg
            1:
            """, setup: s =>
        {
            s.H.Write32(ttb, 0x0000_0C12);         // VA 0 -> PA 0, AP 11, domain 0
            s.H.Write32(ttb + 4, 0x0000_0C12);     // VA 1 MiB -> PA 0
            s.H.Write32(0x8_0000, 0xCAFE_F00D);
        });
        Assert.True(m.Mmu.Enabled);
        Assert.Equal(0xCAFE_F00Du, m[4]);
        Assert.Equal(0xCAFE_F00Du, m[6]);
        Assert.Equal(0x77u, m[8]);             // the load aborted and wrote nothing
        Assert.Equal(5u, m[12]);
        Assert.Equal(ArmV5Mmu.StatusTranslationSection, m[10]);
        Assert.Equal(0x0018_0000u, m[11]);
        Assert.Equal(ttb, m[7]);
        Assert.Equal(1u, m.Mmu.DomainAccessControl);
    }

    [Fact]
    public void TlbInvalidateAllForms()
    {
        foreach (string op in new[] { "c7, 0", "c5, 0", "c6, 0" })
        {
            using var m = Run($"mcr p15, 0, r0, c8, {op}", setup: s =>
            {
                s.Mmu.TranslationTableBase = 0x4_0000;
                s.H.Write32(0x4_0000 + 8, 0x0000_0C12);
                s.Mmu.Enabled = true;
                s.H.Write32(0x4_0000, 0x0000_0C12);
                s.Mmu.DomainAccessControl = 1;
                Assert.True(s.Mmu.TryLookup(0x20_0000, out _, out _, out _));
                Assert.Equal(1, s.Mmu.TlbEntryCount);
                s.Mmu.Enabled = false;
            });
            Assert.Equal(0, m.Mmu.TlbEntryCount);
            Assert.Equal(0u, m[12]);
        }
    }

    // ---- other registers ---------------------------------------------------------------------------

    [Fact]
    public void RegistersReadBackWhatWasWritten()
    {
        using var m = Run("""
            ldr r0, =0x12345678
            mcr p15, 0, r0, c3, c0, 0      @ DACR
            mrc p15, 0, r1, c3, c0, 0
            mcr p15, 0, r0, c5, c0, 0      @ data FSR: only [7:0] kept
            mrc p15, 0, r2, c5, c0, 0
            mcr p15, 0, r0, c5, c0, 1      @ instruction FSR
            mrc p15, 0, r3, c5, c0, 1
            mcr p15, 0, r0, c6, c0, 0      @ FAR
            mrc p15, 0, r4, c6, c0, 0
            mcr p15, 0, r0, c9, c0, 0      @ D-cache lockdown
            mrc p15, 0, r5, c9, c0, 0
            mcr p15, 0, r0, c10, c0, 0     @ TLB lockdown
            mrc p15, 0, r6, c10, c0, 0
            mcr p15, 0, r0, c13, c0, 1     @ context ID
            mrc p15, 0, r8, c13, c0, 1
            mvn r0, #0
            mcr p15, 0, r0, c9, c0, 1      @ I-cache lockdown
            mrc p15, 0, r9, c9, c0, 1
            mcr p15, 7, r0, c15, c0, 0     @ c15 test/debug (Linux: force write-through): ignored
            mrc p15, 0, r10, c15, c1, 0    @ reads as zero
            b 1f
            .ltorg
            1:
            """);
        Assert.Equal(0x1234_5678u, m[1]);
        Assert.Equal(0x1234_5678u, m.Mmu.DomainAccessControl);
        Assert.Equal((0x78u, 0x78u), (m[2], m[3]));
        Assert.Equal(0x1234_5678u, m[4]);
        Assert.Equal((0x1234_5678u, 0x1234_5678u), (m[5], m[6]));
        Assert.Equal(0x1234_5678u, m[8]);
        Assert.Equal(0xFFFF_FFFFu, m[9]);
        Assert.Equal(0u, m[10]);
        Assert.Equal(0u, m[12]); // nothing was UNDEFINED
    }

    [Fact]
    public void FcsePidIsBits31To25AndRelocatesEvenWithTheMmuOff()
    {
        // With the MMU off the physical address is the MVA, as in QEMU (the FCSE is applied
        // before SCTLR.M is looked at). So once PID 1 is set, the next fetch comes from
        // 0x02000000 + VA: a copy of the code placed there proves it.
        const string code = """
            ldr r0, =0x03FFFFFF            @ PID 1, and bits [24:0] that do not stick
            mcr p15, 0, r0, c13, c0, 0
            mrc p15, 0, r7, c13, c0, 0
            ldr r8, [r9]                   @ a data access relocated too
            mov r0, #0
            mcr p15, 0, r0, c13, c0, 0
            ldr r6, [r9]
            b 1f
            .ltorg
            1:
            """;
        using var m = Run(code, setup: s =>
        {
            s.H.Bus.AddRam(0x0200_0000, 0x10_0000, "fcse");
            s.H.Bus.WriteRam(0x0200_0000 + CpuHarness.CodeBase, TestSupport.GnuToolchain.Assemble(code, CpuHarness.CodeBase));
            s.H.Bus.WriteRam(0x0200_0000 + CpuHarness.DataBase, BitConverter.GetBytes(0x2222_2222u));
            s.H.Write32(CpuHarness.DataBase, 0x1111_1111);
            s.H.Cpu.R[9] = CpuHarness.DataBase;
        });
        Assert.Equal(0x0200_0000u, m[7]);
        Assert.Equal(0x2222_2222u, m[8]);
        Assert.Equal(0x1111_1111u, m[6]);
        Assert.Equal(0u, m.Mmu.FcsePid);
        Assert.Equal(0u, m[12]);
    }

    // ---- refusals: UNDEFINED ---------------------------------------------------------------------

    [Theory]
    [InlineData("mrc p15, 0, r0, c0, c0, 0")]
    [InlineData("mrc p15, 0, r0, c1, c0, 0")]
    [InlineData("mcr p15, 0, r0, c2, c0, 0")]
    [InlineData("mcr p15, 0, r0, c7, c5, 0")]
    [InlineData("mcr p15, 0, r0, c8, c7, 0")]
    [InlineData("mrc p15, 0, r0, c15, c0, 0")]
    public void UserModeCp15AccessIsUndefined(string instruction)
    {
        using var m = Run($"""
            mov r0, #0x77
            msr cpsr_c, #0x10
            {instruction}
            mov r1, #1
            """);
        Assert.Equal(2u, m[12]);
        Assert.Equal(1u, m[1]);
        Assert.Equal(0x77u, m[0]);
        Assert.Equal(ProcessorMode.User, m.H.Cpu.Mode);
        Assert.Equal(0u, m.Mmu.TranslationTableBase);
    }

    [Theory]
    [InlineData("mrc p15, 0, r0, c4, c0, 0")]   // no c4
    [InlineData("mrc p15, 0, r0, c11, c0, 0")]  // no c11
    [InlineData("mrc p15, 0, r0, c14, c0, 0")]  // no c14
    [InlineData("mcr p15, 0, r0, c0, c0, 0")]   // c0 is read-only
    [InlineData("mrc p15, 1, r0, c1, c0, 0")]   // opc1 must be 0
    [InlineData("mrc p15, 0, r0, c1, c1, 0")]   // c1 has only CRm = 0, opc2 = 0
    [InlineData("mrc p15, 0, r0, c1, c0, 1")]
    [InlineData("mrc p15, 0, r0, c0, c1, 0")]
    [InlineData("mrc p15, 0, r0, c5, c0, 2")]
    [InlineData("mrc p15, 0, r0, c6, c0, 1")]   // no IFAR before ARMv6
    [InlineData("mrc p15, 0, r0, c7, c5, 0")]   // c7 is write-only but for the test operations
    [InlineData("mcr p15, 0, r0, c7, c10, 3")]  // and those are read-only
    [InlineData("mcr p15, 0, r0, c7, c8, 2")]   // not an ARM926 operation
    [InlineData("mrc p15, 0, r0, c8, c7, 0")]   // c8 is write-only
    [InlineData("mcr p15, 0, r0, c8, c7, 2")]
    [InlineData("mrc p15, 0, r0, c9, c1, 0")]   // TCM region registers: no TCM here, as QEMU's arm926
    [InlineData("mrc p15, 0, r0, c13, c0, 2")]
    [InlineData("mcrr p15, 0, r0, r1, c0")]
    [InlineData("mrrc p15, 0, r0, r1, c0")]
    [InlineData("cdp p15, 0, c0, c0, c0, 0")]
    [InlineData("ldc p15, c0, [r2]")]
    [InlineData("stc p15, c0, [r2]")]
    public void UndefinedCp15EncodingsAreUndefined(string instruction)
    {
        using var m = Run($"""
            mov r0, #0x77
            {instruction}
            mov r1, #1
            """, setup: s => s.H.Cpu.R[2] = CpuHarness.DataBase);
        Assert.Equal(2u, m[12]);
        Assert.Equal(1u, m[1]);
        Assert.Equal(0x77u, m[0]);
    }

    // ---- c7: cache operations, WFI, test and clean ---------------------------------------------------

    private sealed class RecordingCaches : ICacheMaintenance
    {
        public readonly List<string> Calls = [];
        public int DirtyTests; // how many test-and-clean calls report dirty lines before the cache is clean

        public void InvalidateInstructionCache() => Calls.Add("InvalidateI");
        public void InvalidateInstructionLine(uint mva) => Calls.Add($"InvalidateILine {mva:x}");
        public void InvalidateInstructionLineBySetWay(uint setWay) => Calls.Add($"InvalidateISetWay {setWay:x}");
        public void PrefetchInstructionLine(uint mva) => Calls.Add($"PrefetchILine {mva:x}");
        public void InvalidateDataCache() => Calls.Add("InvalidateD");
        public void InvalidateDataLine(uint mva) => Calls.Add($"InvalidateDLine {mva:x}");
        public void InvalidateDataLineBySetWay(uint setWay) => Calls.Add($"InvalidateDSetWay {setWay:x}");
        public void CleanDataLine(uint mva) => Calls.Add($"CleanDLine {mva:x}");
        public void CleanDataLineBySetWay(uint setWay) => Calls.Add($"CleanDSetWay {setWay:x}");
        public void CleanAndInvalidateDataLine(uint mva) => Calls.Add($"CleanInvalidateDLine {mva:x}");
        public void CleanAndInvalidateDataLineBySetWay(uint setWay) => Calls.Add($"CleanInvalidateDSetWay {setWay:x}");
        public void DrainWriteBuffer() => Calls.Add("Drain");

        public bool TestAndCleanDataCache()
        {
            Calls.Add("TestClean");
            return DirtyTests-- <= 0;
        }

        public bool TestCleanAndInvalidateDataCache()
        {
            Calls.Add("TestCleanInvalidate");
            return DirtyTests-- <= 0;
        }
    }

    [Theory]
    [InlineData("c5, 0", "InvalidateI")]
    [InlineData("c5, 1", "InvalidateILine 12345660")]
    [InlineData("c5, 2", "InvalidateISetWay 12345660")]
    [InlineData("c6, 0", "InvalidateD")]
    [InlineData("c6, 1", "InvalidateDLine 12345660")]
    [InlineData("c6, 2", "InvalidateDSetWay 12345660")]
    [InlineData("c7, 0", "InvalidateI,InvalidateD")]
    [InlineData("c10, 1", "CleanDLine 12345660")]
    [InlineData("c10, 2", "CleanDSetWay 12345660")]
    [InlineData("c10, 4", "Drain")]
    [InlineData("c13, 1", "PrefetchILine 12345660")]
    [InlineData("c14, 1", "CleanInvalidateDLine 12345660")]
    [InlineData("c14, 2", "CleanInvalidateDSetWay 12345660")]
    public void CacheOperationsAreForwarded(string crmOpc2, string expected)
    {
        var caches = new RecordingCaches();
        using var m = Run($"""
            ldr r0, =0x12345660
            mcr p15, 0, r0, c7, {crmOpc2}
            b 1f
            .ltorg
            1:
            """, caches);
        Assert.Equal(expected, string.Join(",", caches.Calls));
        Assert.Equal(0u, m[12]);
    }

    [Theory]
    [InlineData("c14", 0, "TestCleanInvalidate")]
    [InlineData("c14", 3, "TestCleanInvalidate")]
    [InlineData("c10", 2, "TestClean")]
    public void TestAndCleanLoopRunsUntilTheCacheIsClean(string crm, int dirtyTests, string call)
    {
        // Linux arm926_flush_kern_cache_all: with Rd = R15, bit 30 goes to Z.
        var caches = new RecordingCaches { DirtyTests = dirtyTests };
        using var m = Run($"""
            mov r0, #0
            1: add r0, r0, #1
            mrc p15, 0, r15, c7, {crm}, 3
            bne 1b
            """, caches);
        Assert.Equal((uint)dirtyTests + 1, m[0]);
        Assert.Equal(dirtyTests + 1, caches.Calls.Count(c => c == call));
        Assert.Equal("nZcv", m.H.Flags);
    }

    [Fact]
    public void TestAndCleanWithoutACacheModelIsCleanAtOnce()
    {
        // QEMU's TCI_DCACHE reads as 1 << 30, so the loop ends after one pass; so does ours.
        using var m = Run("""
            mov r0, #0
            1: add r0, r0, #1
            mrc p15, 0, r15, c7, c14, 3
            bne 1b
            mrc p15, 0, r2, c7, c10, 3
            """);
        Assert.Equal(1u, m[0]);
        Assert.Equal(1u << 30, m[2]);
    }

    [Fact]
    public void WaitForInterruptCallsTheHandler()
    {
        int waits = 0;
        using var m = Run("""
            mov r0, #0
            mcr p15, 0, r0, c7, c0, 4
            mov r1, #1
            """, setup: s => s.H.Cpu.WaitForInterruptHandler = _ => { waits++; return true; });
        Assert.Equal(1, waits);
        Assert.Equal(1u, m[1]);
    }

    // ---- alignment checking (SCTLR.A) -------------------------------------------------------------

    [Theory]
    //          instruction                   r1 offset  faults  FAR offset
    [InlineData("ldr r0, [r1]", 1, true, 1)]
    [InlineData("ldr r0, [r1, #2]!", 0, true, 2)]
    [InlineData("ldr r0, [r1], #4", 3, true, 3)]
    [InlineData("ldr r0, [r1, #4]", 0, false, 0)]
    [InlineData("str r0, [r1, #-1]", 0, true, -1)]
    [InlineData("ldrt r0, [r1]", 2, true, 2)]
    [InlineData("strt r0, [r1]", 2, true, 2)]
    [InlineData("ldrb r0, [r1]", 3, false, 0)]
    [InlineData("strb r0, [r1]", 3, false, 0)]
    [InlineData("ldrh r0, [r1]", 1, true, 1)]
    [InlineData("ldrh r0, [r1, #2]", 0, false, 0)]
    [InlineData("strh r0, [r1, #3]", 0, true, 3)]
    [InlineData("ldrsh r0, [r1]", 3, true, 3)]
    [InlineData("ldrsb r0, [r1]", 1, false, 0)]
    [InlineData("ldrd r4, [r1]", 2, true, 2)]
    [InlineData("ldrd r4, [r1]", 4, false, 0)]      // word alignment is enough (QEMU: MO_ALIGN_4)
    [InlineData("strd r4, [r1, #1]", 0, true, 1)]
    [InlineData("ldmia r1!, {r0, r2}", 2, true, 2)]
    [InlineData("stmdb r1!, {r0, r2}", 1, true, -7)]
    [InlineData("ldmib r1, {r0}", 0, false, 0)]
    [InlineData("swp r0, r0, [r1]", 2, true, 2)]
    [InlineData("swpb r0, r0, [r1]", 2, false, 0)]
    public void AlignmentFaultWhenSctlrAIsSet(string instruction, int offset, bool faults, int farOffset)
    {
        uint address = (uint)((int)CpuHarness.DataBase + offset);
        foreach (bool enabled in new[] { true, false })
        {
            using var m = Run($"""
                mrc p15, 0, r9, c1, c0, 0
                {(enabled ? "orr" : "bic")} r9, r9, #2
                mcr p15, 0, r9, c1, c0, 0
                mov r0, #0x77
                {instruction}
                mov r3, #1
                """, setup: s => s.H.Cpu.R[1] = address);
            Assert.Equal(1u, m[3]);
            if (enabled && faults)
            {
                Assert.Equal(5u, m[12]);
                Assert.Equal(ArmV5Mmu.StatusAlignment, m[10]);
                Assert.Equal((uint)((int)CpuHarness.DataBase + farOffset), m[11]);
                Assert.Equal(address, m[1]);   // no base write-back
                Assert.Equal(0x77u, m[0]);     // nothing loaded
                Assert.Equal(0u, m.H.Read32(CpuHarness.DataBase & ~3u)); // nothing stored
            }
            else
            {
                Assert.Equal(0u, m[12]);
            }
        }
    }

    [Theory]
    [InlineData("ldr r0, [r1, #0]", 2, true)]
    [InlineData("str r0, [r1, #4]", 1, true)]
    [InlineData("ldrh r0, [r1, #2]", 1, true)]
    [InlineData("strh r0, [r1, r2]", 0, true)]   // r2 = 1
    [InlineData("ldrb r0, [r1, #1]", 0, false)]
    [InlineData("push {r0}", 0, true)]          // sp = r1 (misaligned below)
    [InlineData("pop {r0}", 0, true)]
    [InlineData("ldmia r1!, {r0}", 1, true)]
    [InlineData("stmia r1!, {r0}", 3, true)]
    public void ThumbAlignmentFaults(string instruction, int offset, bool faults)
    {
        using var h = new CpuHarness();
        var mmu = new ArmV5Mmu(h.Bus);
        h.Port.Translator = mmu;
        var cp15 = new Arm926Cp15(mmu);
        cp15.Attach(h.Cpu);
        MemoryFault? seen = null;
        h.Cpu.ExceptionHandler = (Cpu cpu, in CpuException e) =>
        {
            seen = e.Fault;
            if (e.Fault is { } f) cp15.RecordAbort(f, prefetch: false);
            return ExceptionDisposition.Stop;
        };
        h.Load($".thumb\n{instruction}\n");
        h.Cpu.T = true;
        h.Cpu.PC = CpuHarness.CodeBase;
        h.Cpu.AlignmentChecking = true;
        h.Cpu.R[1] = CpuHarness.DataBase + (uint)offset;
        h.Cpu.R[2] = 1;
        h.Cpu.R[13] = CpuHarness.DataBase + 0x101;
        h.Cpu.R[0] = 0x77;
        h.Cpu.Run(1);
        Assert.Equal(faults, seen is not null);
        if (!faults) return;
        Assert.Equal(FaultKind.Alignment, seen!.Kind);
        Assert.Equal(ArmV5Mmu.StatusAlignment, cp15.DataFaultStatus);
        Assert.Equal(seen.Address, cp15.FaultAddress);
        Assert.NotEqual(0u, seen.Address & 3 & (instruction.Contains('h') && !instruction.Contains("push") ? 1u : 3u));
        Assert.Equal(0x77u, h.Cpu.R[0]);
        Assert.Equal(CpuHarness.DataBase + 0x101, h.Cpu.R[13]);
    }

    // ---- recording aborts --------------------------------------------------------------------------

    [Fact]
    public void RecordAbortSetsFsrAndFarForDataAbortsOnlyIfsrForPrefetchAborts()
    {
        using var h = new CpuHarness();
        var mmu = new ArmV5Mmu(h.Bus);
        var cp15 = new Arm926Cp15(mmu) { FaultAddress = 0x1111 };
        cp15.RecordAbort(new MemoryFault(0x8000, AccessKind.Fetch, FaultKind.Translation, 0x37), prefetch: true);
        Assert.Equal((0x37u, 0u, 0x1111u), (cp15.InstructionFaultStatus, cp15.DataFaultStatus, cp15.FaultAddress));

        mmu.FcsePid = 0x0400_0000; // FAR holds the MVA (TRM: "the MVA associated with the Data Abort")
        cp15.RecordAbort(new MemoryFault(0x8000, AccessKind.Write, FaultKind.Translation, 0xAF), prefetch: false);
        Assert.Equal((0xAFu, 0x0400_8000u), (cp15.DataFaultStatus, cp15.FaultAddress));

        // A bus error with the MMU off: external abort, section, domain 0.
        cp15.RecordAbort(new MemoryFault(0x0300_0000, AccessKind.Read, FaultKind.Unmapped), prefetch: false);
        Assert.Equal((ArmV5Mmu.StatusExternalAbortSection, 0x0300_0000u), (cp15.DataFaultStatus, cp15.FaultAddress));
        Assert.Equal(0x37u, cp15.InstructionFaultStatus);
    }

    [Fact]
    public void ResetRestoresResetValuesAndHighVectorsFollowVinithi()
    {
        using var m = Run("""
            mvn r1, #1
            mcr p15, 0, r1, c1, c0, 0
            mcr p15, 0, r1, c2, c0, 0
            """);
        m.Cp15.HighVectorsAtReset = true;
        m.Cp15.Reset();
        Assert.Equal(0x0005_2078u, m.Cp15.Control);
        Assert.True(m.H.Cpu.HighVectors);
        Assert.False(m.H.Cpu.AlignmentChecking);
        Assert.Equal(0u, m.Mmu.TranslationTableBase);
    }
}
