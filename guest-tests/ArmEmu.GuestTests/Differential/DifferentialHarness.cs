using System.Text;
using ArmEmu.Emulator;
using Gee.External.Capstone;
using Gee.External.Capstone.Arm;
using ArmRegister = ArmEmu.Emulator.ArmRegister;

namespace ArmEmu.GuestTests.Differential;

/// <summary>The state the differential test compares: r0-r14, the CPSR, the scratch buffer, and how the run ended.</summary>
public sealed record MachineState(uint[] Registers, uint Cpsr, byte[] Scratch, string? Error);

/// <summary>
/// Runs test cases on Unicorn (ARM926) and on ArmEmu ("arm926") from the same state
/// and compares the results. Both engines are created once and reset per test case:
/// registers, CPSR, the code page and the whole scratch buffer are rewritten.
/// </summary>
public sealed class DifferentialHarness : IDisposable
{
    /// <summary>
    /// CPSR bits compared: N Z C V Q (31:27), I F T (7:5) and the mode (4:0). Bits 26:8
    /// are J, reserved, E, A and GE on later cores; Unicorn's QEMU keeps some of them
    /// (e.g. A) in its CPSR image, and nothing generated writes them.
    /// </summary>
    public const uint CpsrMask = 0xF800_00FF;

    // Code is written as a fixed-size image so that LDR (literal) past the end of a
    // sequence reads zeros in both engines, whatever ran before.
    private const int CodeImageSize = 0x1000;

    private readonly bool _thumb;
    private readonly UnicornEngine _unicorn;
    private readonly Emulator.Emulator _armemu;
    private readonly byte[] _codeImage = new byte[CodeImageSize];

    public DifferentialHarness(bool thumb)
    {
        _thumb = thumb;
        _unicorn = new UnicornEngine(thumb);
        _unicorn.MapMemory(InstructionGenerator.CodeBase, InstructionGenerator.CodeSize);
        _unicorn.MapMemory(InstructionGenerator.ScratchBase, InstructionGenerator.ScratchSize);
        _armemu = Emulator.Emulator.Create("arm926");
        _armemu.MapMemory(InstructionGenerator.CodeBase, InstructionGenerator.CodeSize);
        _armemu.MapMemory(InstructionGenerator.ScratchBase, InstructionGenerator.ScratchSize);
    }

    public Emulator.Emulator ArmEmu => _armemu;

    internal UnicornEngine Unicorn => _unicorn;

    /// <summary>Runs the first <paramref name="count"/> instructions of <paramref name="test"/> on both engines.</summary>
    public (MachineState Unicorn, MachineState ArmEmu) Run(TestCase test, int count)
    {
        Array.Clear(_codeImage);
        test.Code().CopyTo(_codeImage, 0);
        uint begin = InstructionGenerator.CodeBase, until = begin + (uint)(count * test.InstructionSize);
        uint entry = begin | (test.Thumb ? 1u : 0u);

        _unicorn.WriteMemory(InstructionGenerator.CodeBase, _codeImage);
        _unicorn.InvalidateCode(InstructionGenerator.CodeBase, InstructionGenerator.CodeBase + CodeImageSize);
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
    public static string? FirstDifference(MachineState unicorn, MachineState armemu)
    {
        if (unicorn.Error != armemu.Error)
            return $"run result: Unicorn {unicorn.Error ?? "OK"}, ArmEmu {armemu.Error ?? "OK"}";
        for (int r = 0; r < 15; r++)
            if (unicorn.Registers[r] != armemu.Registers[r])
                return $"r{r}: Unicorn 0x{unicorn.Registers[r]:x8}, ArmEmu 0x{armemu.Registers[r]:x8}";
        uint a = unicorn.Cpsr & CpsrMask, b = armemu.Cpsr & CpsrMask;
        if (a != b)
        {
            foreach (var (name, bit) in new[] { ("N", 31), ("Z", 30), ("C", 29), ("V", 28), ("Q", 27), ("I", 7), ("F", 6), ("T", 5) })
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
        if (FirstDifference(u, e) is null) return null;

        // States can differ and later agree again (a flag overwritten), so scan prefixes in order.
        for (int k = 1; k <= test.Instructions.Length; k++)
        {
            (u, e) = Run(test, k);
            if (FirstDifference(u, e) is { } diff) return Report(test, origin, k - 1, diff);
        }
        return Report(test, origin, test.Instructions.Length - 1, FirstDifference(u, e)!);
    }

    private string Report(TestCase test, string origin, int index, string difference)
    {
        // The state just before the instruction (Unicorn's: the two agree up to there).
        var before = index == 0 ? new MachineState(test.Registers, test.Cpsr, test.Scratch, null) : Run(test, index).Unicorn;

        // Shrink: does the instruction alone, from that state, still show the difference?
        var alone = test with
        {
            Registers = before.Registers, Cpsr = before.Cpsr & CpsrMask & ~0x20u, Scratch = before.Scratch,
            Instructions = [test.Instructions[index]], Encodings = [test.Encodings[index]],
        };
        var (u1, e1) = Run(alone, 1);
        string? aloneDiff = FirstDifference(u1, e1);

        var sb = new StringBuilder();
        sb.AppendLine($"ArmEmu and Unicorn disagree ({(test.Thumb ? "Thumb" : "ARM")}), {origin}");
        sb.AppendLine($"  first difference after instruction #{index} at 0x{InstructionGenerator.CodeBase + (uint)(index * test.InstructionSize):x8}: "
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
        string hex = test.Thumb ? $"0x{word:x4}" : $"0x{word:x8}";
        return $"{hex}  {Disassemble(word, test.Thumb, InstructionGenerator.CodeBase + (uint)(index * test.InstructionSize))}  [{test.Encodings[index]}]";
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
            byte[] bytes = thumb ? BitConverter.GetBytes((ushort)word) : BitConverter.GetBytes(word);
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
