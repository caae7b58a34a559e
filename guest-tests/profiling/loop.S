@ A loop of known shape, for exact per-instruction and per-function counts.
@ Built with: arm-linux-gnueabi-gcc -static -nostdlib -o loop loop.S; exits with status 0.
@
@ Counted by hand (Ir includes condition-failed instructions; Icf counts those):
@   _start: 9 instructions, once each; MOVNE fails (r0 = 55)      -> Ir 9, Icf 1
@   sum(10): 2 + 3 * 10 (add, subs, bne per iteration) + 1 (bx lr) = 33;
@            the last BNE (r1 = 0) fails                          -> Ir 33, Icf 1
@   total 42 = what --stats reports.
@ expect-total: 42
@ expect: _start self=9 incl=42 calls=0 icf=1
@ expect: sum self=33 incl=33 calls=1 icf=1
@ expect-pc: sum+8 10
@ expect-pc: sum+16 10 icf=1

    .syntax unified
    .arm
    .text
    .global _start
    .type _start, %function
_start:
    mov r0, #10
    bl sum
    ldr r2, =result         @ a store for the trace to show
    str r0, [r2]
    cmp r0, #55
    movne r0, #1
    moveq r0, #0
    mov r7, #1              @ __NR_exit
    svc #0
    .ltorg
    .size _start, .-_start

    .type sum, %function
sum:                        @ r0 = n -> 1 + 2 + ... + n
    mov r1, r0
    mov r0, #0
1:  add r0, r0, r1          @ sum+8
    subs r1, r1, #1
    bne 1b                  @ sum+16
    bx lr
    .size sum, .-sum

    .bss
    .align 2
result:
    .space 4
