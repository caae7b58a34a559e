using ArmEmu.Cpu;
using ArmEmu.Memory;

namespace ArmEmu.Emulator.Tests.Api;

/// <summary>Memory mapping, registers by name and contexts through the embedding API.</summary>
public class MachineApiTests
{
    private const uint Code = 0x1_0000;

    private static Emulator WithCode(string cpu, string asm)
    {
        var emu = Emulator.Create(cpu);
        emu.MapMemory(Code, 0x1_0000);
        emu.WriteMemory(Code, emu.Assemble(asm, Code));
        return emu;
    }

    [Fact]
    public void PartialUnmapLeavesTheRestMappedAndRegionsSayWhich()
    {
        using var emu = Emulator.Create();
        emu.MapMemory(0x10_0000, 0x4000);
        emu.WriteWord(0x10_0000, 1);
        emu.WriteWord(0x10_3000, 4);
        emu.UnmapMemory(0x10_1000, 0x2000);
        Assert.Equal([new MemoryRegion(0x10_0000, 0x1000, Permission.All), new MemoryRegion(0x10_3000, 0x1000, Permission.All)], emu.Regions);
        Assert.Equal(1u, emu.ReadWord(0x10_0000));
        Assert.Equal(4u, emu.ReadWord(0x10_3000));
        Assert.Throws<ArgumentException>(() => emu.ReadWord(0x10_1000));

        // Mapping the hole again gives zeroed memory; protecting part of it splits the region.
        emu.MapMemory(0x10_1000, 0x2000);
        Assert.Equal(0u, emu.ReadWord(0x10_1000));
        emu.ProtectMemory(0x10_2000, 0x1000, Permission.Read);
        Assert.Equal([new MemoryRegion(0x10_0000, 0x2000, Permission.All), new MemoryRegion(0x10_2000, 0x1000, Permission.Read),
                      new MemoryRegion(0x10_3000, 0x1000, Permission.All)], emu.Regions);
        // Mapped pages cannot be mapped twice; unmapped ones cannot be unmapped.
        Assert.Throws<ArgumentException>(() => emu.MapMemory(0x10_3000, 0x1000));
        emu.UnmapMemory(0x10_0000, 0x4000);
        Assert.Empty(emu.Regions);
        Assert.Throws<ArgumentException>(() => emu.UnmapMemory(0x10_0000, 0x1000));
        Assert.Empty(emu.Bus.RamRegions); // storage released
    }

    [Fact]
    public void AGuestStoreToAMappedBufferIsInTheCallersArray()
    {
        var buffer = new byte[0x1000];
        buffer[0] = 0x11;
        using var emu = WithCode("arm926", "ldrb r2, [r0]\nadd r2, r2, #1\nstr r2, [r0, #4]");
        emu.MapMemory(0x3000_0000, buffer);
        emu.WriteRegister("r0", 0x3000_0000);
        Assert.True(emu.Run(Code, until: Code + 12).Ok);
        Assert.Equal(0x12, buffer[4]);
        buffer[8] = 0x77; // and what the caller writes, the guest reads
        Assert.Equal(0x77u, emu.ReadWord(0x3000_0008));
        emu.UnmapMemory(0x3000_0000, 0x1000);
        Assert.DoesNotContain(emu.Regions, r => r.Begin == 0x3000_0000);
    }

    [Fact]
    public void BankedRegistersReadAndWriteByName()
    {
        using var emu = WithCode("arm926", "mrs r0, cpsr\nbic r0, r0, #0x1f\norr r0, r0, #0x12\nmsr cpsr_c, r0\nmov r1, sp\nmov r2, r8");
        emu.WriteRegister("cpsr", 0x1F); // System mode
        emu.WriteRegister("sp_irq", 0x8000);
        emu.WriteRegister("SP_SVC", 0x9000);
        emu.WriteRegister("r8_fiq", 0x88);
        emu.WriteRegister("r8", 0x08);
        emu.WriteRegister("spsr_irq", 0x1F);
        Assert.Equal(0x9000ul, emu.ReadRegister("r13_svc"));
        Assert.True(emu.Run(Code, until: Code + 24).Ok);
        // In IRQ mode now: SP is the IRQ bank, R8 the shared one.
        Assert.Equal(0x12ul, emu.ReadRegister("cpsr") & 0x1F);
        Assert.Equal(0x8000ul, emu.ReadRegister("r1"));
        Assert.Equal(0x08ul, emu.ReadRegister("r2"));
        Assert.Equal(0x1Ful, emu.ReadRegister("spsr"));
        Assert.Equal(0x88ul, emu.ReadRegister("r8_fiq"));
        Assert.Throws<ArgumentException>(() => emu.ReadRegister("r8_irq"));
        Assert.Throws<ArgumentException>(() => emu.ReadRegister("r16"));
        Assert.Throws<ArgumentException>(() => emu.ReadRegister("sctlr")); // no CP15 until the cache model is on
    }

    [Fact]
    public void VfpRegistersByNameFeedAVfpAddition()
    {
        using var emu = WithCode("cortex-a9", ".fpu vfpv3\nvadd.f64 d2, d0, d1\nvmov r0, s4\nvmov r1, s5");
        emu.WriteRegister("fpexc", 1u << 30);             // FPEXC.EN
        emu.Cpu.Fpu.Cpacr = 0x00F0_0000;                  // CP10/CP11 full access
        emu.WriteRegister("d0", BitConverter.DoubleToUInt64Bits(1.5));
        emu.WriteRegister("d1", BitConverter.DoubleToUInt64Bits(2.25));
        var result = emu.Run(Code, until: Code + 12);
        Assert.True(result.Ok, result.ToString());
        Assert.Equal(3.75, BitConverter.UInt64BitsToDouble(emu.ReadRegister("d2")));
        Assert.Equal(emu.ReadRegister("s4"), emu.ReadRegister("r0"));
        Assert.Equal(BitConverter.DoubleToUInt64Bits(3.75), emu.ReadRegister("r1") << 32 | emu.ReadRegister("r0"));
        Assert.Throws<ArgumentException>(() => emu.ReadRegister("d32")); // VFPv3-D32 has d0-d31 only
    }

    [Fact]
    public void ContextRestorePutsBackEveryModesRegisters()
    {
        // As Unicorn's test_arm context tests: save, run code that changes registers, restore.
        using var emu = WithCode("arm926", "mov r0, #7\nmov r8, #8\nmsr cpsr_c, #0xd1\nmov r8, #9\nmov sp, #0x100");
        emu.WriteRegister("cpsr", 0xD3);
        emu.WriteRegister("r0", 1);
        emu.WriteRegister("r8", 2);
        emu.WriteRegister("r8_fiq", 3);
        emu.WriteRegister("sp_fiq", 4);
        emu.WriteRegister("spsr_fiq", 0x10);
        emu.WriteRegister("pc", 0x1234);
        var context = emu.SaveContext();
        Assert.True(emu.Run(Code, until: Code + 20).Ok);
        Assert.Equal(0x11ul, emu.ReadRegister("cpsr") & 0x1F); // FIQ mode now
        emu.RestoreContext(context);
        Assert.Equal(0xD3ul, emu.ReadRegister("cpsr"));
        Assert.Equal(1ul, emu.ReadRegister("r0"));
        Assert.Equal(2ul, emu.ReadRegister("r8"));
        Assert.Equal(3ul, emu.ReadRegister("r8_fiq"));
        Assert.Equal(4ul, emu.ReadRegister("sp_fiq"));
        Assert.Equal(0x10ul, emu.ReadRegister("spsr_fiq"));
        Assert.Equal(0x1234ul, emu.ReadRegister("pc"));
    }

    [Fact]
    public void ContextWithMemoryPutsBackWhatTheGuestStored()
    {
        using var emu = WithCode("arm926", "str r1, [r0]\nadd r3, r0, #0x1000\nstr r1, [r3]");
        emu.MapMemory(0x2000_0000, 0x2000);
        emu.WriteWord(0x2000_0000, 5);
        emu.WriteRegister("r0", 0x2000_0000);
        emu.WriteRegister("r1", 6);
        emu.WriteRegister("pc", Code);
        var context = emu.SaveContext(ContextParts.Memory);
        Assert.True(emu.Continue(until: Code + 12).Ok);
        Assert.Equal(6u, emu.ReadWord(0x2000_1000));
        emu.RestoreContext(context);
        Assert.Equal(5u, emu.ReadWord(0x2000_0000));
        Assert.Equal(0u, emu.ReadWord(0x2000_1000));
        Assert.Equal(Code, emu.Cpu.PC);
        // Run again from the restored state: the same result.
        Assert.True(emu.Continue(until: Code + 12).Ok);
        Assert.Equal(6u, emu.ReadWord(0x2000_0000));
    }
}
