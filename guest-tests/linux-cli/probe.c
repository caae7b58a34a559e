/* What a qemu-arm option changes, printed: armemu's qemu-arm spellings are compared
 * with qemu-arm's by running this program under both with the same option.
 *   probe argv              argv[0..]
 *   probe env NAME...       each variable's value, or "(unset)"
 *   probe uname             the release and machine fields
 *   probe random            AT_RANDOM, getrandom and /dev/urandom bytes
 *   probe stack KIB         touch KIB KiB of stack (dies of SIGSEGV if the stack is smaller)
 *   probe segv              store to address 0
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/random.h>
#include <sys/utsname.h>
#include <unistd.h>

static void hex(const char *label, const unsigned char *b, int n)
{
    printf("%s ", label);
    for (int i = 0; i < n; i++) printf("%02x", b[i]);
    printf("\n");
}

static int touch(int kib)
{
    volatile char block[1024];
    block[0] = (char)kib;
    return kib <= 1 ? block[0] : touch(kib - 1) + block[0] - block[0];
}

int main(int argc, char **argv)
{
    if (argc < 2) return 2;
    if (!strcmp(argv[1], "argv")) {
        for (int i = 0; i < argc; i++) printf("argv[%d] = %s\n", i, argv[i]);
    } else if (!strcmp(argv[1], "env")) {
        for (int i = 2; i < argc; i++) {
            const char *v = getenv(argv[i]);
            printf("%s = %s\n", argv[i], v ? v : "(unset)");
        }
    } else if (!strcmp(argv[1], "uname")) {
        struct utsname u;
        uname(&u);
        printf("release %s\nmachine %s\n", u.release, u.machine);
    } else if (!strcmp(argv[1], "random")) {
        unsigned char b[16];
        hex("AT_RANDOM", (const unsigned char *)getauxval(AT_RANDOM), 16);
        if (getrandom(b, sizeof b, 0) != sizeof b) return 3;
        hex("getrandom", b, 16);
        int fd = open("/dev/urandom", O_RDONLY);
        if (fd < 0 || read(fd, b, sizeof b) != sizeof b) return 4;
        close(fd);
        hex("urandom", b, 16);
    } else if (!strcmp(argv[1], "stack") && argc > 2) {
        touch(atoi(argv[2]));
        printf("touched %s KiB of stack\n", argv[2]);
    } else if (!strcmp(argv[1], "segv")) {
        fflush(stdout);
        *(volatile int *)0 = 1;
    } else {
        return 2;
    }
    return 0;
}
