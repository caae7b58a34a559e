/*
 * Seed 001: how Linux finds flush_cache_all. setup_processor() passes the CPU
 * ID (MIDR, CP15 c0) to lookup_processor_type(), head-common.S's walk over the
 * .proc.info.init entries, matching (MIDR & mask) == value; the ARM926 entry
 * (value 0x41069260, mask 0xff0ffff0, arch/arm/mm/proc-arm926.S) supplies
 * arm926_cache_fns, and cpu_cache.flush_kern_all is arm926_flush_kern_cache_all.
 * The assembly is linux_arm926.S; this program prints what the walk returns for
 * the real MIDR and for a few other IDs, then calls flush_kern_all through the
 * table with the caches on (on QEMU the test-and-clean loop ends at once; on
 * ArmEmu it cleans every dirty line first). Same output everywhere.
 */
#include "seeds.h"

extern const struct proc_info_list __proc_info_begin[], __proc_info_end[];

static const char *describe(const struct proc_info_list *p)
{
    return p ? p->cpu_name : "(unknown processor)";
}

static void show(const char *what, uint32_t id)
{
    const struct proc_info_list *p = lookup_processor_type(id);
    if (p)
        sh_printf("%s %08x: entry %d, value %08x mask %08x, %s, %s/%s, hwcap %03x, cache fns %s\n", what, id,
                  (int)(p - __proc_info_begin), p->cpu_val, p->cpu_mask, describe(p), p->arch_name, p->elf_name,
                  p->elf_hwcap, p->cache == &arm926_cache_fns ? "arm926_cache_fns" : "none");
    else
        sh_printf("%s %08x: %s\n", what, id, describe(p));
}

static volatile uint32_t scratch[64];

int main(void)
{
    uint32_t midr = READ_CP15(c0, 0, c0, 0);
    sh_printf("proc_info entries: %u\n", (unsigned)(__proc_info_end - __proc_info_begin));
    show("this cpu, midr", midr);
    show("arm926ej-s r0p0", 0x41069260);
    show("arm920t r1p1  ", 0x41129201);
    show("arm925t       ", 0x54029252);
    show("xscale pxa255 ", 0x69052d06);

    /* setup_processor(): cpu_cache = *list->cache; then flush_cache_all() = cpu_cache.flush_kern_all(). */
    const struct proc_info_list *list = lookup_processor_type(midr);
    if (!list || !list->cache) {
        sh_printf("no cache functions for this cpu\n");
        return 1;
    }
    struct cpu_cache_fns cpu_cache = *list->cache;
    seeds_flat_map();
    caches_on();
    for (int i = 0; i < 64; i++) scratch[i] = scratch[i] + 0x1111u * (uint32_t)i; /* dirty lines to clean */
    cpu_cache.flush_kern_all();
    sh_printf("flush_cache_all() = %s: returned, scratch[63] %08x\n",
              cpu_cache.flush_kern_all == arm926_flush_kern_cache_all ? "arm926_flush_kern_cache_all" : "?", scratch[63]);
    return 0;
}
