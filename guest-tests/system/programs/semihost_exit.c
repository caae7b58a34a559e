/*
 * Semihosting SYS_EXIT (0x18) in AArch32: r1 holds the reason code itself
 * (ARM IHI 0074, SYS_EXIT). Only ADP_Stopped_ApplicationExit (0x20026) means
 * success; any other reason, here ADP_Stopped_RunTimeErrorUnknown (0x20023),
 * ends the run with status 1. Before that, SYS_CLOCK (centiseconds since
 * start: never negative, never decreasing) and SYS_TIME (seconds since 1970:
 * after 2020), whose values are not printed.
 */
#include "runtime.h"

static int call(int op, uint32_t arg)
{
    register int r0 __asm__("r0") = op;
    register uint32_t r1 __asm__("r1") = arg;
    __asm__ volatile("svc 0x123456" : "+r"(r0) : "r"(r1) : "memory", "lr");
    return r0;
}

int main(void)
{
    int c1 = call(0x10, 0), c2 = call(0x10, 0);
    sh_check("sys_clock non-negative and monotonic", c1 >= 0 && c2 >= c1);
    sh_check("sys_time after 2020", (uint32_t)call(0x11, 0) > 1577836800u);
    sh_printf("exiting with SYS_EXIT, reason 0x20023\n");
    call(0x18, 0x20023);
    sh_printf("still running after SYS_EXIT\n");
    return 99;
}
