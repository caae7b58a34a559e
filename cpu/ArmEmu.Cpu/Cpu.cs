using System.Runtime.CompilerServices;
using ArmEmu.Cpu.Coprocessors;
using ArmEmu.Memory;

namespace ArmEmu.Cpu;

/// <summary>
/// One ARM processor: the programmer's model of ARM ARM A2 (registers, banked
/// copies per mode, CPSR and SPSRs) and the interpreter that runs it.
/// CPSR is kept split into its fields and packed only when read whole.
/// </summary>
public sealed unsafe partial class Cpu
{
    /// <summary>The registers of the current mode. While an instruction executes, R[15] reads as its address + 8 (ARM) or + 4 (Thumb).</summary>
    internal RegisterFile R;

    // CPSR fields (ARM ARM A2.5).
    internal bool N, Z, C, V, Q;

    /// <summary>CPSR.T: Thumb state. Declared just before <see cref="ITState"/>, so the runtime lays
    /// the two out side by side and the interpreter's Thumb loop tests both with one load
    /// (<see cref="Engines.InterpreterEngine"/>, which checks the layout before relying on it).</summary>
    internal bool T;

    /// <summary>
    /// ITSTATE (ARMv6T2 and later, DDI 0406C A2.5.2): IT[7:0], packed in the CPSR as IT[1:0] in
    /// bits 26:25 and IT[7:2] in bits 15:10. IT[7:5] is the base condition of the IT block and
    /// IT[4:0] the mask holding the remaining length; zero outside an IT block.
    /// </summary>
    internal byte ITState;

    internal bool I, F;

    /// <summary>
    /// CPSR.J (bit 24): Jazelle state. Kept on models with Jazelle so that it goes through the
    /// SPSR and back as QEMU keeps it; no bytecode is executed (BXJ acts as BX). RAZ elsewhere.
    /// </summary>
    internal bool J;

    /// <summary>CPSR.A (bit 8, ARMv6 and later): asynchronous (imprecise) aborts masked.</summary>
    internal bool A;

    /// <summary>True inside an IT block (InITBlock() of the pseudocode).</summary>
    internal bool InITBlock => (ITState & 0xF) != 0;

    /// <summary>True for the last instruction of an IT block (LastInITBlock()).</summary>
    internal bool LastInITBlock => (ITState & 0xF) == 8;

    /// <summary>ITAdvance() of DDI 0406C A2.5.2: the next instruction's ITSTATE.</summary>
    internal static byte ITAdvance(byte it) => (it & 7) == 0 ? (byte)0 : (byte)((it & 0xE0) | ((it << 1) & 0x1F));

    // The CPSR bits beyond ARMv5TE's that this model has (J, A, IT), chosen once from the model.
    private readonly uint _executionStateBits;

    /// <summary>The execution-state bits of the PSRs this model has: J (Jazelle), A (ARMv6+), IT[7:0] (Thumb-2).</summary>
    internal uint ExecutionStateBits => _executionStateBits;

    /// <summary>CPSR bits 26:25 and 15:10: ITSTATE.</summary>
    private const uint ITBits = 0x0600_FC00;
    private const uint JBit = 1u << 24;
    private const uint ABit = 1u << 8;
    private ProcessorMode _mode = ProcessorMode.Supervisor;

    /// <summary>CPSR.GE[3:0] (bits 19:16, ARMv6): set by the parallel add/subtract instructions, read by SEL.</summary>
    internal uint GE;

    // Banked copies (ARM ARM A2.3). Index: see BankOf.
    private readonly uint[] _bankedR13 = new uint[7];
    private readonly uint[] _bankedR14 = new uint[7];
    private readonly uint[] _bankedSpsr = new uint[7];
    private readonly uint[] _userR8To12 = new uint[5];
    private readonly uint[] _fiqR8To12 = new uint[5];

    /// <summary>
    /// A CPU of <paramref name="model"/> on <paramref name="memory"/>, fetching through
    /// <paramref name="code"/>, the decoded-code store of its address space (a new one if null),
    /// and run by the engine <see cref="Engines.ExecutionEngines.Default"/> names (the translator unless changed).
    /// </summary>
    internal Cpu(CpuModel model, MemoryPort memory, Decoding.CodeCache? code = null)
    {
        if (code is not null && code.Model != model)
            throw new ArgumentException($"the code cache was decoded for {code.Model.Name}, not {model.Name}", nameof(code));
        Model = model;
        Memory = memory;
        Code = code ?? new Decoding.CodeCache(model);
        Fpu = new Vfp.FloatingPointUnit(model);
        _loadWritePCInterworks = model.Arch >= ArchVersion.V5T;
        _aluWritePCInterworks = model.Arch >= ArchVersion.V7;
        _executionStateBits = (model.HasJazelle ? JBit : 0) | (model.Arch >= ArchVersion.V6 ? ABit : 0)
                              | (model.Has(CpuFeature.Thumb2) ? ITBits : 0);
        _engine = Engines.ExecutionEngines.Create(Engines.ExecutionEngines.Default);
        memory.FastPathFlushed += () => _engine.Invalidate();
        memory.InstructionLineRemoved += Code.OnInstructionLineRemoved;
        // Pages evicted or forgotten: their slots may be reused for other pages, so the engine
        // must not keep reading them (it enters its page afresh).
        Code.PagesDropped += () => _engine.Invalidate();
        // ARMv7 has SCTLR.U fixed at 1. ARMv6 resets it to 0, but every ARMv6 Linux sets it and
        // QEMU's ARMv6 models never do the ARMv5 rotation, so ARMv6 models start with it set too.
        UnalignedSupport = model.Arch >= ArchVersion.V6;
        Reset();
    }

    /// <summary>The CPU model this processor implements (its architecture version, MIDR and features).</summary>
    public CpuModel Model { get; }

    internal MemoryPort Memory { get; }

    /// <summary>The VFP/Advanced SIMD register file and its control (cp10/cp11).</summary>
    internal Vfp.FloatingPointUnit Fpu { get; }

    /// <summary>Coprocessors 0..15; null slots are absent, and instructions naming them are UNDEFINED.</summary>
    internal ICoprocessor?[] Coprocessors { get; } = new ICoprocessor?[16];

    /// <summary>
    /// The memory system's barrier, run by DSB and DMB (ARMv7): empties the write buffer of the
    /// cache model. Null when there is nothing to drain.
    /// </summary>
    internal Action? DataBarrier { get; set; }

    /// <summary>SCTLR.V: exception vectors at 0xFFFF0000 instead of 0 (or <see cref="VectorBase"/>).</summary>
    internal bool HighVectors { get; set; }

    /// <summary>
    /// VBAR (ARMv7 Security Extensions, ARM ARM B1.8.1): where the vectors are while SCTLR.V is 0.
    /// 0 on cores without it.
    /// </summary>
    internal uint VectorBase { get; set; }

    /// <summary>SCTLR.TE (ARMv7, ARM ARM B1.8.3): exceptions are taken in Thumb state.</summary>
    internal bool ThumbExceptions { get; set; }

    /// <summary>The address of the next instruction to execute.</summary>
    public uint PC
    {
        get => _pc;
        set
        {
            _pc = value & (T ? ~1u : ~3u);
            _nextPc = _pc;
        }
    }

    /// <summary>The current processor mode (CPSR.M).</summary>
    public ProcessorMode Mode => _mode;

    /// <summary>True in every mode but User: the mode may access privileged state and memory.</summary>
    public bool IsPrivileged => _mode != ProcessorMode.User;

    /// <summary>The whole CPSR, packed (ARM ARM A2.5). Writing it switches mode as MSR would, with every field writable.</summary>
    public uint Cpsr
    {
        get => (N ? 1u << 31 : 0) | (Z ? 1u << 30 : 0) | (C ? 1u << 29 : 0) | (V ? 1u << 28 : 0) | (Q ? 1u << 27 : 0)
               | (GE << 16) | (E ? 1u << 9 : 0)
               | (I ? 1u << 7 : 0) | (F ? 1u << 6 : 0) | (T ? 1u << 5 : 0) | (uint)_mode
               | (J ? JBit : 0) | (A ? ABit : 0) | ((uint)(ITState & 3) << 25) | ((uint)(ITState >> 2) << 10);
        set => WriteCpsr(value, 0xFFFF_FFFF);
    }

    /// <summary>The SPSR of the current mode; User and System mode have none and read the CPSR.</summary>
    public uint Spsr
    {
        get => HasSpsr ? _bankedSpsr[BankOf(_mode)] : Cpsr;
        set
        {
            if (HasSpsr) _bankedSpsr[BankOf(_mode)] = value;
        }
    }

    /// <summary>True when the current mode has an SPSR (every mode but User and System).</summary>
    public bool HasSpsr => _mode != ProcessorMode.User && _mode != ProcessorMode.System;

    /// <summary>
    /// NZCV as a four-bit value, N in bit 3. Read as bytes (a bool is 0 or 1) rather than as
    /// <c>N ? 8 : 0</c>, which the JIT turns into branches on the flags: every conditional
    /// instruction and Thumb branch asks for this, and the flags of hashing or sorting code are
    /// not predictable.
    /// </summary>
    internal uint Nzcv
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => (uint)Unsafe.As<bool, byte>(ref N) << 3 | (uint)Unsafe.As<bool, byte>(ref Z) << 2
             | (uint)Unsafe.As<bool, byte>(ref C) << 1 | Unsafe.As<bool, byte>(ref V);
    }

    /// <summary>Resets as ARM ARM A2.6.2 says: Supervisor mode, ARM state, IRQ and FIQ masked, PC at the reset vector.</summary>
    public void Reset()
    {
        for (int i = 0; i < 16; i++) R[i] = 0;
        Array.Clear(_bankedR13);
        Array.Clear(_bankedR14);
        Array.Clear(_bankedSpsr);
        Array.Clear(_userR8To12);
        Array.Clear(_fiqR8To12);
        N = Z = C = V = Q = false;
        GE = 0;
        E = false; // SCTLR.EE resets to 0: little-endian exception entry
        ClearExclusiveMonitor();
        T = false;
        I = F = true;
        J = false;
        ITState = 0;
        A = (_executionStateBits & ABit) != 0; // ARMv6+: asynchronous aborts masked from reset (B1.9.10)
        _mode = ProcessorMode.Supervisor;
        Memory.Privileged = true;
        Fpu.Reset();
        PC = HighVectors ? 0xFFFF_0000 : 0;
    }

    /// <summary>
    /// Writes CPSR fields under <paramref name="mask"/> (a byte mask built from MSR's field bits),
    /// switching register banks if the mode changes. An invalid mode value is ignored, as QEMU does.
    /// </summary>
    internal void WriteCpsr(uint value, uint mask)
    {
        if ((mask & 0xFF00_0000) != 0)
        {
            N = (value & (1u << 31)) != 0;
            Z = (value & (1u << 30)) != 0;
            C = (value & (1u << 29)) != 0;
            V = (value & (1u << 28)) != 0;
            Q = (value & (1u << 27)) != 0;
        }
        // GE and E exist from ARMv6; on older models those bits read as zero and ignore writes.
        if (Model.Arch >= ArchVersion.V6)
        {
            if ((mask & 0x000F_0000) != 0) GE = (value >> 16) & 0xF;
            if ((mask & 0x0000_0200) != 0) E = (value & (1u << 9)) != 0;
        }
        // The execution-state bits the model has: IT (bits 26:25 and 15:10, each part under its own
        // byte), J and A. MSR never names them (StatusRegister masks them out); exception
        // returns and debuggers write the whole CPSR.
        uint extra = mask & _executionStateBits;
        if (extra != 0)
        {
            if ((extra & JBit) != 0) J = (value & JBit) != 0;
            if ((extra & ABit) != 0) A = (value & ABit) != 0;
            if ((extra & 0x0600_0000) != 0) ITState = (byte)((ITState & ~3) | (int)((value >> 25) & 3));
            if ((extra & 0xFC00) != 0) ITState = (byte)((ITState & 3) | (int)((value >> 8) & 0xFC));
        }
        if ((mask & 0xFF) != 0)
        {
            I = (value & 0x80) != 0;
            F = (value & 0x40) != 0;
            if ((mask & 0x20) != 0) T = (value & 0x20) != 0;
            var mode = (ProcessorMode)(value & 0x1F);
            if (IsModeAvailable(mode)) SwitchMode(mode);
        }
    }

    internal static bool IsValidMode(ProcessorMode mode) => mode is ProcessorMode.User or ProcessorMode.Fiq
        or ProcessorMode.Irq or ProcessorMode.Supervisor or ProcessorMode.Abort or ProcessorMode.Undefined
        or ProcessorMode.System;

    /// <summary>Changes mode, swapping the banked R8-R14 (ARM ARM A2.3, figure A2-1; Monitor mode's SP and LR, B1.3.2).</summary>
    internal void SwitchMode(ProcessorMode mode)
    {
        if (mode == _mode) return;
        bool monitorCrossed = (mode == ProcessorMode.Monitor) != (_mode == ProcessorMode.Monitor);
        int from = BankOf(_mode), to = BankOf(mode);
        if (from != to)
        {
            _bankedR13[from] = R[13];
            _bankedR14[from] = R[14];
            R[13] = _bankedR13[to];
            R[14] = _bankedR14[to];
        }
        bool wasFiq = _mode == ProcessorMode.Fiq, isFiq = mode == ProcessorMode.Fiq;
        if (wasFiq != isFiq)
        {
            uint[] save = wasFiq ? _fiqR8To12 : _userR8To12, load = isFiq ? _fiqR8To12 : _userR8To12;
            for (int i = 0; i < 5; i++)
            {
                save[i] = R[8 + i];
                R[8 + i] = load[i];
            }
        }
        _mode = mode;
        Memory.Privileged = mode != ProcessorMode.User;
        if (monitorCrossed && _nonSecureBit) SecurityStateChanged?.Invoke(); // Monitor mode is Secure whatever SCR.NS says
    }

    /// <summary>Reads a register of another mode's bank (LDM/STM with ^, debuggers).</summary>
    public uint GetBankedRegister(ProcessorMode mode, int r)
    {
        if (r < 8 || r == 15) return R[r];
        bool wantFiq = mode == ProcessorMode.Fiq;
        if (r < 13)
        {
            if (wantFiq == (_mode == ProcessorMode.Fiq)) return R[r];
            return (wantFiq ? _fiqR8To12 : _userR8To12)[r - 8];
        }
        if (BankOf(mode) == BankOf(_mode)) return R[r];
        return (r == 13 ? _bankedR13 : _bankedR14)[BankOf(mode)];
    }

    /// <summary>Writes a register of another mode's bank.</summary>
    public void SetBankedRegister(ProcessorMode mode, int r, uint value)
    {
        if (r < 8 || r == 15)
        {
            R[r] = value;
            return;
        }
        bool wantFiq = mode == ProcessorMode.Fiq;
        if (r < 13)
        {
            if (wantFiq == (_mode == ProcessorMode.Fiq)) R[r] = value;
            else (wantFiq ? _fiqR8To12 : _userR8To12)[r - 8] = value;
            return;
        }
        if (BankOf(mode) == BankOf(_mode)) R[r] = value;
        else (r == 13 ? _bankedR13 : _bankedR14)[BankOf(mode)] = value;
    }

    /// <summary>The SPSR banked for <paramref name="mode"/>, which need not be the current mode.</summary>
    public uint GetSpsr(ProcessorMode mode) => _bankedSpsr[BankOf(mode)];

    /// <summary>Sets the SPSR banked for <paramref name="mode"/> to <paramref name="value"/>, without checks.</summary>
    public void SetSpsr(ProcessorMode mode, uint value) => _bankedSpsr[BankOf(mode)] = value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int BankOf(ProcessorMode mode) => mode switch
    {
        ProcessorMode.Fiq => 1,
        ProcessorMode.Irq => 2,
        ProcessorMode.Supervisor => 3,
        ProcessorMode.Abort => 4,
        ProcessorMode.Undefined => 5,
        ProcessorMode.Monitor => 6,
        _ => 0,
    };
}
