using System.Globalization;

namespace FetchAgent.Engine.Cache;

/// <summary>HTTP-date (RFC 9110 §5.6.7): IMF-fixdate, and the obsolete RFC 850 and asctime forms a recipient must accept.</summary>
public static class HttpDate
{
    private static readonly string[] Formats =
    [
        "ddd, dd MMM yyyy HH:mm:ss 'GMT'", // IMF-fixdate
        "dddd, dd-MMM-yy HH:mm:ss 'GMT'", // RFC 850
        "ddd MMM d HH:mm:ss yyyy", // asctime
        "ddd MMM  d HH:mm:ss yyyy",
    ];

    public static DateTimeOffset? Parse(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
            return null;
        return DateTimeOffset.TryParseExact(value.Trim(), Formats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var date)
            ? date
            : null;
    }

    /// <summary>IMF-fixdate, as a request's If-Modified-Since carries a stored Last-Modified when it must make one.</summary>
    public static string Format(DateTimeOffset date) => date.UtcDateTime.ToString("ddd, dd MMM yyyy HH:mm:ss 'GMT'", CultureInfo.InvariantCulture);
}
