using ArmEmu.Cpu;
using ArmEmu.Emulator;

namespace MemcpyTests;

/// <summary>What a memcpy must do, checked on the guest code itself.</summary>
public class MemcpyBehaviourTests
{
    private static byte[] Pattern(int length) => Enumerable.Range(0, length).Select(i => (byte)(i * 7 + 3)).ToArray();

    [Theory]
    [InlineData(0u, 0u, 0u)]
    [InlineData(0u, 0u, 1u)]
    [InlineData(0u, 0u, 64u)]
    [InlineData(0u, 0u, 67u)]
    [InlineData(1u, 0u, 33u)]
    [InlineData(0u, 3u, 33u)]
    [InlineData(2u, 2u, 30u)]
    [InlineData(0u, 0u, 4096u)]
    public void CopiesExactlyNBytesAndReturnsDest(uint dstOffset, uint srcOffset, uint n)
    {
        using var m = new Memcpy();
        byte[] source = Pattern(0x1000);
        // The source page is read-only to the guest; the harness writes it as a debugger would.
        m.Emulator.WriteMemory(Memcpy.Src, source);
        byte[] before = m.Emulator.ReadMemory(Memcpy.Dst, 0x1000);

        var (r0, result) = m.Call(dstOffset, srcOffset, n);

        Assert.True(result.Ok, $"{result.Error} at 0x{result.Pc:x8} (address 0x{result.FaultAddress:x8})");
        Assert.Equal(StopReason.Address, result.Reason);
        Assert.Equal(Memcpy.Dst + dstOffset, r0);
        // Exactly [dest, dest + n) changed, to the source's bytes.
        byte[] expected = (byte[])before.Clone();
        source.AsSpan((int)srcOffset, (int)n).CopyTo(expected.AsSpan((int)dstOffset));
        Assert.Equal(expected, m.Emulator.ReadMemory(Memcpy.Dst, 0x1000));
    }

    [Fact]
    public void NeverReadsOrWritesOutsideTheBuffers()
    {
        using var m = new Memcpy();
        m.Emulator.WriteMemory(Memcpy.Src, Pattern(0x1000));
        var stray = new List<MemoryAccess>();
        using var hook = m.Emulator.Hooks().Memory((_, a) =>
        {
            bool inSource = !a.IsWrite && a.Address >= Memcpy.Src + 5 && a.Address + (uint)a.Size <= Memcpy.Src + 5 + 37;
            bool inDest = a.IsWrite && a.Address >= Memcpy.Dst + 1 && a.Address + (uint)a.Size <= Memcpy.Dst + 1 + 37;
            bool onStack = a.Address >= Memcpy.Stack - 0x1000 && a.Address < Memcpy.Stack;
            if (!inSource && !inDest && !onStack) stray.Add(a);
        }, MemoryHookKinds.ReadAfter | MemoryHookKinds.WriteBefore);
        Assert.True(m.Call(1, 5, 37).Result.Ok);
        Assert.Empty(stray);
    }

    [Fact]
    public void AlignedCopiesMoveWordsUnalignedOnesBytes()
    {
        using var m = new Memcpy();
        var sizes = new List<int>();
        using var hook = m.Emulator.Hooks().Memory((_, a) => { if (a.IsWrite && a.Address - Memcpy.Dst < 0x1000) sizes.Add(a.Size); },
                                                   MemoryHookKinds.WriteBefore);
        m.Call(0, 0, 16);
        Assert.Equal([4, 4, 4, 4], sizes);
        sizes.Clear();
        m.Call(1, 0, 4);
        Assert.Equal([1, 1, 1, 1], sizes);
    }

    [Fact]
    public void AWordCopyCostsAHandCountedNumberOfInstructions()
    {
        // push, orr, tst, bne; per word: cmp, blo, ldr, str, sub, b (6); then cmp, blo, and the
        // byte loop's exit: subs, ldrbhs, strbhs, bhs (condition failed), pop.
        using var m = new Memcpy();
        var (_, result) = m.Call(0, 0, 64);
        Assert.Equal(4ul + 16 * 6 + 2 + 4 + 1, result.Instructions);
    }

    [Fact]
    public void AReadOnlyDestinationFaultsAtTheFirstStore()
    {
        using var m = new Memcpy();
        m.Emulator.ProtectMemory(Memcpy.Dst, 0x1000, ArmEmu.Memory.Permission.Read);
        var (_, result) = m.Call(0, 0, 8);
        Assert.Equal(EmulatorError.WriteProtected, result.Error);
        Assert.Equal(Memcpy.Dst, result.FaultAddress);
    }
}
