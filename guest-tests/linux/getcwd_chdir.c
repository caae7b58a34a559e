/* The working directory: getcwd (including getcwd(NULL, 0) and a too-small buffer), chdir to the scratch directory
   argv[1] and into subdirectories, relative paths, fchdir, and the errors of chdir. Paths are printed relative to
   the scratch directory, which differs from run to run. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char scratch[PATH_MAX];

static void show(const char *label)
{
    char buf[PATH_MAX];
    if (!getcwd(buf, sizeof buf)) { printf("%s: getcwd failed: %s\n", label, strerror(errno)); return; }
    size_t n = strlen(scratch);
    if (strncmp(buf, scratch, n) == 0) printf("%s: <scratch>%s\n", label, buf + n);
    else printf("%s: outside the scratch directory\n", label);
}

int main(int argc, char **argv)
{
    if (argc < 2 || !realpath(argv[1], scratch)) { printf("usage: getcwd_chdir DIR\n"); return 2; }
    int start = open(".", O_RDONLY | O_DIRECTORY);
    printf("chdir scratch: %d\n", chdir(argv[1]));
    show("cwd");
    printf("mkdir a: %d, mkdir a/b: %d\n", mkdir("a", 0755), mkdir("a/b", 0755));
    printf("chdir a/b: %d\n", chdir("a/b"));
    show("cwd");
    FILE *f = fopen("../note.txt", "w");
    fputs("relative\n", f);
    fclose(f);
    printf("chdir ..: %d\n", chdir(".."));
    show("cwd");
    struct stat st;
    printf("relative file visible: %d\n", stat("note.txt", &st) == 0 && st.st_size == 9);
    char *dyn = getcwd(NULL, 0);
    printf("getcwd(NULL, 0) ends with /a: %d\n", dyn && strlen(dyn) >= 2 && strcmp(dyn + strlen(dyn) - 2, "/a") == 0);
    free(dyn);
    char tiny[4];
    errno = 0;
    printf("getcwd small buffer: %s, %s\n", getcwd(tiny, sizeof tiny) ? "ok" : "NULL", strerror(errno));
    printf("chdir missing: %s\n", chdir("does/not/exist") < 0 ? strerror(errno) : "ok");
    printf("chdir to a file: %s\n", chdir("note.txt") < 0 ? strerror(errno) : "ok");
    int fd = open("b", O_RDONLY | O_DIRECTORY);
    printf("fchdir b: %d\n", fchdir(fd));
    close(fd);
    show("cwd");
    printf("chdir ../../..: %d\n", chdir("../../.."));
    printf("fchdir back to start: %d\n", fchdir(start));
    char here[PATH_MAX];
    getcwd(here, sizeof here);
    printf("back outside the scratch directory: %d\n", strncmp(here, scratch, strlen(scratch)) != 0);
    chdir(scratch);
    unlink("a/note.txt");
    rmdir("a/b");
    printf("rmdir a: %d\n", rmdir("a"));
    return 0;
}
