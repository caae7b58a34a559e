using ArmEmu.Cpu.Coprocessors;

namespace ArmEmu.Cpu.Tests;

/// <summary>
/// Coprocessor instructions (ARM ARM A3.14, A5.5): the fields each one hands to the
/// coprocessor, MRC to R15, LDC/STC addressing and write-back, and UNDEFINED for an
/// absent or refusing coprocessor.
/// </summary>
public class CoprocessorTests
{
    /// <summary>A coprocessor that records what it is given and answers with preset values.</summary>
    private sealed class FakeCoprocessor : ICoprocessor
    {
        public bool Accept = true;
        public string? LastCall;
        public int Opc1, Opc2, CRd, CRn, CRm;
        public uint Value, Low, High, Address, Option;
        public bool Load, LongTransfer;
        public int Calls;
        public Func<int, uint>? MrcValue; // by call number, for loops
        public uint MrcResult, MrrcLow, MrrcHigh;
        public bool TouchMemory;

        public bool Mcr(Cpu cpu, int opc1, int crn, int crm, int opc2, uint value)
        {
            Record("MCR", opc1, opc2, -1, crn, crm);
            Value = value;
            return Accept;
        }

        public bool Mrc(Cpu cpu, int opc1, int crn, int crm, int opc2, out uint value)
        {
            Record("MRC", opc1, opc2, -1, crn, crm);
            value = MrcValue?.Invoke(Calls) ?? MrcResult;
            return Accept;
        }

        public bool Mcrr(Cpu cpu, int opc1, int crm, uint low, uint high)
        {
            Record("MCRR", opc1, -1, -1, -1, crm);
            Low = low;
            High = high;
            return Accept;
        }

        public bool Mrrc(Cpu cpu, int opc1, int crm, out uint low, out uint high)
        {
            Record("MRRC", opc1, -1, -1, -1, crm);
            low = MrrcLow;
            high = MrrcHigh;
            return Accept;
        }

        public bool Cdp(Cpu cpu, int opc1, int crd, int crn, int crm, int opc2)
        {
            Record("CDP", opc1, opc2, crd, crn, crm);
            return Accept;
        }

        public bool LoadStore(Cpu cpu, bool load, bool longTransfer, int crd, uint address, uint option)
        {
            Record(load ? "LDC" : "STC", -1, -1, crd, -1, -1);
            Load = load;
            LongTransfer = longTransfer;
            Address = address;
            Option = option;
            if (TouchMemory) Value = cpu.Memory.Read32(address); // may fault
            return Accept;
        }

        private void Record(string call, int opc1, int opc2, int crd, int crn, int crm)
        {
            Calls++;
            LastCall = call;
            (Opc1, Opc2, CRd, CRn, CRm) = (opc1, opc2, crd, crn, crm);
        }
    }

    private static CpuHarness Run(string source, FakeCoprocessor? cp, int slot = 3, Action<CpuHarness>? setup = null, long maxInstructions = 100_000) =>
        CpuHarness.Run(source, s =>
        {
            s.Cpu.Coprocessors[slot] = cp;
            setup?.Invoke(s);
        }, maxInstructions);

    private static void AssertUndefinedAt(CpuHarness h, uint instructionAddress)
    {
        Assert.Equal(ProcessorMode.Undefined, h.Cpu.Mode);
        Assert.Equal(instructionAddress + 4, h[14]);
        Assert.Equal(4u, h.Cpu.PC);
        Assert.False(h.Cpu.T);
        Assert.True(h.Cpu.I);
    }

    [Fact]
    public void McrPassesFieldsAndValue()
    {
        var cp = new FakeCoprocessor();
        using var h = Run("mcr p3, 5, r2, c4, c9, 6", cp, setup: s => s.Cpu.R[2] = 0xDEAD_BEEF);
        Assert.Equal("MCR", cp.LastCall);
        Assert.Equal((5, 4, 9, 6), (cp.Opc1, cp.CRn, cp.CRm, cp.Opc2));
        Assert.Equal(0xDEAD_BEEFu, cp.Value);
    }

    // Rd = R15 in MCR is UNPREDICTABLE; QEMU passes the instruction's address + 8.
    [Fact]
    public void McrFromPcPassesAddressPlus8()
    {
        var cp = new FakeCoprocessor();
        using var h = Run("mcr p3, 0, pc, c0, c0, 0", cp);
        Assert.Equal(CpuHarness.CodeBase + 8, cp.Value);
    }

    [Fact]
    public void MrcWritesRegister()
    {
        var cp = new FakeCoprocessor { MrcResult = 0x1234_5678 };
        using var h = Run("mrc p3, 2, r4, c1, c15, 7", cp, setup: s => s.Cpu.Z = true);
        Assert.Equal("MRC", cp.LastCall);
        Assert.Equal((2, 1, 15, 7), (cp.Opc1, cp.CRn, cp.CRm, cp.Opc2));
        Assert.Equal(0x1234_5678u, h[4]);
        Assert.Equal("nZcv", h.Flags);
    }

    [Theory]
    [InlineData(0x6000_0000u, "nZCv")]
    [InlineData(0x9000_0000u, "NzcV")]
    [InlineData(0x0FFF_FFFFu, "nzcv")]
    [InlineData(0xF000_0000u, "NZCV")]
    public void MrcToPcSetsFlags(uint value, string flags)
    {
        var cp = new FakeCoprocessor { MrcResult = value };
        using var h = Run("mrc p3, 0, r15, c7, c14, 3\nmov r0, #1", cp, setup: s => s.Cpu.N = s.Cpu.V = true);
        Assert.Equal(flags, h.Flags);
        Assert.Equal(1u, h[0]); // no branch: the next instruction ran
        Assert.False(h.Cpu.Q);
    }

    // The ARM926 "test and clean D-cache" loop: it spins while CP15 reports Z clear.
    [Fact]
    public void TestAndCleanLoop()
    {
        var cp = new FakeCoprocessor { MrcValue = call => call < 5 ? 0u : 1u << 30 };
        using var h = Run("""
            1: mrc p15, 0, r15, c7, c14, 3
               bne 1b
            """, cp, slot: 15);
        Assert.Equal(5, cp.Calls);
        Assert.Equal(StopReason.Address, h.LastStop);
        Assert.True(h.Cpu.Z);
    }

    [Fact]
    public void MrcFromAbsentCoprocessorIsUndefined()
    {
        using var h = Run("mrc p7, 0, r0, c1, c0, 0", null, slot: 7, setup: s =>
        {
            s.Cpu.R[0] = 0x55;
            s.Cpu.C = true;
        }, maxInstructions: 1);
        AssertUndefinedAt(h, CpuHarness.CodeBase);
        Assert.Equal(0x55u, h[0]);
        Assert.Equal(0x2000_00D3u, h.Cpu.Spsr);
    }

    [Theory]
    [InlineData("mcr p3, 0, r0, c1, c0, 0")]
    [InlineData("mrc p3, 0, r0, c1, c0, 0")]
    [InlineData("mcrr p3, 0, r0, r1, c1")]
    [InlineData("mrrc p3, 0, r0, r1, c1")]
    [InlineData("cdp p3, 0, c0, c1, c2, 0")]
    [InlineData("ldc p3, c0, [r2]")]
    [InlineData("stc p3, c0, [r2]")]
    [InlineData("mcr2 p3, 0, r0, c1, c0, 0")]
    public void AbsentCoprocessorIsUndefined(string source)
    {
        using var h = Run($"nop\n{source}", null, setup: s =>
        {
            s.Cpu.R[0] = s.Cpu.R[1] = 0x55;
            s.Cpu.R[2] = CpuHarness.DataBase;
        }, maxInstructions: 2);
        AssertUndefinedAt(h, CpuHarness.CodeBase + 4);
        Assert.Equal(0x55u, h[0]);
        Assert.Equal(0x55u, h[1]);
    }

    [Theory]
    [InlineData("mcr p3, 0, r0, c1, c0, 0")]
    [InlineData("mrc p3, 0, r0, c1, c0, 0")]
    [InlineData("mrc p3, 0, r15, c1, c0, 0")]
    [InlineData("mcrr p3, 0, r0, r1, c1")]
    [InlineData("mrrc p3, 0, r0, r1, c1")]
    [InlineData("cdp p3, 0, c0, c1, c2, 0")]
    public void RefusedOperationIsUndefined(string source)
    {
        var cp = new FakeCoprocessor { Accept = false, MrcResult = 0xF000_0000, MrrcLow = 1, MrrcHigh = 2 };
        using var h = Run(source, cp, setup: s => s.Cpu.R[0] = s.Cpu.R[1] = 0x55, maxInstructions: 1);
        Assert.Equal(1, cp.Calls);
        AssertUndefinedAt(h, CpuHarness.CodeBase);
        Assert.Equal(0x55u, h[0]);
        Assert.Equal(0x55u, h[1]);
        Assert.Equal(0x0000_00D3u, h.Cpu.Spsr); // no flags from a refused MRC to R15
    }

    [Fact]
    public void CdpPassesFields()
    {
        var cp = new FakeCoprocessor();
        using var h = Run("cdp p3, 10, c1, c2, c3, 4", cp);
        Assert.Equal("CDP", cp.LastCall);
        Assert.Equal((10, 1, 2, 3, 4), (cp.Opc1, cp.CRd, cp.CRn, cp.CRm, cp.Opc2));
    }

    [Fact]
    public void McrrPassesLowAndHigh()
    {
        var cp = new FakeCoprocessor();
        using var h = Run("mcrr p3, 9, r1, r2, c5", cp, setup: s =>
        {
            s.Cpu.R[1] = 0x1111_1111;
            s.Cpu.R[2] = 0x2222_2222;
        });
        Assert.Equal("MCRR", cp.LastCall);
        Assert.Equal((9, 5), (cp.Opc1, cp.CRm));
        Assert.Equal(0x1111_1111u, cp.Low);   // Rd, bits 15:12
        Assert.Equal(0x2222_2222u, cp.High);  // Rn, bits 19:16
    }

    [Fact]
    public void MrrcWritesLowAndHigh()
    {
        var cp = new FakeCoprocessor { MrrcLow = 0xAAAA_0001, MrrcHigh = 0xBBBB_0002 };
        using var h = Run("mrrc p3, 4, r5, r6, c7", cp);
        Assert.Equal("MRRC", cp.LastCall);
        Assert.Equal((4, 7), (cp.Opc1, cp.CRm));
        Assert.Equal(0xAAAA_0001u, h[5]);
        Assert.Equal(0xBBBB_0002u, h[6]);
    }

    // Rd == Rn in MRRC is UNPREDICTABLE; QEMU writes the low word, then the high one.
    [Fact]
    public void MrrcSameRegisterKeepsHighWord()
    {
        var cp = new FakeCoprocessor { MrrcLow = 0xAAAA_0001, MrrcHigh = 0xBBBB_0002 };
        using var h = Run(".word 0xEC555307", cp); // mrrc p3, 0, r5, r5, c7 (GNU as refuses it)
        Assert.Equal(0xBBBB_0002u, h[5]);
    }

    [Fact]
    public void SecondFormsDispatchToo()
    {
        var cp = new FakeCoprocessor { MrcResult = 77 };
        using var h = Run("mrc2 p3, 1, r2, c4, c5, 6\ncdp2 p3, 2, c1, c2, c3, 4", cp);
        Assert.Equal(77u, h[2]);
        Assert.Equal(2, cp.Calls);
        Assert.Equal("CDP", cp.LastCall);
        Assert.Equal((2, 4), (cp.Opc1, cp.Opc2));
    }

    // LDC/STC addressing (A5.5). r1 = base 0x80100.
    [Theory]
    [InlineData("ldc p3, c4, [r1]", true, false, 0x80100u, 0x80100u, 0u)]
    [InlineData("ldc p3, c4, [r1, #8]", true, false, 0x80108u, 0x80100u, 0u)]
    [InlineData("stc p3, c4, [r1, #-1020]", false, false, 0x7FD04u, 0x80100u, 0u)]
    [InlineData("ldc p3, c4, [r1, #-8]!", true, false, 0x800F8u, 0x800F8u, 0u)]
    [InlineData("stcl p3, c4, [r1, #1020]!", false, true, 0x804FCu, 0x804FCu, 0u)]
    [InlineData("stc p3, c4, [r1], #16", false, false, 0x80100u, 0x80110u, 0u)]
    [InlineData("ldcl p3, c4, [r1], #-1020", true, true, 0x80100u, 0x7FD04u, 0u)]
    [InlineData("ldc p3, c4, [r1], {17}", true, false, 0x80100u, 0x80100u, 17u)]
    [InlineData("stcl p3, c4, [r1], {255}", false, true, 0x80100u, 0x80100u, 255u)]
    [InlineData("ldc2 p3, c4, [r1, #4]!", true, false, 0x80104u, 0x80104u, 0u)]
    [InlineData("stc2l p3, c4, [r1], #-4", false, true, 0x80100u, 0x800FCu, 0u)]
    [InlineData("ldc2 p3, c4, [r1], {3}", true, false, 0x80100u, 0x80100u, 3u)]
    public void LdcStcAddressing(string source, bool load, bool longTransfer, uint address, uint baseAfter, uint option)
    {
        var cp = new FakeCoprocessor();
        using var h = Run(source, cp, setup: s => s.Cpu.R[1] = 0x80100);
        Assert.Equal(load ? "LDC" : "STC", cp.LastCall);
        Assert.Equal(longTransfer, cp.LongTransfer);
        Assert.Equal(4, cp.CRd);
        Assert.Equal(address, cp.Address);
        Assert.Equal(option, cp.Option);
        Assert.Equal(baseAfter, h[1]);
    }

    [Fact]
    public void LdcFromPcUsesAddressPlus8()
    {
        var cp = new FakeCoprocessor();
        using var h = Run("ldc p3, c4, [pc, #4]", cp);
        Assert.Equal(CpuHarness.CodeBase + 12, cp.Address);
    }

    [Fact]
    public void LdcCoprocessorReadsMemory()
    {
        var cp = new FakeCoprocessor { TouchMemory = true };
        using var h = Run("ldc p3, c4, [r1], #4", cp, setup: s =>
        {
            s.Cpu.R[1] = CpuHarness.DataBase;
            s.Write32(CpuHarness.DataBase, 0xCAFE_F00D);
        });
        Assert.Equal(0xCAFE_F00Du, cp.Value);
        Assert.Equal(CpuHarness.DataBase + 4, h[1]);
    }

    [Theory]
    [InlineData("ldc p3, c4, [r1, #-8]!")]
    [InlineData("stc p3, c4, [r1], #8")]
    public void RefusedLdcStcIsUndefinedWithoutWriteBack(string source)
    {
        var cp = new FakeCoprocessor { Accept = false };
        using var h = Run(source, cp, setup: s => s.Cpu.R[1] = 0x80100, maxInstructions: 1);
        Assert.Equal(1, cp.Calls);
        AssertUndefinedAt(h, CpuHarness.CodeBase);
        Assert.Equal(0x80100u, h[1]);
    }

    // A fault inside the coprocessor's transfer is a Data Abort with the base unchanged.
    [Fact]
    public void FaultingLdcLeavesBaseUnchanged()
    {
        var cp = new FakeCoprocessor { TouchMemory = true };
        using var h = Run("ldc p3, c4, [r1, #8]!", cp, setup: s => s.Cpu.R[1] = 0x20_0000, maxInstructions: 1);
        Assert.Equal(ProcessorMode.Abort, h.Cpu.Mode);
        Assert.Equal(CpuHarness.CodeBase + 8, h[14]); // LR_abt = address + 8: a Data Abort
        Assert.Equal(0x20_0000u, h[1]);
    }

    // Write-back to R15 is UNPREDICTABLE (A5.5); QEMU has no LDC/STC for ARMv5's coprocessors
    // (all UNDEFINED), and UNDEFINED is what we do, without asking the coprocessor.
    [Fact]
    public void LdcWriteBackToPcIsUndefined()
    {
        var cp = new FakeCoprocessor();
        using var h = Run(".word 0xEDBF4301", cp, maxInstructions: 1); // ldc p3, c4, [pc, #4]!
        Assert.Equal(0, cp.Calls);
        AssertUndefinedAt(h, CpuHarness.CodeBase);
    }

    [Fact]
    public void CoprocessorInstructionIsConditional()
    {
        var cp = new FakeCoprocessor();
        using var h = Run("mcrne p3, 0, r0, c1, c0, 0", cp, setup: s => s.Cpu.Z = true);
        Assert.Equal(0, cp.Calls);
    }
}
