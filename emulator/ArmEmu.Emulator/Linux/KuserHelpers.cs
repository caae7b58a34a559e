namespace ArmEmu.Emulator.Linux;

/// <summary>
/// The vectors page a Linux ARM process sees at 0xffff0000, with the kernel
/// user helpers at its top (Documentation/arch/arm/kernel_user_helpers.rst).
/// The helpers are fixed ARM code, hand-encoded here so the emulator needs no
/// assembler at run time. ARMv5 has no TLS register, so, as the kernel does for
/// such CPUs, the TLS value lives in the page (0xffff0ff0) and __kuser_get_tls
/// loads it. The emulated process is single-threaded and never preempted, so
/// the compare-and-exchange helpers are plain load/compare/store sequences.
/// </summary>
internal static class KuserHelpers
{
    public const uint PageAddress = 0xFFFF_0000;
    public const uint TlsSlot = 0xFFFF_0FF0;
    public const uint Version = 5; // helpers up to __kuser_cmpxchg64

    /// <summary>The page's 4 KiB contents, for an ARMv5 kernel (the TLS value kept in the page).</summary>
    public static byte[] BuildPage() => BuildPage(hardwareTls: false);

    /// <summary>
    /// The page's 4 KiB contents. With <paramref name="hardwareTls"/> (ARMv6K and later), __kuser_get_tls
    /// reads TPIDRURO (mrc p15, 0, r0, c13, c0, 3) as the kernel's patched helper does on such CPUs.
    /// </summary>
    public static byte[] BuildPage(bool hardwareTls)
    {
        var page = new byte[4096];
        var words = new uint[1024];
        Array.Fill(words, 0xE7FD_DEF1u); // undefined in ARM and Thumb, as the kernel fills the page

        void Put(uint address, params uint[] code)
        {
            for (int i = 0; i < code.Length; i++) words[(address - PageAddress) / 4 + i] = code[i];
        }

        // sigreturn and rt_sigreturn trampolines for handlers installed without SA_RESTORER, each in ARM then
        // Thumb: plain handlers return through sigreturn, SA_SIGINFO ones through rt_sigreturn (setup_return).
        Put(LinuxKernel.SigreturnTrampoline,
            0xE3A0_7077,  // mov   r7, #119   (sigreturn)
            0xEF00_0000,  // svc   #0
            0xDF00_2777,  // movs  r7, #119 ; svc #0   (Thumb)
            0xE3A0_70AD,  // mov   r7, #173   (rt_sigreturn)
            0xEF00_0000,  // svc   #0
            0xDF00_27AD); // movs  r7, #173 ; svc #0   (Thumb)

        // __kuser_cmpxchg64 (r0 = &oldval, r1 = &newval, r2 = ptr): r0 = 0 and C set on success.
        Put(0xFFFF_0F60,
            0xE92D_00F0,  // push   {r4-r7}
            0xE1C0_40D0,  // ldrd   r4, r5, [r0]
            0xE1C2_60D0,  // ldrd   r6, r7, [r2]
            0xE034_3006,  // eors   r3, r4, r6
            0x0035_3007,  // eorseq r3, r5, r7
            0x01C1_40D0,  // ldrdeq r4, r5, [r1]
            0x01C2_40F0,  // strdeq r4, r5, [r2]
            0xE273_0000,  // rsbs   r0, r3, #0
            0xE8BD_00F0,  // pop    {r4-r7}
            0xE12F_FF1E); // bx     lr

        // __kuser_memory_barrier: nothing to order on one emulated core.
        Put(0xFFFF_0FA0, 0xE12F_FF1E); // bx lr

        // __kuser_cmpxchg (r0 = oldval, r1 = newval, r2 = ptr): r0 = 0 and C set on success.
        Put(0xFFFF_0FC0,
            0xE592_3000,  // ldr    r3, [r2]
            0xE053_3000,  // subs   r3, r3, r0
            0x0582_1000,  // streq  r1, [r2]
            0xE273_0000,  // rsbs   r0, r3, #0
            0xE12F_FF1E); // bx     lr

        // __kuser_get_tls: r0 = the value set_tls stored at 0xffff0ff0, or TPIDRURO where the CPU has it.
        Put(0xFFFF_0FE0,
            hardwareTls ? 0xEE1D_0F70 : 0xE59F_0008,  // mrc p15, 0, r0, c13, c0, 3  /  ldr r0, [pc, #8] @ 0xffff0ff0
            0xE12F_FF1E); // bx     lr
        Put(TlsSlot, 0);
        Put(0xFFFF_0FFC, Version);

        Buffer.BlockCopy(words, 0, page, 0, page.Length);
        return page;
    }
}
