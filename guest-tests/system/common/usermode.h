/*
 * A minimal kernel for running code in User mode: run_user(fn, arg) enters
 * User mode at fn(arg) (ARM or Thumb, by bit 0 of fn) with an exception return
 * LDM ^ (ARM ARM A4.1, "LDM (3)"), and fn's return comes back as SVC #0.
 * Other SVCs go to svc_hook(number, frame), if the program set it, with
 * frame = saved r0-r3, r12, lr and frame[-1] = SPSR (number from the
 * instruction: ARM ARM A4.1 / A7.1, SWI); a hook may change frame[0..3] to
 * return values. User-mode code must not make semihosting calls (QEMU 7.2
 * treats them as plain SVCs unless -semihosting-config userspace=on), so it
 * reports through memory. Include from exactly one file.
 */
#ifndef ARMEMU_TEST_USERMODE_H
#define ARMEMU_TEST_USERMODE_H
#include "runtime.h"

/* SPSR at the SVC #0 that ended the last run_user (the User mode flags and state). */
volatile uint32_t user_exit_spsr;
uint32_t run_user(uint32_t (*fn)(uint32_t), uint32_t arg);
void (*svc_hook)(uint32_t number, uint32_t *frame);

void svc_unhooked(uint32_t number)
{
    sh_printf("unexpected svc %x\n", number);
    sh_exit(99);
}

__asm__(
    "       .syntax unified\n"
    "       .text\n"
    "       .global run_user\n"
    "run_user:\n"
    "       push    {r4-r11, lr}\n"
    "       mrs     r2, cpsr\n"
    "       push    {r2}\n"
    "       ldr     r2, =user_kernel_sp\n"
    "       str     sp, [r2]\n"
    "       mov     r2, #0xd0\n"            /* User mode, ARM, IRQ/FIQ masked */
    "       msr     spsr_cxsf, r2\n"
    "       ldr     r2, =user_trampoline\n"
    "       push    {r0, r2}\n"                /* r1 = arg, then r0 = arg, r1 = fn */
    "       push    {r1}\n"
    "       ldmfd   sp!, {r0, r1, pc}^\n"
    "\n"
    "user_trampoline:\n"                   /* runs in User mode */
    "       blx     r1\n"
    "       svc     #0\n"
    "\n"
    "       .global svc_handler\n"
    "svc_handler:\n"
    "       push    {r0-r3, r12, lr}\n"
    "       mrs     r2, spsr\n"
    "       tst     r2, #0x20\n"
    "       ldrhne  r0, [lr, #-2]\n"        /* Thumb SVC: 8-bit immediate */
    "       andne   r0, r0, #0xff\n"
    "       ldreq   r0, [lr, #-4]\n"        /* ARM SVC: 24-bit immediate */
    "       biceq   r0, r0, #0xff000000\n"
    "       cmp     r0, #0\n"
    "       beq     1f\n"
    "       push    {r2}\n"
    "       add     r1, sp, #4\n"
    "       ldr     r3, =svc_hook\n"
    "       ldr     r3, [r3]\n"
    "       cmp     r3, #0\n"
    "       beq     svc_unhooked\n"
    "       blx     r3\n"
    "       pop     {r2}\n"
    "       msr     spsr_cxsf, r2\n"
    "       pop     {r0-r3, r12, lr}\n"
    "       movs    pc, lr\n"
    "1:     ldr     r1, =user_exit_spsr\n"  /* back from User mode: unwind run_user */
    "       str     r2, [r1]\n"
    "       ldr     r0, [sp]\n"
    "       ldr     r2, =user_kernel_sp\n"
    "       ldr     sp, [r2]\n"
    "       pop     {r2}\n"
    "       msr     cpsr_c, r2\n"
    "       pop     {r4-r11, pc}\n"
    "       .ltorg\n"
    "       .bss\n"
    "       .align  2\n"
    "       .global user_kernel_sp\n"
    "user_kernel_sp:\n"
    "       .space  4\n"
    "       .text\n");
#endif
