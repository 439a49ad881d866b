using FetchAgent.Engine.Http1;

namespace FetchAgent.Engine.Connections;

/// <summary>One request the page loader wants answered.</summary>
public sealed record ExchangeRequest(Uri Url, string Accept, bool KeepContent, string Method = "GET")
{
    /// <summary>RFC 9110 §9.2.2: only idempotent requests may be retried or pipelined.</summary>
    public bool IsIdempotent => Method is "GET" or "HEAD";

    /// <summary>Sees the response body as it is read (see <see cref="BodyReadOptions.Observer"/>).</summary>
    public BodyObserver? BodyObserver { get; init; }

    /// <summary>Field lines sent after FetchAgent's own (e.g. <c>Authorization</c>); null for none.</summary>
    public IReadOnlyList<HeaderField>? ExtraHeaders { get; init; }

    /// <summary>
    /// With <see cref="KeepContent"/>: asked once the head is read, how many leading body bytes to keep (0: none).
    /// Null keeps the whole body.
    /// </summary>
    public Func<ResponseHead, long>? KeepLimit { get; init; }

    /// <summary>Write the request line and the header fields in two writes (<see cref="Model.LoadOptions.SplitRequest"/>).</summary>
    public bool SplitWrite { get; init; }

    /// <summary>The RFC 9218 <c>priority</c> field value; sent on HTTP/2 streams only (as Chromium does), null for none.</summary>
    public string? Priority { get; init; }

    /// <summary>
    /// Its place in the pool's queue while every connection is busy: lower goes first, FIFO among equals (0, the
    /// default, for requests of the same rank). The page loader sets Chromium's resource priorities here.
    /// </summary>
    public int QueuePriority { get; init; }

    /// <summary>
    /// Waited for before the request joins the pool's queue, and on each redirect hop (it returns at once once let
    /// through): the page's scheduler holding a low-priority request back (Blink's tight mode). Its time is
    /// <c>blocked</c>, as the pool's queue is; null for none.
    /// </summary>
    public Func<CancellationToken, ValueTask>? Admission { get; init; }

    /// <summary>Sent without credentials (a CORS request in anonymous mode): it goes on the origin's anonymous connections.</summary>
    public bool Anonymous { get; init; }
}
