using BenchmarkDotNet.Running;

// dotnet run -c Release --project tools/ArmEmu.Benchmarks -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(ArmEmu.Benchmarks.GuestMipsBenchmarks).Assembly).Run(args);
