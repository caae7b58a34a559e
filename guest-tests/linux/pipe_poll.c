/* Pipes inside one process: pipe2, write/read, poll readiness, O_NONBLOCK and EAGAIN, dup/dup2/fcntl flags,
   EOF after the writer closes, and EPIPE (with SIGPIPE ignored) after the reader closes. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(void)
{
    int p[2];
    if (pipe2(p, O_CLOEXEC) < 0) { perror("pipe2"); return 1; }
    printf("FD_CLOEXEC set %d\n", (fcntl(p[0], F_GETFD) & FD_CLOEXEC) != 0);
    struct pollfd pfd = {.fd = p[0], .events = POLLIN};
    printf("poll empty: %d revents %x\n", poll(&pfd, 1, 0), pfd.revents);
    printf("write %zd\n", write(p[1], "hello pipe", 10));
    printf("poll with data: %d revents %x\n", poll(&pfd, 1, 100), pfd.revents);
    char buf[64] = {0};
    printf("read %zd \"%s\"\n", read(p[0], buf, 5), buf);
    memset(buf, 0, sizeof buf);
    printf("read %zd \"%s\"\n", read(p[0], buf, sizeof buf), buf);

    int flags = fcntl(p[0], F_GETFL);
    printf("O_NONBLOCK initially %d\n", (flags & O_NONBLOCK) != 0);
    fcntl(p[0], F_SETFL, flags | O_NONBLOCK);
    printf("O_NONBLOCK now %d, O_RDONLY %d\n", (fcntl(p[0], F_GETFL) & O_NONBLOCK) != 0, (fcntl(p[0], F_GETFL) & O_ACCMODE) == O_RDONLY);
    printf("empty non-blocking read: %zd %s\n", read(p[0], buf, 1), strerror(errno));

    /* Descriptor numbers are the host's (under qemu-arm and armemu alike), so none is printed, and dup2
       targets a number found free rather than a fixed one that the emulator itself might be using. */
    int d = dup(p[1]);
    printf("dup gives a new descriptor %d\n", d >= 0 && d != p[0] && d != p[1]);
    int target = fcntl(p[1], F_DUPFD, 50);
    close(target);
    printf("dup2 to a free descriptor returns it %d\n", dup2(p[1], target) == target);
    write(target, "via dup2", 8);
    write(d, "+dup", 4);
    memset(buf, 0, sizeof buf);
    printf("read %zd \"%s\"\n", read(p[0], buf, sizeof buf), buf);
    close(target);
    close(d);
    close(p[1]);
    printf("poll after writer closed: %d revents %x\n", poll(&pfd, 1, 0), pfd.revents);
    printf("read at EOF: %zd\n", read(p[0], buf, 1));
    close(p[0]);

    signal(SIGPIPE, SIG_IGN);
    pipe(p);
    close(p[0]);
    errno = 0;
    printf("write without reader: %zd %s\n", write(p[1], "x", 1), strerror(errno));
    close(p[1]);

    /* Fill a pipe to find its capacity (non-blocking writes stop with EAGAIN). */
    pipe2(p, O_NONBLOCK);
    static char block[4096];
    long total = 0;
    ssize_t w;
    while ((w = write(p[1], block, sizeof block)) > 0) total += w;
    printf("pipe capacity %ld (%s)\n", total, strerror(errno));
    return 0;
}
