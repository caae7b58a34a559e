/* Timers and signal queues: setitimer (ITIMER_REAL periodic, ITIMER_VIRTUAL, ITIMER_PROF) and alarm, getitimer,
   POSIX timers (SIGEV_SIGNAL with a value, SIGEV_THREAD, periodic with overruns, timer_gettime, TIMER_ABSTIME,
   timer_delete), sigwaitinfo/sigtimedwait, sigqueue to another process, and RLIMIT_SIGPENDING bounding the
   real-time queue (EAGAIN). Only bounds of timings are printed, so the output is the same under any load. */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t alarms, vtalarms, profs, thread_calls;
static void on_alarm(int s) { (void)s; alarms++; }
static void on_vtalrm(int s) { (void)s; vtalarms++; }
static void on_prof(int s) { (void)s; profs++; }
static void on_thread(union sigval v) { thread_calls += v.sival_int; }

static long long now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000000000LL + t.tv_nsec;
}

int main(void)
{
    signal(SIGALRM, on_alarm);
    signal(SIGVTALRM, on_vtalrm);
    signal(SIGPROF, on_prof);

    /* ITIMER_REAL, every 10 ms: three SIGALRMs while pausing */
    struct itimerval it = {{0, 10000}, {0, 10000}}, old;
    long long t0 = now_ns();
    printf("setitimer real %d\n", setitimer(ITIMER_REAL, &it, 0));
    while (alarms < 3) pause();
    printf("three alarms after at least 30 ms %d\n", now_ns() - t0 >= 30000000);
    getitimer(ITIMER_REAL, &old);
    printf("getitimer: interval %ld.%06ld, value at most 10 ms %d\n", (long)old.it_interval.tv_sec, (long)old.it_interval.tv_usec,
           old.it_value.tv_sec == 0 && old.it_value.tv_usec <= 10000);
    struct itimerval off = {{0, 0}, {0, 0}};
    setitimer(ITIMER_REAL, &off, &old);
    printf("disarmed, old interval %ld us\n", (long)old.it_interval.tv_usec);
    getitimer(ITIMER_REAL, &old);
    printf("now %ld.%06ld\n", (long)old.it_value.tv_sec, (long)old.it_value.tv_usec);

    /* alarm */
    alarms = 0;
    printf("alarm(5) %u, alarm(0) %u\n", alarm(5), alarm(0));
    alarm(1);
    pause();
    printf("alarm(1) fired %d\n", alarms);

    /* CPU-time itimers: they fire while the process computes */
    struct itimerval cpu = {{0, 0}, {0, 20000}};
    setitimer(ITIMER_VIRTUAL, &cpu, 0);
    setitimer(ITIMER_PROF, &cpu, 0);
    volatile unsigned spin = 0;
    while (!vtalarms || !profs) spin++;
    printf("SIGVTALRM %d SIGPROF %d after spinning\n", vtalarms, profs);

    /* a POSIX timer: SIGRTMIN+1 with a value, taken by sigwaitinfo */
    sigset_t rt;
    sigemptyset(&rt);
    sigaddset(&rt, SIGRTMIN + 1);
    sigprocmask(SIG_BLOCK, &rt, 0);
    struct sigevent ev;
    memset(&ev, 0, sizeof ev);
    ev.sigev_notify = SIGEV_SIGNAL;
    ev.sigev_signo = SIGRTMIN + 1;
    ev.sigev_value.sival_int = 4242;
    timer_t timer;
    printf("timer_create %d\n", timer_create(CLOCK_MONOTONIC, &ev, &timer));
    struct itimerspec spec = {{0, 0}, {0, 15000000}}, cur;
    timer_settime(timer, 0, &spec, 0);
    timer_gettime(timer, &cur);
    printf("timer_gettime: armed, at most 15 ms %d\n", cur.it_value.tv_sec == 0 && cur.it_value.tv_nsec > 0 && cur.it_value.tv_nsec <= 15000000);
    siginfo_t si;
    int s = sigwaitinfo(&rt, &si);
    printf("sigwaitinfo: %s code %s value %d\n", s == SIGRTMIN + 1 ? "SIGRTMIN+1" : "other", si.si_code == SI_TIMER ? "SI_TIMER" : "other",
           si.si_value.sival_int);
    timer_gettime(timer, &cur);
    printf("one-shot now disarmed %d\n", cur.it_value.tv_sec == 0 && cur.it_value.tv_nsec == 0);

    /* periodic every 1 ms while its signal stays blocked: the expiries meanwhile are overruns */
    struct itimerspec periodic = {{0, 1000000}, {0, 1000000}};
    timer_settime(timer, 0, &periodic, 0);
    struct timespec wait = {0, 20000000};
    nanosleep(&wait, 0);
    s = sigwaitinfo(&rt, &si);
    printf("periodic: one signal, overrun in si_overrun %d, timer_getoverrun agrees %d\n", si.si_overrun > 5,
           timer_getoverrun(timer) == si.si_overrun);
    printf("timer_delete %d, again %d %s\n", timer_delete(timer), timer_delete(timer), strerror(errno));
    struct timespec zero = {0, 0};
    printf("sigtimedwait with nothing pending: %d %s\n", sigtimedwait(&rt, &si, &zero), strerror(errno));

    /* TIMER_ABSTIME on CLOCK_MONOTONIC, SIGEV_THREAD (glibc's helper thread) */
    memset(&ev, 0, sizeof ev);
    ev.sigev_notify = SIGEV_THREAD;
    ev.sigev_notify_function = on_thread;
    ev.sigev_value.sival_int = 7;
    timer_create(CLOCK_MONOTONIC, &ev, &timer);
    struct timespec at;
    clock_gettime(CLOCK_MONOTONIC, &at);
    at.tv_nsec += 5000000;
    if (at.tv_nsec >= 1000000000) { at.tv_sec++; at.tv_nsec -= 1000000000; }
    struct itimerspec absolute = {{0, 0}, at};
    timer_settime(timer, TIMER_ABSTIME, &absolute, 0);
    while (!thread_calls) { struct timespec ms = {0, 1000000}; nanosleep(&ms, 0); }
    printf("SIGEV_THREAD ran with %d\n", thread_calls);
    timer_delete(timer);

    /* sigqueue to a child, which takes it with sigwaitinfo */
    sigset_t usr;
    sigemptyset(&usr);
    sigaddset(&usr, SIGRTMIN + 2);
    sigprocmask(SIG_BLOCK, &usr, 0);
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        siginfo_t ci;
        int got = sigwaitinfo(&usr, &ci);
        _exit(got == SIGRTMIN + 2 && ci.si_code == SI_QUEUE ? ci.si_value.sival_int : 1);
    }
    union sigval v = {.sival_int = 33};
    printf("sigqueue to a child %d\n", sigqueue(child, SIGRTMIN + 2, v));
    int status;
    waitpid(child, &status, 0);
    printf("child got value %d\n", WEXITSTATUS(status));

    /* RLIMIT_SIGPENDING: queued real-time signals past the limit are EAGAIN */
    struct rlimit lim = {64, 64};
    printf("setrlimit RLIMIT_SIGPENDING %d\n", setrlimit(RLIMIT_SIGPENDING, &lim));
    int queued = 0;
    for (int i = 0; i < 200; i++) {
        v.sival_int = i;
        if (sigqueue(getpid(), SIGRTMIN + 2, v) != 0) break;
        queued++;
    }
    /* The limit counts the pending signals of the user's every process (Linux: per real user ID), so
       under qemu-arm, which passes setrlimit to the host, another process of the same user (a second
       run of this test) takes some: only "at most 64" is the same under any load. */
    printf("queued %s, stopped by %s\n", queued <= 64 ? "at most 64" : "more than 64", strerror(errno));
    int taken = 0;
    while (sigtimedwait(&usr, &si, &zero) > 0) taken++;
    printf("all taken back %d, in order %d\n", taken == queued, queued == 0 || si.si_value.sival_int == queued - 1);
    return 0;
}
