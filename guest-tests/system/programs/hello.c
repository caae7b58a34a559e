/* Smallest check: semihosting output and exit status, and the start-up mode. */
#include "runtime.h"

int main(void)
{
    sh_printf("hello from bare metal, cpsr mode %02x, irq/fiq masked %u\n", read_cpsr() & 0x1f, (read_cpsr() >> 6) & 3);
    return 7;
}
