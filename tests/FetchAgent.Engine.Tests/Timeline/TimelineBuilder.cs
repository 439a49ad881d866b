using FetchAgent.Engine.Model;


namespace FetchAgent.Engine.Tests.Timeline;

/// <summary>Hand-built page loads: each object waits from its start, then receives for <c>receiveMs</c> up to its end.</summary>
internal static class TimelineBuilder
{
    public static PageLoadDocument Document(params ObjectRecord[] objects) => new()
    {
        Url = "http://example.test/",
        Options = new LoadOptions(),
        Status = PageLoadStatus.Completed,
        Objects = [.. objects],
    };

    public static ObjectRecord Object(
        int id, ResourceKind kind, double startMs, double endMs, double receiveMs, long bodyBytes,
        int? status = 200, string? error = null, bool renderBlocking = false, bool parserBlocking = false)
    {
        var wait = Math.Max(endMs - startMs - receiveMs, 0);
        var timings = new ObjectTimings(0, -1, -1, -1, 0, wait, receiveMs);
        return new ObjectRecord
        {
            Id = id,
            Url = $"http://example.test/{kind.ToString().ToLowerInvariant()}/{id}",
            Kind = kind,
            StartMs = startMs,
            EndMs = endMs,
            Time = timings.Total,
            Timings = timings,
            Status = status,
            Error = error,
            BodyBytes = bodyBytes,
            HeaderBytes = 100,
            RenderBlocking = renderBlocking,
            ParserBlocking = parserBlocking,
        };
    }
}
