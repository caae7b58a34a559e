@ Three loops of the same shape: five operations plus subs/bne, 10,000,000 iterations
@ (70 M instructions). The number of arguments picks the kernel: none integer, one VFP
@ (double precision), two Advanced SIMD (Q registers). Exit status 0.
@ Build: arm-linux-gnueabi-gcc -march=armv7-a -mfpu=neon -nostdlib -static fp_loops.S
    .syntax unified
    .arm
    .fpu neon
    .text
    .global _start
_start:
    ldr     r4, [sp]                @ argc
    ldr     r5, =10000000
    @ Enable nothing: Linux (and armemu run) start processes with the VFP enabled.
    vmov.f64 d0, #1.0
    vmov.f64 d1, #0.5
    vmov.f64 d2, #2.0
    vmov.i32 q8, #1
    vmov.i32 q9, #3
    vmov.f32 q10, #1.5
    mov     r0, #1
    mov     r1, #3
    mov     r2, #7
    cmp     r4, #2
    beq     vfp
    bgt     neon
integer:
    add     r0, r0, r1
    mul     r3, r0, r2
    add     r1, r1, r3
    sub     r0, r0, r2
    mla     r1, r0, r2, r1
    subs    r5, r5, #1
    bne     integer
    b       done
vfp:
    vadd.f64 d3, d0, d1
    vmul.f64 d4, d3, d2
    vadd.f64 d0, d0, d1
    vsub.f64 d5, d4, d1
    vmla.f64 d6, d5, d2
    subs    r5, r5, #1
    bne     vfp
    b       done
neon:
    vadd.i32 q11, q8, q9
    vmul.f32 q12, q10, q10
    vmla.i32 q8, q11, q9
    vqadd.s16 q13, q11, q8
    vshl.i32 q9, q9, #1
    subs    r5, r5, #1
    bne     neon
done:
    mov     r0, #0
    mov     r7, #1                  @ exit
    svc     #0
