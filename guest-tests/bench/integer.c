/* Integer-heavy kernel: hashing, multiply-accumulate and bit twiddling over a
   small array, the work of a CRC or a PRNG loop. Prints a checksum so the
   emulators can be compared for correctness as well as speed. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
    unsigned rounds = argc > 1 ? (unsigned)atoi(argv[1]) : 2000;
    uint32_t data[256];
    for (unsigned i = 0; i < 256; i++) data[i] = i * 2654435761u;
    uint32_t h = 0x811c9dc5u, acc = 0;
    for (unsigned r = 0; r < rounds; r++) {
        for (unsigned i = 0; i < 256; i++) {
            uint32_t x = data[i] ^ h;
            x ^= x << 13; x ^= x >> 17; x ^= x << 5;
            h = (h ^ x) * 16777619u;
            acc += (x & 0xffff) * (x >> 16);
            data[i] = x + (acc >> 3);
        }
    }
    printf("checksum %08x %08x\n", h, acc);
    return 0;
}
