using System.Runtime.InteropServices;

namespace ArmEmu.GuestTests.Differential;

/// <summary>
/// The few entry points of Unicorn 2 (Debian's libunicorn2, 2.0.1) the differential
/// test needs. Constants are those of include/unicorn/unicorn.h and arm.h at tag
/// 2.0.1.post1; they are part of Unicorn's ABI, so check them again before moving
/// to another major version.
/// </summary>
internal static partial class UnicornNative
{
    private const string Library = "libunicorn.so.2";

    // uc_arch and uc_mode
    public const int UC_ARCH_ARM = 1;
    public const int UC_MODE_ARM = 0;
    public const int UC_MODE_THUMB = 1 << 4;

    // uc_prot
    public const uint UC_PROT_ALL = 7;

    // uc_cpu_arm: the first entry of the enum.
    public const int UC_CPU_ARM_926 = 0;

    // uc_control_type values and the UC_CTL(type, nr, rw) packing: type | nr << 26 | rw << 30.
    private const uint UC_CTL_CPU_MODEL = 7;
    private const uint UC_CTL_TB_REMOVE_CACHE = 9;
    private const uint UC_CTL_IO_WRITE = 1;

    public const uint UC_CTL_WRITE_CPU_MODEL = UC_CTL_CPU_MODEL | (1u << 26) | (UC_CTL_IO_WRITE << 30);
    public const uint UC_CTL_WRITE_TB_REMOVE_CACHE = UC_CTL_TB_REMOVE_CACHE | (2u << 26) | (UC_CTL_IO_WRITE << 30);

    // uc_arm_reg: R0..R12 are consecutive; SP, LR and PC come earlier in the enum.
    public const int UC_ARM_REG_CPSR = 3;
    public const int UC_ARM_REG_LR = 10;
    public const int UC_ARM_REG_PC = 11;
    public const int UC_ARM_REG_SP = 12;
    public const int UC_ARM_REG_R0 = 66;

    [LibraryImport(Library)]
    public static partial int uc_open(int arch, int mode, out IntPtr uc);

    [LibraryImport(Library)]
    public static partial int uc_close(IntPtr uc);

    // uc_ctl is variadic. On x86-64 System V (the only ABI CI runs) integer variadic
    // arguments travel exactly as fixed ones, so fixed prototypes per use are sound.
    [LibraryImport(Library, EntryPoint = "uc_ctl")]
    public static partial int uc_ctl_int(IntPtr uc, uint control, int arg);

    [LibraryImport(Library, EntryPoint = "uc_ctl")]
    public static partial int uc_ctl_range(IntPtr uc, uint control, ulong begin, ulong end);

    [LibraryImport(Library)]
    public static partial int uc_mem_map(IntPtr uc, ulong address, nuint size, uint perms);

    [LibraryImport(Library)]
    public static unsafe partial int uc_mem_write(IntPtr uc, ulong address, byte* bytes, nuint size);

    [LibraryImport(Library)]
    public static unsafe partial int uc_mem_read(IntPtr uc, ulong address, byte* bytes, nuint size);

    [LibraryImport(Library)]
    public static partial int uc_reg_write(IntPtr uc, int regid, in uint value);

    [LibraryImport(Library)]
    public static partial int uc_reg_read(IntPtr uc, int regid, out uint value);

    [LibraryImport(Library)]
    public static partial int uc_emu_start(IntPtr uc, ulong begin, ulong until, ulong timeout, nuint count);

    [LibraryImport(Library)]
    public static partial IntPtr uc_strerror(int code);

    public static string ErrorText(int code) => Marshal.PtrToStringUTF8(uc_strerror(code)) ?? $"error {code}";
}

/// <summary>A Unicorn ARM engine with the calls wrapped so that an error throws.</summary>
internal sealed class UnicornEngine : IDisposable
{
    private IntPtr _uc;

    public UnicornEngine(bool thumb, int cpuModel = UnicornNative.UC_CPU_ARM_926)
    {
        Check(UnicornNative.uc_open(UnicornNative.UC_ARCH_ARM, thumb ? UnicornNative.UC_MODE_THUMB : UnicornNative.UC_MODE_ARM, out _uc), "uc_open");
        // Must come before any other call: the CPU is created lazily on first use.
        Check(UnicornNative.uc_ctl_int(_uc, UnicornNative.UC_CTL_WRITE_CPU_MODEL, cpuModel), "uc_ctl(CPU_MODEL)");
    }

    public void MapMemory(uint address, uint size) =>
        Check(UnicornNative.uc_mem_map(_uc, address, size, UnicornNative.UC_PROT_ALL), "uc_mem_map");

    public unsafe void WriteMemory(uint address, ReadOnlySpan<byte> data)
    {
        fixed (byte* p = data)
            Check(UnicornNative.uc_mem_write(_uc, address, p, (nuint)data.Length), "uc_mem_write");
    }

    public unsafe void ReadMemory(uint address, Span<byte> data)
    {
        fixed (byte* p = data)
            Check(UnicornNative.uc_mem_read(_uc, address, p, (nuint)data.Length), "uc_mem_read");
    }

    /// <summary>r0-r15 by number.</summary>
    public uint ReadRegister(int r)
    {
        Check(UnicornNative.uc_reg_read(_uc, RegisterId(r), out uint value), "uc_reg_read");
        return value;
    }

    public void WriteRegister(int r, uint value) =>
        Check(UnicornNative.uc_reg_write(_uc, RegisterId(r), value), "uc_reg_write");

    public uint Cpsr
    {
        get
        {
            Check(UnicornNative.uc_reg_read(_uc, UnicornNative.UC_ARM_REG_CPSR, out uint value), "uc_reg_read(CPSR)");
            return value;
        }
        set => Check(UnicornNative.uc_reg_write(_uc, UnicornNative.UC_ARM_REG_CPSR, value), "uc_reg_write(CPSR)");
    }

    /// <summary>
    /// Drops the translated blocks of [begin, end). Unicorn 2.0.1 compiles the stop address
    /// of uc_emu_start into the blocks it translates, so a block cached by a run with another
    /// stop address runs past this one's; and uc_mem_write does not reliably drop blocks of
    /// rewritten code either. (UC_CTL_TB_FLUSH would do too, but costs ~170 ms a call.)
    /// </summary>
    public void InvalidateCode(uint begin, uint end) =>
        Check(UnicornNative.uc_ctl_range(_uc, UnicornNative.UC_CTL_WRITE_TB_REMOVE_CACHE, begin, end), "uc_ctl(TB_REMOVE_CACHE)");

    /// <summary>Runs from <paramref name="begin"/> (bit 0: Thumb) to <paramref name="until"/>; returns the uc_err code (0 = OK).</summary>
    public int Run(uint begin, uint until, ulong count = 0) =>
        UnicornNative.uc_emu_start(_uc, begin, until, 0, (nuint)count);

    private static int RegisterId(int r) => r switch
    {
        <= 12 => UnicornNative.UC_ARM_REG_R0 + r,
        13 => UnicornNative.UC_ARM_REG_SP,
        14 => UnicornNative.UC_ARM_REG_LR,
        15 => UnicornNative.UC_ARM_REG_PC,
        _ => throw new ArgumentOutOfRangeException(nameof(r)),
    };

    private static void Check(int err, string call)
    {
        if (err != 0) throw new InvalidOperationException($"Unicorn {call} failed: {UnicornNative.ErrorText(err)} ({err})");
    }

    public void Dispose()
    {
        if (_uc != IntPtr.Zero) UnicornNative.uc_close(_uc);
        _uc = IntPtr.Zero;
    }
}
