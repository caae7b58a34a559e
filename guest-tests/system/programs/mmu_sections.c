/*
 * 1 MiB sections (ARM ARM B4, section descriptors): PA = descriptor[31:20] : VA[19:0].
 * An identity map plus aliases of RAM at high addresses: a write through one
 * virtual address is read back through the others and, with the MMU off,
 * at the physical address. A section over the peripherals lets UART0 be
 * driven through an alias. Changing a descriptor and flushing the TLB
 * remaps; so does switching TTBR to a second table.
 */
#include "runtime.h"
#include "mmu.h"

#define PA_A 0x00200000u
#define PA_B 0x00300000u
#define ALIAS1 0xc0000000u
#define ALIAS2 0xc0100000u
#define ALIAS3 0xc0200000u
#define UART_VA 0xf0100000u /* section over 0x10100000: UART0 at +0xf1000 */

static uint32_t second_l1[4096] __attribute__((aligned(16384)));

static uint32_t rd(uint32_t a) { return *(volatile uint32_t *)a; }
static void wr(uint32_t a, uint32_t v) { *(volatile uint32_t *)a = v; }

static void uart_alias_puts(const char *s)
{
    for (; *s; s++) {
        while (rd(UART_VA + 0xf1018) & (1u << 5)) { } /* UARTFR.TXFF */
        wr(UART_VA + 0xf1000, (uint8_t)*s);
    }
}

int main(void)
{
    wr(PA_A + 0x1230, 0);
    wr(PA_B + 0x1230, 0);

    mmu_identity_map();
    mmu_l1[ALIAS1 >> 20] = L1_SECTION(PA_A, AP_FULL, 0);
    mmu_l1[ALIAS2 >> 20] = L1_SECTION(PA_A, AP_FULL, 0);
    mmu_l1[ALIAS3 >> 20] = L1_SECTION(PA_B, AP_FULL, 0);
    mmu_l1[UART_VA >> 20] = L1_SECTION(0x10100000, AP_PRIV, 0);
    mmu_enable(DACR(0, DACR_CLIENT));
    sh_printf("mmu on, sctlr.M %u\n", sctlr_read() & 1);

    wr(ALIAS1 + 0x1230, 0xa11a5001);
    sh_printf("write %08x at %08x: alias %08x reads %08x, identity %08x reads %08x\n", 0xa11a5001, ALIAS1 + 0x1230,
              ALIAS2 + 0x1230, rd(ALIAS2 + 0x1230), PA_A + 0x1230, rd(PA_A + 0x1230));
    wr(PA_A + 0xffffc, 0x0ff5e7);
    sh_printf("last word of the MiB through the alias: %08x\n", rd(ALIAS1 + 0xffffc));
    wr(ALIAS3 + 0x1230, 0xb0b0b0b0);
    sh_check("aliases agree", rd(ALIAS2 + 0x1230) == 0xa11a5001 && rd(PA_A + 0x1230) == 0xa11a5001 &&
                                  rd(ALIAS1 + 0xffffc) == 0x0ff5e7 && rd(PA_B + 0x1230) == 0xb0b0b0b0);
    /* Byte and halfword accesses through an alias. */
    *(volatile uint8_t *)(ALIAS2 + 0x1231) = 0x77;
    *(volatile uint16_t *)(ALIAS1 + 0x1232) = 0xbeef;
    sh_printf("after byte and halfword stores: %08x\n", rd(PA_A + 0x1230));

    uart_alias_puts("uart0 through a section at 0xf0100000\n");

    /* Remap ALIAS1 to PA_B: the TLB must forget the old translation. */
    mmu_l1[ALIAS1 >> 20] = L1_SECTION(PA_B, AP_FULL, 0);
    tlb_flush_all();
    sh_printf("remapped alias reads %08x\n", rd(ALIAS1 + 0x1230));
    sh_check("remap", rd(ALIAS1 + 0x1230) == 0xb0b0b0b0);

    /* A second table (TTBR switch): same flat map, ALIAS1 back on PA_A. */
    for (int i = 0; i < 4096; i++) second_l1[i] = mmu_l1[i];
    second_l1[ALIAS1 >> 20] = L1_SECTION(PA_A, AP_FULL, 0);
    WRITE_CP15(c2, 0, c0, 0, (uint32_t)second_l1);
    tlb_flush_all();
    sh_check("ttbr reads back", READ_CP15(c2, 0, c0, 0) == (uint32_t)second_l1);
    sh_printf("after ttbr switch alias reads %08x\n", rd(ALIAS1 + 0x1230));
    sh_check("ttbr switch", rd(ALIAS1 + 0x1230) == 0xbeef7701);

    mmu_disable();
    sh_printf("mmu off, physical %08x reads %08x\n", PA_A + 0x1230, rd(PA_A + 0x1230));
    return sh_failures;
}
