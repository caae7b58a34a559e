/* malloc/calloc/realloc/free under a fixed pseudo-random workload, with small (brk) and large (mmap) blocks; every
   block carries a pattern that is checked before it is freed. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SLOTS 256

static uint32_t seed = 12345;
static uint32_t next(void)
{
    seed = seed * 1103515245u + 12345u;
    return seed >> 8;
}

static unsigned char *block[SLOTS];
static size_t size[SLOTS];
static unsigned char tag[SLOTS];

static int check(int i)
{
    for (size_t k = 0; k < size[i]; k++)
        if (block[i][k] != (unsigned char)(tag[i] + k)) return 0;
    return 1;
}

static void fill(int i)
{
    for (size_t k = 0; k < size[i]; k++) block[i][k] = (unsigned char)(tag[i] + k);
}

int main(void)
{
    unsigned long long checksum = 0;
    int bad = 0, mallocs = 0, reallocs = 0, frees = 0, large = 0;
    for (int round = 0; round < 4000; round++) {
        int i = next() % SLOTS;
        uint32_t r = next();
        if (block[i] == NULL) {
            size_t n = (r % 600 == 0) ? 140000 + r % 60000 : r % 400 + 1;
            if (n >= 131072) large++;
            block[i] = (r & 1) ? malloc(n) : calloc(1, n);
            if (!block[i]) { printf("allocation of %zu failed\n", n); return 1; }
            if (!(r & 1))
                for (size_t k = 0; k < n; k++)
                    if (block[i][k]) { bad++; break; }
            size[i] = n;
            tag[i] = (unsigned char)r;
            fill(i);
            mallocs++;
        } else if (r % 3 == 0) {
            if (!check(i)) bad++;
            size_t n = r % 600 + 1;
            size_t keep = n < size[i] ? n : size[i];
            unsigned char *p = realloc(block[i], n);
            if (!p) { printf("realloc failed\n"); return 1; }
            for (size_t k = 0; k < keep; k++)
                if (p[k] != (unsigned char)(tag[i] + k)) { bad++; break; }
            block[i] = p;
            size[i] = n;
            fill(i);
            reallocs++;
        } else {
            if (!check(i)) bad++;
            for (size_t k = 0; k < size[i]; k++) checksum += block[i][k] * (k + 1);
            free(block[i]);
            block[i] = NULL;
            frees++;
        }
    }
    for (int i = 0; i < SLOTS; i++)
        if (block[i]) {
            if (!check(i)) bad++;
            free(block[i]);
        }
    printf("mallocs %d reallocs %d frees %d large %d\n", mallocs, reallocs, frees, large);
    printf("corrupted blocks: %d\n", bad);
    printf("checksum %llu\n", checksum);

    void *aligned = NULL;
    int rc = posix_memalign(&aligned, 4096, 10000);
    printf("posix_memalign rc %d aligned %d\n", rc, ((uintptr_t)aligned & 4095) == 0);
    free(aligned);
    return bad != 0;
}
