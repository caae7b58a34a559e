/* Bare-metal test runtime: semihosting output and exit, and MMIO helpers. */
#ifndef ARMEMU_TEST_RUNTIME_H
#define ARMEMU_TEST_RUNTIME_H
#include <stdint.h>

void sh_putc(char c);
void sh_puts(const char *s);
void sh_printf(const char *format, ...);
void sh_exit(int status) __attribute__((noreturn));

static inline uint32_t mmio_read(uintptr_t address) { return *(volatile uint32_t *)address; }
static inline void mmio_write(uintptr_t address, uint32_t value) { *(volatile uint32_t *)address = value; }

#define READ_CP15(crn, op1, crm, op2) ({ uint32_t v_; __asm__ volatile("mrc p15, " #op1 ", %0, " #crn ", " #crm ", " #op2 : "=r"(v_)); v_; })
#define WRITE_CP15(crn, op1, crm, op2, v) __asm__ volatile("mcr p15, " #op1 ", %0, " #crn ", " #crm ", " #op2 :: "r"(v) : "memory")

static inline uint32_t read_cpsr(void) { uint32_t v; __asm__ volatile("mrs %0, cpsr" : "=r"(v)); return v; }
#endif
