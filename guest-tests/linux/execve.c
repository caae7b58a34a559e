/* execve of an ARM program: of itself (through /proc/self/exe, with new arguments and
   environment), and of another of our programs (its path is argv[1]); across the exec the
   pid stays, close-on-exec descriptors close and others stay open, handled signals go back
   to their default while ignored ones stay ignored, and the parent's wait sees the status
   of the program the child became. qemu-arm 7.2 cannot run this (it hands an ARM
   executable to the host's execve, which has no ARM binfmt handler); the expected output
   was checked by hand against Linux's rules (fs/exec.c: do_close_on_exec,
   flush_signal_handlers). */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static void handler(int s) { (void)s; }

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    if (argc >= 2 && strcmp(argv[1], "again") == 0) {
        /* the re-executed image */
        struct sigaction sa;
        sigaction(SIGUSR1, NULL, &sa);
        int usr1_default = sa.sa_handler == SIG_DFL;
        sigaction(SIGUSR2, NULL, &sa);
        int usr2_ignored = sa.sa_handler == SIG_IGN;
        int keep = atoi(argv[2]), cloexec = atoi(argv[3]);
        printf("again: argc %d, MARK=%s, same pid %d\n", argc, getenv("MARK") ? getenv("MARK") : "(unset)",
               getpid() == (pid_t)atoi(argv[4]));
        printf("again: kept descriptor open %d, close-on-exec one closed %d\n", fcntl(keep, F_GETFD) >= 0, fcntl(cloexec, F_GETFD) == -1);
        printf("again: SIGUSR1 back to default %d, SIGUSR2 still ignored %d\n", usr1_default, usr2_ignored);
        return 17;
    }
    if (argc < 2) {
        fprintf(stderr, "usage: execve OTHER-PROGRAM\n");
        return 2;
    }

    /* 1: a child re-executes this program */
    pid_t child = fork();
    if (child == 0) {
        int keep = open("/proc/self/exe", O_RDONLY);
        int cloexec = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
        signal(SIGUSR1, handler);
        signal(SIGUSR2, SIG_IGN);
        char k[16], c[16], p[16];
        snprintf(k, sizeof k, "%d", keep);
        snprintf(c, sizeof c, "%d", cloexec);
        snprintf(p, sizeof p, "%d", (int)getpid());
        char *args[] = {"execve", "again", k, c, p, NULL};
        char *env[] = {"MARK=set-by-execve", NULL};
        execve("/proc/self/exe", args, env);
        perror("execve");
        _exit(1);
    }
    int status;
    waitpid(child, &status, 0);
    printf("parent: the re-executed child exited %d\n", WEXITSTATUS(status));

    /* 2: a child becomes another program, its output in a pipe */
    int fds[2];
    pipe(fds);
    child = fork();
    if (child == 0) {
        dup2(fds[1], 1);
        close(fds[0]);
        close(fds[1]);
        char *args[] = {argv[1], NULL};
        char *env[] = {NULL};
        execve(argv[1], args, env);
        _exit(1);
    }
    close(fds[1]);
    char buffer[256];
    ssize_t n, total = 0;
    while ((n = read(fds[0], buffer + total, sizeof buffer - 1 - (size_t)total)) > 0) total += n;
    buffer[total] = 0;
    waitpid(child, &status, 0);
    printf("parent: the other program printed \"%.*s\" and exited %d\n", (int)strcspn(buffer, "\n"), buffer, WEXITSTATUS(status));

    /* 3: errors come back to the caller, who keeps running */
    char *none[] = {"x", NULL};
    printf("missing file: %d\n", execve("/nonexistent/program", none, none) == -1);
    printf("a directory: %d\n", execve("/", none, none) == -1);
    return 0;
}
