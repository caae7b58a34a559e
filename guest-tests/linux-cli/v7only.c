/* Built with -march=armv7-a (Tag_CPU_arch 10): MOVW exists from ARMv6T2, so on an ARMv5 model
 * (arm926) the first one is UNDEFINED and the program dies by SIGILL, as it does on qemu-arm
 * -cpu arm926. On an ARMv7 model it prints its line. */
#include <stdio.h>

int main(void)
{
    unsigned value;
    __asm__ volatile("movw %0, #0x1234" : "=r"(value));
    printf("movw gave 0x%x\n", value);
    return 0;
}
