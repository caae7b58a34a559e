using ArmEmu.Emulator.Devices;
using ArmEmu.Emulator.Machine;
using ArmEmu.Memory;

namespace ArmEmu.Emulator.Tests.Devices;

/// <summary>
/// A <see cref="VirtualClock"/> for device tests: a real ARM926 core that never runs, whose
/// instruction count is moved forward by hand. <see cref="Advance"/> stops at every scheduled
/// event on the way and runs it at its own time, as the machine's run loop does.
/// </summary>
internal sealed class DeviceTestClock : IDisposable
{
    private readonly PhysicalBus _bus = new();
    private readonly MemoryPort _port;
    private readonly Cpu.Cpu _cpu;

    public DeviceTestClock(ulong cpuHz = 200_000_000)
    {
        _bus.AddRam(0, PhysicalBus.PageSize);
        var flat = new FlatTranslation();
        flat.Map(0, PhysicalBus.PageSize, Permission.All);
        _port = new MemoryPort(_bus, flat);
        _cpu = new Cpu.Cpu(Cpu.CpuModel.Arm926, _port);
        Clock = new VirtualClock(_cpu, cpuHz);
    }

    public VirtualClock Clock { get; }

    public ulong Now => Clock.Now;

    /// <summary>Moves time forward by <paramref name="cycles"/>, running the events that fall due.</summary>
    public void Advance(ulong cycles) => AdvanceTo(Clock.Now + cycles);

    public void AdvanceTo(ulong time)
    {
        while (Clock.NextEventTime is ulong next && next <= time)
        {
            SetNow(next);
            Clock.RunDue();
        }
        SetNow(time);
        Clock.RunDue();
    }

    private void SetNow(ulong time)
    {
        if (time > Clock.Now) _cpu.InstructionsExecuted = time - Clock.IdleCycles;
    }

    public void Dispose()
    {
        _port.Dispose();
        _bus.Dispose();
    }
}

/// <summary>An interrupt controller that records its inputs' levels, to watch a device's output.</summary>
internal sealed class RecordingController : IInterruptController
{
    public readonly bool[] Levels = new bool[32];

    public int Changes { get; private set; }

    public void SetInput(int line, bool level)
    {
        Levels[line] = level;
        Changes++;
    }
}
