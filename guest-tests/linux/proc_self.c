/* /proc/self as qemu-arm presents it: maps describes the guest's own mappings (the program's
   segments with its path, a file mapping with its offset, anonymous and shared memory, the
   stack), exe names the program (absolute, also after chdir), cmdline is argv, auxv is the
   vector getauxval reads, stat names the guest's pid, command and parent, and /proc/PID
   (the guest's own pid) is /proc/self. Addresses, device and inode numbers differ between
   emulators (and runs), so the program prints what it checked, not what it read. */
#define _GNU_SOURCE
#include <elf.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <unistd.h>

static char maps[65536];
int global_data = 42;

static int slurp(const char *path, char *buffer, int size)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0) return -1;
    int total = 0, n;
    while (total < size - 1 && (n = read(fd, buffer + total, size - 1 - total)) > 0) total += n;
    buffer[total] = 0;
    close(fd);
    return total;
}

/* For an address in one of the program's own PT_LOAD segments, the file offset its maps line
   must show (the segment's page offset plus how far into the segment the mapping starts); -1
   elsewhere. The number itself depends on the build (an ARM and a Thumb build differ), so the
   program prints whether the two agree. */
static long long segment_offset(unsigned long a, unsigned long start)
{
    const Elf32_Phdr *ph = (const Elf32_Phdr *)getauxval(AT_PHDR);
    unsigned long count = getauxval(AT_PHNUM);
    for (unsigned long i = 0; ph && i < count; i++) {
        if (ph[i].p_type != PT_LOAD || a < ph[i].p_vaddr || a >= ph[i].p_vaddr + ph[i].p_memsz) continue;
        unsigned long page = ph[i].p_vaddr & ~4095ul;
        return (long long)(ph[i].p_offset & ~4095ul) + (long long)(start - page);
    }
    return -1;
}

/* The maps line holding address a: its permissions, offset and the file's name (or "-"; a
   shared anonymous mapping is "/dev/zero (deleted)" on Linux, shown as "zero"). */
static void describe(const char *what, const void *address)
{
    unsigned long a = (unsigned long)address;
    char *line = maps;
    while (*line) {
        char *end = strchr(line, '\n'), one[1024];
        int length = end ? end - line : (int)strlen(line);
        if (length >= (int)sizeof one) length = sizeof one - 1;
        memcpy(one, line, length);
        one[length] = 0;
        unsigned long start, stop;
        char perms[5], name[512] = "-";
        unsigned long long offset;
        unsigned major, minor;
        unsigned long inode;
        int fields = sscanf(one, "%lx-%lx %4s %llx %x:%x %lu %511s", &start, &stop, perms, &offset, &major, &minor, &inode, name);
        if (fields >= 7 && a >= start && a < stop) {
            const char *base = strrchr(name, '/');
            long long expected = segment_offset(a, start);
            if (expected >= 0)
                printf("%-22s %s offset %s %s\n", what, perms, (long long)offset == expected ? "of its segment" : "WRONG", base ? base + 1 : name);
            else
                printf("%-22s %s offset 0x%llx %s\n", what, perms, offset, base ? base + 1 : name);
            return;
        }
        if (!end) break;
        line = end + 1;
    }
    printf("%-22s not in maps\n", what);
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    char program[PATH_MAX];
    realpath(argv[0], program);

    /* A file of two pages, mapped from its second page. */
    char file[] = "proc_self_file";
    int fd = open(file, O_RDWR | O_CREAT | O_TRUNC, 0600);
    char page[4096];
    memset(page, 'x', sizeof page);
    write(fd, page, sizeof page);
    write(fd, page, sizeof page);
    char *mapped = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, fd, 4096);
    char *anonymous = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    char *shared = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    mprotect(anonymous + 4096, 4096, PROT_NONE);
    int on_stack = 0;

    int n = slurp("/proc/self/maps", maps, sizeof maps);
    int lines = 0, bad = 0;
    for (char *l = maps; *l; l = strchr(l, '\n') + 1) {
        unsigned long s, e;
        char perms[5];
        if (sscanf(l, "%lx-%lx %4s", &s, &e, perms) != 3 || s >= e || strlen(perms) != 4) bad++;
        lines++;
        if (!strchr(l, '\n')) break;
    }
    printf("maps: read %s, %s lines, %d malformed\n", n > 0 ? "ok" : "failed", lines > 5 ? "several" : "few", bad);
    describe("main", (void *)main);
    describe("global data", &global_data);
    describe("file page 2", mapped);
    describe("anonymous", anonymous);
    describe("anonymous PROT_NONE", anonymous + 4096);
    describe("shared anonymous", shared);
    describe("stack variable", &on_stack);
    munmap(mapped, 4096);
    slurp("/proc/self/maps", maps, sizeof maps);
    describe("file page, unmapped", mapped);
    unlink(file);

    char link[PATH_MAX];
    ssize_t len = readlink("/proc/self/exe", link, sizeof link - 1);
    link[len > 0 ? len : 0] = 0;
    printf("exe is the program: %s\n", strcmp(link, program) == 0 ? "yes" : link);
    chdir("/");
    len = readlink("/proc/self/exe", link, sizeof link - 1);
    link[len > 0 ? len : 0] = 0;
    printf("exe after chdir(\"/\"): %s\n", strcmp(link, program) == 0 ? "the program" : link);
    int exe = open("/proc/self/exe", O_RDONLY);
    char magic[4] = {0};
    read(exe, magic, 4);
    close(exe);
    printf("open(exe) reads an ELF file: %s\n", memcmp(magic, "\177ELF", 4) == 0 ? "yes" : "no");

    char buffer[8192];
    n = slurp("/proc/self/cmdline", buffer, sizeof buffer);
    int at = 0, same = n > 0;
    for (int i = 0; i < argc && same; i++) {
        same = strcmp(buffer + at, argv[i]) == 0;
        at += strlen(argv[i]) + 1;
    }
    printf("cmdline is argv: %s (%d arguments)\n", same && at == n ? "yes" : "no", argc);
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/cmdline", getpid());
    int n2 = slurp(path, buffer + 4096, 4096);
    printf("/proc/PID/cmdline is /proc/self/cmdline: %s\n", n2 == n && memcmp(buffer, buffer + 4096, n) == 0 ? "yes" : "no");

    unsigned long auxv[512];
    fd = open("/proc/self/auxv", O_RDONLY);
    n = read(fd, auxv, sizeof auxv);
    close(fd);
    int pairs = n / 8, mismatches = 0, null_last = pairs > 0 && auxv[2 * (pairs - 1)] == AT_NULL;
    static const unsigned long checked[] = {AT_PHDR, AT_PHENT, AT_PHNUM, AT_PAGESZ, AT_ENTRY, AT_HWCAP, AT_RANDOM, AT_PLATFORM, AT_EXECFN};
    int seen = 0;
    for (int i = 0; i < pairs; i++)
        for (unsigned j = 0; j < sizeof checked / sizeof checked[0]; j++)
            if (auxv[2 * i] == checked[j]) {
                seen++;
                if (getauxval(checked[j]) != auxv[2 * i + 1]) mismatches++;
            }
    printf("auxv: %d of %d checked entries present, %d differ from getauxval, ends with AT_NULL: %s\n",
           seen, (int)(sizeof checked / sizeof checked[0]), mismatches, null_last ? "yes" : "no");

    n = slurp("/proc/self/stat", buffer, sizeof buffer);
    int pid = 0, ppid = 0;
    char comm[64] = "", state = 0;
    sscanf(buffer, "%d (%63[^)]) %c %d", &pid, comm, &state, &ppid);
    printf("stat: pid is getpid() %s, command (%s), ppid is getppid() %s\n", pid == getpid() ? "yes" : "no", comm, ppid == getppid() ? "yes" : "no");
    snprintf(path, sizeof path, "/proc/%d/stat", getpid());
    n2 = slurp(path, buffer + 4096, 4096);
    printf("/proc/PID/stat names the same process: %s\n", n2 > 0 && atoi(buffer + 4096) == getpid() ? "yes" : "no");
    return 0;
}
