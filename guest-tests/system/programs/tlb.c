/*
 * TLB maintenance (ARM ARM B3 register 8 and B4, TLB maintenance;
 * ARM926EJ-S TRM, c8 TLB operations).
 * After a valid descriptor changes, a translation without a TLB flush may
 * give the old or the new mapping (the ARM ARM leaves it UNPREDICTABLE: a
 * hardware ARM926 returns the old one while the entry stays in its TLB; QEMU
 * 7.2 returns the old one here too, from its own soft TLB, but that evicts
 * entries at times no ARM926 would). So the program prints only whether the
 * value is one of the two, and then the definite results after c8,c7,1
 * (invalidate entry by MVA) and c8,c7,0 (invalidate all). Also definite:
 * faulting translations are not cached (an invalid entry made valid is seen
 * without a flush), and DACR changes apply at once (the TLB caches the domain
 * number, not its access; ARM ARM B4, domains).
 */
#include "runtime.h"
#include "aborts.h"
#include "mmu.h"

#define VA 0x60000000u
#define RAM 0x00200000u
#define PA(n) (RAM + (n) * 0x1000u)

static uint32_t coarse[256] __attribute__((aligned(1024)));

static uint32_t rd(uint32_t a) { return *(volatile uint32_t *)a; }

static void set_page(int index, uint32_t pa) { coarse[index] = pa ? L2_SMALL(pa, AP_FULL) : 0; }

int main(void)
{
    for (uint32_t n = 0; n < 8; n++) *(volatile uint32_t *)PA(n) = 0xda7a0000 + n;

    mmu_identity_map();
    for (int i = 0; i < 256; i++) coarse[i] = 0;
    set_page(0, PA(1));
    mmu_l1[VA >> 20] = L1_COARSE(coarse, 4);
    mmu_enable(DACR(0, DACR_CLIENT) | DACR(4, DACR_CLIENT));

    sh_printf("page 0 -> pa 1: reads %08x\n", rd(VA));

    set_page(0, PA(2));
    uint32_t unflushed = rd(VA);
    sh_printf("page 0 -> pa 2, no flush: old or new %s\n", unflushed == 0xda7a0001 || unflushed == 0xda7a0002 ? "yes" : "NO");
    tlb_flush_mva(VA);
    sh_printf("after invalidate by MVA: %08x\n", rd(VA));
    sh_check("flush by MVA", rd(VA) == 0xda7a0002);

    set_page(0, PA(3));
    unflushed = rd(VA);
    sh_printf("page 0 -> pa 3, no flush: old or new %s\n", unflushed == 0xda7a0002 || unflushed == 0xda7a0003 ? "yes" : "NO");
    tlb_flush_all();
    sh_printf("after invalidate all: %08x\n", rd(VA));
    sh_check("flush all", rd(VA) == 0xda7a0003);

    /* Faulting translations are not cached. */
    uint32_t count = dabt_rec.count;
    (void)rd(VA + 0x1000);
    sh_printf("page 1 invalid: dfsr %02x, far %08x\n", dabt_rec.fsr & 0xff, dabt_rec.far);
    sh_check("translation fault", dabt_rec.count == count + 1 && (dabt_rec.fsr & 0xff) == (4 << 4 | FS_TRANS_PAGE));
    set_page(1, PA(5));
    sh_printf("page 1 made valid, no flush: %08x\n", rd(VA + 0x1004 - 4));
    sh_check("new valid entry seen without a flush", dabt_rec.count == count + 1 && rd(VA + 0x1000) == 0xda7a0005);

    /* DACR: no access to domain 4 takes effect without a flush, and back. */
    dacr_write(DACR(0, DACR_CLIENT) | DACR(4, DACR_NOACCESS));
    (void)rd(VA);
    sh_printf("domain 4 no access: dfsr %02x\n", dabt_rec.fsr & 0xff);
    sh_check("DACR change applies at once", dabt_rec.count == count + 2 && (dabt_rec.fsr & 0xff) == (4 << 4 | FS_DOMAIN_PAGE));
    dacr_write(DACR(0, DACR_CLIENT) | DACR(4, DACR_CLIENT));
    sh_printf("domain 4 client again: %08x\n", rd(VA));
    sh_check("DACR restored", dabt_rec.count == count + 2 && rd(VA) == 0xda7a0003);

    mmu_disable();
    return sh_failures;
}
