using System.Runtime.InteropServices;
using System.Text;
using ArmEmu.Cpu;
using ArmEmu.Memory;

namespace ArmEmu.GuestTests.Differential;

// The Unicorn entry points and register ids the VFP comparison needs beyond UnicornNative.cs
// (uc_arm_reg of Unicorn 2.0.1: FPEXC 4, FPSCR 6, D0-D31 14-45, C1_C0_2 (CPACR) 111; the
// numbering was read back from libunicorn.so.2, v7-facts-and-speed.md A5).
internal static partial class UnicornNative
{
    public const int UC_ARM_REG_FPEXC = 4;
    public const int UC_ARM_REG_FPSCR = 6;
    public const int UC_ARM_REG_D0 = 14;
    public const int UC_ARM_REG_C1_C0_2 = 111;

    /// <summary>uc_err: an UNDEFINED instruction (Unicorn stops with the PC at it).</summary>
    public const int UC_ERR_INSN_INVALID = 10;

    /// <summary>Unicorn 2.0.1's CPU-model indices (not the header's: read back by MIDR).</summary>
    public const int UC_CPU_ARM_CORTEX_A9 = 16;
    public const int UC_CPU_ARM_CORTEX_A15 = 17;

    [LibraryImport("libunicorn.so.2", EntryPoint = "uc_reg_write")]
    public static partial int uc_reg_write64(IntPtr uc, int regid, in ulong value);

    [LibraryImport("libunicorn.so.2", EntryPoint = "uc_reg_read")]
    public static partial int uc_reg_read64(IntPtr uc, int regid, out ulong value);
}

/// <summary>
/// The state the VFP comparison looks at: r0-r14, the CPSR, D0-D31, FPSCR, the scratch buffer, the
/// addresses of the UNDEFINED instructions stepped over, and how the run ended (null: it reached its end).
/// </summary>
public sealed record VfpState(uint[] Registers, uint Cpsr, ulong[] D, uint Fpscr, byte[] Scratch, uint[] Undefined, string? Error, uint ErrorAddress)
{
    /// <summary>Every instruction ran: none UNDEFINED, no fault.</summary>
    public bool RanCleanly => Error is null && Undefined.Length == 0;
}

/// <summary>A VFP test case: the integer test case plus the extension registers and FPSCR it starts from.</summary>
public sealed record VfpTestCase(TestCase Core, ulong[] D, uint Fpscr);

/// <summary>
/// Runs VFP test cases on Unicorn 2.0.1 (Cortex-A9 or -A15, VFP enabled through CPACR and
/// FPEXC as Unicorn needs) and on an ArmEmu core of the same model, from the same state, in ARM
/// or (for a case whose <see cref="TestCase.Thumb"/> is set) Thumb state. An UNDEFINED instruction
/// is stepped over on both (as an Undefined handler that returns past it would): both must find
/// the same ones, and the rest of the sequence is still compared -- otherwise a random sequence
/// ends at its first invalid encoding, a few instructions in.
/// ArmEmu runs as a bare <see cref="Cpu.Cpu"/> on flat RAM (the VFP registers need no
/// emulator-level API for this).
/// </summary>
public sealed class VfpDifferentialHarness : IDisposable
{
    private const int CodeImageSize = 0x1000;

    private IntPtr _uc;
    private readonly PhysicalBus _bus;
    private readonly MemoryPort _port;
    private readonly Cpu.Cpu _cpu;
    private readonly byte[] _codeImage = new byte[CodeImageSize];

    public VfpDifferentialHarness(CpuModel model)
    {
        int ucModel = model == CpuModel.CortexA15 ? UnicornNative.UC_CPU_ARM_CORTEX_A15 : UnicornNative.UC_CPU_ARM_CORTEX_A9;
        Check(UnicornNative.uc_open(UnicornNative.UC_ARCH_ARM, UnicornNative.UC_MODE_ARM, out _uc), "uc_open");
        Check(UnicornNative.uc_ctl_int(_uc, UnicornNative.UC_CTL_WRITE_CPU_MODEL, ucModel), "uc_ctl(CPU_MODEL)");
        Check(UnicornNative.uc_mem_map(_uc, InstructionGenerator.CodeBase, InstructionGenerator.CodeSize, UnicornNative.UC_PROT_ALL), "uc_mem_map");
        Check(UnicornNative.uc_mem_map(_uc, InstructionGenerator.ScratchBase, InstructionGenerator.ScratchSize, UnicornNative.UC_PROT_ALL), "uc_mem_map");

        _bus = new PhysicalBus();
        _bus.AddRam(InstructionGenerator.CodeBase, InstructionGenerator.CodeSize);
        _bus.AddRam(InstructionGenerator.ScratchBase, InstructionGenerator.ScratchSize);
        var flat = new FlatTranslation();
        flat.Map(InstructionGenerator.CodeBase, InstructionGenerator.CodeSize, Permission.All);
        flat.Map(InstructionGenerator.ScratchBase, InstructionGenerator.ScratchSize, Permission.All);
        _port = new MemoryPort(_bus, flat);
        _cpu = new Cpu.Cpu(model, _port);
    }

    public (VfpState Unicorn, VfpState ArmEmu) Run(VfpTestCase test, int count)
    {
        var core = test.Core;
        Array.Clear(_codeImage);
        core.Code().CopyTo(_codeImage, 0);
        uint begin = InstructionGenerator.CodeBase, until = begin + core.Offset(count);
        // A Thumb case starts at begin | 1 on Unicorn and with CPSR.T set on both.
        uint entry = begin | (core.Thumb ? 1u : 0u), cpsr = core.Cpsr | (core.Thumb ? 0x20u : 0u);

        // Unicorn.
        unsafe
        {
            fixed (byte* p = _codeImage) Check(UnicornNative.uc_mem_write(_uc, begin, p, CodeImageSize), "uc_mem_write");
            fixed (byte* p = core.Scratch) Check(UnicornNative.uc_mem_write(_uc, InstructionGenerator.ScratchBase, p, (nuint)core.Scratch.Length), "uc_mem_write");
        }
        Check(UnicornNative.uc_ctl_range(_uc, UnicornNative.UC_CTL_WRITE_TB_REMOVE_CACHE, begin, begin + CodeImageSize), "uc_ctl(TB_REMOVE_CACHE)");
        Check(UnicornNative.uc_reg_write(_uc, UnicornNative.UC_ARM_REG_CPSR, cpsr), "CPSR");
        for (int r = 0; r < 15; r++) Check(UnicornNative.uc_reg_write(_uc, RegisterId(r), core.Registers[r]), "r");
        Check(UnicornNative.uc_reg_write(_uc, UnicornNative.UC_ARM_REG_C1_C0_2, 0x00F0_0000u), "CPACR");
        Check(UnicornNative.uc_reg_write(_uc, UnicornNative.UC_ARM_REG_FPEXC, 0x4000_0000u), "FPEXC");
        Check(UnicornNative.uc_reg_write(_uc, UnicornNative.UC_ARM_REG_FPSCR, test.Fpscr), "FPSCR");
        for (int i = 0; i < 32; i++) Check(UnicornNative.uc_reg_write64(_uc, UnicornNative.UC_ARM_REG_D0 + i, test.D[i]), "D");
        var ucUndefined = new List<uint>();
        int err;
        for (uint start = entry; ;)
        {
            err = UnicornNative.uc_emu_start(_uc, start, until, 0, 0);
            uint at = ReadUc(UnicornNative.UC_ARM_REG_PC);
            if (err != UnicornNative.UC_ERR_INSN_INVALID || at < begin || at >= until) break;
            ucUndefined.Add(at);
            uint next = at + InstructionSize(core, at);
            if (next >= until) { err = 0; break; }
            start = next | (core.Thumb ? 1u : 0u);
        }
        var uc = new VfpState(
            Enumerable.Range(0, 15).Select(r => { UnicornNative.uc_reg_read(_uc, RegisterId(r), out uint v); return v; }).ToArray(),
            ReadUc(UnicornNative.UC_ARM_REG_CPSR),
            Enumerable.Range(0, 32).Select(i => { UnicornNative.uc_reg_read64(_uc, UnicornNative.UC_ARM_REG_D0 + i, out ulong v); return v; }).ToArray(),
            ReadUc(UnicornNative.UC_ARM_REG_FPSCR),
            ReadUcScratch(),
            [.. ucUndefined],
            err == 0 ? null : $"{UnicornNative.ErrorText(err)} at 0x{ReadUc(UnicornNative.UC_ARM_REG_PC):x8}",
            err == 0 ? 0 : ReadUc(UnicornNative.UC_ARM_REG_PC));

        // ArmEmu.
        _bus.WriteRam(begin, _codeImage);
        _bus.WriteRam(InstructionGenerator.ScratchBase, core.Scratch);
        _cpu.Reset();
        _cpu.Cpsr = cpsr;
        for (int r = 0; r < 15; r++) _cpu.R[r] = core.Registers[r];
        _cpu.Fpu.EnableForUserMode();
        _cpu.Fpu.Fpscr = test.Fpscr;
        for (int i = 0; i < 32; i++) _cpu.Fpu.D[i] = test.D[i];
        string? error = null;
        uint errorAddress = 0;
        var undefined = new List<uint>();
        _cpu.ExceptionHandler = (Cpu.Cpu c, in CpuException e) =>
        {
            if (e.Kind == ExceptionKind.Undefined && e.InstructionAddress >= begin && e.InstructionAddress < until)
            {
                undefined.Add(e.InstructionAddress);
                c.PC = e.InstructionAddress + InstructionSize(core, e.InstructionAddress);
                return ExceptionDisposition.Resume;
            }
            error = $"{e.Kind} at 0x{e.InstructionAddress:x8}";
            errorAddress = e.InstructionAddress;
            return ExceptionDisposition.Stop;
        };
        _cpu.PC = begin;
        _cpu.Run(10_000, until);
        var scratch = new byte[InstructionGenerator.ScratchSize];
        _bus.ReadRam(InstructionGenerator.ScratchBase, scratch);
        var emu = new VfpState(
            Enumerable.Range(0, 15).Select(r => _cpu.R[r]).ToArray(),
            _cpu.Cpsr,
            Enumerable.Range(0, 32).Select(i => _cpu.Fpu.D[i]).ToArray(),
            _cpu.Fpu.Fpscr,
            scratch,
            [.. undefined],
            error,
            errorAddress);
        return (uc, emu);
    }

    /// <summary>The first difference, or null. Unicorn's "invalid instruction" and ArmEmu's Undefined are the same outcome.</summary>
    public static string? FirstDifference(VfpState u, VfpState e)
    {
        bool uBad = u.Error is not null, eBad = e.Error is not null;
        if (uBad != eBad) return $"run result: Unicorn {u.Error ?? "OK"}, ArmEmu {e.Error ?? "OK"}";
        if (!u.Undefined.SequenceEqual(e.Undefined))
            return $"UNDEFINED: Unicorn at [{string.Join(", ", u.Undefined.Select(a => $"0x{a:x8}"))}], ArmEmu at [{string.Join(", ", e.Undefined.Select(a => $"0x{a:x8}"))}]";
        if (uBad) return u.ErrorAddress == e.ErrorAddress ? null : $"run result: Unicorn {u.Error}, ArmEmu {e.Error}";
        for (int r = 0; r < 15; r++)
            if (u.Registers[r] != e.Registers[r]) return $"r{r}: Unicorn 0x{u.Registers[r]:x8}, ArmEmu 0x{e.Registers[r]:x8}";
        if (((u.Cpsr ^ e.Cpsr) & DifferentialHarness.CpsrMask) != 0) return $"CPSR: Unicorn 0x{u.Cpsr:x8}, ArmEmu 0x{e.Cpsr:x8}";
        for (int i = 0; i < 32; i++)
            if (u.D[i] != e.D[i]) return $"d{i}: Unicorn 0x{u.D[i]:x16}, ArmEmu 0x{e.D[i]:x16}";
        if (u.Fpscr != e.Fpscr) return $"FPSCR: Unicorn 0x{u.Fpscr:x8}, ArmEmu 0x{e.Fpscr:x8}";
        for (int i = 0; i < u.Scratch.Length; i++)
            if (u.Scratch[i] != e.Scratch[i])
                return $"memory byte 0x{InstructionGenerator.ScratchBase + (uint)i:x8}: Unicorn 0x{u.Scratch[i]:x2}, ArmEmu 0x{e.Scratch[i]:x2}";
        return null;
    }

    /// <summary>Instructions executed and compared by <see cref="Check"/> so far (UNDEFINED ones not counted).</summary>
    public long Executed { get; private set; }

    /// <summary>Instructions both engines found UNDEFINED in <see cref="Check"/> so far.</summary>
    public long UndefinedOnBoth { get; private set; }

    /// <summary>
    /// Checks <paramref name="count"/> sequences, the i-th made by <paramref name="make"/> from the
    /// seed <see cref="DifferentialTests.SequenceSeed"/>(<paramref name="seedBase"/>, i); the first
    /// one that differs fails the test with what it takes to regenerate it.
    /// </summary>
    public void CheckSequences(string label, int baseSeed, int seedBase, int count, Func<int, VfpTestCase> make)
    {
        for (int i = 0; i < count; i++)
        {
            int seed = DifferentialTests.SequenceSeed(seedBase, i);
            string? failure = Check(make(seed), $"{label}, ARMEMU_DIFF_SEED={baseSeed}, sequence {i} (generator seed {seed})");
            Xunit.Assert.True(failure is null, failure);
        }
    }

    /// <summary>What <see cref="Check"/> has compared so far, for the test's output.</summary>
    public string Summary(string label) => $"{label}: {Executed} instructions compared, {UndefinedOnBoth} UNDEFINED on both";

    /// <summary>Compares the whole case; on a mismatch finds the first instruction after which the states differ.</summary>
    public string? Check(VfpTestCase test, string origin)
    {
        int n = test.Core.Instructions.Length;
        var (u, e) = Run(test, n);
        if (FirstDifference(u, e) is null)
        {
            // A run that stopped early (a fault on both) executed the instructions before the stop.
            int reached = u.Error is null ? n : Enumerable.Range(0, n).Count(i => InstructionGenerator.CodeBase + test.Core.Offset(i) < u.ErrorAddress);
            int undefined = u.Undefined.Length;
            Executed += reached - undefined;
            UndefinedOnBoth += undefined;
            return null;
        }
        for (int k = 1; k <= n; k++)
        {
            (u, e) = Run(test, k);
            if (FirstDifference(u, e) is { } diff)
            {
                var before = k == 1 ? null : Run(test, k - 1).Unicorn;
                var sb = new StringBuilder();
                sb.AppendLine($"ArmEmu and Unicorn disagree on VFP, {origin}");
                sb.AppendLine($"  after instruction #{k - 1}: {DifferentialHarness.Describe(test.Core, k - 1)}");
                sb.AppendLine($"  {diff}");
                sb.AppendLine($"  FPSCR before it: 0x{(before?.Fpscr ?? test.Fpscr):x8}");
                var regsBefore = before?.D ?? test.D;
                sb.AppendLine("  D before it: " + string.Join(" ", regsBefore.Select((v, i) => $"d{i}=0x{v:x16}")));
                var coreBefore = before?.Registers ?? test.Core.Registers;
                sb.AppendLine("  r before it: " + string.Join(" ", coreBefore.Select((v, i) => $"r{i}=0x{v:x8}")));
                for (int i = 0; i < k; i++) sb.AppendLine($"    #{i,-3} {DifferentialHarness.Describe(test.Core, i)}");
                return sb.ToString();
            }
        }
        return $"{origin}: the whole sequence differs but no prefix does: {FirstDifference(u, e)}";
    }

    /// <summary>The size of the case's instruction at <paramref name="address"/> (2 or 4).</summary>
    private static uint InstructionSize(TestCase core, uint address)
    {
        uint offset = address - InstructionGenerator.CodeBase;
        for (int i = 0; i < core.Instructions.Length; i++)
            if (core.Offset(i) == offset) return (uint)core.SizeOf(i);
        return 4;
    }

    private uint ReadUc(int id)
    {
        Check(UnicornNative.uc_reg_read(_uc, id, out uint v), "uc_reg_read");
        return v;
    }

    private unsafe byte[] ReadUcScratch()
    {
        var data = new byte[InstructionGenerator.ScratchSize];
        fixed (byte* p = data) Check(UnicornNative.uc_mem_read(_uc, InstructionGenerator.ScratchBase, p, (nuint)data.Length), "uc_mem_read");
        return data;
    }

    private static int RegisterId(int r) => r switch
    {
        <= 12 => UnicornNative.UC_ARM_REG_R0 + r,
        13 => UnicornNative.UC_ARM_REG_SP,
        14 => UnicornNative.UC_ARM_REG_LR,
        _ => UnicornNative.UC_ARM_REG_PC,
    };

    private static void Check(int err, string call)
    {
        if (err != 0) throw new InvalidOperationException($"Unicorn {call} failed: {UnicornNative.ErrorText(err)} ({err})");
    }

    public void Dispose()
    {
        if (_uc != IntPtr.Zero) UnicornNative.uc_close(_uc);
        _uc = IntPtr.Zero;
        _port.Dispose();
        _bus.Dispose();
    }
}
