/* String kernel: snprintf, strlen, memcpy and strcmp in a loop (glibc's
   hand-written ARM routines). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
    unsigned rounds = argc > 1 ? (unsigned)atoi(argv[1]) : 100000;
    char a[128], b[128];
    unsigned long total = 0;
    for (unsigned r = 0; r < rounds; r++) {
        int n = snprintf(a, sizeof a, "round %u of %u: %s", r, rounds, r & 1 ? "odd" : "even");
        memcpy(b, a, (size_t)n + 1);
        total += strlen(b) + (strcmp(a, b) == 0);
    }
    printf("total %lu\n", total);
    return 0;
}
