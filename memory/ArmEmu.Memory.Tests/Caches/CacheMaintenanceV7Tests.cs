using ArmEmu.Memory.Caches;

namespace ArmEmu.Memory.Tests.Caches;

/// <summary>
/// The ARMv7 c7 operations (<see cref="ICacheMaintenanceV7"/>) on a Cortex-A9 hierarchy: the
/// geometry CCSIDR reports, the v7 set/way operand with its level field, MVA operations that
/// translate (and may fault) and act on L1 only.
/// </summary>
public class CacheMaintenanceV7Tests : IDisposable
{
    private readonly CacheRig _rig = new(CacheRig.CortexA9DataRoundRobin, CacheRig.CortexA9InstructionRoundRobin, Pl310Geometry.Default);

    public void Dispose() => _rig.Dispose();

    private ICacheMaintenanceV7 V7 => _rig.System;

    [Fact]
    public void Geometry_IsWhatQemuCortexA9ReportsInCcsidr_AndTheL2IsNotAProcessorLevel()
    {
        var system = CacheModelOptions.CortexA9.Build(_rig.Bus, () => 0)!;

        Assert.Equal(0xE00F_E019u, system.Geometry(0, instruction: false)!.Value.Ccsidr);
        Assert.Equal(0x200F_E019u, system.Geometry(0, instruction: true)!.Value.Ccsidr);
        Assert.Equal(16 * 1024, system.Geometry(0, instruction: false)!.Value.SizeBytes);
        Assert.Null(system.Geometry(1, instruction: false));
        Assert.NotNull(system.OuterCache);
    }

    [Theory]
    // NumSets-1 in [27:13], Assoc-1 in [12:3], LineSize in [2:0] (log2(words) - 2), WT|WB|RA in [31:29] for D.
    [InlineData("16K,4,32", false, 0xE00F_E019u)]
    [InlineData("32K,4,32", false, 0xE01F_E019u)]  // 256 sets
    [InlineData("64K,4,32", false, 0xE03F_E019u)]  // 512 sets
    [InlineData("32K,4,32", true, 0x201F_E019u)]
    [InlineData("16K,2,64", true, 0x200F_E00Au)]   // 128 sets, 2 ways, 64-byte lines (LineSize 2)
    public void DcacheAndIcacheSpecs_ChangeTheGeometryCcsidrReports(string spec, bool instruction, uint ccsidr)
    {
        var defaults = instruction ? CacheConfig.CortexA9Instruction : CacheConfig.CortexA9Data;

        var config = CacheConfig.Parse(spec, defaults);

        Assert.Equal(ccsidr, config.Geometry(instruction).Ccsidr);
        Assert.Equal(defaults.Indexing, config.Indexing);
    }

    [Theory]
    [InlineData(0xC000_00A0u, 0)]
    [InlineData(0xC000_00A2u, 1)]
    [InlineData(0x0000_000Eu, 7)]
    [InlineData(0x0000_0001u, 0)] // bit 0 is not part of the level
    public void SetWayLevel_IsBits3To1(uint operand, int level) => Assert.Equal(level, CacheSystem.SetWayLevel(operand));

    [Fact]
    public void CleanAndInvalidateBySetWay_ActsOnTheNamedL1LineAtLevel0Only()
    {
        // Set 5 (PA[11:5] = 5): four fills take ways 0..3 in round-robin order.
        foreach (uint pa in new uint[] { 0x00A0, 0x10A0, 0x20A0, 0x30A0 }) _rig.Read32(pa);
        _rig.Write32(0x30A0, 0xFEED_0003);
        int line = _rig.DataLine(0x30A0);
        Assert.Equal((5, 3), (_rig.D.SetOfLine(line), _rig.D.WayOfLine(line)));

        V7.CleanAndInvalidateDataBySetWay(0xC000_00A0 | 1 << 1); // level 1: no processor cache there
        Assert.True(_rig.D.IsDirty(line));

        V7.CleanAndInvalidateDataBySetWay(0xC000_00A0);
        V7.DataSynchronizationBarrier();

        Assert.Equal(-1, _rig.DataLine(0x30A0));
        Assert.Equal(0xFEED_0003u, _rig.Ram32(0x30A0)); // the L2 is off: straight through
        Assert.Equal(3, _rig.ValidLines(_rig.D));
    }

    [Fact]
    public void InvalidateBySetWay_LosesDirtyData_CleanBySetWayKeepsTheLine()
    {
        _rig.Read32(0x00A0);                  // set 5, way 0
        _rig.Write32(0x00A0, 0x1234_5678);
        V7.CleanDataBySetWay(0x0000_00A0);
        V7.DataSynchronizationBarrier();
        Assert.Equal(0x1234_5678u, _rig.Ram32(0x00A0));
        Assert.False(_rig.D.IsDirty(_rig.DataLine(0x00A0)));

        _rig.Write32(0x00A0, 0x9ABC_DEF0);
        V7.InvalidateDataBySetWay(0x0000_00A0);
        V7.DataSynchronizationBarrier();
        Assert.Equal(-1, _rig.DataLine(0x00A0));
        Assert.Equal(0x1234_5678u, _rig.Ram32(0x00A0));
    }

    [Fact]
    public void MvaOperations_ActOnL1Only_TheL2KeepsItsDirtyLine()
    {
        _rig.L2.Enabled = true;
        _rig.Read32(0x1000);
        _rig.Write32(0x1000, 0xAAAA_0001);

        V7.CleanAndInvalidateDataByMva(0x1000); // DCCIMVAC: "to the point of coherency" stops at the PL310
        V7.DataSynchronizationBarrier();

        Assert.Equal(-1, _rig.DataLine(0x1000));
        int l2 = _rig.L2.Cache.Find(0x1000, 0x1000);
        Assert.True(_rig.L2.Cache.IsDirty(l2));
        Assert.Equal(0u, _rig.Ram32(0x1000));
    }

    [Fact]
    public void MvaOperations_Translate_AndAFaultLeavesTheCachesAlone()
    {
        _rig.Read32(0x1000);
        _rig.Write32(0x1000, 0xAAAA_0001);
        _rig.System.TranslateForMaintenanceV7 = mva => throw new MemoryFault(mva, AccessKind.Read | AccessKind.Privileged, FaultKind.Translation, 0x7);

        var fault = Assert.Throws<MemoryFault>(() => V7.InvalidateDataByMva(0x1000));

        Assert.Equal(0x1000u, fault.Address);
        Assert.True(_rig.D.IsDirty(_rig.DataLine(0x1000)));
    }

    [Fact]
    public void MvaOperations_UseThePhysicalAddressForPipt_AndTheMvaToIndexVipt()
    {
        // The VA 0x5000_1040 maps to the PA 0x0000_2040 (both caches see the same line).
        _rig.System.TranslateForMaintenanceV7 = mva => mva - 0x5000_1040 + 0x2040;
        _rig.System.Read(0x5000_1040, 0x2040, 4, CacheRig.WriteBackPage);
        _rig.System.Fetch(0x5000_1040, 0x2040, 4);
        Assert.True(_rig.D.Find(0x2040, 0x2040) >= 0);
        int icacheLine = _rig.I.Find(0x5000_1040, 0x2040);
        Assert.True(icacheLine >= 0);

        V7.InvalidateInstructionByMva(0x5000_1040); // ICIMVAU: indexed by the MVA, tagged by the PA
        V7.InvalidateDataByMva(0x5000_1040);        // DCIMVAC: PIPT

        Assert.False(_rig.I.IsValid(icacheLine));
        Assert.Equal(-1, _rig.D.Find(0x2040, 0x2040));
    }

    [Fact]
    public void InvalidateInstructionAll_EmptiesTheICache()
    {
        _rig.System.Fetch(0x100, 0x100, 4);
        _rig.System.Fetch(0x2000, 0x2000, 4);

        V7.InvalidateInstructionAll();

        Assert.Equal(0, _rig.ValidLines(_rig.I));
        Assert.Equal(1ul, _rig.I.Counters.Maintenance);
    }

    [Fact]
    public void DataSynchronizationBarrier_DrainsTheWriteBuffer()
    {
        _rig.Write32(0x3000, 0x3333_0003, CacheRig.BufferablePage);
        Assert.Equal(0u, _rig.Ram32(0x3000));

        V7.DataSynchronizationBarrier();

        Assert.Equal(0x3333_0003u, _rig.Ram32(0x3000));
    }
}
