@ A small call tree: recursion (fact), a tail call (tail_caller -> leaf), Thumb
@ functions (thumb_fn -> thumb_leaf, entered with BLX from ARM) and a longjmp
@ (inner -> my_longjmp back into main, past thrower and inner).
@ Built with: arm-linux-gnueabi-gcc -static -nostdlib -o calltree calltree.S; exits with status 0.
@
@ Exclusive counts (Ir; Icf = condition-failed among them), by hand:
@   _start      bl main, mov, svc                                          3
@   main        push, mov, bl fact, bl tail_caller, ldr, bl my_setjmp,
@               (cmp, bne) twice, bl thrower, blx thumb_fn, mov, pop      14  Icf 1 (first bne)
@   fact        fact(1): cmp, movle, bxle = 3; fact(3), fact(2): 9 each
@               (cmp, movle and bxle failing, push, mov, sub, bl, mul, pop)   21  Icf 4
@   tail_caller mov, b leaf                                                2
@   leaf        add, bx lr                                                 2
@   my_setjmp   stm, mov, bx lr                                            3
@   thrower     push, bl inner (never returns)                             2
@   inner       push, ldr, mov, bl my_longjmp                              4
@   my_longjmp  ldm, mov, bx lr                                            3
@   thumb_fn    push, movs, bl (two halfword instructions on ARMv5), pop   5
@   thumb_leaf  adds, bx lr                                                2
@   total                                                                 61
@ Inclusive (outermost activations; callees included):
@   _start 61 (everything); main 61 - 3 = 58; fact 21 (recursion counted once);
@   tail_caller 2 + leaf 2 = 4 (the tail call returns for it); thrower 2 + 4 + 3 = 9
@   (the longjmp ends it); inner 4 + 3 = 7; thumb_fn 5 + 2 = 7; the leaves = exclusive.
@   Check: main 14 + fact 21 + tail_caller 4 + my_setjmp 3 + thrower 9 + thumb_fn 7 = 58.
@ Calls: fact 3 (1 from main, 2 from itself), leaf 1 (a tail call), every other callee 1.
@ expect-total: 61
@ expect: _start self=3 incl=61 calls=0 icf=0
@ expect: main self=14 incl=58 calls=1 icf=1
@ expect: fact self=21 incl=21 calls=3 icf=4
@ expect: tail_caller self=2 incl=4 calls=1 icf=0
@ expect: leaf self=2 incl=2 calls=1 icf=0
@ expect: my_setjmp self=3 incl=3 calls=1 icf=0
@ expect: thrower self=2 incl=9 calls=1 icf=0
@ expect: inner self=4 incl=7 calls=1 icf=0
@ expect: my_longjmp self=3 incl=3 calls=1 icf=0
@ expect: thumb_fn self=5 incl=7 calls=1 icf=0
@ expect: thumb_leaf self=2 incl=2 calls=1 icf=0
@ expect-edge: main fact calls=1 incl=21
@ expect-edge: fact fact calls=2 incl=15
@ expect-edge: main thrower calls=1 incl=9
@ expect-edge: tail_caller leaf calls=1 incl=2

    .syntax unified
    .arm
    .text
    .global _start
    .type _start, %function
_start:
    bl main
    mov r7, #1              @ __NR_exit, status = main's result
    svc #0
    .size _start, .-_start

    .type main, %function
main:
    push {r4, lr}
    mov r0, #3
    bl fact
    bl tail_caller
    ldr r0, =jmpbuf
    bl my_setjmp
    cmp r0, #0              @ 0 from my_setjmp, then 1 from my_longjmp
    bne 1f
    bl thrower
1:  blx thumb_fn
    mov r0, #0
    pop {r4, pc}
    .ltorg
    .size main, .-main

    .type fact, %function
fact:                       @ r0 = n -> n!
    cmp r0, #1
    movle r0, #1
    bxle lr
    push {r4, lr}
    mov r4, r0
    sub r0, r0, #1
    bl fact
    mul r0, r4, r0
    pop {r4, pc}
    .size fact, .-fact

    @ Before tail_caller: a branch to the next instruction would not change the flow.
    .type leaf, %function
leaf:
    add r0, r0, #1
    bx lr
    .size leaf, .-leaf

    .type tail_caller, %function
tail_caller:
    mov r0, #5
    b leaf                  @ a tail call: leaf returns straight to main
    .size tail_caller, .-tail_caller

    .type my_setjmp, %function
my_setjmp:                  @ r0 = buffer: callee-saved registers, SP and the return address
    stm r0, {r4-r11, sp, lr}
    mov r0, #0
    bx lr
    .size my_setjmp, .-my_setjmp

    .type my_longjmp, %function
my_longjmp:                 @ r0 = buffer, r1 = value my_setjmp returns again
    ldm r0, {r4-r11, sp, lr}
    mov r0, r1
    bx lr
    .size my_longjmp, .-my_longjmp

    .type thrower, %function
thrower:
    push {r4, lr}
    bl inner
    pop {r4, pc}            @ never reached
    .size thrower, .-thrower

    .type inner, %function
inner:
    push {r4, lr}
    ldr r0, =jmpbuf
    mov r1, #1
    bl my_longjmp
    .ltorg
    .size inner, .-inner

    .thumb
    .thumb_func
    .type thumb_fn, %function
thumb_fn:
    push {lr}
    movs r0, #2
    bl thumb_leaf
    pop {pc}                @ ARMv5T: interworking, back to ARM main
    .size thumb_fn, .-thumb_fn

    .thumb_func
    .type thumb_leaf, %function
thumb_leaf:
    adds r0, r0, #1
    bx lr
    .size thumb_leaf, .-thumb_leaf

    .bss
    .align 2
jmpbuf:
    .space 40
