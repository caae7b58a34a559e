/*
 * VMSAv7 short-descriptor translation (ARM ARM DDI 0406C B3.5-B3.13) on the Cortex-A9:
 * sections, a supersection, small and large pages, the TTBR0/TTBR1 split (TTBCR.N), the
 * v7 fault status encodings in DFSR/IFSR with DFAR/IFAR and WnR (translation, domain,
 * permission at PL1 and through LDRT/STRT, execute-never, access flag with SCTLR.AFE),
 * ATS1CPR/ATS1CUR into PAR, and the TLB: a changed descriptor is seen after TLBIMVA,
 * TLBIASID and TLBIALL; before them the old or the new translation (QEMU flushes on every
 * CONTEXTIDR write, hardware keeps ASID-tagged entries: both are allowed). Caches stay off.
 */
#include "runtime.h"
#include "aborts_v7.h"

#define L1 ((volatile uint32_t *)0x60400000u)
#define L2A ((volatile uint32_t *)0x60404000u)
#define L2B ((volatile uint32_t *)0x60404400u)
#define L1HI ((volatile uint32_t *)0x60408000u) /* TTBR1's table */
#define PAGE_A 0x60500000u
#define PAGE_B 0x60600000u

#define XN (1u << 4)
#define NG (1u << 17)
#define DEVICE 4u /* TEX 000, C 0, B 1: shareable Device */

static uint32_t sect(uint32_t pa, uint32_t ap, uint32_t dom, uint32_t flags)
{
    return (pa & 0xfff00000u) | ((ap >> 2) & 1) << 15 | (ap & 3) << 10 | dom << 5 | flags | 2;
}
static uint32_t coarse(volatile uint32_t *l2, uint32_t dom) { return ((uint32_t)l2 & 0xfffffc00u) | dom << 5 | 1; }
static uint32_t small(uint32_t pa, uint32_t ap, uint32_t flags)
{
    return (pa & 0xfffff000u) | ((ap >> 2) & 1) << 9 | (ap & 3) << 4 | 2 | flags;
}
static uint32_t large(uint32_t pa, uint32_t ap) { return (pa & 0xffff0000u) | ((ap >> 2) & 1) << 9 | (ap & 3) << 4 | 1; }

static void barrier(void)
{
    WRITE_CP15(c7, 0, c10, 4, 0); /* DSB */
    WRITE_CP15(c7, 0, c5, 4, 0);  /* ISB */
}
static void tlbiall(void) { WRITE_CP15(c8, 0, c7, 0, 0); barrier(); }
static void tlbimva(uint32_t mva) { WRITE_CP15(c8, 0, c7, 1, mva); barrier(); }
static void tlbiasid(uint32_t asid) { WRITE_CP15(c8, 0, c7, 2, asid); barrier(); }

static uint32_t rd(uint32_t a)
{
    register uint32_t v __asm__("r0") = 0xdeadbeef;
    __asm__ volatile("ldr %0, [%1]" : "+r"(v) : "r"(a) : "memory");
    return v;
}
static void wr(uint32_t a, uint32_t v) { __asm__ volatile("str %0, [%1]" ::"r"(v), "r"(a) : "memory"); }
static uint32_t rdt(uint32_t a)
{
    register uint32_t v __asm__("r0") = 0xdeadbeef;
    __asm__ volatile("ldrt %0, [%1]" : "+r"(v) : "r"(a) : "memory");
    return v;
}
static void wrt(uint32_t a, uint32_t v) { __asm__ volatile("strt %0, [%1]" ::"r"(v), "r"(a) : "memory"); }

static uint32_t seen;
static void expect_fault(const char *what)
{
    if (dabt_rec.count == seen) { sh_printf("%s: no abort\n", what); sh_failures++; return; }
    seen = dabt_rec.count;
    sh_printf("%s: DFSR %03x DFAR %08x\n", what, dabt_rec.fsr, dabt_rec.far);
}
static void expect_none(const char *what)
{
    if (dabt_rec.count != seen) { sh_printf("%s: unexpected abort DFSR %03x\n", what, dabt_rec.fsr); seen = dabt_rec.count; sh_failures++; }
}

int main(void)
{
    for (int i = 0; i < 4096; i++) L1[i] = 0;
    for (int i = 0; i < 256; i++) L2A[i] = L2B[i] = 0;
    for (int i = 0; i < 4096; i++) L1HI[i] = 0;
    for (uint32_t mb = 0x600; mb < 0x680; mb++) L1[mb] = sect(mb << 20, 3, 0, 0); /* RAM, identity */
    L1[0x100] = sect(0x10000000u, 3, 0, DEVICE | XN);
    L1[0x1e0] = sect(0x1e000000u, 3, 0, DEVICE | XN);
    wr(PAGE_A, 0xaaaa0000u);
    wr(PAGE_A + 0x1004, 0xaaaa1004u);
    wr(PAGE_A + 0x5008, 0xaaaa5008u);
    wr(PAGE_B, 0xbbbb0000u);

    WRITE_CP15(c3, 0, c0, 0, 0x55555555u);        /* every domain client */
    WRITE_CP15(c2, 0, c0, 2, 0);                  /* TTBCR: TTBR0 only */
    WRITE_CP15(c2, 0, c0, 0, (uint32_t)L1);
    WRITE_CP15(c13, 0, c0, 1, 1);                 /* ASID 1 */
    tlbiall();
    WRITE_CP15(c1, 0, c0, 0, READ_CP15(c1, 0, c0, 0) | 1);
    barrier();
    sh_printf("MMU on: SCTLR.M %u\n", READ_CP15(c1, 0, c0, 0) & 1);

    /* Descriptor kinds. */
    L1[0x700] = sect(PAGE_A, 3, 0, 0);
    L1[0x701] = coarse(L2A, 2);
    L2A[0x01] = small(PAGE_A + 0x1000, 3, 0);
    for (int i = 0x10; i < 0x20; i++) L2A[i] = large(PAGE_A, 3);
    for (int i = 0; i < 16; i++) L1[0x720 + i] = sect(0x60000000u, 3, 0, 1u << 18);
    barrier();
    sh_printf("section %08x, small page %08x, large page %08x, supersection %08x\n", rd(0x70000000u), rd(0x70101004u),
              rd(0x70115008u), rd(0x72500000u));
    expect_none("descriptor kinds");

    /* Translation faults: section (domain unknown: 0), page (the table's domain), a write sets WnR. */
    rd(0x71000040u);
    expect_fault("section translation, read");
    wr(0x71000044u, 1);
    expect_fault("section translation, write");
    rd(0x70102000u);
    expect_fault("page translation (domain 2)");

    /* Domains: DACR field 00 faults (domain 5), 11 (manager) ignores AP. */
    L1[0x702] = sect(PAGE_A, 0, 5, 0);
    barrier();
    WRITE_CP15(c3, 0, c0, 0, 0x55555555u & ~(3u << 10));
    rd(0x70200000u);
    expect_fault("domain 5 no access");
    WRITE_CP15(c3, 0, c0, 0, 0x55555555u | (3u << 10));
    barrier();
    sh_printf("manager domain, AP 000: %08x\n", rd(0x70200000u));
    expect_none("manager");
    WRITE_CP15(c3, 0, c0, 0, 0x55555555u);
    barrier();
    rd(0x70200000u);
    expect_fault("client domain, AP 000");

    /* Permissions: AP 001 (PL1 only) through LDRT/STRT, AP 101 (PL1 read-only), AP 010 (PL0 read-only). */
    L1[0x703] = sect(PAGE_A, 1, 1, 0);
    L1[0x704] = sect(PAGE_A, 5, 1, 0);
    L1[0x705] = sect(PAGE_A, 2, 1, 0);
    barrier();
    sh_printf("AP 001 PL1 read %08x\n", rd(0x70300000u));
    rdt(0x70300000u);
    expect_fault("AP 001 PL0 read");
    sh_printf("AP 101 PL1 read %08x\n", rd(0x70400000u));
    wr(0x70400000u, 2);
    expect_fault("AP 101 PL1 write");
    sh_printf("AP 010 PL0 read %08x\n", rdt(0x70500000u));
    wrt(0x70500000u, 3);
    expect_fault("AP 010 PL0 write");

    /* Execute-never: a branch into an XN section is a prefetch abort when it executes. */
    extern char xn_target[];
    uint32_t off = (uint32_t)xn_target & 0xfffffu;
    L1[0x706] = sect((uint32_t)xn_target & 0xfff00000u, 3, 0, XN);
    barrier();
    abort_return_to_caller = 1;
    ((void (*)(void))(0x70600000u + off))();
    abort_return_to_caller = 0;
    sh_printf("XN: prefetch aborts %u, IFSR %03x, IFAR is the target %u\n", pabt_rec.count, pabt_rec.fsr, pabt_rec.far == 0x70600000u + off);
    L1[0x706] = sect((uint32_t)xn_target & 0xfff00000u, 3, 0, 0);
    tlbimva(0x70600000u);
    ((void (*)(void))(0x70600000u + off))();
    sh_printf("without XN it runs: prefetch aborts %u\n", pabt_rec.count);

    /* The access flag (SCTLR.AFE): AP[0] = 0 faults, section FS 0b00011, page 0b00110. */
    L1[0x707] = sect(PAGE_A, 2, 4, 0);
    L1[0x708] = coarse(L2B, 6);
    L2B[0] = small(PAGE_A, 2, 0);
    barrier();
    WRITE_CP15(c1, 0, c0, 0, READ_CP15(c1, 0, c0, 0) | 1u << 29);
    barrier();
    rd(0x70700000u);
    expect_fault("access flag 0, section");
    rd(0x70800000u);
    expect_fault("access flag 0, page");
    L1[0x707] = sect(PAGE_A, 3, 4, 0);
    tlbimva(0x70700000u);
    sh_printf("access flag 1, AP[2:1] 01: PL0 read %08x\n", rdt(0x70700000u));
    expect_none("access flag 1");
    WRITE_CP15(c1, 0, c0, 0, READ_CP15(c1, 0, c0, 0) & ~(1u << 29));
    barrier();

    /* PAR: the PA and F/SS (attributes masked: QEMU reports none), or the fault. */
    WRITE_CP15(c7, 0, c8, 0, 0x70101234u);        /* ATS1CPR */
    WRITE_CP15(c7, 0, c5, 4, 0);
    sh_printf("ATS1CPR small page: PAR %08x\n", READ_CP15(c7, 0, c4, 0) & 0xfffff003u);
    WRITE_CP15(c7, 0, c8, 0, 0x72345678u);
    WRITE_CP15(c7, 0, c5, 4, 0);
    sh_printf("ATS1CPR supersection: PAR %08x\n", READ_CP15(c7, 0, c4, 0) & 0xfffff003u);
    WRITE_CP15(c7, 0, c8, 2, 0x70300000u);        /* ATS1CUR of a PL1-only section */
    WRITE_CP15(c7, 0, c5, 4, 0);
    sh_printf("ATS1CUR AP 001: PAR %08x\n", READ_CP15(c7, 0, c4, 0));
    WRITE_CP15(c7, 0, c8, 0, 0x71000000u);
    WRITE_CP15(c7, 0, c5, 4, 0);
    sh_printf("ATS1CPR unmapped: PAR %08x\n", READ_CP15(c7, 0, c4, 0));
    sh_printf("DFSR unchanged by ATS: %03x\n", READ_CP15(c5, 0, c0, 0));

    /* The TLB: a changed descriptor is seen at the latest after the matching invalidation. */
    uint32_t v;
    L1[0x709] = sect(PAGE_A, 3, 0, NG);
    barrier();
    sh_printf("nG section under ASID 1: %08x\n", rd(0x70900000u));
    L1[0x709] = sect(PAGE_B, 3, 0, NG);
    barrier();
    v = rd(0x70900000u);
    sh_check("ASID 1 after the change: old or new", v == 0xaaaa0000u || v == 0xbbbb0000u);
    WRITE_CP15(c13, 0, c0, 1, 2);
    barrier();
    sh_printf("ASID 2 walks: %08x\n", rd(0x70900000u));
    WRITE_CP15(c13, 0, c0, 1, 1);
    barrier();
    v = rd(0x70900000u);
    sh_check("back to ASID 1: old or new", v == 0xaaaa0000u || v == 0xbbbb0000u);
    tlbiasid(1);
    sh_printf("after TLBIASID 1: %08x\n", rd(0x70900000u));
    L1[0x70a] = sect(PAGE_A, 3, 0, 0);
    barrier();
    sh_printf("global section: %08x\n", rd(0x70a00000u));
    L1[0x70a] = sect(PAGE_B, 3, 0, 0);
    barrier();
    v = rd(0x70a00000u);
    sh_check("global after the change: old or new", v == 0xaaaa0000u || v == 0xbbbb0000u);
    tlbimva(0x70a00000u | 7);                     /* any ASID: a global entry goes */
    sh_printf("after TLBIMVA: %08x\n", rd(0x70a00000u));
    L1[0x70a] = 0;
    barrier();
    tlbiall();
    rd(0x70a00000u);
    expect_fault("after TLBIALL, unmapped");

    /* TTBCR.N = 1: VAs from 0x80000000 walk TTBR1's table. */
    L1HI[0x900] = sect(PAGE_A, 3, 0, 0);
    barrier();
    WRITE_CP15(c2, 0, c0, 1, (uint32_t)L1HI);
    WRITE_CP15(c2, 0, c0, 2, 1);
    tlbiall();
    sh_printf("TTBCR %x: 0x90000000 through TTBR1 %08x, 0x70000000 through TTBR0 %08x\n", READ_CP15(c2, 0, c0, 2),
              rd(0x90000000u), rd(0x70000000u));
    rd(0x91000000u);
    expect_fault("TTBR1 table, unmapped");
    WRITE_CP15(c2, 0, c0, 2, 1 | 1u << 5);         /* PD1: no walks through TTBR1 */
    tlbiall();
    rd(0x90000000u);
    expect_fault("TTBCR.PD1");
    WRITE_CP15(c2, 0, c0, 2, 0);
    tlbiall();

    WRITE_CP15(c1, 0, c0, 0, READ_CP15(c1, 0, c0, 0) & ~1u);
    barrier();
    sh_printf("data aborts %u, prefetch aborts %u\n", dabt_rec.count, pabt_rec.count);
    return sh_failures;
}

__asm__(
    "       .text\n"
    "       .balign 4\n"
    "       .global xn_target\n"
    "xn_target:\n"
    "       bx      lr\n");
