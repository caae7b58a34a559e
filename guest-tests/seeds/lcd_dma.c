/*
 * Seed 001: "if we need DMA to move RAM to the LCD framebuffer, flush_cache_all
 * must write the cache's latest contents to RAM first; otherwise the LCD may
 * show garbage" (花屏). The MMU maps the back buffer and the framebuffer
 * cacheable write-back (C=1 B=1 sections), as Linux maps kernel memory. The CPU
 * draws a 320x240 RGB565 picture into the back buffer; the PL080 copies it to
 * the framebuffer the PL110 scans out.
 *   lcd_dma.flush   (-DVARIANT_FLUSH): arm926_flush_kern_cache_all, the
 *                   test-clean-invalidate loop, I-cache invalidate and write
 *                   buffer drain, runs before the DMA starts: the LCD shows
 *                   the picture.
 *   lcd_dma.noflush (-DVARIANT_NOFLUSH): no flush: the DMA, which reads RAM
 *                   only, copies whatever the D-cache still holds dirty as the
 *                   old RAM contents -- lines of the previous frame.
 * The drawing compares each pixel with what the buffer holds and writes only
 * the changed ones (as a damage-tracking renderer does): the reads allocate
 * lines (the ARM926 allocates on read misses only), the writes dirty them. The
 * previous frame (grey with magenta stripes) was put in RAM with the caches off.
 * The DMA descriptors live in an uncached section (dma_alloc_coherent's kind of
 * memory). After the copy the program compares the framebuffer, read through
 * an uncached alias (what the LCD sees), with the picture and prints how many
 * rows differ; `armemu system --screenshot FILE.png` shows it.
 */
#include "seeds.h"

#if !defined(VARIANT_FLUSH) && !defined(VARIANT_NOFLUSH)
#error "build lcd_dma.flush or lcd_dma.noflush (build.sh defines VARIANT_FLUSH or VARIANT_NOFLUSH)"
#endif

#define W 320
#define H 240
#define BACK 0x00200000u      /* back buffer, write-back */
#define FB 0x00300000u        /* framebuffer (LCDUPBASE), write-back */
#define FB_UNCACHED 0x80300000u /* the framebuffer again, C=0 B=0 */
#define COHERENT 0x00400000u  /* DMA descriptors, C=0 B=0 */

/* PL110 at 0x10120000, Versatile register layout (LCDControl at 0x18). */
#define CLCD 0x10120000u
#define LCD_TIMING0 0x000
#define LCD_TIMING1 0x004
#define LCD_TIMING2 0x008
#define LCD_UPBASE 0x010
#define LCD_CONTROL 0x018
#define LCD_EN (1u << 0)
#define LCD_BPP16 (4u << 1)
#define LCD_TFT (1u << 5)
#define LCD_PWR (1u << 11)

/* PL080 at 0x10130000 (see guest-tests/system/programs/dma.c). */
#define DMAC 0x10130000u
#define DMAC_ENBLDCHNS 0x01c
#define DMAC_INTTCCLEAR 0x008
#define DMAC_CONFIGURATION 0x030
#define CH0 0x100
#define CH_SRC 0x00
#define CH_DST 0x04
#define CH_LLI 0x08
#define CH_CONTROL 0x0c
#define CH_CONFIG 0x10
#define CTRL32(words) ((words) | 2u << 18 | 2u << 21 | 1u << 26 | 1u << 27 | 1u << 31)

#define ITEMS 10
#define ITEM_BYTES (W * H * 2 / ITEMS) /* 15360 bytes, 3840 words: under the 4095-transfer limit */

struct lli { uint32_t src, dst, next, control; };

/* RGB565 as the Versatile's CLCD multiplexer takes it by default: red in bits 4:0, blue in 15:11. */
static uint16_t rgb(unsigned r, unsigned g, unsigned b) { return (uint16_t)((r >> 3) | (g >> 2) << 5 | (b >> 3) << 11); }

static uint16_t old_pixel(int x, int y) { return ((x + y) / 12) % 2 ? rgb(200, 0, 160) : rgb(64, 64, 64); }

static uint16_t new_pixel(int x, int y)
{
    if (x < 3 || y < 3 || x >= W - 3 || y >= H - 3) return rgb(255, 255, 255);
    int dx = x - 250, dy = y - 60;
    if (dx * dx + dy * dy < 30 * 30) return rgb(255, 220, 40);                       /* sun */
    if (x >= 60 && x < 140 && y >= 110 && y < 170) {                                  /* house */
        if (x >= 90 && x < 110 && y >= 135) return rgb(90, 50, 20);                   /* door */
        return rgb(200, 40, 30);
    }
    if (y >= 70 && y < 110 && x >= 50 + (110 - y) && x < 150 - (110 - y)) return rgb(120, 30, 20); /* roof */
    if (y < 150) return rgb(40 + y * 110 / 150, 80 + y * 120 / 150, 200 + y * 55 / 150); /* sky */
    return ((x / 20) + (y / 20)) % 2 ? rgb(40, 160, 60) : rgb(30, 120, 40);           /* ground */
}

/* The drawing, kept out of line so that the D-cache lines it dirties can be traced back to it:
   `armemu system --check-coherence` names, for each dirty line the DMA reads, the PC of the last
   store into it, and the symbol table places that PC here. */
static __attribute__((noinline)) unsigned draw(volatile uint16_t *back)
{
    unsigned changed = 0;
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++) {
            uint16_t c = new_pixel(x, y);
            if (back[y * W + x] != c) { back[y * W + x] = c; changed++; }
        }
    return changed;
}

int main(void)
{
    volatile uint16_t *back = (volatile uint16_t *)BACK;
    volatile uint16_t *fb = (volatile uint16_t *)FB_UNCACHED;

    /* Caches off: the previous frame goes straight to RAM; the framebuffer starts black. */
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++) {
            back[y * W + x] = old_pixel(x, y);
            ((volatile uint16_t *)FB)[y * W + x] = 0;
        }

    seeds_flat_map();
    mmu_l1[FB_UNCACHED >> 20] = L1_SECTION(FB, AP_FULL, 0) | SECT_NCNB;
    mmu_l1[COHERENT >> 20] = L1_SECTION(COHERENT, AP_FULL, 0) | SECT_NCNB;
    caches_on();

    mmio_write(CLCD + LCD_TIMING0, (W / 16 - 1) << 2);
    mmio_write(CLCD + LCD_TIMING1, H - 1);
    mmio_write(CLCD + LCD_TIMING2, 0);
    mmio_write(CLCD + LCD_UPBASE, FB);
    mmio_write(CLCD + LCD_CONTROL, LCD_EN | LCD_BPP16 | LCD_TFT | LCD_PWR);

    unsigned changed = draw(back);
    sh_printf("drew %ux%u, %u pixels changed from the previous frame\n", W, H, changed);

#ifdef VARIANT_FLUSH
    arm926_flush_kern_cache_all();
    sh_printf("arm926_flush_kern_cache_all before the DMA\n");
#else
    sh_printf("no cache flush before the DMA\n");
#endif

    struct lli *list = (struct lli *)COHERENT;
    for (int i = 0; i < ITEMS; i++) {
        list[i].src = BACK + i * ITEM_BYTES;
        list[i].dst = FB + i * ITEM_BYTES;
        list[i].next = i + 1 < ITEMS ? (uint32_t)&list[i + 1] : 0;
        list[i].control = CTRL32(ITEM_BYTES / 4);
    }
    mmio_write(DMAC + DMAC_CONFIGURATION, 1);
    mmio_write(DMAC + CH0 + CH_SRC, list[0].src);
    mmio_write(DMAC + CH0 + CH_DST, list[0].dst);
    mmio_write(DMAC + CH0 + CH_LLI, list[0].next);
    mmio_write(DMAC + CH0 + CH_CONTROL, list[0].control);
    mmio_write(DMAC + CH0 + CH_CONFIG, 1u | 1u << 15); /* enable, memory to memory, TC interrupt */
    int spins = 0;
    while ((mmio_read(DMAC + DMAC_ENBLDCHNS) & 1) && spins < 10000000) spins++;
    mmio_write(DMAC + DMAC_INTTCCLEAR, 1);
    sh_printf("dma: %u bytes in %u linked items, channel 0 %s\n", W * H * 2, ITEMS,
              (mmio_read(DMAC + DMAC_ENBLDCHNS) & 1) ? "STILL BUSY" : "done");

    /* What the LCD scans out (RAM, through the uncached alias) against the picture. */
    int wrong_rows = 0, old_rows = 0, first_wrong = -1;
    for (int y = 0; y < H; y++) {
        int wrong = 0, old = 0;
        for (int x = 0; x < W; x++) {
            uint16_t shown = fb[y * W + x], c = new_pixel(x, y);
            if (shown != c) { wrong = 1; if (shown == old_pixel(x, y)) old = 1; }
        }
        if (wrong && first_wrong < 0) first_wrong = y;
        wrong_rows += wrong;
        old_rows += old;
    }
    if (wrong_rows == 0)
        sh_printf("lcd: all %u rows show the picture\n", H);
    else
        sh_printf("lcd: %d of %u rows differ from the picture (first: row %d), %d of them show the previous frame\n",
                  wrong_rows, H, first_wrong, old_rows);
    return 0;
}
