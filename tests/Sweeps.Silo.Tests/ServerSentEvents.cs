using System.Net.ServerSentEvents;
using System.Text.Json;

namespace Sweeps.Silo.Tests;

/// <summary>Reads a silo's event stream as a browser would, with the BCL's SSE parser.</summary>
internal static class ServerSentEvents
{
    public static async IAsyncEnumerable<(string Type, JsonElement Data)> ReadAsync(HttpClient http, string path)
    {
        using var response = await http.GetAsync(path, HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        await using var stream = await response.Content.ReadAsStreamAsync();
        await foreach (var item in SseParser.Create(stream).EnumerateAsync())
        {
            yield return (item.EventType, JsonDocument.Parse(item.Data).RootElement.Clone());
        }
    }
}
