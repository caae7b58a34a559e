/*
 * The Security Extensions on the Cortex-A9 as QEMU 7.2's -M vexpress-a9 has them (the
 * machine's default is secure=on: the core starts in Secure SVC, EL3 present; ARM ARM DDI 0406C
 * B1.5, B3.12). Secure code enters Monitor mode (MSR), where SCR.NS selects which copy of a
 * banked CP15 register MRC/MCR reach: it gives the Non-secure copies of SCTLR, VBAR, TTBR0,
 * TTBCR, DACR, CONTEXTIDR, the TPIDRs, PRRR/NMRR, CSSELR and DFSR/DFAR values of their own and
 * reads both copies back. It returns to Non-secure SVC (MOVS PC, LR from Monitor with SCR.NS
 * set), where the Non-secure copies are the ones in force: its exceptions go through its own
 * VBAR, an alignment fault (its SCTLR.A) sets its DFSR/DFAR, SCR, SDER and MVBAR are UNDEFINED
 * and NSACR is read-only. With SCR.IRQ set, an SGI taken in Non-secure state goes to Monitor
 * mode at MVBAR + 0x18, which returns to the Secure world; there the Secure copies are back in
 * force, untouched. SMC, from Secure and from Non-secure SVC, enters Monitor mode at MVBAR + 8
 * with LR the SMC + 4, and MOVS PC, LR goes back to the world it came from.
 */
#include "runtime.h"

#define GICC 0x1e000100u
#define GICD 0x1e001000u

volatile uint32_t ns_undef_count, ns_dabt_count, ns_dfsr_seen, ns_dfar_seen, ns_vbar_lr;
volatile uint32_t mon_irq_spsr, mon_irq_lr_offset, mon_irq_id, mon_irq_scr;
volatile uint32_t secure_sp;
volatile uint32_t smc_count, smc_lr, smc_spsr, smc_scr;
volatile uint32_t ns_results[16];
volatile uint32_t alignment_probe[2] = {0x11223344u, 0x55667788u};

extern char mon_table[], ns_table[], ns_resume_point[];
extern char smc_here[], smc_ns_here[];
void smc_here_fn(void) __asm__("smc_here");
void smc_ns_here_fn(void) __asm__("smc_ns_here");

void ns_undef_c(void) { ns_undef_count++; }

void ns_dabt_c(void)
{
    ns_dabt_count++;
    ns_dfsr_seen = READ_CP15(c5, 0, c0, 0);
    ns_dfar_seen = READ_CP15(c6, 0, c0, 0);
}

void mon_irq_c(uint32_t lr, uint32_t spsr)
{
    mon_irq_id = mmio_read(GICC + 0x0c);
    mmio_write(GICC + 0x10, mon_irq_id);
    mon_irq_spsr = spsr;
    mon_irq_lr_offset = lr - (uint32_t)ns_resume_point;
    mon_irq_scr = READ_CP15(c1, 0, c1, 0);
}

/*
 * enter_nonsecure(fn): from Secure SVC, saves the callee-saved registers and SP, goes to
 * Monitor mode, sets SCR.NS and SCR.IRQ and returns to Non-secure SVC at fn with IRQs masked.
 * fn ends by letting in a pending SGI; the Monitor IRQ handler clears SCR and resumes here in
 * Secure SVC, which restores SP and the registers and returns.
 */
__asm__(
    "       .syntax unified\n"
    "       .arch   armv7-a\n"
    "       .arch_extension sec\n"
    "       .text\n"
    "       .arm\n"
    "       .global enter_nonsecure\n"
    "enter_nonsecure:\n"
    "       push    {r4-r11, lr}\n"
    "       ldr     r1, =secure_sp\n"
    "       str     sp, [r1]\n"
    "       msr     cpsr_c, #0xd6\n"              /* Monitor mode (Secure PL1 may enter it) */
    "       ldr     sp, =0x60300000\n"
    "       mov     r1, #3\n"                     /* SCR: NS, IRQ */
    "       mcr     p15, 0, r1, c1, c1, 0\n"
    "       isb\n"
    "       mov     lr, r0\n"
    "       mov     r1, #0x193\n"                 /* SVC, IRQ masked, A masked, FIQ open */
    "       msr     spsr_cxsf, r1\n"
    "       movs    pc, lr\n"
    "\n"
    "       .balign 32\n"
    "mon_table:\n"
    "       b       .\n"
    "       b       .\n"
    "       b       mon_smc\n"
    "       b       .\n"
    "       b       .\n"
    "       b       .\n"
    "       b       mon_irq\n"
    "       b       .\n"
    "mon_smc:\n"                                /* record LR, SPSR, SCR; return to the caller's world */
    "       push    {r0, r1}\n"
    "       ldr     r0, =smc_lr\n"
    "       str     lr, [r0]\n"
    "       mrs     r1, spsr\n"
    "       ldr     r0, =smc_spsr\n"
    "       str     r1, [r0]\n"
    "       mrc     p15, 0, r1, c1, c1, 0\n"
    "       ldr     r0, =smc_scr\n"
    "       str     r1, [r0]\n"
    "       ldr     r0, =smc_count\n"
    "       ldr     r1, [r0]\n"
    "       add     r1, r1, #1\n"
    "       str     r1, [r0]\n"
    "       pop     {r0, r1}\n"
    "       movs    pc, lr\n"
    "       .global smc_here, smc_ns_here\n"
    "smc_here:\n"                              /* smc_here(): an SMC from the caller's mode */
    "       smc     #0\n"
    "       bx      lr\n"
    "smc_ns_here:\n"
    "       smc     #0\n"
    "       bx      lr\n"
    "mon_irq:\n"
    "       mov     r0, lr\n"
    "       mrs     r1, spsr\n"
    "       bl      mon_irq_c\n"
    "       mov     r1, #0\n"                     /* SCR: Secure, IRQs to IRQ mode */
    "       mcr     p15, 0, r1, c1, c1, 0\n"
    "       isb\n"
    "       ldr     lr, =secure_resume\n"
    "       mov     r1, #0x1d3\n"                 /* Secure SVC, interrupts masked */
    "       msr     spsr_cxsf, r1\n"
    "       movs    pc, lr\n"
    "secure_resume:\n"
    "       ldr     r1, =secure_sp\n"
    "       ldr     sp, [r1]\n"
    "       pop     {r4-r11, pc}\n"
    "\n"
    /* The Non-secure world's vectors (its VBAR). */
    "       .balign 32\n"
    "ns_table:\n"
    "       b       .\n"
    "       b       ns_undef\n"
    "       b       .\n"
    "       b       .\n"
    "       b       ns_dabt\n"
    "       b       .\n"
    "       b       .\n"
    "       b       .\n"
    "ns_undef:\n"
    "       push    {r0-r3, r12, lr}\n"
    "       bl      ns_undef_c\n"
    "       pop     {r0-r3, r12, lr}\n"
    "       movs    pc, lr\n"
    "ns_dabt:\n"
    "       push    {r0-r3, r12, lr}\n"
    "       bl      ns_dabt_c\n"
    "       pop     {r0-r3, r12, lr}\n"
    "       subs    pc, lr, #4\n"                 /* skip the faulting load */
    "\n"
    /* The end of the Non-secure part: an SGI is pending; opening IRQs takes it to Monitor mode. */
    "       .global ns_finish, ns_resume_point\n"
    "ns_finish:\n"
    "       cpsie   i\n"
    "ns_resume_point:\n"
    "       b       .\n"
    "       .ltorg\n");

void enter_nonsecure(void (*fn)(void));
void ns_finish(void) __attribute__((noreturn));

/* MRC/MCR of an encoding that may be UNDEFINED (the Non-secure handler counts and skips it). */
#define TRY_READ(crn, op1, crm, op2) ({ uint32_t v_ = 0xdeadbeefu; __asm__ volatile("mrc p15, " #op1 ", %0, " #crn ", " #crm ", " #op2 : "+r"(v_)); v_; })

static void ns_main(void)
{
    ns_results[0] = READ_CP15(c13, 0, c0, 4);           /* TPIDRPRW: the Non-secure copy */
    ns_results[1] = READ_CP15(c12, 0, c0, 0);           /* VBAR */
    ns_results[2] = READ_CP15(c3, 0, c0, 0);            /* DACR */
    ns_results[3] = READ_CP15(c13, 0, c0, 1);           /* CONTEXTIDR */
    ns_results[4] = READ_CP15(c1, 0, c0, 0);            /* SCTLR */
    uint32_t before = ns_undef_count;
    ns_results[5] = TRY_READ(c1, 0, c1, 0);             /* SCR: UNDEFINED */
    ns_results[6] = TRY_READ(c12, 0, c0, 1);            /* MVBAR: UNDEFINED */
    ns_results[7] = TRY_READ(c1, 0, c1, 2);             /* NSACR: readable */
    WRITE_CP15(c1, 0, c1, 2, 0x00000c00u);              /* NSACR write: UNDEFINED */
    ns_results[8] = ns_undef_count - before;
    /* CPS #0x16 from Non-secure SVC: Monitor mode is not available there (B1.3.1): ignored. */
    __asm__ volatile(".inst 0xf1020016" ::: "memory");
    ns_results[11] = read_cpsr() & 0x1f;
    WRITE_CP15(c13, 0, c0, 4, 0x0e5e0002u);             /* TPIDRPRW, this world's */
    /* An alignment fault with this world's SCTLR.A: this world's DFSR/DFAR. */
    WRITE_CP15(c1, 0, c0, 0, READ_CP15(c1, 0, c0, 0) | 2);
    __asm__ volatile("isb");
    uint32_t v;
    __asm__ volatile("ldr %0, [%1]" : "=r"(v) : "r"((uint32_t)&alignment_probe[0] + 2) : "memory");
    (void)v;
    WRITE_CP15(c1, 0, c0, 0, READ_CP15(c1, 0, c0, 0) & ~2u);
    __asm__ volatile("isb");
    ns_results[9] = READ_CP15(c5, 0, c0, 0);             /* DFSR */
    smc_ns_here_fn();                                   /* to Monitor mode and back to Non-secure */
    ns_results[10] = READ_CP15(c13, 0, c0, 4);
    mmio_write(GICD + 0xf00, (2u << 24) | 1);           /* SGI 1 to this CPU */
    ns_finish();
}

/* Monitor mode and back on the same stack (SP is banked: the Monitor's starts where SVC's is). */
#define TO_MONITOR() __asm__ volatile("mov r0, sp\n msr cpsr_c, #0xd6\n mov sp, r0" ::: "r0", "memory")
#define TO_SVC() __asm__ volatile("mov r0, sp\n msr cpsr_c, #0xd3\n mov sp, r0" ::: "r0", "memory")

static void show_both(const char *what, uint32_t secure, uint32_t nonsecure)
{
    sh_printf("%s: Secure %08x Non-secure %08x\n", what, secure, nonsecure);
}

/* In Monitor mode: read a register with SCR.NS clear and set. */
#define BOTH(name, crn, op1, crm, op2) do { \
        WRITE_CP15(c1, 0, c1, 0, 0); __asm__ volatile("isb"); uint32_t s_ = READ_CP15(crn, op1, crm, op2); \
        WRITE_CP15(c1, 0, c1, 0, 1); __asm__ volatile("isb"); uint32_t n_ = READ_CP15(crn, op1, crm, op2); \
        WRITE_CP15(c1, 0, c1, 0, 0); __asm__ volatile("isb"); show_both(name, s_, n_); } while (0)

int main(void)
{
    sh_printf("start: CPSR mode %02x, SCR %08x, NSACR %08x, MVBAR %08x, ID_PFR1 %08x\n", read_cpsr() & 0x1f,
              READ_CP15(c1, 0, c1, 0), READ_CP15(c1, 0, c1, 2), READ_CP15(c12, 0, c0, 1), READ_CP15(c0, 0, c1, 1));
    /* The Secure copies. */
    WRITE_CP15(c13, 0, c0, 4, 0x5ec00001u);
    WRITE_CP15(c13, 0, c0, 3, 0x5ec00003u);
    WRITE_CP15(c13, 0, c0, 2, 0x5ec00002u);
    WRITE_CP15(c13, 0, c0, 1, 0x00000051u);
    WRITE_CP15(c3, 0, c0, 0, 0x55555555u);
    WRITE_CP15(c2, 0, c0, 0, 0x60400000u);
    WRITE_CP15(c10, 0, c2, 0, 0x000a81a4u);
    WRITE_CP15(c5, 0, c0, 0, 0x00000005u);
    WRITE_CP15(c12, 0, c0, 1, (uint32_t)mon_table);
    WRITE_CP15(c1, 0, c1, 0, 0x40);                     /* SCR.nET: stored */
    sh_printf("SCR write-read %08x, MVBAR = mon_table %u\n", READ_CP15(c1, 0, c1, 0), READ_CP15(c12, 0, c0, 1) == (uint32_t)mon_table);
    WRITE_CP15(c1, 0, c1, 0, 0);

    /* SMC from Secure SVC: Monitor mode at MVBAR + 8, LR = the SMC + 4. */
    smc_here_fn();
    sh_printf("SMC from Secure SVC: %u taken, LR = smc + %u, SPSR mode %02x, SCR %08x\n", smc_count,
              smc_lr - (uint32_t)smc_here, smc_spsr & 0x1f, smc_scr);

    /* CPS #0x16 from Secure SVC enters Monitor mode (ARM ARM B1.3.1, B9.3.2); CPS #0x13 returns.
       Encoded with .inst: the programs are assembled for ARMv5TE. */
    uint32_t cps_mode;
    __asm__ volatile("mov r0, sp\n .inst 0xf1020016\n mov sp, r0\n mrs %0, cpsr\n mov r0, sp\n .inst 0xf1020013\n mov sp, r0"
                     : "=&r"(cps_mode) :: "r0", "memory");
    sh_printf("CPS #0x16 from Secure SVC: CPSR mode %02x; CPS #0x13: mode %02x\n", cps_mode & 0x1f, read_cpsr() & 0x1f);

    /* Monitor mode: SCR.NS selects the Non-secure copies for MRC/MCR. */
    TO_MONITOR();
    sh_printf("Monitor: CPSR mode %02x\n", read_cpsr() & 0x1f);
    WRITE_CP15(c1, 0, c1, 0, 1);
    __asm__ volatile("isb");
    WRITE_CP15(c12, 0, c0, 0, (uint32_t)ns_table);
    WRITE_CP15(c13, 0, c0, 4, 0x0e5e0001u);
    WRITE_CP15(c13, 0, c0, 1, 0x00000042u);
    WRITE_CP15(c3, 0, c0, 0, 0xffffffffu);
    WRITE_CP15(c2, 0, c0, 0, 0x60500000u);
    WRITE_CP15(c2, 0, c0, 2, 0x00000002u);
    WRITE_CP15(c10, 0, c2, 1, 0x40e040e0u);
    WRITE_CP15(c0, 2, c0, 0, 1u);
    WRITE_CP15(c1, 0, c0, 0, READ_CP15(c1, 0, c0, 0) | 1u << 11);
    WRITE_CP15(c1, 0, c1, 0, 0);
    __asm__ volatile("isb");
    BOTH("SCTLR", c1, 0, c0, 0);
    BOTH("TTBR0", c2, 0, c0, 0);
    BOTH("TTBCR", c2, 0, c0, 2);
    BOTH("DACR", c3, 0, c0, 0);
    BOTH("DFSR", c5, 0, c0, 0);
    BOTH("PRRR", c10, 0, c2, 0);
    BOTH("NMRR", c10, 0, c2, 1);
    BOTH("CONTEXTIDR", c13, 0, c0, 1);
    BOTH("TPIDRURW", c13, 0, c0, 2);
    BOTH("TPIDRURO", c13, 0, c0, 3);
    BOTH("TPIDRPRW", c13, 0, c0, 4);
    BOTH("CSSELR", c0, 2, c0, 0);
    BOTH("CCSIDR", c0, 1, c0, 0);
    BOTH("MIDR", c0, 0, c0, 0);
    WRITE_CP15(c1, 0, c1, 0, 1);
    __asm__ volatile("isb");
    sh_printf("VBAR: Non-secure = ns_table %u\n", READ_CP15(c12, 0, c0, 0) == (uint32_t)ns_table);
    WRITE_CP15(c1, 0, c1, 0, 0);
    __asm__ volatile("isb");
    TO_SVC();

    /* To the Non-secure world and back through the Monitor's IRQ vector. */
    mmio_write(GICD + 0x000, 1);
    mmio_write(GICC + 0x000, 1);
    mmio_write(GICC + 0x004, 0xf0);
    mmio_write(GICD + 0x100, 0xffffu);
    enter_nonsecure(ns_main);
    sh_printf("back in Secure SVC: CPSR mode %02x, SCR %08x\n", read_cpsr() & 0x1f, READ_CP15(c1, 0, c1, 0));
    sh_printf("Monitor IRQ: ID %u, SPSR mode %02x, LR = resume point + %u, SCR then %08x\n", mon_irq_id & 0x3ff,
              mon_irq_spsr & 0x1f, mon_irq_lr_offset, mon_irq_scr);
    sh_printf("Non-secure saw: TPIDRPRW %08x, VBAR = ns_table %u, DACR %08x, CONTEXTIDR %08x, SCTLR %08x\n",
              ns_results[0], ns_results[1] == (uint32_t)ns_table, ns_results[2], ns_results[3], ns_results[4]);
    sh_printf("Non-secure: SCR %08x, MVBAR %08x, NSACR %08x, %u undefined\n", ns_results[5], ns_results[6], ns_results[7],
              ns_results[8]);
    sh_printf("Non-secure CPS #0x16: CPSR mode %02x\n", ns_results[11]);
    sh_printf("SMC from Non-secure SVC: %u taken, LR = smc + %u, SPSR mode %02x, SCR %08x, TPIDRPRW after %08x\n",
              smc_count, smc_lr - (uint32_t)smc_ns_here, smc_spsr & 0x1f, smc_scr, ns_results[10]);
    sh_printf("Non-secure alignment fault: %u data abort(s), DFSR %03x, DFAR = probe + %u, DFSR read after %03x\n",
              ns_dabt_count, ns_dfsr_seen, ns_dfar_seen - (uint32_t)&alignment_probe[0], ns_results[9]);
    sh_printf("Secure again: TPIDRPRW %08x, DFSR %03x, DACR %08x, VBAR is the image's %u\n", READ_CP15(c13, 0, c0, 4),
              READ_CP15(c5, 0, c0, 0), READ_CP15(c3, 0, c0, 0), READ_CP15(c12, 0, c0, 0) == 0x60010000u);
    TO_MONITOR();
    WRITE_CP15(c1, 0, c1, 0, 1);
    __asm__ volatile("isb");
    sh_printf("Non-secure TPIDRPRW as it left it %08x, DFAR = probe + %u\n", READ_CP15(c13, 0, c0, 4),
              READ_CP15(c6, 0, c0, 0) - (uint32_t)&alignment_probe[0]);
    WRITE_CP15(c1, 0, c1, 0, 0);
    __asm__ volatile("isb");
    TO_SVC();
    return 0;
}
