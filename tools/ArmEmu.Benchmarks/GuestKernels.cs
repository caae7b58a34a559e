namespace ArmEmu.Benchmarks;

/// <summary>
/// Guest code measured by the benchmarks. Each kernel loops forever; a
/// benchmark runs a fixed number of instructions, so the figure is guest
/// instructions per second through the public API.
/// </summary>
public static class GuestKernels
{
    /// <summary>Register-only arithmetic with shifts and flag setting: the interpreter's best case.</summary>
    public const string IntegerLoop = """
        mov r0, #1
        mov r1, #3
        mov r2, #0
        loop:
        add r2, r2, r0
        eor r3, r2, r1, lsl #3
        sub r1, r3, r0, lsr #1
        orr r0, r0, r2, ror #7
        adds r4, r4, r3
        and r5, r4, #0xff
        mov r6, r5, lsl #2
        subs r7, r7, #1
        bne loop
        b loop
        """;

    /// <summary>Copies a 4 KiB buffer back and forth with LDM/STM and LDR/STR.</summary>
    public const string MemoryCopy = """
        start:
        ldr r0, =0x20000
        ldr r1, =0x21000
        mov r2, #64
        copy_ldm:
        ldmia r0!, {r3-r6}
        stmia r1!, {r3-r6}
        ldmia r0!, {r3-r6}
        stmia r1!, {r3-r6}
        subs r2, r2, #1
        bne copy_ldm
        ldr r0, =0x21000
        ldr r1, =0x20000
        mov r2, #1024
        copy_word:
        ldr r3, [r0], #4
        str r3, [r1], #4
        subs r2, r2, #1
        bne copy_word
        b start
        .ltorg
        """;

    /// <summary>Data-dependent branches and calls: the decode cache and PC handling under stress.</summary>
    public const string Branchy = """
        mov r0, #0
        mov r1, #0x5A000000
        orr r1, r1, #0xA5
        loop:
        add r0, r0, #1
        eor r1, r1, r1, lsl #13
        eor r1, r1, r1, lsr #17
        eor r1, r1, r1, lsl #5
        tst r1, #1
        beq even
        bl odd_fn
        b next
        even:
        tst r1, #2
        addne r2, r2, #1
        subeq r2, r2, #1
        next:
        cmp r0, #100
        blt loop
        mov r0, #0
        b loop
        odd_fn:
        add r3, r3, r1
        bx lr
        """;
}
