using ArmEmu.Cpu;
using ArmEmu.Emulator.Devices;
using ArmEmu.Emulator.Machine;
using ArmEmu.Memory;

namespace ArmEmu.Emulator.Tests.Devices;

/// <summary>
/// A bus with 1 MiB of RAM at 0, a CPU that never runs (time is moved by setting its
/// instruction count, one cycle per instruction) and a clock on it, for devices that master
/// the bus and act over time. Nothing is mapped above the RAM.
/// </summary>
internal sealed class BusMasterTestRig : IDisposable
{
    public const ulong CpuHz = 100_000_000;
    public const uint RamSize = 1 << 20;

    public BusMasterTestRig()
    {
        Bus = new PhysicalBus();
        Bus.AddRam(0, RamSize);
        var translation = new FlatTranslation();
        translation.Map(0, RamSize, Permission.Read | Permission.Write | Permission.Execute);
        Port = new MemoryPort(Bus, translation);
        Cpu = new Cpu.Cpu(CpuModel.Arm926, Port);
        Clock = new VirtualClock(Cpu, CpuHz);
    }

    public PhysicalBus Bus { get; }

    public MemoryPort Port { get; }

    public Cpu.Cpu Cpu { get; }

    public VirtualClock Clock { get; }

    public Levels Irq { get; } = new();

    public InterruptLine Line() => new(Irq, 0);

    /// <summary>Moves time forward by <paramref name="cycles"/>, running each event at its own time.</summary>
    public void Advance(ulong cycles) => AdvanceTo(Clock.Now + cycles);

    public void AdvanceTo(ulong target)
    {
        while (Clock.NextEventTime is ulong next && next <= target)
        {
            if (next > Clock.Now) Cpu.InstructionsExecuted = next;
            Clock.RunDue();
        }
        if (target > Clock.Now) Cpu.InstructionsExecuted = target;
    }

    public uint Word(uint pa)
    {
        Assert.True(Bus.TryRead(pa, 4, out uint v));
        return v;
    }

    public void SetWord(uint pa, uint value) => Assert.True(Bus.TryWrite(pa, 4, value));

    public void Dispose()
    {
        Port.Dispose();
        Bus.Dispose();
    }

    /// <summary>An interrupt controller that remembers the level of each input.</summary>
    internal sealed class Levels : IInterruptController
    {
        private readonly bool[] _levels = new bool[32];

        public int Changes { get; private set; }

        public bool this[int line] => _levels[line];

        public void SetInput(int line, bool level)
        {
            _levels[line] = level;
            Changes++;
        }
    }
}
