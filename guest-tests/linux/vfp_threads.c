/* Two threads computing in VFP and NEON registers without a system call in their loops: the
 * emulator switches them every few hundred thousand instructions, and each must find its own
 * registers and FPSCR (rounding mode) again. Built with -mfpu=neon -mfloat-abi=softfp. */
#include <arm_neon.h>
#include <fenv.h>
#include <pthread.h>
#include <stdio.h>

struct work { double seed; int rounding; double sum; float lanes[4]; int rounding_after; };

static void *compute(void *arg)
{
    struct work *w = arg;
    fesetround(w->rounding);
    double s = 0, x = w->seed;
    float32x4_t acc = vdupq_n_f32(0.0f), step = vdupq_n_f32((float)w->seed);
    for (int i = 0; i < 300000; i++) {
        x = x * 1.0000001 + 0.1;
        s += x / 7.0;
        acc = vmlaq_f32(acc, step, vdupq_n_f32(0.5f));
    }
    w->sum = s;
    vst1q_f32(w->lanes, acc);
    w->rounding_after = fegetround();
    return 0;
}

int main(void)
{
    struct work a = { 1.5, FE_UPWARD, 0, {0}, 0 }, b = { -2.25, FE_DOWNWARD, 0, {0}, 0 };
    pthread_t t;
    pthread_create(&t, 0, compute, &a);
    compute(&b);
    pthread_join(t, 0);
    printf("a %a %a rounding %s\n", a.sum, a.lanes[3], a.rounding_after == FE_UPWARD ? "kept" : "lost");
    printf("b %a %a rounding %s\n", b.sum, b.lanes[0], b.rounding_after == FE_DOWNWARD ? "kept" : "lost");
    return 0;
}
