using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(Sweeps.Benchmarks.KernelBenchmarks).Assembly).Run(args);
