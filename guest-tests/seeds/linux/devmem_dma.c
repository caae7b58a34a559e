/* Seed 002 ("MAP_SHARED vs MAP_PRIVATE and the cache attributes of mmap'd memory"): a buffer filled by
   the CPU is read by another bus master. Here the other master is the Versatile PB's PL080 DMA
   controller, driven from user space through /dev/mem as a user-space driver does: its registers mapped
   uncached at 0x10130000, and a DMA buffer in the 1 MiB of reserved memory at 0x0FF00000 that the
   kernel never gives to processes (armemu's physical map; see LinuxProcess).

   Four ways of mapping the source buffer, then the DMA copies it to a destination that is checked
   through an uncached (O_SYNC) mapping, i.e. as memory really is:
   1. MAP_SHARED, cacheable, no cacheflush: the CPU's stores sit dirty in its write-back D-cache; the
      DMA engine reads RAM and copies the old bytes.
   2. MAP_SHARED on a descriptor opened with O_SYNC: /dev/mem maps RAM uncached (write-combining:
      bufferable), and the uncached register write that starts the DMA drains the write buffer first.
   3. MAP_SHARED, cacheable, cleaned with cacheflush (__builtin___clear_cache) before the DMA starts.
   4. MAP_PRIVATE: the first store gives the process a private copy-on-write copy of the page; the DMA
      engine reads the real page and never sees the data, cache flush or not (this one is not a cache
      effect: it stays with --no-cache).
   The CPU stores by read-modify-write (buf[i] += ...), as code updating a buffer in place does: the
   reads bring the lines into the D-cache, so the stores hit them and stay there. */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define PL080 0x10130000u
#define DMA_MEMORY 0x0FF00000u
#define WORDS 64
#define DST_OFFSET 0x8000u

static volatile uint32_t *regs, *device_view; /* both uncached */

static uint32_t pattern(int variant, int i) { return 0x01010101u * (uint32_t)(variant + 1) + (uint32_t)i; }

/* Channel 0, memory to memory, WORDS words, 32-bit widths, 4-beat bursts, incrementing both addresses. */
static int dma_copy(uint32_t src, uint32_t dst)
{
    volatile uint32_t *ch0 = regs + 0x100 / 4;
    regs[0x030 / 4] = 1;               /* DMACConfiguration: E */
    regs[0x008 / 4] = 1;               /* DMACIntTCClear */
    regs[0x010 / 4] = 1;               /* DMACIntErrClr */
    ch0[0] = src;                      /* DMACC0SrcAddr */
    ch0[1] = dst;                      /* DMACC0DestAddr */
    ch0[2] = 0;                        /* DMACC0LLI: one item */
    ch0[3] = WORDS | 1u << 12 | 1u << 15 | 2u << 18 | 2u << 21 | 1u << 26 | 1u << 27 | 1u << 31;
    ch0[4] = 1u | 1u << 15;            /* DMACC0Configuration: E, ITC, flow control 0 (memory to memory) */
    for (long spins = 0; regs[0x01C / 4] & 1; spins++) /* DMACEnbldChns */
        if (spins > 10000000) return -1;
    return (regs[0x014 / 4] & 1) ? 0 : -2; /* DMACRawIntTCStatus */
}

static void variant(int n, const char *name, int fd, int flags, int clean)
{
    uint32_t src = DMA_MEMORY + 0x1000u * (uint32_t)(n + 1), dst = DMA_MEMORY + DST_OFFSET + 0x100u * (uint32_t)n;
    uint32_t *buf = mmap(NULL, 4096, PROT_READ | PROT_WRITE, flags, fd, src);
    if (buf == MAP_FAILED) { printf("%d. %s: mmap: %s\n", n + 1, name, strerror(errno)); return; }
    for (int i = 0; i < WORDS; i++) buf[i] += pattern(n, i); /* the buffer starts out zero */
    if (clean) __builtin___clear_cache((char *)buf, (char *)(buf + WORDS));
    int cpu_ok = 0, dma_ok = 0;
    for (int i = 0; i < WORDS; i++) cpu_ok += buf[i] == pattern(n, i);
    int status = dma_copy(src, dst);
    for (int i = 0; i < WORDS; i++) dma_ok += device_view[(DST_OFFSET + 0x100u * (uint32_t)n) / 4 + (uint32_t)i] == pattern(n, i);
    printf("%d. %-40s CPU sees %2d/%d words, DMA copied %2d/%d%s: %s\n", n + 1, name, cpu_ok, WORDS, dma_ok, WORDS,
           status == 0 ? "" : status == -1 ? " (DMA never finished)" : " (no terminal count)",
           dma_ok == WORDS ? "correct" : dma_ok == 0 ? "STALE" : "PARTLY STALE");
    munmap(buf, 4096);
}

int main(void)
{
    int fd = open("/dev/mem", O_RDWR);
    if (fd < 0) { printf("open /dev/mem: %s\n", strerror(errno)); return 2; }
    int fd_sync = open("/dev/mem", O_RDWR | O_SYNC);
    regs = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd_sync, PL080);
    device_view = mmap(NULL, 0x10000, PROT_READ | PROT_WRITE, MAP_SHARED, fd_sync, DMA_MEMORY);
    if (regs == MAP_FAILED || device_view == MAP_FAILED) { printf("mmap /dev/mem: %s\n", strerror(errno)); return 3; }
    printf("PL080 at 0x%08x: PeriphID0-3 %02x %02x %02x %02x\n", PL080, (unsigned)regs[0xFE0 / 4], (unsigned)regs[0xFE4 / 4],
           (unsigned)regs[0xFE8 / 4], (unsigned)regs[0xFEC / 4]);
    /* /dev/mem refuses the process's own RAM and holes in the physical map (STRICT_DEVMEM-like). */
    void *refused = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0x00000000);
    printf("mmap of physical 0: %s\n", refused == MAP_FAILED ? strerror(errno) : "mapped");

    variant(0, "MAP_SHARED, cacheable, no cacheflush", fd, MAP_SHARED, 0);
    variant(1, "MAP_SHARED, O_SYNC (uncached)", fd_sync, MAP_SHARED, 0);
    variant(2, "MAP_SHARED, cacheable, cacheflush", fd, MAP_SHARED, 1);
    variant(3, "MAP_PRIVATE, cacheflush", fd, MAP_PRIVATE, 1);
    return 0;
}
