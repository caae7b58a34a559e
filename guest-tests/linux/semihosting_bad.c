/* User-mode ARM semihosting calls with bad arguments, compared with qemu-arm: a parameter
   block, name or buffer the guest cannot reach, a handle that is not open, a mode or a length
   that does not fit. Each line is the call, r0 and SYS_ERRNO after it (set to EBADF before
   it, so a call that leaves SYS_ERRNO alone shows 9). (SYS_SYSTEM, SYS_TMPNAM
   and unknown operations are left out: armemu refuses the first two to keep the guest inside
   its root, and qemu-arm aborts on the third.) */
#include <stdio.h>
#include <string.h>

#define BAD 16u /* in the unmapped first page */

static unsigned semi(unsigned op, unsigned arg)
{
    register unsigned r0 asm("r0") = op;
    register unsigned r1 asm("r1") = arg;
#ifdef __thumb__
    asm volatile("svc 0xab" : "+r"(r0) : "r"(r1) : "memory");
#else
    asm volatile("svc 0x123456" : "+r"(r0) : "r"(r1) : "memory");
#endif
    return r0;
}

static void show(const char *what, unsigned op, const void *block)
{
    static unsigned not_open[1] = {999};
    semi(0x02, (unsigned)not_open); /* SYS_CLOSE of no handle: SYS_ERRNO is EBADF (9) before each call */
    unsigned r = semi(op, (unsigned)block);
    unsigned e = semi(0x13, 0);
    printf("%-40s r0 %d errno %u\n", what, (int)r, e);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    char buf[64];
    unsigned handle;
    {
        unsigned open_block[3] = {(unsigned)"semihosting_bad.txt", 4 /* "w" */, 19};
        handle = semi(0x01, (unsigned)open_block);
        unsigned write_block[3] = {handle, (unsigned)"0123456789", 10};
        semi(0x05, (unsigned)write_block);
    }

    show("SYS_OPEN block unmapped", 0x01, (void *)BAD);
    show("SYS_OPEN name unmapped", 0x01, (unsigned[]){BAD, 0, 3});
    show("SYS_OPEN mode 12", 0x01, (unsigned[]){(unsigned)"x", 12, 1});
    show("SYS_OPEN length short of the NUL", 0x01, (unsigned[]){(unsigned)"abcdef", 0, 2});
    show("SYS_OPEN missing file for reading", 0x01, (unsigned[]){(unsigned)"missing", 0, 7});
    show("SYS_OPEN empty name", 0x01, (unsigned[]){(unsigned)"", 0, 0});
    show("SYS_CLOSE block unmapped", 0x02, (void *)BAD);
    show("SYS_CLOSE handle not open", 0x02, (unsigned[]){999});
    show("SYS_WRITE block unmapped", 0x05, (void *)BAD);
    show("SYS_WRITE handle not open", 0x05, (unsigned[]){999, (unsigned)buf, 4});
    show("SYS_WRITE buffer unmapped", 0x05, (unsigned[]){handle, BAD, 4});
    show("SYS_READ block unmapped", 0x06, (void *)BAD);
    show("SYS_READ handle not open", 0x06, (unsigned[]){999, (unsigned)buf, 4});
    show("SYS_READ write-only handle", 0x06, (unsigned[]){handle, (unsigned)buf, 4});
    show("SYS_ISERROR block unmapped", 0x08, (void *)BAD);
    show("SYS_ISTTY block unmapped", 0x09, (void *)BAD);
    show("SYS_ISTTY handle not open", 0x09, (unsigned[]){999});
    show("SYS_SEEK block unmapped", 0x0A, (void *)BAD);
    show("SYS_SEEK handle not open", 0x0A, (unsigned[]){999, 0});
    show("SYS_FLEN block unmapped", 0x0C, (void *)BAD);
    show("SYS_FLEN handle not open", 0x0C, (unsigned[]){999});
    show("SYS_FLEN open handle", 0x0C, (unsigned[]){handle});
    show("SYS_REMOVE block unmapped", 0x0E, (void *)BAD);
    show("SYS_REMOVE name unmapped", 0x0E, (unsigned[]){BAD, 3});
    show("SYS_REMOVE missing file", 0x0E, (unsigned[]){(unsigned)"missing", 7});
    show("SYS_RENAME block unmapped", 0x0F, (void *)BAD);
    show("SYS_RENAME missing file", 0x0F, (unsigned[]){(unsigned)"missing", 7, (unsigned)"other", 5});
    show("SYS_RENAME new name unmapped", 0x0F, (unsigned[]){(unsigned)"semihosting_bad.txt", 19, BAD, 5});
    show("SYS_GET_CMDLINE block unmapped", 0x15, (void *)BAD);
    show("SYS_GET_CMDLINE buffer too small", 0x15, (unsigned[]){(unsigned)buf, 2});
    show("SYS_GET_CMDLINE buffer unmapped", 0x15, (unsigned[]){BAD, 4096});
    show("SYS_HEAPINFO block unmapped", 0x16, (void *)BAD);
    show("SYS_HEAPINFO pointer unmapped", 0x16, (unsigned[]){BAD});
    show("SYS_ELAPSED block unmapped", 0x30, (void *)BAD);
    show("SYS_WRITEC unmapped", 0x03, (void *)BAD);
    show("SYS_WRITE0 unmapped", 0x04, (void *)BAD);
    show("SYS_EXIT_EXTENDED block unmapped", 0x20, (void *)BAD);
    semi(0x02, (unsigned)(unsigned[]){handle});
    semi(0x0E, (unsigned)(unsigned[]){(unsigned)"semihosting_bad.txt", 19});
    puts("done");
    return 0;
}
