/*
 * The Cortex-A9's performance monitors as registers (ARM ARM DDI 0406C C12.8, PMUv1; Cortex-A9
 * TRM DDI 0388 chapter 11): PMCR at reset (N = 6 event counters), the enable, interrupt-enable
 * and overflow registers' implemented bits, PMSELR selecting PMXEVTYPER/PMXEVCNTR (a counter
 * that does not exist reads zero), counters that hold what is written while they are stopped,
 * PMCR.P and PMCR.C resetting them, PMOVSR's write-one-to-clear, and PMUSERENR.EN letting User
 * mode in (an access from User mode is UNDEFINED while it is clear). Counting itself is not
 * compared: QEMU 7.2's cortex-a9 counts nothing (the board tests check armemu's counts against
 * its cache model). Values are printed under the bits PMUv1 defines, where QEMU keeps ARMv8 ones
 * (PMCR.LC/LP, PMXEVTYPER's filters).
 */
#include "runtime.h"
#include "usermode.h"

static volatile uint32_t undef_count;

void undef_c(void) { undef_count++; }

/* LR_und = the undefined ARM instruction + 4: return to the next one. */
__asm__(
    "       .syntax unified\n"
    "       .text\n"
    "       .global undef_handler\n"
    "undef_handler:\n"
    "       push    {r0-r3, r12, lr}\n"
    "       bl      undef_c\n"
    "       pop     {r0-r3, r12, lr}\n"
    "       movs    pc, lr\n");

#define PMCR_MASK 0xffffff3fu /* [10:6] are reserved in PMUv1 */

static void select_counter(uint32_t n) { WRITE_CP15(c9, 0, c12, 5, n); }

/* Reads PMXEVCNTR from User mode; 0xdeadbeef if the MRC was UNDEFINED. */
static uint32_t user_read_counter(uint32_t unused)
{
    (void)unused;
    uint32_t v = 0xdeadbeefu;
    __asm__ volatile("mrc p15, 0, %0, c9, c13, 2" : "+r"(v));
    return v;
}

static uint32_t user_read_pmuserenr(uint32_t unused)
{
    (void)unused;
    uint32_t v = 0xdeadbeefu;
    __asm__ volatile("mrc p15, 0, %0, c9, c14, 0" : "+r"(v));
    return v;
}

int main(void)
{
    sh_printf("reset: PMCR %08x PMCNTENSET %08x PMOVSR %08x PMINTENSET %08x PMUSERENR %08x PMSELR %08x\n",
              READ_CP15(c9, 0, c12, 0) & PMCR_MASK, READ_CP15(c9, 0, c12, 1), READ_CP15(c9, 0, c12, 3),
              READ_CP15(c9, 0, c14, 1), READ_CP15(c9, 0, c14, 0), READ_CP15(c9, 0, c12, 5));

    /* The implemented bits: C (31) and the six event counters. */
    WRITE_CP15(c9, 0, c12, 1, 0xffffffffu);
    sh_printf("PMCNTENSET all ones -> %08x\n", READ_CP15(c9, 0, c12, 1));
    WRITE_CP15(c9, 0, c12, 2, 0x80000005u);
    sh_printf("PMCNTENCLR C,0,2 -> %08x\n", READ_CP15(c9, 0, c12, 1));
    WRITE_CP15(c9, 0, c12, 2, 0xffffffffu);
    WRITE_CP15(c9, 0, c14, 1, 0xffffffffu);
    sh_printf("PMINTENSET all ones -> %08x\n", READ_CP15(c9, 0, c14, 1));
    WRITE_CP15(c9, 0, c14, 2, 0x0000000fu);
    sh_printf("PMINTENCLR 0-3 -> %08x\n", READ_CP15(c9, 0, c14, 1));
    WRITE_CP15(c9, 0, c14, 2, 0xffffffffu);
    WRITE_CP15(c9, 0, c12, 5, 0xffffffffu);
    sh_printf("PMSELR all ones -> %08x\n", READ_CP15(c9, 0, c12, 5));

    /* Each counter holds its event number and its count while PMCR.E is clear. */
    static const uint32_t events[6] = {0x08, 0x11, 0x03, 0x04, 0x01, 0x09};
    for (uint32_t i = 0; i < 6; i++) {
        select_counter(i);
        WRITE_CP15(c9, 0, c13, 1, events[i]);
        WRITE_CP15(c9, 0, c13, 2, 0x10000000u * (i + 1) + i);
    }
    WRITE_CP15(c9, 0, c12, 1, 0x8000003fu); /* enabled, but PMCR.E is clear */
    WRITE_CP15(c9, 0, c13, 0, 0x12345678u);
    for (uint32_t i = 0; i < 6; i++) {
        select_counter(i);
        sh_printf("counter %u: PMSELR %u event %02x count %08x\n", i, READ_CP15(c9, 0, c12, 5),
                  READ_CP15(c9, 0, c13, 1) & 0xff, READ_CP15(c9, 0, c13, 2));
    }
    select_counter(6);
    WRITE_CP15(c9, 0, c13, 1, 0x11);
    WRITE_CP15(c9, 0, c13, 2, 0x55);
    sh_printf("counter 6 (none): event %02x count %08x\n", READ_CP15(c9, 0, c13, 1) & 0xff, READ_CP15(c9, 0, c13, 2));
    sh_printf("PMCCNTR %08x\n", READ_CP15(c9, 0, c13, 0));

    /* PMCR.P zeroes the event counters, PMCR.C the cycle counter; both read as zero, E stays clear. */
    WRITE_CP15(c9, 0, c12, 0, 2);
    select_counter(3);
    sh_printf("after PMCR.P: counter 3 %08x PMCCNTR %08x PMCR %08x\n", READ_CP15(c9, 0, c13, 2), READ_CP15(c9, 0, c13, 0),
              READ_CP15(c9, 0, c12, 0) & PMCR_MASK);
    WRITE_CP15(c9, 0, c12, 0, 4);
    sh_printf("after PMCR.C: PMCCNTR %08x\n", READ_CP15(c9, 0, c13, 0));
    WRITE_CP15(c9, 0, c12, 0, 0x38); /* D, X, DP */
    sh_printf("PMCR D,X,DP -> %08x\n", READ_CP15(c9, 0, c12, 0) & PMCR_MASK);
    WRITE_CP15(c9, 0, c12, 0, 0);

    /* PMOVSR: nothing has overflowed; writing ones clears (and sets nothing). */
    WRITE_CP15(c9, 0, c12, 3, 0xffffffffu);
    sh_printf("PMOVSR %08x\n", READ_CP15(c9, 0, c12, 3));
    /* PMSWINC with PMCR.E clear counts nothing. */
    select_counter(0);
    WRITE_CP15(c9, 0, c13, 1, 0x00);
    WRITE_CP15(c9, 0, c13, 2, 7);
    WRITE_CP15(c9, 0, c12, 4, 1);
    sh_printf("PMSWINC, PMCR.E clear: counter 0 %08x\n", READ_CP15(c9, 0, c13, 2));
    WRITE_CP15(c9, 0, c12, 2, 0xffffffffu);

    /* User mode: PMU registers UNDEFINED until PMUSERENR.EN; PMUSERENR itself is readable. */
    uint32_t before = undef_count;
    uint32_t v = run_user(user_read_counter, 0);
    sh_printf("User read PMXEVCNTR, EN clear: %08x, undefined %u\n", v, undef_count - before);
    v = run_user(user_read_pmuserenr, 0);
    sh_printf("User read PMUSERENR: %08x, undefined %u\n", v, undef_count - before);
    WRITE_CP15(c9, 0, c14, 0, 0xffffffffu);
    sh_printf("PMUSERENR all ones -> %08x\n", READ_CP15(c9, 0, c14, 0));
    v = run_user(user_read_counter, 0);
    sh_printf("User read PMXEVCNTR, EN set: %08x, undefined %u\n", v, undef_count - before);
    WRITE_CP15(c9, 0, c14, 0, 0);
    return 0;
}
