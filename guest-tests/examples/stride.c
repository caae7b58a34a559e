/*
 * Two walks over the same 128 x 128 matrix of ints (64 KiB, four times the ARM926 D-cache): along the rows, then down the
 * columns. Row by row, consecutive ints share a 32-byte cache line: one D-cache miss every
 * eight loads (12.5%). Column by column, each load is 512 bytes past the last, a new line every
 * time; in a 16 KiB 4-way cache of 32-byte lines (128 sets) a 512-byte stride visits only 8
 * sets, 32 lines, while a column has 128: the line a load brings is gone before the next column
 * could use it. Every load misses (100%).
 * Built with -g so that callgrind_annotate --auto=yes shows each line's loads and misses
 * (README, "Profiling and tracing").
 */
#include <stdio.h>

#define N 128

static int matrix[N][N];

__attribute__((noinline)) static long sum_rows(void)
{
    long sum = 0;
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++)
            sum += matrix[i][j];
    return sum;
}

__attribute__((noinline)) static long sum_columns(void)
{
    long sum = 0;
    for (int j = 0; j < N; j++)
        for (int i = 0; i < N; i++)
            sum += matrix[i][j];
    return sum;
}

int main(void)
{
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++)
            matrix[i][j] = i ^ j;
    long rows = sum_rows();
    long columns = sum_columns();
    printf("rows %ld, columns %ld\n", rows, columns);
    return rows != columns;
}
