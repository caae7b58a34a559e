// A coherence checker for a DMA driver routine: runs the routine on an ARM926 with the cache
// model on, lets a device read the buffer when the driver rings its doorbell, and reports every
// coherence hazard the monitor sees with the guest instruction behind it. Three variants of the
// driver are checked: the correct one (clean the buffer's D-cache lines, drain the write buffer,
// then start the DMA), one that forgets the clean (a hazard) and one that forgets the drain (none
// on the ARM926, which drains before the doorbell's uncached store).
// Exit status 0 when each variant gets exactly the verdict expected of it.
using ArmEmu.Emulator;
using ArmEmu.Memory;
using ArmEmu.Memory.Caches;

const uint Code = 0x1_0000, Buffer = 0x2_0000, Device = 0x1000_0000, Return = 0x1_0FF0;
const int Length = 64;

// dma_send(r0 = buffer, r1 = length, r2 = device): prepares the buffer in place (each byte plus
// its index: the reads allocate D-cache lines, the stores dirty them), makes it visible to the
// device, then programs the device and rings the doorbell.
string Driver(bool clean, bool drain) => $"""
    dma_send:
        mov r3, #0
    prepare:
        ldrb r12, [r0, r3]
        add r12, r12, r3
        strb r12, [r0, r3]
        add r3, r3, #1
        cmp r3, r1
        blo prepare
        bic r3, r0, #31
        add r12, r0, r1
    clean:
        {(clean ? "mcr p15, 0, r3, c7, c10, 1" : "nop")}    @ clean D line by MVA (ARM926 TRM 2.3.8)
        add r3, r3, #32
        cmp r3, r12
        blo clean
        mov r3, #0
        {(drain ? "mcr p15, 0, r3, c7, c10, 4" : "nop")}    @ drain the write buffer
        str r0, [r2, #0]          @ DMA source address
        str r1, [r2, #4]          @ length
        mov r3, #1
        str r3, [r2, #8]          @ doorbell: the device reads the buffer now
        bx lr
    """;

int failures = 0;
failures += Check("correct driver (clean + drain)", Driver(clean: true, drain: true), expected: null);
failures += Check("driver without the clean", Driver(clean: false, drain: true), expected: CoherenceHazard.DmaReadOfDirtyLine);
// Harmless on this core: the doorbell is a Strongly-ordered (NCNB) store, and the ARM926 drains
// its write buffer before any NCNB access (ARM926EJ-S TRM 4.1), so the cleaned lines reach RAM first.
failures += Check("driver without the drain", Driver(clean: true, drain: false), expected: null);
Console.WriteLine(failures == 0 ? "all verdicts as expected" : $"{failures} verdict(s) not as expected");
return failures == 0 ? 0 : 1;

int Check(string name, string source, CoherenceHazard? expected)
{
    using var emu = Emulator.Create("arm926");
    emu.EnableCaches(); // the ARM926's 16 KiB + 16 KiB, 4-way, 32-byte lines
    byte[] code = emu.Assemble(source, Code);
    emu.MapMemory(Code, 0x1000, Permission.Read | Permission.Execute);
    emu.WriteMemory(Code, code);
    emu.MapMemory(Buffer, 0x1000);
    byte[] original = Enumerable.Range(0, Length).Select(i => (byte)(0xA0 ^ i)).ToArray();
    emu.WriteMemory(Buffer, original);
    var device = new DmaDevice(emu.Bus);
    emu.MapDevice(Device, device);

    var hazards = new List<CoherenceReport>();
    using var hook = emu.Hooks().Coherence((_, report) => hazards.Add(report));
    emu.WriteRegister("r0", Buffer);
    emu.WriteRegister("r1", Length);
    emu.WriteRegister("r2", Device);
    emu.WriteRegister("lr", Return);
    var result = emu.Run(Code, until: Return, count: 100_000);
    if (!result.Ok || device.Received is null)
    {
        Console.WriteLine($"{name}: the routine did not complete ({result.Reason}, {result.Error} at 0x{result.Pc:x8})");
        return 1;
    }

    byte[] intended = original.Select((b, i) => (byte)(b + i)).ToArray();
    bool deviceGotIt = device.Received.AsSpan().SequenceEqual(intended);
    Console.WriteLine($"{name}: the device read {(deviceGotIt ? "the prepared buffer" : "stale data")}, {hazards.Count} hazard(s)");
    foreach (var h in hazards)
        Console.WriteLine($"  {h.Hazard} at pc 0x{h.Pc:x8} ({SourceLine(source, h.Pc)}), pa 0x{h.PhysicalAddress:x8}: {h.Message}");

    bool asExpected = expected is null
        ? hazards.Count == 0 && deviceGotIt
        : hazards.Any(h => h.Hazard == expected) && !deviceGotIt;
    if (!asExpected) Console.WriteLine($"  NOT AS EXPECTED: expected {(expected is null ? "no hazard" : expected.ToString())}");
    return asExpected ? 0 : 1;
}

// The driver's source line of the instruction at pc: one instruction per line, labels on lines
// of their own, so the n-th instruction line is at Code + 4n.
static string SourceLine(string source, uint pc)
{
    var instructions = source.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.EndsWith(':')).ToList();
    int n = (int)(pc - Code) / 4;
    return n >= 0 && n < instructions.Count ? instructions[n].Split('@')[0].Trim() : "?";
}

/// <summary>
/// A minimal DMA device: source address (0x0), length (0x4), doorbell (0x8). Ringing the doorbell
/// reads the buffer from RAM as a bus master does: behind the CPU's caches, announced to the bus
/// so the coherence monitor can compare.
/// </summary>
sealed class DmaDevice(PhysicalBus bus) : IMmioDevice
{
    private uint _source, _length;

    public byte[]? Received { get; private set; }

    public uint Size => 0x1000;

    public uint Read(uint offset, int size) => offset switch { 0 => _source, 4 => _length, _ => 0 };

    public void Write(uint offset, int size, uint value)
    {
        switch (offset)
        {
            case 0: _source = value; break;
            case 4: _length = value; break;
            case 8:
                bus.AnnounceMasterAccess(_source, (int)_length, write: false);
                Received = new byte[_length];
                bus.ReadRam(_source, Received);
                break;
        }
    }
}
