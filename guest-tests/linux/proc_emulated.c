/* The /proc entries qemu-arm 7.2 leaves to the host, where the host's describe the emulator:
   status (qemu-arm's "Name: qemu-arm"), environ (the emulator's environment), mem (the
   emulator's memory); and the spellings qemu-arm matches only literally. Here each describes
   the guest or is refused, and a forked child sees its own. qemu-arm cannot run this. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static int slurp(const char *path, char *buffer, int size)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0) return -errno;
    int total = 0, n;
    while (total < size - 1 && (n = read(fd, buffer + total, size - 1 - total)) > 0) total += n;
    buffer[total] = 0;
    close(fd);
    return total;
}

static const char *field(const char *status, const char *name)
{
    static char value[128];
    const char *at = strstr(status, name);
    if (!at) return "(missing)";
    sscanf(at + strlen(name), " %127[^\n]", value);
    return value;
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    char buffer[16384], path[64];
    slurp("/proc/self/status", buffer, sizeof buffer);
    printf("status Name: %s\n", field(buffer, "Name:"));
    printf("status Pid is getpid(): %s\n", atoi(field(buffer, "Pid:")) == getpid() ? "yes" : "no");
    printf("status PPid is getppid(): %s\n", atoi(field(buffer, "PPid:")) == getppid() ? "yes" : "no");
    printf("status Threads: %s\n", field(buffer, "Threads:"));

    int n = slurp("/proc/self/environ", buffer, sizeof buffer), at = 0, same = 1, count = 0;
    for (char **e = environ; *e && same; e++, count++) {
        same = at < n && strcmp(buffer + at, *e) == 0;
        at += strlen(*e) + 1;
    }
    printf("environ is the guest's environment: %s (%d variables)\n", same && at == n ? "yes" : "no", count);
    printf("comm: %s", (slurp("/proc/self/comm", buffer, sizeof buffer), buffer));

    printf("open /proc/self/mem: %s\n", strerror(-slurp("/proc/self/mem", buffer, sizeof buffer)));
    printf("open /proc/self/pagemap: %s\n", strerror(-slurp("/proc/self/pagemap", buffer, sizeof buffer)));
    printf("open /proc/self/maps for writing: %s\n", open("/proc/self/maps", O_WRONLY) < 0 ? strerror(errno) : "opened");
    int a = slurp("/proc/self/cmdline", buffer, sizeof buffer);
    printf("//proc/./self/../self/cmdline is cmdline: %s\n", slurp("//proc/./self/../self/cmdline", buffer + 8192, 8192) == a ? "yes" : "no");
    chdir("/proc");
    printf("self/cmdline relative to /proc: %s\n", slurp("self/cmdline", buffer + 8192, 8192) == a ? "yes" : "no");
    int proc = open("/proc/self", O_RDONLY | O_DIRECTORY);
    int m = openat(proc, "maps", O_RDONLY);
    n = m < 0 ? -1 : read(m, buffer, 64);
    printf("openat(/proc/self, \"maps\") reads the guest's maps: %s\n", n > 0 && strncmp(buffer, "00010000-", 9) == 0 ? "yes" : "no");
    close(m);
    close(proc);
    chdir("/");

    pid_t child = fork();
    if (child == 0) {
        slurp("/proc/self/stat", buffer, sizeof buffer);
        int pid = atoi(buffer);
        snprintf(path, sizeof path, "/proc/%d/status", getppid());
        slurp(path, buffer, sizeof buffer);
        printf("child: /proc/self/stat is the child: %s, /proc/PPID/status is the parent: %s\n",
               pid == getpid() ? "yes" : "no", atoi(field(buffer, "Pid:")) == getppid() ? "yes" : "no");
        _exit(0);
    }
    int status;
    waitpid(child, &status, 0);
    return 0;
}
