namespace FetchAgent.Engine.Model;

/// <summary>
/// A proxy URL as the <c>proxy</c> option and the <c>http_proxy</c> variables give it: <c>http://host[:port]</c>, a bare
/// <c>host:port</c> taken as http (as curl does), curl's 1080 when no port is named. Only the http scheme is spoken
/// to a proxy; https pages go through it in a CONNECT tunnel.
/// </summary>
public static class ProxyUrl
{
    /// <summary>curl's default proxy port.</summary>
    public const int DefaultPort = 1080;

    /// <summary>Reads <paramref name="text"/>; returns why it is no proxy URL, or null with its parts.</summary>
    /// <param name="text">The URL.</param>
    /// <param name="host">The host as DNS wants it (punycode, lower case, an IPv6 literal without brackets).</param>
    /// <param name="port">The port.</param>
    /// <param name="userInfo">Any <c>user:pass</c> in the URL, unescaped; null when there is none.</param>
    public static string? Read(string text, out string host, out int port, out string? userInfo)
    {
        host = "";
        port = 0;
        userInfo = null;
        var value = text.Trim();
        if (!value.Contains("://", StringComparison.Ordinal))
            value = "http://" + value;
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri))
            return "must be a proxy URL, http://host:port";
        if (uri.Scheme != Uri.UriSchemeHttp)
            return $"must be an http:// proxy URL, not {uri.Scheme}://";
        if (string.IsNullOrEmpty(uri.Host))
            return "must name the proxy's host";
        if (uri.AbsolutePath is not ("/" or "") || uri.Query.Length > 0 || uri.Fragment.Length > 0)
            return "must be http://host:port, without a path";

        // An explicit :80 is the scheme's default to Uri; only a URL that names no port at all gets curl's 1080.
        var authority = value[(value.IndexOf("://", StringComparison.Ordinal) + 3)..].TrimEnd('/');
        var hostPart = authority[(authority.LastIndexOf('@') + 1)..];
        var namesPort = hostPart.StartsWith('[') ? hostPart.Contains("]:", StringComparison.Ordinal) : hostPart.Contains(':', StringComparison.Ordinal);
        if (namesPort && uri.Port is < 1 or > 65535)
            return "must name a port between 1 and 65535";
        if (namesPort && hostPart.EndsWith(':'))
            return "must name a port between 1 and 65535";

        host = (uri.HostNameType == UriHostNameType.IPv6 ? uri.Host.Trim('[', ']') : uri.IdnHost).ToLowerInvariant();
        port = namesPort ? uri.Port : DefaultPort;
        if (uri.UserInfo.Length > 0)
            userInfo = Uri.UnescapeDataString(uri.UserInfo);
        return null;
    }
}
