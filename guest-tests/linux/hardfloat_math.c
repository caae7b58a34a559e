/* Debian's armhf C library and libm, linked dynamically (run with -L /usr/arm-linux-gnueabihf):
 * printf and strtod of doubles (glibc's printf rounds in the current rounding mode), libm's
 * functions in every rounding mode, the cumulative exception flags through fenv.h, the
 * hard-float calling convention through the library (variadic doubles go in core registers,
 * the rest in VFP registers), and setjmp/longjmp keeping the callee-saved d8-d15 and FPSCR.
 * Results are printed as bits (%a) where the digits would hide a last-place difference. */
#include <fenv.h>
#include <float.h>
#include <math.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const int modes[] = {FE_TONEAREST, FE_UPWARD, FE_DOWNWARD, FE_TOWARDZERO};
static const char *const mode_names[] = {"nearest", "upward", "downward", "towardzero"};

/* The compiler must not fold these: every value goes through memory. */
static volatile double vd[] = {0.1, 1.0 / 3.0, -2.5, 1e300, 4.9406564584124654e-324, 2.2250738585072009e-308,
                               -0.0, 0.5, 1.5, 2.5, 1.005, 2.675, 9007199254740993.0, 123456789.125};
static volatile float vf[] = {0.1f, 3.0f, -1.5f, 1e-40f, 16777217.0f, 0.333333343f};

static void print_flags(const char *what)
{
    printf("  %-10s flags:%s%s%s%s%s\n", what,
           fetestexcept(FE_INEXACT) ? " inexact" : "", fetestexcept(FE_UNDERFLOW) ? " underflow" : "",
           fetestexcept(FE_OVERFLOW) ? " overflow" : "", fetestexcept(FE_DIVBYZERO) ? " divbyzero" : "",
           fetestexcept(FE_INVALID) ? " invalid" : "");
}

static void formatting(void)
{
    puts("printf:");
    for (unsigned i = 0; i < sizeof vd / sizeof vd[0]; i++)
        printf("  %.17g | %e | %.3f | %a | %g\n", vd[i], vd[i], vd[i], vd[i], vd[i]);
    printf("  %f %f %f %F\n", INFINITY, -INFINITY, NAN, -INFINITY);
    printf("  %.30f\n", 0.1);
    printf("  %.0f %.0f %.0f %.0f\n", 0.5, 1.5, 2.5, -0.5);
    /* glibc rounds decimal output in the current rounding mode. */
    for (int m = 0; m < 4; m++) {
        fesetround(modes[m]);
        printf("  %-10s %.2f %.2f %.1f %.0f %.3e\n", mode_names[m], vd[10], vd[11], -vd[2], vd[9], vd[1]);
    }
    fesetround(FE_TONEAREST);

    puts("strtod:");
    const char *texts[] = {"0.1", "1e-320", "4.9406564584124654e-324", "2.4703282292062327e-324", "9007199254740993",
                           "1.7976931348623158e308", "1.7976931348623159e308", "0x1.fffffffffffffp-1022", "-0", "nan", "-inf",
                           "3.4028235677973366e38"};
    for (unsigned i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        char *end;
        double d = strtod(texts[i], &end);
        float f = strtof(texts[i], &end);
        printf("  %-26s %a %a\n", texts[i], d, (double)f);
    }
}

static void functions(void)
{
    puts("libm:");
    for (int m = 0; m < 4; m++) {
        fesetround(modes[m]);
        double x = vd[0], y = vd[1], z = vd[2];
        printf(" %s\n", mode_names[m]);
        printf("  sqrt %a cbrt %a exp %a log %a\n", sqrt(y), cbrt(z), exp(x), log(y));
        printf("  sin %a cos %a tan %a atan2 %a\n", sin(z), cos(z), tan(x), atan2(z, y));
        printf("  pow %a hypot %a fma %a fmod %a\n", pow(y, z), hypot(x, y), fma(x, y, z), fmod(vd[13], y));
        printf("  expm1 %a log1p %a sinh %a tanh %a erf %a\n", expm1(x), log1p(x), sinh(z), tanh(y), erf(x));
        printf("  rint %a %a nearbyint %a lrint %ld %ld\n", rint(vd[8]), rint(vd[9]), nearbyint(z), lrint(z), lrint(vd[8]));
        printf("  sqrtf %a expf %a sinf %a powf %a\n", (double)sqrtf(vf[1]), (double)expf(vf[0]), (double)sinf(vf[2]),
               (double)powf(vf[1], vf[0]));
        printf("  division %a %a %a\n", x / y, (double)(vf[0] / vf[1]), 1.0 / vd[3]);
    }
    fesetround(FE_TONEAREST);
    printf(" round %a trunc %a floor %a ceil %a\n", round(vd[9]), trunc(vd[2]), floor(vd[2]), ceil(vd[2]));
    printf(" tgamma %a lgamma %a remainder %a nextafter %a\n", tgamma(vd[9]), lgamma(vd[13]), remainder(vd[13], 3.0),
           nextafter(1.0, 2.0));
    printf(" frexp/ldexp: ");
    int e;
    double mant = frexp(vd[13], &e);
    printf("%a %d %a\n", mant, e, ldexp(mant, e + 1000));
    printf(" ilogb %d logb %a scalbn %a copysign %a\n", ilogb(vd[4]), logb(vd[5]), scalbn(vd[4], 1074), copysign(3.0, vd[6]));
}

static void exceptions(void)
{
    puts("fenv:");
    volatile double zero = 0.0, one = 1.0, big = DBL_MAX, tiny = DBL_MIN;
    volatile double r;
    feclearexcept(FE_ALL_EXCEPT);
    r = one / vd[1] * 3.0;
    print_flags("exact?");
    feclearexcept(FE_ALL_EXCEPT);
    r = one / 3.0;
    print_flags("1/3");
    feclearexcept(FE_ALL_EXCEPT);
    r = one / zero;
    print_flags("1/0");
    feclearexcept(FE_ALL_EXCEPT);
    r = big * 2.0;
    print_flags("max*2");
    feclearexcept(FE_ALL_EXCEPT);
    r = tiny / 3.0;
    print_flags("min/3");
    feclearexcept(FE_ALL_EXCEPT);
    r = zero / zero;
    print_flags("0/0");
    feclearexcept(FE_ALL_EXCEPT);
    r = sqrt(-one);
    print_flags("sqrt(-1)");
    feclearexcept(FE_ALL_EXCEPT);
    r = (double)(float)vd[12];
    print_flags("narrow");
    (void)r;
    fenv_t env;
    feholdexcept(&env);
    fesetround(FE_DOWNWARD);
    printf("  held: round %d\n", fegetround() == FE_DOWNWARD);
    fesetenv(&env);
    printf("  restored: round %d\n", fegetround() == FE_TONEAREST);
}

/* The hard-float convention through calls the compiler cannot see into. */
struct quad { float a, b, c, d; };
struct pair { double x, y; };

__attribute__((noinline)) static struct quad mix(float f1, double d1, float f2, struct pair p, float f3, int i, double d2)
{
    struct quad q = {f1 + (float)d1, f2 * (float)p.x, f3 - (float)p.y, (float)(d2 * i)};
    return q;
}

static jmp_buf jump;

__attribute__((noinline)) static void leave(double v)
{
    /* Clobber the callee-saved registers longjmp must restore, and the rounding mode. */
    __asm__ volatile("vmov.f64 d8, #1.0\n\tvmov.f64 d9, #2.0\n\tvmov.f64 d15, #3.0" ::: "d8", "d9", "d15");
    fesetround(FE_UPWARD);
    longjmp(jump, (int)v);
}

static void calls_and_jumps(void)
{
    puts("calls:");
    struct pair p = {vd[2], vd[0]};
    struct quad q = mix(vf[0], vd[1], vf[1], p, vf[2], 7, vd[13]);
    printf("  %a %a %a %a\n", (double)q.a, (double)q.b, (double)q.c, (double)q.d);
    double (*fn[])(double) = {sqrt, exp, log, sin};
    for (int i = 0; i < 4; i++) printf("  fn%d %a\n", i, fn[i](vd[1]));

    puts("setjmp:");
    register double k8 __asm__("d8") = vd[0];
    register double k9 __asm__("d9") = vd[1];
    register double k15 __asm__("d15") = vd[2];
    __asm__ volatile("" : "+w"(k8), "+w"(k9), "+w"(k15));
    int v = setjmp(jump);
    if (v == 0) leave(42.0);
    __asm__ volatile("" : "+w"(k8), "+w"(k9), "+w"(k15));
    printf("  back with %d: d8 %a d9 %a d15 %a round %s\n", v, k8, k9, k15,
           fegetround() == FE_UPWARD ? "upward (FPSCR is not restored)" : "nearest");
    fesetround(FE_TONEAREST);
}

int main(void)
{
    formatting();
    functions();
    exceptions();
    calls_and_jumps();
    return 0;
}
