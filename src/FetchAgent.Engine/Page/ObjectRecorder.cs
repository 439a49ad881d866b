using FetchAgent.Engine.Connections;
using FetchAgent.Engine.Model;


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
        // What was sent, as recorded: never a credential (Authorization: Basic ***).
        record.RequestHeaders = stamps.RequestHeaders.Select(h => new HeaderRecord(h.Name, IsAuthorization(h.Name) ? Redaction.Authorization(h.Value) : h.Value)).ToList();
        if (result.Head is { } head)
        {
            record.HttpVersion = head.Version;
            record.Status = head.StatusCode;
            record.StatusText = head.ReasonPhrase;
            record.ContentType = head.Get("Content-Type");
            record.HeaderBytes = head.HeaderBytes;
            // What proxies and caches on the way added: Via (RFC 9110 §7.6.3), every hop's, and a cache's Age (RFC 9111 §5.1).
            record.Via = head.Get("Via");
            record.Age = AgeSeconds(head.Get("Age"));
            // A Location (or Content-Location) may echo a URL with its password.
            record.ResponseHeaders = head.Headers.Select(h => new HeaderRecord(h.Name, IsUrlField(h.Name) ? Redaction.Text(h.Value) : h.Value)).ToList();
        }

        record.BodyBytes = result.Body?.WireBytes ?? result.PartialBodyBytes;
        record.Error = result.Error is null ? null : Redaction.Text(result.Error);
        record.ErrorKind = result.Error is null ? null : result.ErrorKind;
        record.TcpInfo = result.TcpInfo;
    }

    private static bool IsAuthorization(string name) =>
        name.Equals("Authorization", StringComparison.OrdinalIgnoreCase) || name.Equals("Proxy-Authorization", StringComparison.OrdinalIgnoreCase);

    private static bool IsUrlField(string name) =>
        name.Equals("Location", StringComparison.OrdinalIgnoreCase) || name.Equals("Content-Location", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// RFC 9111 §5.1: Age is a non-negative delta-seconds; with several values (a list, or fields repeated) the first is
    /// taken, as §4.2.3 does; a value that is not one is null, and a huge one is 2^31 (§1.2.2).
    /// </summary>
    private static long? AgeSeconds(string? value)
    {
        var first = value?.Split(',')[0].Trim();
        if (string.IsNullOrEmpty(first) || !first.All(char.IsAsciiDigit))
            return null;
        return long.TryParse(first, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var seconds) && seconds < 2147483648L
            ? seconds
            : 2147483648L;
    }
}
