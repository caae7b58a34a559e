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
internal sealed class ProfilingSession
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
    // What the CPU counts into while the region of interest is closed: nobody reads it.
    private readonly ExecutionProfile _outsideRegion = new() { FollowsCalls = false };
    private readonly RegionTracker _region;
    // The running thread's profile and region state (the only one without FollowThreads).
    private Activity _current;
    private readonly Dictionary<ExecutionProfile, Activity> _activities = [];

    /// <param name="region">What part of the run to count; null: all of it (the guest's requests still apply).</param>
    /// <param name="cpu">The processor to profile.</param>
    /// <param name="code">The symbols and source lines of the code it runs.</param>
    /// <param name="caches">The cache system whose events are charged to instructions, or null.</param>
    public ProfilingSession(Cpu.Cpu cpu, CodeMap code, CacheSystem? caches = null, RegionOfInterestOptions? region = null)
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
        _region = new RegionTracker(this, region ?? RegionOfInterestOptions.WholeRun);
        _current = ActivityOf(Profile, Cache);
        foreach (var o in code.Objects)
        {
            AddEntries(o);
            _region.Add(o);
        }
        StartCount = cpu.InstructionsExecuted;
        // The code running now is the outermost activation; nothing calls it (if the region is open).
        Apply(cpu.PC, cpu.Mode);
        _region.HookIfNeeded(cpu);
    }

    /// <summary>The region of interest's options.</summary>
    public RegionOfInterestOptions Region => _region.Options;

    /// <summary>Symbols of the region's options (--profile-from/--profile-to, --toggle-collect) that no code named, so far.</summary>
    public IEnumerable<string> UnresolvedRegionSymbols => _region.Unresolved;

    /// <summary>Whether the running thread's instructions are being counted now.</summary>
    public bool Collecting => _region.Collecting(_current);

    /// <summary>The guest's callgrind requests seen so far (start, stop, toggle...), by request code.</summary>
    public IReadOnlyDictionary<uint, int> GuestRequestsSeen => _region.RequestsSeen;

    /// <summary>
    /// Looks for the guest's client requests in a raw image (a bare-metal binary without ELF
    /// headers) loaded at <paramref name="address"/>; ELF code is searched as it is added.
    /// </summary>
    public void AddRawImage(ReadOnlySpan<byte> image, uint address) => _region.AddRequests(GuestRequests.Find(image, address));

    /// <summary>A thread's profile and what the region of interest knows of it.</summary>
    internal sealed class Activity(ExecutionProfile profile, CacheProfile? cache, bool collect)
    {
        public ExecutionProfile Profile { get; } = profile;
        public CacheProfile? Cache { get; } = cache;

        /// <summary>Its outermost activation is open (the region was open when it last ran).</summary>
        public bool Open { get; set; }

        /// <summary>callgrind's per-thread collect state.</summary>
        public bool Collect { get; set; } = collect;

        /// <summary>Open activations of --toggle-collect functions: where each returns to, and its SP at entry.</summary>
        public Stack<(uint Return, uint Sp)> Toggles { get; } = new();
    }

    private Activity ActivityOf(ExecutionProfile profile, CacheProfile? cache)
    {
        if (!_activities.TryGetValue(profile, out var a)) _activities[profile] = a = new Activity(profile, cache, _region.Options.CollectsAtStart);
        return a;
    }

    internal Activity Current => _current;

    /// <summary>
    /// Points the CPU and the cache observer at the running thread's profile while the region is
    /// open for it, at the discarded one otherwise; opens the thread's outermost activation at
    /// <paramref name="pc"/> when the region opens, and closes every call it has open (charging
    /// them up to now) when it closes. The profile's clock runs only while the region is open.
    /// </summary>
    /// <param name="atInstruction">The region changes at this instruction (not at a thread's start): a function entered here returns to LR.</param>
    /// <param name="pc">The running thread's PC.</param>
    /// <param name="mode">The processor mode, which tells whether the region counts this code.</param>
    internal void Apply(uint pc, ProcessorMode mode, bool atInstruction = false)
    {
        var a = _current;
        var profile = a.Profile;
        ulong now = _cpu.InstructionsExecuted;
        bool on = _region.Collecting(a);
        if (on)
        {
            profile.Resume(now);
            if (!a.Open)
            {
                // Opened at a function's entry (--toggle-collect, --profile-from FUNCTION): that
                // function is the root and its return closes it; code after it is nobody's callee.
                if (atInstruction && profile.FunctionEntries.Contains(pc & ~1u))
                    profile.EnterRoot(pc, profile.LocalTime(now), mode, _cpu.R[14] & ~1u, _cpu.R[13]);
                else
                    profile.EnterRoot(pc, profile.LocalTime(now), mode);
                a.Open = true;
            }
        }
        else
        {
            if (a.Open)
            {
                profile.CloseAll(profile.LocalTime(now));
                a.Open = false;
            }
            profile.Pause(now);
        }
        _cpu.Profile = on ? profile : _outsideRegion;
        if (_cacheObserver is not null) _cacheObserver.Target = on ? a.Cache : null;
    }

    /// <summary>The profile of the code that ran first (a Linux run: its first thread).</summary>
    public ExecutionProfile Profile { get; }

    /// <summary>The cache events charged per instruction (of the first thread), or null when the cache model is off.</summary>
    public CacheProfile? Cache { get; }

    public CodeMap Code { get; }

    /// <summary>The machine has an outer (L2) cache: the last-level events are its misses, not the L1's.</summary>
    public bool HasOuterCache => _caches?.OuterCache is not null;

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
            execution.Pause(0); // its clock starts when it first runs in the region (Apply)
            var cache = _caches is null ? null : new CacheProfile(_cpu, execution.Events);
            profile = new ThreadProfile(_threads.Count + 1, next.Tid, next.Process.Pid, execution, cache);
            _byThread[next] = profile;
            _threads.Add(profile);
        }
        if (ReferenceEquals(profile, _running)) return;
        _running?.Profile.Pause(now);
        _running = profile;
        _current = ActivityOf(profile.Profile, profile.Cache);
        Apply(next.SavedPc, ProcessorMode.User);
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
        _region.Add(code);
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
    public static ProfilingSession ForLinux(LinuxProcess process, RegionOfInterestOptions? region = null)
    {
        var code = new CodeMap();
        code.Add(CodeMap.KuserHelpers());
        code.Add(CodeObject.FromElf(Path.GetFullPath(process.ExecutablePath), process.Executable, process.LoadBias));
        if (process.Interpreter is { } interpreter && process.Executable.Interpreter is { } interpreterPath)
            code.Add(CodeObject.FromElf((process.SysRoot ?? "") + interpreterPath, interpreter.Elf, interpreter.Bias));
        var session = new ProfilingSession(process.Cpu, code, process.Caches, region);
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
/// <param name="Tid">The thread's id.</param>
/// <param name="Pid">Its process's id.</param>
/// <param name="Profile">What it executed, by instruction and call.</param>
/// <param name="Cache">What its accesses did in the caches, or null with the cache model off.</param>
internal sealed record ThreadProfile(int Number, int Tid, int Pid, ExecutionProfile Profile, CacheProfile? Cache);

/// <summary>Passes the cache events on to one observer, which can change (the running thread's <see cref="CacheProfile"/>).</summary>
internal sealed class SwitchingCacheObserver : ICacheObserver
{
    public ICacheObserver? Target { get; set; }

    public void OnFetch(uint va, bool hit) => Target?.OnFetch(va, hit);

    public void OnDataRead(uint va, bool hit) => Target?.OnDataRead(va, hit);

    public void OnDataWrite(uint va, bool hit) => Target?.OnDataWrite(va, hit);

    public void OnWriteBack(uint pa) => Target?.OnWriteBack(pa);

    public void OnLastLevelMiss(uint va, bool instruction, bool write) => Target?.OnLastLevelMiss(va, instruction, write);
}
