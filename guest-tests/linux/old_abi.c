/* Old-ABI system calls (swi 0x900000+n), as a kernel with CONFIG_OABI_COMPAT and qemu-arm
   take them: the number is in the instruction, the arguments in r0-r5, a 64-bit argument in
   the next two registers (no even-pair alignment); an immediate outside 0x900000-0x9fffff
   is SIGILL. Built for ARM state (the old ABI has no Thumb form). */
#include <fcntl.h>
#include <signal.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static long oabi_write(int fd, const void *buffer, unsigned long count)
{
    register long r0 asm("r0") = fd;
    register const void *r1 asm("r1") = buffer;
    register unsigned long r2 asm("r2") = count;
    asm volatile("swi 0x900004" : "+r"(r0) : "r"(r1), "r"(r2) : "memory");
    return r0;
}

static long oabi_getpid(void)
{
    register long r0 asm("r0");
    asm volatile("swi 0x900014" : "=r"(r0) : : "memory");
    return r0;
}

/* pread64(fd, buffer, count, offset): the offset in r3 (low) and r4 (high). */
static long oabi_pread64(int fd, void *buffer, unsigned long count, unsigned long long offset)
{
    register long r0 asm("r0") = fd;
    register void *r1 asm("r1") = buffer;
    register unsigned long r2 asm("r2") = count;
    register unsigned long r3 asm("r3") = (unsigned long)offset;
    register unsigned long r4 asm("r4") = (unsigned long)(offset >> 32);
    asm volatile("swi 0x9000b4" : "+r"(r0) : "r"(r1), "r"(r2), "r"(r3), "r"(r4) : "memory");
    return r0;
}

static sigjmp_buf back;
static void on_sigill(int signal) { siglongjmp(back, signal); }

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    long n = oabi_write(1, "written by swi 0x900004\n", 24);
    printf("old-ABI write returned %ld\n", n);
    printf("old-ABI getpid is getpid(): %s\n", oabi_getpid() == getpid() ? "yes" : "no");
    int fd = open("old_abi_file", O_RDWR | O_CREAT | O_TRUNC, 0600);
    write(fd, "0123456789", 10);
    char buffer[8] = {0};
    n = oabi_pread64(fd, buffer, 4, 6);
    printf("old-ABI pread64 at offset 6: %ld \"%s\"\n", n, buffer);
    close(fd);
    unlink("old_abi_file");
    signal(SIGILL, on_sigill);
    int caught = sigsetjmp(back, 1);
    if (caught == 0) {
        asm volatile("swi 0x123" ::: "memory");
        printf("swi 0x123 returned\n");
    } else {
        printf("swi 0x123: signal %d (SIGILL)\n", caught);
    }
    return 0;
}
