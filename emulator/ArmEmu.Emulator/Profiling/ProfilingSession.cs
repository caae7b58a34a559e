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
    private readonly CacheSystem? _caches;
    // The cache events go to the running thread's CacheProfile.
    private readonly SwitchingCacheObserver? _cacheObserver;
    private readonly Dictionary<GuestThread, ThreadProfile> _byThread = [];
    private readonly List<ThreadProfile> _threads = [];
    private ThreadProfile? _running;

    public ProfilingSession(Cpu.Cpu cpu, CodeMap code, CacheSystem? caches = null)
    {
        _cpu = cpu;
        _caches = caches;
        Code = code;
        Profile = new ExecutionProfile(caches is null ? 0 : CacheProfile.Count);
        if (caches is not null)
        {
            Cache = new CacheProfile(cpu, Profile.Events);
            _cacheObserver = new SwitchingCacheObserver { Target = Cache };
            caches.Observer = ICacheObserver.Combine(caches.Observer, _cacheObserver);
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

    /// <summary>The profile of the code that ran first (a Linux run: its first thread).</summary>
    public ExecutionProfile Profile { get; }

    /// <summary>The cache events charged per instruction (of the first thread), or null when the cache model is off.</summary>
    public CacheProfile? Cache { get; }

    public CodeMap Code { get; }

    /// <summary>The CPU's instruction count when profiling began.</summary>
    public ulong StartCount { get; }

    /// <summary>
    /// One profile per thread of a Linux run, in the order the threads first ran (the first
    /// thread's is <see cref="Profile"/>); empty unless <see cref="FollowThreads"/> was called.
    /// </summary>
    public IReadOnlyList<ThreadProfile> Threads => _threads;

    /// <summary>
    /// Gives every thread of <paramref name="kernel"/> a profile of its own, as callgrind's
    /// --separate-threads=yes: at each switch the CPU's <see cref="Cpu.Cpu.Profile"/> and the
    /// cache events go to the thread that gets the CPU, and a paused profile's clock stops, so
    /// each thread's calls cost its own instructions only. The threads' totals add up to the
    /// instructions of the run.
    /// </summary>
    public void FollowThreads(LinuxKernel kernel)
    {
        var first = kernel.CurrentThread;
        _running = new ThreadProfile(1, first.Tid, first.Process.Pid, Profile, Cache);
        _byThread[first] = _running;
        _threads.Add(_running);
        kernel.ThreadSwitching += SwitchTo;
    }

    private void SwitchTo(GuestThread next)
    {
        ulong now = _cpu.InstructionsExecuted;
        if (!_byThread.TryGetValue(next, out var profile))
        {
            var execution = new ExecutionProfile(Profile.Events.Length);
            execution.FunctionEntries.UnionWith(Profile.FunctionEntries);
            execution.Pause(0);
            execution.Resume(now); // its clock starts now
            execution.EnterRoot(next.SavedPc, 0, ProcessorMode.User);
            var cache = _caches is null ? null : new CacheProfile(_cpu, execution.Events);
            profile = new ThreadProfile(_threads.Count + 1, next.Tid, next.Process.Pid, execution, cache);
            _byThread[next] = profile;
            _threads.Add(profile);
        }
        if (ReferenceEquals(profile, _running)) return;
        _running?.Profile.Pause(now);
        profile.Profile.Resume(now);
        _running = profile;
        _cpu.Profile = profile.Profile;
        if (_cacheObserver is not null) _cacheObserver.Target = profile.Cache;
    }

    /// <summary>The report of one thread's profile (<see cref="Threads"/>).</summary>
    public ProfileReport Report(ThreadProfile thread) =>
        new(thread.Profile, Code, thread.Profile.LocalTime(_cpu.InstructionsExecuted), thread.Cache?.Sources);

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
        foreach (var t in _threads)
            if (!ReferenceEquals(t.Profile, Profile))
                foreach (uint entry in code.FunctionEntries) t.Profile.FunctionEntries.Add(entry);
    }

    /// <summary>The profile so far (of the first thread, when threads are followed), open calls charged up to now.</summary>
    public ProfileReport Report(IReadOnlyList<IProfileEventSource>? extraEvents = null) =>
        new(Profile, Code, Profile.LocalTime(_cpu.InstructionsExecuted), extraEvents ?? Cache?.Sources);

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
        session.FollowThreads(process.Kernel);
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

/// <summary>The profile of one thread of a Linux run.</summary>
/// <param name="Number">1 for the first thread, then in the order the threads first ran (callgrind's thread numbers).</param>
public sealed record ThreadProfile(int Number, int Tid, int Pid, ExecutionProfile Profile, CacheProfile? Cache);

/// <summary>Passes the cache events on to one observer, which can change (the running thread's <see cref="CacheProfile"/>).</summary>
internal sealed class SwitchingCacheObserver : ICacheObserver
{
    public ICacheObserver? Target { get; set; }

    public void OnFetch(uint va, bool hit) => Target?.OnFetch(va, hit);

    public void OnDataRead(uint va, bool hit) => Target?.OnDataRead(va, hit);

    public void OnDataWrite(uint va, bool hit) => Target?.OnDataWrite(va, hit);

    public void OnWriteBack(uint pa) => Target?.OnWriteBack(pa);
}
