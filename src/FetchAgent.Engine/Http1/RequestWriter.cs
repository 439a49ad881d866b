using System.Globalization;
using System.Text;

namespace FetchAgent.Engine.Http1;

/// <summary>Formats a request head (RFC 9112 §3) as FetchAgent sends it.</summary>
public static class RequestWriter
{
    public const string UserAgent = "FetchAgent/0.1 (+https://github.com/fetchagent)";
    public const string AcceptEncoding = "gzip, deflate, br";

    /// <summary>The field lines sent for this request, in order: Host, User-Agent, Accept, Accept-Encoding, Connection, then <paramref name="extra"/>.</summary>
    public static IReadOnlyList<HeaderField> Headers(Uri url, string accept, bool closeConnection, IReadOnlyList<HeaderField>? extra = null)
    {
        ArgumentNullException.ThrowIfNull(url);
        ArgumentNullException.ThrowIfNull(accept);
        return
        [
            new("Host", HostFieldValue(url)),
            new("User-Agent", UserAgent),
            new("Accept", accept),
            new("Accept-Encoding", AcceptEncoding),
            // RFC 9112 §9.6: "close" asks the server to end the connection after this response.
            new("Connection", closeConnection ? "close" : "keep-alive"),
            .. extra ?? [],
        ];
    }

    /// <summary>
    /// RFC 9110 §7.2: uri-host [ ":" port ]. The host as DNS sees it (IDNA punycode), an IPv6 literal in brackets
    /// without a zone id (RFC 9844 §5: a zone id is local to the sender), the port only when not the scheme's default.
    /// </summary>
    public static string HostFieldValue(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        string host;
        if (url.HostNameType == UriHostNameType.IPv6)
        {
            var address = url.IdnHost.Trim('[', ']');
            var zone = address.IndexOf('%');
            host = "[" + (zone >= 0 ? address[..zone] : address) + "]";
        }
        else
        {
            host = url.IdnHost;
        }

        return url.IsDefaultPort ? host : host + ":" + url.Port.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>The request line and header section as bytes, ready for the socket.</summary>
    /// <param name="absoluteForm">To a proxy: the target as scheme://host[:port]/path?query (RFC 9112 §3.2.2), never with userinfo.</param>
    public static byte[] Format(string method, Uri url, IReadOnlyList<HeaderField> headers, bool absoluteForm = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(method);
        ArgumentNullException.ThrowIfNull(url);
        ArgumentNullException.ThrowIfNull(headers);

        // RFC 9112 §3.2.1: origin-form = absolute-path [ "?" query ]; the fragment is never sent. Written as a
        // browser writes it, not as Uri.PathAndQuery escapes it (RequestTarget).
        var target = RequestTarget.For(url);
        if (absoluteForm)
            target = url.Scheme + "://" + HostFieldValue(url) + target;

        var text = new StringBuilder(256);
        text.Append(method).Append(' ').Append(target).Append(" HTTP/1.1\r\n");
        foreach (var field in headers)
        {
            // A CR or LF in a value would let a caller smuggle extra field lines (RFC 9110 §5.5).
            if (field.Name.AsSpan().IndexOfAny('\r', '\n', ':') >= 0 || field.Value.AsSpan().IndexOfAny('\r', '\n', '\0') >= 0)
                throw new ArgumentException($"invalid header field: {field.Name}", nameof(headers));
            text.Append(field.Name).Append(": ").Append(field.Value).Append("\r\n");
        }

        text.Append("\r\n");
        var result = text.ToString();
        if (!Ascii.IsValid(result))
            throw new ArgumentException("request head must be ASCII", nameof(headers));
        return Encoding.ASCII.GetBytes(result);
    }
}
