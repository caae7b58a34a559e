/* A fault-recovery loop: a SIGSEGV handler (SA_SIGINFO) that steps over the faulting load by
   moving arm_pc past it (a 4-byte ldr in ARM and in Thumb-2: ldr.w) and returns, N times (the
   first argument). The count is the output; HostSignal/LinuxProgram tests time a long run to
   report what one delivery costs (fault, frame, handler, rt_sigreturn). */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ucontext.h>

static volatile int recovered;
static volatile unsigned long last_address;

static void on_segv(int s, siginfo_t *info, void *context)
{
    (void)s;
    ucontext_t *uc = context;
    uc->uc_mcontext.arm_pc += 4;
    last_address = (unsigned long)info->si_addr;
    recovered++;
}

int main(int argc, char **argv)
{
    int n = argc > 1 ? atoi(argv[1]) : 1000;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_segv;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGSEGV, &sa, 0);
    volatile int *bad = (volatile int *)16;
    for (int i = 0; i < n; i++) {
        int v;
#ifdef __thumb__
        asm volatile("ldr.w %0, [%1]" : "=r"(v) : "r"(bad) : "memory");
#else
        asm volatile("ldr %0, [%1]" : "=r"(v) : "r"(bad) : "memory");
#endif
        (void)v;
    }
    printf("%d faults recovered, si_addr 0x%lx\n", recovered, last_address);
    return recovered == n ? 0 : 1;
}
