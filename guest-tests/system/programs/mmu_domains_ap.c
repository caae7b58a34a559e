/*
 * Domains and access permissions (ARM ARM B4, domains, access permissions
 * and fault status; ARM926EJ-S TRM, MMU chapter).
 * DACR: 00 no access (domain fault, FSR domain field = the descriptor's
 * domain), 01 client (AP checked), 11 manager (AP ignored). AP for clients
 * with SCTLR.S = R = 0: 00 none, 01 privileged only, 10 User read-only,
 * 11 all; with AP = 00, S = 1 gives privileged read-only and R = 1 read-only
 * for all. User accesses come from LDRT/STRT in Supervisor mode and from
 * real User-mode code.
 */
#include "runtime.h"
#include "aborts.h"
#include "mmu.h"
#include "usermode.h"

#define SECTION_VA 0x50000000u /* domain 5 */
#define PAGE_VA 0x50100000u    /* coarse table in domain 6, one small page */
#define RAM 0x00200000u

static uint32_t coarse[256] __attribute__((aligned(1024)));

#define AT(text, base)                                                                                   \
    ({                                                                                                   \
        register uint32_t r0_ __asm__("r0") = (base);                                                   \
        register uint32_t r1_ __asm__("r1") = 0x1234;                                                   \
        __asm__ volatile(text : "+r"(r0_), "+r"(r1_)::"memory");                                        \
        r1_;                                                                                             \
    })

/* Runs one access and returns "ok" or the DFSR (domain and status) it faulted with, checking the FAR. */
static uint32_t fault_of(int kind, uint32_t va)
{
    uint32_t count = dabt_rec.count;
    switch (kind) {
    case 0: AT("ldr r1, [r0]", va); break;
    case 1: AT("str r1, [r0]", va); break;
    case 2: AT("ldrt r1, [r0]", va); break;
    case 3: AT("strt r1, [r0]", va); break;
    }
    if (dabt_rec.count == count) return 0;
    if (dabt_rec.far != va) sh_printf("wrong far %08x\n", dabt_rec.far);
    return dabt_rec.fsr & 0xff;
}

static const char *const kinds[] = { "priv read", "priv write", "user read", "user write" };

/* Prints the four accesses to va; expected: bit k set if access k must fault with fsr. */
static void probe(const char *what, uint32_t va, unsigned faults, uint32_t fsr)
{
    sh_printf("%s:", what);
    int ok = 1;
    for (int k = 0; k < 4; k++) {
        uint32_t f = fault_of(k, va);
        if (f) sh_printf(" %s fault %02x,", kinds[k], f);
        else sh_printf(" %s ok,", kinds[k]);
        ok &= ((faults >> k) & 1) ? f == fsr : f == 0;
    }
    sh_printf("\n");
    sh_check(what, ok);
}

static void map(uint32_t ap)
{
    mmu_l1[SECTION_VA >> 20] = L1_SECTION(RAM, ap, 5);
    coarse[0] = L2_SMALL(RAM, ap);
    tlb_flush_all();
}

static uint32_t user_read(uint32_t va) { return *(volatile uint32_t *)va; }

int main(void)
{
    mmu_identity_map();
    for (int i = 0; i < 256; i++) coarse[i] = 0;
    mmu_l1[PAGE_VA >> 20] = L1_COARSE(coarse, 6);
    map(AP_FULL);
    mmu_enable(DACR(0, DACR_CLIENT));

    /* Domains 5 and 6 are "no access": every access faults, whatever AP says. */
    probe("section, domain 5 no access", SECTION_VA, 0xf, 5 << 4 | FS_DOMAIN_SECTION);
    probe("page, domain 6 no access", PAGE_VA, 0xf, 6 << 4 | FS_DOMAIN_PAGE);

    /* Manager: AP = 00 is no obstacle. */
    dacr_write(DACR(0, DACR_CLIENT) | DACR(5, DACR_MANAGER) | DACR(6, DACR_MANAGER));
    map(AP_NONE);
    probe("section, manager, AP=00", SECTION_VA, 0, 0);
    probe("page, manager, AP=00", PAGE_VA, 0, 0);

    /* Client: the AP table. */
    dacr_write(DACR(0, DACR_CLIENT) | DACR(5, DACR_CLIENT) | DACR(6, DACR_CLIENT));
    static const unsigned ap_faults[4] = { 0xf, 0xc, 0x8, 0x0 };
    static const char *const section_names[4] = { "section, client, AP=00", "section, client, AP=01",
                                                   "section, client, AP=10", "section, client, AP=11" };
    static const char *const page_names[4] = { "page, client, AP=00", "page, client, AP=01", "page, client, AP=10",
                                               "page, client, AP=11" };
    for (uint32_t ap = 0; ap < 4; ap++) {
        map(ap);
        probe(section_names[ap], SECTION_VA, ap_faults[ap], 5 << 4 | FS_PERM_SECTION);
        probe(page_names[ap], PAGE_VA, ap_faults[ap], 6 << 4 | FS_PERM_PAGE);
    }

    /* AP = 00 with the S (system) and R (ROM) bits. */
    map(AP_NONE);
    sctlr_write(sctlr_read() | SCTLR_S);
    tlb_flush_all();
    probe("section, AP=00, S=1", SECTION_VA, 0xe, 5 << 4 | FS_PERM_SECTION);
    sctlr_write((sctlr_read() & ~SCTLR_S) | SCTLR_R);
    tlb_flush_all();
    probe("page, AP=00, R=1", PAGE_VA, 0xa, 6 << 4 | FS_PERM_PAGE);
    sctlr_write(sctlr_read() & ~SCTLR_R);
    tlb_flush_all();

    /* Real User mode: AP = 01 page. The load is skipped, so the User function returns what r0 held. */
    map(AP_PRIV);
    uint32_t count = dabt_rec.count;
    *(volatile uint32_t *)RAM = 0x5ec2e7;
    uint32_t r = run_user(user_read, PAGE_VA);
    sh_printf("user-mode read of an AP=01 page: %s, dfsr %02x, far %08x, spsr mode %02x\n",
              dabt_rec.count != count ? "fault" : "no fault", dabt_rec.fsr & 0xff, dabt_rec.far, dabt_rec.spsr & 0x1f);
    sh_check("user mode permission fault", dabt_rec.count == count + 1 && r != 0x5ec2e7 &&
                                               (dabt_rec.fsr & 0xff) == (6 << 4 | FS_PERM_PAGE) && (dabt_rec.spsr & 0x1f) == 0x10);
    map(AP_FULL);
    r = run_user(user_read, PAGE_VA);
    sh_printf("after AP=11 the user reads %08x\n", r);

    mmu_disable();
    sh_printf("data aborts: %u\n", dabt_rec.count);
    return sh_failures;
}
