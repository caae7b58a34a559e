/*
 * Data Abort on MMU translation faults (ARM ARM A2.6, Data Abort; B4, fault
 * status): DFSR status
 * and domain, FAR = the faulting address, LR_abt = instruction + 8 (both
 * states); the handler (common/aborts.h) skips the instruction. ARMv5 has no
 * write-not-read bit, so loads and stores give the same DFSR. The ARM926EJ-S
 * restores the base register of an aborted load/store with writeback
 * ("base restored" abort model: ARM ARM A2.6, Data Abort). A
 * section translation fault's domain field is not valid (ARM ARM B4, fault status encodings),
 * so only its status is printed.
 */
#include "runtime.h"
#include "aborts.h"
#include "mmu.h"

#define GAP_VA 0x30100000u   /* unmapped section */
#define PAGED_VA 0x40000000u /* coarse table, domain 3: page 0 mapped, page 1 not */
#define SCRATCH 0x00200000u

static uint32_t coarse[256] __attribute__((aligned(1024)));
static uint32_t last_count;

static void report(const char *what, uint32_t insn, uint32_t far, uint32_t fsr_mask, uint32_t fsr)
{
    int aborted = dabt_rec.count != last_count;
    last_count = dabt_rec.count;
    if (!aborted) {
        sh_printf("%s: no abort\n", what);
        sh_check(what, 0);
        return;
    }
    sh_printf("%s: dfsr & %02x = %02x, far %08x, at insn %s, spsr %08x\n", what, fsr_mask, dabt_rec.fsr & fsr_mask,
              dabt_rec.far, dabt_rec.address == insn ? "yes" : "no", dabt_rec.spsr & PSR_DEFINED);
    sh_check(what, (dabt_rec.fsr & fsr_mask) == fsr && dabt_rec.far == far && dabt_rec.address == insn);
}

/* One instruction at a known address: r0 = base (and the result), r1 = value or second result. */
#define AT(text, base, value)                                                                                    \
    ({                                                                                                           \
        register uint32_t r0_ __asm__("r0") = (base);                                                           \
        register uint32_t r1_ __asm__("r1") = (value);                                                          \
        __asm__ volatile("adr r2, 1f\n\tstr r2, %2\n1:\t" text : "+r"(r0_), "+r"(r1_), "=m"(insn_at)::"r2", "r3", "memory"); \
        r0_out = r0_;                                                                                            \
        r1_;                                                                                                     \
    })
static uint32_t insn_at, r0_out;

__asm__(
    "       .syntax unified\n"
    "       .text\n"
    "       .thumb\n"
    "       .thumb_func\n"
    "       .global thumb_load\n"
    "thumb_load:\n"                     /* r0 = address; returns 0x77 if the load was skipped */
    "       movs    r1, #0x77\n"
    "thumb_load_insn:\n"
    "       ldr     r1, [r0, #4]\n"
    "       adds    r0, r1, #0\n"
    "       bx      lr\n"
    "       .arm\n");
uint32_t thumb_load(uint32_t address);
extern char thumb_load_insn[];

int main(void)
{
    mmu_identity_map();
    for (int i = 0; i < 256; i++) coarse[i] = 0;
    coarse[0] = L2_SMALL(SCRATCH, AP_FULL);
    mmu_l1[PAGED_VA >> 20] = L1_COARSE(coarse, 3);
    *(volatile uint32_t *)SCRATCH = 0x600df00d;
    mmu_enable(DACR(0, DACR_CLIENT) | DACR(3, DACR_CLIENT));

    uint32_t v = AT("ldr r1, [r0]", PAGED_VA, 0);
    sh_printf("mapped small page reads %08x\n", v);
    sh_check("no abort on a mapped page", dabt_rec.count == 0 && v == 0x600df00d);

    v = AT("ldr r1, [r0]", GAP_VA + 0x1234, 0xdead);
    report("ldr, unmapped section", insn_at, GAP_VA + 0x1234, 0x0f, FS_TRANS_SECTION);
    sh_check("skipped load leaves its register", v == 0xdead);

    AT("str r1, [r0]", GAP_VA + 0x20, 1);
    report("str, unmapped section", insn_at, GAP_VA + 0x20, 0x0f, FS_TRANS_SECTION);

    AT("ldrb r1, [r0, #3]", PAGED_VA + 0x1000, 0);
    report("ldrb, unmapped small page", insn_at, PAGED_VA + 0x1003, 0xff, 3 << 4 | FS_TRANS_PAGE);

    AT("strh r1, [r0, #-2]", PAGED_VA + 0x1ffc, 0);
    report("strh, unmapped small page", insn_at, PAGED_VA + 0x1ffa, 0xff, 3 << 4 | FS_TRANS_PAGE);

    AT("swp r1, r1, [r0]", PAGED_VA + 0x1010, 0);
    report("swp, unmapped small page", insn_at, PAGED_VA + 0x1010, 0xff, 3 << 4 | FS_TRANS_PAGE);

    /* Base restored: post-indexed load and LDM with writeback leave r0 as it was. */
    AT("ldr r1, [r0], #4", GAP_VA, 0);
    report("ldr post-indexed", insn_at, GAP_VA, 0x0f, FS_TRANS_SECTION);
    sh_check("post-indexed base restored", r0_out == GAP_VA);

    /* LDM from the last two words of the mapped page into the unmapped one:
       the abort names the first word that cannot be read. */
    AT("ldmia r0!, {r1, r2, r3}", PAGED_VA + 0xff8, 0);
    report("ldm crossing into an unmapped page", insn_at, PAGED_VA + 0x1000, 0xff, 3 << 4 | FS_TRANS_PAGE);
    sh_check("ldm base restored", r0_out == PAGED_VA + 0xff8);

    AT("stmdb r0!, {r1, r2}", GAP_VA + 4, 0);
    report("stmdb, unmapped section", insn_at, GAP_VA - 4, 0x0f, FS_TRANS_SECTION);
    sh_check("stm base restored", r0_out == GAP_VA + 4);

    v = thumb_load(GAP_VA);
    report("thumb ldr", (uint32_t)thumb_load_insn, GAP_VA + 4, 0x0f, FS_TRANS_SECTION);
    sh_printf("thumb result %x, spsr T %u\n", v, (dabt_rec.spsr >> 5) & 1);

    mmu_disable();
    sh_printf("data aborts: %u\n", dabt_rec.count);
    return sh_failures;
}
