using FetchAgent.Engine.Cache;
using FetchAgent.Engine.Connections;
using FetchAgent.Engine.Http1;
using FetchAgent.Engine.Model;

namespace FetchAgent.Engine.Page;

/// <summary>
/// The HTTP cache in front of the pool (a first view fills it, a repeat view reads it): a fresh stored response
/// answers with nothing sent, a stale one goes out conditional, and what comes back is stored (RFC 9111).
/// </summary>
internal sealed partial class PageLoadRun
{
    /// <summary>The fields FetchAgent sends that a Vary can name (RFC 9111 §4.1), as the request writer writes them.</summary>
    private static IReadOnlyList<HeaderField> CacheRequestFields(string accept, IReadOnlyList<HeaderField>? extra) =>
        [new("User-Agent", RequestWriter.UserAgent), new("Accept", accept), new("Accept-Encoding", RequestWriter.AcceptEncoding), .. extra ?? []];

    /// <summary>The stored response as if it had just been read: what the loader's decoding, redirects and discovery read.</summary>
    private TransactionResult StoredAsResult(StoredResponse stored, long issued, long now, TransactionResult? wire = null) => new()
    {
        Timestamps = wire?.Timestamps ?? new TransactionTimestamps { Issued = issued, Acquired = now, LastByte = now, End = now },
        ConnectionId = wire?.ConnectionId,
        ReusedConnection = wire?.ReusedConnection ?? false,
        Retries = wire?.Retries ?? 0,
        Head = new ResponseHead
        {
            Major = 1,
            Minor = stored.Version == "HTTP/1.0" ? 0 : 1,
            StatusCode = stored.StatusCode,
            ReasonPhrase = stored.ReasonPhrase,
            Headers = stored.Headers,
            HeaderBytes = stored.HeaderBytes,
            FirstByteTimestamp = now,
        },
        Body = new ResponseBody
        {
            Framing = BodyFraming.ContentLength,
            WireBytes = stored.BodyWireBytes,
            Content = stored.Body,
            LastFourBytes = stored.BodyLastFourBytes,
            LastByteTimestamp = now,
        },
    };

    /// <summary>
    /// A fresh hit (§4.2): nothing crossed the wire, so no connection, no header or body bytes, and the object's few
    /// microseconds (issue to the cache's answer) are all <c>blocked</c>; dns, connect and ssl are -1, the rest 0.
    /// The response's status, fields and type are the stored ones; nothing was sent, so no request fields.
    /// </summary>
    private static void MarkFromCache(ObjectRecord record)
    {
        record.FromCache = true;
        record.ConnectionId = null;
        record.ReusedConnection = false;
        record.HeaderBytes = 0;
        record.BodyBytes = 0;
        record.RequestHeaders = [];
        record.Timings = new ObjectTimings(record.EndMs - record.StartMs, -1, -1, -1, 0, 0, 0);
        record.Time = record.Timings.Total;
    }

    /// <summary>A stored response as HAR 1.2 describes a cache entry; null when nothing was stored.</summary>
    private static CacheEntryRecord? CacheEntry(StoredResponse? stored) =>
        stored is null ? null : new CacheEntryRecord(Freshness.Expires(stored), stored.LastAccess ?? stored.ResponseTime, stored.ETag, stored.HitCount);

    /// <summary>Stores what the server answered (§3), or drops the stored one it replaces (§4.3.3).</summary>
    private void StoreInCache(Uri url, IReadOnlyList<HeaderField> sent, DateTimeOffset requestTime, TransactionResult result)
    {
        if (_cache is null || result.Error is not null || result.Head is not { } head || result.Body is not { } body)
            return;
        _cache.Store("GET", url, sent, requestTime, head.StatusCode, head.ReasonPhrase, head.Version, head.Headers, head.HeaderBytes,
            body.Content, body.WireBytes, complete: true, body.LastFourBytes);
    }
}
