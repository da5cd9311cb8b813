using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Sweeps.Contracts;
using Sweeps.Core.Specs;

namespace Sweeps.Cli.Embedded;

/// <summary>
/// A sweep's id is its name and a hash of its validated spec, so running the same spec against
/// the same data directory finds the same sweep and resumes it, while an edited spec starts anew.
/// </summary>
internal static class SweepIds
{
    /// <param name="content">What else makes the sweep what it is (an ingested sweep's curve data), hashed with the spec.</param>
    public static string For(SweepSpec spec, string content = "")
    {
        var json = JsonSerializer.Serialize(spec, SweepsJson.Options) + content;
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(json));
        return $"{spec.Name}-{Convert.ToHexStringLower(hash)[..10]}";
    }
}
