/* A program that closes its standard streams and then dies of a signal: the emulator's
   own notice (and --stats) must still reach the stderr it was started with, and nothing
   the guest did to descriptors 0, 1 and 2 may turn into an error of the emulator. */
#include <signal.h>
#include <stdio.h>
#include <unistd.h>
int main(void)
{
    printf("closing 0, 1 and 2\n");
    fflush(stdout);
    close(0);
    close(1);
    close(2);
    /* Reuse the numbers as Linux would: the lowest free one first. */
    int a = dup(-1);
    (void)a;
    raise(SIGSEGV);
    return 0;
}
