/*
 * Exceptions taken from Thumb-2 code on the Cortex-A9 and returned from (ARM ARM DDI 0406C
 * B1.8.3, B1.9: the link values). From Thumb state LR_und and LR_svc are the instruction's
 * address + 2 whatever its size (a handler skipping a 32-bit UDF.W adds 2 more), LR_abt is
 * + 4 for a prefetch abort (BKPT) and + 8 for a data abort, LR_irq is the next instruction
 * + 4; SPSR.T is set and an SVC inside an IT block saves the IT state of the instruction after
 * it (TakeSVCException: ITAdvance first), so the block goes on after the return. Each Thumb
 * sequence counts in r0 the instructions that ran after its exception. Then the same with
 * SCTLR.TE = 1: the handlers are Thumb code at a Thumb vector table, entered in Thumb state
 * from Thumb and from ARM code, returning with SUBS PC, LR.
 */
#include "runtime.h"

#define GICC 0x1e000100u
#define GICD 0x1e001000u

volatile uint32_t seen_kind, seen_lr, seen_spsr, seen_cpsr, seen_fsr, seen_far, seen_irq;

/*
 * Called by every handler: what came in (0x1n through the Thumb table), the link value, SPSR
 * and the handler's CPSR (whose T bit MRS reads as zero: B1.3.3, so the kind shows the state).
 */
void record(uint32_t kind, uint32_t lr, uint32_t spsr, uint32_t cpsr)
{
    seen_kind = kind;
    seen_lr = lr;
    seen_spsr = spsr;
    seen_cpsr = cpsr;
    if ((kind & 0xf) == 4) {
        seen_fsr = READ_CP15(c5, 0, c0, 0);
        seen_far = READ_CP15(c6, 0, c0, 0);
    }
    if ((kind & 0xf) == 6) {
        seen_irq = mmio_read(GICC + 0x0c);      /* ICCIAR */
        mmio_write(GICC + 0x10, seen_irq);      /* ICCEOIR */
    }
}

/*
 * ARM handlers (start.S's vectors). The undefined handler resumes after the instruction: at LR
 * for a 16-bit one, LR + 2 for a 32-bit one (first halfword 0b11101/0b11110/0b11111 x).
 */
__asm__(
    "       .syntax unified\n"
    "       .arch   armv7-a\n"
    "       .text\n"
    "       .arm\n"
    "       .macro  arm_entry kind\n"
    "       push    {r0-r3, r12, lr}\n"
    "       mov     r0, #\\kind\n"
    "       mov     r1, lr\n"
    "       mrs     r2, spsr\n"
    "       mrs     r3, cpsr\n"
    "       bl      record\n"
    "       pop     {r0-r3, r12, lr}\n"
    "       .endm\n"
    "       .global undef_handler, svc_handler, pabt_handler, dabt_handler, irq_handler\n"
    "undef_handler:\n"
    "       arm_entry 1\n"
    "       push    {r0}\n"
    "       ldrh    r0, [lr, #-2]\n"
    "       cmp     r0, #0xe800\n"
    "       addhs   lr, lr, #2\n"
    "       pop     {r0}\n"
    "       movs    pc, lr\n"
    "svc_handler:\n"
    "       arm_entry 2\n"
    "       movs    pc, lr\n"
    "pabt_handler:\n"                           /* BKPT: resume after it (LR - 2 in Thumb) */
    "       arm_entry 3\n"
    "       subs    pc, lr, #2\n"
    "dabt_handler:\n"                           /* resume after the faulting load: LR - 8 + its size */
    "       arm_entry 4\n"
    "       push    {r0}\n"
    "       ldrh    r0, [lr, #-8]\n"
    "       cmp     r0, #0xe800\n"
    "       subhs   lr, lr, #4\n"
    "       sublo   lr, lr, #6\n"
    "       pop     {r0}\n"
    "       movs    pc, lr\n"
    "irq_handler:\n"
    "       arm_entry 6\n"
    "       subs    pc, lr, #4\n"
    "\n"
    /* The Thumb sequences: r0 counts what ran after the exception; *_at labels the instruction. */
    "       .thumb\n"
    "       .global t_udf, t_udf_at, t_udfw, t_udfw_at, t_svc_it, t_svc_it_at, t_bkpt, t_bkpt_at\n"
    "       .global t_ldr, t_ldr_at, t_ldrw, t_ldrw_at, t_irq, t_irq_at\n"
    "       .thumb_func\n"
    "t_udf:  movs    r0, #0\n"
    "t_udf_at:\n"
    "       udf     #1\n"
    "       adds    r0, #1\n"
    "       bx      lr\n"
    "       .thumb_func\n"
    "t_udfw: movs   r0, #0\n"
    "t_udfw_at:\n"
    "       udf.w   #2\n"
    "       adds    r0, #1\n"
    "       adds    r0, #1\n"
    "       bx      lr\n"
    "       .thumb_func\n"
    "t_svc_it:\n"
    "       push    {lr}\n"                     /* main runs in SVC mode too: the SVC takes LR_svc */
    "       movs    r0, #0\n"
    "       cmp     r0, #0\n"
    "       itte    eq\n"
    "t_svc_it_at:\n"
    "       svceq   #5\n"
    "       addeq   r0, #1\n"                   /* the rest of the block: runs (eq) */
    "       addne   r0, #8\n"                   /* skipped */
    "       adds    r0, #2\n"
    "       pop     {pc}\n"
    "       .thumb_func\n"
    "t_bkpt: movs   r0, #0\n"
    "t_bkpt_at:\n"
    "       bkpt    #3\n"
    "       adds    r0, #1\n"
    "       bx      lr\n"
    "       .thumb_func\n"                      /* r0 = an unaligned address; SCTLR.A is set */
    "t_ldr:  mov    r1, r0\n"
    "       movs    r0, #0\n"
    "t_ldr_at:\n"
    "       ldr     r2, [r1]\n"
    "       adds    r0, #1\n"
    "       bx      lr\n"
    "       .thumb_func\n"
    "t_ldrw: mov    r1, r0\n"
    "       movs    r0, #0\n"
    "t_ldrw_at:\n"
    "       ldr.w   r2, [r1, #4]\n"
    "       adds    r0, #1\n"
    "       adds    r0, #1\n"
    "       bx      lr\n"
    "       .thumb_func\n"                      /* an SGI is pending: CPSIE lets it in */
    "t_irq:  movs   r0, #0\n"
    "       cpsie   i\n"
    "t_irq_at:\n"
    "       adds.w  r0, r0, #1\n"
    "       cpsid   i\n"
    "       bx      lr\n"
    "\n"
    /* SCTLR.TE: a Thumb vector table (each entry a 32-bit B.W) and Thumb handlers. */
    "       .balign 32\n"
    "       .global te_table\n"
    "te_table:\n"
    "       b.w     .\n"
    "       b.w     te_undef\n"
    "       b.w     te_svc\n"
    "       b.w     .\n"
    "       b.w     .\n"
    "       b.w     .\n"
    "       b.w     te_irq\n"
    "       b.w     .\n"
    "       .macro  thumb_entry kind\n"
    "       push    {r0-r3, r12, lr}\n"
    "       movs    r0, #\\kind\n"
    "       mov     r1, lr\n"
    "       mrs     r2, spsr\n"
    "       mrs     r3, cpsr\n"
    "       adds    r0, #0x10\n"                 /* kinds 0x11.. say: taken through te_table */
    "       bl      record\n"
    "       pop     {r0-r3, r12, lr}\n"
    "       .endm\n"
    "       .thumb_func\n"
    "te_undef:\n"
    "       thumb_entry 1\n"
    "       push    {r0}\n"
    "       mrs     r0, spsr\n"
    "       tst     r0, #0x20\n"
    "       beq     1f\n"                        /* from ARM: LR is the next instruction */
    "       ldrh    r0, [lr, #-2]\n"
    "       cmp     r0, #0xe800\n"
    "       it      hs\n"
    "       addhs   lr, lr, #2\n"
    "1:     pop     {r0}\n"
    "       subs    pc, lr, #0\n"
    "       .thumb_func\n"
    "te_svc:\n"
    "       thumb_entry 2\n"
    "       subs    pc, lr, #0\n"
    "       .thumb_func\n"
    "te_irq:\n"
    "       thumb_entry 6\n"
    "       subs    pc, lr, #4\n"
    "       .arm\n");

extern char t_udf_at[], t_udfw_at[], t_svc_it_at[], t_bkpt_at[], t_ldr_at[], t_ldrw_at[], t_irq_at[], te_table[];
uint32_t t_udf(uint32_t), t_udfw(uint32_t), t_svc_it(uint32_t), t_bkpt(uint32_t), t_ldr(uint32_t), t_ldrw(uint32_t), t_irq(uint32_t);

static uint32_t thumb_address(const char *label) { return (uint32_t)label & ~1u; }

static void isb(void) { WRITE_CP15(c7, 0, c5, 4, 0); }

static void report(const char *what, const char *at, uint32_t resumed)
{
    uint32_t it = ((seen_spsr >> 25) & 3) | ((seen_spsr >> 8) & 0xfc);
    sh_printf("%s: kind %x, lr = at + %d, spsr mode %02x T %u IT %02x, resumed %u\n", what, seen_kind,
              (int)(seen_lr - thumb_address(at)), seen_spsr & 0x1f, (seen_spsr >> 5) & 1, it, resumed);
    seen_kind = 0;
}

static void pend_sgi(uint32_t id) { mmio_write(GICD + 0xf00, (2u << 24) | id); } /* to this CPU only */

static void svc_from_arm(void) { __asm__ volatile("svc #7" ::: "r0", "r1", "r2", "r3", "r12", "lr", "memory"); }

int main(void)
{
    static volatile uint32_t words[4] = {0x11111111u, 0x22222222u, 0x33333333u, 0x44444444u};
    mmio_write(GICD + 0x000, 1);              /* ICDDCR */
    mmio_write(GICC + 0x000, 1);              /* ICCICR */
    mmio_write(GICC + 0x004, 0xf0);           /* ICCPMR */
    mmio_write(GICD + 0x100, 0xffffu);        /* SGIs */

    report("UDF (16-bit)", t_udf_at, t_udf(0));
    report("UDF.W (32-bit)", t_udfw_at, t_udfw(0));
    report("SVC in an IT block", t_svc_it_at, t_svc_it(0));
    report("BKPT", t_bkpt_at, t_bkpt(0));
    sh_printf("BKPT: IFSR %03x\n", READ_CP15(c5, 0, c0, 1));

    WRITE_CP15(c1, 0, c0, 0, READ_CP15(c1, 0, c0, 0) | 1u << 1); /* SCTLR.A */
    isb();
    uint32_t unaligned = (uint32_t)&words[0] + 1;
    report("LDR (16-bit), unaligned", t_ldr_at, t_ldr(unaligned));
    sh_printf("  DFSR %03x DFAR = words + %d\n", seen_fsr, (int)(seen_far - (uint32_t)&words[0]));
    report("LDR.W (32-bit), unaligned", t_ldrw_at, t_ldrw(unaligned));
    sh_printf("  DFSR %03x DFAR = words + %d\n", seen_fsr, (int)(seen_far - (uint32_t)&words[0]));
    WRITE_CP15(c1, 0, c0, 0, READ_CP15(c1, 0, c0, 0) & ~(1u << 1));
    isb();

    pend_sgi(4);
    report("IRQ (SGI 4) after CPSIE", t_irq_at, t_irq(0));
    sh_printf("  IAR %x\n", seen_irq);

    /* SCTLR.TE with VBAR at the Thumb table. */
    uint32_t vbar = READ_CP15(c12, 0, c0, 0);
    WRITE_CP15(c12, 0, c0, 0, (uint32_t)te_table);
    WRITE_CP15(c1, 0, c0, 0, READ_CP15(c1, 0, c0, 0) | 1u << 30);
    isb();
    report("TE: UDF (16-bit)", t_udf_at, t_udf(0));
    report("TE: UDF.W (32-bit)", t_udfw_at, t_udfw(0));
    report("TE: SVC in an IT block", t_svc_it_at, t_svc_it(0));
    pend_sgi(6);
    report("TE: IRQ (SGI 6) after CPSIE", t_irq_at, t_irq(0));
    sh_printf("  IAR %x\n", seen_irq);
    svc_from_arm();
    sh_printf("TE: SVC from ARM: kind %x, spsr T %u\n", seen_kind, (seen_spsr >> 5) & 1);
    WRITE_CP15(c1, 0, c0, 0, READ_CP15(c1, 0, c0, 0) & ~(1u << 30));
    WRITE_CP15(c12, 0, c0, 0, vbar);
    isb();
    return 0;
}
