/*
 * SP804 dual timer at 0x101e2000 (Timer 1 at +0, Timer 2 at +0x20; SP804
 * TRM, programmer's model) on VIC line 4 (Versatile PB user guide, primary interrupt
 * controller assignments). Timer 1
 * periodic with its interrupt enabled; the IRQ handler checks the VIC and
 * the timer's masked status, clears the interrupt (TimerXIntClr) and, at the
 * fifth tick, stops the timer; main sleeps in WFI (ARM926EJ-S TRM,
 * c7 "wait for interrupt") between ticks. Then Timer 2 one-shot, polled with
 * its interrupt masked: RIS rises, MIS stays low, the counter halts at zero.
 */
#include "runtime.h"

#define TIMER1 0x101e2000u
#define TIMER2 0x101e2020u
#define LOAD 0x00
#define VALUE 0x04
#define CONTROL 0x08
#define INTCLR 0x0c
#define RIS 0x10
#define MIS 0x14
#define CTRL_ENABLE 0x80
#define CTRL_PERIODIC 0x40
#define CTRL_IE 0x20
#define CTRL_32BIT 0x02
#define CTRL_ONESHOT 0x01

#define VIC 0x10140000u
#define VIC_IRQSTATUS 0x000
#define VIC_RAWINTR 0x008
#define VIC_INTENABLE 0x010
#define VIC_INTENCLEAR 0x014
#define TIMER_LINE 4

static volatile uint32_t ticks, bad_status, bad_mis, bad_value, irq_mode;

void irq_c(void)
{
    uint32_t status = mmio_read(VIC + VIC_IRQSTATUS);
    if (!(status & (1u << TIMER_LINE))) { bad_status++; return; }
    if (mmio_read(TIMER1 + MIS) != 1) bad_mis++;
    if (mmio_read(TIMER1 + VALUE) > mmio_read(TIMER1 + LOAD)) bad_value++;
    irq_mode = read_cpsr() & 0xff;
    mmio_write(TIMER1 + INTCLR, 0);
    if (mmio_read(TIMER1 + MIS) != 0) bad_mis++;
    if (++ticks == 5) mmio_write(TIMER1 + CONTROL, 0);
}

__asm__(
    "       .syntax unified\n"
    "       .text\n"
    "       .global irq_handler\n"
    "irq_handler:\n"
    "       sub     lr, lr, #4\n"           /* LR_irq = next instruction + 4 (ARM ARM A2.6, IRQ) */
    "       push    {r0-r3, r12, lr}\n"
    "       bl      irq_c\n"
    "       pop     {r0-r3, r12, lr}\n"
    "       movs    pc, lr\n");

static uint32_t periph_id(uint32_t base)
{
    uint32_t id0 = mmio_read(base + 0xfe0), id1 = mmio_read(base + 0xfe4), id2 = mmio_read(base + 0xfe8);
    return (id0 & 0xff) | (id1 & 0xf) << 8 | ((id1 >> 4) & 0xf) << 12 | (id2 & 0xf) << 16;
}

int main(void)
{
    /* Part number 0x804, designer 0x41 (ARM); the revision field is not printed. */
    uint32_t id = periph_id(TIMER1);
    sh_printf("sp804: part %03x, designer %02x\n", id & 0xfff, id >> 12);

    mmio_write(TIMER1 + CONTROL, 0);
    mmio_write(TIMER1 + LOAD, 10000); /* 10 ms at the Versatile's 1 MHz timer clock */
    mmio_write(TIMER1 + INTCLR, 0);
    mmio_write(TIMER1 + CONTROL, CTRL_ENABLE | CTRL_PERIODIC | CTRL_IE | CTRL_32BIT);
    sh_printf("timer1 load %u, control %02x\n", mmio_read(TIMER1 + LOAD), mmio_read(TIMER1 + CONTROL));
    mmio_write(VIC + VIC_INTENABLE, 1u << TIMER_LINE);

    __asm__ volatile("msr cpsr_c, #0x53" ::: "memory"); /* Supervisor, IRQ on, FIQ off */
    while (ticks < 5) WRITE_CP15(c7, 0, c0, 4, 0);       /* wait for interrupt */
    __asm__ volatile("msr cpsr_c, #0xd3" ::: "memory");

    sh_printf("ticks %u, handler mode %02x\n", ticks, irq_mode);
    sh_check("five ticks", ticks == 5);
    sh_check("VIC IRQStatus had line 4, MIS 1 then 0 after IntClr", bad_status == 0 && bad_mis == 0);
    sh_check("value within load", bad_value == 0);
    sh_printf("after stop: timer1 control %02x, ris %u, vic raw line 4 %u\n", mmio_read(TIMER1 + CONTROL),
              mmio_read(TIMER1 + RIS) & 1, (mmio_read(VIC + VIC_RAWINTR) >> TIMER_LINE) & 1);
    mmio_write(VIC + VIC_INTENCLEAR, 1u << TIMER_LINE);

    /* Timer 2, one-shot, interrupt masked. */
    mmio_write(TIMER2 + CONTROL, 0);
    mmio_write(TIMER2 + INTCLR, 0);
    mmio_write(TIMER2 + LOAD, 500);
    mmio_write(TIMER2 + CONTROL, CTRL_ENABLE | CTRL_ONESHOT | CTRL_32BIT);
    while (!(mmio_read(TIMER2 + RIS) & 1)) { }
    sh_printf("timer2 one-shot: ris %u, mis %u, value %u, vic raw line 4 %u\n", mmio_read(TIMER2 + RIS),
              mmio_read(TIMER2 + MIS), mmio_read(TIMER2 + VALUE), (mmio_read(VIC + VIC_RAWINTR) >> TIMER_LINE) & 1);
    mmio_write(TIMER2 + INTCLR, 0);
    sh_printf("after intclr: ris %u\n", mmio_read(TIMER2 + RIS));
    mmio_write(TIMER2 + CONTROL, 0);
    return sh_failures ? 100 + sh_failures : (int)ticks; /* 5 */
}
