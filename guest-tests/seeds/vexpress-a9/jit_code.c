/*
 * Seed 000 (a JIT and __clear_cache) on the Cortex-A9. The A9's L1 instruction cache is not
 * coherent with its data cache (Cortex-A9 TRM 7.1; ARM ARM B2.2.5): new instructions written
 * by the CPU sit dirty in the L1 D-cache, and the I-cache may hold the old ones. Linux's
 * __clear_cache (v7_coherent_user_range) cleans the D-cache to the point of unification by
 * MVA (DCCMVAU), invalidates the I-cache by MVA (ICIMVAU) and the branch predictor (BPIALL),
 * with DSB and ISB between.
 *
 * A function `mov r0, #1; bx lr` is written into a write-back buffer, made visible with the
 * full sequence and called (the I-cache now holds it); then `mov r0, #2` is written over it,
 * the variant's maintenance runs, and it is called again:
 *   jit_code.none    no maintenance: the old code runs (its line is still in the I-cache; the
 *                    new one is only in the D-cache)
 *   jit_code.dconly  DCCMVAU + DSB only, no ICIMVAU/BPIALL: the old code still runs
 *   jit_code.iconly  ICIMVAU + BPIALL only, no DCCMVAU: the I-cache refills from below the L1
 *                    D-cache, where the new code is not yet: the old code still runs
 *   jit_code.full    DCCMVAU, DSB, ICIMVAU, BPIALL, DSB, ISB: the new code runs
 * QEMU and armemu --no-cache run the new code in every variant. Nothing is printed between
 * the two calls.
 */
#include "a9seeds.h"

#if !defined(VARIANT_NONE) && !defined(VARIANT_DCONLY) && !defined(VARIANT_ICONLY) && !defined(VARIANT_FULL)
#error "build jit_code.none, jit_code.dconly, jit_code.iconly or jit_code.full"
#endif

#define MOV_R0(imm) (0xe3a00000u | (imm)) /* mov r0, #imm */
#define BX_LR 0xe12fff1eu                 /* bx lr */

static uint32_t code[16] __attribute__((aligned(32)));

typedef int (*fn)(void);

static void clean_to_pou(uint32_t a) { WRITE_CP15(c7, 0, c11, 1, a & ~31u); }  /* DCCMVAU */

static void invalidate_icache_and_predictor(uint32_t a)
{
    WRITE_CP15(c7, 0, c5, 1, a & ~31u);                                       /* ICIMVAU */
    WRITE_CP15(c7, 0, c5, 6, 0);                                              /* BPIALL */
    dsb();
    isb();
}

static void emit(uint32_t imm)
{
    volatile uint32_t *c = code;
    c[0] = MOV_R0(imm);
    c[1] = BX_LR;
}

int main(void)
{
    a9_map_flat();
    a9_caches_on(1);
    sh_printf("MMU and caches on, PL310 %s; code buffer at %08x (write-back)\n", mmio_read(L2C + L2_CTRL) & 1 ? "on" : "off",
              (uint32_t)code);

    fn f = (fn)(uintptr_t)code;
    emit(1);
    clean_to_pou((uint32_t)code);
    dsb();
    invalidate_icache_and_predictor((uint32_t)code);
    int first = f();

    emit(2);
#if defined(VARIANT_DCONLY) || defined(VARIANT_FULL)
    clean_to_pou((uint32_t)code);
    dsb();
#endif
#if defined(VARIANT_ICONLY) || defined(VARIANT_FULL)
    invalidate_icache_and_predictor((uint32_t)code);
#endif
    int second = f();

#if defined(VARIANT_NONE)
    const char *what = "no maintenance";
#elif defined(VARIANT_DCONLY)
    const char *what = "DCCMVAU only";
#elif defined(VARIANT_ICONLY)
    const char *what = "ICIMVAU + BPIALL only";
#else
    const char *what = "DCCMVAU + ICIMVAU + BPIALL";
#endif
    sh_printf("%s: first call %d, after rewriting %d: %s\n", what, first, second,
              second == 2 ? "new code" : second == 1 ? "STALE code" : "?");
    return 0;
}
