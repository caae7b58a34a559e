using ArmEmu.Cpu.Coprocessors;
using ArmEmu.Emulator.Boards;
using ArmEmu.Memory;
using ArmEmu.Memory.Caches;
using ArmEmu.TestSupport;

namespace ArmEmu.Emulator.Tests.Boards;

/// <summary>
/// The vexpress-a9 board's wiring (QEMU 7.2's legacy map) and its command line: what is mapped
/// where, the cache model behind CP15 and the PL310, the start state, and bad input given one
/// line and a defined status.
/// </summary>
public sealed class VexpressA9BoardTests
{
    private static uint Read(PhysicalBus bus, uint pa)
    {
        Assert.True(bus.TryRead(pa, 4, out uint value), $"nothing answers at 0x{pa:x8}");
        return value;
    }

    [Fact]
    public void TheMapAsQemuLaysItOut()
    {
        using var board = new VexpressA9(new VexpressA9Options { MemorySize = 16 << 20 });
        Assert.Equal(0x6000_0000u, board.Ram.Base);
        Assert.Equal(0x1190_F500u, Read(board.Bus, 0x1000_0000));            // SYS_ID
        Assert.Equal(0x11u, Read(board.Bus, 0x1000_9FE0) & 0xFF);            // UART0 PL011 PeriphID0
        Assert.Equal(0x04u, Read(board.Bus, 0x1001_1FE0));                   // SP804
        Assert.Equal(0x31u, Read(board.Bus, 0x1001_7FE0));                   // PL031
        Assert.Equal(0x11u, Read(board.Bus, 0x1002_0FE0));                   // PL111
        Assert.Equal(0x10u, Read(board.Bus, 0x1E00_0004));                   // SCU configuration
        Assert.Equal(0x402u, Read(board.Bus, 0x1E00_1004));                  // GIC distributor type
        Assert.Equal(0x4100_00C8u, Read(board.Bus, 0x1E00_A000));            // PL310 CACHE_ID
        Assert.Equal(0u, Read(board.Bus, 0x1000_5000));                      // PL181, not modelled: zero
        Assert.Equal(0u, Read(board.Bus, 0x1000_1000));                      // SP810, unassigned: zero, as QEMU
        Assert.Equal(0u, Read(board.Bus, 0x2000_0000));                      // nothing there: zero, no bus error
        Assert.True(board.Bus.TryWrite(0x2000_0000, 4, 0xdead));             // and writes are ignored
        Assert.Equal(0x1E00_0000u, board.Cp15.Lookup(15, 4, 0, 0)!.Read!(board.Cp15)); // CBAR
    }

    [Fact]
    public void StartsInSecureSvcWithInterruptsMaskedAndTheMmuAndCachesOff()
    {
        using var board = new VexpressA9(new VexpressA9Options { MemorySize = 16 << 20 });
        board.LoadRaw([0xFE, 0xFF, 0xFF, 0xEA], 0x6000_0000, 0x6000_0000); // b .
        Assert.Equal(0x6000_0000u, board.Cpu.PC);
        Assert.Equal(0xD3u, board.Cpu.Cpsr & 0xFF);
        Assert.False(board.Mmu.Enabled);
        Assert.False(board.Caches!.DataCacheEnabled);
        Assert.Equal(MachineStop.Spinning, board.Run(10_000));
    }

    [Fact]
    public void SctlrReachesTheL1CachesAndCcsidrReportsTheirGeometry()
    {
        using var board = new VexpressA9(new VexpressA9Options { MemorySize = 16 << 20 });
        Assert.True(board.Cp15.Mcr(board.Cpu, 0, 1, 0, 0, board.Cp15.Control | V7Cp15.ControlC | V7Cp15.ControlI));
        Assert.True(board.Caches!.DataCacheEnabled);
        Assert.True(board.Caches.InstructionCacheEnabled);
        Assert.True(board.Cp15.Mcr(board.Cpu, 2, 0, 0, 0, 0));
        Assert.True(board.Cp15.Mrc(board.Cpu, 1, 0, 0, 0, out uint ccsidr));
        Assert.Equal(0xE00F_E019u, ccsidr);                                   // QEMU's cortex-a9 L1 D
    }

    /// <summary>
    /// --dcache/--icache change CCSIDR with the geometry, so that a set/way loop covers exactly
    /// the lines that exist: a 32 KiB 8-way D-cache and a 64 KiB 4-way I-cache, hand-encoded
    /// (B4.1.19: WT WB RA WA [31:28], NumSets - 1 [27:13], Associativity - 1 [12:3], LineSize [2:0]).
    /// </summary>
    [Fact]
    public void CcsidrFollowsTheConfiguredGeometry()
    {
        var caches = CacheModelOptions.CortexA9 with
        {
            DataCache = CacheConfig.Parse("32K,8,32", CacheConfig.CortexA9Data),
            InstructionCache = CacheConfig.Parse("64K,4,32", CacheConfig.CortexA9Instruction),
        };
        using var board = new VexpressA9(new VexpressA9Options { MemorySize = 16 << 20, Caches = caches });
        Assert.True(board.Cp15.Mcr(board.Cpu, 2, 0, 0, 0, 0));
        Assert.True(board.Cp15.Mrc(board.Cpu, 1, 0, 0, 0, out uint data));
        Assert.Equal(0xE000_0000u | 127u << 13 | 7u << 3 | 1u, data);     // 128 sets, 8 ways, 32-byte lines
        Assert.True(board.Cp15.Mcr(board.Cpu, 2, 0, 0, 0, 1));
        Assert.True(board.Cp15.Mrc(board.Cpu, 1, 0, 0, 0, out uint code));
        Assert.Equal(0x2000_0000u | 511u << 13 | 3u << 3 | 1u, code);     // 512 sets, 4 ways
    }

    [Fact]
    public void WithoutTheCacheModelCp15OperationsStillWork()
    {
        using var board = new VexpressA9(new VexpressA9Options { MemorySize = 16 << 20, Caches = Memory.Caches.CacheModelOptions.CortexA9 with { Enabled = false } });
        Assert.Null(board.Caches);
        Assert.True(board.Cp15.Mcr(board.Cpu, 0, 7, 14, 2, 0));              // DCCISW: nothing to do
        Assert.True(board.Cp15.Mrc(board.Cpu, 1, 0, 0, 0, out uint ccsidr));
        Assert.Equal(0xE00F_E019u, ccsidr);                                   // the model's value
    }

    [Fact]
    public void OnlyACortexA9AndAtMostOneGibibyte()
    {
        Assert.Throws<ArgumentException>(() => new VexpressA9(new VexpressA9Options { Cpu = Cpu.CpuModel.Arm926 }));
        Assert.Throws<ArgumentException>(() => new VexpressA9(new VexpressA9Options { MemorySize = (1u << 30) + 4096 }));
    }

    [Fact]
    public void MachineHelpListsTheBoards()
    {
        var r = ArmEmuCli.Run(["system", "--machine", "help"]);
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("versatilepb", r.StdoutText);
        Assert.Contains("vexpress-a9", r.StdoutText);
    }

    [Theory]
    [InlineData(2, "--cpu", "arm926")]
    [InlineData(2, "--memory", "2G")]
    [InlineData(2, "--machine", "realview-pbx-a9")]
    public void BadCommandLinesGiveOneLineAndStatus2(int status, string option, string value)
    {
        string[] args = option == "--machine" ? ["system", option, value, "x.elf"] : ["system", "--machine", "vexpress-a9", option, value, "x.elf"];
        var r = ArmEmuCli.Run(args);
        Assert.Equal(status, r.ExitCode);
        string line = Assert.Single(r.StderrText.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("armemu: ", line);
    }

    [Fact]
    public void AnImageOutsideRamIsALoadFailure()
    {
        string path = Path.Combine(Path.GetTempPath(), $"armemu-vexpress-{Guid.NewGuid():N}.bin");
        File.WriteAllBytes(path, [0xFE, 0xFF, 0xFF, 0xEA]);
        try
        {
            var r = ArmEmuCli.Run(["system", "--machine", "vexpress-a9", "--load-addr", "0x10000", path]);
            Assert.Equal(1, r.ExitCode);
            Assert.Contains("does not fit in RAM", r.StderrText);
            var spin = ArmEmuCli.Run(["system", "--machine", "vexpress-a9", path]); // booted as QEMU boots a kernel: at 0x60010000 through the stub
            Assert.Equal(123, spin.ExitCode);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
