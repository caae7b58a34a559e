using ArmEmu.Emulator;
using ArmEmu.Memory;

namespace MemcpyTests;

/// <summary>
/// A hand-written memcpy(r0 = dest, r1 = src, r2 = n) under test: words while both pointers are
/// word-aligned, bytes otherwise. The harness maps code, a source and a destination page with
/// guard pages around them, so an access outside the buffers faults and fails the test.
/// </summary>
public sealed class Memcpy : IDisposable
{
    public const string Source = """
        memcpy:
            push {r0, r4, lr}
            orr r3, r0, r1
            tst r3, #3
            bne bytes
        words:
            cmp r2, #4
            blo bytes
            ldr r4, [r1], #4
            str r4, [r0], #4
            sub r2, r2, #4
            b words
        bytes:
            subs r2, r2, #1
            ldrbhs r4, [r1], #1
            strbhs r4, [r0], #1
            bhs bytes
            pop {r0, r4, pc}
        """;

    public const uint Code = 0x1_0000, Src = 0x10_0000, Dst = 0x20_0000, Stack = 0x30_0000, Return = 0x1_0F00;

    public Memcpy()
    {
        Emulator = Emulator.Create("arm926");
        Emulator.MapMemory(Code, 0x1000, Permission.Read | Permission.Execute);
        Emulator.WriteMemory(Code, Emulator.Assemble(Source, Code));
        Emulator.MapMemory(Src, 0x2000, Permission.Read);   // a page, and one more for reads that run over
        Emulator.MapMemory(Dst, 0x1000, Permission.Read | Permission.Write);
        Emulator.MapMemory(Stack - 0x1000, 0x1000);
    }

    public Emulator Emulator { get; }

    /// <summary>Copies <paramref name="n"/> bytes from Src + srcOffset to Dst + dstOffset; returns r0 and the instructions run.</summary>
    public (uint R0, RunResult Result) Call(uint dstOffset, uint srcOffset, uint n)
    {
        Emulator.WriteRegister("r0", Dst + dstOffset);
        Emulator.WriteRegister("r1", Src + srcOffset);
        Emulator.WriteRegister("r2", n);
        Emulator.WriteRegister("sp", Stack);
        Emulator.WriteRegister("lr", Return);
        var result = Emulator.Run(Code, until: Return, count: 1_000_000);
        return ((uint)Emulator.ReadRegister("r0"), result);
    }

    public void Dispose() => Emulator.Dispose();
}
