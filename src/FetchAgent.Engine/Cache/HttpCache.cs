using FetchAgent.Engine.Http1;

namespace FetchAgent.Engine.Cache;

/// <summary>
/// A browser's private HTTP cache (RFC 9111), in memory, for one sequence of page loads (a first view and its repeat
/// view). Keyed by method and URL (§2); one stored response per key, selected further by Vary (§4.1). Thread-safe:
/// a page's objects are fetched in parallel. Time comes from a <see cref="TimeProvider"/>, so tests move it.
/// </summary>
public sealed class HttpCache(TimeProvider time)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, StoredResponse> _entries = new(StringComparer.Ordinal);

    public TimeProvider Time => time;

    public int Count
    {
        get
        {
            lock (_lock)
                return _entries.Count;
        }
    }

    /// <summary>The stored response for a URL, whatever its freshness (for the record and for tests).</summary>
    public StoredResponse? Peek(Uri url)
    {
        lock (_lock)
            return _entries.GetValueOrDefault(Key("GET", url));
    }

    /// <summary>
    /// §4: finds the stored response that may answer this request, and says whether it is fresh (§4.2: used as it is,
    /// hit counted) or must be revalidated (§4.3: stale, or no-cache §5.2.2.4, or stale with must-revalidate
    /// §5.2.2.2; FetchAgent never serves stale, as a browser does not on a normal navigation, §4.2.4).
    /// </summary>
    public CacheLookup Lookup(string method, Uri url, IReadOnlyList<HeaderField> requestHeaders)
    {
        if (method != "GET")
            return CacheLookup.Miss;
        lock (_lock)
        {
            var key = Key(method, url);
            if (!_entries.TryGetValue(key, out var stored) || !VaryMatches(stored, requestHeaders))
                return CacheLookup.Miss;
            var now = time.GetUtcNow();
            if (!stored.CacheControl.NoCache && Freshness.IsFresh(stored, now))
            {
                _entries[key] = stored with { HitCount = stored.HitCount + 1, LastAccess = now };
                return new CacheLookup(CacheDecision.Fresh, _entries[key], []);
            }

            return new CacheLookup(CacheDecision.Revalidate, stored, Conditions(stored));
        }
    }

    /// <summary>
    /// Stores a response if §3 allows it (replacing what the key held: a 200 to a conditional request does, §4.3.3),
    /// or, when it may not be stored, drops what the key held (the server has said something newer). Returns what
    /// is stored now, or null.
    /// </summary>
    public StoredResponse? Store(string method, Uri url, IReadOnlyList<HeaderField> requestHeaders, DateTimeOffset requestTime,
        int status, string reason, string version, IReadOnlyList<HeaderField> responseHeaders, long headerBytes,
        ReadOnlyMemory<byte> body, long bodyWireBytes, bool complete, uint bodyLastFourBytes = 0)
    {
        var key = Key(method, url);
        lock (_lock)
        {
            if (!Storability.MayStore(method, status, responseHeaders, complete))
            {
                // §4.4 speaks of unsafe methods; a final non-storable answer to a GET also means the old one is no use.
                if (method == "GET")
                    _entries.Remove(key);
                return null;
            }

            var stored = new StoredResponse
            {
                Url = url, StatusCode = status, ReasonPhrase = reason, Version = version,
                Headers = Storability.StoredFields(responseHeaders), HeaderBytes = headerBytes,
                Body = body.ToArray(), BodyWireBytes = bodyWireBytes, BodyLastFourBytes = bodyLastFourBytes,
                VaryValues = VaryValues(responseHeaders, requestHeaders),
                RequestTime = requestTime, ResponseTime = time.GetUtcNow(),
            };
            _entries[key] = stored;
            return stored;
        }
    }

    /// <summary>
    /// §4.3.4: a 304 freshens the stored response it validated: its fields are updated (§3.2), its request and
    /// response times become the 304's (so §4.2.3 ages it from now), the stored body stays, and it counts as a hit.
    /// Returns the updated response, or null when nothing stored matches the 304's validator (then the 304 cannot be
    /// used, §4.3.4).
    /// </summary>
    public StoredResponse? Freshen(Uri url, DateTimeOffset requestTime, IReadOnlyList<HeaderField> notModifiedHeaders)
    {
        var key = Key("GET", url);
        lock (_lock)
        {
            if (!_entries.TryGetValue(key, out var stored))
                return null;
            var etag = Storability.Join(notModifiedHeaders, "ETag");
            // §4.3.4: a strong or weak validator in the 304 selects the stored response carrying the same one.
            if (etag is not null && stored.ETag is { } storedTag && WeakComparison(etag) != WeakComparison(storedTag))
                return null;
            var now = time.GetUtcNow();
            var updated = stored with
            {
                Headers = Storability.Update(stored.Headers, notModifiedHeaders),
                RequestTime = requestTime, ResponseTime = now,
                HitCount = stored.HitCount + 1, LastAccess = now,
            };
            _entries[key] = updated;
            return updated;
        }
    }

    /// <summary>§4.3.1: If-None-Match with the stored ETag, If-Modified-Since with the stored Last-Modified.</summary>
    private static IReadOnlyList<HeaderField> Conditions(StoredResponse stored)
    {
        var conditions = new List<HeaderField>(2);
        if (stored.ETag is { } etag)
            conditions.Add(new HeaderField("If-None-Match", etag));
        if (stored.LastModified is { } lastModified)
            conditions.Add(new HeaderField("If-Modified-Since", lastModified));
        return conditions;
    }

    /// <summary>§4.1: every field the stored response's Vary names has the same value in the new request (whitespace normalised).</summary>
    private static bool VaryMatches(StoredResponse stored, IReadOnlyList<HeaderField> requestHeaders)
    {
        foreach (var (name, value) in stored.VaryValues)
        {
            if (!string.Equals(Normalise(value), Normalise(Storability.Join(requestHeaders, name)), StringComparison.Ordinal))
                return false;
        }

        return true;
    }

    private static Dictionary<string, string?> VaryValues(IReadOnlyList<HeaderField> responseHeaders, IReadOnlyList<HeaderField> requestHeaders)
    {
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        if (Storability.Join(responseHeaders, "Vary") is not { } vary)
            return values;
        foreach (var name in vary.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            values[name] = Storability.Join(requestHeaders, name);
        return values;
    }

    private static string? Normalise(string? value) =>
        value is null ? null : string.Join(",", value.Split(',', StringSplitOptions.TrimEntries));

    private static string WeakComparison(string tag) => tag.Trim().StartsWith("W/", StringComparison.Ordinal) ? tag.Trim()[2..] : tag.Trim();

    /// <summary>§2: the primary cache key is the request method and target URI (without its fragment).</summary>
    private static string Key(string method, Uri url) => method + " " + url.GetComponents(UriComponents.HttpRequestUrl, UriFormat.UriEscaped);
}
