using ArmEmu.Emulator.Linux;
using ArmEmu.Memory;
using ArmEmu.Memory.Caches;

namespace ArmEmu.Emulator.Tests.Linux;

/// <summary>
/// The decoded-instruction store under Linux user mode gives a page back with its last
/// executable mapping (munmap, mprotect without PROT_EXEC, exit, execve's old image), and keeps
/// it while another process (a forked parent) still maps it.
/// </summary>
public sealed class DecodedCodeReclaimTests
{
    private const uint Code = 0x0001_0000, Other = 0x0002_0000;
    private const Permission Rwx = Permission.Read | Permission.Write | Permission.Execute;

    private static LinuxMachine Machine() => new(Cpu.CpuModel.Arm926, 16u << 20, CacheModelOptions.Off);

    /// <summary>Maps a page, writes mov r0, #n; mov r0, #n+1 there and runs it.</summary>
    private static void RunCodeAt(LinuxMachine machine, ProcessAddressSpace space, uint va, uint n)
    {
        if (!space.IsMapped(va)) space.Map(va, ProcessAddressSpace.PageSize, Rwx);
        machine.Memory.Write32(va, 0xE3A0_0000 | n);      // mov r0, #n
        machine.Memory.Write32(va + 4, 0xE3A0_0000 | (n + 1));
        machine.Cpu.PC = va;
        machine.Cpu.Run(2);
        Assert.Equal(n + 1, machine.Cpu.R[0]);
    }

    private static bool Decoded(LinuxMachine machine, uint va) => machine.Cpu.Code.Find(va >> PhysicalBus.PageBits) is not null;

    [Fact]
    public void Munmap_DropsTheDecodedPage()
    {
        using var machine = Machine();
        var space = machine.InitialAddressSpace;
        RunCodeAt(machine, space, Code, 1);
        RunCodeAt(machine, space, Other, 3);
        Assert.True(Decoded(machine, Code));
        space.Unmap(Code, ProcessAddressSpace.PageSize);
        Assert.False(Decoded(machine, Code));
        Assert.True(Decoded(machine, Other));
        Assert.Equal(1, machine.Cpu.Code.PageCount);
    }

    [Fact]
    public void MprotectWithoutExecute_DropsIt_AndKeepingExecuteKeepsIt()
    {
        using var machine = Machine();
        var space = machine.InitialAddressSpace;
        RunCodeAt(machine, space, Code, 1);
        RunCodeAt(machine, space, Other, 3);
        Assert.True(space.Protect(Other, ProcessAddressSpace.PageSize, Permission.Read | Permission.Execute));
        Assert.True(Decoded(machine, Other));
        Assert.True(space.Protect(Code, ProcessAddressSpace.PageSize, Permission.Read | Permission.Write));
        Assert.False(Decoded(machine, Code));
        Assert.Equal(0, machine.ExecutableMappings.CountOf(Code >> PhysicalBus.PageBits));
    }

    [Fact]
    public void AForkedChildsExit_KeepsTheParentsCode_AndTheParentsExitDropsIt()
    {
        using var machine = Machine();
        var parent = machine.InitialAddressSpace;
        RunCodeAt(machine, parent, Code, 1);
        var child = parent.Fork();
        Assert.Equal(2, machine.ExecutableMappings.CountOf(Code >> PhysicalBus.PageBits));
        child.Clear(); // the child exits (or execs: its old image goes)
        Assert.True(Decoded(machine, Code));
        parent.Clear();
        Assert.False(Decoded(machine, Code));
        Assert.Equal(0, machine.Cpu.Code.ResidentBytes);
    }

    [Fact]
    public void ExecveIntoANewSpace_DropsTheOldImagesPagesThatTheNewOneDoesNotMap()
    {
        using var machine = Machine();
        var old = machine.InitialAddressSpace;
        RunCodeAt(machine, old, Code, 1);
        RunCodeAt(machine, old, Other, 3);
        var image = machine.NewAddressSpace();
        image.Map(Code, ProcessAddressSpace.PageSize, Permission.Read | Permission.Execute);
        machine.SwitchAddressSpace(image);
        old.Clear();
        // The new image maps Code executable too: that page stays for it; Other goes.
        Assert.True(Decoded(machine, Code));
        Assert.False(Decoded(machine, Other));
    }

    [Fact]
    public void CodeRunAgainAfterItsPageWasDropped_IsDecodedAfresh()
    {
        using var machine = Machine();
        var space = machine.InitialAddressSpace;
        RunCodeAt(machine, space, Code, 1);
        space.Unmap(Code, ProcessAddressSpace.PageSize);
        RunCodeAt(machine, space, Code, 7); // a new mapping at the same address, other code
        Assert.True(Decoded(machine, Code));
    }
}
