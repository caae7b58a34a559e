/* Run-time code generation: ARM and Thumb machine code written into executable mappings, made visible with
   __builtin___clear_cache (the cacheflush system call), executed, rewritten in place and executed again; W^X
   flipping with mprotect; code moved by mremap; and executing a page without PROT_EXEC, which must fault. */
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#define PAGE 4096
#define ARM_MOV_R0(imm) (0xE3A00000u | (imm))   /* mov r0, #imm (imm < 256) */
#define ARM_ADD_R0_IMM(imm) (0xE2800000u | (imm)) /* add r0, r0, #imm */
#define ARM_SUB_R0_IMM(imm) (0xE2400000u | (imm)) /* sub r0, r0, #imm */
#define ARM_BX_LR 0xE12FFF1Eu

typedef int (*fn0)(void);
typedef int (*fn1)(int);
typedef int (*fn2)(int, int);

static void flush(void *start, size_t bytes) { __builtin___clear_cache((char *)start, (char *)start + bytes); }

static sigjmp_buf recover;
static volatile int fault_signal, fault_code;
static volatile uintptr_t fault_address;

static void handler(int sig, siginfo_t *info, void *uc)
{
    (void)uc;
    fault_signal = sig;
    fault_code = info->si_code;
    fault_address = (uintptr_t)info->si_addr;
    siglongjmp(recover, 1);
}

int main(void)
{
    struct sigaction sa = {0};
    sa.sa_sigaction = handler;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGSEGV, &sa, NULL);

    uint32_t *code = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (code == MAP_FAILED) { perror("mmap"); return 1; }

    code[0] = ARM_MOV_R0(42);
    code[1] = ARM_BX_LR;
    flush(code, 8);
    printf("first: %d\n", ((fn0)code)());
    code[0] = ARM_MOV_R0(99);
    flush(code, 8);
    printf("rewritten: %d\n", ((fn0)code)());

    /* Patch the immediate 256 times, running after each patch. */
    long total = 0;
    for (int i = 0; i < 256; i++) {
        code[0] = ARM_MOV_R0(i);
        flush(code, 4);
        total += ((fn0)code)();
    }
    printf("256 patches: total %ld\n", total);

    /* A loop: r1 = 0; do { r1 += r0; } while (--r0); return r1 */
    static const uint32_t loop[] = {0xE3A01000, 0xE0811000, 0xE2500001, 0x1AFFFFFC, 0xE1A00001, ARM_BX_LR};
    memcpy(code + 16, loop, sizeof loop);
    flush(code + 16, sizeof loop);
    printf("sum 1..100: %d, sum 1..1000: %d\n", ((fn1)(code + 16))(100), ((fn1)(code + 16))(1000));
    /* Change the add into a subtract (sub r1, r1, r0) inside the loop body. */
    code[17] = 0xE0411000;
    flush(code + 17, 4);
    printf("after patching the loop body: %d\n", ((fn1)(code + 16))(100));

    /* A straight-line function spanning the page boundary: 1500 additions, then half turned into subtractions. */
    int n = 1500;
    uint32_t *straight = code + 200;
    for (int i = 0; i < n; i++) straight[i] = ARM_ADD_R0_IMM(1);
    straight[n] = ARM_BX_LR;
    flush(straight, (n + 1) * 4);
    printf("straight line: %d\n", ((fn1)straight)(0));
    for (int i = 0; i < n; i += 2) straight[i] = ARM_SUB_R0_IMM(1);
    flush(straight, (n + 1) * 4);
    printf("half subtracted: %d\n", ((fn1)straight)(7));
    straight[n - 1] = ARM_BX_LR; /* return one instruction earlier */
    flush(straight + n - 1, 4);
    printf("shortened: %d\n", ((fn1)straight)(7));

    /* Thumb code, entered with the low address bit set: adds r0 = r0 + r1 + 5. */
    uint16_t *thumb = (uint16_t *)(code + 64);
    thumb[0] = 0x1840; /* adds r0, r0, r1 */
    thumb[1] = 0x3005; /* adds r0, #5 */
    thumb[2] = 0x4770; /* bx lr */
    flush(thumb, 6);
    fn2 tf = (fn2)((uintptr_t)thumb | 1);
    printf("thumb: %d\n", tf(30, 7));
    thumb[1] = 0x3864; /* subs r0, #100 */
    flush(thumb, 6);
    printf("thumb rewritten: %d\n", tf(30, 7));

    /* W^X: write while read-write, execute while read-execute, never both. */
    uint32_t *wx = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    wx[0] = ARM_MOV_R0(1);
    wx[1] = ARM_BX_LR;
    flush(wx, 8);
    if (sigsetjmp(recover, 1) == 0) printf("executed a non-executable page: %d\n", ((fn0)wx)());
    else printf("execute without PROT_EXEC: signal %d code %d at page%+ld\n", fault_signal, fault_code,
                (long)(fault_address - (uintptr_t)wx));
    mprotect(wx, PAGE, PROT_READ | PROT_EXEC);
    printf("after mprotect RX: %d\n", ((fn0)wx)());
    if (sigsetjmp(recover, 1) == 0) { wx[0] = ARM_MOV_R0(2); printf("wrote RX page\n"); }
    else printf("write to RX page: signal %d code %d at page%+ld\n", fault_signal, fault_code, (long)(fault_address - (uintptr_t)wx));
    mprotect(wx, PAGE, PROT_READ | PROT_WRITE);
    wx[0] = ARM_MOV_R0(3);
    mprotect(wx, PAGE, PROT_READ | PROT_EXEC);
    flush(wx, 8);
    printf("rewritten via RW then RX: %d\n", ((fn0)wx)());

    /* Move the code with mremap (blocked in place by a neighbour) and run it at its new address; then map
       different code where it used to be. */
    void *neighbour = mmap((char *)wx + PAGE, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    uint32_t *moved = mremap(wx, PAGE, 2 * PAGE, MREMAP_MAYMOVE);
    flush(moved, 8);
    printf("moved %d, runs at new address: %d\n", moved != wx && neighbour != MAP_FAILED, ((fn0)moved)());
    uint32_t *again = mmap(wx, PAGE, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    again[0] = ARM_MOV_R0(77);
    again[1] = ARM_BX_LR;
    flush(again, 8);
    printf("new code at the old address: %d, moved copy: %d\n", ((fn0)again)(), ((fn0)moved)());

    /* Unmapped code address. */
    munmap(again, PAGE);
    if (sigsetjmp(recover, 1) == 0) printf("called unmapped code: %d\n", ((fn0)again)());
    else printf("call unmapped: signal %d code %d at page%+ld\n", fault_signal, fault_code, (long)(fault_address - (uintptr_t)again));
    return 0;
}
