namespace ArmEmu.Emulator.Devices;

/// <summary>Something with numbered interrupt inputs: the PL190 VIC, the Versatile secondary controller.</summary>
internal interface IInterruptController
{
    /// <summary>Drives input <paramref name="line"/> to <paramref name="level"/> (interrupts on the Versatile PB are level-sensitive).</summary>
    void SetInput(int line, bool level);
}

/// <summary>
/// One device's interrupt output, wired to an input of a controller. A device
/// only says "my interrupt is (not) asserted"; the wiring is the board's.
/// </summary>
internal sealed class InterruptLine(IInterruptController controller, int input)
{
    private bool _level;

    /// <summary>A line wired to nothing (a device used alone, in unit tests).</summary>
    public static InterruptLine Unconnected() => new(NoController.Instance, 0);

    public bool Level
    {
        get => _level;
        set
        {
            if (_level == value) return;
            _level = value;
            controller.SetInput(input, value);
        }
    }

    private sealed class NoController : IInterruptController
    {
        public static readonly NoController Instance = new();

        public void SetInput(int line, bool level)
        {
        }
    }
}

/// <summary>
/// Reports accesses to register offsets a device does not implement: each
/// (device, offset) once, when --trace-mmio is on. Such reads return zero and
/// writes are ignored.
/// </summary>
internal sealed class MmioTrace(TextWriter? output)
{
    private readonly HashSet<(string, uint, bool)> _seen = new();

    public static readonly MmioTrace Off = new(null);

    public void Unknown(string device, uint offset, bool write)
    {
        if (output is null || !_seen.Add((device, offset, write))) return;
        output.WriteLine($"armemu: {device}: {(write ? "write to" : "read of")} unimplemented register at offset 0x{offset:x3}");
    }

    /// <summary>Reports, once per device, an access to a device the board maps but does not model.</summary>
    public void Unmodelled(string device, uint physicalBase)
    {
        if (output is null || !_seen.Add((device, physicalBase, false))) return;
        output.WriteLine($"armemu: {device} at 0x{physicalBase:x8} is not modelled: it reads as zero and ignores writes");
    }
}
