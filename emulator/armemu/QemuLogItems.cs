namespace ArmEmu.Cli;

/// <summary>
/// qemu-arm's <c>-d ITEM[,ITEM...]</c> (and QEMU_LOG) in armemu's terms. QEMU logs per
/// translated block; armemu interprets, so the items that show the guest's instructions or
/// registers all become the per-instruction trace (<c>--trace</c>), which holds both.
/// Items about QEMU's code generator or other targets have no equivalent and are named once
/// on stderr; unknown items are an error, as in QEMU.
/// </summary>
internal static class QemuLogItems
{
    public enum Effect { Trace, Strace, Unimplemented, AlreadyOn, NoEquivalent }

    /// <summary>QEMU 7.2's item names (qemu-arm -d help) and what each becomes.</summary>
    public static readonly IReadOnlyDictionary<string, (Effect Effect, string Meaning)> Items = new Dictionary<string, (Effect, string)>
    {
        ["in_asm"] = (Effect.Trace, "the instruction trace (--trace): every executed instruction, disassembled"),
        ["exec"] = (Effect.Trace, "the instruction trace (--trace)"),
        ["cpu"] = (Effect.Trace, "the instruction trace (--trace), which shows the registers each instruction changes"),
        ["nochain"] = (Effect.Trace, "the instruction trace (--trace); armemu has no block chaining to turn off"),
        ["strace"] = (Effect.Strace, "--strace: every system call with its arguments and result"),
        ["unimp"] = (Effect.Unimplemented, "name every unimplemented system call, even those libc probes for and replaces (rseq, clone3...); the others are always named"),
        ["guest_errors"] = (Effect.AlreadyOn, "always on: fatal signals are named with the PC and the instruction"),
        ["int"] = (Effect.NoEquivalent, ""),
        ["out_asm"] = (Effect.NoEquivalent, ""),
        ["op"] = (Effect.NoEquivalent, ""),
        ["op_opt"] = (Effect.NoEquivalent, ""),
        ["op_ind"] = (Effect.NoEquivalent, ""),
        ["fpu"] = (Effect.NoEquivalent, ""),
        ["mmu"] = (Effect.NoEquivalent, ""),
        ["pcall"] = (Effect.NoEquivalent, ""),
        ["cpu_reset"] = (Effect.NoEquivalent, ""),
        ["page"] = (Effect.NoEquivalent, ""),
        ["plugin"] = (Effect.NoEquivalent, ""),
        ["tid"] = (Effect.NoEquivalent, ""),
    };

    /// <summary>The effects of a comma-separated list, or an error line for an unknown item.</summary>
    public static (bool Trace, bool Strace, bool Unimplemented, List<string> Ignored)? Parse(string list, out string? error)
    {
        error = null;
        bool trace = false, strace = false, unimplemented = false;
        var ignored = new List<string>();
        foreach (string item in list.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            if (!Items.TryGetValue(item, out var entry))
            {
                error = item.StartsWith("trace:", StringComparison.Ordinal)
                    ? $"-d {item}: QEMU's trace events have no equivalent in armemu (see armemu run -d help)"
                    : $"-d: unknown log item '{item}' (see armemu run -d help)";
                return null;
            }
            switch (entry.Effect)
            {
                case Effect.Trace: trace = true; break;
                case Effect.Strace: strace = true; break;
                case Effect.Unimplemented: unimplemented = true; break;
                case Effect.NoEquivalent: ignored.Add(item); break;
            }
        }
        return (trace, strace, unimplemented, ignored);
    }

    public static void PrintHelp(TextWriter output)
    {
        output.WriteLine("Log items for -d (comma separated), as qemu-arm names them, and what armemu does with each:");
        foreach (var (name, (effect, meaning)) in Items)
            output.WriteLine($"  {name,-13} {(effect == Effect.NoEquivalent ? "no equivalent in armemu (ignored with a note)" : meaning)}");
        output.WriteLine("The log goes to stderr, or to the file given with -D FILE.");
    }
}
