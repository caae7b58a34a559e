namespace ArmEmu.Cpu.Tests;

/// <summary>
/// LDM/STM (ARM ARM A4.1 LDM (1)-(3), STM (1)-(2); addressing mode 4, A5.4): the four
/// modes with and without write-back, the base in the list, the PC, the ^ forms, aborts,
/// and QEMU's choices where the manual says UNPREDICTABLE.
/// </summary>
public class LoadStoreMultipleTests
{
    private const uint Base = CpuHarness.DataBase + 0x100;

    private static void FillPattern(CpuHarness h)
    {
        for (uint a = CpuHarness.DataBase; a < CpuHarness.DataBase + 0x400; a += 4)
            h.Write32(a, Pattern(a));
    }

    private static uint Pattern(uint address) => 0xA000_0000 + (address - CpuHarness.DataBase);

    [Theory]
    // instruction, lowest address, base afterwards (r0 = Base)
    [InlineData("ldmia r0, {r1-r3}", Base, Base)]
    [InlineData("ldmia r0!, {r1-r3}", Base, Base + 12)]
    [InlineData("ldmib r0!, {r1-r3}", Base + 4, Base + 12)]
    [InlineData("ldmda r0!, {r1-r3}", Base - 8, Base - 12)]
    [InlineData("ldmdb r0!, {r1-r3}", Base - 12, Base - 12)]
    [InlineData("ldmib r0, {r1-r3}", Base + 4, Base)]
    [InlineData("ldmda r0, {r1-r3}", Base - 8, Base)]
    [InlineData("ldmdb r0, {r1-r3}", Base - 12, Base)]
    public void LdmModes(string insn, uint lowest, uint baseAfter)
    {
        using var h = CpuHarness.Run(insn, s =>
        {
            FillPattern(s);
            s.Cpu.R[0] = Base;
        });
        Assert.Equal(Pattern(lowest), h[1]);
        Assert.Equal(Pattern(lowest + 4), h[2]);
        Assert.Equal(Pattern(lowest + 8), h[3]);
        Assert.Equal(baseAfter, h[0]);
    }

    [Theory]
    [InlineData("stmia r0, {r1, r5, r9}", Base, Base)]
    [InlineData("stmia r0!, {r1, r5, r9}", Base, Base + 12)]
    [InlineData("stmib r0!, {r1, r5, r9}", Base + 4, Base + 12)]
    [InlineData("stmda r0!, {r1, r5, r9}", Base - 8, Base - 12)]
    [InlineData("stmdb r0!, {r1, r5, r9}", Base - 12, Base - 12)]
    [InlineData("stmdb r0, {r1, r5, r9}", Base - 12, Base)]
    public void StmModes(string insn, uint lowest, uint baseAfter)
    {
        using var h = CpuHarness.Run(insn, s =>
        {
            FillPattern(s);
            s.Cpu.R[0] = Base;
            s.Cpu.R[1] = 0x11;
            s.Cpu.R[5] = 0x55;
            s.Cpu.R[9] = 0x99;
        });
        Assert.Equal(Pattern(lowest - 4), h.Read32(lowest - 4));
        Assert.Equal(0x11u, h.Read32(lowest));
        Assert.Equal(0x55u, h.Read32(lowest + 4));
        Assert.Equal(0x99u, h.Read32(lowest + 8));
        Assert.Equal(Pattern(lowest + 12), h.Read32(lowest + 12));
        Assert.Equal(baseAfter, h[0]);
    }

    [Fact]
    public void PushAndPopRoundTrip()
    {
        using var h = CpuHarness.Run("push {r4-r6, lr}\nmov r4, #0\nmov r5, #0\nmov r6, #0\nmov lr, #0\npop {r4-r6, r7}", s =>
        {
            s.Cpu.R[13] = Base;
            s.Cpu.R[4] = 4;
            s.Cpu.R[5] = 5;
            s.Cpu.R[6] = 6;
            s.Cpu.R[14] = 14;
        });
        Assert.Equal(new uint[] { 4, 5, 6, 14 }, new[] { h[4], h[5], h[6], h[7] });
        Assert.Equal(Base, h[13]);
        Assert.Equal(14u, h.Read32(Base - 4));
    }

    [Fact]
    public void UnalignedBaseIgnoresAddressBits1To0()
    {
        // ARMv5 without SCTLR.U: LDM/STM ignore address[1:0]; the written-back base keeps them.
        using var h = CpuHarness.Run("ldmia r0!, {r1, r2}", s =>
        {
            FillPattern(s);
            s.Cpu.R[0] = Base + 3;
        });
        Assert.Equal(Pattern(Base), h[1]);
        Assert.Equal(Pattern(Base + 4), h[2]);
        Assert.Equal(Base + 3 + 8, h[0]);
    }

    // ---- the base in the register list (UNPREDICTABLE with write-back: QEMU's behaviour) ------

    [Theory]
    // Without write-back the base simply gets its loaded value. With write-back ARMv5 says
    // UNPREDICTABLE; QEMU (before v7) writes the base back, then the loaded value over it.
    [InlineData("ldmia r1, {r0-r2}", Base + 4)]
    [InlineData("ldmia r1!, {r0-r2}", Base + 4)]
    [InlineData("ldmdb r1!, {r1, r2}", Base - 8)]
    public void LdmWithBaseInListKeepsTheLoadedValue(string insn, uint baseWordAddress)
    {
        using var h = CpuHarness.Run(insn, s =>
        {
            FillPattern(s);
            s.Cpu.R[1] = Base;
        });
        Assert.Equal(Pattern(baseWordAddress), h[1]);
        Assert.Equal(Pattern(baseWordAddress + 4), h[2]);
    }

    [Theory]
    // STM with the base in the list and write-back stores the original base: defined by the
    // ARM ARM when the base is the lowest register, UNPREDICTABLE otherwise, where QEMU does the same.
    [InlineData("stmia r1!, {r1, r2}", Base, Base)]
    [InlineData("stmia r1!, {r0, r1}", Base + 4, Base)]
    [InlineData("stmdb r1!, {r0, r1, r2}", Base - 8, Base)]
    public void StmWithBaseInListStoresTheOriginalBase(string insn, uint baseWordAddress, uint stored)
    {
        using var h = CpuHarness.Run(insn, s =>
        {
            s.Cpu.R[1] = Base;
            s.Cpu.R[0] = 0x1234;
            s.Cpu.R[2] = 0x5678;
        });
        Assert.Equal(stored, h.Read32(baseWordAddress));
        Assert.NotEqual(Base, h[1]); // written back
    }

    // ---- the PC -------------------------------------------------------------------------------

    [Fact]
    public void StmStoresPcPlus8AsQemu()
    {
        // IMPLEMENTATION DEFINED (+8 or +12) in the ARM ARM; QEMU stores the instruction's address + 8.
        using var h = CpuHarness.Run("nop\nstmia r0, {r1, pc}", s => s.Cpu.R[0] = Base);
        Assert.Equal(CpuHarness.CodeBase + 4 + 8, h.Read32(Base + 4));
    }

    [Theory]
    // ARMv5T: LDM loading the PC interworks.
    [InlineData(0x2001u, 0x2000u, true)]
    [InlineData(0x2000u, 0x2000u, false)]
    public void LdmToPcInterworks(uint loaded, uint pc, bool thumb)
    {
        using var h = CpuHarness.Run("ldmia r0!, {r1, pc}", s =>
        {
            s.Write32(Base, 0x1111);
            s.Write32(Base + 4, loaded);
            s.Cpu.R[0] = Base;
        }, maxInstructions: 1);
        Assert.Equal(pc, h.Cpu.PC);
        Assert.Equal(thumb, h.Cpu.T);
        Assert.Equal(0x1111u, h[1]);
        Assert.Equal(Base + 8, h[0]);
    }

    // ---- the ^ forms ------------------------------------------------------------------------

    [Fact]
    public void LdmUserRegistersFromFiqMode()
    {
        using var h = CpuHarness.Run("ldmia r0, {r7-r14}^", s =>
        {
            FillPattern(s);
            s.Cpu.SwitchMode(ProcessorMode.Fiq);
            for (int r = 8; r <= 14; r++) s.Cpu.R[r] = 0xF100 + (uint)r;
            s.Cpu.R[0] = Base;
        });
        Assert.Equal(ProcessorMode.Fiq, h.Cpu.Mode);
        Assert.Equal(Pattern(Base), h[7]);
        for (int r = 8; r <= 14; r++)
        {
            Assert.Equal(0xF100 + (uint)r, h[r]);                                             // FIQ bank untouched
            Assert.Equal(Pattern(Base + 4 * (uint)(r - 7)), h.Cpu.GetBankedRegister(ProcessorMode.User, r));
        }
    }

    [Fact]
    public void LdmUserRegistersFromSupervisorMode()
    {
        using var h = CpuHarness.Run("ldmia r0, {r12-r14}^", s =>
        {
            FillPattern(s);
            s.Cpu.R[13] = 0x5313;
            s.Cpu.R[14] = 0x5314;
            s.Cpu.R[0] = Base;
        });
        Assert.Equal(ProcessorMode.Supervisor, h.Cpu.Mode);
        Assert.Equal(Pattern(Base), h[12]);                                                     // shared with User
        Assert.Equal(0x5313u, h[13]);
        Assert.Equal(0x5314u, h[14]);
        Assert.Equal(Pattern(Base + 4), h.Cpu.GetBankedRegister(ProcessorMode.User, 13));
        Assert.Equal(Pattern(Base + 8), h.Cpu.GetBankedRegister(ProcessorMode.User, 14));
    }

    [Fact]
    public void StmUserRegistersFromFiqMode()
    {
        using var h = CpuHarness.Run("stmdb r0!, {r8-r14}^", s =>
        {
            s.Cpu.SwitchMode(ProcessorMode.Fiq);
            for (int r = 8; r <= 14; r++)
            {
                s.Cpu.R[r] = 0xF100 + (uint)r;
                s.Cpu.SetBankedRegister(ProcessorMode.User, r, 0xA100 + (uint)r);
            }
            s.Cpu.R[0] = Base;
        });
        for (int r = 8; r <= 14; r++)
            Assert.Equal(0xA100 + (uint)r, h.Read32(Base - 28 + 4 * (uint)(r - 8)));
        Assert.Equal(Base - 28, h[0]); // write-back (UNPREDICTABLE) goes to the current mode's Rn, as in QEMU
    }

    [Fact]
    public void LdmExceptionReturnRestoresSpsrAndReturnsToUserMode()
    {
        using var h = new CpuHarness();
        h.Load("ldmfd sp!, {r0, r1, pc}^");
        FillPattern(h);
        h.Write32(Base + 8, 0x2000);
        h.Load("mov r2, #7", 0x2000);
        h.Cpu.PC = CpuHarness.CodeBase;
        h.Cpu.R[13] = Base;
        h.Cpu.Spsr = 0x6000_0010; // User, nZCv
        h.Cpu.SetBankedRegister(ProcessorMode.User, 13, 0x0555);
        h.Cpu.Run(2);
        Assert.Equal(ProcessorMode.User, h.Cpu.Mode);
        Assert.Equal("nZCv", h.Flags);
        Assert.Equal(Pattern(Base), h[0]);
        Assert.Equal(Pattern(Base + 4), h[1]);
        Assert.Equal(7u, h[2]);
        Assert.Equal(0x0555u, h[13]);                                                           // User's SP
        Assert.Equal(Base + 12, h.Cpu.GetBankedRegister(ProcessorMode.Supervisor, 13));        // SVC's SP written back
    }

    [Fact]
    public void LdmExceptionReturnToThumbState()
    {
        using var h = CpuHarness.Run("ldmia r0, {pc}^", s =>
        {
            s.Write32(Base, 0x2003);
            s.Cpu.R[0] = Base;
            s.Cpu.Spsr = 0x0000_0030; // User, Thumb
        }, maxInstructions: 1);
        Assert.Equal(ProcessorMode.User, h.Cpu.Mode);
        Assert.True(h.Cpu.T);
        Assert.Equal(0x2002u, h.Cpu.PC);
    }

    // ---- UNPREDICTABLE encodings QEMU makes UNDEFINED ---------------------------------------

    [Theory]
    [InlineData(0xE890_0000u, ProcessorMode.Supervisor)] // ldmia r0, {}: empty list
    [InlineData(0xE880_0000u, ProcessorMode.Supervisor)] // stmia r0, {}
    [InlineData(0xE89F_0003u, ProcessorMode.Supervisor)] // ldmia pc, {r0, r1}: Rn = PC
    [InlineData(0xE88F_0003u, ProcessorMode.Supervisor)] // stmia pc, {r0, r1}
    [InlineData(0xE8F0_0003u, ProcessorMode.Supervisor)] // ldmia r0!, {r0, r1}^: user registers with write-back
    [InlineData(0xE8D0_0003u, ProcessorMode.User)]       // ldmia r0, {r0, r1}^ in User mode
    [InlineData(0xE8C0_0003u, ProcessorMode.User)]       // stmia r0, {r0, r1}^ in User mode
    [InlineData(0xE8D0_8000u, ProcessorMode.User)]       // ldmia r0, {pc}^ in User mode
    public void UnpredictableFormsAreUndefinedAsQemu(uint word, ProcessorMode mode)
    {
        using var h = LoadStoreTests.RunToVector($".word 0x{word:x8}", 0x04, s =>
        {
            FillPattern(s);
            s.Cpu.SwitchMode(mode);
            s.Cpu.R[0] = Base;
            s.Cpu.R[1] = 0x1111;
        });
        Assert.Equal(ProcessorMode.Undefined, h.Cpu.Mode);
        Assert.Equal(CpuHarness.CodeBase + 4, h[14]);
        Assert.Equal(4u, h.Cpu.PC);
        Assert.Equal(Base, h[0]);
        Assert.Equal(0x1111u, h[1]);
        Assert.Equal(Pattern(Base), h.Read32(Base));
    }

    // ---- aborts ------------------------------------------------------------------------------

    [Theory]
    // Each block reaches 0x90000, which is unmapped: no register may change.
    [InlineData("ldmia r0!, {r1-r3}", 0x8FFF8u)]
    [InlineData("ldmdb r0!, {r0-r3}", 0x90004u)]  // base in the list, too
    [InlineData("stmia r0!, {r1-r3}", 0x8FFF8u)]
    [InlineData("ldmia r0, {r1-r2, pc}", 0x8FFF8u)]
    public void DataAbortLeavesRegistersUnchanged(string insn, uint baseValue)
    {
        using var h = LoadStoreTests.RunToVector(insn, 0x10, s =>
        {
            s.Flat.Unmap(0x9_0000, 0x1000);
            s.Cpu.R[0] = baseValue;
            s.Cpu.R[1] = 0xD1;
            s.Cpu.R[2] = 0xD2;
            s.Cpu.R[3] = 0xD3;
        });
        Assert.Equal(ProcessorMode.Abort, h.Cpu.Mode);
        Assert.Equal(CpuHarness.CodeBase + 8, h[14]);
        Assert.Equal(0x10u, h.Cpu.PC);
        Assert.Equal(baseValue, h[0]);
        Assert.Equal(0xD1u, h[1]);
        Assert.Equal(0xD2u, h[2]);
        Assert.Equal(0xD3u, h[3]);
    }
}
