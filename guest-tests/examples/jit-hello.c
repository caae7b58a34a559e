/*
 * ArmEmu's bundled example: a tiny JIT, the program the __clear_cache seed
 * article is about. It writes ARM machine code for "return x * k + c" into an
 * executable buffer, makes it visible to instruction fetch with
 * __builtin___clear_cache (the cacheflush system call, r7 = 0xf0002), calls it,
 * then rewrites the constants and calls it again. On a VIVT ARM926 the second
 * __builtin___clear_cache is what keeps the CPU from running the old code.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

typedef int (*jit_fn)(int);

/* mov r1, #k ; mov r2, #c ; mla r0, r0, r1, r2 ; bx lr */
static void emit(uint32_t *code, unsigned k, unsigned c)
{
    code[0] = 0xe3a01000u | (k & 0xff);
    code[1] = 0xe3a02000u | (c & 0xff);
    code[2] = 0xe0202091u;
    code[3] = 0xe12fff1eu;
}

static int primes_below(int n)
{
    static char composite[10000];
    int count = 0;
    for (int i = 2; i < n; i++) {
        if (composite[i]) continue;
        count++;
        for (int j = i * 2; j < n; j += i) composite[j] = 1;
    }
    return count;
}

int main(void)
{
    printf("hello from an emulated ARM926\n");
    printf("primes below 10000: %d\n", primes_below(10000));

    uint32_t *code = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (code == MAP_FAILED) { perror("mmap"); return 1; }

    emit(code, 3, 4);
    __builtin___clear_cache((char *)code, (char *)(code + 4));
    printf("jit(x) = 3x + 4:  jit(10) = %d\n", ((jit_fn)code)(10));

    emit(code, 5, 1);
    __builtin___clear_cache((char *)code, (char *)(code + 4));
    printf("jit(x) = 5x + 1:  jit(10) = %d\n", ((jit_fn)code)(10));
    return 0;
}
