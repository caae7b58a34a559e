/* The VMSAv7 TLB session (tlb_v7.gdb, vexpress-a9): the MMU on with identity-mapped RAM
 * (global sections), then, under ASID 5, an nG section (domain 3, AP 010, TEX 001 C B,
 * execute-never), an nG small page (domain 2 from its table, TEX 000 C, shareable) and a
 * supersection; each is read once, so the TLB holds them when gdb stops in checkpoint()
 * and asks `monitor tlb`. The expected entries are worked out from these descriptors by hand
 * in GdbTranscriptTests. */
#include "runtime.h"

#define L1 ((volatile uint32_t *)0x60400000u)
#define L2 ((volatile uint32_t *)0x60404000u)
#define PAGE_A 0x60500000u

static uint32_t sect(uint32_t pa, uint32_t ap, uint32_t dom, uint32_t flags)
{
    return (pa & 0xfff00000u) | ((ap >> 2) & 1) << 15 | (ap & 3) << 10 | dom << 5 | flags | 2;
}

static uint32_t rd(uint32_t a) { return *(volatile uint32_t *)a; }

void __attribute__((noinline)) checkpoint(uint32_t sum) { __asm__ volatile("" ::"r"(sum) : "memory"); }

int main(void)
{
    for (int i = 0; i < 4096; i++) L1[i] = 0;
    for (int i = 0; i < 256; i++) L2[i] = 0;
    for (uint32_t mb = 0x600; mb < 0x680; mb++) L1[mb] = sect(mb << 20, 3, 0, 0); /* RAM, identity, global */
    /* 0x70000000: section -> PAGE_A, nG (bit 17), AP 010 (AP[1:0] 10), domain 3, TEX 001 (bits 14:12), C (3), B (2), XN (4). */
    L1[0x700] = sect(PAGE_A, 2, 3, 1u << 17 | 1u << 12 | 1u << 3 | 1u << 2 | 1u << 4);
    /* 0x70100000: a coarse table in domain 2; its page 1 -> PAGE_A + 0x1000, nG (11), S (10), AP 011, TEX 000, C. */
    L1[0x701] = ((uint32_t)L2 & 0xfffffc00u) | 2u << 5 | 1;
    L2[1] = (PAGE_A + 0x1000) | 1u << 11 | 1u << 10 | 3u << 4 | 1u << 3 | 2;
    /* 0x72000000: a supersection (bit 18) -> 0x60000000, global, AP 011. */
    for (int i = 0; i < 16; i++) L1[0x720 + i] = sect(0x60000000u, 3, 0, 1u << 18);
    *(volatile uint32_t *)PAGE_A = 0x5a5a0000u;

    WRITE_CP15(c3, 0, c0, 0, 0x55555555u);   /* every domain client */
    WRITE_CP15(c2, 0, c0, 2, 0);             /* TTBCR: TTBR0 only */
    WRITE_CP15(c2, 0, c0, 0, (uint32_t)L1);
    WRITE_CP15(c13, 0, c0, 1, 5);            /* CONTEXTIDR: ASID 5 */
    WRITE_CP15(c8, 0, c7, 0, 0);             /* TLBIALL */
    WRITE_CP15(c1, 0, c0, 0, READ_CP15(c1, 0, c0, 0) | 1);
    WRITE_CP15(c7, 0, c5, 4, 0);             /* ISB (the CP15 form: the C code is ARMv5TE, as the board's programs) */

    uint32_t sum = rd(0x70000000u) + rd(0x70101000u) + rd(0x72500000u);
    checkpoint(sum);
    sh_printf("sum %08x\n", sum);
    return 0;
}
