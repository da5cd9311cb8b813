using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;

namespace Sweeps.Contracts;

/// <summary>
/// The wire format of the plain-library types (Sweeps.Core, Sweeps.Laws) that cross grain calls and
/// storage: they carry no Orleans attributes, so Orleans serialises them with System.Text.Json.
/// NaN and infinities are legal values (a diverged run's loss). It lives with the contracts so that
/// a client registers it (<see cref="AddSweepsSerialization"/>) without any server assembly.
/// </summary>
public static class SweepsJson
{
    public static JsonSerializerOptions Options { get; } = new()
    {
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>Whether a type is serialised with <see cref="Options"/> rather than Orleans' own codecs.</summary>
    public static bool IsLibraryType(Type type) =>
        type != typeof(Core.Curves.Curve) // carried as binary arrays (Contracts.CurveSurrogate)
        && type.Namespace is { } ns && (ns.StartsWith("Sweeps.Core", StringComparison.Ordinal) || ns.StartsWith("Sweeps.Laws", StringComparison.Ordinal));

    /// <summary>Lets Orleans carry the plain-library types as JSON with <see cref="Options"/>; silos and clients both need it.</summary>
    public static IServiceCollection AddSweepsSerialization(this IServiceCollection services) =>
        services.AddSerializer(serializer => serializer.AddJsonSerializer(IsLibraryType, Options));
}
