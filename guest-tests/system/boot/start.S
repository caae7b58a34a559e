@ Entry of the boot-protocol probe: keep r0-r2 as the boot code left them and hand them to main.
    .section .text.start, "ax"
    .arm
    .global _start
_start:
    ldr sp, =stack_top
    bl main
1:  b 1b

    .bss
    .balign 8
    .space 8192
stack_top:
