/* Atomic builtins on ARMv5 (no LDREX/STREX): GCC calls libgcc's __sync_* helpers, which use the kernel's user
   helpers __kuser_cmpxchg (0xffff0fc0), __kuser_cmpxchg64 (0xffff0f60) and __kuser_memory_barrier (0xffff0fa0). */
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>

static volatile int32_t word;
static volatile int16_t half;
static volatile int8_t byte;
static volatile int64_t dword;

int main(void)
{
    printf("kuser helper version at least 3: %d\n", *(int *)0xffff0ffc >= 3);
    int32_t old = __sync_fetch_and_add(&word, 5);
    printf("fetch_and_add: old %d new %d\n", old, word);
    printf("add_and_fetch %d\n", __sync_add_and_fetch(&word, 10));
    printf("sub_and_fetch %d\n", __sync_sub_and_fetch(&word, 20));
    printf("fetch_and_or %d -> %d\n", __sync_fetch_and_or(&word, 0xF0), word);
    printf("fetch_and_and %d -> %d\n", __sync_fetch_and_and(&word, 0x3C), word);
    printf("fetch_and_xor %d -> %d\n", __sync_fetch_and_xor(&word, 0xFF), word);
    printf("fetch_and_nand %d -> %d\n", __sync_fetch_and_nand(&word, 0x0F), word);
    printf("cas success %d (value %d)\n", __sync_bool_compare_and_swap(&word, word, 1000), word);
    printf("cas failure %d (value %d)\n", __sync_bool_compare_and_swap(&word, 5, 2000), word);
    printf("val_cas returns %d (value %d)\n", __sync_val_compare_and_swap(&word, 1000, 3000), word);
    printf("lock_test_and_set returns %d (value %d)\n", __sync_lock_test_and_set(&word, 1), word);
    __sync_lock_release(&word);
    __sync_synchronize();
    printf("after release %d\n", word);

    half = 0x7ff0;
    printf("16-bit: fetch_and_add %d -> %d\n", __sync_fetch_and_add(&half, 0x20), half);
    byte = 120;
    printf("8-bit: add_and_fetch %d, cas %d -> %d\n", __sync_add_and_fetch(&byte, 10), __sync_bool_compare_and_swap(&byte, -126, 7),
           byte);

    dword = 0xFFFFFFFFLL;
    printf("64-bit: fetch_and_add %llx -> %llx\n", (unsigned long long)__sync_fetch_and_add(&dword, 1),
           (unsigned long long)dword);
    printf("64-bit: cas %d -> %llx\n", __sync_bool_compare_and_swap(&dword, 0x100000000LL, 0x123456789ALL),
           (unsigned long long)dword);
    printf("64-bit: val_cas %llx (failed) -> %llx\n", (unsigned long long)__sync_val_compare_and_swap(&dword, 1, 2),
           (unsigned long long)dword);

    atomic_int counter = 0;
    atomic_llong big = 0;
    for (int i = 0; i < 10000; i++) {
        atomic_fetch_add(&counter, 3);
        atomic_fetch_sub_explicit(&counter, 1, memory_order_relaxed);
        atomic_fetch_add(&big, 1000000007LL);
    }
    int expected = 20000;
    int swapped = atomic_compare_exchange_strong(&counter, &expected, -1);
    printf("stdatomic: counter swapped %d -> %d, big %lld\n", swapped, atomic_load(&counter), (long long)atomic_load(&big));
    expected = 5;
    swapped = atomic_compare_exchange_strong(&counter, &expected, 6);
    printf("failed exchange %d, expected now %d\n", swapped, expected);
    atomic_flag flag = ATOMIC_FLAG_INIT;
    printf("flag: %d %d\n", atomic_flag_test_and_set(&flag), atomic_flag_test_and_set(&flag));
    printf("exchange returns %d\n", atomic_exchange(&counter, 77));

    /* The kuser helpers called directly, as documented in Documentation/arch/arm/kernel_user_helpers.rst. */
    typedef int (*kuser_cmpxchg_t)(int oldval, int newval, volatile int *ptr);
    typedef int (*kuser_cmpxchg64_t)(const int64_t *oldval, const int64_t *newval, volatile int64_t *ptr);
    typedef void *(*kuser_get_tls_t)(void);
    kuser_cmpxchg_t cmpxchg = (kuser_cmpxchg_t)0xffff0fc0;
    kuser_cmpxchg64_t cmpxchg64 = (kuser_cmpxchg64_t)0xffff0f60;
    kuser_get_tls_t get_tls = (kuser_get_tls_t)0xffff0fe0;
    volatile int v = 10;
    int r1 = cmpxchg(10, 20, &v);
    int r2 = cmpxchg(10, 30, &v);
    /* Only "non-zero" is documented for a failed exchange: Linux's ARMv5 helper returns oldval - *ptr, qemu-arm -1. */
    printf("__kuser_cmpxchg: %d %d value %d\n", r1, r2 != 0, v);
    volatile int64_t v64 = 0x1111111122222222LL;
    int64_t o = 0x1111111122222222LL, n = -5;
    r1 = cmpxchg64(&o, &n, &v64);
    r2 = cmpxchg64(&o, &n, &v64);
    printf("__kuser_cmpxchg64: %d %d value %lld\n", r1 != 0, r2 != 0, (long long)v64);
    printf("__kuser_get_tls equals thread pointer %d\n", get_tls() == __builtin_thread_pointer());
    return 0;
}
