/* Pipes between processes: a child writing to its parent, a producer/consumer moving more
   than a pipe holds (so each side blocks in turn while the other runs), a pipeline of two
   children joined by a pipe with dup2 onto their standard streams, and EOF once every
   write end is closed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static void write_all(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w <= 0) { perror("write"); exit(1); }
        p += w;
        n -= (size_t)w;
    }
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    int fds[2];

    /* 1: a message from the child */
    pipe(fds);
    if (fork() == 0) {
        close(fds[0]);
        const char *m = "hello from the child\n";
        write_all(fds[1], m, strlen(m));
        _exit(0);
    }
    close(fds[1]);
    char buffer[256];
    ssize_t n = read(fds[0], buffer, sizeof buffer - 1);
    buffer[n > 0 ? n : 0] = 0;
    printf("parent read: %s", buffer);
    printf("then EOF: %zd\n", read(fds[0], buffer, sizeof buffer));
    close(fds[0]);
    wait(NULL);

    /* 2: producer/consumer, 1 MiB through the pipe in odd-sized pieces */
    pipe(fds);
    pid_t producer = fork();
    if (producer == 0) {
        close(fds[0]);
        static char chunk[3001];
        unsigned value = 1;
        size_t sent = 0;
        while (sent < (1u << 20)) {
            size_t m = sizeof chunk;
            if (m > (1u << 20) - sent) m = (1u << 20) - sent;
            for (size_t i = 0; i < m; i++) { value = value * 1103515245u + 12345u; chunk[i] = (char)(value >> 16); }
            write_all(fds[1], chunk, m);
            sent += m;
        }
        _exit(0);
    }
    close(fds[1]);
    unsigned value = 1, mismatches = 0;
    size_t received = 0;
    static char in[777];
    while ((n = read(fds[0], in, sizeof in)) > 0) {
        for (ssize_t i = 0; i < n; i++) { value = value * 1103515245u + 12345u; if (in[i] != (char)(value >> 16)) mismatches++; }
        received += (size_t)n;
    }
    close(fds[0]);
    int status;
    waitpid(producer, &status, 0);
    printf("consumer: %zu bytes, %u mismatches, producer exited %d\n", received, mismatches, WEXITSTATUS(status));

    /* 3: a pipeline: child 1's stdout into child 2's stdin; child 2 counts lines and letters */
    int out[2];
    pipe(fds);
    pipe(out);
    if (fork() == 0) {
        dup2(fds[1], 1);
        close(fds[0]); close(fds[1]); close(out[0]); close(out[1]);
        for (int i = 0; i < 100; i++) printf("line %d of the first child\n", i);
        fflush(stdout);
        _exit(0);
    }
    if (fork() == 0) {
        dup2(fds[0], 0);
        dup2(out[1], 1);
        close(fds[0]); close(fds[1]); close(out[0]); close(out[1]);
        int c, lines = 0, letters = 0;
        while ((c = getchar()) != EOF) { if (c == '\n') lines++; else if (c >= 'a' && c <= 'z') letters++; }
        printf("%d lines, %d letters\n", lines, letters);
        fflush(stdout);
        _exit(0);
    }
    close(fds[0]); close(fds[1]); close(out[1]);
    n = read(out[0], buffer, sizeof buffer - 1);
    buffer[n > 0 ? n : 0] = 0;
    printf("pipeline said: %s", buffer);
    close(out[0]);
    while (wait(NULL) > 0) {}
    printf("stdout is still the parent's own\n");
    return 0;
}
