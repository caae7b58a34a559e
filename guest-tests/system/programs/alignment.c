/*
 * Alignment faults (ARM ARM A2.8 and B4, fault status;
 * ARM926EJ-S TRM, fault address and fault status registers). With SCTLR.A = 1
 * unaligned word and halfword accesses take a Data Abort with FSR status
 * 0b00x1 and FAR = the address (the domain field is not valid, so only the
 * status is printed), whether or not the MMU is on, and ahead of a
 * translation fault. Byte accesses and aligned ones never fault.
 *
 * Not tested: SCTLR.A = 0 unaligned LDR. ARMv5 (ARM ARM A4.1, LDR) loads the
 * aligned word rotated right by 8 * address[1:0]; QEMU 7.2 does an ARMv6-style
 * unaligned load instead (from bytes 55 66 77 88 99 at base + 4, LDR [base + 5]
 * gives QEMU 0x99887766, the ARM926 0x55887766), so the oracle cannot judge it.
 */
#include "runtime.h"
#include "aborts.h"
#include "mmu.h"

static uint32_t data[4] __attribute__((aligned(16))) = { 0x44332211, 0x88776655, 0xccbbaa99, 0x00ffeedd };
static uint32_t last_count;

#define AT(text, base, value)                                                                                    \
    ({                                                                                                           \
        register uint32_t r0_ __asm__("r0") = (base);                                                           \
        register uint32_t r1_ __asm__("r1") = (value);                                                          \
        __asm__ volatile("adr r2, 1f\n\tstr r2, %2\n1:\t" text : "+r"(r0_), "+r"(r1_), "=m"(insn_at)::"r2", "r3", "memory"); \
        r1_;                                                                                                     \
    })
static uint32_t insn_at;

static void expect_fault(const char *what, uint32_t far)
{
    int aborted = dabt_rec.count != last_count;
    last_count = dabt_rec.count;
    if (!aborted) {
        sh_printf("%s: no abort\n", what);
        sh_check(what, 0);
        return;
    }
    sh_printf("%s: dfsr & 0d = %x, far = base + %u, at insn %s\n", what, dabt_rec.fsr & 0xd,
              dabt_rec.far - (uint32_t)data, dabt_rec.address == insn_at ? "yes" : "no");
    sh_check(what, (dabt_rec.fsr & 0xd) == FS_ALIGN && dabt_rec.far == far && dabt_rec.address == insn_at);
}

static void expect_none(const char *what, uint32_t got, uint32_t want)
{
    int aborted = dabt_rec.count != last_count;
    last_count = dabt_rec.count;
    sh_printf("%s: %08x%s\n", what, got, aborted ? " (aborted)" : "");
    sh_check(what, !aborted && got == want);
}

int main(void)
{
    uint32_t base = (uint32_t)data;

    sctlr_write(sctlr_read() | SCTLR_A);
    sh_printf("sctlr.A %u\n", (sctlr_read() >> 1) & 1);

    uint32_t v = AT("ldr r1, [r0]", base + 5, 0xdead);
    expect_fault("A=1 ldr +1", base + 5);
    sh_check("faulting ldr leaves its register", v == 0xdead);
    AT("ldr r1, [r0]", base + 6, 0);
    expect_fault("A=1 ldr +2", base + 6);
    AT("ldrh r1, [r0]", base + 3, 0);
    expect_fault("A=1 ldrh +3", base + 3);
    AT("str r1, [r0]", base + 2, 0x12345678);
    expect_fault("A=1 str +2", base + 2);
    sh_check("faulting str wrote nothing", data[0] == 0x44332211);
    AT("strh r1, [r0]", base + 9, 0);
    expect_fault("A=1 strh +1", base + 9);
    AT("ldmia r0, {r1, r2}", base + 2, 0);
    expect_fault("A=1 ldm +2", base + 2);
    AT("swp r1, r1, [r0]", base + 1, 0);
    expect_fault("A=1 swp +1", base + 1);

    expect_none("A=1 ldrb +3", AT("ldrb r1, [r0, #3]", base, 0), 0x44);
    expect_none("A=1 ldrh +2", AT("ldrh r1, [r0, #2]", base, 0), 0x4433);
    expect_none("A=1 ldr +8", AT("ldr r1, [r0, #8]", base, 0), 0xccbbaa99);

    /* MMU on: alignment comes before translation (ARM ARM B4, fault priorities). */
    mmu_identity_map();
    mmu_enable(DACR(0, DACR_CLIENT));
    AT("ldr r1, [r0]", base + 1, 0);
    expect_fault("MMU on, ldr +1", base + 1);
    AT("ldr r1, [r0]", 0x30000002, 0);
    sh_printf("unaligned ldr of unmapped address: dfsr & 0d = %x, far %08x\n", dabt_rec.fsr & 0xd, dabt_rec.far);
    sh_check("alignment before translation", dabt_rec.count == last_count + 1 && (dabt_rec.fsr & 0xd) == FS_ALIGN);
    last_count = dabt_rec.count;
    mmu_disable();

    sctlr_write(sctlr_read() & ~SCTLR_A);
    sh_printf("sctlr.A %u\n", (sctlr_read() >> 1) & 1);
    sh_printf("data aborts: %u\n", dabt_rec.count);
    return sh_failures;
}
