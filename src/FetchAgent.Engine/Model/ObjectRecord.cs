namespace FetchAgent.Engine.Model;

/// <summary>One HTTP exchange inside a page load (a redirect hop is one too).</summary>
public sealed class ObjectRecord
{
    public int Id { get; set; }
    public required string Url { get; set; }
    public string Method { get; set; } = "GET";
    public ResourceKind Kind { get; set; }
    public Initiator Initiator { get; set; }
    public int? ParentId { get; set; }
    public bool RenderBlocking { get; set; }

    /// <summary>Extension: a <c>&lt;script src&gt;</c> without async, defer or type=module (holds DOMContentLoaded).</summary>
    public bool ParserBlocking { get; set; }

    /// <summary>An image requested at Medium, not Low: one of the document's first five that are not small (Chromium's BoostImagePriority).</summary>
    internal bool Boosted { get; set; }

    /// <summary>
    /// A parser-blocking script or a stylesheet its document names after an image: Blink's ResourceFetcher sends such a
    /// "late" request (at the bottom of the body, found by the preload scanner once an image was requested) at Medium.
    /// </summary>
    internal bool AfterImage { get; set; }

    /// <summary>
    /// A frame's render-blocking stylesheet or parser-blocking script: it holds nothing of the page (its flags are
    /// false), but the frame's fetcher gives it the priority a blocking request has.
    /// </summary>
    internal bool BlocksItsFrame { get; set; }

    /// <summary>A redirect hop or an authorized retry goes at its request's priority: it takes what raised or lowered it.</summary>
    internal void TakePriorityFlagsOf(ObjectRecord request)
    {
        Boosted = request.Boosted;
        AfterImage = request.AfterImage;
        BlocksItsFrame = request.BlocksItsFrame;
    }

    /// <summary>
    /// Extension: the priority the request went out at, in Chromium's words (DevTools protocol's ResourcePriority,
    /// HAR's <c>_priority</c>): <c>VeryHigh</c>, <c>High</c>, <c>Medium</c>, <c>Low</c> or <c>VeryLow</c>. It orders a pool's
    /// queue and tight mode, and an h2 stream's <c>priority</c> field says it. Null on objects stored before it was kept.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public string? Priority { get; set; }

    public int? ConnectionId { get; set; }
    public bool ReusedConnection { get; set; }
    public int Retries { get; set; }

    /// <summary>Milliseconds from the page load's start when the request was issued.</summary>
    public double StartMs { get; set; }
    public double EndMs { get; set; }

    /// <summary>HAR's <c>time</c>: the sum of the non-negative phases except <c>ssl</c>.</summary>
    public double Time { get; set; }
    public ObjectTimings Timings { get; set; } = ObjectTimings.None;
    public string? HttpVersion { get; set; }
    public int? Status { get; set; }
    public string? StatusText { get; set; }
    public string? ContentType { get; set; }
    public long HeaderBytes { get; set; }
    public long BodyBytes { get; set; }

    /// <summary>
    /// Extension: the body's size with its Content-Encoding undone (HAR's <c>content.size</c>), when known: counted for the
    /// HTML and CSS FetchAgent decoded whole, the ISIZE trailer for other gzip bodies, <see cref="BodyBytes"/> for a
    /// body without a coding; null when unknown (a br or deflate body nothing decoded, a failed object).
    /// </summary>
    public long? DecodedBytes { get; set; }

    /// <summary>Extension: the kernel's view of the connection when this object ended (Linux <c>TCP_INFO</c>); null elsewhere or without a connection.</summary>
    public TcpInfoRecord? TcpInfo { get; set; }
    public string? Error { get; set; }

    /// <summary>Extension: the machine-readable kind of <see cref="Error"/> (timeout, dns, refused, tls, truncated, protocol, …); null when there is none.</summary>
    public ErrorKind? ErrorKind { get; set; }

    /// <summary>
    /// Extension, on documents (page and frames) and stylesheets FetchAgent read for references: milliseconds
    /// FetchAgent itself held the critical path after the object's last byte — until its discovery finished and
    /// every reference it found was issued. Null for every other object.
    /// </summary>
    public double? DiscoveryMs { get; set; }

    /// <summary>
    /// Extension, on documents, frames and stylesheets whose discovery stopped before the end of the body: the
    /// decoded bytes it parsed (references after them were not requested). Null when the whole body was read.
    /// </summary>
    public long? ParsedBytes { get; set; }

    /// <summary>Extension: why discovery stopped at <see cref="ParsedBytes"/>; null when it did not.</summary>
    public DiscoveryLimit? DiscoveryLimit { get; set; }

    /// <summary>Extension: the final URL a redirect hop points to (its <c>Location</c>, resolved).</summary>
    public string? RedirectUrl { get; set; }

    /// <summary>
    /// Answered by the HTTP cache with nothing sent (RFC 9111 §4.2, a fresh stored response): no connection, no
    /// bytes on the wire, its whole short time in <c>blocked</c>. Written only when true.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingDefault)]
    public bool FromCache { get; set; }

    /// <summary>
    /// A conditional request (RFC 9111 §4.3.1) the server answered with <c>304</c>: the stored body was used (§4.3.4).
    /// Written only when true.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingDefault)]
    public bool Revalidated { get; set; }

    /// <summary>
    /// The object's cache entry before and after its request (HAR 1.2 <c>cache</c>), on loads with a repeat view (both
    /// views have a cache); null on loads without one.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public ObjectCacheRecord? Cache { get; set; }

    /// <summary>
    /// Extension: the response's <c>Via</c> (RFC 9110 §7.6.3), what every proxy and gateway on the way added, in order
    /// (repeated fields joined with ", "); null when none did.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public string? Via { get; set; }

    /// <summary>
    /// Extension: the response's <c>Age</c> in seconds (RFC 9111 §5.1), how long a cache on the way (a proxy's) had held
    /// it; null when none said, or the value was not a number.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public long? Age { get; set; }

    /// <summary>
    /// Requested after the load event, as Chromium requests the page's icon (<c>&lt;link rel=icon&gt;</c>): recorded, but
    /// outside onLoad, start render and Speed Index. Written only when true.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingDefault)]
    public bool AfterOnLoad { get; set; }

    /// <summary>Extension: request and response header fields, in order, for the UI and HAR.</summary>
    public List<HeaderRecord> RequestHeaders { get; set; } = [];
    public List<HeaderRecord> ResponseHeaders { get; set; } = [];
}

public sealed record HeaderRecord(string Name, string Value);

/// <summary>HAR 1.2 timings: -1 where a phase did not happen; <c>ssl</c> is inside <c>connect</c>.</summary>
public sealed record ObjectTimings(double Blocked, double Dns, double Connect, double Ssl, double Send, double Wait, double Receive)
{
    public static ObjectTimings None { get; } = new(-1, -1, -1, -1, 0, 0, 0);

    /// <summary>
    /// Extension: the CONNECT exchange with a proxy for a tunnelled https connection opened for this object
    /// (DevTools' "proxy negotiation"); inside <see cref="Connect"/>, as <see cref="Ssl"/> is, so <see cref="Total"/> is
    /// unchanged. -1 when there was none. HAR <c>_proxy</c>.
    /// </summary>
    public double Proxy { get; init; } = -1;

    /// <summary>HAR's <c>time</c>: every non-negative phase but <c>ssl</c>, which <c>connect</c> already holds.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public double Total =>
        Math.Max(Blocked, 0) + Math.Max(Dns, 0) + Math.Max(Connect, 0) + Math.Max(Send, 0) + Math.Max(Wait, 0) + Math.Max(Receive, 0);
}

/// <summary>Why discovery read only part of a body (<c>parse-cap</c>, <c>page-budget</c> in the document).</summary>
public enum DiscoveryLimit
{
    /// <summary>The body is longer, decoded, than the bytes parsed per document or stylesheet.</summary>
    ParseCap,

    /// <summary>The page's budget for kept bodies was spent: this body was not kept, nothing of it was parsed.</summary>
    PageBudget,
}

public enum ResourceKind
{
    Document,
    Stylesheet,
    Script,
    Image,
    Font,
    Media,
    Iframe,
    Other,
}

public enum Initiator
{
    Navigation,
    Parser,
    Css,
    Redirect,

    /// <summary>Extension: the same request again with <c>Authorization</c>, answering a 401 Basic challenge of the origin whose URL carried credentials.</summary>
    Auth,
}
