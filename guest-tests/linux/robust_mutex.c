/* Robust mutexes: a thread (or a process, for a process-shared mutex in MAP_SHARED memory) that exits holding
   one leaves it to the next locker with EOWNERDEAD -- taken at once, or waking a locker already waiting --
   for plain and priority-inheritance mutexes; pthread_mutex_consistent makes it usable again. The kernel does
   this by walking the list set_robust_list registered (exit_robust_list). qemu-arm 7.2 answers set_robust_list
   with ENOSYS and the next locker waits for ever, so the expected output is the host kernel's (the same program
   built for x86-64). */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

static pthread_mutex_t m;
static void *hold_and_exit(void *arg) { pthread_mutex_lock(&m); return arg; }
static void *hold_wait_exit(void *arg) { pthread_mutex_lock(&m); usleep(30000); return arg; }

static void init(int pi)
{
    pthread_mutexattr_t a;
    pthread_mutexattr_init(&a);
    pthread_mutexattr_setrobust(&a, PTHREAD_MUTEX_ROBUST);
    if (pi) pthread_mutexattr_setprotocol(&a, PTHREAD_PRIO_INHERIT);
    int r = pthread_mutex_init(&m, &a);
    printf("init %s: %s\n", pi ? "pi" : "plain", strerror(r));
}

int main(void)
{
    setvbuf(stdout, 0, _IONBF, 0);
    for (int pi = 0; pi < 2; pi++) {
        init(pi);
        pthread_t t;
        pthread_create(&t, 0, hold_and_exit, 0);
        pthread_join(t, 0);
        int r = pthread_mutex_lock(&m);
        printf("lock after owner exited: %s\n", strerror(r));
        int c1 = pthread_mutex_consistent(&m), u1 = pthread_mutex_unlock(&m), l2 = pthread_mutex_lock(&m), u2 = pthread_mutex_unlock(&m);
        printf("consistent %d, unlock %d, lock %d, unlock %d\n", c1, u1, l2, u2);
        pthread_create(&t, 0, hold_wait_exit, 0);
        usleep(10000);
        r = pthread_mutex_lock(&m);
        printf("waiting lock when owner exits: %s\n", strerror(r));
        pthread_mutex_consistent(&m);
        pthread_mutex_unlock(&m);
        pthread_join(t, 0);
    }
    pthread_mutex_t *shared = mmap(0, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    pthread_mutexattr_t a;
    pthread_mutexattr_init(&a);
    pthread_mutexattr_setrobust(&a, PTHREAD_MUTEX_ROBUST);
    pthread_mutexattr_setpshared(&a, PTHREAD_PROCESS_SHARED);
    pthread_mutex_init(shared, &a);
    fflush(stdout);
    pid_t c = fork();
    if (c == 0) { pthread_mutex_lock(shared); _exit(3); }
    waitpid(c, 0, 0);
    printf("process-shared lock after the child exited: %s\n", strerror(pthread_mutex_lock(shared)));
    return 0;
}
