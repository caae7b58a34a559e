/* NEON through the compiler, static with Debian's armhf C library: loops GCC vectorizes at -O3
 * (integer, saturating, widening, and float ones, which it vectorizes for NEON only under
 * -funsafe-math-optimizations: NEON arithmetic flushes denormals), intrinsics the vectorizer
 * does not reach (reciprocal estimates and Newton steps, fixed-point conversions, table
 * lookups, structure loads and stores), and a signal handler computing in VFP and NEON
 * registers while the interrupted loop keeps its own in them. Every result is printed as bits
 * or a checksum, so the comparison is exact. */
#include <arm_neon.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define N 1000

static uint8_t a8[N], b8[N], r8[N];
static int16_t a16[N], b16[N], r16[N];
static int32_t a32[N], r32[N];
static float af[N], bf[N], rf[N];

static uint32_t checksum(const void *data, size_t bytes)
{
    const uint8_t *p = data;
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < bytes; i++) h = (h ^ p[i]) * 16777619u;
    return h;
}

__attribute__((noinline)) static void saturating_add(uint8_t *restrict r, const uint8_t *restrict a, const uint8_t *restrict b)
{
    for (int i = 0; i < N; i++) {
        unsigned s = a[i] + b[i];
        r[i] = s > 255 ? 255 : s;
    }
}

__attribute__((noinline)) static void multiply_accumulate(int16_t *restrict r, const int16_t *restrict a, const int16_t *restrict b)
{
    for (int i = 0; i < N; i++) r[i] += a[i] * b[i];
}

__attribute__((noinline)) static int64_t widening_dot(const int16_t *a, const int16_t *b)
{
    int64_t sum = 0;
    for (int i = 0; i < N; i++) sum += (int32_t)a[i] * b[i];
    return sum;
}

__attribute__((noinline)) static void absolute_shift(int32_t *restrict r, const int32_t *restrict a)
{
    for (int i = 0; i < N; i++) r[i] = (a[i] < 0 ? -a[i] : a[i]) >> 3;
}

__attribute__((noinline)) static uint32_t byte_max(const uint8_t *a)
{
    uint8_t m = 0;
    for (int i = 0; i < N; i++) m = a[i] > m ? a[i] : m;
    return m;
}

__attribute__((noinline)) static void axpy(float *restrict r, float k, const float *restrict x, const float *restrict y)
{
    for (int i = 0; i < N; i++) r[i] = k * x[i] + y[i];
}

__attribute__((noinline)) static float float_sum(const float *x)
{
    float s = 0;
    for (int i = 0; i < N; i++) s += x[i];
    return s;
}

static void vectorized(void)
{
    for (int i = 0; i < N; i++) {
        a8[i] = (uint8_t)(i * 37 + 11);
        b8[i] = (uint8_t)(i * 101 + 200);
        a16[i] = (int16_t)(i * 331 - 17000);
        b16[i] = (int16_t)(i * 7 - 3000);
        r16[i] = (int16_t)i;
        a32[i] = (i * 2654435761u) ^ 0x80000000u;
        af[i] = (float)i * 0.37f - 150.0f;
        bf[i] = 1.0f / (float)(i + 1);
    }
    saturating_add(r8, a8, b8);
    multiply_accumulate(r16, a16, b16);
    absolute_shift(r32, a32);
    axpy(rf, 1.5f, af, bf);
    uint32_t sum_bits;
    float s = float_sum(rf);
    memcpy(&sum_bits, &s, 4);
    printf("vectorized: sat %08x mla %08x dot %lld abs %08x max %u axpy %08x sum %08x\n",
           checksum(r8, sizeof r8), checksum(r16, sizeof r16), (long long)widening_dot(a16, b16),
           checksum(r32, sizeof r32), byte_max(a8), checksum(rf, sizeof rf), sum_bits);
}

static uint32_t bits(float f)
{
    uint32_t u;
    memcpy(&u, &f, 4);
    return u;
}

static void intrinsics(void)
{
    /* 1/x: the estimate, then two Newton-Raphson steps with VRECPS; 1/sqrt(x) with VRSQRTE/VRSQRTS. */
    float32x4_t x = {3.0f, 0.1f, 1e-38f, 65504.0f};
    float32x4_t e = vrecpeq_f32(x);
    float32x4_t e1 = vmulq_f32(e, vrecpsq_f32(x, e));
    float32x4_t e2 = vmulq_f32(e1, vrecpsq_f32(x, e1));
    float32x4_t q = vrsqrteq_f32(x);
    float32x4_t q1 = vmulq_f32(q, vrsqrtsq_f32(vmulq_f32(x, q), q));
    printf("recip: %08x %08x %08x %08x -> %08x %08x %08x %08x\n", bits(vgetq_lane_f32(e, 0)), bits(vgetq_lane_f32(e, 1)),
           bits(vgetq_lane_f32(e, 2)), bits(vgetq_lane_f32(e, 3)), bits(vgetq_lane_f32(e2, 0)), bits(vgetq_lane_f32(e2, 1)),
           bits(vgetq_lane_f32(e2, 2)), bits(vgetq_lane_f32(e2, 3)));
    printf("rsqrt: %08x %08x -> %08x %08x\n", bits(vgetq_lane_f32(q, 0)), bits(vgetq_lane_f32(q, 3)),
           bits(vgetq_lane_f32(q1, 0)), bits(vgetq_lane_f32(q1, 3)));

    /* Fixed point: Q16.16 to float and back (round towards zero, saturating). */
    int32x4_t fixed = {0x00018000, -0x00008000, 0x7FFFFFFF, 3};
    float32x4_t f = vcvtq_n_f32_s32(fixed, 16);
    int32x4_t back = vcvtq_n_s32_f32(vmulq_n_f32(f, 3.0f), 16);
    printf("fixed: %08x %08x %08x %08x -> %08x %08x %08x %08x\n", bits(vgetq_lane_f32(f, 0)), bits(vgetq_lane_f32(f, 1)),
           bits(vgetq_lane_f32(f, 2)), bits(vgetq_lane_f32(f, 3)), (uint32_t)vgetq_lane_s32(back, 0),
           (uint32_t)vgetq_lane_s32(back, 1), (uint32_t)vgetq_lane_s32(back, 2), (uint32_t)vgetq_lane_s32(back, 3));

    /* Saturating and doubling: VQDMULH, VQRDMULH, VQMOVN, VQSHL. */
    int16x4_t h = {0x7FFF, -0x8000, 0x4000, -3};
    int16x4_t qd = vqdmulh_s16(h, h), qr = vqrdmulh_s16(h, vdup_n_s16(0x5555));
    int8x8_t narrow = vqmovn_s16(vcombine_s16(h, qr));
    int16x4_t shifted = vqshl_n_s16(h, 3);
    uint64_t qd_bits, qr_bits, n_bits, s_bits;
    memcpy(&qd_bits, &qd, 8);
    memcpy(&qr_bits, &qr, 8);
    memcpy(&n_bits, &narrow, 8);
    memcpy(&s_bits, &shifted, 8);
    printf("saturating: %016llx %016llx %016llx %016llx\n", (unsigned long long)qd_bits, (unsigned long long)qr_bits,
           (unsigned long long)n_bits, (unsigned long long)s_bits);

    /* Polynomial multiply, table lookup, interleaving loads and stores. */
    poly8x8_t p = vmul_p8(vcreate_p8(0x0123456789ABCDEFull), vcreate_p8(0xF0E1D2C3B4A59687ull));
    poly16x8_t pl = vmull_p8(vcreate_p8(0xFF80402010080402ull), vcreate_p8(0x0303030303030303ull));
    uint8x8_t table = vcreate_u8(0x1122334455667788ull);
    uint8x8_t looked = vtbl1_u8(table, vcreate_u8(0x0007010609020503ull));
    uint64_t p_bits, l_bits;
    memcpy(&p_bits, &p, 8);
    memcpy(&l_bits, &looked, 8);
    printf("poly %016llx long %08x table %016llx\n", (unsigned long long)p_bits, checksum(&pl, 16), (unsigned long long)l_bits);

    uint8_t rgb[48], planes[48];
    for (int i = 0; i < 48; i++) rgb[i] = (uint8_t)(i * 5);
    uint8x16x3_t split = vld3q_u8(rgb);
    vst1q_u8(planes, split.val[0]);
    vst1q_u8(planes + 16, split.val[1]);
    vst1q_u8(planes + 32, split.val[2]);
    uint16x8x2_t zipped = vzipq_u16(vreinterpretq_u16_u8(split.val[0]), vreinterpretq_u16_u8(split.val[2]));
    printf("structures: planes %08x zip %08x %08x\n", checksum(planes, 48), checksum(&zipped.val[0], 16),
           checksum(&zipped.val[1], 16));
}

static volatile int hits;
static volatile uint32_t handler_bits;

static void handler(int sig)
{
    (void)sig;
    /* The handler computes in the registers the loop keeps its values in. */
    float32x4_t v = vdupq_n_f32(2.5f);
    for (int i = 0; i < 8; i++) v = vmlaq_f32(v, v, vdupq_n_f32(0.5f));
    __asm__ volatile("vmov.i32 q8, #0x77\n\tvmov.i32 q12, #0x33\n\tvmov.f64 d8, #-1.0\n\tvmov.f64 d0, #4.0" ::: "d0", "d8", "q8", "q12", "memory");
    handler_bits = bits(vgetq_lane_f32(v, 1));
    hits++;
}

static void signals(void)
{
    signal(SIGUSR1, handler);
    float32x4_t acc = vdupq_n_f32(0.0f);
    double d = 0.0;
    for (int i = 0; i < 50; i++) {
        register float32x4_t live __asm__("q8") = vdupq_n_f32((float)i);
        register double kept __asm__("d8") = i * 0.25;
        __asm__ volatile("" : "+w"(live), "+w"(kept));
        if (i % 5 == 0) raise(SIGUSR1);
        __asm__ volatile("" : "+w"(live), "+w"(kept));
        acc = vaddq_f32(acc, live);
        d += kept;
    }
    printf("signals: hits %d handler %08x acc %08x %08x d %a\n", hits, handler_bits, bits(vgetq_lane_f32(acc, 0)),
           bits(vgetq_lane_f32(acc, 3)), d);
}

int main(void)
{
    vectorized();
    intrinsics();
    signals();
    return 0;
}
