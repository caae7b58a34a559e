using ArmEmu.Memory.Caches;

namespace ArmEmu.Memory.Tests.Caches;

/// <summary>
/// A <see cref="CacheSystem"/> on a small <see cref="PhysicalBus"/> (256 KiB of RAM at 0, a
/// recording device at 0x1000_0000) with a clock the test drives. The write buffer never
/// drains by age unless a test sets <see cref="WriteBuffer.DrainAfterCycles"/>, so what
/// RAM shows depends only on the accesses and maintenance the test makes.
/// </summary>
internal sealed class CacheRig : IDisposable
{
    public const uint DeviceBase = 0x1000_0000;

    /// <summary>C=1 B=1: write-back under the per-page policy (ARM926EJ-S TRM table 4-1).</summary>
    public static readonly PageAttributes WriteBackPage = new(true, true);

    /// <summary>C=1 B=0: write-through under the per-page policy.</summary>
    public static readonly PageAttributes WriteThroughPage = new(true, false);

    /// <summary>C=0 B=1: uncached, bufferable (NCB).</summary>
    public static readonly PageAttributes BufferablePage = new(false, true);

    /// <summary>C=0 B=0: uncached, unbuffered (NCNB).</summary>
    public static readonly PageAttributes NcnbPage = new(false, false);

    /// <summary>The ARM926 geometry (16 KiB, 4-way, 32-byte lines, VIVT, per page, read-allocate) with round-robin replacement, so victims are predictable.</summary>
    public static CacheConfig Arm926RoundRobin => new(Replacement: ReplacementPolicy.RoundRobin);

    /// <summary>The Cortex-A9 L1 D-cache (PIPT, one dirty bit per line, write-back only) with round-robin replacement.</summary>
    public static CacheConfig CortexA9DataRoundRobin => CacheConfig.CortexA9Data with { Replacement = ReplacementPolicy.RoundRobin };

    /// <summary>The Cortex-A9 L1 I-cache (VIPT) with round-robin replacement.</summary>
    public static CacheConfig CortexA9InstructionRoundRobin => CacheConfig.CortexA9Instruction with { Replacement = ReplacementPolicy.RoundRobin };

    /// <param name="outer">An outer L2 below the L1 caches (off until a test enables it), or none.</param>
    public CacheRig(CacheConfig? data = null, CacheConfig? instruction = null, CacheConfig? outer = null)
    {
        Bus.AddRam(0, 0x4_0000);
        Bus.AddDevice(DeviceBase, Device);
        System = new CacheSystem(Bus, new Cache(instruction ?? Arm926RoundRobin, "I-cache"), new Cache(data ?? Arm926RoundRobin, "D-cache"), () => Now, outer);
        System.WriteBuffer.DrainAfterCycles = ulong.MaxValue;
        System.WriteBuffer.Draining = (address, bytes) => Drained.Add((address, bytes));
    }

    public PhysicalBus Bus { get; } = new();

    public RecordingDevice Device { get; } = new();

    public CacheSystem System { get; }

    public Cache D => System.DataCache!;

    public Cache I => System.InstructionCache!;

    public WriteBuffer Buffer => System.WriteBuffer;

    /// <summary>The outer L2 level (only when the rig was built with one).</summary>
    public OuterCache L2 => System.OuterCache!;

    /// <summary>The cycle counter the write buffer ages its entries by.</summary>
    public ulong Now { get; set; }

    /// <summary>Every write-buffer entry that reached the bus, oldest first: (physical address, bytes).</summary>
    public List<(uint Address, int Bytes)> Drained { get; } = new();

    public uint Ram32(uint pa) => Bus.TryRead(pa, 4, out uint v) ? v : throw new InvalidOperationException($"no RAM at 0x{pa:x8}");

    public void SetRam32(uint pa, uint value)
    {
        if (!Bus.TryWrite(pa, 4, value)) throw new InvalidOperationException($"no RAM at 0x{pa:x8}");
    }

    /// <summary>Fills RAM words [pa, pa + 4*count) with pattern + index.</summary>
    public void FillRam(uint pa, int count, uint pattern)
    {
        for (int i = 0; i < count; i++) SetRam32(pa + 4u * (uint)i, pattern + (uint)i);
    }

    /// <summary>A word read with VA = PA (write-back page unless told).</summary>
    public uint Read32(uint address, PageAttributes? attributes = null) => System.Read(address, address, 4, attributes ?? WriteBackPage);

    /// <summary>A word write with VA = PA (write-back page unless told).</summary>
    public void Write32(uint address, uint value, PageAttributes? attributes = null) => System.Write(address, address, 4, value, attributes ?? WriteBackPage);

    /// <summary>The D-cache line holding an address mapped VA = PA, or -1.</summary>
    public int DataLine(uint address) => D.Find(address, address);

    /// <summary>The I-cache line holding an address mapped VA = PA, or -1.</summary>
    public int InstructionLine(uint address) => I.Find(address, address);

    public int ValidLines(Cache cache) => Enumerable.Range(0, cache.LineCount).Count(cache.IsValid);

    public void Dispose() => Bus.Dispose();

    /// <summary>A device that records every bus write in order.</summary>
    internal sealed class RecordingDevice : IMmioDevice
    {
        public List<(uint Offset, int Size, uint Value)> Writes { get; } = new();

        public int Reads { get; private set; }

        public uint Size => 0x1000;

        public uint Read(uint offset, int size)
        {
            Reads++;
            return 0x5A5A_5A5A;
        }

        public void Write(uint offset, int size, uint value) => Writes.Add((offset, size, value));
    }
}
