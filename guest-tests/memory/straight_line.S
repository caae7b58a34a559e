/*
 * A generated program: main is WORDS instructions of straight-line code (add r0, r0, #1),
 * each executed once, then returns r0 & 255 as the exit status. Built with -DWORDS=N by
 * DecodedStoreMemoryTests (32 MiB of code in CI; 256 MiB for the README figure):
 *   arm-linux-gnueabi-gcc -static -DWORDS=$((256 * 1024 * 1024 / 4 + 42)) -o straight_line straight_line.S
 * The sizes the test and the README use all give exit status 42.
 */
    .syntax unified
    .arm
    .text
    .global main
    .type main, %function
main:
    mov r0, #0
    .fill WORDS, 4, 0xe2800001      /* add r0, r0, #1 */
    and r0, r0, #255
    bx lr
    .size main, . - main
    .section .note.GNU-stack, "", %progbits
