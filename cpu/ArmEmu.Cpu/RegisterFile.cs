using System.Runtime.CompilerServices;

namespace ArmEmu.Cpu;

/// <summary>
/// The sixteen registers visible in the current mode. Indexing with a
/// four-bit field needs no bounds check: the length is the constant 16.
/// </summary>
[InlineArray(16)]
internal struct RegisterFile
{
    private uint _r0;
}
