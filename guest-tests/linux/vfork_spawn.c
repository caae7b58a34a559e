/* vfork + _exit (the parent resumes after the child has gone), a SIGCHLD handler with
   the child's pid and status in its siginfo, and posix_spawn of a host program (not an
   ARM executable: it runs on the host, as under qemu-arm) with its output in a pipe. */
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;
static volatile sig_atomic_t sigchld_count, sigchld_status, sigchld_code, sigchld_pid_ok;
static pid_t expected_pid;

static void on_sigchld(int signal, siginfo_t *info, void *context)
{
    (void)signal; (void)context;
    sigchld_count++;
    sigchld_status = info->si_status;
    sigchld_code = info->si_code;
    sigchld_pid_ok = info->si_pid == expected_pid;
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);

    /* vfork: the child runs first, the parent waits until it has exited */
    volatile int marker = 0;
    pid_t child = vfork();
    if (child == 0) {
        marker = 1; /* the parent's memory: allowed to be seen or not; not printed */
        _exit(5);
    }
    int status;
    waitpid(child, &status, 0);
    printf("vfork child exited %d\n", WEXITSTATUS(status));

    /* SIGCHLD with SA_SIGINFO */
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_sigchld;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGCHLD, &sa, NULL);
    sigset_t block, old;
    sigemptyset(&block);
    sigaddset(&block, SIGCHLD);
    sigprocmask(SIG_BLOCK, &block, &old);
    child = fork();
    if (child == 0) _exit(9);
    expected_pid = child;
    waitpid(child, &status, 0);
    printf("before unblocking: %d SIGCHLD\n", (int)sigchld_count);
    sigprocmask(SIG_SETMASK, &old, NULL);
    printf("after unblocking: %d SIGCHLD, code %d (CLD_EXITED %d), status %d, pid right %d\n",
           (int)sigchld_count, (int)sigchld_code, CLD_EXITED, (int)sigchld_status, (int)sigchld_pid_ok);

    /* posix_spawn of a host program writing into our pipe */
    int fds[2];
    pipe(fds);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, fds[1], 1);
    posix_spawn_file_actions_addclose(&actions, fds[0]);
    posix_spawn_file_actions_addclose(&actions, fds[1]);
    char *argv[] = {"echo", "spawned", "on", "the", "host", NULL};
    pid_t pid;
    int error = posix_spawn(&pid, "/bin/echo", &actions, NULL, argv, environ);
    close(fds[1]);
    char buffer[128];
    ssize_t n = error == 0 ? read(fds[0], buffer, sizeof buffer - 1) : 0;
    buffer[n > 0 ? n : 0] = 0;
    waitpid(pid, &status, 0);
    printf("posix_spawn %d, it printed: %s", error, buffer);
    printf("and exited %d\n", WEXITSTATUS(status));

    /* A program that does not exist is not spawned here: qemu-arm 7.2 runs CLONE_VFORK as a
       plain fork, so its posix_spawn reports success and the child exits 127, where Linux
       (and armemu) report ENOENT to the parent. */
    return 0;
}
