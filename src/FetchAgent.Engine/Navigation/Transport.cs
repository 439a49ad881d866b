using System.Net;
using System.Net.Sockets;

namespace FetchAgent.Engine.Navigation;

/// <summary>An open TCP connection (and TLS session), with the timestamps of how it was opened and its real 4-tuple.</summary>
public sealed class Transport : IAsyncDisposable
{
    public required Socket Socket { get; init; }

    /// <summary>The socket's NetworkStream, or the SslStream over it for https.</summary>
    public required Stream Stream { get; init; }

    public required IPEndPoint LocalEndPoint { get; init; }
    public required IPEndPoint RemoteEndPoint { get; init; }

    /// <summary>The DNS lookup this connection did; null when the page's DNS cache answered.</summary>
    public PhaseSpan? Dns { get; init; }

    /// <summary>When the first connect attempt began, after any DNS.</summary>
    public required long ConnectStart { get; init; }

    /// <summary>When the connection was ready for a request: TCP (and TLS) done.</summary>
    public required long Ready { get; init; }
    public PhaseSpan? Tls { get; init; }
    public string? TlsProtocol { get; init; }

    public async ValueTask DisposeAsync()
    {
        await Stream.DisposeAsync().ConfigureAwait(false);
        Socket.Dispose();
    }
}
