/* Exit status: argv[1] is the status to exit with (only its low 8 bits reach the parent); atexit handlers run
   in reverse order of registration and stdio buffers are flushed by exit. */
#include <stdio.h>
#include <stdlib.h>

static void first(void) { printf("atexit: registered first, runs last\n"); }
static void second(void) { printf("atexit: registered second\n"); }
static void third(void) { printf("atexit: registered third, runs first\n"); }

int main(int argc, char **argv)
{
    int status = argc > 1 ? atoi(argv[1]) : 0;
    atexit(first);
    atexit(second);
    atexit(third);
    printf("exiting with %d (parent sees %d)\n", status, status & 0xff);
    /* No newline and no fflush: exit must flush it. */
    printf("unflushed tail");
    exit(status);
}
