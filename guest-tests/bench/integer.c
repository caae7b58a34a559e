/* Integer-heavy kernel (integer_kernel.h) as a Linux program: hashing,
   multiply-accumulate and bit twiddling over a small array. Prints a checksum
   so the emulators can be compared for correctness as well as speed. */
#include <stdio.h>
#include <stdlib.h>
#include "integer_kernel.h"

int main(int argc, char **argv)
{
    unsigned rounds = argc > 1 ? (unsigned)atoi(argv[1]) : 2000;
    uint32_t h, acc;
    integer_kernel(rounds, &h, &acc);
    printf("checksum %08x %08x\n", h, acc);
    return 0;
}
