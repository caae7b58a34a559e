/*
 * Seed 001, the CONFIG_CPU_DCACHE_WRITETHROUGH branch of
 * arm926_flush_kern_cache_all: that build only invalidates the D-cache
 * (mcr p15,0,ip,c7,c6,0), which is right when every page is write-through (RAM
 * already holds every store) and loses data when a page is write-back: a
 * dirty line is thrown away and the next read refills the old value from RAM --
 * the seed's "worst case". A word is read (so its line is in the D-cache), a
 * new value written, the routine run, the word read again:
 *   1. write-through page (C=1 B=0) + invalidate-only form: kept;
 *   2. write-back page (C=1 B=1) + invalidate-only form: lost on a cached ARM926
 *      (ArmEmu), kept where no cache exists (QEMU, armemu --no-cache);
 *   3. write-back page + the write-back form (test, clean and invalidate): kept.
 * The program itself (code, data, stacks: the first MiB) is mapped
 * write-through, as that kernel configuration maps its memory: invalidating a
 * write-back stack would lose return addresses too, and the program with them.
 */
#include "seeds.h"

#define WB_PAGE 0x00200000u /* 1 MiB section, cacheable write-back */
#define WT_PAGE 0x00300000u /* 1 MiB section, cacheable write-through */
#define OLD 0x0000001du
#define NEW 0x600d600du

static uint32_t scenario(const char *what, uint32_t address, void (*flush)(void))
{
    volatile uint32_t *word = (volatile uint32_t *)address;
    uint32_t before = *word; /* the line is now in the D-cache */
    *word = NEW;             /* a write hit: write-back marks the line dirty, write-through also stores */
    uint32_t written = *word;
    flush();
    uint32_t after = *word;
    sh_printf("%s: read %08x, wrote %08x (reads %08x), after flush_kern_cache_all reads %08x: %s\n", what, before, NEW,
              written, after, after == NEW ? "kept" : after == OLD ? "LOST, the dirty line was invalidated" : "?");
    return after;
}

int main(void)
{
    /* The old values, stored with the MMU and caches off: straight to RAM. */
    for (uint32_t i = 0; i < 4; i++) {
        *(volatile uint32_t *)(WB_PAGE + 0x100 * i) = OLD;
        *(volatile uint32_t *)(WT_PAGE + 0x100 * i) = OLD;
    }
    seeds_flat_map();
    mmu_l1[0] = L1_SECTION(0, AP_FULL, 0) | SECT_WT;
    mmu_l1[WT_PAGE >> 20] = L1_SECTION(WT_PAGE, AP_FULL, 0) | SECT_WT;
    caches_on();
    sh_printf("caches on: sctlr C %u I %u; %08x write-back, %08x write-through\n", (sctlr_read() >> 2) & 1,
              (sctlr_read() >> 12) & 1, WB_PAGE, WT_PAGE);

    scenario("write-through page, invalidate-only form (CONFIG_CPU_DCACHE_WRITETHROUGH)", WT_PAGE + 0x100,
             arm926_flush_kern_cache_all_wt);
    scenario("write-back page,    invalidate-only form (CONFIG_CPU_DCACHE_WRITETHROUGH)", WB_PAGE + 0x100,
             arm926_flush_kern_cache_all_wt);
    scenario("write-back page,    test-clean-invalidate form (default)", WB_PAGE + 0x200, arm926_flush_kern_cache_all);
    return 0;
}
