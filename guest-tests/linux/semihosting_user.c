/* ARM semihosting from a Linux program, as qemu-arm serves it: SVC 0x123456 is a semihosting
   call, not a system call (SVC 0xAB in Thumb state). SYS_WRITE0 and SYS_WRITEC go to stderr; files open, write, read,
   report their length and are removed, relative to the working directory; SYS_ERRNO, SYS_CLOCK,
   SYS_TIME and SYS_GET_CMDLINE answer; SYS_EXIT with ADP_Stopped_ApplicationExit ends the
   program with status 0. (A ":tt" handle is left out: qemu-arm writes it to stdout, armemu to
   the same stderr as SYS_WRITE0.) */
#include <stdio.h>
#include <string.h>

static int semi(int op, void *arg)
{
    register int r0 asm("r0") = op;
    register void *r1 asm("r1") = arg;
#ifdef __thumb__
    asm volatile("svc 0xab" : "+r"(r0) : "r"(r1) : "memory"); /* Thumb state's semihosting SVC */
#else
    asm volatile("svc 0x123456" : "+r"(r0) : "r"(r1) : "memory");
#endif
    return r0;
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    printf("before the semihosting calls\n");
    semi(0x04, "SYS_WRITE0 text\n");
    char c = 'C';
    semi(0x03, &c);
    semi(0x03, &(char){'\n'});
    unsigned open_write[3] = {(unsigned)"semihosting_file.txt", 4, 20};
    int f = semi(0x01, open_write);
    printf("open for writing: %s\n", f > 0 ? "a handle" : "failed");
    unsigned w[3] = {f, (unsigned)"hello file", 10};
    printf("write: %d bytes not written\n", semi(0x05, w));
    unsigned h[1] = {f};
    printf("flen: %d\n", semi(0x0c, h));
    printf("close: %d\n", semi(0x02, h));
    unsigned open_read[3] = {(unsigned)"semihosting_file.txt", 0, 20};
    f = semi(0x01, open_read);
    char buffer[32] = {0};
    unsigned r[3] = {f, (unsigned)buffer, 31};
    printf("read: %d bytes not read, \"%s\"\n", semi(0x06, r), buffer);
    unsigned seek[2] = {f, 6};
    printf("seek: %d\n", semi(0x0a, seek));
    memset(buffer, 0, sizeof buffer);
    printf("read after seek: %d not read, \"%s\"\n", semi(0x06, r), buffer);
    h[0] = f;
    semi(0x02, h);
    unsigned rm[2] = {(unsigned)"semihosting_file.txt", 20};
    printf("remove: %d\n", semi(0x0e, rm));
    unsigned missing[3] = {(unsigned)"no_such_file", 0, 12};
    printf("open a missing file: %d, SYS_ERRNO %d\n", semi(0x01, missing), semi(0x13, 0));
    printf("clock >= 0: %s\n", semi(0x10, 0) >= 0 ? "yes" : "no");
    printf("time > 0: %s\n", semi(0x11, 0) > 0 ? "yes" : "no");
    char command[512] = {0};
    unsigned cmd[2] = {(unsigned)command, sizeof command};
    int got = semi(0x15, cmd);
    printf("get_cmdline: %d, ends with the arguments: %s\n", got, strlen(command) > 8 && strcmp(command + strlen(command) - 8, " one two") == 0 ? "yes" : command);
    semi(0x18, (void *)0x20026);
    printf("not reached\n");
    return 3;
}
