using Orleans.Serialization;
using Orleans.Serialization.Buffers;
using Orleans.Serialization.Session;
using Orleans.Storage;

namespace Sweeps.Grains.Storage;

/// <summary>
/// Grain state in Orleans' binary format, the bytes of <see cref="OrleansGrainStorageSerializer"/>
/// (which reads them back), written through pooled buffers into one array of the final size.
/// Orleans' own writes into an <c>ArrayBufferWriter</c> that doubles as it fills: a task's results
/// (256 runs with their curves, ~1.2 MB) cost six large-object-heap arrays and a copy at each
/// doubling, 5.7 MB allocated a write, and a gen-2 collection every few tasks (docs/benchmarks.md).
/// </summary>
public sealed class PooledGrainStorageSerializer(Serializer serializer, SerializerSessionPool sessions) : IGrainStorageSerializer
{
    private readonly OrleansGrainStorageSerializer _reader = new(serializer);

    public BinaryData Serialize<T>(T? input)
    {
        using var session = sessions.GetSession();
        var writer = Writer.CreatePooled(session);
        try
        {
            serializer.Serialize(input, ref writer);
            return new BinaryData(writer.Output.ToArray());
        }
        finally
        {
            writer.Dispose();
        }
    }

    public T? Deserialize<T>(BinaryData input) => _reader.Deserialize<T>(input);
}
