using System.Diagnostics;
using ArmEmu.Emulator.Linux;
using ArmEmu.TestSupport;

namespace ArmEmu.Emulator.Tests.Linux;

/// <summary>
/// Time in Linux user mode is the machine's: sleeps, timeouts and the clocks count machine
/// cycles, and when every thread waits the clock jumps to the earliest deadline. So a long
/// sleep costs no host time, a timeout ends at the same instruction on every run, and a
/// thread waiting in select or poll lets the others run.
/// </summary>
public sealed class GuestClockTests
{
    // One thread sleeps for an hour: the monotonic and real-time clocks move by an hour (and a
    // few microseconds of instructions); exit 0 if they did.
    private const string HourLongSleep = """
        #include <time.h>
        #include <unistd.h>
        static long long ns(clockid_t c) { struct timespec t; clock_gettime(c, &t); return t.tv_sec * 1000000000LL + t.tv_nsec; }
        int main(void)
        {
            long long m0 = ns(CLOCK_MONOTONIC), r0 = ns(CLOCK_REALTIME);
            sleep(3600);
            long long m = ns(CLOCK_MONOTONIC) - m0, r = ns(CLOCK_REALTIME) - r0;
            if (m < 3600000000000LL || m > 3600001000000LL) return 1;
            if (r < 3600000000000LL || r > 3600001000000LL) return 2;
            struct timespec rel = {0, 5000000};
            long long a = ns(CLOCK_MONOTONIC);
            clock_nanosleep(CLOCK_MONOTONIC, 0, &rel, 0);
            struct timespec abs; clock_gettime(CLOCK_MONOTONIC, &abs);
            abs.tv_sec += 2;
            clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &abs, 0);
            long long b = ns(CLOCK_MONOTONIC) - a;
            return b >= 2005000000LL && b < 2006000000LL ? 0 : 3;
        }
        """;

    // A worker counts while the main thread waits 20 ms for a condition nobody signals (on
    // CLOCK_MONOTONIC, which counts from the start of the run), then 30 ms in select on an
    // empty pipe: each timeout ends after the same number of the worker's iterations, and the
    // run after the same instructions, on every run. The exit status folds the counts together.
    private const string TimeoutsWhileAnotherThreadRuns = """
        #include <pthread.h>
        #include <sys/select.h>
        #include <time.h>
        #include <unistd.h>
        static volatile unsigned counter, stop;
        static void *count(void *arg) { while (!stop) counter++; return arg; }
        int main(void)
        {
            pthread_t t;
            pthread_create(&t, 0, count, 0);
            pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
            pthread_condattr_t a;
            pthread_condattr_init(&a);
            pthread_condattr_setclock(&a, CLOCK_MONOTONIC); // CLOCK_REALTIME's value is the host's: its digits vary
            pthread_cond_t c;
            pthread_cond_init(&c, &a);
            struct timespec until;
            clock_gettime(CLOCK_MONOTONIC, &until);
            until.tv_nsec += 20000000;
            if (until.tv_nsec >= 1000000000) { until.tv_sec++; until.tv_nsec -= 1000000000; }
            pthread_mutex_lock(&m);
            int r = pthread_cond_timedwait(&c, &m, &until);
            pthread_mutex_unlock(&m);
            unsigned first = counter;
            int p[2];
            pipe(p);
            fd_set set; FD_ZERO(&set); FD_SET(p[0], &set);
            struct timeval tv = {0, 30000};
            int n = select(p[0] + 1, &set, 0, 0, &tv);
            unsigned second = counter;
            stop = 1;
            pthread_join(t, 0);
            if (r != 110 /* ETIMEDOUT */ || n != 0 || first == 0 || second <= first) return 1;
            return 2 + (int)((first ^ second) % 200);
        }
        """;

    // The main thread selects on an empty pipe with no timeout; a second thread writes to it
    // after a million iterations. Exit 0 once the main thread has read what was written.
    private const string SelectWaitsForAnotherThread = """
        #include <poll.h>
        #include <pthread.h>
        #include <sys/epoll.h>
        #include <sys/select.h>
        #include <unistd.h>
        static int p[2], q[2], e[2];
        static void *writer(void *arg)
        {
            for (volatile int i = 0; i < 1000000; i++) {}
            write(p[1], "s", 1);
            for (volatile int i = 0; i < 1000000; i++) {}
            write(q[1], "p", 1);
            for (volatile int i = 0; i < 1000000; i++) {}
            write(e[1], "e", 1);
            return arg;
        }
        int main(void)
        {
            pipe(p); pipe(q); pipe(e);
            pthread_t t;
            pthread_create(&t, 0, writer, 0);
            fd_set set; FD_ZERO(&set); FD_SET(p[0], &set);
            if (select(p[0] + 1, &set, 0, 0, 0) != 1 || !FD_ISSET(p[0], &set)) return 1;
            struct pollfd pfd = {q[0], POLLIN, 0};
            if (poll(&pfd, 1, -1) != 1 || pfd.revents != POLLIN) return 2;
            int ep = epoll_create1(0);
            struct epoll_event ev = {.events = EPOLLIN, .data.u64 = 0x1122334455667788ULL}, out;
            epoll_ctl(ep, EPOLL_CTL_ADD, e[0], &ev);
            if (epoll_wait(ep, &out, 1, -1) != 1 || out.data.u64 != 0x1122334455667788ULL || out.events != EPOLLIN) return 3;
            char c[3];
            read(p[0], c, 1); read(q[0], c + 1, 1); read(e[0], c + 2, 1);
            pthread_join(t, 0);
            return c[0] == 's' && c[1] == 'p' && c[2] == 'e' ? 0 : 4;
        }
        """;

    private static string Build(string name, string source)
    {
        string directory = Path.Combine(Path.GetTempPath(), "armemu-build-cache", "clock-" + GnuToolchain.Hash(source));
        string binary = Path.Combine(directory, name);
        if (File.Exists(binary)) return binary;
        Directory.CreateDirectory(directory);
        string c = Path.Combine(directory, name + ".c"), partial = $"{binary}.{Environment.ProcessId}.tmp";
        File.WriteAllText(c, source);
        GnuToolchain.Run("arm-linux-gnueabi-gcc", $"-O2 -static -pthread -o {partial} {c}", "gcc-arm-linux-gnueabi");
        File.Move(partial, binary, overwrite: true);
        return binary;
    }

    private static (int? Status, ulong Instructions, ulong Switches) Run(string binary)
    {
        using var process = new LinuxProcess(binary, new LinuxProcessOptions { Arguments = [binary] });
        // A wait that blocked the host would hang the run: it gets a bounded time.
        var run = Task.Run(() => process.Run(2_000_000_000));
        Assert.True(run.Wait(TimeSpan.FromMinutes(2)), "the run did not end: a wait blocked the emulator");
        return (run.Result, process.Cpu.InstructionsExecuted, process.Kernel.ThreadSwitches);
    }

    [Fact]
    public void AnHourLongSleepMovesTheGuestClocksAndCostsNoHostTime()
    {
        string binary = Build("hour", HourLongSleep);
        var watch = Stopwatch.StartNew();
        var run = Run(binary);
        Assert.Equal(0, run.Status);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), $"{watch.Elapsed}");
    }

    [Fact]
    public void TimeoutsEndAtTheSameInstructionOnEveryRun()
    {
        string binary = Build("timeouts", TimeoutsWhileAnotherThreadRuns);
        var first = Run(binary);
        Assert.InRange(first.Status ?? -1, 2, 201);
        Assert.Equal(first, Run(binary));
        Assert.Equal(first, Run(binary));
    }

    [Fact]
    public void SelectPollAndEpollOnAPipeLetTheWriterThreadRun()
    {
        var run = Run(Build("select", SelectWaitsForAnotherThread));
        Assert.Equal(0, run.Status);
        Assert.True(run.Switches >= 3, $"{run.Switches} switches");
    }
}
