/* The initial process state: argc/argv (including empty and spaced arguments), the environment (envp and environ
   agree, getenv/setenv/unsetenv), and the auxiliary vector (AT_PAGESZ, AT_PLATFORM, AT_RANDOM, AT_UID, ...). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <unistd.h>

extern char **environ;

int main(int argc, char **argv, char **envp)
{
    const char *base = strrchr(argv[0], '/');
    printf("argc %d, program %s\n", argc, base ? base + 1 : argv[0]);
    for (int i = 1; i < argc; i++) printf("argv[%d] = \"%s\" (%zu)\n", i, argv[i], strlen(argv[i]));
    printf("argv[argc] is NULL %d\n", argv[argc] == NULL);

    int n = 0;
    while (envp[n]) n++;
    printf("envp entries %d, environ is envp %d\n", n, environ == envp);
    const char *names[] = {"ARMEMU_TEST_A", "ARMEMU_TEST_EMPTY", "ARMEMU_TEST_SPACES", "LANG", "TZ", "NOT_SET_ANYWHERE"};
    for (unsigned i = 0; i < sizeof names / sizeof names[0]; i++) {
        const char *v = getenv(names[i]);
        printf("%s=%s%s%s\n", names[i], v ? "\"" : "", v ? v : "(unset)", v ? "\"" : "");
    }
    int matches = 0;
    for (int i = 0; i < n; i++)
        if (strncmp(envp[i], "ARMEMU_TEST_", 12) == 0) matches++;
    printf("ARMEMU_TEST_ variables %d\n", matches);
    setenv("ARMEMU_TEST_NEW", "fresh", 1);
    setenv("ARMEMU_TEST_A", "ignored", 0);
    unsetenv("ARMEMU_TEST_EMPTY");
    printf("after setenv/unsetenv: NEW=%s A=%s EMPTY=%s\n", getenv("ARMEMU_TEST_NEW"), getenv("ARMEMU_TEST_A"),
           getenv("ARMEMU_TEST_EMPTY") ? "set" : "(unset)");

    printf("AT_PAGESZ %lu, sysconf page size %ld\n", getauxval(AT_PAGESZ), sysconf(_SC_PAGESIZE));
    printf("AT_PLATFORM %s\n", (const char *)getauxval(AT_PLATFORM));
    const unsigned char *random = (const unsigned char *)getauxval(AT_RANDOM);
    printf("AT_RANDOM present %d\n", random != NULL);
    printf("AT_UID matches %d, AT_EUID matches %d, AT_GID matches %d, AT_EGID matches %d\n", getauxval(AT_UID) == getuid(),
           getauxval(AT_EUID) == geteuid(), getauxval(AT_GID) == getgid(), getauxval(AT_EGID) == getegid());
    printf("AT_SECURE %lu, AT_CLKTCK %lu, AT_PHENT %lu, AT_BASE %lu\n", getauxval(AT_SECURE), getauxval(AT_CLKTCK),
           getauxval(AT_PHENT), getauxval(AT_BASE));
    const char *execfn = (const char *)getauxval(AT_EXECFN);
    printf("AT_EXECFN is argv[0] %d\n", execfn && strcmp(execfn, argv[0]) == 0);
    printf("AT_ENTRY nonzero %d, AT_PHDR nonzero %d, AT_PHNUM %lu\n", getauxval(AT_ENTRY) != 0, getauxval(AT_PHDR) != 0,
           getauxval(AT_PHNUM));
    return 0;
}
