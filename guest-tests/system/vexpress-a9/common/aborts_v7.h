/*
 * The ARMv7 form of ../common/aborts.h (include one or the other): the same handlers, but a
 * prefetch abort records IFAR (c6,c0,2; ARM ARM B4.1.95) where the ARM926 has only the FAR,
 * and the FSRs are in the short-descriptor format (FS[4] in bit 10, WnR in bit 11).
 */
/*
 * Abort handlers that record what the core reported and carry on, so main can
 * print it afterwards (handlers print nothing: semihosting from an exception
 * handler would hide the state being tested). Include from one source file.
 *
 * Data abort: LR_abt = aborted instruction + 8 in both states (ARM ARM A2.6, Data Abort);
 * the handler resumes at the next instruction (+4 ARM, +2 Thumb).
 * Prefetch abort: LR_abt = aborted instruction + 4 (ARM ARM A2.6, Prefetch Abort); the
 * handler resumes at the next instruction (right for BKPT) or, when
 * abort_return_to_caller is set, at the interrupted mode's LR: a BLX to an
 * unfetchable address then simply returns.
 */
#ifndef ARMEMU_TEST_ABORTS_V7_H
#define ARMEMU_TEST_ABORTS_V7_H
#include "runtime.h"

struct abort_record {
    uint32_t count;
    uint32_t fsr;     /* DFSR, or IFSR (c5, c0, 1) for prefetch aborts */
    uint32_t far;     /* DFAR (c6,c0,0), or IFAR (c6,c0,2) for prefetch aborts */
    uint32_t address; /* address of the aborted instruction, from LR */
    uint32_t spsr;
};

volatile struct abort_record dabt_rec, pabt_rec;
volatile uint32_t abort_return_to_caller;

__asm__(
    "       .syntax unified\n"
    "       .text\n"
    "       .global dabt_handler\n"
    "dabt_handler:\n"
    "       push    {r0-r1}\n"
    "       ldr     r0, =dabt_rec\n"
    "       ldr     r1, [r0]\n"
    "       add     r1, r1, #1\n"
    "       str     r1, [r0]\n"
    "       mrc     p15, 0, r1, c5, c0, 0\n"
    "       str     r1, [r0, #4]\n"
    "       mrc     p15, 0, r1, c6, c0, 0\n"
    "       str     r1, [r0, #8]\n"
    "       sub     r1, lr, #8\n"
    "       str     r1, [r0, #12]\n"
    "       mrs     r1, spsr\n"
    "       str     r1, [r0, #16]\n"
    "       tst     r1, #0x20\n"            /* Thumb: next instruction is 2 bytes on */
    "       subne   lr, lr, #2\n"
    "       pop     {r0-r1}\n"
    "       subs    pc, lr, #4\n"
    "\n"
    "       .global pabt_handler\n"
    "pabt_handler:\n"
    "       push    {r0-r2}\n"
    "       ldr     r0, =pabt_rec\n"
    "       ldr     r1, [r0]\n"
    "       add     r1, r1, #1\n"
    "       str     r1, [r0]\n"
    "       mrc     p15, 0, r1, c5, c0, 1\n"
    "       str     r1, [r0, #4]\n"
    "       mrc     p15, 0, r1, c6, c0, 2\n"
    "       str     r1, [r0, #8]\n"
    "       sub     r1, lr, #4\n"
    "       str     r1, [r0, #12]\n"
    "       mrs     r1, spsr\n"
    "       str     r1, [r0, #16]\n"
    "       ldr     r2, =abort_return_to_caller\n"
    "       ldr     r2, [r2]\n"
    "       cmp     r2, #0\n"
    "       bne     2f\n"
    "       tst     r1, #0x20\n"            /* Thumb: the next instruction is at LR - 2 */
    "       subne   lr, lr, #2\n"
    "       b       1f\n"
    /* Fetch LR of the interrupted mode (System's for User), IRQ/FIQ masked. */
    "2:     and     r2, r1, #0x1f\n"
    "       cmp     r2, #0x10\n"
    "       moveq   r2, #0x1f\n"
    "       orr     r2, r2, #0xc0\n"
    "       mrs     r0, cpsr\n"
    "       msr     cpsr_c, r2\n"
    "       mov     r2, lr\n"
    "       msr     cpsr_c, r0\n"
    "       bic     r1, r1, #0x20\n"        /* resume in the state LR's bit 0 names */
    "       tst     r2, #1\n"
    "       orrne   r1, r1, #0x20\n"
    "       bic     lr, r2, #1\n"
    "       msr     spsr_cxsf, r1\n"
    "1:     pop     {r0-r2}\n"
    "       movs    pc, lr\n"
    "       .ltorg\n");
#endif
