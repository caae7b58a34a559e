using ArmEmu.Emulator.Boards;
using ArmEmu.Memory;

namespace ArmEmu.Emulator.Tests.Boards;

/// <summary>
/// The Cortex-A9 PMU on the vexpress-a9 board: its overflow interrupt is SPI 60 (GIC ID 92), the
/// CoreTile's nPMUIRQ for CPU 0, found on the cycle the counter wraps even while the core sits
/// in a loop that touches no PMU register; its cache events follow the board's cache model.
/// </summary>
public sealed class VexpressA9PmuTests
{
    private const uint Gicd = VexpressA9.PrivateBase + 0x1000, Gicc = VexpressA9.PrivateBase + 0x100;

    private static void Write(PhysicalBus bus, uint pa, uint value) => Assert.True(bus.TryWrite(pa, 4, value), $"nothing answers at 0x{pa:x8}");

    private static uint Read(PhysicalBus bus, uint pa)
    {
        Assert.True(bus.TryRead(pa, 4, out uint value), $"nothing answers at 0x{pa:x8}");
        return value;
    }

    private static void Cp15Write(VexpressA9 board, int crn, int opc1, int crm, int opc2, uint value) =>
        Assert.True(board.Cp15.Mcr(board.Cpu, opc1, crn, crm, opc2, value));

    [Fact]
    public void TheCycleCounterOverflowInterruptsThroughGicId92()
    {
        using var board = new VexpressA9(new VexpressA9Options { MemorySize = 16 << 20 });
        // 0x60000000: CPSIE i; b .   0x60000018 (the IRQ vector, VBAR = 0x60000000): b .
        byte[] image = new byte[0x20];
        BitConverter.GetBytes(0xF108_0080u).CopyTo(image, 0);
        BitConverter.GetBytes(0xEAFF_FFFEu).CopyTo(image, 4);
        BitConverter.GetBytes(0xEAFF_FFFEu).CopyTo(image, 0x18);
        board.LoadRaw(image, 0x6000_0000, 0x6000_0000);
        Cp15Write(board, 12, 0, 0, 0, 0x6000_0000);                     // VBAR
        Write(board.Bus, Gicd + 0x000, 1);                               // ICDDCR
        Write(board.Bus, Gicd + 0x108, 1u << (92 - 64));                 // ICDISER2: ID 92
        Write(board.Bus, Gicd + 0x85C, 0x0101_0101);                     // ICDIPTR: IDs 92-95 to CPU 0
        Write(board.Bus, Gicc + 0x000, 1);                               // ICCICR
        Write(board.Bus, Gicc + 0x004, 0xF0);                            // ICCPMR
        Cp15Write(board, 9, 0, 13, 0, 0xFFFF_FF00);                      // PMCCNTR: 256 cycles from wrapping
        Cp15Write(board, 9, 0, 12, 1, 1u << 31);                         // PMCNTENSET.C
        Cp15Write(board, 9, 0, 14, 1, 1u << 31);                         // PMINTENSET.C
        ulong armed = board.Clock.Now;
        Cp15Write(board, 9, 0, 12, 0, 1);                                // PMCR.E

        board.Run(200);
        Assert.Equal(0x13u, board.Cpu.Cpsr & 0x1F);                      // still in SVC: 200 cycles in
        Assert.False(board.Cpu.IrqLine);
        board.Run(300);                                                  // (an instruction total, not a count more)
        Assert.Equal(0x12u, board.Cpu.Cpsr & 0x1F);                      // IRQ mode
        Assert.Equal(0x6000_0018u, board.Cpu.PC);
        Assert.True(board.Cp15.Mrc(board.Cpu, 0, 9, 12, 3, out uint pmovsr));
        Assert.Equal(1u << 31, pmovsr);
        Assert.Equal(92u, Read(board.Bus, Gicc + 0x00C) & 0x3FF);        // ICCIAR
        Assert.True(board.Clock.Now - armed >= 256);
        Cp15Write(board, 9, 0, 12, 3, 1u << 31);                         // PMOVSR cleared: the line drops
        Write(board.Bus, Gicc + 0x010, 92);                              // ICCEOIR
        Assert.False(board.Cpu.IrqLine);
    }

    [Fact]
    public void CacheEventsAreTheL1CachesCounters()
    {
        using var board = new VexpressA9(new VexpressA9Options { MemorySize = 16 << 20 });
        var pmu = board.Cp15.Pmu;
        Cp15Write(board, 9, 0, 12, 5, 0);
        Cp15Write(board, 9, 0, 13, 1, 0x04);                             // counter 0: L1 D access
        Cp15Write(board, 9, 0, 12, 5, 1);
        Cp15Write(board, 9, 0, 13, 1, 0x03);                             // counter 1: L1 D refill
        Cp15Write(board, 9, 0, 12, 5, 2);
        Cp15Write(board, 9, 0, 13, 1, 0x01);                             // counter 2: L1 I refill
        Cp15Write(board, 9, 0, 12, 1, 7);
        Cp15Write(board, 9, 0, 12, 0, 1);
        var d = board.Caches!.DataCache!.Counters;
        var i = board.Caches.InstructionCache!.Counters;
        d.Reads += 40; d.Writes += 2; d.LineFills += 5; i.LineFills += 3;
        Cp15Write(board, 9, 0, 12, 5, 0);
        Assert.Equal(42u, pmu.SelectedCount);
        Cp15Write(board, 9, 0, 12, 5, 1);
        Assert.Equal(5u, pmu.SelectedCount);
        Cp15Write(board, 9, 0, 12, 5, 2);
        Assert.Equal(3u, pmu.SelectedCount);
    }
}
