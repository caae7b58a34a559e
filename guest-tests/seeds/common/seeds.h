/*
 * What the seed scenarios share: the Linux ARM926 routines of linux_arm926.S,
 * and turning on the MMU with the caches (a flat map whose memory attributes
 * each program chooses, section by section).
 */
#ifndef ARMEMU_SEEDS_H
#define ARMEMU_SEEDS_H
#include "runtime.h"
#include "mmu.h"

/* struct proc_info_list of the seed's kernel (include/asm-arm/procinfo.h). */
struct cpu_cache_fns {
    void (*flush_kern_all)(void);
    void (*flush_user_all)(void);
    void (*flush_user_range)(unsigned long, unsigned long, unsigned int);
    void (*coherent_kern_range)(unsigned long, unsigned long);
    void (*coherent_user_range)(unsigned long, unsigned long);
    void (*flush_kern_dcache_page)(void *);
    void (*dma_inv_range)(const void *, const void *);
    void (*dma_clean_range)(const void *, const void *);
    void (*dma_flush_range)(const void *, const void *);
};
struct proc_info_list {
    uint32_t cpu_val, cpu_mask, cpu_mm_mmu_flags, cpu_io_mmu_flags, cpu_flush;
    const char *arch_name, *elf_name;
    uint32_t elf_hwcap;
    const char *cpu_name;
    const void *proc, *tlb, *user;
    const struct cpu_cache_fns *cache;
};

struct proc_info_list *lookup_processor_type(uint32_t cpu_id);
extern const struct cpu_cache_fns arm926_cache_fns;
void arm926_flush_kern_cache_all(void);
void arm926_flush_kern_cache_all_wt(void);
void arm926_dma_inv_range(const void *start, const void *end);
void arm926_dma_clean_range(const void *start, const void *end);
void arm926_dma_flush_range(const void *start, const void *end);
void arm926_setup_caches(void);

/* Section attributes: C and B of a first-level section descriptor (ARM ARM B4; ARM926EJ-S TRM, "Cache and write buffer configuration"). */
#define SECT_B (1u << 2)
#define SECT_C (1u << 3)
#define SECT_WB (SECT_C | SECT_B) /* cacheable, write-back */
#define SECT_WT SECT_C            /* cacheable, write-through */
#define SECT_NCNB 0u

#define SCTLR_C (1u << 2)
#define SCTLR_I (1u << 12)

/*
 * The flat map of mmu.h with the first 16 MiB of RAM cacheable write-back (the
 * attributes Linux gives kernel memory), the peripherals uncached. Programs then
 * add or change sections and call caches_on().
 */
static void seeds_flat_map(void)
{
    mmu_identity_map();
    for (uint32_t mb = 0; mb < 16; mb++) mmu_l1[mb] |= SECT_WB;
}

/* MMU, D-cache and I-cache on, after the invalidate __arm926_setup does (the tables were written with the caches off). */
static void caches_on(void)
{
    arm926_setup_caches();
    mmu_enable(DACR(0, DACR_CLIENT));
    sctlr_write(sctlr_read() | SCTLR_C | SCTLR_I);
}
#endif
