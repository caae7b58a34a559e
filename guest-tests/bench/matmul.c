/* Integer matrix multiply, N times over a 64x64 matrix: multiply-accumulate in
   nested loops, row and column strides. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define M 64

static uint32_t a[M][M], b[M][M], c[M][M];

int main(int argc, char **argv)
{
    unsigned rounds = argc > 1 ? (unsigned)atoi(argv[1]) : 20;
    uint32_t seed = 1;
    for (int i = 0; i < M; i++)
        for (int j = 0; j < M; j++)
        {
            a[i][j] = (seed = seed * 1664525u + 1013904223u) >> 24;
            b[i][j] = (seed = seed * 1664525u + 1013904223u) >> 24;
        }
    uint32_t check = 0;
    for (unsigned r = 0; r < rounds; r++)
    {
        for (int i = 0; i < M; i++)
            for (int j = 0; j < M; j++)
            {
                uint32_t sum = 0;
                for (int k = 0; k < M; k++) sum += a[i][k] * b[k][j];
                c[i][j] = sum;
            }
        a[r % M][(r * 7) % M] ^= c[(r * 3) % M][(r * 5) % M];
        for (int i = 0; i < M; i++) check = check * 31 + c[i][(i + r) % M];
    }
    printf("%u rounds of %dx%d: check %08x, c[0][0] %u\n", rounds, M, M, check, c[0][0]);
    return 0;
}
