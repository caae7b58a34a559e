/*
 * FIQ (ARM ARM A2.6, FIQ; PL190 TRM, VICIntSelect): a software interrupt
 * on VIC line 1 routed to FIQ. The handler runs on FIQ's banked r8-r12
 * (ARM ARM A2.3): it sees the values left there before, not Supervisor's,
 * and what it leaves stays for the next FIQ. Entry masks both IRQ and FIQ.
 * With an FIQ and an IRQ pending when both are unmasked together, the FIQ
 * is taken first (ARM ARM A2.6, exception priorities), then the IRQ.
 */
#include "runtime.h"

#define VIC 0x10140000u
#define IRQSTATUS 0x000
#define FIQSTATUS 0x004
#define RAWINTR 0x008
#define INTSELECT 0x00c
#define INTENABLE 0x010
#define INTENCLEAR 0x014
#define SOFTINT 0x018
#define SOFTINTCLEAR 0x01c

/* Per FIQ: r8-r12 on entry, SPSR, CPSR, LR_fiq. */
volatile uint32_t fiq_rec[4][8];
volatile uint32_t fiq_count;
volatile char order[8];
volatile uint32_t norder;

void irq_c(void)
{
    if (norder < 8) order[norder++] = 'I';
    mmio_write(VIC + SOFTINTCLEAR, 1u << 2);
}

/* fiq_test(svc_out): Supervisor r8-r12 = 0x5c0000XX, FIQ r8-r12 = 0xf10000XX, two FIQs, Supervisor's read back. */
void fiq_test(uint32_t *svc_out);
__asm__(
    "       .syntax unified\n"
    "       .text\n"
    "       .global fiq_handler\n"
    "fiq_handler:\n"
    "       push    {r0-r3}\n"                 /* FIQ's own stack */
    "       ldr     r0, =fiq_count\n"
    "       ldr     r1, [r0]\n"
    "       add     r2, r1, #1\n"
    "       str     r2, [r0]\n"
    "       ldr     r0, =fiq_rec\n"
    "       add     r0, r0, r1, lsl #5\n"
    "       stmia   r0!, {r8-r12}\n"
    "       mrs     r1, spsr\n"
    "       mrs     r2, cpsr\n"
    "       stmia   r0!, {r1, r2, lr}\n"
    "       add     r8, r8, #0x100\n"          /* left for the next FIQ */
    "       add     r9, r9, #0x100\n"
    "       add     r10, r10, #0x100\n"
    "       add     r11, r11, #0x100\n"
    "       add     r12, r12, #0x100\n"
    "       ldr     r0, =order\n"
    "       ldr     r1, =norder\n"
    "       ldr     r2, [r1]\n"
    "       cmp     r2, #8\n"
    "       bhs     1f\n"
    "       mov     r3, #'F'\n"
    "       strb    r3, [r0, r2]\n"
    "       add     r2, r2, #1\n"
    "       str     r2, [r1]\n"
    "1:     ldr     r0, =0x1014001c\n"         /* VICSoftIntClear line 1 */
    "       mov     r1, #2\n"
    "       str     r1, [r0]\n"
    "       pop     {r0-r3}\n"
    "       subs    pc, lr, #4\n"
    "\n"
    "       .global irq_handler\n"
    "irq_handler:\n"
    "       sub     lr, lr, #4\n"
    "       push    {r0-r3, r12, lr}\n"
    "       bl      irq_c\n"
    "       pop     {r0-r3, r12, lr}\n"
    "       movs    pc, lr\n"
    "\n"
    "       .global fiq_test\n"
    "fiq_test:\n"
    "       push    {r4-r11, lr}\n"
    "       msr     cpsr_c, #0xd1\n"
    "       ldr     r8, =0xf1080000\n"
    "       ldr     r9, =0xf1090000\n"
    "       ldr     r10, =0xf10a0000\n"
    "       ldr     r11, =0xf10b0000\n"
    "       ldr     r12, =0xf10c0000\n"
    "       msr     cpsr_c, #0xd3\n"
    "       ldr     r8, =0x5c080000\n"
    "       ldr     r9, =0x5c090000\n"
    "       ldr     r10, =0x5c0a0000\n"
    "       ldr     r11, =0x5c0b0000\n"
    "       ldr     r12, =0x5c0c0000\n"
    "       ldr     r1, =0x10140018\n"         /* VICSoftInt */
    "       ldr     r2, =fiq_count\n"
    "       mov     r4, #2\n"                  /* two FIQs */
    "2:     ldr     r5, [r2]\n"
    "       mov     r3, #2\n"
    "       str     r3, [r1]\n"
    "       msr     cpsr_c, #0x93\n"           /* FIQ unmasked */
    "       mov     r6, #0x10000\n"
    "3:     ldr     r3, [r2]\n"
    "       cmp     r3, r5\n"
    "       bne     4f\n"
    "       subs    r6, r6, #1\n"
    "       bne     3b\n"
    "4:     msr     cpsr_c, #0xd3\n"
    "       subs    r4, r4, #1\n"
    "       bne     2b\n"
    "       stmia   r0, {r8-r12}\n"
    "       pop     {r4-r11, pc}\n"
    "       .ltorg\n");

int main(void)
{
    mmio_write(VIC + INTSELECT, 1u << 1);
    mmio_write(VIC + INTENABLE, (1u << 1) | (1u << 2));
    mmio_write(VIC + SOFTINT, 1u << 1);
    sh_printf("line 1 as FIQ: fiqstatus %08x, irqstatus %08x\n", mmio_read(VIC + FIQSTATUS), mmio_read(VIC + IRQSTATUS));
    mmio_write(VIC + SOFTINTCLEAR, 1u << 1);

    uint32_t svc_regs[5];
    fiq_test(svc_regs);
    for (uint32_t i = 0; i < fiq_count && i < 2; i++)
        sh_printf("fiq %u: r8-r12 %08x %08x %08x %08x %08x, spsr mode %02x, cpsr %02x\n", i, fiq_rec[i][0], fiq_rec[i][1],
                  fiq_rec[i][2], fiq_rec[i][3], fiq_rec[i][4], fiq_rec[i][5] & 0xff, fiq_rec[i][6] & 0xff);
    sh_printf("svc r8-r12 after: %08x %08x %08x %08x %08x\n", svc_regs[0], svc_regs[1], svc_regs[2], svc_regs[3], svc_regs[4]);
    int ok = fiq_count == 2;
    for (uint32_t r = 0; r < 5; r++) {
        ok &= fiq_rec[0][r] == (0xf1080000 + (r << 16)) && fiq_rec[1][r] == (0xf1080100 + (r << 16));
        ok &= svc_regs[r] == 0x5c080000 + (r << 16);
    }
    sh_check("banked r8-r12", ok);
    sh_check("FIQ entry: FIQ mode, IRQ and FIQ masked, from Supervisor",
             fiq_count == 2 && (fiq_rec[0][6] & 0xff) == 0xd1 && (fiq_rec[0][5] & 0xff) == 0x93);

    /* FIQ and IRQ pending together. */
    norder = 0;
    mmio_write(VIC + SOFTINT, (1u << 1) | (1u << 2));
    __asm__ volatile("msr cpsr_c, #0x13" ::: "memory");
    for (int spin = 0; spin < 10000 && norder < 2; spin++) __asm__ volatile("" ::: "memory");
    __asm__ volatile("msr cpsr_c, #0xd3" ::: "memory");
    sh_printf("both pending, taken: %c%c (%u)\n", norder > 0 ? order[0] : '-', norder > 1 ? order[1] : '-', norder);
    sh_check("FIQ before IRQ", norder == 2 && order[0] == 'F' && order[1] == 'I');
    sh_printf("after: rawintr %08x\n", mmio_read(VIC + RAWINTR));
    mmio_write(VIC + INTENCLEAR, 0xffffffff);
    mmio_write(VIC + INTSELECT, 0);
    return sh_failures;
}
