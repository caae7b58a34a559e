using ArmEmu.Memory.Caches;

namespace ArmEmu.Emulator.Devices;

/// <summary>
/// The register front-end of the ARM L2C-310 (PL310) level 2 cache controller (ARM DDI 0246,
/// "CoreLink Level 2 Cache Controller L2C-310 Technical Reference Manual", chapter 3), as the
/// vexpress-a9 board maps it at 0x1e00a000. The cache itself is the memory system's
/// <see cref="OuterCache"/>; this device is the only way software maintains it, as on hardware
/// (CP15 operations stop at L1). Without a cache model it is registers only, as in QEMU.
/// </summary>
/// <remarks>
/// Registers (TRM table 3-1), with the sequences Linux's arch/arm/mm/cache-l2x0.c uses:
/// - 0x000 CACHE_ID (r3p2, 0x410000c8, as QEMU) and 0x004 CACHE_TYPE (computed from AUX_CTRL
///   as QEMU computes it), read-only.
/// - 0x100 CTRL: bit 0 puts the cache in the path (<see cref="OuterCache.Enabled"/>).
/// - 0x104 AUX_CTRL: associativity, way size, write allocation and replacement set the cache's
///   geometry (<see cref="Pl310Geometry"/>); the reset value is QEMU's 0x02020000 (8 ways of
///   16 KiB) unless --l2cache chose another geometry. Written only while CTRL bit 0 is clear
///   (TRM 3.3.4); a new geometry starts empty.
/// - 0x108/0x10C tag and data RAM latency, 0x200..0x220 event counters and interrupts, 0x950
///   and 0x954 line lockdown, 0xC00/0xC04 address filtering, 0xF60 prefetch and 0xF80 power
///   control: kept and read back; they change nothing in the model.
/// - 0x730 CACHE_SYNC: everything buffered below the caches drains.
/// - 0x770 INV_LINE_PA, 0x7B0 CLEAN_LINE_PA, 0x7F0 CLEAN_INV_LINE_PA: by physical address.
/// - 0x7B8 CLEAN_LINE_IDX, 0x7F8 CLEAN_INV_LINE_IDX: way in [31:28], index in [n+4:5].
/// - 0x77C INV_WAY, 0x7BC CLEAN_WAY, 0x7FC CLEAN_INV_WAY: by way mask. Operations complete at
///   once, so the bits Linux polls read 0 straight after (the "self-clearing" bits); every
///   register in 0x730..0x7FF reads 0 ("operation complete", as in QEMU).
/// - 0x900 + 8n LOCKDOWN_WAY_D and 0x904 + 8n LOCKDOWN_WAY_I for masters n = 0..7: one CPU,
///   so master 0's pair locks the ways (<see cref="OuterCache.DataLockdown"/>); the others are kept.
/// - 0xF40 DEBUG_CTRL: DCL (bit 0, no line fills) and DWB (bit 1, write-through), the bits
///   Linux's erratum 588369 workaround sets around clean-and-invalidate; SPNIDEN (bit 2) reads 0.
/// Other offsets read as zero and ignore writes, reported once with --trace-mmio.
///
/// Departures from QEMU's hw/misc/arm_l2x0.c (registers that do nothing): here the cache is
/// real and every maintenance register acts on it; QEMU accepts AUX_CTRL writes while enabled,
/// reads 0 from DEBUG_CTRL, the prefetch and power registers and the lockdown, event and
/// interrupt registers, and ORs each CACHE_TYPE it computes into the next one (bits of an
/// earlier AUX_CTRL stick); here they read back and CACHE_TYPE follows the current AUX_CTRL.
/// Departures from the TRM: no SLVERR for an AUX_CTRL write while enabled (it is ignored), no
/// background operations, the event counters do not count, no interrupts.
/// </remarks>
internal sealed class Pl310L2Cache : WordRegisterDevice
{
    // Register offsets, DDI 0246 table 3-1.
    private const uint CacheId = 0x000, CacheType = 0x004;
    private const uint Control = 0x100, AuxiliaryControl = 0x104, TagRamLatency = 0x108, DataRamLatency = 0x10C;
    private const uint EventCounterFirst = 0x200, InterruptClear = 0x220;
    private const uint CacheSync = 0x730;
    private const uint InvalidateLinePa = 0x770, InvalidateWay = 0x77C;
    private const uint CleanLinePa = 0x7B0, CleanLineIndex = 0x7B8, CleanWay = 0x7BC;
    private const uint CleanInvalidateLinePa = 0x7F0, CleanInvalidateLineIndex = 0x7F8, CleanInvalidateWay = 0x7FC;
    private const uint LockdownFirst = 0x900, LockdownLast = 0x93C;
    private const uint LockLineEnable = 0x950, UnlockWay = 0x954;
    private const uint FilterStart = 0xC00, FilterEnd = 0xC04;
    private const uint DebugControl = 0xF40, PrefetchControl = 0xF60, PowerControl = 0xF80;

    /// <summary>CACHE_ID: ARM, L2C-310 r3p2, as QEMU's l2x0 reports it.</summary>
    public const uint Id = 0x4100_00C8;

    // QEMU's "cache-type" property default, the base of CACHE_TYPE.
    private const uint CacheTypeBase = 0x1C10_0100;

    private readonly OuterCache? _cache;
    private readonly MmioTrace _trace;
    private readonly uint _auxReset;
    private readonly Dictionary<uint, uint> _plain = new();
    private readonly uint[] _lockdown = new uint[16];
    private uint _control, _aux, _debug;

    /// <param name="cache">The outer cache these registers maintain, or null (no cache model: registers only).</param>
    /// <param name="trace">Reports accesses to offsets the PL310 does not have.</param>
    public Pl310L2Cache(OuterCache? cache, MmioTrace? trace = null)
    {
        _cache = cache;
        _trace = trace ?? MmioTrace.Off;
        _auxReset = cache is null ? Pl310Geometry.QemuAuxiliaryControl : Pl310Geometry.AuxiliaryControlFor(cache.Cache.Config);
        Reset();
    }

    /// <summary>The reset state: off, AUX_CTRL at its reset value, nothing locked, debug control clear.</summary>
    public void Reset()
    {
        _control = 0;
        _aux = _auxReset;
        _debug = 0;
        _plain.Clear();
        Array.Clear(_lockdown);
        if (_cache is { } cache)
        {
            cache.Enabled = false;
            cache.LineFillsDisabled = cache.WriteBackDisabled = false;
            cache.DataLockdown = cache.InstructionLockdown = 0;
        }
    }

    /// <summary>
    /// Fault injection for tests (<c>--inject ignore-l2-maintenance</c>): the clean and invalidate
    /// operations (0x770..0x7FF) are accepted and do nothing, as if the driver never issued them.
    /// CACHE_SYNC still drains. Shows which results depend on the PL310 being maintained.
    /// </summary>
    public bool IgnoreMaintenance { get; set; }

    protected override uint ReadRegister(uint offset)
    {
        switch (offset)
        {
            case CacheId: return Id;
            case CacheType:
            {
                // QEMU: the way-size code and associativity bit, at [22:18] (D) and [10:6] (I).
                uint code = (_aux >> 17 & 7) << 2 | (_aux >> 16 & 1);
                return CacheTypeBase | code << 18 | code << 6;
            }
            case Control: return _control;
            case AuxiliaryControl: return _aux;
            case >= CacheSync and < 0x800: return 0; // every operation has completed
            case >= LockdownFirst and <= LockdownLast: return _lockdown[(offset - LockdownFirst) / 4];
            case DebugControl: return _debug;
            default:
                if (IsPlain(offset)) return _plain.GetValueOrDefault(offset);
                _trace.Unknown("pl310", offset, write: false);
                return 0;
        }
    }

    protected override void WriteRegister(uint offset, uint value)
    {
        switch (offset)
        {
            case CacheId or CacheType: break; // read-only
            case Control:
                _control = value & 1;
                if (_cache is not null) _cache.Enabled = _control != 0;
                break;
            case AuxiliaryControl:
                if (_control != 0) break; // TRM 3.3.4: only while the cache is off
                _aux = value;
                _cache?.Reconfigure(Pl310Geometry.FromAuxiliaryControl(value, _cache.Cache.Config.Seed));
                break;
            case CacheSync: _cache?.Synchronize(); break;
            case > CacheSync and < 0x800 when IgnoreMaintenance: break;
            case InvalidateLinePa: _cache?.ByPhysicalAddress(value, OuterCache.Operation.Invalidate); break;
            case CleanLinePa: _cache?.ByPhysicalAddress(value, OuterCache.Operation.Clean); break;
            case CleanInvalidateLinePa: _cache?.ByPhysicalAddress(value, OuterCache.Operation.CleanAndInvalidate); break;
            case CleanLineIndex: _cache?.ByIndexWay(value, OuterCache.Operation.Clean); break;
            case CleanInvalidateLineIndex: _cache?.ByIndexWay(value, OuterCache.Operation.CleanAndInvalidate); break;
            case InvalidateWay: _cache?.ByWay(value, OuterCache.Operation.Invalidate); break;
            case CleanWay: _cache?.ByWay(value, OuterCache.Operation.Clean); break;
            case CleanInvalidateWay: _cache?.ByWay(value, OuterCache.Operation.CleanAndInvalidate); break;
            case > CacheSync and < 0x800: break; // reserved within the operation block
            case >= LockdownFirst and <= LockdownLast:
                _lockdown[(offset - LockdownFirst) / 4] = value & 0xFFFF;
                if (_cache is not null)
                {
                    _cache.DataLockdown = _lockdown[0];
                    _cache.InstructionLockdown = _lockdown[1];
                }
                break;
            case DebugControl:
                _debug = value & 3;
                if (_cache is not null)
                {
                    _cache.LineFillsDisabled = (value & 1) != 0;
                    _cache.WriteBackDisabled = (value & 2) != 0;
                }
                break;
            default:
                if (IsPlain(offset)) _plain[offset] = value;
                else _trace.Unknown("pl310", offset, write: true);
                break;
        }
    }

    /// <summary>Registers kept and read back without effect on the model.</summary>
    private static bool IsPlain(uint offset) => offset is TagRamLatency or DataRamLatency
        or (>= EventCounterFirst and <= InterruptClear) or LockLineEnable or UnlockWay
        or FilterStart or FilterEnd or PrefetchControl or PowerControl;
}
