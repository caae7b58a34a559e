/* fork and waitpid: exit codes and signals come back through the wait status, the
   child's memory is its own copy (copy-on-write), and getpid/getppid are distinct. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static int shared_counter = 100;

static void report(const char *what, int status)
{
    if (WIFEXITED(status)) printf("%s: exited %d\n", what, WEXITSTATUS(status));
    else if (WIFSIGNALED(status)) printf("%s: killed by signal %d\n", what, WTERMSIG(status));
    else printf("%s: status 0x%x\n", what, status);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    pid_t me = getpid();

    /* 1: exit code, memory copy */
    pid_t child = fork();
    if (child == 0) {
        shared_counter += 1;
        printf("child: counter %d, parent is caller %d, own pid differs %d\n", shared_counter, getppid() == me, getpid() != me);
        _exit(42);
    }
    int status;
    pid_t got = waitpid(child, &status, 0);
    printf("parent: waited the child %d, counter still %d\n", got == child, shared_counter);
    report("child 1", status);

    /* 2: killed by a signal */
    child = fork();
    if (child == 0) {
        raise(SIGTERM);
        _exit(0);
    }
    waitpid(child, &status, 0);
    report("child 2", status);

    /* 3: a big private buffer written on both sides after fork */
    size_t n = 1 << 20;
    char *buffer = malloc(n);
    memset(buffer, 'a', n);
    child = fork();
    if (child == 0) {
        memset(buffer, 'c', n / 2);
        long sum = 0;
        for (size_t i = 0; i < n; i++) sum += buffer[i];
        _exit((int)(sum % 251));
    }
    memset(buffer + n / 2, 'p', n / 2);
    waitpid(child, &status, 0);
    long sum = 0;
    for (size_t i = 0; i < n; i++) sum += buffer[i];
    printf("parent sum %ld, child's sum mod 251 %d (expected %ld)\n", sum, WEXITSTATUS(status), ((long)'c' * (n / 2) + (long)'a' * (n / 2)) % 251);

    /* 4: several children, reaped in any order with wait() */
    for (int i = 0; i < 4; i++)
        if (fork() == 0) _exit(10 + i);
    int total = 0, reaped = 0;
    while ((got = wait(&status)) > 0) {
        total += WEXITSTATUS(status);
        reaped++;
    }
    printf("reaped %d children, exit codes sum %d, then wait says no child: %d\n", reaped, total, got == -1);

    /* 5: WNOHANG before the child has run to its end */
    int fds[2];
    pipe(fds);
    child = fork();
    if (child == 0) {
        char c;
        read(fds[0], &c, 1);
        _exit(c);
    }
    printf("WNOHANG while the child waits: %d\n", waitpid(child, &status, WNOHANG));
    write(fds[1], "\7", 1);
    waitpid(child, &status, 0);
    report("child 5", status);
    return 3;
}
