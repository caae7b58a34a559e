using System.Runtime.CompilerServices;
using ArmEmu.Memory;

namespace ArmEmu.Cpu.Engines.Translator;

/// <summary>
/// One straight-line run of ARM instructions compiled to a .NET method: where it starts, the
/// words it was translated from, and the compiled body. The body is only run when the words in
/// memory still equal <see cref="Words"/> (checked on every entry, one vectorised compare), so
/// a translation never runs code that has changed, whichever address space or mapping it is
/// entered through: its meaning depends only on its address and its words.
/// </summary>
internal sealed unsafe class TranslatedBlock
{
    public TranslatedBlock(uint start, uint[] words)
    {
        Start = start;
        Words = words;
    }

    /// <summary>Virtual address of the first instruction.</summary>
    public readonly uint Start;

    /// <summary>The instruction words the body was translated from.</summary>
    public readonly uint[] Words;

    /// <summary>Instructions in the block: the budget a run must have left to enter it.</summary>
    public int Length => Words.Length;

    /// <summary>The compiled body: runs the block on the CPU, leaving the PC and the budget as the interpreter would.</summary>
    public Action<Cpu> Body = null!;

    /// <summary>The body has been called once (the .NET JIT compiled it then).</summary>
    public bool Compiled;

    /// <summary>
    /// The host page the block was entered from (set by the engine before each run): the
    /// body reads it to see whether a store in the block has changed the block's own words.
    /// </summary>
    public byte* Host;

    /// <summary>True when memory at <paramref name="host"/> still holds the block's words.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Matches(byte* host) =>
        new ReadOnlySpan<uint>(host + (Start & PhysicalBus.PageMask), Words.Length).SequenceEqual(Words);

    /// <summary>Called by the body after an interpreted instruction that may have stored: have the block's words changed?</summary>
    public bool WordsChanged() => !Matches(Host);
}
