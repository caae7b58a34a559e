using ArmEmu.Memory.Caches;

namespace ArmEmu.Memory.Tests.Caches;

/// <summary>
/// Poke is a debugger's or loader's write that has already gone to RAM: the D-cache copy takes
/// the value (dirty state unchanged), a pending buffered write is overridden, and the I-cache
/// line is dropped -- so what was poked is what every later load and fetch sees.
/// </summary>
public class PokeCoherenceTests : IDisposable
{
    private readonly CacheRig _rig = new();

    public void Dispose() => _rig.Dispose();

    private void PokeByte(uint address, byte value)
    {
        _rig.Bus.TryWrite(address, 1, value); // the RAM half of a coherent poke
        _rig.System.Poke(address, address, value);
    }

    [Fact]
    public void Poke_UpdatesACleanCachedCopy_AndKeepsItClean()
    {
        _rig.SetRam32(0x100, 0x4444_4444);
        _rig.Read32(0x100);

        PokeByte(0x101, 0x99);

        Assert.Equal(0x4444_9944u, _rig.Read32(0x100));
        Assert.False(_rig.D.IsDirty(_rig.DataLine(0x100)));
    }

    [Fact]
    public void Poke_UpdatesADirtyCachedCopy_SoTheWriteBackKeepsThePokedByte()
    {
        _rig.Read32(0x100);
        _rig.Write32(0x100, 0x1111_1111);

        PokeByte(0x102, 0x77);
        _rig.System.CleanDataLine(0x100);
        _rig.System.DrainWriteBuffer();

        Assert.Equal(0x1177_1111u, _rig.Ram32(0x100));
    }

    [Fact]
    public void Poke_OverridesAPendingWrite_SoTheDrainDoesNotUndoIt()
    {
        _rig.Write32(0x200, 0xAABB_CCDD, CacheRig.BufferablePage);

        PokeByte(0x200, 0x11);
        _rig.System.DrainWriteBuffer();

        Assert.Equal(0xAABB_CC11u, _rig.Ram32(0x200));
    }

    [Fact]
    public void Poke_DropsTheInstructionLine_SoThePokedCodeRuns()
    {
        _rig.SetRam32(0x300, 0xE1A0_0000);
        _rig.System.Fetch(0x300, 0x300, 4);
        var removed = new List<(uint, uint)>();
        _rig.I.LineRemoved = (index, tag) => removed.Add((index, tag));

        PokeByte(0x300, 0x01); // e.g. a breakpoint written by a debugger

        Assert.Equal(-1, _rig.InstructionLine(0x300));
        Assert.Equal(new[] { (0x300u, 0x300u) }, removed);
        Assert.Equal(0xE1A0_0001u, _rig.System.Fetch(0x300, 0x300, 4));
    }

    [Fact]
    public void Poke_PiptSharedLine_IsSeenThroughEveryVirtualAddress()
    {
        using var rig = new CacheRig(new CacheConfig(16 * 1024, 4, 32, CacheIndexing.Pipt, Replacement: ReplacementPolicy.RoundRobin));
        rig.System.Read(0x1000, 0x8000, 4, CacheRig.WriteBackPage);
        rig.Bus.TryWrite(0x8000, 1, 0x5A);

        rig.System.Poke(0x2000, 0x8000, 0x5A);

        Assert.Equal(0x5Au, rig.System.Read(0x3000, 0x8000, 1, CacheRig.WriteBackPage));
    }

    [Fact]
    public void Poke_CountsNothing()
    {
        _rig.Read32(0x100);
        _rig.System.Fetch(0x100, 0x100, 4);
        _rig.D.Counters.Reset();
        _rig.I.Counters.Reset();

        PokeByte(0x100, 1);

        Assert.Equal(0UL, _rig.D.Counters.Writes + _rig.D.Counters.Reads + _rig.D.Counters.Maintenance);
        Assert.Equal(0UL, _rig.I.Counters.Maintenance + _rig.I.Counters.Evictions);
    }
}
