using System.Numerics;

namespace ArmEmu.Memory.Caches;

/// <summary>
/// The PL310's geometry as its auxiliary control register states it (ARM DDI 0246, 3.3.4,
/// "Auxiliary Control Register"): associativity in bit 16 (0: 8 ways, 1: 16 ways), way size in
/// bits [19:17] (0b001 16 KiB ... 0b110 and 0b111 512 KiB; 0b000 is reserved and taken as
/// 16 KiB), force write allocate in [24:23], replacement in bit 25 (1: round-robin, 0:
/// pseudo-random). Lines are always 32 bytes.
/// </summary>
internal static class Pl310Geometry
{
    /// <summary>AUX_CTRL at reset as QEMU 7.2's l2x0 gives it on vexpress-a9: 8 ways of 16 KiB, round-robin.</summary>
    public const uint QemuAuxiliaryControl = 0x0202_0000;

    public const int LineBytes = 32;

    /// <summary>The default PL310 of the vexpress-a9 board: 128 KiB from <see cref="QemuAuxiliaryControl"/>.</summary>
    public static CacheConfig Default { get; } = FromAuxiliaryControl(QemuAuxiliaryControl);

    public static CacheConfig FromAuxiliaryControl(uint aux, ulong seed = 1)
    {
        int ways = (aux >> 16 & 1) != 0 ? 16 : 8;
        int code = (int)(aux >> 17 & 7);
        int wayBytes = 16 * 1024 << Math.Clamp(code - 1, 0, 5);
        // [24:23] = 0b01 forces no write allocate; 0b00 (use AWCACHE) and 0b10 allocate (see OuterCache).
        var allocation = (aux >> 23 & 3) == 1 ? AllocationPolicy.ReadAllocate : AllocationPolicy.WriteAllocate;
        var replacement = (aux >> 25 & 1) != 0 ? ReplacementPolicy.RoundRobin : ReplacementPolicy.Random;
        return new CacheConfig(wayBytes * ways, ways, LineBytes, CacheIndexing.Pipt, WritePolicy.WriteBack, allocation, replacement,
            seed, DirtyGranularity.Line);
    }

    /// <summary>
    /// <paramref name="aux"/> with the associativity, way size, allocation and replacement fields
    /// set to describe <paramref name="config"/> (a --l2cache geometry as the reset value);
    /// throws <see cref="ArgumentException"/> with one line when the PL310 cannot have it.
    /// </summary>
    public static uint AuxiliaryControlFor(CacheConfig config, uint aux = QemuAuxiliaryControl)
    {
        int wayBytes = config.SizeBytes / config.Ways;
        if (config.LineBytes != LineBytes || (config.Ways != 8 && config.Ways != 16) || wayBytes < 16 * 1024 || wayBytes > 512 * 1024)
            throw new ArgumentException("the PL310 has 8 or 16 ways of 16K to 512K and 32-byte lines");
        if (config.Replacement == ReplacementPolicy.Lru) throw new ArgumentException("the PL310 replaces round-robin (rr) or pseudo-randomly (random), not lru");
        if (config.WritePolicy == WritePolicy.WriteThrough) throw new ArgumentException("the PL310 is write-back (its debug control register forces write-through at run time)");
        uint code = (uint)BitOperations.Log2((uint)wayBytes / (16 * 1024)) + 1;
        aux &= ~(1u << 16 | 7u << 17 | 3u << 23 | 1u << 25);
        aux |= (config.Ways == 16 ? 1u << 16 : 0) | code << 17;
        if (config.Allocation == AllocationPolicy.ReadAllocate) aux |= 1u << 23;
        if (config.Replacement == ReplacementPolicy.RoundRobin) aux |= 1u << 25;
        return aux;
    }
}
