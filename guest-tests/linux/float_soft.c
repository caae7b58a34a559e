/* Soft-float doubles and floats (no VFP): arithmetic, conversions, printf/strtod round trips, special values,
   and libm functions. Every value printed with %a as well, so rounding differences cannot hide. */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

int main(void)
{
    volatile double a = 1.0, b = 3.0, c = 0.1, d = 0.2;
    printf("1/3 = %.17g (%a)\n", a / b, a / b);
    printf("0.1+0.2 = %.17g, == 0.3: %d\n", c + d, c + d == 0.3);
    printf("%f %e %g %g %g\n", 3.14159265358979, 6.02214076e23, 1e-5, 123456789.0, 0.0001234);
    printf("%.0f %.0f %.0f %.0f (round half even)\n", 0.5, 1.5, 2.5, -0.5);
    printf("%10.4f|%-10.2e|%+g|%08.3f\n", M_PI, -M_E, 2.0, -1.5);
    printf("DBL_MAX %g DBL_MIN %g DBL_EPSILON %g denormal %g\n", DBL_MAX, DBL_MIN, DBL_EPSILON, DBL_MIN / 1024);
    printf("FLT_MAX %g FLT_EPSILON %g\n", FLT_MAX, FLT_EPSILON);

    volatile double zero = 0.0, one = 1.0;
    double inf = one / zero, nan_value = zero / zero;
    printf("inf %f -inf %f nan %f isnan %d isinf %d signbit(-0.0) %d\n", inf, -inf, nan_value, isnan(nan_value),
           isinf(inf), signbit(-zero));
    printf("comparisons with nan: %d %d %d\n", nan_value == nan_value, nan_value < one, nan_value != nan_value);

    volatile float f = 16777216.0f, g = 1.0f;
    printf("float: %.1f + 1 = %.1f, 1/3 = %.9g (%a)\n", f, f + g, g / 3.0f, (double)(g / 3.0f));
    volatile double big = 3e9, neg = -2.75, huge = 1e30;
    printf("conversions: (int)-2.75 = %d, (unsigned)3e9 = %u, (long long)1e18 = %lld, (int)(float)0.1 = %d\n", (int)neg,
           (unsigned)big, (long long)1e18, (int)(float)0.1);
    printf("to double: %.1f %.1f %.1f\n", (double)(long long)-9007199254740993LL, (double)4294967295u, (double)(-7));
    printf("float from huge double: %g\n", (float)huge);

    const char *inputs[] = {"3.14159", "-1e-10", "1.7976931348623157e308", "4.9e-324", "0x1.8p3", "inf", "nan", "12abc"};
    for (unsigned i = 0; i < sizeof inputs / sizeof inputs[0]; i++) {
        char *end;
        double v = strtod(inputs[i], &end);
        printf("strtod(%s) = %.17g (%a) rest \"%s\"\n", inputs[i], v, v, end);
    }

    volatile double x = 2.0, y = 0.5, z = -3.7;
    printf("sqrt %.17g cbrt %.17g pow %.17g\n", sqrt(x), cbrt(27.0 * x), pow(x, 0.5 + x));
    printf("sin %.17g cos %.17g tan %.17g atan2 %.17g\n", sin(y), cos(y), tan(y), atan2(y, -x));
    printf("exp %.17g log %.17g log10 %.17g log2 %.17g\n", exp(x), log(x), log10(1000 * x), log2(x * 8));
    printf("floor %g ceil %g round %g trunc %g rint %g fmod %g\n", floor(z), ceil(z), round(z), trunc(z), rint(z), fmod(10.5, 3.0));
    printf("hypot %.17g fabs %g copysign %g ldexp %g frexp ", hypot(3.0, 4.0 * y), fabs(z), copysign(x, z), ldexp(y, 10));
    int e;
    double m = frexp(48.0, &e);
    printf("%g*2^%d\n", m, e);
    printf("sinf %.9g expf %.9g sqrtf %.9g\n", (double)sinf(1.0f), (double)expf(1.0f), (double)sqrtf(2.0f));

    double acc = 0;
    for (int i = 1; i <= 10000; i++) acc += 1.0 / ((double)i * i);
    printf("sum 1/n^2 (n<=10000) = %.17g, pi^2/6 = %.17g\n", acc, M_PI * M_PI / 6);
    double h = 1;
    for (int i = 0; i < 60; i++) h = h * 1.1 - 0.05;
    printf("iterated %.17g\n", h);
    return 0;
}
