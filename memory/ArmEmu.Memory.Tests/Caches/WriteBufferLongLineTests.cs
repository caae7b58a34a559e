using ArmEmu.Memory.Caches;

namespace ArmEmu.Memory.Tests.Caches;

/// <summary>Lines longer than the ARM926's 8-word write-back buffer (a configured geometry) still write back.</summary>
public class WriteBufferLongLineTests
{
    [Fact]
    public void EvictingDirty64ByteLinesWritesThemBackWholeAndInOrder()
    {
        using var rig = new CacheRig(new CacheConfig(SizeBytes: 256, Ways: 1, LineBytes: 64, Replacement: ReplacementPolicy.RoundRobin));
        for (uint a = 0; a < 64; a += 4) rig.Read32(0x1000 + a);           // fill the line
        for (uint a = 0; a < 64; a += 4) rig.Write32(0x1000 + a, 0xA000 + a); // dirty both halves
        rig.Read32(0x1100);                                                  // same set: evicts the 64-byte dirty line
        rig.Read32(0x1200);
        rig.System.DrainWriteBuffer();
        for (uint a = 0; a < 64; a += 4) Assert.Equal(0xA000 + a, rig.Ram32(0x1000 + a));
    }
}
