using ArmEmu.Memory;

namespace ArmEmu.Emulator.Devices;

/// <summary>
/// The interrupt controller of the Cortex-A9 MPCore (ARM Generic Interrupt Controller
/// Architecture v1.0, IHI 0048A; Cortex-A9 MPCore TRM DDI 0407 chapter 3) for one CPU, as
/// QEMU 7.2's arm_gic models it inside a9mpcore_priv on vexpress-a9: 96 interrupts (16 SGIs,
/// 16 PPIs, 64 SPIs), 5 priority bits (32 levels, A9 MPCore TRM 3.3), the Security Extensions,
/// accessed from the Secure state (the machine never leaves it). Two register windows: the distributor
/// (<see cref="Distributor"/>, at PERIPHBASE + 0x1000) and the CPU interface
/// (<see cref="CpuInterface"/>, at PERIPHBASE + 0x100).
///
/// Rules, as arm_gic applies them:
/// - Every interrupt is in group 0 (Secure) until ICDISR puts it in group 1. A group is
///   signalled when both ICDDCR and ICCICR enable it; a group 0 interrupt goes to FIQ when
///   ICCICR.FIQEn is set, everything else to IRQ. IAR returns 1022 for a group 1 interrupt
///   unless ICCICR.AckCtl is set (GIC spec 3.5).
/// - An interrupt is pending when its pending bit is set or, level-sensitive, its input is high.
///   SGIs are edge-triggered and always enabled; PPIs and SPIs start disabled and level-sensitive.
/// - The CPU's IRQ line is high when the distributor and the CPU interface are enabled and the
///   highest-priority pending, enabled, inactive interrupt has a priority below PMR and below
///   the running priority.
/// - IAR returns that interrupt (SGIs with the source CPU in [12:10]) and makes it active, its
///   group priority (the priority with the BPR's subpriority bits cleared) the running
///   priority; or 1023 when nothing may be acknowledged. EOIR deactivates and restores the
///   running priority of the interrupt it preempted.
/// - ITARGETSR reads as zero and ignores writes (a uniprocessor GIC); every SPI goes to CPU 0.
///
/// Departures from QEMU: none known in what is modelled. Not modelled: the Non-secure view of
/// the registers, ICCABPR, GICD_CPENDSGIR and GICD_SPENDSGIR (GICv2 registers).
/// </summary>
internal sealed class ArmGic
{
    public const int InterruptCount = 96;

    /// <summary>The implemented priority bits: 5, so writes keep [7:3] (QEMU's a9mpcore GIC; A9 MPCore TRM 3.3).</summary>
    public const byte PriorityMask = 0xF8;
    public const int SpuriousInterrupt = 1023;
    private const int Internal = 32;
    private const int Sgis = 16;

    private readonly Action<bool> _irq, _fiq;
    private readonly MmioTrace _trace;
    private readonly bool[] _enabled = new bool[InterruptCount], _pending = new bool[InterruptCount],
        _active = new bool[InterruptCount], _level = new bool[InterruptCount], _edge = new bool[InterruptCount],
        _group1 = new bool[InterruptCount];
    private readonly byte[] _priority = new byte[InterruptCount];
    private readonly int[] _lastActive = new int[InterruptCount];
    private readonly byte[] _sgiSources = new byte[Sgis];
    // ICDDCR: EnableGrp0 [0], EnableGrp1 [1]. ICCICR: EnableGrp0 [0], EnableGrp1 [1], AckCtl [2], FIQEn [3], SBPR [4].
    private uint _distributorControl, _cpuControl;
    private int _priorityMask, _binaryPoint, _runningIrq = SpuriousInterrupt, _runningPriority = 0x100, _currentPending = SpuriousInterrupt;

    public ArmGic(Action<bool> irq, Action<bool>? fiq = null, MmioTrace? trace = null)
    {
        _irq = irq;
        _fiq = fiq ?? (_ => { });
        _trace = trace ?? MmioTrace.Off;
        Distributor = new DistributorWindow(this);
        CpuInterface = new CpuInterfaceWindow(this);
        Reset();
    }

    /// <summary>The distributor registers (4 KiB).</summary>
    public IMmioDevice Distributor { get; }

    /// <summary>The CPU interface registers (256 bytes).</summary>
    public IMmioDevice CpuInterface { get; }

    public void Reset()
    {
        Array.Clear(_enabled);
        Array.Clear(_pending);
        Array.Clear(_active);
        Array.Clear(_edge);
        Array.Clear(_group1);
        Array.Clear(_priority);
        Array.Clear(_sgiSources);
        Array.Fill(_lastActive, SpuriousInterrupt);
        for (int i = 0; i < Sgis; i++)
        {
            _enabled[i] = true;
            _edge[i] = true;
        }
        _distributorControl = _cpuControl = 0;
        _priorityMask = _binaryPoint = 0;
        _runningIrq = SpuriousInterrupt;
        _runningPriority = 0x100;
        Update();
    }

    /// <summary>An input line: a PPI (16..31, the MPCore's own timers) or an SPI (32..63).</summary>
    public IInterruptController Inputs => new InputPins(this);

    /// <summary>Drives interrupt <paramref name="irq"/>'s input.</summary>
    public void SetInput(int irq, bool level)
    {
        if (irq < Sgis || irq >= InterruptCount) throw new ArgumentOutOfRangeException(nameof(irq));
        if (_level[irq] == level) return;
        _level[irq] = level;
        if (level && _edge[irq]) _pending[irq] = true;
        Update();
    }

    private bool IsPending(int irq) => _pending[irq] || (!_edge[irq] && _level[irq]);

    private int GroupPriority(int irq) => _priority[irq] & (0xFF << (_binaryPoint + 1)) & 0xFF;

    /// <summary>gic_update: the highest-priority candidate and the IRQ output.</summary>
    private void Update()
    {
        _currentPending = SpuriousInterrupt;
        int best = SpuriousInterrupt, bestPriority = 0x100;
        for (int i = 0; i < InterruptCount; i++)
        {
            if (_enabled[i] && IsPending(i) && !_active[i] && _priority[i] < bestPriority)
            {
                best = i;
                bestPriority = _priority[i];
            }
        }
        bool irq = false, fiq = false;
        if (bestPriority < _priorityMask)
        {
            _currentPending = best;
            int group = _group1[best] ? 1 : 0;
            if (bestPriority < _runningPriority && (_distributorControl & _cpuControl & (1u << group)) != 0)
            {
                if (group == 0 && (_cpuControl & 8) != 0) fiq = true;
                else irq = true;
            }
        }
        _irq(irq);
        _fiq(fiq);
    }

    private uint Acknowledge()
    {
        int irq = _currentPending;
        if (irq == SpuriousInterrupt || GroupPriority(irq) >= _runningPriority) return SpuriousInterrupt;
        if (_group1[irq] && (_cpuControl & 4) == 0) return 1022; // a Secure read of a group 1 interrupt without AckCtl
        uint result = (uint)irq;
        if (irq < Sgis)
        {
            // The lowest-numbered source CPU first; with one CPU, always CPU 0.
            int source = System.Numerics.BitOperations.TrailingZeroCount(_sgiSources[irq]);
            _sgiSources[irq] &= (byte)~(1 << source);
            if (_sgiSources[irq] == 0) _pending[irq] = false;
            result |= (uint)source << 10;
        }
        else
        {
            _pending[irq] = false;
        }
        _active[irq] = true;
        _lastActive[irq] = _runningIrq;
        _runningIrq = irq;
        _runningPriority = GroupPriority(irq);
        Update();
        return result;
    }

    private void EndOfInterrupt(uint value)
    {
        int irq = (int)(value & 0x3FF);
        // A spurious or nonexistent number, or nothing active: ignored (as arm_gic, UNPREDICTABLE in the GIC spec).
        if (irq >= InterruptCount || _runningIrq == SpuriousInterrupt) return;
        if (irq != _runningIrq)
        {
            // Completing an interrupt that is not the running one: unlink it from the chain.
            int i = _runningIrq;
            while (_lastActive[i] != SpuriousInterrupt)
            {
                if (_lastActive[i] == irq)
                {
                    _lastActive[i] = _lastActive[irq];
                    break;
                }
                i = _lastActive[i];
            }
        }
        else
        {
            _runningIrq = _lastActive[irq];
            _runningPriority = _runningIrq == SpuriousInterrupt ? 0x100 : GroupPriority(_runningIrq);
        }
        _active[irq] = false;
        Update();
    }

    // ---- distributor (GIC spec 4.3) ----------------------------------------------------------

    private uint ReadDistributorByte(uint offset)
    {
        switch (offset)
        {
            case 0x000: return _distributorControl;                                // ICDDCR
            case 0x004: return InterruptCount / 32 - 1;                            // ICDICTR: ITLinesNumber, one CPU
            case 0x005: return 1u << 2;                                            // ICDICTR.SecurityExtn (bit 10)
            case < 0x008: return 0;
            case 0x008: return 0x3B;                                               // ICDIIDR 0x0000043B (ARM)
            case 0x009: return 0x04;
            case < 0x00C: return 0;
            case >= 0x080 and < 0x100: return Bits(Irq(offset & 0x7F, 8), i => _group1[i]); // ICDISR
            case >= 0x100 and < 0x200: return Bits(Irq(offset & 0x7F, 8), i => _enabled[i]);
            case >= 0x200 and < 0x300: return Bits(Irq(offset & 0x7F, 8), IsPending);
            case >= 0x300 and < 0x380: return Bits(Irq(offset & 0x7F, 8), i => _active[i]);
            case >= 0x400 and < 0x400 + InterruptCount: return _priority[offset - 0x400];
            case >= 0x800 and < 0x800 + InterruptCount: return 0;                  // ITARGETSR: uniprocessor, RAZ/WI
            case >= 0xC00 and < 0xC00 + InterruptCount / 4:
            {
                int first = (int)(offset - 0xC00) * 4;
                uint v = 0;
                for (int i = 0; i < 4; i++) if (_edge[first + i]) v |= 2u << (2 * i);
                return v;
            }
            case >= 0xFD0 and < 0x1000:
                return (offset & 3) == 0 ? Identification[(int)(offset - 0xFD0) >> 2] : 0u;
            default:
                _trace.Unknown("gic-distributor", offset & ~3u, write: false);
                return 0;
        }
    }

    /// <summary>The peripheral and component ID bytes at 0xFD0-0xFFC of QEMU's GICv1 (gic_id_gicv1).</summary>
    private static ReadOnlySpan<byte> Identification => [0x04, 0x00, 0x00, 0x00, 0x90, 0xB3, 0x1B, 0x00, 0x0D, 0xF0, 0x05, 0xB1];

    private static int Irq(uint byteOffset, int perByte) => (int)byteOffset * perByte;

    private static uint Bits(int first, Func<int, bool> test)
    {
        if (first >= InterruptCount) return 0;
        uint v = 0;
        for (int i = 0; i < 8; i++) if (test(first + i)) v |= 1u << i;
        return v;
    }

    private void WriteDistributorByte(uint offset, uint value)
    {
        value &= 0xFF;
        switch (offset)
        {
            case 0x000: _distributorControl = value & 3; break;
            case < 0x00C: break;                                                   // read-only
            case >= 0x080 and < 0x100:
                for (int i = 0; i < 8; i++)
                    if (Irq(offset - 0x80, 8) + i < InterruptCount) _group1[Irq(offset - 0x80, 8) + i] = (value & (1u << i)) != 0;
                break;
            case >= 0x100 and < 0x180:
                // ISENABLER: SGIs are always enabled; enabling a level interrupt whose input is high makes it pending.
                ForBits(Irq(offset - 0x100, 8), value, i => { if (i >= Sgis) _enabled[i] = true; });
                break;
            case >= 0x180 and < 0x200:
                ForBits(Irq(offset - 0x180, 8), value, i => { if (i >= Sgis) _enabled[i] = false; });
                break;
            case >= 0x200 and < 0x280:
                ForBits(Irq(offset - 0x200, 8), value, i => { if (i >= Sgis) _pending[i] = true; });
                break;
            case >= 0x280 and < 0x300:
                ForBits(Irq(offset - 0x280, 8), value, i => { if (i >= Sgis) _pending[i] = false; });
                break;
            case >= 0x300 and < 0x400: break;                                      // the active bits are read-only in GICv1
            case >= 0x400 and < 0x400 + InterruptCount: _priority[offset - 0x400] = (byte)(value & PriorityMask); break;
            case >= 0x800 and < 0x800 + InterruptCount: break;
            case >= 0xC00 and < 0xC00 + InterruptCount / 4:
            {
                int first = (int)(offset - 0xC00) * 4;
                // The configuration of SGIs is read-only (edge); bit 0 of each field is not used in GICv1.
                for (int i = 0; i < 4; i++)
                    if (first + i >= Sgis) _edge[first + i] = (value & (2u << (2 * i))) != 0;
                break;
            }
            case >= 0xF00 and < 0xF04: break;                                      // ICDSGIR takes whole words
            case >= 0xFD0 and < 0x1000: break;
            default:
                _trace.Unknown("gic-distributor", offset & ~3u, write: true);
                break;
        }
    }

    private static void ForBits(int first, uint value, Action<int> action)
    {
        for (int i = 0; i < 8; i++)
            if ((value & (1u << i)) != 0 && first + i < InterruptCount) action(first + i);
    }

    /// <summary>
    /// ICDSGIR (GIC spec 4.3.15): TargetListFilter [25:24] (0: the CPUs in CPUTargetList [23:16],
    /// 1: every CPU but this one, 2: this one), SGIINTID [3:0]. With one CPU, CPU 0 is the only target.
    /// </summary>
    private void SoftwareGeneratedInterrupt(uint value)
    {
        int irq = (int)(value & 0xF);
        bool toSelf = ((value >> 24) & 3) switch
        {
            0 => (value & (1u << 16)) != 0,
            2 => true,
            _ => false,
        };
        if (!toSelf) return;
        _sgiSources[irq] |= 1;
        _pending[irq] = true;
        Update();
    }

    // ---- CPU interface (GIC spec 4.4) --------------------------------------------------------

    private uint ReadCpuInterface(uint offset)
    {
        switch (offset)
        {
            case 0x00: return _cpuControl;                                         // ICCICR
            case 0x04: return (uint)_priorityMask;                                 // ICCPMR
            case 0x08: return (uint)_binaryPoint;                                  // ICCBPR
            case 0x0C: return Acknowledge();                                       // ICCIAR
            case 0x10: return 0;                                                   // ICCEOIR: write-only
            case 0x14: return _runningPriority == 0x100 ? 0xFF : (uint)_runningPriority; // ICCRPR: 0xFF when idle
            case 0x18: return (uint)_currentPending;                               // ICCHPIR
            case 0xFC: return 0x0001_043B;                                         // ICCIIDR: GICv1 (architecture 1), ARM
            default:
                _trace.Unknown("gic-cpu", offset, write: false);
                return 0;
        }
    }

    private void WriteCpuInterface(uint offset, uint value)
    {
        switch (offset)
        {
            case 0x00: _cpuControl = value & 0x1F; break;
            case 0x04: _priorityMask = (int)(value & PriorityMask); break;
            case 0x08: _binaryPoint = (int)(value & 7); break;
            case 0x10: EndOfInterrupt(value); return;
            case 0x0C or 0x14 or 0x18 or 0xFC: break;
            default:
                _trace.Unknown("gic-cpu", offset, write: true);
                return;
        }
        Update();
    }

    private sealed class InputPins(ArmGic gic) : IInterruptController
    {
        public void SetInput(int line, bool level) => gic.SetInput(line, level);
    }

    /// <summary>The distributor: byte-addressed registers; word and halfword accesses combine bytes, as arm_gic does.</summary>
    private sealed class DistributorWindow(ArmGic gic) : IMmioDevice
    {
        public uint Size => 0x1000;

        public uint Read(uint offset, int size)
        {
            uint v = 0;
            for (int i = 0; i < size; i++) v |= gic.ReadDistributorByte(offset + (uint)i) << (8 * i);
            return v;
        }

        public void Write(uint offset, int size, uint value)
        {
            if (offset == 0xF00 && size == 4)
            {
                gic.SoftwareGeneratedInterrupt(value);
                return;
            }
            for (int i = 0; i < size; i++) gic.WriteDistributorByte(offset + (uint)i, value >> (8 * i));
            gic.Update();
        }
    }

    /// <summary>The CPU interface: word registers.</summary>
    private sealed class CpuInterfaceWindow(ArmGic gic) : IMmioDevice
    {
        public uint Size => 0x100;

        public uint Read(uint offset, int size) => gic.ReadCpuInterface(offset & ~3u);

        public void Write(uint offset, int size, uint value) => gic.WriteCpuInterface(offset & ~3u, value);
    }
}
