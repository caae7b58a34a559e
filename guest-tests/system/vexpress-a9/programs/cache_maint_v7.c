/*
 * The ARMv7 cache-maintenance sequences a kernel runs (ARM ARM B4.2.1; the shape of Linux's
 * arch/arm/mm/cache-v7.S), written here from the architecture: v7_flush_dcache_all walks
 * CLIDR up to the level of coherency and, for every data or unified level, selects it in
 * CSSELR, reads CCSIDR and cleans and invalidates every set and way (DCCISW) with the way in
 * the top bits; the invalidate-before-enable loop (DCISW on L1); the by-MVA operations over a
 * range with the line sizes from CTR; ICIALLU and BPIALL. It prints the geometry it found and
 * how many operations each loop issued, and checks that data written with the D-cache on
 * survives the clean, the invalidate after the clean, and the caches being turned off.
 */
#include "runtime.h"

static uint32_t clz(uint32_t x) { uint32_t n; __asm__("clz %0, %1" : "=r"(n) : "r"(x)); return n; }

static void dsb(void) { WRITE_CP15(c7, 0, c10, 4, 0); }
static void isb(void) { WRITE_CP15(c7, 0, c5, 4, 0); }

/* Clean and invalidate (or only invalidate) every line of every data/unified level below LoC. */
static uint32_t by_set_way(int invalidate_only, int only_l1)
{
    uint32_t ops = 0, clidr = READ_CP15(c0, 1, c0, 1);
    uint32_t loc = (clidr >> 24) & 7;
    if (only_l1) loc = 1;
    for (uint32_t level = 0; level < loc; level++) {
        uint32_t ctype = (clidr >> (3 * level)) & 7;
        if (ctype < 2) continue;                  /* no data cache at this level */
        WRITE_CP15(c0, 2, c0, 0, level << 1);
        isb();
        uint32_t ccsidr = READ_CP15(c0, 1, c0, 0);
        uint32_t line_shift = (ccsidr & 7) + 4;
        uint32_t ways = ((ccsidr >> 3) & 0x3ff) + 1, sets = ((ccsidr >> 13) & 0x7fff) + 1;
        uint32_t way_shift = ways > 1 ? clz(ways - 1) : 0;
        sh_printf("level %u: %u sets, %u ways, %u-byte lines, way shift %u\n", level + 1, sets, ways, 1u << line_shift, way_shift);
        for (int way = (int)ways - 1; way >= 0; way--)
            for (int set = (int)sets - 1; set >= 0; set--) {
                uint32_t operand = (ways > 1 ? (uint32_t)way << way_shift : 0) | (uint32_t)set << line_shift | level << 1;
                if (invalidate_only) WRITE_CP15(c7, 0, c6, 2, operand);  /* DCISW */
                else WRITE_CP15(c7, 0, c14, 2, operand);                 /* DCCISW */
                ops++;
            }
    }
    WRITE_CP15(c0, 2, c0, 0, 0);
    dsb();
    isb();
    return ops;
}

static volatile uint32_t buffer[1024] __attribute__((aligned(64)));

int main(void)
{
    uint32_t ctr = READ_CP15(c0, 0, c0, 1), clidr = READ_CP15(c0, 1, c0, 1);
    uint32_t dline = 4u << ((ctr >> 16) & 0xf), iline = 4u << (ctr & 0xf);
    sh_printf("CTR format %x, DminLine %u, IminLine %u, L1Ip %x\n", ctr >> 29, dline, iline, (ctr >> 14) & 3);
    sh_printf("CLIDR: LoUU %u, LoC %u, LoUIS %u, Ctype1 %u\n", (clidr >> 27) & 7, (clidr >> 24) & 7, (clidr >> 21) & 7, clidr & 7);

    /* Before the caches are on: invalidate L1 by set/way. */
    sh_printf("invalidate L1 (DCISW): %u operations\n", by_set_way(1, 1));
    WRITE_CP15(c7, 0, c5, 0, 0);                  /* ICIALLU */
    WRITE_CP15(c7, 0, c5, 6, 0);                  /* BPIALL */
    dsb();
    isb();

    /* With the caches on (no MMU: data accesses stay Strongly-ordered, fetches may be cached). */
    WRITE_CP15(c1, 0, c0, 0, READ_CP15(c1, 0, c0, 0) | 1u << 2 | 1u << 12 | 1u << 11);
    isb();
    for (int i = 0; i < 1024; i++) buffer[i] = 0x1000u + (uint32_t)i;

    /* By MVA over the buffer: clean to PoC, clean to PoU then invalidate I, clean+invalidate, invalidate. */
    uint32_t start = (uint32_t)buffer, end = start + sizeof buffer, ops = 0;
    for (uint32_t a = start & ~(dline - 1); a < end; a += dline, ops++) WRITE_CP15(c7, 0, c10, 1, a); /* DCCMVAC */
    dsb();
    sh_printf("DCCMVAC over 4 KiB: %u operations\n", ops);
    ops = 0;
    for (uint32_t a = start & ~(dline - 1); a < end; a += dline, ops++) WRITE_CP15(c7, 0, c11, 1, a); /* DCCMVAU */
    dsb();
    for (uint32_t a = start & ~(iline - 1); a < end; a += iline) WRITE_CP15(c7, 0, c5, 1, a);        /* ICIMVAU */
    WRITE_CP15(c7, 0, c5, 6, 0);
    dsb();
    isb();
    sh_printf("DCCMVAU + ICIMVAU over 4 KiB: %u data operations\n", ops);
    ops = 0;
    for (uint32_t a = start & ~(dline - 1); a < end; a += dline, ops++) WRITE_CP15(c7, 0, c14, 1, a); /* DCCIMVAC */
    dsb();
    sh_printf("DCCIMVAC over 4 KiB: %u operations\n", ops);
    ops = 0;
    for (uint32_t a = start & ~(dline - 1); a < end; a += dline, ops++) WRITE_CP15(c7, 0, c6, 1, a);  /* DCIMVAC */
    dsb();
    sh_printf("DCIMVAC after the clean: %u operations\n", ops);
    uint32_t bad = 0;
    for (int i = 0; i < 1024; i++) bad += buffer[i] != 0x1000u + (uint32_t)i;
    sh_check("data survives clean then invalidate", bad == 0);

    /* The whole-cache flush before turning the caches off. */
    for (int i = 0; i < 1024; i++) buffer[i] = 0x2000u + (uint32_t)i;
    sh_printf("v7_flush_dcache_all (DCCISW): %u operations\n", by_set_way(0, 0));
    WRITE_CP15(c1, 0, c0, 0, READ_CP15(c1, 0, c0, 0) & ~(1u << 2 | 1u << 12));
    isb();
    bad = 0;
    for (int i = 0; i < 1024; i++) bad += buffer[i] != 0x2000u + (uint32_t)i;
    sh_check("data survives the flush and the caches going off", bad == 0);
    return sh_failures;
}
