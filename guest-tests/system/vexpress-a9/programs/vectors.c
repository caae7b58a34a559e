/*
 * Where exceptions go on an ARMv7 core with the Security Extensions (ARM ARM B1.8.1):
 * VBAR (c12,c0,0) while SCTLR.V is 0, 0xFFFF0000 while it is 1 (VBAR then ignored), and
 * SCTLR.TE (B1.8.3) taking them in Thumb state. Each handler records which table it came
 * through, LR and SPSR; BKPT's prefetch abort reports a debug event in IFSR (B4.1.96).
 * The high vectors are reached through the MMU: 0xFFF00000 maps a RAM section holding a
 * copy of a table.
 */
#include "runtime.h"

#define L1 ((volatile uint32_t *)0x60400000u)
#define HIGH_PA 0x60700000u

volatile uint32_t via, spsr_seen, lr_seen, thumb_marker;
extern char table_a[], table_a_end[], table_b[], table_te[];

/* Two ARM tables and one Thumb table; their SVC and undefined handlers record and return. */
__asm__(
    "       .syntax unified\n"
    "       .text\n"
    "       .balign 32\n"
    "       .global table_a, table_a_end\n"
    "table_a:\n"
    "       b       .\n"
    "       ldr     pc, 1f\n"                 /* undefined */
    "       ldr     pc, 2f\n"                 /* svc */
    "       ldr     pc, 5f\n"                 /* prefetch abort */
    "       b       .\n"
    "       b       .\n"
    "       b       .\n"
    "       b       .\n"
    "1:     .word   und_a\n"
    "2:     .word   svc_a\n"
    "5:     .word   pabt_a\n"
    "table_a_end:\n"
    "und_a: push    {r0}\n"
    "       mov     r0, #0xa1\n"
    "       b       record\n"
    "svc_a: push    {r0}\n"
    "       mov     r0, #0xa2\n"
    "       b       record\n"
    "pabt_a: push   {r0}\n"
    "       mov     r0, #0xa3\n"
    "       b       record\n"
    "record:\n"                               /* via = r0, lr_seen = lr, spsr_seen = spsr */
    "       push    {r1}\n"
    "       ldr     r1, =via\n"
    "       str     r0, [r1]\n"
    "       ldr     r1, =lr_seen\n"
    "       str     lr, [r1]\n"
    "       mrs     r0, spsr\n"
    "       ldr     r1, =spsr_seen\n"
    "       str     r0, [r1]\n"
    "       pop     {r1}\n"
    "       pop     {r0}\n"
    "       movs    pc, lr\n"                 /* back after the SVC/UDF/BKPT (LR = next for SVC and UDF, +4 for BKPT) */
    "       .ltorg\n"
    "\n"
    "       .balign 32\n"
    "       .global table_b\n"
    "table_b:\n"
    "       b       .\n"
    "       b       und_b\n"
    "       b       svc_b\n"
    "       b       .\n"
    "       b       .\n"
    "       b       .\n"
    "       b       .\n"
    "       b       .\n"
    "und_b: push    {r0}\n"
    "       mov     r0, #0xb1\n"
    "       b       record\n"
    "svc_b: push    {r0}\n"
    "       mov     r0, #0xb2\n"
    "       b       record\n"
    "\n"
    "       .balign 32\n"
    "       .global table_te\n"
    "       .thumb\n"
    "table_te:\n"
    "       b       .\n"                      /* 16-bit branches: each vector is a halfword pair */
    "       nop\n"
    "       b       .\n"
    "       nop\n"
    "       b       svc_te\n"
    "       nop\n"
    "       b       .\n"
    "       nop\n"
    "       b       .\n"
    "       nop\n"
    "       b       .\n"
    "       nop\n"
    "       b       .\n"
    "       nop\n"
    "       b       .\n"
    "       nop\n"
    "svc_te:\n"
    "       movs    r1, #0x7e\n"              /* Thumb code ran */
    "       ldr     r0, =svc_te_arm\n"
    "       bx      r0\n"
    "       .balign 4\n"
    "       .ltorg\n"
    "       .arm\n"
    "svc_te_arm:\n"
    "       ldr     r0, =thumb_marker\n"
    "       str     r1, [r0]\n"
    "       push    {r0}\n"
    "       mov     r0, #0xc2\n"
    "       b       record\n"
    "       .ltorg\n");

static void set_vbar(void *table)
{
    WRITE_CP15(c12, 0, c0, 0, (uint32_t)table);
    WRITE_CP15(c7, 0, c5, 4, 0);
}

static void svc1(void) { __asm__ volatile("svc #1" ::: "r0", "r1", "r2", "r3", "r12", "lr", "memory"); }
static void udf(void) { __asm__ volatile(".word 0xe7f000f0" ::: "memory"); } /* UDF #0 (permanently undefined) */

static void show(const char *what)
{
    sh_printf("%s: via %x, spsr mode %02x T %u\n", what, via, spsr_seen & 0x1f, (spsr_seen >> 5) & 1);
    via = 0;
}

int main(void)
{
    sh_printf("VBAR at start-up is the image's table: %u\n", READ_CP15(c12, 0, c0, 0) == 0x60010000u);
    set_vbar(table_a);
    svc1();
    show("svc, VBAR = table A");
    udf();
    show("undefined, VBAR = table A");
    __asm__ volatile("bkpt #7" ::: "memory");
    show("bkpt");
    sh_printf("bkpt: IFSR %03x\n", READ_CP15(c5, 0, c0, 1));

    set_vbar(table_b);
    svc1();
    show("svc, VBAR = table B");
    udf();
    show("undefined, VBAR = table B");

    /* SCTLR.TE: the SVC is taken in Thumb state at the Thumb table. */
    set_vbar(table_te);
    WRITE_CP15(c1, 0, c0, 0, READ_CP15(c1, 0, c0, 0) | 1u << 30);
    WRITE_CP15(c7, 0, c5, 4, 0);
    svc1();
    WRITE_CP15(c1, 0, c0, 0, READ_CP15(c1, 0, c0, 0) & ~(1u << 30));
    show("svc with SCTLR.TE");
    sh_printf("thumb handler ran: %x\n", thumb_marker);

    /* High vectors: a copy of table A at 0xFFFF0000 through the MMU, VBAR pointing at table B. */
    for (int i = 0; i < 4096; i++) L1[i] = 0;
    for (uint32_t mb = 0x600; mb < 0x680; mb++) L1[mb] = (mb << 20) | 3u << 10 | 2;
    L1[0x100] = 0x10000000u | 3u << 10 | 1u << 4 | 4 | 2;
    L1[0xfff] = HIGH_PA | 3u << 10 | 2;
    uint32_t *dst = (uint32_t *)(HIGH_PA + 0xf0000);
    for (uint32_t *src = (uint32_t *)table_a; src < (uint32_t *)table_a_end; src++) *dst++ = *src;
    WRITE_CP15(c3, 0, c0, 0, 0x55555555u);
    WRITE_CP15(c2, 0, c0, 2, 0);
    WRITE_CP15(c2, 0, c0, 0, (uint32_t)L1);
    WRITE_CP15(c8, 0, c7, 0, 0);
    WRITE_CP15(c7, 0, c10, 4, 0);
    WRITE_CP15(c1, 0, c0, 0, READ_CP15(c1, 0, c0, 0) | 1 | 1u << 13);
    WRITE_CP15(c7, 0, c5, 4, 0);
    set_vbar(table_b);
    svc1();
    show("svc, SCTLR.V = 1 (VBAR = table B ignored)");
    udf();
    show("undefined, SCTLR.V = 1");
    WRITE_CP15(c1, 0, c0, 0, READ_CP15(c1, 0, c0, 0) & ~(1u | 1u << 13));
    WRITE_CP15(c7, 0, c5, 4, 0);
    set_vbar((void *)0x60010000u);
    svc1();
    show("svc, back to the image's VBAR");
    return sh_failures;
}

/* The image's own SVC handler (start.S's weak one reports an unexpected exception). */
__asm__(
    "       .text\n"
    "       .global svc_handler\n"
    "svc_handler:\n"
    "       push    {r0}\n"
    "       mov     r0, #0xd2\n"
    "       b       record\n");
