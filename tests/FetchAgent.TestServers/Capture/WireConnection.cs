using System.Net;

namespace FetchAgent.TestServers.Capture;

/// <summary>
/// One TCP connection as the capture saw it, from the client's side of the story: the handshake, the TLS handshake's
/// end, each request's segment and its response's first and last segments, and the FINs.
/// </summary>
public sealed class WireConnection
{
    public required IPAddress Client { get; init; }
    public required int ClientPort { get; init; }
    public required int ServerPort { get; init; }

    /// <summary>The client's SYN, and the server's SYN/ACK (the client's connect returns on it).</summary>
    public long? Syn { get; set; }
    public long? SynAck { get; set; }

    /// <summary>https: the last handshake segment either way before the first request (the client's Finished in TLS 1.3,
    /// the server's Finished in TLS 1.2).</summary>
    public long? TlsEnd { get; set; }

    /// <summary>When the connection could carry a request: the TLS handshake's end, else the SYN/ACK.</summary>
    public long? Ready => TlsEnd ?? SynAck;

    public List<WireExchange> Exchanges { get; } = [];
    public long? ClientFin { get; set; }
    public long? ServerFin { get; set; }

    /// <summary>Every client payload segment, in order (TLS handshake flights included).</summary>
    internal List<TcpSegment> ClientPayload { get; } = [];
    internal List<TcpSegment> ServerPayload { get; } = [];
}

/// <summary>One request and its response on the wire; times in ns since the epoch.</summary>
public sealed record WireExchange(long Request, long? ResponseFirst, long? ResponseLast, int ResponseBytes);
