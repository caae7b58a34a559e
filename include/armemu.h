/*
 * armemu.h -- regions of interest for guest programs profiled by armemu (--profile).
 *
 *   #include "armemu.h"          (arm-linux-gnueabi-gcc -I<armemu checkout>/include ...)
 *
 *   ARMEMU_START_INSTRUMENTATION();   count from here     (callgrind: CALLGRIND_START_INSTRUMENTATION)
 *   ARMEMU_STOP_INSTRUMENTATION();    stop counting here  (callgrind: CALLGRIND_STOP_INSTRUMENTATION)
 *   ARMEMU_TOGGLE_COLLECT();          flip collection     (callgrind: CALLGRIND_TOGGLE_COLLECT)
 *
 * Run with `armemu run --instr-atstart no --profile FILE prog` so that counting starts at the
 * first ARMEMU_START_INSTRUMENTATION (as valgrind --tool=callgrind --instr-atstart=no).
 *
 * Each macro is valgrind's client request for ARM (the same bytes as valgrind's callgrind.h
 * produces, so a program built with either header works under armemu and under callgrind):
 * r3 = the default result, r4 = the address of { request, 5 arguments }, four rotations of
 * r12 (by 3, 13, 29 and 19 bits: 64 in all, so r12 is unchanged), then ORR r10, r10, r10.
 * On hardware and under QEMU the sequence changes nothing; armemu acts at the ORR: a START's
 * ORR is the first instruction counted, a STOP's ORR the first one not counted. It assembles
 * in ARM and in Thumb-2 state (ARMv7); there is no ARMv5 Thumb (16-bit) form.
 */
#ifndef ARMEMU_H
#define ARMEMU_H

/* VG_USERREQ_TOOL_BASE('C','T') and callgrind's request numbers after it. */
#define ARMEMU_REQUEST_BASE              (('C' << 24) | ('T' << 16))
#define ARMEMU_REQUEST_TOGGLE_COLLECT    (ARMEMU_REQUEST_BASE + 2)
#define ARMEMU_REQUEST_START_INSTRUMENTATION (ARMEMU_REQUEST_BASE + 4)
#define ARMEMU_REQUEST_STOP_INSTRUMENTATION  (ARMEMU_REQUEST_BASE + 5)

static __inline__ __attribute__((always_inline)) unsigned int
armemu_request(unsigned int request, unsigned int arg1)
{
    volatile unsigned int block[6] = { request, arg1, 0, 0, 0, 0 };
    unsigned int result;
    __asm__ __volatile__(
        "mov r3, %1\n\t"
        "mov r4, %2\n\t"
        "mov r12, r12, ror #3\n\t"
        "mov r12, r12, ror #13\n\t"
        "mov r12, r12, ror #29\n\t"
        "mov r12, r12, ror #19\n\t"
        "orr r10, r10, r10\n\t"
        "mov %0, r3"
        : "=r"(result)
        : "r"(0u), "r"(&block[0])
        : "cc", "memory", "r3", "r4");
    return result;
}

#define ARMEMU_START_INSTRUMENTATION() ((void)armemu_request(ARMEMU_REQUEST_START_INSTRUMENTATION, 0))
#define ARMEMU_STOP_INSTRUMENTATION()  ((void)armemu_request(ARMEMU_REQUEST_STOP_INSTRUMENTATION, 0))
#define ARMEMU_TOGGLE_COLLECT()        ((void)armemu_request(ARMEMU_REQUEST_TOGGLE_COLLECT, 0))

#endif
