using System.Text;

namespace Sweeps.Core.Input;

/// <summary>
/// Reads a spec, manifest or fit file whole, refusing what no such file can be: more than
/// <see cref="MaximumBytes"/> (a spec or manifest is a few kilobytes; <c>/dev/zero</c> or a file named
/// by mistake would otherwise be read until memory runs out) or binary content (a NUL character).
/// The message names the path only, never the file's contents.
/// </summary>
public static class InputText
{
    /// <summary>The largest spec, manifest or fit file read: 4 MiB.</summary>
    public const int MaximumBytes = 4 << 20;

    /// <summary>The text, or null with <paramref name="problem"/> saying why it cannot be read.</summary>
    public static string? Read(string path, out string? problem, int maximumBytes = MaximumBytes)
    {
        problem = null;
        try
        {
            if (Directory.Exists(path))
            {
                problem = "is a directory, not a file";
                return null;
            }

            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            // Read one byte past the limit to tell "exactly the limit" from "more": the length of a
            // device or pipe is unknown, so the count is what decides.
            var buffer = new byte[maximumBytes + 1];
            var total = 0;
            int read;
            while (total < buffer.Length && (read = stream.Read(buffer, total, buffer.Length - total)) > 0)
            {
                total += read;
            }

            if (total > maximumBytes)
            {
                problem = $"is larger than {maximumBytes >> 20} MiB, more than any spec, manifest or fit file; is it the right file?";
                return null;
            }

            if (Array.IndexOf(buffer, (byte)0, 0, total) >= 0)
            {
                problem = "is binary (it holds NUL bytes), not a text file";
                return null;
            }

            return new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false).GetString(buffer, 0, total).TrimStart('\uFEFF');
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            problem = $"cannot read: {e.Message}";
            return null;
        }
    }
}
