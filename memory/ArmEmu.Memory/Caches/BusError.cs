namespace ArmEmu.Memory.Caches;

/// <summary>Nothing on the bus answered an uncached access; the port turns it into a fault.</summary>
internal sealed class BusError(uint pa) : Exception($"bus error at 0x{pa:x8}")
{
    public uint PhysicalAddress { get; } = pa;
}
