using System.Buffers.Binary;
using System.Globalization;

namespace ArmEmu.Emulator.Profiling;

/// <summary>Where a profile window opens or closes: an instruction count, an address, or a symbol's address.</summary>
internal readonly record struct RegionPoint
{
    private RegionPoint(ulong? count, uint? address, string? symbol)
    {
        Count = count;
        Address = address;
        Symbol = symbol;
    }

    /// <summary>The instruction with this index (instructions executed before it).</summary>
    public ulong? Count { get; }

    /// <summary>The first time the PC reaches this address (Thumb bit ignored).</summary>
    public uint? Address { get; }

    /// <summary>The first time the PC reaches this symbol (a function or label of the code the profile names).</summary>
    public string? Symbol { get; }

    public static RegionPoint AtCount(ulong count) => new(count, null, null);

    public static RegionPoint AtAddress(uint address) => new(null, address & ~1u, null);

    public static RegionPoint AtSymbol(string symbol) => new(null, null, symbol);

    /// <summary>"1000": a count; "0x10074": an address; anything else not starting with a digit: a symbol.</summary>
    public static bool TryParse(string text, out RegionPoint point)
    {
        text = text.Trim();
        point = default;
        if (text.Length == 0) return false;
        if (text.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            if (!uint.TryParse(text[2..], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out uint address)) return false;
            point = AtAddress(address);
            return true;
        }
        if (char.IsAsciiDigit(text[0]))
        {
            if (!ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out ulong count)) return false;
            point = AtCount(count);
            return true;
        }
        if (text.Any(char.IsWhiteSpace)) return false;
        point = AtSymbol(text);
        return true;
    }

    public override string ToString() =>
        Count is { } c ? c.ToString(CultureInfo.InvariantCulture) : Address is { } a ? $"0x{a:x8}" : Symbol!;
}

/// <summary>
/// What part of a run a profile counts (callgrind's terms: valgrind docs/html/cl-manual.html,
/// "Limiting the range of collected events"). An instruction is counted when three things hold:
/// <list type="bullet">
/// <item>the window is open: from <see cref="From"/> (that instruction included; default: the
/// start) up to <see cref="To"/> (that instruction not included; default: the end), once;</item>
/// <item>instrumentation is on: <see cref="InstrumentAtStart"/>, then as the guest's
/// CALLGRIND_START_INSTRUMENTATION / CALLGRIND_STOP_INSTRUMENTATION requests set it;</item>
/// <item>the running thread collects: <see cref="CollectAtStart"/>, flipped by the guest's
/// CALLGRIND_TOGGLE_COLLECT and on entering and leaving each <see cref="ToggleCollect"/>
/// function (its outermost activation: callgrind flips on every recursive entry too, so
/// recursion leaves it uncounted there; here the whole activation counts).</item>
/// </list>
/// </summary>
internal sealed record RegionOfInterestOptions
{
    public RegionPoint? From { get; init; }

    public RegionPoint? To { get; init; }

    /// <summary>Functions (by symbol) whose activations flip collection on entry and on return, as callgrind's --toggle-collect.</summary>
    public IReadOnlyList<string> ToggleCollect { get; init; } = [];

    /// <summary>Instrumentation is on at the start (callgrind's --instr-atstart; default yes).</summary>
    public bool InstrumentAtStart { get; init; } = true;

    /// <summary>Collection is on at the start (callgrind's --collect-atstart); null: yes, unless <see cref="ToggleCollect"/> names functions (as callgrind).</summary>
    public bool? CollectAtStart { get; init; }

    internal bool CollectsAtStart => CollectAtStart ?? ToggleCollect.Count == 0;

    /// <summary>The whole run, as without options (guest requests still apply).</summary>
    public static RegionOfInterestOptions WholeRun { get; } = new();

    internal bool NeedsHook => From is not null || To is not null || ToggleCollect.Count > 0;
}

/// <summary>
/// Valgrind's client requests as ARM code issues them (valgrind.h, PLAT_arm_linux; VEX's ARM
/// front end recognises the same sequence in Thumb): r3 = the default result, r4 = the address
/// of six words (the request, five arguments), then the "special instruction preamble" -- four
/// rotations of r12 by 3, 13, 29 and 19 bits, which leave it unchanged -- and
/// <c>orr r10, r10, r10</c>. On hardware (and under QEMU) the sequence does nothing and r3
/// keeps the default. armemu acts on callgrind's requests at the ORR; r3 keeps the default
/// (RUNNING_ON_VALGRIND stays 0: this is not valgrind).
/// </summary>
internal static class GuestRequests
{
    /// <summary>VG_USERREQ_TOOL_BASE('C','T') (callgrind.h): the callgrind requests follow it in this order.</summary>
    public const uint CallgrindBase = ('C' << 24) | ('T' << 16);

    public const uint DumpStats = CallgrindBase, ZeroStats = CallgrindBase + 1, ToggleCollect = CallgrindBase + 2,
        DumpStatsAt = CallgrindBase + 3, StartInstrumentation = CallgrindBase + 4, StopInstrumentation = CallgrindBase + 5;

    // mov r12, r12, ror #3 / #13 / #29 / #19; orr r10, r10, r10 (A1 encodings).
    private static readonly uint[] ArmSequence = [0xE1A0C1EC, 0xE1A0C6EC, 0xE1A0CEEC, 0xE1A0C9EC, 0xE18AA00A];

    // The same in Thumb-2 (MOV (register) T3 with a shift, ORR (register) T2): first halfword, second halfword.
    private static readonly ushort[] ThumbSequence =
        [0xEA4F, 0x0CFC, 0xEA4F, 0x3C7C, 0xEA4F, 0x7C7C, 0xEA4F, 0x4CFC, 0xEA4A, 0x0A0A];

    /// <summary>The request instructions (the ORR) of every complete sequence in <paramref name="code"/>, loaded at <paramref name="address"/>.</summary>
    public static List<(uint Address, bool Thumb)> Find(ReadOnlySpan<byte> code, uint address)
    {
        var found = new List<(uint, bool)>();
        const uint ThumbRequestWord = 0x0A0A_EA4A; // ORR.W r10, r10, r10 read as one little-endian word
        for (int i = 0; i + 20 <= code.Length; i += 2)
        {
            uint last = BinaryPrimitives.ReadUInt32LittleEndian(code[(i + 16)..]);
            if (last == ArmSequence[4] && ((address + (uint)i) & 3) == 0 && Matches(code[i..], ArmSequence)) found.Add((address + (uint)i + 16, false));
            else if (last == ThumbRequestWord && Matches(code[i..], ThumbSequence)) found.Add((address + (uint)i + 16, true));
        }
        return found;
    }

    /// <summary>Whether the request instruction itself is at <paramref name="bytes"/> (4 bytes).</summary>
    internal static bool IsRequestInstruction(ReadOnlySpan<byte> bytes, bool thumb) =>
        thumb ? Matches(bytes, ThumbSequence.AsSpan(8)) : BinaryPrimitives.ReadUInt32LittleEndian(bytes) == ArmSequence[4];

    private static bool Matches(ReadOnlySpan<byte> code, ReadOnlySpan<uint> words)
    {
        for (int k = 0; k < words.Length; k++)
            if (BinaryPrimitives.ReadUInt32LittleEndian(code[(4 * k)..]) != words[k]) return false;
        return true;
    }

    private static bool Matches(ReadOnlySpan<byte> code, ReadOnlySpan<ushort> halfwords)
    {
        if (code.Length < 2 * halfwords.Length) return false;
        for (int k = 0; k < halfwords.Length; k++)
            if (BinaryPrimitives.ReadUInt16LittleEndian(code[(2 * k)..]) != halfwords[k]) return false;
        return true;
    }
}
