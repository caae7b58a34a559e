using ArmEmu.Memory.Caches;

namespace ArmEmu.Memory.Tests.Caches;

/// <summary>
/// VIVT (the ARM926, TRM 4.1): set and tag both come from the modified virtual address, so
/// two virtual addresses of one physical line are two lines -- aliases that can disagree.
/// </summary>
public class VivtIndexingTests : IDisposable
{
    // 16 KiB, 4-way, 32-byte lines: 128 sets, set = VA[11:5].
    private readonly CacheRig _rig = new();

    public void Dispose() => _rig.Dispose();

    [Fact]
    public void Read_FillsLineInSetOfVirtualAddress_TaggedByVirtualAddress_RememberingPhysical()
    {
        _rig.SetRam32(0x8044, 0xCAFE_F00D);

        uint value = _rig.System.Read(0x1044, 0x8044, 4, CacheRig.WriteBackPage);

        Assert.Equal(0xCAFE_F00Du, value);
        int line = _rig.D.Find(0x1044, 0x1044);
        Assert.True(line >= 0);
        Assert.Equal(2, _rig.D.SetOfLine(line));           // VA 0x1044: bits [11:5] = 2
        Assert.Equal(0x1040u, _rig.D.IndexAddress(line));
        Assert.Equal(0x1040u, _rig.D.TagAddress(line));
        Assert.Equal(0x8040u, _rig.D.PhysicalAddress(line)); // kept for the write-back (TRM 4.1: physical tag)
        Assert.Equal(-1, _rig.D.Find(0x8044, 0x8044));     // not findable by the physical address
    }

    [Fact]
    public void SetOf_UsesBitsAboveLineOffsetBelowWaySize()
    {
        Assert.Equal(0, _rig.D.SetOf(0x0000_001F));
        Assert.Equal(1, _rig.D.SetOf(0x0000_0020));
        Assert.Equal(127, _rig.D.SetOf(0x0000_0FE0));
        Assert.Equal(0, _rig.D.SetOf(0x0000_1000));   // wraps every way size (4 KiB)
        Assert.Equal(127, _rig.D.SetOf(0xFFFF_FFFF));
    }

    [Fact]
    public void TwoVirtualAddressesOfOnePhysicalLine_AreTwoLinesThatDiverge()
    {
        _rig.SetRam32(0x8000, 0x1111_1111);
        _rig.System.Read(0x1000, 0x8000, 4, CacheRig.WriteBackPage);
        _rig.System.Read(0x2000, 0x8000, 4, CacheRig.WriteBackPage); // same set (VA[11:5] = 0), other tag

        _rig.System.Write(0x1000, 0x8000, 4, 0x2222_2222, CacheRig.WriteBackPage);

        Assert.Equal(2UL, _rig.D.Counters.LineFills);
        Assert.Equal(0x2222_2222u, _rig.System.Read(0x1000, 0x8000, 4, CacheRig.WriteBackPage));
        Assert.Equal(0x1111_1111u, _rig.System.Read(0x2000, 0x8000, 4, CacheRig.WriteBackPage)); // the stale alias
    }

    [Fact]
    public void AliasesReconverge_AfterCleaningOneAndInvalidatingTheOther()
    {
        _rig.SetRam32(0x8000, 0x1111_1111);
        _rig.System.Read(0x1000, 0x8000, 4, CacheRig.WriteBackPage);
        _rig.System.Read(0x2000, 0x8000, 4, CacheRig.WriteBackPage);
        _rig.System.Write(0x1000, 0x8000, 4, 0x2222_2222, CacheRig.WriteBackPage);

        _rig.System.CleanDataLine(0x1000);      // flush_dcache_page style: per-alias maintenance
        _rig.System.InvalidateDataLine(0x2000);
        _rig.System.DrainWriteBuffer();

        Assert.Equal(0x2222_2222u, _rig.Ram32(0x8000));
        Assert.Equal(0x2222_2222u, _rig.System.Read(0x2000, 0x8000, 4, CacheRig.WriteBackPage));
    }

    [Fact]
    public void Lookup_UsesModifiedVirtualAddress_WhenFcseRelocates()
    {
        // FCSE (ARM926 TRM 2.3.13): VA < 32 MiB is relocated by PID * 32 MiB; PID 3 here.
        _rig.System.ToModifiedVirtual = va => va < 0x0200_0000 ? va + (3u << 25) : va;
        _rig.SetRam32(0x8100, 0xABCD_0123);

        _rig.System.Read(0x100, 0x8100, 4, CacheRig.WriteBackPage);

        int line = _rig.D.Find(0x0600_0100, 0x0600_0100);
        Assert.True(line >= 0);
        Assert.Equal(0x0600_0100u, _rig.D.TagAddress(line));
        Assert.Equal(-1, _rig.D.Find(0x100, 0x100));
        // Maintenance takes the MVA as software passes it.
        _rig.System.InvalidateDataLine(0x100);
        Assert.True(_rig.D.IsValid(line));
        _rig.System.InvalidateDataLine(0x0600_0100);
        Assert.False(_rig.D.IsValid(line));
    }

    [Fact]
    public void WriteBack_GoesToPhysicalAddressFilledFrom_NotTheVirtualOne()
    {
        _rig.System.Read(0x1000, 0x9000, 4, CacheRig.WriteBackPage);
        _rig.System.Write(0x1004, 0x9004, 4, 0x7777_7777, CacheRig.WriteBackPage);

        _rig.System.CleanDataLine(0x1000);
        _rig.System.DrainWriteBuffer();

        Assert.Equal(0x7777_7777u, _rig.Ram32(0x9004));
        Assert.Equal(0u, _rig.Ram32(0x1004));
    }
}
