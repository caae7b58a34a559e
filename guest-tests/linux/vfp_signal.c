/* A signal handler that uses the VFP (and clobbers registers the interrupted code keeps live,
 * and FPSCR) while the interrupted code uses it too: the kernel saves the VFP state in the
 * signal frame (vfp_sigframe in uc_regspace) and sigreturn puts it back. Built with
 * -mfpu=neon -mfloat-abi=softfp, so the armel C library still links. */
#include <arm_neon.h>
#include <fenv.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <ucontext.h>

static volatile int hits;
static volatile double handler_result;
static volatile unsigned vfp_magic, vfp_size;

static void handler(int sig, siginfo_t *info, void *context)
{
    (void)sig; (void)info;
    ucontext_t *uc = context;
    unsigned long *regspace = uc->uc_regspace;
    vfp_magic = (unsigned)regspace[0];
    vfp_size = (unsigned)regspace[1];
    /* Change the rounding mode and flags, and overwrite d8 and q8-q15 without telling the
     * compiler: only the signal frame can give the interrupted code its values back. */
    fesetround(FE_UPWARD);
    volatile double a = 1.0, b = 3.0;
    handler_result = a / b;
    __asm__ volatile("vmov.f64 d8, #-2.0\n\tvmov.i32 q8, #0x55\n\tvmov.i32 q15, #0xaa" ::: "memory");
    hits++;
}

int main(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = handler;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGUSR1, &sa, 0);

    fesetround(FE_TOWARDZERO);
    register double kept __asm__("d8") = 0.1;
    float32x4_t q = vdupq_n_f32(1.25f);
    double sum = 0;
    for (int i = 0; i < 20; i++) {
        __asm__ volatile("vmov.f64 d16, %P0\n\tvmov.f64 d31, %P0" :: "w"(kept) : "d16", "d31");
        raise(SIGUSR1);
        double d16, d31;
        __asm__ volatile("vmov.f64 %P0, d16\n\tvmov.f64 %P1, d31" : "=w"(d16), "=w"(d31));
        __asm__ volatile("" : "+w"(kept));
        q = vaddq_f32(q, vdupq_n_f32((float)kept));
        sum += kept + d16 + d31;
        volatile double x = 1.0, y = 3.0;
        sum += x / y;    /* rounded towards zero: the handler's FE_UPWARD must not leak */
    }
    float lanes[4];
    vst1q_f32(lanes, q);
    printf("hits %d\n", hits);
    printf("magic %#x size %u\n", vfp_magic, vfp_size);
    printf("rounding %s\n", fegetround() == FE_TOWARDZERO ? "towards zero" : "changed");
    printf("kept %a sum %a\n", kept, sum);
    printf("lanes %a %a %a %a\n", lanes[0], lanes[1], lanes[2], lanes[3]);
    printf("handler %a\n", handler_result);
    return 0;
}
