/* The pthreads program of the thread session (threads.gdb): the main thread
 * starts a worker and waits for it; the worker stops at a breakpoint a few
 * frames deep, so gdb sees two threads, one of them blocked in pthread_join. */
#include <pthread.h>
#include <stdio.h>

int counter;

int add(int x) { counter += x; return counter * 2; }
int work(int x) { return add(x + 1) + 1; }

void *worker(void *arg)
{
    int n = (int)arg;
    return (void *)work(n);
}

int main(void)
{
    pthread_t thread;
    void *result;
    if (pthread_create(&thread, NULL, worker, (void *)6) != 0) return 1;
    pthread_join(thread, &result);
    printf("worker returned %d, counter %d\n", (int)result, counter);
    return (int)result;
}
