/* Four threads (the main one and three it starts), each spending a different number of iterations in
   work(): --profile writes one callgrind file per thread, whose totals add up to the run's instructions. */
#include <pthread.h>

static volatile unsigned sink;

__attribute__((noinline)) static void work(unsigned n)
{
    for (unsigned i = 0; i < n; i++) sink += i;
}

static void *thread(void *arg)
{
    work((unsigned)(unsigned long)arg);
    return 0;
}

int main(void)
{
    pthread_t t[3];
    for (unsigned long i = 0; i < 3; i++) pthread_create(&t[i], 0, thread, (void *)(100000 * (i + 2)));
    work(100000);
    for (int i = 0; i < 3; i++) pthread_join(t[i], 0);
    return 0;
}
