/*
 * What every vexpress-a9 seed program needs: a flat section map (RAM Normal write-back
 * write-allocate as a kernel maps it, the peripherals Device), the L1 invalidate-before-enable
 * and the MMU and caches turned on, the v7 set/way walk (v7_flush_dcache_all's shape: CLIDR up
 * to the level of coherency, CCSIDR per level; ARM ARM B4.2.1, B6.2.1), and the PL310's own
 * maintenance (PL310 TRM 3.3.10: by way, by physical address, cache sync).
 */
#ifndef ARMEMU_A9SEEDS_H
#define ARMEMU_A9SEEDS_H
#include "runtime.h"

#define L1T ((volatile uint32_t *)0x60400000u) /* the translation table, 16 KiB */

#define L2C 0x1e00a000u /* the PL310 */
#define L2_CTRL 0x100
#define L2_SYNC 0x730
#define L2_INV_WAY 0x77c
#define L2_CLEAN_PA 0x7b0
#define L2_CLEAN_WAY 0x7bc

/* Section descriptors (ARM ARM B3.5.1): Normal WBWA (TEX 001, C, B), Normal non-cacheable
   (TEX 001), Device (TEX 000, B), Strongly-ordered; AP 11 (full access), XN clear. */
#define SECT(pa, attrs) (((pa) & 0xfff00000u) | 3u << 10 | (attrs) | 2u)
#define WBWA (1u << 12 | 8u | 4u)
#define NONCACHEABLE (1u << 12)
#define DEVICE (4u | 1u << 4)
#define SO 0u

static inline uint32_t clz(uint32_t x) { uint32_t n; __asm__("clz %0, %1" : "=r"(n) : "r"(x)); return n; }
static inline void dsb(void) { WRITE_CP15(c7, 0, c10, 4, 0); }
static inline void isb(void) { WRITE_CP15(c7, 0, c5, 4, 0); }

/* Clean and invalidate (DCCISW), or only invalidate (DCISW), every line of every data or unified
   cache level below the level of coherency CLIDR reports; returns the levels walked. On the
   Cortex-A9 CLIDR reports the L1 only: the PL310 is not the processor's cache. */
static inline uint32_t v7_dcache_all_by_set_way(int clean)
{
    uint32_t clidr = READ_CP15(c0, 1, c0, 1), loc = (clidr >> 24) & 7, levels = 0;
    for (uint32_t level = 0; level < loc; level++) {
        if (((clidr >> (3 * level)) & 7) < 2) continue; /* no data cache at this level */
        levels++;
        WRITE_CP15(c0, 2, c0, 0, level << 1);
        isb();
        uint32_t ccsidr = READ_CP15(c0, 1, c0, 0);
        uint32_t line_shift = (ccsidr & 7) + 4, ways = ((ccsidr >> 3) & 0x3ff) + 1, sets = ((ccsidr >> 13) & 0x7fff) + 1;
        uint32_t way_shift = ways > 1 ? clz(ways - 1) : 0;
        for (uint32_t way = 0; way < ways; way++)
            for (uint32_t set = 0; set < sets; set++) {
                uint32_t operand = (ways > 1 ? way << way_shift : 0) | set << line_shift | level << 1;
                if (clean) WRITE_CP15(c7, 0, c14, 2, operand);   /* DCCISW */
                else WRITE_CP15(c7, 0, c6, 2, operand);          /* DCISW */
            }
    }
    WRITE_CP15(c0, 2, c0, 0, 0);
    dsb();
    isb();
    return levels;
}

/* A PL310 background operation on all eight ways, then a cache sync (outer_flush_all's shape). */
static inline void l2_way_operation(uint32_t reg)
{
    mmio_write(L2C + reg, 0xff);
    while (mmio_read(L2C + reg) & 0xff) { }
    mmio_write(L2C + L2_SYNC, 0);
    while (mmio_read(L2C + L2_SYNC) & 1) { }
}

/* A PL310 operation by physical address over [start, end), 32-byte lines, then a cache sync
   (outer_clean_range's shape: the PL310 sees physical addresses only). */
static inline void l2_by_pa(uint32_t reg, uint32_t start, uint32_t end)
{
    for (uint32_t pa = start & ~31u; pa < end; pa += 32) mmio_write(L2C + reg, pa);
    mmio_write(L2C + L2_SYNC, 0);
    while (mmio_read(L2C + L2_SYNC) & 1) { }
}

/* The flat map (RAM 0x60000000-0x67ffffff WBWA, the motherboard peripherals and the private
   region Device), the L1 invalidated by set/way and the I-cache and branch predictor by ICIALLU
   and BPIALL, the PL310 invalidated and enabled when with_l2 (else it stays off, as after
   reset), then SCTLR M, C, I, Z. The caller adds its own sections to L1T before this. */
static inline void a9_map_flat(void)
{
    for (int i = 0; i < 4096; i++) L1T[i] = 0;
    for (uint32_t mb = 0x600; mb < 0x680; mb++) L1T[mb] = SECT(mb << 20, WBWA);
    L1T[0x100] = SECT(0x10000000u, DEVICE);
    L1T[0x1e0] = SECT(0x1e000000u, DEVICE);
}

static inline void a9_caches_on(int with_l2)
{
    WRITE_CP15(c3, 0, c0, 0, 0x55555555u);                   /* DACR: every domain client */
    WRITE_CP15(c2, 0, c0, 2, 0);                             /* TTBCR.N 0: TTBR0 only */
    WRITE_CP15(c2, 0, c0, 0, (uint32_t)L1T);
    WRITE_CP15(c8, 0, c7, 0, 0);                             /* TLBIALL */
    v7_dcache_all_by_set_way(0);                             /* invalidate L1 before turning it on */
    WRITE_CP15(c7, 0, c5, 0, 0);                             /* ICIALLU */
    WRITE_CP15(c7, 0, c5, 6, 0);                             /* BPIALL */
    dsb();
    if (with_l2) {
        l2_way_operation(L2_INV_WAY);                        /* its RAMs are not reset: invalidate, then enable */
        mmio_write(L2C + L2_CTRL, 1);
    }
    WRITE_CP15(c1, 0, c0, 0, READ_CP15(c1, 0, c0, 0) | 1u | 1u << 2 | 1u << 11 | 1u << 12);
    isb();
}
#endif
