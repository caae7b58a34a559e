/* The guest's descriptor table is its own: its first open is 3, "close everything from 3
   up" closes only what it opened (never the emulator's own descriptors), dup2/dup3/F_DUPFD
   reach any number below RLIMIT_NOFILE, close_range works on its numbers, and a lowered
   RLIMIT_NOFILE gives EBADF (dup2), EINVAL (F_DUPFD) and EMFILE (open) past it, as Linux's
   fs/file.c does. No descriptor numbers of the emulator appear anywhere. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

static const char *state(int fd)
{
    return fcntl(fd, F_GETFD) >= 0 ? "open" : errno == EBADF ? "closed" : "?";
}

static const char *err(int r)
{
    return r >= 0 ? "ok" : errno == EBADF ? "EBADF" : errno == EINVAL ? "EINVAL" : errno == EMFILE ? "EMFILE" : strerror(errno);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    int fd = open("/dev/null", O_RDONLY);
    printf("first open: %d\n", fd);
    close(fd);

    /* How many of these closes succeed is fd_invisible.c's business (qemu-arm's own descriptors are among them). */
    for (int i = 3; i < 1024; i++) close(i);
    printf("closed every descriptor from 3 to 1023\n");

    struct rlimit rl;
    getrlimit(RLIMIT_NOFILE, &rl);
    printf("RLIMIT_NOFILE: soft >= 1024 %s, hard >= soft %s\n", rl.rlim_cur >= 1024 ? "yes" : "no", rl.rlim_max >= rl.rlim_cur ? "yes" : "no");

    printf("dup2(1, 1000) = %d\n", dup2(1, 1000));
    write(1000, "written through 1000\n", 21);
    printf("F_DUPFD from 500 = %d\n", fcntl(1, F_DUPFD, 500));
    int r = dup3(1, 700, O_CLOEXEC);
    printf("dup3(1, 700, O_CLOEXEC) = %d, FD_CLOEXEC %d\n", r, fcntl(700, F_GETFD) & FD_CLOEXEC);
    printf("dup3(1, 1, 0): %s\n", err(dup3(1, 1, 0)));
    printf("dup2(42, 43): %s\n", err(dup2(42, 43)));
    printf("close(1023): %s\n", err(close(1023)));

    r = syscall(SYS_close_range, 600, 800, 4 /* CLOSE_RANGE_CLOEXEC */);
    printf("close_range(600, 800, CLOEXEC) = %d: 700 cloexec %d, 500 cloexec %d\n", r, fcntl(700, F_GETFD) & FD_CLOEXEC, fcntl(500, F_GETFD) & FD_CLOEXEC);
    r = syscall(SYS_close_range, 501, 1000, 0);
    printf("close_range(501, 1000, 0) = %d: 500 %s, 700 %s, 1000 %s\n", r, state(500), state(700), state(1000));
    r = syscall(SYS_close_range, 10, 5, 0);
    printf("close_range(10, 5, 0): %s\n", err(r));
    printf("close(500): %s\n", err(close(500)));

    rl.rlim_cur = 32;
    printf("setrlimit(NOFILE, 32): %s\n", err(setrlimit(RLIMIT_NOFILE, &rl)));
    printf("dup2(1, 40): %s\n", err(dup2(1, 40)));
    printf("F_DUPFD from 40: %s\n", err(fcntl(1, F_DUPFD, 40)));
    int opened = 0;
    while ((r = open("/dev/null", O_RDONLY)) >= 0) opened++;
    printf("opened %d, then %s\n", opened, err(r));
    printf("pipe: %s\n", err(pipe((int[2]){0, 0})));
    close(31);
    printf("dup after a close: %d\n", dup(0));
    rl.rlim_cur = rl.rlim_max + 1;
    printf("setrlimit soft above hard: %s\n", err(setrlimit(RLIMIT_NOFILE, &rl)));
    return 0;
}
