using System.Text.Json;
using FetchAgent.Engine.Model;

namespace FetchAgent.Storage.Rows;

/// <summary>An <c>objects</c> row (<see cref="Tables.Objects"/>): every field of <see cref="ObjectRecord"/>, each HAR timing phase a column.</summary>
internal sealed class ObjectRow
{
    public long PageLoadId { get; set; }
    public long Id { get; set; }
    public string Url { get; set; } = "";
    public string Method { get; set; } = "";
    public string Kind { get; set; } = "";
    public string Initiator { get; set; } = "";
    public long? ParentId { get; set; }
    public long RenderBlocking { get; set; }
    public long ParserBlocking { get; set; }
    public long? ConnectionId { get; set; }
    public long ReusedConnection { get; set; }
    public long Retries { get; set; }
    public double StartMs { get; set; }
    public double EndMs { get; set; }
    public double TimeMs { get; set; }
    public double BlockedMs { get; set; }
    public double DnsMs { get; set; }
    public double ConnectMs { get; set; }
    public double SslMs { get; set; }
    public double SendMs { get; set; }
    public double WaitMs { get; set; }
    public double ReceiveMs { get; set; }
    public string? HttpVersion { get; set; }
    public long? Status { get; set; }
    public string? StatusText { get; set; }
    public string? ContentType { get; set; }
    public long HeaderBytes { get; set; }
    public long BodyBytes { get; set; }
    public string? Error { get; set; }
    public string? RedirectUrl { get; set; }
    public string RequestHeaders { get; set; } = "[]";
    public string ResponseHeaders { get; set; } = "[]";

    /// <summary>migrations/sqlite/0003_discovery_ms.sql; null on other objects and on loads stored before it.</summary>
    public double? DiscoveryMs { get; set; }

    /// <summary>migrations/sqlite/0005_parsed_bytes.sql: set only when discovery stopped before the body's end.</summary>
    public long? ParsedBytes { get; set; }

    public string? DiscoveryLimit { get; set; }

    /// <summary>migrations/sqlite/0007_error_kind.sql: null without an error, and on objects stored before.</summary>
    public string? ErrorKind { get; set; }

    /// <summary>migrations/sqlite/0008_decoded_bytes.sql: null when unknown, and on objects stored before.</summary>
    public long? DecodedBytes { get; set; }

    /// <summary>migrations/sqlite/0013_tcp_info.sql: the kernel's TCP_INFO reading as JSON; null when none.</summary>
    public string? TcpInfo { get; set; }

    /// <summary>migrations/sqlite/0018_cache_and_proxy_fields.sql: the HTTP cache entry before and after, as JSON; null without a cache.</summary>
    public string? Cache { get; set; }

    /// <summary>migrations/sqlite/0018_cache_and_proxy_fields.sql: the response's Via; null when none.</summary>
    public string? Via { get; set; }

    /// <summary>migrations/sqlite/0018_cache_and_proxy_fields.sql: the response's Age in seconds; null when none.</summary>
    public long? Age { get; set; }
    /// <summary>migrations/sqlite/0011_repeat_view.sql: 1 for an object the HTTP cache answered with nothing sent.</summary>
    public long FromCache { get; set; }

    /// <summary>migrations/sqlite/0011_repeat_view.sql: 1 for an object revalidated with a 304.</summary>
    public long Revalidated { get; set; }

    /// <summary>migrations/sqlite/0015_after_onload.sql: 1 for an object requested after the load event (the page's icon).</summary>
    public long AfterOnload { get; set; }

    /// <summary>migrations/sqlite/0019_request_priority.sql: the priority the request went out at (VeryHigh … VeryLow); null before.</summary>
    public string? Priority { get; set; }

    /// <summary>The CONNECT exchange (0010); -1 when none.</summary>
    public double ProxyMs { get; set; } = -1;

    public static ObjectRow From(long pageLoadId, ObjectRecord o) => new()
    {
        PageLoadId = pageLoadId,
        Id = o.Id,
        Url = o.Url,
        Method = o.Method,
        Kind = StoredText.Enum(o.Kind),
        Initiator = StoredText.Enum(o.Initiator),
        ParentId = o.ParentId,
        RenderBlocking = o.RenderBlocking ? 1 : 0,
        ParserBlocking = o.ParserBlocking ? 1 : 0,
        ConnectionId = o.ConnectionId,
        ReusedConnection = o.ReusedConnection ? 1 : 0,
        Retries = o.Retries,
        StartMs = o.StartMs,
        EndMs = o.EndMs,
        TimeMs = o.Time,
        BlockedMs = o.Timings.Blocked,
        DnsMs = o.Timings.Dns,
        ConnectMs = o.Timings.Connect,
        SslMs = o.Timings.Ssl,
        SendMs = o.Timings.Send,
        WaitMs = o.Timings.Wait,
        ReceiveMs = o.Timings.Receive,
        HttpVersion = o.HttpVersion,
        Status = o.Status,
        StatusText = o.StatusText,
        ContentType = o.ContentType,
        HeaderBytes = o.HeaderBytes,
        BodyBytes = o.BodyBytes,
        Error = o.Error,
        RedirectUrl = o.RedirectUrl,
        RequestHeaders = JsonSerializer.Serialize(o.RequestHeaders, DocumentJson.Options),
        ResponseHeaders = JsonSerializer.Serialize(o.ResponseHeaders, DocumentJson.Options),
        DiscoveryMs = o.DiscoveryMs,
        ParsedBytes = o.ParsedBytes,
        DiscoveryLimit = o.DiscoveryLimit is { } limit ? StoredText.Enum(limit) : null,
        ErrorKind = o.ErrorKind is { } kind ? StoredText.Enum(kind) : null,
        DecodedBytes = o.DecodedBytes,
        TcpInfo = o.TcpInfo is null ? null : JsonSerializer.Serialize(o.TcpInfo, DocumentJson.Options),
        Cache = o.Cache is null ? null : JsonSerializer.Serialize(o.Cache, DocumentJson.Options),
        Via = o.Via,
        Age = o.Age,
        FromCache = o.FromCache ? 1 : 0,
        Revalidated = o.Revalidated ? 1 : 0,
        AfterOnload = o.AfterOnLoad ? 1 : 0,
        Priority = o.Priority,
        ProxyMs = o.Timings.Proxy,
    };

    public ObjectRecord ToRecord() => new()
    {
        Id = checked((int)Id),
        Url = Url,
        Method = Method,
        Kind = StoredText.Enum<ResourceKind>(Kind),
        Initiator = StoredText.Enum<Initiator>(Initiator),
        ParentId = ParentId is { } parent ? checked((int)parent) : null,
        RenderBlocking = RenderBlocking != 0,
        ParserBlocking = ParserBlocking != 0,
        ConnectionId = ConnectionId is { } connection ? checked((int)connection) : null,
        ReusedConnection = ReusedConnection != 0,
        Retries = checked((int)Retries),
        StartMs = StartMs,
        EndMs = EndMs,
        Time = TimeMs,
        Timings = new ObjectTimings(BlockedMs, DnsMs, ConnectMs, SslMs, SendMs, WaitMs, ReceiveMs) { Proxy = ProxyMs },
        HttpVersion = HttpVersion,
        Status = Status is { } status ? checked((int)status) : null,
        StatusText = StatusText,
        ContentType = ContentType,
        HeaderBytes = HeaderBytes,
        BodyBytes = BodyBytes,
        Error = Error,
        RedirectUrl = RedirectUrl,
        RequestHeaders = Headers(RequestHeaders),
        ResponseHeaders = Headers(ResponseHeaders),
        DiscoveryMs = DiscoveryMs,
        ParsedBytes = ParsedBytes,
        DiscoveryLimit = DiscoveryLimit is { } limit ? StoredText.Enum<DiscoveryLimit>(limit) : null,
        ErrorKind = ErrorKind is { } kind ? StoredText.Enum<ErrorKind>(kind) : null,
        DecodedBytes = DecodedBytes,
        TcpInfo = TcpInfo is null ? null : JsonSerializer.Deserialize<TcpInfoRecord>(TcpInfo, DocumentJson.Options),
        Cache = Cache is null ? null : JsonSerializer.Deserialize<ObjectCacheRecord>(Cache, DocumentJson.Options),
        Via = Via,
        Age = Age,
        FromCache = FromCache != 0,
        Revalidated = Revalidated != 0,
        AfterOnLoad = AfterOnload != 0,
        Priority = Priority,
    };

    private static List<HeaderRecord> Headers(string json) => JsonSerializer.Deserialize<List<HeaderRecord>>(json, DocumentJson.Options) ?? [];
}
