namespace ArmEmu.Cpu.Coprocessors;

/// <summary>
/// Coprocessor 14 of an ARMv7 core: the debug registers (opc1 0) and, on models with ThumbEE, the
/// ThumbEE configuration registers (opc1 6: TEECR and TEEHBR, ARM ARM DDI 0406C A2.11 and B6.1.2).
///
/// The debug registers are those reached through CP14 (ARM ARM DDI 0406C C6.3, "Debug register
/// interfaces", the CP14 interface: MRC/MCR p14, 0, Rt, CRn, CRm, opc2), as far as QEMU 7.2
/// presents them (target/arm/debug_helper.c, debug_cp_reginfo): the ID and ROM-address registers,
/// DBGDSCR in both views, the OS lock, the vector catch register and one DBGBVR/DBGBCR pair per
/// breakpoint and DBGWVR/DBGWCR per watchpoint that DBGDIDR announces. Nothing here halts the
/// processor or matches addresses: the values are kept, as on a core whose debug logic is idle
/// (no halting debugger; the GDB stub does its own breakpoints without them).
/// Linux reads DBGDIDR while it sets up hardware breakpoints; on a Cortex-A9 it finds debug
/// architecture 4 (v7 memory-mapped) and prints "debug architecture 0x4 unsupported", as on QEMU.
/// Departure from QEMU: none known; the DBGDTR and DBGPRSR rows QEMU omits are UNDEFINED here too.
/// </summary>
internal sealed class V7Cp14 : ICoprocessor
{
    private readonly uint _dbgdidr;
    private readonly int _breakpoints, _watchpoints;
    private readonly uint[] _bvr, _bcr, _wvr, _wcr;
    private uint _dscr, _vcr, _osdlr;
    private bool _osLocked = true; // locked at reset, as QEMU resets DBGOSLSR to 0b1010

    private readonly bool _thumbEE;
    private uint _teecr, _teehbr;

    public V7Cp14(uint dbgdidr, bool thumbEE)
    {
        _thumbEE = thumbEE;
        _dbgdidr = dbgdidr;
        _breakpoints = (int)((dbgdidr >> 24) & 15) + 1;
        _watchpoints = (int)(dbgdidr >> 28) + 1;
        _bvr = new uint[_breakpoints];
        _bcr = new uint[_breakpoints];
        _wvr = new uint[_watchpoints];
        _wcr = new uint[_watchpoints];
    }

    /// <summary>Installs this as coprocessor 14 of <paramref name="cpu"/>.</summary>
    public void Attach(Cpu cpu) => cpu.Coprocessors[14] = this;

    // DBGDSCR bits a write through DBGDSCRext may change (QEMU's MDSCR_EL1 view: MDBGen, KDE, TDCC...).
    private const uint DscrWritable = 0xE07F_C000;

    public bool Mrc(Cpu cpu, int opc1, int crn, int crm, int opc2, out uint value)
    {
        value = 0;
        if (opc1 == 6 && _thumbEE) return ReadThumbEE(cpu, crn, crm, opc2, out value);
        if (opc1 != 0) return false;
        bool pl1 = cpu.IsPrivileged;
        switch (crn, crm, opc2)
        {
            case (0, 0, 0): value = _dbgdidr; return true;                 // DBGDIDR, PL0 readable
            case (1, 0, 0): value = 0; return true;                        // DBGDRAR: no memory-mapped ROM table
            case (2, 0, 0): value = 0; return true;                        // DBGDSAR
            case (0, 1, 0): value = _dscr; return true;                    // DBGDSCRint, PL0 readable
            case (0, 2, 2): value = _dscr; return pl1;                     // DBGDSCRext
            case (0, 7, 0): value = _vcr; return pl1;                      // DBGVCR
            case (1, 1, 4): value = _osLocked ? 0xAu : 0x8u; return pl1;   // DBGOSLSR: OSLM = 0b10, OSLK
            case (1, 3, 4): value = _osdlr; return pl1;                    // DBGOSDLR
        }
        if (crn == 0 && pl1)
        {
            switch (opc2)
            {
                case 4 when crm < _breakpoints: value = _bvr[crm]; return true;   // DBGBVRn
                case 5 when crm < _breakpoints: value = _bcr[crm]; return true;   // DBGBCRn
                case 6 when crm < _watchpoints: value = _wvr[crm]; return true;   // DBGWVRn
                case 7 when crm < _watchpoints: value = _wcr[crm]; return true;   // DBGWCRn
            }
        }
        return false;
    }

    public bool Mcr(Cpu cpu, int opc1, int crn, int crm, int opc2, uint value)
    {
        if (opc1 == 6 && _thumbEE) return WriteThumbEE(cpu, crn, crm, opc2, value);
        if (opc1 != 0 || !cpu.IsPrivileged) return false;
        switch (crn, crm, opc2)
        {
            case (0, 2, 2): _dscr = (_dscr & ~DscrWritable) | (value & DscrWritable); return true;
            case (0, 7, 0): _vcr = value; return true;
            case (1, 0, 4): _osLocked = value == 0xC5AC_CE55; return true; // DBGOSLAR: the key locks
            case (1, 3, 4): _osdlr = value & 1; return true;
        }
        if (crn == 0)
        {
            switch (opc2)
            {
                // DBGBVR bits [1:0] and DBGWVR [1:0] are RES0 (C11.11.8, C11.11.43).
                case 4 when crm < _breakpoints: _bvr[crm] = value & ~3u; return true;
                case 5 when crm < _breakpoints: _bcr[crm] = value; return true;
                case 6 when crm < _watchpoints: _wvr[crm] = value & ~3u; return true;
                case 7 when crm < _watchpoints: _wcr[crm] = value; return true;
            }
        }
        return false;
    }

    // TEECR (c0, c0, 0): PL1 only, bit 0 (XED) alone. TEEHBR (c1, c0, 0): the handler base, also
    // at PL0 unless TEECR.XED forbids it (B6.1.2); Linux switches it per thread (thumbee_notifier).
    private bool ReadThumbEE(Cpu cpu, int crn, int crm, int opc2, out uint value)
    {
        value = 0;
        if (crm != 0 || opc2 != 0) return false;
        if (crn == 0 && cpu.IsPrivileged) { value = _teecr; return true; }
        if (crn == 1 && (cpu.IsPrivileged || (_teecr & 1) == 0)) { value = _teehbr; return true; }
        return false;
    }

    private bool WriteThumbEE(Cpu cpu, int crn, int crm, int opc2, uint value)
    {
        if (crm != 0 || opc2 != 0) return false;
        if (crn == 0 && cpu.IsPrivileged) { _teecr = value & 1; return true; }
        if (crn == 1 && (cpu.IsPrivileged || (_teecr & 1) == 0)) { _teehbr = value; return true; }
        return false;
    }

    public bool Mcrr(Cpu cpu, int opc1, int crm, uint low, uint high) => false;

    public bool Mrrc(Cpu cpu, int opc1, int crm, out uint low, out uint high)
    {
        low = high = 0;
        return false;
    }

    public bool Cdp(Cpu cpu, int opc1, int crd, int crn, int crm, int opc2) => false;

    public bool LoadStore(Cpu cpu, bool load, bool longTransfer, int crd, uint address, uint option) => false;
}
