using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.Storage;
using Sweeps.Contracts;
using Sweeps.Core.Curves;
using Sweeps.Grains;
using Sweeps.Grains.Hosting;

namespace Sweeps.Benchmarks;

/// <summary>
/// What storing a task's results costs (<c>runs_per_task</c>: 256 runs, 200-point curves of steps and
/// losses): the grain storage serializer against the floor, copying the curves' arrays into one buffer. Run:
/// <c>dotnet run -c Release --project tests/Sweeps.Benchmarks -- --filter *TaskStateBenchmarks*</c>.
/// </summary>
[MemoryDiagnoser]
public class TaskStateBenchmarks
{
    private const int Runs = 256;
    private const int Points = 200;
    private RunTaskGrainState _state = null!;
    private IGrainStorageSerializer _serializer = null!;
    private byte[] _stored = null!;
    private byte[] _floor = null!;

    [GlobalSetup]
    public void Setup()
    {
        var services = new ServiceCollection().AddSweepsSerialization().BuildServiceProvider();
        _serializer = SweepsSiloBuilderExtensions.StateSerializer(services);
        var random = new Random(1);
        _state = new RunTaskGrainState();
        for (var index = 0; index < Runs; index++)
        {
            var curve = new Curve(
                Enumerable.Range(0, Points).Select(i => i * 10).ToArray(),
                Enumerable.Range(0, Points).Select(_ => random.NextDouble()).ToArray(),
                Enumerable.Range(0, Points).Select(_ => random.NextDouble()).ToArray());
            // As a simulated run's result is kept: its LR column is the schedule's, left out (ScheduleLrColumn).
            _state.Results[index] = new RunResult("bench-sweep-0123456789abcdef", index, RunStatus.Succeeded, curve.FinalLoss, curve with { Lr = [] }, null, 1e-4,
                SimulatedSteps: 2000, TotalSteps: 2000)
            { LrOfSchedule = true };
        }

        _stored = _serializer.Serialize(_state).ToArray();
        _floor = new byte[Runs * Points * (sizeof(int) + sizeof(double))];
    }

    [Benchmark(Baseline = true)]
    public int CopyCurveArrays()
    {
        var offset = 0;
        foreach (var result in _state.Results.Values)
        {
            offset += Copy(result.Curve!.Steps, offset);
            offset += Copy(result.Curve.Loss, offset);
        }

        return offset;
    }

    [Benchmark]
    public int Serialize() => _serializer.Serialize(_state).ToMemory().Length;

    [Benchmark]
    public int Deserialize() => _serializer.Deserialize<RunTaskGrainState>(new BinaryData(_stored))!.Results.Count;

    private int Copy<T>(T[] values, int offset) where T : struct
    {
        var bytes = System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan());
        bytes.CopyTo(_floor.AsSpan(offset));
        return bytes.Length;
    }
}
