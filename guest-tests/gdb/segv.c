/* A store through a bad pointer: under gdb the SIGSEGV stops the program at the
 * store (T0b), the fault address is unreadable, and continuing delivers the
 * signal, which kills the program (X0b). */
#include <stdio.h>

volatile int *target = (volatile int *)0x00000ffc;

int poke(int value) { *target = value; return value; }

int main(void)
{
    printf("about to fault\n");
    return poke(42);
}
