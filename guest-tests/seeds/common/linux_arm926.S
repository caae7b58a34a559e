/*
 * The Linux ARM926 routines the seed documents walk through, as guest code:
 * arch/arm/mm/proc-arm926.S (arm926_cache_fns and __arm926_proc_info) and
 * arch/arm/kernel/head-common.S (__lookup_processor_type and its C entry
 * lookup_processor_type), in the 2.6-era form seed 001 quotes, with `ret lr`
 * written `mov pc, lr` as there. Only the kernel's virtual-to-physical offset
 * is trivially zero here (the images run at their load address).
 */
        .syntax unified
        .arm

#define VM_EXEC            0x00000004      /* include/linux/mm.h */
#define CACHE_DLINESIZE    32              /* proc-arm926.S */
#define CACHE_DLIMIT       16384
#define PAGE_SZ            4096

/* Page-table bits of the proc_info MMU flags (arch/arm/include/asm/pgtable-hwdef.h). */
#define PMD_TYPE_SECT         (2 << 0)
#define PMD_BIT4              (1 << 4)
#define PMD_SECT_BUFFERABLE   (1 << 2)
#define PMD_SECT_CACHEABLE    (1 << 3)
#define PMD_SECT_AP_WRITE     (1 << 10)
#define PMD_SECT_AP_READ      (1 << 11)
/* arch/arm/include/uapi/asm/hwcap.h */
#define HWCAP_SWP        1
#define HWCAP_HALF       2
#define HWCAP_THUMB      4
#define HWCAP_26BIT      8
#define HWCAP_FAST_MULT  16
#define HWCAP_EDSP       128
#define HWCAP_JAVA       256

        .text
        .align  5

/*
 * flush_kern_cache_all(): clean and invalidate the entire cache.
 * The write-back form loops on "test, clean and invalidate" (MRC with Rd = r15:
 * bit 30 of the result is the Z flag, set once no dirty line is left; ARM926EJ-S
 * TRM, "Test and clean operations"), then invalidates the I-cache and drains the
 * write buffer.
 */
        .global arm926_flush_kern_cache_all
arm926_flush_kern_cache_all:
        mov     r2, #VM_EXEC
        mov     ip, #0
__flush_whole_cache:
1:      mrc     p15, 0, r15, c7, c14, 3         @ test,clean,invalidate
        bne     1b
        tst     r2, #VM_EXEC
        mcrne   p15, 0, ip, c7, c5, 0           @ invalidate I cache
        mcrne   p15, 0, ip, c7, c10, 4          @ drain WB
        mov     pc, lr

/*
 * The same routine built with CONFIG_CPU_DCACHE_WRITETHROUGH: the kernel maps its
 * memory write-through then, so it only invalidates the D-cache (c7,c6,0). Run
 * on write-back pages, whatever is dirty is thrown away: the seed's worst case.
 */
        .global arm926_flush_kern_cache_all_wt
arm926_flush_kern_cache_all_wt:
        mov     r2, #VM_EXEC
        mov     ip, #0
        mcr     p15, 0, ip, c7, c6, 0           @ invalidate D cache
        tst     r2, #VM_EXEC
        mcrne   p15, 0, ip, c7, c5, 0           @ invalidate I cache
        mcrne   p15, 0, ip, c7, c10, 4          @ drain WB
        mov     pc, lr

/* flush_user_cache_all(): as flush_kern_cache_all. */
        .global arm926_flush_user_cache_all
arm926_flush_user_cache_all:
        b       arm926_flush_kern_cache_all

/* flush_user_cache_range(start, end, flags): per line, or the whole cache above CACHE_DLIMIT. */
        .global arm926_flush_user_cache_range
arm926_flush_user_cache_range:
        mov     ip, #0
        sub     r3, r1, r0                      @ calculate total size
        cmp     r3, #CACHE_DLIMIT
        bgt     __flush_whole_cache
1:      tst     r2, #VM_EXEC
        mcr     p15, 0, r0, c7, c14, 1          @ clean and invalidate D entry
        mcrne   p15, 0, r0, c7, c5, 1           @ invalidate I entry
        add     r0, r0, #CACHE_DLINESIZE
        mcr     p15, 0, r0, c7, c14, 1          @ clean and invalidate D entry
        mcrne   p15, 0, r0, c7, c5, 1           @ invalidate I entry
        add     r0, r0, #CACHE_DLINESIZE
        cmp     r0, r1
        blo     1b
        tst     r2, #VM_EXEC
        mcrne   p15, 0, ip, c7, c10, 4          @ drain WB
        mov     pc, lr

/* coherent_kern_range(start, end) = coherent_user_range: clean D, invalidate I, per line; drain. */
        .global arm926_coherent_kern_range
        .global arm926_coherent_user_range
arm926_coherent_kern_range:
arm926_coherent_user_range:
        bic     r0, r0, #CACHE_DLINESIZE - 1
1:      mcr     p15, 0, r0, c7, c10, 1          @ clean D entry
        mcr     p15, 0, r0, c7, c5, 1           @ invalidate I entry
        add     r0, r0, #CACHE_DLINESIZE
        cmp     r0, r1
        blo     1b
        mcr     p15, 0, r0, c7, c10, 4          @ drain WB
        mov     pc, lr

/* flush_kern_dcache_page(kaddr): clean and invalidate one page of the kernel mapping. */
        .global arm926_flush_kern_dcache_page
arm926_flush_kern_dcache_page:
        add     r1, r0, #PAGE_SZ
1:      mcr     p15, 0, r0, c7, c14, 1          @ clean+invalidate D entry
        add     r0, r0, #CACHE_DLINESIZE
        cmp     r0, r1
        blo     1b
        mov     r0, #0
        mcr     p15, 0, r0, c7, c5, 0           @ invalidate I cache
        mcr     p15, 0, r0, c7, c10, 4          @ drain WB
        mov     pc, lr

/* dma_inv_range(start, end): partial lines at either end are cleaned first, then invalidate. */
        .global arm926_dma_inv_range
arm926_dma_inv_range:
        tst     r0, #CACHE_DLINESIZE - 1
        mcrne   p15, 0, r0, c7, c10, 1          @ clean D entry
        tst     r1, #CACHE_DLINESIZE - 1
        mcrne   p15, 0, r1, c7, c10, 1          @ clean D entry
        bic     r0, r0, #CACHE_DLINESIZE - 1
1:      mcr     p15, 0, r0, c7, c6, 1           @ invalidate D entry
        add     r0, r0, #CACHE_DLINESIZE
        cmp     r0, r1
        blo     1b
        mcr     p15, 0, r0, c7, c10, 4          @ drain WB
        mov     pc, lr

/* dma_clean_range(start, end): clean D per line; drain. */
        .global arm926_dma_clean_range
arm926_dma_clean_range:
        bic     r0, r0, #CACHE_DLINESIZE - 1
1:      mcr     p15, 0, r0, c7, c10, 1          @ clean D entry
        add     r0, r0, #CACHE_DLINESIZE
        cmp     r0, r1
        blo     1b
        mcr     p15, 0, r0, c7, c10, 4          @ drain WB
        mov     pc, lr

/* dma_flush_range(start, end): clean and invalidate D per line; drain. */
        .global arm926_dma_flush_range
arm926_dma_flush_range:
        bic     r0, r0, #CACHE_DLINESIZE - 1
1:      mcr     p15, 0, r0, c7, c14, 1          @ clean+invalidate D entry
        add     r0, r0, #CACHE_DLINESIZE
        cmp     r0, r1
        blo     1b
        mcr     p15, 0, r0, c7, c10, 4          @ drain WB
        mov     pc, lr

/*
 * The cache part of __arm926_setup: invalidate I and D (c7,c7,0), drain the
 * write buffer, invalidate the TLBs -- what must happen before the caches are
 * turned on, their contents being undefined at reset.
 */
        .global arm926_setup_caches
arm926_setup_caches:
        mov     r0, #0
        mcr     p15, 0, r0, c7, c7              @ invalidate I,D caches on v4
        mcr     p15, 0, r0, c7, c10, 4          @ drain write buffer on v4
        mcr     p15, 0, r0, c8, c7              @ invalidate I,D TLBs on v4
        mov     pc, lr

/* Not called: the proc_info entries branch here in place of each CPU's __*_setup. */
__other_setup:
        mov     pc, lr

        .section .rodata
        .align  2
        .global arm926_cache_fns
arm926_cache_fns:
        .long   arm926_flush_kern_cache_all
        .long   arm926_flush_user_cache_all
        .long   arm926_flush_user_cache_range
        .long   arm926_coherent_kern_range
        .long   arm926_coherent_user_range
        .long   arm926_flush_kern_dcache_page
        .long   arm926_dma_inv_range
        .long   arm926_dma_clean_range
        .long   arm926_dma_flush_range

cpu_arch_name_v4t:  .asciz "armv4t"
cpu_elf_name_v4:    .asciz "v4"
cpu_arch_name_v5:   .asciz "armv5tej"
cpu_elf_name_v5:    .asciz "v5"
cpu_arm920_name:    .asciz "ARM920T"
cpu_arm922_name:    .asciz "ARM922T"
cpu_arm925_name:    .asciz "ARM925T"
cpu_arm926_name:    .asciz "ARM926EJ-S"
cpu_arm1020_name:   .asciz "ARM1020"
        .align  2

/*
 * The proc_info entries (struct proc_info_list of the seed's kernel: value, mask,
 * MMU flags for RAM and for I/O, setup branch, arch and ELF names, hwcaps, CPU
 * name, then the processor, TLB, user-copy and cache function tables), several
 * of them so the walk has somewhere to go. Values and masks as in
 * arch/arm/mm/proc-arm9{20,22,25,26}.S and proc-arm1020.S; the tables other than
 * arm926_cache_fns are left 0 (nothing here calls them).
 */
        .macro  proc_info val, mask, hwcap, arch, elf, name, cache
        .long   \val
        .long   \mask
        .long   PMD_TYPE_SECT | PMD_SECT_BUFFERABLE | PMD_SECT_CACHEABLE | PMD_BIT4 | PMD_SECT_AP_WRITE | PMD_SECT_AP_READ
        .long   PMD_TYPE_SECT | PMD_BIT4 | PMD_SECT_AP_WRITE | PMD_SECT_AP_READ
        b       __other_setup
        .long   \arch
        .long   \elf
        .long   \hwcap
        .long   \name
        .long   0                               @ processor functions
        .long   0                               @ TLB functions
        .long   0                               @ user copy functions
        .long   \cache
        .endm

        .section ".proc.info.init", "a"
        .global __arm926_proc_info
        proc_info 0x41009200, 0xff00fff0, HWCAP_SWP|HWCAP_HALF|HWCAP_THUMB, cpu_arch_name_v4t, cpu_elf_name_v4, cpu_arm920_name, 0
        proc_info 0x41009220, 0xff00fff0, HWCAP_SWP|HWCAP_HALF|HWCAP_THUMB, cpu_arch_name_v4t, cpu_elf_name_v4, cpu_arm922_name, 0
        proc_info 0x54029250, 0xfffffff0, HWCAP_SWP|HWCAP_HALF|HWCAP_THUMB, cpu_arch_name_v4t, cpu_elf_name_v4, cpu_arm925_name, 0
__arm926_proc_info:
        proc_info 0x41069260, 0xff0ffff0, HWCAP_SWP|HWCAP_HALF|HWCAP_THUMB|HWCAP_FAST_MULT|HWCAP_EDSP|HWCAP_JAVA, cpu_arch_name_v5, cpu_elf_name_v5, cpu_arm926_name, arm926_cache_fns
        proc_info 0x4104a200, 0xff0ffff0, HWCAP_SWP|HWCAP_HALF|HWCAP_THUMB, cpu_arch_name_v5, cpu_elf_name_v5, cpu_arm1020_name, 0
        .size   __arm926_proc_info, 52
#define PROC_INFO_SZ 52

/*
 * __lookup_processor_type (head-common.S): r9 = the CPU ID; returns r5 = the
 * matching proc_info entry or 0. The literal pool at 3: gives the link-time
 * addresses, and "." against where 3: really is gives the virtual/physical offset.
 */
        .text
        .type   __lookup_processor_type, %function
__lookup_processor_type:
        adr     r3, 3f
        ldmda   r3, {r5 - r7}
        sub     r3, r3, r7                      @ get offset between virt&phys
        add     r5, r5, r3                      @ convert virt addresses to
        add     r6, r6, r3                      @ physical address space
1:      ldmia   r5, {r3, r4}                    @ value, mask
        and     r4, r4, r9                      @ mask wanted bits
        teq     r3, r4
        beq     2f
        add     r5, r5, #PROC_INFO_SZ           @ sizeof(proc_info_list)
        cmp     r5, r6
        blo     1b
        mov     r5, #0                          @ unknown processor
2:      mov     pc, lr

/* This provides a C-API version of the above function. */
        .global lookup_processor_type
lookup_processor_type:
        stmfd   sp!, {r4 - r7, r9, lr}
        mov     r9, r0
        bl      __lookup_processor_type
        mov     r0, r5
        ldmfd   sp!, {r4 - r7, r9, pc}

        .long   __proc_info_begin
        .long   __proc_info_end
3:      .long   .
        .long   __arch_info_begin
        .long   __arch_info_end
        .weak   __arch_info_begin
        .weak   __arch_info_end
