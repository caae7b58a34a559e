/* The hard-float calling convention (arguments and results in VFP registers) with VFP and NEON
 * code, built by arm-linux-gnueabihf-gcc in ARM state without the C library: Debian's armhf C
 * library is Thumb-2 code. Prints the bits of every result, so the comparison with qemu-arm is exact. */
#include <arm_neon.h>

static long sys_write(int fd, const void *data, unsigned long size)
{
    register long r0 __asm__("r0") = fd;
    register const void *r1 __asm__("r1") = data;
    register unsigned long r2 __asm__("r2") = size;
    register long r7 __asm__("r7") = 4;
    __asm__ volatile("svc 0" : "+r"(r0) : "r"(r1), "r"(r2), "r"(r7) : "memory");
    return r0;
}

static __attribute__((noreturn)) void sys_exit(int code)
{
    register long r0 __asm__("r0") = code;
    register long r7 __asm__("r7") = 1;
    __asm__ volatile("svc 0" :: "r"(r0), "r"(r7));
    for (;;) {}
}

static char out[2048];
static int used;

static void text(const char *s) { while (*s) out[used++] = *s++; }

static void hex(unsigned long long v, int digits)
{
    for (int i = 4 * (digits - 1); i >= 0; i -= 4) out[used++] = "0123456789abcdef"[(v >> i) & 15];
}

static unsigned long long bits64(double d) { union { double d; unsigned long long u; } x = { d }; return x.u; }
static unsigned bits32(float f) { union { float f; unsigned u; } x = { f }; return x.u; }

static void show_d(const char *name, double d) { text(name); text(" "); hex(bits64(d), 16); text("\n"); }
static void show_f(const char *name, float f) { text(name); text(" "); hex(bits32(f), 8); text("\n"); }

/* Arguments in d0, d1, d2 and s6; the result in d0. */
__attribute__((noinline)) double poly(double x, double a, double b, float c) { return a * x * x + b * x + (double)c; }

/* Singles and doubles interleaved: s0, d1, s1 (back-filling), result in s0. */
__attribute__((noinline)) float mix(float a, double b, float c) { return a * (float)b - c; }

/* A homogeneous aggregate of four floats goes in s0-s3 and comes back there. */
struct quad { float x, y, z, w; };
__attribute__((noinline)) struct quad scale(struct quad q, float k) { return (struct quad){ q.x * k, q.y * k, q.z * k, q.w * k }; }

__attribute__((noinline)) double sqrt_newton(double v)
{
    double r = v > 1 ? v / 2 : 1;
    for (int i = 0; i < 30; i++) r = 0.5 * (r + v / r);
    return r;
}

static void set_rounding(unsigned mode)
{
    unsigned fpscr;
    __asm__ volatile("vmrs %0, fpscr" : "=r"(fpscr));
    fpscr = (fpscr & ~(3u << 22)) | (mode << 22);
    __asm__ volatile("vmsr fpscr, %0" :: "r"(fpscr));
}

void __attribute__((noreturn)) _start(void)
{
    show_d("poly", poly(1.5, -2.25, 0.1, 3.0f));
    show_f("mix", mix(1.1f, 3.3, 0.7f));
    struct quad q = scale((struct quad){ 1.0f, -2.5f, 1e-30f, 3e38f }, 10.0f);
    show_f("quad.x", q.x); show_f("quad.y", q.y); show_f("quad.z", q.z); show_f("quad.w", q.w);
    show_d("sqrt2", sqrt_newton(2.0));
    volatile double one = 1.0, three = 3.0;
    for (unsigned mode = 0; mode < 4; mode++) {
        set_rounding(mode);
        show_d(mode == 0 ? "third.rn" : mode == 1 ? "third.rp" : mode == 2 ? "third.rm" : "third.rz", one / three);
    }
    set_rounding(0);
    /* NEON: a dot product, a saturating add and a reciprocal estimate refined twice. */
    float32x4_t a = { 1.5f, -2.0f, 0.25f, 8.0f }, b = { 4.0f, 0.5f, -16.0f, 0.125f };
    float32x2_t sum = vadd_f32(vget_low_f32(vmulq_f32(a, b)), vget_high_f32(vmulq_f32(a, b)));
    show_f("dot", vget_lane_f32(vpadd_f32(sum, sum), 0));
    int16x8_t s = vqaddq_s16(vdupq_n_s16(30000), vdupq_n_s16(5000));
    text("qadd "); hex((unsigned short)vgetq_lane_s16(s, 3), 4); text("\n");
    float32x4_t x = vdupq_n_f32(3.0f), e = vrecpeq_f32(x);
    e = vmulq_f32(vrecpsq_f32(x, e), e);
    e = vmulq_f32(vrecpsq_f32(x, e), e);
    show_f("recip3", vgetq_lane_f32(e, 2));
    sys_write(1, out, (unsigned long)used);
    sys_exit(0);
}
