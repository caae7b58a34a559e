/*
 * PL080 DMA controller at 0x10130000 (PL080 TRM, register descriptions;
 * Versatile PB user guide, DMA), memory to memory under DMAC flow control: a 32-bit copy on
 * channel 0, an 8-bit copy between odd addresses on channel 1, and a two-item
 * linked list on channel 2 (the first item in the channel registers, the
 * second in memory: source, destination, next, control). Completion is
 * polled on DMACEnbldChns; DMACIntTCStatus shows the terminal count (the
 * channel's ITC mask bit set) and drives VIC line 17 until DMACIntTCClear.
 * Both items of the list request the TC interrupt: QEMU 7.2 looks at the
 * control word of the item it has just loaded, not the finished one.
 */
#include "runtime.h"

#define DMAC 0x10130000u
#define INTSTATUS 0x000
#define INTTCSTATUS 0x004
#define INTTCCLEAR 0x008
#define INTERRORSTATUS 0x00c
#define RAWINTTCSTATUS 0x014
#define ENBLDCHNS 0x01c
#define CONFIGURATION 0x030
#define SYNC 0x034
#define CH(n) (0x100 + 0x20 * (n))
#define SRC 0x00
#define DST 0x04
#define LLI 0x08
#define CONTROL 0x0c
#define CONFIG 0x10
#define VIC_RAWINTR 0x10140008u /* the DMAC interrupt is VIC line 17 */

/* Control: TransferSize [11:0], SWidth [20:18], DWidth [23:21], SI 26, DI 27, I 31. */
#define CTRL(count, width) ((count) | (width) << 18 | (width) << 21 | 1u << 26 | 1u << 27 | 1u << 31)
#define W8 0u
#define W32 2u
/* Channel configuration: E 0, flow control [13:11] = 000 (memory to memory), ITC 15. */
#define CHCFG_GO (1u | 1u << 15)

static uint32_t src32[32], dst32[34];
static uint8_t src8[20], dst8[20];
static uint32_t list_a[8], list_b[5], out_a[10], out_b[7];
static uint32_t lli_item[4] __attribute__((aligned(16)));

static void wait_idle(unsigned channel)
{
    for (int spin = 0; spin < 1000000 && (mmio_read(DMAC + ENBLDCHNS) & (1u << channel)); spin++) { }
}

static void report(const char *what, unsigned channel, int data_ok)
{
    /* QEMU 7.2 recomputes its interrupt output only on writes to the global registers, not the
       channel ones, so a rewrite of DMACSync comes first: the PL080 drives the line at once. */
    mmio_write(DMAC + SYNC, mmio_read(DMAC + SYNC));
    sh_printf("%s: enbldchns %02x, inttcstatus %02x, rawinttc %02x, interror %02x, vic line 17 %u, data %s\n", what,
              mmio_read(DMAC + ENBLDCHNS), mmio_read(DMAC + INTTCSTATUS), mmio_read(DMAC + RAWINTTCSTATUS),
              mmio_read(DMAC + INTERRORSTATUS), (mmio_read(VIC_RAWINTR) >> 17) & 1, data_ok ? "ok" : "WRONG");
    sh_check(what, data_ok && mmio_read(DMAC + INTTCSTATUS) == (1u << channel));
    mmio_write(DMAC + INTTCCLEAR, 1u << channel);
    sh_printf("after inttcclear: inttcstatus %02x, intstatus %02x, vic line 17 %u\n", mmio_read(DMAC + INTTCSTATUS),
              mmio_read(DMAC + INTSTATUS), (mmio_read(VIC_RAWINTR) >> 17) & 1);
}

int main(void)
{
    uint32_t id0 = mmio_read(DMAC + 0xfe0), id1 = mmio_read(DMAC + 0xfe4), id2 = mmio_read(DMAC + 0xfe8);
    sh_printf("pl080: part %03x, designer %02x\n", (id0 & 0xff) | (id1 & 0xf) << 8, (id1 >> 4) | (id2 & 0xf) << 4);
    mmio_write(DMAC + CONFIGURATION, 1); /* DMAC enable, little-endian masters */
    sh_printf("configuration %x, enbldchns %02x\n", mmio_read(DMAC + CONFIGURATION), mmio_read(DMAC + ENBLDCHNS));

    /* 32 words, 32-bit; the words around the destination stay. */
    for (int i = 0; i < 32; i++) src32[i] = 0x10000 * (uint32_t)i + 0x1234;
    for (int i = 0; i < 34; i++) dst32[i] = 0xeeeeeeee;
    mmio_write(DMAC + CH(0) + SRC, (uint32_t)src32);
    mmio_write(DMAC + CH(0) + DST, (uint32_t)(dst32 + 1));
    mmio_write(DMAC + CH(0) + LLI, 0);
    mmio_write(DMAC + CH(0) + CONTROL, CTRL(32, W32));
    mmio_write(DMAC + CH(0) + CONFIG, CHCFG_GO);
    wait_idle(0);
    int ok = dst32[0] == 0xeeeeeeee && dst32[33] == 0xeeeeeeee;
    for (int i = 0; i < 32; i++) ok &= dst32[i + 1] == src32[i];
    report("32-bit copy, channel 0", 0, ok);

    /* 13 bytes, 8-bit, from and to odd addresses. */
    for (int i = 0; i < 20; i++) { src8[i] = (uint8_t)(0xa0 + i); dst8[i] = 0x55; }
    mmio_write(DMAC + CH(1) + SRC, (uint32_t)(src8 + 1));
    mmio_write(DMAC + CH(1) + DST, (uint32_t)(dst8 + 3));
    mmio_write(DMAC + CH(1) + LLI, 0);
    mmio_write(DMAC + CH(1) + CONTROL, CTRL(13, W8));
    mmio_write(DMAC + CH(1) + CONFIG, CHCFG_GO);
    wait_idle(1);
    ok = 1;
    for (int i = 0; i < 20; i++) ok &= dst8[i] == (i >= 3 && i < 16 ? (uint8_t)(0xa0 + i - 2) : 0x55);
    sh_printf("bytes:");
    for (int i = 0; i < 20; i++) sh_printf(" %02x", dst8[i]);
    sh_printf("\n");
    report("8-bit copy, channel 1", 1, ok);

    /* Linked list: 8 words from list_a, then 5 words from list_b. */
    for (int i = 0; i < 8; i++) list_a[i] = 0xaaaa0000u + (uint32_t)i;
    for (int i = 0; i < 5; i++) list_b[i] = 0xbbbb0000u + (uint32_t)i;
    for (int i = 0; i < 10; i++) out_a[i] = 0;
    for (int i = 0; i < 7; i++) out_b[i] = 0;
    lli_item[0] = (uint32_t)list_b;
    lli_item[1] = (uint32_t)(out_b + 1);
    lli_item[2] = 0;
    lli_item[3] = CTRL(5, W32);
    mmio_write(DMAC + CH(2) + SRC, (uint32_t)list_a);
    mmio_write(DMAC + CH(2) + DST, (uint32_t)(out_a + 1));
    mmio_write(DMAC + CH(2) + LLI, (uint32_t)lli_item);
    mmio_write(DMAC + CH(2) + CONTROL, CTRL(8, W32));
    mmio_write(DMAC + CH(2) + CONFIG, CHCFG_GO);
    wait_idle(2);
    ok = out_a[0] == 0 && out_a[9] == 0 && out_b[0] == 0 && out_b[6] == 0;
    for (int i = 0; i < 8; i++) ok &= out_a[i + 1] == list_a[i];
    for (int i = 0; i < 5; i++) ok &= out_b[i + 1] == list_b[i];
    sh_printf("list: out_a[8] %08x, out_b[5] %08x, channel 2 lli now %08x\n", out_a[8], out_b[5],
              mmio_read(DMAC + CH(2) + LLI));
    report("linked list, channel 2", 2, ok);

    mmio_write(DMAC + CONFIGURATION, 0);
    return sh_failures;
}
