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
#include "runtime.h"

#if !defined(VARIANT_NOCLEAN) && !defined(VARIANT_L1) && !defined(VARIANT_L1L2) && !defined(VARIANT_L1NOL2)
#error "build lcd_l2.noclean, lcd_l2.l1, lcd_l2.l1l2 or lcd_l2.l1nol2"
#endif

#define W 320
#define H 240
#define FB 0x60800000u
#define FB_UNCACHED 0x90800000u
#define L1T ((volatile uint32_t *)0x60400000u)

#define CLCD 0x10020000u   /* the daughterboard PL111 */
#define L2C 0x1e00a000u    /* the PL310 */
#define L2_CTRL 0x100
#define L2_SYNC 0x730
#define L2_INV_WAY 0x77c
#define L2_CLEAN_WAY 0x7bc

/* Section descriptors: Normal WBWA (TEX 001, C, B), Device, Strongly-ordered (ARM ARM B3.8.2). */
#define SECT(pa, attrs) (((pa) & 0xfff00000u) | 3u << 10 | (attrs) | 2u)
#define WBWA (1u << 12 | 8u | 4u)
#define DEVICE (4u | 1u << 4)
#define SO 0u

static uint32_t clz(uint32_t x) { uint32_t n; __asm__("clz %0, %1" : "=r"(n) : "r"(x)); return n; }
static void dsb(void) { WRITE_CP15(c7, 0, c10, 4, 0); }
static void isb(void) { WRITE_CP15(c7, 0, c5, 4, 0); }

/* Clean and invalidate, or invalidate, the L1 data cache by set/way (CCSIDR with CSSELR 0). */
static void l1_by_set_way(int clean)
{
    WRITE_CP15(c0, 2, c0, 0, 0);
    isb();
    uint32_t ccsidr = READ_CP15(c0, 1, c0, 0);
    uint32_t line_shift = (ccsidr & 7) + 4, ways = ((ccsidr >> 3) & 0x3ff) + 1, sets = ((ccsidr >> 13) & 0x7fff) + 1;
    uint32_t way_shift = clz(ways - 1);
    for (uint32_t way = 0; way < ways; way++)
        for (uint32_t set = 0; set < sets; set++) {
            uint32_t operand = way << way_shift | set << line_shift;
            if (clean) WRITE_CP15(c7, 0, c14, 2, operand);   /* DCCISW */
            else WRITE_CP15(c7, 0, c6, 2, operand);          /* DCISW */
        }
    dsb();
}

static __attribute__((unused)) void l2_way_operation(uint32_t reg)
{
    mmio_write(L2C + reg, 0xff);                             /* all eight ways */
    while (mmio_read(L2C + reg) & 0xff) { }
    mmio_write(L2C + L2_SYNC, 0);
    while (mmio_read(L2C + L2_SYNC) & 1) { }
}

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

    for (int i = 0; i < 4096; i++) L1T[i] = 0;
    for (uint32_t mb = 0x600; mb < 0x680; mb++) L1T[mb] = SECT(mb << 20, WBWA);
    L1T[0x100] = SECT(0x10000000u, DEVICE);
    L1T[0x1e0] = SECT(0x1e000000u, DEVICE);
    L1T[FB_UNCACHED >> 20] = SECT(FB, SO);
    WRITE_CP15(c3, 0, c0, 0, 0x55555555u);
    WRITE_CP15(c2, 0, c0, 2, 0);
    WRITE_CP15(c2, 0, c0, 0, (uint32_t)L1T);
    WRITE_CP15(c8, 0, c7, 0, 0);
    l1_by_set_way(0);                                        /* invalidate L1 before turning it on */
    WRITE_CP15(c7, 0, c5, 0, 0);
    dsb();
#ifndef VARIANT_L1NOL2
    l2_way_operation(L2_INV_WAY);                            /* invalidate the PL310, then enable it */
    mmio_write(L2C + L2_CTRL, 1);
#endif
    WRITE_CP15(c1, 0, c0, 0, READ_CP15(c1, 0, c0, 0) | 1u | 1u << 2 | 1u << 12);
    isb();
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
    l1_by_set_way(1);
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
