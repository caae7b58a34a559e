/*
 * ARMv5 (VMSAv5) page tables for the ARM926EJ-S: descriptor builders and
 * MMU on/off. Layouts: ARM ARM (DDI 0100I) B4, hardware page table translation;
 * ARM926EJ-S TRM (DDI 0198E), MMU chapter. Caches stay off, so no cache maintenance is needed around table writes.
 * Include from exactly one source file per program.
 */
#ifndef ARMEMU_TEST_MMU_H
#define ARMEMU_TEST_MMU_H
#include "runtime.h"

/* AP encodings (ARM ARM B4, access permissions, with SCTLR.S = SCTLR.R = 0). */
#define AP_NONE 0u   /* no access (S/R bits decide) */
#define AP_PRIV 1u   /* privileged read/write, User none */
#define AP_URO 2u    /* privileged read/write, User read-only */
#define AP_FULL 3u   /* read/write for all */

/* Bit 4 of first-level descriptors "should be one" on ARMv5 (ARM ARM B4, first-level descriptors). */
#define L1_SECTION(pa, ap, dom) (((uint32_t)(pa) & 0xfff00000u) | ((ap) << 10) | ((dom) << 5) | (1u << 4) | 2u)
#define L1_COARSE(pa, dom) (((uint32_t)(pa) & 0xfffffc00u) | ((dom) << 5) | (1u << 4) | 1u)
#define L1_FINE(pa, dom) (((uint32_t)(pa) & 0xfffff000u) | ((dom) << 5) | (1u << 4) | 3u)
/* Large and small pages carry one AP per quarter (subpage); these give all four the same. */
#define L2_LARGE(pa, ap) (((uint32_t)(pa) & 0xffff0000u) | ((ap) * 0x55u << 4) | 1u)
#define L2_SMALL(pa, ap) (((uint32_t)(pa) & 0xfffff000u) | ((ap) * 0x55u << 4) | 2u)
#define L2_SMALL4(pa, ap0, ap1, ap2, ap3) (((uint32_t)(pa) & 0xfffff000u) | ((ap3) << 10) | ((ap2) << 8) | ((ap1) << 6) | ((ap0) << 4) | 2u)
#define L2_TINY(pa, ap) (((uint32_t)(pa) & 0xfffffc00u) | ((ap) << 4) | 3u)

/* FSR status values (ARM ARM B4, fault status encodings). */
#define FS_ALIGN 0x1u
#define FS_TRANS_SECTION 0x5u
#define FS_TRANS_PAGE 0x7u
#define FS_DOMAIN_SECTION 0x9u
#define FS_DOMAIN_PAGE 0xbu
#define FS_PERM_SECTION 0xdu
#define FS_PERM_PAGE 0xfu

#define DACR_NOACCESS 0u
#define DACR_CLIENT 1u
#define DACR_MANAGER 3u
#define DACR(dom, v) ((uint32_t)(v) << (2 * (dom)))

#define SCTLR_M (1u << 0)
#define SCTLR_A (1u << 1)
#define SCTLR_S (1u << 8)
#define SCTLR_R (1u << 9)
#define SCTLR_V (1u << 13)

/* The translation table base must be 16 KiB aligned (TTBR bits [13:0] SBZ). */
static uint32_t mmu_l1[4096] __attribute__((aligned(16384)));

static inline uint32_t sctlr_read(void) { return READ_CP15(c1, 0, c0, 0); }
static inline void sctlr_write(uint32_t v) { WRITE_CP15(c1, 0, c0, 0, v); }
static inline void dacr_write(uint32_t v) { WRITE_CP15(c3, 0, c0, 0, v); }
static inline void tlb_flush_all(void) { WRITE_CP15(c8, 0, c7, 0, 0); }
static inline void tlb_flush_mva(uint32_t va) { WRITE_CP15(c8, 0, c7, 1, va & ~0x3ffu); }
static inline uint32_t dfsr_read(void) { return READ_CP15(c5, 0, c0, 0); }
static inline uint32_t ifsr_read(void) { return READ_CP15(c5, 0, c0, 1); }
static inline uint32_t far_read(void) { return READ_CP15(c6, 0, c0, 0); }

/*
 * Flat map of what the programs use: the first 16 MiB of RAM (full access, so
 * User-mode code can run from it) and the Versatile PB's core peripherals at
 * 0x10000000-0x101fffff (privileged only), all in domain 0.
 */
static void mmu_identity_map(void)
{
    for (int i = 0; i < 4096; i++) mmu_l1[i] = 0;
    for (uint32_t mb = 0; mb < 16; mb++) mmu_l1[mb] = L1_SECTION(mb << 20, AP_FULL, 0);
    for (uint32_t mb = 0x100; mb < 0x102; mb++) mmu_l1[mb] = L1_SECTION(mb << 20, AP_PRIV, 0);
}

static void mmu_enable(uint32_t dacr)
{
    WRITE_CP15(c2, 0, c0, 0, (uint32_t)mmu_l1);
    dacr_write(dacr);
    tlb_flush_all();
    sctlr_write(sctlr_read() | SCTLR_M);
}

static void mmu_disable(void)
{
    sctlr_write(sctlr_read() & ~SCTLR_M);
    tlb_flush_all();
}
#endif
