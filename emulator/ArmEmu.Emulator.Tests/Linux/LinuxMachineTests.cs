using ArmEmu.Emulator.Linux;
using ArmEmu.Memory;
using ArmEmu.Memory.Caches;

namespace ArmEmu.Emulator.Tests.Linux;

/// <summary>
/// The machine under Linux user mode: switching between address spaces on the ARM926 (a VIVT
/// cache) does what cpu_arm926_switch_mm does, and fork's address-space copy shares frames
/// copy-on-write.
/// </summary>
public sealed class LinuxMachineTests
{
    private const uint Page = 0x0001_0000;

    private static LinuxMachine Arm926Machine() => new(Cpu.CpuModel.Arm926, 16u << 20, CacheModelOptions.Arm926);

    private static uint RamWord(LinuxMachine machine, uint pa)
    {
        var b = new byte[4];
        Assert.True(machine.Bus.ReadRam(pa, b));
        return BitConverter.ToUInt32(b);
    }

    [Fact]
    public void SwitchingAddressSpacesWritesBackTheDirtyLinesOfTheProcessSwitchedOut()
    {
        using var machine = Arm926Machine();
        var first = machine.InitialAddressSpace;
        first.Map(Page, ProcessAddressSpace.PageSize, Permission.Read | Permission.Write);
        machine.Memory.Read32(Page + 0x40); // the ARM926 allocates on reads only: the load brings the line in
        machine.Memory.Write32(Page + 0x40, 0xC0FFEE);
        uint pa = first.FrameOf(Page) + 0x40;
        Assert.Equal(0u, RamWord(machine, pa)); // write-back cache: the store is only in the D-cache
        Assert.Contains(Enumerable.Range(0, machine.Caches!.DataCache!.LineCount), machine.Caches.DataCache.IsDirty);
        var data = machine.Caches!.DataCache!;
        ulong writeBacks = data.Counters.WriteBacks;

        var second = new ProcessAddressSpace(machine.Frames);
        machine.SwitchAddressSpace(second);

        Assert.Equal(0xC0FFEEu, RamWord(machine, pa));
        Assert.True(data.Counters.WriteBacks > writeBacks);
        Assert.DoesNotContain(Enumerable.Range(0, data.LineCount), data.IsValid);
        Assert.DoesNotContain(Enumerable.Range(0, machine.Caches.InstructionCache!.LineCount), machine.Caches.InstructionCache.IsValid);
        Assert.Equal(1ul, machine.AddressSpaceSwitches);
        Assert.Same(second, machine.Memory.Translator);
    }

    [Fact]
    public void SwitchingToTheSameAddressSpaceCostsNothing()
    {
        using var machine = Arm926Machine();
        var space = machine.InitialAddressSpace;
        space.Map(Page, ProcessAddressSpace.PageSize, Permission.Read | Permission.Write);
        machine.Memory.Read32(Page);
        machine.Memory.Write32(Page, 1);
        ulong maintenance = machine.Caches!.DataCache!.Counters.Maintenance;
        machine.SwitchAddressSpace(space);
        Assert.Equal(0ul, machine.AddressSpaceSwitches);
        Assert.Equal(maintenance, machine.Caches.DataCache.Counters.Maintenance);
        Assert.Equal(0u, RamWord(machine, space.FrameOf(Page))); // still only in the cache
    }

    [Fact]
    public void ForkSharesPrivateFramesCopyOnWriteAndSharedOnesForGood()
    {
        using var machine = Arm926Machine();
        var parent = machine.InitialAddressSpace;
        parent.Map(Page, ProcessAddressSpace.PageSize, Permission.Read | Permission.Write);
        parent.MapSharedMemory(Page + 0x1000, ProcessAddressSpace.PageSize, Permission.Read | Permission.Write);
        uint frames = machine.Frames.FramesInUse;

        var child = parent.Fork();

        Assert.Equal(frames, machine.Frames.FramesInUse); // no copies yet
        Assert.Equal(parent.FrameOf(Page), child.FrameOf(Page));
        Assert.True(parent.IsCopyOnWrite(Page) && child.IsCopyOnWrite(Page));
        Assert.False(parent.IsCopyOnWrite(Page + 0x1000) || child.IsCopyOnWrite(Page + 0x1000));
        // A write to the private page faults on both sides (the kernel then copies); reads do not.
        Assert.Throws<MemoryFault>(() => child.Translate(Page, AccessKind.Write));
        Assert.Throws<MemoryFault>(() => parent.Translate(Page, AccessKind.Write));
        Assert.Equal(parent.FrameOf(Page), child.Translate(Page, AccessKind.Read));
        Assert.Equal(parent.FrameOf(Page + 0x1000), child.Translate(Page + 0x1000, AccessKind.Write));
        Assert.Equal(2, machine.Frames.References(parent.FrameOf(Page) >> PhysicalBus.PageBits));

        // Once the child has gone, the parent's page is its own again without a copy.
        Assert.False(parent.ReuseIfSoleOwner(Page));
        child.Clear();
        Assert.True(parent.ReuseIfSoleOwner(Page));
        Assert.False(parent.IsCopyOnWrite(Page));
        Assert.Equal(parent.FrameOf(Page), parent.Translate(Page, AccessKind.Write));
        Assert.Equal(frames, machine.Frames.FramesInUse);
    }
}
