using System.Net;
using System.Net.Security;
using System.Net.Sockets;

namespace FetchAgent.Engine.Navigation;

/// <summary>An open TCP connection (and TLS session), with the readings of how it was opened and its real 4-tuple.</summary>
public sealed class Transport : IAsyncDisposable
{
    public required Socket Socket { get; init; }

    /// <summary>The socket's NetworkStream, or the SslStream over it for https.</summary>
    public required Stream Stream { get; init; }

    public required IPEndPoint LocalEndPoint { get; init; }
    public required IPEndPoint RemoteEndPoint { get; init; }

    /// <summary>DNS, connect and TLS as they happened for this connection.</summary>
    public required ConnectionAttempt Attempt { get; init; }

    /// <summary>When the first connect began (after any DNS).</summary>
    public long ConnectStart => Attempt.ConnectStart!.Value;

    /// <summary>When the connection was ready for a request: the TCP (and TLS) handshake done.</summary>
    public long Ready => Attempt.Ready!.Value;

    public string? TlsProtocol { get; init; }

    /// <summary>The protocol ALPN settled on (RFC 7301); default when there was no TLS or the server chose none.</summary>
    public SslApplicationProtocol ApplicationProtocol { get; init; }

    /// <summary>The proxy this connection goes through (to the origin in a tunnel, or carrying absolute-form requests); null when direct.</summary>
    public ProxyHop? Proxy { get; init; }

    public async ValueTask DisposeAsync()
    {
        await Stream.DisposeAsync().ConfigureAwait(false);
        Socket.Dispose();
    }
}
