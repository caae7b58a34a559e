/* Floating point without an FPU (armel: libgcc's soft-float routines): a
   Mandelbrot count and a polynomial series in double precision. */
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
    unsigned size = argc > 1 ? (unsigned)atoi(argv[1]) : 64;
    unsigned inside = 0;
    for (unsigned y = 0; y < size; y++)
        for (unsigned x = 0; x < size; x++)
        {
            double cr = -2.0 + 2.5 * x / size, ci = -1.25 + 2.5 * y / size, zr = 0, zi = 0;
            unsigned i = 0;
            while (i < 64 && zr * zr + zi * zi < 4.0)
            {
                double t = zr * zr - zi * zi + cr;
                zi = 2 * zr * zi + ci;
                zr = t;
                i++;
            }
            inside += i == 64;
        }
    double sum = 0, term = 1;
    for (unsigned k = 1; k <= size * 16; k++)
    {
        term = term * 0.999 + 1.0 / k;
        sum += term / (k + 0.5f);
    }
    printf("%ux%u: %u inside, series %.9f\n", size, size, inside, sum);
    return 0;
}
