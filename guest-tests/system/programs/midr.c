/*
 * CP15 c0 identification and the reset state of c1.
 * MIDR layout: ARM926EJ-S TRM, c0 ID code register (0x41069265 for r0p5). The cache type
 * register is not printed: QEMU's value departs from the TRM's.
 */
#include "runtime.h"

int main(void)
{
    uint32_t midr = READ_CP15(c0, 0, c0, 0);
    sh_printf("midr %08x\n", midr);
    sh_printf("implementer %02x ('%c'), variant %x, architecture %x, part %03x, revision %x\n",
              midr >> 24, (int)(midr >> 24), (midr >> 20) & 0xf, (midr >> 16) & 0xf, (midr >> 4) & 0xfff, midr & 0xf);
    /* Linux arch/arm/mm/proc-arm926.S: __arm926_proc_info matches val 0x41069260, mask 0xff0ffff0. */
    sh_check("linux proc-arm926 match", (midr & 0xff0ffff0) == 0x41069260);
    sh_check("architecture field 6 (ARMv5TEJ)", ((midr >> 16) & 0xf) == 6);

    /* ARM ARM B3, register 0: an unimplemented opcode_2 of c0,c0 reads as the main ID register. */
    uint32_t op4 = READ_CP15(c0, 0, c0, 4), op5 = READ_CP15(c0, 0, c0, 5);
    uint32_t op6 = READ_CP15(c0, 0, c0, 6), op7 = READ_CP15(c0, 0, c0, 7);
    sh_check("c0,c0,{4..7} read as MIDR", op4 == midr && op5 == midr && op6 == midr && op7 == midr);

    /*
     * SCTLR after reset: MMU, alignment, caches, high vectors off, little-endian,
     * S/R clear (ARM926EJ-S TRM, c1 control register). Only those bits are printed: the
     * should-be-one bits differ (TRM reset value 0x00050078, QEMU 0x00090078).
     */
    uint32_t sctlr = READ_CP15(c1, 0, c0, 0);
    sh_printf("sctlr M %u A %u C %u B %u S %u R %u I %u V %u RR %u L4 %u, bits[6:3] %x\n",
              sctlr & 1, (sctlr >> 1) & 1, (sctlr >> 2) & 1, (sctlr >> 7) & 1, (sctlr >> 8) & 1, (sctlr >> 9) & 1,
              (sctlr >> 12) & 1, (sctlr >> 13) & 1, (sctlr >> 14) & 1, (sctlr >> 15) & 1, (sctlr >> 3) & 0xf);
    return sh_failures;
}
