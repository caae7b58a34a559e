using ArmEmu.Memory;
using ArmEmu.Memory.Mmu;

namespace ArmEmu.Cpu.Coprocessors;

/// <summary>
/// CP15 of an ARMv7-A core with the Security Extensions and the short-descriptor VMSA (ARM ARM
/// DDI 0406C B4.1 and B4.2; Cortex-A8 TRM DDI 0344 and Cortex-A9 TRM DDI 0388 chapter 4), as a
/// table of <see cref="Cp15Register"/> rows. Identification values come from the model
/// (<see cref="CpuModel.V7Ids"/>, QEMU 7.2's); CCSIDR comes from the cache model's geometry when
/// one is attached (<see cref="ICacheMaintenanceV7.Geometry"/>) so that a set/way loop covers
/// exactly the lines that exist.
///
/// Effects go out as on the ARM926: SCTLR.M, AFE and TRE, TTBR0/1, TTBCR, DACR, CONTEXTIDR,
/// PRRR and NMRR to the <see cref="ArmV7Mmu"/>; SCTLR.A, V and TE and VBAR to the
/// <see cref="Cpu"/>; c7 cache maintenance to an <see cref="ICacheMaintenanceV7"/>; c8 TLB
/// maintenance to the MMU; SCTLR.C/I to whoever listens to <see cref="ControlApplied"/>.
/// CP15 holds no cache state.
///
/// An encoding with no row, an access the row's rights forbid at the current privilege, MCRR,
/// MRRC, CDP, LDC and STC are refused, and the core takes the Undefined Instruction exception.
///
/// Departures from QEMU 7.2, each following the manual:
/// - ACTLR stores its writable bits (Cortex-A9 TRM 4.3.10: FW, the prefetch hints, write full
///   line of zeros, SMP, EXCL, alloc in one way, parity); QEMU makes it a constant.
/// - FCSEIDR reads as zero and ignores writes: the Cortex-A9 has no FCSE (TRM 4.2.12); QEMU
///   stores it and relocates addresses with it.
/// - PAR reports the memory attributes of a successful translation (ARM ARM B4.1.112); QEMU
///   reports none.
/// - The performance monitors count (<see cref="V7Pmu"/>: cycles, instructions, exceptions and
///   the cache model's L1 events); QEMU's cortex-a9 and cortex-a8 count nothing.
/// The Security Extensions (B3.12): the banked registers have a Secure and a Non-secure copy
/// (<see cref="Cp15Security.Banked"/>); the machine runs with its security state's copy, MRC and
/// MCR reach the copy SCR.NS selects (so Monitor mode programs the Non-secure one with NS set);
/// SCR, SDER and MVBAR are UNDEFINED and NSACR read-only from the Non-secure state; SCR.IRQ/FIQ
/// route those interrupts to Monitor mode (<see cref="Cpu.IsSecure"/>, Cpu.Security.cs).
/// Departures: a change of security state empties the TLB (its entries carry no NS tag here;
/// the hardware and QEMU keep both worlds' entries); the cache model's lines carry no NS tag
/// either (one physical memory, as on vexpress-a9); SCR.EA, FW, AW, nET and SDER are stored and
/// do nothing.
/// Not modelled: the ATS12NSO* operations (ARMv7 with the Virtualization Extensions).
/// </summary>
internal sealed class V7Cp15 : ICoprocessor
{
    // ---- SCTLR bits (ARM ARM B4.1.130) -------------------------------------------------------

    public const uint ControlM = 1u << 0;    // MMU enable
    public const uint ControlA = 1u << 1;    // alignment checking
    public const uint ControlC = 1u << 2;    // data and unified caches
    public const uint ControlZ = 1u << 11;   // branch prediction
    public const uint ControlI = 1u << 12;   // instruction cache
    public const uint ControlV = 1u << 13;   // high vectors
    public const uint ControlRR = 1u << 14;  // round-robin replacement
    public const uint ControlTre = 1u << 28; // TEX remap
    public const uint ControlAfe = 1u << 29; // access flag enable
    public const uint ControlTe = 1u << 30;  // Thumb exception entry

    private readonly CpuModel _model;
    private readonly V7IdRegisters _ids;
    private readonly ArmV7Mmu _mmu;
    private readonly ICacheMaintenanceV7? _caches;
    private readonly Cp15Register[] _rows;
    private readonly short[] _index = new short[1 << 14];
    private readonly uint[] _values;
    private Cpu? _cpu;

    /// <summary>
    /// The registers the Security Extensions bank, one copy per security state (ARM ARM B3.12.2,
    /// table B3-20 "Banked registers"; Cortex-A9 TRM 4.2.x): SCTLR, TTBR0/1, TTBCR, DACR, the fault
    /// status and address registers, PAR, PRRR/NMRR, VBAR, CONTEXTIDR, the TPIDRs and CSSELR.
    /// </summary>
    private sealed class Bank
    {
        public uint Control, Vbar, Csselr, Dfsr, Ifsr, Dfar, Ifar, Par;
        public uint Ttbr0, Ttbr1, Ttbcr, Dacr, ContextId, Prrr, Nmrr;
        public uint TpidrUrw, TpidrUro, TpidrPrw;

        public void Reset(uint control)
        {
            Control = control;
            Vbar = Csselr = Dfsr = Ifsr = Dfar = Ifar = Par = 0;
            Ttbr0 = Ttbr1 = Ttbcr = Dacr = ContextId = Prrr = Nmrr = 0;
            TpidrUrw = TpidrUro = TpidrPrw = 0;
        }
    }

    private readonly Bank _secure = new(), _nonSecure = new();
    // SCR and MVBAR (Secure only).
    private uint _scr, _mvbar;

    /// <summary>The bank the machine runs with: the current security state's (Monitor mode is Secure).</summary>
    private Bank Active => _cpu?.IsSecure ?? true ? _secure : _nonSecure;

    /// <summary>The bank MRC and MCR reach: SCR.NS's, which outside Monitor mode is the current state's (B3.12.2).</summary>
    private Bank Selected => (_scr & 1) != 0 ? _nonSecure : _secure;
    /// <param name="model">An ARMv7 model with <see cref="CpuModel.V7Ids"/>.</param>
    /// <param name="mmu">The VMSAv7 MMU the translation registers drive.</param>
    /// <param name="caches">The caches c7 maintains; null without a cache model (the operations do nothing).</param>
    /// <param name="cycles">The processor clock for PMCCNTR (the machine's virtual clock); null counts executed instructions.</param>
    public V7Cp15(CpuModel model, ArmV7Mmu mmu, ICacheMaintenanceV7? caches = null, Func<ulong>? cycles = null)
    {
        _model = model;
        _ids = model.V7Ids ?? throw new ArgumentException($"{model.Name} is not an ARMv7 model with v7 identification registers", nameof(model));
        _mmu = mmu;
        _caches = caches;
        Pmu = new V7Pmu(_ids.PmcrReset, cycles ?? (() => _cpu?.InstructionsExecuted ?? 0));
        _rows = [.. Table()];
        _values = new uint[_rows.Length];
        Array.Fill(_index, (short)-1);
        for (int i = 0; i < _rows.Length; i++)
        {
            if (_index[_rows[i].Key] != -1) throw new InvalidOperationException($"{_rows[i]} is defined twice");
            _index[_rows[i].Key] = (short)i;
        }
        Reset();
    }

    /// <summary>Every register this CP15 has, in table order.</summary>
    public IReadOnlyList<Cp15Register> Registers => _rows;

    public ArmV7Mmu Mmu => _mmu;

    /// <summary>The performance monitors the c9 rows reach (present on every model; the rows only where the model has them).</summary>
    public V7Pmu Pmu { get; }

    /// <summary>CBAR (c15,c0,0 opc1 4): the physical base of the MPCore private region, set by the board.</summary>
    public uint ConfigurationBase { get; set; }

    /// <summary>SCTLR (of the current security state).</summary>
    public uint Control => Active.Control;

    /// <summary>SCR (B4.1.129): NS, IRQ, FIQ, EA, FW, AW, nET.</summary>
    public uint SecureConfiguration => _scr;

    /// <summary>CPACR (c1,c0,2): coprocessor access rights; the VFP/NEON model reads it.</summary>
    public uint CoprocessorAccessControl => _cpu?.Fpu.Cpacr ?? 0;

    /// <summary>DFSR, IFSR, DFAR, IFAR as an abort left them.</summary>
    public uint DataFaultStatus => Active.Dfsr;
    public uint InstructionFaultStatus => Active.Ifsr;
    public uint DataFaultAddress => Active.Dfar;
    public uint InstructionFaultAddress => Active.Ifar;

    /// <summary>Raised with SCTLR whenever it is written or reset (the cache model follows C, I and RR).</summary>
    public event Action<uint>? ControlApplied;

    /// <summary>Installs this as coprocessor 15 of <paramref name="cpu"/> and applies SCTLR and VBAR to it.</summary>
    public void Attach(Cpu cpu)
    {
        _cpu = cpu;
        Pmu.Attach(cpu);
        cpu.Coprocessors[15] = this;
        cpu.SecurityStateChanged += SwitchWorlds;
        ApplyScr();
        Apply();
    }

    /// <summary>Every register to its reset value; the TLB is emptied.</summary>
    public void Reset()
    {
        for (int i = 0; i < _rows.Length; i++) _values[i] = _rows[i].Reset;
        _secure.Reset(_ids.SctlrReset);
        _nonSecure.Reset(_ids.SctlrReset);
        _scr = _mvbar = 0;
        ApplyScr();
        Pmu.Reset();
        if (_cpu is { } cpu) cpu.Fpu.Cpacr = cpu.Fpu.Nsacr = 0;
        Apply();
        _mmu.InvalidateAll();
    }

    /// <summary>
    /// Records an abort the core is taking (ARM ARM B4.1.52 DFSR, B4.1.96 IFSR; short-descriptor
    /// format). A data abort sets DFSR (with WnR, bit 11, for a write) and DFAR; a prefetch abort
    /// sets IFSR and IFAR. MMU faults carry their status; an alignment fault is FS 0b00001; a bus
    /// error is a synchronous external abort, FS 0b01000 with ExT = 0 (QEMU reports a decode
    /// error as ExT 0). With no fault (BKPT) the prefetch abort is a debug event: IFSR FS
    /// 0b00010, IFAR 0 (as QEMU, which leaves the FAR of a BKPT UNKNOWN as zero).
    /// </summary>
    public void RecordAbort(MemoryFault? fault, bool prefetch)
    {
        var bank = Active; // the abort is taken in the current security state
        if (fault is null)
        {
            if (prefetch)
            {
                bank.Ifsr = ArmV7Mmu.FsrOf(ArmV7Mmu.StatusDebug);
                bank.Ifar = 0;
            }
            return;
        }
        uint status = fault.Kind switch
        {
            FaultKind.Translation => fault.Status,
            FaultKind.Alignment => ArmV7Mmu.FsrOf(ArmV7Mmu.StatusAlignment),
            _ => ArmV7Mmu.FsrOf(ArmV7Mmu.StatusSynchronousExternal),
        };
        if (prefetch)
        {
            bank.Ifsr = status;
            bank.Ifar = fault.Address;
        }
        else
        {
            bank.Dfsr = status | ((fault.Access & AccessKind.Write) != 0 ? 1u << 11 : 0);
            bank.Dfar = fault.Address;
        }
    }

    // ---- MCR / MRC ---------------------------------------------------------------------------

    public bool Mrc(Cpu cpu, int opc1, int crn, int crm, int opc2, out uint value)
    {
        value = 0;
        if (crn == 15 && !_ids.ImplementationDefinedC15) return cpu.IsPrivileged; // QEMU DUMMY_C15_REGS: RAZ at PL1
        var row = Find(crn, opc1, crm, opc2);
        if (row < 0 || !Allowed(cpu, _rows[row], write: false)) return false;
        value = _rows[row].Read is { } read ? read(this) : _values[row];
        return true;
    }

    public bool Mcr(Cpu cpu, int opc1, int crn, int crm, int opc2, uint value)
    {
        if (crn == 15 && !_ids.ImplementationDefinedC15) return cpu.IsPrivileged; // QEMU DUMMY_C15_REGS: WI at PL1
        var row = Find(crn, opc1, crm, opc2);
        if (row < 0 || !Allowed(cpu, _rows[row], write: true)) return false;
        var r = _rows[row];
        if (r.Write is { } write) write(this, value);
        else _values[row] = (_values[row] & ~r.WriteMask) | (value & r.WriteMask);
        return true;
    }

    public bool Mcrr(Cpu cpu, int opc1, int crm, uint low, uint high) => false;

    public bool Mrrc(Cpu cpu, int opc1, int crm, out uint low, out uint high)
    {
        low = high = 0;
        return false;
    }

    public bool Cdp(Cpu cpu, int opc1, int crd, int crn, int crm, int opc2) => false;

    public bool LoadStore(Cpu cpu, bool load, bool longTransfer, int crd, uint address, uint option) => false;

    /// <summary>The row for an encoding, or null.</summary>
    public Cp15Register? Lookup(int crn, int opc1, int crm, int opc2) => Find(crn, opc1, crm, opc2) is var i and >= 0 ? _rows[i] : null;

    private int Find(int crn, int opc1, int crm, int opc2) =>
        (uint)crn < 16 && (uint)opc1 < 8 && (uint)crm < 16 && (uint)opc2 < 8 ? _index[Cp15Register.Encode(crn, opc1, crm, opc2)] : -1;

    private bool Allowed(Cpu cpu, Cp15Register row, bool write)
    {
        // B3.12.2, B4.1: Secure-only registers are UNDEFINED from the Non-secure state; NSACR is read-only there.
        if (!cpu.IsSecure && (row.Security == Cp15Security.SecureOnly || (write && row.Security == Cp15Security.NonSecureReadOnly)))
            return false;
        if (cpu.IsPrivileged) return (row.Access & (write ? Cp15Access.Pl1Write : Cp15Access.Pl1Read)) != 0;
        return (row.Access & (write ? Cp15Access.Pl0Write : Cp15Access.Pl0Read)) != 0 && (row.Pl0Enabled?.Invoke(this) ?? true);
    }

    private uint Stored(string name)
    {
        for (int i = 0; i < _rows.Length; i++)
            if (_rows[i].Name == name) return _values[i];
        throw new InvalidOperationException($"no register {name}");
    }

    // ---- the table ---------------------------------------------------------------------------

    private static Cp15Register Id(string name, int crn, int opc1, int crm, int opc2, uint value) =>
        new(name, crn, opc1, crm, opc2, Cp15Access.Pl1ReadOnly) { Reset = value, Write = static (_, _) => { } };

    private static Cp15Register Op(string name, int crn, int opc1, int crm, int opc2, Action<V7Cp15, uint> operation,
        Cp15Access access = Cp15Access.Pl1WriteOnly) =>
        new(name, crn, opc1, crm, opc2, access) { Write = operation };

    private static Cp15Register Stored(string name, int crn, int opc1, int crm, int opc2, uint reset = 0, uint writeMask = ~0u,
        Cp15Access access = Cp15Access.Pl1ReadWrite) =>
        new(name, crn, opc1, crm, opc2, access) { Reset = reset, WriteMask = writeMask };

    private static Cp15Register Field(string name, int crn, int opc1, int crm, int opc2, Func<V7Cp15, uint> read,
        Action<V7Cp15, uint> write, Cp15Access access = Cp15Access.Pl1ReadWrite) =>
        new(name, crn, opc1, crm, opc2, access) { Read = read, Write = write };

    /// <summary>
    /// A banked register: MRC/MCR reach the copy SCR.NS selects; <paramref name="applies"/> when
    /// writing the copy the machine runs with must reach the MMU or the core at once.
    /// </summary>
    private static Cp15Register Banked(string name, int crn, int opc1, int crm, int opc2, Func<Bank, uint> get,
        Action<Bank, uint> set, bool applies = false, Cp15Access access = Cp15Access.Pl1ReadWrite) =>
        new(name, crn, opc1, crm, opc2, access)
        {
            Security = Cp15Security.Banked,
            Read = c => get(c.Selected),
            Write = applies
                ? (c, v) =>
                {
                    var bank = c.Selected;
                    set(bank, v);
                    if (bank == c.Active) c.Apply();
                }
                : (c, v) => set(c.Selected, v),
        };

    private static readonly Func<V7Cp15, bool> PmuUserEnabled = static c => c.Pmu.UserEnabled;

    private static Cp15Register PmuRow(string name, int crm, int opc2, Func<V7Cp15, uint> read, Action<V7Cp15, uint> write,
        Cp15Access access = Cp15Access.Pl0ReadWrite) =>
        new(name, 9, 0, crm, opc2, access) { Read = read, Write = write, Pl0Enabled = PmuUserEnabled };

    private IEnumerable<Cp15Register> Table()
    {
        var ids = _ids;
        // c0: identification (B4.1.105 MIDR, B4.1.42 CTR, B4.1.166 TCMTR, B4.1.167 TLBTR,
        // B4.1.106 MPIDR, B4.1.89-95 the feature registers, B4.1.31 CLIDR, B4.1.19 CCSIDR,
        // B4.1.39 CSSELR, B4.1.2 AIDR). The unused opc2 values of c0,c0 read as MIDR (QEMU
        // defines MIDR with opc2 as a wildcard under the specific registers; B4.1.105 allows it).
        yield return Id("MIDR", 0, 0, 0, 0, _model.Midr);
        yield return Id("CTR", 0, 0, 0, 1, ids.Ctr);
        yield return Id("TCMTR", 0, 0, 0, 2, 0);
        yield return Id("TLBTR", 0, 0, 0, 3, 0);
        yield return Id("MIDR (alias, opc2 4)", 0, 0, 0, 4, _model.Midr);
        yield return Id("MPIDR", 0, 0, 0, 5, ids.Mpidr);
        yield return Id("MIDR (alias, opc2 6)", 0, 0, 0, 6, _model.Midr);
        yield return Id("MIDR (alias, opc2 7)", 0, 0, 0, 7, _model.Midr);
        yield return Id("ID_PFR0", 0, 0, 1, 0, ids.Pfr[0]);
        yield return Id("ID_PFR1", 0, 0, 1, 1, ids.Pfr[1]);
        yield return Id("ID_DFR0", 0, 0, 1, 2, ids.Dfr0);
        yield return Id("ID_AFR0", 0, 0, 1, 3, ids.Afr0);
        for (int i = 0; i < 4; i++) yield return Id($"ID_MMFR{i}", 0, 0, 1, 4 + i, ids.Mmfr[i]);
        for (int i = 0; i < 6; i++) yield return Id($"ID_ISAR{i}", 0, 0, 2, i, ids.Isar[i]);
        // c0,c2,6-7 and c0,c3-c7: the reserved feature-ID space reads as zero (B4.1.2, "RAZ").
        yield return Id("ID reserved c2,6", 0, 0, 2, 6, 0);
        yield return Id("ID reserved c2,7", 0, 0, 2, 7, 0);
        for (int crm = 3; crm < 8; crm++)
            for (int opc2 = 0; opc2 < 8; opc2++)
                yield return Id($"ID reserved c{crm},{opc2}", 0, 0, crm, opc2, 0);
        yield return new Cp15Register("CCSIDR", 0, 1, 0, 0, Cp15Access.Pl1ReadOnly)
        {
            Read = static c => c.CacheSizeId(), Write = static (_, _) => { },
        };
        yield return Id("CLIDR", 0, 1, 0, 1, ids.Clidr);
        yield return Id("AIDR", 0, 1, 0, 7, 0);
        yield return Banked("CSSELR", 0, 2, 0, 0, static b => b.Csselr, static (b, v) => b.Csselr = v & 0xF);

        // c1: system control (B4.1.130 SCTLR, B4.1.4 ACTLR, B4.1.40 CPACR, B4.1.129 SCR,
        // B4.1.131 SDER, B4.1.111 NSACR). SCTLR stores every bit as written, as QEMU's sctlr_write does.
        yield return Banked("SCTLR", 1, 0, 0, 0, static b => b.Control, static (b, v) => b.Control = v, applies: true);
        yield return Stored("ACTLR", 1, 0, 0, 1, ids.ActlrReset, writeMask: 0x3CF);
        // CPACR: cp10/cp11 [23:20], D32DIS [30], ASEDIS [31]; the other coprocessors' fields are RAZ/WI (B4.1.40).
        // CPACR and NSACR are held by the floating-point unit, which gates cp10/cp11 on them at every instruction.
        yield return Field("CPACR", 1, 0, 0, 2, static c => c._cpu?.Fpu.Cpacr ?? 0,
                           static (c, v) => { if (c._cpu is { } cpu) cpu.Fpu.Cpacr = v & 0xC0F0_0000; });
        // SCR: NS, IRQ, FIQ, EA, FW, AW, nET (B4.1.129); Secure only, like SDER and MVBAR. NS selects the
        // banks; IRQ and FIQ route those interrupts to Monitor mode. NSACR is read-only from Non-secure.
        yield return Field("SCR", 1, 0, 1, 0, static c => c._scr, static (c, v) => { c._scr = v & 0x7F; c.ApplyScr(); })
            with { Security = Cp15Security.SecureOnly };
        yield return Stored("SDER", 1, 0, 1, 1) with { Security = Cp15Security.SecureOnly };
        yield return Field("NSACR", 1, 0, 1, 2, static c => c._cpu?.Fpu.Nsacr ?? 0,
                           static (c, v) => { if (c._cpu is { } cpu) cpu.Fpu.Nsacr = v; })
            with { Security = Cp15Security.NonSecureReadOnly };

        // c2, c3: translation table base and control, domains (B4.1.154-156, B4.1.43).
        yield return Banked("TTBR0", 2, 0, 0, 0, static b => b.Ttbr0, static (b, v) => b.Ttbr0 = v, applies: true);
        yield return Banked("TTBR1", 2, 0, 0, 1, static b => b.Ttbr1, static (b, v) => b.Ttbr1 = v, applies: true);
        yield return Banked("TTBCR", 2, 0, 0, 2, static b => b.Ttbcr, static (b, v) => b.Ttbcr = v & 0x37, applies: true);
        yield return Banked("DACR", 3, 0, 0, 0, static b => b.Dacr, static (b, v) => b.Dacr = v, applies: true);

        // c5, c6: fault status and address (B4.1.52 DFSR, B4.1.96 IFSR, B4.1.5-6 ADFSR/AIFSR, B4.1.51 DFAR, B4.1.95 IFAR).
        yield return Banked("DFSR", 5, 0, 0, 0, static b => b.Dfsr, static (b, v) => b.Dfsr = v);
        yield return Banked("IFSR", 5, 0, 0, 1, static b => b.Ifsr, static (b, v) => b.Ifsr = v);
        yield return Id("ADFSR", 5, 0, 1, 0, 0) with { Access = Cp15Access.Pl1ReadWrite };
        yield return Id("AIFSR", 5, 0, 1, 1, 0) with { Access = Cp15Access.Pl1ReadWrite };
        yield return Banked("DFAR", 6, 0, 0, 0, static b => b.Dfar, static (b, v) => b.Dfar = v);
        yield return Banked("IFAR", 6, 0, 0, 2, static b => b.Ifar, static (b, v) => b.Ifar = v);

        // c7: cache and branch predictor maintenance, address translation, barriers (B4.2.1, B4.2.3, B4.2.4).
        yield return Op("NOP (WFI, ARMv6 form)", 7, 0, 0, 4, static (c, _) => c._cpu?.WaitForInterrupt());
        yield return Op("ICIALLUIS", 7, 0, 1, 0, static (c, _) => c._caches?.InvalidateInstructionAll());
        yield return Op("BPIALLIS", 7, 0, 1, 6, static (_, _) => { }); // no branch predictor is modelled
        yield return Banked("PAR", 7, 0, 4, 0, static b => b.Par, static (b, v) => b.Par = v);
        yield return Op("ICIALLU", 7, 0, 5, 0, static (c, _) => c._caches?.InvalidateInstructionAll());
        yield return Op("ICIMVAU", 7, 0, 5, 1, static (c, v) => c._caches?.InvalidateInstructionByMva(v));
        yield return Op("CP15ISB", 7, 0, 5, 4, static (_, _) => { }, Cp15Access.Pl0WriteOnly);
        yield return Op("BPIALL", 7, 0, 5, 6, static (_, _) => { });
        yield return Op("BPIMVA", 7, 0, 5, 7, static (_, _) => { });
        yield return Op("DCIMVAC", 7, 0, 6, 1, static (c, v) => c._caches?.InvalidateDataByMva(v));
        yield return Op("DCISW", 7, 0, 6, 2, static (c, v) => c._caches?.InvalidateDataBySetWay(v));
        yield return Op("ATS1CPR", 7, 0, 8, 0, static (c, v) => c.Selected.Par = c._mmu.TranslateForPar(v, privileged: true, write: false));
        yield return Op("ATS1CPW", 7, 0, 8, 1, static (c, v) => c.Selected.Par = c._mmu.TranslateForPar(v, privileged: true, write: true));
        yield return Op("ATS1CUR", 7, 0, 8, 2, static (c, v) => c.Selected.Par = c._mmu.TranslateForPar(v, privileged: false, write: false));
        yield return Op("ATS1CUW", 7, 0, 8, 3, static (c, v) => c.Selected.Par = c._mmu.TranslateForPar(v, privileged: false, write: true));
        yield return Op("DCCMVAC", 7, 0, 10, 1, static (c, v) => c._caches?.CleanDataByMva(v, toUnification: false));
        yield return Op("DCCSW", 7, 0, 10, 2, static (c, v) => c._caches?.CleanDataBySetWay(v));
        yield return Op("CP15DSB", 7, 0, 10, 4, static (c, _) => c._caches?.DataSynchronizationBarrier(), Cp15Access.Pl0WriteOnly);
        yield return Op("CP15DMB", 7, 0, 10, 5, static (_, _) => { }, Cp15Access.Pl0WriteOnly);
        yield return Op("DCCMVAU", 7, 0, 11, 1, static (c, v) => c._caches?.CleanDataByMva(v, toUnification: true));
        yield return Op("DCCIMVAC", 7, 0, 14, 1, static (c, v) => c._caches?.CleanAndInvalidateDataByMva(v));
        yield return Op("DCCISW", 7, 0, 14, 2, static (c, v) => c._caches?.CleanAndInvalidateDataBySetWay(v));

        // c8: TLB maintenance (B4.2.2). One unified TLB: the instruction and data forms act on it.
        foreach ((string prefix, int crm) in new[] { ("TLBI", 7), ("ITLBI", 5), ("DTLBI", 6), ("TLBI", 3) })
        {
            string suffix = crm == 3 ? "IS" : "";
            yield return Op($"{prefix}ALL{suffix}", 8, 0, crm, 0, static (c, _) => c._mmu.InvalidateAll());
            yield return Op($"{prefix}MVA{suffix}", 8, 0, crm, 1, static (c, v) => c._mmu.InvalidateByMva(v));
            yield return Op($"{prefix}ASID{suffix}", 8, 0, crm, 2, static (c, v) => c._mmu.InvalidateByAsid(v));
            // TLBIMVAA(IS) exist with the Multiprocessing Extensions only, and only in the unified forms.
            if (crm is 7 or 3 && _model.Has(CpuFeature.Multiprocessing))
                yield return Op($"TLBIMVAA{suffix}", 8, 0, crm, 3, static (c, v) => c._mmu.InvalidateByMvaAllAsids(v));
        }

        // c9: the performance monitors, PMUv1 (ARM ARM C12.8; PL0 access only while PMUSERENR.EN is set).
        // PMCEID0/1 belong to PMUv2 and are UNDEFINED here, as in QEMU 7.2 for these cores.
        if (_model.Has(CpuFeature.PerformanceMonitors))
        {
            yield return PmuRow("PMCR", 12, 0, static c => c.Pmu.Pmcr, static (c, v) => c.Pmu.WritePmcr(v));
            yield return PmuRow("PMCNTENSET", 12, 1, static c => c.Pmu.CounterEnables, static (c, v) => c.Pmu.EnableCounters(v));
            yield return PmuRow("PMCNTENCLR", 12, 2, static c => c.Pmu.CounterEnables, static (c, v) => c.Pmu.DisableCounters(v));
            yield return PmuRow("PMOVSR", 12, 3, static c => c.Pmu.OverflowFlags, static (c, v) => c.Pmu.ClearOverflowFlags(v));
            yield return PmuRow("PMSWINC", 12, 4, static _ => 0, static (c, v) => c.Pmu.SoftwareIncrement(v), Cp15Access.Pl0WriteOnly);
            yield return PmuRow("PMSELR", 12, 5, static c => c.Pmu.Selection, static (c, v) => c.Pmu.Selection = v);
            yield return PmuRow("PMCCNTR", 13, 0, static c => c.Pmu.CycleCount, static (c, v) => c.Pmu.SetCycleCount(v));
            yield return PmuRow("PMXEVTYPER", 13, 1, static c => c.Pmu.SelectedEventType, static (c, v) => c.Pmu.SetSelectedEventType(v));
            yield return PmuRow("PMXEVCNTR", 13, 2, static c => c.Pmu.SelectedCount, static (c, v) => c.Pmu.SetSelectedCount(v));
            yield return Field("PMUSERENR", 9, 0, 14, 0, static c => c.Pmu.UserEnable, static (c, v) => c.Pmu.UserEnable = v, Cp15Access.Pl0ReadOnly);
            yield return Field("PMINTENSET", 9, 0, 14, 1, static c => c.Pmu.InterruptEnables, static (c, v) => c.Pmu.EnableInterrupts(v));
            yield return Field("PMINTENCLR", 9, 0, 14, 2, static c => c.Pmu.InterruptEnables, static (c, v) => c.Pmu.DisableInterrupts(v));
        }

        // c10: memory remap (B4.1.127 PRRR, B4.1.110 NMRR) and, on the Cortex-A9, the TLB Lockdown
        // Register (A9 TRM 4.3.15: Victim [29:28] and P [0], reset 0). It is stored: the TLB model has
        // no lockdown region, so a walk never lands in one (QEMU reads it as zero and ignores writes).
        if (ids.ImplementationDefinedC15)
            yield return Stored("TLB Lockdown", 10, 0, 0, 0, writeMask: 0x3000_0001);
        yield return Banked("PRRR", 10, 0, 2, 0, static b => b.Prrr, static (b, v) => b.Prrr = v, applies: true);
        yield return Banked("NMRR", 10, 0, 2, 1, static b => b.Nmrr, static (b, v) => b.Nmrr = v, applies: true);

        // c12: vector base (B4.1.156 VBAR, B4.1.107 MVBAR: bits [4:0] are reserved), interrupt status (B4.1.101 ISR).
        yield return Banked("VBAR", 12, 0, 0, 0, static b => b.Vbar, static (b, v) => b.Vbar = v & ~0x1Fu, applies: true);
        yield return Field("MVBAR", 12, 0, 0, 1, static c => c._mvbar, static (c, v) => { c._mvbar = v & ~0x1Fu; c.ApplyScr(); })
            with { Security = Cp15Security.SecureOnly };
        yield return new Cp15Register("ISR", 12, 0, 1, 0, Cp15Access.Pl1ReadOnly)
        {
            Read = static c => (c._cpu?.IrqLine == true ? 1u << 7 : 0) | (c._cpu?.FiqLine == true ? 1u << 6 : 0),
            Write = static (_, _) => { },
        };

        // c13: process, context and thread ID (B4.1.37 CONTEXTIDR, B4.1.150-152 TPIDR*).
        yield return Id("FCSEIDR", 13, 0, 0, 0, 0) with { Access = Cp15Access.Pl1ReadWrite }; // no FCSE on v7 Cortex cores: RAZ/WI
        yield return Banked("CONTEXTIDR", 13, 0, 0, 1, static b => b.ContextId, static (b, v) => b.ContextId = v, applies: true)
            with { Write = static (c, v) => c.WriteContextId(v) };
        yield return Banked("TPIDRURW", 13, 0, 0, 2, static b => b.TpidrUrw, static (b, v) => b.TpidrUrw = v, access: Cp15Access.Pl0ReadWrite);
        yield return Banked("TPIDRURO", 13, 0, 0, 3, static b => b.TpidrUro, static (b, v) => b.TpidrUro = v, access: Cp15Access.Pl0ReadOnly);
        yield return Banked("TPIDRPRW", 13, 0, 0, 4, static b => b.TpidrPrw, static (b, v) => b.TpidrPrw = v);

        // c15: the Cortex-A9's implementation-defined registers (A9 TRM 4.3.22-4.3.29), as QEMU has them.
        if (ids.ImplementationDefinedC15)
        {
            yield return Stored("A9 Power Control", 15, 0, 0, 0);
            yield return Stored("A9 Diagnostic Control", 15, 0, 0, 1);
            yield return Stored("A9 Power Diagnostic Control", 15, 0, 0, 2);
            yield return Id("A9 NEON Busy", 15, 0, 1, 0, 0) with { Access = Cp15Access.Pl1ReadWrite };
            yield return new Cp15Register("CBAR", 15, 4, 0, 0, Cp15Access.Pl1ReadOnly)
            {
                Read = static c => c.ConfigurationBase, Write = static (_, _) => { },
            };
            yield return Op("A9 TLB lockdown read", 15, 5, 4, 2, static (_, _) => { });
            yield return Op("A9 TLB lockdown write", 15, 5, 4, 4, static (_, _) => { });
            yield return Id("A9 TLB VA", 15, 5, 5, 2, 0) with { Access = Cp15Access.Pl1ReadWrite };
            yield return Id("A9 TLB PA", 15, 5, 6, 2, 0) with { Access = Cp15Access.Pl1ReadWrite };
            yield return Id("A9 TLB attributes", 15, 5, 7, 2, 0) with { Access = Cp15Access.Pl1ReadWrite };
        }
    }

    /// <summary>
    /// CCSIDR for the cache CSSELR selects (B4.1.19): from the attached cache model's geometry when
    /// it has that cache, otherwise the model's value; 0 for a cache that does not exist.
    /// </summary>
    private uint CacheSizeId()
    {
        uint csselr = Selected.Csselr;
        int level = (int)(csselr >> 1) & 7;
        bool instruction = (csselr & 1) != 0;
        if (_caches is not null) return _caches.Geometry(level, instruction)?.Ccsidr ?? 0;
        return csselr < _ids.Ccsidr.Length ? _ids.Ccsidr[csselr] : 0;
    }

    /// <summary>Pushes the running bank to the MMU and the core.</summary>
    private void Apply()
    {
        var b = Active;
        uint control = b.Control;
        _mmu.Ttbr0 = b.Ttbr0;
        _mmu.Ttbr1 = b.Ttbr1;
        _mmu.Ttbcr = b.Ttbcr;
        _mmu.Dacr = b.Dacr;
        _mmu.ContextId = b.ContextId;
        _mmu.Prrr = b.Prrr;
        _mmu.Nmrr = b.Nmrr;
        _mmu.Enabled = (control & ControlM) != 0;
        _mmu.AccessFlagEnabled = (control & ControlAfe) != 0;
        _mmu.TexRemap = (control & ControlTre) != 0;
        ControlApplied?.Invoke(control);
        if (_cpu is null) return;
        _cpu.HighVectors = (control & ControlV) != 0;
        _cpu.AlignmentChecking = (control & ControlA) != 0;
        _cpu.ThumbExceptions = (control & ControlTe) != 0;
        _cpu.VectorBase = b.Vbar;
    }

    /// <summary>SCR and MVBAR to the core: NS (which may switch worlds), IRQ and FIQ routing, the Monitor vectors.</summary>
    private void ApplyScr()
    {
        if (_cpu is not { } cpu) return;
        cpu.IrqToMonitor = (_scr & 2) != 0;
        cpu.FiqToMonitor = (_scr & 4) != 0;
        cpu.MonitorVectorBase = _mvbar;
        cpu.NonSecureBit = (_scr & 1) != 0; // raises SecurityStateChanged -> SwitchWorlds when the state changes
    }

    /// <summary>
    /// The core changed security state: the other bank now runs. The TLB is emptied, because its
    /// entries carry no security state here (on the hardware and in QEMU each world keeps its own
    /// entries; a world that changes its tables without TLB maintenance and leaves and re-enters
    /// sees its new tables here).
    /// </summary>
    private void SwitchWorlds()
    {
        _mmu.InvalidateAll();
        Apply();
    }

    private void WriteContextId(uint value)
    {
        var bank = Selected;
        bank.ContextId = value;
        if (bank == Active) _mmu.ContextId = value;
        Pmu.ContextIdWritten();
    }
}
