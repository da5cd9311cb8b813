using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Sweeps.Core.Specs;
using Sweeps.Grains;

namespace Sweeps.Cli.Embedded;

/// <summary>
/// A sweep's id is its name and a hash of its validated spec, so running the same spec against
/// the same data directory finds the same sweep and resumes it, while an edited spec starts anew.
/// </summary>
internal static class SweepIds
{
    public static string For(SweepSpec spec)
    {
        var json = JsonSerializer.Serialize(spec, SweepsJson.Options);
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(json));
        return $"{spec.Name}-{Convert.ToHexStringLower(hash)[..10]}";
    }
}
