namespace ArmEmu.Memory.Caches;

/// <summary>
/// Whether the cache model is on, and the caches' configurations (the CPU model's and the
/// board's defaults unless the command line overrides them): the L1 I and D caches and, on a
/// board with one, the outer L2 (<see cref="OuterCache"/>).
/// </summary>
public sealed record CacheModelOptions(bool Enabled, CacheConfig InstructionCache, CacheConfig DataCache)
{
    /// <summary>The ARM926EJ-S defaults: 16 KiB + 16 KiB, 4-way, 32-byte lines, VIVT, write policy per page, read-allocate.</summary>
    public static CacheModelOptions Arm926 { get; } = new(true, new CacheConfig(), new CacheConfig());

    /// <summary>
    /// A Cortex-A9 with a PL310, as on vexpress-a9: the L1 caches QEMU 7.2's CCSIDR describes
    /// (<see cref="CacheConfig.CortexA9Instruction"/>, <see cref="CacheConfig.CortexA9Data"/>)
    /// and the PL310 geometry QEMU's l2x0 reports (<see cref="Pl310Geometry.Default"/>).
    /// </summary>
    public static CacheModelOptions CortexA9 { get; } =
        new(true, CacheConfig.CortexA9Instruction, CacheConfig.CortexA9Data) { OuterCache = Pl310Geometry.Default };

    /// <summary>The cache model off: memory accesses go straight to RAM, as in QEMU.</summary>
    public static CacheModelOptions Off { get; } = Arm926 with { Enabled = false };

    /// <summary>The outer L2 cache, or null when there is none (the ARM926 boards).</summary>
    public CacheConfig? OuterCache { get; init; }

    /// <summary>Builds the cache system for a bus, or null when the model is off.</summary>
    public CacheSystem? Build(PhysicalBus bus, Func<ulong> now) =>
        Enabled ? new CacheSystem(bus, new Cache(InstructionCache, "I-cache"), new Cache(DataCache, "D-cache"), now, OuterCache) : null;
}
