namespace ArmEmu.Cpu.Tests;

/// <summary>
/// MRS and MSR (ARM ARM A4.1.38/39): field masks, what each mode may write,
/// mode switches with their register banks, and the SPSR.
/// </summary>
public class StatusRegisterTests
{
    private const uint Supervisor = 0x13, User = 0x10, Irq = 0x12, Fiq = 0x11, SystemMode = 0x1F;

    [Fact]
    public void MrsReadsCpsr()
    {
        using var h = CpuHarness.Run("mrs r0, cpsr", s => { s.Cpu.N = true; s.Cpu.C = true; s.Cpu.Q = true; });
        Assert.Equal(0xA800_00D3u, h[0]); // N C Q, I F, Supervisor
    }

    [Fact]
    public void MrsReadsSpsrOfCurrentMode()
    {
        using var h = CpuHarness.Run("mrs r0, spsr", s =>
        {
            s.Cpu.SetSpsr(ProcessorMode.Supervisor, 0x6000_0030);
            s.Cpu.SetSpsr(ProcessorMode.Irq, 0x1234_5678);
        });
        Assert.Equal(0x6000_0030u, h[0]);
    }

    // Reading the SPSR in User mode is UNPREDICTABLE; QEMU (trans_MRS_reg) makes it UNDEFINED.
    [Fact]
    public void MrsSpsrInUserModeIsUndefined()
    {
        using var h = CpuHarness.Run("mrs r0, spsr", s =>
        {
            s.Cpu.Cpsr = User;
            s.Cpu.R[0] = 0x55;
        }, maxInstructions: 1);
        Assert.Equal(ProcessorMode.Undefined, h.Cpu.Mode);
        Assert.Equal(CpuHarness.CodeBase + 4, h[14]);
        Assert.Equal(4u, h.Cpu.PC);
        Assert.Equal(0x55u, h[0]);
    }

    // System mode has no SPSR (UNPREDICTABLE). QEMU reads and writes the slot it shares with
    // User mode in its bank, which nothing else uses; so do we.
    [Fact]
    public void SpsrInSystemModeIsTheUserSystemSlot()
    {
        using var h = CpuHarness.Run("""
            mrs r0, spsr
            msr spsr_fsxc, r1
            mrs r2, spsr
            """, s =>
        {
            s.Cpu.Cpsr = SystemMode;
            s.Cpu.SetSpsr(ProcessorMode.System, 0x8000_0010);
            s.Cpu.R[1] = 0x2000_001F;
        });
        Assert.Equal(0x8000_0010u, h[0]);
        Assert.Equal(0x2000_001Fu, h[2]);
        Assert.Equal(ProcessorMode.System, h.Cpu.Mode);
        Assert.Equal(SystemMode, h.Cpu.Cpsr); // the CPSR is not touched
    }

    // MSR CPSR from Supervisor mode, CPSR before = 0x000000D3 (I, F, Supervisor).
    // Only bits ARMv5 defines are stored; T is never written by MSR (A4.1.39; QEMU masks it).
    [Theory]
    [InlineData("msr cpsr_f, r0", 0xF000_0000u, 0xF000_00D3u)]
    [InlineData("msr cpsr_f, r0", 0xFFFF_FFFFu, 0xF800_00D3u)]   // N Z C V Q; GE/J/E are not ARMv5 state
    [InlineData("msr cpsr_c, r0", 0xF000_001Fu, 0x0000_001Fu)]   // flags untouched, I F cleared, System mode
    [InlineData("msr cpsr_c, r0", 0x0000_0033u, 0x0000_0013u)]   // T bit ignored
    [InlineData("msr cpsr_fc, r0", 0x0800_00D2u, 0x0800_00D2u)]  // Q and IRQ mode
    [InlineData("msr cpsr_sx, r0", 0xFFFF_FFFFu, 0x0000_00D3u)]  // no defined bits in bytes 1 and 2
    [InlineData("msr cpsr_fsxc, r0", 0xFFFF_FFFFu, 0xF800_00DFu)]
    [InlineData("msr cpsr_x, r0", 0xFFFF_FFFFu, 0x0000_00D3u)]
    [InlineData("msr cpsr_c, r0", 0x0000_0085u, 0x0000_0093u)]   // invalid mode 0x05: I/F written, mode kept (as QEMU)
    public void MsrCpsrFieldMask(string insn, uint value, uint cpsr)
    {
        using var h = CpuHarness.Run(insn, s => s.Cpu.R[0] = value);
        Assert.Equal(cpsr, h.Cpu.Cpsr);
        Assert.False(h.Cpu.T);
    }

    [Theory]
    [InlineData("msr cpsr_f, #0xF0000000", 0xF000_00D3u)]
    [InlineData("msr cpsr_f, #0x08000000", 0x0800_00D3u)]
    [InlineData("msr cpsr_c, #0x1F", 0x0000_001Fu)]
    [InlineData("msr cpsr_c, #0xD2", 0x0000_00D2u)]
    [InlineData("msr cpsr_fc, #0x50", 0x0000_0050u)]              // 0x50 = F and User mode
    public void MsrImmediate(string insn, uint cpsr)
    {
        using var h = CpuHarness.Run(insn);
        Assert.Equal(cpsr, h.Cpu.Cpsr);
    }

    [Fact]
    public void MsrImmediateRotation()
    {
        // #0xF0000000 is 0xF0 rotated right by 8: check the encoder chose a rotation and we undid it.
        using var h = CpuHarness.Run("msr cpsr_f, #0x60000000");
        Assert.Equal("nZCv", h.Flags);
    }

    [Fact]
    public void ModeSwitchesPreserveBankedR13R14()
    {
        using var h = CpuHarness.Run("""
            msr cpsr_c, #0xD2
            mov sp, #0x3300
            mov lr, #0x4400
            msr cpsr_c, #0xD3
            mov r0, sp
            msr cpsr_c, #0xD2
            mov r1, lr
            msr cpsr_c, #0xDF
            mov r2, sp
            msr cpsr_c, #0xD3
            """, s =>
        {
            s.Cpu.R[13] = 0x1100;
            s.Cpu.R[14] = 0x2200;
            s.Cpu.SetBankedRegister(ProcessorMode.System, 13, 0x7700);
        });
        Assert.Equal(ProcessorMode.Supervisor, h.Cpu.Mode);
        Assert.Equal(0x1100u, h[13]);
        Assert.Equal(0x2200u, h[14]);
        Assert.Equal(0x1100u, h[0]);  // back in Supervisor
        Assert.Equal(0x4400u, h[1]);  // IRQ's LR survived the trip
        Assert.Equal(0x7700u, h[2]);  // System mode uses the User bank
        Assert.Equal(0x3300u, h.Cpu.GetBankedRegister(ProcessorMode.Irq, 13));
        Assert.Equal(0x4400u, h.Cpu.GetBankedRegister(ProcessorMode.Irq, 14));
    }

    [Fact]
    public void FiqModeBanksR8ToR12()
    {
        using var h = CpuHarness.Run("""
            msr cpsr_c, #0xD1
            mov r8, #1
            mov r12, #2
            mov sp, #3
            msr cpsr_c, #0xD3
            """, s =>
        {
            s.Cpu.R[8] = 0x88;
            s.Cpu.R[12] = 0xCC;
        });
        Assert.Equal(0x88u, h[8]);
        Assert.Equal(0xCCu, h[12]);
        Assert.Equal(1u, h.Cpu.GetBankedRegister(ProcessorMode.Fiq, 8));
        Assert.Equal(2u, h.Cpu.GetBankedRegister(ProcessorMode.Fiq, 12));
        Assert.Equal(3u, h.Cpu.GetBankedRegister(ProcessorMode.Fiq, 13));
    }

    // User mode may write only N Z C V Q; the mode, I and F stay (A4.1.39).
    [Theory]
    [InlineData("msr cpsr_fc, r0", 0xF800_00D3u, 0xF800_0010u)]
    [InlineData("msr cpsr_fsxc, r0", 0xFFFF_FFFFu, 0xF800_0010u)]
    [InlineData("msr cpsr_c, r0", 0x0000_00DFu, 0x0000_0010u)]
    [InlineData("msr cpsr_c, #0x1F", 0u, 0x0000_0010u)]
    [InlineData("msr cpsr_f, #0x40000000", 0u, 0x4000_0010u)]
    public void MsrInUserModeChangesOnlyFlags(string insn, uint value, uint cpsr)
    {
        using var h = CpuHarness.Run(insn, s =>
        {
            s.Cpu.Cpsr = User; // I and F clear
            s.Cpu.R[0] = value;
            s.Cpu.R[13] = 0x1313;
        });
        Assert.Equal(cpsr, h.Cpu.Cpsr);
        Assert.Equal(ProcessorMode.User, h.Cpu.Mode);
        Assert.Equal(0x1313u, h[13]); // no bank switch happened
        Assert.False(h.Cpu.IsPrivileged);
    }

    [Theory]
    [InlineData("msr spsr_fsxc, r0", 0u, 0xFFFF_FFFFu, 0xF800_00FFu)]            // T is writable in an SPSR; GE/J/E are not kept
    [InlineData("msr spsr_c, r0", 0xF000_0010u, 0x0000_00D3u, 0xF000_00D3u)]
    [InlineData("msr spsr_f, r0", 0x0000_0010u, 0x9000_00FFu, 0x9000_0010u)]
    [InlineData("msr spsr_sx, r0", 0x1000_0010u, 0xFFFF_FFFFu, 0x1000_0010u)]
    [InlineData("msr spsr_fc, #0x30", 0xF000_0013u, 0u, 0x0000_0030u)]           // a Thumb User-mode return state
    public void MsrSpsr(string insn, uint spsrBefore, uint value, uint spsrAfter)
    {
        using var h = CpuHarness.Run(insn, s =>
        {
            s.Cpu.SetSpsr(ProcessorMode.Supervisor, spsrBefore);
            s.Cpu.R[0] = value;
        });
        Assert.Equal(spsrAfter, h.Cpu.GetSpsr(ProcessorMode.Supervisor));
        Assert.Equal(0x0000_00D3u, h.Cpu.Cpsr); // the CPSR is not touched
    }

    // Linux returns to a Thumb-2 user program it interrupted inside an IT block with
    // MSR SPSR_cxsf, r1 then MOVS PC, LR: the IT bits (26:25, 15:10) and A must reach the SPSR,
    // or the rest of the block runs unconditionally.
    [Fact]
    public void MsrSpsrKeepsTheItStateAndTheABitOnAThumb2Core()
    {
        using var h = CpuHarness.Run("msr spsr_fsxc, r0", s =>
        {
            s.Cpu.R[0] = 0x8600_0130u | 0x0000_AC00u; // N, IT[1:0]=11, IT[7:2]=101011, A, T, User
        }, model: CpuModel.CortexA9);
        Assert.Equal(0x8600_AD30u, h.Cpu.GetSpsr(ProcessorMode.Supervisor));
    }

    [Fact]
    public void MsrSpsrWritesTheCurrentModesSpsr()
    {
        using var h = CpuHarness.Run("msr spsr_fsxc, r0", s =>
        {
            s.Cpu.Cpsr = 0xD2; // IRQ
            s.Cpu.R[0] = 0x4000_0013;
        });
        Assert.Equal(0x4000_0013u, h.Cpu.GetSpsr(ProcessorMode.Irq));
        Assert.Equal(0u, h.Cpu.GetSpsr(ProcessorMode.Supervisor));
    }

    // Writing the SPSR in User mode is UNPREDICTABLE; QEMU (gen_set_psr) makes it UNDEFINED.
    [Fact]
    public void MsrSpsrInUserModeIsUndefined()
    {
        using var h = CpuHarness.Run("msr spsr_fsxc, r0", s =>
        {
            s.Cpu.Cpsr = User | 0x2000_0000u;
            s.Cpu.R[0] = 0xFFFF_FFFF;
        }, maxInstructions: 1);
        Assert.Equal(ProcessorMode.Undefined, h.Cpu.Mode);
        Assert.Equal(CpuHarness.CodeBase + 4, h[14]);
        Assert.Equal(4u, h.Cpu.PC);
        Assert.Equal(User | 0x2000_0000u, h.Cpu.Spsr); // SPSR_und = the CPSR at the fault
        Assert.Equal(0u, h.Cpu.GetSpsr(ProcessorMode.User));
    }

    [Fact]
    public void MsrThenMrsRoundTrip()
    {
        using var h = CpuHarness.Run("""
            msr spsr_fsxc, r0
            mrs r1, spsr
            msr cpsr_f, r0
            mrs r2, cpsr
            """, s => s.Cpu.R[0] = 0x5800_0010);
        Assert.Equal(0x5800_0010u, h[1]);
        Assert.Equal(0x5800_00D3u, h[2]);
    }

    [Fact]
    public void MsrToUserModeDropsPrivilege()
    {
        using var h = CpuHarness.Run("""
            msr cpsr_c, #0x10
            msr cpsr_c, #0x13
            """, s => s.Cpu.R[13] = 0x5555);
        Assert.Equal(ProcessorMode.User, h.Cpu.Mode); // the second MSR could not leave User mode
        Assert.False(h.Cpu.IsPrivileged);
        Assert.False(h.Cpu.I);
        Assert.Equal(0x5555u, h.Cpu.GetBankedRegister(ProcessorMode.Supervisor, 13));
    }

    [Fact]
    public void MsrIsConditional()
    {
        using var h = CpuHarness.Run("msreq cpsr_c, #0x1F");
        Assert.Equal(ProcessorMode.Supervisor, h.Cpu.Mode);
    }
}
