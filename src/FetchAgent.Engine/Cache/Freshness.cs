namespace FetchAgent.Engine.Cache;

/// <summary>RFC 9111 §4.2: how long a stored response stays fresh, and how old it is now.</summary>
public static class Freshness
{
    /// <summary>§4.2.2: the fraction of the time since Last-Modified a cache may take as a heuristic lifetime (10 %).</summary>
    public const double HeuristicFraction = 0.1;

    /// <summary>
    /// §4.2.1, for a private cache: max-age; else Expires minus Date (an Expires that does not parse means already
    /// expired); else, for a status heuristically cacheable (§4.2.2) with a Last-Modified, 10 % of Date minus
    /// Last-Modified; else zero.
    /// </summary>
    public static TimeSpan Lifetime(StoredResponse response)
    {
        var control = response.CacheControl;
        if (control.MaxAge is { } maxAge)
            return TimeSpan.FromSeconds(maxAge);
        var date = DateValue(response);
        if (response.Get("Expires") is { } expiresText)
        {
            if (HttpDate.Parse(expiresText) is not { } expires)
                return TimeSpan.Zero;
            var lifetime = expires - date;
            return lifetime > TimeSpan.Zero ? lifetime : TimeSpan.Zero;
        }

        if (Storability.IsHeuristicallyCacheable(response.StatusCode) && HttpDate.Parse(response.LastModified) is { } lastModified && lastModified < date)
            return TimeSpan.FromTicks((long)((date - lastModified).Ticks * HeuristicFraction));
        return TimeSpan.Zero;
    }

    /// <summary>
    /// §4.2.3: apparent_age = max(0, response_time - date_value); corrected_age_value = age_value + response_delay;
    /// corrected_initial_age = max(apparent_age, corrected_age_value); current_age = corrected_initial_age + resident_time.
    /// </summary>
    public static TimeSpan CurrentAge(StoredResponse response, DateTimeOffset now)
    {
        var apparentAge = Max(TimeSpan.Zero, response.ResponseTime - DateValue(response));
        var responseDelay = response.ResponseTime - response.RequestTime;
        var ageValue = AgeValue(response);
        var correctedAgeValue = ageValue + responseDelay;
        var correctedInitialAge = Max(apparentAge, correctedAgeValue);
        var residentTime = now - response.ResponseTime;
        return correctedInitialAge + residentTime;
    }

    /// <summary>§4.2: fresh when the lifetime exceeds the current age.</summary>
    public static bool IsFresh(StoredResponse response, DateTimeOffset now) => Lifetime(response) > CurrentAge(response, now);

    /// <summary>When the response stops being fresh, on the cache's clock (HAR 1.2 cache "expires").</summary>
    public static DateTimeOffset Expires(StoredResponse response) =>
        response.ResponseTime + Lifetime(response) - (CurrentAge(response, response.ResponseTime));

    /// <summary>§4.2.3 / §5.1: Age in seconds; a value that does not parse is ignored.</summary>
    private static TimeSpan AgeValue(StoredResponse response) =>
        long.TryParse(response.Get("Age")?.Split(',')[0].Trim(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var seconds)
            ? TimeSpan.FromSeconds(seconds)
            : TimeSpan.Zero;

    /// <summary>§4.2.1 / RFC 9110 §6.6.1: the Date field, or the time the response arrived when it has none that parses.</summary>
    private static DateTimeOffset DateValue(StoredResponse response) => HttpDate.Parse(response.Get("Date")) ?? response.ResponseTime;

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
