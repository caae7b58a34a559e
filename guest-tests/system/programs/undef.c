/*
 * Undefined Instruction exception (ARM ARM A2.6, Undefined Instruction
 * exception): LR_und = undefined
 * instruction + 4 (ARM) or + 2 (Thumb), SPSR_und = CPSR, CPSR = Undefined,
 * ARM, IRQ masked. The handler returns with MOVS PC, LR, skipping the
 * instruction; for UDF it "emulates" it, putting the immediate in r0.
 * Cases: the architecturally undefined 0xe7f...f. space, a coprocessor with no
 * coprocessor behind it (cp7), ARMv6 encodings an ARMv5TE core rejects (REV,
 * LDREX), Thumb's undefined 0xdexx, and UDF from User mode.
 */
#include "runtime.h"
#include "usermode.h"

struct undef_record { uint32_t lr, spsr, insn, cpsr; };
static volatile struct undef_record rec[8];
static volatile int nrec;

void undef_c(uint32_t *frame)
{
    uint32_t spsr = frame[-1], lr = frame[5];
    int thumb = (spsr & 0x20) != 0;
    uint32_t insn = thumb ? *(volatile uint16_t *)(lr - 2) : *(volatile uint32_t *)(lr - 4);
    if (nrec < 8) {
        rec[nrec].lr = lr;
        rec[nrec].spsr = spsr;
        rec[nrec].insn = insn;
        rec[nrec].cpsr = read_cpsr();
        nrec++;
    }
    if (!thumb && (insn & 0xfff000f0) == 0xe7f000f0) /* UDF #imm16 */
        frame[0] = ((insn >> 4) & 0xfff0) | (insn & 0xf);
}

/* The frame mirrors usermode.h's SVC frame: r0-r3, r12, lr, with the SPSR below. */
__asm__(
    "       .syntax unified\n"
    "       .text\n"
    "       .global undef_handler\n"
    "undef_handler:\n"
    "       push    {r0-r3, r12, lr}\n"
    "       mrs     r0, spsr\n"
    "       push    {r0}\n"
    "       add     r0, sp, #4\n"
    "       bl      undef_c\n"
    "       pop     {r0}\n"
    "       msr     spsr_cxsf, r0\n"
    "       pop     {r0-r3, r12, lr}\n"
    "       movs    pc, lr\n"
    "\n"
    "       .thumb\n"
    "       .thumb_func\n"
    "       .global thumb_undef\n"
    "thumb_undef:\n"
    "       movs    r0, #9\n"
    "thumb_undef_insn:\n"
    "       .short  0xde5a\n"
    "       adds    r0, r0, #1\n"
    "       bx      lr\n"
    "       .arm\n");
uint32_t thumb_undef(void);
extern char thumb_undef_insn[];

#define UNDEF_AT(insn_text, r0_in)                                                                       \
    ({                                                                                                   \
        register uint32_t r0_ __asm__("r0") = (r0_in);                                                  \
        uint32_t at_;                                                                                    \
        __asm__ volatile("1: " insn_text "\n\tadr %1, 1b" : "+r"(r0_), "=r"(at_)::"cc", "memory"); \
        undef_at = at_;                                                                                  \
        r0_;                                                                                             \
    })
static uint32_t undef_at;

static void show(int i, uint32_t at, int size, const char *what)
{
    sh_printf("%s: insn %08x, lr - insn = %u, spsr %08x, handler mode %02x\n", what, rec[i].insn, rec[i].lr - at,
              rec[i].spsr & PSR_DEFINED, rec[i].cpsr & 0xff);
    sh_check(what, rec[i].lr == at + size);
}

static uint32_t user_udf(uint32_t x)
{
    register uint32_t r0 __asm__("r0") = x;
    __asm__ volatile(".inst 0xe7f123f4" : "+r"(r0) :: "memory"); /* UDF #0x1234 */
    return r0;
}

int main(void)
{
    uint32_t r;
    __asm__ volatile("msr cpsr_f, #0x90000000"); /* N and V, seen in the SPSRs below */
    r = UNDEF_AT(".inst 0xe7fabcfd", 0);      /* UDF #0xabcd */
    sh_printf("udf result %x\n", r);
    show(0, undef_at, 4, "udf");

    r = UNDEF_AT("mcr p7, 0, r0, c1, c2, 3", 5);
    show(1, undef_at, 4, "mcr p7");

    r = UNDEF_AT(".inst 0xe6bf0f30", 0x11223344); /* REV r0, r0 (ARMv6) */
    sh_printf("rev left r0 %08x\n", r);
    show(2, undef_at, 4, "rev");

    r = UNDEF_AT(".inst 0xe1900f9f", 0x100);       /* LDREX r0, [r0] (ARMv6) */
    show(3, undef_at, 4, "ldrex");

    r = thumb_undef();
    sh_printf("thumb result %u\n", r);
    show(4, (uint32_t)thumb_undef_insn, 2, "thumb 0xde5a");

    r = run_user(user_udf, 0);
    sh_printf("user udf result %x, spsr mode %02x\n", r, rec[5].spsr & 0x3f);
    sh_check("user udf", nrec == 6 && r == 0x1234 && (rec[5].spsr & 0x3f) == 0x10);
    sh_check("handler ran in Undefined mode, ARM, IRQ masked", (rec[0].cpsr & 0xbf) == 0x9b && (rec[4].cpsr & 0xbf) == 0x9b);
    return sh_failures;
}
