/* Memory mappings: anonymous mmap/munmap, mprotect (faults reported by a SIGSEGV handler), mremap growing in place,
   moving and shrinking, MAP_FIXED replacement, holes punched by munmap, file-backed MAP_PRIVATE mappings of a file
   in the scratch directory argv[1] (offsets, copy-on-write, the zero-filled tail, SIGBUS past the end of the file),
   and the error cases. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define PAGE 4096

static sigjmp_buf recover;
static volatile int probing;
static volatile int fault_signal, fault_code;
static volatile uintptr_t fault_address;

static void handler(int sig, siginfo_t *info, void *uc)
{
    (void)uc;
    fault_signal = sig;
    fault_code = info->si_code;
    fault_address = (uintptr_t)info->si_addr;
    if (!probing) {
        static const char msg[] = "unexpected fault outside a probe\n";
        write(1, msg, sizeof msg - 1);
        _exit(3);
    }
    probing = 0;
    siglongjmp(recover, 1);
}

/* Touches address (read or write); prints what happened, with the fault address relative to base. */
static void probe(const char *what, char *base, volatile char *address, int write)
{
    if (sigsetjmp(recover, 1) == 0) {
        probing = 1;
        if (write) *address = 'w';
        else (void)*address;
        probing = 0;
        printf("  %s: ok\n", what);
    } else {
        const char *kind = fault_signal == SIGSEGV ? (fault_code == SEGV_MAPERR ? "SEGV_MAPERR" : fault_code == SEGV_ACCERR ? "SEGV_ACCERR" : "SEGV ?")
                         : fault_signal == SIGBUS ? (fault_code == BUS_ADRERR ? "BUS_ADRERR" : "BUS ?") : "?";
        /* si_addr of SIGBUS is not printed: qemu-arm 7.2 reports it one page too high. */
        if (fault_signal == SIGBUS) printf("  %s: signal %d %s\n", what, fault_signal, kind);
        else printf("  %s: signal %d %s at base%+ld\n", what, fault_signal, kind, (long)(fault_address - (uintptr_t)base));
    }
}

static unsigned sum(const unsigned char *p, size_t n)
{
    unsigned s = 0;
    for (size_t i = 0; i < n; i++) s = s * 33 + p[i];
    return s;
}

int main(int argc, char **argv)
{
    if (argc < 2) { printf("usage: mmap DIR\n"); return 2; }
    setvbuf(stdout, NULL, _IONBF, 0);
    struct sigaction sa = {0};
    sa.sa_sigaction = handler;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGSEGV, &sa, NULL);
    sigaction(SIGBUS, &sa, NULL);

    printf("anonymous:\n");
    size_t len = 256 * 1024;
    unsigned char *a = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (a == MAP_FAILED) { perror("mmap"); return 1; }
    int nonzero = 0;
    for (size_t i = 0; i < len; i++) nonzero += a[i] != 0;
    printf("  page aligned %d, nonzero bytes %d\n", ((uintptr_t)a & (PAGE - 1)) == 0, nonzero);
    for (size_t i = 0; i < len; i++) a[i] = (unsigned char)(i * 7 + (i >> 12));
    printf("  checksum %08x\n", sum(a, len));

    printf("mprotect:\n");
    printf("  to read-only: %d\n", mprotect(a + PAGE, PAGE, PROT_READ));
    probe("read read-only page", (char *)a, a + PAGE + 5, 0);
    probe("write read-only page", (char *)a, a + PAGE + 5, 1);
    probe("write the page before", (char *)a, a + PAGE - 1, 1);
    printf("  to none: %d\n", mprotect(a, PAGE, PROT_NONE));
    probe("read PROT_NONE page", (char *)a, a + 100, 0);
    printf("  back to read-write: %d\n", mprotect(a, 2 * PAGE, PROT_READ | PROT_WRITE));
    probe("write again", (char *)a, a + PAGE + 5, 1);

    printf("munmap hole:\n");
    printf("  munmap: %d\n", munmap(a + 4 * PAGE, 2 * PAGE));
    probe("read the hole", (char *)a, a + 5 * PAGE + 1, 0);
    probe("read after the hole", (char *)a, a + 6 * PAGE, 0);
    printf("  data after the hole intact %d\n", a[6 * PAGE + 1] == (unsigned char)((6 * PAGE + 1) * 7 + 6));
    void *fixed = mmap(a + 4 * PAGE, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    printf("  MAP_FIXED into the hole at the right place %d, zero %d\n", fixed == a + 4 * PAGE, a[4 * PAGE] == 0);
    fixed = mmap(a + 8 * PAGE, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    printf("  MAP_FIXED over data: zero %d\n", a[8 * PAGE + 3] == 0);
    probe("write the replaced read-only page", (char *)a, a + 8 * PAGE + 3, 1);
    munmap(a, len);
    probe("read after munmap", (char *)a, a + 12, 0);

    printf("mremap:\n");
    unsigned char *r = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    for (int i = 0; i < 2 * PAGE; i++) r[i] = (unsigned char)(i ^ 0x5a);
    /* Growing in place into just-unmapped space works on Linux, but qemu-arm 7.2 (which keeps the guest's
       address space reserved on the host) refuses it with ENOMEM, so the oracle cannot check it: grow with
       MREMAP_MAYMOVE and print nothing that depends on whether the mapping moved. */
    unsigned char *g = mremap(r, 4 * PAGE, 4 * PAGE + PAGE, MREMAP_MAYMOVE);
    printf("  grown, contents kept %d, new part zero %d\n", g[PAGE + 7] == (unsigned char)((PAGE + 7) ^ 0x5a), g[4 * PAGE] == 0);
    g = mremap(g, 5 * PAGE, 4 * PAGE, 0);
    /* Block growth with a mapping right after it: growing without MREMAP_MAYMOVE fails. */
    void *blocker = mmap(g + 4 * PAGE, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    printf("  blocker placed %d\n", blocker == g + 4 * PAGE);
    void *fail = mremap(g, 4 * PAGE, 8 * PAGE, 0);
    printf("  grow blocked without MAYMOVE: %s\n", fail == MAP_FAILED ? strerror(errno) : "succeeded");
    unsigned char *m = mremap(g, 4 * PAGE, 8 * PAGE, MREMAP_MAYMOVE);
    printf("  moved %d, contents kept %d, checksum %08x\n", m != g, m[1] == (1 ^ 0x5a), sum(m, 2 * PAGE));
    probe("old address after the move", (char *)g, g + 1, 0);
    unsigned char *s = mremap(m, 8 * PAGE, PAGE, 0);
    printf("  shrunk in place %d\n", s == m);
    probe("beyond the shrunk end", (char *)m, m + PAGE, 0);
    munmap(s, PAGE);
    munmap(blocker, PAGE);

    printf("file MAP_PRIVATE:\n");
    char path[4200];
    snprintf(path, sizeof path, "%s/mapped.bin", argv[1]);
    int fd = open(path, O_CREAT | O_TRUNC | O_RDWR, 0600);
    unsigned char data[10000];
    for (int i = 0; i < (int)sizeof data; i++) data[i] = (unsigned char)(i * 13 + 1);
    write(fd, data, sizeof data);
    unsigned char *f = mmap(NULL, sizeof data, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    printf("  contents equal %d, tail after EOF zero %d\n", memcmp(f, data, sizeof data) == 0, f[sizeof data] == 0 && f[3 * PAGE - 1] == 0);
    f[10] = 0xEE;
    unsigned char check = 0;
    pread(fd, &check, 1, 10);
    printf("  private write not in file %d, visible in mapping %d\n", check == data[10], f[10] == 0xEE);
    unsigned char *o = mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, fd, PAGE);
    printf("  offset mapping equal %d\n", memcmp(o, data + PAGE, PAGE) == 0);
    probe("write a read-only file mapping", (char *)o, o + 1, 1);
    unsigned char *big = mmap(NULL, 5 * PAGE, PROT_READ, MAP_PRIVATE, fd, 0);
    probe("read the last page of the file", (char *)big, big + 2 * PAGE + 100, 0);
    probe("read past the file's last page", (char *)big, big + 3 * PAGE + 100, 0);
    munmap(f, sizeof data);
    munmap(o, PAGE);
    munmap(big, 5 * PAGE);
    printf("  shared read mapping equal: ");
    unsigned char *sh = mmap(NULL, sizeof data, PROT_READ, MAP_SHARED, fd, 0);
    printf("%d\n", sh != MAP_FAILED && memcmp(sh, data, sizeof data) == 0);
    munmap(sh, sizeof data);
    close(fd);

    printf("errors:\n");
    errno = 0;
    printf("  length 0: %s\n", mmap(NULL, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) == MAP_FAILED ? strerror(errno) : "ok");
    printf("  unaligned MAP_FIXED: %s\n",
           mmap((void *)0x40001001, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == MAP_FAILED ? strerror(errno) : "ok");
    printf("  bad fd: %s\n", mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, 99, 0) == MAP_FAILED ? strerror(errno) : "ok");
    printf("  neither private nor shared: %s\n", mmap(NULL, PAGE, PROT_READ, MAP_ANONYMOUS, -1, 0) == MAP_FAILED ? strerror(errno) : "ok");
    int wfd = open(path, O_WRONLY);
    printf("  write-only fd: %s\n", mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, wfd, 0) == MAP_FAILED ? strerror(errno) : "ok");
    close(wfd);
    printf("  munmap unaligned: %s\n", munmap((void *)0x40000001, PAGE) < 0 ? strerror(errno) : "ok");
    /* Not checked: mprotect of an unmapped range, ENOMEM on Linux, succeeds under qemu-arm 7.2. */
    unlink(path);
    return 0;
}
