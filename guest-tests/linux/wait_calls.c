/* Waiting calls between processes and threads: select, pselect, poll, ppoll and epoll on pipes written by
   another process or thread, their timeouts on an empty pipe, EINTR when a handler runs, the signal mask
   of ppoll and pselect during the wait, nanosleep's remaining time and clock_nanosleep TIMER_ABSTIME.
   Timings are only checked as bounds (at least the time asked), so the output is the same under any load. */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/select.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static long long now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000000000LL + t.tv_nsec;
}

static volatile sig_atomic_t usr1;
static void on_usr1(int s) { (void)s; usr1++; }

/* A child that sends SIGUSR1 to its parent after ms milliseconds. */
static pid_t signal_later(int ms)
{
    fflush(stdout);
    pid_t parent = getpid(), child = fork();
    if (child == 0) {
        usleep(ms * 1000);
        kill(parent, SIGUSR1);
        _exit(0);
    }
    return child;
}

static int wfd;
static void *write_later(void *arg)
{
    usleep(30000);
    write(wfd, arg, strlen(arg));
    return 0;
}

int main(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_usr1; /* no SA_RESTART: but poll and select return EINTR even with it */
    sigaction(SIGUSR1, &sa, 0);
    int p[2];
    pipe(p);
    char buf[16];

    /* select on an empty pipe times out, after at least the time asked, and writes back the time left */
    fd_set r;
    FD_ZERO(&r);
    FD_SET(p[0], &r);
    struct timeval tv = {0, 30000};
    long long t0 = now_ns();
    int n = select(p[0] + 1, &r, 0, 0, &tv);
    printf("select timeout: %d, waited at least 30 ms %d, left %ld.%06ld, bit cleared %d\n", n, now_ns() - t0 >= 30000000,
           (long)tv.tv_sec, (long)tv.tv_usec, !FD_ISSET(p[0], &r));

    /* poll on a pipe another process writes to */
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        usleep(50000);
        write(p[1], "fork", 4);
        _exit(0);
    }
    struct pollfd pfd = {p[0], POLLIN, 0};
    n = poll(&pfd, 1, 10000);
    printf("poll, written by a child: %d revents %#x, read %zd\n", n, pfd.revents, read(p[0], buf, sizeof buf));
    waitpid(child, 0, 0);

    /* ppoll and select on a pipe another thread writes to, no timeout */
    pthread_t t;
    wfd = p[1];
    pthread_create(&t, 0, write_later, "thread");
    n = ppoll(&pfd, 1, 0, 0);
    printf("ppoll, written by a thread: %d revents %#x, read %zd\n", n, pfd.revents, read(p[0], buf, sizeof buf));
    pthread_join(t, 0);
    pthread_create(&t, 0, write_later, "again");
    FD_ZERO(&r);
    FD_SET(p[0], &r);
    n = select(p[0] + 1, &r, 0, 0, 0);
    printf("select, written by a thread: %d set %d, read %zd\n", n, FD_ISSET(p[0], &r), read(p[0], buf, sizeof buf));
    pthread_join(t, 0);

    /* epoll: the data comes back as given; a timeout on an empty pipe is 0 */
    int ep = epoll_create1(EPOLL_CLOEXEC);
    struct epoll_event ev = {.events = EPOLLIN, .data.u64 = 0x1122334455667788ULL}, out[4];
    printf("epoll_ctl add %d, again %d %s\n", epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev), epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev), strerror(errno));
    t0 = now_ns();
    n = epoll_wait(ep, out, 4, 20);
    printf("epoll_wait empty: %d, waited at least 20 ms %d\n", n, now_ns() - t0 >= 20000000);
    pthread_create(&t, 0, write_later, "epoll");
    n = epoll_wait(ep, out, 4, -1);
    printf("epoll_wait, written by a thread: %d events %#x data %#llx, read %zd\n", n, out[0].events,
           (unsigned long long)out[0].data.u64, read(p[0], buf, sizeof buf));
    pthread_join(t, 0);
    printf("epoll_ctl del %d, epoll_wait bad maxevents %d %s\n", epoll_ctl(ep, EPOLL_CTL_DEL, p[0], 0), epoll_wait(ep, out, 0, 0), strerror(errno));
    close(ep);

    /* a handler interrupts poll with no timeout: EINTR */
    child = signal_later(20);
    errno = 0;
    n = poll(&pfd, 1, -1);
    printf("poll interrupted: %d %s, handler ran %d\n", n, strerror(errno), usr1);
    waitpid(child, 0, 0);

    /* ppoll's mask: SIGUSR1 blocked in the thread, let through during the wait, blocked again after */
    sigset_t block, none, now;
    sigemptyset(&block);
    sigaddset(&block, SIGUSR1);
    sigemptyset(&none);
    sigprocmask(SIG_BLOCK, &block, 0);
    child = signal_later(20);
    errno = 0;
    n = ppoll(&pfd, 1, 0, &none);
    sigprocmask(SIG_BLOCK, 0, &now);
    printf("ppoll with mask interrupted: %d %s, handler ran %d, blocked again %d\n", n, strerror(errno), usr1, sigismember(&now, SIGUSR1));
    waitpid(child, 0, 0);

    /* pselect's mask keeps SIGUSR1 out during the wait, which times out instead of ending with EINTR. Linux then
       delivers the signal as the mask comes back, before pselect returns to the program (armemu does, and so
       does the host's kernel); qemu-arm 7.2 leaves it pending, so the handler count is not printed here. */
    sigprocmask(SIG_UNBLOCK, &block, 0);
    child = signal_later(20);
    FD_ZERO(&r);
    FD_SET(p[0], &r);
    struct timespec ts = {0, 200000000};
    n = pselect(p[0] + 1, &r, 0, 0, &ts, &block);
    waitpid(child, 0, 0);
    printf("pselect with mask: %d\n", n);

    /* nanosleep interrupted by a handler: EINTR and the time left */
    child = signal_later(20);
    struct timespec ask = {10, 0}, left = {0, 0};
    errno = 0;
    n = nanosleep(&ask, &left);
    printf("nanosleep interrupted: %d %s, left between 5 and 10 s %d\n", n, strerror(errno), left.tv_sec >= 5 && left.tv_sec < 10);
    waitpid(child, 0, 0);

    /* clock_nanosleep to an absolute time */
    struct timespec until;
    clock_gettime(CLOCK_MONOTONIC, &until);
    long long target = until.tv_sec * 1000000000LL + until.tv_nsec + 25000000;
    until.tv_sec = target / 1000000000;
    until.tv_nsec = target % 1000000000;
    n = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &until, 0);
    printf("clock_nanosleep absolute: %d, reached %d\n", n, now_ns() >= target);
    return 0;
}
