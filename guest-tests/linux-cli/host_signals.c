/* Signals sent to the emulator from the host: "handle" installs handlers for SIGINT, SIGUSR1 and SIGTERM (which
   exits with 7), prints "ready" and waits in pause() -- or in read() of its standard input with "read"; "plain"
   installs nothing. The test sends the signals and compares with qemu-arm. */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static void on(int s)
{
    char line[32];
    int n = snprintf(line, sizeof line, "handler %d\n", s);
    write(1, line, n);
    if (s == SIGTERM) _exit(7);
}

int main(int argc, char **argv)
{
    const char *mode = argc > 1 ? argv[1] : "plain";
    if (strcmp(mode, "plain") != 0) {
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on;
        sa.sa_flags = SA_RESTART;
        sigaction(SIGINT, &sa, 0);
        sigaction(SIGUSR1, &sa, 0);
        sigaction(SIGTERM, &sa, 0);
    }
    write(1, "ready\n", 6);
    char buf[16];
    for (;;) {
        if (strcmp(mode, "read") == 0) read(0, buf, sizeof buf);
        else pause();
    }
}
