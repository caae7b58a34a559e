/*
 * The Cortex-A9 PMU counting what armemu's cache model does (ARM ARM C12.8; Cortex-A9 TRM
 * 11.4): six event counters (L1 D access 0x04, L1 D refill 0x03, L1 I refill 0x01,
 * instructions 0x08 and the A9's 0x68, exceptions taken 0x09) and the cycle counter run from
 * before the MMU and the caches are turned on until after they are off again, around a
 * workload: summing and writing a 16 KiB array through write-back cacheable memory, calls, two
 * SVCs. The test (PmuCountTests) compares what this prints with armemu's --stats-json for
 * the same run: L1 lines can only be looked up or filled while the caches are on, so the two
 * must agree exactly. QEMU counts nothing on its cortex-a9, so this program is armemu's alone.
 */
#include "runtime.h"

#define L1_TABLE ((volatile uint32_t *)0x60400000u) /* 16 KiB aligned */

static volatile uint32_t svcs;

__asm__(
    "       .syntax unified\n"
    "       .text\n"
    "       .global svc_handler\n"
    "svc_handler:\n"
    "       push    {r0, r1}\n"
    "       ldr     r0, =svcs\n"
    "       ldr     r1, [r0]\n"
    "       add     r1, r1, #1\n"
    "       str     r1, [r0]\n"
    "       pop     {r0, r1}\n"
    "       movs    pc, lr\n");

static void dsb(void) { WRITE_CP15(c7, 0, c10, 4, 0); }
static void isb(void) { WRITE_CP15(c7, 0, c5, 4, 0); }

static uint32_t data[4096] __attribute__((aligned(32)));

static uint32_t __attribute__((noinline)) checksum(const uint32_t *p, int n)
{
    uint32_t s = 0;
    for (int i = 0; i < n; i++) s += p[i] ^ (uint32_t)i;
    return s;
}

static const uint32_t events[6] = {0x04, 0x03, 0x01, 0x08, 0x68, 0x09};

/* The cache-off sequence: clean+invalidate L1 D by set/way, then SCTLR.C, I, M off, in registers only. */
static void __attribute__((noinline)) caches_off(void)
{
    __asm__ volatile(
        "       mov     r0, #0\n"
        "       mcr     p15, 2, r0, c0, c0, 0\n"     /* CSSELR: L1 D */
        "       mcr     p15, 0, r0, c7, c5, 4\n"
        "       mrc     p15, 1, r1, c0, c0, 0\n"     /* CCSIDR */
        "       lsl     r2, r1, #19\n"
        "       lsr     r2, r2, #22\n"              /* ways - 1: CCSIDR[12:3] */
        "       lsl     r3, r1, #4\n"
        "       lsr     r3, r3, #17\n"              /* sets - 1: CCSIDR[27:13] */
        "1:     mov     r4, r3\n"
        "2:     lsl     r5, r2, #30\n"               /* 4 ways: way in [31:30] */
        "       orr     r5, r5, r4, lsl #5\n"        /* 32-byte lines */
        "       mcr     p15, 0, r5, c7, c14, 2\n"    /* DCCISW */
        "       subs    r4, r4, #1\n"
        "       bge     2b\n"
        "       subs    r2, r2, #1\n"
        "       bge     1b\n"
        "       mcr     p15, 0, r0, c7, c10, 4\n"    /* DSB */
        "       mrc     p15, 0, r1, c1, c0, 0\n"
        "       bic     r1, r1, #0x1000\n"           /* I */
        "       bic     r1, r1, #0x5\n"              /* C, M */
        "       mcr     p15, 0, r1, c1, c0, 0\n"
        "       mcr     p15, 0, r0, c7, c5, 4\n"     /* ISB */
        "       mcr     p15, 0, r0, c7, c5, 0\n"     /* ICIALLU */
        ::: "r0", "r1", "r2", "r3", "r4", "r5", "memory");
}

int main(void)
{
    /* Identity-mapped sections: RAM (0x60000000-0x7fffffff) Normal write-back write-allocate
     * (TEX 001, C 1, B 1), everything else Device (TEX 000, C 0, B 1); full access, domain 0. */
    for (uint32_t i = 0; i < 4096; i++) {
        uint32_t attributes = i >= 0x600 && i < 0x800 ? (1u << 12 | 1u << 3 | 1u << 2) : 1u << 2;
        L1_TABLE[i] = i << 20 | 3u << 10 | attributes | 2u;
    }
    WRITE_CP15(c2, 0, c0, 2, 0);                 /* TTBCR.N = 0 */
    WRITE_CP15(c2, 0, c0, 0, 0x60400000u);       /* TTBR0, walks non-cacheable */
    WRITE_CP15(c3, 0, c0, 0, 1);                 /* DACR: domain 0 client */
    WRITE_CP15(c8, 0, c7, 0, 0);                 /* TLBIALL */
    WRITE_CP15(c7, 0, c5, 0, 0);                 /* ICIALLU */
    dsb();
    isb();

    for (uint32_t i = 0; i < 6; i++) {
        WRITE_CP15(c9, 0, c12, 5, i);
        WRITE_CP15(c9, 0, c13, 1, events[i]);
    }
    WRITE_CP15(c9, 0, c12, 1, 0x8000003fu);      /* PMCNTENSET: all */
    WRITE_CP15(c9, 0, c12, 0, 1 | 2 | 4);        /* PMCR: E, and P and C zero the counters */

    WRITE_CP15(c1, 0, c0, 0, READ_CP15(c1, 0, c0, 0) | 1u << 0 | 1u << 2 | 1u << 12);
    isb();

    for (int i = 0; i < 4096; i++) data[i] = (uint32_t)i * 2654435761u;
    uint32_t sum = checksum(data, 4096);
    __asm__ volatile("svc #1\n svc #2" ::: "memory");
    sum += checksum(data, 4096);

    caches_off();
    WRITE_CP15(c9, 0, c12, 0, 0);                /* PMCR.E clear: everything stops */

    uint32_t counts[6];
    for (uint32_t i = 0; i < 6; i++) {
        WRITE_CP15(c9, 0, c12, 5, i);
        counts[i] = READ_CP15(c9, 0, c13, 2);
    }
    uint32_t cycles = READ_CP15(c9, 0, c13, 0);
    sh_printf("checksum %08x svcs %u\n", sum, svcs);
    sh_printf("l1d-access %u\nl1d-refill %u\nl1i-refill %u\ninstructions %u\ninstructions-a9 %u\nexceptions %u\ncycles %u\n",
              counts[0], counts[1], counts[2], counts[3], counts[4], counts[5], cycles);
    return 0;
}
