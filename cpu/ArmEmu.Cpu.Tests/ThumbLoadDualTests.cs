using ArmEmu.Memory;

namespace ArmEmu.Cpu.Tests;

/// <summary>
/// LDRD (immediate) T1 in its offset form, whose interpreter handler reads both words with one
/// page look-up when it may (LoadStoreExtra.LdrdT1): the words of one page with either offset
/// sign, and each case that must take the two MemA reads instead -- words on two pages, the
/// second page unmapped (a Data Abort on its address that changes no register), an unaligned
/// address (an Alignment fault on ARMv7), big-endian data (each word reversed).
/// </summary>
public class ThumbLoadDualTests
{
    private const uint Page = CpuHarness.DataBase; // 0x80000, a page of its own

    // The data abort's address, where one was taken (the run stops on it).
    private static uint? _faultAddress;

    private static CpuHarness Run(string body, uint address, Action<CpuHarness>? setup = null)
    {
        var h = new CpuHarness(CpuModel.CortexA15);
        _faultAddress = null;
        h.Load(".syntax unified\n.thumb\n" + body);
        for (uint a = Page - 0x100; a < Page + 0x1100; a += 4) h.Bus.WriteRam(a, BitConverter.GetBytes(0xA000_0000u | a));
        h.Cpu.ExceptionHandler = (Cpu cpu, in CpuException e) =>
        {
            h.Exception = e.Kind;
            _faultAddress = e.Fault?.Address;
            return ExceptionDisposition.Stop;
        };
        h.Cpu.Cpsr = (uint)ProcessorMode.Supervisor | 0x20;
        h.Cpu.PC = CpuHarness.CodeBase;
        h.Cpu.R[1] = address;
        h.Cpu.R[4] = 0xD4;
        h.Cpu.R[5] = 0xD5;
        setup?.Invoke(h);
        h.Cpu.Run(100, h.End);
        return h;
    }

    [Theory]
    [InlineData("ldrd r4, r5, [r1, #8]", Page + 0x100, Page + 0x108)]
    [InlineData("ldrd r4, r5, [r1, #-8]", Page + 0x100, Page + 0xF8)]
    [InlineData("ldrd r4, r5, [r1]", Page + 0xFF8, Page + 0xFF8)]     // the page's last doubleword
    [InlineData("ldrd r4, r5, [r1, #1020]", Page, Page + 0x3FC)]
    public void WordsOfOnePageAreTheTwoWordsAtTheAddress(string insn, uint address, uint words)
    {
        using var h = Run(insn, address);
        Assert.Null(h.Exception);
        Assert.Equal(0xA000_0000u | words, h[4]);
        Assert.Equal(0xA000_0000u | (words + 4), h[5]);
        Assert.Equal(address, h[1]);
    }

    [Fact]
    public void BaseAsFirstRegisterIsTheLoadedWordAsInAPointerChase()
    {
        // ldrd r1, r4, [r1]: chase's loop (the next node's address and the value).
        using var h = Run("ldrd r1, r4, [r1, #16]", Page + 0x200);
        Assert.Equal(0xA000_0000u | (Page + 0x210), h[1]);
        Assert.Equal(0xA000_0000u | (Page + 0x214), h[4]);
    }

    [Fact]
    public void WordsOnTwoPagesAreReadFromEach()
    {
        using var h = Run("ldrd r4, r5, [r1]", Page + 0xFFC);
        Assert.Null(h.Exception);
        Assert.Equal(0xA000_0000u | (Page + 0xFFC), h[4]);
        Assert.Equal(0xA000_0000u | (Page + 0x1000), h[5]);
    }

    [Fact]
    public void SecondWordOnAnUnmappedPageIsADataAbortThatChangesNoRegister()
    {
        using var h = Run("ldrd r4, r5, [r1]", Page + 0xFFC, s => s.Flat.Unmap(Page + 0x1000, 0x1000));
        Assert.Equal(ExceptionKind.DataAbort, h.Exception);
        Assert.Equal(Page + 0x1000, _faultAddress);
        Assert.Equal((0xD4u, 0xD5u), (h[4], h[5]));
    }

    [Fact]
    public void UnalignedAddressIsAnAlignmentFaultOnArmV7()
    {
        using var h = Run("ldrd r4, r5, [r1]", Page + 0x102);
        Assert.Equal(ExceptionKind.DataAbort, h.Exception);
        Assert.Equal(Page + 0x102, _faultAddress);
        Assert.Equal((0xD4u, 0xD5u), (h[4], h[5]));
    }

    [Fact]
    public void BigEndianDataReversesEachWord()
    {
        using var h = Run("ldrd r4, r5, [r1]", Page + 0x100, s => s.Cpu.E = true);
        Assert.Null(h.Exception);
        Assert.Equal(System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(0xA000_0000u | (Page + 0x100)), h[4]);
        Assert.Equal(System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(0xA000_0000u | (Page + 0x104)), h[5]);
    }
}
