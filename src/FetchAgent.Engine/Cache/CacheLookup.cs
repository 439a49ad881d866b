using FetchAgent.Engine.Http1;

namespace FetchAgent.Engine.Cache;

/// <summary>What the cache says about a request (RFC 9111 §4).</summary>
public enum CacheDecision
{
    /// <summary>Nothing stored that matches: the request goes to the server as it is.</summary>
    Miss,

    /// <summary>§4.2: a fresh stored response answers the request; nothing is sent.</summary>
    Fresh,

    /// <summary>
    /// §4.3: stale, or no-cache: the request goes out with the stored validators (<see cref="CacheLookup.Conditions"/>);
    /// with no validator to send, it goes out unconditional and the answer replaces what was stored.
    /// </summary>
    Revalidate,
}

/// <summary>The cache's answer: the decision, the stored response it concerns, and the conditional fields to send (§4.3.1).</summary>
public sealed record CacheLookup(CacheDecision Decision, StoredResponse? Stored, IReadOnlyList<HeaderField> Conditions)
{
    public static CacheLookup Miss { get; } = new(CacheDecision.Miss, null, []);
}
