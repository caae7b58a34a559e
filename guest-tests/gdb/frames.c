/* The program both gdb sessions debug (Linux user mode: frames.c built with
 * arm-linux-gnueabi-gcc -g -O0 -static; bare metal: the same calls in
 * bare_frames.c). A few frames deep for backtrace, finish and step; a global
 * the calls write for a watchpoint; an exit status gdb reports. */
#include <stdio.h>

int counter;

int leaf(int x) { counter += x; return x * 3; }
int middle(int x) { int y = leaf(x + 1); return y + 2; }
int top(int x) { return middle(x * 2) + 1; }

int main(void)
{
    int total = 0;
    for (int i = 0; i < 3; i++) total += top(i);
    printf("total %d counter %d\n", total, counter);
    return total & 0x3f;
}
