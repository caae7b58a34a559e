/*
 * Start-up code for ArmEmu's vexpress-a9 bare-metal test programs (Cortex-A9). The image is
 * an ELF at 0x60010000; the CPU starts at its entry in Secure SVC mode with IRQ/FIQ masked
 * and the MMU and caches off, as QEMU's -M vexpress-a9 starts a non-Linux image. Address 0
 * holds the NOR flash, so the vector table is here and VBAR (c12,c0,0; ARM ARM B4.1.156)
 * points at it. The vectors branch to weak handlers a program may override.
 */
        .syntax unified
        .arm
        .section .vectors, "ax"
        .balign 32                      /* VBAR bits [4:0] are reserved */
        .global _vectors
_vectors:
        ldr     pc, =reset_handler
        ldr     pc, =undef_handler
        ldr     pc, =svc_handler
        ldr     pc, =pabt_handler
        ldr     pc, =dabt_handler
        nop
        ldr     pc, =irq_handler
        ldr     pc, =fiq_handler
        .ltorg

        .text
        .global reset_handler
reset_handler:
        ldr     r0, =_vectors
        mcr     p15, 0, r0, c12, c0, 0  /* VBAR */
        mcr     p15, 0, r0, c7, c5, 4   /* ISB (the CP15 form) */
        /* One stack per mode, 4 KiB each, below __stack_top. */
        ldr     r0, =__stack_top
        msr     cpsr_c, #0xD1           /* FIQ */
        mov     sp, r0
        sub     r0, r0, #0x1000
        msr     cpsr_c, #0xD2           /* IRQ */
        mov     sp, r0
        sub     r0, r0, #0x1000
        msr     cpsr_c, #0xD7           /* Abort */
        mov     sp, r0
        sub     r0, r0, #0x1000
        msr     cpsr_c, #0xDB           /* Undefined */
        mov     sp, r0
        sub     r0, r0, #0x1000
        msr     cpsr_c, #0xDF           /* System (shares User's SP) */
        mov     sp, r0
        sub     r0, r0, #0x4000
        msr     cpsr_c, #0xD3           /* back to Supervisor */
        mov     sp, r0

        /* Zero .bss. */
        ldr     r0, =__bss_start
        ldr     r1, =__bss_end
        mov     r2, #0
1:      cmp     r0, r1
        strlo   r2, [r0], #4
        blo     1b

        bl      main
        bl      sh_exit
2:      b       2b

        /* Default handlers: report and stop with status 100 + exception number. */
        .macro  default_handler name, number
        .weak   \name
\name:
        mov     r0, #\number
        b       unexpected_exception
        .endm
        default_handler undef_handler, 1
        default_handler svc_handler, 2
        default_handler pabt_handler, 3
        default_handler dabt_handler, 4
        default_handler irq_handler, 6
        default_handler fiq_handler, 7

unexpected_exception:
        ldr     sp, =__stack_top
        sub     sp, sp, #0x8000
        mov     r4, r0
        mov     r1, lr
        bl      sh_unexpected
        add     r0, r4, #100
        bl      sh_exit
3:      b       3b
