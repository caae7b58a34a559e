using ArmEmu.Emulator.Boards;
using ArmEmu.Emulator.Linux;
using ArmEmu.Memory;
using ArmEmu.Memory.Caches;
using ArmEmu.TestSupport;

namespace ArmEmu.Emulator.Tests.Api;

/// <summary>
/// Map, unmap (partial ranges too), protect, regions and a caller's buffer through
/// <see cref="IMachine"/> on the machines beside the bare emulator (whose own tests are
/// <see cref="MachineApiTests"/>): a board's physical map and a Linux process's address space,
/// in the shape of Unicorn's samples (a fault hook that maps memory and resumes, a protection
/// fault the hook fixes up), with the regions checked after each step.
/// </summary>
public class MemoryMapOnEveryMachineTests
{
    // Reads, writes and calls three unmapped pages; the fault hook maps each and the guest goes on.
    private const string ThreeUnmappedAccesses = """
        ldr r1, =0x30000000
        ldr r0, [r1]
        ldr r2, =0x30100000
        str r0, [r2]
        ldr r3, =0x30200000
        blx r3
        b .
        """;

    private static VersatilePb Board(string asm)
    {
        var board = new VersatilePb(new VersatilePbOptions { MemorySize = 1 << 20 });
        board.LoadRaw(GnuToolchain.Assemble(asm, 0x1000), 0x1000, 0x1000);
        return board;
    }

    private static MemoryRegion[] Within(IMachine machine, uint begin, uint end) =>
        machine.Regions.Where(r => r.Begin >= begin && r.End <= end).ToArray();

    /// <summary>The hook of Unicorn's sample_arm "hook_mem_invalid": map the page, fill it for what the guest wants, retry.</summary>
    private static List<MemoryFaultInfo> MapOnFault(IMachine machine, uint begin, uint end, List<MemoryRegion[]> regionsAfterEach)
    {
        var faults = new List<MemoryFaultInfo>();
        machine.Hooks().Fault((m, fault) =>
        {
            faults.Add(fault);
            if (fault.Kind != FaultKind.Unmapped) return false;
            uint page = fault.Address & ~0xFFFu;
            m.MapMemory(page, 0x1000, fault.IsWrite ? Permission.Read | Permission.Write : Permission.All);
            if (fault.IsFetch) m.WriteMemory(page, GnuToolchain.Assemble("add r0, r0, #1\nbx lr", page));
            else if (!fault.IsWrite) m.WriteMemory(page, BitConverter.GetBytes(41u));
            regionsAfterEach.Add(Within(m, begin, end));
            return true;
        });
        return faults;
    }

    [Fact]
    public void OnABoardUnmappedReadWriteAndFetchFaultsMapMemoryAndResume()
    {
        using var board = Board(ThreeUnmappedAccesses);
        IMachine machine = board;
        Assert.Empty(Within(machine, 0x3000_0000, 0x3FFF_FFFF));
        var regions = new List<MemoryRegion[]>();
        var faults = MapOnFault(machine, 0x3000_0000, 0x3FFF_FFFF, regions);

        Assert.Equal(MachineStop.Spinning, board.Run(1000));

        Assert.Equal([(0x3000_0000u, false, false), (0x3010_0000u, true, false), (0x3020_0000u, false, true)],
                     faults.Select(f => (f.Address, f.IsWrite, f.IsFetch)));
        Assert.All(faults, f => Assert.Equal(FaultKind.Unmapped, f.Kind));
        Assert.Equal(42ul, machine.ReadRegister("r0")); // 41 read, +1 by the code mapped on the fetch fault
        Assert.Equal(41u, BitConverter.ToUInt32(machine.ReadMemory(0x3010_0000, 4)));
        var rw = Permission.Read | Permission.Write;
        Assert.Equal([new MemoryRegion(0x3000_0000, 0x1000, Permission.All)], regions[0]);
        Assert.Equal([new MemoryRegion(0x3000_0000, 0x1000, Permission.All), new MemoryRegion(0x3010_0000, 0x1000, rw)], regions[1]);
        Assert.Equal([new MemoryRegion(0x3000_0000, 0x1000, Permission.All), new MemoryRegion(0x3010_0000, 0x1000, rw),
                      new MemoryRegion(0x3020_0000, 0x1000, Permission.All)], regions[2]);
        // The board's own RAM and devices are regions too.
        Assert.Contains(new MemoryRegion(0, 1 << 20, Permission.All), machine.Regions);
        Assert.Contains(machine.Regions, r => r.Begin == VersatilePb.Uart0Base);
    }

    [Fact]
    public void OnABoardAProtectedPageFaultsToTheHookWhichFixesItUp()
    {
        using var board = Board("""
            mov r1, #0x20000
            mov r0, #7
            str r0, [r1]
            ldr r2, [r1]
            b .
            """);
        IMachine machine = board;
        machine.ProtectMemory(0x2_0000, 0x1000, Permission.Read);
        Assert.Equal([new MemoryRegion(0, 0x2_0000, Permission.All), new MemoryRegion(0x2_0000, 0x1000, Permission.Read),
                      new MemoryRegion(0x2_1000, 0xD_F000, Permission.All)], Within(machine, 0, 0xF_FFFF));
        var faults = new List<MemoryFaultInfo>();
        using var hook = machine.Hooks().Fault((m, fault) =>
        {
            faults.Add(fault);
            m.ProtectMemory(fault.Address & ~0xFFFu, 0x1000, Permission.Read | Permission.Write);
            return true;
        });
        Assert.Equal(MachineStop.Spinning, board.Run(1000));
        var only = Assert.Single(faults);
        Assert.Equal((0x2_0000u, FaultKind.Permission, true, 0x1008u), (only.Address, only.Kind, only.IsWrite, only.Pc));
        Assert.Equal(7ul, machine.ReadRegister("r2")); // the store was retried and made
        Assert.Contains(new MemoryRegion(0x2_0000, 0x1000, Permission.Read | Permission.Write), machine.Regions);
    }

    [Fact]
    public void OnABoardAFaultNoHookTakesIsTheGuestsDataAbort()
    {
        using var board = Board("""
            mov r1, #0x20000
            str r0, [r1]
            b .
            """);
        IMachine machine = board;
        machine.ProtectMemory(0x2_0000, 0x1000, Permission.Read);
        var seen = new List<MemoryFaultInfo>();
        using var hook = machine.Hooks().Fault((_, fault) => { seen.Add(fault); return false; });
        using var atVector = machine.Hooks().Code((m, _, _) => m.Stop(), 0x10, 0x10);
        Assert.Equal(MachineStop.Stopped, board.Run(1000));
        Assert.Single(seen);
        // The abort was taken: Abort mode, at the Data Abort vector, LR_abt = the store + 8.
        Assert.Equal(0x17ul, machine.ReadRegister("cpsr") & 0x1F);
        Assert.Equal(0x10ul, machine.ReadRegister("pc"));
        Assert.Equal(0x1004ul + 8, machine.ReadRegister("lr_abt"));
    }

    [Fact]
    public void OnABoardAPartialUnmapOfItsRamFaultsThereAndMapsAgainZeroed()
    {
        using var board = Board("ldr r1, =0x21000\nldr r0, [r1]\nb .");
        IMachine machine = board;
        machine.WriteMemory(0x2_1000, BitConverter.GetBytes(0x1234u));
        machine.UnmapMemory(0x2_0000, 0x2000);
        Assert.Equal([new MemoryRegion(0, 0x2_0000, Permission.All), new MemoryRegion(0x2_2000, 0xD_E000, Permission.All)],
                     Within(machine, 0, 0xF_FFFF));
        Assert.Throws<ArgumentException>(() => machine.ReadMemory(0x2_1000, 4));
        Assert.Throws<ArgumentException>(() => machine.UnmapMemory(0x2_0000, 0x1000)); // not mapped any more
        Assert.Throws<ArgumentException>(() => machine.MapMemory(0x2_2000, 0x1000));   // still mapped
        var regions = new List<MemoryRegion[]>();
        var faults = MapOnFault(machine, 0, 0xF_FFFF, regions);
        Assert.Equal(MachineStop.Spinning, board.Run(1000));
        Assert.Equal(0x2_1000u, Assert.Single(faults).Address);
        Assert.Equal(41ul, machine.ReadRegister("r0")); // the page came back zeroed, the hook wrote 41
        Assert.Equal([new MemoryRegion(0, 0x2_0000, Permission.All), new MemoryRegion(0x2_1000, 0xD_F000, Permission.All)], regions[0]);
    }

    [Fact]
    public void OnABoardTheCallersBufferIsWhatTheGuestReadsAndWrites()
    {
        var buffer = new byte[0x2000];
        buffer[0x1000] = 0x11;
        using var board = Board("""
            ldr r1, =0x30001000
            ldrb r2, [r1]
            add r2, r2, #1
            str r2, [r1, #4]
            b .
            """);
        IMachine machine = board;
        machine.MapMemory(0x3000_0000, buffer, Permission.Read | Permission.Write);
        Assert.Equal([new MemoryRegion(0x3000_0000, 0x2000, Permission.Read | Permission.Write)], Within(machine, 0x3000_0000, 0x3FFF_FFFF));
        Assert.Equal(MachineStop.Spinning, board.Run(1000));
        Assert.Equal(0x12, buffer[0x1004]); // data accesses with the MMU off are uncached: straight into the array
        buffer[8] = 0x77;
        Assert.Equal(0x77, machine.ReadMemory(0x3000_0008, 1)[0]);
        machine.UnmapMemory(0x3000_0000, 0x1000); // half of it: the rest stays
        Assert.Equal([new MemoryRegion(0x3000_1000, 0x1000, Permission.Read | Permission.Write)], Within(machine, 0x3000_0000, 0x3FFF_FFFF));
        machine.UnmapMemory(0x3000_1000, 0x1000);
        Assert.Empty(Within(machine, 0x3000_0000, 0x3FFF_FFFF));
        Assert.DoesNotContain(board.Bus.RamRegions, r => r.Base == 0x3000_0000); // released from the bus
    }

    [Fact]
    public void OnABoardUnmappingCodeDropsItsCacheLinesAndDecodedInstructions()
    {
        // The I-cache on (SCTLR.I), code runs from 0x1000; then the page goes.
        using var board = Board("""
            mrc p15, 0, r0, c1, c0, 0
            orr r0, r0, #0x1000
            mcr p15, 0, r0, c1, c0, 0
            mov r0, #0
            add r0, r0, #1
            b .
            """);
        IMachine machine = board;
        Assert.Equal(MachineStop.Spinning, board.Run(1000));
        Assert.Contains(machine.CacheLines(), l => l.Cache == "I-cache" && l.PhysicalAddress >> 12 == 1);
        Assert.NotNull(board.Cpu.Code.Find(1));
        machine.UnmapMemory(0x1000, 0x1000);
        Assert.DoesNotContain(machine.CacheLines(), l => l.PhysicalAddress >> 12 == 1);
        Assert.Null(board.Cpu.Code.Find(1));
        // Running on at the unmapped page is a prefetch fault the hooks see.
        var faults = new List<MemoryFaultInfo>();
        using var hook = machine.Hooks().Fault((m, f) => { faults.Add(f); m.Stop(); return true; });
        board.Run(2000);
        Assert.True(faults.Count > 0 && faults[0].IsFetch && faults[0].Address == 0x1014, string.Join(", ", faults));
    }

    [Fact]
    public void OnTheVexpressAPageTheApiUnmappedFaultsThoughItsFreeSpaceReadsZero()
    {
        // vexpress-a9 answers reads of space nobody decodes with zero (QEMU's
        // ignore_memory_transaction_failures): not mapped, no fault. A page the embedder unmapped faults.
        using var board = new VexpressA9(new VexpressA9Options { MemorySize = 16u << 20 });
        board.LoadRaw(GnuToolchain.Assemble("ldr r1, =0x9f000000\nldr r0, [r1]\nldr r1, =0x60100000\nldr r2, [r1]\nb .", 0x6000_0000, "armv7-a"),
                      0x6000_0000, 0x6000_0000);
        IMachine machine = board;
        Assert.DoesNotContain(machine.Regions, r => r.Begin <= 0x9F00_0000 && r.End >= 0x9F00_0000);
        machine.WriteMemory(0x6010_0000, BitConverter.GetBytes(5u));
        machine.UnmapMemory(0x6010_0000, 0x1000);
        Assert.Contains(new MemoryRegion(0x6000_0000, 0x10_0000, Permission.All), machine.Regions);
        Assert.Contains(new MemoryRegion(0x6010_1000, 0xEF_F000, Permission.All), machine.Regions);
        var regions = new List<MemoryRegion[]>();
        var faults = MapOnFault(machine, 0x6000_0000, 0x60FF_FFFF, regions);
        Assert.Equal(MachineStop.Spinning, board.Run(1000));
        Assert.Equal(0x6010_0000u, Assert.Single(faults).Address);
        Assert.Equal(0ul, machine.ReadRegister("r0"));  // free space: zero, no fault
        Assert.Equal(41ul, machine.ReadRegister("r2")); // mapped again by the hook, zeroed, 41 written
        Assert.Equal([new MemoryRegion(0x6000_0000, 0x100_0000, Permission.All)], regions[0]);
    }

    // ---- Linux user mode --------------------------------------------------------------------

    [Fact]
    public void InLinuxUserModeUnmappedReadWriteAndFetchFaultsMapMemoryAndResume()
    {
        string binary = StaticArmPrograms.Build("api-faults", """
            .global _start
            _start:
            """ + ThreeUnmappedAccesses.Replace("b .", "mov r7, #1\nsvc #0") + """

            """);
        using var process = new LinuxProcess(binary, new LinuxProcessOptions { Arguments = [binary], Diagnostics = TextWriter.Null });
        IMachine machine = process;
        Assert.Empty(Within(machine, 0x3000_0000, 0x3FFF_FFFF));
        var regions = new List<MemoryRegion[]>();
        var faults = MapOnFault(machine, 0x3000_0000, 0x3FFF_FFFF, regions);

        Assert.Equal(42, process.Run(100_000)); // exit(r0): 41 read, +1 by the code the fetch fault mapped

        Assert.Equal([(0x3000_0000u, false, false), (0x3010_0000u, true, false), (0x3020_0000u, false, true)],
                     faults.Select(f => (f.Address, f.IsWrite, f.IsFetch)));
        var rw = Permission.Read | Permission.Write;
        Assert.Equal([new MemoryRegion(0x3000_0000, 0x1000, Permission.All), new MemoryRegion(0x3010_0000, 0x1000, rw),
                      new MemoryRegion(0x3020_0000, 0x1000, Permission.All)], regions[2]);
    }

    // Checks from inside the process what the embedder did at two points (functions it hooks):
    // /proc/self/maps lists the mapping, the guest's own mmap goes around it, the caller's buffer
    // holds what the caller wrote; after a partial unmap and a protect, maps shows both.
    private const string ProcessSeesTheApi = """
        #include <string.h>
        #include <fcntl.h>
        #include <unistd.h>
        #include <sys/mman.h>
        __attribute__((noinline)) void embedder_maps(void) { __asm__ volatile(""); }
        __attribute__((noinline)) void embedder_changes(void) { __asm__ volatile(""); }
        static char maps[16384];
        static int has(const char *line) {
            int fd = open("/proc/self/maps", O_RDONLY), n = 0, got;
            while ((got = read(fd, maps + n, sizeof maps - 1 - n)) > 0) n += got;
            close(fd);
            maps[n] = 0;
            return strstr(maps, line) != 0;
        }
        int main(void) {
            int status = 0;
            embedder_maps();
            if (has("\n90000000-90003000 rw-p ")) status |= 1;
            if (has("\n91000000-91002000 rw-p ")) status |= 2;
            void *p = mmap((void *)0x90000000, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
            if (p != MAP_FAILED && p != (void *)0x90000000) status |= 4;
            volatile char *buffer = (char *)0x91000000;
            if (buffer[0] == 'h') status |= 8;
            buffer[0x1008] = 'G';
            embedder_changes();
            if (has("\n90000000-90001000 rw-p ") && has("\n90002000-90003000 r--p ")) status |= 16;
            *(volatile int *)0x90002000 = 5; /* read-only now: the fault hook makes it writable */
            if (*(volatile int *)0x90002000 == 5) status |= 32;
            return status;
        }
        """;

    [Fact]
    public void InLinuxUserModeTheProcessSeesTheApisMappingsInItsMapsAndMmap()
    {
        string source = Path.Combine(Path.GetTempPath(), $"api-maps-{GnuToolchain.Hash(ProcessSeesTheApi)}.c");
        File.WriteAllText(source, ProcessSeesTheApi);
        string binary = GnuToolchain.CompileCached(source, "api-maps", "-O1 -static");
        using var process = new LinuxProcess(binary, new LinuxProcessOptions { Arguments = [binary], Diagnostics = TextWriter.Null });
        IMachine machine = process;
        var rw = Permission.Read | Permission.Write;
        uint Symbol(string name) => process.Executable.Symbols.First(s => s.Name == name).Value & ~1u;
        var buffer = new byte[0x2000];
        buffer[0] = (byte)'h';
        MemoryRegion[]? afterMap = null, afterUnmap = null, afterProtect = null;
        uint mapsAt = Symbol("embedder_maps"), changesAt = Symbol("embedder_changes");
        using var atMap = machine.Hooks().Code((m, _, _) =>
        {
            m.MapMemory(0x9000_0000, 0x3000, rw);
            m.MapMemory(0x9100_0000, buffer, rw);
            afterMap = Within(m, 0x9000_0000, 0x91FF_FFFF);
        }, mapsAt, mapsAt);
        using var atChange = machine.Hooks().Code((m, _, _) =>
        {
            m.UnmapMemory(0x9000_1000, 0x1000);
            afterUnmap = Within(m, 0x9000_0000, 0x90FF_FFFF);
            m.ProtectMemory(0x9000_2000, 0x1000, Permission.Read);
            afterProtect = Within(m, 0x9000_0000, 0x90FF_FFFF);
        }, changesAt, changesAt);
        var faults = new List<MemoryFaultInfo>();
        using var fix = machine.Hooks().Fault((m, fault) =>
        {
            faults.Add(fault);
            m.ProtectMemory(fault.Address & ~0xFFFu, 0x1000, rw);
            return true;
        });

        Assert.Equal(63, process.Run(50_000_000));

        Assert.Equal([new MemoryRegion(0x9000_0000, 0x3000, rw), new MemoryRegion(0x9100_0000, 0x2000, rw)], afterMap!);
        Assert.Equal([new MemoryRegion(0x9000_0000, 0x1000, rw), new MemoryRegion(0x9000_2000, 0x1000, rw)], afterUnmap!);
        Assert.Equal([new MemoryRegion(0x9000_0000, 0x1000, rw), new MemoryRegion(0x9000_2000, 0x1000, Permission.Read)], afterProtect!);
        var fault = Assert.Single(faults);
        Assert.Equal((0x9000_2000u, FaultKind.Permission, true), (fault.Address, fault.Kind, fault.IsWrite));
        // The guest's store into the caller's array, written back from the D-cache when the process exited.
        Assert.Equal((byte)'G', buffer[0x1008]);
    }

    [Fact]
    public void InLinuxUserModeTheCoherenceMonitorNamesTheStoreADeviceReadMissed()
    {
        // The load allocates the line (the ARM926 allocates on reads), the store dirties it; a bus
        // master then reads the page's frame behind the cache, as a DMA engine would.
        string binary = StaticArmPrograms.Build("api-coherence", """
            .global _start
            _start:
            ldr r1, =0x30000000
            ldr r0, [r1]
            add r0, r0, #5
            str r0, [r1]
            mov r7, #1
            svc #0
            .ltorg
            """);
        using var process = new LinuxProcess(binary, new LinuxProcessOptions { Arguments = [binary], Diagnostics = TextWriter.Null });
        IMachine machine = process;
        machine.MapMemory(0x3000_0000, 0x1000, Permission.Read | Permission.Write);
        uint start = process.Executable.Entry;
        var reports = new List<CoherenceReport>();
        using var coherence = machine.Hooks().Coherence((_, r) => reports.Add(r));
        using var stop = machine.Hooks().Code((m, _, _) => m.Stop(), start + 16, start + 16);
        Assert.Null(process.Run(1000));
        Assert.True(process.Memory.TryTranslateDebug(0x3000_0000, out uint physical));
        process.Bus.AnnounceMasterAccess(physical, 4, write: false);
        var report = Assert.Single(reports);
        Assert.Equal((CoherenceHazard.DmaReadOfDirtyLine, start + 12, physical), (report.Hazard, report.Pc, report.PhysicalAddress));
    }

    [Fact]
    public void InLinuxUserModeBadRangesAreOneLineErrors()
    {
        string binary = StaticArmPrograms.Build("api-exit", ".global _start\n_start:\nmov r0, #0\nmov r7, #1\nsvc #0");
        using var process = new LinuxProcess(binary, new LinuxProcessOptions { Arguments = [binary], Diagnostics = TextWriter.Null });
        IMachine machine = process;
        var entry = process.Executable.Entry & ~0xFFFu;
        Assert.Contains(machine.Regions, r => r.Begin <= entry && r.End >= entry && (r.Rights & Permission.Execute) != 0);
        Assert.Throws<ArgumentException>(() => machine.MapMemory(entry, 0x1000));          // mapped already
        Assert.Throws<ArgumentException>(() => machine.MapMemory(0x9000_0800, 0x1000));    // not page aligned
        Assert.Throws<ArgumentException>(() => machine.MapMemory(0xBF00_0000, 0x1000));    // above TASK_SIZE
        Assert.Throws<ArgumentException>(() => machine.UnmapMemory(0x9000_0000, 0x1000));  // not mapped
        Assert.Throws<ArgumentException>(() => machine.ProtectMemory(0x9000_0000, 0x1000, Permission.Read));
        Assert.Equal(0, process.Run(1000));
    }

    [Fact]
    public void InLinuxUserModeUnmappingCodeForgetsItsDecodedInstructions()
    {
        // The program calls code on a page of its own once; back on the first page, the embedder
        // unmaps that page: its decoded instructions go with it.
        string binary = StaticArmPrograms.Build("api-code", """
            .global _start
            _start:
            ldr r3, =far
            blx r3
            mov r7, #1
            svc #0
            .ltorg
            .balign 4096
            far:
            mov r0, #9
            bx lr
            """);
        using var process = new LinuxProcess(binary, new LinuxProcessOptions { Arguments = [binary], Diagnostics = TextWriter.Null });
        IMachine machine = process;
        uint far = process.Executable.Symbols.First(s => s.Name == "far").Value;
        bool unmapped = false;
        using var hook = machine.Hooks().Code((m, pc, _) =>
        {
            if (unmapped || pc >> 12 == far >> 12 || process.Cpu.Code.Find(far >> 12) is null) return; // not run yet
            m.UnmapMemory(far, 0x1000);
            unmapped = true;
        });
        Assert.Equal(9, process.Run(1000));
        Assert.True(unmapped);
        Assert.Null(process.Cpu.Code.Find(far >> 12));
        Assert.DoesNotContain(machine.Regions, r => r.Begin <= far && r.End >= far);
    }
}
