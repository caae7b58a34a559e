@ Code named only by assembly labels (STT_NOTYPE, as hand-written startup code leaves
@ them): the profile must name them, not show their addresses.
@ Built with: arm-linux-gnueabi-gcc -static -nostdlib -o labels labels.S; exits with status 0.
@
@ Counted by hand:
@   _start:       mov r4, #5                        1
@   1:            bl untyped_helper ; subs ; bne     3 * 5 = 15
@                 mov r0, #0 ; mov r7, #1 ; svc      3          -> _start self 19
@   untyped_helper: add r5, r5, #1 ; bx lr          2 * 5 = 10 -> untyped_helper self 10
@ expect-total: 29

    .syntax unified
    .arm
    .text
    .global _start
    .type _start, %function
_start:
    mov r4, #5
1:  bl untyped_helper
    subs r4, r4, #1
    bne 1b
    mov r0, #0
    mov r7, #1              @ __NR_exit
    svc #0
    .size _start, .-_start

untyped_helper:             @ a label, not a function: no .type, no .size
    add r5, r5, #1
    bx lr
