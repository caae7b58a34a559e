/* Thread-local storage in a static executable: __thread variables with and without initializers, arrays, aligned
   objects, errno, and their offsets from the thread pointer (__aeabi_read_tp through __kuser_get_tls). */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

__thread int counter = 5;
__thread int zeroed;
__thread char name[32] = "initial";
__thread long long wide = 0x1122334455667788LL;
__thread double ratio __attribute__((aligned(16))) = 0.75;
static __thread int hidden[8] = {1, 2, 3, 4, 5, 6, 7, 8};

static int bump(void) { return ++counter; }
static int *hidden_slot(int i) { return &hidden[i]; }

int main(void)
{
    printf("counter %d zeroed %d name %s wide %llx ratio %.2f\n", counter, zeroed, name, wide, ratio);
    for (int i = 0; i < 10; i++) bump();
    zeroed = -1;
    strcpy(name, "changed");
    wide >>= 8;
    ratio *= 2;
    printf("counter %d zeroed %d name %s wide %llx ratio %.2f\n", counter, zeroed, name, wide, ratio);
    int sum = 0;
    for (int i = 0; i < 8; i++) {
        *hidden_slot(i) *= 10;
        sum += hidden[i];
    }
    printf("hidden sum %d\n", sum);

    char *tp = __builtin_thread_pointer();
    printf("thread pointer set %d\n", tp != NULL);
    printf("tp offsets: counter %ld zeroed-counter %ld name-counter %ld ratio aligned %d\n", (long)((char *)&counter - tp),
           (long)((char *)&zeroed - (char *)&counter), (long)(name - (char *)&counter), ((uintptr_t)&ratio & 15) == 0);
    printf("errno is thread local: %d\n", (char *)&errno > tp && (char *)&errno < tp + 65536);

    errno = 0;
    close(-1);
    printf("errno after close(-1): %d (%s)\n", errno, strerror(errno));
    return 0;
}
