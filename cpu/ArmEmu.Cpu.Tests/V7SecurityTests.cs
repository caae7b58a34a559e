using ArmEmu.Cpu.Coprocessors;
using ArmEmu.Memory;
using ArmEmu.Memory.Mmu;

namespace ArmEmu.Cpu.Tests;

/// <summary>
/// The Security Extensions on an ARMv7 core (ARM ARM DDI 0406C B1.5, B3.12): Monitor mode and
/// its banked SP/LR/SPSR, SMC, IRQ/FIQ routed by SCR to MVBAR, the CP15 registers banked per
/// security state (MRC/MCR reach SCR.NS's copy, the machine runs with its state's copy), the
/// Secure-only registers, with expectations written out by hand.
/// </summary>
public sealed class V7SecurityTests : IDisposable
{
    private readonly PhysicalBus _bus = new();
    private readonly ArmV7Mmu _mmu;
    private readonly MemoryPort _port;
    private readonly Cpu _cpu;
    private readonly V7Cp15 _cp15;

    public V7SecurityTests()
    {
        _bus.AddRam(0, 1 << 20);
        _mmu = new ArmV7Mmu(_bus);
        _port = new MemoryPort(_bus, _mmu);
        _cpu = new Cpu(CpuModel.CortexA9, _port);
        _cp15 = new V7Cp15(CpuModel.CortexA9, _mmu);
        _cp15.Attach(_cpu);
        _cpu.SwitchMode(ProcessorMode.Supervisor);
    }

    public void Dispose()
    {
        _port.Dispose();
        _bus.Dispose();
    }

    private uint Read(int crn, int opc1, int crm, int opc2)
    {
        Assert.True(_cp15.Mrc(_cpu, opc1, crn, crm, opc2, out uint v), $"MRC p15, {opc1}, c{crn}, c{crm}, {opc2} refused");
        return v;
    }

    private void Write(int crn, int opc1, int crm, int opc2, uint value) =>
        Assert.True(_cp15.Mcr(_cpu, opc1, crn, crm, opc2, value), $"MCR p15, {opc1}, c{crn}, c{crm}, {opc2} refused");

    private const uint ScrNs = 1, ScrIrq = 2;

    [Fact]
    public void MonitorModeHasItsOwnStackPointerLinkRegisterAndSpsr()
    {
        _cpu.R[13] = 0x5000;
        _cpu.R[14] = 0x5004;
        _cpu.WriteCpsr(0x1D6, 0xFF);                          // MSR to Monitor from Secure SVC
        Assert.Equal(ProcessorMode.Monitor, _cpu.Mode);
        _cpu.R[13] = 0x6000;
        _cpu.Spsr = 0x1D3;
        _cpu.WriteCpsr(0x1D3, 0xFF);
        Assert.Equal(0x5000u, _cpu.R[13]);
        Assert.Equal(0x5004u, _cpu.R[14]);
        Assert.Equal(0x6000u, _cpu.GetBankedRegister(ProcessorMode.Monitor, 13));
        Assert.Equal(0x1D3u, _cpu.GetSpsr(ProcessorMode.Monitor));
    }

    [Fact]
    public void MonitorModeCannotBeEnteredFromNonSecureOrWithoutTheExtensions()
    {
        Write(1, 0, 1, 0, ScrNs);
        Assert.False(_cpu.IsSecure);
        _cpu.WriteCpsr(0x1D6, 0xFF);
        Assert.Equal(ProcessorMode.Supervisor, _cpu.Mode);    // ignored, as QEMU's bad_mode_switch
        using var bus = new PhysicalBus();
        using var port = new MemoryPort(bus, new ArmV7Mmu(bus));
        var arm926 = new Cpu(CpuModel.Arm926, port);
        arm926.WriteCpsr(0x1D6, 0xFF);
        Assert.NotEqual(ProcessorMode.Monitor, arm926.Mode);
    }

    /// <summary>
    /// CPS #0x16 (A1 F1020016, T2 F3AF 8116) enters Monitor mode from Secure SVC, with Monitor's
    /// own SP and LR; from the Non-secure state it is ignored, as MSR is (B1.3.1; QEMU's
    /// bad_mode_switch). SRS to Monitor's stack follows the same rule.
    /// </summary>
    [Fact]
    public void CpsEntersMonitorModeOnlyFromSecure()
    {
        _cpu.R[13] = 0x5000;
        _cpu.SetBankedRegister(ProcessorMode.Monitor, 13, 0x7000);
        Interpreter.ProcessorState.CpsA1(_cpu, 0xF102_0016);
        Assert.Equal(ProcessorMode.Monitor, _cpu.Mode);
        Assert.Equal(0x7000u, _cpu.R[13]);
        Interpreter.ProcessorState.CpsA1(_cpu, 0xF102_0013);
        Assert.Equal(ProcessorMode.Supervisor, _cpu.Mode);
        Assert.Equal(0x5000u, _cpu.R[13]);
        Interpreter.ProcessorState.CpsT2(_cpu, 0xF3AF_8116);
        Assert.Equal(ProcessorMode.Monitor, _cpu.Mode);
        Interpreter.ProcessorState.CpsT2(_cpu, 0xF3AF_8113);
        Assert.Equal(ProcessorMode.Supervisor, _cpu.Mode);

        // SRSDB SP!, #0x16 (A1 F96D0516): LR and SPSR onto Monitor's stack, its SP written back.
        _cpu.R[14] = 0x1234;
        _cpu.Spsr = 0x1D3;
        Interpreter.ProcessorState.SrsA1(_cpu, 0xF96D_0516);
        Assert.Equal(0x6FF8u, _cpu.GetBankedRegister(ProcessorMode.Monitor, 13));
        Assert.Equal(0x1234u, _port.Read32(0x6FF8));
        Assert.Equal(0x1D3u, _port.Read32(0x6FFC));

        Write(1, 0, 1, 0, ScrNs);
        Interpreter.ProcessorState.CpsA1(_cpu, 0xF102_0016);
        Assert.Equal(ProcessorMode.Supervisor, _cpu.Mode);    // Non-secure: ignored
        Interpreter.ProcessorState.CpsT2(_cpu, 0xF3AF_8116);
        Assert.Equal(ProcessorMode.Supervisor, _cpu.Mode);
    }

    [Fact]
    public void SmcEntersMonitorModeAtMvbarPlus8MaskingEverything()
    {
        Write(12, 0, 0, 1, 0x8000);                           // MVBAR
        _cpu.WriteCpsr(0x013, 0x1FF);                         // SVC, A/I/F open
        // The exception entry an SMC at 0x1000 makes (LR = the SMC + 4).
        _cpu.EnterException(ExceptionKind.SecureMonitorCall, 0x1004);
        Assert.Equal(ProcessorMode.Monitor, _cpu.Mode);
        Assert.Equal(0x1004u, _cpu.R[14]);
        Assert.Equal(0x013u, _cpu.Spsr & 0x1FF);
        Assert.Equal(0x1D6u, _cpu.Cpsr & 0x1FF);               // A, I, F masked
        Assert.True(_cpu.IsSecure);
    }

    [Fact]
    public void IrqRoutedByScrGoesToMonitorModeAndIsSecure()
    {
        Write(12, 0, 0, 1, 0x8000);
        Write(12, 0, 0, 0, 0x4000);                           // Secure VBAR
        Write(1, 0, 1, 0, ScrNs | ScrIrq);
        Assert.False(_cpu.IsSecure);
        _cpu.EnterException(ExceptionKind.Irq, 0x2004);
        Assert.Equal(ProcessorMode.Monitor, _cpu.Mode);
        Assert.True(_cpu.IsSecure);                           // Monitor mode: Secure whatever SCR.NS says
        Write(1, 0, 1, 0, 0);
        _cpu.WriteCpsr(0x1D3, 0xFF);
        _cpu.EnterException(ExceptionKind.Irq, 0x3004);        // not routed: IRQ mode at VBAR + 0x18
        Assert.Equal(ProcessorMode.Irq, _cpu.Mode);
    }

    [Fact]
    public void BankedRegistersFollowScrNsAndTheMachineRunsWithItsStatesCopy()
    {
        Write(2, 0, 0, 0, 0x0001_0000);                       // Secure TTBR0
        Write(13, 0, 0, 4, 0x5EC);                            // Secure TPIDRPRW
        _cpu.WriteCpsr(0x1D6, 0xFF);                          // Monitor
        Write(1, 0, 1, 0, ScrNs);                             // selects the Non-secure copies; still Secure
        Assert.True(_cpu.IsSecure);
        Write(2, 0, 0, 0, 0x0002_0000);
        Write(13, 0, 0, 4, 0x0E5E);
        Assert.Equal(0x0001_0000u, _mmu.Ttbr0);               // the Secure copy is in force in Monitor mode
        Assert.Equal(0x0002_0000u, Read(2, 0, 0, 0));
        Write(1, 0, 1, 0, 0);
        Assert.Equal(0x0001_0000u, Read(2, 0, 0, 0));
        Assert.Equal(0x5ECu, Read(13, 0, 0, 4));
        Write(1, 0, 1, 0, ScrNs);
        _cpu.WriteCpsr(0x1D3, 0xFF);                          // leave Monitor: Non-secure SVC
        Assert.False(_cpu.IsSecure);
        Assert.Equal(0x0002_0000u, _mmu.Ttbr0);               // the Non-secure copy now runs
        Assert.Equal(0x0E5Eu, Read(13, 0, 0, 4));
        Assert.Equal(0x0002_0000u, Read(2, 0, 0, 0));
    }

    [Fact]
    public void SecureOnlyRegistersAreUndefinedFromNonSecureAndNsacrIsReadOnly()
    {
        Write(1, 0, 1, 0, ScrNs);
        Assert.False(_cp15.Mrc(_cpu, 0, 1, 1, 0, out _));     // SCR
        Assert.False(_cp15.Mcr(_cpu, 0, 1, 1, 0, 0));
        Assert.False(_cp15.Mrc(_cpu, 0, 1, 1, 1, out _));     // SDER
        Assert.False(_cp15.Mrc(_cpu, 0, 12, 0, 1, out _));    // MVBAR
        Assert.True(_cp15.Mrc(_cpu, 0, 1, 1, 2, out _));      // NSACR: read
        Assert.False(_cp15.Mcr(_cpu, 0, 1, 1, 2, 0xC00));     // and no write
        Assert.Equal(0x410F_C090u, Read(0, 0, 0, 0));         // MIDR: common
    }

    [Fact]
    public void AnAbortTakenInNonSecureSetsTheNonSecureFaultRegisters()
    {
        Write(5, 0, 0, 0, 0x5);                               // Secure DFSR
        Write(1, 0, 1, 0, ScrNs);
        _cp15.RecordAbort(new MemoryFault(0x1001, AccessKind.Read, FaultKind.Alignment), prefetch: false);
        Assert.Equal(0x001u, Read(5, 0, 0, 0));
        Assert.Equal(0x1001u, Read(6, 0, 0, 0));
        _cpu.WriteCpsr(0x1D6, 0xFF);                          // not allowed from Non-secure: stays in SVC
        Assert.Equal(ProcessorMode.Supervisor, _cpu.Mode);
        _cpu.EnterException(ExceptionKind.SecureMonitorCall, 0);
        Write(1, 0, 1, 0, 0);
        Assert.Equal(0x5u, Read(5, 0, 0, 0));                 // the Secure copy untouched
    }
}
