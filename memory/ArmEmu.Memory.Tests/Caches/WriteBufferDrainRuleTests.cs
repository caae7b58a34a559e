using ArmEmu.Memory.Caches;

namespace ArmEmu.Memory.Tests.Caches;

/// <summary>
/// When the write buffer drains (rules documented at the top of WriteBuffer.cs): the CP15
/// drain (c7,c10,4), a D-cache line fill, an NCNB access, a read of a pending address, and by
/// itself after <see cref="WriteBuffer.DrainAfterCycles"/>. Anything else leaves RAM old.
/// </summary>
public class WriteBufferDrainRuleTests : IDisposable
{
    private readonly CacheRig _rig = new();

    public WriteBufferDrainRuleTests()
    {
        _rig.Write32(0x100, 0x1111_1111, CacheRig.BufferablePage); // pending in every test
    }

    public void Dispose() => _rig.Dispose();

    [Fact]
    public void Cp15Drain_WritesEverythingToRam()
    {
        Assert.Equal(0u, _rig.Ram32(0x100));

        _rig.System.DrainWriteBuffer();

        Assert.Equal(0x1111_1111u, _rig.Ram32(0x100));
        Assert.True(_rig.Buffer.IsEmpty);
        Assert.Equal(1UL, _rig.Buffer.Drains);
    }

    [Fact]
    public void NcnbReadOfAnotherAddress_DrainsFirst()
    {
        _rig.Read32(0x800, CacheRig.NcnbPage);

        Assert.Equal(0x1111_1111u, _rig.Ram32(0x100));
    }

    [Fact]
    public void NcnbWriteOfAnotherAddress_DrainsBeforeItsOwnWrite()
    {
        uint dev = CacheRig.DeviceBase;
        _rig.System.Write(dev + 4, dev + 4, 4, 0xB, CacheRig.BufferablePage);

        _rig.System.Write(dev + 8, dev + 8, 4, 0xC, CacheRig.NcnbPage);

        Assert.Equal(0x1111_1111u, _rig.Ram32(0x100));
        Assert.Equal(new[] { (4u, 4, 0xBu), (8u, 4, 0xCu) }, _rig.Device.Writes);
    }

    [Fact]
    public void BufferableReadOfAnotherAddress_DoesNotDrain()
    {
        _rig.Read32(0x800, CacheRig.BufferablePage);

        Assert.Equal(0u, _rig.Ram32(0x100));
        Assert.False(_rig.Buffer.IsEmpty);
    }

    [Theory]
    [InlineData(0x100u, 4)]
    [InlineData(0x102u, 2)]
    [InlineData(0x103u, 1)]
    public void BufferableReadOfAPendingAddress_DrainsAndSeesTheWrite(uint address, int size)
    {
        uint value = _rig.System.Read(address, address, size, CacheRig.BufferablePage);

        Assert.Equal(0x1111_1111u >> (int)(8 * (address - 0x100)), value);
        Assert.Equal(0x1111_1111u, _rig.Ram32(0x100));
    }

    [Fact]
    public void BufferableReadOverlappingOnlyPartOfAPendingWrite_Drains()
    {
        _rig.Buffer.Store(0x202, 1, 0xAB);

        Assert.Equal(0x00AB_0000u, _rig.Read32(0x200, CacheRig.BufferablePage));
    }

    [Fact]
    public void LineFill_DrainsFirst()
    {
        _rig.Read32(0x800); // a cacheable miss elsewhere

        Assert.Equal(0x1111_1111u, _rig.Ram32(0x100));
        Assert.True(_rig.Buffer.IsEmpty);
    }

    [Fact]
    public void CacheHit_DoesNotDrain()
    {
        _rig.System.DrainWriteBuffer();
        _rig.Read32(0x800);                                          // line present
        _rig.Write32(0x104, 0x2222_2222, CacheRig.BufferablePage);  // pending

        _rig.Read32(0x800);
        _rig.Write32(0x800, 5);

        Assert.Equal(0u, _rig.Ram32(0x104));
    }

    [Fact]
    public void InstructionFetch_DoesNotDrain_AndDoesNotSeePendingWrites()
    {
        // An I-cache line fill reads RAM only (the reason code needs a drain before it runs).
        Assert.Equal(0u, _rig.System.Fetch(0x100, 0x100, 4));

        Assert.False(_rig.Buffer.IsEmpty);
    }

    [Fact]
    public void AfterDrainAfterCycles_EntriesDrainByThemselvesOldestFirst()
    {
        using var rig = new CacheRig();
        rig.Buffer.DrainAfterCycles = 100;
        rig.Now = 1000;
        rig.Write32(0x100, 1, CacheRig.BufferablePage);
        rig.Now = 1050;
        rig.Write32(0x200, 2, CacheRig.BufferablePage);

        rig.Now = 1099;
        rig.Buffer.Age();
        Assert.Empty(rig.Drained);

        rig.Now = 1100;
        rig.Buffer.Age();
        Assert.Equal(new[] { (0x100u, 4) }, rig.Drained);
        Assert.Equal(0u, rig.Ram32(0x200));

        rig.Now = 1150;
        rig.Buffer.Age();
        Assert.Equal(2u, rig.Ram32(0x200));
        Assert.True(rig.Buffer.IsEmpty);
    }

    [Fact]
    public void AfterDrainAfterCycles_AnyAccessAgesTheBuffer()
    {
        using var rig = new CacheRig();
        rig.Buffer.DrainAfterCycles = 10;
        rig.Write32(0x100, 1, CacheRig.BufferablePage);
        rig.Read32(0x800);                          // fills a line (and drains)
        rig.Write32(0x104, 2, CacheRig.BufferablePage);

        rig.Now = 9;
        rig.Read32(0x800);                          // a hit: no drain by rule 1, too young by rule 3
        Assert.Equal(0u, rig.Ram32(0x104));

        rig.Now = 10;
        rig.Read32(0x800);                          // a hit, but the entry is now 10 cycles old
        Assert.Equal(2u, rig.Ram32(0x104));
    }

    [Fact]
    public void DrainAfterCycles_DefaultsToAThousand()
    {
        using var bus = new PhysicalBus();
        bus.AddRam(0, 0x1000);
        ulong clock = 0;
        var buffer = new WriteBuffer(bus, () => clock);

        buffer.Store(0x10, 4, 7);
        clock = 999;
        buffer.Age();
        Assert.False(buffer.IsEmpty);
        clock = 1000;
        buffer.Age();
        Assert.True(buffer.IsEmpty);
        Assert.True(bus.TryRead(0x10, 4, out uint v) && v == 7);
    }

    [Fact]
    public void Peek_SeesPendingWritesWithoutDraining()
    {
        var bytes = new byte[4];

        Assert.True(_rig.System.Peek(0x100, 0x100, bytes));

        Assert.Equal(0x1111_1111u, BitConverter.ToUInt32(bytes));
        Assert.Equal(0u, _rig.Ram32(0x100));
        Assert.False(_rig.Buffer.IsEmpty);
    }

    [Fact]
    public void BecameNonEmpty_GivesTheDueTimeOncePerEmptyToPendingChange()
    {
        _rig.System.DrainWriteBuffer();
        var due = new List<ulong>();
        _rig.Buffer.BecameNonEmpty = due.Add;
        _rig.Now = 500;
        _rig.Write32(0x200, 1, CacheRig.BufferablePage);
        _rig.Write32(0x300, 2, CacheRig.BufferablePage);                 // not empty: no second call
        Assert.Equal([500 + _rig.Buffer.DrainAfterCycles], due);
        Assert.Equal(500 + _rig.Buffer.DrainAfterCycles, _rig.Buffer.OldestDue);
        _rig.Now = 500 + _rig.Buffer.DrainAfterCycles;
        _rig.Buffer.Age();                                             // what the machine's wake does
        Assert.True(_rig.Buffer.IsEmpty);
        Assert.Null(_rig.Buffer.OldestDue);
        Assert.Equal(2u, _rig.Ram32(0x300));
        _rig.Write32(0x400, 3, CacheRig.BufferablePage);
        Assert.Equal(2, due.Count);
    }
}
