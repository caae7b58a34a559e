@ Client requests around a loop: a region of interest opened and closed by the guest, as
@ CALLGRIND_START_INSTRUMENTATION / CALLGRIND_TOGGLE_COLLECT / CALLGRIND_STOP_INSTRUMENTATION
@ do (include/armemu.h issues the same sequence from C).
@ Built with: arm-linux-gnueabi-gcc -static -nostdlib -o region region.S; exits with status 0.
@
@ A request: r4 = the address of { request code, 5 arguments }, r3 = the default result, the
@ preamble (four rotations of r12), then the request instruction ORR r10, r10, r10. The state
@ changes at the ORR: counted after START and after a TOGGLE that turns collection on, not
@ after STOP or a TOGGLE that turns it off. spin(n) runs 2n + 1 instructions.
@
@ With --instr-atstart no, counted by hand:
@   START's ORR                                            1
@   mov r0, #10; bl spin                                   2
@   spin(10)                                              21
@   the first TOGGLE's setup (ldr, mov, 4 rotations)       6   (its ORR turns collection off: not counted)
@   mov r0, #5; bl spin; spin(5); the second TOGGLE's setup: not counted
@   the second TOGGLE's ORR (collection on again)          1
@   STOP's setup                                           6   (its ORR is not counted)
@   total 37: _start 16, spin 21 (one call)
@ With instrumentation on at the start (the default) the code before START counts too:
@   mov r0, #3; bl spin; spin(3) = 7; START's setup 6     -> 37 + 15 = 52
@ expect-region: instr-atstart=no total=37 _start=16 spin=21
@ expect-region: instr-atstart=yes total=52 _start=24 spin=28

    .syntax unified
    .arm
    .text

    .macro request code
    ldr r4, =\code
    mov r3, #0
    mov r12, r12, ror #3
    mov r12, r12, ror #13
    mov r12, r12, ror #29
    mov r12, r12, ror #19
    orr r10, r10, r10
    .endm

    .global _start
    .type _start, %function
_start:
    mov r0, #3
    bl spin
    request start_instrumentation
    mov r0, #10
    bl spin
    request toggle_collect
    mov r0, #5
    bl spin
    request toggle_collect
    request stop_instrumentation
    mov r0, #7
    bl spin
    mov r0, #0
    mov r7, #1              @ __NR_exit
    svc #0
    .ltorg
    .size _start, .-_start

    .type spin, %function
spin:                       @ r0 = n > 0
    subs r0, r0, #1
    bne spin
    bx lr
    .size spin, .-spin

    .data
    .align 2
@ VG_USERREQ_TOOL_BASE('C','T') = 0x43540000; callgrind's requests: +2 toggle, +4 start, +5 stop.
toggle_collect:         .word 0x43540002, 0, 0, 0, 0, 0
start_instrumentation:  .word 0x43540004, 0, 0, 0, 0, 0
stop_instrumentation:   .word 0x43540005, 0, 0, 0, 0, 0
