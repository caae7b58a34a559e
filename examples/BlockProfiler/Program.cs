// A per-block profiler written on the embedding API's block hook. With no argument it profiles
// a built-in insertion sort on the bare emulator and checks that the blocks account for every
// instruction executed; given a static ARM Linux program (and its arguments) it profiles that
// in Linux user mode through the same IMachine API. Prints the hottest blocks.
using ArmEmu.Emulator;
using ArmEmu.Emulator.Linux;

var counts = new Dictionary<(uint Address, int Size), long>();
void Count(IMachine _, uint address, int size) =>
    counts[(address, size)] = counts.GetValueOrDefault((address, size)) + 1;

ulong executed;
int status = 0;
string? program = args.Length > 0 ? args[0] : null;
if (program is null)
{
    // Insertion sort of 64 words, descending input: the worst case, 2016 inner-loop steps.
    const uint Code = 0x1_0000, Data = 0x2_0000, Done = 0x1_0FF0;
    using var emu = Emulator.Create("arm926");
    emu.MapMemory(Code, 0x1000);
    emu.WriteMemory(Code, emu.Assemble("""
        sort:                       @ r0 = array, r1 = count
            mov r2, #1
        outer:
            cmp r2, r1
            bxhs lr
            ldr r3, [r0, r2, lsl #2]
            mov r12, r2
        inner:
            subs r12, r12, #1
            blo place
            ldr r4, [r0, r12, lsl #2]
            cmp r4, r3
            bls place
            add r5, r12, #1
            str r4, [r0, r5, lsl #2]
            b inner
        place:
            add r12, r12, #1
            str r3, [r0, r12, lsl #2]
            add r2, r2, #1
            b outer
        """, Code));
    emu.MapMemory(Data, 0x1000);
    for (uint i = 0; i < 64; i++) emu.WriteWord(Data + 4 * i, 64 - i);
    emu.WriteRegister("r0", Data);
    emu.WriteRegister("r1", 64);
    emu.WriteRegister("lr", Done);
    using (emu.Hooks().Block(Count))
    {
        var result = emu.Run(Code, until: Done, count: 10_000_000);
        if (!result.Ok) throw new InvalidOperationException($"{result.Error} at 0x{result.Pc:x8}");
        executed = result.Instructions;
    }
    for (uint i = 0; i < 64; i++)
        if (emu.ReadWord(Data + 4 * i) != i + 1) { Console.WriteLine($"not sorted at index {i}"); status = 1; }
}
else
{
    using var process = new LinuxProcess(program, new LinuxProcessOptions { Arguments = args });
    using (process.Hooks().Block(Count))
        Console.WriteLine($"exit status {process.Run()}");
    executed = process.Cpu.InstructionsExecuted;
}

// Each entry of a block runs its whole size (a block ends at the first instruction that may
// branch), so size / 4 instructions per entry (ARM state).
long accounted = counts.Sum(kv => kv.Value * (kv.Key.Size / 4));
Console.WriteLine($"{counts.Count} blocks, {counts.Values.Sum()} block entries, {executed} instructions ({accounted} accounted for by blocks)");
Console.WriteLine("   address   size    entries   instructions      %");
foreach (var ((address, size), entries) in counts.OrderByDescending(kv => kv.Value * kv.Key.Size).Take(10))
{
    long instructions = entries * (size / 4);
    Console.WriteLine($"  {address:x8} {size,6} {entries,10} {instructions,14} {100.0 * instructions / executed,6:F1}");
}
if (program is null && accounted != (long)executed)
{
    Console.WriteLine("the blocks do not account for every instruction");
    status = 1;
}
return status;
