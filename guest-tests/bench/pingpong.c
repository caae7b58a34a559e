/* Context-switch cost: two processes (or, with "threads", two threads) pass a byte back and
   forth over two pipes N times; each round trip is two switches. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static int there[2], back[2];
static int rounds;
static char work[1024]; /* each side dirties some cache lines between switches */

static void *echo_side(void *arg)
{
    (void)arg;
    char c;
    for (int i = 0; i < rounds; i++) {
        if (read(there[0], &c, 1) != 1) break;
        memset(work, c, sizeof work);
        write(back[1], &c, 1);
    }
    return NULL;
}

int main(int argc, char **argv)
{
    rounds = argc > 1 ? atoi(argv[1]) : 10000;
    int threads = argc > 2 && strcmp(argv[2], "threads") == 0;
    pipe(there);
    pipe(back);
    pthread_t t;
    pid_t child = 0;
    if (threads) pthread_create(&t, NULL, echo_side, NULL);
    else if ((child = fork()) == 0) { echo_side(NULL); _exit(0); }
    char c = 'x';
    long sum = 0;
    for (int i = 0; i < rounds; i++) {
        write(there[1], &c, 1);
        read(back[0], &c, 1);
        memset(work, i, sizeof work);
        sum += work[i % sizeof work];
    }
    if (threads) pthread_join(t, NULL);
    else waitpid(child, NULL, 0);
    printf("%d round trips (%s), %ld\n", rounds, threads ? "threads" : "processes", sum);
    return 0;
}
