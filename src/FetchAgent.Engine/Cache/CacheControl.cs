namespace FetchAgent.Engine.Cache;

/// <summary>
/// The response's Cache-Control directives a private cache acts on (RFC 9111 §5.2.2). Unknown directives are ignored
/// (§5.2.3); a directive repeated keeps its first value.
/// </summary>
public sealed record CacheControl
{
    /// <summary>§5.2.2.5: the response must not be stored.</summary>
    public bool NoStore { get; init; }

    /// <summary>§5.2.2.4: stored, but never reused without a successful revalidation.</summary>
    public bool NoCache { get; init; }

    /// <summary>§5.2.2.2: once stale, never reused without a successful revalidation.</summary>
    public bool MustRevalidate { get; init; }

    /// <summary>§5.2.2.7: only a private cache (a browser's) may store it; this is one.</summary>
    public bool Private { get; init; }

    /// <summary>§5.2.2.9: marks the response storable even when it would not be by default.</summary>
    public bool Public { get; init; }

    /// <summary>§5.2.2.1: the freshness lifetime in seconds, when given as a valid delta-seconds.</summary>
    public long? MaxAge { get; init; }

    public static CacheControl None { get; } = new();

    /// <summary>Parses every Cache-Control field value of a response (joined with commas, as RFC 9110 §5.3 allows).</summary>
    public static CacheControl Parse(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
            return None;
        bool noStore = false, noCache = false, mustRevalidate = false, isPrivate = false, isPublic = false;
        long? maxAge = null;
        foreach (var part in value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = part.IndexOf('=');
            var name = (eq < 0 ? part : part[..eq]).Trim().ToLowerInvariant();
            var argument = eq < 0 ? null : part[(eq + 1)..].Trim().Trim('"');
            switch (name)
            {
                case "no-store": noStore = true; break;
                // §5.2.2.4: no-cache with field names (qualified) is, for a private cache, the same as plain no-cache
                // for the fields; FetchAgent treats it as no-cache, the safe reading.
                case "no-cache": noCache = true; break;
                case "must-revalidate": mustRevalidate = true; break;
                case "private": isPrivate = true; break;
                case "public": isPublic = true; break;
                case "max-age":
                    // §1.2.2: delta-seconds; a value that does not parse makes the directive invalid (§4.2.1: treat as stale).
                    if (maxAge is null)
                        maxAge = long.TryParse(argument, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var seconds) ? seconds : 0;
                    break;
            }
        }

        return new CacheControl { NoStore = noStore, NoCache = noCache, MustRevalidate = mustRevalidate, Private = isPrivate, Public = isPublic, MaxAge = maxAge };
    }
}
