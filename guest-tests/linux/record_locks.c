/* fcntl record locks between processes (fs/locks.c): F_GETLK/F_SETLK/F_SETLKW, their 64-bit
 * forms, the POSIX rules (a process's own locks never conflict, locks are not inherited by fork,
 * closing any descriptor of the file releases them, adjacent locks of one kind merge), F_SETLKW
 * waiting and EDEADLK, bad arguments, and open-file-description locks (F_OFD_*). Pids are
 * printed only as "the parent" / "the child", so the output is the same on any kernel. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static char path[] = "/tmp/armemu_record_locks_XXXXXX";

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...)
{
    char line[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    if (write(1, line, n) != n) _exit(99);
}

static int lock(int fd, int cmd, short type, short whence, off_t start, off_t len)
{
    struct flock fl = { .l_type = type, .l_whence = whence, .l_start = start, .l_len = len };
    return fcntl(fd, cmd, &fl) == 0 ? 0 : -errno;
}

static const char *kind(short t) { return t == F_RDLCK ? "read" : t == F_WRLCK ? "write" : t == F_UNLCK ? "unlocked" : "?"; }

/* F_GETLK for a write lock of [start, start+len): what stands in the way, with whose pid. */
static void probe(const char *who, int fd, off_t start, off_t len, pid_t parent)
{
    struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = start, .l_len = len };
    if (fcntl(fd, F_GETLK, &fl) != 0) { say("%s: F_GETLK errno %d\n", who, errno); return; }
    if (fl.l_type == F_UNLCK) say("%s: [%ld,+%ld) free\n", who, (long)start, (long)len);
    else say("%s: [%ld,+%ld) blocked by a %s lock [%ld,+%ld) of %s\n", who, (long)start, (long)len, kind(fl.l_type),
             (long)fl.l_start, (long)fl.l_len, fl.l_pid == parent ? "the parent" : fl.l_pid == getpid() ? "itself" : "another process");
}

static void child_do(void (*body)(int, pid_t), int fd)
{
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid == 0) { body(fd, parent); _exit(0); }
    int status;
    waitpid(pid, &status, 0);
}

static void child_sees_write_lock(int fd, pid_t parent)
{
    probe("child", fd, 0, 0, parent);
    say("child: read lock inside it: %d\n", lock(fd, F_SETLK, F_RDLCK, SEEK_SET, 15, 1));
    say("child: write lock next to it: %d\n", lock(fd, F_SETLK, F_WRLCK, SEEK_SET, 20, 10));
    probe("child", fd, 20, 10, parent);
}

static void child_sees_read_lock(int fd, pid_t parent)
{
    probe("child", fd, 12, 1, parent);
    say("child: read lock beside the parent's read lock: %d\n", lock(fd, F_SETLK, F_RDLCK, SEEK_SET, 5, 5));
    say("child: write lock over it: %d\n", lock(fd, F_SETLK, F_WRLCK, SEEK_SET, 5, 5));
}

static void child_probes(int fd, pid_t parent) { probe("child", fd, 0, 0, parent); }

static void child_64(int fd, pid_t parent)
{
    struct flock64 fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 0 };
    if (fcntl(fd, F_GETLK64, &fl) != 0) { say("child: F_GETLK64 errno %d\n", errno); return; }
    say("child: F_GETLK64: %s [%lld,+%lld) of %s\n", kind(fl.l_type), (long long)fl.l_start, (long long)fl.l_len,
        fl.l_pid == parent ? "the parent" : "another process");
}

int main(void)
{
    int fd = mkstemp(path);
    if (fd < 0) { perror("mkstemp"); return 1; }
    char block[100];
    memset(block, 'x', sizeof block);
    if (write(fd, block, sizeof block) != sizeof block) return 1;

    say("-- a write lock, seen from a child\n");
    say("parent: write lock [10,+10): %d\n", lock(fd, F_SETLK, F_WRLCK, SEEK_SET, 10, 10));
    probe("parent", fd, 0, 0, getpid());
    child_do(child_sees_write_lock, fd);
    probe("parent (the child's lock went with it)", fd, 20, 10, getpid());

    say("-- a read lock over it (the parent's own locks convert and merge)\n");
    say("parent: read lock [0,+51): %d\n", lock(fd, F_SETLK, F_RDLCK, SEEK_SET, 0, 51));
    child_do(child_sees_read_lock, fd);
    say("parent: read lock [51,+9) next to it: %d\n", lock(fd, F_SETLK, F_RDLCK, SEEK_SET, 51, 9));
    child_do(child_probes, fd);
    say("parent: unlock [20,+10) in the middle: %d\n", lock(fd, F_SETLK, F_UNLCK, SEEK_SET, 20, 10));
    child_do(child_probes, fd);
    say("-- from the end of the file, negative lengths, 64-bit forms\n");
    say("parent: write lock SEEK_END -10, len 5: %d\n", lock(fd, F_SETLK, F_WRLCK, SEEK_END, -10, 5));
    say("parent: write lock SEEK_SET 70, len -5: %d\n", lock(fd, F_SETLK, F_WRLCK, SEEK_SET, 70, -5));
    lseek(fd, 80, SEEK_SET);
    say("parent: write lock SEEK_CUR +2, len 3: %d\n", lock(fd, F_SETLK, F_WRLCK, SEEK_CUR, 2, 3));
    child_do(child_64, fd);

    say("-- closing any descriptor of the file releases the process's locks\n");
    int again = open(path, O_RDONLY);
    close(again);
    child_do(child_probes, fd);

    say("-- F_SETLKW waits, then gets the lock\n");
    lock(fd, F_SETLK, F_WRLCK, SEEK_SET, 0, 10);
    pid_t waiter = fork();
    if (waiter == 0)
    {
        int r = lock(fd, F_SETLKW, F_WRLCK, SEEK_SET, 5, 1);
        say("child: F_SETLKW returned %d after the parent unlocked\n", r);
        _exit(0);
    }
    usleep(200000);
    say("parent: unlocking\n");
    lock(fd, F_SETLK, F_UNLCK, SEEK_SET, 0, 0);
    waitpid(waiter, NULL, 0);

    say("-- a wait that would deadlock fails with EDEADLK\n");
    /* Whichever of the two waits second closes the cycle and gets EDEADLK (the parent, unless the
     * child is slow to reach its wait); the other then gets the lock once the loser lets go. */
    lock(fd, F_SETLK, F_WRLCK, SEEK_SET, 0, 1);
    int ready[2];
    if (pipe(ready) != 0) return 1;
    pid_t other = fork();
    if (other == 0)
    {
        lock(fd, F_SETLK, F_WRLCK, SEEK_SET, 1, 1);
        if (write(ready[1], "r", 1) != 1) _exit(98);
        int r = lock(fd, F_SETLKW, F_WRLCK, SEEK_SET, 0, 1); /* waits on the parent */
        _exit(-r);
    }
    char c;
    if (read(ready[0], &c, 1) != 1) return 1;
    usleep(200000);
    int mine = lock(fd, F_SETLKW, F_WRLCK, SEEK_SET, 1, 1);
    lock(fd, F_SETLK, F_UNLCK, SEEK_SET, 0, 0);
    int status;
    waitpid(other, &status, 0);
    int theirs = WIFEXITED(status) ? -WEXITSTATUS(status) : -1000;
    say("one waiter got EDEADLK (%d) and the other the lock: %s\n", -EDEADLK,
        (mine == -EDEADLK && theirs == 0) || (mine == 0 && theirs == -EDEADLK) ? "yes" : "no");

    say("-- bad arguments\n");
    say("type 7: %d\n", lock(fd, F_SETLK, 7, SEEK_SET, 0, 1));
    say("whence 9: %d\n", lock(fd, F_SETLK, F_WRLCK, 9, 0, 1));
    say("negative start: %d\n", lock(fd, F_SETLK, F_WRLCK, SEEK_SET, -1, 1));
    say("length reaching below 0: %d\n", lock(fd, F_SETLK, F_WRLCK, SEEK_SET, 2, -5));
    say("F_GETLK of F_UNLCK: %d\n", lock(fd, F_GETLK, F_UNLCK, SEEK_SET, 0, 1));
    int ro = open(path, O_RDONLY), wo = open(path, O_WRONLY);
    say("write lock on a read-only descriptor: %d\n", lock(ro, F_SETLK, F_WRLCK, SEEK_SET, 0, 1));
    say("read lock on a write-only descriptor: %d\n", lock(wo, F_SETLK, F_RDLCK, SEEK_SET, 0, 1));
    say("bad descriptor: %d\n", lock(-1, F_SETLK, F_RDLCK, SEEK_SET, 0, 1));
    close(ro);
    close(wo);

    say("-- open file description locks\n");
    int a = open(path, O_RDWR), b = open(path, O_RDWR);
    say("F_OFD_SETLK write on one description: %d\n", lock(a, F_OFD_SETLK, F_WRLCK, SEEK_SET, 0, 10));
    say("F_OFD_SETLK write on another, same process: %d\n", lock(b, F_OFD_SETLK, F_WRLCK, SEEK_SET, 5, 1));
    struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 5, .l_len = 1 };
    say("F_OFD_GETLK: %d", fcntl(b, F_OFD_GETLK, &fl) == 0 ? 0 : -errno);
    say(" -> %s [%ld,+%ld) pid %d\n", kind(fl.l_type), (long)fl.l_start, (long)fl.l_len, fl.l_pid);
    struct flock bad = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 1, .l_pid = 1 };
    say("F_OFD_SETLK with l_pid set: %d\n", fcntl(a, F_OFD_SETLK, &bad) == 0 ? 0 : -errno);
    close(a);
    say("after closing that description: %d\n", lock(b, F_OFD_SETLK, F_WRLCK, SEEK_SET, 5, 1));
    close(b);

    unlink(path);
    say("done\n");
    return 0;
}
