using FetchAgent.Engine.Http1;

namespace FetchAgent.Engine.Cache;

/// <summary>RFC 9111 §3: which responses a private cache may store, and which of their fields it keeps.</summary>
public static class Storability
{
    /// <summary>
    /// RFC 9110 §15.1: status codes heuristically cacheable (storable and given a heuristic lifetime without explicit
    /// freshness). 206 is left out: FetchAgent sends no Range and stores no partial content (§3.3, §3.4).
    /// </summary>
    public static bool IsHeuristicallyCacheable(int status) => status is 200 or 203 or 204 or 300 or 301 or 308 or 404 or 405 or 410 or 414 or 501;

    /// <summary>
    /// §3: the method is GET (cacheable, and all FetchAgent sends); the status is final and understood; no-store is
    /// absent; private is fine (this is a private cache); and the response has explicit freshness (max-age, Expires,
    /// public, private) or a status heuristically cacheable. §3.5 (Authorization) restricts shared caches only: a
    /// browser's private cache stores a response to an authorized request, keyed by its URL as browsers do.
    /// The body must be complete (§3.1: FetchAgent keeps no incomplete responses).
    /// </summary>
    public static bool MayStore(string method, int status, IReadOnlyList<HeaderField> headers, bool complete)
    {
        if (method != "GET" || !complete || status is < 200 or 206 or 304)
            return false;
        var control = CacheControl.Parse(Join(headers, "Cache-Control"));
        if (control.NoStore)
            return false;
        // §4.1: "Vary: *" never matches a later request; storing it would only take room.
        if (Join(headers, "Vary") is { } vary && vary.Split(',', StringSplitOptions.TrimEntries).Contains("*"))
            return false;
        return control.MaxAge is not null || control.Public || control.Private || Join(headers, "Expires") is not null || IsHeuristicallyCacheable(status);
    }

    /// <summary>
    /// §3.1 (RFC 9110 §7.6.1): the connection-specific fields are not stored: Connection and the fields it names,
    /// Proxy-Connection, Keep-Alive, TE, Transfer-Encoding, Upgrade.
    /// </summary>
    public static IReadOnlyList<HeaderField> StoredFields(IReadOnlyList<HeaderField> headers)
    {
        var named = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "Connection", "Proxy-Connection", "Keep-Alive", "TE", "Transfer-Encoding", "Upgrade" };
        foreach (var connection in headers.Where(h => h.Name.Equals("Connection", StringComparison.OrdinalIgnoreCase)))
        {
            foreach (var token in connection.Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
                named.Add(token);
        }

        return headers.Where(h => !named.Contains(h.Name)).ToList();
    }

    /// <summary>
    /// §3.2 (on a 304, §4.3.4): every field of the new response replaces the stored fields of its name, except the
    /// connection-specific ones (§3.1) and Content-Length; the stored body stays.
    /// </summary>
    public static IReadOnlyList<HeaderField> Update(IReadOnlyList<HeaderField> stored, IReadOnlyList<HeaderField> fresh)
    {
        var incoming = StoredFields(fresh).Where(h => !h.Name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)).ToList();
        var replaced = incoming.Select(h => h.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        return stored.Where(h => !replaced.Contains(h.Name)).Concat(incoming).ToList();
    }

    internal static string? Join(IReadOnlyList<HeaderField> headers, string name)
    {
        var values = headers.Where(h => h.Name.Equals(name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value).ToList();
        return values.Count == 0 ? null : string.Join(", ", values);
    }
}
