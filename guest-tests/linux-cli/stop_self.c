/* Stopping the emulator from the guest and from the host: "raise" prints "stopping" and raises
   SIGSTOP; "tstp" prints "ready" and waits in pause() for a SIGTSTP sent to the emulator (its
   default action stops); "handled" does the same with a SIGTSTP handler, which ends the
   program with 5. A SIGCONT handler prints "continued" and the program exits 3 once
   continued. The test checks that the emulator process is stopped (state T) in between, sends
   it SIGCONT and compares with qemu-arm. */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t continued;

static void on_cont(int s)
{
    (void)s;
    continued = 1;
    write(1, "continued\n", 10);
}

static void on_tstp(int s)
{
    (void)s;
    write(1, "tstp handler\n", 13);
    _exit(5);
}

int main(int argc, char **argv)
{
    const char *mode = argc > 1 ? argv[1] : "raise";
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_cont;
    sigaction(SIGCONT, &sa, 0);
    if (strcmp(mode, "handled") == 0) {
        sa.sa_handler = on_tstp;
        sigaction(SIGTSTP, &sa, 0);
    }
    if (strcmp(mode, "raise") == 0) {
        write(1, "stopping\n", 9);
        raise(SIGSTOP);
    } else {
        write(1, "ready\n", 6);
        while (!continued) pause();
    }
    return continued ? 3 : 1;
}
