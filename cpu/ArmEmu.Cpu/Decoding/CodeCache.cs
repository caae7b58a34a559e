using ArmEmu.Memory;

namespace ArmEmu.Cpu.Decoding;

/// <summary>
/// The decoded-code store of one address space: a <see cref="DecodedPage"/> per 4 KiB virtual
/// page that has been executed, keyed by virtual page number. It belongs to the address space
/// (the process, or the machine for a bare-metal board), not to a <see cref="Cpu"/>: the threads
/// of a process will share one. It costs memory only per page actually executed: a two-level
/// table (1024 directories of 1024 pages), a directory allocated on the first page executed in
/// its 4 MiB, where a flat table would hold 2^20 references (8 MiB) per CPU.
/// </summary>
/// <remarks>
/// Entries never go stale by themselves: a slot holds the word it was decoded from, and the
/// engine compares it with the fetched word (<see cref="DecodedPage"/>). The decoders are the
/// model's, so every CPU sharing a store must be of the same <see cref="Model"/>.
/// </remarks>
public sealed class CodeCache
{
    private const int DirectoryBits = 10;
    private readonly DecodedPage?[]?[] _directories = new DecodedPage?[]?[1 << (32 - PhysicalBus.PageBits - DirectoryBits)];

    public CodeCache(CpuModel model)
    {
        Model = model;
        Arm = ArmDecoder.For(model);
        Thumb = Thumb16Decoder.For(model);
        Thumb32 = model.Has(CpuFeature.Thumb2) ? Thumb32Decoder.For(model) : null;
    }

    /// <summary>The model whose decoders filled this store.</summary>
    public CpuModel Model { get; }

    /// <summary>The ARM decoder of <see cref="Model"/>.</summary>
    public ArmDecoder Arm { get; }

    /// <summary>The 16-bit Thumb decoder of <see cref="Model"/>.</summary>
    public Thumb16Decoder Thumb { get; }

    /// <summary>The 32-bit Thumb decoder of <see cref="Model"/>; null on models without Thumb-2.</summary>
    public Thumb32Decoder? Thumb32 { get; }

    /// <summary>
    /// Decodes a Thumb instruction as fetched: a halfword, or on Thumb-2 models hw1:hw2 when the
    /// first halfword opens a 32-bit instruction (<see cref="IsThumb32"/>).
    /// </summary>
    public DecodedInstruction DecodeThumb(uint op) =>
        op > 0xFFFF ? Thumb32!.Table.DecodeInstruction(op) : Thumb.Table.DecodeInstruction(op);

    /// <summary>
    /// True if a first halfword opens a 32-bit Thumb instruction (DDI 0406C A6.1: bits 15:11 are
    /// 0b11101, 0b11110 or 0b11111). Only on Thumb-2 models: before, those are the 16-bit BL halves.
    /// </summary>
    public static bool IsThumb32(uint hw1) => hw1 >= 0xE800;

    /// <summary>Pages decoded so far (for statistics and tests).</summary>
    public int PageCount { get; private set; }

    /// <summary>The decoded page for virtual page <paramref name="vpn"/>, created on first use.</summary>
    public DecodedPage GetOrCreate(uint vpn)
    {
        ref DecodedPage?[]? directory = ref _directories[vpn >> DirectoryBits];
        directory ??= new DecodedPage?[1 << DirectoryBits];
        ref DecodedPage? page = ref directory[vpn & ((1 << DirectoryBits) - 1)];
        if (page is null)
        {
            page = new DecodedPage(Arm, Thumb);
            PageCount++;
        }
        return page;
    }

    /// <summary>The decoded page for <paramref name="vpn"/> if one exists.</summary>
    public DecodedPage? Find(uint vpn) => _directories[vpn >> DirectoryBits]?[vpn & ((1 << DirectoryBits) - 1)];

    /// <summary>
    /// An I-cache line was evicted or invalidated: the slots decoded from it no longer stand for
    /// it (see <see cref="DecodedPage.ArmValid"/>).
    /// </summary>
    public void OnInstructionLineRemoved(uint va, int length)
    {
        if (Find(va >> PhysicalBus.PageBits) is not { } page) return;
        uint offset = va & PhysicalBus.PageMask;
        for (uint a = offset; a < offset + (uint)length && a < PhysicalBus.PageSize; a += 2)
        {
            page.ThumbValid[a >> 1] = false;
            // A 32-bit Thumb instruction starting in the halfword before the line holds part of it.
            if (a == offset && a >= 2) page.ThumbValid[(a - 2) >> 1] = false;
            if ((a & 3) == 0) page.ArmValid[a >> 2] = false;
        }
    }

    /// <summary>Forgets every decoded instruction.</summary>
    public void Clear()
    {
        Array.Clear(_directories);
        PageCount = 0;
    }
}
