/*
 * Every CP15 encoding's access rights from PL1 and PL0, against QEMU's cortex-a9 (ARM ARM
 * DDI 0406C B3.17 and B4.1, the rights per register; Cortex-A9 TRM DDI 0388 4.2). Each of the
 * 16384 (CRn, opc1, CRm, opc2) encodings is read with MRC from Secure SVC and from User mode,
 * and written with MCR (value 0) from User mode; an access that is UNDEFINED is counted by the
 * Undefined Instruction handler, which returns past it. MCR from SVC is left out: writes at PL1
 * change the machine under the program (SCTLR, VBAR, the cache operations). The program prints
 * the encodings each pass found accessible, "CRn,opc1,CRm,opc2" in hex. The instruction under
 * test is written into a two-word buffer (the MRC or MCR, then BX LR) with the MMU and caches
 * off, as QEMU starts the board.
 *
 * Left out of the PL1 pass: the encodings QEMU 7.2's cortex-a9 answers although neither the ARM
 * ARM nor the Cortex-A9 TRM allocates them. A privileged access to an unallocated encoding in an
 * allocated CRn is UNPREDICTABLE and one with CRn c4 or c14 UNDEFINED (DDI 0406C B3.17,
 * "Unallocated CP15 encodings"); armemu makes them all UNDEFINED, QEMU answers its wildcard rows
 * (DACR over every opc1/CRm/opc2 of c3 but c3,0,c0,0; TLB lockdown over every opc1/opc2 of c10
 * with CRm c0, c1, c4, c8, but the A9's c10,0,c0,0), ARMv6's WFAR (c6,0,c0,1), HACTLR of a core
 * without the Virtualization Extensions (c1,4,c0,1), ARMv8's AFSR0/1_EL3 (c5,6,c1,0/1) and
 * PMEVCNTRn/PMEVTYPERn/PMCCFILTR (c14). V7Cp15Tests asserts armemu's answer for them. User mode's
 * passes cover every encoding: there the two agree.
 */
#include "runtime.h"
#include "usermode.h"

static volatile uint32_t undef_count;

void undef_c(void) { undef_count++; }

/* LR_und = the undefined ARM instruction + 4: return to the next one (the probe's BX LR). */
__asm__(
    "       .syntax unified\n"
    "       .text\n"
    "       .global undef_handler\n"
    "undef_handler:\n"
    "       push    {r0-r3, r12, lr}\n"
    "       bl      undef_c\n"
    "       pop     {r0-r3, r12, lr}\n"
    "       movs    pc, lr\n");

static volatile uint32_t probe[2] __attribute__((aligned(8)));
static uint8_t pl1_read[2048], pl0_read[2048], pl0_write[2048];

#define ENCODINGS 16384u
/* Encoding e = crn << 10 | opc1 << 7 | crm << 3 | opc2. */
static uint32_t instruction(uint32_t e, int read)
{
    uint32_t crn = e >> 10, opc1 = (e >> 7) & 7, crm = (e >> 3) & 15, opc2 = e & 7;
    return 0xee000f10u | (read ? 1u << 20 : 0) | opc1 << 21 | crn << 16 | opc2 << 5 | crm; /* Rt = r0 */
}

/* The PL1 encodings QEMU answers beyond the manual (see above). */
static int qemu_only(uint32_t e)
{
    uint32_t crn = e >> 10, opc1 = (e >> 7) & 7, crm = (e >> 3) & 15, opc2 = e & 7;
    if (crn == 3) return e != 3u << 10;
    if (crn == 10) return (crm == 0 || crm == 1 || crm == 4 || crm == 8) && !(opc1 == 0 && crm == 0 && opc2 == 0);
    if (crn == 14) return 1;
    return (crn == 6 && opc1 == 0 && crm == 0 && opc2 == 1) || (crn == 1 && opc1 == 4 && crm == 0 && opc2 == 1) ||
           (crn == 5 && opc1 == 6 && crm == 1 && opc2 <= 1);
}

/* Runs the instruction for every encoding (but those skip() names); sets the bit of each that was not UNDEFINED. */
static uint32_t scan(uint8_t *bits, int read, int (*skip)(uint32_t))
{
    uint32_t (*run)(uint32_t) = (uint32_t (*)(uint32_t))(uintptr_t)probe;
    probe[1] = 0xe12fff1eu; /* bx lr */
    for (uint32_t e = 0; e < ENCODINGS; e++) {
        if (skip && skip(e)) continue;
        probe[0] = instruction(e, read);
        uint32_t before = undef_count;
        (void)run(0);
        if (undef_count == before) bits[e >> 3] |= (uint8_t)(1u << (e & 7));
    }
    return 0;
}

static uint32_t user_reads(uint32_t unused) { (void)unused; return scan(pl0_read, 1, 0); }
static uint32_t user_writes(uint32_t unused) { (void)unused; return scan(pl0_write, 0, 0); }

static void show(const char *what, const uint8_t *bits)
{
    uint32_t n = 0;
    for (uint32_t e = 0; e < ENCODINGS; e++) n += (bits[e >> 3] >> (e & 7)) & 1;
    sh_printf("%s: %u encodings\n", what, n);
    uint32_t column = 0;
    for (uint32_t e = 0; e < ENCODINGS; e++) {
        if (!((bits[e >> 3] >> (e & 7)) & 1)) continue;
        sh_printf("%s%x,%x,%x,%x", column ? " " : "  ", e >> 10, (e >> 7) & 7, (e >> 3) & 15, e & 7);
        if (++column == 10) { sh_printf("\n"); column = 0; }
    }
    if (column) sh_printf("\n");
}

int main(void)
{
    scan(pl1_read, 1, qemu_only);
    run_user(user_reads, 0);
    run_user(user_writes, 0);
    uint32_t skipped = 0;
    for (uint32_t e = 0; e < ENCODINGS; e++) skipped += (uint32_t)qemu_only(e);
    sh_printf("PL1 pass: %u encodings left out (QEMU's rows beyond the manual)\n", skipped);
    show("MRC from PL1 (Secure SVC)", pl1_read);
    show("MRC from PL0 (User)", pl0_read);
    show("MCR from PL0 (User)", pl0_write);
    return 0;
}
