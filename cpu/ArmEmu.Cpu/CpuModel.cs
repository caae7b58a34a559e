namespace ArmEmu.Cpu;

/// <summary>
/// A CPU model is data: architecture version, features and ID values.
/// Instruction rows newer than <see cref="Arch"/> decode as UNDEFINED.
/// </summary>
public sealed record CpuModel(string Name, ArchVersion Arch, uint Midr, bool HasDsp, bool HasJazelle)
{
    /// <summary>ARM926EJ-S: ARMv5TEJ, MIDR 0x41069265 (ARM926EJ-S TRM r0p5, 2.3.1; QEMU's arm926 uses the same value).</summary>
    public static readonly CpuModel Arm926 = new("arm926", ArchVersion.V5TEJ, 0x41069265, HasDsp: true, HasJazelle: true);

    public static IReadOnlyList<CpuModel> All { get; } = [Arm926];

    /// <summary>The model with this name (case-insensitive), or null.</summary>
    public static CpuModel? Find(string name) =>
        All.FirstOrDefault(m => string.Equals(m.Name, name, StringComparison.OrdinalIgnoreCase));
}
