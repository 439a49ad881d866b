using FetchAgent.Engine.Http1;

namespace FetchAgent.Engine.Page;

/// <summary>Which responses a browser follows, and where to (RFC 9110 §15.4).</summary>
internal static class Redirects
{
    public const int MaxHops = 10;

    /// <summary>
    /// The Location resolved against the request URL (fragment inherited per §10.2.2), or the error to report; null
    /// without an error when there is no Location: then the 3xx is the final response (§15.4: the Location field
    /// "if any"), as curl, llhttp and Chromium treat it.
    /// </summary>
    public static Uri? Target(ResponseHead head, Uri requestUrl, out string? error)
    {
        error = null;
        var location = head.Get("Location");
        if (string.IsNullOrWhiteSpace(location))
            return null;

        if (!Uri.TryCreate(requestUrl, location.Trim(), out var target) || (target.Scheme != Uri.UriSchemeHttp && target.Scheme != Uri.UriSchemeHttps))
        {
            error = $"redirect: unsupported Location {Shorten(location)}";
            return null;
        }

        return target;
    }

    private static string Shorten(string text) => text.Length <= 80 ? text : text[..77] + "...";
}
