using System.Text;
using ArmEmu.Cpu;
using ArmEmu.Emulator;
using Gee.External.Capstone;
using Gee.External.Capstone.Arm;
using ArmRegister = ArmEmu.Emulator.ArmRegister;

namespace ArmEmu.GuestTests.Differential;

/// <summary>The state the differential test compares: r0-r14, the CPSR, the scratch buffer, and how the run ended.</summary>
public sealed record MachineState(uint[] Registers, uint Cpsr, byte[] Scratch, string? Error);

/// <summary>
/// Runs test cases on Unicorn and on ArmEmu, both as the same CPU model (ARM926 unless told
/// otherwise; Cortex-A8/A9/A15 for ARMv7), from the same state and compares the results.
/// Both engines are created once and reset per test case: registers, CPSR, the code page
/// and the whole scratch buffer are rewritten.
/// </summary>
public sealed class DifferentialHarness : IDisposable
{
    /// <summary>
    /// CPSR bits compared on ARMv5: N Z C V Q (31:27), I F T (7:5) and the mode (4:0). Bits 26:8
    /// are J, reserved, E, A and GE on later cores; Unicorn's QEMU keeps some of them
    /// (e.g. A) in its CPSR image, and nothing generated for ARMv5 writes them.
    /// </summary>
    public const uint CpsrMask = 0xF800_00FF;

    /// <summary>On ARMv6 and later GE[3:0] (19:16) and E (9) are compared too. A (8) stays out: Unicorn sets it at reset.</summary>
    public const uint CpsrMaskV6 = CpsrMask | 0x000F_0200;

    /// <summary>
    /// Unicorn 2.0.1's numbers for the models (uc_cpu_arm): measured on Debian's libunicorn2,
    /// 14 = A7, 15 = A8, 16 = A9, 17 = A15 -- not what some copies of arm.h say. The harness
    /// checks the MIDR each engine reports against <see cref="CpuModel.Midr"/>.
    /// </summary>
    public static int UnicornModelNumber(CpuModel model) => model.Name switch
    {
        "arm926" => UnicornNative.UC_CPU_ARM_926,
        "cortex-a8" => 15,
        "cortex-a9" => 16,
        "cortex-a15" => 17,
        _ => throw new ArgumentException($"no Unicorn model for {model.Name}"),
    };

    // Code is written as a fixed-size image so that LDR (literal) past the end of a
    // sequence reads zeros in both engines, whatever ran before.
    private const int CodeImageSize = 0x1000;

    private readonly bool _thumb;
    private readonly uint _cpsrMask;
    private readonly bool _hasExclusives;

    // A CLREX (ARM) kept outside the code image: run before each case to empty Unicorn's monitor.
    private const uint ClrexAddress = InstructionGenerator.CodeBase + InstructionGenerator.CodeSize - 0x100;
    private readonly UnicornEngine _unicorn;
    private readonly Emulator.Emulator _armemu;
    private readonly byte[] _codeImage = new byte[CodeImageSize];

    public DifferentialHarness(bool thumb, CpuModel? model = null)
    {
        _thumb = thumb;
        Model = model ?? CpuModel.Arm926;
        _cpsrMask = Model.Arch >= ArchVersion.V6 ? CpsrMaskV6 : CpsrMask;
        _unicorn = new UnicornEngine(thumb, UnicornModelNumber(Model));
        _unicorn.MapMemory(InstructionGenerator.CodeBase, InstructionGenerator.CodeSize);
        _unicorn.MapMemory(InstructionGenerator.ScratchBase, InstructionGenerator.ScratchSize);
        // Implementer, architecture and part number must agree; the revision may not: Unicorn 2.0.1
        // is built on QEMU 5.0, whose A15 is r2p1 (0x412fc0f1) where QEMU 7.2's is r4p0 (0x414fc0f0).
        uint midr = ReadUnicornMidr();
        if ((midr & 0xFF0F_FFF0) != (Model.Midr & 0xFF0F_FFF0))
            throw new InvalidOperationException($"Unicorn model {UnicornModelNumber(Model)} reports MIDR 0x{midr:x8}, not {Model.Name}'s 0x{Model.Midr:x8}");
        _armemu = Emulator.Emulator.Create(Model.Name);
        _hasExclusives = Model.Arch >= ArchVersion.V6K;
        if (_hasExclusives)
        {
            _unicorn.WriteMemory(ClrexAddress, BitConverter.GetBytes(0xF57F_F01Fu)); // clrex
            _unicorn.InvalidateCode(ClrexAddress, ClrexAddress + 4);
        }
        _armemu.MapMemory(InstructionGenerator.CodeBase, InstructionGenerator.CodeSize);
        _armemu.MapMemory(InstructionGenerator.ScratchBase, InstructionGenerator.ScratchSize);
    }

    public Emulator.Emulator ArmEmu => _armemu;

    public CpuModel Model { get; }

    /// <summary>The CPSR bits this harness compares.</summary>
    public uint ComparedCpsrBits => _cpsrMask;

    /// <summary>Runs MRC p15, 0, r0, c0, c0, 0 in Supervisor mode (ARM state) on the Unicorn engine: its MIDR.</summary>
    private uint ReadUnicornMidr()
    {
        var code = new byte[8];
        BitConverter.TryWriteBytes(code, 0xEE10_0F10u); // mrc p15, 0, r0, c0, c0, 0
        _unicorn.WriteMemory(InstructionGenerator.CodeBase, code);
        _unicorn.InvalidateCode(InstructionGenerator.CodeBase, InstructionGenerator.CodeBase + CodeImageSize);
        _unicorn.Cpsr = 0x1D3;
        _unicorn.WriteRegister(0, 0);
        int err = _unicorn.Run(InstructionGenerator.CodeBase, InstructionGenerator.CodeBase + 4);
        if (err != 0) throw new InvalidOperationException($"reading Unicorn's MIDR: {UnicornNative.ErrorText(err)}");
        return _unicorn.ReadRegister(0);
    }

    internal UnicornEngine Unicorn => _unicorn;

    /// <summary>Runs the first <paramref name="count"/> instructions of <paramref name="test"/> on both engines.</summary>
    public (MachineState Unicorn, MachineState ArmEmu) Run(TestCase test, int count)
    {
        Array.Clear(_codeImage);
        test.Code().CopyTo(_codeImage, 0);
        uint begin = InstructionGenerator.CodeBase, until = begin + test.Offset(count);
        uint entry = begin | (test.Thumb ? 1u : 0u);

        _unicorn.WriteMemory(InstructionGenerator.CodeBase, _codeImage);
        _unicorn.InvalidateCode(InstructionGenerator.CodeBase, InstructionGenerator.CodeBase + CodeImageSize);
        if (_hasExclusives)
        {
            // Both engines keep the exclusive monitor between runs: clear it (a CLREX outside the image).
            _unicorn.Cpsr = 0x10;
            int clrex = _unicorn.Run(ClrexAddress, ClrexAddress + 4);
            if (clrex != 0) throw new InvalidOperationException($"CLREX on Unicorn: {UnicornNative.ErrorText(clrex)}");
            _armemu.Cpu.ClearExclusiveMonitor();
        }
        _unicorn.WriteMemory(InstructionGenerator.ScratchBase, test.Scratch);
        _unicorn.Cpsr = test.Cpsr; // first: a mode change would bank r13/r14
        for (int r = 0; r < 15; r++) _unicorn.WriteRegister(r, test.Registers[r]);
        int err = _unicorn.Run(entry, until);
        var ucState = new MachineState(
            Enumerable.Range(0, 15).Select(_unicorn.ReadRegister).ToArray(),
            _unicorn.Cpsr,
            ReadUnicornScratch(),
            err == 0 ? null : $"{UnicornNative.ErrorText(err)} at 0x{_unicorn.ReadRegister(15):x8}");

        _armemu.WriteMemory(InstructionGenerator.CodeBase, _codeImage);
        _armemu.WriteMemory(InstructionGenerator.ScratchBase, test.Scratch);
        _armemu.WriteRegister(ArmRegister.Cpsr, test.Cpsr);
        for (int r = 0; r < 15; r++) _armemu.WriteRegister((ArmRegister)r, test.Registers[r]);
        var result = _armemu.Run(entry, until);
        var emuState = new MachineState(
            Enumerable.Range(0, 15).Select(r => _armemu.ReadRegister((ArmRegister)r)).ToArray(),
            _armemu.ReadRegister(ArmRegister.Cpsr),
            _armemu.ReadMemory(InstructionGenerator.ScratchBase, (int)InstructionGenerator.ScratchSize),
            result.Ok ? null : $"{result.Error} at 0x{result.Pc:x8}");

        return (ucState, emuState);
    }

    private byte[] ReadUnicornScratch()
    {
        var data = new byte[InstructionGenerator.ScratchSize];
        _unicorn.ReadMemory(InstructionGenerator.ScratchBase, data);
        return data;
    }

    /// <summary>The first difference between two states, or null if they agree.</summary>
    public static string? FirstDifference(MachineState unicorn, MachineState armemu) => FirstDifference(unicorn, armemu, CpsrMask);

    /// <summary>As <see cref="FirstDifference(MachineState, MachineState)"/>, comparing the CPSR bits in <paramref name="cpsrMask"/>.</summary>
    public static string? FirstDifference(MachineState unicorn, MachineState armemu, uint cpsrMask)
    {
        if (unicorn.Error != armemu.Error)
            return $"run result: Unicorn {unicorn.Error ?? "OK"}, ArmEmu {armemu.Error ?? "OK"}";
        for (int r = 0; r < 15; r++)
            if (unicorn.Registers[r] != armemu.Registers[r])
                return $"r{r}: Unicorn 0x{unicorn.Registers[r]:x8}, ArmEmu 0x{armemu.Registers[r]:x8}";
        uint a = unicorn.Cpsr & cpsrMask, b = armemu.Cpsr & cpsrMask;
        if (a != b)
        {
            foreach (var (name, bit) in new[] { ("N", 31), ("Z", 30), ("C", 29), ("V", 28), ("Q", 27), ("GE3", 19), ("GE2", 18), ("GE1", 17),
                                                ("GE0", 16), ("E", 9), ("I", 7), ("F", 6), ("T", 5) })
                if (((a ^ b) >> bit & 1) != 0)
                    return $"CPSR.{name}: Unicorn {a >> bit & 1}, ArmEmu {b >> bit & 1} (CPSR Unicorn 0x{unicorn.Cpsr:x8}, ArmEmu 0x{armemu.Cpsr:x8})";
            return $"CPSR mode: Unicorn 0x{a & 0x1F:x2}, ArmEmu 0x{b & 0x1F:x2}";
        }
        for (int i = 0; i < unicorn.Scratch.Length; i++)
            if (unicorn.Scratch[i] != armemu.Scratch[i])
                return $"memory byte 0x{InstructionGenerator.ScratchBase + (uint)i:x8}: Unicorn 0x{unicorn.Scratch[i]:x2}, ArmEmu 0x{armemu.Scratch[i]:x2}";
        return null;
    }

    /// <summary>
    /// Compares a whole test case; on a mismatch finds the first instruction after which
    /// the states differ (by running prefixes) and returns a report, else null.
    /// </summary>
    public string? Check(TestCase test, string origin)
    {
        var (u, e) = Run(test, test.Instructions.Length);
        if (FirstDifference(u, e, _cpsrMask) is null) return null;

        // States can differ and later agree again (a flag overwritten), so scan prefixes in order.
        for (int k = 1; k <= test.Instructions.Length; k++)
        {
            (u, e) = Run(test, k);
            if (FirstDifference(u, e, _cpsrMask) is { } diff) return Report(test, origin, k - 1, diff);
        }
        return Report(test, origin, test.Instructions.Length - 1, FirstDifference(u, e, _cpsrMask)!);
    }

    private string Report(TestCase test, string origin, int index, string difference)
    {
        // The state just before the instruction (Unicorn's: the two agree up to there).
        var before = index == 0 ? new MachineState(test.Registers, test.Cpsr, test.Scratch, null) : Run(test, index).Unicorn;

        // Shrink: does the instruction alone, from that state, still show the difference?
        var alone = test with
        {
            Registers = before.Registers, Cpsr = before.Cpsr & _cpsrMask & ~0x20u, Scratch = before.Scratch,
            Instructions = [test.Instructions[index]], Encodings = [test.Encodings[index]],
        };
        var (u1, e1) = Run(alone, 1);
        string? aloneDiff = FirstDifference(u1, e1, _cpsrMask);

        var sb = new StringBuilder();
        sb.AppendLine($"ArmEmu and Unicorn disagree ({(test.Thumb ? "Thumb" : "ARM")}, {Model.Name}), {origin}");
        sb.AppendLine($"  first difference after instruction #{index} at 0x{InstructionGenerator.CodeBase + test.Offset(index):x8}: "
                      + Describe(test, index));
        sb.AppendLine($"  {difference}");
        sb.AppendLine($"  state before it: {FormatRegisters(before.Registers)} cpsr=0x{before.Cpsr:x8}");
        sb.AppendLine(aloneDiff is null
            ? "  (run alone from that state at 0x" + $"{InstructionGenerator.CodeBase:x8} the two agree: the difference needs the context)"
            : $"  alone from that state at 0x{InstructionGenerator.CodeBase:x8} it reproduces: {aloneDiff}");
        sb.AppendLine($"  initial state: {FormatRegisters(test.Registers)} cpsr=0x{test.Cpsr:x8}");
        sb.AppendLine("  sequence up to it:");
        for (int i = 0; i <= index; i++) sb.AppendLine($"    #{i,-3} {Describe(test, i)}");
        return sb.ToString();
    }

    private static string FormatRegisters(uint[] r) => string.Join(" ", r.Select((v, i) => $"r{i}=0x{v:x8}"));

    /// <summary>"0xe0912003  adds r2, r1, r3  [ADD (register)]".</summary>
    public static string Describe(TestCase test, int index)
    {
        uint word = test.Instructions[index];
        string hex = test.Thumb && word <= 0xFFFF ? $"0x{word:x4}" : $"0x{word:x8}";
        return $"{hex}  {Disassemble(word, test.Thumb, InstructionGenerator.CodeBase + test.Offset(index))}  [{test.Encodings[index]}]";
    }

    private static readonly Lock DisassemblerLock = new();
    private static CapstoneArmDisassembler? _armDisassembler, _thumbDisassembler;

    public static string Disassemble(uint word, bool thumb, uint address)
    {
        lock (DisassemblerLock)
        {
            var dis = thumb
                ? _thumbDisassembler ??= CapstoneDisassembler.CreateArmDisassembler(ArmDisassembleMode.Thumb)
                : _armDisassembler ??= CapstoneDisassembler.CreateArmDisassembler(ArmDisassembleMode.Arm);
            byte[] bytes = !thumb ? BitConverter.GetBytes(word)
                : word > 0xFFFF ? [.. BitConverter.GetBytes((ushort)(word >> 16)), .. BitConverter.GetBytes((ushort)word)]
                : BitConverter.GetBytes((ushort)word);
            var insns = dis.Disassemble(bytes, address);
            return insns.Length == 0 ? "(capstone: invalid)" : $"{insns[0].Mnemonic} {insns[0].Operand}".Trim();
        }
    }

    public void Dispose()
    {
        _unicorn.Dispose();
        _armemu.Dispose();
    }
}
