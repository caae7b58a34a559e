/*
 * Seed 003 (virtual aliases of one physical page) on the Cortex-A9. On the ARM926 (VIVT) two
 * mappings of one page are two cache lines and a store through one is not seen through the
 * other (guest-tests/seeds/vivt_alias.c). The Cortex-A9's L1 data cache is physically indexed
 * and physically tagged (Cortex-A9 TRM 7.1; CTR and the ARM ARM B2.2.2 "PIPT data caches"), so
 * every alias of a physical address is the same line: the aliases agree with no maintenance at
 * all -- the point of this program, which the test asserts. What remains is the memory a bus
 * master reads: the store stays dirty in the L1 until cleaned to the point of coherency by MVA
 * (DCCMVAC), and with the PL310 on, dirty in the PL310 until cleaned by physical address
 * (outer_clean_range: CLEAN_PA, then CACHE_SYNC).
 *
 * One physical page P (0x60900000) is mapped write-back at
 *   A = 0x70000000 (a section),
 *   B = 0x70100000 (another section: same index bits as A, another virtual tag),
 *   C = 0x70203000 (a 4 KiB small page: VA bits [13:12] differ from A's, so on a virtually
 *       indexed cache with 8 KiB or larger ways its lines would fall in other sets),
 * and P's MiB is Strongly-ordered at 0x90900000 (what RAM holds). For each pair the word is
 * read through both aliases, a new value written through A and every view read; then A's line
 * is cleaned by MVA (DCCMVAC, DSB) and, with the PL310 on, by PA in the PL310.
 *   pipt_alias.l2     the PL310 on
 *   pipt_alias.nol2   the PL310 left off: DCCMVAC reaches RAM
 */
#include "a9seeds.h"

#if !defined(VARIANT_L2) && !defined(VARIANT_NOL2)
#error "build pipt_alias.l2 or pipt_alias.nol2"
#endif

#define P 0x60900000u
#define P_RAM 0x90900000u
#define A 0x70000000u
#define B 0x70100000u
#define C 0x70203000u
#define OLD 0x01d01d01u
#define COARSE ((volatile uint32_t *)0x60404000u) /* the second-level table for C's MiB */

/* A small page descriptor (ARM ARM B3.5.1): Normal WBWA (TEX 001, C, B), AP 11. */
#define SMALL_WBWA(pa) (((pa) & 0xfffff000u) | 1u << 6 | 3u << 4 | 8u | 4u | 2u)

static uint32_t rd(uint32_t a) { return *(volatile uint32_t *)a; }
static void wr(uint32_t a, uint32_t v) { *(volatile uint32_t *)a = v; }

struct outcome { uint32_t written, other, memory, after_l1_clean, after_l2_clean; };

static struct outcome pair(uint32_t wa, uint32_t oa, uint32_t pa_ram, uint32_t value)
{
    struct outcome o;
    (void)rd(wa);
    (void)rd(oa);
    wr(wa, value);
    o.other = rd(oa);
    o.written = rd(wa);
    o.memory = rd(pa_ram);
    WRITE_CP15(c7, 0, c10, 1, wa & ~31u);                    /* DCCMVAC */
    dsb();
    o.after_l1_clean = rd(pa_ram);
    o.after_l2_clean = o.after_l1_clean;
#ifdef VARIANT_L2
    l2_by_pa(L2_CLEAN_PA, P + (wa & 0xfffu), P + (wa & 0xfffu) + 4);
    o.after_l2_clean = rd(pa_ram);
#endif
    return o;
}

static void report(const char *names, uint32_t wa, uint32_t oa, uint32_t value, struct outcome o)
{
    sh_printf("%s: A %08x, other alias %08x, physical %08x\n", names, wa, oa, P + (wa & 0xfffu));
    sh_printf("  wrote %08x through A: A reads %08x, other alias reads %08x: %s; memory holds %08x\n", value, o.written,
              o.other, o.other == value ? "the aliases agree" : "DIVERGED", o.memory);
    sh_printf("  after DCCMVAC on A: memory holds %08x\n", o.after_l1_clean);
#ifdef VARIANT_L2
    sh_printf("  after the PL310 clean by PA and cache sync: memory holds %08x\n", o.after_l2_clean);
#endif
}

int main(void)
{
    for (uint32_t i = 0; i < 1024; i++) wr(P + 4 * i, OLD);

    a9_map_flat();
    for (int i = 0; i < 256; i++) COARSE[i] = 0;
    COARSE[(C >> 12) & 0xff] = SMALL_WBWA(P);
    L1T[A >> 20] = SECT(P, WBWA);
    L1T[B >> 20] = SECT(P, WBWA);
    L1T[C >> 20] = ((uint32_t)COARSE & 0xfffffc00u) | 1u;    /* a coarse page table, domain 0 */
    L1T[P_RAM >> 20] = SECT(P, SO);
#ifdef VARIANT_L2
    a9_caches_on(1);
#else
    a9_caches_on(0);
#endif
    uint32_t ctr = READ_CP15(c0, 0, c0, 1);
    sh_printf("MMU and caches on, PL310 %s; CTR %08x\n", mmio_read(L2C + L2_CTRL) & 1 ? "on" : "off", ctr);

    struct outcome ab = pair(A + 0x40, B + 0x40, P_RAM + 0x40, 0xa11a5b0bu);
    struct outcome ac = pair(A + 0x80, C + 0x80, P_RAM + 0x80, 0xa11a5c0cu);
    report("A and B, two sections", A + 0x40, B + 0x40, 0xa11a5b0bu, ab);
    report("A and C, a small page, VA bits [13:12] differ", A + 0x80, C + 0x80, 0xa11a5c0cu, ac);
    return 0;
}
