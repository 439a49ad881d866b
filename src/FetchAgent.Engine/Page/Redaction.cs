namespace FetchAgent.Engine.Page;

/// <summary>
/// A password in a URL (<c>http://user:pass@host/</c>, RFC 3986 §3.2.1) is never stored or shown: it becomes
/// <c>***</c> and the user name stays, as browsers show it. So does the credential of an <c>Authorization</c> field.
/// </summary>
public static class Redaction
{
    public const string Mask = "***";

    /// <summary>True when the URL carries a password (empty ones included: <c>user:@host</c> is masked too).</summary>
    public static bool HasPassword(Uri url) => url.IsAbsoluteUri && url.UserInfo.Contains(':', StringComparison.Ordinal);

    /// <summary>The URL as FetchAgent stores and shows it: as given, or, when it carries a password, with the password masked.</summary>
    public static string Url(Uri url) => HasPassword(url) ? Text(url.AbsoluteUri) : url.OriginalString;

    /// <summary>The URL as an object's record writes it (absolute, canonical), the password masked.</summary>
    public static string AbsoluteUrl(Uri url) => HasPassword(url) ? Text(url.AbsoluteUri) : url.AbsoluteUri;

    /// <summary>
    /// Masks the password of every URL authority in <paramref name="text"/> (<c>//user:pass@host</c>): a Location
    /// field, an error that quotes one. Text without one comes back as it was.
    /// </summary>
    public static string Text(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var from = 0;
        while (true)
        {
            var slashes = text.IndexOf("//", from, StringComparison.Ordinal);
            if (slashes < 0)
                return text;
            var start = slashes + 2;
            // RFC 3986 §3.2: the authority ends at the next "/", "?" or "#" (and, as WHATWG URL parses http, "\").
            var end = text.IndexOfAny(AuthorityEnd, start);
            if (end < 0)
                end = text.Length;
            var at = text.LastIndexOf('@', end - 1, end - start);
            if (at >= 0)
            {
                var colon = text.IndexOf(':', start, at - start);
                if (colon >= 0)
                {
                    text = string.Concat(text.AsSpan(0, colon + 1), Mask, text.AsSpan(at));
                    end = colon + 1 + Mask.Length + (end - at);
                }
            }

            from = Math.Max(end, start);
        }
    }

    /// <summary>An <c>Authorization</c> value with its credentials masked: <c>Basic ***</c>.</summary>
    public static string Authorization(string value)
    {
        var space = value.IndexOf(' ', StringComparison.Ordinal);
        return space < 0 ? Mask : value[..space] + " " + Mask;
    }

    private static readonly char[] AuthorityEnd = ['/', '?', '#', '\\', ' ', '\t', '\r', '\n', '"', '\''];
}
