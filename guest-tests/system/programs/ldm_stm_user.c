/*
 * User-bank transfers from privileged modes (ARM ARM A4.1, "LDM (2)" and
 * "STM (2)") and the exception return LDM (A4.1, "LDM (3)").
 * STM ^ stores User r8-r14 even in FIQ mode, whose own r8-r14 are banked;
 * LDM ^ without PC loads them and leaves the current mode's bank alone; LDM ^
 * with PC copies SPSR to CPSR, entering User mode in ARM or Thumb state with
 * the SPSR's flags. A NOP follows each LDM ^ (ARM ARM: the next instruction
 * must not access a banked register).
 */
#include "runtime.h"
#include "usermode.h"

static uint32_t out_svc[14], out_fiq[21];
static const uint32_t in[7] = { 0x1a000008, 0x1a000009, 0x1a00000a, 0x1a00000b, 0x1a00000c, 0x1a00000d, 0x1a00000e };

void user_bank_test(uint32_t *out_svc, uint32_t *out_fiq, const uint32_t *in);
uint32_t ldm_to_user(uint32_t spsr, uint32_t pc);
extern char user_arm[], user_thumb[];
__asm__(
    "       .syntax unified\n"
    "       .text\n"
    "       .global user_bank_test\n"
    "user_bank_test:\n"
    "       push    {r4-r11, lr}\n"
    "       msr     cpsr_c, #0xdf\n"          /* System: set the User bank */
    "       mov     r4, sp\n"
    "       mov     r5, lr\n"
    "       ldr     r8, =0x55000008\n"
    "       ldr     r9, =0x55000009\n"
    "       ldr     r10, =0x5500000a\n"
    "       ldr     r11, =0x5500000b\n"
    "       ldr     r12, =0x5500000c\n"
    "       ldr     r13, =0x5500000d\n"
    "       ldr     r14, =0x5500000e\n"
    "       msr     cpsr_c, #0xd1\n"          /* FIQ: its own r8-r14 */
    "       mov     r6, sp\n"
    "       mov     r7, lr\n"
    "       ldr     r8, =0xf1000008\n"
    "       ldr     r9, =0xf1000009\n"
    "       ldr     r10, =0xf100000a\n"
    "       ldr     r11, =0xf100000b\n"
    "       ldr     r12, =0xf100000c\n"
    "       ldr     r13, =0xf100000d\n"
    "       ldr     r14, =0xf100000e\n"
    "       stmia   r1, {r8-r14}^\n"          /* User's */
    "       add     r1, r1, #28\n"
    "       stmia   r1, {r8-r14}\n"           /* FIQ's */
    "       add     r1, r1, #28\n"
    "       ldmia   r2, {r8-r14}^\n"          /* into User's */
    "       nop\n"
    "       stmia   r1, {r8-r14}\n"           /* FIQ's, untouched */
    "       mov     sp, r6\n"
    "       mov     lr, r7\n"
    "       msr     cpsr_c, #0xd3\n"          /* Supervisor */
    "       stmia   r0, {r8-r14}^\n"          /* User's as loaded */
    "       add     r0, r0, #28\n"
    "       msr     cpsr_c, #0xdf\n"          /* and as System sees them */
    "       stmia   r0, {r8-r14}\n"
    "       mov     sp, r4\n"
    "       mov     lr, r5\n"
    "       msr     cpsr_c, #0xd3\n"
    "       pop     {r4-r11, pc}\n"
    "       .ltorg\n"
    "\n"
    /* Same kernel frame as usermode.h's run_user, so SVC #0 returns here. */
    "       .global ldm_to_user\n"
    "ldm_to_user:\n"
    "       push    {r4-r11, lr}\n"
    "       mrs     r2, cpsr\n"
    "       push    {r2}\n"
    "       ldr     r2, =user_kernel_sp\n"
    "       str     sp, [r2]\n"
    "       msr     spsr_cxsf, r0\n"
    "       mov     r0, #0\n"
    "       push    {r0, r1}\n"
    "       ldmfd   sp!, {r0, pc}^\n"
    "       .ltorg\n"
    "\n"
    "       .global user_arm\n"
    "user_arm:\n"
    "       mrs     r0, cpsr\n"
    "       svc     #0\n"
    "       .thumb\n"
    "       .global user_thumb\n"
    "user_thumb:\n"
    "       movs    r0, #0x42\n"
    "       svc     #0\n"
    "       .arm\n");

static void print7(const char *what, const uint32_t *v)
{
    sh_printf("%s:", what);
    for (int i = 0; i < 7; i++) sh_printf(" %08x", v[i]);
    sh_printf("\n");
}

static int same7(const uint32_t *v, uint32_t base)
{
    for (int i = 0; i < 7; i++)
        if (v[i] != base + 8 + i) return 0;
    return 1;
}

int main(void)
{
    user_bank_test(out_svc, out_fiq, in);
    print7("fiq stm^ (user r8-r14)", out_fiq);
    print7("fiq stm (fiq r8-r14)", out_fiq + 7);
    print7("fiq stm after ldm^", out_fiq + 14);
    print7("svc stm^ after ldm^", out_svc);
    print7("system view", out_svc + 7);
    sh_check("stm^ in FIQ mode stores the User bank", same7(out_fiq, 0x55000000));
    sh_check("FIQ bank is separate", same7(out_fiq + 7, 0xf1000000) && same7(out_fiq + 14, 0xf1000000));
    sh_check("ldm^ in FIQ mode loads the User bank", same7(out_svc, 0x1a000000) && same7(out_svc + 7, 0x1a000000));

    uint32_t r = ldm_to_user(0x500000d0, (uint32_t)user_arm);
    sh_printf("ldm^ {pc} to ARM User: cpsr in user %08x, spsr at svc %08x\n", r & PSR_DEFINED, user_exit_spsr & PSR_DEFINED);
    sh_check("ARM User entry", (r & PSR_DEFINED) == 0x500000d0);

    r = ldm_to_user(0x900000f0, (uint32_t)user_thumb);
    sh_printf("ldm^ {pc} to Thumb User: r0 %x, spsr at svc %08x\n", r, user_exit_spsr & PSR_DEFINED);
    /* MOVS cleared N and Z and kept C and V: V from the entry SPSR survives. */
    sh_check("Thumb User entry", r == 0x42 && (user_exit_spsr & PSR_DEFINED) == 0x100000f0);
    return sh_failures;
}
