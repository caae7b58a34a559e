/*
 * Echoes what arrives on UART0 (PL011 at 0x101f1000 on versatilepb), for the test of the
 * console on a terminal: raw mode, Ctrl-C reaching the guest, Ctrl-A x ending the run.
 * Built by ConsoleTerminalTests with the bare-metal runtime of ../common.
 */
#include "runtime.h"

#define UART0 0x101f1000u
#define DR 0x000
#define FR 0x018
#define FR_RXFE (1u << 4)
#define FR_TXFF (1u << 5)

static void put(char c)
{
    while (mmio_read(UART0 + FR) & FR_TXFF) { }
    mmio_write(UART0 + DR, (uint8_t)c);
}

int main(void)
{
    /* The console is raw before the guest runs: the test types once it sees this. */
    for (const char *s = "ready> "; *s; s++) put(*s);
    for (;;) {
        while (mmio_read(UART0 + FR) & FR_RXFE) { }
        uint32_t c = mmio_read(UART0 + DR) & 0xff;
        put(c == 3 ? '^' : (char)c); /* Ctrl-C arrives as a byte: shown as ^ */
    }
}
