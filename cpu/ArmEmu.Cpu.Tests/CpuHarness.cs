using ArmEmu.Memory;
using ArmEmu.TestSupport;

namespace ArmEmu.Cpu.Tests;

/// <summary>
/// A bare core (ARM926 unless another model is given) on 1 MiB of flat RAM at 0, for instruction tests:
/// assemble a snippet at <see cref="CodeBase"/>, set registers, run to the
/// end of the snippet, look at registers, flags and memory.
/// </summary>
internal sealed class CpuHarness : IDisposable
{
    public const uint CodeBase = 0x1000;
    public const uint DataBase = 0x8_0000;
    public const uint RamSize = 0x10_0000;

    public CpuHarness(CpuModel? model = null)
    {
        Bus = new PhysicalBus();
        Bus.AddRam(0, RamSize);
        Flat = new FlatTranslation();
        Flat.Map(0, RamSize, Permission.All);
        Port = new MemoryPort(Bus, Flat);
        model ??= CpuModel.Arm926;
        Cpu = new Cpu(model, Port);
        March = model.Arch >= ArchVersion.V7 ? (model.Has(CpuFeature.ArmDivide) ? "armv7ve" : "armv7-a") : model.Arch >= ArchVersion.V6 ? "armv6kz" : "armv5te";
    }

    public PhysicalBus Bus { get; }

    public FlatTranslation Flat { get; }

    public MemoryPort Port { get; }

    public Cpu Cpu { get; }

    /// <summary>The assembler's -march for the model.</summary>
    public string March { get; }

    /// <summary>Address just past the last loaded snippet: where <see cref="Run"/> stops.</summary>
    public uint End { get; private set; }

    /// <summary>Assembles <paramref name="source"/> at <paramref name="address"/> and writes it to RAM.</summary>
    public uint Load(string source, uint address = CodeBase)
    {
        byte[] code = GnuToolchain.Assemble(source, address, March);
        Bus.WriteRam(address, code);
        End = address + (uint)code.Length;
        return End;
    }

    /// <summary>
    /// Assembles and runs <paramref name="source"/> from <see cref="CodeBase"/> until the PC reaches
    /// its end. A source starting with ".thumb" runs in Thumb state.
    /// </summary>
    public static CpuHarness Run(string source, Action<CpuHarness>? setup = null, long maxInstructions = 100_000,
                                 CpuModel? model = null)
    {
        var h = new CpuHarness(model);
        h.Load(source);
        h.Cpu.T = source.TrimStart().StartsWith(".thumb", StringComparison.Ordinal) || source.Contains(".syntax unified\n.thumb");
        h.Cpu.PC = CodeBase;
        setup?.Invoke(h);
        h.LastStop = h.Cpu.Run(maxInstructions, h.End);
        return h;
    }

    /// <summary>As <see cref="Run(string, Action{CpuHarness}?, long, CpuModel?)"/> on <paramref name="model"/> (assembled for its architecture).</summary>
    public static CpuHarness Run(CpuModel model, string source, Action<CpuHarness>? setup = null, long maxInstructions = 100_000) =>
        Run(source, setup, maxInstructions, model);

    public StopReason LastStop { get; private set; }

    /// <summary>The exception a test's handler stopped on, if it records one.</summary>
    public ExceptionKind? Exception { get; set; }

    public uint this[int register] => Cpu.R[register];

    public uint Read32(uint address)
    {
        Span<byte> b = stackalloc byte[4];
        Assert.True(Bus.ReadRam(address, b));
        return BitConverter.ToUInt32(b);
    }

    public void Write32(uint address, uint value) => Bus.WriteRam(address, BitConverter.GetBytes(value));

    /// <summary>NZCV as a string like "nZCv", for readable assertions.</summary>
    public string Flags => $"{(Cpu.N ? 'N' : 'n')}{(Cpu.Z ? 'Z' : 'z')}{(Cpu.C ? 'C' : 'c')}{(Cpu.V ? 'V' : 'v')}";

    public void Dispose()
    {
        Port.Dispose();
        Bus.Dispose();
    }
}
