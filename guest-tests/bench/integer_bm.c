/* The integer kernel (integer_kernel.h) on the bare-metal Versatile PB with the
   MMU on: an identity map of 1 MiB sections, RAM cacheable write-back
   (C=1, B=1), SCTLR M, C and I set, as an OS would run it. */
#include "runtime.h"
#include "mmu.h"
#include "integer_kernel.h"

int main(void)
{
    for (uint32_t mb = 0; mb < 4096; mb++) {
        uint32_t cb = mb < 128 ? 0xCu : 0; /* RAM cacheable and bufferable, devices not */
        mmu_l1[mb] = L1_SECTION(mb << 20, AP_FULL, 0) | cb;
    }
    WRITE_CP15(c2, 0, c0, 0, (uint32_t)mmu_l1);
    WRITE_CP15(c3, 0, c0, 0, DACR(0, DACR_CLIENT));
    WRITE_CP15(c8, 0, c7, 0, 0);
    WRITE_CP15(c1, 0, c0, 0, sctlr_read() | SCTLR_M | (1u << 2) | (1u << 12));
    uint32_t h, acc;
    integer_kernel(1u << 30, &h, &acc); /* runs until the benchmark stops it */
    sh_printf("checksum %08x %08x\n", h, acc);
    return 0;
}
