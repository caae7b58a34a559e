using ArmEmu.Emulator.Devices;

namespace ArmEmu.Emulator.Tests.Devices;

/// <summary>
/// The A9 MPCore GIC (<see cref="ArmGic"/>) for one CPU, hand-computed against the GIC v1
/// specification (IHI 0048A 3.3-3.5, 4.3, 4.4) and QEMU 7.2's a9mpcore values.
/// </summary>
public sealed class ArmGicTests
{
    private bool _irq, _fiq;
    private readonly ArmGic _gic;

    public ArmGicTests() => _gic = new ArmGic(l => _irq = l, l => _fiq = l);

    private uint D(uint offset) => _gic.Distributor.Read(offset, 4);
    private void D(uint offset, uint value) => _gic.Distributor.Write(offset, 4, value);
    private uint C(uint offset) => _gic.CpuInterface.Read(offset, 4);
    private void C(uint offset, uint value) => _gic.CpuInterface.Write(offset, 4, value);

    private void EnableAll(uint pmr = 0xF8)
    {
        D(0x000, 1);
        C(0x00, 1);
        C(0x04, pmr);
    }

    [Fact]
    public void ResetStateAndIdentification()
    {
        Assert.Equal(0x402u, D(0x004));           // 96 interrupts (ITLinesNumber 2), one CPU, SecurityExtn
        Assert.Equal(0x43Bu, D(0x008));
        Assert.Equal(0x0001_043Bu, C(0xFC));
        Assert.Equal(0x0000_FFFFu, D(0x100));     // SGIs enabled
        Assert.Equal(0xAAAA_AAAAu, D(0xC00));     // SGIs edge-triggered
        Assert.Equal(0xFFu, C(0x14));             // idle running priority
        Assert.Equal(1023u, C(0x18));
        Assert.Equal(1023u, C(0x0C));
        Assert.Equal(0x90u, D(0xFE0));
        Assert.Equal(0xB1u, D(0xFFC));
    }

    [Fact]
    public void PrioritiesKeepFiveBitsAndTargetsAreRazWi()
    {
        D(0x420, 0x1234_5678);
        Assert.Equal(0x1030_5078u, D(0x420));
        Assert.Equal(0x78u, _gic.Distributor.Read(0x420, 1));
        D(0x820, 0x0101_0101);
        Assert.Equal(0u, D(0x820));
        D(0x180, 0xFFFF_FFFF);                    // SGIs cannot be disabled
        Assert.Equal(0x0000_FFFFu, D(0x100));
    }

    [Fact]
    public void LevelSpiIsSignalledAcknowledgedAndCompleted()
    {
        EnableAll();
        D(0x440, 0xC0);                           // priority of 64
        D(0x108, 1);                              // enable 64
        _gic.SetInput(64, true);
        Assert.True(_irq);
        Assert.Equal(64u, C(0x18));
        Assert.Equal(64u, C(0x0C));               // acknowledge: active, running priority 0xC0
        Assert.False(_irq);
        Assert.Equal(0xC0u, C(0x14));
        Assert.Equal(1u, D(0x308));
        Assert.Equal(1023u, C(0x0C));             // an active interrupt is not acknowledged again
        C(0x10, 64);                              // end of interrupt while the line is still high: pending again
        Assert.True(_irq);
        _gic.SetInput(64, false);
        Assert.False(_irq);                       // level-sensitive: not pending once the line drops
        Assert.Equal(0u, D(0x208));
        Assert.Equal(0xFFu, C(0x14));
    }

    [Fact]
    public void EdgeInterruptStaysPendingAfterItsPulse()
    {
        EnableAll();
        D(0xC10, 2);                              // 64 edge-triggered (ICDICFR4, field 0)
        D(0x108, 1);
        _gic.SetInput(64, true);
        _gic.SetInput(64, false);
        Assert.True(_irq);
        Assert.Equal(1u, D(0x208));
        D(0x288, 1);                              // clear pending
        Assert.False(_irq);
    }

    [Fact]
    public void PriorityMaskAndPreemptionWithTheBinaryPoint()
    {
        EnableAll(pmr: 0x80);
        D(0x400, 0x0000_8070);                    // SGI 0 at 0x70, SGI 1 at 0x80
        D(0xF00, 2u << 24 | 1);                   // SGI 1 to this CPU
        Assert.False(_irq);                       // 0x80 is not below PMR 0x80
        Assert.Equal(1023u, C(0x0C));
        C(0x04, 0x88);
        Assert.True(_irq);
        Assert.Equal(1u, C(0x0C));                // source CPU 0 in [12:10]
        D(0xF00, 2u << 24 | 0);                   // SGI 0 (0x70) preempts 0x80 with BPR 0
        Assert.True(_irq);
        Assert.Equal(0u, C(0x0C));
        Assert.Equal(0x70u, C(0x14));
        C(0x10, 0);
        Assert.Equal(0x80u, C(0x14));             // back to the preempted interrupt's priority
        C(0x10, 1);
        Assert.Equal(0xFFu, C(0x14));
        // BPR 3: group priority is [7:4]; 0x70 cannot preempt a running 0x78.
        C(0x08, 3);
        C(0x04, 0xF8);
        D(0x404, 0x0000_7078);                    // SGI 4 at 0x78, SGI 5 at 0x70
        D(0xF00, 2u << 24 | 4);
        Assert.Equal(4u, C(0x0C));
        Assert.Equal(0x70u, C(0x14));
        D(0xF00, 2u << 24 | 5);
        Assert.False(_irq);
        Assert.Equal(1023u, C(0x0C));
        C(0x10, 4);
        Assert.Equal(5u, C(0x0C));
    }

    [Fact]
    public void SgiFiltersAndSpuriousEoi()
    {
        EnableAll();
        D(0xF00, 1u << 24 | 2);                   // every CPU but this one: nobody
        Assert.False(_irq);
        D(0xF00, 0u << 24 | 0x2_0000 | 2);        // target list without CPU 0
        Assert.False(_irq);
        D(0xF00, 0u << 24 | 0x1_0000 | 2);        // target list with CPU 0
        Assert.True(_irq);
        C(0x10, 1023);                            // spurious EOI: ignored
        Assert.True(_irq);
    }

    [Fact]
    public void DisabledDistributorOrCpuInterfaceSignalsNothing()
    {
        D(0x108, 1);
        _gic.SetInput(64, true);
        C(0x00, 1);
        C(0x04, 0xF8);
        Assert.False(_irq);
        D(0x000, 1);
        Assert.True(_irq);
        C(0x00, 0);
        Assert.False(_irq);
    }

    [Fact]
    public void GroupZeroGoesToFiqWithFiqEnAndGroupOneNeedsAckCtl()
    {
        D(0x000, 3);
        C(0x04, 0xF8);
        D(0x108, 3);                              // 64, 65 enabled
        D(0x088, 2);                              // 65 in group 1
        C(0x00, 1 | 8);                           // group 0 enabled, FIQEn
        _gic.SetInput(64, true);
        Assert.True(_fiq);
        Assert.False(_irq);
        _gic.SetInput(64, false);
        _gic.SetInput(65, true);
        Assert.False(_irq);                       // group 1 not enabled in the CPU interface
        C(0x00, 1 | 2 | 8);
        Assert.True(_irq);
        Assert.Equal(1022u, C(0x0C));             // a Secure acknowledge of group 1 without AckCtl
        C(0x00, 1 | 2 | 4 | 8);
        Assert.Equal(65u, C(0x0C));
    }
}
