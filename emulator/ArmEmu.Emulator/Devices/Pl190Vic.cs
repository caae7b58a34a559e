using ArmEmu.Memory;

namespace ArmEmu.Emulator.Devices;

/// <summary>
/// ARM PrimeCell PL190 vectored interrupt controller (ARM DDI0181, "PrimeCell Vectored
/// Interrupt Controller (PL190) Technical Reference Manual"): 32 level-sensitive inputs,
/// each routed to FIQ or IRQ (VICIntSelect) and masked (VICIntEnable); 16 vectored IRQ
/// slots with a fixed priority (slot 0 highest) and the non-vectored IRQs below them.
/// On the Versatile PB it sits at 0x10140000 and drives the ARM926's nIRQ and nFIQ.
/// </summary>
/// <remarks>
/// Priority logic (DDI0181 2.2 "Functional overview", 3.3.10 VICVectAddr): reading
/// VICVectAddr at the start of an ISR returns the address of the highest-priority pending
/// vectored IRQ (or VICDefVectAddr for a non-vectored one) and raises the current priority
/// to that interrupt's, so only higher-priority vectored IRQs can assert nIRQ; writing any
/// value to VICVectAddr at the end of the ISR restores the priority in force before. The
/// hardware keeps those priorities on a stack, as nested ISRs do; so does this model.
///
/// Departures from QEMU's hw/intc/pl190.c, following the TRM:
/// - VICFIQStatus is masked by VICIntEnable (3.3.2); QEMU ignores the enable for FIQs.
/// - The vectored interrupt chosen on a VICVectAddr read is taken from VICIRQStatus, i.e.
///   enabled and not selected as FIQ (2.2.2); QEMU looks at the raw inputs.
/// - VICProtection is stored but not enforced: the bus does not tell a device whether an
///   access is privileged (QEMU does not enforce it either).
/// </remarks>
internal sealed class Pl190Vic : WordRegisterDevice, IInterruptController
{
    // Register offsets, DDI0181 Table 3-1.
    private const uint VICIRQStatus = 0x000;
    private const uint VICFIQStatus = 0x004;
    private const uint VICRawIntr = 0x008;
    private const uint VICIntSelect = 0x00C;
    private const uint VICIntEnable = 0x010;
    private const uint VICIntEnClear = 0x014;
    private const uint VICSoftInt = 0x018;
    private const uint VICSoftIntClear = 0x01C;
    private const uint VICProtection = 0x020;
    private const uint VICVectAddr = 0x030;
    private const uint VICDefVectAddr = 0x034;
    private const uint VICVectAddr0 = 0x100; // ..0x13C
    private const uint VICVectCntl0 = 0x200; // ..0x23C
    private const uint VICITCR = 0x300;
    private const uint VICITIP1 = 0x304;
    private const uint VICITIP2 = 0x308;
    private const uint VICITOP1 = 0x30C;
    private const uint VICITOP2 = 0x310;
    private const uint VICPeriphID0 = 0xFE0; // ..VICPCellID3 at 0xFFC

    /// <summary>VICVectCntl bit 5: the slot is enabled; bits 4:0 name its source (3.3.13).</summary>
    private const uint VectCntlEnable = 1u << 5;

    private const int VectoredSlots = 16;
    private const int NonVectoredPriority = 16;
    private const int IdlePriority = 17; // no interrupt being serviced

    // VICPeriphID0-3 then VICPCellID0-3 (3.3.15-3.3.22).
    private static readonly byte[] Id = [0x90, 0x11, 0x04, 0x00, 0x0D, 0xF0, 0x05, 0xB1];

    private readonly Action<bool> _irq;
    private readonly Action<bool> _fiq;
    private readonly MmioTrace _trace;

    private uint _inputs;      // levels of the 32 VICINTSOURCE inputs
    private uint _softInt;     // VICSoftInt
    private uint _intSelect;   // VICIntSelect: 1 = FIQ
    private uint _intEnable;   // VICIntEnable
    private uint _protection;  // VICProtection bit 0
    private uint _itcr;        // VICITCR bit 0 (test mode is not modelled)
    private uint _defVectAddr;
    private readonly uint[] _vectAddr = new uint[VectoredSlots];
    private readonly uint[] _vectCntl = new uint[VectoredSlots];

    // Priority hardware: the level being serviced and the levels it interrupted.
    private int _priority = IdlePriority;
    private readonly int[] _priorityStack = new int[IdlePriority + 1];
    private int _stackDepth;

    private bool _irqOut, _fiqOut;

    /// <param name="irq">Drives the CPU's IRQ input (nVICIRQ, active high here): the board passes <c>v => cpu.IrqLine = v</c>.</param>
    /// <param name="fiq">Drives the CPU's FIQ input (nVICFIQ).</param>
    /// <param name="trace">Reports accesses to unimplemented offsets.</param>
    public Pl190Vic(Action<bool> irq, Action<bool> fiq, MmioTrace? trace = null)
    {
        _irq = irq;
        _fiq = fiq;
        _trace = trace ?? MmioTrace.Off;
    }


    /// <summary>Level of the IRQ output.</summary>
    public bool Irq => _irqOut;

    /// <summary>Level of the FIQ output.</summary>
    public bool Fiq => _fiqOut;

    /// <summary>Back to the reset state (DDI0181 Table 3-1 reset values: all zero). Input levels are kept: they belong to the devices.</summary>
    public void Reset()
    {
        _softInt = _intSelect = _intEnable = _protection = _itcr = _defVectAddr = 0;
        Array.Clear(_vectAddr);
        Array.Clear(_vectCntl);
        _priority = IdlePriority;
        _stackDepth = 0;
        Update();
    }

    public void SetInput(int line, bool level)
    {
        if ((uint)line >= 32) throw new ArgumentOutOfRangeException(nameof(line), "the PL190 has inputs 0 to 31");
        uint bit = 1u << line;
        _inputs = level ? _inputs | bit : _inputs & ~bit;
        Update();
    }

    private uint RawIntr => _inputs | _softInt;

    private uint IrqStatus => RawIntr & _intEnable & ~_intSelect;

    private uint FiqStatus => RawIntr & _intEnable & _intSelect;

    /// <summary>Sources of the enabled vectored slots with a priority above <paramref name="priority"/> (slot numbers below it).</summary>
    private uint SourcesAbove(int priority)
    {
        if (priority >= IdlePriority) return 0xFFFF_FFFF; // nothing in service: every IRQ may interrupt
        uint mask = 0;
        for (int slot = 0; slot < Math.Min(priority, VectoredSlots); slot++)
            if ((_vectCntl[slot] & VectCntlEnable) != 0) mask |= 1u << (int)(_vectCntl[slot] & 0x1F);
        return mask;
    }

    private void Update()
    {
        bool irq = (IrqStatus & SourcesAbove(_priority)) != 0;
        bool fiq = FiqStatus != 0;
        if (irq != _irqOut)
        {
            _irqOut = irq;
            _irq(irq);
        }
        if (fiq != _fiqOut)
        {
            _fiqOut = fiq;
            _fiq(fiq);
        }
    }

    /// <summary>VICVectAddr read: the ISR address of the highest-priority pending IRQ, entering its priority level.</summary>
    private uint AcknowledgeVector()
    {
        uint pending = IrqStatus;
        for (int slot = 0; slot < Math.Min(_priority, VectoredSlots); slot++)
        {
            uint cntl = _vectCntl[slot];
            if ((cntl & VectCntlEnable) != 0 && (pending & (1u << (int)(cntl & 0x1F))) != 0)
            {
                EnterPriority(slot);
                return _vectAddr[slot];
            }
        }
        if (_priority == IdlePriority && pending != 0) EnterPriority(NonVectoredPriority);
        // Nothing above the current level is pending: the address of the one being serviced
        // (DDI0181 leaves a read with nothing pending undefined; this gives VICDefVectAddr).
        return _priority < VectoredSlots ? _vectAddr[_priority] : _defVectAddr;
    }

    private void EnterPriority(int priority)
    {
        _priorityStack[_stackDepth++] = _priority;
        _priority = priority;
        Update();
    }

    /// <summary>VICVectAddr write: end of interrupt, back to the interrupted priority level.</summary>
    private void EndOfInterrupt()
    {
        if (_stackDepth == 0) return;
        _priority = _priorityStack[--_stackDepth];
        Update();
    }

    protected override uint ReadRegister(uint offset)
    {
        switch (offset)
        {
            case VICIRQStatus: return IrqStatus;
            case VICFIQStatus: return FiqStatus;
            case VICRawIntr: return RawIntr;
            case VICIntSelect: return _intSelect;
            case VICIntEnable: return _intEnable;
            case VICSoftInt: return _softInt;
            case VICProtection: return _protection;
            case VICVectAddr: return AcknowledgeVector();
            case VICDefVectAddr: return _defVectAddr;
            case VICITCR: return _itcr;
            case >= VICVectAddr0 and < VICVectAddr0 + 4 * VectoredSlots: return _vectAddr[(offset - VICVectAddr0) / 4];
            case >= VICVectCntl0 and < VICVectCntl0 + 4 * VectoredSlots: return _vectCntl[(offset - VICVectCntl0) / 4];
            case >= VICPeriphID0 and <= 0xFFC: return Id[(offset - VICPeriphID0) / 4];
            case VICIntEnClear or VICSoftIntClear:
                return 0; // write-only
            default:
                _trace.Unknown("pl190", offset, write: false);
                return 0;
        }
    }

    protected override void WriteRegister(uint offset, uint value)
    {
        switch (offset)
        {
            case VICIntSelect: _intSelect = value; break;
            case VICIntEnable: _intEnable |= value; break;   // 1 bits enable, 0 bits leave alone
            case VICIntEnClear: _intEnable &= ~value; break;
            case VICSoftInt: _softInt |= value; break;
            case VICSoftIntClear: _softInt &= ~value; break;
            case VICProtection: _protection = value & 1; break;
            case VICVectAddr: EndOfInterrupt(); return;
            case VICDefVectAddr: _defVectAddr = value; break;
            case VICITCR: _itcr = value & 1; break;
            case >= VICVectAddr0 and < VICVectAddr0 + 4 * VectoredSlots: _vectAddr[(offset - VICVectAddr0) / 4] = value; break;
            case >= VICVectCntl0 and < VICVectCntl0 + 4 * VectoredSlots: _vectCntl[(offset - VICVectCntl0) / 4] = value & 0x3F; break;
            case VICIRQStatus or VICFIQStatus or VICRawIntr or (>= VICPeriphID0 and <= 0xFFC):
                return; // read-only (Linux's VIC driver writes VICIRQStatus at init)
            case VICITIP1 or VICITIP2 or VICITOP1 or VICITOP2:
            default:
                _trace.Unknown("pl190", offset, write: true);
                return;
        }
        Update();
    }
}
