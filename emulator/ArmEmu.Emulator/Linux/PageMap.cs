using ArmEmu.Memory;

namespace ArmEmu.Emulator.Linux;

/// <summary>
/// A value per 4 KiB virtual page of the 32-bit space, kept in chunks of 1024 pages (4 MiB of
/// address space) made on the first write into them; a page never written reads as default.
/// </summary>
/// <remarks>
/// Flat arrays of 2^20 entries were 1-4 MiB each on the large object heap: the address space's
/// four tables and the machine's executable-mapping counts came to 10 MiB, past the budget at
/// which the runtime collects the whole heap, so every start-up paid a full garbage collection
/// (and the finalizer's pool trimming after it) while the machine was being built. A process
/// writes a few chunks: its program, heap and mappings, its stack, the vectors page.
/// </remarks>
internal sealed class PageMap<T> where T : unmanaged
{
    private const int ChunkBits = 10;
    private const uint ChunkMask = (1u << ChunkBits) - 1;

    /// <summary>Pages per chunk: a walk over the whole space skips a chunk never written (<see cref="ChunkWritten"/>) by this many.</summary>
    public const uint ChunkPages = 1u << ChunkBits;

    private readonly T[]?[] _chunks = new T[]?[1 << (32 - PhysicalBus.PageBits - ChunkBits)];

    /// <summary>The value of page <paramref name="vpn"/>: default if nothing was written to its chunk.</summary>
    public T this[uint vpn]
    {
        get
        {
            var chunk = _chunks[vpn >> ChunkBits];
            return chunk is null ? default : chunk[vpn & ChunkMask];
        }
        set => (_chunks[vpn >> ChunkBits] ??= new T[ChunkPages])[vpn & ChunkMask] = value;
    }

    /// <summary>Whether anything was written to the chunk holding page <paramref name="vpn"/> (if not, all its pages read as default).</summary>
    public bool ChunkWritten(uint vpn) => _chunks[vpn >> ChunkBits] is not null;
}
