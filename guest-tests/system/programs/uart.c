/*
 * PL011 UART0 at 0x101f1000 (PL011 TRM, register descriptions;
 * Versatile PB user guide, UART interface),
 * driven directly: wait while UARTFR.TXFF (transmit FIFO full) is set, then
 * write UARTDR. Its output and the semihosting console share stdout, in
 * program order. Also the identification registers (part 0x011, designer
 * 0x41; the revision field is not printed) and the flags once idle: TXFE
 * and RXFE set (stdin is empty), BUSY clear.
 */
#include "runtime.h"

#define UART0 0x101f1000u
#define DR 0x000
#define FR 0x018
#define IBRD 0x024
#define FBRD 0x028
#define LCR_H 0x02c
#define CR 0x030
#define FR_BUSY (1u << 3)
#define FR_RXFE (1u << 4)
#define FR_TXFF (1u << 5)
#define FR_RXFF (1u << 6)
#define FR_TXFE (1u << 7)

static void uart_putc(char c)
{
    while (mmio_read(UART0 + FR) & FR_TXFF) { }
    mmio_write(UART0 + DR, (uint8_t)c);
}

static void uart_puts(const char *s)
{
    while (*s) uart_putc(*s++);
}

int main(void)
{
    uint32_t id[8];
    for (int i = 0; i < 8; i++) id[i] = mmio_read(UART0 + 0xfe0 + 4 * i) & 0xff;
    sh_printf("pl011: part %03x, designer %02x, pcellid %02x%02x%02x%02x\n", id[0] | (id[1] & 0xf) << 8,
              (id[1] >> 4) | (id[2] & 0xf) << 4, id[7], id[6], id[5], id[4]);

    /* 8 data bits, FIFOs on, 38400 baud from the 24 MHz UARTCLK; then enable with TX and RX. */
    mmio_write(UART0 + CR, 0);
    mmio_write(UART0 + IBRD, 39);
    mmio_write(UART0 + FBRD, 4);
    mmio_write(UART0 + LCR_H, (3u << 5) | (1u << 4));
    mmio_write(UART0 + CR, (1u << 9) | (1u << 8) | 1u);
    sh_printf("cr %03x, lcr_h %02x, ibrd %u, fbrd %u\n", mmio_read(UART0 + CR), mmio_read(UART0 + LCR_H),
              mmio_read(UART0 + IBRD), mmio_read(UART0 + FBRD));

    sh_puts("semihosting: before\n");
    uart_puts("uart0: hello from the PL011\n");
    for (char c = 'a'; c <= 'z'; c++) uart_putc(c);
    uart_putc('\n');
    sh_puts("semihosting: between\n");
    uart_puts("uart0: the second line\n");

    while (mmio_read(UART0 + FR) & FR_BUSY) { }
    uint32_t fr = mmio_read(UART0 + FR) & (FR_BUSY | FR_RXFE | FR_TXFF | FR_RXFF | FR_TXFE);
    sh_printf("semihosting: idle flags %02x\n", fr);
    sh_check("idle: TXFE and RXFE only", fr == (FR_TXFE | FR_RXFE));
    return sh_failures;
}
