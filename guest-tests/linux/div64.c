/* 64-bit and 32-bit division and modulo through the EABI run-time helpers (ARMv5 has no divide instruction):
   __aeabi_ldivmod, __aeabi_uldivmod, __aeabi_idivmod, __aeabi_uidivmod, with signs, powers of two, extremes, and
   division by zero, which libgcc turns into raise(SIGFPE). */
#include <limits.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>

/* Calls __aeabi_ldivmod directly: quotient in r0:r1, remainder in r2:r3 (RTABI 4.2). */
static void aeabi_ldivmod(long long n, long long d, long long *q, long long *r)
{
    register long long r01 asm("r0") = n;
    register long long r23 asm("r2") = d;
    asm volatile("bl __aeabi_ldivmod" : "+r"(r01), "+r"(r23) : : "r12", "lr", "cc", "memory");
    *q = r01;
    *r = r23;
}

static void aeabi_uldivmod(unsigned long long n, unsigned long long d, unsigned long long *q, unsigned long long *r)
{
    register unsigned long long r01 asm("r0") = n;
    register unsigned long long r23 asm("r2") = d;
    asm volatile("bl __aeabi_uldivmod" : "+r"(r01), "+r"(r23) : : "r12", "lr", "cc", "memory");
    *q = r01;
    *r = r23;
}

static const long long signed_values[] = {
    0, 1, -1, 2, -2, 3, -3, 7, -7, 10, -10, 1000000007, -1000000007, 0x7fffffffLL, -0x80000000LL, 0x100000000LL,
    -0x100000000LL, 0x123456789abcdefLL, -0x123456789abcdefLL, LLONG_MAX, LLONG_MIN, LLONG_MIN + 1,
};

static const unsigned long long unsigned_values[] = {
    0, 1, 2, 3, 10, 0xffffffffULL, 0x100000000ULL, 0x100000001ULL, 0xfedcba9876543210ULL, 0x8000000000000000ULL,
    ULLONG_MAX, ULLONG_MAX - 1, 1000000000000ULL,
};

static sigjmp_buf on_fpe;
static volatile int fpe_count;

static void fpe_handler(int sig)
{
    fpe_count++;
    siglongjmp(on_fpe, sig);
}

int main(void)
{
    const int ns = sizeof signed_values / sizeof signed_values[0];
    const int nu = sizeof unsigned_values / sizeof unsigned_values[0];
    unsigned long long hash = 1469598103934665603ULL;
    int mismatches = 0;
    for (int i = 0; i < ns; i++)
        for (int j = 0; j < ns; j++) {
            volatile long long n = signed_values[i], d = signed_values[j];
            if (d == 0) continue;
            if (n == LLONG_MIN && d == -1) continue; /* overflow: undefined in C */
            long long q = n / d, r = n % d, q2, r2;
            aeabi_ldivmod(n, d, &q2, &r2);
            if (q != q2 || r != r2 || q * d + r != n) mismatches++;
            hash = (hash ^ (unsigned long long)q) * 1099511628211ULL;
            hash = (hash ^ (unsigned long long)r) * 1099511628211ULL;
        }
    printf("signed 64-bit: hash %016llx, mismatches %d\n", hash, mismatches);

    hash = 1469598103934665603ULL;
    for (int i = 0; i < nu; i++)
        for (int j = 0; j < nu; j++) {
            volatile unsigned long long n = unsigned_values[i], d = unsigned_values[j];
            if (d == 0) continue;
            unsigned long long q = n / d, r = n % d, q2, r2;
            aeabi_uldivmod(n, d, &q2, &r2);
            if (q != q2 || r != r2 || q * d + r != n) mismatches++;
            hash = (hash ^ q) * 1099511628211ULL;
            hash = (hash ^ r) * 1099511628211ULL;
        }
    printf("unsigned 64-bit: hash %016llx, mismatches %d\n", hash, mismatches);

    static const long long samples[][2] = {
        {7, 2}, {-7, 2}, {7, -2}, {-7, -2}, {LLONG_MIN, 1}, {LLONG_MIN, 2}, {LLONG_MIN, LLONG_MAX}, {LLONG_MAX, LLONG_MIN},
        {0x123456789abcdefLL, 0x1000}, {-0x123456789abcdefLL, 0xfffffffLL}, {1000000000000LL, -7},
    };
    for (unsigned k = 0; k < sizeof samples / sizeof samples[0]; k++) {
        long long q, r;
        aeabi_ldivmod(samples[k][0], samples[k][1], &q, &r);
        printf("%lld / %lld = %lld rem %lld\n", samples[k][0], samples[k][1], q, r);
    }
    unsigned long long uq, ur;
    aeabi_uldivmod(ULLONG_MAX, 10, &uq, &ur);
    printf("%llu / 10 = %llu rem %llu\n", ULLONG_MAX, uq, ur);
    aeabi_uldivmod(0xfedcba9876543210ULL, 0x100000001ULL, &uq, &ur);
    printf("0xfedcba9876543210 / 0x100000001 = 0x%llx rem 0x%llx\n", uq, ur);

    volatile int a = -2147483647 - 1, b = 3;
    volatile unsigned ua = 4000000000u, ub = 7;
    printf("32-bit: %d / %d = %d rem %d; %u / %u = %u rem %u\n", a, b, a / b, a % b, ua, ub, ua / ub, ua % ub);
    volatile int c = -17, d = 5;
    printf("32-bit: %d / %d = %d rem %d; %d / %d = %d rem %d\n", c, d, c / d, c % d, d, c, d / c, d % c);

    struct sigaction sa = {0};
    sa.sa_handler = fpe_handler;
    sigaction(SIGFPE, &sa, NULL);
    volatile long long zero = 0, num = 42;
    int sig;
    if ((sig = sigsetjmp(on_fpe, 1)) == 0) {
        volatile long long q = num / zero;
        printf("64-bit division by zero gave %lld without a signal\n", q);
    } else {
        printf("64-bit division by zero raised signal %d\n", sig);
    }
    volatile int izero = 0, inum = 42;
    if ((sig = sigsetjmp(on_fpe, 1)) == 0) {
        volatile int q = inum / izero;
        printf("32-bit division by zero gave %d without a signal\n", q);
    } else {
        printf("32-bit division by zero raised signal %d\n", sig);
    }
    printf("SIGFPE handler ran %d times\n", fpe_count);
    return mismatches != 0;
}
