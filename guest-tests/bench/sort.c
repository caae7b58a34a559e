/* Library-heavy kernel: qsort of pseudo-random integers, then a binary search
   of every element; exercises calls, loads/stores and branches. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static int compare(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
    unsigned n = argc > 1 ? (unsigned)atoi(argv[1]) : 200000;
    uint32_t *v = malloc(n * sizeof *v), seed = 12345;
    for (unsigned i = 0; i < n; i++) v[i] = seed = seed * 1103515245u + 12345u;
    qsort(v, n, sizeof *v, compare);
    unsigned found = 0;
    for (unsigned i = 0; i < n; i++) found += bsearch(&v[i], v, n, sizeof *v, compare) != NULL;
    printf("sorted %u, found %u, first %08x, last %08x\n", n, found, v[0], v[n - 1]);
    free(v);
    return 0;
}
