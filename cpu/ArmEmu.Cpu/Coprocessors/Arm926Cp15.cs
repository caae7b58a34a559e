using System.Numerics;
using ArmEmu.Memory;
using ArmEmu.Memory.Mmu;

namespace ArmEmu.Cpu.Coprocessors;

/// <summary>Sizes of the ARM926EJ-S caches (TRM §4.1: 4 KiB to 128 KiB each, 4-way, 32-byte lines).</summary>
internal readonly record struct CacheGeometry(int InstructionCacheBytes, int DataCacheBytes, int Ways = 4, int LineBytes = 32)
{
    /// <summary>16 KiB + 16 KiB, 4-way, 32-byte lines.</summary>
    public static CacheGeometry Default => new(16 * 1024, 16 * 1024);
}

/// <summary>
/// CP15, the system control coprocessor of the ARM926EJ-S (ARM926EJ-S TRM chapter 2; ARM ARM
/// B2-B6 for the ARMv5 registers). It holds the registers and pushes their effects out: SCTLR.M,
/// S and R, TTBR, DACR and the FCSE PID to the <see cref="ArmV5Mmu"/>; SCTLR.V to
/// <see cref="Cpu.HighVectors"/>; SCTLR.A to <see cref="Cpu.AlignmentChecking"/>; c7 to an
/// <see cref="ICacheMaintenance"/>; c8 to the MMU's TLB.
///
/// Every CP15 access from User mode, every encoding the ARM926 does not define and every
/// MCRR/MRRC/CDP/LDC/STC is refused, and the core takes the Undefined Instruction exception.
/// The opc1 field must be 0 except in c15, whose test and debug space reads as zero and
/// ignores writes, as in QEMU.
///
/// The machine wires it up with <see cref="Attach"/> and calls <see cref="RecordAbort"/> when
/// it takes a Data or Prefetch Abort that carries a <see cref="MemoryFault"/>.
/// </summary>
internal sealed class Arm926Cp15 : ICoprocessor
{
    /// <summary>c0,c0,0 Main ID: ARM (0x41), variant 0, architecture 6 (ARMv5TEJ), part 0x926, revision 5.</summary>
    public const uint MainIdValue = 0x4106_9265;

    // ---- c1 control register bits (TRM Table 2-10; ARM ARM B3.4) ------------------------------

    public const uint ControlM = 1u << 0;   // MMU enable
    public const uint ControlA = 1u << 1;   // alignment fault checking
    public const uint ControlC = 1u << 2;   // data cache enable
    public const uint ControlW = 1u << 3;   // write buffer: always on in the ARM926, should be one
    public const uint ControlB = 1u << 7;   // big-endian
    public const uint ControlS = 1u << 8;   // system protection
    public const uint ControlR = 1u << 9;   // ROM protection
    public const uint ControlI = 1u << 12;  // instruction cache enable
    public const uint ControlV = 1u << 13;  // high exception vectors
    public const uint ControlRR = 1u << 14; // round-robin replacement
    public const uint ControlL4 = 1u << 15; // ARMv4 behaviour of loads to the PC

    /// <summary>
    /// Bits that read as one whatever is written: W and [6:4], and [18] and [16]. Real ARM926
    /// silicon reads 0x0005317F once Linux has set it up (boot logs "cr=0005317f"), so bits 18
    /// and 16 are set; QEMU resets to 0x00090078 (bit 19 instead of 18).
    /// </summary>
    public const uint ControlShouldBeOne = ControlW | 0x70 | (1u << 16) | (1u << 18);

    /// <summary>
    /// Bits software can change. B is not among them: this model is little-endian only, so B
    /// reads as zero and ignores writes (as the ARM ARM allows for a little-endian-only system).
    /// C, I, RR and L4 are stored for the cache model and software; L4 has no effect on the core.
    /// </summary>
    public const uint ControlWritable = ControlM | ControlA | ControlC | ControlS | ControlR | ControlI | ControlV
                                        | ControlRR | ControlL4;

    /// <summary>Control register at reset: every defined bit 0 (V follows the VINITHI pin, see <see cref="HighVectorsAtReset"/>).</summary>
    public const uint ControlResetValue = ControlShouldBeOne;

    private readonly ArmV5Mmu _mmu;
    private readonly ICacheMaintenance _caches;
    private Cpu? _cpu;
    private uint _control;

    public Arm926Cp15(ArmV5Mmu mmu, ICacheMaintenance? caches = null, CacheGeometry? geometry = null)
    {
        _mmu = mmu;
        _caches = caches ?? NoCacheMaintenance.Instance;
        CacheType = EncodeCacheType(geometry ?? CacheGeometry.Default);
        Reset();
    }

    public ArmV5Mmu Mmu => _mmu;

    /// <summary>The VINITHI pin: SCTLR.V at reset. Low on the Versatile PB.</summary>
    public bool HighVectorsAtReset { get; set; }

    /// <summary>c0,c0,1, computed from the cache geometry.</summary>
    public uint CacheType { get; }

    /// <summary>c1,c0,0.</summary>
    public uint Control => _control;

    /// <summary>c5,c0,0 Data FSR.</summary>
    public uint DataFaultStatus { get; set; }

    /// <summary>c5,c0,1 Instruction (prefetch) FSR.</summary>
    public uint InstructionFaultStatus { get; set; }

    /// <summary>c6,c0,0 FAR: the MVA of the last data abort.</summary>
    public uint FaultAddress { get; set; }

    /// <summary>c9,c0,0 D-cache lockdown (format C, one bit per way), stored for the cache model.</summary>
    public uint DataCacheLockdown { get; set; }

    /// <summary>c9,c0,1 I-cache lockdown.</summary>
    public uint InstructionCacheLockdown { get; set; }

    /// <summary>c10,c0,0 TLB lockdown (victim and preserve bit), stored; the software TLB does not lock entries.</summary>
    public uint TlbLockdown { get; set; }

    /// <summary>c13,c0,1 Context ID.</summary>
    public uint ContextId { get; set; }

    /// <summary>Installs this as coprocessor 15 of <paramref name="cpu"/> and applies SCTLR.V and SCTLR.A to it.</summary>
    public void Attach(Cpu cpu)
    {
        _cpu = cpu;
        cpu.Coprocessors[15] = this;
        ApplyControl(cpu);
    }

    /// <summary>Reset values (TRM chapter 2): control register as <see cref="ControlResetValue"/>, the rest 0; the TLB is emptied.</summary>
    public void Reset()
    {
        DataFaultStatus = InstructionFaultStatus = FaultAddress = 0;
        DataCacheLockdown = InstructionCacheLockdown = TlbLockdown = ContextId = 0;
        CacheLockdownChanged?.Invoke();
        _mmu.TranslationTableBase = 0;
        _mmu.DomainAccessControl = 0;
        _mmu.FcsePid = 0;
        _control = ControlResetValue | (HighVectorsAtReset ? ControlV : 0);
        ApplyControl(_cpu);
        _mmu.InvalidateAll();
    }

    /// <summary>
    /// Records an abort the core is taking (call it from the CPU's exception handler for
    /// Data and Prefetch Aborts that carry a fault). A data abort sets the data FSR (domain
    /// and status) and the FAR (the MVA of the access); a prefetch abort sets only the
    /// instruction FSR: the ARM926 does not update the FAR on prefetch aborts (TRM "Fault
    /// address and fault status registers"; ARM ARM B4.6).
    /// </summary>
    public void RecordAbort(MemoryFault fault, bool prefetch)
    {
        uint status = fault.Kind switch
        {
            FaultKind.Translation => fault.Status,
            FaultKind.Alignment => fault.Status != 0 ? fault.Status : ArmV5Mmu.StatusAlignment,
            // A bus error (nothing at the physical address) is an external abort.
            _ => _mmu.ExternalAbortStatus(fault.Address),
        };
        if (prefetch)
        {
            InstructionFaultStatus = status;
        }
        else
        {
            DataFaultStatus = status;
            FaultAddress = _mmu.ModifiedVirtualAddress(fault.Address);
        }
    }

    // ---- MCR / MRC ---------------------------------------------------------------------------

    public bool Mrc(Cpu cpu, int opc1, int crn, int crm, int opc2, out uint value)
    {
        value = 0;
        if (!cpu.IsPrivileged) return false;
        if (crn == 15) return true; // c15 test and debug: RAZ (QEMU dummy_c15_cp_reginfo)
        if (opc1 != 0) return false;
        switch (crn)
        {
            case 0 when crm == 0:
                // ID registers. An unimplemented opc2 reads the main ID (ARM ARM B3.3).
                value = opc2 switch
                {
                    1 => CacheType,
                    2 => 0, // TCM status: no ITCM, no DTCM
                    _ => MainIdValue,
                };
                return true;
            case 1 when crm == 0 && opc2 == 0:
                value = _control;
                return true;
            case 2 when crm == 0 && opc2 == 0:
                value = _mmu.TranslationTableBase;
                return true;
            case 3 when crm == 0 && opc2 == 0:
                value = _mmu.DomainAccessControl;
                return true;
            case 5 when crm == 0 && opc2 is 0 or 1:
                value = opc2 == 0 ? DataFaultStatus : InstructionFaultStatus;
                return true;
            case 6 when crm == 0 && opc2 == 0:
                value = FaultAddress;
                return true;
            case 7 when opc2 == 3 && crm is 10 or 14:
                // Test and clean (c10) / test, clean and invalidate (c14): bit 30 set when
                // no dirty line remains; with Rd = R15 it becomes the Z flag (TRM p.2-21).
                bool clean = crm == 10 ? _caches.TestAndCleanDataCache() : _caches.TestCleanAndInvalidateDataCache();
                value = clean ? 1u << 30 : 0;
                return true;
            case 9 when crm == 0 && opc2 is 0 or 1:
                value = opc2 == 0 ? DataCacheLockdown : InstructionCacheLockdown;
                return true;
            case 10 when crm == 0 && opc2 == 0:
                value = TlbLockdown;
                return true;
            case 13 when crm == 0 && opc2 is 0 or 1:
                value = opc2 == 0 ? _mmu.FcsePid : ContextId;
                return true;
            default:
                return false;
        }
    }

    public bool Mcr(Cpu cpu, int opc1, int crn, int crm, int opc2, uint value)
    {
        if (!cpu.IsPrivileged) return false;
        if (crn == 15) return true; // c15 test and debug: writes ignored (QEMU dummy_c15_cp_reginfo)
        if (opc1 != 0) return false;
        switch (crn)
        {
            case 1 when crm == 0 && opc2 == 0:
                _control = (value & ControlWritable) | ControlShouldBeOne;
                ApplyControl(cpu);
                return true;
            case 2 when crm == 0 && opc2 == 0:
                _mmu.TranslationTableBase = value;
                return true;
            case 3 when crm == 0 && opc2 == 0:
                _mmu.DomainAccessControl = value;
                return true;
            case 5 when crm == 0 && opc2 is 0 or 1:
                // Bits [31:9] are UNP/SBZ and bit 8 reads as 0: only domain and status are kept.
                if (opc2 == 0) DataFaultStatus = value & 0xFF;
                else InstructionFaultStatus = value & 0xFF;
                return true;
            case 6 when crm == 0 && opc2 == 0:
                FaultAddress = value;
                return true;
            case 7:
                return CacheOperation(cpu, crm, opc2, value);
            case 8:
                return TlbOperation(crm, opc2, value);
            case 9 when crm == 0 && opc2 is 0 or 1:
                if (opc2 == 0) DataCacheLockdown = value;
                else InstructionCacheLockdown = value;
                CacheLockdownChanged?.Invoke();
                return true;
            case 10 when crm == 0 && opc2 == 0:
                TlbLockdown = value;
                return true;
            case 13 when crm == 0 && opc2 is 0 or 1:
                if (opc2 == 0) _mmu.FcsePid = value;
                else ContextId = value;
                return true;
            default:
                return false; // c0 is read-only; c4, c11, c12, c14 do not exist on the ARM926
        }
    }

    public bool Mcrr(Cpu cpu, int opc1, int crm, uint low, uint high) => false;

    public bool Mrrc(Cpu cpu, int opc1, int crm, out uint low, out uint high)
    {
        low = high = 0;
        return false;
    }

    public bool Cdp(Cpu cpu, int opc1, int crd, int crn, int crm, int opc2) => false;

    public bool LoadStore(Cpu cpu, bool load, bool longTransfer, int crd, uint address, uint option) => false;

    /// <summary>c7 write operations (TRM Table 2-18; the encodings Linux's proc-arm926.S uses).</summary>
    private bool CacheOperation(Cpu cpu, int crm, int opc2, uint rd)
    {
        switch ((crm, opc2))
        {
            case (0, 4): cpu.WaitForInterrupt(); break;
            case (5, 0): _caches.InvalidateInstructionCache(); break;
            case (5, 1): _caches.InvalidateInstructionLine(rd); break;
            case (5, 2): _caches.InvalidateInstructionLineBySetWay(rd); break;
            case (6, 0): _caches.InvalidateDataCache(); break;
            case (6, 1): _caches.InvalidateDataLine(rd); break;
            case (6, 2): _caches.InvalidateDataLineBySetWay(rd); break;
            case (7, 0):
                _caches.InvalidateInstructionCache();
                _caches.InvalidateDataCache();
                break;
            case (10, 1): _caches.CleanDataLine(rd); break;
            case (10, 2): _caches.CleanDataLineBySetWay(rd); break;
            case (10, 4): _caches.DrainWriteBuffer(); break;
            case (13, 1): _caches.PrefetchInstructionLine(rd); break;
            case (14, 1): _caches.CleanAndInvalidateDataLine(rd); break;
            case (14, 2): _caches.CleanAndInvalidateDataLineBySetWay(rd); break;
            default: return false;
        }
        return true;
    }

    /// <summary>c8 TLB operations: all (opc2 0) or one entry by MVA (opc2 1), of the I (c5), D (c6) or both (c7) TLBs.</summary>
    private bool TlbOperation(int crm, int opc2, uint rd)
    {
        switch ((crm, opc2))
        {
            case (7, 0): _mmu.InvalidateAll(); break;
            case (7, 1): _mmu.InvalidateEntry(rd); break;
            case (5, 0): _mmu.InvalidateInstructionAll(); break;
            case (5, 1): _mmu.InvalidateInstructionEntry(rd); break;
            case (6, 0): _mmu.InvalidateDataAll(); break;
            case (6, 1): _mmu.InvalidateDataEntry(rd); break;
            default: return false;
        }
        return true;
    }

    private void ApplyControl(Cpu? cpu)
    {
        _mmu.SystemProtection = (_control & ControlS) != 0;
        _mmu.RomProtection = (_control & ControlR) != 0;
        _mmu.Enabled = (_control & ControlM) != 0;
        ControlApplied?.Invoke(_control);
        if (cpu is null) return;
        cpu.HighVectors = (_control & ControlV) != 0;
        cpu.AlignmentChecking = (_control & ControlA) != 0;
    }

    /// <summary>Raised when c9's cache lockdown registers are written or reset (the cache model locks those ways).</summary>
    public event Action? CacheLockdownChanged;

    /// <summary>Raised with the control register whenever it is written or reset (the cache model follows C, I and RR).</summary>
    public event Action<uint>? ControlApplied;

    /// <summary>
    /// The ARM926 Cache Type register (TRM §2.3.2): Ctype 0b1110 (write-back, cleaned by register
    /// 7, format C lockdown) in [28:25], S = 1 (separate caches) in [24], then the D-cache and
    /// I-cache fields in [23:12] and [11:0], each size [9:6] (cache = 512 B &lt;&lt; size), assoc
    /// [5:3] (log2 ways, M = 0), M [2], len [1:0] (line = 8 B &lt;&lt; len).
    /// </summary>
    public static uint EncodeCacheType(CacheGeometry g) =>
        (0b1110u << 25) | (1u << 24) | (CacheField(g.DataCacheBytes, g.Ways, g.LineBytes) << 12)
        | CacheField(g.InstructionCacheBytes, g.Ways, g.LineBytes);

    private static uint CacheField(int bytes, int ways, int lineBytes)
    {
        if (!BitOperations.IsPow2(bytes) || bytes < 4096 || bytes > 128 * 1024)
            throw new ArgumentOutOfRangeException(nameof(bytes), "ARM926 caches are 4 KiB to 128 KiB, a power of two");
        if (!BitOperations.IsPow2(ways) || ways > 128)
            throw new ArgumentOutOfRangeException(nameof(ways));
        if (!BitOperations.IsPow2(lineBytes) || lineBytes < 8 || lineBytes > 64)
            throw new ArgumentOutOfRangeException(nameof(lineBytes));
        uint size = (uint)BitOperations.Log2((uint)bytes / 512);
        uint assoc = (uint)BitOperations.Log2((uint)ways);
        uint len = (uint)BitOperations.Log2((uint)lineBytes / 8);
        return (size << 6) | (assoc << 3) | len;
    }
}
