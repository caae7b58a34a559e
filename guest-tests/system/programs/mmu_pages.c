/*
 * Second-level tables (ARM ARM B4, second-level descriptors;
 * ARM926EJ-S TRM, MMU chapter): a coarse
 * table (256 entries, 4 KiB each) with small pages, a 64 KiB large page
 * (16 identical entries), a remapped page, and a fine table (1024 entries,
 * 1 KiB each) with tiny pages and a small page repeated 4 times. Small and
 * large pages have four access-permission subpages (AP0-AP3 for each quarter):
 * a no-access quarter of a page faults while the rest works.
 */
#include "runtime.h"
#include "aborts.h"
#include "mmu.h"

#define COARSE_VA 0x40000000u
#define FINE_VA 0x40100000u
#define RAM 0x00200000u /* physical scratch pages */

static uint32_t coarse[256] __attribute__((aligned(1024)));
static uint32_t fine[1024] __attribute__((aligned(4096)));

static uint32_t rd(uint32_t a) { return *(volatile uint32_t *)a; }
static void wr(uint32_t a, uint32_t v) { *(volatile uint32_t *)a = v; }

int main(void)
{
    /* Tag each physical 1 KiB block of the scratch area with its own address. */
    for (uint32_t a = RAM; a < RAM + 0x120000; a += 0x400) wr(a, a);

    mmu_identity_map();
    for (int i = 0; i < 256; i++) coarse[i] = 0;
    for (int i = 0; i < 1024; i++) fine[i] = 0;
    coarse[0] = L2_SMALL(RAM + 0x1000, AP_FULL);                         /* pages swapped */
    coarse[1] = L2_SMALL(RAM + 0x0000, AP_FULL);
    coarse[5] = L2_SMALL(RAM + 0x5000, AP_FULL);
    coarse[6] = L2_SMALL4(RAM + 0x6000, AP_FULL, AP_NONE, AP_PRIV, AP_NONE); /* subpages */
    for (int i = 16; i < 32; i++) coarse[i] = L2_LARGE(RAM + 0x110000, AP_FULL);
    fine[0] = L2_TINY(RAM + 0x20400, AP_FULL);                           /* tiny pages swapped */
    fine[1] = L2_TINY(RAM + 0x20000, AP_FULL);
    for (int i = 8; i < 12; i++) fine[i] = L2_SMALL(RAM + 0x30000, AP_FULL); /* small page in a fine table */
    mmu_l1[COARSE_VA >> 20] = L1_COARSE(coarse, 0);
    mmu_l1[FINE_VA >> 20] = L1_FINE(fine, 0);
    mmu_enable(DACR(0, DACR_CLIENT));

    static const uint32_t probes[] = { COARSE_VA, COARSE_VA + 0x1000, COARSE_VA + 0x1c00, COARSE_VA + 0x5400,
                                       COARSE_VA + 0x10000, COARSE_VA + 0x1ac00, COARSE_VA + 0x1fc00,
                                       FINE_VA, FINE_VA + 0x400, FINE_VA + 0x2000, FINE_VA + 0x2c00 };
    static const uint32_t want[] = { RAM + 0x1000, RAM, RAM + 0xc00, RAM + 0x5400, RAM + 0x110000, RAM + 0x11ac00,
                                     RAM + 0x11fc00, RAM + 0x20400, RAM + 0x20000, RAM + 0x30000, RAM + 0x30c00 };
    int ok = 1;
    for (unsigned i = 0; i < sizeof probes / sizeof probes[0]; i++) {
        uint32_t v = rd(probes[i]);
        sh_printf("va %08x -> pa %08x\n", probes[i], v);
        ok &= v == want[i];
    }
    sh_check("page translations", ok && dabt_rec.count == 0);

    /* A store through a large page lands at its physical address. */
    wr(COARSE_VA + 0x1234c, 0xc0ffee);
    sh_check("large page store", rd(RAM + 0x11234c) == 0xc0ffee);

    /* Remap one small page; flush just its entry (c8, c7, 1: invalidate TLB entry by MVA). */
    coarse[5] = L2_SMALL(RAM + 0x7000, AP_FULL);
    tlb_flush_mva(COARSE_VA + 0x5000);
    sh_printf("remapped page: va %08x -> pa %08x\n", COARSE_VA + 0x5400, rd(COARSE_VA + 0x5400));
    sh_check("remap after TLB entry flush", rd(COARSE_VA + 0x5400) == RAM + 0x7400);

    /* Subpages of page 6: full, none, privileged, none. */
    static const char *const quarter[] = { "subpage 0, AP=11", "subpage 1, AP=00", "subpage 2, AP=01", "subpage 3, AP=00" };
    uint32_t before = dabt_rec.count;
    for (uint32_t q = 0; q < 4; q++) {
        uint32_t count = dabt_rec.count;
        volatile uint32_t v = rd(COARSE_VA + 0x6000 + q * 0x400 + 8);
        (void)v;
        if (dabt_rec.count != count)
            sh_printf("subpage %u: fault, dfsr %02x, far %08x\n", q, dabt_rec.fsr & 0xff, dabt_rec.far);
        else
            sh_printf("subpage %u: read\n", q);
        sh_check(quarter[q], (dabt_rec.count != count) == (q & 1) &&
                                    (!(q & 1) || ((dabt_rec.fsr & 0xff) == FS_PERM_PAGE && dabt_rec.far == COARSE_VA + 0x6008 + q * 0x400)));
    }
    sh_printf("subpage faults: %u\n", dabt_rec.count - before);

    mmu_disable();
    return sh_failures;
}
