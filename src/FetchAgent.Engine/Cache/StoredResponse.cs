using FetchAgent.Engine.Http1;

namespace FetchAgent.Engine.Cache;

/// <summary>
/// A response in the cache (RFC 9111 §3): its head, the body as it came (content-coded, as on the wire: the loader
/// decodes it again for discovery), and what §4.2.3 needs to age it. Immutable: a 304 makes a new one (§4.3.4).
/// </summary>
public sealed record StoredResponse
{
    public required Uri Url { get; init; }
    public required int StatusCode { get; init; }
    public required string ReasonPhrase { get; init; }
    public required string Version { get; init; }

    /// <summary>The stored header fields (§3.1: without the connection-specific ones).</summary>
    public required IReadOnlyList<HeaderField> Headers { get; init; }

    /// <summary>The header section's size when it crossed the wire.</summary>
    public long HeaderBytes { get; init; }

    /// <summary>The body's bytes as received (what the loader kept; empty for a body it only counted).</summary>
    public ReadOnlyMemory<byte> Body { get; init; }

    /// <summary>The body's size on the wire.</summary>
    public long BodyWireBytes { get; init; }

    /// <summary>The body's last four bytes on the wire (a gzip trailer's size field), as the reader kept them.</summary>
    public uint BodyLastFourBytes { get; init; }

    /// <summary>§4.1: the request's values of the fields the response's Vary names (null for a field not sent).</summary>
    public IReadOnlyDictionary<string, string?> VaryValues { get; init; } = new Dictionary<string, string?>();

    /// <summary>§4.2.3 request_time: when the request that brought this response (or its last 304) was sent.</summary>
    public required DateTimeOffset RequestTime { get; init; }

    /// <summary>§4.2.3 response_time: when the response (or its last 304) was received.</summary>
    public required DateTimeOffset ResponseTime { get; init; }

    /// <summary>Times the cache answered a request with this response, fresh or revalidated (HAR 1.2 cache hitCount).</summary>
    public int HitCount { get; init; }

    /// <summary>When the cache last answered with it (HAR lastAccess); null until it has.</summary>
    public DateTimeOffset? LastAccess { get; init; }

    public CacheControl CacheControl => CacheControl.Parse(Get("Cache-Control"));

    public string? ETag => Get("ETag");

    public string? LastModified => Get("Last-Modified");

    public string? Get(string name)
    {
        var values = Headers.Where(h => string.Equals(h.Name, name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value).ToList();
        return values.Count == 0 ? null : string.Join(", ", values);
    }
}
