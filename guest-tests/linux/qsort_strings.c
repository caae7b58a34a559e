/* Sorting and searching: qsort of pseudo-random strings and integers, bsearch, and the string comparison and
   manipulation functions of the C library. */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define COUNT 2000

static uint32_t state = 2463534242u;
static uint32_t xorshift(void)
{
    state ^= state << 13;
    state ^= state >> 17;
    state ^= state << 5;
    return state;
}

static int by_string(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }
static int by_string_nocase(const void *a, const void *b) { return strcasecmp(*(char *const *)a, *(char *const *)b); }
static int by_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

int main(void)
{
    static char storage[COUNT][12];
    char *words[COUNT];
    for (int i = 0; i < COUNT; i++) {
        int len = 1 + xorshift() % 10;
        for (int k = 0; k < len; k++) {
            uint32_t r = xorshift();
            storage[i][k] = (r & 0x100) ? 'A' + r % 26 : 'a' + r % 26;
        }
        storage[i][len] = '\0';
        words[i] = storage[i];
    }
    qsort(words, COUNT, sizeof words[0], by_string);
    int ordered = 1;
    for (int i = 1; i < COUNT; i++)
        if (strcmp(words[i - 1], words[i]) > 0) ordered = 0;
    printf("sorted %d words, ordered %d\n", COUNT, ordered);
    printf("first: %s %s %s\n", words[0], words[1], words[2]);
    printf("last: %s %s %s\n", words[COUNT - 3], words[COUNT - 2], words[COUNT - 1]);
    char *key = words[1234];
    char **found = bsearch(&key, words, COUNT, sizeof words[0], by_string);
    printf("bsearch found %s: %d\n", key, found != NULL && strcmp(*found, key) == 0);
    char *missing = "zzzzzzzzzzzz";
    printf("bsearch missing: %d\n", bsearch(&missing, words, COUNT, sizeof words[0], by_string) == NULL);

    qsort(words, COUNT, sizeof words[0], by_string_nocase);
    uint32_t h = 5381;
    for (int i = 0; i < COUNT; i++)
        for (const char *p = words[i]; *p; p++) h = h * 33 + (unsigned char)(*p | 0x20);
    printf("case-insensitive order hash %08x\n", h);

    static int numbers[10000];
    for (int i = 0; i < 10000; i++) numbers[i] = (int)(xorshift() % 200001) - 100000;
    qsort(numbers, 10000, sizeof numbers[0], by_int);
    long long sum = 0;
    int ok = 1;
    for (int i = 0; i < 10000; i++) {
        sum += numbers[i];
        if (i && numbers[i - 1] > numbers[i]) ok = 0;
    }
    printf("ints ordered %d, min %d, max %d, sum %lld\n", ok, numbers[0], numbers[9999], sum);

    char buf[128];
    strcpy(buf, "alpha");
    strcat(buf, "-beta");
    strncat(buf, "-gamma-delta", 6);
    printf("%s len %zu\n", buf, strlen(buf));
    printf("strcmp %d %d %d, strncmp %d, strcasecmp %d\n", strcmp("abc", "abd") < 0, strcmp("b", "a") > 0,
           strcmp("same", "same") == 0, strncmp("prefix1", "prefix2", 6), strcasecmp("HeLLo", "hello"));
    printf("strstr %s, strrchr %s, strspn %zu, strcspn %zu\n", strstr(buf, "beta"), strrchr(buf, '-'),
           strspn("aaabbc", "ab"), strcspn("hello, world", " ,"));
    char tokens[] = "one, two;;three , four";
    char *save, *tok = strtok_r(tokens, ",; ", &save);
    printf("tokens:");
    while (tok) {
        printf(" [%s]", tok);
        tok = strtok_r(NULL, ",; ", &save);
    }
    printf("\n");
    char *dup = strdup("duplicate me");
    memmove(dup + 2, dup, 5);
    printf("memmove: %s, memchr: %s, memcmp %d\n", dup, (char *)memchr(dup, 'm', 12), memcmp("abc", "abd", 3) < 0);
    free(dup);
    printf("strverscmp file9 < file10: %d\n", strverscmp("file9", "file10") < 0);
    return 0;
}
