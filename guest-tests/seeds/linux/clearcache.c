/* Seed 000 ("ARM cache flush on mmap'd buffers with __clear_cache()"): a JIT writes ARM code into an
   mmap'd PROT_EXEC buffer, runs it, overwrites it and runs it again. On the ARM926 the I-cache is not
   coherent with the D-cache and the write buffer: after the first run the I-cache holds the old line,
   and the new code sits dirty in the D-cache (or waits in the write buffer), so without a flush the CPU
   runs the old code. The flush is the cacheflush system call (svc 0, r7 = 0xf0002), made either by
   __builtin___clear_cache or by the seed's own clearcache(); Linux does do_cache_op ->
   arm926_coherent_user_range: clean D, invalidate I, drain the write buffer.

   Three rounds, each on its own buffer: without a flush, with __builtin___clear_cache, with the seed's
   clearcache(). Nothing is printed between the first run and the second (printf's code would compete for
   the I-cache lines); the results are printed at the end.

   `clearcache none|builtin|seed` runs that round alone and also prints where the code buffer was, so
   that `armemu run --check-coherence` can be checked to name it (the test suite does). */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#define MOV_R0(imm) (0xE3A00000u | (imm)) /* mov r0, #imm */
#define BX_LR 0xE12FFF1Eu                 /* bx lr */

typedef int (*fn)(void);

/* The seed's snippet, as published (an Android libc workaround), plus r2 in the clobber list: the
   original sets r2 (the flags argument, 0) without telling the compiler. */
static void clearcache(char *begin, char *end)
{
    const int syscall = 0xf0002;
    __asm __volatile(
        "mov     r0, %0\n"
        "mov     r1, %1\n"
        "mov     r7, %2\n"
        "mov     r2, #0x0\n"
        "svc     0x00000000\n"
        :
        : "r"(begin), "r"(end), "r"(syscall)
        : "r0", "r1", "r2", "r7");
}

enum flush { NONE, BUILTIN, SEED };

static void flush(enum flush how, uint32_t *code)
{
    if (how == BUILTIN) __builtin___clear_cache((char *)code, (char *)(code + 2));
    else if (how == SEED) clearcache((char *)code, (char *)(code + 2));
}

/* Writes "return 1", runs it, overwrites it with "return 2" and runs it again. */
static void round_trip(enum flush how, int *first, int *second, uint32_t **where)
{
    uint32_t *code = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    *where = code;
    if (code == MAP_FAILED) { perror("mmap"); *first = *second = -1; return; }
    code[0] = MOV_R0(1);
    code[1] = BX_LR;
    __builtin___clear_cache((char *)code, (char *)(code + 2)); /* the first version is made visible properly */
    *first = ((fn)code)();
    /* A JIT that checks what it is about to patch reads the line: it is now in the D-cache, and the
       store below hits it and leaves it dirty there instead of going to the write buffer. */
    if (code[0] == MOV_R0(1)) code[0] = MOV_R0(2);
    flush(how, code);
    *second = ((fn)code)();
    munmap(code, 4096);
}

int main(int argc, char **argv)
{
    static const char *names[] = {"no flush", "__builtin___clear_cache", "clearcache() (svc 0xf0002)"};
    static const char *words[] = {"none", "builtin", "seed"};
    int results[3][2], first = NONE, last = SEED;
    uint32_t *where[3];
    if (argc > 1) {
        for (first = NONE; first <= SEED && strcmp(argv[1], words[first]) != 0; first++) {}
        if (first > SEED) { fprintf(stderr, "usage: clearcache [none|builtin|seed]\n"); return 2; }
        last = first;
    }
    for (int how = first; how <= last; how++) round_trip(how, &results[how][0], &results[how][1], &where[how]);
    if (argc > 1) printf("code buffer at %p\n", (void *)where[first]);
    for (int how = first; how <= last; how++)
        printf("%-28s first run %d, after rewriting %d: %s\n", names[how], results[how][0], results[how][1],
               results[how][1] == 2 ? "new code" : results[how][1] == 1 ? "STALE code" : "?");
    return 0;
}
