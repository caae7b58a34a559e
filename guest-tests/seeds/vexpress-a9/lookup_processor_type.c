/*
 * Seed 001: how Linux finds flush_cache_all, on a Cortex-A9. setup_processor() passes the
 * MIDR to lookup_processor_type(), head-common.S's walk over the .proc.info.init entries for
 * the first whose value equals MIDR & mask. A v7 kernel's entries come from
 * arch/arm/mm/proc-v7.S: one per core it knows (the Cortex-A9's: value 0x410fc090, mask
 * 0xff0ffff0) and, last, the generic ARMv7 entry (value and mask 0x000f0000: the MIDR's
 * architecture field says "see the CPUID scheme"); every one supplies v7_cache_fns, whose
 * flush_kern_all is v7_flush_kern_cache_all -- the set/way walk over CLIDR and CCSIDR.
 * The program runs the walk for the real MIDR and a few other IDs, then calls flush_kern_all
 * through the entry it found with the caches on and dirty lines to clean, and turns the caches
 * off (the PL310 stays off here: flush_dcache_all.c is the outer cache's scenario). The output
 * is the same with and without the cache model and on QEMU.
 *   lookup_processor_type.ca9   the only variant
 */
#include "a9seeds.h"

#ifndef VARIANT_CA9
#error "build lookup_processor_type.ca9"
#endif

struct cache_fns { const char *name; void (*flush_kern_all)(void); };
struct proc_info { uint32_t cpu_val, cpu_mask; const char *cpu_name; const struct cache_fns *cache; };

static void v7_flush_kern_cache_all(void)
{
    v7_dcache_all_by_set_way(1);
    WRITE_CP15(c7, 0, c5, 0, 0);                             /* ICIALLU */
    dsb();
    isb();
}

static const struct cache_fns v7_cache_fns = { "v7_cache_fns", v7_flush_kern_cache_all };

/* In proc-v7.S's order; the generic entry must stay last (it matches every CPUID-scheme MIDR). */
static const struct proc_info proc_info[] = {
    { 0x410fc050, 0xff0ffff0, "ARMv7 Processor (Cortex-A5)", &v7_cache_fns },
    { 0x410fc090, 0xff0ffff0, "ARMv7 Processor (Cortex-A9)", &v7_cache_fns },
    { 0x410fc080, 0xff0ffff0, "ARMv7 Processor (Cortex-A8)", &v7_cache_fns },
    { 0x410fc070, 0xff0ffff0, "ARMv7 Processor (Cortex-A7)", &v7_cache_fns },
    { 0x410fc0f0, 0xff0ffff0, "ARMv7 Processor (Cortex-A15)", &v7_cache_fns },
    { 0x000f0000, 0x000f0000, "ARMv7 Processor (generic)", &v7_cache_fns },
};
#define ENTRIES (sizeof proc_info / sizeof proc_info[0])

/* head-common.S's __lookup_processor_type: the first entry whose value equals id & mask, or none. */
static const struct proc_info *lookup_processor_type(uint32_t id)
{
    for (const struct proc_info *p = proc_info; p < proc_info + ENTRIES; p++)
        if ((id & p->cpu_mask) == p->cpu_val) return p;
    return 0;
}

static void show(const char *what, uint32_t id)
{
    const struct proc_info *p = lookup_processor_type(id);
    if (p)
        sh_printf("%s %08x: entry %d, value %08x mask %08x, %s, cache fns %s\n", what, id, (int)(p - proc_info), p->cpu_val,
                  p->cpu_mask, p->cpu_name, p->cache->name);
    else
        sh_printf("%s %08x: (unknown processor)\n", what, id);
}

static volatile uint32_t scratch[1024];

int main(void)
{
    uint32_t midr = READ_CP15(c0, 0, c0, 0);
    sh_printf("proc_info entries: %u\n", (unsigned)ENTRIES);
    show("this cpu, midr  ", midr);
    show("cortex-a9 r4p1  ", 0x414fc091);
    show("cortex-a8 r3p2  ", 0x413fc082);
    show("cortex-a15 r2p1 ", 0x412fc0f1);
    show("qualcomm krait  ", 0x510f06f0);
    show("arm926ej-s      ", 0x41069265);

    a9_map_flat();
    a9_caches_on(0);
    for (int i = 0; i < 1024; i++) scratch[i] = 0x9000u + (uint32_t)i; /* dirty lines */
    const struct proc_info *p = lookup_processor_type(midr);
    if (!p) { sh_printf("no entry for this cpu\n"); return 1; }
    p->cache->flush_kern_all();
    WRITE_CP15(c1, 0, c0, 0, READ_CP15(c1, 0, c0, 0) & ~(1u | 1u << 2 | 1u << 12));
    isb();
    uint32_t bad = 0;
    for (int i = 0; i < 1024; i++) bad += scratch[i] != 0x9000u + (uint32_t)i;
    sh_printf("flush_cache_all() = %s.flush_kern_all: returned; caches off, %u of 1024 words lost\n", p->cache->name, bad);
    return 0;
}
