using ArmEmu.Cpu.Coprocessors;
using ArmEmu.Emulator.Boards;

namespace ArmEmu.Emulator.Tests.Boards;

/// <summary>CP15 reaches the board's cache model: SCTLR.C/I enable the caches, c9 locks ways.</summary>
public class VersatilePbCacheWiringTests
{
    [Fact]
    public void C9LockdownLocksTheWaysItNames()
    {
        using var board = new VersatilePb(new VersatilePbOptions { MemorySize = 1 << 20 });
        Assert.True(board.Cp15.Mcr(board.Cpu, 0, 9, 0, 0, 0x3));   // D: ways 0 and 1
        Assert.True(board.Cp15.Mcr(board.Cpu, 0, 9, 0, 1, 0x8));   // I: way 3
        Assert.Equal(0x3u, board.Caches!.DataCache!.LockdownMask);
        Assert.Equal(0x8u, board.Caches.InstructionCache!.LockdownMask);
        board.Cp15.Reset();
        Assert.Equal(0u, board.Caches.DataCache.LockdownMask);
    }

    [Fact]
    public void SctlrCAndIEnableTheCaches()
    {
        using var board = new VersatilePb(new VersatilePbOptions { MemorySize = 1 << 20 });
        Assert.False(board.Caches!.DataCacheEnabled);
        Assert.False(board.Caches.InstructionCacheEnabled);
        Assert.True(board.Cp15.Mcr(board.Cpu, 0, 1, 0, 0, board.Cp15.Control | Arm926Cp15.ControlC | Arm926Cp15.ControlI));
        Assert.True(board.Caches.DataCacheEnabled);
        Assert.True(board.Caches.InstructionCacheEnabled);
    }
}
