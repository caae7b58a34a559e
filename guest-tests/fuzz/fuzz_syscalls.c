/* A seeded walk through every system call number with random arguments, and through the
   semihosting operations with random parameter blocks, for the fuzz test in
   ArmEmu.GuestTests/Linux/FuzzTests.cs. The emulator may answer anything a kernel may (an
   errno, a signal that ends a batch, the batch exiting): it must never fail itself (status
   125, a .NET crash) or hang.

   usage: fuzz_syscalls SEED BATCHES CALLS_PER_BATCH

   Each batch runs in a forked child, so a call that kills or ends the process (a random
   signal, exit, munmap of the code) ends only its batch; the parent prints how each batch
   ended. Arguments are drawn so that the run cannot reach outside its working directory or
   harm the machine running the test: numbers are small, -1, powers of two, or random; a
   pointer argument is NULL, an unmapped or kernel address, or a scratch buffer holding random
   bytes (never '/' or '.') or a short name made of the letters a-z, so no path leaves the
   working directory, which the test makes fresh (the program refuses to run elsewhere);
   descriptors 0, 1 and 2 are scratch files there. Left out, each for the reason given:
   calls that block by design with a random timeout (the test has no SIGALRM to end them),
   pipes (a write to a full one waits), process creation (fork bombs), links (a symlink's
   target is any string), and the calls that act on other processes by pid (a random pid is
   a host process). */
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static uint64_t state;
static uint32_t next(void)
{
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return (uint32_t)(state >> 16);
}

static unsigned char scratch[3][4096] __attribute__((aligned(4096)));

static uint32_t argument(void)
{
    switch (next() % 12) {
    case 0: return 0;
    case 1: return 0xffffffffu;
    case 2: return next() % 8;
    case 3: return 1u << (next() % 32);
    case 4: return next();
    case 5: return 0xc0000000u + (next() & 0xffff);          /* kernel space */
    case 6: return 0x80000000u + (next() & 0xffff000);       /* unmapped user space */
    case 7: case 8: {                                        /* random bytes */
        unsigned char *b = scratch[next() % 2];
        for (int i = 0; i < 64; i++) {
            unsigned char c = next();
            b[next() % 4096] = c == '/' || c == '.' ? 'x' : c; /* never a path that leaves the directory */
        }
        return (uint32_t)(uintptr_t)b + (next() % 8 == 0 ? next() % 4096 : 0);
    }
    case 9: case 10: {                                       /* a short a-z name */
        unsigned char *b = scratch[2];
        int length = 1 + next() % 6;
        for (int i = 0; i < length; i++) b[i] = 'a' + next() % 26;
        b[length] = 0;
        return (uint32_t)(uintptr_t)b;
    }
    default: return 4096u * (next() % 1024);
    }
}

/* EABI numbers left out (see the comment at the top). */
static int excluded(uint32_t nr)
{
    switch (nr) {
    case 2: case 120: case 190: case 435:                    /* fork clone vfork clone3 */
    case 29: case 72: case 179:                              /* pause sigsuspend rt_sigsuspend */
    case 162: case 265: case 407:                            /* nanosleep clock_nanosleep(_time64) */
    case 240: case 422:                                      /* futex(_time64): waits */
    case 142: case 168: case 335: case 336: case 413: case 414: /* select poll pselect6 ppoll (+time64) */
    case 42: case 359:                                       /* pipe pipe2: a write to a full pipe nobody reads waits */
    case 83: case 304: case 9: case 303:                     /* symlink symlinkat link linkat: a link could name anything */
    case 37: case 238: case 268: case 178: case 363:         /* kill tkill tgkill rt_sigqueueinfo rt_tgsigqueueinfo */
    case 369:                                                /* prlimit64 names pids */
    case 88:                                                 /* reboot */
    case 252: case 253: case 346: case 441:                  /* epoll_wait, epoll_pwait(2): wait */
        return 1;
    }
    return 0;
}

static void batch(int calls, int semihosting)
{
    /* 0, 1 and 2 become scratch files in the working directory. */
    int in = open("fuzz_in", O_RDONLY | O_CREAT, 0600), out = open("fuzz_out", O_WRONLY | O_CREAT | O_TRUNC, 0600);
    dup2(in, 0);
    dup2(out, 1);
    dup2(out, 2);
    for (int i = 0; i < calls; i++) {
        if (semihosting) {
            uint32_t op = next() % 8 == 0 ? next() : next() % 0x32;
            if (op == 0x18 || op == 0x20 || op == 0x07 || op == 0x12) continue; /* exit, exit_extended, readc (waits), system */
            uint32_t *block = (uint32_t *)scratch[next() % 2];
            for (int k = 0; k < 4; k++) block[k] = argument();
            register uint32_t r0 asm("r0") = op;
            register uint32_t r1 asm("r1") = next() % 4 == 0 ? argument() : (uint32_t)(uintptr_t)block;
            asm volatile("svc 0x123456" : "+r"(r0) : "r"(r1) : "memory");
            continue;
        }
        uint32_t nr = next() % 16 == 0 ? 0xf0000 + next() % 0x10 : next() % 460;
        if (excluded(nr)) continue;
        register uint32_t r0 asm("r0") = argument();
        register uint32_t r1 asm("r1") = argument();
        register uint32_t r2 asm("r2") = argument();
        register uint32_t r3 asm("r3") = argument();
        register uint32_t r4 asm("r4") = argument();
        register uint32_t r5 asm("r5") = argument();
        register uint32_t r7 asm("r7") = nr;
        asm volatile("svc 0" : "+r"(r0) : "r"(r1), "r"(r2), "r"(r3), "r"(r4), "r"(r5), "r"(r7) : "memory");
    }
    _exit(0);
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: fuzz_syscalls SEED BATCHES CALLS_PER_BATCH\n");
        return 2;
    }
    unsigned long long seed = strtoull(argv[1], 0, 0);
    int batches = atoi(argv[2]), calls = atoi(argv[3]);
    setvbuf(stdout, NULL, _IONBF, 0);
    char cwd[4096];
    if (!getcwd(cwd, sizeof cwd) || !strstr(cwd, "armemu-fuzz-")) {
        fprintf(stderr, "fuzz_syscalls: run me only in a fresh directory named armemu-fuzz-* (this is %s)\n", cwd);
        return 2;
    }
    int exited = 0, signalled = 0;
    for (int b = 0; b < batches; b++) {
        state = seed * 0x9E3779B97F4A7C15ull + b + 1;
        pid_t child = fork();
        if (child == 0) batch(calls, b % 4 == 3);
        int status = 0;
        if (waitpid(child, &status, 0) != child) {
            printf("batch %d: waitpid failed\n", b);
            return 1;
        }
        if (WIFSIGNALED(status)) signalled++;
        else exited++;
    }
    printf("seed %llu: %d batches exited, %d ended by a signal\n", seed, exited, signalled);
    return 0;
}
