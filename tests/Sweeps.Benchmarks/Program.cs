using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(Sweeps.Benchmarks.QuadraticBenchmarks).Assembly).Run(args);
