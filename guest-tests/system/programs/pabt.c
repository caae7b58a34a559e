/*
 * Prefetch Abort (ARM ARM A2.6, Prefetch Abort): BKPT in both states, then instruction
 * fetches the MMU refuses. LR_abt = aborted instruction + 4; the abort is
 * taken only if the instruction reaches execution, so code that ends just
 * before an unmapped MiB runs without fault. IFSR (c5, c0, 1) is printed where
 * the ARM926EJ-S TRM (fault address and fault status registers)
 * defines it: status for a section translation fault,
 * status and domain for page translation, domain and permission faults. The
 * FAR is not updated by prefetch aborts (same section). The IFSR after BKPT
 * is not printed: ARMv5 defines no debug-event status there (QEMU writes one).
 */
#include "runtime.h"
#include "aborts.h"
#include "mmu.h"
#include "usermode.h"

#define SCRATCH 0x00200000u /* RAM used as code, seen at CODE_VA */
#define CODE_VA 0x30000000u
#define GAP_VA 0x30100000u  /* never mapped */
#define PAGED_VA 0x40000000u

static uint32_t coarse[256] __attribute__((aligned(1024)));

static uint32_t call(uint32_t address, uint32_t r0) { return ((uint32_t(*)(uint32_t))address)(r0); }

static uint32_t user_call(uint32_t address) { return call(address, 7); }

static void bkpt_arm(void) { __asm__ volatile("bkpt_arm_insn: bkpt #0x12" ::: "memory"); }
extern char bkpt_arm_insn[];
__asm__(
    "       .syntax unified\n"
    "       .text\n"
    "       .thumb\n"
    "       .thumb_func\n"
    "       .global bkpt_thumb\n"
    "bkpt_thumb:\n"
    "       movs    r0, #1\n"
    "bkpt_thumb_insn:\n"
    "       bkpt    #0x34\n"
    "       adds    r0, r0, #1\n"
    "       bx      lr\n"
    "       .arm\n");
uint32_t bkpt_thumb(void);
extern char bkpt_thumb_insn[];

static uint32_t last_count;

/* Prints the abort just taken (if any) and checks its address (0: none expected) and the IFSR bits the TRM defines. */
static void report(const char *what, uint32_t result, uint32_t address, uint32_t ifsr_mask, uint32_t ifsr)
{
    int aborted = pabt_rec.count != last_count;
    last_count = pabt_rec.count;
    sh_printf("%s: result %u, ", what, result);
    if (!aborted) {
        sh_printf("no abort\n");
        if (address != 0) sh_check(what, 0);
        return;
    }
    sh_printf("abort at %08x, ifsr & %02x = %02x, spsr mode %02x\n", pabt_rec.address, ifsr_mask, pabt_rec.fsr & ifsr_mask,
              pabt_rec.spsr & 0x3f);
    sh_check(what, address != 0 && pabt_rec.address == address && (pabt_rec.fsr & ifsr_mask) == ifsr);
}

static void map_code(uint32_t ap, uint32_t domain)
{
    mmu_l1[CODE_VA >> 20] = L1_SECTION(SCRATCH, ap, domain);
    tlb_flush_all();
}

int main(void)
{
    /* Code in scratch RAM: "mov r0, #42; bx lr" at its start, and at its last
       8 bytes either the same or "mov r0, #43; mov r0, #44" running off the end. */
    volatile uint32_t *code = (volatile uint32_t *)SCRATCH;
    code[0] = 0xe3a0002a;
    code[1] = 0xe12fff1e;
    volatile uint32_t *tail = (volatile uint32_t *)(SCRATCH + 0x100000 - 8);

    WRITE_CP15(c6, 0, c0, 0, 0x5a5a5a5a); /* FAR: a marker prefetch aborts must leave alone */

    bkpt_arm();
    sh_printf("bkpt arm: aborts %u, at insn %s, spsr %08x\n", pabt_rec.count,
              pabt_rec.address == (uint32_t)bkpt_arm_insn ? "yes" : "no", pabt_rec.spsr & PSR_DEFINED);
    uint32_t r = bkpt_thumb();
    sh_printf("bkpt thumb: aborts %u, at insn %s, spsr T %u, result %u\n", pabt_rec.count,
              pabt_rec.address == (uint32_t)bkpt_thumb_insn ? "yes" : "no", (pabt_rec.spsr >> 5) & 1, r);
    last_count = pabt_rec.count;

    mmu_identity_map();
    map_code(AP_FULL, 0);
    for (int i = 0; i < 256; i++) coarse[i] = 0; /* every small page invalid */
    mmu_l1[PAGED_VA >> 20] = L1_COARSE(coarse, 2);
    mmu_enable(DACR(0, DACR_CLIENT) | DACR(1, DACR_NOACCESS) | DACR(2, DACR_CLIENT));
    abort_return_to_caller = 1;

    report("mapped code", call(CODE_VA, 7), 0, 0, 0);
    report("unmapped section", call(GAP_VA, 7), GAP_VA, 0x0f, FS_TRANS_SECTION);
    report("unmapped small page", call(PAGED_VA + 0x40, 7), PAGED_VA + 0x40, 0xff, 2 << 4 | FS_TRANS_PAGE);

    tail[0] = 0xe3a0002a;
    tail[1] = 0xe12fff1e;
    report("code ending at the gap", call(GAP_VA - 8, 7), 0, 0, 0);
    tail[0] = 0xe3a0002b;
    tail[1] = 0xe3a0002c;
    report("code running into the gap", call(GAP_VA - 8, 7), GAP_VA, 0x0f, FS_TRANS_SECTION);

    map_code(AP_FULL, 1);
    report("domain no access", call(CODE_VA, 7), CODE_VA, 0xff, 1 << 4 | FS_DOMAIN_SECTION);
    dacr_write(DACR(0, DACR_CLIENT) | DACR(1, DACR_MANAGER) | DACR(2, DACR_CLIENT));
    map_code(AP_NONE, 1);
    report("manager ignores AP=00", call(CODE_VA, 7), 0, 0, 0);
    dacr_write(DACR(0, DACR_CLIENT) | DACR(1, DACR_CLIENT) | DACR(2, DACR_CLIENT));
    map_code(AP_PRIV, 1);
    report("AP=01 from Supervisor", call(CODE_VA, 7), 0, 0, 0);
    report("AP=01 from User", run_user(user_call, CODE_VA), CODE_VA, 0xff, 1 << 4 | FS_PERM_SECTION);
    sh_printf("user abort spsr mode %02x\n", pabt_rec.spsr & 0x1f);

    mmu_disable();
    sh_check("FAR untouched by prefetch aborts", far_read() == 0x5a5a5a5a);
    sh_printf("prefetch aborts: %u\n", pabt_rec.count);
    return sh_failures;
}
