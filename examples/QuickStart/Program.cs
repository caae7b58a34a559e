// The README's five-minute start (README.md, "Embedding"): a machine, code assembled from
// source, hooks that map memory on a fault and watch stores, the cache model holding the data,
// and a DMA-style read that finds RAM stale. Exit status 0 when everything is as the README says.
using ArmEmu.Emulator;
using ArmEmu.Memory.Caches;

const uint Code = 0x1_0000, Buffer = 0x2_0000;

using var emu = Emulator.Create("arm926");           // an ARM926EJ-S; "cortex-a9" for ARMv7
emu.EnableCaches();                                    // its 16 KiB I and D caches, 4-way, 32-byte lines

// Add r1 to eight words at r0. The load brings each line into the D-cache (the ARM926
// allocates on reads only), so the store after it hits and leaves the line dirty.
byte[] code = emu.Assemble("""
        mov r2, #8
    1:  ldr r3, [r0]
        add r3, r3, r1
        str r3, [r0], #4
        subs r2, r2, #1
        bne 1b
    """, origin: Code);                                // GNU as, cached by content
emu.MapMemory(Code, 0x1000);
emu.WriteMemory(Code, code);
emu.WriteRegister("r0", Buffer);                       // not mapped yet
emu.WriteRegister("r1", 100);

// Hooks: map memory where the guest faults and retry (Unicorn's UC_HOOK_MEM_UNMAPPED), count
// stores, and watch the D-cache fill its lines.
using var faults = emu.Hooks().Fault((machine, fault) =>
{
    Console.WriteLine($"fault at 0x{fault.Address:x8} ({fault.Kind}): mapping a page");
    machine.MapMemory(fault.Address & ~0xFFFu, 0x1000);   // any IMachine maps memory
    return true;                                       // retry the instruction
});
int stores = 0;
using var writes = emu.Hooks().Memory((_, access) => stores++, MemoryHookKinds.WriteAfter);
int fills = 0;
using var cache = emu.Hooks().Cache((_, e) =>
{
    if (e.Kind == CacheEventKind.Fill && e.Cache.Name == "D-cache") fills++;
});

var result = emu.Run(Code, until: Code + (uint)code.Length, timeout: TimeSpan.FromSeconds(5));
Console.WriteLine($"{result.Reason}, {result.Instructions} instructions, {stores} stores, {fills} D-cache line fill(s)");

// The new values are in the D-cache only: RAM, which a DMA engine reads, still holds zeros.
var line = emu.FindCacheLine(CacheLevel.L1Data, Buffer)!;
Console.WriteLine($"0x{Buffer:x}: D-cache set {line.Set}, way {line.Way}, dirty: {line.Dirty}, differs from RAM: {line.DiffersFromMemory}");
uint cpuSees = BitConverter.ToUInt32(emu.ReadMemory(Buffer, 4));
uint dmaSees = BitConverter.ToUInt32(emu.ReadAsBusMaster(Buffer, 4));
Console.WriteLine($"the CPU reads {cpuSees}, a bus master reads {dmaSees}");

// Clean the line and drain the write buffer (what a driver does before starting DMA), then look again.
emu.WriteRegister("r0", Buffer);
emu.WriteRegister("r1", 0);
byte[] clean = emu.Assemble("""
    mcr p15, 0, r0, c7, c10, 1      @ clean D line by MVA
    mcr p15, 0, r1, c7, c10, 4      @ drain the write buffer
    """, origin: Code + 0x100);
emu.WriteMemory(Code + 0x100, clean);
emu.Run(Code + 0x100, until: Code + 0x108);
Console.WriteLine($"after the clean, a bus master reads {BitConverter.ToUInt32(emu.ReadAsBusMaster(Buffer, 4))}");

bool asDocumented = result.Ok && stores == 8 && fills == 1 && line.Dirty && cpuSees == 100 && dmaSees == 0
                    && BitConverter.ToUInt32(emu.ReadAsBusMaster(Buffer, 4)) == 100;
return asDocumented ? 0 : 1;
