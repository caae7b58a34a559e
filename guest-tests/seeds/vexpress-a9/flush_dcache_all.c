/*
 * Seed 001 (flush_cache_all before a device reads memory) in its ARMv7 form. On the ARM926,
 * flush_cache_all is arm926_flush_kern_cache_all; on a Cortex-A9 kernel it is
 * v7_flush_kern_cache_all, v7_flush_dcache_all's walk over CLIDR and CCSIDR cleaning and
 * invalidating every set and way (DCCISW) up to the level of coherency. CLIDR on the A9 names
 * the L1 only: the PL310 is an outer cache the processor does not know, so the loop pushes the
 * dirty lines into the PL310 and RAM -- what a DMA master or the LCD reads -- still holds the old
 * data until the driver also cleans the PL310 through its own registers (outer_flush_all).
 *
 * A 4 KiB buffer in write-back write-allocate memory held OLD in RAM (stored with the MMU off);
 * the program reads it (the lines are now cached), writes NEW into every word, runs the
 * maintenance of its variant, then reads the buffer through its cacheable mapping (what the
 * CPU sees) and through a Strongly-ordered alias (what RAM holds: what a bus master reads):
 *   flush_dcache_all.inv    the invalidate-only walk (DCISW, v7_invalidate_l1: right at boot,
 *                           wrong with dirty lines): the new data is lost, the CPU reads OLD
 *   flush_dcache_all.l1     v7_flush_dcache_all (DCCISW): the CPU reads NEW, RAM holds OLD --
 *                           the lines are dirty in the PL310
 *   flush_dcache_all.l1l2   v7_flush_dcache_all, then the PL310 cleaned by way and synced: RAM NEW
 *   flush_dcache_all.nol2   v7_flush_dcache_all with the PL310 left off: RAM NEW
 * Code, data and stack (0x60000000-0x602fffff) are mapped Normal non-cacheable, so the
 * invalidate-only walk loses the buffer's lines only.
 */
#include "a9seeds.h"

#if !defined(VARIANT_INV) && !defined(VARIANT_L1) && !defined(VARIANT_L1L2) && !defined(VARIANT_NOL2)
#error "build flush_dcache_all.inv, .l1, .l1l2 or .nol2"
#endif

#define BUF 0x60800000u
#define BUF_RAM 0x90800000u /* a Strongly-ordered alias of the buffer's MiB */
#define WORDS 1024u
#define OLD(i) (0x01d00000u + (i))
#define NEW(i) (0x600d0000u + (i))

int main(void)
{
    volatile uint32_t *buf = (volatile uint32_t *)BUF, *ram = (volatile uint32_t *)BUF_RAM;
    for (uint32_t i = 0; i < WORDS; i++) buf[i] = OLD(i);

    a9_map_flat();
    for (uint32_t mb = 0x600; mb < 0x603; mb++) L1T[mb] = SECT(mb << 20, NONCACHEABLE);
    L1T[BUF_RAM >> 20] = SECT(BUF, SO);
#ifdef VARIANT_NOL2
    a9_caches_on(0);
#else
    a9_caches_on(1);
#endif
    uint32_t clidr = READ_CP15(c0, 1, c0, 1);
    sh_printf("MMU and L1 caches on, PL310 %s; CLIDR %08x: level of coherency %u\n",
              mmio_read(L2C + L2_CTRL) & 1 ? "on" : "off", clidr, (clidr >> 24) & 7);

    uint32_t sum = 0;
    for (uint32_t i = 0; i < WORDS; i++) sum += buf[i]; /* every line of the buffer is now cached */
    for (uint32_t i = 0; i < WORDS; i++) buf[i] = NEW(i);
#ifdef VARIANT_INV
    uint32_t levels = v7_dcache_all_by_set_way(0);
    sh_printf("invalidate-only walk (DCISW, v7_invalidate_l1) over %u level(s)\n", levels);
#else
    uint32_t levels = v7_dcache_all_by_set_way(1);
    sh_printf("v7_flush_dcache_all (DCCISW) over %u level(s)\n", levels);
#endif
#ifdef VARIANT_L1L2
    l2_way_operation(L2_CLEAN_WAY);
    sh_printf("PL310 cleaned by way, cache sync (outer_flush_all)\n");
#endif

    uint32_t cpu_new = 0, cpu_old = 0, ram_new = 0, ram_old = 0;
    for (uint32_t i = 0; i < WORDS; i++) {
        uint32_t c = buf[i], r = ram[i];
        cpu_new += c == NEW(i);
        cpu_old += c == OLD(i);
        ram_new += r == NEW(i);
        ram_old += r == OLD(i);
    }
    sh_printf("read before writing: sum %08x\n", sum);
    sh_printf("the CPU reads: %u of %u words new, %u old%s\n", cpu_new, WORDS, cpu_old,
              cpu_old ? ": the dirty lines were thrown away" : "");
    sh_printf("RAM (a bus master) holds: %u of %u words new, %u old%s\n", ram_new, WORDS, ram_old,
              ram_old && cpu_new == WORDS ? ": the lines are still dirty in an outer cache" : "");
    return 0;
}
