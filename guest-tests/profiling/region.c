/*
 * A region of interest marked in C with include/armemu.h (or valgrind's callgrind.h, with
 * -DUSE_VALGRIND_HEADER): with --instr-atstart no, the profile holds main's request and call
 * and work(1000), nothing of other() or printf.
 */
#include <stdio.h>
#ifdef USE_VALGRIND_HEADER
#include <callgrind.h>
#define ARMEMU_START_INSTRUMENTATION() CALLGRIND_START_INSTRUMENTATION
#define ARMEMU_STOP_INSTRUMENTATION() CALLGRIND_STOP_INSTRUMENTATION
#else
#include "armemu.h"
#endif

static volatile int sink;

__attribute__((noinline)) int work(int n)
{
    int s = 0;
    for (int i = 0; i < n; i++) s += i * i;
    return s;
}

__attribute__((noinline)) int other(int n)
{
    int s = 1;
    for (int i = 0; i < n; i++) s ^= i << 1;
    return s;
}

int main(void)
{
    sink = other(1000);
    ARMEMU_START_INSTRUMENTATION();
    sink = work(1000);
    ARMEMU_STOP_INSTRUMENTATION();
    sink = other(2000);
    printf("%d\n", sink);
    return 0;
}
