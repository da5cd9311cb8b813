using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Sweeps.Core.Grid;
using Sweeps.Core.Specs;

namespace Sweeps.Contracts;

/// <summary>
/// What a run is, apart from the sweep it is in: its simulator (and a command run's command line,
/// environment and working directory), options, model size, schedule, seed and curve resolution. Two
/// runs with the same content have the same result (kernels are deterministic for a seed), so a sweep
/// reads a finished run of another sweep instead of running it again.
/// </summary>
public static class RunContent
{
    /// <summary>A digest of the run's content (hex SHA-256 of its canonical JSON).</summary>
    public static string KeyOf(SweepSpec spec, RunDefinition run)
    {
        var content = new
        {
            spec.Simulator,
            spec.Command,
            Options = run.Options.OrderBy(o => o.Key, StringComparer.Ordinal).Select(o => new { o.Key, o.Value }),
            run.ModelSize,
            run.Schedule,
            run.Seed,
            spec.CurvePoints,
        };
        var json = JsonSerializer.SerializeToUtf8Bytes(content, SweepsJson.Options);
        return Convert.ToHexString(SHA256.HashData(json));
    }
}
