using ArmEmu.Emulator.Devices;

namespace ArmEmu.Emulator.Tests.Devices;

/// <summary>PL190 VIC: registers of DDI0181 Table 3-1, IRQ/FIQ routing, vectored priority logic.</summary>
public class Pl190VicTests
{
    private bool _irq, _fiq;
    private int _irqEdges;
    private readonly Pl190Vic _vic;

    public Pl190VicTests()
    {
        _vic = new Pl190Vic(v => { _irq = v; _irqEdges++; }, v => _fiq = v);
    }

    private uint R(uint offset) => _vic.Read(offset, 4);

    private void W(uint offset, uint value) => _vic.Write(offset, 4, value);

    [Fact]
    public void ResetValues()
    {
        foreach (uint offset in new uint[] { 0x000, 0x004, 0x008, 0x00C, 0x010, 0x018, 0x020, 0x034, 0x300 })
            Assert.Equal(0u, R(offset));
        for (uint i = 0; i < 16; i++)
        {
            Assert.Equal(0u, R(0x100 + 4 * i));
            Assert.Equal(0u, R(0x200 + 4 * i));
        }
        Assert.False(_irq);
        Assert.False(_fiq);
        Assert.Equal(0x1000u, _vic.Size);
    }

    [Fact]
    public void PeripheralAndPrimeCellIds()
    {
        uint[] expected = [0x90, 0x11, 0x04, 0x00, 0x0D, 0xF0, 0x05, 0xB1];
        for (uint i = 0; i < 8; i++) Assert.Equal(expected[i], R(0xFE0 + 4 * i));
    }

    [Fact]
    public void RawInterruptFollowsInputsAndSoftInt()
    {
        _vic.SetInput(4, true);
        W(0x018, 1u << 9);
        Assert.Equal((1u << 4) | (1u << 9), R(0x008));
        Assert.Equal(1u << 9, R(0x018));
        W(0x01C, 1u << 9);
        Assert.Equal(1u << 4, R(0x008));
        _vic.SetInput(4, false);
        Assert.Equal(0u, R(0x008));
    }

    [Fact]
    public void IntEnableSetsAndIntEnClearClearsBits()
    {
        W(0x010, 0x0000_00F0);
        W(0x010, 0x0000_0F00); // writing 0s leaves bits alone
        Assert.Equal(0x0000_0FF0u, R(0x010));
        W(0x014, 0x0000_0030);
        Assert.Equal(0x0000_0FC0u, R(0x010));
        Assert.Equal(0u, R(0x014)); // write-only
    }

    [Fact]
    public void EnabledIrqDrivesIrqOutput()
    {
        _vic.SetInput(12, true);
        Assert.False(_irq); // not enabled
        Assert.Equal(0u, R(0x000));
        W(0x010, 1u << 12);
        Assert.True(_irq);
        Assert.Equal(1u << 12, R(0x000));
        _vic.SetInput(12, false);
        Assert.False(_irq);
        Assert.Equal(0u, R(0x000));
    }

    [Fact]
    public void IntSelectRoutesToFiqWhichIsMaskedByEnable()
    {
        W(0x00C, 1u << 5);
        Assert.Equal(1u << 5, R(0x00C));
        _vic.SetInput(5, true);
        Assert.False(_fiq);      // FIQStatus is masked by VICIntEnable (DDI0181 3.3.2)
        Assert.Equal(0u, R(0x004));
        W(0x010, 1u << 5);
        Assert.True(_fiq);
        Assert.False(_irq);
        Assert.Equal(1u << 5, R(0x004));
        Assert.Equal(0u, R(0x000));
        W(0x00C, 0);
        Assert.False(_fiq);
        Assert.True(_irq);
    }

    [Fact]
    public void SoftIntRaisesIrq()
    {
        W(0x010, 1u << 1);
        W(0x018, 1u << 1);
        Assert.True(_irq);
        W(0x01C, 1u << 1);
        Assert.False(_irq);
    }

    [Fact]
    public void ProtectionAndTestControlKeepBitZero()
    {
        W(0x020, 0xFFFF_FFFF);
        Assert.Equal(1u, R(0x020));
        W(0x300, 0xFFFF_FFFF);
        Assert.Equal(1u, R(0x300));
    }

    [Fact]
    public void VectorRegistersReadBack()
    {
        W(0x034, 0xDEF0);
        W(0x104, 0x1234);
        W(0x13C, 0x5678);
        W(0x204, 0xFFFF_FFFF);
        Assert.Equal(0xDEF0u, R(0x034));
        Assert.Equal(0x1234u, R(0x104));
        Assert.Equal(0x5678u, R(0x13C));
        Assert.Equal(0x3Fu, R(0x204)); // enable bit 5, source 4:0
    }

    [Fact]
    public void NonVectoredIrqReadsDefaultVectorAddress()
    {
        W(0x034, 0xD000);
        W(0x010, 1u << 3);
        _vic.SetInput(3, true);
        Assert.True(_irq);
        Assert.Equal(0xD000u, R(0x030));
        Assert.False(_irq); // in service: masked until VICVectAddr is written
        W(0x030, 0);
        Assert.True(_irq);
    }

    private void SetupVectors()
    {
        W(0x034, 0xD000);
        W(0x100, 0xA000); W(0x200, 0x20 | 4);  // slot 0: timer (source 4), highest priority
        W(0x104, 0xA100); W(0x204, 0x20 | 12); // slot 1: UART (source 12)
        W(0x010, (1u << 4) | (1u << 12) | (1u << 20));
    }

    [Fact]
    public void VectAddrGivesHighestPriorityPendingVector()
    {
        SetupVectors();
        _vic.SetInput(12, true);
        _vic.SetInput(4, true);
        Assert.Equal(0xA000u, R(0x030));
    }

    [Fact]
    public void ReadingVectAddrMasksSameAndLowerPrioritiesUntilWritten()
    {
        SetupVectors();
        _vic.SetInput(12, true);
        Assert.True(_irq);
        Assert.Equal(0xA100u, R(0x030)); // enter the UART's priority (slot 1)
        Assert.False(_irq);             // only slot 0 could interrupt now
        _vic.SetInput(20, true);        // a non-vectored IRQ: lower priority
        Assert.False(_irq);
        _vic.SetInput(4, true);         // slot 0: higher priority, nests
        Assert.True(_irq);
        Assert.Equal(0xA000u, R(0x030));
        Assert.False(_irq);
        _vic.SetInput(4, false);
        W(0x030, 0);                    // end of the timer ISR: back to slot 1
        Assert.False(_irq);
        Assert.Equal(0xA100u, R(0x030)); // still servicing the UART: nothing higher pending
        _vic.SetInput(12, false);
        W(0x030, 0);                    // end of the UART ISR: idle, the non-vectored IRQ shows
        Assert.True(_irq);
        Assert.Equal(0xD000u, R(0x030));
        Assert.False(_irq);             // servicing a non-vectored IRQ masks other non-vectored ones
        _vic.SetInput(12, true);        // but vectored ones interrupt it
        Assert.True(_irq);
    }

    [Fact]
    public void VectorOfADisabledOrFiqSourceIsNotChosen()
    {
        SetupVectors();
        W(0x014, 1u << 4); // disable the timer
        _vic.SetInput(4, true);
        _vic.SetInput(12, true);
        Assert.Equal(0xA100u, R(0x030));
        W(0x030, 0);
        W(0x010, 1u << 4);
        W(0x00C, 1u << 4); // timer as FIQ
        Assert.Equal(0xA100u, R(0x030));
        Assert.True(_fiq);
    }

    [Fact]
    public void DisabledVectorSlotIsNonVectored()
    {
        SetupVectors();
        W(0x200, 4); // slot 0 without its enable bit
        _vic.SetInput(4, true);
        Assert.Equal(0xD000u, R(0x030));
    }

    [Fact]
    public void WritingVectAddrWhenIdleIsHarmless()
    {
        SetupVectors();
        W(0x030, 0);
        W(0x030, 0);
        _vic.SetInput(12, true);
        Assert.True(_irq);
        Assert.Equal(0xA100u, R(0x030));
    }

    [Fact]
    public void OutputCallbacksFireOnlyOnChange()
    {
        W(0x010, 0xFFFF_FFFF);
        _vic.SetInput(1, true);
        _vic.SetInput(2, true);
        _vic.SetInput(1, false);
        Assert.Equal(1, _irqEdges);
    }

    [Fact]
    public void ResetClearsProgrammingButKeepsInputs()
    {
        SetupVectors();
        _vic.SetInput(4, true);
        Assert.Equal(0xA000u, R(0x030));
        _vic.Reset();
        Assert.Equal(0u, R(0x010));
        Assert.Equal(0u, R(0x100));
        Assert.Equal(1u << 4, R(0x008));
        Assert.False(_irq);
        W(0x010, 1u << 4);
        Assert.True(_irq); // priority is idle again
    }

    [Fact]
    public void ByteReadsSelectTheLane()
    {
        W(0x104, 0x1234_5678);
        Assert.Equal(0x56u, _vic.Read(0x105, 1));
        Assert.Equal(0x1234u, _vic.Read(0x106, 2));
    }

    [Fact]
    public void UnknownOffsetsReadZeroAndAreTracedOnce()
    {
        var log = new StringWriter();
        var vic = new Pl190Vic(_ => { }, _ => { }, new MmioTrace(log));
        Assert.Equal(0u, vic.Read(0x400, 4));
        vic.Read(0x400, 4);
        vic.Write(0x400, 4, 1);
        Assert.Equal(2, log.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Contains("pl190", log.ToString());
    }
}
