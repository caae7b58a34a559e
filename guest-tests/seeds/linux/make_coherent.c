/* Seed 003 ("Managing shared buffers on VIVT cache systems", Russell King): "When userspace sets up
   multiple mmap()s for the same shared mapping memory in the same process address space, then the code
   in make_coherent() triggers to make the mappings uncacheable, since userspace is allowed to write to
   any alias and read the updated data from any alias without issuing cache flushes."

   One page of a file is mapped MAP_SHARED twice, at two addresses. The ARM926's D-cache is virtually
   indexed and virtually tagged, so two cacheable aliases of one physical page are two different cache
   lines (with its 4 KiB ways, page-aligned aliases even fall in the same set, in different ways). Linux
   (arch/arm/mm/fault-armv.c) makes both mappings uncached-bufferable, and each alias sees the other's
   stores. With make_coherent off (armemu run --no-make-coherent) the aliases keep their own lines: a
   store through one is not seen through the other, and when the lines are written back the older half
   line overwrites the newer data: a store is lost.

   argv[1]: a directory for the file. */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static const char *same(uint32_t seen, uint32_t written) { return seen == written ? "sees it" : "DOES NOT see it"; }

int main(int argc, char **argv)
{
    if (argc != 2) { fprintf(stderr, "usage: make_coherent DIR\n"); return 2; }
    char path[4096];
    snprintf(path, sizeof path, "%s/shared.bin", argv[1]);
    int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
    if (fd < 0 || ftruncate(fd, 4096) != 0) { perror(path); return 1; }

    volatile uint32_t *first = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    volatile uint32_t *second = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (first == MAP_FAILED || second == MAP_FAILED) { perror("mmap"); return 1; }
    close(fd);
    printf("one file page mapped MAP_SHARED at two addresses: %s\n", first != second ? "yes" : "no");

    /* Both aliases are read first (on a cacheable mapping, each gets its own line). */
    uint32_t before = first[0] + second[0];
    /* Nothing between the accesses: a call here (printf) would use lines of its own, and whether
       one of them evicts an alias's line depends on where the stack and the heap fall -- which the
       environment's size moves. The results are printed after the unmapping. */
    first[0] = 0x11111111;
    uint32_t seen0 = second[0];
    second[1] = 0x22222222;
    uint32_t seen1 = first[1];

    /* Unmapping writes each alias's dirty lines back (flush_cache_range), the second last. */
    munmap((void *)first, 4096);
    munmap((void *)second, 4096);
    printf("write 0x11111111 to word 0 through the first, the second reads 0x%08x: %s\n", seen0, same(seen0, 0x11111111));
    printf("write 0x22222222 to word 1 through the second, the first reads 0x%08x: %s\n", seen1, same(seen1, 0x22222222));
    uint32_t file[2] = {0, 0};
    fd = open(path, O_RDONLY);
    if (fd < 0 || pread(fd, file, sizeof file, 0) != sizeof file) { perror(path); return 1; }
    close(fd);
    unlink(path);
    printf("the file holds 0x%08x 0x%08x: %s\n", file[0], file[1],
           file[0] == 0x11111111 && file[1] == 0x22222222 ? "both writes kept" : "a write was LOST");
    return before; /* 0: the file started out zero */
}
