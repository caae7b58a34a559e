namespace ArmEmu.Memory.Caches;

/// <summary>
/// Whether the cache model is on, and the two caches' configurations (the CPU model's
/// defaults unless the command line overrides them).
/// </summary>
public sealed record CacheModelOptions(bool Enabled, CacheConfig InstructionCache, CacheConfig DataCache)
{
    /// <summary>The ARM926EJ-S defaults: 16 KiB + 16 KiB, 4-way, 32-byte lines, VIVT, write policy per page, read-allocate.</summary>
    public static CacheModelOptions Arm926 { get; } = new(true, new CacheConfig(), new CacheConfig());

    public static CacheModelOptions Off { get; } = Arm926 with { Enabled = false };

    /// <summary>Builds the cache system for a bus, or null when the model is off.</summary>
    public CacheSystem? Build(PhysicalBus bus, Func<ulong> now) =>
        Enabled ? new CacheSystem(bus, new Cache(InstructionCache, "I-cache"), new Cache(DataCache, "D-cache"), now) : null;
}
