/*
 * Code that comes and goes: ROUNDS times, map PAGES fresh executable pages at a new address,
 * write a two-instruction function on each, run them all, unmap them. 16,000 distinct code
 * pages in all, four times what the decoded-instruction store holds: with the store giving a
 * page back at munmap, it never has to evict (DecodedStoreMemoryTests checks --stats).
 */
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>

#define PAGES 8
#define ROUNDS 2000
#define PAGE 4096u

int main(void)
{
    /* Find a free range for all rounds, then give it back: each round maps its part of it. */
    size_t span = (size_t)ROUNDS * PAGES * PAGE;
    char *range = mmap(NULL, span, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (range == MAP_FAILED || munmap(range, span) != 0) {
        perror("reserve");
        return 1;
    }
    unsigned long sum = 0;
    for (int r = 0; r < ROUNDS; r++) {
        char *base = range + (size_t)r * PAGES * PAGE;
        uint32_t *p = mmap(base, PAGES * PAGE, PROT_READ | PROT_WRITE | PROT_EXEC,
                           MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
        if (p == MAP_FAILED) {
            perror("mmap");
            return 1;
        }
        for (int i = 0; i < PAGES; i++) {
            uint32_t *f = p + i * (PAGE / 4);
            f[0] = 0xE3A00000u | ((r + i) & 0xFF); /* mov r0, #(r + i) & 255 */
            f[1] = 0xE12FFF1Eu;                    /* bx lr */
        }
        __builtin___clear_cache((char *)p, (char *)p + PAGES * PAGE);
        for (int i = 0; i < PAGES; i++)
            sum += ((int (*)(void))(void *)(p + i * (PAGE / 4)))();
        if (munmap(p, PAGES * PAGE) != 0) {
            perror("munmap");
            return 1;
        }
    }
    printf("%d rounds of %d code pages: sum %lu\n", ROUNDS, PAGES, sum);
    return 0;
}
