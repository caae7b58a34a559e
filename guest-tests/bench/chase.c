/* Memory kernel: memcpy of blocks of several sizes and alignments, then a
   pointer chase through a shuffled linked list (a load feeding the next
   address). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct node { struct node *next; uint32_t value; };

int main(int argc, char **argv)
{
    unsigned rounds = argc > 1 ? (unsigned)atoi(argv[1]) : 200;
    enum { Bytes = 64 * 1024, Nodes = 16384 };
    uint8_t *src = malloc(Bytes + 64), *dst = malloc(Bytes + 64);
    for (unsigned i = 0; i < Bytes + 64; i++) src[i] = (uint8_t)(i ^ (i >> 8));
    struct node *nodes = malloc(Nodes * sizeof *nodes);
    unsigned *order = malloc(Nodes * sizeof *order);
    uint32_t seed = 7;
    for (unsigned i = 0; i < Nodes; i++) order[i] = i;
    for (unsigned i = Nodes - 1; i > 0; i--)
    {
        unsigned j = (seed = seed * 1103515245u + 12345u) % (i + 1), t = order[i];
        order[i] = order[j];
        order[j] = t;
    }
    for (unsigned i = 0; i < Nodes; i++)
    {
        nodes[order[i]].next = &nodes[order[(i + 1) % Nodes]];
        nodes[order[i]].value = i;
    }
    uint32_t check = 0;
    for (unsigned r = 0; r < rounds; r++)
    {
        unsigned size = 1024u << (r % 6), offset = r % 8;
        memcpy(dst + (r % 4), src + offset, size);
        check += dst[size / 2] + dst[(r % 4) + size - 1];
        struct node *p = &nodes[r % Nodes];
        for (unsigned i = 0; i < Nodes / 4; i++) { check += p->value; p = p->next; }
    }
    printf("%u rounds: check %08x\n", rounds, check);
    return 0;
}
