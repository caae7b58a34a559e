/* Directory reading: mkdir, files and subdirectories in the scratch directory argv[1], opendir/readdir (entries sorted
   before printing, since directory order is the file system's), d_type, scandir, rmdir. */
/* 64-bit d_off: a host file system (ext4, overlayfs) hands out 64-bit directory hash offsets that the 32-bit
   readdir rejects with EOVERFLOW under qemu-arm and armemu alike (a 32-bit Linux kernel would give 32-bit ones). */
#define _FILE_OFFSET_BITS 64
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int compare(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static int list(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d) { printf("opendir: %s\n", strerror(errno)); return 1; }
    char *names[256];
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL && n < 256) {
        char kind = e->d_type == DT_DIR ? 'd' : e->d_type == DT_REG ? 'f' : e->d_type == DT_LNK ? 'l' : '?';
        names[n] = malloc(strlen(e->d_name) + 3);
        sprintf(names[n], "%c %s", kind, e->d_name);
        n++;
    }
    closedir(d);
    /* Sort on the name, not the kind prefix. */
    for (int i = 0; i < n; i++) names[i][1] = '\0';
    char *keys[256];
    for (int i = 0; i < n; i++) keys[i] = names[i] + 2;
    qsort(keys, n, sizeof keys[0], compare);
    for (int i = 0; i < n; i++) {
        printf("  %c %s\n", keys[i][-2], keys[i]);
        free(keys[i] - 2);
    }
    printf("  (%d entries)\n", n);
    return 0;
}

static int only_txt(const struct dirent *e)
{
    size_t len = strlen(e->d_name);
    return len > 4 && strcmp(e->d_name + len - 4, ".txt") == 0;
}

int main(int argc, char **argv)
{
    if (argc < 2) { printf("usage: dirents DIR\n"); return 2; }
    char root[4096], path[4200];
    snprintf(root, sizeof root, "%s/tree", argv[1]);
    if (mkdir(root, 0755) < 0) { printf("mkdir: %s\n", strerror(errno)); return 1; }
    printf("mkdir again: %s\n", mkdir(root, 0755) < 0 ? strerror(errno) : "ok");
    const char *files[] = {"zeta.txt", "alpha.txt", "Mixed.dat", "beta.txt", "10.bin", "9.bin", ".hidden"};
    for (unsigned i = 0; i < sizeof files / sizeof files[0]; i++) {
        snprintf(path, sizeof path, "%s/%s", root, files[i]);
        int fd = open(path, O_CREAT | O_WRONLY, 0644);
        if (fd < 0) { printf("create %s: %s\n", files[i], strerror(errno)); return 1; }
        close(fd);
    }
    for (int i = 0; i < 3; i++) {
        snprintf(path, sizeof path, "%s/sub%d", root, i);
        mkdir(path, 0700);
    }
    snprintf(path, sizeof path, "%s/link", root);
    symlink("alpha.txt", path);
    printf("listing:\n");
    if (list(root)) return 1;

    struct dirent **entries;
    int n = scandir(root, &entries, only_txt, alphasort);
    printf("scandir *.txt: %d\n", n);
    for (int i = 0; i < n; i++) {
        printf("  %s\n", entries[i]->d_name);
        free(entries[i]);
    }
    free(entries);

    snprintf(path, sizeof path, "%s/sub0", root);
    printf("rmdir non-empty root: %s\n", rmdir(root) < 0 ? strerror(errno) : "ok");
    printf("rmdir sub0: %s\n", rmdir(path) < 0 ? strerror(errno) : "ok");
    printf("after rmdir:\n");
    list(root);

    /* Many entries, to make getdents64 take several calls. */
    snprintf(path, sizeof path, "%s/sub1", root);
    for (int i = 0; i < 300; i++) {
        char name[4300];
        snprintf(name, sizeof name, "%s/entry-with-a-longish-name-%03d", path, i);
        close(open(name, O_CREAT | O_WRONLY, 0600));
    }
    DIR *d = opendir(path);
    int count = 0;
    long sum = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        count++;
        if (e->d_name[0] != '.') sum += atoi(e->d_name + strlen("entry-with-a-longish-name-"));
    }
    closedir(d);
    printf("sub1 has %d entries, numbers sum to %ld\n", count, sum);
    return 0;
}
