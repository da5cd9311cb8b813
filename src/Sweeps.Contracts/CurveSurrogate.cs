using System.Runtime.InteropServices;
using Sweeps.Core.Curves;

namespace Sweeps.Contracts;

/// <summary>
/// How Orleans carries a <see cref="Curve"/>, in messages and in grain state: its arrays as raw
/// little-endian bytes. A run's curve is the largest thing a sweep moves; as JSON it cost a fifth of
/// the silo's CPU time in a sweep of small runs, and as <c>int[]</c>/<c>double[]</c> Orleans encodes
/// every element with its own field header (docs/benchmarks.md), where a <c>byte[]</c> is one copy.
/// The steps go as varint deltas (<see cref="StepDeltas"/>, a byte or two a step). Fields 0–3 (element-wise
/// arrays) and 4 (steps as raw ints) are what earlier versions wrote, still read from stored state.
/// </summary>
[GenerateSerializer, Alias("sweeps.curve")]
public struct CurveSurrogate
{
    [Id(0)] public int[]? Steps { get; set; }
    [Id(1)] public double[]? Lr { get; set; }
    [Id(2)] public double[]? Loss { get; set; }
    [Id(3)] public Dictionary<string, double[]>? Extra { get; set; }
    [Id(4)] public byte[]? StepBytes { get; set; }
    [Id(5)] public byte[]? LrBytes { get; set; }
    [Id(6)] public byte[]? LossBytes { get; set; }
    [Id(7)] public Dictionary<string, byte[]>? ExtraBytes { get; set; }
    [Id(8)] public byte[]? StepDeltaBytes { get; set; }
}

[RegisterConverter]
public sealed class CurveSurrogateConverter : IConverter<Curve, CurveSurrogate>
{
    public Curve ConvertFromSurrogate(in CurveSurrogate surrogate)
    {
        var extra = surrogate.ExtraBytes?.ToDictionary(e => e.Key, e => FromBytes<double>(e.Value)) ?? surrogate.Extra ?? [];
        return new Curve(
            surrogate.StepDeltaBytes is { } deltas ? StepDeltas.Decode(deltas) : surrogate.StepBytes is { } steps ? FromBytes<int>(steps) : surrogate.Steps ?? [],
            surrogate.LrBytes is { } lr ? FromBytes<double>(lr) : surrogate.Lr ?? [],
            surrogate.LossBytes is { } loss ? FromBytes<double>(loss) : surrogate.Loss ?? [])
        {
            Extra = extra,
        };
    }

    public CurveSurrogate ConvertToSurrogate(in Curve value) => new()
    {
        StepDeltaBytes = StepDeltas.Encode(value.Steps),
        LrBytes = ToBytes<double>(value.Lr),
        LossBytes = ToBytes<double>(value.Loss),
        ExtraBytes = value.Extra.Count == 0 ? null : value.Extra.ToDictionary(e => e.Key, e => ToBytes<double>(e.Value)),
    };

    // Every silo of a cluster runs on a little-endian CPU (x64, arm64), so the bytes mean the same everywhere.
    private static byte[] ToBytes<T>(T[] values) where T : struct => MemoryMarshal.AsBytes(values.AsSpan()).ToArray();

    private static T[] FromBytes<T>(byte[] bytes) where T : struct => MemoryMarshal.Cast<byte, T>(bytes).ToArray();
}
