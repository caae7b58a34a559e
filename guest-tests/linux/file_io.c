/* File system calls in a scratch directory given as argv[1]: open/creat, write, read, lseek (SEEK_SET/CUR/END and
   holes), pread/pwrite, fstat/stat, ftruncate, rename, link, symlink/readlink, unlink, and stdio on files. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

static char path_a[4096], path_b[4096], path_c[4096], path_s[4096];

#define CHECK(expr)                                                                   \
    do {                                                                              \
        if ((expr) < 0) { printf("%s failed: %s\n", #expr, strerror(errno)); return 1; } \
    } while (0)

int main(int argc, char **argv)
{
    if (argc < 2) { printf("usage: file_io DIR\n"); return 2; }
    snprintf(path_a, sizeof path_a, "%s/a.txt", argv[1]);
    snprintf(path_b, sizeof path_b, "%s/b.txt", argv[1]);
    snprintf(path_c, sizeof path_c, "%s/c.txt", argv[1]);
    snprintf(path_s, sizeof path_s, "%s/s.lnk", argv[1]);

    int fd = open(path_a, O_CREAT | O_EXCL | O_RDWR, 0640);
    CHECK(fd);
    const char text[] = "line one\nline two\nline three\n";
    printf("write %zd\n", write(fd, text, sizeof text - 1));
    printf("lseek cur %ld\n", (long)lseek(fd, 0, SEEK_CUR));
    printf("lseek set 5 -> %ld\n", (long)lseek(fd, 5, SEEK_SET));
    char buf[128] = {0};
    printf("read %zd: \"%s\"\n", read(fd, buf, 3), buf);
    printf("lseek end -6 -> %ld\n", (long)lseek(fd, -6, SEEK_END));
    memset(buf, 0, sizeof buf);
    printf("read %zd: \"%.5s\"\n", read(fd, buf, sizeof buf), buf);
    printf("read at eof %zd\n", read(fd, buf, sizeof buf));

    printf("pwrite %zd\n", pwrite(fd, "TWO", 3, 14));
    memset(buf, 0, sizeof buf);
    printf("pread %zd: \"%s\"\n", pread(fd, buf, 8, 9), buf);
    printf("offset unchanged %ld\n", (long)lseek(fd, 0, SEEK_CUR));

    /* A hole: seek past the end and write; the gap reads as zeros. */
    printf("lseek past end %ld\n", (long)lseek(fd, 100, SEEK_SET));
    printf("write %zd\n", write(fd, "end", 3));
    struct stat st;
    CHECK(fstat(fd, &st));
    printf("fstat size %lld regular %d mode %o nlink %u\n", (long long)st.st_size, S_ISREG(st.st_mode),
           (unsigned)(st.st_mode & 0777), (unsigned)st.st_nlink);
    memset(buf, 1, sizeof buf);
    pread(fd, buf, 10, 40);
    int zeros = 0;
    for (int i = 0; i < 10; i++) zeros += buf[i] == 0;
    printf("zeros in hole %d\n", zeros);

    struct iovec iov[3] = {{"ab", 2}, {"cde", 3}, {"f\n", 2}};
    lseek(fd, 0, SEEK_END);
    printf("writev %zd\n", writev(fd, iov, 3));
    char r1[4] = {0}, r2[8] = {0};
    struct iovec riov[2] = {{r1, 3}, {r2, 4}};
    lseek(fd, -7, SEEK_END);
    printf("readv %zd: \"%s\" \"%s\"\n", readv(fd, riov, 2), r1, r2);

    CHECK(ftruncate(fd, 18));
    CHECK(fstat(fd, &st));
    printf("after ftruncate size %lld\n", (long long)st.st_size);
    CHECK(close(fd));

    CHECK(rename(path_a, path_b));
    printf("stat old name: %s\n", stat(path_a, &st) < 0 ? strerror(errno) : "exists");
    CHECK(stat(path_b, &st));
    printf("stat new name size %lld\n", (long long)st.st_size);
    CHECK(link(path_b, path_c));
    CHECK(stat(path_b, &st));
    printf("nlink after link %u\n", (unsigned)st.st_nlink);
    CHECK(symlink("b.txt", path_s));
    char target[64] = {0};
    printf("readlink %zd \"%s\"\n", readlink(path_s, target, sizeof target - 1), target);
    CHECK(lstat(path_s, &st));
    printf("lstat is link %d\n", S_ISLNK(st.st_mode));
    printf("access R_OK %d, X_OK %d\n", access(path_c, R_OK), access(path_c, X_OK));
    CHECK(chmod(path_c, 0755));
    CHECK(stat(path_b, &st));
    printf("mode via other link %o\n", (unsigned)(st.st_mode & 0777));

    FILE *f = fopen(path_c, "a+");
    if (!f) { printf("fopen failed\n"); return 1; }
    fprintf(f, "appended %d\n", 123);
    rewind(f);
    char line[64];
    int n = 0;
    while (fgets(line, sizeof line, f)) printf("line %d: %s", ++n, line);
    fclose(f);

    printf("open missing: %s\n", open(path_a, O_RDONLY) < 0 ? strerror(errno) : "opened");
    printf("open O_EXCL existing: %s\n", open(path_b, O_CREAT | O_EXCL | O_WRONLY, 0600) < 0 ? strerror(errno) : "opened");
    printf("read bad fd: %s\n", read(99, buf, 1) < 0 ? strerror(errno) : "ok");
    int dfd = open(argv[1], O_RDONLY | O_DIRECTORY);
    printf("read a directory: %s\n", read(dfd, buf, 1) < 0 ? strerror(errno) : "ok");
    printf("unlinkat relative %d\n", unlinkat(dfd, "s.lnk", 0));
    close(dfd);
    CHECK(unlink(path_b));
    CHECK(unlink(path_c));
    printf("unlink again: %s\n", unlink(path_c) < 0 ? strerror(errno) : "ok");
    return 0;
}
