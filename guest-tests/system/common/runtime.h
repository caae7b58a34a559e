/* Bare-metal test runtime: semihosting output and exit, and MMIO helpers. */
#ifndef ARMEMU_TEST_RUNTIME_H
#define ARMEMU_TEST_RUNTIME_H
#include <stdint.h>

void sh_putc(char c);
void sh_puts(const char *s);
void sh_printf(const char *format, ...);
void sh_exit(int status) __attribute__((noreturn));

/* Prints "label: ok" or "label: FAIL" and counts failures (main returns the count). */
int sh_check(const char *label, int ok);
extern int sh_failures;

/* Word accesses that are also compiler barriers: DMA and interrupt handlers see memory as of the access. */
static inline uint32_t mmio_read(uintptr_t address)
{
    uint32_t v;
    __asm__ volatile("ldr %0, [%1]" : "=r"(v) : "r"(address) : "memory");
    return v;
}
static inline void mmio_write(uintptr_t address, uint32_t value)
{
    __asm__ volatile("str %0, [%1]" ::"r"(value), "r"(address) : "memory");
}

#define READ_CP15(crn, op1, crm, op2) ({ uint32_t v_; __asm__ volatile("mrc p15, " #op1 ", %0, " #crn ", " #crm ", " #op2 : "=r"(v_)); v_; })
#define WRITE_CP15(crn, op1, crm, op2, v) __asm__ volatile("mcr p15, " #op1 ", %0, " #crn ", " #crm ", " #op2 :: "r"(v) : "memory")

/*
 * The PSR bits ARMv5TE defines: N Z C V Q, I F T, mode (ARM ARM A2.5). Others
 * are reserved; QEMU sets bit 8 (ARMv6's A) in the CPSR of an ARMv5 core.
 */
#define PSR_DEFINED 0xf80000ffu

static inline uint32_t read_cpsr(void) { uint32_t v; __asm__ volatile("mrs %0, cpsr" : "=r"(v)); return v; }
#endif
