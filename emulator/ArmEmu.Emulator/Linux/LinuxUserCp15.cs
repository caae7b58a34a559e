using ArmEmu.Cpu;
using ArmEmu.Cpu.Coprocessors;

namespace ArmEmu.Emulator.Linux;

/// <summary>
/// The part of CP15 a Linux process can reach from User mode on ARMv6K and ARMv7 (DDI 0406C
/// B4.1.150/151, B4.2.1): the thread ID registers TPIDRURW (c13, c0, 2: read and write) and
/// TPIDRURO (c13, c0, 3: read-only at PL0; the kernel sets it for set_tls), and the ARMv6
/// CP15 barrier operations (c7, c10, 4 DSB; c7, c10, 5 DMB; c7, c5, 4 ISB), which Linux
/// leaves enabled (SCTLR.CP15BEN = 1) and GCC emits for __sync_synchronize on ARMv6. Anything
/// else is UNDEFINED, as it is at PL0 on a real kernel (the process gets SIGILL). Small and
/// separate on purpose: the full ARMv7 CP15 of a board is a register table of its own.
/// </summary>
internal sealed class LinuxUserCp15 : ICoprocessor
{
    /// <summary>TPIDRURO: the TLS pointer set_tls gives; user code reads it with mrc p15, 0, rX, c13, c0, 3.</summary>
    public uint Tpidruro { get; set; }

    /// <summary>TPIDRURW: a register user code may use freely.</summary>
    public uint Tpidrurw { get; set; }

    public bool Mcr(Cpu.Cpu cpu, int opc1, int crn, int crm, int opc2, uint value)
    {
        if (opc1 != 0) return false;
        switch (crn, crm, opc2)
        {
            case (13, 0, 2):
                Tpidrurw = value;
                return true;
            case (13, 0, 3) when cpu.IsPrivileged:
                Tpidruro = value;
                return true;
            case (7, 10, 4) or (7, 10, 5):
                cpu.DataBarrier?.Invoke();
                return true;
            case (7, 5, 4):
                return true; // ISB: decoded instructions already follow memory and the I-cache
            default:
                return false;
        }
    }

    public bool Mrc(Cpu.Cpu cpu, int opc1, int crn, int crm, int opc2, out uint value)
    {
        value = (opc1, crn, crm, opc2) switch
        {
            (0, 13, 0, 2) => Tpidrurw,
            (0, 13, 0, 3) => Tpidruro,
            _ => 0,
        };
        return opc1 == 0 && crn == 13 && crm == 0 && opc2 is 2 or 3;
    }

    public bool Mcrr(Cpu.Cpu cpu, int opc1, int crm, uint low, uint high) => false;

    public bool Mrrc(Cpu.Cpu cpu, int opc1, int crm, out uint low, out uint high)
    {
        low = high = 0;
        return false;
    }

    public bool Cdp(Cpu.Cpu cpu, int opc1, int crd, int crn, int crm, int opc2) => false;

    public bool LoadStore(Cpu.Cpu cpu, bool load, bool longTransfer, int crd, uint address, uint option) => false;

    /// <summary>Whether a model has these registers (the ARMv6K thread ID registers).</summary>
    public static bool ExistsOn(CpuModel model) => model.Arch >= ArchVersion.V6K;
}
