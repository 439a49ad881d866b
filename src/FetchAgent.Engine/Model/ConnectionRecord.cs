namespace FetchAgent.Engine.Model;

/// <summary>One TCP connection (plus TLS for https) opened during a page load, with its real 4-tuple.</summary>
public sealed class ConnectionRecord
{
    public int Id { get; set; }
    public required string Scheme { get; set; }
    public required string Host { get; set; }
    public int Port { get; set; }
    public string? RemoteAddress { get; set; }
    public int RemotePort { get; set; }
    public string? LocalAddress { get; set; }
    public int LocalPort { get; set; }

    /// <summary>When the TCP connect began, ms from the page load's start.</summary>
    public double OpenedMs { get; set; }
    public double? ClosedMs { get; set; }

    /// <summary>The DNS lookup this connection waited for; -1 when the page load's DNS cache answered.</summary>
    public double DnsMs { get; set; } = -1;
    public double ConnectMs { get; set; }
    public double SslMs { get; set; } = -1;
    public int Requests { get; set; }
    public CloseReason? CloseReason { get; set; }
    public KeepAliveRecord? KeepAlive { get; set; }
    public string? TlsProtocol { get; set; }

    /// <summary>
    /// Extension: whether FetchAgent's end of the connection went on to wait in TIME_WAIT (the side that closes first
    /// holds it; a close that resets does not): read from the socket's own TCP state as FetchAgent closed it; null
    /// where the kernel does not say (not Linux) or it never opened.
    /// </summary>
    public bool? TimeWait { get; set; }

    /// <summary>Extension: the kernel's view of the connection when FetchAgent closed it (Linux <c>TCP_INFO</c>); null elsewhere.</summary>
    public TcpInfoRecord? TcpInfo { get; set; }

    /// <summary>Extension: who closed first: <c>server</c> when its FIN (or reset) had come in before FetchAgent closed,
    /// else <c>client</c> (also when the two FINs crossed on the wire); null where the kernel does not say.</summary>
    public ClosedBy? ClosedBy { get; set; }

    /// <summary>
    /// Extension: the proxy this connection went to (<c>http://host:port</c>), null when direct. Then the 4-tuple
    /// (<see cref="LocalAddress"/> … <see cref="RemotePort"/>) is the connection to the proxy, as the proxy's log shows it,
    /// and <see cref="Scheme"/>, <see cref="Host"/>, <see cref="Port"/> the origin it reached: through a CONNECT tunnel for
    /// https; for http the proxy itself, whose connection carried requests for every origin.
    /// </summary>
    /// <summary>
    /// Extension: a connection of the origin's anonymous pool, for requests sent without credentials (fonts from another
    /// origin), which Chromium keeps apart from the credentialed ones. Written only when true.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingDefault)]
    public bool Anonymous { get; set; }

    public string? Proxy { get; set; }

    /// <summary>Extension: the CONNECT exchange with the proxy (https through a proxy), inside <see cref="ConnectMs"/> as <see cref="SslMs"/> is; -1 when none.</summary>
    public double ProxyMs { get; set; } = -1;

    /// <summary>Extension: why it could not open or failed, when <see cref="CloseReason"/> is <c>error</c>.</summary>
    public string? Error { get; set; }

    /// <summary>Extension: the machine-readable kind of <see cref="Error"/> (timeout, dns, refused, tls, truncated, protocol, …); null when there is none.</summary>
    public ErrorKind? ErrorKind { get; set; }

    /// <summary>With the multiplexed strategy: what the connection speaks, <c>h2</c> or <c>http/1.1</c> (ALPN's ids); null otherwise.</summary>
    public string? Protocol { get; set; }

    /// <summary>HTTP/2: the server's SETTINGS (RFC 9113 §6.5.2) by their RFC names, as last received; null otherwise.</summary>
    public Dictionary<string, long>? PeerSettings { get; set; }

    /// <summary>HTTP/2: the most streams open at once on the connection; null otherwise.</summary>
    public int? PeakConcurrentStreams { get; set; }

    /// <summary>HTTP/2: the server's GOAWAY, if any: <c>last-stream-id N, CODE</c> (RFC 9113 §6.8).</summary>
    public string? GoAway { get; set; }

    /// <summary>
    /// Extension, with <c>--keep-connections</c>: on a first view's connection, true when it was idle at the view's end
    /// and went on, open, to the repeat view (so it has no close here: that is in the repeat view). Written only when true.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingDefault)]
    public bool KeptForRepeatView { get; set; }

    /// <summary>
    /// Extension, with <c>--keep-connections</c>: on a repeat view's connection, the id in the first view of the
    /// connection it continues (same socket, same 4-tuple; its DNS, TCP and TLS happened there, so -1 here); null for a
    /// connection opened in this view.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public int? KeptFrom { get; set; }

    /// <summary>
    /// The record of this connection in the next view it goes on to (<c>--keep-connections</c>): the same 4-tuple,
    /// protocol and what the server announced, under the view's <paramref name="id"/>, open from that view's start with
    /// no setup steps of its own (-1), and <see cref="KeptFrom"/> naming this one.
    /// </summary>
    public ConnectionRecord ContinuedAs(int id) => new()
    {
        Id = id,
        Scheme = Scheme, Host = Host, Port = Port,
        RemoteAddress = RemoteAddress, RemotePort = RemotePort, LocalAddress = LocalAddress, LocalPort = LocalPort,
        TlsProtocol = TlsProtocol, Proxy = Proxy, KeepAlive = KeepAlive,
        Protocol = Protocol, PeerSettings = PeerSettings is { } settings ? new Dictionary<string, long>(settings) : null,
        OpenedMs = 0, DnsMs = -1, ConnectMs = -1, SslMs = -1, ProxyMs = -1,
        KeptFrom = Id,
    };
}

/// <summary>The HTTP/1.0 <c>Keep-Alive: timeout, max</c> parameters the server announced.</summary>
public sealed record KeepAliveRecord(int? TimeoutS, int? Max);

public enum CloseReason
{
    /// <summary>Still open when the page load ended; closed gracefully by us.</summary>
    PageDone,

    /// <summary>The server said <c>Connection: close</c>, answered HTTP/1.0 without keep-alive, or closed the socket.</summary>
    ServerClose,

    /// <summary>The server's <c>Keep-Alive: max</c> was reached.</summary>
    KeepAliveMax,

    /// <summary>Idle past the server's <c>Keep-Alive: timeout</c>.</summary>
    KeepAliveTimeout,

    /// <summary>Idle and not needed any more.</summary>
    Idle,

    /// <summary>A failed exchange (timeout, malformed or truncated response) ended it.</summary>
    Error,

    /// <summary>We sent <c>Connection: close</c> (serial and parallel strategies).</summary>
    ClientClose,
}

/// <summary>The side that closed a connection first (and so holds its TIME_WAIT).</summary>
public enum ClosedBy
{
    Client,
    Server,
}
