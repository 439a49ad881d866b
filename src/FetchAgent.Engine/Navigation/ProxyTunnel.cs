using System.Globalization;
using System.Text;
using FetchAgent.Engine.Model;

namespace FetchAgent.Engine.Navigation;

/// <summary>
/// Opens a tunnel through an HTTP proxy (RFC 9110 §9.3.6): <c>CONNECT host:port HTTP/1.1</c> in authority-form
/// (RFC 9112 §3.2.3), then any 2xx means the connection now carries bytes to the origin, and TLS starts on it. The
/// response head is read byte by byte, so not one byte of what follows it (the origin's TLS) is taken by this reader.
/// </summary>
internal static class ProxyTunnel
{
    private const int MaxHeadBytes = 64 * 1024;

    /// <summary>What came of one CONNECT.</summary>
    internal enum Outcome
    {
        Open,

        /// <summary>A 407 the page's credentials answer: connect again and send them.</summary>
        Authenticate,
    }

    /// <exception cref="NavigationException">The proxy refused the tunnel, closed, or answered something that is not HTTP.</exception>
    public static async Task<Outcome> OpenAsync(Stream stream, Origin origin, ProxyHop hop, CancellationToken cancellationToken)
    {
        var authority = (origin.Host.Contains(':', StringComparison.Ordinal) ? $"[{origin.Host}]" : origin.Host) + ":" + origin.Port.ToString(CultureInfo.InvariantCulture);
        var fields = hop.RequestFields().ToList();
        var head = new StringBuilder()
            .Append("CONNECT ").Append(authority).Append(" HTTP/1.1\r\n")
            .Append("Host: ").Append(authority).Append("\r\n")
            .Append("User-Agent: ").Append(hop.UserAgent).Append("\r\n");
        foreach (var (name, value) in fields)
            head.Append(name).Append(": ").Append(value).Append("\r\n");
        head.Append("\r\n");
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head.ToString()), cancellationToken).ConfigureAwait(false);
        await stream.FlushAsync(cancellationToken).ConfigureAwait(false);

        var (status, reason, responseFields) = await ReadHeadAsync(stream, $"proxy {hop.Endpoint}", authority, cancellationToken).ConfigureAwait(false);
        if (status is >= 200 and < 300)
            return Outcome.Open;
        var carried = fields.Any(f => f.Name == ProxyAuthentication.FieldName);
        if (status == 407 && hop.Authentication.Answer(responseFields, carried))
            return Outcome.Authenticate;
        var what = $"proxy {hop.Endpoint}: CONNECT {authority} refused with {status} {reason}".TrimEnd();
        // 403 and 407 are the proxy's policy; a 5xx is the proxy failing to reach the origin for us.
        var kind = status is 403 or 407 || status < 500 ? ErrorKind.Policy : ErrorKind.Refused;
        throw new NavigationException(kind, what + (status == 407 ? (hop.Authentication.Credentials is null ? " (no --proxy-user given)" : " (credentials refused)") : ""));
    }

    private static async Task<(int Status, string Reason, List<(string Name, string Value)> Fields)> ReadHeadAsync(
        Stream stream, string proxy, string authority, CancellationToken cancellationToken)
    {
        var bytes = new List<byte>(256);
        var one = new byte[1];
        while (true)
        {
            var read = await stream.ReadAsync(one, cancellationToken).ConfigureAwait(false);
            if (read == 0)
                throw new NavigationException(ErrorKind.Reset, $"{proxy}: closed the connection before answering CONNECT {authority}");
            bytes.Add(one[0]);
            if (bytes.Count >= 4 && bytes[^1] == '\n' && bytes[^2] == '\r' && bytes[^3] == '\n' && bytes[^4] == '\r')
                break;
            if (bytes.Count > MaxHeadBytes)
                throw new NavigationException(ErrorKind.Protocol, $"{proxy}: answer to CONNECT {authority} longer than 64 KiB");
        }

        var lines = Encoding.Latin1.GetString(bytes.ToArray()).Split("\r\n");
        var statusLine = lines[0].Split(' ', 3);
        if (statusLine.Length < 2 || !statusLine[0].StartsWith("HTTP/1.", StringComparison.Ordinal) || statusLine[1].Length != 3
            || !int.TryParse(statusLine[1], NumberStyles.None, CultureInfo.InvariantCulture, out var status))
            throw new NavigationException(ErrorKind.Protocol, $"{proxy}: invalid status line in answer to CONNECT {authority}: {lines[0]}");
        var fields = new List<(string, string)>();
        foreach (var line in lines.Skip(1).Where(l => l.Length > 0))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
                fields.Add((line[..colon], line[(colon + 1)..].Trim()));
        }

        return (status, statusLine.Length > 2 ? statusLine[2] : "", fields);
    }
}
