@ A program of known cache behaviour, for exact cache events per instruction.
@ Built with: arm-linux-gnueabi-gcc -static -nostdlib -o cachemiss cachemiss.S; exits with status 0.
@ Counted by hand for `--icache 1K,1,32 --dcache 1K,1,32` (direct-mapped, 32 lines of 32
@ bytes: a line's set is address bits 9:5; user pages are write-back, read-allocate).
@ The caches start empty (the loader writes memory without them) and only loads and stores
@ of this program touch them: the kernel does nothing but exit.
@
@ I-cache: the code is far smaller than 1 KiB, so every code line misses once, charged to
@ the first instruction fetched from it; every function starts a line (.balign 32) and
@ nothing jumps into the middle of a line it has not fetched yet, so that is the line's
@ lowest executed address:
@   _start +0 (9 instructions: 36 bytes, lines +0 and +32), scan +0 and +32 (9
@   instructions), writes +0, dirty +0, evict +0, cold +0: 8 misses.
@ D-cache:
@   _start+0   ldr r8, =buf: the literal pool's line, cold                 1 read miss
@   scan+12    two passes over buf (32 KiB), one load per line: no line
@              survives 1 KiB of others, so every load misses           2048 read misses
@   writes+8   128 stores into wbuf (never read; read-allocate: a write
@              miss does not fill)                                       128 write misses
@   dirty+8    32 stores into buf's last KiB, which the scan left in the
@              cache: hits, each line now dirty                            0
@   evict+8    32 loads of buf's first KiB: the same 32 sets; each misses
@              and evicts a dirty line                     32 read misses, 32 write-backs
@   cold+0     buf + 1 KiB: set 0 holds buf+0 (clean) since evict        1 read miss
@ Totals: I1mr 8, D1mr 2082, D1mw 128, D1wb 32. Inclusive: a call's cost runs from its
@ first instruction to its return, the return included; _start's (the root) is everything.
@ Events as I1mr,D1mr,D1mw,D1wb:
@ expect-events: _start self=2,1,0,0 incl=8,2082,128,32
@ expect-events: scan self=2,2048,0,0 incl=2,2048,0,0
@ expect-events: writes self=1,0,128,0 incl=1,0,128,0
@ expect-events: dirty self=1,0,0,0 incl=1,0,0,0
@ expect-events: evict self=1,32,0,32 incl=1,32,0,32
@ expect-events: cold self=1,1,0,0 incl=1,1,0,0
@ expect-events-pc: _start+0 1,1,0,0
@ expect-events-pc: _start+32 1,0,0,0
@ expect-events-pc: scan+0 1,0,0,0
@ expect-events-pc: scan+12 0,2048,0,0
@ expect-events-pc: scan+32 1,0,0,0
@ expect-events-pc: writes+0 1,0,0,0
@ expect-events-pc: writes+8 0,0,128,0
@ expect-events-pc: dirty+0 1,0,0,0
@ expect-events-pc: evict+0 1,0,0,0
@ expect-events-pc: evict+8 0,32,0,32
@ expect-events-pc: cold+0 1,1,0,0
@
@ Instructions (Ir; Icf = condition-failed): _start 9; scan 1 + 2 * (2 + 3 * 1024 + 2) + 1
@ = 6154, Icf 3 (the inner BNE twice, the outer once); writes 2 + 3 * 128 + 1 = 387, Icf 1;
@ dirty and evict 2 + 3 * 32 + 1 = 99, Icf 1 each; cold 2. Total 6750.
@ expect-total: 6750
@ expect: _start self=9 incl=6750 calls=0 icf=0
@ expect: scan self=6154 incl=6154 calls=1 icf=3
@ expect: writes self=387 incl=387 calls=1 icf=1
@ expect: dirty self=99 incl=99 calls=1 icf=1
@ expect: evict self=99 incl=99 calls=1 icf=1
@ expect: cold self=2 incl=2 calls=1 icf=0

    .syntax unified
    .arm
    .text
    .global _start
    .type _start, %function
    .balign 32
_start:
    ldr r8, =buf            @ r8 = buf (1 KiB aligned) for everything below
    bl scan
    bl writes
    bl dirty
    bl evict
    bl cold
    mov r0, #0
    mov r7, #1              @ __NR_exit
    svc #0                  @ _start+32: a line of its own
    .balign 32
    .ltorg
    .size _start, .-_start

    .type scan, %function
    .balign 32
scan:
    mov r2, #2
1:  mov r0, r8
    mov r1, #1024
2:  ldr r3, [r0], #32       @ scan+12
    subs r1, r1, #1
    bne 2b
    subs r2, r2, #1
    bne 1b
    bx lr                   @ scan+32
    .size scan, .-scan

    .type writes, %function
    .balign 32
writes:
    add r0, r8, #0x8000     @ wbuf = buf + 32 KiB
    mov r1, #128
1:  str r1, [r0], #32       @ writes+8
    subs r1, r1, #1
    bne 1b
    bx lr
    .size writes, .-writes

    .type dirty, %function
    .balign 32
dirty:
    add r0, r8, #0x7C00     @ buf's last KiB
    mov r1, #32
1:  str r1, [r0], #32       @ dirty+8
    subs r1, r1, #1
    bne 1b
    bx lr
    .size dirty, .-dirty

    .type evict, %function
    .balign 32
evict:
    mov r0, r8
    mov r1, #32
1:  ldr r2, [r0], #32       @ evict+8
    subs r1, r1, #1
    bne 1b
    bx lr
    .size evict, .-evict

    .type cold, %function
    .balign 32
cold:
    ldr r0, [r8, #1024]     @ cold+0
    bx lr
    .size cold, .-cold

    .bss
    .balign 1024
buf:
    .space 0x8000
wbuf:
    .space 0x1000
