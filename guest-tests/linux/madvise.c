/* madvise: MADV_DONTNEED drops private pages (an anonymous page reads as zeros again, a
   private file page as the file's bytes again), leaves shared memory as it was; the other
   advice values succeed; a misaligned address is EINVAL. (Linux also gives EINVAL for unknown
   advice and ENOMEM for a range with a hole, and so does armemu; qemu-arm 7.2 answers both
   with success, so they are not printed.) */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static const char *result(int r)
{
    return r == 0 ? "ok" : errno == EINVAL ? "EINVAL" : errno == ENOMEM ? "ENOMEM" : strerror(errno);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    long page = sysconf(_SC_PAGESIZE);
    char *anon = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    memset(anon, 'a', 2 * page);
    printf("MADV_DONTNEED anonymous: %s; first byte now %d, second page %d\n", result(madvise(anon, page, MADV_DONTNEED)), anon[0], anon[page]);

    char *shared = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    memset(shared, 's', page);
    printf("MADV_DONTNEED shared anonymous: %s; byte now '%c'\n", result(madvise(shared, page, MADV_DONTNEED)), shared[0]);

    int fd = open("madvise_file", O_RDWR | O_CREAT | O_TRUNC, 0600);
    char bytes[4096];
    memset(bytes, 'f', sizeof bytes);
    write(fd, bytes, sizeof bytes);
    char *file = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    file[0] = 'X';
    printf("private file page written: '%c'\n", file[0]);
    printf("MADV_DONTNEED private file: %s; byte now '%c'\n", result(madvise(file, page, MADV_DONTNEED)), file[0]);
    unlink("madvise_file");

    printf("MADV_WILLNEED: %s\n", result(madvise(anon, page, MADV_WILLNEED)));
    printf("MADV_SEQUENTIAL: %s\n", result(madvise(anon, 2 * page, MADV_SEQUENTIAL)));
    printf("misaligned: %s\n", result(madvise(anon + 1, page, MADV_DONTNEED)));
    printf("length 0: %s\n", result(madvise(anon, 0, MADV_DONTNEED)));
    return 0;
}
