using BenchmarkDotNet.Running;

// dotnet run -c Release --project tools/ArmEmu.Benchmarks -- --filter '*'
// These suites measure the interpreter (per-instruction cost, issue 9) unless ARMEMU_ENGINE names
// another engine: the translator became the default engine of new CPUs, and BenchmarkDotNet's
// benchmark processes inherit this environment. tools/bench-engines-vs-qemu.sh measures both
// engines on whole programs.
if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable("ARMEMU_ENGINE")))
    Environment.SetEnvironmentVariable("ARMEMU_ENGINE", "interpreter");
BenchmarkSwitcher.FromAssembly(typeof(ArmEmu.Benchmarks.GuestMipsBenchmarks).Assembly).Run(args);
