/* Signals: sigaction with SA_SIGINFO, raise and kill to self (si_code SI_TKILL vs SI_USER), the handler's signal
   mask, sigprocmask with pending signals, SA_RESETHAND, SA_NODEFER, SIG_IGN, nested handlers, sigaltstack,
   SIGSEGV on PROT_NONE, read-only and unmapped pages (si_addr reported relative to the mapping) handled by
   siglongjmp or by fixing the protection and returning, SIGILL from an undefined instruction, and
   registers preserved across a handler. */
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static volatile int hits[65];
static volatile int last_code, last_pid_ok, blocked_in_handler_self, blocked_in_handler_usr2;

static void info_handler(int sig, siginfo_t *info, void *uc)
{
    (void)uc;
    hits[sig]++;
    last_code = info->si_code;
    last_pid_ok = info->si_pid == getpid();
    sigset_t now;
    sigprocmask(SIG_BLOCK, NULL, &now);
    blocked_in_handler_self = sigismember(&now, sig);
    blocked_in_handler_usr2 = sigismember(&now, SIGUSR2);
}

static void plain_handler(int sig) { hits[sig]++; }

static volatile int nested_depth, max_depth;
static void nesting_handler(int sig)
{
    nested_depth++;
    if (nested_depth > max_depth) max_depth = nested_depth;
    if (sig == SIGUSR1) raise(SIGUSR2);
    nested_depth--;
}

static sigjmp_buf recover;
static char *region;
static volatile long fault_offset;
static volatile int fault_code, fault_signal;

static void segv_jump(int sig, siginfo_t *info, void *uc)
{
    (void)uc;
    fault_signal = sig;
    fault_code = info->si_code;
    fault_offset = (char *)info->si_addr - region;
    siglongjmp(recover, 1);
}

static void segv_fix(int sig, siginfo_t *info, void *uc)
{
    (void)uc;
    fault_signal = sig;
    fault_code = info->si_code;
    fault_offset = (char *)info->si_addr - region;
    hits[sig]++;
    mprotect(region, 4096, PROT_READ | PROT_WRITE);
}

static const char *code_name(int sig, int code)
{
    if (code == SI_USER) return "SI_USER";
    if (code == SI_TKILL) return "SI_TKILL";
    if (code == SI_QUEUE) return "SI_QUEUE";
    if (sig == SIGSEGV && code == SEGV_MAPERR) return "SEGV_MAPERR";
    if (sig == SIGSEGV && code == SEGV_ACCERR) return "SEGV_ACCERR";
    /* Linux reports an undefined instruction as ILL_ILLOPC (do_undefinstr); qemu-arm 7.2 says ILL_ILLOPN. */
    if (sig == SIGILL && (code == ILL_ILLOPC || code == ILL_ILLOPN)) return "ILL_ILLOPC/ILL_ILLOPN";
    static char other[32];
    snprintf(other, sizeof other, "code %d", code);
    return other;
}

static void try_access(const char *what, volatile char *address, int write)
{
    fault_signal = 0;
    if (sigsetjmp(recover, 1) == 0) {
        if (write) *address = 1;
        else (void)*address;
        printf("%s: no fault\n", what);
    } else {
        printf("%s: signal %d %s at region%+ld\n", what, fault_signal, code_name(fault_signal, fault_code), fault_offset);
    }
}

extern char undefined_insn[];
static volatile int ill_count;
static void ill_handler(int sig, siginfo_t *info, void *ucv)
{
    ucontext_t *uc = ucv;
    ill_count++;
    printf("SIGILL %s at undefined_insn%+ld, pc in context matches %d\n", code_name(sig, info->si_code),
           (long)((char *)info->si_addr - undefined_insn), uc->uc_mcontext.arm_pc == (unsigned long)undefined_insn);
    uc->uc_mcontext.arm_pc += 4; /* skip it */
}

static char altstack[16384];
static volatile int on_alt;
static void alt_handler(int sig)
{
    (void)sig;
    char local;
    on_alt = &local >= altstack && &local < altstack + sizeof altstack;
    stack_t ss;
    sigaltstack(NULL, &ss);
    on_alt += (ss.ss_flags & SS_ONSTACK) ? 10 : 0;
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = info_handler;
    sa.sa_flags = SA_SIGINFO;
    sigemptyset(&sa.sa_mask);
    sigaddset(&sa.sa_mask, SIGUSR2);
    sigaction(SIGUSR1, &sa, NULL);

    raise(SIGUSR1);
    printf("raise: hits %d %s pid_ok %d self_blocked %d usr2_blocked %d\n", hits[SIGUSR1],
           code_name(SIGUSR1, last_code), last_pid_ok, blocked_in_handler_self, blocked_in_handler_usr2);
    kill(getpid(), SIGUSR1);
    printf("kill: hits %d %s pid_ok %d\n", hits[SIGUSR1], code_name(SIGUSR1, last_code), last_pid_ok);
    union sigval value = {.sival_int = 77};
    sigqueue(getpid(), SIGUSR1, value);
    printf("sigqueue: hits %d %s\n", hits[SIGUSR1], code_name(SIGUSR1, last_code));

    sigset_t block, pending, old;
    sigemptyset(&block);
    sigaddset(&block, SIGUSR1);
    sigprocmask(SIG_BLOCK, &block, &old);
    raise(SIGUSR1);
    raise(SIGUSR1); /* standard signals do not queue: one delivery */
    sigpending(&pending);
    printf("blocked: hits %d pending %d\n", hits[SIGUSR1], sigismember(&pending, SIGUSR1));
    sigprocmask(SIG_SETMASK, &old, NULL);
    sigpending(&pending);
    printf("unblocked: hits %d pending %d\n", hits[SIGUSR1], sigismember(&pending, SIGUSR1));

    sa.sa_handler = plain_handler;
    sa.sa_flags = SA_RESETHAND;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGHUP, &sa, NULL);
    raise(SIGHUP);
    struct sigaction now;
    sigaction(SIGHUP, NULL, &now);
    printf("SA_RESETHAND: hits %d, handler now default %d\n", hits[SIGHUP], now.sa_handler == SIG_DFL);

    signal(SIGUSR2, SIG_IGN);
    raise(SIGUSR2);
    printf("ignored SIGUSR2: hits %d\n", hits[SIGUSR2]);
    sa.sa_handler = nesting_handler;
    sa.sa_flags = 0;
    sigaction(SIGUSR1, &sa, NULL);
    sigaction(SIGUSR2, &sa, NULL);
    raise(SIGUSR1);
    printf("nested handlers: max depth %d\n", max_depth);
    max_depth = 0;
    sa.sa_flags = SA_NODEFER;
    sa.sa_handler = plain_handler;
    sigaction(SIGUSR2, &sa, NULL);
    raise(SIGUSR2);
    printf("SA_NODEFER: hits %d\n", hits[SIGUSR2]);

    stack_t ss = {.ss_sp = altstack, .ss_size = sizeof altstack, .ss_flags = 0};
    sigaltstack(&ss, NULL);
    sa.sa_handler = alt_handler;
    sa.sa_flags = SA_ONSTACK;
    sigaction(SIGWINCH, &sa, NULL);
    raise(SIGWINCH);
    printf("SA_ONSTACK: on alternate stack %d\n", on_alt);
    sa.sa_flags = 0;
    sigaction(SIGWINCH, &sa, NULL);
    raise(SIGWINCH);
    printf("without SA_ONSTACK: on alternate stack %d\n", on_alt);

    region = mmap(NULL, 3 * 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    mprotect(region + 4096, 4096, PROT_READ);
    munmap(region + 2 * 4096, 4096);
    sa.sa_sigaction = segv_jump;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGSEGV, &sa, NULL);
    try_access("read PROT_NONE", region + 0x123, 0);
    try_access("write PROT_NONE", region + 0x7ff, 1);
    try_access("read read-only", region + 4096 + 8, 0);
    try_access("write read-only", region + 4096 + 0xffc, 1);
    try_access("read unmapped", region + 2 * 4096 + 0x10, 0);
    try_access("write unmapped", region + 2 * 4096 + 0xfff, 1);
    region = NULL; /* report the null pointer's si_addr as it is */
    try_access("null pointer", (volatile char *)0, 0);
    region = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

    sa.sa_sigaction = segv_fix;
    sigaction(SIGSEGV, &sa, NULL);
    volatile int *p = (volatile int *)(region + 0x40);
    *p = 1234; /* faults once; the handler makes the page writable and the store is redone */
    printf("fixed fault: hits %d %s at region%+ld, value %d\n", hits[SIGSEGV], code_name(SIGSEGV, fault_code),
           fault_offset, *p);

    sa.sa_sigaction = ill_handler;
    sigaction(SIGILL, &sa, NULL);
    int before = 0;
    asm volatile(".globl undefined_insn\n"
                 "mov %0, #1\n"
                 "undefined_insn: .word 0xe7f000f0\n"
                 "add %0, %0, #1\n"
                 : "=r"(before));
    printf("after SIGILL: %d handler calls, register result %d\n", ill_count, before);

    /* A handler runs between two instructions; the interrupted computation must not notice. */
    sa.sa_handler = plain_handler;
    sa.sa_flags = 0;
    sigaction(SIGUSR1, &sa, NULL);
    unsigned long long acc = 0;
    for (unsigned i = 1; i <= 200; i++) {
        acc = acc * 31 + i;
        if (i % 50 == 0) raise(SIGUSR1);
    }
    printf("accumulator %llu, SIGUSR1 hits %d\n", acc, hits[SIGUSR1]);

    signal(SIGUSR1, SIG_DFL);
    printf("about to die of SIGTERM\n");
    raise(SIGTERM);
    printf("not reached\n");
    return 0;
}
