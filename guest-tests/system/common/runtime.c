/* Semihosting console and exit (SVC 0x123456), and a small printf. */
#include <stdarg.h>
#include "runtime.h"

static int semihost(int op, const void *arg)
{
    register int r0 __asm__("r0") = op;
    register const void *r1 __asm__("r1") = arg;
    __asm__ volatile("svc 0x123456" : "+r"(r0) : "r"(r1) : "memory", "lr");
    return r0;
}

void sh_putc(char c) { semihost(0x03, &c); }
void sh_puts(const char *s) { semihost(0x04, s); }

void sh_exit(int status)
{
    uint32_t block[2] = { 0x20026, (uint32_t)status }; /* ADP_Stopped_ApplicationExit */
    semihost(0x20, block);
    for (;;) { }
}

static void put_unsigned(unsigned value, unsigned base, int width, char pad)
{
    char digits[12];
    int n = 0;
    do { digits[n++] = "0123456789abcdef"[value % base]; value /= base; } while (value);
    while (n < width) digits[n++] = pad;
    while (n) sh_putc(digits[--n]);
}

void sh_printf(const char *format, ...)
{
    va_list args;
    va_start(args, format);
    for (const char *p = format; *p; p++) {
        if (*p != '%') { sh_putc(*p); continue; }
        char pad = ' ';
        int width = 0;
        p++;
        if (*p == '0') { pad = '0'; p++; }
        while (*p >= '0' && *p <= '9') width = width * 10 + (*p++ - '0');
        switch (*p) {
        case 'd': { int v = va_arg(args, int); if (v < 0) { sh_putc('-'); v = -v; } put_unsigned((unsigned)v, 10, width, pad); break; }
        case 'u': put_unsigned(va_arg(args, unsigned), 10, width, pad); break;
        case 'x': put_unsigned(va_arg(args, unsigned), 16, width, pad); break;
        case 's': sh_puts(va_arg(args, const char *)); break;
        case 'c': sh_putc((char)va_arg(args, int)); break;
        default: sh_putc(*p); break;
        }
    }
    va_end(args);
}

int sh_failures;

int sh_check(const char *label, int ok)
{
    sh_printf("%s: %s\n", label, ok ? "ok" : "FAIL");
    if (!ok) sh_failures++;
    return ok;
}

void sh_unexpected(int number, uint32_t lr)
{
    sh_printf("unexpected exception %d, lr %08x\n", number, lr);
}
