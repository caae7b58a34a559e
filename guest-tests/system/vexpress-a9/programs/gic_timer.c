/*
 * The Cortex-A9 MPCore GIC (GIC architecture v1, IHI 0048A; A9 MPCore TRM DDI 0407 chapter 3)
 * with the private timer (PPI 29, TRM 4.1), a software-generated interrupt and an SP804 on an
 * SPI (ID 34: the motherboard's interrupt 2). Reset state and identification; the private timer
 * taking IRQs through VBAR's vector while the core waits in WFI; then, with IRQs masked, the
 * CPU interface polled: priorities, the priority mask, the running priority and the
 * acknowledge/end-of-interrupt chain of a preempting interrupt, spurious 1023.
 */
#include "runtime.h"

#define GICC 0x1e000100u
#define GICD 0x1e001000u
#define PTIMER 0x1e000600u
#define SP804 0x10011000u

#define ICCICR 0x00
#define ICCPMR 0x04
#define ICCBPR 0x08
#define ICCIAR 0x0c
#define ICCEOIR 0x10
#define ICCRPR 0x14
#define ICCHPIR 0x18
#define ICCIIDR 0xfc

#define ICDDCR 0x000
#define ICDICTR 0x004
#define ICDIIDR 0x008
#define ICDISER 0x100
#define ICDICER 0x180
#define ICDISPR 0x200
#define ICDICPR 0x280
#define ICDABR 0x300
#define ICDIPR 0x400
#define ICDIPTR 0x800
#define ICDICFR 0xc00
#define ICDSGIR 0xf00

static void set_priority(int irq, uint32_t priority)
{
    uint32_t reg = GICD + ICDIPR + (irq & ~3);
    int shift = (irq & 3) * 8;
    mmio_write(reg, (mmio_read(reg) & ~(0xffu << shift)) | priority << shift);
}

static volatile uint32_t ticks, bad, last_id, rpr_in_handler;

void irq_c(void)
{
    uint32_t id = mmio_read(GICC + ICCIAR);
    last_id = id;
    if ((id & 0x3ff) != 29) { bad++; mmio_write(GICC + ICCEOIR, id); return; }
    rpr_in_handler = mmio_read(GICC + ICCRPR);
    if (mmio_read(PTIMER + 0x0c) != 1) bad++;     /* the event flag */
    mmio_write(PTIMER + 0x0c, 1);                 /* clear it: PPI 29 goes low */
    if (++ticks == 5) mmio_write(PTIMER + 0x08, 0);
    mmio_write(GICC + ICCEOIR, id);
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
    /* Reset state and identification. */
    sh_printf("ICDICTR %08x ICDIIDR %08x ICCIIDR %08x\n", mmio_read(GICD + ICDICTR), mmio_read(GICD + ICDIIDR), mmio_read(GICC + ICCIIDR));
    sh_printf("periph id %02x %02x %02x %02x, component id %02x %02x %02x %02x\n",
              mmio_read(GICD + 0xfe0), mmio_read(GICD + 0xfe4), mmio_read(GICD + 0xfe8), mmio_read(GICD + 0xfec),
              mmio_read(GICD + 0xff0), mmio_read(GICD + 0xff4), mmio_read(GICD + 0xff8), mmio_read(GICD + 0xffc));
    sh_printf("reset: ICDDCR %x ICCICR %x ICCPMR %x ICCBPR %x ICCRPR %x ICCHPIR %x\n", mmio_read(GICD + ICDDCR),
              mmio_read(GICC + ICCICR), mmio_read(GICC + ICCPMR), mmio_read(GICC + ICCBPR), mmio_read(GICC + ICCRPR),
              mmio_read(GICC + ICCHPIR));
    sh_printf("reset: ISENABLER0 %08x ISENABLER1 %08x ICFGR0 %08x ICFGR1 %08x ICFGR2 %08x\n", mmio_read(GICD + ICDISER),
              mmio_read(GICD + ICDISER + 4), mmio_read(GICD + ICDICFR), mmio_read(GICD + ICDICFR + 4), mmio_read(GICD + ICDICFR + 8));
    mmio_write(GICD + ICDIPR + 32, 0x12345678);
    mmio_write(GICD + ICDIPTR + 32, 0x01010101);
    sh_printf("priority 32-35 %08x, targets 32-35 %08x\n", mmio_read(GICD + ICDIPR + 32), mmio_read(GICD + ICDIPTR + 32));
    mmio_write(GICD + ICDICER, 0xffffffff);
    sh_printf("SGIs stay enabled: ISENABLER0 %08x\n", mmio_read(GICD + ICDISER));

    /* The private timer on PPI 29, through the vector table, WFI between ticks. */
    mmio_write(GICD + ICDDCR, 1);
    mmio_write(GICC + ICCICR, 1);
    mmio_write(GICC + ICCPMR, 0xf0);
    set_priority(29, 0xa0);
    mmio_write(GICD + ICDISER, 1u << 29);
    mmio_write(PTIMER + 0x00, 100000);            /* 1 ms at 100 MHz */
    mmio_write(PTIMER + 0x08, 0x7);               /* enable, auto-reload, interrupt */
    sh_printf("timer control %x load %u\n", mmio_read(PTIMER + 0x08), mmio_read(PTIMER + 0x00));
    __asm__ volatile("msr cpsr_c, #0x53" ::: "memory");
    while (ticks < 5) WRITE_CP15(c7, 0, c0, 4, 0);
    __asm__ volatile("msr cpsr_c, #0xd3" ::: "memory");
    sh_printf("ticks %u, last id %u, running priority in handler %x, after %x\n", ticks, last_id, rpr_in_handler, mmio_read(GICC + ICCRPR));
    sh_check("handler saw PPI 29 with its event flag", bad == 0);
    mmio_write(GICD + ICDICER, 1u << 29);

    /* Polled, IRQs masked: an SGI and an SPI with priorities. */
    set_priority(3, 0x80);
    set_priority(34, 0xc0);
    mmio_write(GICD + ICDISER + 4, 1u << 2);      /* SPI 34 */
    mmio_write(SP804 + 0x08, 0);
    mmio_write(SP804 + 0x00, 10);
    mmio_write(SP804 + 0x08, 0x80 | 0x20 | 0x02 | 0x01); /* enabled, interrupt, 32-bit, one-shot */
    while (!(mmio_read(GICD + ICDISPR + 4) & (1u << 2))) { }
    sh_printf("SPI 34 pending: ISPENDR1 %08x, HPPIR %u\n", mmio_read(GICD + ICDISPR + 4), mmio_read(GICC + ICCHPIR));
    uint32_t spi = mmio_read(GICC + ICCIAR);
    sh_printf("IAR %u, RPR %x, active %08x, HPPIR %u\n", spi, mmio_read(GICC + ICCRPR), mmio_read(GICD + ICDABR + 4), mmio_read(GICC + ICCHPIR));
    mmio_write(GICD + ICDSGIR, (2u << 24) | 3);   /* SGI 3 to this CPU: preempts (0x80 < 0xc0) */
    sh_printf("SGI 3 pending: ISPENDR0 %08x, HPPIR %u\n", mmio_read(GICD + ICDISPR), mmio_read(GICC + ICCHPIR));
    uint32_t sgi = mmio_read(GICC + ICCIAR);
    sh_printf("IAR %x (SGI 3 from CPU %u), RPR %x, IAR again %u\n", sgi, (sgi >> 10) & 7, mmio_read(GICC + ICCRPR), mmio_read(GICC + ICCIAR));
    mmio_write(GICC + ICCEOIR, sgi);
    sh_printf("after EOI of the SGI: RPR %x\n", mmio_read(GICC + ICCRPR));
    mmio_write(SP804 + 0x0c, 0);                  /* the SP804's interrupt goes low */
    mmio_write(GICC + ICCEOIR, spi);
    sh_printf("after EOI of the SPI: RPR %x, active %08x %08x, IAR %u\n", mmio_read(GICC + ICCRPR), mmio_read(GICD + ICDABR),
              mmio_read(GICD + ICDABR + 4), mmio_read(GICC + ICCIAR));

    /* The priority mask: an SGI at priority 0x80 is not signalled with PMR 0x80, is with 0x90. */
    mmio_write(GICC + ICCPMR, 0x80);
    mmio_write(GICD + ICDSGIR, (2u << 24) | 5);
    set_priority(5, 0x80);
    sh_printf("PMR 80: SGI 5 pending %u, HPPIR %u, IAR %u\n", (mmio_read(GICD + ICDISPR) >> 5) & 1, mmio_read(GICC + ICCHPIR), mmio_read(GICC + ICCIAR));
    mmio_write(GICC + ICCPMR, 0x90);
    uint32_t id5 = mmio_read(GICC + ICCIAR);
    sh_printf("PMR 90: IAR %u\n", id5);
    mmio_write(GICC + ICCEOIR, id5);
    /* Binary point: with BPR 3 only bits [7:4] preempt, so 0x70 cannot preempt a running 0x78. */
    mmio_write(GICC + ICCBPR, 3);
    sh_printf("BPR %x\n", mmio_read(GICC + ICCBPR));
    mmio_write(GICC + ICCPMR, 0xff);
    set_priority(6, 0x78);
    set_priority(7, 0x70);
    mmio_write(GICD + ICDSGIR, (2u << 24) | 6);
    uint32_t id6 = mmio_read(GICC + ICCIAR);
    mmio_write(GICD + ICDSGIR, (2u << 24) | 7);
    sh_printf("running SGI %u at RPR %x; SGI 7 (0x70) pending %u, IAR %u\n", id6, mmio_read(GICC + ICCRPR),
              (mmio_read(GICD + ICDISPR) >> 7) & 1, mmio_read(GICC + ICCIAR));
    mmio_write(GICC + ICCEOIR, id6);
    uint32_t id7 = mmio_read(GICC + ICCIAR);
    mmio_write(GICC + ICCEOIR, id7);
    sh_printf("then IAR %u; spurious EOI ignored, RPR %x\n", id7, (mmio_write(GICC + ICCEOIR, 1023), mmio_read(GICC + ICCRPR)));
    return sh_failures;
}
