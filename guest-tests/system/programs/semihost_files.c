/*
 * Semihosting file operations ("Semihosting for AArch32 and AArch64", ARM
 * IHI 0074): SYS_OPEN, SYS_WRITE, SYS_FLEN, SYS_SEEK, SYS_READ, SYS_ISTTY,
 * SYS_CLOSE, SYS_RENAME, SYS_REMOVE, SYS_ERRNO on a file in the working
 * directory, and the console opened as ":tt". SYS_WRITE and SYS_READ return
 * the number of bytes NOT transferred. Handle values are not printed (the
 * specification leaves them to the host). The file is removed at the end.
 */
#include "runtime.h"

#define SYS_OPEN 0x01
#define SYS_CLOSE 0x02
#define SYS_WRITE 0x05
#define SYS_READ 0x06
#define SYS_ISTTY 0x09
#define SYS_SEEK 0x0a
#define SYS_FLEN 0x0c
#define SYS_REMOVE 0x0e
#define SYS_RENAME 0x0f
#define SYS_ERRNO 0x13

/*
 * fopen modes by index: "r" 0, "rb" 1, "r+" 2, "r+b" 3, "w" 4, "wb" 5, "w+" 6, "w+b" 7, "a" 8, ...
 * Append ("a") is not used: QEMU 7.2 opens it without O_APPEND and writes at offset 0.
 */
#define MODE_R 0
#define MODE_W 4
#define MODE_RPLUS 2
#define MODE_WPLUS 6

static int call(int op, const void *arg)
{
    register int r0 __asm__("r0") = op;
    register const void *r1 __asm__("r1") = arg;
    __asm__ volatile("svc 0x123456" : "+r"(r0) : "r"(r1) : "memory", "lr");
    return r0;
}

static unsigned length(const char *s)
{
    unsigned n = 0;
    while (s[n]) n++;
    return n;
}

static int sh_open(const char *name, int mode)
{
    uint32_t block[3] = { (uint32_t)name, (uint32_t)mode, length(name) };
    return call(SYS_OPEN, block);
}
static int sh_close(int h) { uint32_t block[1] = { (uint32_t)h }; return call(SYS_CLOSE, block); }
static int sh_write(int h, const void *buf, unsigned n) { uint32_t block[3] = { (uint32_t)h, (uint32_t)buf, n }; return call(SYS_WRITE, block); }
static int sh_read(int h, void *buf, unsigned n) { uint32_t block[3] = { (uint32_t)h, (uint32_t)buf, n }; return call(SYS_READ, block); }
static int sh_istty(int h) { uint32_t block[1] = { (uint32_t)h }; return call(SYS_ISTTY, block); }
static int sh_seek(int h, unsigned pos) { uint32_t block[2] = { (uint32_t)h, pos }; return call(SYS_SEEK, block); }
static int sh_flen(int h) { uint32_t block[1] = { (uint32_t)h }; return call(SYS_FLEN, block); }
static int sh_remove(const char *name) { uint32_t block[2] = { (uint32_t)name, length(name) }; return call(SYS_REMOVE, block); }
static int sh_rename(const char *from, const char *to)
{
    uint32_t block[4] = { (uint32_t)from, length(from), (uint32_t)to, length(to) };
    return call(SYS_RENAME, block);
}
static int sh_errno(void) { return call(SYS_ERRNO, 0); }

static const char name[] = "armemu-semihost.txt";
static const char renamed[] = "armemu-semihost-renamed.txt";
static const char text[] = "hello, semihosted file!\n"; /* 24 bytes */

int main(void)
{
    char buf[64];

    int h = sh_open(name, MODE_WPLUS);
    sh_printf("open w+: %s\n", h > 0 ? "handle" : "failed");
    sh_printf("write 24: not written %d\n", sh_write(h, text, 24));
    sh_printf("flen: %d\n", sh_flen(h));
    sh_printf("istty(file): %d\n", sh_istty(h));
    sh_printf("seek 7: %d\n", sh_seek(h, 7));
    for (int i = 0; i < 64; i++) buf[i] = 0;
    int left = sh_read(h, buf, 10);
    sh_printf("read 10 at 7: not read %d, \"%s\"\n", left, buf);
    sh_printf("seek 20: %d\n", sh_seek(h, 20));
    for (int i = 0; i < 64; i++) buf[i] = 0;
    left = sh_read(h, buf, 10);
    sh_printf("read 10 at 20: not read %d, %u bytes\n", left, length(buf));
    sh_printf("read at end: not read %d\n", sh_read(h, buf, 5));
    sh_printf("close: %d\n", sh_close(h));

    h = sh_open(name, MODE_RPLUS);
    sh_printf("open r+, write 5 at 0: not written %d\n", sh_write(h, "HELLO", 5));
    sh_close(h);

    sh_printf("rename: %d\n", sh_rename(name, renamed));
    h = sh_open(renamed, MODE_R);
    for (int i = 0; i < 64; i++) buf[i] = 0;
    sh_printf("reopen r: flen %d, ", sh_flen(h));
    left = sh_read(h, buf, 63);
    sh_printf("read 63: not read %d, content: %s", left, buf);
    sh_printf("close: %d\n", sh_close(h));
    sh_check("file round trip", left == 63 - 24 && buf[0] == 'H' && buf[5] == ',');

    h = sh_open(renamed, MODE_W);
    sh_printf("open w truncates: flen %d\n", sh_flen(h));
    sh_close(h);
    sh_printf("remove: %d\n", sh_remove(renamed));
    h = sh_open(renamed, MODE_R);
    int err = sh_errno();
    sh_printf("open removed file: %d, errno %d\n", h, err);
    sh_check("ENOENT", h == -1 && err == 2);
    int bad = sh_close(12345);
    err = sh_errno();
    sh_printf("close bad handle: %d, errno %d\n", bad, err);

    /* The console: written text goes to stdout. SYS_ISTTY answers for the host's stdout,
       which under the tests is a pipe: QEMU says 0 then. */
    int tt = sh_open(":tt", MODE_W);
    sh_printf("open :tt: %s, istty %d\n", tt >= 0 ? "handle" : "failed", sh_istty(tt));
    static const char line[] = "written to :tt\n";
    int not_written = sh_write(tt, line, sizeof line - 1);
    sh_printf("write :tt: not written %d\n", not_written);
    sh_close(tt);
    return sh_failures;
}
