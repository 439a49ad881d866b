using FetchAgent.Engine.Connections;
using FetchAgent.Engine.Navigation;
using FetchAgent.Engine.Timeline;

namespace FetchAgent.Engine.Page;

/// <summary>Writes what a transaction measured into the object's record.</summary>
internal static class ObjectRecorder
{
    public static void Fill(ObjectRecord record, TransactionResult result, PageClock clock)
    {
        var stamps = result.Timestamps;
        record.Timings = PhaseTimings.From(stamps, clock);
        record.StartMs = clock.Ms(stamps.Issued);
        record.EndMs = clock.Ms(stamps.End);
        record.Time = record.Timings.Total;
        record.ConnectionId = result.ConnectionId;
        record.ReusedConnection = result.ReusedConnection;
        record.Retries = result.Retries;
        record.RequestHeaders = stamps.RequestHeaders.Select(h => new HeaderRecord(h.Name, h.Value)).ToList();
        if (result.Head is { } head)
        {
            record.HttpVersion = head.Version;
            record.Status = head.StatusCode;
            record.StatusText = head.ReasonPhrase;
            record.ContentType = head.Get("Content-Type");
            record.HeaderBytes = head.HeaderBytes;
            record.ResponseHeaders = head.Headers.Select(h => new HeaderRecord(h.Name, h.Value)).ToList();
        }

        record.BodyBytes = result.Body?.WireBytes ?? result.PartialBodyBytes;
        record.Error = result.Error;
    }
}
