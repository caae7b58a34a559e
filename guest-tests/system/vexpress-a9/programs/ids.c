/*
 * The Cortex-A9's identification and reset state through CP15, as a kernel's early boot code
 * reads them: MIDR and its aliases, CTR (v7 format), TCMTR, TLBTR, MPIDR, the feature
 * registers ID_PFR0..ID_ISAR5, CLIDR with CSSELR/CCSIDR for each level (ARM ARM B4.1.19-20,
 * B4.1.34), AIDR, and the reset values of SCTLR, ACTLR, CPACR, the security registers and the
 * MMU registers. Also what the flash at physical 0 reads as with no image in it.
 */
#include "runtime.h"

#define SHOW(name, crn, op1, crm, op2) sh_printf("%s %08x\n", name, READ_CP15(crn, op1, crm, op2))

int main(void)
{
    SHOW("MIDR", c0, 0, c0, 0);
    SHOW("CTR", c0, 0, c0, 1);
    SHOW("TCMTR", c0, 0, c0, 2);
    SHOW("TLBTR", c0, 0, c0, 3);
    SHOW("c0,c0,4", c0, 0, c0, 4);
    SHOW("MPIDR", c0, 0, c0, 5);
    SHOW("c0,c0,6", c0, 0, c0, 6);
    SHOW("c0,c0,7", c0, 0, c0, 7);
    SHOW("ID_PFR0", c0, 0, c1, 0);
    SHOW("ID_PFR1", c0, 0, c1, 1);
    SHOW("ID_DFR0", c0, 0, c1, 2);
    SHOW("ID_AFR0", c0, 0, c1, 3);
    SHOW("ID_MMFR0", c0, 0, c1, 4);
    SHOW("ID_MMFR1", c0, 0, c1, 5);
    SHOW("ID_MMFR2", c0, 0, c1, 6);
    SHOW("ID_MMFR3", c0, 0, c1, 7);
    SHOW("ID_ISAR0", c0, 0, c2, 0);
    SHOW("ID_ISAR1", c0, 0, c2, 1);
    SHOW("ID_ISAR2", c0, 0, c2, 2);
    SHOW("ID_ISAR3", c0, 0, c2, 3);
    SHOW("ID_ISAR4", c0, 0, c2, 4);
    SHOW("ID_ISAR5", c0, 0, c2, 5);
    SHOW("CLIDR", c0, 1, c0, 1);
    SHOW("AIDR", c0, 1, c0, 7);
    SHOW("CSSELR", c0, 2, c0, 0);
    for (uint32_t sel = 0; sel < 4; sel++) {
        WRITE_CP15(c0, 2, c0, 0, sel);
        WRITE_CP15(c7, 0, c5, 4, 0); /* ISB: CCSIDR reflects the new CSSELR */
        sh_printf("CCSIDR[%u]   %08x (CSSELR reads %x)\n", sel, READ_CP15(c0, 1, c0, 0), READ_CP15(c0, 2, c0, 0));
    }
    WRITE_CP15(c0, 2, c0, 0, 0);
    SHOW("SCTLR", c1, 0, c0, 0);
    SHOW("ACTLR", c1, 0, c0, 1);
    SHOW("CPACR", c1, 0, c0, 2);
    SHOW("SCR", c1, 0, c1, 0);
    SHOW("SDER", c1, 0, c1, 1);
    SHOW("NSACR", c1, 0, c1, 2);
    SHOW("TTBR0", c2, 0, c0, 0);
    SHOW("TTBR1", c2, 0, c0, 1);
    SHOW("TTBCR", c2, 0, c0, 2);
    SHOW("DACR", c3, 0, c0, 0);
    SHOW("DFSR", c5, 0, c0, 0);
    SHOW("IFSR", c5, 0, c0, 1);
    SHOW("DFAR", c6, 0, c0, 0);
    SHOW("IFAR", c6, 0, c0, 2);
    SHOW("PAR", c7, 0, c4, 0);
    SHOW("PRRR", c10, 0, c2, 0);
    SHOW("NMRR", c10, 0, c2, 1);
    SHOW("MVBAR", c12, 0, c0, 1);
    SHOW("CONTEXTIDR", c13, 0, c0, 1);
    SHOW("TPIDRURW", c13, 0, c0, 2);
    SHOW("TPIDRURO", c13, 0, c0, 3);
    SHOW("TPIDRPRW", c13, 0, c0, 4);
    SHOW("PMCR", c9, 0, c12, 0);
    SHOW("PMCNTENSET", c9, 0, c12, 1);
    SHOW("PMOVSR", c9, 0, c12, 3);
    SHOW("PMSELR", c9, 0, c12, 5);
    SHOW("PMUSERENR", c9, 0, c14, 0);
    SHOW("PMINTENSET", c9, 0, c14, 1);
    SHOW("CBAR", c15, 4, c0, 0);
    SHOW("A9 PWRCTL", c15, 0, c0, 0);
    SHOW("A9 DIAG", c15, 0, c0, 1);
    /* VBAR was set by the start-up code to the vector table. */
    extern char _vectors[];
    sh_check("VBAR is the vector table", READ_CP15(c12, 0, c0, 0) == (uint32_t)_vectors);
    uint32_t cpsr = read_cpsr();
    sh_printf("cpsr mode %02x I %u F %u\n", cpsr & 0x1f, (cpsr >> 7) & 1, (cpsr >> 6) & 1);
    sh_printf("flash at 0: %08x %08x\n", mmio_read(0), mmio_read(0x100));
    return sh_failures;
}
