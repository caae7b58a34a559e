/* The emulator's own descriptors are invisible to the guest: a process started with 0, 1
   and 2 has nothing else open, so "close every descriptor from 3 up" closes nothing, and
   /proc/self/fd (and /dev/fd, its symlink) lists 0, 1, 2 and the listing's own descriptor,
   as on Linux. qemu-arm cannot run this: its own descriptors (two of them in qemu 7.2) are
   the guest's too, so the sweep closes them and /proc/self/fd lists them. */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int compare(const void *a, const void *b) { return *(const int *)a - *(const int *)b; }

static void list(const char *directory, const char *when)
{
    DIR *d = opendir(directory);
    if (!d) { printf("%s: opendir failed\n", when); return; }
    int fds[64], n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL && n < 64)
        if (e->d_name[0] != '.') fds[n++] = atoi(e->d_name);
    qsort(fds, n, sizeof fds[0], compare);
    printf("%s: %s lists", when, directory);
    for (int i = 0; i < n; i++) printf(" %d%s", fds[i], fds[i] == dirfd(d) ? "(the listing)" : "");
    printf("\n");
    closedir(d);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    list("/proc/self/fd", "at start");
    int closed = 0;
    for (int i = 3; i < 1024; i++)
        if (close(i) == 0) closed++;
    printf("closes that succeeded from 3 to 1023: %d\n", closed);
    int p[2];
    pipe(p);
    dup2(p[1], 200);
    list("/dev/fd", "after pipe and dup2 to 200");
    char link[64], target[256];
    snprintf(link, sizeof link, "/proc/self/fd/%d", p[0]);
    ssize_t len = readlink(link, target, sizeof target - 1);
    target[len > 0 ? len : 0] = 0;
    printf("readlink of the read end names a pipe: %s\n", strncmp(target, "pipe:[", 6) == 0 ? "yes" : target);
    len = readlink("/proc/self/fd/150", target, sizeof target);
    printf("readlink of a closed number fails: %s\n", len < 0 ? "yes" : "no");
    write(200, "through 200\n", 12);
    int again = open("/dev/fd/200", O_WRONLY);
    char got[32] = {0};
    read(p[0], got, sizeof got - 1);
    printf("open(/dev/fd/200) is a new descriptor: %s; the pipe read \"%.11s\"\n", again > 2 && again != 200 ? "yes" : "no", got);
    close(again);
    close(2);
    list("/proc/self/fd", "after close(2)");
    return 0;
}
