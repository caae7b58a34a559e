/*
 * Enabling the floating-point unit on the Cortex-A9 (ARM ARM DDI 0406C B1.11.1, B4.1.40
 * CPACR, B6.1.38 FPEXC): out of reset CPACR.cp10/cp11 are 00, so every VFP instruction --
 * VMRS of FPEXC included -- is UNDEFINED; with CPACR giving access but FPEXC.EN clear, VMRS/
 * VMSR of FPEXC and FPSID work and data-processing instructions are still UNDEFINED; with
 * FPEXC.EN set they execute. The same holds for Advanced SIMD (NEON) instructions, which
 * share the enables (B1.11.1): a VADD.I16 and a VMUL.I32 on Q registers run only with both
 * CPACR access and FPEXC.EN. An undefined-instruction handler counts and skips each one.
 */
#include "runtime.h"

static volatile uint32_t undef_count, undef_address;

void undef_c(uint32_t lr)
{
    undef_count++;
    undef_address = lr - 4;
}

/* LR_und = the undefined ARM instruction + 4: return to the next one. */
__asm__(
    "       .syntax unified\n"
    "       .text\n"
    "       .global undef_handler\n"
    "undef_handler:\n"
    "       push    {r0-r3, r12, lr}\n"
    "       mov     r0, lr\n"
    "       bl      undef_c\n"
    "       pop     {r0-r3, r12, lr}\n"
    "       movs    pc, lr\n");

__asm__(".fpu vfpv3-d16\n");

static void isb(void) { WRITE_CP15(c7, 0, c5, 4, 0); }

static uint32_t read_fpexc(void)
{
    uint32_t v = 0xdeadbeefu;
    __asm__ volatile("vmrs %0, fpexc" : "+r"(v));
    return v;
}

static void write_fpexc(uint32_t v) { __asm__ volatile("vmsr fpexc, %0" ::"r"(v)); }

/* d0 = lo:hi, d1 = d0 + d0, returns d1's high word (0xdeadbeef if the add did not run). */
static uint32_t double_it(uint32_t lo, uint32_t hi)
{
    uint32_t out_lo = 0xdeadbeefu, out_hi = 0xdeadbeefu;
    __asm__ volatile("vmov d0, %2, %3\n"
                     "vadd.f64 d1, d0, d0\n"
                     "vmov %0, %1, d1\n"
                     : "+r"(out_lo), "+r"(out_hi)
                     : "r"(lo), "r"(hi)
                     : "memory");
    return out_hi;
}

/* NEON: q0 = {a, b, a, b}, q1 = q0 * q0 (VMUL.I32), d4 = d0 + d2 (VADD.I16); returns d4's low word
   xor q1's top word (0xdeadbeef if neither ran). */
static uint32_t neon_sum(uint32_t a, uint32_t b)
{
    uint32_t lo = 0xdeadbeefu, top = 0;
    __asm__ volatile(".fpu neon\n"
                     "vmov d0, %2, %3\n"
                     "vmov d1, %2, %3\n"
                     "vmul.i32 q1, q0, q0\n"
                     "vadd.i16 d4, d0, d2\n"
                     "vmov.32 %0, d4[0]\n"
                     "vmov.32 %1, d3[1]\n"
                     : "+r"(lo), "+r"(top)
                     : "r"(a), "r"(b)
                     : "memory");
    return lo ^ top;
}

static void report(const char *what, uint32_t value)
{
    sh_printf("%s: %08x, undefined %u\n", what, value, undef_count);
}

int main(void)
{
    sh_printf("CPACR at reset %08x\n", READ_CP15(c1, 0, c0, 2));
    report("VMRS FPEXC, no CPACR access", read_fpexc());
    report("VADD.F64, no CPACR access", double_it(0, 0x3ff00000u));
    report("VMUL.I32/VADD.I16 (NEON), no CPACR access", neon_sum(0x00030002u, 0x00070005u));

    WRITE_CP15(c1, 0, c0, 2, 0x00f00000u); /* cp10, cp11: full access */
    isb();
    sh_printf("CPACR %08x\n", READ_CP15(c1, 0, c0, 2));
    report("VMRS FPEXC, EN clear", read_fpexc());
    report("VADD.F64, EN clear", double_it(0, 0x3ff00000u));
    report("VMUL.I32/VADD.I16 (NEON), EN clear", neon_sum(0x00030002u, 0x00070005u));

    write_fpexc(1u << 30);
    report("VMRS FPEXC after VMSR EN", read_fpexc());
    report("VADD.F64 1.0 + 1.0 (high word of 2.0)", double_it(0, 0x3ff00000u));
    report("VMUL.I32/VADD.I16 (NEON)", neon_sum(0x00030002u, 0x00070005u));
    uint32_t fpsid, mvfr0, mvfr1;
    __asm__ volatile("vmrs %0, fpsid\n vmrs %1, mvfr0\n vmrs %2, mvfr1" : "=r"(fpsid), "=r"(mvfr0), "=r"(mvfr1));
    sh_printf("FPSID %08x MVFR0 %08x MVFR1 %08x\n", fpsid, mvfr0, mvfr1);

    write_fpexc(0);
    report("VADD.F64 after FPEXC.EN cleared again", double_it(0, 0x3ff00000u));
    report("VMUL.I32/VADD.I16 (NEON) after FPEXC.EN cleared again", neon_sum(0x00030002u, 0x00070005u));
    return undef_count == 10 + 3 * 6 ? 0 : 1;
}
