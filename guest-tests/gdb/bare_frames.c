/* frames.c for `armemu system` and qemu-system-arm -M versatilepb: the same
 * calls, output through semihosting (guest-tests/system/common). */
#include "runtime.h"

int counter;

int leaf(int x) { counter += x; return x * 3; }
int middle(int x) { int y = leaf(x + 1); return y + 2; }
int top(int x) { return middle(x * 2) + 1; }

int main(void)
{
    int total = 0;
    for (int i = 0; i < 3; i++) total += top(i);
    sh_printf("total %d counter %d\n", total, counter);
    return total & 0x3f;
}
