using System.Buffers.Binary;
using System.Text;
using ArmEmu.Cpu;
using ArmEmu.Emulator.Loaders;
using ArmEmu.Memory;

namespace ArmEmu.Emulator.Linux;

/// <summary>
/// A program loaded into an address space, as the kernel's load_elf_binary does it: the ELF
/// image's PT_LOAD segments (at a load bias for a position-independent executable), its
/// interpreter for a dynamic executable, the vectors page with the kuser helpers, and the
/// initial stack with argv, envp and the auxiliary vector. The first process is started from
/// one; execve builds a new one in a fresh address space.
/// </summary>
internal sealed class ExecImage
{
    /// <summary>Where mmap looks for free space (upwards), and where ET_DYN interpreters are placed.</summary>
    public const uint MmapStart = 0x4000_0000;
    public const uint StackTop = LinuxKernel.TaskSize;
    /// <summary>The main thread's stack unless the options say otherwise (qemu-arm's default too).</summary>
    public const uint DefaultStackSize = 8u << 20;
    /// <summary>The largest stack (-s): it must leave the space between the mmap base and the stack usable.</summary>
    public const uint MaxStackSize = 1u << 30;
    private const uint ExecutableBias = 0x0001_0000; // load bias of a position-independent executable

    private ExecImage(string path, ElfFile executable, uint stackSize) =>
        (ExecutablePath, Executable, StackSize) = (path, executable, (stackSize + PhysicalBus.PageMask) & ~PhysicalBus.PageMask);

    /// <summary>The program's absolute path when it was loaded (/proc/PID/exe: a later chdir does not change it).</summary>
    public string ExecutableFullPath { get; private set; } = "";

    /// <summary>argv and envp as the program got them (/proc/PID/cmdline and environ).</summary>
    public IReadOnlyList<string> Arguments { get; private set; } = [];

    public IReadOnlyList<string> Environment { get; private set; } = [];

    /// <summary>Size of the main thread's stack below <see cref="StackTop"/> (qemu-arm's -s), whole pages.</summary>
    public uint StackSize { get; }

    /// <summary>The path the program was started by (argv's file, AT_EXECFN).</summary>
    public string ExecutablePath { get; }

    /// <summary>The main executable (its symbols serve the profiler).</summary>
    public ElfFile Executable { get; }

    public uint LoadBias { get; private set; }

    /// <summary>The interpreter's ELF and bias, for a dynamic executable.</summary>
    public (ElfFile Elf, uint Bias)? Interpreter { get; private set; }

    /// <summary>The first address past the highest segment, page aligned: where brk starts.</summary>
    public uint BrkStart { get; private set; }

    /// <summary>Where the first thread starts (the interpreter's entry for a dynamic executable); bit 0 set for Thumb.</summary>
    public uint Entry { get; private set; }

    /// <summary>The auxiliary vector as the program got it (type/value word pairs up to AT_NULL): gdb's qXfer:auxv:read.</summary>
    public byte[] AuxiliaryVector { get; private set; } = [];

    /// <summary>The initial stack pointer (argc at it).</summary>
    public uint StackPointer { get; private set; }

    /// <summary>True if <paramref name="header"/> starts with the ELF magic.</summary>
    public static bool IsElf(ReadOnlySpan<byte> header) => header.Length >= 4 && header[..4].SequenceEqual("\u007fELF"u8);

    /// <summary>
    /// Loads <paramref name="path"/> into <paramref name="space"/>, which the machine's memory
    /// port must be translating through, and builds its initial stack.
    /// </summary>
    /// <exception cref="ProcessLoadException">the program or its interpreter cannot be loaded (one line).</exception>
    /// <param name="random">Where AT_RANDOM's 16 bytes come from (the kernel's seeded source; null: the host's).</param>
    /// <param name="stackSize">The main thread's stack size.</param>
    /// <param name="machine">The machine the process runs on.</param>
    /// <param name="space">The process's address space, empty.</param>
    /// <param name="path">The host path of the program.</param>
    /// <param name="arguments">argv, argv[0] included.</param>
    /// <param name="environment">The environment as NAME=value strings.</param>
    /// <param name="sysRoot">The -L prefix under which the ELF interpreter is looked up, or null.</param>
    public static ExecImage Load(LinuxMachine machine, ProcessAddressSpace space, string path, IReadOnlyList<string> arguments,
        IReadOnlyList<string> environment, string? sysRoot, GuestRandom? random = null, uint stackSize = DefaultStackSize)
    {
        if (!ReferenceEquals(machine.Memory.Translator, space)) throw new InvalidOperationException("the memory port must translate through the address space being loaded");
        if (stackSize < PhysicalBus.PageSize || stackSize > MaxStackSize)
            throw new ProcessLoadException($"stack size: between 4K and {MaxStackSize >> 20}M, not {stackSize}");
        var image = new ExecImage(path, ReadElf(path, "program"), stackSize);
        image.ExecutableFullPath = Path.GetFullPath(path);
        image.Arguments = Copy(arguments);
        image.Environment = Copy(environment);
        image._random = random ?? new GuestRandom(null);
        try
        {
            image.LoadInto(machine, space, arguments, environment, sysRoot);
        }
        catch (OutOfGuestMemoryException)
        {
            throw new ProcessLoadException($"{path}: the program and its stack need more memory than the machine's {machine.RamSize >> 20} MiB");
        }
        return image;
    }

    private GuestRandom _random = null!;

    private void LoadInto(LinuxMachine machine, ProcessAddressSpace space, IReadOnlyList<string> arguments,
        IReadOnlyList<string> environment, string? sysRoot)
    {
        string path = ExecutablePath;
        if (Executable.Type == ElfType.Executable && Executable.LoadSegments.Count > 0 && Executable.LoadSegments[0].VirtualAddress < 0x1000)
            throw new ProcessLoadException($"{path}: a segment at 0x{Executable.LoadSegments[0].VirtualAddress:x} would map page 0");
        LoadBias = Executable.Type == ElfType.SharedObject && Executable.LoadSegments[0].VirtualAddress == 0 ? ExecutableBias : 0;
        uint end = MapSegments(machine.Memory, space, Executable, LoadBias);
        NameSegments(space, Executable, LoadBias, ExecutableFullPath);
        BrkStart = (uint)((end + PhysicalBus.PageMask) & ~PhysicalBus.PageMask);

        Entry = Executable.Entry + LoadBias;
        uint interpreterBias = 0;
        if (Executable.Interpreter is { } interpreterPath)
        {
            string hostPath = sysRoot is null ? interpreterPath : Path.Combine(sysRoot, interpreterPath.TrimStart('/'));
            var interpreter = ReadElf(hostPath, "interpreter");
            uint span = (uint)(interpreter.LoadSegments.Max(s => s.VirtualEnd) - interpreter.LoadSegments.Min(s => s.VirtualAddress));
            interpreterBias = space.FindFree(span + PhysicalBus.PageSize, MmapStart, StackTop - StackSize)
                              ?? throw new ProcessLoadException("no room for the interpreter");
            MapSegments(machine.Memory, space, interpreter, interpreterBias);
            NameSegments(space, interpreter, interpreterBias, Path.GetFullPath(hostPath));
            Interpreter = (interpreter, interpreterBias);
            Entry = interpreter.Entry + interpreterBias;
        }

        space.Map(KuserHelpers.PageAddress, PhysicalBus.PageSize, Permission.Read | Permission.Execute);
        space.Names.Set(KuserHelpers.PageAddress, KuserHelpers.PageAddress + PhysicalBus.PageSize, "[vectors]");
        machine.Memory.DebugWrite(KuserHelpers.PageAddress, KuserHelpers.BuildPage(hardwareTls: machine.UserCp15 is not null));

        StackPointer = BuildStack(machine, space, Executable.Entry + LoadBias, interpreterBias, arguments, environment);
    }

    /// <summary>Puts the CPU at the image's entry in User mode with the initial stack.</summary>
    public void Enter(Cpu.Cpu cpu)
    {
        cpu.SwitchMode(ProcessorMode.User);
        // The CPSR is USR_MODE alone (Linux's start_thread; qemu-arm the same): the A bit an ARMv6+
        // reset sets is clear in user mode, as are I and F.
        cpu.I = cpu.F = cpu.A = false;
        // A new image starts with a clean, enabled VFP (Linux's vfp_flush_hwstate at exec; qemu-arm's reset).
        cpu.Fpu.Reset();
        cpu.Fpu.EnableForUserMode();
        cpu.R[13] = StackPointer;
        cpu.T = (Entry & 1) != 0;
        cpu.PC = Entry;
    }

    /// <summary>uname's machine field: "armv5tel" for ARMv5, "armv7l" for ARMv7 (what Linux and qemu-arm report).</summary>
    public static string UnameMachine(CpuModel model) => model.Arch >= ArchVersion.V7 ? "armv7l" : model.Arch >= ArchVersion.V6 ? "armv6l" : "armv5tel";

    /// <summary>AT_PLATFORM, as the kernel's elf_platform: "v5l", "v7l".</summary>
    public static string Platform(CpuModel model) => model.Arch >= ArchVersion.V7 ? "v7l" : model.Arch >= ArchVersion.V6 ? "v6l" : "v5l";

    /// <summary>
    /// AT_HWCAP, built as qemu-arm 7.2's get_elf_hwcap builds it from the model: SWP, HALF, THUMB
    /// and FAST_MULT always; EDSP with the DSP extension; TLS from ARMv6K; IDIVA and IDIVT with the
    /// ARM- and Thumb-state divides; LPAE with the extension; the floating-point bits from the FPU
    /// (<see cref="Cpu.Vfp.FloatingPointUnit.HwCap"/>). Left out: THUMBEE (ThumbEE state is not
    /// implemented; qemu-arm sets it on cortex-a8/a9/a15).
    /// </summary>
    public static uint HwCap(CpuModel model)
    {
        const uint Swp = 1 << 0, Half = 1 << 1, Thumb = 1 << 2, FastMult = 1 << 4, Edsp = 1 << 7, Tls = 1 << 15,
                   IdivA = 1 << 17, IdivT = 1 << 18, Lpae = 1 << 20;
        uint hwcap = Swp | Half | Thumb | FastMult;
        if (model.HasDsp) hwcap |= Edsp;
        if (model.Arch >= ArchVersion.V6K) hwcap |= Tls;
        if (model.Has(CpuFeature.ArmDivide)) hwcap |= IdivA;
        if (model.Has(CpuFeature.ThumbDivide)) hwcap |= IdivT;
        if (model.Has(CpuFeature.Lpae)) hwcap |= Lpae;
        return hwcap | Cpu.Vfp.FloatingPointUnit.HwCap(model);
    }

    /// <summary>The largest program or interpreter file read (a file larger cannot fit the guest's 3 GiB anyway; most are far smaller).</summary>
    public const long MaxFileSize = 1L << 30;

    /// <summary>Whether <paramref name="path"/> names a regular file (after links): what may be opened and read without waiting on a FIFO or reading a device for ever.</summary>
    internal static unsafe bool IsRegularFile(string path)
    {
        HostStat st;
        int r;
        fixed (byte* p = Encoding.UTF8.GetBytes(path + "\0")) r = HostLibc.FStatAt(HostLibc.AtFdCwd, p, &st, 0);
        return r == 0 && (st.Mode & 0xF000) == 0x8000;
    }

    /// <summary>
    /// A regular file's bytes, read only if it is one (a FIFO, device or directory is refused
    /// before it is opened) and at most <paramref name="maxBytes"/> long (refused by its size):
    /// for programs, interpreters and bare-metal images. Failures are one-line
    /// <see cref="ProcessLoadException"/>s naming <paramref name="what"/>.
    /// </summary>
    public static unsafe byte[] ReadRegularFile(string path, string what, long maxBytes)
    {
        HostStat st;
        int statResult;
        fixed (byte* p = Encoding.UTF8.GetBytes(path + "\0")) statResult = HostLibc.FStatAt(HostLibc.AtFdCwd, p, &st, 0);
        if (statResult != 0)
        {
            int errno = System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
            throw new ProcessLoadException($"{path}: cannot read the {what}: {HostFileReader.Reason(errno)}");
        }
        const uint S_IFMT = 0xF000, S_IFREG = 0x8000, S_IFDIR = 0x4000;
        if ((st.Mode & S_IFMT) == S_IFDIR) throw new ProcessLoadException($"{path}: cannot read the {what}: is a directory");
        if ((st.Mode & S_IFMT) != S_IFREG)
            throw new ProcessLoadException($"{path}: cannot read the {what}: permission denied (not a regular file)");
        if (st.Size > maxBytes)
            throw new ProcessLoadException($"{path}: the {what} is {st.Size >> 20} MiB, more than armemu reads ({maxBytes >> 20} MiB)");
        byte[] data = new byte[st.Size];
        int total = HostFileReader.Read(path, data);
        if (total < 0) throw new ProcessLoadException($"{path}: cannot read the {what}: {HostFileReader.Reason(-total)}");
        if (total < data.Length) Array.Resize(ref data, total);
        return data;
    }

    /// <summary>
    /// Reads and parses an ELF file; a missing, unreadable or malformed one is a one-line
    /// <see cref="ProcessLoadException"/>. As execve does (do_open_execat), only a regular
    /// file is read: a FIFO, a device such as /dev/zero or a directory is refused before it is
    /// opened (never read whole, never waited on); a file over <see cref="MaxFileSize"/> is
    /// refused by its size, and at most its size at the time is read. A file whose section
    /// headers are malformed still runs if its program headers are sound, as with binfmt_elf.
    /// With <paramref name="keep"/> the result is kept for the next call for the same unchanged
    /// file (same device, inode, size and modification time), which takes it instead of reading
    /// and parsing the file again: <see cref="Loaders.ArmAttributes.ModelFor(string)"/> reads the
    /// program to choose the CPU model just before the kernel loads it.
    /// </summary>
    public static ElfFile ReadElf(string path, string what, bool keep = false)
    {
        var identity = Identity(path);
        lock (s_keptLock)
        {
            if (s_kept is { } kept && kept.Path == path && identity is { } id && kept.Identity == id)
            {
                s_kept = null;
                return kept.Elf;
            }
        }
        byte[] data = ReadRegularFile(path, what, MaxFileSize);
        ElfFile elf;
        try
        {
            elf = ElfFile.ParseForLoading(data);
        }
        catch (ElfFormatException strict)
        {
            throw new ProcessLoadException($"{path}: {strict.Message}");
        }
        if (elf.LoadSegments.Count == 0) throw new ProcessLoadException($"{path}: the {what} has no loadable segments");
        if (keep && identity is { } keptIdentity)
            lock (s_keptLock) s_kept = (path, keptIdentity, elf);
        return elf;
    }

    // A Monitor, not a System.Threading.Lock: a Lock's first use makes the thread's static block
    // for its thread id (a sixtieth of a static hello's start-up in a perf profile), a Monitor's
    // thin lock uses the runtime's own thread id.
    private static readonly object s_keptLock = new();

    /// <summary>A copy of a list, by index (a collection expression over the interface went through LINQ's ToArray: type loads at every start).</summary>
    private static string[] Copy(IReadOnlyList<string> list)
    {
        var copy = new string[list.Count];
        for (int i = 0; i < copy.Length; i++) copy[i] = list[i];
        return copy;
    }
    private static (string Path, (ulong, ulong, long, long, long) Identity, ElfFile Elf)? s_kept;

    /// <summary>Device, inode, size and modification time of the file at <paramref name="path"/>; null if it cannot be had.</summary>
    private static unsafe (ulong, ulong, long, long, long)? Identity(string path)
    {
        HostStat st;
        fixed (byte* p = Encoding.UTF8.GetBytes(path + "\0"))
            if (HostLibc.FStatAt(HostLibc.AtFdCwd, p, &st, 0) != 0) return null;
        return (st.Dev, st.Ino, st.Size, st.MTime, st.MTimeNs);
    }

    /// <summary>Maps the PT_LOAD segments at <paramref name="bias"/>; returns the end of the highest one.</summary>
    private uint MapSegments(MemoryPort memory, ProcessAddressSpace space, ElfFile elf, uint bias)
    {
        ulong end = 0;
        foreach (var segment in elf.LoadSegments)
        {
            uint start = segment.VirtualAddress + bias;
            ulong segmentEnd = (ulong)start + segment.MemorySize;
            if (segmentEnd > StackTop - StackSize)
                throw new ProcessLoadException($"segment {segment.Index} at 0x{start:x8} does not fit below the stack");
            var rights = ((segment.Flags & SegmentFlags.Read) != 0 ? Permission.Read : 0)
                         | ((segment.Flags & SegmentFlags.Write) != 0 ? Permission.Write : 0)
                         | ((segment.Flags & SegmentFlags.Execute) != 0 ? Permission.Execute : 0);
            for (ulong page = start & ~(ulong)PhysicalBus.PageMask; page < segmentEnd; page += PhysicalBus.PageSize)
            {
                // Segments may share a page (text end, data start): keep its frame and widen its rights.
                if (space.IsMapped((uint)page)) space.Protect((uint)page, PhysicalBus.PageSize, space.RightsOf((uint)page) | rights);
                else space.Map((uint)page, PhysicalBus.PageSize, rights);
            }
            memory.DebugWrite(start, elf.SegmentData(segment)[..(int)segment.FileSize]);
            end = Math.Max(end, segmentEnd);
        }
        return (uint)end;
    }

    /// <summary>
    /// Names the file-backed pages of each PT_LOAD segment for /proc/PID/maps: from the page
    /// holding its start to the page holding its last file byte, at the file offset of that
    /// first page (elf_map maps the segment from the file; the .bss pages past it are anonymous).
    /// </summary>
    private static unsafe void NameSegments(ProcessAddressSpace space, ElfFile elf, uint bias, string fullPath)
    {
        HostStat st = default;
        byte[] name = Encoding.UTF8.GetBytes(fullPath + "\0");
        fixed (byte* p = name)
            if (HostLibc.FStatAt(HostLibc.AtFdCwd, p, &st, 0) != 0) st = default;
        foreach (var segment in elf.LoadSegments)
        {
            if (segment.FileSize == 0) continue;
            uint start = (segment.VirtualAddress + bias) & ~PhysicalBus.PageMask;
            ulong end = ((ulong)segment.VirtualAddress + bias + segment.FileSize + PhysicalBus.PageMask) & ~(ulong)PhysicalBus.PageMask;
            space.Names.Set(start, (uint)Math.Min(end, uint.MaxValue & ~PhysicalBus.PageMask), fullPath, segment.Offset & ~PhysicalBus.PageMask, st.Dev, st.Ino);
        }
    }

    /// <summary>
    /// The initial stack as the kernel's create_elf_tables lays it out: strings at the top
    /// (argv, envp, AT_PLATFORM, AT_EXECFN, 16 random bytes), then, 8-byte aligned,
    /// argc, argv[], NULL, envp[], NULL, auxv pairs, AT_NULL.
    /// </summary>
    private uint BuildStack(LinuxMachine machine, ProcessAddressSpace space, uint entry, uint interpreterBias,
        IReadOnlyList<string> arguments, IReadOnlyList<string> environment)
    {
        var memory = machine.Memory;
        uint bottom = StackTop - StackSize;
        space.Map(bottom, StackSize, Permission.Read | Permission.Write);
        space.Names.Set(bottom, StackTop, "[stack]");
        uint sp = StackTop;

        uint PushBytes(ReadOnlySpan<byte> bytes)
        {
            sp -= (uint)bytes.Length;
            memory.DebugWrite(sp, bytes);
            return sp;
        }

        uint PushString(string s) => PushBytes(Encoding.UTF8.GetBytes(s + "\0"));

        uint execFn = PushString(ExecutablePath);
        // The last string highest, as Linux's copy_strings; loops, not LINQ, whose generic code
        // over uint was left to the JIT at every start-up.
        uint[] PushAll(IReadOnlyList<string> strings)
        {
            var addresses = new uint[strings.Count];
            for (int i = strings.Count - 1; i >= 0; i--) addresses[i] = PushString(strings[i]);
            return addresses;
        }

        var envAddresses = PushAll(environment);
        var argAddresses = PushAll(arguments);
        uint platform = PushString(Platform(machine.Cpu.Model));
        sp &= ~15u;
        Span<byte> randomBytes = stackalloc byte[16];
        _random.Fill(randomBytes);
        uint random = PushBytes(randomBytes);

        uint phdr = ProgramHeaderAddress(Executable) + LoadBias;
        var auxv = new List<(uint Type, uint Value)>
        {
            (3, phdr),                                           // AT_PHDR
            (4, 32),                                             // AT_PHENT
            (5, (uint)Executable.ProgramHeaders.Count),          // AT_PHNUM
            (6, PhysicalBus.PageSize),                           // AT_PAGESZ
            (7, interpreterBias),                                // AT_BASE
            (8, 0),                                              // AT_FLAGS
            (9, entry),                                          // AT_ENTRY
            (11, (uint)HostLibc.GetUid()),                       // AT_UID
            (12, (uint)HostLibc.GetEUid()),                      // AT_EUID
            (13, (uint)HostLibc.GetGid()),                       // AT_GID
            (14, (uint)HostLibc.GetEGid()),                      // AT_EGID
            (15, platform),                                      // AT_PLATFORM
            (16, HwCap(machine.Cpu.Model)),                      // AT_HWCAP
            (17, 100),                                           // AT_CLKTCK
            (23, 0),                                             // AT_SECURE
            (25, random),                                        // AT_RANDOM
            (26, 0),                                             // AT_HWCAP2
            (31, execFn),                                        // AT_EXECFN
            (0, 0),                                              // AT_NULL
        };

        int words = 1 + argAddresses.Length + 1 + envAddresses.Length + 1 + 2 * auxv.Count;
        sp = (sp - (uint)(4 * words)) & ~7u; // EABI: 8-byte aligned stack at entry
        var table = new byte[4 * words];
        int at = 0;
        void Word(uint v)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(table.AsSpan(at), v);
            at += 4;
        }
        Word((uint)argAddresses.Length);
        foreach (uint a in argAddresses) Word(a);
        Word(0);
        foreach (uint e in envAddresses) Word(e);
        Word(0);
        foreach (var (type, value) in auxv)
        {
            Word(type);
            Word(value);
        }
        memory.DebugWrite(sp, table);
        AuxiliaryVector = table.AsSpan(at - 8 * auxv.Count).ToArray();
        return sp;
    }

    /// <summary>The virtual address of the program headers: PT_PHDR, or where e_phoff falls in a PT_LOAD.</summary>
    private static uint ProgramHeaderAddress(ElfFile elf)
    {
        if (elf.PhdrHeader is { } phdr) return phdr.VirtualAddress;
        uint phoff = elf.ProgramHeaderOffset;
        foreach (var s in elf.LoadSegments)
            if (phoff >= s.Offset && phoff - s.Offset < s.FileSize) return s.VirtualAddress + (phoff - s.Offset);
        return 0;
    }
}
