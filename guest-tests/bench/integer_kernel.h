/* The integer benchmark kernel shared by the Linux and bare-metal builds, so
   `armemu run` and `armemu system` are measured on the same instructions. */
#include <stdint.h>

static inline void integer_kernel(unsigned rounds, uint32_t *hash, uint32_t *sum)
{
    static uint32_t data[256];
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
    *hash = h;
    *sum = acc;
}
