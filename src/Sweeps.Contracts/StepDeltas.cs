namespace Sweeps.Contracts;

/// <summary>
/// A curve's steps as the differences between consecutive steps (the first from 0), each a zigzag
/// LEB128 varint: recorded steps rise by a few to a few hundred, so a step costs one or two bytes
/// instead of four. Any sequence of ints round-trips, falling ones included.
/// </summary>
public static class StepDeltas
{
    public static byte[] Encode(ReadOnlySpan<int> steps)
    {
        var bytes = new byte[MaxBytes(steps.Length)];
        var length = 0;
        var previous = 0L;
        foreach (var step in steps)
        {
            var delta = step - previous;
            previous = step;
            var zigzag = (ulong)((delta << 1) ^ (delta >> 63));
            while (zigzag >= 0x80)
            {
                bytes[length++] = (byte)(zigzag | 0x80);
                zigzag >>= 7;
            }

            bytes[length++] = (byte)zigzag;
        }

        return bytes[..length];
    }

    public static int[] Decode(ReadOnlySpan<byte> bytes)
    {
        var steps = new List<int>(bytes.Length);
        var previous = 0L;
        var zigzag = 0UL;
        var shift = 0;
        foreach (var b in bytes)
        {
            zigzag |= (ulong)(b & 0x7F) << shift;
            if (b >= 0x80)
            {
                shift += 7;
                continue;
            }

            var delta = (long)(zigzag >> 1) ^ -(long)(zigzag & 1);
            previous = checked((int)(previous + delta));
            steps.Add((int)previous);
            (zigzag, shift) = (0, 0);
        }

        if (shift != 0)
        {
            throw new FormatException("the step deltas end inside a varint");
        }

        return [.. steps];
    }

    /// <summary>A delta of two ints spans 33 bits, zigzagged 34: at most five varint bytes.</summary>
    private static int MaxBytes(int count) => 5 * count;
}
