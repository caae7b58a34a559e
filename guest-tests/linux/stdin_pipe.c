/* Standard input from a pipe: counts lines, words and bytes with read(2) in small chunks, checks that stdin is
   not a terminal, and echoes the longest line. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(void)
{
    printf("stdin is a tty: %d\n", isatty(0));
    char chunk[7];
    long bytes = 0, lines = 0, words = 0, reads = 0;
    int in_word = 0;
    char line[256], longest[256] = "";
    size_t line_len = 0;
    unsigned hash = 0;
    ssize_t n;
    while ((n = read(0, chunk, sizeof chunk)) > 0) {
        reads++;
        for (ssize_t i = 0; i < n; i++) {
            unsigned char c = (unsigned char)chunk[i];
            bytes++;
            hash = hash * 31 + c;
            if (c == '\n') {
                lines++;
                line[line_len] = '\0';
                if (line_len > strlen(longest)) strcpy(longest, line);
                line_len = 0;
            } else if (line_len < sizeof line - 1) {
                line[line_len++] = (char)c;
            }
            if (isspace(c)) in_word = 0;
            else if (!in_word) { in_word = 1; words++; }
        }
    }
    printf("last read returned %zd\n", n);
    printf("lines %ld words %ld bytes %ld hash %08x read calls >= 1: %d\n", lines, words, bytes, hash, reads >= 1);
    printf("longest line: \"%s\"\n", longest);
    printf("read at EOF again: %zd\n", read(0, chunk, 1));
    return 0;
}
