/*
 * The LCD seed on a Cortex-A9 board with an outer cache: the CPU draws a 320x240 RGB565
 * picture straight into the framebuffer the PL111 scans out, mapped Normal write-back
 * write-allocate (TEX 001, C, B), as a kernel maps its memory. The LCD reads RAM only, behind
 * the L1 D-cache and the PL310. Cleaning the L1 (v7_flush_dcache_all's set/way loop) only
 * pushes the dirty lines into the PL310; the driver must also clean the PL310 by its own
 * registers (Linux's outer_flush_all / outer_clean_range) before the LCD sees the picture.
 *   lcd_l2.noclean   no cleaning at all: lines dirty in L1 and in L2 show the old frame
 *   lcd_l2.l1        the L1 clean only: the lines the PL310 holds dirty still show it
 *   lcd_l2.l1l2      the L1 clean, then CLEAN_WAY on every PL310 way and CACHE_SYNC: correct
 *   lcd_l2.l1nol2    the PL310 left off: the L1 clean reaches RAM, correct
 * The previous frame (grey with magenta stripes) was put in RAM with the caches off. The
 * program counts the rows that differ from the picture when read through an uncached alias
 * of the framebuffer (what the LCD reads); `--screenshot FILE.png` shows them.
 */
#include "a9seeds.h"

#if !defined(VARIANT_NOCLEAN) && !defined(VARIANT_L1) && !defined(VARIANT_L1L2) && !defined(VARIANT_L1NOL2)
#error "build lcd_l2.noclean, lcd_l2.l1, lcd_l2.l1l2 or lcd_l2.l1nol2"
#endif

#define W 320
#define H 240
#define FB 0x60800000u
#define FB_UNCACHED 0x90800000u

#define CLCD 0x10020000u   /* the daughterboard PL111 */

/* RGB565 with red in the low bits, as the PL111's 5:6:5 format (BPP 110) takes it. */
static uint16_t rgb(unsigned r, unsigned g, unsigned b) { return (uint16_t)((r >> 3) | (g >> 2) << 5 | (b >> 3) << 11); }

static uint16_t old_pixel(int x, int y) { return ((x + y) / 12) % 2 ? rgb(200, 0, 160) : rgb(64, 64, 64); }

static uint16_t new_pixel(int x, int y)
{
    if (x < 3 || y < 3 || x >= W - 3 || y >= H - 3) return rgb(255, 255, 255);
    int dx = x - 250, dy = y - 60;
    if (dx * dx + dy * dy < 30 * 30) return rgb(255, 220, 40);
    if (x >= 60 && x < 140 && y >= 110 && y < 170) {
        if (x >= 90 && x < 110 && y >= 135) return rgb(90, 50, 20);
        return rgb(200, 40, 30);
    }
    if (y >= 70 && y < 110 && x >= 50 + (110 - y) && x < 150 - (110 - y)) return rgb(120, 30, 20);
    if (y < 150) return rgb(40 + y * 110 / 150, 80 + y * 120 / 150, 200 + y * 55 / 150);
    return ((x / 20) + (y / 20)) % 2 ? rgb(40, 160, 60) : rgb(30, 120, 40);
}

static __attribute__((noinline)) unsigned draw(volatile uint16_t *fb)
{
    unsigned changed = 0;
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++) {
            uint16_t c = new_pixel(x, y);
            if (fb[y * W + x] != c) { fb[y * W + x] = c; changed++; }
        }
    return changed;
}

int main(void)
{
    volatile uint16_t *fb = (volatile uint16_t *)FB;
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++) fb[y * W + x] = old_pixel(x, y);

    a9_map_flat();
    L1T[FB_UNCACHED >> 20] = SECT(FB, SO);
#ifdef VARIANT_L1NOL2
    a9_caches_on(0);
#else
    a9_caches_on(1);
#endif
    sh_printf("MMU and L1 caches on, PL310 %s\n", mmio_read(L2C + L2_CTRL) & 1 ? "on" : "off");

    mmio_write(CLCD + 0x00, (W / 16 - 1) << 2);
    mmio_write(CLCD + 0x04, H - 1);
    mmio_write(CLCD + 0x08, 0);
    mmio_write(CLCD + 0x10, FB);
    mmio_write(CLCD + 0x18, 1u | 6u << 1 | 1u << 5 | 1u << 11); /* enabled, 16 bpp 5:6:5, TFT, powered */

    unsigned changed = draw(fb);
    sh_printf("drew %ux%u into the framebuffer, %u pixels changed\n", W, H, changed);
#if defined(VARIANT_NOCLEAN)
    sh_printf("no cache maintenance\n");
#else
    v7_dcache_all_by_set_way(1);
    sh_printf("L1 cleaned and invalidated by set/way\n");
#endif
#ifdef VARIANT_L1L2
    l2_way_operation(L2_CLEAN_WAY);
    sh_printf("PL310 cleaned by way, cache sync\n");
#endif

    volatile uint16_t *lcd = (volatile uint16_t *)FB_UNCACHED;
    unsigned stale_rows = 0;
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++)
            if (lcd[y * W + x] != new_pixel(x, y)) { stale_rows++; break; }
    sh_printf("rows the LCD shows wrong: %u of %u\n", stale_rows, H);
    return 0;
}
