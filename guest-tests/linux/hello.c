/* The smallest end-to-end check: stdout through glibc's buffered stdio, and a status of 0. */
#include <stdio.h>

int main(void)
{
    puts("Hello, world!");
    printf("%s has %d arguments\n", "hello", 1);
    return 0;
}
