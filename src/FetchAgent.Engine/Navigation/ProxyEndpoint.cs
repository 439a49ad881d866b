using System.Globalization;
using FetchAgent.Engine.Model;

namespace FetchAgent.Engine.Navigation;

/// <summary>
/// An HTTP proxy FetchAgent sends its requests through: <c>http://host:port</c>. Only the http scheme is spoken to a
/// proxy (as curl's default); an https page goes through it in a CONNECT tunnel (RFC 9110 §9.3.6).
/// </summary>
public sealed record ProxyEndpoint(string Host, int Port)
{
    /// <summary>
    /// Reads <c>http://host[:port]</c> (<see cref="ProxyUrl"/>). Credentials in the URL are returned apart in
    /// <paramref name="credentials"/>, for the caller to keep out of anything stored.
    /// </summary>
    /// <returns>The proxy, or null with <paramref name="problem"/> saying why.</returns>
    public static ProxyEndpoint? Parse(string text, out ProxyCredentials? credentials, out string? problem)
    {
        credentials = null;
        problem = ProxyUrl.Read(text, out var host, out var port, out var userInfo);
        if (problem is not null)
            return null;
        if (userInfo is not null)
            credentials = ProxyCredentials.Parse(userInfo);
        return new ProxyEndpoint(host, port);
    }

    /// <summary>The proxy's authority as a request line or log names it: <c>host:port</c>, an IPv6 literal in brackets.</summary>
    public string Authority => (Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]" : Host) + ":" + Port.ToString(CultureInfo.InvariantCulture);

    /// <summary>As the document writes it: <c>http://host:port</c>, never with credentials.</summary>
    public override string ToString() => "http://" + Authority;
}
