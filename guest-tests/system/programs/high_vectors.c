/*
 * High exception vectors (ARM ARM A2.6, high vectors; ARM926EJ-S TRM,
 * c1 control register, V bit):
 * with V = 1 the vectors are fetched from 0xffff0000, here a virtual address
 * the MMU maps to RAM holding a copied vector table. An SVC and an undefined
 * instruction go to the high handlers; with V = 0 again, the SVC goes to the
 * low vector at 0.
 */
#include "runtime.h"
#include "mmu.h"

#define HIGH_PA 0x00400000u /* RAM behind the top MiB */

static volatile uint32_t log_[8];
static volatile int nlog;

void note(uint32_t what)
{
    if (nlog < 8) log_[nlog++] = what;
}

/* Handlers: note where the exception came in (tag in r0), then return past the instruction. */
__asm__(
    "       .syntax unified\n"
    "       .text\n"
    "       .macro  noting name, tag\n"
    "\\name:\n"
    "       push    {r0-r3, r12, lr}\n"
    "       ldr     r0, =\\tag\n"
    "       bl      note\n"
    "       pop     {r0-r3, r12, lr}\n"
    "       movs    pc, lr\n"
    "       .endm\n"
    "       noting  high_svc, 0x4a5c\n"
    "       noting  high_undef, 0x4a0d\n"
    "       noting  high_other, 0x4a00\n"
    "       .global svc_handler\n"
    "       noting  svc_handler, 0x105c\n"
    "       .ltorg\n"
    /* The table: LDR PC, [PC, #24] in every slot, addresses 32 bytes on. */
    "       .global high_table\n"
    "high_table:\n"
    "       .rept   8\n"
    "       ldr     pc, [pc, #24]\n"
    "       .endr\n"
    "       .word   high_other, high_undef, high_svc, high_other, high_other, high_other, high_other, high_other\n"
    "       .global high_table_end\n"
    "high_table_end:\n");
extern uint32_t high_table[], high_table_end[];

int main(void)
{
    mmu_identity_map();
    mmu_l1[0xfff] = L1_SECTION(HIGH_PA, AP_PRIV, 0);
    mmu_enable(DACR(0, DACR_CLIENT));

    volatile uint32_t *vectors = (volatile uint32_t *)0xffff0000;
    for (uint32_t *p = high_table; p < high_table_end; p++) *vectors++ = *p;
    /* The I-cache is off, so the copied code needs no cache maintenance. */
    sh_check("table visible at its physical address", *(volatile uint32_t *)(HIGH_PA + 0xf0000) == 0xe59ff018);

    sctlr_write(sctlr_read() | SCTLR_V);
    sh_printf("sctlr.V %u\n", (sctlr_read() >> 13) & 1);
    __asm__ volatile("svc #0x10" ::: "lr", "memory");
    __asm__ volatile(".inst 0xe7f000f0" ::: "memory");
    sctlr_write(sctlr_read() & ~SCTLR_V);
    sh_printf("sctlr.V %u\n", (sctlr_read() >> 13) & 1);
    __asm__ volatile("svc #0x11" ::: "lr", "memory");

    for (int i = 0; i < nlog; i++) sh_printf("exception %d: %s\n", i,
        log_[i] == 0x4a5c ? "svc via 0xffff0008" : log_[i] == 0x4a0d ? "undef via 0xffff0004" :
        log_[i] == 0x105c ? "svc via 0x00000008" : "other");
    sh_check("high, high, low", nlog == 3 && log_[0] == 0x4a5c && log_[1] == 0x4a0d && log_[2] == 0x105c);
    mmu_disable();
    return sh_failures;
}
