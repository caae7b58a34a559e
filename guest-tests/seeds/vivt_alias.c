/*
 * Seed 003 (Russell King on VIVT aliases): the ARM926's caches are virtually
 * indexed and virtually tagged, so one physical page mapped at two virtual
 * addresses can sit in the D-cache twice, and a write through one alias is not
 * seen through the other. Linux's answer for kernel/user aliases is
 * flush_dcache_page(): write back the alias that was written, drop the others.
 *
 * One physical page P (0x00500000) is mapped write-back at
 *   A = 0x00600000 (small page: "the kernel mapping"),
 *   B = 0x00601000 (small page: a user mapping; same cache set as A, other tag),
 *   C = 0x00602400 (1 KiB tiny page over P's first KiB: a user mapping whose
 *       words fall in other cache sets than A's: bits [11:10] differ),
 * and P itself is readable uncached (its identity section is C=0 B=0): that is
 * what RAM holds, what a DMA engine would see. For each pair (A,B) and (A,C):
 * both aliases read the word (both lines cached), a new value is written
 * through A, the word is read through every view; then A's line is cleaned by
 * MVA (c7,c10,1) and the write buffer drained (dma_clean_range), the other
 * alias's line invalidated by MVA (c7,c6,1, dma_inv_range), and everything
 * read again. All reads are made before anything is printed, so the printing
 * cannot disturb the cache in between.
 */
#include "seeds.h"

#define P 0x00500000u
#define A 0x00600000u
#define B 0x00601000u
#define C 0x00602400u
#define OLD 0x01d01d01u

/* A fine second-level table for the MiB at 0x00600000: 1024 entries of 1 KiB (ARM ARM B4, fine page tables). */
static uint32_t fine[1024] __attribute__((aligned(4096)));

struct views { uint32_t written, other, memory; };
struct outcome { uint32_t value; struct views before, after; };

static uint32_t rd(uint32_t a) { return *(volatile uint32_t *)a; }
static void wr(uint32_t a, uint32_t v) { *(volatile uint32_t *)a = v; }

/* wa and oa: the word through the writing alias and through the other one; pa: the same word uncached. */
static struct outcome pair(uint32_t wa, uint32_t oa, uint32_t pa, uint32_t value)
{
    struct outcome o = { value, { 0, 0, 0 }, { 0, 0, 0 } };
    (void)rd(wa);
    (void)rd(oa);
    wr(wa, value);
    o.before.other = rd(oa);
    o.before.written = rd(wa);
    o.before.memory = rd(pa);
    /* flush_dcache_page, per line: write back the writer's alias, drop the stale one. */
    arm926_dma_clean_range((const void *)wa, (const void *)(wa + 4));
    arm926_dma_inv_range((const void *)(oa & ~31u), (const void *)((oa & ~31u) + 32));
    o.after.other = rd(oa);
    o.after.written = rd(wa);
    o.after.memory = rd(pa);
    return o;
}

static void report(const char *names, uint32_t wa, uint32_t oa, uint32_t pa, struct outcome o)
{
    sh_printf("%s: A %08x (set %u), other alias %08x (set %u), memory %08x\n", names, wa, (wa >> 5) & 127, oa,
              (oa >> 5) & 127, pa);
    sh_printf("  wrote %08x through A: A reads %08x, other alias reads %08x, memory holds %08x: %s\n", o.value,
              o.before.written, o.before.other, o.before.memory,
              o.before.other == o.value && o.before.memory == o.value ? "coherent" : "DIVERGED (VIVT alias)");
    sh_printf("  after clean A (c7,c10,1 + drain) and invalidate other (c7,c6,1): A %08x, other %08x, memory %08x: %s\n",
              o.after.written, o.after.other, o.after.memory,
              o.after.written == o.value && o.after.other == o.value && o.after.memory == o.value ? "converged" : "STILL DIVERGED");
}

int main(void)
{
    for (uint32_t i = 0; i < 1024; i += 4) wr(P + i, OLD); /* caches off: straight to RAM */

    seeds_flat_map();
    mmu_l1[P >> 20] = L1_SECTION(P, AP_FULL, 0) | SECT_NCNB;
    for (int i = 0; i < 1024; i++) fine[i] = 0;
    /* A small page in a fine table takes four entries, one per KiB (ARM ARM B4). */
    for (int k = 0; k < 4; k++) {
        fine[((A & 0xfffff) >> 10) + k] = L2_SMALL(P, AP_FULL) | SECT_WB;
        fine[((B & 0xfffff) >> 10) + k] = L2_SMALL(P, AP_FULL) | SECT_WB;
    }
    fine[(C & 0xfffff) >> 10] = L2_TINY(P, AP_FULL) | SECT_WB;
    mmu_l1[A >> 20] = L1_FINE((uint32_t)fine, 0);
    caches_on();
    /* Round-robin replacement, as Linux's CONFIG_CPU_CACHE_ROUND_ROBIN sets it (arm926_crval |= 0x4000): two
       consecutive fills go to different ways, so both aliases of the same-set pair stay cached. */
    sctlr_write(sctlr_read() | (1u << 14));

    struct outcome ab = pair(A + 0x40, B + 0x40, P + 0x40, 0xa11a5b0b);
    struct outcome ac = pair(A + 0x80, C + 0x80, P + 0x80, 0xa11a5c0c);
    report("A and B, same set, different tags", A + 0x40, B + 0x40, P + 0x40, ab);
    report("A and C, different sets", A + 0x80, C + 0x80, P + 0x80, ac);
    return 0;
}
