namespace ArmEmu.Cpu.Coprocessors;

/// <summary>Who may read and write a system control register (ARM ARM B3.17, "PL0 and PL1 access").</summary>
[Flags]
internal enum Cp15Access : byte
{
    None = 0,
    Pl1Read = 1,
    Pl1Write = 2,
    Pl0Read = 4,
    Pl0Write = 8,

    /// <summary>Read-only at PL1, no access at PL0 (the ID registers).</summary>
    Pl1ReadOnly = Pl1Read,
    /// <summary>Write-only at PL1 (the maintenance operations).</summary>
    Pl1WriteOnly = Pl1Write,
    /// <summary>Read/write at PL1, no access at PL0.</summary>
    Pl1ReadWrite = Pl1Read | Pl1Write,
    /// <summary>Read/write at PL1, read-only at PL0 (TPIDRURO, PMUSERENR).</summary>
    Pl0ReadOnly = Pl1Read | Pl1Write | Pl0Read,
    /// <summary>Read/write at both levels (TPIDRURW).</summary>
    Pl0ReadWrite = Pl1Read | Pl1Write | Pl0Read | Pl0Write,
    /// <summary>Write-only at both levels (the CP15 barrier operations).</summary>
    Pl0WriteOnly = Pl1Write | Pl0Write,
}

/// <summary>How the Security Extensions treat a register (ARM ARM B3.12.2, B4.1).</summary>
internal enum Cp15Security : byte
{
    /// <summary>One copy, the same from both security states.</summary>
    Common,
    /// <summary>One copy per security state; MRC/MCR reach the one SCR.NS selects.</summary>
    Banked,
    /// <summary>UNDEFINED from the Non-secure state (SCR, SDER, MVBAR).</summary>
    SecureOnly,
    /// <summary>Read-only from the Non-secure state (NSACR).</summary>
    NonSecureReadOnly,
}

/// <summary>
/// One row of the v7 system control register table: its encoding (MRC/MCR p15, opc1, Rt, CRn,
/// CRm, opc2), the ARM ARM's name, who may access it, its reset value and, where reading or
/// writing does more than return or store a word, the functions that do it. This is QEMU's
/// ARMCPRegInfo idea, written as data the way the instruction encodings are.
/// A row without <see cref="Read"/> reads the stored value; one without <see cref="Write"/>
/// stores the written value under <see cref="WriteMask"/>.
/// </summary>
internal sealed record Cp15Register(string Name, int Crn, int Opc1, int Crm, int Opc2, Cp15Access Access)
{
    /// <summary>The value at reset (stored registers), or the constant value (read-only rows without a read function).</summary>
    public uint Reset { get; init; }

    /// <summary>Bits a write may change; the others keep their value.</summary>
    public uint WriteMask { get; init; } = ~0u;

    /// <summary>Computes the value read; null reads the stored value.</summary>
    public Func<V7Cp15, uint>? Read { get; init; }

    /// <summary>Performs a write; null stores the value under <see cref="WriteMask"/>.</summary>
    public Action<V7Cp15, uint>? Write { get; init; }

    /// <summary>How the Security Extensions treat it: common, banked, Secure only, or read-only from Non-secure.</summary>
    public Cp15Security Security { get; init; }

    /// <summary>A further condition on PL0 access beyond <see cref="Access"/> (the PMU registers: PMUSERENR.EN).</summary>
    public Func<V7Cp15, bool>? Pl0Enabled { get; init; }

    /// <summary>The row's key in the lookup table: CRn, opc1, CRm, opc2.</summary>
    internal int Key => Encode(Crn, Opc1, Crm, Opc2);

    internal static int Encode(int crn, int opc1, int crm, int opc2) => crn << 10 | opc1 << 7 | crm << 3 | opc2;

    public override string ToString() => $"{Name} (p15, {Opc1}, c{Crn}, c{Crm}, {Opc2})";
}
