/* System calls with bad arguments, family by family: what Linux (and qemu-arm, which hands
   most of them to the host kernel) answers -- EFAULT for a pointer to nothing, EINVAL for
   flags, commands, sizes and clocks that do not exist, EBADF for descriptors that are not
   open, ESRCH, ECHILD, ESPIPE, ENOTDIR, ERANGE, ENOMEM where Linux gives them. Each line is
   the call, its return value and the errno's name; raw syscall() so that the C library
   checks nothing first. A call that succeeds prints "ok" (its value may vary).

   Left out because qemu-arm 7.2 departs from Linux there (armemu answers as Linux 6.1 does):
   set_robust_list/get_robust_list (ENOSYS; Linux EINVAL, EFAULT, ESRCH), clock_getres and
   nanosleep with a bad pointer (qemu ignores it / says EINVAL; Linux EFAULT), mprotect of an
   unmapped page (qemu succeeds; Linux ENOMEM), mremap with unknown flags, an unaligned
   address or a zero length (qemu ENOMEM; Linux EINVAL), madvise with an unknown advice (qemu
   succeeds; Linux EINVAL), select with tv_usec >= 1000000 (qemu EINVAL; Linux normalises it),
   epoll_wait into an unmapped user address with no event ready (qemu EFAULT; Linux checks
   only access_ok and returns 0), cacheflush with end < start or flags (qemu succeeds; Linux
   EINVAL), statfs64 with a size other than struct statfs64's (qemu ignores it; Linux
   EINVAL). A descriptor past the fd table's size in a select set is left out too (Linux
   ignores bits beyond the table, whose size depends on the process's history). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/msg.h>
#include <sys/resource.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define BAD ((void *)16)        /* in the unmapped first page */
#define HUGE_LEN 0xfffff000u

static void show(const char *what, long r)
{
    if (r == -1) printf("%-44s -1 %s\n", what, strerrorname_np(errno));
    else printf("%-44s ok\n", what);
}

#define T(call) do { errno = 0; show(#call, (long)(call)); } while (0)

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    char buf[256];
    struct timespec ts = {0, 0}, bad_ts = {0, 2000000000};
    int file = open("file", O_RDWR | O_CREAT | O_TRUNC, 0644);
    write(file, "0123456789", 10);
    int ro = open("file", O_RDONLY);
    int dir = open(".", O_RDONLY | O_DIRECTORY);
    int p[2];
    pipe(p);

    puts("-- processes");
    T(syscall(SYS_wait4, -1, NULL, 0, NULL));
    T(syscall(SYS_wait4, -1, NULL, 0x40000000, NULL));
    T(syscall(SYS_waitid, 99, 0, NULL, WEXITED, NULL));
    T(syscall(SYS_waitid, P_ALL, 0, NULL, 0, NULL));
    T(syscall(SYS_setpgid, 0, -1));
    T(syscall(SYS_getpgid, -1));
    T(syscall(SYS_getsid, -1));
    T(syscall(SYS_getresuid32, BAD, BAD, BAD));
    T(syscall(SYS_getgroups32, -1, buf));
    T(syscall(SYS_uname, BAD));
    T(syscall(SYS_sched_getaffinity, 0, 3, buf));
    T(syscall(SYS_sched_getaffinity, 0, 128, BAD));
    T(syscall(SYS_sched_getaffinity, -1, 128, buf));
    T(syscall(SYS_prlimit64, 0, 99, NULL, buf));
    T(syscall(SYS_prlimit64, 0, RLIMIT_NOFILE, NULL, BAD));
    T(syscall(SYS_prlimit64, 0, RLIMIT_NOFILE, BAD, NULL));
    T(syscall(SYS_ugetrlimit, 99, buf));
    T(syscall(SYS_ugetrlimit, RLIMIT_STACK, BAD));
    struct rlimit backwards = {100, 10};
    T(syscall(SYS_setrlimit, RLIMIT_NOFILE, &backwards));
    T(syscall(SYS_setrlimit, 99, &backwards));
    T(syscall(SYS_sysinfo, BAD));
    T(syscall(SYS_getrandom, BAD, 16, 0));
    T(syscall(SYS_getrandom, buf, 16, 0xff));
    T(syscall(SYS_futex, BAD, 0 /* FUTEX_WAIT */, 0, NULL, NULL, 0));
    T(syscall(SYS_futex, buf, 99, 0, NULL, NULL, 0));
    T(syscall(SYS_prctl, 9999, 0, 0, 0, 0));
    T(syscall(SYS_execve, BAD, NULL, NULL));
    T(syscall(SYS_execve, "/nonexistent/program", NULL, NULL));
    T(syscall(SYS_execve, ".", NULL, NULL));
    T(syscall(SYS_clone, CLONE_SIGHAND, NULL, NULL, NULL, NULL));
    T(syscall(SYS_clone, CLONE_THREAD, NULL, NULL, NULL, NULL));

    puts("-- time");
    T(syscall(SYS_clock_gettime, 99, &ts));
    T(syscall(SYS_clock_gettime, CLOCK_REALTIME, BAD));
    T(syscall(SYS_clock_getres, 99, &ts));
    T(syscall(SYS_gettimeofday, BAD, NULL));
    T(syscall(SYS_nanosleep, &bad_ts, NULL));
    T(syscall(SYS_clock_nanosleep, 99, 0, &ts, NULL));
    T(syscall(SYS_clock_nanosleep, CLOCK_MONOTONIC, 0, BAD, NULL));
    T(syscall(SYS_clock_nanosleep, CLOCK_MONOTONIC, 0, &bad_ts, NULL));

    puts("-- timers");
    struct itimerval itv = {{0, 0}, {0, 0}};
    T(syscall(SYS_setitimer, 99, &itv, NULL));
    T(syscall(SYS_setitimer, ITIMER_REAL, BAD, NULL));
    T(syscall(SYS_getitimer, 99, &itv));
    T(syscall(SYS_getitimer, ITIMER_REAL, BAD));
    int timer;
    T(syscall(SYS_timer_create, 99, NULL, &timer));
    T(syscall(SYS_timer_create, CLOCK_MONOTONIC, NULL, BAD));
    T(syscall(SYS_timer_settime, 9999, 0, &itv, NULL));
    T(syscall(SYS_timer_gettime, 9999, buf));
    T(syscall(SYS_timer_getoverrun, 9999));
    T(syscall(SYS_timer_delete, 9999));

    puts("-- memory");
    T(syscall(SYS_mmap2, 0, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
    T(syscall(SYS_mmap2, 0x10001, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0));
    T(syscall(SYS_mmap2, 0, 4096, PROT_READ, MAP_PRIVATE, 9999, 0));
    T(syscall(SYS_mmap2, 0, 4096, PROT_READ, MAP_ANONYMOUS, -1, 0));
    T(syscall(SYS_mmap2, 0, 4096, PROT_READ, MAP_PRIVATE, dir, 0));
    T(syscall(SYS_mmap2, 0, 4096, PROT_WRITE, MAP_SHARED, ro, 0));
    T(syscall(SYS_mmap2, 0, HUGE_LEN, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
    T(syscall(SYS_munmap, 0x10001, 4096));
    T(syscall(SYS_munmap, 0x10000, 0));
    T(syscall(SYS_mprotect, 0x10001, 4096, PROT_READ));
    T(syscall(SYS_mprotect, 0x10000, HUGE_LEN, PROT_READ));
    char *page = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    T(syscall(SYS_mprotect, page, 4096, 0x100));
    T(syscall(SYS_mremap, page, 4096, HUGE_LEN, MREMAP_MAYMOVE, 0));
    T(syscall(SYS_msync, page + 1, 4096, MS_SYNC));
    T(syscall(SYS_msync, page, 4096, MS_SYNC | MS_ASYNC));
    T(syscall(SYS_madvise, page + 1, 4096, MADV_DONTNEED));

    puts("-- System V IPC");
    T(syscall(SYS_shmget, IPC_PRIVATE, 0, IPC_CREAT | 0600));
    T(syscall(SYS_shmat, -1, NULL, 0));
    T(syscall(SYS_shmdt, page + 1));
    T(syscall(SYS_shmdt, page));
    T(syscall(SYS_shmctl, -1, IPC_STAT, buf));
    T(syscall(SYS_semget, IPC_PRIVATE, -1, IPC_CREAT | 0600));
    T(syscall(SYS_semop, -1, buf, 1));
    T(syscall(SYS_semctl, -1, 0, IPC_RMID, 0));
    T(syscall(SYS_msgget, 0x7eadbeef, 0));
    T(syscall(SYS_msgsnd, -1, buf, 1, 0));
    T(syscall(SYS_msgrcv, -1, buf, 1, 0, IPC_NOWAIT));
    T(syscall(SYS_msgctl, -1, 9999, buf));

    puts("-- files");
    T(syscall(SYS_read, -1, buf, 1));
    T(syscall(SYS_read, 9999, buf, 1));
    T(syscall(SYS_read, file, BAD, 10));
    T(syscall(SYS_read, dir, buf, 10));
    T(syscall(SYS_write, p[0], buf, 1));
    T(syscall(SYS_write, file, BAD, 10));
    T(syscall(SYS_write, ro, buf, 1));
    struct iovec iov = {buf, 1}, bad_iov = {BAD, 10};
    T(syscall(SYS_readv, file, &iov, -1));
    T(syscall(SYS_readv, file, &iov, 1025));
    T(syscall(SYS_readv, file, BAD, 1));
    T(syscall(SYS_writev, file, &bad_iov, 1));
    T(syscall(SYS_pread64, file, buf, 1, 0, -1, -1));
    T(syscall(SYS_pread64, p[0], buf, 1, 0, 0, 0));
    T(syscall(SYS_pwrite64, file, BAD, 1, 0, 0, 0));
    T(syscall(SYS_open, BAD, O_RDONLY));
    T(syscall(SYS_open, "", O_RDONLY));
    T(syscall(SYS_open, "file/x", O_RDONLY));
    T(syscall(SYS_open, "file", O_RDONLY | O_DIRECTORY));
    T(syscall(SYS_open, ".", O_WRONLY));
    T(syscall(SYS_openat, 9999, "x", O_RDONLY));
    T(syscall(SYS_openat, file, "x", O_RDONLY));
    T(syscall(SYS_close, -1));
    T(syscall(SYS_close, 9999));
    T(syscall(SYS_close_range, 5, 3, 0));
    T(syscall(SYS_close_range, 100, 200, 0x80));
    T(syscall(SYS_lseek, file, 0, 99));
    T(syscall(SYS_lseek, p[0], 0, SEEK_SET));
    T(syscall(SYS_lseek, file, -100, SEEK_SET));
    T(syscall(SYS_lseek, -1, 0, SEEK_SET));
    T(syscall(SYS__llseek, file, 0, 0, BAD, SEEK_SET));
    T(syscall(SYS__llseek, file, 0, 0, buf, 99));
    T(syscall(SYS_stat64, BAD, buf));
    T(syscall(SYS_stat64, "file", BAD));
    T(syscall(SYS_lstat64, "nonexistent", buf));
    T(syscall(SYS_fstat64, -1, buf));
    T(syscall(SYS_fstat64, file, BAD));
    T(syscall(SYS_fstatat64, AT_FDCWD, "file", buf, 0xffff));
    T(syscall(SYS_fstatat64, AT_FDCWD, "", buf, 0));
    T(syscall(SYS_statx, AT_FDCWD, "file", 0xffff, 0, buf));
    T(syscall(SYS_statx, AT_FDCWD, "file", 0, 0x80000000u, buf));
    T(syscall(SYS_statx, AT_FDCWD, "file", 0, 0xfff, BAD));
    T(syscall(SYS_access, "file", 0x100));
    T(syscall(SYS_access, BAD, F_OK));
    T(syscall(SYS_faccessat2, AT_FDCWD, "file", F_OK, 0x1));
    T(syscall(SYS_readlink, "file", buf, sizeof buf));
    T(syscall(SYS_readlink, "file", buf, 0));
    T(syscall(SYS_readlink, BAD, buf, sizeof buf));
    T(syscall(SYS_getcwd, buf, 0));
    T(syscall(SYS_getcwd, buf, 1));
    T(syscall(SYS_getcwd, BAD, sizeof buf));
    T(syscall(SYS_chdir, BAD));
    T(syscall(SYS_chdir, "file"));
    T(syscall(SYS_fchdir, -1));
    T(syscall(SYS_fchdir, file));
    T(syscall(SYS_mkdir, BAD, 0755));
    T(syscall(SYS_mkdir, "file", 0755));
    T(syscall(SYS_rmdir, "file"));
    T(syscall(SYS_rmdir, "nonexistent"));
    T(syscall(SYS_unlink, "nonexistent"));
    T(syscall(SYS_unlink, BAD));
    T(syscall(SYS_unlinkat, AT_FDCWD, "file", 0x1));
    T(syscall(SYS_unlinkat, 9999, "file", 0));
    T(syscall(SYS_rename, "nonexistent", "other"));
    T(syscall(SYS_rename, "file", BAD));
    T(syscall(SYS_renameat2, AT_FDCWD, "file", AT_FDCWD, "other", 0x80));
    T(syscall(SYS_link, "nonexistent", "other"));
    T(syscall(SYS_linkat, AT_FDCWD, "file", AT_FDCWD, "other", 0x1));
    T(syscall(SYS_symlink, BAD, "other"));
    T(syscall(SYS_symlink, "target", ""));
    T(syscall(SYS_chmod, BAD, 0644));
    T(syscall(SYS_chmod, "nonexistent", 0644));
    T(syscall(SYS_fchmod, -1, 0644));
    T(syscall(SYS_fchmodat, AT_FDCWD, BAD, 0644));
    T(syscall(SYS_chown32, BAD, 0, 0));
    T(syscall(SYS_fchown32, -1, 0, 0));
    T(syscall(SYS_fchownat, AT_FDCWD, "file", -1, -1, 0x1));
    struct timespec bad_times[2] = {{0, 2000000000}, {0, 0}};
    T(syscall(SYS_utimensat, AT_FDCWD, "file", bad_times, 0));
    T(syscall(SYS_utimensat, AT_FDCWD, "file", BAD, 0));
    T(syscall(SYS_utimensat, AT_FDCWD, "file", NULL, 0x1));
    T(syscall(SYS_getdents64, -1, buf, sizeof buf));
    T(syscall(SYS_getdents64, file, buf, sizeof buf));
    T(syscall(SYS_getdents64, dir, buf, 1));
    T(syscall(SYS_getdents64, dir, BAD, sizeof buf));
    T(syscall(SYS_fcntl64, -1, F_GETFD));
    T(syscall(SYS_fcntl64, file, 9999));
    T(syscall(SYS_fcntl64, file, F_DUPFD, -1));
    T(syscall(SYS_fcntl64, file, F_DUPFD, 1 << 30));
    T(syscall(SYS_fcntl64, file, F_GETLK, BAD));
    T(syscall(SYS_fcntl64, file, F_SETFL, O_RDWR | O_APPEND));
    T(syscall(SYS_dup, -1));
    T(syscall(SYS_dup2, -1, 5));
    T(syscall(SYS_dup2, file, -1));
    T(syscall(SYS_dup2, file, 1 << 20));
    T(syscall(SYS_dup3, file, file, 0));
    T(syscall(SYS_dup3, file, 20, 0x1));
    T(syscall(SYS_pipe, BAD));
    T(syscall(SYS_pipe2, p, 0x1));
    T(syscall(SYS_ioctl, -1, 0x5401, buf));
    T(syscall(SYS_ioctl, file, 0x5401, buf));
    T(syscall(SYS_ftruncate, -1, 0));
    T(syscall(SYS_ftruncate, file, -1));
    T(syscall(SYS_ftruncate, ro, 0));
    T(syscall(SYS_ftruncate, p[1], 0));
    T(syscall(SYS_truncate, BAD, 0));
    T(syscall(SYS_truncate, "file", -1));
    T(syscall(SYS_truncate64, ".", 0, 0, 0));
    T(syscall(SYS_fsync, -1));
    T(syscall(SYS_fdatasync, 9999));
    T(syscall(SYS_poll, BAD, 1, 0));
    T(syscall(SYS_poll, buf, 0x7fffffff, 0));
    struct pollfd pfd = {9999, POLLIN, 0};
    T(syscall(SYS_poll, &pfd, 1, 0));
    printf("  revents for a closed fd: %#x\n", pfd.revents);
    T(syscall(SYS_ppoll, &pfd, 1, &bad_ts, NULL, 8));
    T(syscall(SYS_ppoll, &pfd, 1, &ts, buf, 7));
    T(syscall(SYS__newselect, -1, NULL, NULL, NULL, NULL));
    T(syscall(SYS__newselect, 1, BAD, NULL, NULL, NULL));
    fd_set set;
    FD_ZERO(&set);
    FD_SET(30, &set);
    T(syscall(SYS__newselect, 31, &set, NULL, NULL, &(struct timeval){0, 0}));
    T(syscall(SYS_pselect6, 1, NULL, NULL, NULL, &bad_ts, NULL));
    T(syscall(SYS_epoll_create, 0));
    T(syscall(SYS_epoll_create1, 0x1));
    int ep = epoll_create1(0);
    struct epoll_event ev = {EPOLLIN, {0}};
    T(syscall(SYS_epoll_ctl, 9999, EPOLL_CTL_ADD, 0, &ev));
    T(syscall(SYS_epoll_ctl, file, EPOLL_CTL_ADD, p[0], &ev));
    T(syscall(SYS_epoll_ctl, ep, EPOLL_CTL_ADD, ep, &ev));
    T(syscall(SYS_epoll_ctl, ep, 99, p[0], &ev));
    T(syscall(SYS_epoll_ctl, ep, EPOLL_CTL_ADD, file, &ev));
    T(syscall(SYS_epoll_ctl, ep, EPOLL_CTL_ADD, p[0], BAD));
    T(syscall(SYS_epoll_ctl, ep, EPOLL_CTL_MOD, p[0], &ev));
    T(syscall(SYS_epoll_wait, ep, buf, 0, 0));
    T(syscall(SYS_epoll_wait, file, buf, 1, 0));
    T(syscall(SYS_statfs64, BAD, 84, buf));
    T(syscall(SYS_statfs64, ".", 84, BAD));
    T(syscall(SYS_fstatfs64, -1, 84, buf));

    puts("-- signals");
    T(syscall(SYS_rt_sigaction, 0, NULL, NULL, 8));
    T(syscall(SYS_rt_sigaction, 65, NULL, NULL, 8));
    T(syscall(SYS_rt_sigaction, SIGKILL, buf, NULL, 8));
    T(syscall(SYS_rt_sigaction, SIGUSR1, NULL, NULL, 4));
    T(syscall(SYS_rt_sigaction, SIGUSR1, BAD, NULL, 8));
    T(syscall(SYS_rt_sigaction, SIGUSR1, NULL, BAD, 8));
    T(syscall(SYS_rt_sigprocmask, 99, buf, NULL, 8));
    T(syscall(SYS_rt_sigprocmask, SIG_BLOCK, NULL, NULL, 4));
    T(syscall(SYS_rt_sigprocmask, SIG_BLOCK, BAD, NULL, 8));
    T(syscall(SYS_rt_sigprocmask, SIG_BLOCK, NULL, BAD, 8));
    T(syscall(SYS_rt_sigpending, buf, 4));
    T(syscall(SYS_rt_sigpending, BAD, 8));
    T(syscall(SYS_rt_sigsuspend, buf, 4));
    T(syscall(SYS_rt_sigsuspend, BAD, 8));
    T(syscall(SYS_rt_sigqueueinfo, getpid(), 0, buf));
    T(syscall(SYS_rt_sigqueueinfo, getpid(), 65, buf));
    T(syscall(SYS_rt_sigqueueinfo, getpid(), SIGUSR1, BAD));
    sigset_t usr1;
    sigemptyset(&usr1);
    sigaddset(&usr1, SIGUSR1);
    T(syscall(SYS_rt_sigtimedwait, &usr1, NULL, &ts, 4));
    T(syscall(SYS_rt_sigtimedwait, BAD, NULL, &ts, 8));
    T(syscall(SYS_rt_sigtimedwait, &usr1, NULL, &bad_ts, 8));
    T(syscall(SYS_rt_sigtimedwait, &usr1, NULL, &ts, 8));
    stack_t ss = {NULL, 0x7, 1 << 16};
    T(syscall(SYS_sigaltstack, &ss, NULL));
    ss = (stack_t){buf, 0, 100};
    T(syscall(SYS_sigaltstack, &ss, NULL));
    T(syscall(SYS_sigaltstack, BAD, NULL));
    T(syscall(SYS_sigaltstack, NULL, BAD));
    T(syscall(SYS_kill, getpid(), 65));
    T(syscall(SYS_kill, getpid(), -1));
    T(syscall(SYS_kill, 999999, 0));
    T(syscall(SYS_kill, INT32_MIN, 0));
    T(syscall(SYS_tgkill, 0, 1, 0));
    T(syscall(SYS_tgkill, getpid(), 999999, 0));
    T(syscall(SYS_tgkill, getpid(), getpid(), 65));
    T(syscall(SYS_tkill, 0, 0));
    T(syscall(SYS_tkill, -1, 0));

    puts("-- ARM private");
    T(syscall(0xf0002, page, page + 4096, 0));
    T(syscall(0xf0003, 0, 0, 0, 0));
    return 0;
}
