/*
 * Boot-protocol probe: prints over the UARTs what the boot code handed over -- r0, r1, r2 and
 * the CPSR at entry, the first words of RAM (QEMU's boot stub for a kernel image), the ATAG
 * list or the device tree r2 points at, and semihosting's command line -- then writes one
 * line to UART1 and UART2 and exits through semihosting. Built as a raw image and as an ELF
 * for each board (build.sh); run on qemu-system-arm and armemu system with the same options.
 */
typedef unsigned int u32;
typedef unsigned char u8;

static volatile u32 *uart(int n) { return (volatile u32 *)(UART0_BASE + n * 0x1000); }

static void putc_on(int n, char c)
{
    while (uart(n)[0x18 / 4] & (1u << 5)) { }
    uart(n)[0] = (u32)c;
}

static void puts_on(int n, const char *s) { while (*s) putc_on(n, *s++); }
static void put(const char *s) { puts_on(0, s); }

static void hex(u32 v)
{
    static const char digits[] = "0123456789abcdef";
    for (int i = 28; i >= 0; i -= 4) putc_on(0, digits[(v >> i) & 15]);
}

static u32 semihost(u32 op, const void *arg)
{
    register u32 r0 __asm__("r0") = op;
    register const void *r1 __asm__("r1") = arg;
    __asm__ volatile("svc 0x123456" : "+r"(r0) : "r"(r1) : "memory");
    return r0;
}

static u32 be32(const u8 *p) { return (u32)p[0] << 24 | (u32)p[1] << 16 | (u32)p[2] << 8 | p[3]; }

static void indent(int depth) { for (int i = 0; i < depth; i++) put("  "); }

static void value(const u8 *v, u32 len)
{
    int printable = len > 0 && v[len - 1] == 0;
    for (u32 i = 0; i < len && printable; i++)
        if (v[i] != 0 && (v[i] < 0x20 || v[i] > 0x7e)) printable = 0;
    if (printable) {
        put("\"");
        for (u32 i = 0; i + 1 < len; i++) putc_on(0, v[i] ? (char)v[i] : '|');
        put("\"");
    } else {
        put("<");
        for (u32 i = 0; i + 4 <= len; i += 4) { if (i) put(" "); hex(be32(v + i)); }
        put(">");
    }
}

static void dump_fdt(const u8 *fdt)
{
    const u8 *structure = fdt + be32(fdt + 8), *strings = fdt + be32(fdt + 12);
    /* The header's layout (QEMU edits with libfdt, in place), then the tree as a guest walks it. */
    put("fdt size "); hex(be32(fdt + 4)); put(" structure "); hex(be32(fdt + 8)); put("+"); hex(be32(fdt + 36));
    put(" strings "); hex(be32(fdt + 12)); put("+"); hex(be32(fdt + 32)); put("\n");
    put("fdt version "); hex(be32(fdt + 20)); put(" last compatible "); hex(be32(fdt + 24)); put("\n");
    int depth = 0;
    for (u32 pos = 0, steps = 0; steps < 10000; steps++) {
        u32 tag = be32(structure + pos);
        pos += 4;
        if (tag == 1) {
            const char *name = (const char *)structure + pos;
            indent(depth); put(*name ? name : "/"); put(" {\n");
            u32 n = 0; while (name[n]) n++;
            pos = (pos + n + 1 + 3) & ~3u;
            depth++;
        } else if (tag == 2) {
            depth--; indent(depth); put("}\n");
        } else if (tag == 3) {
            u32 len = be32(structure + pos), off = be32(structure + pos + 4);
            indent(depth); put((const char *)strings + off); put(" = "); value(structure + pos + 8, len); put("\n");
            pos = (pos + 8 + len + 3) & ~3u;
        } else if (tag == 4) {
        } else {
            if (tag != 9) { put("bad tag "); hex(tag); put("\n"); }
            break;
        }
    }
}

static void dump_atags(const u32 *p)
{
    for (int n = 0; n < 32; n++) {
        u32 size = p[0], tag = p[1];
        put("atag "); hex(tag); put(" size "); hex(size);
        if (size == 0) { put("\n"); return; }
        if (tag == 0x54410009) { put(" \""); put((const char *)(p + 2)); put("\""); }
        else for (u32 i = 2; i < size && i < 8; i++) { put(" "); hex(p[i]); }
        put("\n");
        p += size;
    }
}

void main(u32 r0, u32 r1, u32 r2)
{
    /* Mode, T, F and I only: the flags are UNKNOWN out of reset (QEMU's read as Z set) and QEMU
     * shows the A bit on an ARMv5 core, which has none. */
    u32 cpsr;
    __asm__ volatile("mrs %0, cpsr" : "=r"(cpsr));
    put("r0="); hex(r0); put(" r1="); hex(r1); put(" r2="); hex(r2); put(" cpsr[7:0]="); hex(cpsr & 0xff); put("\n");
    put("ram:");
    for (int i = 0; i < 8; i++) { put(" "); hex(((volatile u32 *)RAM_BASE)[i]); }
    put("\n");
    if (r2 != 0 && be32((const u8 *)r2) == 0xd00dfeed) dump_fdt((const u8 *)r2);
    else if (r2 != 0 && ((const u32 *)r2)[1] == 0x54410001) dump_atags((const u32 *)r2);
    else put("no boot parameters\n");

    static char buf[256];
    struct { char *buf; u32 len; } block = { buf, sizeof buf };
    u32 rc = semihost(0x15, &block);
    put("cmdline rc="); hex(rc); put(" \""); if (rc == 0) put(buf); put("\"\n");

    puts_on(1, "uart1 says hello\n");
    puts_on(2, "uart2 says hello\n");
    put("bye\n");
    semihost(0x18, (const void *)0x20026); /* SYS_EXIT, ADP_Stopped_ApplicationExit: status 0 */
}
