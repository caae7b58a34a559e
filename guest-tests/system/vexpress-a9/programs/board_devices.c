/*
 * The vexpress-a9 devices beyond the GIC and the private timer: the motherboard system
 * registers (V2M-P1 TRM DUI 0447 4.3: IDs, LEDs, flags, the SYS_CFGCTRL transfer to the
 * daughterboard's oscillators and voltage sensors), the SCU (A9 MPCore TRM 2.2), the global
 * timer's comparator interrupt with auto-increment through the GIC (PPI 27, TRM 4.3), the
 * PL031 RTC and the two PL111 CLCDs (identification and reset state). Values that depend on
 * the time of day (QEMU's RTC and global timer run on host time) are not printed.
 */
#include "runtime.h"

#define SYS 0x10000000u
#define SCU 0x1e000000u
#define GICC 0x1e000100u
#define GT 0x1e000200u
#define GICD 0x1e001000u
#define RTC 0x10017000u
#define CLCD_MB 0x1001f000u
#define CLCD_DB 0x10020000u

static uint32_t cfg(uint32_t function, uint32_t site, uint32_t device, int write, uint32_t data)
{
    mmio_write(SYS + 0xa8, 0);
    mmio_write(SYS + 0xa0, data);
    mmio_write(SYS + 0xa4, 1u << 31 | (write ? 1u << 30 : 0) | function << 20 | site << 16 | device);
    while (!(mmio_read(SYS + 0xa8) & 3)) { }
    return mmio_read(SYS + 0xa8);
}

static uint32_t id(uint32_t base)
{
    return mmio_read(base + 0xfe0) | mmio_read(base + 0xfe4) << 8 | mmio_read(base + 0xfe8) << 16 | mmio_read(base + 0xfec) << 24;
}

static volatile uint32_t gt_events, gt_bad;

void irq_c(void)
{
    uint32_t iar = mmio_read(GICC + 0x0c);
    if ((iar & 0x3ff) == 27 && (mmio_read(GT + 0x0c) & 1)) {
        mmio_write(GT + 0x0c, 1);
        if (++gt_events == 3) mmio_write(GT + 0x08, 0);
    } else {
        gt_bad++;
    }
    mmio_write(GICC + 0x10, iar);
}

__asm__(
    "       .syntax unified\n"
    "       .text\n"
    "       .global irq_handler\n"
    "irq_handler:\n"
    "       sub     lr, lr, #4\n"
    "       push    {r0-r3, r12, lr}\n"
    "       bl      irq_c\n"
    "       pop     {r0-r3, r12, lr}\n"
    "       movs    pc, lr\n");

int main(void)
{
    /* System registers. */
    sh_printf("SYS_ID %08x SYS_PROCID0 %08x SYS_PROCID1 %08x\n", mmio_read(SYS), mmio_read(SYS + 0x84), mmio_read(SYS + 0x88));
    mmio_write(SYS + 0x08, 0xa5);                 /* SYS_LED [7:0] (QEMU keeps the other bits too) */
    mmio_write(SYS + 0x30, 0x81);
    mmio_write(SYS + 0x34, 0x01);
    sh_printf("SYS_LED %x SYS_FLAGS %x\n", mmio_read(SYS + 0x08), mmio_read(SYS + 0x30));
    for (uint32_t d = 0; d < 3; d++) {
        uint32_t st = cfg(1, 1, d, 0, 0);
        sh_printf("daughterboard OSC%u: status %u, %u Hz\n", d, st, mmio_read(SYS + 0xa0));
    }
    for (uint32_t d = 0; d < 6; d++) {
        uint32_t st = cfg(2, 1, d, 0, 0);
        sh_printf("daughterboard VOLT%u: status %u, %u uV\n", d, st, mmio_read(SYS + 0xa0));
    }
    uint32_t st = cfg(1, 1, 1, 1, 25000000);
    cfg(1, 1, 1, 0, 0);
    sh_printf("OSC1 after writing 25 MHz: status %u, %u Hz\n", st, mmio_read(SYS + 0xa0));

    /* SCU. */
    mmio_write(SCU + 0x00, 0xffffffff);
    mmio_write(SCU + 0x08, 0x3);
    sh_printf("SCU control %x configuration %x power %x\n", mmio_read(SCU), mmio_read(SCU + 0x04), mmio_read(SCU + 0x08));

    /* The global timer: a comparator 20000 ticks ahead, auto-increment 20000, three events through PPI 27. */
    mmio_write(GICD + 0x000, 1);
    mmio_write(GICC + 0x00, 1);
    mmio_write(GICC + 0x04, 0xf0);
    mmio_write(GICD + 0x100, 1u << 27);
    mmio_write(GT + 0x08, 1);                     /* count */
    uint32_t lo = mmio_read(GT + 0x00), hi = mmio_read(GT + 0x04);
    uint64_t now = (uint64_t)hi << 32 | lo, compare = now + 20000;
    mmio_write(GT + 0x10, (uint32_t)compare);
    mmio_write(GT + 0x14, (uint32_t)(compare >> 32));
    mmio_write(GT + 0x18, 20000);
    mmio_write(GT + 0x08, 1 | 2 | 4 | 8);
    sh_printf("global timer control %x, auto-increment %u\n", mmio_read(GT + 0x08), mmio_read(GT + 0x18));
    __asm__ volatile("msr cpsr_c, #0x53" ::: "memory");
    while (gt_events < 3) WRITE_CP15(c7, 0, c0, 4, 0);
    __asm__ volatile("msr cpsr_c, #0xd3" ::: "memory");
    uint64_t cmp = (uint64_t)mmio_read(GT + 0x14) << 32 | mmio_read(GT + 0x10);
    sh_printf("global timer events %u, bad %u, comparator moved on by a multiple of 20000: %u\n", gt_events, gt_bad,
              cmp > compare && (uint32_t)(cmp - compare) % 20000 == 0);

    /* PL031: identification, control, the match register and the interrupt mask. */
    sh_printf("PL031 id %08x, RTCCR %x\n", id(RTC), mmio_read(RTC + 0x0c));
    mmio_write(RTC + 0x04, 0x12345678);
    mmio_write(RTC + 0x10, 1);
    sh_printf("RTCMR %08x RTCIMSC %x RTCRIS %x RTCMIS %x\n", mmio_read(RTC + 0x04), mmio_read(RTC + 0x10), mmio_read(RTC + 0x14), mmio_read(RTC + 0x18));
    mmio_write(RTC + 0x10, 0);
    mmio_write(RTC + 0x08, 1000);
    uint32_t dr = mmio_read(RTC + 0x00);
    sh_check("RTCDR counts from what RTCLR loaded", dr == 1000 || dr == 1001);

    /* The CLCDs: PL111 identification and the reset state of their registers. */
    sh_printf("CLCD (motherboard) id %08x, CLCD (daughterboard) id %08x\n", id(CLCD_MB), id(CLCD_DB));
    mmio_write(CLCD_DB + 0x00, 0x3f1f3f9c);
    mmio_write(CLCD_DB + 0x10, 0x60800000);
    mmio_write(CLCD_DB + 0x18, 0x1829);           /* LCDControl: enabled, TFT, 16 bpp, powered */
    mmio_write(CLCD_DB + 0x1c, 0x1e);             /* LCDIMSC: every interrupt bit */
    sh_printf("PL111: timing0 %08x upbase %08x control %x imsc %x\n", mmio_read(CLCD_DB), mmio_read(CLCD_DB + 0x10),
              mmio_read(CLCD_DB + 0x18), mmio_read(CLCD_DB + 0x1c));
    mmio_write(CLCD_DB + 0x1c, 0);
    mmio_write(CLCD_DB + 0x18, 0);
    return sh_failures;
}
