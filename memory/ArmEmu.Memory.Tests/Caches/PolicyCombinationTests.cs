using ArmEmu.Memory.Caches;

namespace ArmEmu.Memory.Tests.Caches;

/// <summary>
/// Every combination of indexing, write policy (and, per page, C/B), allocation and replacement
/// runs the same seeded mix of byte, halfword and word loads and stores over 8 KiB through a
/// 1 KiB 2-way cache (so lines are evicted all the time). With one virtual address per
/// physical one the CPU must always read back what it stored, and after Linux's flush (the
/// c7,c14,3 loop and a drain) RAM must hold exactly that.
/// </summary>
public class PolicyCombinationTests
{
    public static TheoryData<CacheIndexing, WritePolicy, bool, AllocationPolicy, ReplacementPolicy> Combinations()
    {
        var data = new TheoryData<CacheIndexing, WritePolicy, bool, AllocationPolicy, ReplacementPolicy>();
        foreach (var indexing in Enum.GetValues<CacheIndexing>())
            foreach (var (policy, bufferable) in new[] { (WritePolicy.PerPage, true), (WritePolicy.PerPage, false), (WritePolicy.WriteBack, false), (WritePolicy.WriteThrough, true) })
                foreach (var allocation in Enum.GetValues<AllocationPolicy>())
                    foreach (var replacement in Enum.GetValues<ReplacementPolicy>())
                        data.Add(indexing, policy, bufferable, allocation, replacement);
        return data;
    }

    [Theory]
    [MemberData(nameof(Combinations))]
    public void LoadsSeeStores_AndFlushLeavesRamEqualToTheStores(
        CacheIndexing indexing, WritePolicy policy, bool bufferable, AllocationPolicy allocation, ReplacementPolicy replacement)
    {
        using var rig = new CacheRig(new CacheConfig(1024, 2, 32, indexing, policy, allocation, replacement, Seed: 3));
        const uint PhysicalBase = 0x8000, VirtualOffset = 0x2_0000, Span = 0x2000;
        var page = new PageAttributes(true, bufferable);
        var expected = new byte[Span];
        var random = new Random(12345);
        bool writesBack = policy == WritePolicy.WriteBack || (policy == WritePolicy.PerPage && bufferable);

        for (int step = 0; step < 3000; step++)
        {
            int size = 1 << random.Next(3);
            uint offset = (uint)random.Next((int)Span / size) * (uint)size;
            uint pa = PhysicalBase + offset, va = pa + VirtualOffset;
            if (random.Next(2) == 0)
            {
                uint value = (uint)random.Next();
                rig.System.Write(va, pa, size, value, page);
                for (int b = 0; b < size; b++) expected[offset + b] = (byte)(value >> (8 * b));
            }
            else
            {
                uint want = 0;
                for (int b = 0; b < size; b++) want |= (uint)expected[offset + b] << (8 * b);
                Assert.Equal(want, rig.System.Read(va, pa, size, page));
            }
        }

        Assert.Equal(writesBack, Enumerable.Range(0, rig.D.LineCount).Any(rig.D.IsDirty));
        Assert.True(rig.D.Counters.Evictions > 0);
        while (!rig.System.TestCleanAndInvalidateDataCache()) { }
        rig.System.DrainWriteBuffer();

        Assert.Equal(0, rig.ValidLines(rig.D));
        var ram = new byte[Span];
        Assert.True(rig.Bus.ReadRam(PhysicalBase, ram));
        Assert.Equal(expected, ram);
        if (!writesBack) Assert.Equal(0UL, rig.D.Counters.WriteBacks);
    }
}
