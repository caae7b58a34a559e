/* The emulator's own descriptors are invisible to the guest: a process started with 0, 1
   and 2 has nothing else open, so "close every descriptor from 3 up" closes nothing, as on Linux.
   qemu-arm cannot run this: its own descriptors (two of them in qemu 7.2) are the guest's
   too, so the sweep closes them. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    int closed = 0;
    for (int i = 3; i < 1024; i++)
        if (close(i) == 0) closed++;
    printf("closes that succeeded from 3 to 1023: %d\n", closed);
    int p[2];
    pipe(p);
    dup2(p[1], 200);
    printf("pipe: %d %d, dup2 onto 200: ok\n", p[0], p[1]);
    return 0;
}
