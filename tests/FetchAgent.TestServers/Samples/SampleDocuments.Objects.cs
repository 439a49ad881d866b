using FetchAgent.Engine.Model;

namespace FetchAgent.TestServers.Samples;

public static partial class SampleDocuments
{
    /// <summary>A completed load of <c>http://example.test/</c> made of <paramref name="objects"/>, its metrics not yet computed.</summary>
    public static PageLoadDocument Document(params ObjectRecord[] objects) => new()
    {
        Url = "http://example.test/",
        Options = new LoadOptions(),
        Status = PageLoadStatus.Completed,
        Objects = [.. objects],
    };

    /// <summary>An object that took <paramref name="timings"/> from <paramref name="startMs"/> (to <paramref name="endMs"/> when given, else to the timings' end).</summary>
    public static ObjectRecord Object(
        int id, ResourceKind kind, string url, double startMs, ObjectTimings timings, int? status, long bodyBytes,
        int? connection = null, bool reused = false, bool renderBlocking = false, bool parserBlocking = false, string? error = null,
        long headerBytes = 200, double? endMs = null) => new()
        {
            Id = id,
            Url = url,
            Kind = kind,
            StartMs = startMs,
            EndMs = endMs ?? startMs + timings.Total,
            Time = timings.Total,
            Timings = timings,
            Status = status,
            Error = error,
            BodyBytes = bodyBytes,
            HeaderBytes = headerBytes,
            ConnectionId = connection,
            ReusedConnection = reused,
            RenderBlocking = renderBlocking,
            ParserBlocking = parserBlocking,
        };

    /// <summary>
    /// An object for metric maths: it waits from <paramref name="startMs"/>, then receives for <paramref name="receiveMs"/>
    /// up to <paramref name="endMs"/>; no connection, a URL made of its kind and id.
    /// </summary>
    public static ObjectRecord Received(
        int id, ResourceKind kind, double startMs, double endMs, double receiveMs, long bodyBytes,
        int? status = 200, string? error = null, bool renderBlocking = false, bool parserBlocking = false)
    {
        var wait = Math.Max(endMs - startMs - receiveMs, 0);
        return Object(
            id, kind, $"http://example.test/{kind.ToString().ToLowerInvariant()}/{id}", startMs, new ObjectTimings(0, -1, -1, -1, 0, wait, receiveMs), status, bodyBytes,
            error: error, renderBlocking: renderBlocking, parserBlocking: parserBlocking, headerBytes: 100, endMs: endMs);
    }
}
