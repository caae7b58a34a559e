/* Built with -mthumb: Thumb-1 code calling into the (ARM) C library and back through callbacks (interworking),
   recursion, switch tables, 64-bit arithmetic and division helpers, bit manipulation, setjmp and a signal handler
   compiled as Thumb. */
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int ackermann(int m, int n)
{
    if (m == 0) return n + 1;
    if (n == 0) return ackermann(m - 1, 1);
    return ackermann(m - 1, ackermann(m, n - 1));
}

static const char *classify(int c)
{
    switch (c) {
    case 0: return "zero";
    case 1: return "one";
    case 2: return "two";
    case 3: return "three";
    case 4: return "four";
    case 5: return "five";
    case 6: return "six";
    case 7: return "seven";
    case 8: return "eight";
    default: return "many";
    }
}

static int by_value_desc(const void *a, const void *b) { return *(const int *)b - *(const int *)a; }

static jmp_buf jb;
static volatile int got_signal;
static void thumb_handler(int sig) { got_signal = sig; }

static uint32_t crc32(const unsigned char *p, size_t n)
{
    uint32_t crc = ~0u;
    for (size_t i = 0; i < n; i++) {
        crc ^= p[i];
        for (int k = 0; k < 8; k++) crc = (crc >> 1) ^ (0xEDB88320u & -(crc & 1));
    }
    return ~crc;
}

int main(void)
{
    printf("ackermann(2, 3) = %d, ackermann(3, 3) = %d\n", ackermann(2, 3), ackermann(3, 3));
    for (int i = 0; i < 10; i += 3) printf("%d is %s\n", i, classify(i));

    int values[16];
    for (int i = 0; i < 16; i++) values[i] = (i * 7919) % 101;
    qsort(values, 16, sizeof values[0], by_value_desc);
    printf("sorted:");
    for (int i = 0; i < 16; i++) printf(" %d", values[i]);
    printf("\n");

    volatile long long a = 123456789012345LL, b = -987654321LL;
    printf("64-bit: %lld %lld %lld %lld\n", a * b, a / b, a % b, a >> 7);
    volatile unsigned u = 0xF0F0F0F0u;
    printf("bits: clz %d ctz %d popcount %d rev %08x\n", __builtin_clz(u), __builtin_ctz(u), __builtin_popcount(u),
           __builtin_bswap32(u));
    volatile int x = -1000, y = 7;
    printf("32-bit division: %d %d %u\n", x / y, x % y, (unsigned)x / (unsigned)y);

    const char *text = "The quick brown fox jumps over the lazy dog";
    printf("crc32 %08x, strlen %zu, strchr offset %ld\n", crc32((const unsigned char *)text, strlen(text)), strlen(text),
           (long)(strchr(text, 'x') - text));

    int r = setjmp(jb);
    if (r < 3) longjmp(jb, r + 1);
    printf("setjmp loop ended at %d\n", r);

    signal(SIGUSR1, thumb_handler);
    raise(SIGUSR1);
    printf("thumb signal handler got %d\n", got_signal);

    /* A system call made from Thumb code (svc is 2 bytes long) that makes a handler run on the way out:
       execution must resume, in Thumb state, at the instruction after the svc. */
    got_signal = 0;
    register int r0 asm("r0") = getpid();
    register int r1 asm("r1") = SIGUSR1;
    register int r7 asm("r7") = 37; /* __NR_kill */
    int after = 0;
    asm volatile("svc #0\n\t"
                 "mov %[after], #5\n\t"
                 "add %[after], #2"
                 : "+r"(r0), [after] "=l"(after)
                 : "r"(r1), "r"(r7)
                 : "memory", "cc");
    printf("Thumb svc: result %d, handler got %d, then %d\n", r0, got_signal, after);

    char buf[64];
    snprintf(buf, sizeof buf, "%s-%05d-%x", "thumb", 42, 0xbeef);
    printf("%s\n", buf);
    return 0;
}
