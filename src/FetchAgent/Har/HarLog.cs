using System.Text.Json.Serialization;
using FetchAgent.Engine.Model;

namespace FetchAgent.Har;

// HAR 1.2 (http://www.softwareishard.com/blog/har-12-spec/): the shapes other tools open.
// FetchAgent's own data rides in "_"-prefixed fields, as the spec allows for custom fields.

public sealed record HarFile(HarLog Log);

public sealed record HarLog(string Version, HarCreator Creator, IReadOnlyList<HarPage> Pages, IReadOnlyList<HarEntry> Entries)
{
    [JsonPropertyName("_connections")]
    public IReadOnlyList<HarConnection> Connections { get; init; } = [];
}

public sealed record HarCreator(string Name, string Version);

public sealed record HarPage(string StartedDateTime, string Id, string Title, HarPageTimings PageTimings)
{
    [JsonPropertyName("_fetchAgent")]
    public required HarPageExtension FetchAgent { get; init; }
}

/// <summary>onContentLoad and onLoad in ms from the page's start (FetchAgent's DOMContentLoaded and onLoad estimates).</summary>
public sealed record HarPageTimings(double OnContentLoad, double OnLoad);

/// <summary><paramref name="ConcurrentLoads"/>: the most other loads that ran beside this one (its phases may be inflated by them).</summary>
public sealed record HarPageExtension(
    long Id, string Status, string? Error, string Strategy, double TtfbMs, double StartRenderMs, double SpeedIndexMs,
    double VisuallyCompleteMs, double PerceivedMs, double ActualMs, int ConnectionCount, int ReusedRequests, int RetriedRequests, long Bytes,
    int ConcurrentLoads)
{
    /// <summary>The machine-readable kind of <paramref name="Error"/> (<c>timeout</c>, <c>dns</c>, <c>cancelled</c>, …); absent when there is none.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ErrorKind { get; init; }
}

public sealed record HarEntry(
    string Pageref, string StartedDateTime, double Time, HarRequest Request, HarResponse Response, HarCache Cache, HarTimings Timings,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ServerIPAddress,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Connection)
{
    [JsonPropertyName("_fetchAgent")]
    public required HarEntryExtension FetchAgent { get; init; }

    /// <summary>Time FetchAgent held the critical path after this document's or stylesheet's last byte (its discovery); absent on other entries.</summary>
    [JsonPropertyName("_discoveryMs")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? DiscoveryMs { get; init; }

    /// <summary>The decoded bytes discovery parsed when it stopped before the body's end (the object's <c>parsedBytes</c>); absent otherwise.</summary>
    [JsonPropertyName("_parsedBytes")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? ParsedBytes { get; init; }

    /// <summary>Why: <c>parse-cap</c> or <c>page-budget</c> (the object's <c>discoveryLimit</c>); absent otherwise.</summary>
    [JsonPropertyName("_discoveryLimit")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? DiscoveryLimit { get; init; }

    /// <summary>Issue 15: true when the HTTP cache answered with nothing sent (the object's <c>fromCache</c>); absent otherwise.</summary>
    [JsonPropertyName("_fromCache")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? FromCache { get; init; }

    /// <summary>Issue 15: true when a conditional request came back 304 and the stored body was used; absent otherwise.</summary>
    [JsonPropertyName("_revalidated")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? Revalidated { get; init; }

    /// <summary>Chrome's resource type (document, stylesheet, script, image, font, media, other), as DevTools' HAR import reads it.</summary>
    [JsonPropertyName("_resourceType")]
    public string ResourceType { get; init; } = "other";

    /// <summary>Chrome's initiator: <c>{ type: "parser", url }</c> for a reference found in a document or stylesheet, <c>{ type: "other" }</c> otherwise.</summary>
    [JsonPropertyName("_initiator")]
    public HarInitiator Initiator { get; init; } = new("other", null);

    /// <summary>Chrome's request priority (VeryHigh, High, Medium, Low, Lowest).</summary>
    [JsonPropertyName("_priority")]
    public string Priority { get; init; } = "Low";
}

/// <summary>Chrome's <c>_initiator</c> of an entry.</summary>
public sealed record HarInitiator(
    string Type,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Url);

public sealed record HarRequest(
    string Method, string Url, string HttpVersion, IReadOnlyList<HarCookie> Cookies, IReadOnlyList<HarNameValue> Headers,
    IReadOnlyList<HarNameValue> QueryString, long HeadersSize, long BodySize);

public sealed record HarResponse(
    int Status, string StatusText, string HttpVersion, IReadOnlyList<HarCookie> Cookies, IReadOnlyList<HarNameValue> Headers,
    HarContent Content, string RedirectURL, long HeadersSize, long BodySize)
{
    [JsonPropertyName("_error")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Error { get; init; }

    /// <summary>The machine-readable kind of <c>_error</c> (<c>timeout</c>, <c>dns</c>, <c>refused</c>, <c>tls</c>, <c>truncated</c>, <c>protocol</c>, …); absent when there is none.</summary>
    [JsonPropertyName("_errorKind")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ErrorKind { get; init; }
}

/// <summary>
/// <paramref name="Size"/>: the body decoded when FetchAgent knows that size (<c>decodedBytes</c>), else as it crossed the wire;
/// <see cref="Compression"/>: the bytes the Content-Encoding saved, present only when both sizes are known.
/// </summary>
public sealed record HarContent(long Size, string MimeType)
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? Compression { get; init; }
}

public sealed record HarCookie(string Name, string Value);

public sealed record HarNameValue(string Name, string Value);

/// <summary>
/// HAR 1.2 <c>cache</c>: empty for a load without a cache; on a load with a repeat view, <c>beforeRequest</c> and
/// <c>afterRequest</c>, each the cache entry's state or null when the cache held nothing for the URL (as HAR's schema
/// allows). A dictionary so that a null is written as null, while an absent side is left out.
/// </summary>
public sealed class HarCache : Dictionary<string, HarCacheEntry?>;

/// <summary>HAR 1.2 cache entry state: <c>expires</c>, <c>lastAccess</c>, <c>eTag</c> ("" when none) and <c>hitCount</c>.</summary>
public sealed record HarCacheEntry(string Expires, string LastAccess, string ETag, int HitCount);

/// <summary>HAR timings: -1 where a phase did not happen; <c>ssl</c> is included in <c>connect</c>.</summary>
public sealed record HarTimings(double Blocked, double Dns, double Connect, double Send, double Wait, double Receive, double Ssl)
{
    /// <summary>A vendor field beside <c>connect</c>: the CONNECT exchange with a proxy, inside <c>connect</c> as <c>ssl</c> is; absent when none.</summary>
    [JsonPropertyName("_proxy")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? Proxy { get; init; }
}

public sealed record HarEntryExtension(
    int ObjectId, string Kind, string Initiator, int? ParentId, bool RenderBlocking, bool ParserBlocking, int? ConnectionId,
    bool ReusedConnection, int Retries, double StartMs, double EndMs, string? LocalAddress, int? LocalPort, int? RemotePort, string? Error)
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ErrorKind { get; init; }
}

public sealed record HarConnection(
    int Id, string Scheme, string Host, int Port, string? RemoteAddress, int RemotePort, string? LocalAddress, int LocalPort,
    double OpenedMs, double? ClosedMs, int Requests, string? CloseReason, string? TlsProtocol)
{
    /// <summary>Why it could not open or failed (close reason <c>error</c>), and its kind; absent otherwise.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Error { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ErrorKind { get; init; }

    /// <summary>The proxy it went to (<c>http://host:port</c>) and its CONNECT time; absent when direct.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Proxy { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? ProxyMs { get; init; }
}
