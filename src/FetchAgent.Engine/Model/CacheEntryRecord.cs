namespace FetchAgent.Engine.Model;

/// <summary>
/// An object's entry in the HTTP cache of a load with a repeat view (HAR 1.2 <c>cache</c>): its state before the
/// request was made and after the response was handled; null on a side where the cache held nothing for the URL.
/// </summary>
public sealed record ObjectCacheRecord(CacheEntryRecord? BeforeRequest, CacheEntryRecord? AfterRequest);

/// <summary>
/// One state of a cache entry, as HAR 1.2 names it: <c>expires</c> when it stops being fresh (RFC 9111 §4.2, on the
/// cache's clock: response time plus freshness lifetime less the age it had on arrival), <c>lastAccess</c> when the
/// cache last answered with it (or stored it, before it has answered), the stored <c>eTag</c> (null when none), and
/// <c>hitCount</c>, the requests it answered, fresh or revalidated.
/// </summary>
public sealed record CacheEntryRecord(DateTimeOffset Expires, DateTimeOffset LastAccess, string? ETag, int HitCount);
