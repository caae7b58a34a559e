using ArmEmu.Emulator.Linux;
using ArmEmu.TestSupport;

namespace ArmEmu.Emulator.Tests.Linux;

/// <summary>
/// The scheduler of Linux user mode: threads that never block are switched every
/// <see cref="LinuxKernel.Quantum"/> instructions, the same way on every run, never inside a
/// kuser helper (so __kuser_cmpxchg stays atomic).
/// </summary>
public sealed class SchedulerTests
{
    // Two processes counting without a system call: only the quantum switches them.
    private const string SpinningProcesses = """
        #include <sys/wait.h>
        #include <unistd.h>
        static volatile unsigned counter;
        int main(void)
        {
            pid_t child = fork();
            for (unsigned i = 0; i < 2000000; i++) counter++;
            if (child == 0) _exit(0);
            int status;
            waitpid(child, &status, 0);
            return WEXITSTATUS(status) + 7;
        }
        """;

    // Two threads adding through __sync_fetch_and_add, which armel's libgcc does with
    // __kuser_cmpxchg: a switch inside the helper's load-compare-store would lose additions.
    private const string KuserAtomics = """
        #include <pthread.h>
        static int counter;
        static void *add(void *arg) { for (int i = 0; i < 300000; i++) __sync_fetch_and_add(&counter, 1); return arg; }
        int main(void)
        {
            pthread_t t;
            pthread_create(&t, 0, add, 0);
            add(0);
            pthread_join(t, 0);
            return counter == 600000 ? 0 : 1;
        }
        """;

    private static string Build(string name, string source)
    {
        string directory = Path.Combine(Path.GetTempPath(), "armemu-build-cache", "scheduler-" + GnuToolchain.Hash(source));
        string binary = Path.Combine(directory, name);
        if (File.Exists(binary)) return binary;
        Directory.CreateDirectory(directory);
        string c = Path.Combine(directory, name + ".c"), partial = $"{binary}.{Environment.ProcessId}.tmp";
        File.WriteAllText(c, source);
        GnuToolchain.Run("arm-linux-gnueabi-gcc", $"-O2 -static -pthread -o {partial} {c}", "gcc-arm-linux-gnueabi");
        File.Move(partial, binary, overwrite: true);
        return binary;
    }

    private static (int? Status, ulong Instructions, ulong Switches, ulong AddressSpaceSwitches, ulong DataWriteBacks) Run(string binary)
    {
        using var process = new LinuxProcess(binary, new LinuxProcessOptions { Arguments = [binary] });
        int? status = process.Run(500_000_000);
        return (status, process.Cpu.InstructionsExecuted, process.Kernel.ThreadSwitches, process.Kernel.AddressSpaceSwitches,
                process.Caches!.DataCache!.Counters.WriteBacks);
    }

    [Fact]
    public void ProcessesThatNeverBlockAreSwitchedEveryQuantum()
    {
        var run = Run(Build("spin", SpinningProcesses));
        Assert.Equal(7, run.Status);
        long quanta = (long)(run.Instructions / LinuxKernel.Quantum);
        Assert.True(quanta >= 10, $"{run.Instructions} instructions");
        // Every switch ends a quantum, but for the parent blocking in waitpid at the end.
        Assert.InRange((long)run.Switches, quanta - 1, quanta + 2);
        Assert.Equal(run.Switches, run.AddressSpaceSwitches); // each one between the two processes
    }

    [Fact]
    public void TheSameProgramSwitchesAtTheSameInstructionsEveryRun()
    {
        string binary = Build("spin", SpinningProcesses);
        var first = Run(binary);
        var second = Run(binary);
        Assert.Equal(first, second);
    }

    [Fact]
    public void NoSwitchInsideAKuserHelperSoCmpxchgStaysAtomic()
    {
        string binary = Build("atomics", KuserAtomics);
        using var process = new LinuxProcess(binary, new LinuxProcessOptions { Arguments = [binary] });
        var switchedAt = new List<uint>();
        process.Kernel.ThreadSwitching += _ => switchedAt.Add(process.Cpu.PC);
        Assert.Equal(0, process.Run(500_000_000));
        Assert.True(switchedAt.Count >= 5, $"{switchedAt.Count} switches");
        Assert.DoesNotContain(switchedAt, pc => pc >= 0xFFFF_0F60);
    }
}
