/*
 * Processor modes and register banking (ARM ARM A2.2-A2.5): every privileged
 * mode entered with MSR, its r8-r14 and SPSR written with a pattern, then all
 * read back. FIQ banks r8-r14; IRQ, SVC, Abort and Undefined bank r13-r14;
 * System shares User's registers and has no SPSR. Then User mode: MSR may
 * change only the flags there (ARM ARM A4.1, MSR).
 */
#include "runtime.h"
#include "usermode.h"

static const uint8_t modes[] = { 0x11, 0x12, 0x13, 0x17, 0x1b, 0x1f };
static const char *const names[] = { "fiq", "irq", "svc", "abt", "und", "sys" };

/* Per mode: r8-r14, SPSR (System: none), CPSR as read in the mode. */
static uint32_t saved[6][8], seen[6][9];

/*
 * bank_test(saved, seen): saves every mode's r8-r14/SPSR, writes patterns,
 * reads them all back, restores. Patterns: r8-r12 are written in FIQ and in
 * System only (the others share System's), r13/r14 in every mode:
 * value = mode << 24 | register << 16 | 0xa5; SPSR = NZCV nibble from the mode
 * number, User mode, IRQ/FIQ masked.
 */
void bank_test(uint32_t (*saved)[8], uint32_t (*seen)[9]);
__asm__(
    "       .syntax unified\n"
    "       .text\n"
    "       .macro  enter mode\n"
    "       msr     cpsr_c, #(0xc0 | \\mode)\n"
    "       .endm\n"
    "       .macro  save mode, spsr\n"
    "       enter   \\mode\n"
    "       stmia   r0!, {r8-r14}\n"
    "       .if \\spsr\n"
    "       mrs     r2, spsr\n"
    "       .else\n"
    "       mov     r2, #0\n"
    "       .endif\n"
    "       str     r2, [r0], #4\n"
    "       .endm\n"
    "       .macro  restore mode, spsr\n"
    "       enter   \\mode\n"
    "       ldmia   r0!, {r8-r14}\n"
    "       ldr     r2, [r0], #4\n"
    "       .if \\spsr\n"
    "       msr     spsr_cxsf, r2\n"
    "       .endif\n"
    "       .endm\n"
    "       .macro  pattern mode, spsr, low\n"
    "       enter   \\mode\n"
    "       .if \\low\n"
    "       ldr     r8, =(\\mode << 24 | 8 << 16 | 0xa5)\n"
    "       ldr     r9, =(\\mode << 24 | 9 << 16 | 0xa5)\n"
    "       ldr     r10, =(\\mode << 24 | 10 << 16 | 0xa5)\n"
    "       ldr     r11, =(\\mode << 24 | 11 << 16 | 0xa5)\n"
    "       ldr     r12, =(\\mode << 24 | 12 << 16 | 0xa5)\n"
    "       .endif\n"
    "       ldr     r13, =(\\mode << 24 | 13 << 16 | 0xa5)\n"
    "       ldr     r14, =(\\mode << 24 | 14 << 16 | 0xa5)\n"
    "       .if \\spsr\n"
    "       ldr     r2, =((\\mode & 0xf) << 28 | 0xd0)\n"
    "       msr     spsr_cxsf, r2\n"
    "       .endif\n"
    "       .endm\n"
    "       .macro  readback mode, spsr\n"
    "       enter   \\mode\n"
    "       stmia   r1!, {r8-r14}\n"
    "       .if \\spsr\n"
    "       mrs     r2, spsr\n"
    "       .else\n"
    "       mov     r2, #0\n"
    "       .endif\n"
    "       mrs     r3, cpsr\n"
    "       stmia   r1!, {r2, r3}\n"
    "       .endm\n"
    "       .global bank_test\n"
    "bank_test:\n"
    "       push    {r4-r12, lr}\n"
    "       mrs     r4, cpsr\n"
    "       mov     r5, r0\n"
    "       msr     cpsr_f, #0\n"                 /* known flags: all clear */
    "       save    0x11, 1\n"
    "       save    0x12, 1\n"
    "       save    0x13, 1\n"
    "       save    0x17, 1\n"
    "       save    0x1b, 1\n"
    "       save    0x1f, 0\n"
    "       pattern 0x11, 1, 1\n"
    "       pattern 0x12, 1, 0\n"
    "       pattern 0x13, 1, 0\n"
    "       pattern 0x17, 1, 0\n"
    "       pattern 0x1b, 1, 0\n"
    "       pattern 0x1f, 0, 1\n"
    "       readback 0x11, 1\n"
    "       readback 0x12, 1\n"
    "       readback 0x13, 1\n"
    "       readback 0x17, 1\n"
    "       readback 0x1b, 1\n"
    "       readback 0x1f, 0\n"
    "       mov     r0, r5\n"
    "       restore 0x11, 1\n"
    "       restore 0x12, 1\n"
    "       restore 0x13, 1\n"
    "       restore 0x17, 1\n"
    "       restore 0x1b, 1\n"
    "       restore 0x1f, 0\n"
    "       msr     cpsr_cxsf, r4\n"
    "       pop     {r4-r12, pc}\n"
    "       .ltorg\n");

/* User mode: MSR CPSR_fc to Supervisor with flags set, then read the CPSR back. */
static uint32_t user_msr(uint32_t unused)
{
    (void)unused;
    uint32_t cpsr;
    __asm__ volatile("msr cpsr_fc, %1\n\tmrs %0, cpsr" : "=r"(cpsr) : "r"(0xa00000d3u) : "cc");
    return cpsr;
}

int main(void)
{
    uint32_t before = read_cpsr();
    bank_test(saved, seen);
    sh_check("cpsr restored", read_cpsr() == before);

    for (int m = 0; m < 6; m++) {
        sh_printf("%s:", names[m]);
        for (int r = 0; r < 7; r++) sh_printf(" %08x", seen[m][r]);
        if (modes[m] != 0x1f) sh_printf(" spsr %08x", seen[m][7]);
        sh_printf(" cpsr %08x\n", seen[m][8] & PSR_DEFINED);
    }

    int banked_ok = 1;
    for (int m = 0; m < 6; m++) {
        uint32_t low_owner = modes[m] == 0x11 ? 0x11 : 0x1f;
        for (int r = 0; r < 7; r++) {
            uint32_t owner = r < 5 ? low_owner : modes[m];
            banked_ok &= seen[m][r] == (owner << 24 | (uint32_t)(r + 8) << 16 | 0xa5);
        }
        if (modes[m] != 0x1f) banked_ok &= seen[m][7] == ((uint32_t)(modes[m] & 0xf) << 28 | 0xd0);
        banked_ok &= (seen[m][8] & PSR_DEFINED) == (0xc0u | modes[m]);
    }
    sh_check("banking as ARM ARM A2.3", banked_ok);

    uint32_t user_cpsr = run_user(user_msr, 0);
    sh_printf("user mode after msr cpsr_fc, 0xa00000d3: cpsr %08x\n", user_cpsr & PSR_DEFINED);
    sh_check("user MSR changes only the flags", (user_cpsr & PSR_DEFINED) == 0xa00000d0);
    return sh_failures;
}
