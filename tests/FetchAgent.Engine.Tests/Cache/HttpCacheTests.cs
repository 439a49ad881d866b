using FetchAgent.Engine.Cache;
using FetchAgent.Engine.Http1;

namespace FetchAgent.Engine.Tests.Cache;

/// <summary>The private cache's rules, each from its RFC 9111 section, on a clock the test moves.</summary>
public sealed class HttpCacheTests
{
    private static readonly Uri Url = new("http://127.0.0.1/a.css");
    private static readonly HeaderField[] Request = [H("Accept", "text/css"), H("Accept-Encoding", "gzip, deflate, br")];
    private readonly ManualTime _time = new();

    private static HeaderField H(string name, string value) => new(name, value);

    private string Date(TimeSpan offset = default) => HttpDate.Format(_time.GetUtcNow() + offset);

    private StoredResponse? Store(int status, params HeaderField[] headers) =>
        new HttpCache(_time).Store("GET", Url, Request, _time.GetUtcNow(), status, "OK", "HTTP/1.1", headers, 100, "body"u8.ToArray(), 4, complete: true);

    private HttpCache CacheWith(params HeaderField[] headers)
    {
        var cache = new HttpCache(_time);
        Assert.NotNull(cache.Store("GET", Url, Request, _time.GetUtcNow(), 200, "OK", "HTTP/1.1", headers, 100, "body"u8.ToArray(), 4, complete: true));
        return cache;
    }

    [Fact]
    public void Section_3_no_store_is_not_stored_and_private_is()
    {
        Assert.Null(Store(200, H("Cache-Control", "no-store, max-age=60")));
        Assert.NotNull(Store(200, H("Cache-Control", "private, max-age=60")));
    }

    [Fact]
    public void Section_3_a_status_not_cacheable_by_default_is_stored_only_with_explicit_freshness()
    {
        Assert.Null(Store(302, H("Location", "/b")));
        Assert.Null(Store(500));
        Assert.NotNull(Store(302, H("Location", "/b"), H("Cache-Control", "max-age=60")));
        Assert.NotNull(Store(404));
        Assert.NotNull(Store(301, H("Location", "/b")));
        // 206: FetchAgent sends no Range and keeps no partial content (§3.3); 304 is never a stored response.
        Assert.Null(Store(206, H("Cache-Control", "max-age=60")));
        Assert.Null(Store(304, H("Cache-Control", "max-age=60")));
    }

    [Fact]
    public void Section_3_only_GET_and_a_complete_body_are_stored()
    {
        var cache = new HttpCache(_time);
        Assert.Null(cache.Store("POST", Url, Request, _time.GetUtcNow(), 200, "OK", "HTTP/1.1", [H("Cache-Control", "max-age=60")], 1, default, 0, complete: true));
        Assert.Null(cache.Store("GET", Url, Request, _time.GetUtcNow(), 200, "OK", "HTTP/1.1", [H("Cache-Control", "max-age=60")], 1, default, 0, complete: false));
        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public void Section_3_1_connection_specific_fields_are_not_stored()
    {
        var stored = Store(200, H("Connection", "keep-alive, X-Hop"), H("X-Hop", "1"), H("Keep-Alive", "timeout=5"), H("Transfer-Encoding", "chunked"), H("ETag", "\"a\""))!;
        Assert.Equal([new HeaderField("ETag", "\"a\"")], stored.Headers);
    }

    [Fact]
    public void Section_4_2_1_max_age_is_fresh_until_its_seconds_have_passed()
    {
        var cache = CacheWith(H("Date", Date()), H("Cache-Control", "max-age=60"));
        _time.Advance(TimeSpan.FromSeconds(59));
        Assert.Equal(CacheDecision.Fresh, cache.Lookup("GET", Url, Request).Decision);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(CacheDecision.Revalidate, cache.Lookup("GET", Url, Request).Decision);
    }

    [Fact]
    public void Section_4_2_1_max_age_wins_over_Expires()
    {
        var stored = Store(200, H("Date", Date()), H("Expires", Date(TimeSpan.FromHours(1))), H("Cache-Control", "max-age=10"))!;
        Assert.Equal(TimeSpan.FromSeconds(10), Freshness.Lifetime(stored));
    }

    [Fact]
    public void Section_4_2_1_Expires_minus_Date_and_an_invalid_Expires_is_already_expired()
    {
        // The server's clock is an hour behind ours: the lifetime is Expires - Date, not Expires - now.
        var stored = Store(200, H("Date", Date(TimeSpan.FromHours(-1))), H("Expires", Date(TimeSpan.FromMinutes(-30))))!;
        Assert.Equal(TimeSpan.FromMinutes(30), Freshness.Lifetime(stored));
        var invalid = Store(200, H("Date", Date()), H("Expires", "0"))!;
        Assert.Equal(TimeSpan.Zero, Freshness.Lifetime(invalid));
    }

    [Fact]
    public void Section_4_2_2_heuristic_lifetime_is_a_tenth_of_Date_minus_Last_Modified()
    {
        var stored = Store(200, H("Date", Date()), H("Last-Modified", Date(TimeSpan.FromDays(-10))))!;
        Assert.Equal(TimeSpan.FromDays(1), Freshness.Lifetime(stored));
        // Only for a status heuristically cacheable: a 302 stored for its max-age=0 gets none.
        var redirect = Store(302, H("Date", Date()), H("Last-Modified", Date(TimeSpan.FromDays(-10))), H("Cache-Control", "public"))!;
        Assert.Equal(TimeSpan.Zero, Freshness.Lifetime(redirect));
    }

    [Fact]
    public void Section_4_2_3_current_age_counts_Age_the_response_delay_and_the_resident_time()
    {
        var cache = new HttpCache(_time);
        var requestTime = _time.GetUtcNow();
        _time.Advance(TimeSpan.FromSeconds(2)); // response_delay = 2 s
        var stored = cache.Store("GET", Url, Request, requestTime, 200, "OK", "HTTP/1.1",
            [H("Date", Date()), H("Age", "30"), H("Cache-Control", "max-age=100")], 1, default, 0, complete: true)!;
        _time.Advance(TimeSpan.FromSeconds(10)); // resident_time = 10 s
        // corrected_initial_age = max(apparent 0, 30 + 2) = 32; + 10 resident.
        Assert.Equal(TimeSpan.FromSeconds(42), Freshness.CurrentAge(stored, _time.GetUtcNow()));
        _time.Advance(TimeSpan.FromSeconds(57));
        Assert.Equal(CacheDecision.Fresh, cache.Lookup("GET", Url, Request).Decision);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(CacheDecision.Revalidate, cache.Lookup("GET", Url, Request).Decision);
    }

    [Fact]
    public void Section_4_2_3_a_Date_in_the_past_ages_the_response_by_the_apparent_age()
    {
        var stored = Store(200, H("Date", Date(TimeSpan.FromSeconds(-50))), H("Cache-Control", "max-age=60"))!;
        Assert.Equal(TimeSpan.FromSeconds(50), Freshness.CurrentAge(stored, _time.GetUtcNow()));
        Assert.Equal(_time.GetUtcNow() + TimeSpan.FromSeconds(10), Freshness.Expires(stored));
    }

    [Fact]
    public void Section_5_2_2_4_no_cache_is_stored_but_always_revalidated()
    {
        var cache = CacheWith(H("Date", Date()), H("Cache-Control", "no-cache, max-age=3600"), H("ETag", "\"v1\""));
        var lookup = cache.Lookup("GET", Url, Request);
        Assert.Equal(CacheDecision.Revalidate, lookup.Decision);
        Assert.Equal([new HeaderField("If-None-Match", "\"v1\"")], lookup.Conditions);
    }

    [Fact]
    public void Section_5_2_2_2_must_revalidate_is_fresh_while_fresh_and_revalidated_once_stale()
    {
        var cache = CacheWith(H("Date", Date()), H("Cache-Control", "max-age=5, must-revalidate"), H("ETag", "\"v1\""));
        Assert.True(cache.Peek(Url)!.CacheControl.MustRevalidate);
        Assert.Equal(CacheDecision.Fresh, cache.Lookup("GET", Url, Request).Decision);
        _time.Advance(TimeSpan.FromSeconds(6));
        Assert.Equal(CacheDecision.Revalidate, cache.Lookup("GET", Url, Request).Decision);
    }

    [Fact]
    public void Section_4_3_1_a_stale_response_is_revalidated_with_its_ETag_and_its_Last_Modified()
    {
        var lastModified = Date(TimeSpan.FromDays(-1));
        var cache = CacheWith(H("Date", Date()), H("Cache-Control", "max-age=0"), H("ETag", "W/\"v1\""), H("Last-Modified", lastModified));
        var lookup = cache.Lookup("GET", Url, Request);
        Assert.Equal(CacheDecision.Revalidate, lookup.Decision);
        Assert.Equal([new HeaderField("If-None-Match", "W/\"v1\""), new HeaderField("If-Modified-Since", lastModified)], lookup.Conditions);
    }

    [Fact]
    public void Section_4_3_1_with_no_validator_a_stale_response_is_fetched_unconditionally()
    {
        var cache = CacheWith(H("Date", Date()));
        var lookup = cache.Lookup("GET", Url, Request);
        Assert.Equal(CacheDecision.Revalidate, lookup.Decision);
        Assert.Empty(lookup.Conditions);
    }

    [Fact]
    public void Section_4_3_4_a_304_updates_the_stored_fields_keeps_the_body_and_makes_it_fresh_again()
    {
        var cache = CacheWith(H("Date", Date()), H("Cache-Control", "max-age=10"), H("ETag", "\"v1\""), H("Content-Length", "4"), H("X-Old", "kept"));
        _time.Advance(TimeSpan.FromSeconds(20));
        Assert.Equal(CacheDecision.Revalidate, cache.Lookup("GET", Url, Request).Decision);
        var updated = cache.Freshen(Url, _time.GetUtcNow(), [H("Date", Date()), H("Cache-Control", "max-age=30"), H("ETag", "\"v1\""), H("Content-Length", "0"), H("Connection", "keep-alive")])!;
        Assert.Equal("body", System.Text.Encoding.ASCII.GetString(updated.Body.Span));
        Assert.Equal("max-age=30", updated.Get("Cache-Control"));
        Assert.Equal("4", updated.Get("Content-Length")); // §3.2: Content-Length is not updated
        Assert.Equal("kept", updated.Get("X-Old"));
        Assert.Null(updated.Get("Connection"));
        Assert.Equal(1, updated.HitCount);
        _time.Advance(TimeSpan.FromSeconds(29));
        Assert.Equal(CacheDecision.Fresh, cache.Lookup("GET", Url, Request).Decision);
        Assert.Equal(2, cache.Peek(Url)!.HitCount);
    }

    [Fact]
    public void Section_4_3_4_a_304_whose_ETag_differs_from_the_stored_one_freshens_nothing()
    {
        var cache = CacheWith(H("Date", Date()), H("ETag", "\"v1\""));
        Assert.Null(cache.Freshen(Url, _time.GetUtcNow(), [H("ETag", "\"v2\"")]));
        Assert.NotNull(cache.Freshen(Url, _time.GetUtcNow(), [H("ETag", "W/\"v1\"")])); // weak comparison
    }

    [Fact]
    public void Section_4_3_3_a_200_to_a_conditional_request_replaces_the_stored_response()
    {
        var cache = CacheWith(H("Date", Date()), H("Cache-Control", "no-cache"), H("ETag", "\"v1\""));
        var replaced = cache.Store("GET", Url, Request, _time.GetUtcNow(), 200, "OK", "HTTP/1.1", [H("ETag", "\"v2\"")], 10, "new body"u8.ToArray(), 8, complete: true)!;
        Assert.Same(replaced, cache.Peek(Url));
        Assert.Equal("\"v2\"", cache.Peek(Url)!.ETag);
        Assert.Equal(8, cache.Peek(Url)!.BodyWireBytes);
        // An answer that may not be stored drops the old one: it is no longer what the server says.
        cache.Store("GET", Url, Request, _time.GetUtcNow(), 200, "OK", "HTTP/1.1", [H("Cache-Control", "no-store")], 10, default, 0, complete: true);
        Assert.Null(cache.Peek(Url));
    }

    [Fact]
    public void Section_4_1_Vary_matches_only_a_request_with_the_same_values_of_the_named_fields()
    {
        var cache = CacheWith(H("Date", Date()), H("Cache-Control", "max-age=60"), H("Vary", "Accept-Encoding"));
        Assert.Equal(CacheDecision.Fresh, cache.Lookup("GET", Url, [H("Accept", "*/*"), H("Accept-Encoding", "gzip,deflate,  br")]).Decision);
        Assert.Equal(CacheDecision.Miss, cache.Lookup("GET", Url, [H("Accept-Encoding", "identity")]).Decision);
        Assert.Equal(CacheDecision.Miss, cache.Lookup("GET", Url, [H("Accept", "text/css")]).Decision);
    }

    [Fact]
    public void Section_4_1_Vary_star_is_never_stored()
    {
        Assert.Null(Store(200, H("Cache-Control", "max-age=60"), H("Vary", "*")));
    }

    [Fact]
    public void Section_3_5_a_private_cache_stores_the_answer_to_an_authorized_request()
    {
        var cache = new HttpCache(_time);
        HeaderField[] authorized = [.. Request, H("Authorization", "Basic dTpw")];
        Assert.NotNull(cache.Store("GET", Url, authorized, _time.GetUtcNow(), 200, "OK", "HTTP/1.1", [H("Cache-Control", "max-age=60")], 1, default, 0, complete: true));
        Assert.Equal(CacheDecision.Fresh, cache.Lookup("GET", Url, authorized).Decision);
    }

    [Fact]
    public void Section_2_the_key_is_the_URL_without_its_fragment_and_a_hit_is_counted()
    {
        var cache = CacheWith(H("Date", Date()), H("Cache-Control", "max-age=60"));
        var lookup = cache.Lookup("GET", new Uri("http://127.0.0.1/a.css#x"), Request);
        Assert.Equal(CacheDecision.Fresh, lookup.Decision);
        Assert.Equal(1, lookup.Stored!.HitCount);
        Assert.Equal(_time.GetUtcNow(), lookup.Stored.LastAccess);
        Assert.Equal(CacheDecision.Miss, cache.Lookup("GET", new Uri("http://127.0.0.1/a.css?v=2"), Request).Decision);
    }

    [Fact]
    public void RFC_9110_5_6_7_the_three_date_forms_parse()
    {
        var expected = new DateTimeOffset(1994, 11, 6, 8, 49, 37, TimeSpan.Zero);
        Assert.Equal(expected, HttpDate.Parse("Sun, 06 Nov 1994 08:49:37 GMT"));
        Assert.Equal(expected, HttpDate.Parse("Sunday, 06-Nov-94 08:49:37 GMT"));
        Assert.Equal(expected, HttpDate.Parse("Sun Nov  6 08:49:37 1994"));
        Assert.Null(HttpDate.Parse("yesterday"));
    }

    [Fact]
    public void Section_5_2_Cache_Control_parses_directives_case_insensitively_and_an_invalid_max_age_as_zero()
    {
        var control = CacheControl.Parse("Public, MAX-AGE=\"120\", must-revalidate, x-ext=1");
        Assert.Equal(new CacheControl { Public = true, MaxAge = 120, MustRevalidate = true }, control);
        Assert.Equal(0, CacheControl.Parse("max-age=soon").MaxAge);
    }
}
