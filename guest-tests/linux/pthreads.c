/* POSIX threads on one emulated CPU: 8 workers adding under a mutex, a condition variable
   handing out work, a barrier, __thread variables (one copy per thread), pthread_once,
   detached threads, cancellation of a thread blocked in a condition wait and of one in
   sleep, thread ids distinct from the pid, and a producer/consumer over a pipe between two
   threads. Everything printed is independent of the order threads run in. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#define WORKERS 8
#define ROUNDS 2000

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static long total;
static __thread int per_thread = 7;
static __thread char name[16];
static pthread_once_t once = PTHREAD_ONCE_INIT;
static int once_runs;
static pthread_barrier_t barrier;
static int after_barrier_ok = 1;
static int arrived;
static pid_t tids[WORKERS];

static void init_once(void) { once_runs++; }

static void *worker(void *arg)
{
    int id = (int)(long)arg;
    snprintf(name, sizeof name, "worker-%d", id);
    per_thread += id;
    pthread_once(&once, init_once);
    tids[id] = (pid_t)syscall(SYS_gettid);
    for (int i = 0; i < ROUNDS; i++) {
        pthread_mutex_lock(&lock);
        total += id + 1;
        pthread_mutex_unlock(&lock);
        if (i % 500 == 0) sched_yield();
    }
    pthread_mutex_lock(&lock);
    arrived++;
    pthread_mutex_unlock(&lock);
    pthread_barrier_wait(&barrier);
    pthread_mutex_lock(&lock);
    if (arrived != WORKERS) after_barrier_ok = 0;
    pthread_mutex_unlock(&lock);
    int mine = per_thread == 7 + id && strcmp(name, "worker-0") + (id == 0) != 0 ? 1 : 0;
    return (void *)(long)(mine ? 100 + id : -1);
}

/* a queue of work items guarded by a condition variable */
static pthread_mutex_t qlock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t qcond = PTHREAD_COND_INITIALIZER;
static int queue[64], qhead, qtail, qdone;
static long consumed_sum;
static int consumed_count;

static void *consumer(void *arg)
{
    (void)arg;
    for (;;) {
        pthread_mutex_lock(&qlock);
        while (qhead == qtail && !qdone) pthread_cond_wait(&qcond, &qlock);
        if (qhead == qtail && qdone) { pthread_mutex_unlock(&qlock); return NULL; }
        int v = queue[qhead++ % 64];
        consumed_sum += v;
        consumed_count++;
        pthread_cond_broadcast(&qcond);
        pthread_mutex_unlock(&qlock);
    }
}

static volatile int detached_done;
static void *detached(void *arg) { (void)arg; __atomic_add_fetch(&detached_done, 1, __ATOMIC_SEQ_CST); return NULL; }

static pthread_cond_t never = PTHREAD_COND_INITIALIZER;
static pthread_mutex_t never_lock = PTHREAD_MUTEX_INITIALIZER;
static int cleanup_ran;
static void cleanup(void *arg) { (void)arg; cleanup_ran++; pthread_mutex_unlock(&never_lock); }
static void *waits_forever(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&never_lock);
    pthread_cleanup_push(cleanup, NULL);
    for (;;) pthread_cond_wait(&never, &never_lock);
    pthread_cleanup_pop(0);
    return NULL;
}
static void *sleeps_forever(void *arg) { (void)arg; for (;;) sleep(1000); return NULL; }

static int pipefd[2];
static void *pipe_writer(void *arg)
{
    (void)arg;
    char block[1000];
    for (int i = 0; i < 300; i++) {
        memset(block, 'a' + i % 26, sizeof block);
        if (write(pipefd[1], block, sizeof block) != (ssize_t)sizeof block) return (void *)1;
    }
    close(pipefd[1]);
    return NULL;
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    pthread_t threads[WORKERS];
    pthread_barrier_init(&barrier, NULL, WORKERS);
    for (long i = 0; i < WORKERS; i++) pthread_create(&threads[i], NULL, worker, (void *)i);
    int results_ok = 1;
    for (int i = 0; i < WORKERS; i++) {
        void *r;
        pthread_join(threads[i], &r);
        if ((long)r != 100 + i) results_ok = 0;
    }
    long expected = 0;
    for (int i = 0; i < WORKERS; i++) expected += (long)(i + 1) * ROUNDS;
    int distinct = 1;
    for (int i = 0; i < WORKERS; i++) {
        if (tids[i] == getpid()) distinct = 0;
        for (int j = 0; j < i; j++) if (tids[i] == tids[j]) distinct = 0;
    }
    printf("mutex: total %ld (expected %ld)\n", total, expected);
    printf("__thread and return values per thread: %d; main's copy still %d\n", results_ok, per_thread);
    printf("pthread_once ran %d time(s); barrier held everyone: %d\n", once_runs, after_barrier_ok);
    printf("thread ids distinct from each other and from the pid: %d\n", distinct);

    /* condition variable: 3 consumers, 1000 items through a 64-slot queue */
    pthread_t consumers[3];
    for (int i = 0; i < 3; i++) pthread_create(&consumers[i], NULL, consumer, NULL);
    for (int v = 1; v <= 1000; v++) {
        pthread_mutex_lock(&qlock);
        while (qtail - qhead == 64) pthread_cond_wait(&qcond, &qlock);
        queue[qtail++ % 64] = v;
        pthread_cond_broadcast(&qcond);
        pthread_mutex_unlock(&qlock);
    }
    pthread_mutex_lock(&qlock);
    qdone = 1;
    pthread_cond_broadcast(&qcond);
    pthread_mutex_unlock(&qlock);
    for (int i = 0; i < 3; i++) pthread_join(consumers[i], NULL);
    printf("condvar: %d items consumed, sum %ld\n", consumed_count, consumed_sum);

    /* detached threads */
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    for (int i = 0; i < 4; i++) {
        pthread_t t;
        pthread_create(&t, &attr, detached, NULL);
    }
    while (__atomic_load_n(&detached_done, __ATOMIC_SEQ_CST) < 4) sched_yield();
    printf("detached threads finished: %d\n", detached_done);

    /* cancellation */
    pthread_t c1, c2;
    pthread_create(&c1, NULL, waits_forever, NULL);
    pthread_create(&c2, NULL, sleeps_forever, NULL);
    for (int i = 0; i < 10; i++) sched_yield();
    void *r1, *r2;
    pthread_cancel(c1);
    pthread_join(c1, &r1);
    pthread_cancel(c2);
    pthread_join(c2, &r2);
    printf("cancelled: %d %d, cleanup handler ran %d time(s)\n", r1 == PTHREAD_CANCELED, r2 == PTHREAD_CANCELED, cleanup_ran);

    /* a pipe between two threads: the reader blocks while the writer runs */
    pipe(pipefd);
    pthread_t w;
    pthread_create(&w, NULL, pipe_writer, NULL);
    char buffer[777];
    long got = 0, checksum = 0;
    ssize_t n;
    while ((n = read(pipefd[0], buffer, sizeof buffer)) > 0)
        for (ssize_t i = 0; i < n; i++) { checksum += buffer[i]; got++; }
    void *wr;
    pthread_join(w, &wr);
    printf("pipe between threads: %ld bytes, checksum %ld, writer ok %d\n", got, checksum, wr == NULL);
    return 0;
}
