/*
 * SVC (SWI): the handler finds the comment field in the instruction at LR - 4
 * (ARM, 24 bits) or LR - 2 (Thumb, 8 bits), and returns with MOVS PC, LR
 * (common/usermode.h). Entry state per ARM ARM A2.6, Software Interrupt
 * exception: LR_svc = next
 * instruction, SPSR_svc = CPSR, CPSR = Supervisor, ARM, IRQ masked, FIQ as it
 * was. SVCs from Supervisor (ARM, Thumb) and User mode, and an SVC whose
 * condition fails.
 */
#include "runtime.h"
#include "usermode.h"

struct svc_record { uint32_t number, spsr, lr, cpsr; };
static volatile struct svc_record rec[8];
static volatile int nrec;

static void hook(uint32_t number, uint32_t *frame)
{
    if (nrec < 8) {
        rec[nrec].number = number;
        rec[nrec].spsr = frame[-1];
        rec[nrec].lr = frame[5];
        rec[nrec].cpsr = read_cpsr();
        nrec++;
    }
    frame[0] = frame[0] * 2 + number; /* a result for the caller */
}

/* Thumb: SVC #0x42 (which overwrites LR_svc: keep the return address on the stack). */
uint32_t thumb_svc(uint32_t x);
__asm__(
    "       .syntax unified\n"
    "       .text\n"
    "       .thumb\n"
    "       .thumb_func\n"
    "       .global thumb_svc\n"
    "thumb_svc:\n"
    "       push    {lr}\n"
    "       svc     #0x42\n"
    "thumb_svc_after:\n"
    "       pop     {pc}\n"
    "       .arm\n");
extern char thumb_svc_after[];

/* User mode: SVC #0x77 with r0 = x; returns the hook's result. */
static uint32_t user_svc(uint32_t x)
{
    register uint32_t r0 __asm__("r0") = x;
    __asm__ volatile("svc #0x77" : "+r"(r0) :: "memory");
    return r0;
}

static void show(int i, uint32_t expected_lr)
{
    sh_printf("svc %06x: spsr %08x, handler mode/state/masks %02x, lr %s\n", rec[i].number, rec[i].spsr & PSR_DEFINED,
              rec[i].cpsr & 0xff, rec[i].lr == expected_lr ? "= next instruction" : "WRONG");
}

int main(void)
{
    uint32_t after;
    svc_hook = hook;
    register uint32_t r0 __asm__("r0");

    /* ARM SVC from Supervisor mode, flags N and C set, FIQ enabled: the handler
       sees them in SPSR, and runs with IRQ masked and FIQ untouched. */
    r0 = 10;
    __asm__ volatile("mrs r3, cpsr\n\t"
                     "bic r2, r3, #0xf0000000\n\t"
                     "bic r2, r2, #0x40\n\t"
                     "orr r2, r2, #0xa0000000\n\t"
                     "msr cpsr_fc, r2\n\t"
                     "svc #0x000001\n"
                     "1:\n\t"
                     "msr cpsr_fc, r3\n\t"
                     "adr %1, 1b"
                     : "+r"(r0), "=r"(after) :: "r2", "r3", "lr", "cc", "memory");
    sh_printf("result %u\n", r0);
    show(0, after);

    r0 = 3;
    __asm__ volatile("svc #0xabcdef\n1:\n\tadr %1, 1b" : "+r"(r0), "=r"(after) :: "lr", "cc", "memory");
    sh_printf("result %u\n", r0);
    show(1, after);

    /* Condition fails: no exception (ARM ARM A4.1, SWI). */
    r0 = 1;
    __asm__ volatile("movs r2, #0\n\tsvcne #0x5\n1:\n\tadr %1, 1b" : "+r"(r0), "=r"(after) :: "r2", "lr", "cc", "memory");
    sh_check("svcne with Z set takes no exception", nrec == 2 && r0 == 1);

    /* Thumb SVC: 8-bit comment, SPSR.T set, handler in ARM state. */
    uint32_t t = thumb_svc(5);
    sh_printf("result %u\n", t);
    show(2, (uint32_t)thumb_svc_after);

    /* From User mode. */
    uint32_t u = run_user(user_svc, 100);
    sh_printf("result %u\n", u);
    sh_printf("svc %06x: spsr %08x, handler mode/state/masks %02x\n", rec[3].number, rec[3].spsr & PSR_DEFINED, rec[3].cpsr & 0xff);

    sh_check("comment fields", rec[0].number == 1 && rec[1].number == 0xabcdef && rec[2].number == 0x42 && rec[3].number == 0x77);
    sh_check("spsr modes svc/svc/svc+T/usr",
             (rec[0].spsr & 0x3f) == 0x13 && (rec[1].spsr & 0x3f) == 0x13 && (rec[2].spsr & 0x3f) == 0x33 && (rec[3].spsr & 0x3f) == 0x10);
    sh_check("handler cpsr: svc, arm, irq masked", (rec[0].cpsr & 0xbf) == 0x93 && (rec[2].cpsr & 0xbf) == 0x93 && (rec[3].cpsr & 0xbf) == 0x93);
    sh_check("fiq mask kept", (rec[0].cpsr & 0x40) == 0 && (rec[1].cpsr & 0x40) != 0);
    return sh_failures;
}
