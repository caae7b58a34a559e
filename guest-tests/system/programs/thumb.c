/*
 * Thumb and interworking on ARMv5T (ARM ARM A4.1 BX, BLX, LDR, LDM; A7
 * for Thumb):
 * ARM to Thumb by BLX (immediate and register), BX, LDR PC and LDM {PC}; Thumb
 * to ARM by BLX (immediate and register), BX PC, and POP {PC}; then Thumb
 * data processing with its flags. Each Thumb snippet runs "op r0, r1" and
 * returns with BX LR; the ARM caller sets the flags before and reads them
 * after (BX changes no flags). The C flag after MULS is not printed: ARMv5
 * leaves it UNPREDICTABLE (ARM ARM A7.1, MUL).
 */
#include "runtime.h"

uint32_t a_blx_imm(uint32_t), a_blx_reg(uint32_t), a_bx(uint32_t), a_ldr_pc(uint32_t), a_ldm_pc(uint32_t);
uint32_t t_blx_imm(uint32_t), t_blx_reg(uint32_t), t_bx_pc(uint32_t);

__asm__(
    "       .syntax unified\n"
    "       .text\n"
    "       .arm\n"
    "arm_callee:\n"                             /* ARM, called from Thumb */
    "       add     r0, r0, #0x100\n"
    "       bx      lr\n"
    "       .thumb\n"
    "       .thumb_func\n"
    "thumb_callee:\n"                           /* Thumb, called from ARM */
    "       adds    r0, r0, #1\n"
    "       bx      lr\n"
    "\n"
    "       .arm\n"
    "       .global a_blx_imm, a_blx_reg, a_bx, a_ldr_pc, a_ldm_pc\n"
    "a_blx_imm:\n"
    "       push    {r4, lr}\n"
    "       blx     thumb_callee\n"
    "       pop     {r4, pc}\n"
    "a_blx_reg:\n"
    "       push    {r4, lr}\n"
    "       ldr     r3, =thumb_callee\n"        /* bit 0 set: a Thumb symbol */
    "       blx     r3\n"
    "       pop     {r4, pc}\n"
    "a_bx:\n"
    "       push    {r4, lr}\n"
    "       ldr     r3, =thumb_callee\n"
    "       mov     lr, pc\n"                   /* = the POP below */
    "       bx      r3\n"
    "       pop     {r4, pc}\n"
    "a_ldr_pc:\n"
    "       push    {r4, lr}\n"
    "       adr     lr, 1f\n"
    "       ldr     pc, =thumb_callee\n"        /* ARMv5T: a load to PC interworks */
    "1:     pop     {r4, pc}\n"
    "a_ldm_pc:\n"
    "       push    {r4, lr}\n"
    "       adr     lr, 1f\n"
    "       ldr     r3, =thumb_callee\n"
    "       push    {r3}\n"
    "       pop     {pc}\n"                     /* LDM {PC} interworks too */
    "1:     pop     {r4, pc}\n"
    "       .ltorg\n"
    "\n"
    "       .thumb\n"
    "       .global t_blx_imm, t_blx_reg, t_bx_pc\n"
    "       .thumb_func\n"
    "t_blx_imm:\n"
    "       push    {r4, lr}\n"
    "       blx     arm_callee\n"
    "       adds    r0, r0, #2\n"
    "       pop     {r4, pc}\n"                 /* back to the ARM caller */
    "       .thumb_func\n"
    "t_blx_reg:\n"
    "       push    {r4, lr}\n"
    "       ldr     r3, =arm_callee\n"
    "       blx     r3\n"
    "       adds    r0, r0, #3\n"
    "       pop     {r4, pc}\n"
    "       .align  2\n"
    "       .ltorg\n"
    "       .align  2\n"
    "       .thumb_func\n"
    "t_bx_pc:\n"
    "       bx      pc\n"                       /* word-aligned: to ARM at . + 4 */
    "       nop\n"
    "       .arm\n"
    "       add     r0, r0, #0x1000\n"
    "       bx      lr\n"
    "\n"
    "       .thumb\n"
    "       .macro  op2 name, text\n"
    "       .global \\name\n"
    "       .thumb_func\n"
    "\\name:\n"
    "       \\text\n"
    "       bx      lr\n"
    "       .endm\n"
    "       op2     t_adds, \"adds r0, r0, r1\"\n"
    "       op2     t_subs, \"subs r0, r0, r1\"\n"
    "       op2     t_adcs, \"adcs r0, r1\"\n"
    "       op2     t_sbcs, \"sbcs r0, r1\"\n"
    "       op2     t_negs, \"negs r0, r1\"\n"
    "       op2     t_muls, \"muls r0, r1\"\n"
    "       op2     t_lsls, \"lsls r0, r1\"\n"
    "       op2     t_lsrs, \"lsrs r0, r1\"\n"
    "       op2     t_asrs, \"asrs r0, r1\"\n"
    "       op2     t_rors, \"rors r0, r1\"\n"
    "       op2     t_cmp, \"cmp r0, r1\"\n"
    "       op2     t_cmn, \"cmn r0, r1\"\n"
    "       op2     t_bics, \"bics r0, r1\"\n"
    "       op2     t_mvns, \"mvns r0, r1\"\n"
    "       op2     t_lsr32, \"lsrs r0, r0, #32\"\n"
    "       op2     t_asr32, \"asrs r0, r0, #32\"\n"
    "       op2     t_lsl0, \"lsls r0, r0, #0\"\n"
    "       .global t_addhi\n"
    "       .thumb_func\n"
    "t_addhi:\n"                                /* high-register ADD: no flags */
    "       mov     r12, r1\n"
    "       add     r0, r12\n"
    "       bx      lr\n"
    "       .arm\n");

enum { ADDS, SUBS, ADCS, SBCS, NEGS, MULS, LSLS, LSRS, ASRS, RORS, CMP, CMN, BICS, MVNS, LSR32, ASR32, LSL0, ADDHI };
extern char t_adds[], t_subs[], t_adcs[], t_sbcs[], t_negs[], t_muls[], t_lsls[], t_lsrs[], t_asrs[], t_rors[], t_cmp[],
    t_cmn[], t_bics[], t_mvns[], t_lsr32[], t_asr32[], t_lsl0[], t_addhi[];
static char *const snippets[] = { t_adds, t_subs, t_adcs, t_sbcs, t_negs, t_muls, t_lsls, t_lsrs, t_asrs,
                                  t_rors, t_cmp, t_cmn, t_bics, t_mvns, t_lsr32, t_asr32, t_lsl0, t_addhi };
static const char *const names[] = { "adds", "subs", "adcs", "sbcs", "negs", "muls", "lsls", "lsrs", "asrs",
                                     "rors", "cmp", "cmn", "bics", "mvns", "lsrs #32", "asrs #32", "lsls #0", "add hi" };

static const struct { uint8_t op; uint32_t a, b, flags; } cases[] = {
    { ADDS, 0x7fffffff, 1, 0 }, { ADDS, 0xffffffff, 1, 0 }, { ADDS, 0x80000000, 0x80000000, 0 },
    { SUBS, 5, 5, 0 }, { SUBS, 0, 1, 0 }, { SUBS, 0x80000000, 1, 0 },
    { ADCS, 0xffffffff, 0, 0x20000000 }, { ADCS, 1, 2, 0x20000000 }, { ADCS, 0x7fffffff, 0, 0x20000000 },
    { SBCS, 10, 3, 0 }, { SBCS, 10, 3, 0x20000000 }, { SBCS, 0, 0, 0 },
    { NEGS, 0, 0, 0 }, { NEGS, 0, 1, 0 }, { NEGS, 0, 0x80000000, 0 },
    { MULS, 0x10000, 0x10000, 0x10000000 }, { MULS, 0xffffffff, 3, 0 },
    { LSLS, 1, 0, 0x20000000 }, { LSLS, 1, 31, 0 }, { LSLS, 3, 32, 0 }, { LSLS, 3, 33, 0 }, { LSLS, 3, 256, 0 },
    { LSRS, 0x80000001, 1, 0 }, { LSRS, 0x80000000, 32, 0 }, { LSRS, 0x80000000, 33, 0x20000000 },
    { ASRS, 0x80000000, 31, 0 }, { ASRS, 0x80000000, 40, 0 }, { ASRS, 0x40000000, 40, 0x20000000 },
    { RORS, 0x12345678, 8, 0 }, { RORS, 0x80000000, 32, 0 }, { RORS, 0x12345678, 0, 0x20000000 }, { RORS, 0x12345678, 36, 0 },
    { CMP, 3, 5, 0 }, { CMP, 0x80000000, 1, 0 }, { CMN, 0xffffffff, 1, 0 },
    { BICS, 0xf0f0f0f0, 0xff00ff00, 0 }, { MVNS, 0, 0x0000ffff, 0 },
    { LSR32, 0x80000000, 0, 0 }, { ASR32, 0x80000000, 0, 0 }, { LSL0, 0x80000000, 0, 0x30000000 },
    { ADDHI, 0xffffffff, 2, 0x50000000 },
};

static uint32_t run(const char *snippet, uint32_t a, uint32_t b, uint32_t flags_in, uint32_t *flags_out)
{
    register uint32_t r0 __asm__("r0") = a;
    register uint32_t r1 __asm__("r1") = b;
    uint32_t out;
    __asm__ volatile("msr cpsr_f, %[f]\n\t"
                     "blx %[fn]\n\t"
                     "mrs %[o], cpsr"
                     : "+r"(r0), "+r"(r1), [o] "=r"(out)
                     : [fn] "r"((uint32_t)snippet | 1), [f] "r"(flags_in)
                     : "r2", "r3", "r12", "lr", "cc", "memory");
    *flags_out = out;
    return r0;
}

static const char *nzcv(char *s, uint32_t psr, int show_c)
{
    s[0] = psr & 0x80000000 ? 'N' : '-';
    s[1] = psr & 0x40000000 ? 'Z' : '-';
    s[2] = !show_c ? '?' : psr & 0x20000000 ? 'C' : '-';
    s[3] = psr & 0x10000000 ? 'V' : '-';
    s[4] = 0;
    return s;
}

int main(void)
{
    uint32_t r;
    sh_printf("arm->thumb blx imm: %x\n", r = a_blx_imm(0x10));
    sh_check("blx imm", r == 0x11);
    sh_printf("arm->thumb blx reg: %x\n", r = a_blx_reg(0x20));
    sh_check("blx reg", r == 0x21);
    sh_printf("arm->thumb bx: %x\n", r = a_bx(0x30));
    sh_check("bx", r == 0x31);
    sh_printf("arm->thumb ldr pc: %x\n", r = a_ldr_pc(0x40));
    sh_check("ldr pc", r == 0x41);
    sh_printf("arm->thumb ldm pc: %x\n", r = a_ldm_pc(0x50));
    sh_check("ldm pc", r == 0x51);
    sh_printf("thumb->arm blx imm, pop pc: %x\n", r = t_blx_imm(0x60));
    sh_check("thumb blx imm", r == 0x162);
    sh_printf("thumb->arm blx reg, pop pc: %x\n", r = t_blx_reg(0x70));
    sh_check("thumb blx reg", r == 0x173);
    sh_printf("thumb bx pc: %x\n", r = t_bx_pc(0x80));
    sh_check("bx pc", r == 0x1080);
    sh_check("back in ARM state", (read_cpsr() & 0x20) == 0);

    for (unsigned i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        uint32_t flags;
        char in[5], out[5];
        uint32_t v = run(snippets[cases[i].op], cases[i].a, cases[i].b, cases[i].flags, &flags);
        sh_printf("%s %08x, %08x [%s] -> %08x [%s]\n", names[cases[i].op], cases[i].a, cases[i].b,
                  nzcv(in, cases[i].flags, 1), v, nzcv(out, flags, cases[i].op != MULS));
    }
    return sh_failures;
}
