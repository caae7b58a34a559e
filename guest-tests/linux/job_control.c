/* Job control between guest processes, as Linux gives it: a child that raises SIGSTOP stops
   (its parent's waitpid with WUNTRACED sees it once, with SIGCHLD CLD_STOPPED), a SIGCONT from
   the parent continues it (WCONTINUED, CLD_CONTINUED, the child's SIGCONT handler runs);
   SIGTSTP at its default action stops, with a handler it runs the handler; signals sent to a
   stopped child wait for the SIGCONT; SIGCONT discards a pending (blocked) SIGTSTP; SIGKILL
   ends a stopped child, SIGTERM only once it is continued; waitid reports WSTOPPED and
   WCONTINUED; SA_NOCLDSTOP silences the SIGCHLD; SIGTSTP, SIGTTIN and SIGTTOU do nothing in an
   orphaned process group (a child that called setsid) but stop one whose parent is in another
   group of the session (setpgid), and SIGSTOP stops either. Pipes order parent and child, so the output
   is the same on every kernel. */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t conts, tstps, usr1s;
static void on_cont(int s) { (void)s; conts++; }
static void on_tstp(int s) { (void)s; tstps++; }
static void on_usr1(int s) { (void)s; usr1s++; }

static void handle(int s, void (*f)(int))
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = f;
    sa.sa_flags = SA_RESTART;
    sigaction(s, &sa, 0);
}

/* The SIGCHLD the parent has pending (it keeps SIGCHLD blocked): its si_code and si_status. */
static void take_sigchld(const char *when)
{
    sigset_t chld;
    sigemptyset(&chld);
    sigaddset(&chld, SIGCHLD);
    siginfo_t si;
    struct timespec wait = {5, 0};
    int s = sigtimedwait(&chld, &si, &wait);
    const char *code = s != SIGCHLD ? "none" : si.si_code == CLD_STOPPED ? "CLD_STOPPED" : si.si_code == CLD_CONTINUED ? "CLD_CONTINUED"
                       : si.si_code == CLD_EXITED ? "CLD_EXITED" : si.si_code == CLD_KILLED ? "CLD_KILLED" : "other";
    printf("  SIGCHLD %s: %s, status %d\n", when, code, s == SIGCHLD ? si.si_status : -1);
}

static void no_sigchld(const char *when)
{
    sigset_t pending;
    sigpending(&pending);
    printf("  no SIGCHLD %s: %s\n", when, sigismember(&pending, SIGCHLD) ? "one is pending" : "yes");
}

static void describe(const char *what, int status)
{
    if (WIFSTOPPED(status)) printf("  %s: stopped by %s\n", what, sigabbrev_np(WSTOPSIG(status)));
    else if (WIFCONTINUED(status)) printf("  %s: continued\n", what);
    else if (WIFSIGNALED(status)) printf("  %s: killed by %s\n", what, sigabbrev_np(WTERMSIG(status)));
    else printf("  %s: exited %d\n", what, WEXITSTATUS(status));
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    sigset_t chld;
    sigemptyset(&chld);
    sigaddset(&chld, SIGCHLD);
    sigprocmask(SIG_BLOCK, &chld, 0);
    int status, go[2];
    char byte = 0;

    puts("raise(SIGSTOP) in a child, SIGCONT from the parent:");
    pipe(go);
    pid_t child = fork();
    if (child == 0) {
        handle(SIGCONT, on_cont);
        raise(SIGSTOP);
        read(go[0], &byte, 1); /* after the parent has seen the continue */
        _exit(conts == 1 ? 7 : 1);
    }
    printf("  waitpid WUNTRACED returns the child: %d\n", waitpid(child, &status, WUNTRACED) == child);
    describe("status", status);
    take_sigchld("on the stop");
    printf("  the stop is reported once: %d\n", waitpid(child, &status, WUNTRACED | WNOHANG));
    kill(child, SIGCONT);
    printf("  waitpid WCONTINUED returns the child: %d\n", waitpid(child, &status, WCONTINUED) == child);
    describe("status", status);
    take_sigchld("on the continue");
    write(go[1], &byte, 1);
    waitpid(child, &status, 0);
    describe("then", status);
    take_sigchld("on the exit");
    close(go[0]);
    close(go[1]);

    puts("SIGTSTP: the default action stops, a handler runs instead:");
    pipe(go);
    child = fork();
    if (child == 0) {
        read(go[0], &byte, 1);
        handle(SIGTSTP, on_tstp);
        raise(SIGTSTP);
        _exit(10 + tstps);
    }
    /* A group of its own, whose parent is in another group of the session: never orphaned, so
       SIGTSTP stops it even when this program runs in an orphaned group (under setsid). */
    setpgid(child, child);
    kill(child, SIGTSTP);
    waitpid(child, &status, WUNTRACED);
    describe("SIGTSTP from the parent", status);
    take_sigchld("on the stop");
    kill(child, SIGCONT);
    take_sigchld("on the continue");
    write(go[1], &byte, 1);
    waitpid(child, &status, 0);
    describe("then, with a handler", status);
    take_sigchld("on the exit");
    close(go[0]);
    close(go[1]);

    puts("a signal sent to a stopped child waits for the SIGCONT:");
    int back[2];
    pipe(go);
    pipe(back);
    child = fork();
    if (child == 0) {
        handle(SIGUSR1, on_usr1);
        write(back[1], "r", 1);
        read(go[0], &byte, 1);
        char n = '0' + usr1s;
        write(back[1], &n, 1);
        _exit(0);
    }
    read(back[0], &byte, 1);
    kill(child, SIGSTOP);
    waitpid(child, &status, WUNTRACED);
    describe("after SIGSTOP", status);
    take_sigchld("on the stop");
    kill(child, SIGUSR1);
    write(go[1], "g", 1); /* the child cannot read it while stopped */
    struct timespec little = {0, 20000000};
    nanosleep(&little, 0);
    printf("  still stopped: %d\n", waitpid(child, &status, WNOHANG | WCONTINUED) == 0);
    kill(child, SIGCONT);
    take_sigchld("on the continue");
    read(back[0], &byte, 1);
    printf("  the child's SIGUSR1 handler ran %c time(s) once continued\n", byte);
    waitpid(child, &status, 0);
    describe("then", status);
    take_sigchld("on the exit");
    close(go[0]); close(go[1]); close(back[0]); close(back[1]);

    puts("SIGCONT discards a pending, blocked SIGTSTP:");
    pipe(go);
    child = fork();
    if (child == 0) {
        sigset_t tstp;
        sigemptyset(&tstp);
        sigaddset(&tstp, SIGTSTP);
        sigprocmask(SIG_BLOCK, &tstp, 0);
        write(go[1], "r", 1);
        struct timespec wait = {0, 50000000};
        nanosleep(&wait, 0);
        sigset_t pending;
        sigpending(&pending);
        int had = sigismember(&pending, SIGTSTP);
        sigprocmask(SIG_UNBLOCK, &tstp, 0);
        _exit(20 + had);
    }
    read(go[0], &byte, 1);
    kill(child, SIGTSTP);
    kill(child, SIGCONT);
    waitpid(child, &status, WUNTRACED);
    describe("the child (SIGTSTP was pending: 21)", status);
    take_sigchld("on the exit");
    close(go[0]); close(go[1]);

    puts("SIGKILL ends a stopped child at once, SIGTERM once it is continued:");
    const int fatal[2] = {SIGKILL, SIGTERM};
    for (int i = 0; i < 2; i++) {
        child = fork();
        if (child == 0) {
            raise(SIGSTOP);
            _exit(1);
        }
        waitpid(child, &status, WUNTRACED);
        take_sigchld("on the stop");
        kill(child, fatal[i]);
        struct timespec moment = {0, 20000000};
        nanosleep(&moment, 0);
        pid_t r = waitpid(child, &status, WNOHANG);
        printf("  %s: still stopped %d\n", sigabbrev_np(fatal[i]), r == 0);
        if (r == 0) {
            kill(child, SIGCONT);
            waitpid(child, &status, 0);
        }
        describe(sigabbrev_np(fatal[i]), status);
        take_sigchld("after");
    }

    puts("waitid with WSTOPPED and WCONTINUED, WNOWAIT leaves the report:");
    pipe(go);
    child = fork();
    if (child == 0) {
        raise(SIGSTOP);
        read(go[0], &byte, 1);
        _exit(3);
    }
    siginfo_t info;
    memset(&info, 0, sizeof info);
    waitid(P_PID, child, &info, WSTOPPED | WNOWAIT);
    printf("  WNOWAIT: code %s, status %s\n", info.si_code == CLD_STOPPED ? "CLD_STOPPED" : "other", sigabbrev_np(info.si_status));
    memset(&info, 0, sizeof info);
    waitid(P_PID, child, &info, WSTOPPED);
    printf("  again: code %s, pid is the child %d\n", info.si_code == CLD_STOPPED ? "CLD_STOPPED" : "other", info.si_pid == child);
    memset(&info, 0, sizeof info);
    printf("  then nothing with WNOHANG: %d, pid %d\n", waitid(P_PID, child, &info, WSTOPPED | WNOHANG), info.si_pid);
    take_sigchld("on the stop");
    kill(child, SIGCONT);
    memset(&info, 0, sizeof info);
    waitid(P_PID, child, &info, WCONTINUED);
    printf("  WCONTINUED: code %s, status %s\n", info.si_code == CLD_CONTINUED ? "CLD_CONTINUED" : "other", sigabbrev_np(info.si_status));
    take_sigchld("on the continue");
    write(go[1], &byte, 1);
    memset(&info, 0, sizeof info);
    waitid(P_PID, child, &info, WEXITED);
    printf("  WEXITED: code %s, status %d\n", info.si_code == CLD_EXITED ? "CLD_EXITED" : "other", info.si_status);
    take_sigchld("on the exit");
    close(go[0]); close(go[1]);

    puts("SA_NOCLDSTOP: no SIGCHLD for a stop or a continue:");
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_usr1;
    sa.sa_flags = SA_NOCLDSTOP;
    sigaction(SIGCHLD, &sa, 0);
    child = fork();
    if (child == 0) {
        raise(SIGSTOP);
        _exit(4);
    }
    waitpid(child, &status, WUNTRACED);
    describe("status", status);
    no_sigchld("on the stop");
    kill(child, SIGCONT);
    waitpid(child, &status, 0);
    describe("then", status);
    take_sigchld("on the exit");

    puts("job-control signals in an orphaned process group, SIGSTOP in any:");
    for (int own_session = 0; own_session < 2; own_session++) {
        child = fork();
        if (child == 0) {
            if (own_session) setsid(); /* a new session: its group has no parent outside, orphaned */
            else setpgid(0, 0);        /* a new group whose parent is in another group of the session */
            raise(SIGTSTP);
            raise(SIGTTIN);
            raise(SIGTTOU);
            raise(SIGSTOP);
            _exit(own_session ? 6 : 8);
        }
        const char *how = own_session ? "setsid" : "setpgid";
        for (;;) {
            waitpid(child, &status, WUNTRACED);
            describe(how, status);
            if (!WIFSTOPPED(status)) break;
            kill(child, SIGCONT);
        }
        take_sigchld("on the exit"); /* SA_NOCLDSTOP is still set: none for the stops */
    }

    printf("bad wait options: waitpid EINVAL %d, waitid without a WEXITED/WSTOPPED/WCONTINUED EINVAL %d\n",
           waitpid(-1, &status, 0x100) == -1 && errno == EINVAL, waitid(P_ALL, 0, &info, WNOHANG) == -1 && errno == EINVAL);
    return 0;
}
