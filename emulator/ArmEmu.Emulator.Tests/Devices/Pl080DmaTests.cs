using ArmEmu.Emulator.Devices;

namespace ArmEmu.Emulator.Tests.Devices;

public sealed class Pl080DmaTests : IDisposable
{
    // Global registers (DDI0196 table 3-1).
    private const uint IntStatus = 0x000, IntTCStatus = 0x004, IntTCClear = 0x008, IntErrorStatus = 0x00C, IntErrClr = 0x010;
    private const uint RawIntTCStatus = 0x014, RawIntErrorStatus = 0x018, EnbldChns = 0x01C;
    private const uint SoftBReq = 0x020, SoftSReq = 0x024, SoftLBReq = 0x028, SoftLSReq = 0x02C, Configuration = 0x030, Sync = 0x034;

    // Channel registers, relative to 0x100 + 0x20 * n.
    private const uint SrcAddr = 0x00, DestAddr = 0x04, Lli = 0x08, Control = 0x0C, Config = 0x10;

    // Channel configuration bits.
    private const uint E = 1, IE = 1u << 14, ITC = 1u << 15, A = 1u << 17, H = 1u << 18;

    private const uint Unmapped = 0x8000_0000;

    private readonly BusMasterTestRig _rig = new();
    private readonly Pl080Dma _dma;

    public Pl080DmaTests()
    {
        _dma = new Pl080Dma(_rig.Bus, _rig.Clock, _rig.Line());
    }

    public void Dispose() => _rig.Dispose();

    private static uint Ch(int n, uint reg) => 0x100 + 0x20 * (uint)n + reg;

    private uint R(uint offset) => _dma.Read(offset, 4);

    private void W(uint offset, uint value) => _dma.Write(offset, 4, value);

    /// <summary>A channel control word; widths and burst sizes are the register encodings.</summary>
    private static uint Ctl(int size, int swidth = 2, int dwidth = 2, int sbsize = 0, int dbsize = 0, bool si = true, bool di = true, bool i = false) =>
        (uint)size | (uint)sbsize << 12 | (uint)dbsize << 15 | (uint)swidth << 18 | (uint)dwidth << 21
        | (si ? 1u << 26 : 0) | (di ? 1u << 27 : 0) | (i ? 1u << 31 : 0);

    private void Program(int ch, uint src, uint dst, uint control, uint lli = 0)
    {
        W(Ch(ch, SrcAddr), src);
        W(Ch(ch, DestAddr), dst);
        W(Ch(ch, Lli), lli);
        W(Ch(ch, Control), control);
    }

    private void Fill(uint pa, int bytes, byte seed)
    {
        for (int i = 0; i < bytes; i++) Assert.True(_rig.Bus.TryWrite(pa + (uint)i, 1, (byte)(seed + 7 * i)));
    }

    private byte[] Bytes(uint pa, int count)
    {
        var b = new byte[count];
        Assert.True(_rig.Bus.ReadRam(pa, b));
        return b;
    }

    [Fact]
    public void RegistersResetToZeroAndIdentifyAsPl080()
    {
        foreach (uint offset in new uint[] { IntStatus, IntTCStatus, IntErrorStatus, RawIntTCStatus, RawIntErrorStatus, EnbldChns, SoftBReq, SoftSReq, SoftLBReq, SoftLSReq, Configuration, Sync })
            Assert.Equal(0u, R(offset));
        for (int c = 0; c < 8; c++)
            foreach (uint reg in new[] { SrcAddr, DestAddr, Lli, Control, Config })
                Assert.Equal(0u, R(Ch(c, reg)));
        var id = Enumerable.Range(0, 8).Select(i => R(0xFE0 + 4 * (uint)i)).ToArray();
        Assert.Equal(new uint[] { 0x80, 0x10, 0x04, 0x0A, 0x0D, 0xF0, 0x05, 0xB1 }, id);
        Assert.Equal(0x1000u, _dma.Size);
        Assert.False(_rig.Irq[0]);
    }

    [Fact]
    public void RegistersReadBackWhatWasWrittenWithinTheirFields()
    {
        Program(7, 0x1234_5678, 0x9ABC_DEF0, 0xFFFF_FFFF, lli: 0xFFFF_FFFF);
        Assert.Equal(0x1234_5678u, R(Ch(7, SrcAddr)));
        Assert.Equal(0x9ABC_DEF0u, R(Ch(7, DestAddr)));
        Assert.Equal(0xFFFF_FFFDu, R(Ch(7, Lli))); // bit 1 is reserved
        Assert.Equal(0xFFFF_FFFFu, R(Ch(7, Control)));
        W(Ch(7, Config), 0xFFFF_FFFE); // everything but E: A is read-only, 5, 10 and 31:19 reserved
        Assert.Equal(0x0005_FBDEu, R(Ch(7, Config)));
        W(Sync, 0xFFFF_FFFF);
        Assert.Equal(0xFFFFu, R(Sync));
        W(Configuration, 0xFFFF_FFFE); // M1, M2 (big-endian masters: stored, not acted on)
        Assert.Equal(6u, R(Configuration));
        // Byte reads see their lane.
        Assert.Equal(0x56u, _dma.Read(Ch(7, SrcAddr) + 1, 1));
        Assert.Equal(0x1234u, _dma.Read(Ch(7, SrcAddr) + 2, 2));
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(0, 1)]
    [InlineData(0, 2)]
    [InlineData(1, 0)]
    [InlineData(1, 1)]
    [InlineData(1, 2)]
    [InlineData(2, 0)]
    [InlineData(2, 1)]
    [InlineData(2, 2)]
    public void SingleTransferCopiesWithEveryWidthCombination(int swidth, int dwidth)
    {
        const int bytes = 64;
        Fill(0x1000, bytes, 0x31);
        Fill(0x2000 - 4, bytes + 8, 0xEE); // guard bytes around the destination stay
        var guardBefore = Bytes(0x2000 - 4, 4);
        var guardAfter = Bytes(0x2000 + bytes, 4);
        W(Configuration, 1);
        Program(0, 0x1000, 0x2000, Ctl(bytes >> swidth, swidth, dwidth, sbsize: 1, dbsize: 1, i: true));
        W(Ch(0, Config), E | ITC);
        _rig.Advance(10_000);
        Assert.Equal(Bytes(0x1000, bytes), Bytes(0x2000, bytes));
        Assert.Equal(guardBefore, Bytes(0x2000 - 4, 4));
        Assert.Equal(guardAfter, Bytes(0x2000 + bytes, 4));
        Assert.Equal(0u, R(EnbldChns));
        Assert.Equal(0u, R(Ch(0, Control)) & 0xFFF);
        Assert.Equal(0x1000u + bytes, R(Ch(0, SrcAddr)));
        Assert.Equal(0x2000u + bytes, R(Ch(0, DestAddr)));
        Assert.Equal(1u, R(RawIntTCStatus));
        Assert.True(_rig.Irq[0]);
    }

    [Fact]
    public void LinkedListOfThreeItemsIsFollowedToTheEnd()
    {
        Fill(0x1000, 16, 0x10);
        Fill(0x1100, 8, 0x20);
        Fill(0x1200, 12, 0x30);
        // Items 2 and 3 in memory: source, destination, next LLI, control.
        uint[] item2 = [0x1100, 0x3100, 0x4010, Ctl(4, swidth: 1, dwidth: 1)];
        uint[] item3 = [0x1200, 0x3200, 0, Ctl(3, i: true)];
        for (int i = 0; i < 4; i++)
        {
            _rig.SetWord(0x4000 + 4 * (uint)i, item2[i]);
            _rig.SetWord(0x4010 + 4 * (uint)i, item3[i]);
        }
        W(Configuration, 1);
        Program(2, 0x1000, 0x3000, Ctl(4), lli: 0x4000);
        W(Ch(2, Config), E | ITC);

        // Item 1: four single word transfers (a read and a write), 4 cycles each; then the 4-word item load, 8 cycles.
        _rig.Advance(16);
        Assert.Equal(Bytes(0x1000, 16), Bytes(0x3000, 16));
        Assert.Equal(0u, R(Ch(2, Control)) & 0xFFF);
        Assert.Equal(0x4000u, R(Ch(2, Lli)));
        _rig.Advance(8);
        Assert.Equal(0x4010u, R(Ch(2, Lli)));
        Assert.Equal(item2[3], R(Ch(2, Control)));
        Assert.Equal(0u, _rig.Word(0x3100));
        Assert.Equal(0u, R(RawIntTCStatus)); // only the last item asks for a terminal-count interrupt
        _rig.Advance(10_000);
        Assert.Equal(Bytes(0x1100, 8), Bytes(0x3100, 8));
        Assert.Equal(Bytes(0x1200, 12), Bytes(0x3200, 12));
        Assert.Equal(0u, R(EnbldChns));
        Assert.Equal(0u, R(Ch(2, Lli)));
        Assert.Equal(0x120Cu, R(Ch(2, SrcAddr)));
        Assert.Equal(1u << 2, R(IntTCStatus));
        Assert.True(_rig.Irq[0]);
    }

    [Fact]
    public void FixedSourceAddressFillsTheDestination()
    {
        _rig.SetWord(0x1000, 0xCAFE_F00D);
        _rig.SetWord(0x1004, 0x1111_1111);
        W(Configuration, 1);
        Program(0, 0x1000, 0x2000, Ctl(8, sbsize: 1, si: false));
        W(Ch(0, Config), E);
        _rig.Advance(1000);
        for (uint i = 0; i < 8; i++) Assert.Equal(0xCAFE_F00Du, _rig.Word(0x2000 + 4 * i));
        Assert.Equal(0x1000u, R(Ch(0, SrcAddr)));
        Assert.Equal(0x2020u, R(Ch(0, DestAddr)));
    }

    [Fact]
    public void FixedDestinationAddressReceivesEveryElement()
    {
        Fill(0x1000, 8, 1);
        W(Configuration, 1);
        Program(0, 0x1000, 0x2000, Ctl(8, swidth: 0, dwidth: 0, di: false));
        W(Ch(0, Config), E);
        _rig.Advance(1000);
        Assert.Equal(Bytes(0x1007, 1)[0], Bytes(0x2000, 1)[0]);
        Assert.Equal(0u, Bytes(0x2001, 1)[0]);
    }

    [Fact]
    public void UnmappedAddressRaisesTheErrorInterruptAndDisablesTheChannel()
    {
        W(Configuration, 1);
        Program(3, Unmapped, 0x2000, Ctl(4, i: true));
        W(Ch(3, Config), E | IE | ITC);
        _rig.Advance(1000);
        Assert.Equal(1u << 3, R(RawIntErrorStatus));
        Assert.Equal(1u << 3, R(IntErrorStatus));
        Assert.Equal(1u << 3, R(IntStatus));
        Assert.Equal(0u, R(RawIntTCStatus));
        Assert.Equal(0u, R(EnbldChns));
        Assert.Equal(0u, R(Ch(3, Config)) & (E | A));
        Assert.True(_rig.Irq[0]);

        W(IntErrClr, 1u << 3);
        Assert.Equal(0u, R(RawIntErrorStatus));
        Assert.False(_rig.Irq[0]);

        // A failing destination too; without IE the error is raw only and the line stays low.
        Program(3, 0x1000, Unmapped + 0x100, Ctl(4));
        W(Ch(3, Config), E);
        _rig.Advance(1000);
        Assert.Equal(1u << 3, R(RawIntErrorStatus));
        Assert.Equal(0u, R(IntErrorStatus));
        Assert.False(_rig.Irq[0]);
    }

    [Fact]
    public void TerminalCountInterruptIsMaskedByItcAndClearedByIntTCClear()
    {
        W(Configuration, 1);
        Program(1, 0x1000, 0x2000, Ctl(4, i: true));
        W(Ch(1, Config), E); // ITC clear: the interrupt is raw only
        _rig.Advance(1000);
        Assert.Equal(2u, R(RawIntTCStatus));
        Assert.Equal(0u, R(IntTCStatus));
        Assert.False(_rig.Irq[0]);

        W(Ch(1, Config), ITC); // unmasking a pending interrupt raises the line
        Assert.Equal(2u, R(IntTCStatus));
        Assert.Equal(2u, R(IntStatus));
        Assert.True(_rig.Irq[0]);

        W(IntTCClear, 1); // another channel's bit: no effect
        Assert.True(_rig.Irq[0]);
        W(IntTCClear, 2);
        Assert.Equal(0u, R(RawIntTCStatus));
        Assert.False(_rig.Irq[0]);

        // Without the I bit there is no terminal-count interrupt at all.
        Program(1, 0x1000, 0x2000, Ctl(4));
        W(Ch(1, Config), E | ITC);
        _rig.Advance(1000);
        Assert.Equal(0u, R(RawIntTCStatus));
        Assert.Equal(0u, R(EnbldChns));
    }

    [Fact]
    public void TransferProgressesOverTime()
    {
        const int words = 256;
        for (uint i = 0; i < words; i++) _rig.SetWord(0x10000 + 4 * i, 0xA000_0000 + i);
        W(Configuration, 1);
        Assert.Equal(2ul, _dma.CyclesPerAccess);
        // Bursts of 4 words: each step is 4 reads and 4 writes, 16 cycles.
        Program(0, 0x10000, 0x20000, Ctl(words, sbsize: 1, dbsize: 1, i: true));
        W(Ch(0, Config), E | ITC);
        ulong start = _rig.Clock.Now;

        Assert.Equal(0u, _rig.Word(0x20000)); // nothing moves inside the register write (unlike QEMU)
        _rig.Advance(40);
        Assert.Equal(1u, R(EnbldChns));
        Assert.Equal(A | E | ITC, R(Ch(0, Config)));
        Assert.Equal((uint)(words - 8), R(Ch(0, Control)) & 0xFFF);
        Assert.Equal(0xA000_0007u, _rig.Word(0x20000 + 4 * 7));
        Assert.Equal(0u, _rig.Word(0x20000 + 4 * 8));
        Assert.Equal(0x10020u, R(Ch(0, SrcAddr)));

        // A CPU store ahead of the transfer is copied; one behind it is not.
        _rig.SetWord(0x10000 + 4 * 200, 0xBEEF);
        _rig.SetWord(0x10000, 0xDEAD);

        _rig.AdvanceTo(start + 16 * (words / 4) - 1);
        Assert.Equal(1u, R(EnbldChns));
        Assert.False(_rig.Irq[0]);
        _rig.AdvanceTo(start + 16 * (words / 4));
        Assert.Equal(0u, R(EnbldChns));
        Assert.True(_rig.Irq[0]);
        Assert.Equal(0xA000_0000u, _rig.Word(0x20000));
        Assert.Equal(0xBEEFu, _rig.Word(0x20000 + 4 * 200));
        Assert.Equal(0xA000_00FFu, _rig.Word(0x20000 + 4 * 255));
    }

    [Fact]
    public void RateIsSetByTheBoard()
    {
        _dma.CyclesPerAccess = 10;
        W(Configuration, 1);
        Program(0, 0x1000, 0x2000, Ctl(1));
        W(Ch(0, Config), E);
        _rig.Advance(19);
        Assert.Equal(1u, R(EnbldChns));
        _rig.Advance(1);
        Assert.Equal(0u, R(EnbldChns));
    }

    [Fact]
    public void NothingMovesWhileTheControllerIsDisabledOrTheChannelHalted()
    {
        _rig.SetWord(0x1000, 0x5555_AAAA);
        Program(0, 0x1000, 0x2000, Ctl(1));
        W(Ch(0, Config), E);
        _rig.Advance(1000);
        Assert.Equal(0u, _rig.Word(0x2000));
        Assert.Equal(1u, R(EnbldChns));

        W(Ch(0, Config), E | H);
        W(Configuration, 1);
        _rig.Advance(1000);
        Assert.Equal(0u, _rig.Word(0x2000));
        Assert.Equal(E | H, R(Ch(0, Config))); // halted and drained: A reads 0

        W(Ch(0, Config), E);
        _rig.Advance(1000);
        Assert.Equal(0x5555_AAAAu, _rig.Word(0x2000));
    }

    [Fact]
    public void LowerChannelNumberHasPriority()
    {
        W(Configuration, 1);
        Program(1, 0x1000, 0x3000, Ctl(64));
        Program(0, 0x1000, 0x2000, Ctl(64));
        W(Ch(1, Config), E);
        W(Ch(0, Config), E);
        _rig.Advance(4 * 64 + 8);
        Assert.Equal(2u, R(EnbldChns)); // channel 0 finished first although enabled second
        Assert.True((R(Ch(1, Control)) & 0xFFF) >= 62);
    }

    [Fact]
    public void PeripheralToMemoryTransferMovesOnSoftwareRequests()
    {
        Fill(0x1000, 16, 9);
        W(Configuration, 1);
        // Flow control 2 (peripheral to memory, DMAC flow controller), source peripheral 5, bursts of 4.
        Program(0, 0x1000, 0x2000, Ctl(8, sbsize: 1, si: true, i: true));
        W(Ch(0, Config), E | 5u << 1 | 2u << 11);
        _rig.Advance(1000);
        Assert.Equal(0u, _rig.Word(0x2000)); // no request yet
        W(SoftSReq, 1u << 5);
        Assert.Equal(1u << 5, R(SoftSReq));
        _rig.Advance(1000);
        Assert.Equal(0u, R(SoftSReq));
        Assert.Equal(7u, R(Ch(0, Control)) & 0xFFF);
        W(SoftBReq, 1u << 5);
        _rig.Advance(1000);
        Assert.Equal(3u, R(Ch(0, Control)) & 0xFFF);
        W(SoftBReq, 1u << 5);
        _rig.Advance(1000);
        Assert.Equal(0u, R(EnbldChns));
        Assert.Equal(1u, R(RawIntTCStatus));
        Assert.Equal(Bytes(0x1000, 32), Bytes(0x2000, 32));
    }
}
