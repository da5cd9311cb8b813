using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using Sweeps.Contracts;
using Sweeps.Core.Curves;
using Sweeps.Core.Specs;
using Sweeps.Grains.Hosting;
using Sweeps.Grains.Ledger;
using Sweeps.Kernels;
using Sweeps.Laws;
using Sweeps.Tests;

namespace Sweeps.Grains.Tests;

/// <summary>
/// State stored by one version of the silos is read by the next: each grain's state as this version
/// wrote it is kept in <c>StoredFormat/*.bin</c> (the bytes every store holds: SQLite, Redis, Azure
/// blobs), and must read back to what was written. A change that renames a stored type or moves a
/// field id fails here before it strands a cluster's state. To add a state, or after a deliberate
/// format change with a migration, write the files again: <c>SWEEPS_WRITE_STORED_FORMAT=1 dotnet test
/// --filter StoredFormatTests</c>, and commit them.
/// </summary>
public sealed class StoredFormatTests
{
    private static readonly IGrainStorageSerializer Serializer =
        SweepsSiloBuilderExtensions.StateSerializer(new ServiceCollection().AddSweepsSerialization().BuildServiceProvider());

    private static readonly string Folder = Path.Combine(RepositoryPaths.Root, "tests", "Sweeps.Grains.Tests", "StoredFormat");

    private static readonly DateTimeOffset Written = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);

    private static readonly Curve Curve = new([0, 10, 20], [0.001, 0.002, 0.0015], [3.5, 3.1, double.NaN]) { Extra = new Dictionary<string, double[]> { ["grad_norm"] = [1.0, 0.5, 0.25] } };

    private static readonly RunResult Result = new("golden-0123", 7, RunStatus.Succeeded, 3.1, Curve, null, 0.25, SimulatedSteps: 20, TotalSteps: 20) { LogTail = ["step 20 loss 3.1"] };

    private static readonly FitReport Fit = new(KnownLaws.Chinchilla)
    {
        Parameters = new Dictionary<string, double> { ["E"] = 1.69, ["A"] = 406.4 },
        Objective = 3.1e-4,
        Iterations = 12,
        Converged = true,
        Points = 45,
        Warnings = ["a warning"],
        Scope = new Dictionary<string, double> { ["model_size"] = 64 },
    };

    private static SweepSpec Spec() => new SweepSpecParser(KernelCatalog.Default).Parse("""
        name: golden
        simulator:
          name: command
          command: ["python3", "train.py", "--lr", "{peak_lr}", "--steps", "{total_steps}"]
          timeout: 2h
        grid:
          peak_lr: [0.001, 0.003]
          model_size: [64]
          total_steps: [1000]
        """, "/golden").Spec ?? throw new InvalidOperationException("the golden spec is invalid");

    public static TheoryData<string> States => ["sweep", "run", "task", "page", "fits"];

    [Theory]
    [MemberData(nameof(States))]
    public void A_state_stored_by_an_earlier_version_reads_back_as_it_was_written(string name)
    {
        var (written, write, read) = name switch
        {
            "sweep" => Case(new SweepGrainState { Spec = Spec(), State = SweepState.Completed, StartedAt = Written, CompletedAt = Written.AddMinutes(5), ResumedRuns = 3, DuplicateResults = 1, Fits = [Fit] }),
            "run" => Case(new RunGrainState { Result = Result }),
            "task" => Case(new RunTaskGrainState { Results = { [7] = Result, [8] = Result with { Index = 8, Status = RunStatus.Diverged, FinalLoss = double.NaN, Curve = null } } }),
            "page" => Case(new RunPageState { Records = [new RunRecord(7, RunStatus.Succeeded, 3.1, 20, 20), new RunRecord(8, RunStatus.Diverged, double.NaN)] }),
            "fits" => Case(new LawFitGrainState { Versions = [new FitVersion(1, Written, [Fit]) { FinishedRuns = 45 }], LastVersion = 2 }),
            _ => throw new ArgumentOutOfRangeException(nameof(name)),
        };
        var path = Path.Combine(Folder, name + ".bin");
        if (Environment.GetEnvironmentVariable("SWEEPS_WRITE_STORED_FORMAT") == "1")
        {
            File.WriteAllBytes(path, write().ToArray());
        }

        Assert.True(File.Exists(path), $"no stored state {path}: write it with SWEEPS_WRITE_STORED_FORMAT=1 and commit it");
        Assert.Equal(written, read(BinaryData.FromBytes(File.ReadAllBytes(path))));
    }

    /// <summary>A state as its JSON (every field, NaN included), its stored bytes, and a reader of stored bytes to the same JSON: two states are equal when their JSON is.</summary>
    private static (string Written, Func<BinaryData> Write, Func<BinaryData, string> Read) Case<T>(T state) =>
        (JsonSerializer.Serialize(state, SweepsJson.Options), () => Serializer.Serialize(state), data => JsonSerializer.Serialize(Serializer.Deserialize<T>(data), SweepsJson.Options));
}
