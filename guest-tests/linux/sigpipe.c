/* SIGPIPE: a write to a pipe whose read end is closed everywhere kills the writer with
   SIGPIPE by default, and fails with EPIPE when SIGPIPE is ignored. (Each child sets the
   disposition itself: what a process inherits depends on its parent, and .NET, which starts
   both emulators in the tests, ignores SIGPIPE.) */
#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>
int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    for (int mode = 0; mode < 2; mode++) {
        int fds[2];
        pipe(fds);
        close(fds[0]); /* before the fork: no reader anywhere */
        pid_t child = fork();
        if (child == 0) {
            signal(SIGPIPE, mode == 0 ? SIG_DFL : SIG_IGN);
            ssize_t w = write(fds[1], "x", 1);
            _exit(w < 0 ? 40 : 41);
        }
        close(fds[1]);
        int status;
        waitpid(child, &status, 0);
        if (WIFSIGNALED(status)) printf("SIGPIPE %s: killed by signal %d\n", mode ? "ignored" : "default", WTERMSIG(status));
        else printf("SIGPIPE %s: exited %d\n", mode ? "ignored" : "default", WEXITSTATUS(status));
    }
    return 0;
}
