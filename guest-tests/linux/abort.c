/* abort(): a SIGABRT handler that returns runs once, then the default action kills the process (status 134);
   output flushed before the call is all that appears. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static void on_abort(int sig)
{
    static const char msg[] = "SIGABRT handler ran and returns\n";
    write(1, msg, sizeof msg - 1);
    (void)sig;
}

int main(void)
{
    printf("before abort\n");
    fflush(stdout);
    signal(SIGABRT, on_abort);
    printf("this buffered line is lost\n");
    abort();
}
