using ArmEmu.Cpu.Decoding;

namespace ArmEmu.Cpu.Tests;

/// <summary>
/// SMC, HVC, ERET and the banked-register MRS/MSR (DDI 0406C B9.3) on the models that have the
/// Security (arm1176, cortex-a8/a9/a15) and Virtualization (cortex-a15) Extensions, in ARM and
/// Thumb state, with the UNPREDICTABLE cases UNDEFINED as QEMU 7.2 makes them.
/// </summary>
public sealed class SecurityVirtualizationTests
{
    private const string Arm = ".arch_extension sec\n.arch_extension virt\n";
    private const string Thumb = ".syntax unified\n.thumb\n.arch_extension sec\n.arch_extension virt\n";

    /// <summary>Runs in Supervisor mode (the reset mode) unless <paramref name="setup"/> changes it; records an exception and stops there.</summary>
    private static CpuHarness Run(CpuModel model, string source, Action<CpuHarness>? setup = null) =>
        CpuHarness.Run(model, source, h =>
        {
            h.Cpu.ExceptionHandler = (Cpu _, in CpuException e) =>
            {
                h.Exception = e.Kind;
                return ExceptionDisposition.Stop;
            };
            setup?.Invoke(h);
        });

    private static void Banks(CpuHarness h)
    {
        h.Cpu.SetBankedRegister(ProcessorMode.Irq, 13, 0x1111_0013);
        h.Cpu.SetBankedRegister(ProcessorMode.Irq, 14, 0x1111_0014);
        h.Cpu.SetBankedRegister(ProcessorMode.User, 13, 0x2222_0013);
        h.Cpu.SetBankedRegister(ProcessorMode.User, 14, 0x2222_0014);
        h.Cpu.SetBankedRegister(ProcessorMode.Fiq, 8, 0x3333_0008);
        h.Cpu.SetBankedRegister(ProcessorMode.Undefined, 14, 0x4444_0014);
        h.Cpu.SetSpsr(ProcessorMode.Irq, 0x8000_0012);
    }

    [Theory]
    [InlineData(Arm)]
    [InlineData(Thumb)]
    public void MrsBankedReadsAnotherModesRegisters(string prefix)
    {
        var h = Run(CpuModel.CortexA15, prefix + """
            mrs r0, SP_irq
            mrs r1, LR_irq
            mrs r2, SP_usr
            mrs r3, LR_usr
            mrs r4, R8_fiq
            mrs r5, LR_und
            mrs r6, SPSR_irq
            """, Banks);
        Assert.Null(h.Exception);
        Assert.Equal([0x1111_0013u, 0x1111_0014u, 0x2222_0013u, 0x2222_0014u, 0x3333_0008u, 0x4444_0014u, 0x8000_0012u],
                     Enumerable.Range(0, 7).Select(r => h[r]));
    }

    [Theory]
    [InlineData(Arm)]
    [InlineData(Thumb)]
    public void MsrBankedWritesThemAndLeavesTheCurrentBankAlone(string prefix)
    {
        var h = Run(CpuModel.CortexA15, prefix + """
            msr SP_usr, r1
            msr LR_abt, r2
            msr R10_fiq, r3
            msr SPSR_und, r4
            """, h =>
        {
            h.Cpu.R[1] = 0xA1;
            h.Cpu.R[2] = 0xA2;
            h.Cpu.R[3] = 0xA3;
            h.Cpu.R[4] = 0xF000_001B;
            h.Cpu.R[13] = 0x5000;
            h.Cpu.R[10] = 0x77;
        });
        Assert.Null(h.Exception);
        Assert.Equal(0xA1u, h.Cpu.GetBankedRegister(ProcessorMode.User, 13));
        Assert.Equal(0xA2u, h.Cpu.GetBankedRegister(ProcessorMode.Abort, 14));
        Assert.Equal(0xA3u, h.Cpu.GetBankedRegister(ProcessorMode.Fiq, 10));
        Assert.Equal(0xF000_001Bu, h.Cpu.GetSpsr(ProcessorMode.Undefined));
        Assert.Equal(0x5000u, h[13]); // SP_svc untouched
        Assert.Equal(0x77u, h[10]);
    }

    /// <summary>The UNPREDICTABLE accesses QEMU 7.2 makes UNDEFINED, and User mode.</summary>
    [Theory]
    [InlineData("mrs r0, SP_svc", ProcessorMode.Supervisor)]   // the current mode's own bank
    [InlineData("mrs r0, SPSR_svc", ProcessorMode.Supervisor)]
    [InlineData("mrs r0, R8_usr", ProcessorMode.Supervisor)]   // R8-R12_usr only from FIQ mode
    [InlineData("msr SP_usr, r0", ProcessorMode.System)]      // System mode's SP is User mode's
    [InlineData("mrs r0, SP_irq", ProcessorMode.User)]
    [InlineData("mrs r0, SP_mon", ProcessorMode.Supervisor)]  // no Monitor mode (no EL3)
    [InlineData("mrs r0, ELR_hyp", ProcessorMode.Supervisor)] // no Hyp mode (no EL2)
    public void UnpredictableBankedAccessesAreUndefined(string instruction, ProcessorMode mode)
    {
        var h = Run(CpuModel.CortexA15, Arm + instruction + "\n", h => h.Cpu.SwitchMode(mode));
        Assert.Equal(ExceptionKind.Undefined, h.Exception);
    }

    [Fact]
    public void R8UsrIsReachableFromFiqMode()
    {
        var h = Run(CpuModel.CortexA15, Arm + "mrs r0, R8_usr\n", h =>
        {
            h.Cpu.R[8] = 0x88;
            h.Cpu.SwitchMode(ProcessorMode.Fiq);
        });
        Assert.Null(h.Exception);
        Assert.Equal(0x88u, h[0]);
    }

    [Theory]
    [InlineData(Arm)]
    [InlineData(Thumb)]
    public void EretReturnsToLrWithTheSpsr(string prefix)
    {
        var h = Run(CpuModel.CortexA15, prefix + "eret\nmovs r0, #1\n", h =>
        {
            h.Cpu.R[14] = h.End; // returns over the MOVS to the end of the snippet, where the run stops
            h.Cpu.SetSpsr(ProcessorMode.Supervisor, 0x6000_0010 | (h.Cpu.T ? 0x20u : 0)); // User mode, Z and C
        });
        Assert.Null(h.Exception);
        Assert.Equal(ProcessorMode.User, h.Cpu.Mode);
        Assert.Equal(h.End, h.Cpu.PC);
        Assert.Equal(0u, h[0]);
        Assert.Equal("nZCv", h.Flags);
    }

    [Fact]
    public void EretInUserModeIsUndefined()
    {
        var h = Run(CpuModel.CortexA15, Arm + "eret\n", h => h.Cpu.SwitchMode(ProcessorMode.User));
        Assert.Equal(ExceptionKind.Undefined, h.Exception);
    }

    /// <summary>SMC from a privileged mode is the Secure Monitor Call (Monitor mode, as QEMU's vexpress with its default secure=on).</summary>
    [Theory]
    [InlineData(Arm)]
    [InlineData(Thumb)]
    public void SmcFromAPrivilegedModeIsTheSecureMonitorCall(string prefix)
    {
        var h = Run(CpuModel.CortexA9, prefix + "smc #0\n");
        Assert.Equal(ExceptionKind.SecureMonitorCall, h.Exception);
        Assert.Equal(CpuHarness.CodeBase, h.Cpu.PC);
    }

    /// <summary>SMC from User mode is UNDEFINED; no Hyp mode is modelled (QEMU without EL2), so HVC is UNDEFINED in every mode.</summary>
    [Theory]
    [InlineData(Arm + "smc #0\n", ProcessorMode.User)]
    [InlineData(Thumb + "smc #0\n", ProcessorMode.User)]
    [InlineData(Arm + "hvc #0x1234\n", ProcessorMode.Supervisor)]
    [InlineData(Thumb + "hvc #0x1234\n", ProcessorMode.User)]
    public void SmcFromUserAndHvcAreUndefined(string source, ProcessorMode mode)
    {
        var h = Run(CpuModel.CortexA15, source, h => h.Cpu.SwitchMode(mode));
        Assert.Equal(ExceptionKind.Undefined, h.Exception);
        Assert.Equal(CpuHarness.CodeBase, h.Cpu.PC);
    }

    /// <summary>The rows exist where the model has the extension, and nowhere else.</summary>
    [Theory]
    [InlineData(0xE160_0070u, "SMC A1", "arm1176 cortex-a8 cortex-a9 cortex-a15")]
    [InlineData(0xE140_0070u, "HVC A1", "cortex-a15")]
    [InlineData(0xE160_006Eu, "ERET A1", "cortex-a15")]
    [InlineData(0xE101_0200u, "MRS (Banked register) A1", "cortex-a15")] // mrs r0, R9_usr
    [InlineData(0xE121_F200u, "MSR (Banked register) A1", "cortex-a15")] // msr R9_usr, r0
    public void TheRowsFollowTheModelsExtensions(uint word, string name, string models)
    {
        foreach (var model in CpuModel.All)
        {
            var table = ArmDecoder.For(model).Table;
            int row = table.DecodeRow(word);
            if (models.Split(' ').Contains(model.Name)) Assert.Equal(name, row < 0 ? null : table.Rows[row].Name);
            else Assert.True(row < 0, $"{model.Name}: 0x{word:x8} decodes as {(row < 0 ? "" : table.Rows[row].Name)}");
        }
    }
}
