/*
 * PL190 vectored interrupt controller at 0x10140000 (PL190 TRM, programmer's model),
 * driven by software interrupts (VICSoftInt) on lines no device uses here.
 * Slot 0 (highest priority) serves line 20, slot 1 line 1; line 2 is
 * enabled but not vectored, so it gets VICDefVectAddr. The IRQ handler reads
 * VICVectAddr (which also raises the current priority), calls the routine,
 * and writes VICVectAddr to end the interrupt. While a slot is in service,
 * requests of the same or lower priority do not reach the core until that
 * write.
 */
#include "runtime.h"

#define VIC 0x10140000u
#define IRQSTATUS 0x000
#define RAWINTR 0x008
#define INTSELECT 0x00c
#define INTENABLE 0x010
#define INTENCLEAR 0x014
#define SOFTINT 0x018
#define SOFTINTCLEAR 0x01c
#define VECTADDR 0x030
#define DEFVECTADDR 0x034
#define VECTADDR_N(n) (0x100 + 4 * (n))
#define VECTCNTL_N(n) (0x200 + 4 * (n))
#define VECTCNTL_ENABLE 0x20

static volatile uint32_t order[16];
static volatile int norder;
static volatile int raise_20_once;

static void logline(uint32_t line)
{
    if (norder < 16) order[norder++] = line;
    mmio_write(VIC + SOFTINTCLEAR, 1u << line);
}

void isr_line20(void) { logline(20); }
void isr_line1(void)
{
    logline(1);
    /* A higher-priority request raised while slot 1 is in service: taken next. */
    if (raise_20_once) { raise_20_once = 0; mmio_write(VIC + SOFTINT, 1u << 20); }
}
void isr_default(void)
{
    /* Non-vectored: find the line from the status. */
    uint32_t status = mmio_read(VIC + IRQSTATUS);
    logline(status & (1u << 2) ? 2 : 31);
}

__asm__(
    "       .syntax unified\n"
    "       .text\n"
    "       .global irq_handler\n"
    "irq_handler:\n"
    "       sub     lr, lr, #4\n"
    "       push    {r0-r3, r12, lr}\n"
    "       ldr     r1, =0x10140030\n"
    "       ldr     r0, [r1]\n"             /* VICVectAddr: the routine */
    "       blx     r0\n"
    "       ldr     r1, =0x10140030\n"
    "       str     r0, [r1]\n"             /* end of interrupt */
    "       pop     {r0-r3, r12, lr}\n"
    "       movs    pc, lr\n"
    "       .ltorg\n");

/* Unmasks IRQs in the core until `expected` routines have run, or for 10000 spins (real cores take a few cycles). */
static void irq_window(int expected)
{
    __asm__ volatile("msr cpsr_c, #0x53" ::: "memory");
    for (int spin = 0; spin < 10000 && norder < expected; spin++) __asm__ volatile("" ::: "memory");
    __asm__ volatile("msr cpsr_c, #0xd3" ::: "memory");
}

static void show(const char *what)
{
    sh_printf("%s:", what);
    for (int i = 0; i < norder; i++) sh_printf(" %u", order[i]);
    sh_printf("\n");
}

int main(void)
{
    uint32_t id0 = mmio_read(VIC + 0xfe0), id1 = mmio_read(VIC + 0xfe4), id2 = mmio_read(VIC + 0xfe8);
    sh_printf("pl190: part %03x, designer %02x\n", (id0 & 0xff) | (id1 & 0xf) << 8, (id1 >> 4) | (id2 & 0xf) << 4);

    mmio_write(VIC + INTSELECT, 0);
    mmio_write(VIC + VECTADDR_N(0), (uint32_t)isr_line20);
    mmio_write(VIC + VECTCNTL_N(0), VECTCNTL_ENABLE | 20);
    mmio_write(VIC + VECTADDR_N(1), (uint32_t)isr_line1);
    mmio_write(VIC + VECTCNTL_N(1), VECTCNTL_ENABLE | 1);
    mmio_write(VIC + DEFVECTADDR, (uint32_t)isr_default);
    mmio_write(VIC + INTENABLE, (1u << 20) | (1u << 1) | (1u << 2));
    sh_printf("intenable %08x, vectcntl0 %02x, vectcntl1 %02x\n", mmio_read(VIC + INTENABLE),
              mmio_read(VIC + VECTCNTL_N(0)), mmio_read(VIC + VECTCNTL_N(1)));

    /* Three requests at once, IRQs masked in the core. */
    mmio_write(VIC + SOFTINT, (1u << 2) | (1u << 1) | (1u << 20));
    sh_printf("softint %08x, rawintr %08x, irqstatus %08x\n", mmio_read(VIC + SOFTINT), mmio_read(VIC + RAWINTR),
              mmio_read(VIC + IRQSTATUS));
    raise_20_once = 1;
    irq_window(4);
    show("served in order (line)");
    sh_check("priority: slot 0, slot 1, slot 0 again, default", norder == 4 && order[0] == 20 && order[1] == 1 &&
                                                                   order[2] == 20 && order[3] == 2);
    sh_printf("after: rawintr %08x, irqstatus %08x\n", mmio_read(VIC + RAWINTR), mmio_read(VIC + IRQSTATUS));

    /* Polled: read VICVectAddr by hand, leave slot 0 in service, and open the core's IRQ window. */
    norder = 0;
    mmio_write(VIC + SOFTINT, (1u << 1) | (1u << 20));
    uint32_t vect = mmio_read(VIC + VECTADDR);
    sh_check("vectaddr gives slot 0's routine", vect == (uint32_t)isr_line20);
    mmio_write(VIC + SOFTINTCLEAR, 1u << 20);
    irq_window(1);
    sh_printf("slot 0 in service, line 1 pending: taken %d\n", norder);
    sh_check("lower priority held back", norder == 0);
    mmio_write(VIC + VECTADDR, 0); /* end of slot 0 */
    irq_window(1);
    show("after the vectaddr write (line)");
    sh_check("then taken", norder == 1 && order[0] == 1);

    /* A disabled line raises raw status only. */
    mmio_write(VIC + INTENCLEAR, 1u << 2);
    mmio_write(VIC + SOFTINT, 1u << 2);
    sh_printf("disabled line 2: rawintr %08x, irqstatus %08x\n", mmio_read(VIC + RAWINTR), mmio_read(VIC + IRQSTATUS));
    mmio_write(VIC + SOFTINTCLEAR, 1u << 2);
    mmio_write(VIC + INTENCLEAR, 0xffffffff);
    return sh_failures;
}
