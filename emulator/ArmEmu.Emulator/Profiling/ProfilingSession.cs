using ArmEmu.Cpu;
using ArmEmu.Emulator.Linux;
using ArmEmu.Emulator.Loaders;
using ArmEmu.Memory.Caches;

namespace ArmEmu.Emulator.Profiling;

/// <summary>
/// Profiles a run: attaches an <see cref="ExecutionProfile"/> to the CPU, keeps the
/// <see cref="CodeMap"/> up to date as code is loaded, and produces the report at the end.
/// With the cache model on, it also watches the caches (<see cref="CacheProfile"/>): the
/// report then has the I1mr, D1mr, D1mw, D1wb, Dr and Dw columns.
/// </summary>
public sealed class ProfilingSession
{
    /// <summary>Observes nothing; its presence keeps every access on the memory port's full path.</summary>
    private sealed class EveryAccess : Memory.IMemoryObserver
    {
        public void OnAccess(uint va, uint pa, int size, Memory.AccessKind access, uint value) { }
    }

    private readonly Cpu.Cpu _cpu;

    public ProfilingSession(Cpu.Cpu cpu, CodeMap code, CacheSystem? caches = null)
    {
        _cpu = cpu;
        Code = code;
        Profile = new ExecutionProfile(caches is null ? 0 : CacheProfile.Count);
        if (caches is not null)
        {
            Cache = new CacheProfile(cpu, Profile.Events);
            caches.Observer = ICacheObserver.Combine(caches.Observer, Cache);
            // Dr and Dw need every D-cache hit, which the memory port serves on its own while
            // nobody observes accesses: an observer sends them all through the cache system.
            cpu.Memory.Observer ??= new EveryAccess();
        }
        foreach (var o in code.Objects) AddEntries(o);
        // The code running now is the outermost activation; nothing calls it.
        Profile.EnterRoot(cpu.PC, cpu.InstructionsExecuted, cpu.Mode);
        StartCount = cpu.InstructionsExecuted;
        cpu.Profile = Profile;
    }

    public ExecutionProfile Profile { get; }

    /// <summary>The cache events charged per instruction, or null when the cache model is off.</summary>
    public CacheProfile? Cache { get; }

    public CodeMap Code { get; }

    /// <summary>The CPU's instruction count when profiling began.</summary>
    public ulong StartCount { get; }

    /// <summary>Names the code an ELF image brings, loaded <paramref name="bias"/> above its link addresses.</summary>
    public void AddElf(string name, ElfFile elf, uint bias) => Add(CodeObject.FromElf(name, elf, bias));

    /// <summary>
    /// Names code from a separate symbol file (<c>--symbols</c>): an ELF file (a kernel's vmlinux,
    /// an unstripped copy of a library) at its link addresses, or a System.map / nm listing.
    /// Added last, it wins over what the run loaded where both name an address.
    /// </summary>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public void AddSymbolFile(string path)
    {
        byte[] head = new byte[4];
        using (var f = File.OpenRead(path)) f.ReadExactly(head, 0, (int)Math.Min(4, f.Length));
        if (head is [0x7F, (byte)'E', (byte)'L', (byte)'F'])
        {
            try
            {
                AddElf(Path.GetFullPath(path), ElfFile.Load(path), 0);
                return;
            }
            catch (ElfFormatException e)
            {
                throw new IOException($"{path}: {e.Message}");
            }
        }
        Add(CodeObject.FromSymbolMap(Path.GetFullPath(path), File.ReadLines(path)));
    }

    public void Add(CodeObject code)
    {
        Code.Add(code);
        AddEntries(code);
    }

    private void AddEntries(CodeObject code)
    {
        foreach (uint entry in code.FunctionEntries) Profile.FunctionEntries.Add(entry);
    }

    /// <summary>The profile so far, open calls charged up to now.</summary>
    public ProfileReport Report(IReadOnlyList<IProfileEventSource>? extraEvents = null) =>
        new(Profile, Code, _cpu.InstructionsExecuted, extraEvents ?? Cache?.Sources);

    /// <summary>
    /// Profiles a Linux process: its executable, its ELF interpreter, the kuser helper page,
    /// and every ELF file the dynamic loader maps afterwards (shared objects under -L).
    /// </summary>
    public static ProfilingSession ForLinux(LinuxProcess process)
    {
        var code = new CodeMap();
        code.Add(CodeMap.KuserHelpers());
        code.Add(CodeObject.FromElf(Path.GetFullPath(process.ExecutablePath), process.Executable, process.LoadBias));
        if (process.Interpreter is { } interpreter && process.Executable.Interpreter is { } interpreterPath)
            code.Add(CodeObject.FromElf((process.SysRoot ?? "") + interpreterPath, interpreter.Elf, interpreter.Bias));
        var session = new ProfilingSession(process.Cpu, code, process.Caches);
        process.Kernel.FileMapped += (hostPath, start, bytes) =>
        {
            if (bytes.Length < 4 || bytes[0] != 0x7F || bytes[1] != (byte)'E' || bytes[2] != (byte)'L' || bytes[3] != (byte)'F') return;
            try
            {
                // The whole file: the mapping may stop before the section headers and .symtab.
                var elf = ElfFile.Load(hostPath);
                if (elf.LoadSegments.Count == 0) return;
                uint bias = start - (elf.LoadSegments[0].VirtualAddress & ~0xFFFu);
                session.AddElf(hostPath, elf, bias);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ElfFormatException)
            {
                // Not an image we can name: its code shows up by address.
            }
        };
        return session;
    }
}
