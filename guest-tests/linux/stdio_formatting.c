/* printf/scanf family formatting: integer widths, flags, 64-bit values, strings, snprintf truncation, sscanf and strtol. */
#include <inttypes.h>
#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(void)
{
    printf("[%d] [%5d] [%-5d] [%05d] [%+d] [% d]\n", 42, 42, 42, 42, 42, 42);
    printf("[%d] [%i] [%u] [%x] [%X] [%o] [%#x] [%#o]\n", -1, INT_MIN, UINT_MAX, 0xdeadbeefu, 0xcafeu, 8, 255, 8);
    printf("[%lld] [%llu] [%llx] [%" PRId64 "] [%" PRIu64 "]\n", LLONG_MIN, ULLONG_MAX, 0x123456789abcdefULL,
           (int64_t)-1234567890123LL, (uint64_t)9876543210987654321ULL);
    printf("[%hd] [%hhu] [%ld] [%zu] [%td]\n", (short)-32768, (unsigned char)300, -7L, sizeof(long long), (ptrdiff_t)-3);
    printf("[%s] [%10s] [%-10s] [%.3s] [%*s] [%-*.*s]\n", "abc", "right", "left", "truncate", 6, "star", 8, 2, "xyz");
    printf("[%c%c%c] [%%] [%5c]\n", 'a', 'b', 'c', 'z');
    int n = 0;
    printf("count%n", &n);
    printf(" -> %d\n", n);

    char buf[16];
    int want = snprintf(buf, sizeof buf, "%s-%d-%s", "abcdefgh", 123456, "tail");
    printf("snprintf wanted %d, got \"%s\" (%zu)\n", want, buf, strlen(buf));
    want = snprintf(NULL, 0, "%08.3f", 3.14159);
    printf("snprintf(NULL) = %d\n", want);

    int a, b;
    char word[32];
    unsigned hex;
    int got = sscanf("  17 -23 token 0x1F", "%d %d %31s %x", &a, &b, word, &hex);
    printf("sscanf %d: %d %d %s %u\n", got, a, b, word, hex);
    got = sscanf("12abc", "%d%d", &a, &b);
    printf("sscanf partial %d: %d\n", got, a);

    char *end;
    printf("strtol %ld", strtol("  -0x7fz", &end, 16));
    printf(" rest \"%s\"\n", end);
    printf("strtoul %lu\n", strtoul("4294967295", NULL, 10));
    printf("strtoll %lld\n", strtoll("-9223372036854775808", NULL, 10));
    printf("strtol base 36 %ld, base 2 %ld\n", strtol("zz", NULL, 36), strtol("101101", NULL, 2));
    printf("atoi %d %d\n", atoi("2147483647"), atoi("  -99x"));

    fprintf(stdout, "%-8s|%8s|\n", "name", "value");
    for (int i = 0; i < 4; i++) fprintf(stdout, "%-8d|%8x|\n", i * 1000, i * 0x1111);
    return 0;
}
